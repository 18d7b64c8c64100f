"""Russia's GDP channels, CPI, the oil embargo and the export bans against hand calculations (issue 16, item 2).

Each test cites the equation of docs/methodology.md it checks and computes the expected number HERE, with scalar
Python from the documented equation, the chosen parameter values and the raw data tables, never from the module's
own arrays, so that a coefficient halved or a sign flipped in the module fails (docs/testing.md lists the
mutations planted to prove it). Parameter values are chosen unequal and away from their defaults, so that a
swapped argument or a hard-coded default shows.

* Macro (section "Macro", "Equations" 1-6, world prices apart, the expenditure identity): a hand case with a
  synthetic upstream (trade, ruble and chips outputs chosen here, month by month), so each channel is checked
  alone; then the same equations on the engine's full_package run.
* CPI (section "Ruble", "CPI"): the price level from the ruble path the module solved, the trade model's rationed
  import share and the hike, by hand.
* Oil embargo (section "Energy", "Barrels by buyer group", "The price cap") and the trade model's embargo cap
  (section "Trade": an oil embargo caps coalition partners' oil).
* Export bans (section "Export bans, firm exits and logistics") by product group and member group, and the
  coverage metric.

Russia2's modules (econ/ruble.py, econ/energy.py, econ/trade.py, econ/sanctions/exports.py) may change: these
tests follow the documented equations, and a change of equation must change the documentation and the test.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import econ
from econ import energy, macro, trade
from econ.data import PARTNER_GROUPS, PRODUCT_GROUPS
from econ.engine import run_params
from econ.model import BatchResult
from econ.params import ParamBatch
from econ.sanctions import exports
from econ.sanctions.frictions import Frictions, combine, trade_weights
from econ.time import horizon_of

DATA = econ.load_data()
# Written out from docs/methodology.md (Engine, "Trade grid"), not imported from the code under test:
COALITION = ("eu", "us", "uk", "japan", "korea", "other_coalition")
ENERGY = ("oil", "gas", "coal")
REDIRECT = ("china", "india", "turkey")


def _scenario(name: str, overrides: dict):
    return econ.load_scenario(name).with_overrides(overrides).params


def _ramp(t: int, m: float) -> float:
    """docs/methodology.md, conventions: ramp(t, m) = 1 - exp(-(t + 1)/m), t = 0 the first month."""
    return 1 - math.exp(-(t + 1) / m)


def _gdp_usd_bn() -> float:
    """2021 GDP in USD bn, read from the cited data row (data/ru_macro_2021.csv: Rosstat / official rate)."""
    t = DATA["ru_macro_2021"]
    return float(t.loc[t["item"] == "gdp_usd_bn", "value"].iloc[0])


def _ces_loss(alpha: float, gap: float, sigma: float) -> float:
    """The chips section's loss function, written out: 1 - [alpha (1 - gap)^rho + 1 - alpha]^(1/rho)."""
    rho = (sigma - 1) / sigma
    return 1 - (alpha * (1 - gap) ** rho + 1 - alpha) ** (1 / rho)


# ----------------------------------------------------------------------------------------------------------------
# Macro: each GDP channel alone, on a synthetic upstream
# ----------------------------------------------------------------------------------------------------------------

MACRO_CASE = {
    "macro.export_value_added_share": 0.7,
    "macro.imported_input_share": 0.08,
    "macro.imported_input_elasticity": 0.45,
    "macro.financial_gdp_loss_pct": 4.5,
    "macro.key_rate_gdp_loss_pct_per_pp": 0.17,
    "macro.terms_of_trade_pass_through": 0.65,
    "macro.fiscal_offset_share": 0.3,
}


def _upstream(n_t: int) -> tuple[dict, dict[str, BatchResult]]:
    """Chosen trade, energy, ruble and chips outputs, different every month (USD bn a month; shares; pp).

    Trade gives the non-energy goods only and energy the oil, gas and coal: the synthetic trade result has no
    total export volume or value, so a macro that read trade's energy rows too (counting them twice) fails here.
    """
    t = np.arange(n_t, dtype=float)
    u = {
        "xn0": 30.0,  # baseline non-energy exports, USD bn a month
        "m0": 25.0,  # baseline imports
        "xn_vol": 30.0 - 2.0 - 0.3 * t,  # non-energy export volume at 2021 prices
        "xn_world": 31.0 - 0.1 * t,  # non-energy export value at world prices (no discount)
        "xn_value": 29.5 - 0.3 * t,  # non-energy export value (with the sanctions' discount)
        # energy export volumes at 2021 prices, scenario and no-sanction reference, by product
        "e_vol": {"oil": 7.0 - 0.2 * t, "gas": 2.5 - 0.05 * t, "coal": 0.8 - 0.01 * t},
        "e_ref": {"oil": 8.0 + 0.01 * t, "gas": 2.6 + 0.0 * t, "coal": 0.9 + 0.002 * t},
        # energy export value at the reference prices on the scenario's volumes, and the value, by product
        "e_world": {"oil": 7.6 - 0.07 * t, "gas": 2.2 - 0.02 * t, "coal": 0.7 - 0.01 * t},
        "e_value": {"oil": 7.1 - 0.1 * t, "gas": 2.1 - 0.04 * t, "coal": 0.6 - 0.01 * t},
        # trade's frictions alone on energy: what they leave of each volume, and the relative price
        "f_vol": {"oil": 0.97 - 0.001 * t, "gas": 0.99 + 0.0 * t, "coal": 0.95 + 0.002 * t},
        "f_price": {"oil": 0.96 + 0.0 * t, "gas": 1.0 + 0.0 * t, "coal": 0.93 + 0.001 * t},
        "fall": 0.05 + 0.02 * t,  # other (non-high-tech) import volume fall, share
        "severity": 0.2 + 0.03 * t,
        "hike": np.where(t < 4, 10.5, 3.0),  # key-rate hike, pp
        "m_after": 19.0 + 0.25 * t,  # imports after the exchange-rate response
        "chips": 0.004 + 0.001 * t,  # chip module's GDP loss, share of GDP
    }
    fr = Frictions(
        np.zeros((1, 1, 1, 1, 1)),
        np.ones((1, 1, 1, 1, 1)),
        np.zeros((1, 1)),
        u["severity"][None, :],
    )
    upstream = {
        "trade": BatchResult(
            {},
            {
                "baseline_exports_non_energy_usd_bn": u["xn0"],
                "baseline_imports_usd_bn": u["m0"],
                "exports_volume_non_energy_usd_bn": u["xn_vol"][None, :],
                "exports_non_energy_at_world_prices_usd_bn": u["xn_world"][None, :],
                "exports_non_energy_usd_bn": u["xn_value"][None, :],
                "other_import_volume_fall": u["fall"][None, :],
                "energy_friction_volume_index": {k: v[None, :] for k, v in u["f_vol"].items()},
                "energy_friction_price_relative": {k: v[None, :] for k, v in u["f_price"].items()},
                "frictions": fr,
            },
        ),
        "energy": BatchResult(
            {},
            {
                "export_volume_usd_bn_2021_prices": {k: v[None, :] for k, v in u["e_vol"].items()},
                "export_volume_reference_usd_bn_2021_prices": {k: v[None, :] for k, v in u["e_ref"].items()},
                "export_value_at_reference_prices_usd_bn": {k: v[None, :] for k, v in u["e_world"].items()},
                "export_value_usd_bn": {k: v[None, :] for k, v in u["e_value"].items()},
            },
        ),
        "ruble": BatchResult({}, {"key_rate_hike_pp": u["hike"][None, :], "imports_usd_bn": u["m_after"][None, :]}),
        "chips": BatchResult({}, {"gdp_loss_share_by_month": u["chips"][None, :]}),
    }
    return u, upstream


