"""The wider Europe (``gas.market.wider_europe``, docs/methodology.md, gas, section 1): the UK, Switzerland,
Ukraine, Moldova and the Western Balkans as nodes with a geography tag; headline metrics stay EU27.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import econ
from econ import gas
from econ.data import load_data
from econ.errors import ParameterError
from econ.gas.accounts import balance_residual
from econ.params import Params
from tests.conftest import write_toy

WIDER = {"gas.market.wider_europe": True}
EU_ONLY = {"gas.market.wider_europe": False}  # explicit where a test is about the EU-only network
NON_EU = ("UK", "CH", "UA", "MD", "RS", "BA", "MK")


@pytest.fixture(scope="module")
def wide():
    return {p: econ.run(econ.load_scenario(p).with_overrides(WIDER)) for p in ("baseline", "russia_gas_cutoff")}


def test_the_wider_europe_is_the_default(data):
    # gas.market.wider_europe is true by default since 2026-12-01 (docs/validation.md, gas, "Default: flipped"): the
    # registry's defaults run on the wider network, with the UK and Ukraine as nodes; the EU-only network is the
    # switch's false (and gas_system's own default argument)
    system = gas.gas_system(data, wider=True)
    assert gas.system_for(Params(econ.load_registry().defaults()), data) is system
    assert set(NON_EU) <= set(system.countries) and int(system.eu.sum()) == 26
    assert "uk_iuk" not in system.entry_source
    eu_only = gas.system_for(Params({**econ.load_registry().defaults(), **{"gas.market.wider_europe": False}}), data)
    assert eu_only is gas.gas_system(data) and len(eu_only.countries) == 26 and eu_only.eu.all()
    assert "UK" not in eu_only.countries and "uk_iuk" in eu_only.entry_source


def test_uk_and_ukraine_are_nodes_with_their_tag(wide, data):
    system = gas.gas_system(data, wider=True)
    assert set(NON_EU) <= set(system.countries)
    assert "uk_iuk" not in system.entry_source  # the UK's links are interconnectors, not corridors
    geo = dict(zip(system.countries, system.geography))
    assert {geo[c] for c in NON_EU} == {"non_eu"} and sum(g == "eu27" for g in geo.values()) == 26
    for res in wide.values():
        assert res.status["gas"][0] == "ok"
        for table in ("gas_prices", "gas_country_summary", "gas_storage", "gas_balance", "gas_unserved"):
            t = res.tables[table]
            assert {"UK", "UA"} <= set(t["country"])
            assert set(t.loc[t["country"].isin(NON_EU), "geography"]) == {"non_eu"}
    # Ukraine: 29.3 bcm of storage (GTSOU's 31 bcm in Ukrainian m3 at 20 degC, x 0.944)
    wgv = dict(zip(system.countries, system.storage_wgv))
    assert wgv["UA"] == pytest.approx(31 * 0.944, rel=0.01)


@pytest.mark.parametrize("preset", ["baseline", "russia_gas_cutoff"])
def test_balance_closes_at_every_node_including_the_uk_and_ukraine(wide, preset):
    resid = balance_residual(wide[preset].tables["gas_balance"])
    assert np.abs(resid.to_numpy()).max() < 1e-6
    assert {"UK", "UA"} <= set(resid.index.get_level_values("country"))


@pytest.mark.parametrize("preset", ["baseline", "russia_gas_cutoff"])
def test_headlines_sum_over_the_eu27_only(wide, preset):
    res = wide[preset]
    months = sorted(res.tables["gas_storage"]["month"].unique())[:12]
    bal = res.tables["gas_balance"]
    bal = bal[bal["month"].isin(months)]
    eu_lng = bal.query("item == 'lng' and geography == 'eu27'")["value_bcm"].sum()
    all_lng = bal.query("item == 'lng'")["value_bcm"].sum()
    assert res.value("lng_imports_bcm") == pytest.approx(eu_lng, abs=1e-6)
    assert all_lng > eu_lng + 5  # the UK lands LNG too, and it is not in the headline
    uns = res.tables["gas_unserved"]
    uns = uns[uns["month"].isin(months)]
    eu_resp = uns.query("geography == 'eu27'")["response_bcm"].sum()
    assert res.value("eu_demand_response_bcm") == pytest.approx(eu_resp, abs=1e-6)
    storage = res.tables["gas_storage"].query("geography == 'eu27'")
    level = storage.groupby("month")["level_bcm"].sum()
    wgv = storage.groupby("month")["working_gas_bcm"].sum().iloc[0]
    assert res.value("eu_storage_min_pct") == pytest.approx(100 * level.min() / wgv, abs=1e-6)
    # the EU27 price: reference-demand weights of the EU27 nodes only
    prices = res.tables["gas_prices"].query("geography == 'eu27'")
    prices = prices[prices["month"].isin(months)]
    demand = bal.query("item == 'demand' and geography == 'eu27'")
    w = prices.merge(demand, on=["country", "month"])
    avg = (w["price_eur_mwh"] * w["value_bcm"]).sum() / w["value_bcm"].sum()
    assert res.value("ttf_price_avg_eur_mwh") == pytest.approx(avg, rel=1e-9)


def test_coverage_adds_up_with_the_non_eu_neighbours(wide):
    """The EU27 identity (methodology, gas, 5) with the gas from non-EU nodes traced to its sources
    (tests/test_gas_coverage_tracing.py checks the tracing by hand): the rows add up to the lost volume."""
    res = wide["russia_gas_cutoff"]
    cov = res.tables["gas_coverage"].set_index("item")
    assert {"non_eu_neighbours", "non_eu_production", "non_eu_storage"} <= set(cov.index)
    assert cov["value_bcm"].sum() == pytest.approx(res.value("russian_gas_lost_bcm"), abs=1e-6)
    assert cov["via_non_eu_bcm"].abs().sum() > 0.5  # the non-EU nodes' exports to the EU27 change with the cut


# ---- the UK-BE link on a two-node network, by hand ----

ONE_MONTH = {
    "gas.start_month": "2022-03",
    "gas.horizon_months": 1,
    "gas.demand.reduction_share": 0.0,
    "gas.storage.end_fill": 0.0,
    "gas.production.change_share": 0.0,
    "gas.price.reference_eur_mwh": 46.5,
    "gas.price.cap_eur_mwh": 600.0,
    "gas.demand.elasticity.industry": -0.3,
    # the curve in the hub price to the 45% step (no end-user markup, no tighter capacity bound): the steps below
    "gas.demand.markup.industry": 0.0,
    "gas.demand.industry.max_response_share": 0.45,
    **WIDER,
}


def _uk_be(directory, capacity: float) -> dict[str, float]:
    """UK (non-EU) produces 1500 mcm in March (17.66 bcm/yr x 31/365); UK and BE each have 1000 mcm of industrial
    demand; one link UK -> BE of ``capacity`` mcm/d."""
    sectors = ("households", "services", "industry", "power")
    write_toy(
        directory,
        **{
            "gas_nodes.csv": "country,name,geography,role\nUK,United Kingdom,non_eu,toy\nBE,,eu27,toy\n",
            "gas_demand_annual.csv": "country,sector,demand_bcm_per_year\n"
            + "".join(f"{c},{s},{12 if s == 'industry' else 0}\n" for c in ("UK", "BE") for s in sectors),
            "gas_production.csv": f"country,production_bcm_per_year\nUK,{1.5 * 365 / 31!r}\nBE,0\n",
            "gas_interconnectors.csv": f"from_country,to_country,capacity_mcm_per_day,points\nUK,BE,{capacity},IUK\n",
        },
    )
    params = Params({**econ.load_registry().defaults(), **ONE_MONTH})
    res = gas.run(params, load_data(directory))
    assert res.status == "ok"
    return res.tables["gas_prices"].set_index("country")["price_eur_mwh"].to_dict()


def test_more_uk_be_capacity_lowers_the_belgian_price_and_raises_the_uk_price(tmp_path):
    # Industry's demand steps (eq. 3.3, eps = -0.3, P0 = 46.5), at the midpoints 0.01, 0.035, 0.075, 0.125, 0.175,
    # 0.25, 0.375 of widths 20, 30, 50, 50, 50, 100, 150 mcm: 48.1, 52.4, 60.3, 72.6, 88.3, 121.3, 222.8 EUR/MWh.
    step = [46.5 * (1 - m) ** (1 / -0.3) for m in (0.01, 0.035, 0.075, 0.125, 0.175, 0.25, 0.375)]
    tol = 2 * gas.lp.TIE_BREAK
    # 20 mcm/d: the link carries 620 mcm and binds. BE: 380 priced out, the first six steps (300) and 80 of the
    # seventh, so p_BE = 222.77. UK keeps 880: 120 priced out, three steps (100) and 20 of the fourth: p_UK = 72.6.
    narrow = _uk_be(tmp_path / "narrow", 20)
    assert narrow["BE"] == pytest.approx(step[6], abs=tol) and narrow["BE"] == pytest.approx(222.77, abs=0.01)
    assert narrow["UK"] == pytest.approx(step[3], abs=tol) and narrow["UK"] == pytest.approx(72.6, abs=0.05)
    # 30 mcm/d (930 mcm) no longer binds: 500 mcm are priced out in all, the UK its first five steps (200), BE its
    # first six (300); the prices differ by the transport cost (0.1), p_UK below the UK's sixth step (121.3), p_BE
    # at or above BE's: p_BE in [121.3, 121.4], p_UK = p_BE - 0.1.
    wide_link = _uk_be(tmp_path / "wide", 30)
    assert step[5] - tol <= wide_link["BE"] <= step[5] + gas.system.ARC_COST + tol
    assert wide_link["UK"] == pytest.approx(wide_link["BE"] - gas.system.ARC_COST, abs=tol)
    # the direction: Belgium's price falls by about 101 EUR/MWh, the UK's rises by about 49
    assert wide_link["BE"] - narrow["BE"] == pytest.approx(step[5] - step[6], abs=0.1 + tol)
    assert wide_link["UK"] - narrow["UK"] == pytest.approx(step[5] - step[3], abs=0.1 + tol)


def test_eu_rules_bind_at_eu27_nodes_only(data):
    """The 1 November target (Regulation 2017/1938) and the EU's production decline apply to EU27 nodes only."""
    params = econ.load_scenario("baseline").params.with_values(WIDER)
    system = gas.system_for(params, data)
    inputs = gas.build_inputs(params, system)
    eu = system.eu
    target = float(params["gas.storage.target_fill"])
    assert (inputs.target_fill[eu] == target).all() and (inputs.target_fill[~eu] == 0).all()
    change = float(params["gas.production.change_share"])  # -0.12
    uk, de = system.countries.index("UK"), system.countries.index("DE")
    days = inputs.days
    # mcm in each month: bcm/yr x 1000 x days / 365, the UK at its 2020 level, Germany 12% below
    np.testing.assert_allclose(inputs.production[uk], 1000 * system.production[uk] * days / 365, rtol=1e-12)
    np.testing.assert_allclose(
        inputs.production[de], 1000 * system.production[de] * (1 + change) * days / 365, rtol=1e-12
    )


