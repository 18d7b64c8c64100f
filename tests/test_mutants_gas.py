"""Value-level tests written from the mutation run of econ/gas/accounts.py and econ/gas/lp.py (issue 16 item 6;
docs/testing.md, "The model modules"). Each kills mutants that survived tests/test_gas_model.py,
tests/test_gas_toy.py and tests/test_gas_reference.py; the mutant it was written for is named in the test.

They use the two-country toy of tests/test_gas_toy.py (tests/conftest.py's ``toy_dir``: DE 1 bcm/month of
industrial demand, AT 1 bcm/month of household demand, Nord Stream 1 landing in DE, one arc DE -> AT, one month),
where every number is worked out by hand from docs/methodology.md (Gas, sections 3.3, 3.4 and 6).
"""

from __future__ import annotations

import pytest

import econ
from econ import gas
from econ.data import load_data
from econ.params import Params
from econ.units import GWH_PER_MCM

ONE_MONTH = {
    "gas.start_month": "2022-03",
    "gas.horizon_months": 1,
    "gas.demand.reduction_share": 0.0,
    "gas.storage.end_fill": 0.0,
    "gas.price.reference_eur_mwh": 46.5,
    "gas.price.cap_eur_mwh": 600.0,
    "gas.demand.elasticity.industry": -0.3,
    "gas.demand.elasticity.households": -0.1,
    # As tests/test_gas_toy.py: the curves in the hub price, ending at the 45% step (no end-user markup, no
    # tighter capacity bound; methodology 3.3), so the hand-computed merit order of the toy holds.
    "gas.demand.markup.industry": 0.0,
    "gas.demand.markup.households": 0.0,
    "gas.demand.industry.max_response_share": 0.45,
    "gas.demand.buildings.max_response_share": 0.45,
}
TIE = 2 * gas.lp.TIE_BREAK  # prices are exact up to the LP's tie-break perturbation


def _run(directory, **extra):
    p = Params({**econ.load_registry().defaults(), **ONE_MONTH, **extra})
    res = gas.run(p, load_data(directory))
    return res, {m.id: m.value for m in res.metrics}


def test_the_import_bill_is_the_imported_volume_at_the_eu_average_price(toy_dir):
    # Section 6: eu_gas_import_bill_bn_eur = (pipeline entries + LNG send-out) x the month's EU27 average price.
    # The toy imports 1575 mcm through Nord Stream 1 (u = 1575/3100 of 100 mcm/d x 31 d) and, by tests/test_gas_toy
    # .py's merit order, prices AT at the households' fourth step P0 0.875^-10 = 176.76 and DE 0.1 below (the arc
    # cost); equal demands weight the EU price (3.4) to their mean. 1575 mcm x GWh/mcm x 1000 MWh/GWh x EUR/MWh,
    # in EUR bn. Kills `* 1000` -> `/ 1000` in the bill's units (every preset's bill divided by a million).
    res, v = _run(toy_dir, **{"gas.russia.nord_stream_1.utilisation": 1575 / 3100})
    p_at = 46.5 * 0.875**-10
    eu_price = p_at - 0.05
    assert v["ttf_price_avg_eur_mwh"] == pytest.approx(eu_price, abs=TIE)
    assert v["lng_imports_bcm"] == pytest.approx(0.0, abs=1e-9)
    expected = 1575 * GWH_PER_MCM * 1000 * eu_price / 1e9
    assert v["eu_gas_import_bill_bn_eur"] == pytest.approx(expected, rel=1e-6)


def test_the_1_november_fill_is_the_level_at_the_end_of_october():
    # Section 6: eu_storage_nov1_pct is the EU-aggregate fill on the first 1 November of the horizon, i.e. the
    # level at the END of October (section 5a: levels are end-of-month), as a share of working gas; the monthly
    # output eu_storage_fill_pct_by_month holds the same end-of-month fills. Kills `cal == 10` -> `cal == 11` (the
    # end of November read instead: baseline's 80 % became 72.8 %). Under the cut-off storage is drawn in
    # November, so the two months differ.
    res = econ.run("russia_gas_cutoff").modules["gas"]
    fills = res.batch.outputs["eu_storage_fill_pct_by_month"][0]
    months = econ.time.horizon_of(econ.load_scenario("russia_gas_cutoff").params)[0]
    october = months.index("2022-10")
    assert abs(fills[october] - fills[october + 1]) > 1.0  # the test can tell October from November
    value = {m.id: m.value for m in res.metrics}["eu_storage_nov1_pct"]
    assert value == pytest.approx(fills[october], rel=1e-9)


