"""The FX market (econ/ruble.py; docs/methodology.md, section "The ruble: an FX market ...").

Value-level checks of the clearing equation, the usable-reserves formula, the surrender cap and the 2021
balance, the identity of the ruble_path table, and the issue's properties: dated controls let the ruble
overshoot before they start; dearer oil raises the current account and never weakens the ruble after a year;
more frozen reserves never strengthen the ruble at its weakest.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
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
    mods = run("baseline")
    p = mods["ruble"].tables["ruble_path"]
    a = DATA["ru_macro_2021"].set_index("item")["value"]
    np.testing.assert_allclose(p.usd_rub, a["usd_rub_start"], rtol=1e-12)
    # Bank of Russia 2021: current account 120.3 USD bn, reserves +34.85 USD bn -> private net outflow 85.45
    assert value(mods, "russia_current_account_bn_usd") == pytest.approx(a["current_account_usd_bn"], rel=1e-9)
    assert value(mods, "russia_capital_outflow_bn_usd") == pytest.approx(
        a["current_account_usd_bn"] - a["reserves_stock_change_usd_bn"], rel=1e-9
    )
    np.testing.assert_allclose(p.cb_net_sales_usd_bn, -a["reserves_stock_change_usd_bn"] / 12, rtol=1e-12)


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
    # 60.36 in March 2015 -> 48.1 % and 44.0 % losses of value. The peak was calibrated (docs/validation.md b)):
    # 1 pp of tolerance; the 12-month level was not: 5 pp, the width of the 2015 recovery from the peak (48 -> 44).
    ep = DATA["calibration_episodes"].query("episode == 'russia_2014_15'").set_index("metric")["value"]
    mods = run("episode_2014")
    e0 = DATA["ru_macro_2021"].set_index("item").loc["usd_rub_start", "value"]
    assert value(mods, "rub_depreciation_peak_pct") == pytest.approx(
        100 * (1 - ep["usd_rub_avg_2014_01"] / ep["usd_rub_avg_peak_month"]), abs=1
    )
    assert 100 * (1 - e0 / value(mods, "rub_usd_12m")) == pytest.approx(
        100 * (1 - ep["usd_rub_avg_2014_01"] / ep["usd_rub_avg_2015_03"]), abs=5
    )
    # FX sold in 2014: 76.1 USD bn (Bank of Russia via AFP); within 10 USD bn (a calendar year against 12 months)
    assert value(mods, "reserves_used_bn_usd") == pytest.approx(ep["fx_interventions_2014_usd"], abs=10)


def test_episode_2008_direction_and_known_gap():
    # Bank of Russia: 23.35 RUB/USD (July 2008) -> 35.81 (February 2009); reserves 598.1 -> 376.1 USD bn (Aug 2008 -
    # Mar 2009). The model (defaults calibrated on 2014) depreciates and sells reserves, but about half as much:
    # the documented gap of docs/validation.md b2) (no expectations of a pre-announced devaluation). If a change
    # closes the gap, update the documentation and this test.
    ep = DATA["calibration_episodes"].query("episode == 'russia_2008_09'").set_index("metric")["value"]
    mods = run("episode_2008")
    published_dep = 100 * ep["usd_rub_change_2008_07_to_2009_02"]  # 53.4 % rise in RUB per USD
    e0 = DATA["ru_macro_2021"].set_index("item").loc["usd_rub_start", "value"]
    model_dep = 100 * (value(mods, "rub_usd_peak") / e0 - 1)
    assert 0.3 * published_dep < model_dep < published_dep
    sold = value(mods, "reserves_used_bn_usd")
    assert 0.3 * -ep["reserves_change_2008_08_to_2009_03"] < sold < -ep["reserves_change_2008_08_to_2009_03"]