@pytest.fixture(scope="module")
def macro_case():
    params = _scenario("baseline", MACRO_CASE)
    labels, _ = horizon_of(params)
    n_t = len(labels)
    u, upstream = _upstream(n_t)
    ev = macro.evaluate(ParamBatch.single(params), DATA, upstream)
    ym = _gdp_usd_bn() / 12
    c = MACRO_CASE
    hand: dict[str, list[float]] = {k: [] for k in ("X", "M", "C", "F", "T", "G", "W", "dX", "dM")}
    for t in range(n_t):
        # real exports at 2021 prices: non-energy goods (trade) + oil, gas and coal (energy's volume E_k times
        # trade's friction index f_k), and their reference (X^N_0 + sum_k E^ref_k)
        f = {k: float(u["f_vol"][k][t]) for k in ENERGY}
        e_vol = sum(f[k] * float(u["e_vol"][k][t]) for k in ENERGY)
        e_ref = sum(float(u["e_ref"][k][t]) for k in ENERGY)
        x_vol, x_ref = u["xn_vol"][t] + e_vol, u["xn0"] + e_ref
        x_world = u["xn_world"][t] + sum(f[k] * float(u["e_world"][k][t]) for k in ENERGY)
        x_value = u["xn_value"][t] + sum(f[k] * float(u["f_price"][k][t] * u["e_value"][k][t]) for k in ENERGY)
        # Macro, eq. 1: g^X_t = -v_X [(X^N_0 - X^N_t) + sum_k (E^ref_k,t - f_k,t E_k,t)] / Y_m
        hand["X"].append(-c["macro.export_value_added_share"] * (x_ref - x_vol) / ym)
        # eq. 2: g^M_t = -loss(alpha_M, fall_t, sigma_M)
        hand["M"].append(
            -_ces_loss(c["macro.imported_input_share"], u["fall"][t], c["macro.imported_input_elasticity"])
        )
        # eq. 3: g^C_t = minus the chip module's loss
        hand["C"].append(-u["chips"][t])
        # eq. 4: g^F_t = -(lambda_s s_t + lambda_h h_t) / 100
        hand["F"].append(
            -(
                c["macro.financial_gdp_loss_pct"] * u["severity"][t]
                + c["macro.key_rate_gdp_loss_pct_per_pp"] * u["hike"][t]
            )
            / 100
        )
        # eq. 5: g^T_t = -theta [(X^N,W_t + sum_k f_k E^W_k,t) - (X^N,val_t + sum_k f_k p_k E^val_k,t)] / Y_m
        hand["T"].append(-c["macro.terms_of_trade_pass_through"] * (x_world - x_value) / ym)
        # eq. 6: g^G_t = -phi_G (g^X + g^M + g^C + g^F + g^T)
        s = hand["X"][t] + hand["M"][t] + hand["C"][t] + hand["F"][t] + hand["T"][t]
        hand["G"].append(-c["macro.fiscal_offset_share"] * s)
        # world prices, apart: g^W_t = theta [(X^N,W_t + sum_k f_k E^W_k,t) - (X^N_t + sum_k f_k E_k,t)] / Y_m
        hand["W"].append(c["macro.terms_of_trade_pass_through"] * (x_world - x_vol) / ym)
        # expenditure identity: dX_t = (X^vol_t - X^ref_t)/Y_m, dM_t = (M_t - M_0)/Y_m
        hand["dX"].append((x_vol - x_ref) / ym)
        hand["dM"].append((u["m_after"][t] - u["m0"]) / ym)
    return ev, hand, n_t


CHANNEL_KEYS = {
    "exports": "X",
    "imported_inputs": "M",
    "chips": "C",
    "finance": "F",
    "terms_of_trade": "T",
    "fiscal": "G",
}


@pytest.mark.parametrize("channel", list(CHANNEL_KEYS))
def test_each_gdp_channel_by_month_and_first_year_equals_its_equation(macro_case, channel):
    """Macro, equations 1-6, each channel alone (monthly share of GDP and the first-year mean x 100)."""
    ev, hand, n_t = macro_case
    want = hand[CHANNEL_KEYS[channel]]
    got = ev.outputs["gdp_channels_by_month"][channel][0]
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)
    first_year = 100 * sum(want[:12]) / 12
    assert ev.metrics[f"gdp_channel_{channel}_pct"][0] == pytest.approx(first_year, rel=1e-12)


def test_the_gdp_change_is_the_sum_of_the_six_channels_and_world_prices_stay_apart(macro_case):
    """Macro, Delta GDP = 100 (1/12) sum_t (g^X + g^M + g^C + g^F + g^T + g^G); g^W reported apart."""
    ev, hand, _ = macro_case
    total = 100 * sum(sum(hand[k][t] for k in "XMCFTG") for t in range(12)) / 12
    world = 100 * sum(hand["W"][:12]) / 12
    assert ev.metrics["russia_gdp_change_pct"][0] == pytest.approx(total, rel=1e-12)
    assert ev.metrics["gdp_world_prices_pct"][0] == pytest.approx(world, rel=1e-12)
    assert ev.metrics["russia_gdp_change_with_world_prices_pct"][0] == pytest.approx(total + world, rel=1e-12)
    # the hand case has a loss in every channel and a world-price gain: signs as documented
    for k in "XMCFT":
        assert all(v < 0 for v in hand[k])
    assert all(v > 0 for v in hand["G"]) and all(v > 0 for v in hand["W"])


def test_each_expenditure_component_equals_its_equation(macro_case):
    """Macro, expenditure identity: dI = g^F, dG = g^G, dX = (X^vol - X_0)/Y_m, -dM with dM = (M - M_0)/Y_m,
    dC = dY - dI - dG - dX + dM."""
    ev, hand, n_t = macro_case
    e = ev.outputs["gdp_expenditure_by_month"]
    for t in range(n_t):
        dy = sum(hand[k][t] for k in "XMCFTG")
        want = {
            "investment": hand["F"][t],
            "government": hand["G"][t],
            "exports": hand["dX"][t],
            "imports": -hand["dM"][t],
            "consumption": dy - hand["F"][t] - hand["G"][t] - hand["dX"][t] + hand["dM"][t],
        }
        for key, value in want.items():
            assert e[key][0, t] == pytest.approx(value, rel=1e-12, abs=1e-15), (key, t)
    for key in want:
        first_year = 100 * float(np.mean(e[key][0, :12]))
        assert ev.metrics[f"gdp_expenditure_{key}_pct"][0] == pytest.approx(first_year, rel=1e-12)


