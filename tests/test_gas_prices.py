"""Prices in the gas market: calibration on 2021, the autumn-2021 episode, the response to a Russian cut, the
horizon, and properties of the node prices (docs/methodology.md, gas, 3.3-3.9; docs/validation.md, gas).

Observed prices: World Bank Pink Sheet NGAS_EUR (TTF-based, USD/mmbtu) at the ECB's 2021 EUR/USD average and
0.29307 MWh/mmbtu (data/gas_prices_monthly.csv, built by scripts/build_gas_data.py).
"""

from __future__ import annotations

import dataclasses
from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import econ
from econ import gas
from econ.data import load_data
from econ.engine import run_params
from econ.gas.accounts import eu_price
from econ.params import Params
from econ.time import DatedPath

REGISTRY = econ.load_registry()
DEFAULTS = REGISTRY.defaults()


@pytest.fixture(scope="module")
def observed(data):
    return data["gas_prices_monthly"].set_index("month")["ttf_eur_mwh"]


def _solve(data, wider: bool = False, **values):
    """Solve the gas LP alone for the registry defaults plus ``values`` (Params built directly: the episodes
    below start before the registry's plausible start months), on the EU-only network unless ``wider``."""
    system = gas.gas_system(data, wider)
    inputs = gas.build_inputs(Params({**DEFAULTS, **values}), system)
    sol = gas.solve_lp(inputs, system, gas.HighsSession(warm=False))
    assert sol.status == "ok", sol.message
    return inputs, sol


def _avg(inputs, sol, months=None, wider: bool = False) -> float:
    """Demand-weighted EU27 average price over ``months`` (default: all), EUR/MWh."""
    eu = gas.gas_system(load_data(), wider).eu
    price = eu_price(inputs, sol, eu)
    weight = inputs.demand[eu].sum(axis=(0, 1))
    keep = np.array([m in months for m in inputs.months]) if months is not None else np.ones(len(price), bool)
    return float((price * weight)[keep].sum() / weight[keep].sum())


# ---- calibration (2021) ----


def test_reference_price_is_the_2021_pink_sheet_average(observed):
    # gas.price.reference_eur_mwh is the 2021 average of NGAS_EUR: USD 16.12/mmbtu / 1.1827 / 0.29307.
    mean_2021 = observed[[m for m in observed.index if m.startswith("2021")]].mean()
    assert mean_2021 == pytest.approx(46.50, abs=0.01)
    assert float(DEFAULTS["gas.price.reference_eur_mwh"]) == pytest.approx(mean_2021, abs=0.01)


def test_baseline_price_is_near_the_2021_average(observed):
    # The baseline (2021-like Russian flows from March 2022) clears near the 2021 average: the demand curves pass
    # through the reference demand at P0, and Asia's flexible LNG demand through its 2020 take at P0 plus the
    # freight spread. Tolerance 15%: the data's reference demand (2019-20 mean) and supply (2020-21) differ by
    # a few bcm, which the curves turn into a price gap of a few percent.
    res = econ.run("baseline")
    price = res.value("ttf_price_avg_eur_mwh")
    assert 15 <= price <= 90
    assert price == pytest.approx(observed[[m for m in observed.index if m.startswith("2021")]].mean(), rel=0.15)
    assert res.value("eu_gas_shortfall_bcm") == pytest.approx(0.0, abs=1e-6)