def test_the_national_rule_runs_on_the_wider_network(wide):
    """The national rule caps each link at the baseline's flow on the same network (the baseline run takes the
    scenario's gas.market.wider_europe): it runs, closes its balances, and never leaves less unserved in the EU27
    than the integrated market."""
    sc = econ.load_scenario("russia_gas_cutoff").with_overrides({**WIDER, "gas.market.integrated": False})
    res = econ.run(sc)
    assert res.status["gas"][0] == "ok"
    assert np.abs(balance_residual(res.tables["gas_balance"]).to_numpy()).max() < 1e-6
    assert res.value("eu_gas_shortfall_bcm") >= wide["russia_gas_cutoff"].value("eu_gas_shortfall_bcm") - 1e-6
    base = gas.baseline_params(sc.params)
    assert base["gas.market.wider_europe"] is True and base["gas.market.integrated"] is True


# ---- calibration of the wider Europe (issue 15, item 2) ----


def test_moldova_is_an_entry_of_the_ukraine_route(wide, data):
    # data/gas_russian_routes.csv: GTSOU's 2020 transit to Moldova (3.0 bcm operator m3 x 0.944 = 2.83 model bcm)
    # enters at MD on the Ukraine route, with the capacity at which the route's 2021 utilisation (0.2512) carries
    # it: 2.83 / 0.2512 / 365 x 1000 = 30.88 mcm/d. Moldova's side of the route has its own cap (3.6, entry
    # groups: its contract, not the EU buyers'), 30.88 x 0.2512 = 7.757 mcm/d: in the baseline Moldova takes
    # min(that cap, its demand) each month and imports the rest of its winter peak from its neighbours (it has
    # no storage); the cut-off takes its Russian gas away with the route.
    system = gas.gas_system(data, wider=True)
    md = [e for e in system.entries("russia", "ukraine") if system.countries[system.entry_node[e]] == "MD"]
    assert len(md) == 1 and system.entry_capacity[md[0]] == pytest.approx(30.881, abs=0.001)
    assert "MD" not in np.array(system.countries)[system.entry_node[system.entries("russia", "yamal")]]

    def md_items(res):
        b = res.tables["gas_balance"].query("country == 'MD'")
        return b.groupby("item")["value_bcm"].sum()

    base, cut = md_items(wide["baseline"]), md_items(wide["russia_gas_cutoff"])
    groups = {g: (m, c) for g, m, c in system.entry_groups}
    assert list(groups["ukraine:non_eu"][0]) == md and groups["ukraine:non_eu"][1] == pytest.approx(30.881, abs=1e-3)
    b = (
        wide["baseline"]
        .tables["gas_balance"]
        .query("country == 'MD'")
        .pivot_table(index="month", columns="item", values="value_bcm", aggfunc="sum")
    )
    days = np.array([pd.Period(m, "M").days_in_month for m in b.index])
    cap = 30.881 * 0.2512 * days / 1000
    ru, imports = b["russia_ukraine"].to_numpy(), b["imports_from_neighbours"].to_numpy()
    assert (ru <= cap + 1e-6).all()
    short = imports > 1e-3  # the months Moldova imports: its Russian gas is at its side's cap
    assert short.sum() >= 4 and ru[short] == pytest.approx(cap[short], abs=1e-6)
    assert base["imports_from_neighbours"] > 0.1  # the winter peak above the flat contract rate
    assert cut.get("russia_ukraine", 0.0) < 1e-6 and cut["imports_from_neighbours"] > 0.5 * cut["demand"]
    # the EU-only network has no MD entry: the route's EU capacity is unchanged
    eu_only = gas.gas_system(data)
    assert eu_only.route_capacity["ukraine"] == pytest.approx(
        system.route_capacity["ukraine"] - system.entry_capacity[md[0]], abs=1e-9
    )


