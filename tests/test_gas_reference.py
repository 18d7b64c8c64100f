"""The reference against which Russian gas "lost" is measured (docs/methodology.md, gas, section 5).

``gas.reference.run_rate`` true (the default): each route's run-rate of 1 January to 23 February 2022 from the
ENTSOG daily entry flows (data/gas_russian_routes.csv, flow_run_rate_bcm_per_year); false: its 2021 average.
The reference run keeps each route at the higher of its reference level and the scenario's own path.
"""

from __future__ import annotations

import pytest

import econ
from econ import gas
from econ.time import DatedPath

RUN_RATE = "gas.reference.run_rate"


@pytest.fixture(scope="module")
def cutoff_runs():
    # the EU-only network, whose route capacities (gas.gas_system(data)) the hand calculations below use
    sc = econ.load_scenario("russia_gas_cutoff").with_overrides({"gas.market.wider_europe": False})
    return {flag: econ.run(sc.with_overrides({RUN_RATE: flag})) for flag in (True, False)}


def test_the_run_rate_is_the_default():
    assert econ.load_scenario("baseline").params[RUN_RATE] is True


def test_run_rate_has_yamal_near_zero_and_ukraine_below_2021(data):
    system = gas.gas_system(data)
    rr, u21 = gas.route_utilisation_run_rate(system), gas.route_utilisation_2021(system)
    # Yamal-Europe carried nothing westward to Germany from 21 December 2021; what still entered Poland at
    # Kondratki and Wysokoje (Poland's own contract gas) was about 4.6 bcm/yr, 12% of the route's capacity,
    # against 73% in 2021 (scripts/build_gas_data.py prints both).
    assert rr["yamal"] < 0.15 < u21["yamal"] / 4
    assert rr["ukraine"] < u21["ukraine"]
    assert rr["nord_stream_2"] == 0.0
    # Nord Stream 1 ran near its capacity in both periods (within 3 percentage points)
    assert rr["nord_stream_1"] == pytest.approx(u21["nord_stream_1"], abs=0.03)


def test_reference_levels_follow_the_switch(data):
    system = gas.gas_system(data)
    params = econ.load_scenario("russia_gas_cutoff").params
    on = gas.reference_values(params, system)
    off = gas.reference_values(params.with_values({RUN_RATE: False}), system)
    rr = gas.route_utilisation_run_rate(system)
    for route, name in gas.ROUTE_PARAM.items():
        # the cut-off's 0 is below every level; the run-rate is capped at the 2021 default (TurkStream)
        assert on[name] == pytest.approx(min(rr[route], float(params.defaults[name])), abs=1e-12)
        assert off[name] == pytest.approx(float(params.defaults[name]), abs=1e-12)
    assert on[gas.RUSSIA_LNG_PARAM] == off[gas.RUSSIA_LNG_PARAM] == params.defaults[gas.RUSSIA_LNG_PARAM]


def test_a_route_above_its_reference_is_not_counted(data):
    """The reference takes the higher of the level and the scenario's path, month by month."""
    system = gas.gas_system(data)
    name = gas.ROUTE_PARAM["yamal"]
    level = gas.route_utilisation_run_rate(system)["yamal"]
    params = econ.load_scenario("baseline").params.with_values({name: DatedPath(0.5, (("2022-06", 0.0),))})
    ref = gas.reference_values(params, system)[name]
    assert isinstance(ref, DatedPath)
    assert ref.base == 0.5 and ref.steps == (("2022-06", level),)


def test_cutoff_loses_less_against_the_run_rate_by_the_hand_computed_amount(cutoff_runs, data):
    """Under the full cut-off the scenario delivers nothing, and Russian pipeline gas (at the pipeline cost, far
    below every node price) fills its caps in either reference run: the difference of the two losses over the
    12 headline months (March 2022 to February 2023, 365 days) is sum_r (u^2021_r - min(u^rr_r, u^2021_r)) K_r
    365 / 1000 bcm (K_r mcm/d; u^2021 the registry defaults, the 2021 flows rounded to four decimals), Russian
    LNG being the same in both."""
    system = gas.gas_system(data)
    defaults = econ.load_scenario("baseline").params.defaults
    rr = gas.route_utilisation_run_rate(system)
    hand = sum(
        (float(defaults[name]) - min(rr[r], float(defaults[name]))) * system.route_capacity[r] * 365 / 1000
        for r, name in gas.ROUTE_PARAM.items()
    )
    # 2021 route flows 138.0 bcm, run-rate 91.2 bcm/yr of which TurkStream 12.61 above its 2021 11.66 (capped):
    # 138.0 - (91.2 - 0.95) = 47.7 bcm (data/gas_russian_routes.csv)
    assert hand == pytest.approx(47.7, abs=0.1)
    lost_rr = cutoff_runs[True].value("russian_gas_lost_bcm")
    lost_21 = cutoff_runs[False].value("russian_gas_lost_bcm")
    assert lost_rr < lost_21
    # the pipeline part exactly (Russian LNG, a share of the European pool attributed to the EU27 by its share of
    # send-out, differs by the reference runs' send-out split: a few tenths of a bcm)
    pipe = {
        k: r.modules["gas"].outputs["russian_pipeline_reference_bcm_by_month"][:12].sum()
        for k, r in cutoff_runs.items()
    }
    assert pipe[False] - pipe[True] == pytest.approx(hand, abs=1e-3)
    assert lost_21 - lost_rr == pytest.approx(hand, abs=1.0)


def test_the_reference_does_not_move_the_scenario_itself(cutoff_runs):
    """The switch changes what the scenario is compared with, not the scenario's own balance or prices."""
    for metric in ("ttf_price_avg_eur_mwh", "eu_gas_shortfall_bcm", "russian_gas_delivered_bcm"):
        assert cutoff_runs[True].value(metric) == pytest.approx(cutoff_runs[False].value(metric), abs=1e-6)


def test_coverage_adds_up_under_both_references(cutoff_runs):
    for res in cutoff_runs.values():
        cov = res.tables["gas_coverage"]
        assert cov["value_bcm"].sum() == pytest.approx(res.value("russian_gas_lost_bcm"), abs=1e-3)


def test_the_baseline_loses_nothing_against_either_reference():
    """Every route at its 2021 default is at or above its (capped) run-rate: no loss."""
    for flag in (True, False):
        res = econ.run(econ.load_scenario("baseline").with_overrides({RUN_RATE: flag}))
        assert res.value("russian_gas_lost_bcm") == 0.0


@pytest.mark.parametrize("wider", [False, True])
def test_the_national_rules_baseline_has_the_reference_runs_russian_levels_on_both_networks(data, wider):
    """The national rule's caps come from a baseline with "the Russian routes of the scenario's own reference run"
    (module.baseline_params): the same levels as reference_params, the EU27 entries' run-rate on either network
    (on the wider system the Ukraine route's run-rate counts Moldova's side, 0.126 of its capacity against 0.116;
    reading it there gave the national rule's baseline more Ukrainian gas than the reference run; lead, 1 Dec 2026)."""
    params = econ.load_scenario("russia_gas_cutoff").params.with_values({"gas.market.wider_europe": wider})
    ref, base = gas.reference_params(params, data), gas.baseline_params(params, data)
    eu_only = gas.route_utilisation_run_rate(gas.gas_system(data, False))
    for route, name in gas.ROUTE_PARAM.items():
        assert float(base[name]) == float(ref[name])
        assert float(ref[name]) == pytest.approx(min(eu_only[route], float(params.defaults[name])), abs=1e-12)