def test_without_the_chip_module_the_chip_channel_is_zero_and_the_rest_unchanged(macro_case):
    """Macro, eq. 3: g^C_t = 0 if the chip module is absent; the other five sanctions channels do not change."""
    ev, hand, n_t = macro_case
    params = _scenario("baseline", MACRO_CASE)
    _, upstream = _upstream(n_t)
    del upstream["chips"]
    alone = macro.evaluate(ParamBatch.single(params), DATA, upstream)
    np.testing.assert_array_equal(alone.outputs["gdp_channels_by_month"]["chips"][0], np.zeros(n_t))
    for channel in ("exports", "imported_inputs", "finance", "terms_of_trade"):
        np.testing.assert_allclose(
            alone.outputs["gdp_channels_by_month"][channel][0], ev.outputs["gdp_channels_by_month"][channel][0]
        )
    # the fiscal offset now applies to the four others only: g^G = -phi_G (g^X + g^M + g^F + g^T)
    want = [
        -MACRO_CASE["macro.fiscal_offset_share"] * (hand["X"][t] + hand["M"][t] + hand["F"][t] + hand["T"][t])
        for t in range(n_t)
    ]
    np.testing.assert_allclose(alone.outputs["gdp_channels_by_month"]["fiscal"][0], want, rtol=1e-12)


def test_the_financial_channel_in_the_engine_follows_severity_and_the_key_rate():
    """Macro, eq. 4 on the engine's full_package run: g^F from the severity the sanctions pass on and the hike
    the ruble model reads (lambda_s, lambda_h chosen here, not the defaults)."""
    params = _scenario(
        "full_package", {"macro.financial_gdp_loss_pct": 5.5, "macro.key_rate_gdp_loss_pct_per_pp": 0.23}
    )
    res = run_params(params, DATA)
    sev = np.broadcast_to(res["trade"].batch.outputs["frictions"].severity[0], (13,))
    hike = res["ruble"].batch.outputs["key_rate_hike_pp"][0]
    want = [-(5.5 * float(sev[t]) + 0.23 * float(hike[t])) / 100 for t in range(12)]
    got = res["macro"].batch.outputs["gdp_channels_by_month"]["finance"][0][:12]
    np.testing.assert_allclose(got, want, rtol=1e-12)
    assert res["macro"].batch.metrics["gdp_channel_finance_pct"][0] == pytest.approx(100 * sum(want) / 12, rel=1e-12)
    assert max(float(s) for s in sev) > 0.3  # the package has a severity the channel can scale


def test_the_gdp_tables_are_the_monthly_channels_by_hand():
    """Macro, tables (docs/methodology.md, Macro: "the first-quarter and first-year figures are means of the
    monthly shares"): gdp_channels has each channel's first-quarter (months 0-2) and first-year (months 0-11)
    mean x 100 and a total row; gdp_channels_monthly has the months of the horizon and each channel x 100."""
    # oil 30 % dearer, so that the world-price figure is not zero
    res = econ.run(econ.load_scenario("full_package").with_overrides({"macro.oil_price_change_pct": 30.0}))
    tables = res.modules["macro"].tables
    monthly = tables["gdp_channels_monthly"]
    labels, _ = horizon_of(econ.load_scenario("full_package").params)
    assert list(monthly["month"]) == labels
    assert abs(res.value("gdp_world_prices_pct")) > 0.1
    table = tables["gdp_channels"]
    assert list(table.columns) == ["channel", "label", "first_quarter_pct_of_gdp", "first_year_pct_of_gdp"]
    assert list(table["channel"]) == [*CHANNEL_KEYS, "total"]
    for row in table.itertuples():
        if row.channel == "total":
            assert row.label == "GDP change"
            assert row.first_quarter_pct_of_gdp == pytest.approx(table["first_quarter_pct_of_gdp"][:-1].sum())
            assert row.first_year_pct_of_gdp == pytest.approx(res.value("russia_gdp_change_pct"), rel=1e-12)
            continue
        series = [float(v) for v in monthly[f"{row.channel}_pct_of_gdp"]]
        assert row.first_quarter_pct_of_gdp == pytest.approx(sum(series[:3]) / 3, rel=1e-12), row.channel
        assert row.first_year_pct_of_gdp == pytest.approx(sum(series[:12]) / 12, rel=1e-12), row.channel
        assert row.first_year_pct_of_gdp == pytest.approx(res.value(f"gdp_channel_{row.channel}_pct"), rel=1e-12)
    assert table["first_quarter_pct_of_gdp"].abs().sum() > 0  # the package has losses to tabulate
    # world prices by month x 100, apart from the total
    world = res.modules["macro"].batch.outputs["gdp_world_prices_by_month"][0]
    np.testing.assert_allclose(monthly["world_prices_pct_of_gdp"], 100 * world, rtol=1e-12)
    # the expenditure table: each component's first-quarter and first-year means x 100, a total row
    exp_table = tables["gdp_expenditure"]
    assert list(exp_table.columns) == ["component", "label", "first_quarter_pct_of_gdp", "first_year_pct_of_gdp"]
    expenditure = res.modules["macro"].batch.outputs["gdp_expenditure_by_month"]
    for row in exp_table.itertuples():
        if row.component == "total":
            assert row.label == "GDP change (sanctions)"
            assert row.first_year_pct_of_gdp == pytest.approx(res.value("russia_gdp_change_pct"), rel=1e-9)
            assert row.first_quarter_pct_of_gdp == pytest.approx(table["first_quarter_pct_of_gdp"].iloc[-1], rel=1e-9)
            continue
        series = [float(v) for v in expenditure[row.component][0]]
        assert row.first_quarter_pct_of_gdp == pytest.approx(100 * sum(series[:3]) / 3, rel=1e-12), row.component
        assert row.first_year_pct_of_gdp == pytest.approx(100 * sum(series[:12]) / 12, rel=1e-12), row.component
    # sanctions against world prices: the first-year total and the world-price figure, apart
    apart = tables["gdp_sanctions_vs_world_prices"].set_index("source")
    assert list(apart.columns) == ["label", "first_year_pct_of_gdp"] and list(apart.index) == [
        "sanctions",
        "world_prices",
    ]
    assert apart.loc["sanctions", "label"] == "Sanctions (russia_gdp_change_pct)"
    assert apart.loc["world_prices", "label"] == "World oil and gas prices (apart)"
    assert apart.loc["sanctions", "first_year_pct_of_gdp"] == pytest.approx(
        res.value("russia_gdp_change_pct"), rel=1e-12
    )
    assert apart.loc["world_prices", "first_year_pct_of_gdp"] == pytest.approx(
        100 * float(world[:12].mean()), rel=1e-12
    )
    assert res.modules["macro"].module == "macro"
    # trade by partner after the exchange rate: the percentage changes are 100 (value / baseline - 1)
    by_partner = tables["trade_by_partner_after_fx"]
    assert set(by_partner["flow"]) == {"exports", "imports"}
    for row in by_partner.itertuples():
        assert row.baseline_usd_bn > 0
        assert row.change_pct == pytest.approx(100 * (row.value_usd_bn / row.baseline_usd_bn - 1), rel=1e-9, abs=1e-9)
        want_pre = 100 * (row.value_pre_fx_usd_bn / row.baseline_usd_bn - 1)
        assert row.change_pre_fx_pct == pytest.approx(want_pre, rel=1e-9, abs=1e-9)