def test_uk_lng_cargoes_follow_uk_demand_by_month(data):
    # eq. 3.7: the fixed cargoes of the non-EU nodes' base-year LNG (the UK's, bp 2020) arrive with those nodes'
    # demand shape at those nodes' terminals, the EU's evenly at the EU27's: G_o,t = 1000 (1 - phi_o) (E_o - E_o^UK)
    # d_t / 365, G^ne_o,t = 1000 (1 - phi_o) E_o^UK s_m(t), s_m = sum_s profile[m, s] D_UK,s / sum_s D_UK,s. By hand
    # for Qatar (phi = 0.10) in January and July.
    params = Params({**econ.load_registry().defaults(), **WIDER})
    system = gas.system_for(params, data)
    inputs = gas.build_inputs(params, system)
    uk = system.countries.index("UK")
    shape = system.profile @ system.demand_annual[uk] / system.demand_annual[uk].sum()
    np.testing.assert_allclose(system.lng_shape_non_eu, shape, rtol=1e-12)
    assert shape.sum() == pytest.approx(1.0, abs=1e-12)
    assert shape[0] > 1.5 / 12 > 0.7 / 12 > shape[6]  # the UK's winter peak: January more than twice July
    assert list(system.lng_non_eu_nodes) == [uk]
    lng = data["gas_lng_imports"]
    e_uk = float(lng.query("country == 'UK' and origin == 'qatar'")["lng_bcm_per_year"].iloc[0])
    e_all = system.lng_base["qatar"]
    q = gas.system.LNG_ORIGINS.index("qatar")
    phi = float(params["gas.lng.qatar.divertible_share"])
    for t in (inputs.months.index("2023-01"), inputs.months.index("2022-07")):
        m = inputs.cal[t] - 1
        # the EU27's part with the EU27 terminals' observed send-out (data/gas_supply_monthly_profile.csv, 3.7)
        r_eu = float(system.supply_profile["lng_eu27"][m])
        assert inputs.lng_fixed[q, t] == pytest.approx(1000 * (1 - phi) * (e_all - e_uk) * r_eu * inputs.days[t] / 365)
        assert inputs.lng_fixed_non_eu[q, t] == pytest.approx(1000 * (1 - phi) * e_uk * shape[m], rel=1e-12)
    # the EU-only network's cargoes are flat by month and all the EU27's, as before
    eu_params = Params({**econ.load_registry().defaults(), **EU_ONLY})
    eu_only = gas.system_for(eu_params, data)
    assert all(v == 0.0 for v in eu_only.lng_base_non_eu.values()) and eu_only.lng_non_eu_nodes.size == 0
    assert not gas.build_inputs(eu_params, eu_only).lng_fixed_non_eu.any()


def _uk_fixed_bcm_per_year(params, lng) -> float:
    """By hand (3.7): the UK's destination-fixed cargoes over a year, bcm: (1 - phi_o) E_o^UK for every origin but
    Russia, whose cargoes are all fixed (at utilisation 1)."""
    uk = lng[lng.country == "UK"].set_index("origin")["lng_bcm_per_year"]
    phi = {
        "qatar": float(params["gas.lng.qatar.divertible_share"]),
        "us": float(params["gas.lng.us.divertible_share"]),
        "russia": 0.0,
    }
    other = float(params["gas.lng.other.extra_share"])
    return float(sum((1 - phi.get(o, other)) * v for o, v in uk.items()))


