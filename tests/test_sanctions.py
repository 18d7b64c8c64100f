"""The sanctions modules: hand-checked pieces, the baseline, presets and the 2014-15 calibration."""

from __future__ import annotations

import math

import numpy as np
import pytest

import econ
from econ.sanctions import chips, dollar, exports, swift
from econ.sanctions.frictions import combine

PRESETS = [
    "baseline",
    "swift_partial_2022",
    "swift_full",
    "dollar_clearing_ban",
    "chip_controls",
    "full_package",
    "full_package_gas_retaliation",
    "episode_2014",
    "iran_2012_analogue",
]


@pytest.fixture(scope="module")
def runs():
    return {p: econ.run(p) for p in PRESETS}


def test_swift_friction_by_hand(data):
    params = (
        econ.load_scenario("baseline")
        .with_overrides(
            {
                "swift.excluded_payment_share": 1.0,
                "swift.energy_carve_out": False,
                "swift.alternatives_share_coalition": 0.3,
                "swift.adaptation_months": 6,
                "swift.alternative_cost_pct": 1.0,
                "swift.blocked_cost_pct": 10.0,
            }
        )
        .params
    )
    fr = swift.frictions(params, data)
    adopted = 0.3 * (1 - math.exp(-1 / 6))  # month 0 with a coalition partner
    expected = adopted * 0.01 + (1 - adopted) * 0.10  # 9.59%
    assert fr.tariff[0, 0, 0, 0] == pytest.approx(expected, rel=1e-12)
    assert fr.severity == pytest.approx(1.0)


def test_energy_carve_out_exempts_energy(data):
    params = econ.load_scenario("swift_partial_2022").params
    fr = swift.frictions(params, data)
    assert fr.tariff[:, :, :3, :].max() == 0.0  # oil, gas, coal
    assert fr.tariff[:, :, 3:, :].min() > 0.0


def test_ces_output_loss_by_hand():
    # sigma = 0.5 -> rho = -1: loss = 1 - 1 / (alpha / (1 - g) + 1 - alpha) = 1 - 1/1.1 with alpha 0.1, g 0.5
    assert chips.ces_output_loss(0.1, 0.5, 0.5) == pytest.approx(1 - 1 / 1.1)
    assert chips.ces_output_loss(0.1, 0.5, 1.0) == pytest.approx(1 - 0.5**0.1)  # Cobb-Douglas limit
    assert chips.ces_output_loss(0.1, 0.0, 0.2) == pytest.approx(0.0)
    assert chips.ces_output_loss(0.0, 0.9, 0.2) == pytest.approx(0.0)


def test_reserve_freeze_preset_matches_coalition_custodians(data):
    # A consistency check of the preset, not a validation: dollar_clearing_ban's freeze is the share of reserves
    # held by the seven coalition custodians on 1 January 2022 (Bank of Russia, Annual Report 2021, by custodian;
    # data/ru_reserves_2022.csv): 51.6 %. The preset writes it to three decimals, hence 5e-4.
    frozen = econ.load_scenario("dollar_clearing_ban").params["dollar.reserves_frozen_share"]
    assert frozen == pytest.approx(dollar.custodian_frozen_share(data), abs=5e-4)


def test_baseline_reproduces_2021_trade(runs, data):
    res = runs["baseline"]
    assert res.value("russia_exports_change_pct") == pytest.approx(0, abs=1e-9)
    assert res.value("russia_imports_change_pct") == pytest.approx(0, abs=1e-9)
    by_partner = res.tables["trade_by_partner"]
    published = data["ru_trade_by_partner_2021"].set_index("partner_group")
    n_months = res.tables["trade_monthly"].shape[0]
    for flow in ("exports", "imports"):
        model = by_partner.query("flow == @flow").set_index("partner_group")["value_usd_bn"] * 12 / n_months
        # the partner x product matrix is fitted to the IMF partner totals: within a few percent, here 0.1%
        np.testing.assert_allclose(model.reindex(published.index), published[f"{flow}_usd_bn"], rtol=1e-3)
        shares = model / model.sum()
        np.testing.assert_allclose(
            shares.reindex(published.index), published[f"{flow}_usd_bn"] / published[f"{flow}_usd_bn"].sum(), atol=1e-3
        )


