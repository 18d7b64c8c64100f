"""Value-level tests written from the mutation run of econ/energy.py (issue 16 item 6; docs/testing.md, "The model
modules"). Each kills mutants that survived tests/test_energy.py and tests/test_channels_by_hand.py; the mutant
it was written for is named in the test. They follow docs/methodology.md, section "Energy", never the module's
internals: the expected numbers are computed here from the raw trade table and the parameter values.

* The reference run: "Its change is against the reference run with the same prices and no energy sanctions
  (embargo, refusal, services ban and cap at zero; reference gas volumes and price)". So with no energy sanction the
  revenue and budget changes are zero at ANY price path, and with sanctions the change is the scenario's revenue
  over the revenue of the same run with the sanctions set to zero.
* Oil revenue without sanctions: sum_g V_g U_t with V_g = 2021 value / U_2021 and U_t = B_t - D_2021.
* The energy export revenue the ruble reads (section "Ruble", X^energy_t): oil + gas + coal revenue.
* The coal volume at reference prices (section "Macro" reads it): the coal volume valued at the coal price path.
"""

from __future__ import annotations

import numpy as np
import pytest

import econ
from econ import energy
from econ.engine import run_params
from econ.params import ParamBatch, Params

REGISTRY = econ.load_registry()
DATA = econ.load_data()
DEFAULTS = Params(REGISTRY.defaults())
GAS = run_params(DEFAULTS, DATA)["gas"].batch  # the gas model at defaults: no Russian cut
TRADE = econ.russia_data.russia_data(DATA).trade[0]  # exports (partner, product), USD bn a year, 2021
PRODUCTS = econ.data.PRODUCT_GROUPS

# Prices away from 2021 (so that every price index differs from 1) and immediate (no adjustment ramp).
PRICES = {"macro.oil_price_change_pct": 30.0, "macro.gas_price_change_pct": 50.0, "macro.price_adjustment_months": 0.0}
# Every energy sanction the reference run sets to zero, each at a value away from its default.
SANCTIONS = {
    "energy.oil_embargo_eu_share": 0.7,
    "energy.oil_embargo_other_coalition_share": 0.4,
    "energy.oil_buyer_refusal_share": 0.2,
    "energy.shipping_ban_coverage": 0.8,
    "energy.price_cap_coverage": 0.9,
    "energy.price_cap_usd_bbl": 60.0,
    "energy.coal_embargo_share": 0.5,
}


def ev(**values):
    p = DEFAULTS.with_values(values)
    return energy.evaluate(ParamBatch.single(p), DATA, {"gas": GAS})


def metric(res, key: str) -> float:
    return float(np.asarray(res.metrics[key])[0])


def test_without_energy_sanctions_every_change_is_zero_at_any_price_path():
    # Kills `barrels_ref * price_ref / 1000` -> `* 1000` (the reference's oil value; every preset's revenue change
    # went to -100 %) and `p21 * (...)` -> `p21 / (...)` in the reference gas price (equal only where every price
    # index is 1, i.e. at 2021 prices: episode_2008's revenue change went from 0 to -31 %).
    res = ev(**PRICES)
    assert metric(res, "russia_oil_gas_revenue_change_pct") == pytest.approx(0.0, abs=1e-9)
    assert metric(res, "russia_budget_oil_gas_revenue_change_pct") == pytest.approx(0.0, abs=1e-9)
    # and the level moved with the prices (so the zero above is not a run at 2021 prices)
    base = ev()
    assert metric(res, "russia_oil_gas_revenue_bn_usd") > 1.2 * metric(base, "russia_oil_gas_revenue_bn_usd")


def test_the_oil_revenue_without_sanctions_is_the_2021_barrels_at_the_new_urals_price():
    # V_g = 2021 value_g / U_2021, U_t = B_2021 (1 + 30 %) - D_2021, revenue = sum_g V_g U_t (USD bn a month)
    b21, d21 = DEFAULTS.float("energy.brent_2021_usd_bbl"), DEFAULTS.float("energy.urals_discount_2021_usd_bbl")
    oil_2021 = TRADE[:, PRODUCTS.index("oil")].sum() / 12
    expected = oil_2021 * (b21 * 1.3 - d21) / (b21 - d21)
    out = ev(**PRICES).outputs
    np.testing.assert_allclose(out["oil_usd_bn"][0], expected, rtol=1e-12)


def test_with_sanctions_the_change_is_against_the_same_prices_without_them():
    # The reference run has the scenario's prices and no energy sanction: the change is scenario / that run - 1.
    sc, ref = ev(**PRICES, **SANCTIONS), ev(**PRICES)
    for level, change in (
        ("russia_oil_gas_revenue_bn_usd", "russia_oil_gas_revenue_change_pct"),
        ("russia_budget_oil_gas_revenue_bn_usd", "russia_budget_oil_gas_revenue_change_pct"),
    ):
        expected = 100 * (metric(sc, level) / metric(ref, level) - 1)
        assert expected < -5  # the sanctions bite: the test can tell a wrong reference from a right one
        assert metric(sc, change) == pytest.approx(expected, rel=1e-9)


