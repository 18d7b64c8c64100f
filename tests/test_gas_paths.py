"""Dated paths in the gas model, its caches and its solver path (Foundation v2).

The Russian route utilisations, Russian LNG and the demand-reduction cap may be dated step paths; the model
reads them month by month, so the monthly caps follow the path. The 2021 reference for "Russian gas lost"
keeps every Russian route at its registry default (tests/test_gas_reference.py: the run-rate reference).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import econ
import econ.params
from econ import gas
from econ.params import ParamBatch
from econ.time import DatedPath, horizon

NS1 = "gas.russia.nord_stream_1.utilisation"
NS1_PATH = {"2022-06": 0.4, "2022-09": 0.0}


@pytest.fixture(scope="module")
def ns1_cut():
    """Nord Stream 1 only: at its default until May, 40% from June, nothing from September."""
    sc = econ.load_scenario("baseline").with_overrides({NS1: NS1_PATH})
    return sc, econ.run(sc)


def _route_flows(res, route):
    t = res.tables["gas_russian_routes"]
    return t[t.route == route].set_index("month")["flow_bcm"]


def test_nord_stream_1_follows_its_dated_path(ns1_cut, data):
    sc, res = ns1_cut
    assert res.status["gas"][0] == "ok"
    months, days, _ = horizon(str(sc.params["gas.start_month"]), int(sc.params["gas.horizon_months"]))
    default = float(sc.params.defaults[NS1])
    u = np.array(DatedPath(default, tuple(NS1_PATH.items())).values_at(months), dtype=float)
    assert u[:3].tolist() == [default] * 3 and u[3:6].tolist() == [0.4] * 3 and (u[6:] == 0).all()
    system = gas.gas_system(data)
    capacity = system.route_capacity["nord_stream_1"]  # mcm/d; one entry (DE), whose technical cap binds above 1
    entry_cap = system.entry_capacity[system.entries("russia", "nord_stream_1")].sum()
    expected = np.minimum(capacity * u, entry_cap) * days / 1000  # bcm: capacity x utilisation x days
    flows = _route_flows(res, "nord_stream_1")
    assert list(flows.index) == months
    np.testing.assert_allclose(flows.to_numpy(), expected, rtol=0, atol=1e-9)
    assert flows["2022-06"] == pytest.approx(capacity * 0.4 * 30 / 1000, abs=1e-9)  # the cap binds: 1.881 bcm


def _first_12(table):
    months = sorted(table["month"].unique())[:12]
    return table[table["month"].isin(months)]


def test_the_2021_reference_keeps_every_route_at_its_default(ns1_cut):
    sc, _ = ns1_cut
    sc = sc.with_overrides({"gas.reference.run_rate": False})
    res = econ.run(sc)
    ref = gas.reference_params(sc.params)
    for name in gas.RUSSIAN_PARAMS:
        assert ref[name] == sc.params.defaults[name] and not isinstance(ref[name], DatedPath)
    # Only Nord Stream 1 differs from the baseline, which is therefore this scenario's reference: the loss is
    # what the baseline's routes deliver minus what the scenario's do (other routes may make up a little).
    base = econ.run(econ.load_scenario("baseline").with_overrides({"gas.reference.run_rate": False}))
    delivered = {
        name: _first_12(r.tables["gas_russian_routes"])["flow_bcm"].sum() for name, r in (("base", base), ("sc", res))
    }
    assert res.value("russian_gas_lost_bcm") == pytest.approx(delivered["base"] - delivered["sc"], abs=1e-6)
    np.testing.assert_allclose(
        _route_flows(base, "nord_stream_1").iloc[:3], _route_flows(res, "nord_stream_1").iloc[:3]
    )
    ref_by_month = res.modules["gas"].outputs["russian_pipeline_reference_bcm_by_month"]
    base_by_month = base.modules["gas"].outputs["russian_pipeline_bcm_by_month"]
    np.testing.assert_allclose(ref_by_month, base_by_month, atol=1e-9)


def test_route_table_covers_every_route_and_month_and_adds_up(ns1_cut):
    _, res = ns1_cut
    t = res.tables["gas_russian_routes"]
    assert list(t.columns) == ["route", "month", "flow_bcm"]
    assert set(t.route) == {*gas.RUSSIAN_ROUTES, "lng"}
    assert len(t) == len(set(zip(t.route, t.month))) == (len(gas.RUSSIAN_ROUTES) + 1) * t.month.nunique()
    # the headline sums the first 12 months of the horizon (a gas year), the table covers all of it
    assert _first_12(t).flow_bcm.sum() == pytest.approx(res.value("russian_gas_delivered_bcm"), abs=1e-9)


def test_demand_reduction_cap_follows_its_dated_path():
    path = {"2022-06": 0.05, "2022-12": 0.2}
    sc = econ.load_scenario("russia_gas_cutoff").with_overrides({"gas.demand.reduction_share": path})
    res = econ.run(sc)
    assert res.status["gas"][0] == "ok"
    u = res.tables["gas_unserved"].groupby(["country", "month"])[["demand_bcm", "reduction_bcm"]].sum()
    share = (u.reduction_bcm / u.demand_bcm.where(u.demand_bcm > 0)).groupby(level="month").max()
    months = list(share.index)
    cap = np.array(DatedPath(sc.params.defaults["gas.demand.reduction_share"], tuple(path.items())).values_at(months))
    assert (share.to_numpy() <= cap + 1e-9).all()
    assert share["2022-07"] == pytest.approx(0.05, abs=1e-9)  # a full cut-off uses all the reduction it may


def test_a_flat_path_is_the_scalar():
    sc = econ.load_scenario("russia_partial_cut")
    scalar = sc.with_overrides({NS1: 0.4})
    flat = sc.with_overrides({NS1: {"base": 0.4, "2022-06": 0.4}})
    a, b = econ.run(scalar).headline, econ.run(flat).headline
    np.testing.assert_allclose(a["value"].to_numpy(), b["value"].to_numpy(), rtol=1e-12, atol=1e-12)


def test_cache_keys_take_dated_paths(ns1_cut, data):
    sc, _ = ns1_cut
    key = gas.module._key(sc.params)
    assert hash(key) == hash(gas.module._key(econ.load_scenario("baseline").with_overrides({NS1: NS1_PATH}).params))
    other = econ.load_scenario("baseline").with_overrides({NS1: {"2022-06": 0.4, "2022-10": 0.0}})
    assert gas.module._key(other.params) != key
    before = gas.module._scenario_cached.cache_info().hits
    gas.run(sc.params, data)
    assert gas.module._scenario_cached.cache_info().hits == before + 1  # recalled, not solved again


def test_clear_caches_empties_them(data):
    gas.run(econ.load_scenario("russia_gas_cutoff").params, data)
    assert gas.module._solve_cached.cache_info().currsize and gas.module._scenario_cached.cache_info().currsize
    gas.clear_caches()
    assert gas.module._solve_cached.cache_info().currsize == 0
    assert gas.module._scenario_cached.cache_info().currsize == 0


def test_the_gas_model_does_not_read_the_registry(data, monkeypatch):
    params = econ.load_scenario("russia_gas_cutoff").with_overrides({"gas.market.integrated": False}).params

    def no_registry(*args, **kwargs):
        raise AssertionError("the gas model read the registry")

    monkeypatch.setattr(econ.params, "load_registry", no_registry)
    gas.clear_caches()
    res = gas.run(params, data)  # scenario, reference and the national rule's baseline
    assert res.status == "ok", res.message


def test_a_nan_input_is_a_failed_status_not_an_exception(data):
    system = gas.gas_system(data)
    inputs = gas.build_inputs(econ.load_scenario("baseline").params, system)
    bad = dataclasses.replace(inputs, demand=np.full_like(inputs.demand, np.nan))
    sol = gas.solve_lp(bad, system, gas.HighsSession())
    assert sol.status == "failed" and "HiGHS" in sol.message


def test_warm_batch_matches_single_runs_with_a_dated_path(data):
    # A drawn value of a dated parameter replaces the value before its first step; the steps stay.
    sc = econ.load_scenario("baseline").with_overrides({NS1: NS1_PATH})
    batch = ParamBatch(sc.params, {NS1: np.array([1.0345, 0.5, 0.2])})
    out = gas.evaluate(batch, data)
    for i in range(batch.n):
        params = batch.params(i)
        assert params[NS1] == DatedPath(float(batch.columns[NS1][i]), tuple(NS1_PATH.items()))
        single = {m.id: m.value for m in gas.run(params, data).metrics}
        for metric in ("russian_gas_lost_bcm", "russian_gas_delivered_bcm", "eu_gas_shortfall_bcm"):
            assert out.metrics[metric][i] == pytest.approx(single[metric], rel=1e-9, abs=1e-9), metric