def test_no_sanction_means_no_friction_and_no_ruble_move(runs, data):
    res = runs["baseline"]
    for table in ("swift_friction", "dollar_friction", "chip_frictions"):
        assert (res.tables[table]["tariff_equivalent_pct"] == 0).all()
        np.testing.assert_allclose(res.tables[table]["volume_allowed_pct"], 100, rtol=1e-12)
    path = res.tables["ruble_path"]
    e0 = data["ru_macro_2021"].set_index("item").loc["usd_rub_start", "value"]
    np.testing.assert_allclose(path["usd_rub"], e0, rtol=1e-12)
    np.testing.assert_allclose(
        path["cpi_inflation_yoy_pct"], res.scenario.params["ruble.baseline_inflation_pct"], rtol=1e-9
    )
    assert res.value("reserves_frozen_bn_usd") == 0
    assert res.value("russia_gdp_change_pct") == pytest.approx(0, abs=1e-9)


def test_full_package_composes_through_the_engine(runs, data):
    params = econ.load_scenario("full_package").params
    parts = [
        swift.frictions(params, data),
        dollar.frictions(params, data),
        chips.frictions(params, data),
        exports.frictions(params, data),
    ]
    combined = runs["full_package"].modules["trade"].outputs["frictions"]
    np.testing.assert_allclose(combined.tariff, sum(p.tariff for p in parts))
    np.testing.assert_allclose(combined.quantity_cap, np.prod([p.quantity_cap for p in parts], axis=0))
    # severity and frozen reserves are monthly (T,) paths: each month combines as independent shocks
    assert combined.severity.shape == parts[0].severity.shape == (len(combined.tariff[0, 0, 0]),)
    np.testing.assert_allclose(combined.severity, 1 - np.prod([1 - p.severity for p in parts], axis=0))
    assert np.all(combined.severity < sum(p.severity for p in parts))
    np.testing.assert_allclose(combined.reserves_frozen_usd_bn, sum(p.reserves_frozen_usd_bn for p in parts))
    np.testing.assert_allclose(combine(parts).severity, combined.severity)


@pytest.mark.parametrize("preset", PRESETS)
def test_gdp_channels_add_up(runs, preset):
    res = runs[preset]
    table = res.tables["gdp_channels"].set_index("channel")
    parts = table.drop("total")["first_year_pct_of_gdp"].sum()
    assert table.loc["total", "first_year_pct_of_gdp"] == pytest.approx(parts)
    assert res.value("russia_gdp_change_pct") == pytest.approx(parts)
    for channel in ("exports", "imported_inputs", "chips", "finance", "terms_of_trade"):
        assert res.value(f"gdp_channel_{channel}_pct") == pytest.approx(table.loc[channel, "first_year_pct_of_gdp"])


def test_ruble_balance_of_payments_closes(runs):
    # the FX market's identity, month by month: current account - private outflow + net CB sales = 0
    # (tests/test_ruble.py checks each flow; here every preset the engine runs)
    for name, res in runs.items():
        path = res.tables["ruble_path"]
        residual = path["current_account_usd_bn"] - path["private_outflow_usd_bn"] + path["cb_net_sales_usd_bn"]
        assert np.abs(residual).max() < 1e-9, name


def test_gas_retaliation_feeds_back_into_russia(runs):
    """A sanity check of direction (not a validation): Russia's own gas cut lowers its exports, weakens the ruble
    and deepens the GDP loss. Thresholds: the preset stops Russian gas to the EU (155 bcm in 2021, IEA), so more
    than 100 bcm must be lost over the horizon; exports must fall by at least 1 pp more (gas to the EU was 43.4 USD
    bn of 489.8 in 2021, about 9 %: docs/methodology.md, Energy)."""
    a, b = runs["full_package"], runs["full_package_gas_retaliation"]
    assert b.value("russian_gas_lost_bcm") > 100
    assert b.value("russia_exports_change_pct") < a.value("russia_exports_change_pct") - 1
    assert b.value("rub_usd_12m") > a.value("rub_usd_12m")
    assert b.value("russia_gdp_change_pct") < a.value("russia_gdp_change_pct")