@pytest.mark.parametrize("wider", [False, True], ids=["eu_only", "wider"])
def test_calendar_2021_replay_level_and_its_documented_gap(data, observed, wider):
    # Calendar 2021 with the 2021 storage path (GIE AGSI+: 73.8% on 1 Jan 2021, 53.8% on 1 Jan 2022) and the 2021
    # Russian route utilisations. Observed average 46.5 EUR/MWh; the model gives about 36 (docs/validation.md,
    # gas: the 2021 run-up came from Asia's LNG demand surge and Gazprom's end to spot sales, which the 2020-based
    # Asian reference and the average Russian utilisation leave out; 35.9 EUR/MWh on the EU-only network, 37.4 on
    # the wider Europe, the default). Tolerance 30%, the documented gap; the
    # monthly shape (18 EUR/MWh in February to 110 in December) is not reproduced: the model's months lie within
    # 15% of each other (a documented gap, checked here so that a change of shape is noticed).
    fill = data["gas_storage_fill_2021"].set_index("month")["eu_fill_share_start_of_month"]
    inputs, sol = _solve(
        data,
        wider,
        **{
            "gas.start_month": "2021-01",
            "gas.horizon_months": 12,
            "gas.storage.initial_fill": float(fill[1]),
            "gas.storage.end_fill": float(fill[13]),
            "gas.production.change_share": 0.0,
        },
    )
    model = _avg(inputs, sol, wider=wider)
    obs = observed[inputs.months].to_numpy()
    assert model == pytest.approx(obs.mean(), rel=0.30)
    assert model < obs.mean()  # the sign of the documented gap
    monthly = eu_price(inputs, sol, gas.gas_system(load_data(), wider).eu)
    assert monthly.max() / monthly.min() < 1.15
    assert obs.max() / obs.min() > 5


@pytest.mark.parametrize("wider", [False, True], ids=["eu_only", "wider"])
def test_autumn_2021_raises_the_price_but_less_than_observed(data, observed, wider):
    # Autumn 2021: storage 74.9% full on 1 October (GIE AGSI+) against about 90% in a usual year, and Russian
    # flows below their 2021 average from October (ENTSOG: 86-90% of it in Oct-Dec, 67% in January 2022; no
    # spot sales beyond the long-term contracts). Observed Oct 2021 - Jan 2022: 90 EUR/MWh, about twice the
    # 2021 average. The model's rise is positive but a fraction of it (docs/validation.md, gas, autumn 2021):
    # +5.7 EUR/MWh on the EU-only network, +7.6 on the wider Europe (the default), at transport tariffs' scale 1.
    fill = data["gas_storage_fill_2021"].set_index("month")["eu_fill_share_start_of_month"]
    ratio = data["gas_russia_monthly_2021"].set_index("month")["ratio_to_2021_mean"]
    winter = ["2021-10", "2021-11", "2021-12", "2022-01"]
    common = {"gas.start_month": "2021-10", "gas.horizon_months": 12, "gas.production.change_share": 0.0}
    # wider Europe: Ukraine's cycle ends where it starts (its 9.41 bcm drawdown is calendar 2021's, and a 90% start
    # plus it would exceed its working gas)
    common["gas.storage.ukraine_drawdown_bcm"] = 0.0
    normal = _solve(data, wider, **common, **{"gas.storage.initial_fill": 0.90, "gas.storage.end_fill": 0.90})
    steps = tuple((m, float(ratio[m])) for m in [*winter, "2022-02"]) + (("2022-03", 1.0),)
    russia = {
        name: DatedPath(float(DEFAULTS[name]), tuple((m, float(DEFAULTS[name]) * r) for m, r in steps))
        for name in gas.ROUTE_PARAM.values()
    }
    episode = _solve(
        data, wider, **common, **russia, **{"gas.storage.initial_fill": float(fill[10]), "gas.storage.end_fill": 0.90}
    )
    rise_model = _avg(*episode, winter, wider=wider) - _avg(*normal, winter, wider=wider)
    rise_observed = observed[winter].mean() - observed[[m for m in observed.index if m.startswith("2021")]].mean()
    assert rise_model > 2.0
    assert rise_model < rise_observed


# ---- a Russian cut ----


@pytest.fixture(scope="module")
def cuts():
    return {p: econ.run(p) for p in ("baseline", "russia_partial_cut", "russia_gas_cutoff")}


def test_price_is_monotone_in_the_cut(cuts):
    price = [cuts[p].value("ttf_price_avg_eur_mwh") for p in ("baseline", "russia_partial_cut", "russia_gas_cutoff")]
    assert price[0] <= price[1] <= price[2]
    peak = [cuts[p].value("ttf_price_peak_eur_mwh") for p in ("baseline", "russia_partial_cut", "russia_gas_cutoff")]
    assert peak[0] <= peak[1] <= peak[2]