def test_the_uk_lands_its_destination_fixed_cargoes_by_hand(wide, data):
    """lp.lng_destination (3.7): sum_o g^ne_o,t <= sum_{n in ne} l_n,t. South Hook (Milford Haven) is owned by
    Qatar Petroleum (67.5%), ExxonMobil (24.15%) and Total (8.35%) and takes Qatargas 2's output under 25-year
    contracts (South Hook LNG, "Commercial"; Petroleum Economist, 2010): the UK's fixed cargoes land in the UK, not
    in the pool at the EU's price. By hand from bp 2020 (data/gas_lng_imports.csv, UK rows): Qatar 0.9 x 8.9746 +
    US 0.3 x 4.6748 + Nigeria, Algeria and others 0.7 x 1.9770 + Russia 2.9351 = 13.80 bcm a year."""
    params = econ.load_scenario("baseline").params.with_values(WIDER)
    lng = data["gas_lng_imports"]
    hand = _uk_fixed_bcm_per_year(params, lng)
    assert hand == pytest.approx(0.9 * 8.9746 + 0.3 * 4.6748 + 0.7 * (0.0439 + 0.3319 + 1.6012) + 2.9351, abs=1e-9)
    assert hand == pytest.approx(13.80, abs=0.01)
    system = gas.system_for(params, data)
    inputs = gas.build_inputs(params, system)
    sol = gas.solve_lp(inputs, system, gas.HighsSession(warm=False))
    uk = system.countries.index("UK")
    w = slice(0, 12)  # March 2022 to February 2023: the shape's twelve months sum to one
    assert inputs.lng_fixed_non_eu[:, w].sum() / 1000 == pytest.approx(hand, rel=1e-9)
    fixed_t = sol.lng_fixed_non_eu.sum(axis=0)
    assert fixed_t == pytest.approx(inputs.lng_fixed_non_eu.sum(axis=0), abs=1e-3)  # every fixed cargo shipped
    assert (sol.lng[uk] >= fixed_t - 1e-6).all()
    # the row binds in the UK's summer (the EU's price is higher: the UK sends the rest on through IUK and BBL)
    assert np.isclose(sol.lng[uk], fixed_t, atol=1e-3).sum() >= 3
    # the run's table: the UK lands 14.7 bcm over the first 12 months (bp 2020: 18.6), 7.9 before this row
    b = wide["baseline"].tables["gas_balance"]
    months = sorted(b["month"].unique())[:12]
    uk_lng = b.query("country == 'UK' and item == 'lng'").set_index("month")["value_bcm"].loc[months].sum()
    assert hand - 1e-6 <= uk_lng <= 18.6
    # all Qatari cargoes flexible: nothing is fixed to the UK's terminals from Qatar and the UK lands less
    flex = params.with_values({"gas.lng.qatar.divertible_share": 1.0})
    sys_f = gas.system_for(flex, data)
    inp_f = gas.build_inputs(flex, sys_f)
    sol_f = gas.solve_lp(inp_f, sys_f, gas.HighsSession(warm=False))
    q = gas.system.LNG_ORIGINS.index("qatar")
    assert not inp_f.lng_fixed_non_eu[q].any()
    # mcm: 8.08 bcm of Qatari cargoes no longer fixed to the UK; it still bids for some in its winter (14.7 -> 10.7)
    assert sol_f.lng[uk, w].sum() < sol.lng[uk, w].sum() - 3000.0


def test_wider_storage_on_1_november_against_gie(data):
    # Published: GIE AGSI+ (gie_agsi_eu_storage_fill_daily_2011_2022.csv): EU fill on 1 November 2021 77.1%, the
    # 2011-2020 average 90.7% (2015-2020: 83.8, 89.9, 88.8, 86.8, 97.3, 95.0%). Calendar 2021 replay on the wider
    # network (storage 73.8% on 1 January 2021, at least 53.8% at the end): 80.0% (81.9 before Norway's, 80.6
    # before the EU27 LNG's and North Africa's observed months), 2.9 points above 2021's 77.1%
    # (Gazprom's own sites left unfilled in 2021 are not in the model); the EU-only network sits at its 80% target.
    # Tolerance: within 8 points of 2021 and above it (the documented sign of the gap, docs/validation.md, gas).
    fill = data["gas_storage_fill_2021"].set_index("month")["eu_fill_share_start_of_month"]
    values = {
        **econ.load_registry().defaults(),
        **WIDER,
        "gas.start_month": "2021-01",
        "gas.horizon_months": 12,
        "gas.storage.initial_fill": float(fill[1]),
        "gas.storage.end_fill": float(fill[13]),
        "gas.production.change_share": 0.0,
    }
    system = gas.gas_system(data, wider=True)
    inputs = gas.build_inputs(Params(values), system)
    sol = gas.solve_lp(inputs, system, gas.HighsSession(warm=False))
    eu, october = system.eu, inputs.months.index("2021-10")
    nov1 = 100 * sol.level[eu, october].sum() / inputs.storage_wgv[eu].sum()
    observed = 100 * float(fill[11])
    assert observed == pytest.approx(77.08, abs=0.01)
    assert observed < nov1 < observed + 8.0


# ---- Norway's split between the UK and the continent (methodology, gas, 3.6: entry groups) ----


def _norway_by_side(res):
    """(continent, UK) Norwegian pipeline gas by month, bcm, over the whole horizon."""
    b = res.tables["gas_balance"].query("item == 'pipeline_norway'")
    uk = b[b["country"] == "UK"].groupby("month")["value_bcm"].sum()
    return b[b["country"] != "UK"].groupby("month")["value_bcm"].sum(), uk


def test_norway_continental_pipes_are_one_group_cap(data):
    # data/gas_corridor_groups.csv (scripts/build_gas_data.py build_norway_split): the best monthly mean of the
    # Norwegian flow into BE, DE, NL and FR over 2015-2021 (ENTSOG; April 2019), 241.34 mcm/d = 88.1 bcm/yr
    row = data["gas_corridor_groups"].set_index(["corridor", "group"]).loc[("norway", "continent")]
    assert row["capacity_mcm_per_day"] == pytest.approx(241.34, abs=0.01)
    # Validation against the pipes' published capacities (data/gas_published_figures.csv): Europipe I and II 115
    # mcm/d (Statoil, 1 October 1999), Norpipe 34.1 (Gassco via Namiary.pl, 2016), Franpipe's Dunkerque terminal 50
    # (OGJ, 1998), Zeepipe's not found (ENTSOG's Zeebrugge ZPT entry, 43.9): 243.0 mcm/d. Tolerance 2%: the operators
    # count standard m3, the model m3 at GCV 40 MJ/m3, and Zeepipe's figure is an entry capacity.
    pub = pd.read_csv(econ.data.data_dir() / "gas_published_figures.csv").set_index("key")["value"]
    zpt = (
        data["gas_pipeline_supply"]
        .set_index(["corridor", "entry_country"])
        .loc[("norway", "BE"), "capacity_mcm_per_day"]
    )
    pipes = (
        pub["statoil_europipe_capacity"] + pub["gassco_norpipe_capacity"] + pub["norfra_dunkerque_terminal_capacity"]
    )
    assert pipes + zpt == pytest.approx(243.0, abs=0.05)
    assert row["capacity_mcm_per_day"] == pytest.approx(pipes + zpt, rel=0.02)
    for wider in (False, True):
        system = gas.gas_system(data, wider=wider)
        groups = {g: (m, c) for g, m, c in system.entry_groups}
        members, cap = groups["norway:continent"]
        assert cap == row["capacity_mcm_per_day"]
        assert sorted(system.countries[system.entry_node[e]] for e in members) == ["BE", "DE", "FR"]
        assert all(system.entry_source[e] == "norway" for e in members)


