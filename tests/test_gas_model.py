"""The gas model on the real data: validation against 2021 and the scenarios' economics."""

from __future__ import annotations

import pandas as pd
import pytest

import econ
from econ import gas

PRESETS = ["baseline", "ns2_suspended", "russia_partial_cut", "russia_gas_cutoff"]
EU_ONLY = {"gas.market.wider_europe": False}  # explicit where a test is about the EU-only network


@pytest.fixture(scope="module")
def runs():
    return {p: econ.run(p) for p in PRESETS}


@pytest.fixture(scope="module")
def published(data):
    return data["gas_validation_2021"].set_index("metric")["value"]


def _annual(res, item):
    """An item of the gas balance summed over the horizon, per year."""
    months = res.tables["gas_storage"]["month"].nunique()
    balance = res.tables["gas_balance"].query("item == @item and geography == 'eu27'")
    return balance["value_bcm"].sum() * 12 / months


# ---- validation of the baseline against published 2021 totals (data/gas_validation_2021.csv) ----


def test_baseline_demand_matches_eurostat_2021(data, published):
    # Eurostat, Natural gas supply statistics (April 2022): EU27 inland demand 2021 = 395.9 bcm at GCV 40 MJ/m3.
    # Our base year is the 2019-20 mean (weather-normal; 2021 was cold): 384.3 bcm, -2.9%.
    eu = data["gas_nodes"].query("geography == 'eu27'")["country"]
    table = data["gas_demand_annual"]
    demand = table.loc[table["country"].isin(eu), "demand_bcm_per_year"].sum()
    assert demand == pytest.approx(published["gas_inland_demand_2021"], rel=0.05)


def test_baseline_russian_gas_matches_iea_2021(runs, published):
    # IEA, 10-Point Plan (3 March 2022): 155 bcm from Russia in 2021 (140 pipeline + 15 LNG).
    res = runs["baseline"]
    delivered = res.value("russian_gas_delivered_bcm")  # the first 12 months of the horizon
    assert delivered == pytest.approx(published["imports_from_russia_2021_total"], rel=0.05)
    pipeline = sum(_annual(res, f"russia_{r}") for r in gas.RUSSIAN_ROUTES)
    assert pipeline == pytest.approx(published["imports_from_russia_2021_pipeline"], rel=0.05)


def test_baseline_lng_matches_eurostat_imports(runs, data):
    # Eurostat nrg_ti_gas, EU27 LNG imports, mean 2019-20: 81.8 bcm. In the model LNG is the marginal
    # supply; the baseline lands 9% below (see docs/methodology.md, validation).
    eurostat_lng = data["gas_imports_by_partner"].query("partner == 'lng_total'")["imports_bcm_per_year"].sum()
    assert _annual(runs["baseline"], "lng") == pytest.approx(eurostat_lng, rel=0.10)


def test_baseline_storage_cycle_sanity_check_not_a_validation(runs, published):
    # A SANITY CHECK, not a validation: the 1 November fill is imposed (gas.storage.target_fill, binding up to the
    # price cap, methodology 3.5), so the model reaching 80% restates its input; comparing it with GIE AGSI+'s
    # 77.1% on 1 November 2021 only checks that the imposed target is of the order Europe actually reached
    # (docs/validation.md, gas: listed as a sanity check). The storage minimum is not imposed. On the EU-only network,
    # where the target binds (the wider Europe fills above it by storage arbitrage: tests/test_gas_wider.py).
    res = econ.run(econ.load_scenario("baseline").with_overrides(EU_ONLY))
    assert res.value("eu_storage_nov1_pct") == pytest.approx(100 * published["storage_fill_2021_11_01"], abs=5)
    assert res.value("eu_storage_min_pct") >= 20


def test_baseline_has_no_shortfall_and_takes_its_base_year_lng(runs, data):
    res = runs["baseline"]
    assert res.value("eu_gas_shortfall_bcm") < 0.01
    assert res.value("russian_gas_lost_bcm") == pytest.approx(0, abs=1e-6)
    # At the reference prices Europe takes what it took in the base year from every origin but Qatar and the
    # Pacific exporters, whose flexible cargoes net back more in Asia (FREIGHT_RATIO): within 10% of the total.
    eu = data["gas_nodes"].query("geography == 'eu27'")["country"]
    table = data["gas_lng_imports"]
    base_year = table.loc[table["country"].isin(eu), "lng_bcm_per_year"].sum()
    assert res.value("lng_imports_bcm") == pytest.approx(base_year, rel=0.10)


# ---- the scenarios ----


def test_ns2_suspension_alone_changes_nothing(runs):
    # Nord Stream 2 never delivered gas: its suspension removes no supply.
    a, b = runs["baseline"].headline.set_index("metric").value, runs["ns2_suspended"].headline.set_index("metric").value
    assert runs["ns2_suspended"].value("eu_gas_shortfall_bcm") < 0.01
    pd.testing.assert_series_equal(a, b)


