"""The blocked (cache-sized) evaluation of trade and of the combined frictions gives the same numbers, to the bit,
as the whole-grid formulas it replaced (benchmarks/RESULTS.md, 2026-11-30 perf; the sanctions-only Monte Carlo's
every output is checked the same way by benchmarks/bench_sanctions_mc.py --check)."""

from __future__ import annotations

import numpy as np

from econ import trade
from econ.sanctions.frictions import Frictions, combine

N, F, P, G, T = 230, 2, 11, 9, 13  # 230 draws: several blocks of draws and a short last one
GRID = (N, F, P, G, T)


def _parts(rng: np.random.Generator) -> list[Frictions]:
    """Instruments shaped like the model's: SWIFT (partner x product x month), clearing (flow x product x month),
    chips (one value a draw, a full cap grid), export bans (partner x month, full cap and reroutable grids)."""
    zeros = np.zeros((N, 1))
    shapes_t = [(N, 1, P, G, T), (N, F, 1, G, T), (N, 1, 1, 1, 1), (N, 1, P, 1, T)]
    shapes_c = [(N, 1, 1, 1, 1), (N, 1, 1, 1, 1), GRID, GRID]
    parts = []
    for k, (st, sc) in enumerate(zip(shapes_t, shapes_c)):
        reroutable = rng.uniform(0.3, 1.0, GRID) if k == 3 else np.ones((1, 1, 1, 1, 1))
        cap = rng.uniform(0.2, 1.0, sc) if sc == GRID else np.ones(sc)
        parts.append(Frictions(rng.uniform(0, 0.3, st), cap, zeros, zeros, reroutable_cap=reroutable))
    return parts


def test_combined_blocks_equal_the_folded_grid_to_the_bit():
    parts = _parts(np.random.default_rng(11))
    lazy, eager = combine(parts), combine(parts)
    for name in ("tariff", "quantity_cap", "reroutable_cap"):
        whole = np.broadcast_to(getattr(eager, name), GRID)  # folded whole (the property)
        for key in [(slice(0, 50), 0), (slice(200, 260), 1), (slice(None), 0, slice(None), 3), (slice(None), 1)]:
            block = lazy.block(name, key)
            np.testing.assert_array_equal(np.broadcast_to(block, whole[key].shape), whole[key])
    # the folded grid itself: the plain sum and product (in the fold's order: largest array first)
    t = [np.broadcast_to(p.tariff, GRID) for p in parts]
    np.testing.assert_array_equal(eager.tariff, ((t[0] + t[1]) + t[3]) + t[2])
    c = [np.broadcast_to(p.quantity_cap, GRID) for p in parts]
    np.testing.assert_array_equal(eager.quantity_cap, c[2] * c[3])


def test_friction_factor_equals_the_whole_grid_formula_to_the_bit():
    rng = np.random.default_rng(12)
    fr = combine(_parts(rng))
    neg_eps = -rng.uniform(0.5, 6.0, (N, 1, G, T))
    x0 = rng.uniform(0, 3, (P, G))
    grid = (N, P, G, T)
    for flow in (0, 1):
        whole = np.exp(np.log1p(fr.tariff[:, flow]) * neg_eps) * fr.quantity_cap[:, flow] * x0[None, ..., None]
        scale = np.ascontiguousarray(np.broadcast_to(x0[..., None], grid[1:]))
        np.testing.assert_array_equal(
            trade.friction_factor(combine(_parts(np.random.default_rng(12))), flow, neg_eps, scale, grid), whole
        )


def test_export_clearing_in_place_equals_the_copying_solve_to_the_bit():
    """Capacity binds in some cells (Newton steps there), not in others (closed form)."""
    rng = np.random.default_rng(13)
    demand0 = rng.uniform(0, 2, (N, P, G, T))
    capacity = demand0 * rng.uniform(0.3, 3.0, (N, P, G, T))
    supply0 = rng.uniform(5, 15, G)
    eps = rng.uniform(1, 6, (N, G, T))
    eta = rng.uniform(0.1, 2, N)
    y, sold, f = trade.solve_export_prices(demand0.copy(), capacity, supply0, eps, eta)
    own = demand0.copy()
    y2, sold2, f2 = trade.solve_export_prices(own, capacity, supply0, eps, eta, in_place=True)
    assert np.shares_memory(sold2, own)
    np.testing.assert_array_equal(y, y2)
    np.testing.assert_array_equal(sold, sold2)
    np.testing.assert_array_equal(f, f2)
    binds = sold < demand0 * np.exp(-(eps + 1) * y)[:, None]
    assert binds.any() and (~binds).any()  # both kinds of cell are exercised