def test_full_cutoff_raises_the_price_by_half_and_prices_out_demand(cuts):
    base, cut = cuts["baseline"], cuts["russia_gas_cutoff"]
    assert cut.value("ttf_price_avg_eur_mwh") >= 1.5 * base.value("ttf_price_avg_eur_mwh")
    response = cut.value("eu_demand_response_bcm") - base.value("eu_demand_response_bcm")
    assert response >= 5.0
    # coverage reports the price response as its own item, and the items add up to the lost volume; against the
    # 2021 reference (gas.reference.run_rate false) the cut-off's reference run is the baseline, so its price
    # response item is the response above the baseline's
    cut21 = econ.run(econ.load_scenario("russia_gas_cutoff").with_overrides({"gas.reference.run_rate": False}))
    cov = cut21.tables["gas_coverage"].set_index("item")["value_bcm"]
    assert cov["price_response"] == pytest.approx(response, abs=1e-6)
    assert cov.sum() == pytest.approx(cut21.value("russian_gas_lost_bcm"), abs=1e-6)
    cov = cut.tables["gas_coverage"].set_index("item")["value_bcm"]
    assert cov.sum() == pytest.approx(cut.value("russian_gas_lost_bcm"), abs=1e-6)
    # the import bill rises with the price
    assert cut.value("eu_gas_import_bill_bn_eur") > base.value("eu_gas_import_bill_bn_eur")


def test_industry_and_power_give_way_before_households(cuts):
    # Elasticities: industry -0.3 and power -0.6 against households -0.1 (registry): at the cut-off's prices the
    # share of demand priced out is larger in industry and power than in households.
    t = cuts["russia_gas_cutoff"].tables["gas_unserved"].groupby("sector")[["demand_bcm", "response_bcm"]].sum()
    share = t["response_bcm"] / t["demand_bcm"]
    assert share["industry"] > share["households"] and share["power"] > share["households"]
    # power's response is bounded by its fuel-switching capacity (gas.demand.power.switch_max_share)
    assert share["power"] <= float(DEFAULTS["gas.demand.power.switch_max_share"]) + 1e-9


def test_each_sector_response_is_within_its_capacity_bound(cuts):
    # eq. 3.3: the curve ends at the sector's bound (power: fuel switching; industry: what can be shut or switched;
    # households and services: comfort), in every country and month, not only on the EU sum
    bounds = gas.system.response_bounds(Params(DEFAULTS))
    t = cuts["russia_gas_cutoff"].tables["gas_unserved"]
    for sector, bound in bounds.items():
        rows = t[t.sector == sector]
        assert (rows.response_bcm <= bound * rows.demand_bcm + 1e-9).all(), sector