def test_episode_2014_calibration_and_out_of_sample_gdp(runs, data):
    """2014-15 episode. The ruble figures are a CALIBRATION check, not a validation: the episode sets
    ruble.precautionary_depreciation_usd_bn and ruble.import_fx_elasticity (docs/validation.md b)), so the peak and
    12-month losses are in-sample. GDP was not calibrated on: it is the out-of-sample comparison here.

    Published figures, read from data/calibration_episodes.csv (cited rows): Bank of Russia official rate 33.78
    RUB/USD in January 2014, 65.15 at the monthly peak (January 2015), 60.36 in March 2015; GDP 2015 -1.97 %
    (World Bank WDI NY.GDP.MKTP.KD.ZG, July 2022 vintage) and -3.7 % (Rosstat first estimate)."""
    ep = data["calibration_episodes"].query("episode == 'russia_2014_15'").set_index("metric")["value"]
    published_peak_loss = 100 * (1 - ep["usd_rub_avg_2014_01"] / ep["usd_rub_avg_peak_month"])  # 48.1%
    published_12m_loss = 100 * (1 - ep["usd_rub_avg_2014_01"] / ep["usd_rub_avg_2015_03"])  # 44.0%
    res = runs["episode_2014"]
    e0 = data["ru_macro_2021"].set_index("item").loc["usd_rub_start", "value"]
    # peak: 3 pp, the documented calibration gap (45.4 against 48.1, docs/validation.md b): the plausible ranges
    # cannot reach the published peak with anchored expectations) plus 0.3 pp
    assert res.value("rub_depreciation_peak_pct") == pytest.approx(published_peak_loss, abs=3)
    # 12 months: 5 pp, the width of the 2015 recovery from the peak (48 -> 44) that the model does not time
    assert 100 * (1 - e0 / res.value("rub_usd_12m")) == pytest.approx(published_12m_loss, abs=5)
    # GDP: inside the range of the two published estimates of 2015 growth (the revised WDI figure and Rosstat's
    # first estimate bracket it); the episode's oil price fall counts (world prices are reported apart from the
    # sanctions, so compare the total with them)
    low = min(ep["gdp_growth_2015_pct"], ep["gdp_growth_2015_first_estimate_pct"])
    high = max(ep["gdp_growth_2015_pct"], ep["gdp_growth_2015_first_estimate_pct"])
    assert low <= res.value("russia_gdp_change_with_world_prices_pct") <= high


def test_iran_analogue_is_in_the_range_of_iran_2012(runs, data):
    """An analogue, not a fit: Iran's 2012 instruments applied to Russia (docs/validation.md c)). Every figure is
    read from a cited row of data/calibration_episodes.csv, and each band is the range of the published measures.

    The earlier check that foreign trade fell "about 30 %" had no source (no published 2011-12 total for Iran's
    trade was found; docs/validation.md c)) and is removed."""
    ep = data["calibration_episodes"].query("episode == 'iran_2012'").set_index("metric")["value"]
    res = runs["iran_2012_analogue"]
    # Oil. Export revenue 95 -> 69 USD bn in 2012 (US EIA via MEED): -27 %; crude volume 2.6 mb/d (2011, EIA) to
    # 1.2 mb/d in December 2012 (IEA): -54 %. The band is that range of the published losses; the model's figure
    # also counts gas (no cut in this preset), which only narrows its fall.
    revenue_loss = 100 * (ep["oil_export_revenue_2012"] / ep["oil_export_revenue_2011"] - 1)
    volume_loss_december = 100 * (ep["crude_exports_2012_12_iea_mbd"] / ep["crude_exports_2011_mbd"] - 1)
    assert volume_loss_december <= res.value("russia_oil_gas_revenue_change_pct") <= revenue_loss
    # Currency. The rial's open-market loss of value: against the official 12,500 IRR/USD at which it traded at the
    # start of 2012, 24,000 in late September 2012 (CNNMoney, 5 October 2012): -48 %; against 10,400 in January 2011
    # (ISNA), 39,000 in early October 2012 (CNNMoney): -73 %. The band is that range.
    smallest = 100 * (1 - ep["rial_official_2012"] / ep["rial_open_market_2012_09"])
    largest = 100 * (1 - ep["rial_open_market_2011_01"] / ep["rial_open_market_2012_10"])
    assert smallest <= res.value("rub_depreciation_peak_pct") <= largest


def test_capital_controls_soften_the_full_package():
    """A sanity check of direction (not a validation): controls on residents' transfers lower the ruble's peak."""
    loose = econ.run(econ.load_scenario("full_package").with_overrides({"ruble.capital_controls_strength": 0.0}))
    tight = econ.run("full_package")
    assert tight.value("rub_usd_peak") < loose.value("rub_usd_peak")
