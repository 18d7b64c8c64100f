"""Uncertainty: Monte Carlo over the registry's distributions and one-at-a-time (tornado) swings.

Every non-fixed numeric parameter has a range [low, high] and a distribution in
the registry: ``uniform``, ``triang`` or ``pert`` (beta-PERT), whose mode is the
scenario's value of the parameter. Draws are a Latin hypercube
(``scipy.stats.qmc.LatinHypercube``) mapped through each distribution's inverse
CDF, so the same seed gives the same draws.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

import numpy as np
import pandas as pd
from scipy import stats
from scipy.stats import qmc

from .data import Data, load_data
from .errors import ParameterError
from .params import ParameterSpec, Params, Scenario, load_scenario
from .scenario import run_params

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
            raise ParameterError(f"parameter '{name}' cannot be varied: it is a {spec.type} with range {spec.range_text}")
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


def draw(scenario: Scenario, n: int, seed: int, params: Iterable[str] | None = None) -> pd.DataFrame:
    """``n`` Latin-hypercube draws of the uncertain parameters (one column each)."""
    if n < 1:
        raise ParameterError(f"n must be at least 1, got {n}")
    specs = uncertain_specs(scenario, params)
    if not specs:
        raise ParameterError("no parameter to vary: every numeric parameter is fixed")
    u = qmc.LatinHypercube(d=len(specs), seed=np.random.default_rng(seed)).random(n)
    base = scenario.params
    return pd.DataFrame({s.name: ppf(s, base[s.name], u[:, j]) for j, s in enumerate(specs)})


def _tick(progress: Callable[[int], None] | None, value):
    if progress is not None:
        progress(1)
    return value


def _metrics(params: Params, data: Data) -> dict[str, float]:
    return {m.id: m.value for mod in run_params(params, data).values() for m in mod.metrics}


@dataclass(frozen=True)
class MonteCarlo:
    scenario: Scenario
    seed: int
    draws: pd.DataFrame  # one row per draw, one column per varied parameter
    outcomes: pd.DataFrame  # one row per draw, one column per headline metric
    summary: pd.DataFrame  # metric, unit, label, mean, p5 ... p95


def summarise(outcomes: pd.DataFrame, headline: pd.DataFrame) -> pd.DataFrame:
    info = headline.set_index("metric")
    rows = []
    for metric in outcomes.columns:
        values = outcomes[metric].to_numpy(dtype=float)
        finite = values[np.isfinite(values)]
        pct = np.percentile(finite, PERCENTILES) if len(finite) else [np.nan] * len(PERCENTILES)
        rows.append((metric, info.loc[metric, "unit"], info.loc[metric, "label"], float(finite.mean()) if len(finite) else np.nan,
                     *map(float, pct), int(len(values) - len(finite))))
    return pd.DataFrame(rows, columns=["metric", "unit", "label", "mean", *[f"p{p}" for p in PERCENTILES], "n_failed"])


def monte_carlo(scenario: "Scenario | str", n: int = 200, seed: int = 1, params: Sequence[str] | None = None,
                data: Data | None = None, progress: Callable[[int], None] | None = None) -> MonteCarlo:
    """Distribution of every headline metric over ``n`` draws of the uncertain parameters (serial).

    ``progress`` is called with 1 after each model run (for a progress bar).
    """
    sc = load_scenario(scenario)
    data = data if data is not None else load_data()
    draws = draw(sc, n, seed, params)
    base = sc.params
    outcomes = pd.DataFrame([_tick(progress, _metrics(base.with_values(row), data))
                             for row in draws.to_dict("records")])
    from .scenario import run

    headline = run(sc, data).headline
    return MonteCarlo(sc, seed, draws, outcomes, summarise(outcomes, headline))


def tornado(scenario: "Scenario | str", metric: str, params: Sequence[str] | None = None,
            data: Data | None = None, progress: Callable[[int], None] | None = None) -> pd.DataFrame:
    """One-at-a-time swings of ``metric`` as each parameter moves to its low and its high, largest first."""
    sc = load_scenario(scenario)
    data = data if data is not None else load_data()
    base = sc.params
    base_value = _metrics(base, data)
    if metric not in base_value:
        raise ParameterError(f"unknown metric '{metric}'; metrics: {', '.join(sorted(base_value))}")
    rows = []
    for spec in uncertain_specs(sc, params):
        at_low = _tick(progress, _metrics(base.with_values({spec.name: spec.low}), data))[metric]
        at_high = _tick(progress, _metrics(base.with_values({spec.name: spec.high}), data))[metric]
        rows.append((spec.name, spec.label, spec.unit, float(spec.low), float(base[spec.name]), float(spec.high),
                     at_low, at_high, at_high - at_low))
    table = pd.DataFrame(rows, columns=["parameter", "label", "unit", "low", "value", "high", "metric_at_low",
                                        "metric_at_high", "swing"])
    table["base"] = base_value[metric]
    return table.reindex(table["swing"].abs().sort_values(ascending=False).index).reset_index(drop=True)


def sobol_unit_sample(d: int, n: int, seed: int) -> np.ndarray:
    """SALib's Sobol' design (Saltelli's scheme, no second order) on the unit cube: n (d + 2) rows."""
    from SALib.sample import sobol as sobol_sample

    problem = {"num_vars": d, "names": [f"x{j}" for j in range(d)], "bounds": [[0.0, 1.0]] * d}
    return sobol_sample.sample(problem, n, calc_second_order=False, seed=seed)


def sobol_analyze(names: Sequence[str], y: np.ndarray, seed: int) -> pd.DataFrame:
    """First-order and total Sobol' indices with 95% confidence half-widths, one row per parameter."""
    from SALib.analyze import sobol as sobol_analysis

    problem = {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}
    si = sobol_analysis.analyze(problem, np.asarray(y, dtype=float), calc_second_order=False, conf_level=0.95,
                                seed=seed)
    return pd.DataFrame({"parameter": list(names), "S1": si["S1"], "S1_conf": si["S1_conf"], "ST": si["ST"],
                         "ST_conf": si["ST_conf"]})


def check_sobol_n(n: int) -> None:
    if n < 2 or n & (n - 1):
        raise ParameterError(f"n must be a power of 2 for Sobol' sequences, got {n}")


def sobol(scenario: "Scenario | str", metrics: Sequence[str], n: int = 64, seed: int = 1,
          params: Sequence[str] | None = None, data: Data | None = None,
          progress: Callable[[int], None] | None = None) -> pd.DataFrame:
    """Sobol' indices of ``metrics`` over the uncertain parameters: n (d + 2) model runs (n a power of 2)."""
    check_sobol_n(n)
    sc = load_scenario(scenario)
    data = data if data is not None else load_data()
    specs = uncertain_specs(sc, params)
    u = sobol_unit_sample(len(specs), n, seed)
    base = sc.params
    x = {s.name: ppf(s, base[s.name], u[:, j]) for j, s in enumerate(specs)}
    rows = [_tick(progress, _metrics(base.with_values({k: v[i] for k, v in x.items()}), data)) for i in range(len(u))]
    missing = [m for m in metrics if m not in rows[0]]
    if missing:
        raise ParameterError(f"unknown metric '{missing[0]}'; metrics: {', '.join(sorted(rows[0]))}")
    tables = []
    for metric in metrics:
        y = np.array([r[metric] for r in rows])
        table = sobol_analyze([s.name for s in specs], y, seed)
        table.insert(0, "metric", metric)
        tables.append(table)
    return pd.concat(tables, ignore_index=True)