def test_the_continental_cap_bounds_norways_swing_under_the_cutoff(wide, data):
    """sum_{e in continent} x_{e,t} <= G d_t (3.6). Under the cut-off the continent takes all the corridor allows
    (the cap binds in every month), and the UK keeps the rest of the corridor: the swing from the UK is bounded."""
    g = data["gas_corridor_groups"]["capacity_mcm_per_day"].iloc[0]
    cont, uk = _norway_by_side(wide["russia_gas_cutoff"])
    days = np.array([pd.Period(m, "M").days_in_month for m in cont.index])
    assert (cont.to_numpy() <= g * days / 1000 + 1e-6).all()
    assert np.isclose(cont.to_numpy(), g * days / 1000, atol=1e-4).sum() >= 12
    base_cont, base_uk = _norway_by_side(wide["baseline"])
    # the UK's Norwegian gas falls by less than the continental cap's headroom over the baseline's continental flow
    w = slice(0, 12)
    headroom = (g * days[w] / 1000 - base_cont.to_numpy()[w]).sum()
    assert base_uk.iloc[w].sum() - uk.iloc[w].sum() <= headroom + 1e-6


def test_halving_the_continental_cap_halves_norways_continental_gas(data):
    """The same cut-off on the EU-only network, whose corridor total (83.2 bcm x 1.03 = 234.8 mcm/d) stays below
    the cap (241.3): the cap does not bind. At half the cap (120.7 mcm/d) it binds in every month, by hand."""
    params = econ.load_scenario("russia_gas_cutoff").params.with_values(EU_ONLY)
    system = gas.system_for(params, data)
    ((name, members, cap),) = system.entry_groups
    inp = gas.build_inputs(params, system)
    sol = gas.solve_lp(inp, system, gas.HighsSession(warm=False))
    cont = sol.entry[members].sum(axis=0)
    assert (cont < cap * inp.days - 1.0).all()  # not binding at the data's cap
    half = dataclasses.replace(system, entry_groups=((name, members, cap / 2),))
    inp2 = gas.build_inputs(params, half)
    sol2 = gas.solve_lp(inp2, half, gas.HighsSession(warm=False))
    assert sol2.entry[members].sum(axis=0) == pytest.approx(cap / 2 * inp2.days, abs=1e-3)


# ---- Ukraine's storage cycle (methodology, gas, section 1; gas.storage.ukraine_drawdown_bcm) ----


def _ua_storage(params, data):
    system = gas.system_for(params, data)
    inputs = gas.build_inputs(params, system)
    sol = gas.solve_lp(inputs, system, gas.HighsSession(warm=False))
    ua = system.countries.index("UA")
    return inputs.storage_start[ua], inputs.storage_wgv[ua], sol.level[ua]


def test_ukraine_starts_its_2021_drawdown_above_the_end_floor(data):
    # GTSOU: 14.079 bcm on 27 Dec 2021, 9.97 less than a year before; x 0.944 = 9.41 model bcm. Ukraine's storage
    # starts at floor + drawdown = 0.286 x 29.26 + 9.41 = 17.78 bcm and, in the baseline, ends at the floor (8.37):
    # it draws the whole 9.41 down over the horizon instead of importing it from the EU.
    params = econ.load_scenario("baseline").params.with_values(WIDER)
    assert float(params["gas.storage.ukraine_drawdown_bcm"]) == pytest.approx(9.97 * 0.944, abs=0.005)
    start, wgv, level = _ua_storage(params, data)
    floor = 0.286 * wgv
    assert start == pytest.approx(floor + 9410.0, abs=1e-6)
    assert level[-1] == pytest.approx(floor, abs=1.0)  # mcm: the floor binds
    # 0: the cycle ends where it starts, as every other node's (the model before this parameter)
    start0, _, level0 = _ua_storage(params.with_values({"gas.storage.ukraine_drawdown_bcm": 0.0}), data)
    assert start0 == pytest.approx(floor, abs=1e-6) and level0[-1] >= floor - 1.0
    # more of Ukraine's own gas, less drawn from the EU: the EU27 price falls (baseline 48.96 -> 45.71 EUR/MWh)
    on = econ.run(econ.load_scenario("baseline").with_overrides(WIDER))
    off = econ.run(econ.load_scenario("baseline").with_overrides({**WIDER, "gas.storage.ukraine_drawdown_bcm": 0.0}))
    assert on.value("ttf_price_avg_eur_mwh") < off.value("ttf_price_avg_eur_mwh") - 1.0


def test_a_ukrainian_drawdown_beyond_its_storage_is_refused(data):
    params = econ.load_scenario("baseline").params.with_values({**WIDER, "gas.storage.ukraine_drawdown_bcm": 25.0})
    with pytest.raises(ParameterError, match="ukraine_drawdown_bcm"):
        gas.build_inputs(params, gas.system_for(params, data))


# ---- Norway's seasonal swing (methodology, gas, 3.6) ----