def test_one_country_sector_curve_by_hand(data):
    # eq. 3.3 for German industry in March 2022, registry defaults: Q = Q0 ((P + m) / (P0 + m))^eps with
    # P0 = 46.5, m = gas.demand.markup.industry = 10, eps = -0.3, the curve ended at
    # gas.demand.industry.max_response_share = 0.40. Breakpoints 0, .02, .05, .10, .15, .20, .30, .45 become
    # 0, .02, .05, .10, .15, .20, .30, .40: widths .02 .03 .05 .05 .05 .10 .10 (and 0) of the reference quantity,
    # midpoints .01 .035 .075 .125 .175 .25 .35; hub price at a midpoint s: 56.5 (1 - s)^(-1/0.3) - 10.
    # By hand: s = .35: 0.65^(-3.3333) = exp(3.3333 x 0.430783) = 4.203608, 56.5 x 4.203608 - 10 = 227.504;
    # s = .01: 0.99^(-3.3333) = 1.034069, 56.5 x 1.034069 - 10 = 48.425.
    system = gas.gas_system(data)
    inputs = gas.build_inputs(Params(DEFAULTS), system)
    k, n = gas.system.GAS_SECTORS.index("industry"), system.countries.index("DE")
    assert inputs.down_price[k, 6, 0] == pytest.approx(227.504, abs=0.005)
    assert inputs.down_price[k, 0, 0] == pytest.approx(48.425, abs=0.005)
    q0 = inputs.demand[n, k, 0]  # no policy reduction by default
    np.testing.assert_allclose(
        inputs.down_width[n, k, :, 0] / q0, [0.02, 0.03, 0.05, 0.05, 0.05, 0.10, 0.10], atol=1e-12
    )
    # what the price cannot remove is rationed at the cap: 60% of the reference quantity
    assert inputs.ration_ub[n, k, 0] == pytest.approx(0.60 * q0, rel=1e-12)
    # households: m = gas.demand.markup.households = 58, eps = -0.1, the curve ended at
    # gas.demand.buildings.max_response_share = 0.20. First step,
    # s = .01: 104.5 x 0.99^-10 - 58 = 104.5 x 1.105730 - 58 = 57.549; the first step above the reference,
    # s = .015: 104.5 x 1.015^-10 - 58 = 104.5 x 0.861667 - 58 = 32.044. (In the hub price alone, eps = -0.1 would
    # price out 14.4% of household demand at 220 EUR/MWh; in the end-user price 9.3%: (278 / 104.5)^-0.1 = 0.9068.)
    h = gas.system.GAS_SECTORS.index("households")
    assert inputs.down_price[h, 0, 0] == pytest.approx(57.549, abs=0.005)
    assert inputs.up_price[h, 0, 0] == pytest.approx(32.044, abs=0.005)
    # the fifth step (s = .175: 104.5 x 0.825^-10 - 58 = 657.4) is dearer than the cap (600): not a price response
    # but rationing, so households' curve ends at 15% here, below the 20% bound
    assert inputs.down_price[h, 4, 0] == pytest.approx(657.446, abs=0.005)
    qh = inputs.demand[n, h, 0]
    np.testing.assert_allclose(inputs.down_width[n, h, :, 0] / qh, [0.02, 0.03, 0.05, 0.05, 0, 0, 0], atol=1e-12)
    assert inputs.ration_ub[n, h, 0] == pytest.approx(0.85 * qh, rel=1e-12)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    st.sampled_from(gas.system.GAS_SECTORS),
    st.floats(0.0, 1.0),
    st.floats(0.0, 1.0),
    st.floats(0.0, 1.0),
    st.floats(0.0, 1.0),
    st.floats(0.0, 1.0),
)
def test_step_prices_order_with_elasticity_markup_and_bound(sector, a, b, c, d, e):
    # eq. 3.3 over the registry's plausible ranges: below the reference every step's hub price is above P0 and
    # rises along the curve; a more elastic curve (eps further from 0) prices each step lower (more is given up at
    # any price), a larger non-commodity markup higher (a hub price moves the end-user price less), and a tighter
    # bound never raises a step's price (the last step's midpoint moves in).
    spec = REGISTRY[gas.system.ELASTICITY_PARAM[sector]]
    lo, hi = float(spec.low), float(spec.high)
    eps_more, eps_less = sorted((lo + a * (hi - lo), lo + b * (hi - lo)))
    markup_name = gas.system.MARKUP_PARAM.get(sector)
    m_lo, m_hi = (
        (0.0, 0.0) if markup_name is None else (float(REGISTRY[markup_name].low), float(REGISTRY[markup_name].high))
    )
    m1, m2 = sorted((m_lo + c * (m_hi - m_lo), m_lo + d * (m_hi - m_lo)))
    bound_spec = REGISTRY[gas.system.BOUND_PARAM[sector]]
    bound = float(bound_spec.low) + e * (float(bound_spec.high) - float(bound_spec.low))
    p0 = np.array([46.5, 80.0])
    breaks = gas.system.DEMAND_DOWN
    price = gas.system.step_prices(p0, eps_less, breaks, up=False, markup=m1, limit=bound)
    assert (price >= p0[None, :] - 1e-9).all()
    assert (np.diff(price, axis=0) >= -1e-9).all()
    assert (gas.system.step_prices(p0, eps_more, breaks, up=False, markup=m1, limit=bound) <= price + 1e-9).all()
    assert (gas.system.step_prices(p0, eps_less, breaks, up=False, markup=m2, limit=bound) >= price - 1e-9).all()
    tight = gas.system.step_prices(p0, eps_less, breaks, up=False, markup=m1, limit=0.5 * bound)
    assert (tight <= price + 1e-9).all()