# ----------------------------------------------------------------------------------------------------------------
# CPI
# ----------------------------------------------------------------------------------------------------------------

CPI_CASE = {
    "ruble.pass_through": 0.27,
    "ruble.pass_through_months": 3.0,
    "ruble.shortage_price_premium": 0.17,
    "ruble.key_rate_cpi_pct_per_pp": 0.45,
    "ruble.baseline_inflation_pct": 6.0,
    "ruble.key_rate_hike_pp": {"base": 10.5, "2022-07": 4.0},
}
# a preset where the ruble falls and imports are rationed, so that every CPI term is non-zero (under
# full_package's capital controls the ruble appreciates: see test_cpi_by_hand...'s power check)
CPI_PRESET = "iran_2012_analogue"


def test_cpi_by_hand_from_the_ruble_path_the_rationed_imports_and_the_hike():
    """Ruble, "CPI": P_t = pi^t [1 + psi (E_t/E_0 - 1) r_t] (1 + w z_t) (1 - k_i h_t r_t / 100), pi the monthly
    trend, r_t = ramp(t, pass_through_months); inflation P_t / P_(t-12) - 1 with the trend alone before the
    shock (P_(t-12) = pi^(t-12) for t < 12)."""
    params = _scenario(CPI_PRESET, CPI_CASE)
    res = run_params(params, DATA)
    rb = res["ruble"].batch.outputs
    rate = rb["usd_rub"][0]
    fall = res["trade"].batch.outputs["other_import_volume_fall"][0]
    labels, _ = horizon_of(params)
    e0 = float(DATA["ru_macro_2021"].set_index("item").loc["usd_rub_start", "value"])
    pi = (1 + 6.0 / 100) ** (1 / 12)
    level, cpi = [], []
    for t, month in enumerate(labels):
        hike = 10.5 if month < "2022-07" else 4.0
        r = _ramp(t, 3.0)
        z = min(max(float(fall[t]), 0.0), 1.0)
        level.append(pi**t * (1 + 0.27 * (rate[t] / e0 - 1) * r) * (1 + 0.17 * z) * (1 - 0.45 * hike * r / 100))
        before = level[t - 12] if t >= 12 else pi ** (t - 12)
        cpi.append(100 * (level[t] / before - 1))
    np.testing.assert_allclose(rb["cpi_yoy_pct"][0], cpi, rtol=1e-10)
    assert res["ruble"].batch.metrics["russia_cpi_peak_pct"][0] == pytest.approx(max(cpi), rel=1e-10)
    # the case has power: the ruble falls, imports are rationed and the hike is on in every month
    assert rate.max() > 1.1 * e0 and float(fall[:12].min()) > 0.01


def test_each_cpi_term_moves_the_price_level_by_its_own_factor():
    """Ruble, "CPI": the three factors are separable. Doubling psi adds psi (E/E0 - 1) r_t to the pass-through
    factor only; the shortage factor is (1 + w z_t); the key rate's (1 - k_i h_t r_t / 100). Checked on the
    ratio of price levels P_t(changed) / P_t(case) that the inflation rates imply month by month."""
    base = run_params(_scenario(CPI_PRESET, CPI_CASE), DATA)
    rate = base["ruble"].batch.outputs["usd_rub"][0]
    fall = base["trade"].batch.outputs["other_import_volume_fall"][0]
    e0 = float(DATA["ru_macro_2021"].set_index("item").loc["usd_rub_start", "value"])
    cpi0 = base["ruble"].batch.outputs["cpi_yoy_pct"][0]
    n_t = len(cpi0)
    for key, value, factor in (
        (
            "ruble.pass_through",
            0.54,
            lambda t: (1 + 0.54 * (rate[t] / e0 - 1) * _ramp(t, 3)) / (1 + 0.27 * (rate[t] / e0 - 1) * _ramp(t, 3)),
        ),
        ("ruble.shortage_price_premium", 0.34, lambda t: (1 + 0.34 * fall[t]) / (1 + 0.17 * fall[t])),
    ):
        changed = run_params(_scenario(CPI_PRESET, {**CPI_CASE, key: value}), DATA)
        np.testing.assert_allclose(changed["ruble"].batch.outputs["usd_rub"][0], rate)  # CPI does not feed back
        cpi1 = changed["ruble"].batch.outputs["cpi_yoy_pct"][0]
        for t in range(min(n_t, 12)):  # before t = 12 the denominator is the trend alone, the same in both runs
            assert (1 + cpi1[t] / 100) / (1 + cpi0[t] / 100) == pytest.approx(factor(t), rel=1e-10), (key, t)


# ----------------------------------------------------------------------------------------------------------------
# Oil embargo by buyer group with phase-in, and the price cap (Energy)
# ----------------------------------------------------------------------------------------------------------------

EMBARGO_CASE = {
    "energy.oil_embargo_eu_share": {"base": 0.0, "2022-06": 0.4, "2022-12": 0.9},
    "energy.oil_embargo_other_coalition_share": {"base": 0.6, "2022-09": 1.0},
    "trade.oil_embargo_share": 0.25,
    "energy.oil_buyer_refusal_share": 0.15,
    "energy.oil_redirect_capacity_mbd": 1.7,
    "energy.oil_redirect_months": 5.0,
    "energy.price_cap_usd_bbl": 55.0,
    "energy.price_cap_coverage": {"base": 0.0, "2022-12": 0.8},
    "energy.shipping_ban_coverage": 0.5,
    "macro.oil_price_change_pct": 20.0,
}


def test_oil_barrels_by_buyer_group_follow_the_phased_embargo_and_redirection():
    """Energy, "Barrels by buyer group": V_g = 2021 value / U_2021; L_g,t = 1 - (1 - e_g,t)(1 - rho_t) for
    coalition buyers (e_g combined with trade.oil_embargo_share as 1 - (1 - a)(1 - b)); redirected
    R_t = C (1 - exp(-L_t ramp(t, m_R) / C)) split over China, India, Turkey by their 2021 shares; "Fleet
    capacity": every buyer's barrels times 1 - F_t, F_t = s_sea s_S b (1 - lambda_max ramp(t, m_lambda)), shut in."""
    params = _scenario("baseline", EMBARGO_CASE)
    labels, _ = horizon_of(params)
    gas = run_params(params, DATA)["gas"].batch
    out = energy.evaluate(ParamBatch.single(params), DATA, {"gas": gas}).outputs
    t_tab = DATA["ru_trade_partner_product_2021"]
    oil = t_tab[(t_tab.flow == "exports") & (t_tab.product_group == "oil")].set_index("partner_group")["value_usd_bn"]
    u21 = params.float("energy.brent_2021_usd_bbl") - params.float("energy.urals_discount_2021_usd_bbl")
    v = {g: float(oil.get(g, 0.0)) / 12 * 1000 / u21 for g in PARTNER_GROUPS}  # mn bbl a month
    cap = 1.7 * 30.4
    to_total = sum(v[g] for g in REDIRECT)
    barrels = out["oil_barrels_by_partner"][0]
    for t, month in enumerate(labels):
        e_eu = 0.0 if month < "2022-06" else (0.4 if month < "2022-12" else 0.9)
        e_other = 0.6 if month < "2022-09" else 1.0
        lost_share = {}
        for g in PARTNER_GROUPS:
            if g in COALITION:
                e = 1 - (1 - 0.25) * (1 - (e_eu if g == "eu" else e_other))
                lost_share[g] = 1 - (1 - e) * (1 - 0.15)
            else:
                lost_share[g] = 0.0
        lost = sum(lost_share[g] * v[g] for g in PARTNER_GROUPS)
        redirected = cap * (1 - math.exp(-lost * _ramp(t, 5.0) / cap))
        # the shipping ban (0.5) removes the fleet other fleets have not replaced: s_sea 0.77, s_S 0.6, leakage 0.5, 6
        fleet = 0.77 * 0.6 * 0.5 * (1 - 0.5 * _ramp(t, 6.0))
        sailing = sum(v.values()) - lost + redirected
        for i, g in enumerate(PARTNER_GROUPS):
            want = v[g] * (1 - lost_share[g]) + (v[g] / to_total * redirected if g in REDIRECT else 0.0)
            assert barrels[i, t] == pytest.approx(want * (1 - fleet), rel=1e-12), (g, month)
        shut = (lost - redirected + fleet * sailing) / 30.4
        assert out["oil_shut_in_mbd"][0, t] == pytest.approx(shut, rel=1e-10), month
    eu = PARTNER_GROUPS.index("eu")
    assert barrels[eu, labels.index("2022-12")] < 0.1 * v["eu"]  # the phase-in bites