def test_norways_deliveries_follow_their_observed_months_on_the_wider_network(data):
    """B_norway,t = 1000 F r_m(t) d_t / 365 on the wider network, r the 2015-2021 ratio of all of Norway's entries'
    mean daily flow in the calendar month to its annual mean (ENTSOG, data/gas_norway_monthly_profile.csv, built by
    scripts/build_gas_data.py build_norway_profile: January 1.120, September 0.851; the continental entries alone
    0.994 and 0.898); flat (r = 1) on the EU-only network, as before. By hand for January and September."""
    prof = data["gas_norway_monthly_profile"].set_index(["entries", "month"])["ratio_to_mean"]
    days = np.array([pd.Period(f"2021-{m:02d}", "M").days_in_month for m in range(1, 13)])
    for entries in ("all", "continent"):
        r = prof.loc[entries].reindex(range(1, 13)).to_numpy()
        assert r @ days == pytest.approx(365, abs=0.01)  # 4-decimal rounding of twelve ratios
    assert prof["all", 1] == pytest.approx(1.1197, abs=1e-4) and prof["all", 9] == pytest.approx(0.8509, abs=1e-4)
    assert abs(prof["continent", 1] - 1) < 0.01 < abs(prof["all", 1] - 1)  # the swing is the UK's entries'
    params = Params({**econ.load_registry().defaults(), **WIDER})
    system = gas.system_for(params, data)
    inputs = gas.build_inputs(params, system)
    base = system.corridor_base["norway"]
    for month, ratio in (("2023-01", 1.1197), ("2022-09", 0.8509)):
        t = inputs.months.index(month)
        hand = 1000 * base * ratio * inputs.days[t] / 365
        assert inputs.corridor_base["norway"][t] == pytest.approx(hand, rel=1e-12)
        assert inputs.corridor_extra["norway"][t] == pytest.approx(hand * 0.03, rel=1e-12)
    eu_params = Params({**econ.load_registry().defaults(), **EU_ONLY})
    eu_only = gas.system_for(eu_params, data)
    eu_inputs = gas.build_inputs(eu_params, eu_only)
    assert (eu_only.norway_profile == 1.0).all()
    np.testing.assert_array_equal(
        eu_inputs.corridor_base["norway"], 1000 * eu_only.corridor_base["norway"] * (eu_inputs.days / 365)
    )


def _eu_fill_on_1_november(params, system) -> float:
    """The EU27 nodes' storage fill at the end of October 2022 (% of their working gas), one cold solve."""
    inp = gas.build_inputs(params, system)
    sol = gas.solve_lp(inp, system, gas.HighsSession(warm=False))
    oct_ = inp.months.index("2022-10")
    return 100 * sol.level[system.eu, oct_].sum() / inp.storage_wgv[system.eu].sum()


def test_a_flat_norway_makes_eu_storage_carry_the_uks_winter(data):
    """The mechanism behind the wider network's 1 November fill (validation, wider Europe): with Norway flat, the UK's
    winter takes Norwegian gas the continent would get, and EU27 storage fills to 90.5%; with Norway's observed
    winter swing, 86.2%. The EU27 nodes' 1 November fill, baseline; GIE AGSI+ 2021: 77.1%, 2011-2020 mean 90.7%."""
    params = econ.load_scenario("baseline").params.with_values(WIDER)
    system = gas.system_for(params, data)

    def nov1(sys_):
        return _eu_fill_on_1_november(params, sys_)

    seasonal = nov1(system)
    flat = nov1(dataclasses.replace(system, norway_profile=np.ones(12)))
    assert flat > seasonal + 3.0  # 90.5 against 86.2 (2026-11-30, gaswide4); with LNG and North Africa's months too


# ---- the other supplies' observed months (methodology, gas, 3.6 and 3.7) ----


def test_eu_lng_cargoes_and_north_african_pipes_follow_their_observed_months(data):
    """Wider network: the EU27's destination-fixed cargoes G_o,t = 1000 (1 - phi_o) (E_o - E_o^UK) r^lng_m(t) d_t /
    365 and the Algerian and Libyan corridors B_c,t = 1000 F_c r^c_m(t) d_t / 365, r the 2015-2021 ratio of the
    mean daily flow in the calendar month to the annual mean (ENTSOG; data/gas_supply_monthly_profile.csv, built
    by scripts/build_gas_data.py build_supply_profile: EU27 LNG send-out January 0.897, April 1.181, August 0.840;
    Transmed at Mazara January 1.286, August 0.785); flat on the EU-only network. By hand for Qatar and Transmed."""
    prof = data["gas_supply_monthly_profile"].set_index(["supply", "month"])["ratio_to_mean"]
    days = np.array([pd.Period(f"2021-{m:02d}", "M").days_in_month for m in range(1, 13)])
    for key in ("lng_eu27", "algeria_transmed", "algeria_medgaz", "algeria_gme", "libya_greenstream"):
        assert prof.loc[key].reindex(range(1, 13)).to_numpy() @ days == pytest.approx(365, abs=0.01)
    assert prof["lng_eu27", 1] == pytest.approx(0.8967, abs=1e-4)
    assert prof["lng_eu27", 8] == pytest.approx(0.8401, abs=1e-4)
    assert prof["algeria_transmed", 1] == pytest.approx(1.2855, abs=1e-4)
    params = Params({**econ.load_registry().defaults(), **WIDER})
    system = gas.system_for(params, data)
    inputs = gas.build_inputs(params, system)
    q = gas.system.LNG_ORIGINS.index("qatar")
    phi = float(params["gas.lng.qatar.divertible_share"])
    e_eu = system.lng_base["qatar"] - system.lng_base_non_eu["qatar"]
    base = system.corridor_base["algeria_transmed"]
    for month in ("2023-01", "2022-08", "2022-04"):
        t = inputs.months.index(month)
        m = inputs.cal[t]
        hand = 1000 * (1 - phi) * e_eu * prof["lng_eu27", m] * inputs.days[t] / 365
        assert inputs.lng_fixed[q, t] == pytest.approx(hand, rel=1e-12)
        pipe = 1000 * base * prof["algeria_transmed", m] * inputs.days[t] / 365
        assert inputs.corridor_base["algeria_transmed"][t] == pytest.approx(pipe, rel=1e-12)
    # the EU-only network keeps every such supply flat
    eu_params = Params({**econ.load_registry().defaults(), **EU_ONLY})
    eu_only = gas.system_for(eu_params, data)
    eu_inputs = gas.build_inputs(eu_params, eu_only)
    assert not eu_only.supply_profile
    np.testing.assert_allclose(
        eu_inputs.lng_fixed[q], 1000 * (1 - phi) * eu_only.lng_base["qatar"] * eu_inputs.days / 365, rtol=1e-12
    )