def _cutoff_response(data, **values) -> dict[str, float]:
    """EU27 demand response (bcm) by sector over the horizon, full cut-off from the registry defaults."""
    cut = {name: 0.0 for name in gas.system.RUSSIAN_PARAMS}
    inputs, sol = _solve(data, **cut, **values)
    eu = gas.gas_system(data).eu
    return {s: float(sol.response[eu][:, k].sum()) / 1000 for k, s in enumerate(gas.system.GAS_SECTORS)}


def test_the_response_moves_with_the_elasticity_and_the_markup(data):
    # eq. 3.3: a more elastic household curve prices out more household gas at the cut-off's prices, a larger
    # non-commodity markup less (the same hub price is a smaller change of the end-user price); if the
    # elasticity or the markup were ignored, these would not move
    base = _cutoff_response(data)
    elastic = _cutoff_response(data, **{"gas.demand.elasticity.households": -0.2})
    assert elastic["households"] > base["households"] + 1.0
    dear = _cutoff_response(data, **{"gas.demand.markup.households": 70.0})
    cheap = _cutoff_response(data, **{"gas.demand.markup.households": 10.0})
    assert cheap["households"] > base["households"] > dear["households"]
    # a tighter industrial bound leaves less industrial response (the rest is rationed at the cap)
    tight = _cutoff_response(data, **{"gas.demand.industry.max_response_share": 0.2})
    assert tight["industry"] < base["industry"] - 5.0


def test_storage_is_not_drained_below_its_start_at_the_horizon_end(cuts):
    start = 100 * float(DEFAULTS["gas.storage.initial_fill"])
    for res in cuts.values():
        fill = res.modules["gas"].outputs["eu_storage_fill_pct_by_month"]
        assert fill[-1] >= start - 1e-6


def test_eu_price_outputs_for_the_external_side(cuts):
    out = cuts["russia_gas_cutoff"].modules["gas"].batch.outputs
    price, ref = out["eu_price_eur_mwh_by_month"], out["eu_price_reference_eur_mwh_by_month"]
    assert price.shape == ref.shape == (1, 13)  # (draws, months), as in every BatchResult output
    base = cuts["baseline"].modules["gas"].batch.outputs["eu_price_eur_mwh_by_month"]
    # the run-rate reference (the default) has less Russian gas than the baseline: its prices are at least the
    # baseline's; the scenario's at least the reference's
    assert (ref >= base - 1e-6).all()
    assert (price >= ref - 1e-6).all()
    # against the 2021 reference, the cut-off's reference run is the baseline
    cut21 = econ.run(econ.load_scenario("russia_gas_cutoff").with_overrides({"gas.reference.run_rate": False}))
    ref21 = cut21.modules["gas"].batch.outputs["eu_price_reference_eur_mwh_by_month"]
    np.testing.assert_allclose(ref21, base, atol=1e-6)


# ---- the horizon ----


