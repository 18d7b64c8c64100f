"""Uncertainty: Monte Carlo, tornado and Sobol' indices over the registry's distributions.

Every non-fixed numeric parameter has a range [low, high] and a distribution in
the registry: ``uniform``, ``triang`` or ``pert`` (beta-PERT), whose mode is the
scenario's value of the parameter. Draws are a Latin hypercube
(``scipy.stats.qmc.LatinHypercube``) mapped through each distribution's inverse
CDF, so the same seed gives the same draws.

The model is evaluated for many parameter sets at once (``evaluate_draws``):
the closed-form modules are vectorised over the sets, and the gas LP is solved
set after set on a warm-started HiGHS model. Sets go in chunks, in this process
or on a Dask cluster (``econ.cluster``); the chunks are the same either way, so
the results are too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from scipy.stats import qmc

from .data import Data, load_data
from .engine import evaluate_params, metric_ids
from .errors import ParameterError
from .params import ParamBatch, ParameterSpec, Params, Scenario, Value, load_registry, load_scenario
from .time import HORIZON_PARAMS, DatedPath, horizon_of

PERCENTILES = (5, 25, 50, 75, 95)


def uncertain_specs(scenario: Scenario, params: Iterable[str] | None = None) -> list[ParameterSpec]:
    """The parameters to vary: ``params`` if given, else every numeric parameter whose distribution is not fixed."""
    registry = scenario.registry
    if params is None:
        return [s for s in registry if s.is_numeric and s.distribution != "fixed" and float(s.low) < float(s.high)]
    chosen = []
    for name in params:
        spec = registry.spec(name)
        if not spec.is_numeric or not float(spec.low) < float(spec.high):
            raise ParameterError(
                f"parameter '{name}' cannot be varied: it is a {spec.type} with range {spec.range_text}"
            )
        chosen.append(spec)
    return chosen


def ppf(spec: ParameterSpec, mode: float, u: np.ndarray) -> np.ndarray:
    """Inverse CDF of the parameter's distribution on [low, high] with the given mode, at quantiles ``u``."""
    low, high = float(spec.low), float(spec.high)
    span = high - low
    mode = min(max(float(mode), low), high)
    if spec.distribution == "triang":
        x = stats.triang.ppf(u, c=(mode - low) / span, loc=low, scale=span)
    elif spec.distribution == "pert":
        a = 1 + 4 * (mode - low) / span
        b = 1 + 4 * (high - mode) / span
        x = stats.beta.ppf(u, a, b, loc=low, scale=span)
    else:  # uniform, and "fixed" parameters a user asked to vary explicitly
        x = low + u * span
    if spec.type == "int":
        x = np.clip(np.round(x), low, high)
    return x


def check_metrics(metrics: Iterable[str]) -> None:
    """ParameterError naming the first metric that is not a headline metric, and the ones that are."""
    known = metric_ids()
    unknown = [m for m in metrics if m not in known]
    if unknown:
        raise ParameterError(f"unknown metric '{unknown[0]}'; metrics: {', '.join(sorted(known))}")


def model_runs(scenario: Scenario, method: str, n: int, params: Iterable[str] | None = None) -> int:
    """Model runs an analysis takes: n draws (mc), 1 + 2d (tornado: the scenario, then each of the d
    parameters at its low and its high) or n (d + 2) (sobol)."""
    d = len(uncertain_specs(scenario, params))
    return {"mc": n, "tornado": 1 + 2 * d, "sobol": n * (d + 2)}[method]


def scalar_part(value: Any) -> float:
    """A parameter's scalar value, or a dated path's scalar part (what a draw replaces; its steps stay)."""
    return value.base if isinstance(value, DatedPath) else value


def draw(scenario: Scenario, n: int, seed: int, params: Iterable[str] | None = None) -> pd.DataFrame:
    """``n`` Latin-hypercube draws of the uncertain parameters (one column each)."""
    if n < 1:
        raise ParameterError(f"n must be at least 1, got {n}")
    specs = uncertain_specs(scenario, params)
    if not specs:
        raise ParameterError("no parameter to vary: every numeric parameter is fixed")
    u = qmc.LatinHypercube(d=len(specs), seed=np.random.default_rng(seed)).random(n)
    base = scenario.params
    return pd.DataFrame({s.name: ppf(s, scalar_part(base[s.name]), u[:, j]) for j, s in enumerate(specs)})