def test_the_price_cap_binds_on_the_covered_share_of_urals():
    """Energy, "The Urals discount" and "The price cap": D_t = D_2021 + d_L L_t / sum V + d_S s_S b_t (1 - lambda_t),
    U_t = B_t - D_t, k_t = cov_t s_S (1 - lambda_t), P_t = (1 - k_t) U_t + k_t min(U_t, cap)."""
    params = _scenario("baseline", EMBARGO_CASE)
    labels, _ = horizon_of(params)
    gas = run_params(params, DATA)["gas"].batch
    out = energy.evaluate(ParamBatch.single(params), DATA, {"gas": gas}).outputs
    f = params.float
    b21, d21 = f("energy.brent_2021_usd_bbl"), f("energy.urals_discount_2021_usd_bbl")
    s_s, lam_max, m_lam = (
        f("energy.coalition_shipping_share"),
        f("energy.price_cap_leakage_max"),
        f("energy.price_cap_leakage_months"),
    )
    d_l, d_s = f("energy.urals_discount_per_lost_share_usd_bbl"), f("energy.urals_discount_services_ban_usd_bbl")
    barrels = out["oil_barrels_by_partner"][0]
    t_tab = DATA["ru_trade_partner_product_2021"]
    total_v = float(t_tab[(t_tab.flow == "exports") & (t_tab.product_group == "oil")]["value_usd_bn"].sum())
    total_v = total_v / 12 * 1000 / (b21 - d21)
    m_adj = f("macro.price_adjustment_months")
    bound = 0
    for t, month in enumerate(labels):
        brent = b21 * (1 + 20.0 / 100 * (1.0 if m_adj <= 0 else _ramp(t, m_adj)))
        lam = lam_max * _ramp(t, m_lam)
        # the lost barrels L_t, from the kept barrels of the coalition: L = sum_coalition V_g - kept (no redirection)
        e_eu = 0.0 if month < "2022-06" else (0.4 if month < "2022-12" else 0.9)
        e_other = 0.6 if month < "2022-09" else 1.0
        lost = 0.0
        for g in COALITION:
            v_g = float(
                t_tab[(t_tab.flow == "exports") & (t_tab.product_group == "oil") & (t_tab.partner_group == g)][
                    "value_usd_bn"
                ].sum()
            )
            v_g = v_g / 12 * 1000 / (b21 - d21)
            e = 1 - 0.75 * (1 - (e_eu if g == "eu" else e_other))
            lost += (1 - (1 - e) * 0.85) * v_g
        discount = d21 + d_l * lost / total_v + d_s * s_s * 0.5 * (1 - lam)
        urals = max(brent - discount, 0.0)
        cov = 0.0 if month < "2022-12" else 0.8
        k = cov * s_s * (1 - lam)
        price = (1 - k) * urals + k * min(urals, 55.0)
        bound += urals > 55.0 and cov > 0
        assert out["urals_discount_usd_bbl"][0, t] == pytest.approx(discount, rel=1e-12), month
        assert out["oil_price_received_usd_bbl"][0, t] == pytest.approx(price, rel=1e-12), month
    assert bound >= 1  # the cap binds in at least one month of the case
    assert barrels.shape[1] == len(labels)


def test_no_instrument_is_the_baseline_instruments_at_zero():
    """Frictions, "The object": with no instrument upstream the trade model runs on Frictions.none (no tariff,
    no cap) and gives what the baseline's instruments at zero give (this used to fail: Frictions.none had a flow
    axis of length 1, which the trade model indexes by flow)."""
    params = econ.load_scenario("baseline").params
    p = ParamBatch.single(params)
    res = run_params(params, DATA)
    alone = trade.evaluate(p, DATA, {"gas": res["gas"].batch})
    for key, value in res["trade"].batch.metrics.items():
        np.testing.assert_allclose(alone.metrics[key], value, rtol=1e-12, atol=1e-12, err_msg=key)


def test_frictions_none_and_at_by_hand():
    """Frictions, "The object": ``none(n)`` is no tariff, no cap, nothing frozen, severity 0, each (n, ...) and
    broadcasting to every month; ``at(i, T)`` is set i's full grid, including a reroutable cap shared by the batch
    (leading axis 1) or set by set."""
    none = Frictions.none(3)
    assert none.reserves_frozen_usd_bn.shape == (3, 1) and none.severity.shape == (3, 1)
    assert not none.reserves_frozen_usd_bn.any() and not none.severity.any() and not none.tariff.any()
    assert (none.quantity_cap == 1).all() and (none.reroutable_cap == 1).all()
    one = none.at(2, 5)
    grid = (2, len(PARTNER_GROUPS), len(PRODUCT_GROUPS), 5)  # (flow, partner, product, month)
    assert one.tariff.shape == grid and one.quantity_cap.shape == grid and one.reroutable_cap.shape == grid
    assert one.reserves_frozen_usd_bn.shape == (5,) and one.severity.shape == (5,)
    rng = np.random.default_rng(7)
    tariff = rng.uniform(0, 0.2, (2, 2, 1, 1, 4))
    cap = rng.uniform(0.5, 1, (2, 1, 1, len(PRODUCT_GROUPS), 1))
    frozen, sev = np.array([[10.0], [20.0]]), rng.uniform(0, 1, (2, 4))
    for reroutable in (rng.uniform(0.3, 1, (2, 2, 1, 1, 1)), rng.uniform(0.3, 1, (1, 2, 1, 1, 1))):
        fr = Frictions(tariff, cap, frozen, sev, {"x": np.array([1.0, 2.0])}, reroutable)
        for i in (0, 1):
            got = fr.at(i, 4)
            np.testing.assert_array_equal(got.tariff, np.broadcast_to(tariff[i], grid[:3] + (4,)))
            np.testing.assert_array_equal(got.quantity_cap, np.broadcast_to(cap[i], grid[:3] + (4,)))
            np.testing.assert_array_equal(got.reserves_frozen_usd_bn, np.full(4, frozen[i, 0]))
            np.testing.assert_array_equal(got.severity, sev[i])
            row = reroutable[i if reroutable.shape[0] > 1 else 0]
            np.testing.assert_array_equal(got.reroutable_cap, np.broadcast_to(row, grid[:3] + (4,)))
            assert float(got.channels["x"]) == i + 1.0