def test_flat_eu_lng_and_north_african_pipes_make_eu_storage_fill_higher(data):
    """The mechanism (validation, wider Europe, "Default"): supplies spread evenly over the year deliver in summer
    what the observed months deliver in winter, and EU27 storage carries the difference. The wider baseline's EU27
    1 November fill with the observed months (ENTSOG 2015-2021) is 84.4%, with the EU27's fixed LNG and the
    Algerian and Libyan pipes flat 86.4% (transport tariffs on, scale 1; at scale 0 83.7 and 85.3%, and 86.2% flat
    before Ukraine's exits into the EU, whose storage now carries part of the flat supplies' summer surplus; GIE
    AGSI+ 1 November 2021: 77.1%)."""
    params = econ.load_scenario("baseline").params.with_values(WIDER)
    system = gas.system_for(params, data)

    def nov1(sys_):
        return _eu_fill_on_1_november(params, sys_)

    seasonal = nov1(system)
    flat = nov1(dataclasses.replace(system, supply_profile={}))
    assert seasonal == pytest.approx(84.4, abs=0.1)
    assert flat == pytest.approx(86.4, abs=0.1)
    # each part moves the fill the same way: the LNG cargoes alone, the pipes alone
    lng_only = nov1(dataclasses.replace(system, supply_profile={"lng_eu27": system.supply_profile["lng_eu27"]}))
    pipes = {k: v for k, v in system.supply_profile.items() if k != "lng_eu27"}
    pipes_only = nov1(dataclasses.replace(system, supply_profile=pipes))
    assert seasonal < lng_only < flat and seasonal < pipes_only < flat  # 86.0 and 85.1


def test_wider_baseline_fill_within_observed_years(wide):
    """The storage criterion (docs/validation.md, gas, "Default"): the baseline starts from 1 March 2022's 28.6% and
    has no year of its own to match; its EU27 1 November fill must reach the target (Regulation (EU) 2017/1938 as
    amended, 80%, gas.storage.target_fill) and lie within the observed 1 November fills of 2015-2021, GIE AGSI+
    (gie_agsi_eu_storage_fill_daily_2011_2022.csv): 83.8, 89.9, 88.8, 86.8, 97.3, 95.0, 77.1%. The like-for-like
    check, the calendar-2021 replay, is test_wider_storage_on_1_november_against_gie. Model: 83.7%."""
    observed = (83.8, 89.9, 88.8, 86.8, 97.3, 95.0, 77.1)
    fill = wide["baseline"].value("eu_storage_nov1_pct")
    target = 100 * float(econ.load_registry().defaults()["gas.storage.target_fill"])
    assert fill >= target - 1e-6
    assert min(observed) <= fill <= max(observed)


# ---- Ukraine's exits into the EU (methodology, gas, 3.6, joint border points) ----


def _sol(params, data, system=None):
    system = system or gas.system_for(params, data)
    inputs = gas.build_inputs(params, system)
    return system, inputs, gas.solve_lp(inputs, system, gas.HighsSession(warm=False))


def test_ukraines_exits_are_arcs_at_the_transits_entry_points(data):
    """One arc UA > c per EU border the ukraine route enters (SK, HU, PL, RO), at the route's entry capacity there
    (the same ENTSOG points, data/gas_russian_routes.csv), paired with that entry in a joint row; Moldova's own
    link (UA > MD, its own estimated capacity) is not joint. The EU-only network has no UA node and no such pair."""
    system = gas.gas_system(data, wider=True)
    routes = data["gas_russian_routes"]
    cap = dict(
        zip(
            routes.loc[routes.route == "ukraine", "entry_country"],
            routes.loc[routes.route == "ukraine", "capacity_mcm_per_day"],
        )
    )
    c = system.countries
    pairs = {c[system.arc_to[a]]: (e, a) for e, a in system.joint_points}
    assert sorted(pairs) == ["HU", "PL", "RO", "SK"]
    for country, (e, a) in pairs.items():
        assert c[system.arc_from[a]] == "UA" and system.entry_source[e] == "ukraine"
        assert c[system.entry_node[e]] == country
        assert system.arc_capacity[a] == pytest.approx(cap[country]) == pytest.approx(system.entry_capacity[e])
    assert cap["SK"] == pytest.approx(204.984) and cap["HU"] == pytest.approx(46.404)
    assert gas.gas_system(data, wider=False).joint_points == ()


def test_russian_transit_and_ukraines_exports_share_each_points_capacity(data):
    """x_{e,t} + f_{a,t} <= K_e d_t (3.6) by hand, every joint point and month. With the ukraine route at full
    utilisation the EU27 side's cap is the sum of its entries' capacities and Russian gas (cheaper than any other
    supply) fills every entry: Ukraine can export nothing through them. Without the joint rows the same run sends
    Ukrainian gas through points already full of Russian transit (378 mcm a month more through Drozdovychi-
    Hermanowice than the point holds: the rows bind)."""
    params = econ.load_scenario("baseline").params.with_values({**WIDER, "gas.russia.ukraine.utilisation": 1.0})
    system, inputs, sol = _sol(params, data)
    assert sol.status == "ok"
    slack = np.array(
        [system.entry_capacity[e] * inputs.days - sol.entry[e] - sol.flow[a] for e, a in system.joint_points]
    )
    assert (slack >= -1e-3).all()  # mcm
    assert (slack.min(axis=0) < 1.0).all()  # some point is full in every month (Poland's, Slovakia's)
    loose, inputs_l, sol_l = _sol(params, data, dataclasses.replace(system, joint_points=()))
    over = [sol_l.entry[e] + sol_l.flow[a] - system.entry_capacity[e] * inputs_l.days for e, a in system.joint_points]
    assert max(float(o.max()) for o in over) > 1.0  # mcm in a month: beyond the points' capacity


@pytest.mark.parametrize("preset", ["baseline", "russia_gas_cutoff", "russia_partial_cut"])
def test_ukraines_price_is_its_neighbours_within_transport_costs(preset, data):
    """Where a link between Ukraine and an EU neighbour c has room (3.4, 3.8: an arc below its cap and, out of
    Ukraine, its joint point below capacity), no trade along it pays: P_c - P_UA <= c_{UA>c} and P_UA - P_c <=
    c_{c>UA}, c_a = 0.1 + s tau_a EUR/MWh (tau_a the median ACER tariff for these borders). Checked by hand on the
    duals in every month; Ukraine's price was 31-32 EUR/MWh in the baseline and 52.6-53.6 under the cut-off with
    no exits (EU 45-46 and 225): now within a few tenths of Slovakia's."""
    params = econ.load_scenario(preset).params.with_values(WIDER)
    system, inputs, sol = _sol(params, data)
    c = list(system.countries)
    ua = c.index("UA")
    joint = {a: e for e, a in system.joint_points}
    checked = 0
    for a in range(len(system.arc_from)):
        i, j = system.arc_from[a], system.arc_to[a]
        if ua not in (i, j) or "MD" in (c[i], c[j]):
            continue
        room = sol.flow[a] < inputs.arc_ub[a] - 1.0
        if a in joint:
            e = joint[a]
            room &= sol.entry[e] + sol.flow[a] < system.entry_capacity[e] * inputs.days - 1.0
        gap = sol.price[j] - sol.price[i]  # the gain from one more unit along a
        assert (gap[room] <= inputs.arc_cost[a] + 0.01).all(), (c[i], c[j], gap[room].max())
        checked += int(room.sum())
    assert checked >= 4 * len(inputs.months)
    sk = c.index("SK")
    assert np.abs(sol.price[ua] - sol.price[sk]).max() < 1.0  # EUR/MWh: no border congested in these runs