BACKENDS = ("serial", "dask")
LP_CHUNK_SIZE = 100  # draws that vary gas parameters: an LP each, warm-started within the chunk
CLOSED_FORM_CHUNK_SIZE = 1000  # the closed-form modules alone: large arrays amortise Python's overhead
# Monthly paths a Monte Carlo keeps for fan charts: name -> (module, output, unit, label)
PATHS = {
    "usd_rub": ("ruble", "usd_rub", "RUB per USD", "Ruble, monthly"),
    "cpi_yoy_pct": ("ruble", "cpi_yoy_pct", "% y/y", "Consumer-price inflation"),
    "eu_storage_fill_pct": (
        "gas",
        "eu_storage_fill_pct_by_month",
        "% of working gas",
        "EU gas storage fill, end of month",
    ),
}
PATH_SEPARATOR = "@"  # path columns of evaluate_chunk's result are named "<path>@<YYYY-MM>"


def is_structural(spec: ParameterSpec) -> bool:
    """Whether draws that differ in this parameter need separate batches: the horizon (it fixes the length of the
    month axis) and the switches (models branch on them once per batch). Whole numbers such as lags are read per
    draw, as (n,) arrays, like any float: grouping by a lag drawn over 10 values split each chunk into 10 batches
    and cost the sanctions-only Monte Carlo a third of its speed."""
    return spec.name in HORIZON_PARAMS or spec.type not in ("float", "int")


def batch_rows(draws: pd.DataFrame) -> list[np.ndarray]:
    """The rows of ``draws`` that can be evaluated as one batch: grouped by every structural column
    (:func:`is_structural`), in order of first appearance; one group when there is none."""
    registry = load_registry()
    structural = [c for c in draws.columns if is_structural(registry.spec(c))]
    return list(draws.groupby(structural, sort=False).indices.values()) if structural else [np.arange(len(draws))]


def output_bands(
    scenario: Scenario,
    module: str,
    output: str,
    labels: Sequence[str],
    n: int,
    seed: int,
    params: Iterable[str] | None = None,
    chunk: int = 50,
    progress: Callable[[int], None] | None = None,
    data: Data | None = None,
    label_column: str = "label",
) -> pd.DataFrame:
    """Percentile bands of a module's per-draw output with one value per label (for example europe's
    ``gdp_change_pct_by_country``, an (n, countries) array), over the same seeded Latin-hypercube draws as
    :func:`monte_carlo` (:func:`draw`), evaluated by the engine's batch path in chunks of ``chunk`` draws
    (``progress`` is told each chunk's size). Returns one row per label: p5, p50, p95, mean and n_failed (draws
    without a value, left out), the labels in ``label_column``."""
    data = data if data is not None else load_data()
    draws = draw(scenario, n, seed, params)
    base = Params(scenario.params)
    out = np.full((len(draws), len(labels)), np.nan)
    for rows in batch_rows(draws):
        for start in range(0, len(rows), chunk):
            part = rows[start : start + chunk]
            batch = ParamBatch(base, {c: draws[c].to_numpy()[part] for c in draws.columns}, len(part))
            result = evaluate_params(batch, data)
            if module in result:
                out[part] = np.asarray(result[module].outputs[output], dtype=float)
            if progress is not None:
                progress(len(part))
    finite = np.isfinite(out)

    def column(fn: Callable[[np.ndarray], float]) -> list[float]:
        return [fn(out[finite[:, j], j]) if finite[:, j].any() else np.nan for j in range(len(labels))]

    with np.errstate(all="ignore"):
        return pd.DataFrame(
            {
                label_column: list(labels),
                "p5": column(lambda v: float(np.percentile(v, 5))),
                "p50": column(lambda v: float(np.percentile(v, 50))),
                "p95": column(lambda v: float(np.percentile(v, 95))),
                "mean": column(lambda v: float(v.mean())),
                "n_failed": (~finite).sum(axis=0),
            }
        )


