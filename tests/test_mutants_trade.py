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
from econ.sanctions.frictions import PRODUCT_GROUPS, baseline_trade

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