def test_energy_export_revenue_is_oil_plus_gas_plus_coal():
    # Kills `oil_t + gas_t + coal` -> `oil_t + gas_t - coal` (the ruble's X^energy: every preset's ruble and
    # import headlines moved, baseline imports by -12 %).
    idx = [PRODUCTS.index(g) for g in ("oil", "gas", "coal")]
    base = ev().outputs
    # at defaults: the 2021 energy exports of the trade table (Federal Customs Service), a twelfth a month
    np.testing.assert_allclose(base["energy_exports_usd_bn"][0], TRADE[:, idx].sum() / 12, rtol=1e-12)
    out = ev(**PRICES, **SANCTIONS).outputs
    np.testing.assert_allclose(
        out["energy_exports_usd_bn"][0], out["oil_usd_bn"][0] + out["gas_usd_bn"][0] + out["coal_usd_bn"][0], rtol=1e-12
    )
    assert (out["coal_usd_bn"][0] > 0).all()


def test_coal_at_reference_prices_is_the_coal_volume_at_the_coal_price_path():
    # Kills `coal_real * coal_idx` -> `coal_real / coal_idx` (equal while the coal price path is flat, as in every
    # preset). Coal volume at 2021 prices = 2021 value - embargoed + redirected; valued at (1 + c/100).
    out = ev(**{"energy.coal_price_change_pct": 40.0, "energy.coal_embargo_share": 0.5}).outputs
    volume = out["export_volume_usd_bn_2021_prices"]["coal"][0]
    np.testing.assert_allclose(out["export_value_at_reference_prices_usd_bn"]["coal"][0], volume * 1.4, rtol=1e-12)
    # and the volume itself: the 2021 coal value less the coalition's embargoed half, plus the redirected part
    coal = TRADE[:, PRODUCTS.index("coal")] / 12
    coalition = [econ.data.PARTNER_GROUPS.index(g) for g in ("eu", "us", "uk", "japan", "korea", "other_coalition")]
    lost = coal[coalition].sum() * 0.5
    t = np.arange(volume.shape[0])
    red = DEFAULTS.float("energy.coal_redirect_share") * (
        1 - np.exp(-(t + 1) / DEFAULTS.float("energy.oil_redirect_months"))
    )
    np.testing.assert_allclose(volume, coal.sum() - lost + lost * red, rtol=1e-12)


def test_the_urals_discount_headline_is_the_mean_of_the_first_twelve_months():
    # docs/methodology.md, "Energy": D_t = D_2021 + d_L L_t / sum V + d_S s_S b_t (1 - lambda_t), lambda_t =
    # lambda_max ramp(t, m_lambda); the headline averages months 0-11. Kills `slice(0, 12)` -> `slice(1, 12)`
    # (equal in every preset, whose discount is flat over the first year). The leakage ramp makes each month differ.
    res = ev(**{"energy.shipping_ban_coverage": 1.0})
    t = np.arange(12)
    leak = DEFAULTS.float("energy.price_cap_leakage_max") * (
        1 - np.exp(-(t + 1) / DEFAULTS.float("energy.price_cap_leakage_months"))
    )
    d = DEFAULTS.float("energy.urals_discount_2021_usd_bbl") + DEFAULTS.float(
        "energy.urals_discount_services_ban_usd_bbl"
    ) * DEFAULTS.float("energy.coalition_shipping_share") * (1 - leak)
    np.testing.assert_allclose(res.outputs["urals_discount_usd_bbl"][0][:12], d, rtol=1e-12)
    assert metric(res, "urals_discount_usd_bbl") == pytest.approx(d.mean(), rel=1e-12)


def test_without_sanctions_the_value_at_reference_prices_is_the_value():
    # docs/methodology.md, "Energy" (and "Macro", the terms-of-trade channel): the export value at reference
    # (no-sanction) prices is the scenario's volumes at the reference run's prices, so value - it is the
    # sanctions' price effect: zero without energy sanctions, at any price path. Kills the gas part's
    # `EU volume x reference price + other buyers` -> `- other buyers` (baseline's terms-of-trade GDP channel went
    # from 0 to +1.2 %).
    out = ev(**PRICES).outputs
    for k in ("oil", "gas", "coal"):
        np.testing.assert_allclose(
            out["export_value_at_reference_prices_usd_bn"][k][0], out["export_value_usd_bn"][k][0], rtol=1e-12
        )
    # and with sanctions the gap is the price effect: the discount and the cap lower oil's value below it
    sc = ev(**PRICES, **SANCTIONS).outputs
    assert (sc["export_value_usd_bn"]["oil"][0] < sc["export_value_at_reference_prices_usd_bn"]["oil"][0]).all()