def evaluate_chunk(
    base: Mapping[str, Value], draws: pd.DataFrame, data: Data | None = None, paths: bool = False
) -> pd.DataFrame:
    """Headline metrics of each row of ``draws`` (a parameter set: ``base`` with the row's values).

    With ``paths``, also the monthly PATHS, in columns "<path>@<month>". Rows are evaluated together as
    batches; rows that differ in a parameter fixing the model's shape (an integer such as the horizon) go
    into separate batches. The result depends only on ``base``, the rows and the data, so any process
    computes the same numbers.
    """
    data = data if data is not None else load_data()
    params = Params(base)
    columns = metric_ids()
    out = np.full((len(draws), len(columns)), np.nan)
    position = {m: j for j, m in enumerate(columns)}
    monthly: dict[str, np.ndarray] = {}
    for rows in batch_rows(draws):
        batch = ParamBatch(params, {c: draws[c].to_numpy()[rows] for c in draws.columns}, len(rows))
        results = evaluate_params(batch, data)
        for result in results.values():
            for metric, values in result.metrics.items():
                out[rows, position[metric]] = values
        if paths:
            labels, _ = horizon_of(batch)
            for name, (module, key, _, _) in PATHS.items():
                if module in results:
                    for k, label in enumerate(labels):
                        column = monthly.setdefault(f"{name}{PATH_SEPARATOR}{label}", np.full(len(draws), np.nan))
                        column[rows] = results[module].outputs[key][:, k]
    frame = pd.DataFrame(out, columns=columns)
    if monthly:
        frame = pd.concat([frame, pd.DataFrame(monthly)], axis=1)
    return frame