@pytest.mark.parametrize("wider", [False, True], ids=["eu_only", "wider"])
@pytest.mark.parametrize("preset", ["russia_partial_cut", "russia_gas_cutoff"])
def test_24_month_horizon_gives_the_same_first_year(preset, wider, data):
    # The end-of-horizon floor binds, every gas year inside the horizon ends at it too (so a 24-month run does not
    # borrow from its second winter: its March 2023 faces the 13-month run's end floor), and stored gas above it
    # carries the first injection season's price (3.5), so
    # a 13-month run neither borrows from the next winter nor undervalues gas kept through the first one: the first
    # 12 months' rationing, 1 November fill, demand response and average price, and every price of the 13 months,
    # are those of a 24-month run within 0.5 bcm, 1 percentage point, 2% and 1% (stated tolerance: the 24-month
    # run's own terminal value and second refill shift the first winter's prices by a few tenths of a EUR/MWh).
    # On both networks (gas.market.wider_europe): before the gas-year floors the wider partial cut's 24-month run
    # was 11.6% cheaper in its first 12 months (it ended March 2023 with 10.9 bcm of stores below their floors).
    sc = econ.load_scenario(preset)
    params = sc.params.with_values({"gas.market.wider_europe": wider})
    short, long = (run_params(params.with_values({"gas.horizon_months": h}), data)["gas"] for h in (13, 24))
    a, b = ({m.id: m.value for m in r.metrics} for r in (short, long))
    assert b["eu_gas_shortfall_bcm"] == pytest.approx(a["eu_gas_shortfall_bcm"], abs=0.5)
    assert b["eu_storage_nov1_pct"] == pytest.approx(a["eu_storage_nov1_pct"], abs=1.0)
    assert b["eu_demand_response_bcm"] == pytest.approx(a["eu_demand_response_bcm"], rel=0.02)
    assert b["ttf_price_avg_eur_mwh"] == pytest.approx(a["ttf_price_avg_eur_mwh"], rel=0.01)
    pa, pb = (r.batch.outputs["eu_price_eur_mwh_by_month"][0][:13] for r in (short, long))
    np.testing.assert_allclose(pa, pb, rtol=0.01)


def test_without_the_terminal_value_the_first_winter_is_cheap(data):
    # The mechanism behind the test above: with no value on stored gas at the horizon end (end_value all zero),
    # the 13-month full cut-off sells its winter gas at far below the summer price it was bought at.
    system = gas.gas_system(data)
    params = econ.load_scenario("russia_gas_cutoff").params
    inputs = gas.build_inputs(params, system)
    valued = gas.solve_lp(inputs, system, gas.HighsSession(warm=False))
    flat = gas.solve_lp(
        dataclasses.replace(inputs, end_value=np.zeros(len(system.countries))), system, gas.HighsSession(warm=False)
    )
    winter = [k for k, m in enumerate(inputs.months) if m >= "2022-11"]
    eu = system.eu
    assert eu_price(inputs, flat, eu)[winter].mean() < 0.8 * eu_price(inputs, valued, eu)[winter].mean()


# ---- properties over the registry's ranges ----

FLOATS = [s for s in REGISTRY if s.module == "gas" and s.type == "float"]
SUPPLY = [
    "gas.russia.nord_stream_1.utilisation",
    "gas.russia.yamal.utilisation",
    "gas.russia.ukraine.utilisation",
    "gas.russia.lng.utilisation",
    "gas.lng.qatar.divertible_share",
    "gas.pipeline.norway.extra_share",
    "gas.production.change_share",
]


RUSSIAN_SUPPLY = [n for n in SUPPLY if n in gas.RUSSIAN_PARAMS]
# (start month, horizon): the default, the shortest plausible horizon, an autumn start
HORIZONS = (("2022-03", 13), ("2022-03", 12), ("2021-11", 13))


@st.composite
def _params(draw):
    """Every gas float in its plausible range, with every Russian route cut to at most 80 % of its reference (a
    non-zero volume lost, so prices are above the no-cut level and supply is at the margin) and the start month
    and horizon drawn from HORIZONS."""
    values = dict(DEFAULTS)
    for spec in FLOATS:
        values[spec.name] = draw(st.floats(float(spec.low), float(spec.high), allow_nan=False))
    for name in gas.RUSSIAN_PARAMS:
        values[name] = float(DEFAULTS[name]) * draw(st.floats(0.0, 0.8))
    values["gas.start_month"], values["gas.horizon_months"] = draw(st.sampled_from(HORIZONS))
    return Params(values)


