"""A gas run's result depends on its parameters only, not on what the process solved before (issue 15, item 9).

The scenario LP is warm-started from the reference's basis and the HiGHS models persist between runs; the LP has
a unique optimum (cost and right-hand-side tie-breaks, econ/gas/lp.py) and a solve that does not reach it from a
warm start is repeated from scratch (econ/gas/solve.py), so the history changes the time taken, not the result.
"""

from __future__ import annotations

import numpy as np
import pytest

import econ
from econ import gas
from econ.params import Params

DEFAULTS = econ.load_registry().defaults()

# A hard corner of the registry's plausible ranges (no Russian gas, storage a quarter full, a target of half, no
# end floor, the most elastic demand): its second solve, warm-started from its first, once ended with a dual
# infeasibility HiGHS could not clean up (model status Unknown).
CORNER = {
    **{
        f"gas.russia.{r}.utilisation": 0.0
        for r in ("nord_stream_1", "yamal", "ukraine", "turkstream", "baltic_finland")
    },
    "gas.lng.qatar.divertible_share": 0.125,
    "gas.lng.us.divertible_share": 0.5,
    "gas.lng.other.extra_share": 0.25,
    "gas.lng.regas_max_utilisation": 0.81,
    "gas.pipeline.norway.extra_share": 0.0,
    "gas.pipeline.other.extra_share": 0.0,
    "gas.production.change_share": 0.0,
    "gas.storage.initial_fill": 0.25,
    "gas.storage.target_fill": 0.5,
    "gas.storage.end_fill": 0.0,
    "gas.price.reference_eur_mwh": 35.0,
    "gas.price.cap_eur_mwh": 250.0,
    "gas.demand.elasticity.households": -0.25,
    "gas.demand.elasticity.services": -0.25,
    "gas.demand.elasticity.industry": -0.5,
    "gas.demand.elasticity.power": -1.0,
    "gas.lng.asia.elasticity": -0.75,
    "gas.lng.asia_spread_eur_mwh": 0.0,
    "gas.cost.production_eur_mwh": 5.0,
    "gas.cost.pipeline_eur_mwh": 12.0,
    "gas.cost.lng_eur_mwh": 8.0,
}


def _corner() -> Params:
    return Params({**DEFAULTS, **{k: v for k, v in CORNER.items() if k in DEFAULTS}})


def _run(params: Params, data) -> tuple[dict[str, float], np.ndarray]:
    res = gas.run(params, data)
    assert res.status == "ok", res.message
    return {m.id: m.value for m in res.metrics}, res.tables["gas_prices"]["price_eur_mwh"].to_numpy()


def _histories(data):
    """Three histories before the run: none (every cache and HiGHS model cleared), two other presets, and the
    registry's hard corner (a very different basis left in both sessions)."""
    yield "cold", lambda: None
    yield "presets", lambda: [_run(econ.load_scenario(p).params, data) for p in ("baseline", "russia_partial_cut")]
    yield "corner", lambda: _run(_corner(), data)


@pytest.mark.parametrize("scenario", ["russia_gas_cutoff", "corner"])
def test_same_scenario_after_different_histories_gives_identical_results(scenario, data):
    # Tolerance 1e-9 (relative for headlines, EUR/MWh for prices): the same optimal basis, factorised after a
    # different sequence of updates, can differ in the last bits; a different vertex would differ by at least
    # the tie-break (1e-4 EUR/MWh) and a different dual by a demand step (several EUR/MWh).
    params = _corner() if scenario == "corner" else econ.load_scenario(scenario).params
    results = {}
    for name, history in _histories(data):
        gas.clear_caches()
        history()
        gas.module._scenario_cached.cache_clear()  # the scenario itself is solved again after the history
        gas.module._solve_cached.cache_clear()
        results[name] = _run(params, data)
    first, first_prices = results["cold"]
    for name, (values, prices) in results.items():
        for k, v in first.items():
            assert values[k] == pytest.approx(v, rel=1e-9, abs=1e-9), (name, k)
        np.testing.assert_allclose(prices, first_prices, rtol=0, atol=1e-9, err_msg=name)


def test_a_warm_solve_that_fails_is_repeated_from_scratch(data):
    # The corner's LP solved on a session that last solved a very different LP (the full cut-off) reaches the
    # optimum a fresh session reaches.
    system = gas.gas_system(data)
    corner = gas.build_inputs(_corner(), system)
    fresh = gas.solve_lp(corner, system, gas.HighsSession(warm=False))
    session = gas.HighsSession(warm=True)
    gas.solve_lp(gas.build_inputs(econ.load_scenario("russia_gas_cutoff").params, system), system, session)
    warm = gas.solve_lp(corner, system, session)
    assert fresh.status == warm.status == "ok", (fresh.message, warm.message)
    np.testing.assert_allclose(warm.price, fresh.price, rtol=0, atol=1e-9)
    assert warm.objective == pytest.approx(fresh.objective, rel=1e-12)