def test_combine_refuses_nothing_and_trade_weights_by_hand():
    """Frictions: ``combine`` needs at least one contribution; ``trade_weights`` are value shares (all zero for no
    trade), whatever the total (here below 1)."""
    with pytest.raises(ValueError, match="^combine needs at least one Frictions$"):
        combine([])
    np.testing.assert_allclose(trade_weights(np.array([[0.1, 0.3], [0.2, 0.2]])), [[0.125, 0.375], [0.25, 0.25]])
    zero = trade_weights(np.zeros((2, 3)))
    assert zero.shape == (2, 3) and not zero.any()


def test_the_trade_model_caps_coalition_oil_at_one_minus_the_embargo():
    """Trade: an oil embargo e caps coalition partners' oil, x_pg = X0_pg (1 - e) p_g^(-eps_g - 1) (no other
    friction: tau = 1; coalition demand below its capacity), and p_g clears sum_p x_pg = V0_g p_g^eta."""
    params = _scenario("baseline", {"trade.oil_embargo_share": {"base": 0.3, "2022-08": 0.8}})
    labels, _ = horizon_of(params)
    p = ParamBatch.single(params)
    # no instrument upstream (Frictions.none: tau = 1, no cap), only the gas model's Russian volumes
    ev = trade.evaluate(p, DATA, {"gas": run_params(params, DATA)["gas"].batch}, detail=True)
    sold = ev.outputs["exports_volume_by_partner_product"][0]
    price = ev.outputs["export_price_relative"][0]
    eps = ev.outputs["elasticity"][0]
    t_tab = DATA["ru_trade_partner_product_2021"]
    x = t_tab[t_tab.flow == "exports"].groupby(["partner_group", "product_group"])["value_usd_bn"].sum() / 12
    oil = PRODUCT_GROUPS.index("oil")
    eta = params.float("trade.export_supply_elasticity")
    for t, month in enumerate(labels):
        e = 0.3 if month < "2022-08" else 0.8
        pg, eg = float(price[oil, t]), float(eps[oil, t])
        assert pg < 1.0  # the embargo depresses Russia's oil price
        for g in COALITION:
            want = float(x.get((g, "oil"), 0.0)) * (1 - e) * pg ** (-eg - 1)
            assert sold[PARTNER_GROUPS.index(g), oil, t] == pytest.approx(want, rel=1e-9), (g, month)
        v0 = float(x.xs("oil", level="product_group").sum())
        assert float(sold[:, oil, t].sum()) == pytest.approx(v0 * pg**eta, rel=1e-6), month


# ----------------------------------------------------------------------------------------------------------------
# Export bans by product group and member group, and their coverage metric
# ----------------------------------------------------------------------------------------------------------------

BAN_CASE = {
    "exports.ban_coverage_machinery": 0.7,
    "exports.ban_coverage_transport": {"base": 0.3, "2022-06": 0.9},
    "exports.ban_coverage_other": 0.2,
    "exports.ban_members_eu_uk": 1.0,
    "exports.ban_members_us": 0.8,
    "exports.ban_members_asia": 0.5,
    "exports.ban_members_other": 0.35,
    "exports.firm_exit_share": 0.4,
    "exports.firm_exit_months": 4.0,
    "exports.buyer_exit_ratio": 0.6,
}
MEMBERS = {"eu": 1.0, "uk": 1.0, "us": 0.8, "japan": 0.5, "korea": 0.5, "other_coalition": 0.35}


def _ban_coverage(group: str, month: str) -> float:
    return {
        "machinery_electronics": 0.7,
        "vehicles_transport": 0.3 if month < "2022-06" else 0.9,
        "other": 0.2,
    }.get(group, 0.0)


def test_export_ban_caps_by_product_group_member_group_and_month():
    """Export bans: imports from coalition partner p of g capped at (1 - beta_g(t) a_m(p))(1 - e(t)),
    e(t) = e_max (1 - exp(-(t + 1)/m_e)); non-energy exports to coalition partners at 1 - rho e(t); nothing
    outside the coalition."""
    params = _scenario("baseline", BAN_CASE)
    labels, _ = horizon_of(params)
    fr = exports.frictions(params, DATA)
    imp, exp_ = 1, 0  # FLOWS = ("exports", "imports") (Engine, "Trade grid")
    for t, month in enumerate(labels):
        e = 0.4 * _ramp(t, 4.0)
        for i, partner in enumerate(PARTNER_GROUPS):
            for j, group in enumerate(PRODUCT_GROUPS):
                if partner in COALITION:
                    want_imp = (1 - _ban_coverage(group, month) * MEMBERS[partner]) * (1 - e)
                    want_exp = 1.0 if group in ENERGY else 1 - 0.6 * e
                else:
                    want_imp = want_exp = 1.0
                assert fr.quantity_cap[imp, i, j, t] == pytest.approx(want_imp, rel=1e-12), (partner, group, month)
                assert fr.quantity_cap[exp_, i, j, t] == pytest.approx(want_exp, rel=1e-12), (partner, group, month)


def test_export_ban_coverage_metric_is_the_trade_weighted_stopped_share():
    """Export bans, output coalition_sales_to_russia_stopped_pct = 100 (1 - first-year mean of
    sum_(p in coalition, g) M0_pg cap_pg(t) / sum M0_pg), weights from the 2021 trade table."""
    params = _scenario("baseline", BAN_CASE)
    labels, _ = horizon_of(params)
    ev = exports.evaluate(ParamBatch.single(params), DATA)
    t_tab = DATA["ru_trade_partner_product_2021"]
    imports = t_tab[(t_tab.flow == "imports") & t_tab.partner_group.isin(COALITION)]
    total = float(imports["value_usd_bn"].sum())
    allowed = []
    for t, month in enumerate(labels[:12]):
        e = 0.4 * _ramp(t, 4.0)
        s = sum(
            float(r.value_usd_bn) * (1 - _ban_coverage(r.product_group, month) * MEMBERS[r.partner_group]) * (1 - e)
            for r in imports.itertuples()
        )
        allowed.append(s / total)
    want = 100 * (1 - sum(allowed) / len(allowed))
    assert ev.metrics["coalition_sales_to_russia_stopped_pct"][0] == pytest.approx(want, rel=1e-10)
    assert want > 30  # the case stops a sizeable share


# ----------------------------------------------------------------------------------------------------------------
# Macro: Russia's real energy exports come from the energy module (Energy, "Export volumes"; Macro, eq. 1 and 5)
# ----------------------------------------------------------------------------------------------------------------

