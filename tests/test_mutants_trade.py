"""Value-level tests written from the mutation run of econ/trade.py (issue 16 item 6; docs/testing.md, "The model
modules"). Each kills mutants that survived tests/test_trade_ge.py, tests/test_trade_exports.py and
tests/test_instruments_by_hand.py; the mutant it was written for is named in the test. They follow
docs/methodology.md, section "Trade" (the equations named in each test), with the numbers computed here.

The instrument modules and trade.evaluate run directly (no gas model: Russian gas to the EU keeps its 2021 volume),
as in tests/test_trade_ge.py.
"""

from __future__ import annotations

import math

import numpy as np

import econ
from econ import trade
from econ.params import ParamBatch, Params
from econ.sanctions import chips, dollar, exports, swift
from econ.sanctions.frictions import PRODUCT_GROUPS, baseline_trade, coalition_mask

DATA = econ.load_data()
BASE = econ.load_scenario("baseline").params


def evaluate(params: Params, detail: bool = True):
    batch = ParamBatch.single(params)
    up = {m.__name__.rsplit(".", 1)[-1]: m.evaluate(batch, DATA) for m in (swift, dollar, chips, exports)}
    return trade.evaluate(batch, DATA, up, detail=detail)


def test_world_price_index_of_oil_and_gas_follows_the_adjustment_ramp():
    # Trade, "Export value": W_gt = 1 + Delta_g / 100 pi_t for oil and gas, pi_t = 1 - exp(-(t + 1) / m_P)
    # (m_P > 0), 1 for the other groups. Without sanctions every flow keeps its 2021 volume and Russia's relative
    # export price is 1, so the value of each cell over its volume is W_gt. Kills `Delta / 100 * pi` -> `/ pi` for
    # gas (episode_2014's export change moved, its prices adjusting over 4 months).
    m_p, d_oil, d_gas = 4.0, -50.0, -30.0
    p = BASE.with_values(
        {"macro.oil_price_change_pct": d_oil, "macro.gas_price_change_pct": d_gas, "macro.price_adjustment_months": m_p}
    )
    out = evaluate(p).outputs
    value, volume = out["exports_by_partner_product"][0], out["exports_volume_by_partner_product"][0]
    np.testing.assert_allclose(volume, (baseline_trade(DATA)[0] / 12)[..., None] * np.ones(volume.shape[-1]))
    t = np.arange(volume.shape[-1])
    pi = 1 - np.exp(-(t + 1) / m_p)
    for g, delta in (("oil", d_oil), ("gas", d_gas), ("metals", 0.0)):
        i = PRODUCT_GROUPS.index(g)
        has = volume[:, i, 0] > 0
        assert has.any()
        np.testing.assert_allclose(
            value[has, i] / volume[has, i], np.broadcast_to(1 + delta / 100 * pi, (has.sum(), len(t))), rtol=1e-12
        )
    assert not math.isclose(pi[0], pi[-1])  # the ramp is not flat: a wrong pi shows


def test_a_full_oil_embargo_fills_every_other_buyer_to_its_capacity():
    # Trade, "Partners' capacity": K_pgt = F0_pg [1 + h (1 - exp(-(t + 1) / m_K))]; an oil embargo multiplies the
    # coalition's cap by 1 - embargo. With the whole coalition out and a small headroom (h = 0.3), the clearing
    # price falls until every other buyer takes its capacity: sold = K exactly, month by month. Kills
    # `1 + h ramp` -> `2 + h ramp` (iran_2012_analogue's export volume change moved by 27 %), whose capacity the
    # existing hand check never reached (there it does not bind).
    h = 0.3
    p = BASE.with_values({"trade.oil_embargo_share": 1.0, "trade.partner_capacity_headroom": h})
    sold = evaluate(p).outputs["exports_volume_by_partner_product"][0]
    f0 = baseline_trade(DATA)[0] / 12
    oil = PRODUCT_GROUPS.index("oil")
    t = np.arange(sold.shape[-1])
    kappa = 1 + h * (1 - np.exp(-(t + 1) / p.float("trade.capacity_months")))
    coalition = coalition_mask()
    np.testing.assert_allclose(sold[coalition, oil], 0.0, atol=1e-12)
    others = ~coalition & (f0[:, oil] > 0)
    assert others.sum() >= 3  # China, India, Turkey and the rest
    np.testing.assert_allclose(sold[others, oil], f0[others, oil, None] * kappa[None, :], rtol=1e-9)


def test_the_trade_headlines_are_annual_changes_against_2021_by_hand():
    # Trade, "Outputs": each headline change is the first 12 months' sum against twelve months of 2021 trade (the
    # partner x product table), in %. Without sanctions it is 0; under full_package it is the model's monthly
    # series summed by hand. Kills `12 * base_imp` -> `13 * base_imp` (baseline's imports fell by 7.7 % with
    # nothing imposed).
    exports_2021, imports_2021 = (float(x.sum()) for x in baseline_trade(DATA))  # USD bn a year
    base = evaluate(BASE, detail=False)
    for key in ("russia_exports_change_pct", "russia_exports_volume_change_pct", "russia_imports_pre_fx_change_pct"):
        assert abs(float(base.metrics[key][0])) < 1e-9, key
    full = evaluate(econ.load_scenario("full_package").params, detail=False)
    out = full.outputs
    np.testing.assert_allclose(float(out["baseline_imports_usd_bn"]), imports_2021 / 12, rtol=1e-12)
    for key, series, year in (
        ("russia_imports_pre_fx_change_pct", "imports_pre_fx_usd_bn", imports_2021),
        ("russia_exports_change_pct", "exports_usd_bn", exports_2021),
        ("russia_exports_volume_change_pct", "exports_volume_usd_bn", exports_2021),
    ):
        expected = 100 * (np.asarray(out[series])[0, :12].sum() / year - 1)
        assert abs(expected) > 0.5  # the sanctions move it (a 1/13 error in the base is 7.7 points)
        np.testing.assert_allclose(float(full.metrics[key][0]), expected, rtol=1e-9, err_msg=key)


def test_the_pre_fx_import_bill_prices_parallel_imports_at_the_premium():
    # Trade, "Parallel imports": rerouted goods cost (1 + pi) times their border value, and the pre-FX import bill
    # is M_pre = sum_{p,g} m_pgt + sum_g r_gt (1 + pi_gt). Under full_package (bans and exits block coalition
    # goods; 30 % of them reroute through the hubs at a premium) both terms are non-zero. Kills `r (1 + pi)` ->
    # `r (2 + pi)` (full_package_gas_retaliation's reserves used moved from 3.9 to 8.4 USD bn) and the same
    # factor in the partner detail.
    out = evaluate(econ.load_scenario("full_package").params).outputs
    direct, parallel, premium = out["imports_direct"][0], out["imports_parallel"][0], out["parallel_premium"][0]
    assert parallel.sum() > 0 and (premium > 0).any()
    rerouted = parallel.sum(axis=0)  # (G, T): the hubs' rerouted goods by product
    expected = direct.sum(axis=(0, 1)) + (rerouted * (1 + premium)).sum(axis=0)
    np.testing.assert_allclose(out["imports_pre_fx_usd_bn"][0], expected, rtol=1e-12)
    np.testing.assert_allclose(out["imports_by_partner_product"][0].sum(axis=(0, 1)), expected, rtol=1e-12)