def test_more_supply_never_raises_a_price(data):
    # A larger supply bound (a Russian route, Qatar's flexible share, Norway's swing, domestic production) can
    # only lower, or leave, every node price in every month. Regasification is not in the list: it is transport
    # capacity between the world LNG market and the coastal nodes, and relieving it can raise a price upstream of
    # the bottleneck (test below). Tolerance: one cross-border
    # transport cost (ARC_COST, 0.1 EUR/MWh) plus 10 x the LP's tie-break perturbation: where a link carries
    # nothing, its two ends' prices are determined only up to its transport cost (a degenerate dual), and
    # hypothesis found a regasification increase that moved such a node by exactly that.
    # Power (issue 16 item 4): the draws cut Russian gas, and the test asserts that in most pairs some price
    # actually fell by more than the tolerance (counted by the raised parameter's kind).
    ran: Counter[str] = Counter()
    system = gas.gas_system(data)
    tol = gas.system.ARC_COST + 10 * gas.lp.TIE_BREAK

    @settings(max_examples=16, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
    @given(params=_params(), name=st.sampled_from(SUPPLY), step=st.floats(0.1, 1.0))
    def check(params, name, step):
        spec = REGISTRY[name]
        lower = params.float(name)
        higher = min(float(spec.high), lower + step * (float(spec.high) - float(spec.low)))
        if higher <= lower:
            return
        a = gas.solve_lp(gas.build_inputs(params, system), system, gas.HighsSession(warm=False))
        b = gas.solve_lp(
            gas.build_inputs(params.with_values({name: higher}), system), system, gas.HighsSession(warm=False)
        )
        assert a.status == b.status == "ok"
        assert (b.price <= a.price + tol).all(), (name, lower, higher, (b.price - a.price).max())
        kind = "russian" if name in RUSSIAN_SUPPLY else "other"
        ran[kind + ":draws"] += 1
        ran[kind + ":differs"] += bool((a.price - b.price).max() > tol)

    check()
    print("more supply vs prices:", dict(ran))
    draws = ran["russian:draws"] + ran["other:draws"]
    differs = ran["russian:differs"] + ran["other:differs"]
    assert draws >= 12 and differs >= 0.6 * draws, dict(ran)


def test_more_regasification_raises_welfare_but_may_raise_an_lng_priced_node(data):
    # Regasification links the world LNG market (the LNG pool, 3.7) to the coastal nodes. At the registry's hard
    # corner (no Russian gas, storage a quarter full) raising gas.lng.regas_max_utilisation from 0.75 to 1.0 lets
    # Europe bid more LNG away from Asia: the continent's prices fall, the LNG pool's price rises, and so do the
    # prices of the nodes whose marginal gas is LNG through terminals that were not full (Iberia, the Baltic
    # states and Finland) -- as relieving a transmission bottleneck raises the exporting zone's price. What cannot
    # fall is welfare: the LP's objective (supply cost less consumers' surplus), compared without the terminal
    # value (one LP each, so that both minimise the same function).
    from test_gas_determinism import _corner  # the same corner

    system = gas.gas_system(data)
    base = _corner()
    sols = []
    for regas in (0.75, 1.0):
        inputs = gas.build_inputs(base.with_values({"gas.lng.regas_max_utilisation": regas}), system)
        flat = dataclasses.replace(inputs, end_value=np.zeros(len(system.countries)))
        lp = gas.build_lp(flat, system)
        session = gas.HighsSession(warm=False)
        status, _, objective, message = session.solve(lp)
        assert status == "ok", message
        sols.append((objective, session.duals[lp.rows["node"]]))
    (obj_a, price_a), (obj_b, price_b) = sols
    assert obj_b <= obj_a + 1e-6 * abs(obj_a)
    node = {c: k for k, c in enumerate(system.countries)}
    assert (price_b[node["DE"]] < price_a[node["DE"]]).all()  # the continent gains
    assert (price_b[node["ES"]] > price_a[node["ES"]] + 1.0).any()  # Iberia's LNG-set price rises