VOLUME_CASE = {
    **MACRO_CASE,
    "energy.oil_redirect_capacity_mbd": 1.7,
    "energy.oil_redirect_months": 5.0,
    "energy.coal_redirect_share": 0.4,
    "energy.coal_redirect_discount_pct": 25.0,
}
LEVERS = {
    "eu_embargo": {"energy.oil_embargo_eu_share": 0.8},
    "buyers_refusal": {"energy.oil_buyer_refusal_share": 0.3},
    "shipping_ban": {"energy.shipping_ban_coverage": 0.7},
    "trade_oil_embargo": {"trade.oil_embargo_share": 1.0},
    "coal_embargo": {"energy.coal_embargo_share": 0.9},
    "price_cap": {"energy.price_cap_coverage": 1.0, "energy.price_cap_usd_bbl": 40.0},
}


def _exports_2021(product: str) -> dict[str, float]:
    """2021 exports of a product group by partner group, USD bn a month (data/ru_trade_partner_product_2021.csv)."""
    t_tab = DATA["ru_trade_partner_product_2021"]
    rows = t_tab[(t_tab.flow == "exports") & (t_tab.product_group == product)]
    by = rows.groupby("partner_group")["value_usd_bn"].sum()
    return {g: float(by.get(g, 0.0)) / 12 for g in PARTNER_GROUPS}


def _energy_loss_by_hand(params, lever: dict, n_t: int) -> tuple[list[float], list[float]]:
    """The lever's lost energy export volume at 2021 prices and its price loss on the volumes sold (USD bn a month),
    against the same run without it, from the Energy section's equations (Brent at its 2021 price: no price path).

    Oil: V_g = 2021 value / U_2021; coalition buyer g loses L_g = 1 - (1 - e_g)(1 - rho), e_g = 1 - (1 - a)(1 - e_g')
    (a = trade.oil_embargo_share); R_t = C (1 - exp(-L_t ramp(t, m_R) / C)); barrels Q_t = V - L_t + R_t; volume
    Q_t U_2021, times 1 - F_t (F_t = s_sea s_S b (1 - lambda_t), the fleet the shipping ban removes);
    D_t = D_2021 + d_L L_t / V + d_S s_S b (1 - lambda_t), U_t = B - D_t, price P_t = (1 - k_t) U_t +
    k_t min(U_t, cap), k_t = cov s_S (1 - lambda_t); the price loss Q_t (U_ref - P_t). Coal: the embargoed
    coalition coal e C_coal, a share r ramp(t, m_R) of it redirected at a discount delta: volume lost
    e C_coal (1 - r ramp), price loss e C_coal r ramp delta (coal price index 1)."""
    f = params.float
    b21, d21 = f("energy.brent_2021_usd_bbl"), f("energy.urals_discount_2021_usd_bbl")
    u21 = b21 - d21
    oil = _exports_2021("oil")
    v = {g: oil[g] * 1000 / u21 for g in PARTNER_GROUPS}
    total_v = sum(v.values())
    cap_c = f("energy.oil_redirect_capacity_mbd") * 30.4
    m_r = f("energy.oil_redirect_months")
    s_s, lam_max, m_lam = (
        f("energy.coalition_shipping_share"),
        f("energy.price_cap_leakage_max"),
        f("energy.price_cap_leakage_months"),
    )
    d_l, d_s = f("energy.urals_discount_per_lost_share_usd_bbl"), f("energy.urals_discount_services_ban_usd_bbl")
    a = lever.get("trade.oil_embargo_share", 0.0)
    e_eu = 1 - (1 - a) * (1 - lever.get("energy.oil_embargo_eu_share", 0.0))
    e_other = 1 - (1 - a) * (1 - lever.get("energy.oil_embargo_other_coalition_share", 0.0))
    rho = lever.get("energy.oil_buyer_refusal_share", 0.0)
    ban = lever.get("energy.shipping_ban_coverage", 0.0)
    cov, cap = lever.get("energy.price_cap_coverage", 0.0), lever.get("energy.price_cap_usd_bbl", 0.0)
    coal = _exports_2021("coal")
    coal_lost = lever.get("energy.coal_embargo_share", 0.0) * sum(coal[g] for g in COALITION)
    r_c, delta = f("energy.coal_redirect_share"), f("energy.coal_redirect_discount_pct") / 100
    volume_loss, price_loss = [], []
    for t in range(n_t):
        lost = sum((1 - (1 - (e_eu if g == "eu" else e_other)) * (1 - rho)) * v[g] for g in COALITION)
        redirected = cap_c * (1 - math.exp(-lost * _ramp(t, m_r) / cap_c))
        lam = lam_max * _ramp(t, m_lam)
        q = (total_v - lost + redirected) * (1 - f("energy.seaborne_oil_share_pct") / 100 * s_s * ban * (1 - lam))
        urals = max(b21 - (d21 + d_l * lost / total_v + d_s * s_s * ban * (1 - lam)), 0.0)
        k = cov * s_s * (1 - lam)
        price = (1 - k) * urals + k * min(urals, cap)
        red_c = r_c * _ramp(t, m_r)
        volume_loss.append((total_v - q) * u21 / 1000 + coal_lost * (1 - red_c))
        price_loss.append(q * (u21 - price) / 1000 + coal_lost * red_c * delta)
    return volume_loss, price_loss


def _lever_runs(name: str):
    base = _scenario("baseline", VOLUME_CASE)
    lever = _scenario("baseline", {**VOLUME_CASE, **LEVERS[name]})
    return base, run_params(base, DATA), run_params(lever, DATA)


@pytest.mark.parametrize("name", list(LEVERS))
def test_each_energy_lever_moves_gdp_by_its_volume_and_price_loss_by_hand(name):
    """Macro, eq. 1 and 5 with Energy's "Export volumes": a lever that only the energy module reads moves the
    export channel by -v_X dE_t / Y_m (dE the lost oil and coal volume at 2021 prices) and the terms of trade by
    -theta dP_t / Y_m (dP the price loss on the volumes sold), month by month; GDP by (1 - phi_G) times their sum
    (no other channel reads energy). The EU-only embargo, buyers' refusal, the coalition-wide embargo (the trade
    lever, read by energy), the coal embargo and the shipping ban (through the fleet it removes) cut volumes; the
    price cap is price-only in the energy model: real exports do not move, the terms of trade do."""
    params, base, changed = _lever_runs(name)
    labels, _ = horizon_of(params)
    n_t = len(labels)
    volume_loss, price_loss = _energy_loss_by_hand(params, LEVERS[name], n_t)
    ym = _gdp_usd_bn() / 12
    c = VOLUME_CASE
    d_x = [-c["macro.export_value_added_share"] * dv / ym for dv in volume_loss]
    d_t = [-c["macro.terms_of_trade_pass_through"] * dp / ym for dp in price_loss]
    g0, g1 = (
        base["macro"].batch.outputs["gdp_channels_by_month"],
        changed["macro"].batch.outputs["gdp_channels_by_month"],
    )
    np.testing.assert_allclose(g1["exports"][0] - g0["exports"][0], d_x, rtol=1e-9, atol=1e-14)
    np.testing.assert_allclose(g1["terms_of_trade"][0] - g0["terms_of_trade"][0], d_t, rtol=1e-9, atol=1e-14)
    for channel in ("imported_inputs", "chips", "finance"):
        np.testing.assert_allclose(g1[channel][0], g0[channel][0], rtol=0, atol=1e-15)
    want = 100 * (1 - c["macro.fiscal_offset_share"]) * sum(d_x[t] + d_t[t] for t in range(12)) / 12
    got = (
        changed["macro"].batch.metrics["russia_gdp_change_pct"][0]
        - base["macro"].batch.metrics["russia_gdp_change_pct"][0]
    )
    assert got == pytest.approx(want, rel=1e-9)
    assert got < -0.01  # every lever costs Russia GDP (more than 0.01% of a year's GDP in this case)
    e0, e1 = (
        base["macro"].batch.outputs["gdp_expenditure_by_month"],
        changed["macro"].batch.outputs["gdp_expenditure_by_month"],
    )
    np.testing.assert_allclose(
        e1["exports"][0] - e0["exports"][0], [-dv / ym for dv in volume_loss], rtol=1e-9, atol=1e-14
    )
    if name == "price_cap":  # price-only: real exports exactly unchanged
        assert max(volume_loss) == 0.0
        np.testing.assert_array_equal(g1["exports"][0], g0["exports"][0])
        assert min(price_loss) > 0
    else:
        assert min(volume_loss[1:]) > 0


