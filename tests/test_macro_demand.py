"""GDP with a demand side (docs/methodology.md, Macro): the expenditure identity, the fiscal response, and world
prices reported apart from the sanctions."""

from __future__ import annotations

import numpy as np
import pytest

import econ

PRESETS = ("full_package", "episode_2014", "iran_2012_analogue")


@pytest.fixture(scope="module")
def runs():
    return {p: econ.run(p) for p in PRESETS}


@pytest.mark.parametrize("preset", PRESETS)
def test_expenditure_identity_closes(runs, preset):
    """Y = C + I + G + X - M: the components add up to russia_gdp_change_pct, month by month and for the year."""
    res = runs[preset]
    table = res.tables["gdp_expenditure"].set_index("component")
    parts = table.drop("total")["first_year_pct_of_gdp"].sum()
    assert parts == pytest.approx(res.value("russia_gdp_change_pct"), abs=1e-9)
    assert table.loc["investment", "first_year_pct_of_gdp"] == pytest.approx(res.value("gdp_channel_finance_pct"))
    assert table.loc["government", "first_year_pct_of_gdp"] == pytest.approx(res.value("gdp_channel_fiscal_pct"))


def test_imports_enter_with_a_minus_sign_and_exports_as_volume(runs):
    res = runs["full_package"]
    path = res.tables["ruble_path"]
    gdp_month = econ.russia_data.russia_data(econ.load_data()).anchors["gdp_usd_bn"] / 12
    m0 = res.modules["trade"].outputs["baseline_imports_usd_bn"]
    expected = -100 * ((path["imports_usd_bn"].to_numpy()[:12] - m0) / gdp_month).mean()
    assert res.value("gdp_expenditure_imports_pct") == pytest.approx(expected)
    assert res.value("gdp_expenditure_imports_pct") > 0  # fewer imports


def test_world_prices_are_apart_from_the_sanctions():
    """A higher oil price moves gdp_world_prices_pct; it never makes the same sanctions look cheaper: the only
    sanctions channel it touches is the export discount, whose dollar cost rises with the price."""
    sc = econ.load_scenario("full_package")
    hi = econ.run(sc.with_overrides({"macro.oil_price_change_pct": 50}, name="fp_oil_up"))
    base = econ.run(sc)
    diff = hi.value("russia_gdp_change_pct") - base.value("russia_gdp_change_pct")
    tot = hi.value("gdp_channel_terms_of_trade_pct") - base.value("gdp_channel_terms_of_trade_pct")
    fiscal = 1 - econ.load_scenario("full_package").params.float("macro.fiscal_offset_share")
    assert diff == pytest.approx(fiscal * tot, abs=1e-9)
    assert diff <= 0
    assert hi.value("gdp_world_prices_pct") > base.value("gdp_world_prices_pct") + 1
    # a discount on exports is a sanctions cost: an oil embargo deepens the terms-of-trade channel
    emb = econ.run(sc.with_overrides({"trade.oil_embargo_share": 0.9}, name="fp_embargo"))
    assert emb.value("gdp_channel_terms_of_trade_pct") < base.value("gdp_channel_terms_of_trade_pct")


def test_fiscal_response_offsets_its_share_of_the_loss():
    sc = econ.load_scenario("full_package")
    none = econ.run(sc.with_overrides({"macro.fiscal_offset_share": 0.0}, name="fp_no_fiscal"))
    some = econ.run(sc.with_overrides({"macro.fiscal_offset_share": 0.4}, name="fp_fiscal"))
    assert none.value("gdp_channel_fiscal_pct") == 0
    assert some.value("russia_gdp_change_pct") == pytest.approx(0.6 * none.value("russia_gdp_change_pct"), rel=1e-9)


def test_monthly_path_and_first_year_total(runs):
    res = runs["full_package"]
    monthly = res.tables["gdp_channels_monthly"]
    assert np.mean(monthly["total_pct_of_gdp"].to_numpy()[:12]) == pytest.approx(res.value("russia_gdp_change_pct"))


def test_trade_by_partner_after_the_exchange_rate_adds_up_to_the_ruble_imports(runs):
    res = runs["full_package"]
    table = res.tables["trade_by_partner_after_fx"].set_index(["flow", "partner_group"])
    imports = table.loc["imports"]
    assert imports["value_usd_bn"].sum() == pytest.approx(res.tables["ruble_path"]["imports_usd_bn"].sum())
    pre_fx = np.asarray(res.modules["trade"].outputs["imports_pre_fx_usd_bn"]).ravel()  # (T,) USD bn a month
    assert imports["value_pre_fx_usd_bn"].sum() == pytest.approx(pre_fx.sum())
    # one compression ratio a month for every partner: horizon ratios differ only through the partners' monthly
    # paths, so they stay within the range of the monthly ratios
    path = res.tables["ruble_path"]
    monthly = path["imports_usd_bn"].to_numpy() / pre_fx
    ratio = imports["value_usd_bn"] / imports["value_pre_fx_usd_bn"]
    assert monthly.min() - 1e-12 <= ratio.min() and ratio.max() <= monthly.max() + 1e-12
    coalition = ["eu", "us", "uk", "japan", "korea", "other_coalition"]
    total_change = 100 * (imports["value_usd_bn"].sum() / imports["baseline_usd_bn"].sum() - 1)
    coal = imports.loc[coalition]
    assert 100 * (coal["value_usd_bn"].sum() / coal["baseline_usd_bn"].sum() - 1) < total_change < 0


def test_a_shipping_ban_enters_gdp_through_energy_s_volumes():
    # docs/methodology.md, Macro channel 1 and Energy "fleet capacity": a ban on the coalition's tankers and cover
    # with no other sanction removes F_t = s_sea s_S b (1 - lambda_t) of the barrels; the exports channel is
    # -va x (lost oil volume at 2021 prices) / monthly GDP, first-year mean (trade's friction index is 1: no payment
    # sanction), va = macro.export_value_added_share 0.85
    sc = econ.load_scenario("baseline").with_overrides({"energy.shipping_ban_coverage": 1.0})
    res = econ.run(sc)
    en = res.modules["energy"].batch.outputs
    lost = en["export_volume_reference_usd_bn_2021_prices"]["oil"][0] - en["export_volume_usd_bn_2021_prices"]["oil"][0]
    t = np.arange(lost.size)
    fleet = 0.77 * 0.6 * (1 - 0.5 * (1 - np.exp(-(t + 1) / 6)))
    np.testing.assert_allclose(lost, fleet * en["export_volume_reference_usd_bn_2021_prices"]["oil"][0], rtol=1e-12)
    gdp_month = econ.russia_data.russia_data(econ.load_data()).anchors["gdp_usd_bn"] / 12
    expected = -100 * 0.85 * (lost[:12] / gdp_month).mean()
    assert res.value("gdp_channel_exports_pct") == pytest.approx(expected, rel=1e-9)
    assert expected < -2  # about 2.8 % of GDP: 0.77 x 0.6 of the oil exports lost at first, 23 % once other fleets grow