def split_paths(outcomes: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """Headline metrics, and each monthly path as a table (rows: draws, columns: months in order)."""
    path_cols = [c for c in outcomes.columns if PATH_SEPARATOR in c]
    found: dict[str, list[str]] = {}
    for c in path_cols:
        found.setdefault(c.split(PATH_SEPARATOR)[0], []).append(c)
    tables = {}
    for name, cols in found.items():
        cols = sorted(cols, key=lambda c: c.split(PATH_SEPARATOR)[1])
        tables[name] = outcomes[cols].set_axis([c.split(PATH_SEPARATOR)[1] for c in cols], axis=1)
    return outcomes.drop(columns=path_cols), tables


def path_summary(paths: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Mean and percentiles of every monthly path by month: path, unit, label, month, mean, p5 ... p95."""
    rows = []
    for name, table in paths.items():
        _, _, unit, label = PATHS[name]
        for month in table.columns:
            values = table[month].to_numpy(dtype=float)
            finite = values[np.isfinite(values)]
            pct = np.percentile(finite, PERCENTILES) if len(finite) else [np.nan] * len(PERCENTILES)
            rows.append((name, unit, label, month, float(finite.mean()) if len(finite) else np.nan, *map(float, pct)))
    return pd.DataFrame(rows, columns=["path", "unit", "label", "month", "mean", *[f"p{p}" for p in PERCENTILES]])


def default_chunk_size(draws: pd.DataFrame) -> int:
    """Rows per chunk when none is given: it depends only on which parameters vary, never on the backend."""
    return LP_CHUNK_SIZE if any(c.startswith("gas.") for c in draws.columns) else CLOSED_FORM_CHUNK_SIZE


def _chunks(draws: pd.DataFrame, chunk_size: int) -> list[pd.DataFrame]:
    if chunk_size < 1:
        raise ParameterError(f"chunk_size must be at least 1, got {chunk_size}")
    return [draws.iloc[i : i + chunk_size].reset_index(drop=True) for i in range(0, len(draws), chunk_size)]


def evaluate_draws(
    base: Params,
    draws: pd.DataFrame,
    data: Data,
    *,
    backend: str = "serial",
    scheduler: str | Any | None = None,
    chunk_size: int | None = None,
    progress: Callable[[int], None] | None = None,
    paths: bool = False,
) -> pd.DataFrame:
    """Headline metrics for every row of ``draws``, in chunks of ``chunk_size`` rows (default:
    ``default_chunk_size``).

    ``backend="serial"`` evaluates the chunks in this process; ``"dask"`` sends them to a Dask cluster:
    ``scheduler`` is an address (``tcp://host:8786``), a ``distributed.Client``, or None for a local
    cluster with one single-threaded worker per core. The chunks are the same on every backend, so the
    results are identical. ``progress`` is called with the number of rows after each chunk.
    """
    if backend not in BACKENDS:
        raise ParameterError(f"unknown backend '{backend}'; backends: {', '.join(BACKENDS)}")
    if scheduler is not None and backend != "dask":
        raise ParameterError("a scheduler is for the dask backend: pass backend='dask'")
    chunks = _chunks(draws, chunk_size if chunk_size is not None else default_chunk_size(draws))
    if backend == "dask":
        from .cluster import map_chunks

        parts = map_chunks(evaluate_chunk, dict(base), chunks, data, scheduler, progress, paths)
    else:
        parts = []
        for chunk in chunks:
            parts.append(evaluate_chunk(base, chunk, data, paths))
            if progress is not None:
                progress(len(chunk))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=metric_ids(), dtype=float)


@dataclass(frozen=True)
class MonteCarlo:
    scenario: Scenario
    seed: int
    draws: pd.DataFrame  # one row per draw, one column per varied parameter
    outcomes: pd.DataFrame  # one row per draw, one column per headline metric
    summary: (
        pd.DataFrame
    )  # metric, unit, label, scenario_value (the run at the scenario's own values), mean, p5 ... p95, n_failed
    paths: Mapping[str, pd.DataFrame]  # monthly paths (PATHS): one row per draw, one column per month
    path_summary: pd.DataFrame  # path, unit, label, month, mean, p5 ... p95 (for fan charts)


def summarise(outcomes: pd.DataFrame, headline: pd.DataFrame) -> pd.DataFrame:
    info = headline.set_index("metric")
    rows = []
    for metric in outcomes.columns:
        values = outcomes[metric].to_numpy(dtype=float)
        finite = values[np.isfinite(values)]
        pct = np.percentile(finite, PERCENTILES) if len(finite) else [np.nan] * len(PERCENTILES)
        rows.append(
            (
                metric,
                info.loc[metric, "unit"],
                info.loc[metric, "label"],
                float(info.loc[metric, "value"]),
                float(finite.mean()) if len(finite) else np.nan,
                *map(float, pct),
                int(len(values) - len(finite)),
            )
        )
    return pd.DataFrame(
        rows, columns=["metric", "unit", "label", "scenario_value", "mean", *[f"p{p}" for p in PERCENTILES], "n_failed"]
    )


def monte_carlo(
    scenario: Scenario | str,
    n: int = 200,
    seed: int = 1,
    params: Sequence[str] | None = None,
    data: Data | None = None,
    progress: Callable[[int], None] | None = None,
    *,
    backend: str = "serial",
    scheduler: str | Any | None = None,
    chunk_size: int | None = None,
) -> MonteCarlo:
    """Distribution of every headline metric over ``n`` Latin-hypercube draws of the uncertain parameters.

    ``summary`` has the mean and the 5th, 25th, 50th, 75th and 95th percentiles of each metric, and the
    number of draws whose model had no solution (``n_failed``, left out of the statistics). Same seed,
    same draws and same results on either backend (see ``evaluate_draws``).
    """
    sc = load_scenario(scenario)
    data = data if data is not None else load_data()
    draws = draw(sc, n, seed, params)
    outcomes = evaluate_draws(
        sc.params,
        draws,
        data,
        backend=backend,
        scheduler=scheduler,
        chunk_size=chunk_size,
        progress=progress,
        paths=True,
    )
    outcomes, paths = split_paths(outcomes)
    from .engine import run

    headline = run(sc, data).headline
    return MonteCarlo(sc, seed, draws, outcomes, summarise(outcomes, headline), paths, path_summary(paths))


def tornado_tables(
    scenario: Scenario | str,
    metrics: Sequence[str],
    params: Sequence[str] | None = None,
    data: Data | None = None,
    progress: Callable[[int], None] | None = None,
    *,
    backend: str = "serial",
    scheduler: str | Any | None = None,
    chunk_size: int | None = None,
) -> dict[str, pd.DataFrame]:
    """``tornado`` for several metrics from one set of 1 + 2d model runs: {metric: table}."""
    sc = load_scenario(scenario)
    data = data if data is not None else load_data()
    check_metrics(metrics)
    base = sc.params
    specs = uncertain_specs(sc, params)
    names = [s.name for s in specs]
    # row 0: the scenario itself; then each parameter at its low, then at its high
    rows = [{k: base[k] for k in names}]
    for spec in specs:
        for bound in (spec.low, spec.high):
            rows.append({**rows[0], spec.name: bound})
    outcomes = evaluate_draws(
        base,
        pd.DataFrame(rows, columns=names),
        data,
        backend=backend,
        scheduler=scheduler,
        chunk_size=chunk_size,
        progress=progress,
    )
    tables = {}
    for metric in metrics:
        values = outcomes[metric].to_numpy()
        table = pd.DataFrame(
            {
                "parameter": names,
                "label": [s.label for s in specs],
                "unit": [s.unit for s in specs],
                "low": [float(s.low) for s in specs],
                "value": [float(scalar_part(base[s.name])) for s in specs],
                "high": [float(s.high) for s in specs],
                "metric_at_low": values[1::2],
                "metric_at_high": values[2::2],
            }
        )
        table["swing"] = table["metric_at_high"] - table["metric_at_low"]
        table["base"] = values[0]
        tables[metric] = table.reindex(
            table["swing"].abs().sort_values(ascending=False, kind="stable").index
        ).reset_index(drop=True)
    return tables


def tornado(
    scenario: Scenario | str,
    metric: str,
    params: Sequence[str] | None = None,
    data: Data | None = None,
    progress: Callable[[int], None] | None = None,
    *,
    backend: str = "serial",
    scheduler: str | Any | None = None,
    chunk_size: int | None = None,
) -> pd.DataFrame:
    """One-at-a-time swings of ``metric`` as each parameter moves to its low and its high, largest first.

    ``base`` is the metric at the scenario's own values; ``swing`` = metric at the high - metric at the low.
    """
    return tornado_tables(
        scenario, [metric], params, data, progress, backend=backend, scheduler=scheduler, chunk_size=chunk_size
    )[metric]


def sobol_unit_sample(d: int, n: int, seed: int) -> np.ndarray:
    """SALib's Sobol' design (Saltelli's scheme, no second order) on the unit cube: n (d + 2) rows."""
    from SALib.sample import sobol as sobol_sample

    problem = {"num_vars": d, "names": [f"x{j}" for j in range(d)], "bounds": [[0.0, 1.0]] * d}
    return sobol_sample.sample(problem, n, calc_second_order=False, seed=seed)


def sobol_analyze(names: Sequence[str], y: np.ndarray, seed: int) -> pd.DataFrame:
    """First-order and total Sobol' indices with 95% confidence half-widths, one row per parameter."""
    from SALib.analyze import sobol as sobol_analysis

    y = np.asarray(y, dtype=float)
    failed = int((~np.isfinite(y)).sum())
    if failed:
        # SALib would silently return zeros: every run of Saltelli's design is needed.
        raise ParameterError(
            f"{failed} of {len(y)} model runs have no result (a gas LP without a solution); "
            "Sobol' indices need every run: narrow the ranges or vary fewer parameters"
        )
    problem = {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}
    si = sobol_analysis.analyze(problem, y, calc_second_order=False, conf_level=0.95, seed=seed)
    return pd.DataFrame(
        {"parameter": list(names), "S1": si["S1"], "S1_conf": si["S1_conf"], "ST": si["ST"], "ST_conf": si["ST_conf"]}
    )


def check_sobol_n(n: int) -> None:
    if n < 2 or n & (n - 1):
        raise ParameterError(f"n must be a power of 2 for Sobol' sequences, got {n}")


def sobol(
    scenario: Scenario | str,
    metrics: Sequence[str],
    n: int = 64,
    seed: int = 1,
    params: Sequence[str] | None = None,
    data: Data | None = None,
    progress: Callable[[int], None] | None = None,
    *,
    backend: str = "serial",
    scheduler: str | Any | None = None,
    chunk_size: int | None = None,
) -> pd.DataFrame:
    """Sobol' indices of ``metrics`` over the uncertain parameters: n (d + 2) model runs (n a power of 2)."""
    check_sobol_n(n)
    sc = load_scenario(scenario)
    data = data if data is not None else load_data()
    check_metrics(metrics)
    specs = uncertain_specs(sc, params)
    u = sobol_unit_sample(len(specs), n, seed)
    base = sc.params
    draws = pd.DataFrame({s.name: ppf(s, scalar_part(base[s.name]), u[:, j]) for j, s in enumerate(specs)})
    outcomes = evaluate_draws(
        base, draws, data, backend=backend, scheduler=scheduler, chunk_size=chunk_size, progress=progress
    )
    tables = []
    for metric in metrics:
        table = sobol_analyze([s.name for s in specs], outcomes[metric].to_numpy(dtype=float), seed)
        table.insert(0, "metric", metric)
        tables.append(table)
    return pd.concat(tables, ignore_index=True)