def test_an_oil_embargo_enters_gdp_once_through_energy_not_again_through_trade():
    """Macro, eq. 1: trade.oil_embargo_share cuts the coalition's oil in trade's own grid too (trade's headlines),
    but the GDP accounts read oil volumes only from energy: the export channel moves by -v_X dE_t / Y_m with dE
    energy's lost barrels at U_2021 alone. Counting trade's lost oil as well would add its (large) fall again."""
    params, base, changed = _lever_runs("trade_oil_embargo")
    n_t = len(horizon_of(params)[0])
    volume_loss, _ = _energy_loss_by_hand(params, LEVERS["trade_oil_embargo"], n_t)
    ym = _gdp_usd_bn() / 12
    trade_loss = (
        base["trade"].batch.outputs["exports_volume_usd_bn"][0]
        - changed["trade"].batch.outputs["exports_volume_usd_bn"][0]
    )
    assert trade_loss.min() > 0.3  # trade's grid loses over USD 0.3 bn of oil a month: a second count would show
    d_x = (
        changed["macro"].batch.outputs["gdp_channels_by_month"]["exports"][0]
        - base["macro"].batch.outputs["gdp_channels_by_month"]["exports"][0]
    )
    once = [-VOLUME_CASE["macro.export_value_added_share"] * dv / ym for dv in volume_loss]
    np.testing.assert_allclose(d_x, once, rtol=1e-9)
    twice = [once[t] - VOLUME_CASE["macro.export_value_added_share"] * trade_loss[t] / ym for t in range(n_t)]
    assert not np.allclose(d_x, twice, rtol=1e-3)
    # non-energy goods: the embargo leaves trade's non-energy volumes where they were
    np.testing.assert_allclose(
        changed["trade"].batch.outputs["exports_volume_non_energy_usd_bn"],
        base["trade"].batch.outputs["exports_volume_non_energy_usd_bn"],
        rtol=1e-12,
    )


def test_energy_export_volumes_and_index_by_hand():
    """Energy, "Export volumes": oil = Q_t U_2021, gas = the EU's bcm x P_2021 + the other buyers' 2021 value,
    coal = the 2021 value less the embargoed part plus what is redirected; the reference is the run without
    sanctions (V U_2021, the gas model's reference bcm, the 2021 coal); the index is their ratio."""
    params, base, changed = _lever_runs("eu_embargo")
    out = changed["energy"].batch.outputs
    n_t = len(horizon_of(params)[0])
    volume_loss, _ = _energy_loss_by_hand(params, LEVERS["eu_embargo"], n_t)
    u21 = params.float("energy.brent_2021_usd_bbl") - params.float("energy.urals_discount_2021_usd_bbl")
    oil_2021 = sum(_exports_2021("oil").values())
    ref = out["export_volume_reference_usd_bn_2021_prices"]
    np.testing.assert_allclose(ref["oil"][0], oil_2021, rtol=1e-12)
    np.testing.assert_allclose(ref["coal"][0], sum(_exports_2021("coal").values()), rtol=1e-12)
    np.testing.assert_allclose(
        out["export_volume_usd_bn_2021_prices"]["oil"][0], [oil_2021 - dv for dv in volume_loss], rtol=1e-12
    )
    np.testing.assert_allclose(
        out["export_volume_index"]["oil"][0], [1 - dv / oil_2021 for dv in volume_loss], rtol=1e-12
    )
    barrels = out["oil_barrels_by_partner"][0].sum(axis=0)
    np.testing.assert_allclose(out["export_volume_usd_bn_2021_prices"]["oil"][0], barrels * u21 / 1000, rtol=1e-12)
    np.testing.assert_allclose(out["export_volume_index"]["gas"][0], 1.0, rtol=1e-12)  # no gas lever: unchanged


def test_the_frictions_on_energy_come_from_trade_without_its_embargo():
    """Macro, eq. 1 and Trade, "the frictions on energy": the instruments' frictions (here SWIFT without the energy
    carve-out) leave a share f_k,t of each energy volume, trade's clearing without trade.oil_embargo_share (for oil,
    sum_p x_p,oil / X0_oil); the embargo does not move f, so on top of the frictions it moves the export channel by
    -v_X f_oil,t dE_t / Y_m, energy's lost volume once, scaled by what the frictions leave."""
    base_params = _scenario("swift_full", VOLUME_CASE)
    lever_params = _scenario("swift_full", {**VOLUME_CASE, **LEVERS["trade_oil_embargo"]})
    base, changed = run_params(base_params, DATA), run_params(lever_params, DATA)
    n_t = len(horizon_of(base_params)[0])
    f0 = base["trade"].batch.outputs["energy_friction_volume_index"]
    f1 = changed["trade"].batch.outputs["energy_friction_volume_index"]
    p0 = base["trade"].batch.outputs["energy_friction_price_relative"]
    p1 = changed["trade"].batch.outputs["energy_friction_price_relative"]
    for k in ENERGY:
        np.testing.assert_allclose(f1[k], f0[k], rtol=1e-12)
        np.testing.assert_allclose(p1[k], p0[k], rtol=1e-12)
    oil_i = PRODUCT_GROUPS.index("oil")
    sold = base["trade"].batch.outputs["exports_volume_by_partner_product"][0][:, oil_i].sum(axis=0)
    np.testing.assert_allclose(f0["oil"][0], sold / sum(_exports_2021("oil").values()), rtol=1e-12)
    assert f0["oil"][0].max() < 0.999 and p0["oil"][0].max() < 0.999  # the frictions bite on oil in this case
    volume_loss, _ = _energy_loss_by_hand(base_params, LEVERS["trade_oil_embargo"], n_t)
    ym = _gdp_usd_bn() / 12
    want = [-VOLUME_CASE["macro.export_value_added_share"] * f0["oil"][0, t] * volume_loss[t] / ym for t in range(n_t)]
    g0 = base["macro"].batch.outputs["gdp_channels_by_month"]["exports"][0]
    g1 = changed["macro"].batch.outputs["gdp_channels_by_month"]["exports"][0]
    np.testing.assert_allclose(g1 - g0, want, rtol=1e-9)