def test_cutoff_gap_and_how_it_is_covered(data):
    # on the EU-only network, whose route capacities the hand calculation uses
    runs = {p: econ.run(econ.load_scenario(p).with_overrides(EU_ONLY)) for p in ("baseline", "russia_gas_cutoff")}
    res = runs["russia_gas_cutoff"]
    lost = res.value("russian_gas_lost_bcm")
    # Against the run-rate reference (the default; docs/methodology.md, gas, section 5) the cut-off loses what
    # the baseline delivers less each route's 2021 utilisation above its capped run-rate, over 365 days
    system = gas.gas_system(data)
    rr = gas.route_utilisation_run_rate(system)
    defaults = res.scenario.params.defaults
    above = sum(
        (float(defaults[n]) - min(rr[r], float(defaults[n]))) * system.route_capacity[r] * 365 / 1000
        for r, n in gas.ROUTE_PARAM.items()
    )
    out = res.modules["gas"].outputs
    pipeline_ref = out["russian_pipeline_reference_bcm_by_month"][:12].sum()
    base_pipeline = runs["baseline"].modules["gas"].outputs["russian_pipeline_bcm_by_month"][:12].sum()
    assert pipeline_ref == pytest.approx(base_pipeline - above, rel=1e-6)
    # lost = the reference's Russian pipeline gas and the Russian LNG attributed to the EU27 (the cut-off: none)
    assert lost == pytest.approx(pipeline_ref + out["russian_lng_reference_bcm_by_month"][:12].sum(), rel=1e-6)
    # Prices, not rationing, balance the cut-off: the EU price rises by at least half, demand gives way by
    # several bcm, and nothing is rationed below the cap.
    assert res.value("ttf_price_avg_eur_mwh") >= 1.5 * runs["baseline"].value("ttf_price_avg_eur_mwh")
    assert res.value("eu_demand_response_bcm") >= 5
    # QatarEnergy (22 Feb 2022): only 10-15% of Qatar's volumes (~105 bcm/yr) can be diverted: at most
    # ~16 bcm a year, about a tenth of the Russian volume.
    assert 0 < res.value("qatar_lng_share_of_gap_pct") <= 11
    # European Commission, REPowerEU (8 March 2022): about +50 bcm of LNG a year, a third of Russian gas.
    assert 20 <= res.value("lng_share_of_gap_pct") <= 50
    assert res.value("qatar_lng_share_of_gap_pct") < res.value("lng_share_of_gap_pct")


def test_partial_cut_sits_between(runs):
    lost = [runs[p].value("russian_gas_lost_bcm") for p in ["baseline", "russia_partial_cut", "russia_gas_cutoff"]]
    short = [runs[p].value("eu_gas_shortfall_bcm") for p in ["baseline", "russia_partial_cut", "russia_gas_cutoff"]]
    price = [runs[p].value("ttf_price_avg_eur_mwh") for p in ["baseline", "russia_partial_cut", "russia_gas_cutoff"]]
    assert lost[0] < lost[1] < lost[2]
    assert short[0] <= short[1] <= short[2]
    assert price[0] < price[1] < price[2]


@pytest.mark.parametrize("preset", ["russia_partial_cut", "russia_gas_cutoff"])
def test_integrated_never_leaves_more_unserved_than_national(runs, preset):
    national = econ.run(econ.load_scenario(preset).with_overrides({"gas.market.integrated": False}))
    assert runs[preset].value("eu_gas_shortfall_bcm") <= national.value("eu_gas_shortfall_bcm") + 1e-6

    def worst(r):
        return r.tables["gas_country_summary"]["unserved_pct"].max()

    assert worst(runs[preset]) <= worst(national) + 1e-6


def test_national_shortfall_falls_where_russian_dependence_is_high_and_lng_absent(data):
    res = econ.run(econ.load_scenario("russia_gas_cutoff").with_overrides({"gas.market.integrated": False}))
    s = res.tables["gas_country_summary"].query("geography == 'eu27'").set_index("country")
    eu = list(s.index)
    table = data["gas_demand_annual"]
    demand = table[table["country"].isin(eu)].groupby("country")["demand_bcm_per_year"].sum()
    regas = (
        data["gas_lng_terminals"].set_index("country")["regas_capacity_bcm_per_year"].reindex(demand.index).fillna(0)
    )
    russian = data["gas_imports_by_partner"].query("partner == 'russia'").set_index("country")["imports_bcm_per_year"]
    hit = s.index[s.unserved_pct > 10]
    assert len(hit) >= 3
    assert (regas[hit] / demand[hit] < 0.3).all(), "a country with ample LNG access is short by more than 10%"
    assert (russian[hit].sum() / demand[hit].sum()) > (russian.sum() / demand.sum())
    ample_lng = demand.index[regas / demand >= 0.5]
    assert (s.loc[ample_lng, "unserved_pct"] < 5).all()


# ---- accounting ----


@pytest.mark.parametrize("preset", PRESETS)
def test_balance_closes_in_every_country_and_month(runs, preset):
    assert gas.balance_residual(runs[preset].tables["gas_balance"]).abs().max() < 1e-6, "balance does not close"


@pytest.mark.parametrize("preset", PRESETS)
def test_coverage_adds_up_to_the_lost_volume(runs, preset):
    res = runs[preset]
    cov = res.tables["gas_coverage"]
    assert cov["value_bcm"].sum() == pytest.approx(res.value("russian_gas_lost_bcm"), abs=1e-6)


def test_storage_stays_within_its_bounds(runs):
    for res in runs.values():
        st = res.tables["gas_storage"]
        assert (st.level_bcm >= -1e-9).all() and (st.level_bcm <= st.working_gas_bcm + 1e-9).all()


def test_registry_route_defaults_are_the_2021_utilisation(data):
    util = gas.route_utilisation_2021(gas.gas_system(data))
    reg = econ.load_registry()
    for route, value in util.items():
        assert reg[f"gas.russia.{route}.utilisation"].value == pytest.approx(value, abs=1e-3), route


def test_horizon_and_start_month_are_honoured():
    res = econ.run(
        econ.load_scenario("russia_gas_cutoff").with_overrides({"gas.start_month": "2022-11", "gas.horizon_months": 12})
    )
    months = sorted(res.tables["gas_storage"]["month"].unique())
    assert months[0] == "2022-11" and months[-1] == "2023-10" and len(months) == 12
    # starting in November, the 1 November fill is the initial fill
    assert res.value("eu_storage_nov1_pct") == pytest.approx(100 * res.scenario.params["gas.storage.initial_fill"])
