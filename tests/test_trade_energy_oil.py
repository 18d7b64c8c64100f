"""Trade's own oil rows against the energy module's oil volumes (docs/methodology.md, Trade: outputs, "Oil in
trade's headlines"; issue 11).

The energy module owns Russia's oil volumes for the GDP accounts (macro reads energy's barrels times trade's
friction index f_oil). Trade's export headlines (russia_exports_change_pct, russia_exports_volume_change_pct, the
diverted share, the discount) clear oil in trade's own GE instead. The two agree exactly when no oil lever is on;
they differ by exactly two documented things otherwise: (1) energy's own levers (embargoes by buyer group,
buyers' refusal, shipping ban, price cap) reach only energy; (2) trade.oil_embargo_share reaches both, diverted
within partners' capacity headroom in trade and within energy.oil_redirect_capacity_mbd in energy.
"""

from __future__ import annotations

import numpy as np
import pytest

import econ
from econ.metrics import METRICS
from econ.sanctions.frictions import PRODUCT_GROUPS, baseline_trade

DATA = econ.load_data()
OIL = PRODUCT_GROUPS.index("oil")
X0_OIL = float((baseline_trade(DATA) / 12)[0][:, OIL].sum())


def _oil(sc):
    res = econ.run(sc)
    tr, en = res.modules["trade"].batch.outputs, res.modules["energy"].batch.outputs
    trade_ratio = tr["exports_volume_by_partner_product"][0][:, OIL].sum(axis=0) / X0_OIL  # (T,)
    f = tr["energy_friction_volume_index"]["oil"][0]
    energy_ratio = en["export_volume_index"]["oil"][0]
    return trade_ratio, f, energy_ratio  # GDP's oil volume relative to its reference: f x energy_ratio


def test_no_oil_lever_trade_and_gdp_oil_volumes_agree():
    """full_package has no oil lever: trade's headline oil volume is the GDP accounts' oil volume, month by month."""
    trade_ratio, f, energy_ratio = _oil(econ.load_scenario("full_package"))
    np.testing.assert_allclose(energy_ratio, 1.0, rtol=0, atol=1e-12)
    np.testing.assert_allclose(trade_ratio, f * energy_ratio, rtol=1e-12)
    assert np.all(trade_ratio < 1)  # the frictions do move oil (payments, logistics): the check is not vacuous


def test_energy_levers_reach_only_energy():
    """An EU embargo set on the energy module's lever leaves trade's oil rows untouched; the GDP accounts' oil
    volume falls by energy's index. The difference trade - GDP is then exactly f (1 - energy's index)."""
    sc = econ.load_scenario("full_package")
    base_trade, _, _ = _oil(sc)
    trade_ratio, f, energy_ratio = _oil(sc.with_overrides({"energy.oil_embargo_eu_share": 1.0}))
    np.testing.assert_array_equal(trade_ratio, base_trade)
    assert np.all(energy_ratio < 1)
    np.testing.assert_allclose(trade_ratio - f * energy_ratio, f * (1 - energy_ratio), rtol=1e-12, atol=1e-15)


def test_trade_embargo_reaches_both_with_their_own_diversion():
    """iran_2012_analogue sets trade.oil_embargo_share = 1: both modules cut the coalition's oil; trade diverts within
    partners' headroom (a multiple of each 2021 flow), energy within energy.oil_redirect_capacity_mbd, so over the
    first year trade's oil volume stays above the GDP accounts' (docs/validation.md, d2: -10.7 % against -28 %)."""
    sc = econ.load_scenario("iran_2012_analogue")
    trade_ratio, f, energy_ratio = _oil(sc)
    no_emb_trade, no_emb_f, no_emb_energy = _oil(sc.with_overrides({"trade.oil_embargo_share": 0.0}))
    np.testing.assert_allclose(f, no_emb_f, rtol=1e-12)  # f leaves the embargo out (energy applies it)
    assert trade_ratio[:12].mean() < no_emb_trade[:12].mean()
    assert energy_ratio[:12].mean() < no_emb_energy[:12].mean()
    assert trade_ratio[:12].mean() > (f * energy_ratio)[:12].mean()
    # the two agree without the embargo (no energy lever in the preset)
    np.testing.assert_allclose(no_emb_trade, no_emb_f * no_emb_energy, rtol=1e-12)


@pytest.mark.parametrize("metric", ["russia_exports_change_pct", "russia_exports_volume_change_pct"])
def test_trade_export_headlines_say_whose_oil_they_carry(metric):
    info = next(m for m in METRICS if m.id == metric)
    assert "oil as cleared by the trade model" in info.label
