"""The gas solver's speed-ups change the time taken, not the results (econ/gas/solve.py, econ/gas/module.py).

Each shortcut is checked against the slower route it replaces: the second-stage LP made from the first against
``build_lp`` (bit for bit); HiGHS without its own cost perturbation against HiGHS with it; a Monte Carlo batch
(one HiGHS model for both roles, first stages started from an anchor basis) against cold single runs and against
the same draws in another order (to the solver's tolerance, 1e-9); the accounts' memo (accounts.Memo) against none (bit for
bit); a batch set's solve without the first solve's column values against the full one. On the wider network, the
one the speed-ups were made for (issue 15, item 9).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import econ
from econ import gas
from econ.metrics import METRICS
from econ.uncertainty import draw, evaluate_draws

GAS_METRICS = [m.id for m in METRICS if m.module == "gas"]
TOL = 1e-9  # the solver's feasibility tolerances (econ/gas/solve.py _OPTIONS): a result within them is the same


@pytest.fixture(scope="module")
def data():
    return econ.load_data()


@pytest.fixture(scope="module")
def wider():
    return econ.load_scenario("russia_gas_cutoff").with_overrides({"gas.market.wider_europe": True})


def _inputs(params, data):
    system = gas.system_for(params, data)
    return system, gas.build_inputs(params, system)


def test_second_stage_lp_is_the_first_with_the_carry_costs_changed_bit_for_bit(data, wider):
    # solve.with_terminal_value against build_lp of the inputs with the terminal values: every array identical
    system, inputs = _inputs(wider.params, data)
    first = gas.build_lp(inputs, system)
    value = np.linspace(10.0, 300.0, len(system.countries))  # any V_n; the solver's are averages of duals
    made = gas.solve.with_terminal_value(first, value)
    built = gas.build_lp(dataclasses.replace(inputs, end_value=value), system)
    for name in ("cost", "col_upper", "indptr", "indices", "data", "row_lower", "row_upper"):
        np.testing.assert_array_equal(getattr(made, name), getattr(built, name), err_msg=name)
    assert made.n_eq == built.n_eq
    carry = first.blocks["carry"]
    assert (made.cost[carry] < first.cost[carry]).all()  # the value lowers the carried volume's cost ...
    rest = np.setdiff1d(np.arange(len(first.cost)), carry)
    np.testing.assert_array_equal(made.cost[rest], first.cost[rest])  # ... and nothing else
    assert first.cost[carry].max() < gas.lp.TIE_BREAK  # the first LP is left as it was (no value: the tie-break)


def test_without_highs_cost_perturbation_the_optimum_is_the_same(data, wider, monkeypatch):
    # The LP carries its own cost perturbation (lp.TIE_BREAK), so HiGHS's is not needed: a cold solve with it
    # (multiplier 1, HiGHS's default) and without (0, econ's option) reach the same optimum and prices.
    system, inputs = _inputs(wider.params, data)
    options = {k: v for k, v in gas.solve._OPTIONS}
    assert options["dual_simplex_cost_perturbation_multiplier"] == 0.0
    without = gas.solve_lp(inputs, system, gas.HighsSession(warm=False))
    monkeypatch.setattr(
        gas.solve, "_OPTIONS", tuple({**options, "dual_simplex_cost_perturbation_multiplier": 1.0}.items())
    )
    with_ = gas.solve_lp(inputs, system, gas.HighsSession(warm=False))
    assert without.status == with_.status == "ok"
    np.testing.assert_allclose(without.price, with_.price, rtol=0, atol=TOL)
    np.testing.assert_allclose(without.unserved, with_.unserved, rtol=0, atol=1e-6)
    np.testing.assert_allclose(without.level, with_.level, rtol=0, atol=1e-6)
    np.testing.assert_allclose(without.lng_by_origin, with_.lng_by_origin, rtol=0, atol=1e-6)
    assert without.objective == pytest.approx(with_.objective, rel=1e-12)


def test_a_warm_session_keeps_its_first_first_stage_basis_a_cold_one_its_last(data, wider):
    # The anchor (HighsSession.keep_first_basis): a warm session starts every first stage from the first one's
    # optimal basis; a cold session keeps the last (a scenario starts from its own reference's).
    system = gas.system_for(wider.params, data)
    ref = gas.build_inputs(gas.module.reference_params(wider.params, data), system)
    cut = gas.build_inputs(wider.params, system)
    lp_ref = gas.build_lp(ref, system)
    for warm in (True, False):
        session = gas.HighsSession(warm=warm)
        gas.solve_lp(ref, system, session)
        after_ref = list(session.first_basis(lp_ref).col_status)
        gas.solve_lp(cut, system, session)
        after_cut = list(session.first_basis(lp_ref).col_status)
        assert (after_cut == after_ref) is warm


def test_sessions_sharing_a_model_keep_their_own_anchor_and_counters(data, wider):
    system = gas.system_for(wider.params, data)
    ref = gas.build_inputs(gas.module.reference_params(wider.params, data), system)
    cut = gas.build_inputs(wider.params, system)
    one = gas.HighsSession(warm=True)
    two = gas.HighsSession(warm=True, share=one)
    a = gas.solve_lp(ref, system, one)
    b = gas.solve_lp(cut, system, two)
    assert one._highs is two._highs  # one HiGHS model
    assert one.iterations > 0 and two.iterations > 0
    lp = gas.build_lp(ref, system)
    assert list(one.first_basis(lp).col_status) != list(two.first_basis(lp).col_status)
    alone = gas.solve_lp(cut, system, gas.HighsSession(warm=False))
    np.testing.assert_allclose(b.price, alone.price, rtol=0, atol=TOL)
    assert a.status == "ok"


@pytest.mark.parametrize(
    "anchor_min_sets",
    [
        pytest.param(1, id="central-anchor"),
        # the same with the first set's basis as anchor (a batch under ANCHOR_MIN_SETS): in the whole suite (CI)
        pytest.param(100, id="first-set-anchor", marks=pytest.mark.slow),
    ],
)
def test_a_batch_on_the_wider_network_equals_cold_single_runs_in_any_order(data, wider, monkeypatch, anchor_min_sets):
    # The Monte Carlo path (one warm HiGHS model, first stages from the anchor: the central set's basis, or the
    # first set's in a small batch) against one cold run per draw, and against the same draws reversed (another
    # first set, another anchor): every gas headline the same to the solver's tolerance.
    monkeypatch.setattr(gas.module, "ANCHOR_MIN_SETS", anchor_min_sets)
    draws = draw(wider, 3, seed=7)
    batched = evaluate_draws(wider.params, draws, data)
    reversed_ = evaluate_draws(wider.params, draws.iloc[::-1].reset_index(drop=True), data).iloc[::-1]
    for i in range(len(draws)):
        single = gas.run(wider.params.with_values(draws.iloc[i].to_dict()), data)  # cold, as econ.run's
        for metric in single.metrics:
            assert batched.loc[i, metric.id] == pytest.approx(metric.value, rel=TOL, abs=TOL), (i, metric.id)
            assert reversed_.iloc[i][metric.id] == pytest.approx(metric.value, rel=TOL, abs=TOL), (i, metric.id)
    assert set(GAS_METRICS) <= set(batched.columns)


def test_the_accounts_memo_changes_no_number(data, wider):
    # headline_values and month_outputs of one set share a memo (accounts.Memo: each solution's flow tracing and
    # LNG split computed once); with it and without it every value is the same, bit for bit
    ref, inputs, sol = gas.module._reference_and_scenario(wider.params, data, gas.module._cached(data))
    system = gas.system_for(wider.params, data)
    memo: dict = {}
    with_memo = gas.accounts.headline_values(inputs, sol, ref, system, memo)
    months_memo = gas.accounts.month_outputs(inputs, sol, ref, system, memo)
    assert {name for name, _ in memo} == {"traced", "lng_split", "routes"}  # the memo was used ...
    assert len(memo) == 6  # ... once per solution (scenario and reference) and piece
    assert with_memo == gas.accounts.headline_values(inputs, sol, ref, system)
    for key, value in gas.accounts.month_outputs(inputs, sol, ref, system).items():
        np.testing.assert_array_equal(months_memo[key], value, err_msg=key)
    assert with_memo["russian_gas_lost_bcm"] > 50  # the cut-off loses Russian gas: the tracing has something to do


def test_a_batch_set_skips_only_the_first_solve_flows(data, wider):
    # solve_lp(first_flows=False), the Monte Carlo's sets: the first solve's column values are not read, so the
    # solution's first_flow is empty, and every other array is that of the default (first_flows=True)
    system, inputs = _inputs(wider.params, data)
    full = gas.solve_lp(inputs, system, gas.HighsSession(warm=False))
    lean = gas.solve_lp(inputs, system, gas.HighsSession(warm=False), first_flows=False)
    assert full.first_flow.shape == full.flow.shape and lean.first_flow.size == 0
    for field in dataclasses.fields(full):
        if field.name not in ("first_flow", "status", "message", "objective"):
            np.testing.assert_array_equal(getattr(lean, field.name), getattr(full, field.name), err_msg=field.name)
    assert lean.objective == full.objective
    # an LP solved once (its end value given) still reports its flows as the first solve's
    once = dataclasses.replace(inputs, end_value=np.zeros(len(system.countries)))
    single = gas.solve_lp(once, system, gas.HighsSession(warm=False), first_flows=False)
    np.testing.assert_array_equal(single.first_flow, single.flow)
