"""The gas module's entry points (``run``, ``evaluate``), its reference and baseline runs, and its caches.

The Russian volume lost, and how it was covered, is measured against a reference run of the same model in
which every Russian route runs at least at its reference level: its run-rate of 1 January to 23 February 2022
(``gas.reference.run_rate`` true, the default) or its 2021 average (false); see ``system.reference_values``. The national
allocation rule caps interconnector flows at the baseline's (every gas parameter at its registry default,
integrated market). Both read the defaults from ``params.defaults``: the model never reads the registry.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

import numpy as np

from ..data import Data, gas_nodes, load_data
from ..model import BatchResult, Metric, ModuleResult
from ..params import ParamBatch, Params
from . import lp
from .accounts import METRICS, Memo, batch_result, failed_result, headline_values, month_outputs, node_outputs, tables
from .peak import peak_day
from .solve import GasSolution, HighsSession, solve_lp
from .system import GasInputs, build_inputs, gas_system, reference_values, system_for

Solved = tuple[GasInputs, GasSolution]


def reference_params(params: Params, data: Data | None = None) -> Params:
    """The same assumptions, allocation rule included, with every Russian route (and Russian LNG) raised to at
    least its reference level: the run-rate of January to 23 February 2022 or the 2021 average, as
    ``gas.reference.run_rate`` selects (``system.reference_values``; data: the project's data by default).

    The levels are read on the EU-only system on either network, on purpose: a route's utilisation caps its EU27
    entries and its non-EU entries side by side (``lp.entry_group_caps``), and its reference level is the EU27
    entries' run-rate over their capacity, so the reference delivers the EU27 the same Russian pipeline gas on both
    networks (docs/methodology.md, gas, section 5; tests/test_gas_coverage_tracing.py). On the wider system the
    Ukraine route's run-rate would count Moldova's side too (0.126 of the capacity against the EU27 entries' 0.116)."""
    return params.with_values(reference_values(params, gas_system(data if data is not None else load_data())))


def baseline_params(params: Params, data: Data | None = None) -> Params:
    """The run whose interconnector flows cap the national allocation rule: every gas parameter at its registry
    default, integrated market, over the scenario's months and on the scenario's network
    (``gas.market.wider_europe``, and its transport tariffs, ``gas.network.tariff_scale``), with the Russian routes of the scenario's own reference run (each at least
    its reference level, ``reference_values``).

    So the rule means "no cross-border help beyond the flows of the no-cut world the scenario is measured
    against": under the run-rate reference a cut-off's caps are the run-rate world's flows, and its reference
    run under the national rule reproduces the integrated reference (with the 2021 flows' caps, the run-rate
    reference itself left Hungary at the price cap, and Europe's cost then read a shortage as its no-cut
    state). A scenario that cuts nothing keeps the baseline's own flows as caps."""
    base: dict[str, Any] = {k: v for k, v in params.defaults.items() if k.startswith("gas.")}
    for name in ("gas.start_month", "gas.horizon_months", "gas.market.wider_europe", "gas.network.tariff_scale"):
        base[name] = params[name]
    base["gas.market.integrated"] = True
    base.update(reference_values(params, gas_system(data if data is not None else load_data())))  # as reference_params
    return Params(base, params.defaults)


PEAK_PREFIX = "gas.peak."  # read by the peak-day table only (econ/gas/peak.py), never by the LP


def _enters_lp(name: str) -> bool:
    return name.startswith("gas.") and not name.startswith(PEAK_PREFIX)


def _key(params: Params) -> tuple:
    """Cache key: the gas parameters (scalars or dated paths, both hashable) and the gas defaults, which the
    national rule's baseline reads; nothing else enters the LP."""
    values = tuple(sorted((k, v) for k, v in params.items() if _enters_lp(k)))
    defaults = tuple(sorted((k, v) for k, v in params.defaults.items() if _enters_lp(k)))
    return values, defaults


def _params_of(key: tuple) -> Params:
    values, defaults = key
    return Params(dict(values), dict(defaults))


# One persistent HiGHS model per thread (a model is not safe to share between threads), shared by the two roles'
# sessions (each keeps its own first-stage basis), cold: a single run's result depends on its parameters only, not
# on what the process solved before.
_LOCAL = threading.local()


def _session(role: str) -> HighsSession:
    sessions = getattr(_LOCAL, "sessions", None)
    if sessions is None:
        reference = HighsSession(warm=False)
        sessions = _LOCAL.sessions = {"reference": reference, "scenario": HighsSession(warm=False, share=reference)}
    return sessions[role]


def _solve(
    params: Params, data: Data, session: HighsSession, start: HighsSession | None = None, first_flows: bool = True
) -> Solved:
    """Solve the LP for a parameter set under its allocation rule (``first_flows``: ``solve_lp``'s)."""
    system = system_for(params, data)
    inputs = build_inputs(params, system)
    arc_limit = None
    if not bool(params["gas.market.integrated"]):
        baseline = _baseline_flows(params, data)
        if baseline.status != "ok":
            return inputs, GasSolution(
                baseline.status, f"baseline run for the national rule: {baseline.message}", float("nan")
            )
        arc_limit = _national_caps(baseline)
    return inputs, solve_lp(inputs, system, session, arc_ub=arc_limit, start=start, first_flows=first_flows)


def _national_caps(baseline: GasSolution) -> tuple[np.ndarray, np.ndarray]:
    """The national rule's link caps (A, T) mcm for each of the LP's two solves (solve.solve_lp): the baseline's
    flows of the same solve, the first solve's (no terminal value) and the second's (terminal values read from the
    first solve's prices), each raised by the tie-break (lp.arc_caps_from_flows; docs/methodology.md, gas, 4).

    Capping both solves with the second solve's flows (the rule before 1 Dec 2026) let those flows bind in the
    first solve, whose prices set the terminal values: with tariffs a binding link separates node prices, so the
    national rule at the baseline read other terminal values than the integrated baseline (one node's 42.71 ->
    20.14 EUR/MWh) and ended 0.03-0.29 EUR/MWh below its prices. With each solve capped by its own flows, each
    capped LP has the baseline's solve as its optimum with no cap binding, so the national rule at the baseline
    *is* the integrated baseline, at any tariff scale (tests/test_gas_national_caps.py)."""
    return lp.arc_caps_from_flows(baseline.first_flow), lp.arc_caps_from_flows(baseline.flow)


@lru_cache(maxsize=64)
def _solve_cached(key: tuple, data: Data) -> Solved:
    """``_solve`` for the reference and baseline runs, which many scenarios share."""
    return _solve(_params_of(key), data, _session("reference"))


@lru_cache(maxsize=256)
def _scenario_cached(key: tuple, data: Data) -> Solved:
    """The scenario's own solve, cached apart from the reference runs (benchmarks clear it alone)."""
    # started from the reference's basis (same structure, nearby optimum): faster, and the same optimum
    return _solve(_params_of(key), data, _session("scenario"), start=_session("reference"))


def _baseline_flows(params: Params, data: Data) -> GasSolution:
    """The interconnector flows of the baseline (:func:`baseline_params`): the caps of the national rule, the
    same whatever else (beyond its Russian reference) the scenario assumes."""
    return _solve_cached(_key(baseline_params(params, data)), data)[1]


def clear_caches() -> None:
    """Empty the gas package's caches: the solved LPs (references and scenarios), this thread's HiGHS models and
    the LP structures. The GasSystem of a data set (derived from the data alone) is kept."""
    _solve_cached.cache_clear()
    _scenario_cached.cache_clear()
    _one_set_cached.cache_clear()
    lp.clear_patterns()
    if hasattr(_LOCAL, "sessions"):
        del _LOCAL.sessions


SolveFn = Callable[[Params, tuple, str], Solved]


def _reference_and_scenario(params: Params, data: Data, solve: SolveFn) -> tuple[GasSolution, GasInputs, GasSolution]:
    """(reference solution, scenario inputs, scenario solution); ``solve(params, key, role)`` solves or recalls
    one LP, role "reference" or "scenario". With every Russian route at its default the scenario is its own
    reference: one LP, not two. A failed reference is returned as the scenario too."""
    ref_params = reference_params(params, data)
    ref_key, key = _key(ref_params), _key(params)
    ref_inputs, ref = solve(ref_params, ref_key, "reference")
    if ref.status != "ok" or key == ref_key:
        return ref, ref_inputs, ref
    inputs, sol = solve(params, key, "scenario")
    return ref, inputs, sol


def _cached(data: Data) -> SolveFn:
    """Solves through the process-wide caches: references apart from scenarios (benchmarks clear one alone)."""
    return lambda params, key, role: (_solve_cached if role == "reference" else _scenario_cached)(key, data)


def run(params: Params, data: Data, upstream: Mapping[str, ModuleResult] | None = None) -> ModuleResult:
    """The gas module: solve the reference and the scenario, report the balance and how the gap was covered."""
    del upstream
    system = system_for(params, data)
    n_months = int(params.float("gas.horizon_months"))
    ref, inputs, sol = _reference_and_scenario(params, data, _cached(data))
    if ref.status != "ok":
        return failed_result(
            ref.status, f"reference run (Russian routes at their reference levels): {ref.message}", n_months
        )
    if sol.status != "ok":
        return failed_result(sol.status, f"scenario run: {sol.message}", n_months)
    values = headline_values(inputs, sol, ref, system)
    metrics = tuple(Metric(m.id, float(values[m.id]), m.unit, m.label, m.geography) for m in METRICS)
    by_month = {**month_outputs(inputs, sol, ref, system), **node_outputs(inputs, sol, ref, system, gas_nodes(data))}
    outputs = {"months": inputs.months, **by_month, "russian_gas_lost_bcm": values["russian_gas_lost_bcm"]}
    return ModuleResult(
        "gas",
        metrics,
        {**tables(inputs, sol, ref, system), "gas_peak_day": _peak_table(params, data, inputs, sol)},
        outputs,
        batch=batch_result([values], [by_month], n_months),
    )


def _peak_table(params: Params, data: Data, inputs: GasInputs, sol: GasSolution) -> Any:
    """Table ``gas_peak_day`` (econ/gas/peak.py): computed here, in ``run`` only, never in the batch path."""
    return peak_day(
        inputs,
        sol,
        system_for(params, data),
        data["gas_peak_demand"],
        params.float("gas.peak.deliverability_threshold_fill"),
        params.float("gas.peak.demand_scale"),
    )


# A batch of at least this many sets first solves its central set (``ParamBatch.base``, the scenario's own values)
# for the anchors: about 30 ms more a batch, 4 ms less a set (1,000 wider cut-off draws, benchmarks/RESULTS.md)
ANCHOR_MIN_SETS = 20


def evaluate(p: ParamBatch, data: Data, upstream: Mapping[str, BatchResult] | None = None) -> BatchResult:
    """The gas module for a batch of parameter sets.

    When no gas parameter varies across the batch, the one (cached) run serves every set. Otherwise each
    set's reference and scenario LPs are solved in turn on one warm-started HiGHS model, each first stage from
    the anchor of its role: the optimal first-stage basis of the batch's central set (its base values, solved
    first when the batch has ANCHOR_MIN_SETS sets or more) or else of its first set (econ/gas/solve.py,
    ``HighsSession.keep_first_basis``); sets with the same gas parameters share a solve.
    """
    del upstream
    n_months = int(p.float("gas.horizon_months")[0])
    if any(_enters_lp(k) for k in p.columns):
        reference = HighsSession(warm=True)
        sessions = {"reference": reference, "scenario": HighsSession(warm=True, share=reference)}
        solved: dict[tuple, Solved] = {}

        def solve(params: Params, key: tuple, role: str) -> Solved:
            if key not in solved:
                # a set's solutions serve its accounts only, which never read the first solve's flows
                solved[key] = _solve(params, data, sessions[role], first_flows=False)
            return solved[key]

        if p.n >= ANCHOR_MIN_SETS:
            # the batch's central parameter set first: its first-stage bases become each role's anchor, the start
            # of every set's first stage (HighsSession.keep_first_basis), nearer a set on average than any one set
            _reference_and_scenario(p.base, data, solve)
        return _sets_result(p, data, solve, range(p.n), n_months)
    # one (cached) solve serves every set: its accounts are cached too, and every set reads them through a
    # read-only broadcast view (no copy per draw; a reader that wrote into it would fail loudly)
    one = _one_set_cached(_key(p.params(0)), data, n_months)
    return BatchResult(
        {k: np.broadcast_to(v, (p.n, *v.shape[1:])) for k, v in one.metrics.items()},
        {k: np.broadcast_to(v, (p.n, *v.shape[1:])) for k, v in one.outputs.items()},
    )


def _sets_result(p: ParamBatch, data: Data, solve: SolveFn, sets: range, n_months: int) -> BatchResult:
    values, by_month = [], []
    for i in sets:
        ref, inputs, sol = _reference_and_scenario(p.params(i), data, solve)
        system = system_for(p.params(i), data)
        ok = ref.status == "ok" and sol.status == "ok"
        memo: Memo = {}  # this set's flow tracings and LNG splits, computed once for both (accounts.Memo)
        values.append(headline_values(inputs, sol, ref, system, memo) if ok else None)
        by_month.append(
            {**month_outputs(inputs, sol, ref, system, memo), **node_outputs(inputs, sol, ref, system, gas_nodes(data))}
            if ok
            else None
        )
    return batch_result(values, by_month, n_months)


@lru_cache(maxsize=64)
def _one_set_cached(key: tuple, data: Data, n_months: int) -> BatchResult:
    """The accounts of one parameter set's (cached) solves, as a batch of one: what a batch in which no gas
    parameter varies shares. The key holds every parameter that enters the LP (``_key``)."""
    params = _params_of(key)
    return _sets_result(ParamBatch.single(params), data, _cached(data), range(1), n_months)
