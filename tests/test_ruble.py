"""The FX market (econ/ruble.py; docs/methodology.md, section "The ruble: an FX market ...").

Value-level checks of the clearing equation, the usable-reserves formula, the surrender cap and the 2021
balance, the identity of the ruble_path table, and the issue's properties: dated controls let the ruble
overshoot before they start; dearer oil raises the current account and never weakens the ruble after a year;
more frozen reserves never strengthen the ruble at its weakest.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq

import econ
from econ import gas
from econ.engine import MODULES, ModuleSpec, run_params
from econ.params import Params
from econ.ruble import FLOWS, clearing_log_rate
from econ.time import DatedPath

REGISTRY = econ.load_registry()
DATA = econ.load_data()
GAS = run_params(Params(REGISTRY.defaults()), DATA)["gas"]
FAST = tuple(
    m if m.name != "gas" else ModuleSpec("gas", lambda p, d, u: GAS, gas.evaluate, gas.METRICS) for m in MODULES
)
SETTINGS = settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
PRESETS = [
    "baseline",
    "swift_full",
    "iran_2012_analogue",
    "full_package",
    "episode_2014",
    "dollar_clearing_ban",
    "swift_partial_2022",
    "chip_controls",
    "episode_2008",
    "full_package_gas_retaliation",
]


def run(preset: str, **overrides):
    sc = econ.load_scenario(preset)
    return run_params(sc.with_overrides(overrides).params if overrides else sc.params, DATA, FAST)


def path(preset: str, **overrides):
    return run(preset, **overrides)["ruble"].tables["ruble_path"]


def value(mods, metric: str) -> float:
    return next(m.value for mod in mods.values() for m in mod.metrics if m.id == metric)


@pytest.mark.parametrize(
    "a,r,b,k,eps", [(24.5, 0.0, 20.0, 2.0, 0.85), (24.5, 15.0, 10.0, 2.0, 0.85), (5.0, 30.0, -8.0, 0.5, 1.2)]
)
def test_clearing_rate_solves_the_market_equation(a, r, b, k, eps):
    # docs/methodology.md: A e^(-eps u) + R e^(-u) - K u = B has one root; Newton from the closed form finds it
    u = float(clearing_log_rate(np.array([a]), np.array([r]), np.array([b]), np.array([k]), np.array([eps]))[0])
    f = lambda v: a * np.exp(-eps * v) + r * np.exp(-v) - k * v - b  # noqa: E731
    assert u == pytest.approx(brentq(f, -50, 50, xtol=1e-14), abs=1e-10)
    assert abs(f(u)) < 1e-9
    # started anywhere (left or right of the root, far or near: the warm start the FX market uses), Newton on a
    # convex decreasing f lands left of the root after one step and rises to the same root
    for start in (-3.0, 0.0, 0.5, 4.0):
        w = clearing_log_rate(
            np.array([a]), np.array([r]), np.array([b]), np.array([k]), np.array([eps]), start=np.array([start])
        )
        assert float(w[0]) == pytest.approx(u, abs=1e-12)


@pytest.mark.parametrize("preset", PRESETS)
def test_ruble_path_identity_closes(preset):
    # every flow that clears the market is a column: CA - private outflow + net CB sales = 0 month by month
    p = path(preset)
    assert set(FLOWS) <= set(p.columns) and "censored" in p.columns
    ca = p.exports_energy_usd_bn + p.exports_other_usd_bn - p.imports_usd_bn + p.services_income_usd_bn
    np.testing.assert_allclose(ca, p.current_account_usd_bn, atol=1e-12)
    private = (
        p.exporters_retained_usd_bn
        + p.residents_precautionary_usd_bn
        + p.nonresidents_exit_usd_bn
        + p.preinvasion_outflow_usd_bn
        + p.debt_not_rolled_over_usd_bn
        + p.other_private_outflow_usd_bn
        - p.carry_inflow_usd_bn
    )
    np.testing.assert_allclose(private, p.private_outflow_usd_bn, atol=1e-12)
    assert np.abs(p.current_account_usd_bn - p.private_outflow_usd_bn + p.cb_net_sales_usd_bn).max() < 1e-9
    np.testing.assert_allclose(p.cb_intervention_usd_bn - p.fiscal_rule_purchases_usd_bn, p.cb_net_sales_usd_bn)


@pytest.mark.parametrize("preset", PRESETS)
def test_central_bank_never_sells_more_than_usable_and_binding_months_are_flagged(preset):
    p = path(preset)
    room = np.maximum(p.usable_reserves_before_usd_bn, 0.0)
    assert (p.cb_net_sales_usd_bn <= room + 1e-9).all()
    # a flagged month sells exactly what is left; an unflagged one is not at the bound unless by chance
    flagged = p.censored.astype(bool)
    np.testing.assert_allclose(p.cb_net_sales_usd_bn[flagged], room[flagged], atol=1e-9)


def test_baseline_is_the_2021_balance_at_the_pre_sanction_rate():
    # docs/methodology.md, the ruble, "Calibration": with the fiscal rule's purchases suspended (Bank of Russia,
    # 24 January 2022; registry default 0) the FX the rule bought in 2021 (R0 = 34.853 / 12 USD bn a month) goes to
    # the pre-invasion outflow Z = R0 (non-residents' OFZ sales, RUB 128 bn in January 2022 = 1.671 USD bn at 76.59,
    # and a calibrated residual of 1.233).
    # Identity: CA0 = rho0 X0 + o0 + Z, o0 = (CA0 - R0) - rho0 X0, so the rate is E0 in every month, the private net
    # outflow is the whole current account (120.3 USD bn) and reserves are flat (as on 1 Jan - 1 Feb 2022)
    mods = run("baseline")
    p = mods["ruble"].tables["ruble_path"]
    a = DATA["ru_macro_2021"].set_index("item")["value"]
    assert REGISTRY["ruble.fiscal_rule_purchases"].value == 0
    np.testing.assert_allclose(p.usd_rub, a["usd_rub_start"], rtol=1e-12)
    r0 = a["reserves_stock_change_usd_bn"] / 12  # 2.904 USD bn a month
    np.testing.assert_allclose(p.preinvasion_outflow_usd_bn, r0, rtol=1e-12)
    np.testing.assert_allclose(p.preinvasion_outflow_usd_bn, 2.9044166, rtol=1e-7)
    ca0 = a["current_account_usd_bn"] / 12
    x0 = (p.exports_energy_usd_bn + p.exports_other_usd_bn).iloc[0]
    rho0 = REGISTRY["ruble.export_retention_share"].value
    np.testing.assert_allclose(p.other_private_outflow_usd_bn, (ca0 - r0) - rho0 * x0, rtol=1e-12)
    np.testing.assert_allclose(p.exporters_retained_usd_bn, rho0 * x0, rtol=1e-12)
    # Bank of Russia 2021: current account 120.3 USD bn, all of it private net outflow now that purchases are 0
    assert value(mods, "russia_current_account_bn_usd") == pytest.approx(a["current_account_usd_bn"], rel=1e-9)
    assert value(mods, "russia_capital_outflow_bn_usd") == pytest.approx(120.3, rel=1e-9)
    np.testing.assert_allclose(p.fiscal_rule_purchases_usd_bn, 0.0, atol=1e-12)
    np.testing.assert_allclose(p.cb_net_sales_usd_bn, 0.0, atol=1e-12)
    assert value(mods, "reserves_used_bn_usd") == pytest.approx(0.0, abs=1e-9)
    bop = mods["ruble"].tables["ruble_baseline_bop"].set_index("item")["usd_bn_per_year"]
    assert bop["preinvasion_outflow"] == pytest.approx(a["reserves_stock_change_usd_bn"], rel=1e-12)
    assert bop["private_net_outflow"] + bop["preinvasion_outflow"] == pytest.approx(bop["current_account"], rel=1e-12)
    assert bop["private_net_outflow_feb_2022"] == pytest.approx(120.3, rel=1e-12)


def test_resuming_the_fiscal_rule_purchases_weakens_the_ruble_by_hand():
    # fiscal_rule_purchases = 1 on the baseline: the 2021 purchases on top of the pre-invasion outflow. Month 0 by
    # hand (methodology, the ruble): u_f solves M e^(-eps u) + Z e^(-u) - K u = X (1 - rho0) + S0 - o0 - R0; the
    # expected rate u_e = (1 - w) u_f moves retention, residents' and non-residents' flows; the central bank buys R0
    # and sells phi max(0, u) (leaning on the depreciation); the month clears M e^(-eps u) + R e^(-u) - K u = B + Q(u)
    base = path("baseline")
    p = path("baseline", **{"ruble.fiscal_rule_purchases": 1.0})
    a = DATA["ru_macro_2021"].set_index("item")["value"]
    e0, r0 = a["usd_rub_start"], a["reserves_stock_change_usd_bn"] / 12
    np.testing.assert_allclose(p.fiscal_rule_purchases_usd_bn, r0, rtol=1e-12)
    g = {
        key: REGISTRY[f"ruble.{key}"].value
        for key in (
            "import_fx_elasticity",
            "carry_capacity_usd_bn",
            "export_retention_share",
            "retention_depreciation_sensitivity",
            "precautionary_depreciation_usd_bn",
            "precautionary_adjustment_months",
            "nonresident_assets_usd_bn",
            "nonresident_exit_depreciation_rate",
            "expectation_extrapolation_weight",
            "intervention_share",
        )
    }
    eps, k, rho0 = g["import_fx_elasticity"], g["carry_capacity_usd_bn"], g["export_retention_share"]
    m, x = base.imports_usd_bn.iloc[0], (base.exports_energy_usd_bn + base.exports_other_usd_bn).iloc[0]
    s0, o0, z = base.services_income_usd_bn.iloc[0], base.other_private_outflow_usd_bn.iloc[0], r0
    rhs = x * (1 - rho0) + s0 - o0 - r0
    u_f = brentq(lambda v: m * np.exp(-eps * v) + z * np.exp(-v) - k * v - rhs, -5, 5, xtol=1e-14)
    assert np.log(p.usd_rub_fundamental.iloc[0] / e0) == pytest.approx(u_f, abs=1e-9)
    assert u_f > 0.01  # the purchases alone weaken the fundamental rate by more than 1 %
    u_e = (1 - g["expectation_extrapolation_weight"]) * u_f
    xe = 1 - np.exp(-u_e)
    retained = (rho0 + g["retention_depreciation_sensitivity"] * xe) * x
    resid = (1 - np.exp(-1 / g["precautionary_adjustment_months"])) * g["precautionary_depreciation_usd_bn"] * xe
    nonres = g["nonresident_assets_usd_bn"] * (1 - np.exp(-g["nonresident_exit_depreciation_rate"] * xe))
    fundamentals = x + s0 - retained - o0
    # the central bank buys R0 and leans on the depreciation itself: Q = phi max(0, u) - R0, phi = theta / (1 -
    # theta) (eps M0 + R0 + K) (methodology, "Central bank"; M0 = the baseline's imports at E0)
    phi = g["intervention_share"] / (1 - g["intervention_share"]) * (eps * m + r0 + k)
    b = fundamentals - k * u_e
    u = brentq(
        lambda v: m * np.exp(-eps * v) + (resid + nonres + z) * np.exp(-v) - k * v - b - (phi * max(v, 0.0) - r0),
        -5,
        5,
        xtol=1e-14,
    )
    assert p.usd_rub.iloc[0] == pytest.approx(e0 * np.exp(u), rel=1e-9)
    assert p.cb_net_sales_usd_bn.iloc[0] == pytest.approx(phi * u - r0, rel=1e-8)
    assert (p.usd_rub > e0).all()


def test_usable_reserves_by_hand():
    # U = max(0, total - gold - frozen - cny) + s_cny cny + s_gold gold (Itskhoki and Mukhin 2022)
    mods = run("full_package")
    rd = econ.russia_data.russia_data(DATA)
    sc = econ.load_scenario("full_package").params
    frozen = sc["dollar.reserves_frozen_share"] * rd.reserves_total_usd_bn
    cny = rd.reserves_by_currency["cny"]
    expected = (
        max(0.0, rd.reserves_total_usd_bn - rd.reserves_gold_usd_bn - frozen - cny)
        + sc["ruble.cny_sellable_share"] * cny
        + sc["ruble.gold_sellable_share"] * rd.reserves_gold_usd_bn
    )
    reserves = mods["ruble"].tables["reserves"].set_index("item")["usd_bn"]
    assert reserves["usable_at_start"] == pytest.approx(expected, rel=1e-12)


def test_surrender_requirement_caps_what_exporters_keep_abroad():
    # retained = min(rho0 + extra, 1 - sigma) X: a 95% surrender requirement leaves at most 5% of revenue abroad
    p = path("swift_full", **{"ruble.surrender_share": 0.95})
    exports = p.exports_energy_usd_bn + p.exports_other_usd_bn
    np.testing.assert_allclose(p.exporters_retained_usd_bn, 0.05 * exports, rtol=1e-12)
    free = path("swift_full")
    assert (free.exporters_retained_usd_bn > p.exporters_retained_usd_bn).all()


def test_swift_full_and_iran_analogue_no_longer_share_a_peak():
    a, b = value(run("swift_full"), "rub_usd_peak"), value(run("iran_2012_analogue"), "rub_usd_peak")
    assert abs(a - b) > 5 and b > a  # the analogue adds the oil embargo and the clearing ban


def test_controls_from_april_let_the_ruble_overshoot_in_march_and_recover():
    late = {"ruble.capital_controls_strength": DatedPath(0.0, (("2022-04", 0.9),))}
    never = path("swift_full")
    dated = path("swift_full", **late)
    # March is the same as without controls (nothing is dated before April) ...
    assert dated.usd_rub.iloc[0] == pytest.approx(never.usd_rub.iloc[0], rel=1e-12)
    # ... the weakest month is March, the ruble recovers every month after it, and it is stronger than without
    # controls through the next half year (controls slow the portfolio shift: late in the horizon the uncontrolled
    # run, whose shift is over, may be the stronger one)
    assert dated.usd_rub.idxmax() == 0
    assert (np.diff(dated.usd_rub.to_numpy()) < 0).all()
    assert (dated.usd_rub.iloc[1:7].to_numpy() < never.usd_rub.iloc[1:7].to_numpy()).all()


def test_key_rate_hike_lowers_outflows_and_cpi():
    a, b = run("swift_full"), run("swift_full", **{"ruble.key_rate_hike_pp": 10.5})
    pa, pb = a["ruble"].tables["ruble_path"], b["ruble"].tables["ruble_path"]
    assert pb.carry_inflow_usd_bn.iloc[0] > pa.carry_inflow_usd_bn.iloc[0]
    assert value(b, "rub_usd_peak") < value(a, "rub_usd_peak")
    assert value(b, "russia_cpi_peak_pct") < value(a, "russia_cpi_peak_pct")


@SETTINGS
@given(st.floats(-40, 60), st.floats(1, 40))
def test_dearer_oil_raises_the_current_account_and_never_weakens_the_ruble_after_a_year(change, step):
    # in a sanctions scenario with flight and intervention, so that every flow can move
    lo = run("swift_full", **{"macro.oil_price_change_pct": change})
    hi = run("swift_full", **{"macro.oil_price_change_pct": change + step})
    assert value(hi, "russia_current_account_bn_usd") > value(lo, "russia_current_account_bn_usd")
    p_lo, p_hi = lo["ruble"].tables["ruble_path"], hi["ruble"].tables["ruble_path"]
    assert (p_hi.usd_rub.iloc[11:].to_numpy() <= p_lo.usd_rub.iloc[11:].to_numpy() + 1e-9).all()


@SETTINGS
@given(st.floats(0, 0.9), st.floats(0.02, 0.5), st.sampled_from(["swift_full", "iran_2012_analogue", "episode_2014"]))
def test_more_frozen_reserves_never_strengthen_the_ruble_at_its_weakest(share, step, preset):
    # the intervention share is raised so that usable reserves can bind within the horizon
    base = {"ruble.intervention_share": 0.9}
    a = run(preset, **base, **{"dollar.reserves_frozen_share": share})
    b = run(preset, **base, **{"dollar.reserves_frozen_share": min(1.0, share + step)})
    assert value(b, "rub_usd_peak") >= value(a, "rub_usd_peak") - 1e-9
    assert value(b, "reserves_used_bn_usd") <= value(a, "reserves_used_bn_usd") + 1e-9


def test_a_freeze_binds_through_usable_reserves():
    # with the whole FX reserve frozen and a central bank that wants to sell, the bound binds and is flagged
    mods = run("iran_2012_analogue", **{"ruble.intervention_share": 0.9, "dollar.reserves_frozen_share": 0.7})
    p = mods["ruble"].tables["ruble_path"]
    assert p.censored.any()
    free = run("iran_2012_analogue", **{"ruble.intervention_share": 0.9})
    assert value(mods, "rub_usd_peak") > value(free, "rub_usd_peak")


def test_episode_2014_lands_on_the_published_peak_and_12_month_loss():
    # Bank of Russia official rate: 33.78 RUB/USD in January 2014, 65.15 at the monthly peak (January 2015),
    # 60.36 in March 2015 -> 48.1 % and 44.0 % losses of value. The peak and the reserves sold were calibrated
    # (docs/validation.md b), d3e) with ruble.precautionary_depreciation_usd_bn inside its plausible range (200: the
    # grid point minimising the larger of peak gap / 3 pp and reserves gap / 10 USD bn, with the no-shock rate at E0,
    # the fiscal rule's purchases suspended and the central bank leaning on the depreciation itself; 190 under the
    # earlier rule); 3 pp is the earlier documented gap (45.4 against 48.1) plus 0.3 pp. The
    # 12-month level was not calibrated: 5 pp, the width of the 2015 recovery from the peak (48 -> 44).
    ep = DATA["calibration_episodes"].query("episode == 'russia_2014_15'").set_index("metric")["value"]
    mods = run("episode_2014")
    e0 = DATA["ru_macro_2021"].set_index("item").loc["usd_rub_start", "value"]
    assert value(mods, "rub_depreciation_peak_pct") == pytest.approx(
        100 * (1 - ep["usd_rub_avg_2014_01"] / ep["usd_rub_avg_peak_month"]), abs=3
    )
    assert 100 * (1 - e0 / value(mods, "rub_usd_12m")) == pytest.approx(
        100 * (1 - ep["usd_rub_avg_2014_01"] / ep["usd_rub_avg_2015_03"]), abs=5
    )
    # FX sold in 2014: 76.1 USD bn (Bank of Russia via AFP); within 10 USD bn (a calendar year against 12 months)
    assert value(mods, "reserves_used_bn_usd") == pytest.approx(ep["fx_interventions_2014_usd"], abs=10)


def test_episode_2008_direction_and_known_gap():
    # Bank of Russia: 23.35 RUB/USD (July 2008) -> 35.81 (February 2009); reserves 598.1 -> 376.1 USD bn (Aug 2008 -
    # Mar 2009). The model (defaults calibrated on 2014) depreciates less (+43 % against +53 %; +34 % under the earlier
    # leaning rule, d3e) and sells less (198 against 222 USD bn; 201 under the earlier rule): the documented gap
    # of docs/validation.md b2) (no expectations of a pre-announced devaluation). If a change closes the gap, update
    # the documentation and this test.
    ep = DATA["calibration_episodes"].query("episode == 'russia_2008_09'").set_index("metric")["value"]
    mods = run("episode_2008")
    published_dep = 100 * ep["usd_rub_change_2008_07_to_2009_02"]  # 53.4 % rise in RUB per USD
    e0 = DATA["ru_macro_2021"].set_index("item").loc["usd_rub_start", "value"]
    model_dep = 100 * (value(mods, "rub_usd_peak") / e0 - 1)
    assert 0.3 * published_dep < model_dep < published_dep
    sold = value(mods, "reserves_used_bn_usd")
    assert 0.3 * -ep["reserves_change_2008_08_to_2009_03"] < sold < -ep["reserves_change_2008_08_to_2009_03"]


# --- The response is continuous and proportional to the shock (docs/methodology.md, "Expectations") ----------
# With expectations extrapolated from last month's rate (weight 1) the loop depreciation -> expected depreciation
# -> precautionary demand, exits and retention -> depreciation had a gain of about 3: any shock, however small
# (a 0.1% fall in oil and gas revenue), ran to a 55-60% fall of the ruble. These tests fail on that specification.

ROUTES = ("nord_stream_1", "yamal", "ukraine", "turkstream", "baltic_finland", "lng")


def gas_cut(share: float) -> dict[str, float]:
    """Every Russian gas route at `share` of its registry default utilisation (share 1 = no cut)."""
    return {f"gas.russia.{r}.utilisation": share * REGISTRY[f"gas.russia.{r}.utilisation"].value for r in ROUTES}


def full(preset: str = "baseline", **overrides) -> float:
    """rub_usd_peak with the gas module solved (gas cuts move the energy module's revenue)."""
    sc = econ.load_scenario(preset)
    return econ.run(sc.with_overrides(overrides) if overrides else sc).value("rub_usd_peak")


@pytest.fixture(scope="module")
def gas_curve() -> np.ndarray:
    return np.array([full(**gas_cut(s)) for s in np.linspace(0.0, 1.0, 11)])  # shares 0, 0.1, ..., 1


def test_gas_cut_dose_response_is_monotone_and_has_no_jump(gas_curve):
    e0 = gas_curve[-1]  # no cut: the pre-sanction rate
    assert e0 == pytest.approx(DATA["ru_macro_2021"].set_index("item").loc["usd_rub_start", "value"], rel=1e-9)
    total = gas_curve[0] - e0  # the full cut-off's move
    assert total > 0
    steps = -np.diff(gas_curve)  # move of each further 10% of cut, from the full cut-off to no cut
    assert (steps >= -1e-9).all()  # a deeper cut never strengthens the ruble at its weakest
    # no 10% step moves the peak by more than a quarter of the whole cut-off's move (a linear response moves a
    # tenth; the bound leaves room for the concavity of e^(-u) and of the saturating expectation term, not for
    # a threshold: the old specification's first 10% step was 62% of the whole move)
    assert steps.max() < 0.25 * total
    # the first 10% of cut moves the peak less than a quarter of the full cut-off does
    assert gas_curve[-2] - e0 < 0.25 * total


def test_oil_price_dose_response_is_monotone_and_has_no_jump():
    falls = [0, -10, -20, -30, -40, -50]
    peaks = np.array([full(**{"macro.oil_price_change_pct": f}) for f in falls])
    steps = np.diff(peaks)
    assert (steps > 0).all()  # each further 10% fall in the oil price weakens the ruble
    total = peaks[-1] - peaks[0]
    # the first 10% fall moves the peak by less than 35% of what a halving does (old specification: 58%)
    assert steps[0] < 0.35 * total
    assert steps.max() < 0.35 * total


def test_a_tiny_shock_gives_a_tiny_proportional_move():
    e0 = full()
    d1 = full(**gas_cut(0.999)) - e0  # a 0.1% gas cut: about 0.02% of oil and gas revenue
    d10 = full(**gas_cut(0.99)) - e0
    assert 0 < d1 < 0.005 * e0  # less than half a percent of the rate (old specification: +57%)
    # locally linear: ten times the shock gives about ten times the move (20% for the curvature over a 1% cut)
    assert d10 / d1 == pytest.approx(10, rel=0.2)
    o1 = full(**{"macro.oil_price_change_pct": -0.1}) - e0
    o2 = full(**{"macro.oil_price_change_pct": -0.2}) - e0
    assert 0 < o1 < 0.01 * e0 and o2 / o1 == pytest.approx(2, rel=0.1)


def test_loop_gain_is_below_one_around_the_defaults():
    # docs/methodology.md, "Expectations": gain = w [(1-kappa)(1-e^(-1/m)) S_x + N n_x + r_x X + K] / (eps M + K)
    # at the no-shock point: below 0.5 at the defaults and below 1 with any one parameter at the end of its
    # plausible range that raises the gain (the old specification, w = 1, had about 4)
    p = path("baseline")
    x, m = (p.exports_energy_usd_bn + p.exports_other_usd_bn).iloc[0], p.imports_usd_bn.iloc[0]
    names = {
        "w": "ruble.expectation_extrapolation_weight",
        "mo": "ruble.precautionary_adjustment_months",
        "sx": "ruble.precautionary_depreciation_usd_bn",
        "n": "ruble.nonresident_assets_usd_bn",
        "nx": "ruble.nonresident_exit_depreciation_rate",
        "rx": "ruble.retention_depreciation_sensitivity",
        "k": "ruble.carry_capacity_usd_bn",
        "eps": "ruble.import_fx_elasticity",
    }

    def gain(v):
        flows = (1 - np.exp(-1 / v["mo"])) * v["sx"] + v["n"] * v["nx"] + v["rx"] * x + v["k"]
        return v["w"] * flows / (v["eps"] * m + v["k"])

    default = {key: REGISTRY[name].value for key, name in names.items()}
    assert gain(default) < 0.5
    for key, name in names.items():
        worst = REGISTRY[name].low if key in ("mo", "eps") else REGISTRY[name].high
        assert gain({**default, key: worst}) < 1, key
    assert gain({**default, "w": 1.0}) > 3  # the extrapolative specification this replaces


@pytest.mark.parametrize(
    "preset,overrides",
    [
        ("swift_full", {}),
        ("full_package", {}),
        ("episode_2014", {}),
        ("full_package", {"ruble.preinvasion_controls_coverage_pct": 100}),
        ("full_package", {"ruble.preinvasion_controls_coverage_pct": 50}),
    ],
)
def test_each_fx_market_equation_by_hand(preset, overrides):
    # docs/methodology.md, section "The ruble": the fundamental rate, the expected rate, retention, residents'
    # precautionary demand, non-residents' exits, the pre-invasion outflow, the carry flow, recomputed month by
    # month from the path table
    sc = econ.load_scenario(preset).with_overrides(overrides) if overrides else econ.load_scenario(preset)
    prm = sc.params
    p = path(preset, **overrides)
    labels = list(p.month)
    e0 = DATA["ru_macro_2021"].set_index("item").loc["usd_rub_start", "value"]

    def at(name, j):
        v = prm[name]
        return float(v.values_at(labels)[j]) if isinstance(v, DatedPath) else float(v)

    eps, k, lam = (
        at("ruble.import_fx_elasticity", 0),
        at("ruble.carry_capacity_usd_bn", 0),
        at("ruble.expectation_extrapolation_weight", 0),
    )
    rho0, r_x = at("ruble.export_retention_share", 0), at("ruble.retention_depreciation_sensitivity", 0)
    s_x, s_b = at("ruble.precautionary_depreciation_usd_bn", 0), at("ruble.precautionary_sanctions_usd_bn", 0)
    speed = 1 - np.exp(-1 / at("ruble.precautionary_adjustment_months", 0))
    n_b, n_x = at("ruble.nonresident_exit_sanctions_rate", 0), at("ruble.nonresident_exit_depreciation_rate", 0)
    beta, horizon = at("ruble.key_rate_flight_semi_elasticity", 0), at("ruble.key_rate_carry_horizon_months", 0)
    stock, held, u_prev = at("ruble.nonresident_assets_usd_bn", 0), 0.0, 0.0
    r0 = DATA["ru_macro_2021"].set_index("item").loc["reserves_stock_change_usd_bn", "value"] / 12
    for j in range(6):
        r = p.iloc[j]
        u = np.log(r.usd_rub / e0)
        x = r.exports_energy_usd_bn + r.exports_other_usd_bn
        m_pre = r.imports_usd_bn * np.exp(eps * u)  # imports = M_pre e^(-eps u)
        sigma, kappa, ban = (
            at("ruble.surrender_share", j),
            at("ruble.capital_controls_strength", j),
            at("ruble.nonresident_exit_ban", j),
        )
        h = at("ruble.key_rate_hike_pp", j)
        carry_h = k * h * horizon / 1200
        # fundamental rate: M_pre e^(-eps u_f) - K u_f = X (1 - min(rho0, 1 - sigma)) + S0 - D - o0 - f R0 + K h H/1200
        rhs = (
            x * (1 - min(rho0, 1 - sigma))
            + r.services_income_usd_bn
            - r.debt_not_rolled_over_usd_bn
            - r.other_private_outflow_usd_bn
            - r.fiscal_rule_purchases_usd_bn
            + carry_h
        )
        # the pre-invasion outflow (ruble amounts Z = R0 at E0): non-residents' OFZ sales, RUB 128 bn in January 2022
        # at that month's average official rate 76.5947 (NSD via VTB Capital; Bank of Russia), reached by the exit
        # ban, and the rest reached by the controls, each times the coverage c: Z e^(-u), and Z e^(-u_f) in the
        # fundamental rate's equation
        c = at("ruble.preinvasion_controls_coverage_pct", 0) / 100
        z_nr = 128.0 / 76.5947
        z = z_nr * (1 - c * ban) + (r0 - z_nr) * (1 - c * kappa)
        assert r.preinvasion_outflow_usd_bn == pytest.approx(z * np.exp(-u), rel=1e-9, abs=1e-12)
        u_f = brentq(
            lambda v, a=m_pre, b=rhs, z=z: a * np.exp(-eps * v) + z * np.exp(-v) - k * v - b, -20, 20, xtol=1e-14
        )
        assert np.log(r.usd_rub_fundamental / e0) == pytest.approx(u_f, abs=1e-9)
        u_e = (1 - lam) * u_f + lam * u_prev
        assert np.log(r.usd_rub_expected / e0) == pytest.approx(u_e, abs=1e-9)
        xe = 1 - np.exp(-max(0.0, u_e))
        damp = np.exp(-beta * h)
        assert r.exporters_retained_usd_bn == pytest.approx(min(rho0 + damp * r_x * xe, 1 - sigma) * x, rel=1e-9)
        target = damp * (s_x * xe + s_b * r.sanctions_exposure)
        resid = speed * max((1 - kappa) * target - held, 0.0) * np.exp(-u)  # controls stop a share of the stock
        assert r.residents_precautionary_usd_bn == pytest.approx(resid, rel=1e-9, abs=1e-12)
        nonres_rub = (1 - ban) * stock * (1 - np.exp(-(n_b * r.sanctions_exposure + n_x * xe)))
        assert r.nonresidents_exit_usd_bn == pytest.approx(nonres_rub * np.exp(-u), rel=1e-9, abs=1e-12)
        assert r.carry_inflow_usd_bn == pytest.approx(k * (u - u_e) + carry_h, rel=1e-9, abs=1e-12)
        held, stock, u_prev = held + resid, stock - nonres_rub, u


@settings(max_examples=8, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.floats(0, 0.15), st.floats(120, 300), st.floats(1, 6), st.floats(0.5, 1.2))
def test_small_oil_shocks_move_the_ruble_proportionally_over_the_plausible_ranges(w, s_x, months, eps):
    # over the plausible ranges of the loop's parameters, conditioned on a loop gain below 0.8 (docs/methodology.md,
    # "Expectations"; 99.8 % of joint draws of the registry's distributions have a gain below 1): a 0.1 % oil price
    # fall moves the peak by under 1 % of the rate (a marginal elasticity below 10; the old specification: 55 %),
    # and a 1 % fall about ten times as much
    m = path("baseline").imports_usd_bn.iloc[0]
    gain = w * ((1 - np.exp(-1 / months)) * s_x + 39 * 0.3 + 0.1 * 41.5 + 2) / (eps * m + 2)
    assume(gain < 0.8)
    prm = {
        "ruble.expectation_extrapolation_weight": w,
        "ruble.precautionary_depreciation_usd_bn": s_x,
        "ruble.precautionary_adjustment_months": months,
        "ruble.import_fx_elasticity": eps,
    }
    e0 = value(run("baseline", **prm), "rub_usd_peak")
    d1 = value(run("baseline", **prm, **{"macro.oil_price_change_pct": -0.1}), "rub_usd_peak") - e0
    d10 = value(run("baseline", **prm, **{"macro.oil_price_change_pct": -1.0}), "rub_usd_peak") - e0
    assert 0 < d1 < 0.01 * e0
    assert d10 / d1 == pytest.approx(10, rel=0.3)


def test_an_oil_embargo_enters_the_fx_market_once():
    """The FX market's exports are the energy module's oil, gas and coal plus the trade model's non-energy goods
    (methodology, the ruble: X_t). An embargo on the coalition's oil must move X_t by exactly the energy module's
    oil revenue loss, computed here by hand (methodology, energy: lost barrels L = e sum_coalition V_g, redirected
    R = C (1 - exp(-L ramp / C)), discount D = D_2021 + d_L L / V), and leave the other goods untouched: before
    this check the trade model's total volume index (which carries the embargoed oil) also scaled non-energy
    exports down, counting the embargo twice."""
    e = 0.5
    base, emb = path("baseline"), path("baseline", **{"trade.oil_embargo_share": e})
    np.testing.assert_allclose(emb.exports_other_usd_bn, base.exports_other_usd_bn, rtol=1e-13)
    p = REGISTRY.defaults()
    for lever in ("energy.oil_buyer_refusal_share", "energy.shipping_ban_coverage", "energy.price_cap_coverage"):
        assert p[lever] == 0  # the hand calculation below has no refusal, services ban or cap
    trade_table = econ.russia_data.russia_data(DATA).trade[0] / 12  # exports (P, G), USD bn a month
    oil = econ.sanctions.frictions.PRODUCT_GROUPS.index("oil")
    coalition = econ.sanctions.frictions.coalition_mask()
    brent, d21 = p["energy.brent_2021_usd_bbl"], p["energy.urals_discount_2021_usd_bbl"]
    v = trade_table[:, oil] * 1000 / (brent - d21)  # mn barrels a month by buyer group
    lost = e * v[coalition].sum()
    t = np.arange(len(emb))
    capacity = p["energy.oil_redirect_capacity_mbd"] * 30.4
    redirected = capacity * (1 - np.exp(-lost * (1 - np.exp(-(t + 1) / p["energy.oil_redirect_months"])) / capacity))
    discount = d21 + p["energy.urals_discount_per_lost_share_usd_bbl"] * lost / v.sum()
    revenue = (v.sum() - lost + redirected) * (brent - discount) / 1000
    revenue_2021 = v.sum() * (brent - d21) / 1000
    fx_exports_change = (emb.exports_energy_usd_bn + emb.exports_other_usd_bn) - (
        base.exports_energy_usd_bn + base.exports_other_usd_bn
    )
    np.testing.assert_allclose(fx_exports_change, revenue - revenue_2021, rtol=1e-10)
    assert (fx_exports_change < 0).all()


def test_a_gas_cut_enters_the_fx_market_once():
    """A cut of Russian gas to the EU moves the FX market's exports by the energy module's gas revenue change
    only: the other goods are the trade model's non-energy groups, which the cut does not touch."""
    base = run_params(econ.load_scenario("full_package").params, DATA)  # the gas model solved, not cached
    cut = run_params(econ.load_scenario("full_package_gas_retaliation").params, DATA)
    pb, pc = base["ruble"].tables["ruble_path"], cut["ruble"].tables["ruble_path"]
    np.testing.assert_allclose(pc.exports_other_usd_bn, pb.exports_other_usd_bn, rtol=1e-12)
    gas_change = cut["energy"].tables["russia_energy_monthly"].gas_usd_bn - (
        base["energy"].tables["russia_energy_monthly"].gas_usd_bn
    )
    np.testing.assert_allclose(pc.exports_energy_usd_bn - pb.exports_energy_usd_bn, gas_change, atol=1e-12)
    assert gas_change.sum() < 0


def test_validation_tables_in_the_docs_are_the_model_s():
    # docs/validation.md b) and b2): the 2014-15 and 2008-09 tables (model, the Bank of Russia's official rate, the
    # cited reserve rows, the gaps) are generated by scripts/ruble_validation_tables.py; a change that moves the
    # model must regenerate them (`--write`), so the documented gaps cannot drift from the model
    import importlib.util
    import os

    spec = importlib.util.spec_from_file_location(
        "ruble_validation_tables", Path(__file__).resolve().parents[1] / "scripts" / "ruble_validation_tables.py"
    )
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    raw = script.raw_root()
    if not (raw / "sanctions" / script.CBR_FILE).is_file():
        if os.environ.get("CI"):
            pytest.fail(f"raw data not found at {raw}: the validation tables cannot be checked")
        pytest.skip(f"raw data not found at {raw} (set ECON_DATA_RAW)")
    in_doc = script.doc_blocks(script.DOC.read_text())
    assert set(in_doc) == set(script.EPISODES)
    fresh = script.blocks(raw)
    for name in script.EPISODES:
        assert in_doc[name] == fresh[name], f"docs/validation.md block {name} differs from the model: rerun the script"


def test_levers_reaching_the_preinvasion_outflow_never_weaken_the_ruble():
    # docs/methodology.md, the ruble, "pre-invasion outflow": with the exit ban and the controls of full_package, a
    # larger share of the pre-invasion outflow reached by them lowers the FX demand month by month (the non-residents'
    # part by the ban's strength 1, the rest by the controls' 0.7), so the ruble is stronger in every month and the
    # outflow column is smaller; with no lever in force (baseline) the coverage changes nothing
    paths = {
        c: path("full_package", **{"ruble.preinvasion_controls_coverage_pct": round(100 * c)}) for c in (0.0, 0.5, 1.0)
    }
    assert (np.diff(np.stack([paths[c].usd_rub.to_numpy() for c in (0.0, 0.5, 1.0)]), axis=0) < 0).all()
    r0 = DATA["ru_macro_2021"].set_index("item").loc["reserves_stock_change_usd_bn", "value"] / 12
    z_nr = 128.0 / 76.5947
    first = paths[1.0].iloc[0]
    expected = (z_nr * (1 - 1.0) + (r0 - z_nr) * (1 - 0.7)) * 80.4194 / first.usd_rub  # Z e^(-u), by hand
    assert first.preinvasion_outflow_usd_bn == pytest.approx(expected, rel=1e-6)
    base = [
        path("baseline", **{"ruble.preinvasion_controls_coverage_pct": round(100 * c)}).usd_rub.to_numpy()
        for c in (0.0, 1.0)
    ]
    np.testing.assert_allclose(base[0], base[1], rtol=1e-12)


# --- The central bank leans on the depreciation itself (docs/methodology.md, Ruble, "Central bank") -------------
# Before: Q = theta max(0, ED(0)), the excess demand valued at E0, where a ruble amount R counts in full while at the
# clearing rate it demands R e^(-u); controls that cut R by D cut the sales by theta D and the demand by D e^(-u), so
# they weakened the ruble once e^(-u) < theta (docs/validation.md d3c). Now Q = phi max(0, u) - f R0, capped by
# usable reserves, with phi = theta / (1 - theta) S0 and S0 = eps M0 + R0 + K the 2021 market's slope at E0.


def test_leaning_rule_by_hand_one_month():
    # episode_2014, month 0 (2022-03), registry defaults: theta 0.3, eps 0.85, K 2; M0 = 24.4713 USD bn a month (2021
    # customs imports / 12, the baseline's imports at E0), R0 = 34.853 / 12 = 2.9044. By hand:
    # S0 = 0.85 x 24.4713 + 2.9044 + 2 = 25.7050; phi = 0.3 / 0.7 x 25.7050 = 11.0164 USD bn per unit log depreciation.
    # The month clears at 127.585 RUB/USD: u = ln(127.585 / 80.4194) = 0.46156, Q = 11.0164 x 0.46156 = 5.0847.
    eps, k, theta = 0.85, 2.0, 0.3
    assert REGISTRY["ruble.import_fx_elasticity"].value == eps and REGISTRY["ruble.carry_capacity_usd_bn"].value == k
    assert REGISTRY["ruble.intervention_share"].value == theta
    m0 = path("baseline").imports_usd_bn.iloc[0]
    assert m0 == pytest.approx(24.4713, abs=1e-4)
    r0 = DATA["ru_macro_2021"].set_index("item").loc["reserves_stock_change_usd_bn", "value"] / 12
    assert r0 == pytest.approx(2.9044, abs=1e-4)
    phi = theta / (1 - theta) * (eps * m0 + r0 + k)
    assert phi == pytest.approx(11.0164, abs=1e-3)
    r = path("episode_2014").iloc[0]
    assert not r.censored
    e0 = 80.4194
    u = np.log(r.usd_rub / e0)
    assert r.usd_rub == pytest.approx(127.585, abs=0.01)
    assert r.cb_net_sales_usd_bn == pytest.approx(5.0847, abs=2e-3)
    assert r.cb_net_sales_usd_bn == pytest.approx(phi * u, rel=1e-6)
    # and the rate is the root of the month's market with Q(u) inside it: M_pre e^(-eps u) + R e^(-u) - K (u - u_e)
    # - K h 12 / 1200 - fundamentals = phi max(0, u), the parts rebuilt from the path table at the clearing rate
    m_pre = r.imports_usd_bn * np.exp(eps * u)
    rub = (r.residents_precautionary_usd_bn + r.nonresidents_exit_usd_bn + r.preinvasion_outflow_usd_bn) * np.exp(u)
    fundamentals = (
        r.exports_energy_usd_bn
        + r.exports_other_usd_bn
        + r.services_income_usd_bn
        - r.exporters_retained_usd_bn
        - r.debt_not_rolled_over_usd_bn
        - r.other_private_outflow_usd_bn
    )
    u_e = np.log(r.usd_rub_expected / e0)
    hike = econ.load_scenario("episode_2014").params["ruble.key_rate_hike_pp"]
    hike = float(hike.values_at(["2022-03"])[0]) if isinstance(hike, DatedPath) else float(hike)
    assert hike == 6.5  # 10.5 % to 17 % on 16 December 2014; the hike's carry K h 12 / 1200 = 0.13
    carry = k * hike * 12 / 1200
    root = brentq(
        lambda v: (
            m_pre * np.exp(-eps * v) + rub * np.exp(-v) - k * (v - u_e) - carry - fundamentals - phi * max(v, 0.0)
        ),
        -5,
        5,
        xtol=1e-14,
    )
    assert root == pytest.approx(u, abs=1e-9)
    # the old rule would have sold theta x the excess demand at E0 instead: 0.3 x (M_pre + R - fundamentals)
    assert 0.3 * (m_pre + rub - fundamentals) != pytest.approx(r.cb_net_sales_usd_bn, rel=0.05)


DEEP_CRISIS = {
    # iran_2012_analogue with every flight parameter at the strong end of its plausible range and theta = 0.5: the
    # ruble passes E0 / theta = 161 in the first month, where the old rule (sales valued at E0) made controls weaken
    # it (old code: first month 164.55 -> 178.11 RUB/USD as controls go from 0 to 1; docs/validation.md d3c)
    "ruble.intervention_share": 0.5,
    "ruble.precautionary_sanctions_usd_bn": 90.0,
    "ruble.precautionary_depreciation_usd_bn": 300.0,
    "ruble.precautionary_adjustment_months": 1.0,
    "ruble.nonresident_assets_usd_bn": 60.0,
    "ruble.nonresident_exit_sanctions_rate": 0.6,
    "ruble.nonresident_exit_depreciation_rate": 0.6,
    "ruble.external_debt_due_usd_bn": 10.0,
    "ruble.debt_rollover_loss_share": 1.0,
    "ruble.retention_depreciation_sensitivity": 0.2,
    "ruble.import_fx_elasticity": 0.5,
    "ruble.carry_capacity_usd_bn": 1.0,
}


def test_stronger_capital_controls_never_weaken_the_ruble_in_a_deep_crisis():
    # controls 0, 0.25, ..., 1 on DEEP_CRISIS: the first month and the peak never weaken (deterministic counterpart
    # of tests/test_sanctions_properties.py::test_stronger_capital_controls_never_deepen_the_short_run_fall)
    first, peak = [], []
    for c in np.linspace(0.0, 1.0, 5):
        mods = run("iran_2012_analogue", **DEEP_CRISIS, **{"ruble.capital_controls_strength": float(c)})
        first.append(float(mods["ruble"].tables["ruble_path"].usd_rub.iloc[0]))
        peak.append(value(mods, "rub_usd_peak"))
    assert first[0] > 80.4194 / DEEP_CRISIS["ruble.intervention_share"]  # the region e^(-u) < theta is reached
    assert (np.diff(first) <= 1e-9).all(), first
    assert (np.diff(peak) <= 1e-9).all(), peak
    assert first[-1] < first[0] - 1  # and the controls bite


FLIGHT = {
    # the strong half of each flight parameter's plausible range (assumptions/parameters.csv), so that the drawn sets
    # reach the region E > E0 / theta where the earlier rule let a lever weaken the ruble
    "ruble.precautionary_sanctions_usd_bn": (55.0, 90.0),
    "ruble.precautionary_depreciation_usd_bn": (210.0, 300.0),
    "ruble.precautionary_adjustment_months": (1.0, 3.0),
    "ruble.nonresident_assets_usd_bn": (45.0, 60.0),
    "ruble.nonresident_exit_sanctions_rate": (0.35, 0.6),
    "ruble.nonresident_exit_depreciation_rate": (0.35, 0.6),
    "ruble.external_debt_due_usd_bn": (7.0, 10.0),
    "ruble.import_fx_elasticity": (0.5, 0.85),
    "ruble.carry_capacity_usd_bn": (1.0, 3.5),
    "ruble.intervention_share": (0.4, 0.7),
}
REACHED: list[bool] = []


@settings(max_examples=10, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.fixed_dictionaries({name: st.floats(lo, hi) for name, (lo, hi) in FLIGHT.items()}),
    st.sampled_from(["ruble.capital_controls_strength", "ruble.nonresident_exit_ban"]),
    st.floats(0.1, 1.0),
)
def test_levers_that_remove_a_flow_never_weaken_the_ruble_where_the_old_rule_did(draw, lever, strength):
    # docs/methodology.md, Ruble, "Central bank": with Q = phi max(0, u) a lever that removes a ruble flow lowers the
    # excess demand at every rate; the first month and the peak never weaken, also beyond E0 / theta (d3e)
    over = {**draw, "ruble.debt_rollover_loss_share": 1.0}
    a = run("iran_2012_analogue", **over)
    b = run("iran_2012_analogue", **over, **{lever: strength})
    first_a = float(a["ruble"].tables["ruble_path"].usd_rub.iloc[0])
    first_b = float(b["ruble"].tables["ruble_path"].usd_rub.iloc[0])
    REACHED.append(first_a > 80.4194 / draw["ruble.intervention_share"])
    assert first_b <= first_a + 1e-9
    assert value(b, "rub_usd_peak") <= value(a, "rub_usd_peak") + 1e-9


def test_the_lever_property_reached_the_region_where_the_old_rule_failed():
    if not REACHED:
        pytest.skip("test_levers_that_remove_a_flow_never_weaken_the_ruble_where_the_old_rule_did did not run")
    assert sum(REACHED) >= 3, REACHED