def test_ukraines_flows_with_the_eu_a_documented_gap(wide):
    """Documented (docs/validation.md, gas, wider Europe, "Ukraine's exits"): in 2021 Ukraine imported 2.56 bcm from
    the EU (GTSOU via Interfax-Ukraine, data/gas_published_figures.csv ua_imports_eu_2021) and re-exported little of
    the customs-warehouse gas (0.4 of 5.5 bcm withdrawn by non-residents in 2020/21, Ukrtransgaz via Ukrainian
    News, July 2021). The wider baseline, with Ukraine's 2021 drawdown (9.41 bcm) and 19.0 bcm of production against
    25.3 bcm of demand, is instead a net exporter to the EU27 over the 13 months (about 1.6 bcm); under the cut-off it
    exports more (about 6 bcm) at the EU's price. Asserted so that a change is noticed."""
    pub = pd.read_csv(Path(__file__).resolve().parents[1] / "data" / "gas_published_figures.csv").set_index("key")
    assert float(pub.loc["ua_imports_eu_2021", "value"]) == pytest.approx(2.56)
    net = {}
    for preset, res in wide.items():
        f = res.tables["gas_flows"]
        eu = f["to_country"].isin(["SK", "HU", "PL", "RO"]) & (f["from_country"] == "UA")
        back = f["from_country"].isin(["SK", "HU", "PL", "RO"]) & (f["to_country"] == "UA")
        net[preset] = float(f.loc[eu, "flow_bcm"].sum() - f.loc[back, "flow_bcm"].sum())
    assert 0.5 < net["baseline"] < 3.0
    assert net["russia_gas_cutoff"] > net["baseline"] + 2.0


# ---- Ukraine's drawdown is one gas year's (methodology, gas, 3.5) ----


def test_ukraines_drawdown_is_spent_within_the_first_gas_year(data):
    """S_{n,tau} + sum e >= sigma^end W_n at the end of every gas year inside the horizon (3.5, lp.stock_floors), by
    hand for Ukraine, which starts its 2021 drawdown (9.41 bcm) above the floor: on a 24-month run the floor rows
    are at March 2023 (index 12, every store) and none on a 13-month run (its end floor is the same row). The row
    binds where Ukraine would otherwise spread the drawdown over two winters: Nord Stream 1 shut for the first gas
    year only (back at 0.9 from March 2023) on a 24-month cut-off; without it every store ends March 2023 below its
    floor by 23.8 bcm in all, Ukraine's emptied, and refills in the second summer."""
    from econ.time import DatedPath

    ns1 = DatedPath(0.0, (("2023-03", 0.9),))
    params = econ.load_scenario("russia_gas_cutoff").params.with_values(
        {**WIDER, "gas.horizon_months": 24, "gas.russia.nord_stream_1.utilisation": ns1}
    )
    system = gas.system_for(params, data)
    inputs = gas.build_inputs(params, system)
    ua = system.countries.index("UA")
    floor = 0.286 * inputs.storage_wgv
    assert inputs.floor_months == (12,)
    assert gas.build_inputs(params.with_values({"gas.horizon_months": 13}), system).floor_months == ()
    sol = gas.solve_lp(inputs, system, gas.HighsSession(warm=False))
    free = gas.solve_lp(dataclasses.replace(inputs, floor_months=()), system, gas.HighsSession(warm=False))
    stores = inputs.storage_wgv > 0
    assert (sol.level[stores, 12] >= floor[stores] - 1.0).all()  # mcm: every store
    assert sol.level[ua, 12] == pytest.approx(floor[ua], abs=1.0)  # mcm: Ukraine's row binds
    assert free.level[ua, 12] < 1.0  # emptied without the rows
    assert (floor - free.level[:, 12])[stores].clip(0).sum() > 20000.0  # mcm below the floors in all
    assert sol.level[ua, -1] >= floor[ua] - 1.0 and free.level[ua, -1] >= floor[ua] - 1.0


@pytest.mark.parametrize("preset", ["russia_partial_cut", "russia_gas_cutoff"])
def test_the_horizon_gap_closes_on_the_wider_network(preset, data):
    """The wider network's 24-month runs face the 13-month run's end floor at March 2023 (3.5): before the rule the
    partial cut's 24-month run ended March 2023 with 10.9 bcm of stores below their floors (DE 6.1, FR 2.8, UK 0.9,
    RO 0.5 bcm; 1.5 bcm less in store in all) and its first 12 months' EU27 price was 11.6% lower (80.69 against
    91.28 EUR/MWh, industry's 10-15% step instead of households' 2-5%). The first 12 months' average EU27 price and
    every one of the 13 months' prices agree within 1% (tests/test_gas_prices.py's tolerance), and every store
    ends March 2023 at least at its floor in both runs."""
    params = econ.load_scenario(preset).params.with_values(WIDER)
    system = gas.system_for(params, data)
    out = {}
    for h in (13, 24):
        inputs = gas.build_inputs(params.with_values({"gas.horizon_months": h}), system)
        sol = gas.solve_lp(inputs, system, gas.HighsSession(warm=False))
        stores = inputs.storage_wgv > 0
        assert (sol.level[stores, 12] >= inputs.end_fill * inputs.storage_wgv[stores] - 1.0).all()
        price = gas.accounts.eu_price(inputs, sol, system.eu)[:13]
        weight = inputs.demand[system.eu].sum(axis=(0, 1))[:12]
        out[h] = (price, (price[:12] * weight).sum() / weight.sum())
    assert out[24][1] == pytest.approx(out[13][1], rel=0.01)
    np.testing.assert_allclose(out[24][0], out[13][0], rtol=0.01)
