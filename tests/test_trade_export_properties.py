"""Properties of Russia's export clearing (docs/methodology.md, Trade: Russia's exports; docs/testing.md).

More friction on the coalition's purchases (buyer exits, the logistics cost on coalition trade) never raises
Russia's sales to any coalition partner, of any product, in any month; what is diverted goes only to partners
with capacity left, and never beyond it. Draws over the registry's plausible ranges of every trade and exports
parameter, a batch at a time; each draw is paired with the same draw at a higher friction. Draws are conditioned
where the property can bite (the friction rises by at least 5 % of its range; a third of the draws have little
capacity headroom, so that partners' capacity binds), and the number of draws in which each property bites is
counted and asserted, so that a test which no longer exercises its case fails.
"""

from __future__ import annotations

import numpy as np
import pytest

import econ
from econ import trade
from econ.params import ParamBatch
from econ.sanctions import chips, dollar, exports, swift
from econ.sanctions.frictions import PRODUCT_GROUPS, baseline_trade, coalition_mask
from econ.time import horizon_of

REGISTRY = econ.load_registry()
DATA = econ.load_data()
FULL = econ.load_scenario("full_package").params
N = 300
COAL = coalition_mask()
GAS = PRODUCT_GROUPS.index("gas")
X0 = (baseline_trade(DATA) / 12)[0]  # (P, G) USD bn a month


def _draws(seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    names = [s.name for s in REGISTRY if s.module in ("trade", "exports") and s.type == "float" and s.low != s.high]
    cols = {k: rng.uniform(float(REGISTRY[k].low), float(REGISTRY[k].high), N) for k in names}
    # a third of the draws with little headroom (hard bounds allow 0): partners' capacity binds there
    tight = rng.random(N) < 1 / 3
    cols["trade.partner_capacity_headroom"] = np.where(
        tight, rng.uniform(0.0, 0.3, N), cols["trade.partner_capacity_headroom"]
    )
    return cols


def _sold(cols: dict[str, np.ndarray]):
    batch = ParamBatch(FULL, cols)
    up = {m.__name__.rsplit(".", 1)[-1]: m.evaluate(batch, DATA) for m in (swift, dollar, chips, exports)}
    ev = trade.evaluate(batch, DATA, up, detail=True)
    _, t = horizon_of(FULL)
    capacity = X0[None, ..., None] * trade.capacity_multiple(batch, t)[:, None, None, :]
    return ev.outputs["exports_volume_by_partner_product"], capacity


@pytest.mark.parametrize(
    "lever", ["exports.firm_exit_share", "exports.buyer_exit_ratio", "exports.logistics_cost_coalition_pct"]
)
def test_more_coalition_friction_never_raises_sales_to_the_coalition_and_diverts_only_within_capacity(lever):
    rng = np.random.default_rng(7)
    a = _draws(11)
    spec = REGISTRY[lever]
    lo, hi = float(spec.low), float(spec.high)
    b = dict(a)
    b[lever] = a[lever] + rng.uniform(0.05, 1.0, N) * (hi - a[lever])  # at least 5 % of the way up: it bites
    b[lever] = np.maximum(b[lever], a[lever] + 0.05 * (hi - lo))
    sold_a, _ = _sold(a)
    sold_b, cap_b = _sold(b)
    tol = 1e-9 * (1 + np.abs(sold_a))
    # 1. sales to every coalition partner, product and month never rise
    rise = sold_b[:, COAL] - sold_a[:, COAL]
    assert np.all(rise <= tol[:, COAL]), f"{lever}: a coalition flow rose by {rise.max():.3g}"
    biting = np.any(rise < -tol[:, COAL], axis=(1, 2, 3))
    assert biting.sum() >= 0.9 * N, f"{lever}: only {biting.sum()} of {N} draws cut a coalition flow"
    # 2. diversion: the others never buy less (Russia's export price only falls), never beyond capacity, and a
    # partner gains only where it had capacity left; pipeline gas does not clear across partners
    other_a = np.delete(sold_a[:, ~COAL], GAS, axis=2)
    other_b = np.delete(sold_b[:, ~COAL], GAS, axis=2)
    cap = np.delete(cap_b[:, ~COAL], GAS, axis=2)
    assert np.all(other_b >= other_a - 1e-9 * (1 + other_a))
    assert np.all(other_b <= cap * (1 + 1e-9) + 1e-12)
    gained = other_b > other_a + 1e-9 * (1 + other_a)
    assert np.all(other_a[gained] < cap[gained] * (1 - 1e-12))
    diverted = np.any(gained, axis=(1, 2, 3))
    assert diverted.sum() >= 0.9 * N, f"{lever}: only {diverted.sum()} of {N} draws divert anything"
    at_capacity = np.any(np.isclose(other_b, cap, rtol=1e-9, atol=0) & (cap > 0), axis=(1, 2, 3))
    assert at_capacity.sum() >= 0.1 * N, f"{lever}: capacity binds in only {at_capacity.sum()} of {N} draws"