def test_with_no_russian_gas_lost_the_shares_of_the_gap_are_zero():
    # Section 6: qatar_lng_share_of_gap_pct = dQatari LNG / lost Russian volume x 100 (and the LNG share alike). On
    # the baseline no Russian gas is lost (the reference run is the baseline's own Russian volume, section 5), so
    # there is no gap to share: the module reports 0, not a ratio of two round-offs. Kills the fallback
    # `else 0.0` -> `else 1.0` (baseline's Qatari share of a gap that does not exist became 1 %).
    values = {m.id: m.value for m in econ.run("baseline").modules["gas"].metrics}
    assert abs(values["russian_gas_lost_bcm"]) < 1e-6
    assert values["qatar_lng_share_of_gap_pct"] == 0.0
    assert values["lng_share_of_gap_pct"] == 0.0


def test_the_storage_top_up_meets_a_floor_that_no_supply_can_fill(toy_dir):
    # Section 3.5 (after gas5): the top-up e is an unmet obligation, not gas: S_t = S_{t-1} + i_t - w_t (e in no
    # stock identity), S_T + sum e >= sigma_end W, reported as gas_storage.unmet_obligation_bcm. The toy with AT's
    # store (W = 1 bcm) empty at the start, a floor of 50 % at the end and no supply at all (Nord Stream 1 shut): the
    # store stays empty and the whole 0.5 bcm floor is unmet. Kills e entering the stock identity (as in the old
    # formulation, where a top-up could then be withdrawn and served) and a top-up that does not count in the floor.
    from tests.conftest import write_toy

    write_toy(
        toy_dir,
        **{
            "gas_storage.csv": "country,working_gas_bcm,injection_mcm_per_day,withdrawal_mcm_per_day\n"
            "DE,0,0,0\nAT,1,100,100\n"
        },
    )
    res, v = _run(
        toy_dir,
        **{
            "gas.russia.nord_stream_1.utilisation": 0.0,
            "gas.storage.initial_fill": 0.0,
            "gas.storage.end_fill": 0.5,
        },
    )
    assert res.status == "ok"
    store = res.tables["gas_storage"].set_index("country")
    assert store.loc["AT", "level_bcm"] == pytest.approx(0.0, abs=1e-9)
    assert store.loc["AT", "unmet_obligation_bcm"] == pytest.approx(0.5, abs=1e-9)
    assert v["lng_imports_bcm"] == pytest.approx(0.0, abs=1e-12)
    assert v["russian_gas_delivered_bcm"] == pytest.approx(0.0, abs=1e-12)
    # no gas reaches any customer: the 2 bcm of demand are priced out or rationed, nothing is served
    assert v["eu_gas_shortfall_bcm"] + v["eu_demand_response_bcm"] == pytest.approx(2.0, abs=1e-6)


def test_a_corridor_delivers_its_base_and_at_most_its_extra_tier(toy_dir):
    # Section 3.6: sum_e x_e,t <= B_c,t + y_c,t, 0 <= y_c,t <= eta_c B_c,t, B_c,t = 1000 F_c d_t / 365. The toy
    # with a Norwegian corridor into DE (F = 3.65 bcm/yr, entry capacity 100 mcm/d, far above) and no Russian gas:
    # the price is at the cap, so the corridor delivers all it may, B (1 + eta) = 310 x 1.2 = 372 mcm in March.
    # Kills the extra tier counted twice in the corridor row (`- y` -> `- 2 y`: russia_partial_cut@national's
    # revenue change moved by 0.9 points, 197 %).
    from tests.conftest import write_toy

    write_toy(
        toy_dir,
        **{
            "gas_pipeline_supply.csv": "corridor,entry_country,capacity_mcm_per_day,flow_base_bcm_per_year\n"
            "norway,DE,100,3.65\n"
        },
    )
    res, v = _run(toy_dir, **{"gas.russia.nord_stream_1.utilisation": 0.0, "gas.pipeline.norway.extra_share": 0.2})
    balance = res.tables["gas_balance"].set_index(["country", "item"])["value_bcm"]
    base = 1000 * 3.65 * 31 / 365
    assert balance[("DE", "pipeline_norway")] == pytest.approx(base * 1.2 / 1000, abs=1e-9)
    assert v["eu_gas_shortfall_bcm"] > 0  # short of gas: the corridor is not held back by demand
