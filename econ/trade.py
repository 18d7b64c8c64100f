"""Russia's goods trade in general equilibrium: structural gravity by product group, partner and month.

Regions: Russia and the eleven partner groups of ``data/`` (the coalition's six, China, India, Turkey, the
EAEU and the rest of the world); product groups g; months t; a leading axis of n parameter sets. Every
flow keeps its 2021 value (data/ru_trade_partner_product_2021.csv, a twelfth a month) when nothing changes.

**Trade elasticity with the cited timing** (Boehm, Levchenko and Pandalai-Nayar 2023: the elasticity
converges to its long-run value over 7-10 years):

    eps_g(t) = eps_g^LR [phi + (1 - phi)(1 - exp(-t / m))],   phi = eps^SR / eps^LR,

with eps_g^LR = trade.elasticity_long_run_commodities for oil, coal and metals and trade.elasticity_long_run
for the rest, m = trade.elasticity_adjustment_months.

**Russia's exports** (Russia is the only supplier whose price moves: its outward multilateral resistance).
Partner p demands Russian g at the delivered price tau_pg p_g (tau = 1 + the combined tariff equivalent,
p_g Russia's export price relative to the world price) within the legal and exit caps c_pg and its
capacity K_pg = X0_pg [1 + h (1 - exp(-(t + 1)/m_K))]:

    x_pg = min(X0_pg c_pg tau_pg^(-eps_g) p_g^(-eps_g - 1),  K_pg),

and p_g clears Russia's market against an export supply V0_g p_g^eta:

    sum_p x_pg(p_g) = V0_g p_g^eta        (closed form when no capacity binds, else safeguarded Newton).

So diversion goes first where delivered prices are lowest and stops at partners' capacity; the discount
(1 - p_g) comes out of the clearing. An oil embargo caps coalition partners' oil; Russian gas to the EU
follows the gas model (pipes cannot move), gas to others keeps its 2021 volume under its caps.

**Russia's imports** (Russia's inward multilateral resistance). Russia spends a share s_M of its
absorption of g on imports (CES across domestic supply and partners, elasticity eps_g):

    Phi_g = (1 - s_M) + s_M sum_p w_pg [c_pg tau_pg^(-eps_g) + b_pg l (1 + pi_g)^(-eps_g)],
    m_pg  = min(M0_pg c_pg tau_pg^(-eps_g) / Phi_g, K_pg) (capacity only outside the coalition),
    r_pg  = M0_pg b_pg l (1 + pi_g)^(-eps_g) / Phi_g                           (parallel imports),
    pi_g  = pi_0 (1 + k sum_p r_pg / H_g)                  (a fixed point, Newton steps),

with w_pg = M0_pg / sum_p M0_pg, b_pg = 1 - (the part of c_pg that bans and firm exits impose), l the
reroutable share (dated), H_g the hubs' (Turkey, China, EAEU) 2021 sales of g to Russia. Russia's price
index changes by Phi_g^(-1/eps_g). Parallel imports arrive through the hubs (in proportion to H) and cost
(1 + pi) times their border value.

**Russia's own bans and relabelling through the EAEU.** A ban of coverage k_g on the banned partners B multiplies
their c_pg by (1 - k_g); the hubs do not route around it, but a share l_R (dated) of the banned goods arrives
relabelled as EAEU goods (Belarus's "seafood" of 2014-15) at the same premium: b_pg l above gains
v_g = l_R k_g sum_(p in B) w_pg c_pg in Phi and in pi's volume, and the relabelled flow
M0_g v_g (1 + pi_g)^(-eps_g) / Phi_g is the EAEU's sale, not the banned partners' direct sale.

**Welfare** (USD bn, table ``trade_welfare``): Russia's consumers A_g (Phi_g^(1/eps_g) - 1) with A_g = M0_g /
s_M; Russia's exporters' producer surplus V0_g (p_g^(eta+1) - 1)/(eta + 1) at world prices; partners'
consumers, to first order in Russia's small share of their market, X0_pg (s_pg - 1)/eps_g with s_pg the
change of their spending on Russian g at constant price index (the exact CES formula as that share goes to
zero); partners' exporters a rent share mu of their change in sales to Russia (rerouted sales included);
the hubs the premium pi r. Regions add up to the world total.

These are flows at the pre-sanction exchange rate: the ruble model compresses imports further.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .data import Data
from .errors import ParameterError
from .forms import annualised, ramp
from .metrics import metrics_for
from .model import BatchResult, ModuleResult, batches, russian_gas_volume_ratio
from .params import ParamBatch, Params
from .sanctions.frictions import (
    BLOCK_ELEMENTS,
    FLOWS,
    HIGH_TECH,
    PARTNER_GROUPS,
    PRODUCT_GROUPS,
    Frictions,
    baseline_trade,
    coalition_mask,
    combine,
    energy_mask,
)
from .time import horizon_of

INSTRUMENTS = ("swift", "dollar", "chips", "exports")
N_COALITION = int(coalition_mask().sum())
assert coalition_mask()[:N_COALITION].all(), "the coalition's partner groups come first in PARTNER_GROUPS"
COMMODITIES = ("oil", "coal", "metals")  # homogeneous goods: the commodities' long-run elasticity
HUBS = ("turkey", "china", "eaeu")  # routes of parallel imports
REGIONS = ("russia",) + PARTNER_GROUPS
# Russia's own import bans (counter-sanctions): product group -> the registry's coverage parameter, and the partner
# groups it applies to. The August 2014 food ban (Government Resolution 778 of 7 August 2014) named the EU (the UK
# then included), the US, Canada, Australia and Norway; `other_coalition` also holds Switzerland, Singapore, Taiwan
# and New Zealand, which it did not name (methodology, Trade: Russia's import bans)
COUNTER_BANNED = {"food": "trade.counter_ban_food_coverage"}
COUNTER_BAN_PARTNERS = ("eu", "uk", "us", "other_coalition")
# the customs-union partner through which counter-banned goods reach Russia relabelled (Belarus's re-exports of banned
# EU food from August 2014; methodology, Trade: relabelling through the EAEU)
RELABEL_HUB = "eaeu"
CLEARING_TOL = 1e-12  # |f| at which a cell of Russia's export clearing stops (log units)
CLEARING_MAX_STEPS = 100  # bisection halves the ~9-wide bracket: 2^-50 of 9 < 1e-14
PREMIUM_TOL = 1e-12  # the parallel-import premium's fixed point, relative to 1 + pi0
PREMIUM_MAX_STEPS = 60
LOG_PRICE_FLOOR = np.log(1e-4)  # the bracket's lower end for Russia's relative export price


def combined_frictions(upstream: Mapping[str, BatchResult], n: int) -> Frictions:
    parts = [upstream[name].outputs["frictions"] for name in INSTRUMENTS if name in upstream]
    return combine(parts) if parts else Frictions.none(n)


def relabelled_weight(
    share: np.ndarray, allowed: np.ndarray, w_banned: np.ndarray, cap_banned: np.ndarray
) -> np.ndarray:
    """The counter-banned goods of one product group that reach Russia relabelled through the EAEU, as a weight in
    Russia's import basket before the premium, (n, T): v = l_R k sum_(p in B) w_p c_p, with l_R the relabelled share
    (dated), k = 1 - ``allowed`` the ban's coverage, w_p the banned partners' 2021 shares (P_B,) and c_p the
    coalition's own cap on them (n, P_B, T) (methodology, Trade: relabelling through the EAEU)."""
    return share * (1 - allowed) * np.einsum("p,npt->nt", w_banned, cap_banned)


def counter_ban_caps(p: ParamBatch, labels: list[str]) -> dict[int, np.ndarray]:
    """Share of imports still allowed by Russia's own bans, by banned product group index: (n, T), applied to
    imports from the partner groups COUNTER_BAN_PARTNERS (methodology, Trade: Russia's import bans)."""
    return {PRODUCT_GROUPS.index(g): 1 - p.path(name, labels) for g, name in COUNTER_BANNED.items()}


def gravity_coefficient(flow_ratio):
    """The structural gravity coefficient of a bilateral dummy that moves a flow by ``flow_ratio`` (after / before,
    at given multilateral resistances): beta = ln(ratio). PPML gravity estimates of sanctions (GSDB-based) are in
    these units: the trade change is 100 (e^beta - 1) %. A ratio of 0 (a complete, enforced ban) is -inf.
    (methodology, Trade: gravity coefficients and tariff equivalents)"""
    ratio = np.asarray(flow_ratio, dtype=float)
    if np.any(ratio < 0) or np.any(~np.isfinite(ratio)):
        raise ParameterError(
            f"trade.gravity_coefficient: flow ratio (after / before, unitless) must be finite and in [0, inf), got {ratio}"
        )
    with np.errstate(divide="ignore"):
        return np.log(ratio)


def gravity_tariff_equivalent(beta, elasticity):
    """The ad-valorem tariff equivalent of a gravity coefficient beta at trade elasticity eps (flows move as
    tau^(-eps), so e^beta = tau^(-eps)): tau - 1 = e^(-beta / eps) - 1. With the CES substitution elasticity sigma of
    Anderson and van Wincoop, eps = sigma - 1. (methodology, Trade: gravity coefficients and tariff equivalents)"""
    eps = np.asarray(elasticity, dtype=float)
    if np.any(eps <= 0):
        raise ParameterError(
            f"trade.gravity_tariff_equivalent: trade elasticity (unitless) must be in (0, inf), got {eps}"
        )
    return np.exp(-np.asarray(beta, dtype=float) / eps) - 1


def price_index(p: ParamBatch, n_months: int) -> np.ndarray:
    """World price index by set, product and month relative to 2021 average prices, (n, G, T).

    Oil and gas prices move towards their (possibly dated) assumed change with an e-folding time counted
    from the start of the horizon (0 = at once): index_t = 1 + change_t / 100 x ramp_t.
    """
    labels, _ = horizon_of(p)
    labels = labels[:n_months]
    prices = np.ones((p.n, len(PRODUCT_GROUPS), n_months))
    m = p.float("macro.price_adjustment_months")[:, None]
    path = np.where(m <= 0, 1.0, ramp(np.arange(n_months, dtype=float)[None, :], m))
    prices[:, PRODUCT_GROUPS.index("oil")] = 1 + p.path("macro.oil_price_change_pct", labels) / 100 * path
    prices[:, PRODUCT_GROUPS.index("gas")] = 1 + p.path("macro.gas_price_change_pct", labels) / 100 * path
    return prices


def elasticity_path(p: ParamBatch, t: np.ndarray) -> np.ndarray:
    """Trade elasticity by set, product group and month, (n, G, T) (methodology: the elasticity path)."""
    lr = p.float("trade.elasticity_long_run")
    phi = p.float("trade.elasticity_short_run") / lr
    adjust = 1 - np.exp(-t[None, :] / np.maximum(p.float("trade.elasticity_adjustment_months")[:, None], 1e-9))
    path = phi[:, None] + (1 - phi[:, None]) * adjust  # (n, T)
    commodity = np.array([g in COMMODITIES for g in PRODUCT_GROUPS])
    lr_g = np.where(commodity[None, :], p.float("trade.elasticity_long_run_commodities")[:, None], lr[:, None])
    return lr_g[:, :, None] * path[:, None, :]


def capacity_multiple(p: ParamBatch, t: np.ndarray) -> np.ndarray:
    """Most a partner can buy from (or sell to) Russia of a product group, as a multiple of 2021, (n, T)."""
    return 1 + p.float("trade.partner_capacity_headroom")[:, None] * ramp(
        t[None, :], p.float("trade.capacity_months")[:, None]
    )


def friction_factor(
    fr: Frictions,
    flow: int,
    neg_eps: np.ndarray,
    scale: np.ndarray | None,
    grid: tuple[int, ...],
    out: np.ndarray | None = None,
) -> np.ndarray:
    """c tau^(-eps) [x scale] of one flow on the grid (n, P, G, T), with tau^(-eps) as exp(-eps ln(1 + tariff))
    (the same number, a fraction of the cost of a power); ``neg_eps`` (n, 1, G, T), ``scale`` (P, G, T) or None.
    Computed in blocks of draws that stay in the cache, the combined frictions read block by block
    (``Frictions.block``), each element with the same operations in the same order as on the whole grid (so the
    same number to the bit). ``out``: a grid-shaped float array to write into (a recently used one is in the cache)."""
    out = np.empty(grid) if out is None else out
    rows = max(1, BLOCK_ELEMENTS // max(1, int(np.prod(grid[1:]))))
    scratch = np.empty((min(rows, grid[0]),) + tuple(grid[1:]))  # one block's combined tariff, then cap
    for start in range(0, grid[0], rows):
        block, at = out[start : start + rows], (slice(start, start + rows), flow)
        part = scratch[: len(block)]
        np.log1p(fr.block("tariff", at, part), out=block)
        np.multiply(block, _rows(neg_eps, start, rows), out=block)
        np.exp(block, out=block)
        block *= fr.block("quantity_cap", at, part)
        if scale is not None:
            block *= scale
    return out


def _rows(a: np.ndarray, start: int, rows: int) -> np.ndarray:
    """Rows start:start+rows of an array's leading (draw) axis, or all of it when that axis broadcasts."""
    return a[start : start + rows] if a.shape[0] > 1 else a


def solve_export_prices(
    demand0: np.ndarray,
    capacity: np.ndarray,
    supply0: np.ndarray,
    eps: np.ndarray,
    eta: np.ndarray,
    in_place: bool = False,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Russia's relative export price by set, product and month, and the volumes sold.

    ``demand0`` (n, P, G, T): X0 c tau^(-eps), partners' demand at p = 1; ``capacity`` (n, P, G, T);
    ``supply0`` (G,): 2021 volume; ``eps`` (n, G, T); ``eta`` (n,). Solves

        f(y) = ln sum_p min(demand0 e^(-(eps+1) y), capacity) - ln supply0 - eta y = 0

    for y = ln p in [LOG_PRICE_FLOOR, 0]. f decreases in y. The price that clears when no capacity binds,
    y0 = ln(sum_p demand0 / supply0) / (eps + 1 + eta), is the root itself in that case and an upper bound
    of it otherwise (capacity only lowers what is sold). So y0 is the start: the cells where |f(y0)| <
    CLEARING_TOL are done, and only the others (a partner at its capacity) take Newton steps, inside the
    bracket [LOG_PRICE_FLOOR, y0] (a step that leaves the shrinking bracket is replaced by bisection), each
    until |f| < CLEARING_TOL or its bracket is narrower than 1e-14.
    Returns (log price (n, G, T), sold (n, P, G, T), residual f (n, G, T)); with ``in_place``, sold is written
    into demand0 (which the caller no longer needs).
    """
    n, _, n_g, n_t = demand0.shape
    cells = (n, n_g, n_t)
    slope = eps + 1
    eta_ = np.broadcast_to(eta[:, None, None], cells)
    log_supply = np.broadcast_to(np.log(np.where(supply0 > 0, supply0, 1.0))[None, :, None], cells)
    log_total0 = np.log(np.maximum(demand0.sum(axis=1), 1e-300))
    y = np.clip((log_total0 - log_supply) / (slope + eta_), LOG_PRICE_FLOOR, 0.0)
    price_factor = np.exp(-slope * y)
    capacity = np.broadcast_to(capacity, demand0.shape)
    sold = demand0 if in_place else np.empty(demand0.shape)
    f = np.empty(cells)
    # sold at y and f, in blocks of draws that stay in the cache (the same operations on each element as on the
    # whole grid); the open cells' demand and capacity are read before a block of sold overwrites demand0
    per_block = max(1, BLOCK_ELEMENTS // max(1, int(np.prod(demand0.shape[1:]))))
    d_parts, k_parts = [], []
    scratch = np.empty((min(per_block, n),) + demand0.shape[1:])
    for start in range(0, n, per_block):
        b = slice(start, start + per_block)
        block = np.multiply(demand0[b], price_factor[b][:, None], out=scratch[: len(demand0[b])])
        np.minimum(block, capacity[b], out=block)
        f_b = f[b]
        np.log(np.maximum(block.sum(axis=1), 1e-300), out=f_b)
        f_b -= log_supply[b]
        f_b -= eta_[b] * y[b]
        bi, gi_b, ti_b = np.nonzero(np.abs(f_b) >= CLEARING_TOL)
        d_parts.append(demand0[b][bi, :, gi_b, ti_b])
        k_parts.append(capacity[b][bi, :, gi_b, ti_b])
        sold[b] = block
    open_ = np.abs(f) >= CLEARING_TOL
    if not open_.any():
        return y, sold, f
    # Newton on the open cells only, as rows (cell, partner)
    ni, gi, ti = np.nonzero(open_)
    d, k = np.concatenate(d_parts), np.concatenate(k_parts)  # (m, P), in np.nonzero's order
    s, e, ls = slope[ni, gi, ti], eta_[ni, gi, ti], log_supply[ni, gi, ti]
    yo, fo = y[open_], f[open_]
    lo = np.where(fo > 0, yo, LOG_PRICE_FLOOR)
    hi = np.where(fo <= 0, yo, 0.0)
    moved = hi - lo  # the last step's length (rtsafe's safeguard: Numerical Recipes, 3rd ed., 9.4)
    rows = np.arange(yo.size)
    for _ in range(CLEARING_MAX_STEPS):
        yr, sr, er = yo[rows], s[rows], e[rows]
        demand = d[rows] * np.exp(-sr * yr)[:, None]
        kr = k[rows]
        total = np.maximum(np.minimum(demand, kr).sum(axis=1), 1e-300)
        free = (demand * (demand < kr)).sum(axis=1)
        fr = np.log(total) - ls[rows] - er * yr
        fo[rows] = fr
        lo_r = np.where(fr > 0, yr, lo[rows])
        hi_r = np.where(fr <= 0, yr, hi[rows])
        lo[rows], hi[rows] = lo_r, hi_r
        still = (np.abs(fr) >= CLEARING_TOL) & (hi_r - lo_r > 1e-14)
        if not still.any():
            break
        step = yr - fr / (-sr * free / total - er)
        # Newton's step if it lands strictly inside the bracket and at least halves the last move (a kink can
        # make Newton cycle between two points); bisection otherwise
        newton = (step > lo_r) & (step < hi_r) & (np.abs(step - yr) < 0.5 * moved[rows])
        y_new = np.where(newton, step, 0.5 * (lo_r + hi_r))
        moved[rows] = np.abs(y_new - yr)
        rows = rows[still]
        yo[rows] = y_new[still]
    y[open_], f[open_] = yo, fo
    sold[ni, :, gi, ti] = np.minimum(d * np.exp(-s * yo)[:, None], k)
    return y, sold, f


def solve_parallel_premium(
    pi0: np.ndarray, k: np.ndarray, m0_g: np.ndarray, h_g: np.ndarray, a: np.ndarray, bw: np.ndarray, s_m, eps
) -> np.ndarray:
    """The parallel-import premium's fixed point pi = pi0 (1 + k R(pi) / H) by Newton steps, (n, G, T).

    R(pi) = M0 bw u / (a + s_M bw u), u = (1 + pi)^(-eps), a = 1 - s_M + s_M (direct weight): the rerouted
    volume, which falls as the premium rises, so F(pi) = pi - pi0 (1 + k R(pi) / H) increases strictly and
    has one root in [pi0, pi0 (1 + k R(pi0) / H)]; Newton steps stay in that shrinking bracket (bisection
    otherwise) and stop at |F| < PREMIUM_TOL (1 + pi0)."""
    shape = np.broadcast_shapes(pi0.shape, k.shape, a.shape, bw.shape, eps.shape)

    def full(x) -> np.ndarray:
        return np.ascontiguousarray(np.broadcast_to(x, shape))

    scale = (m0_g / np.where(h_g > 0, h_g, 1.0))[None, :, None]  # M0 / H
    p0, c, neg_eps = full(pi0), full(pi0 * k * scale), full(-eps)  # c = pi0 k M0 / H
    sb = full(s_m * bw)
    cb, cbae = c * bw, full(c * bw * a * eps)  # F(pi) = pi - pi0 - cb u / den;  F' = 1 + cbae u / (den^2 (1 + pi))
    tol = PREMIUM_TOL * (1 + p0)
    u = np.exp(neg_eps * np.log1p(p0))
    lo = p0
    pi = hi = p0 + cb * u / (a + sb * u)  # pi0 (1 + k R(pi0) / H), the bracket's upper end
    for _ in range(PREMIUM_MAX_STEPS):
        u = np.exp(neg_eps * np.log1p(pi))
        den = a + sb * u
        big_f = pi - p0 - cb * u / den
        if np.all(np.abs(big_f) < tol):
            break
        below = big_f < 0
        lo = np.where(below, pi, lo)
        hi = np.where(below, hi, pi)
        step = pi - big_f / (1 + cbae * u / (den * den * (1 + pi)))
        pi = np.where((step >= lo) & (step <= hi), step, 0.5 * (lo + hi))
    return pi


METRICS = metrics_for("trade")


def evaluate(p: ParamBatch, data: Data, upstream: Mapping[str, BatchResult], detail: bool = False) -> BatchResult:
    """Trade for a batch of parameter sets. ``detail`` adds the partner x product arrays and the welfare
    accounts a single run's tables need."""
    labels, t = horizon_of(p)
    n, n_t = p.n, len(labels)
    fr = combined_frictions(upstream, n)
    base = baseline_trade(data) / 12.0  # (F, P, G) USD bn a month
    exp_i, imp_i = FLOWS.index("exports"), FLOWS.index("imports")
    x0, m0 = base[exp_i], base[imp_i]  # (P, G)
    grid = (n, len(PARTNER_GROUPS), len(PRODUCT_GROUPS), n_t)
    coal = coalition_mask()
    gas_i, oil_i, eu_i = PRODUCT_GROUPS.index("gas"), PRODUCT_GROUPS.index("oil"), PARTNER_GROUPS.index("eu")
    eps = elasticity_path(p, t)  # (n, G, T)
    kappa = capacity_multiple(p, t)  # (n, T)
    # read-only views: the combined grids are read in blocks (Frictions.block), never folded whole here
    gas_cap_x = np.broadcast_to(fr.block("quantity_cap", (slice(None), exp_i, slice(None), gas_i)), (n, grid[1], n_t))
    reroutable = np.broadcast_to(fr.block("reroutable_cap", (slice(None), imp_i)), grid)

    # --- exports: partners' demand at p = 1, their capacity, and the clearing price ---------------------
    embargo = p.path("trade.oil_embargo_share", labels)  # (n, T)
    neg_eps = -eps[:, None]  # (n, 1, G, T)
    # the full grid even when the frictions broadcast (no instrument upstream); in place from here
    demand0 = friction_factor(fr, exp_i, neg_eps, np.ascontiguousarray(np.broadcast_to(x0[..., None], grid[1:])), grid)
    capacity_x = x0[None, ..., None] * kappa[:, None, None, :]
    eta_x = p.float("trade.export_supply_elasticity")
    # oil under the frictions alone (no embargo): the frictions' share of oil's volume and price, which the GDP
    # accounts apply to the energy module's barrels (energy owns the embargo; see energy_friction_* below)
    oil_sl = slice(oil_i, oil_i + 1)
    if np.any(embargo > 0):
        y_oil, sold_oil, _ = solve_export_prices(
            demand0[:, :, oil_sl].copy(), capacity_x[:, :, oil_sl], x0.sum(axis=0)[oil_sl], eps[:, oil_sl], eta_x
        )
    demand0[:, coal, oil_i, :] *= (1 - embargo)[:, None, :]
    y, sold, resid = solve_export_prices(demand0, capacity_x, x0.sum(axis=0), eps, eta_x, in_place=True)
    if not np.any(embargo > 0):
        y_oil, sold_oil = y[:, oil_sl], sold[:, :, oil_sl]
    coal_i = PRODUCT_GROUPS.index("coal")
    friction_volume = {
        "oil": sold_oil[:, :, 0].sum(axis=1) / x0[:, oil_i].sum(),
        "gas": np.broadcast_to((x0[None, :, gas_i, None] * gas_cap_x).sum(axis=1) / x0[:, gas_i].sum(), (n, n_t)),
        "coal": sold[:, :, coal_i].sum(axis=1) / x0[:, coal_i].sum(),
    }
    friction_price = {"oil": np.exp(y_oil[:, 0]), "gas": np.ones((n, n_t)), "coal": np.exp(y[:, coal_i])}
    y[:, gas_i] = 0.0  # pipeline gas: no clearing across partners
    resid[:, gas_i] = 0.0
    sold[:, :, gas_i] = x0[None, :, gas_i, None] * gas_cap_x
    sold[:, eu_i, gas_i] *= russian_gas_volume_ratio(upstream.get("gas"), n, n_t)
    rel_price = np.exp(y)  # (n, G, T) Russia's export price relative to the world price
    world = price_index(p, n_t)
    sold_g = sold.sum(axis=1)  # (n, G, T)
    value_g = sold_g * rel_price * world  # (n, G, T) USD bn
    exports_m = value_g.sum(axis=1)
    # non-energy goods only: the energy module values oil, gas and coal, and the FX market adds the two
    exports_non_energy = value_g[:, ~energy_mask()].sum(axis=1)
    # the GDP accounts (macro) read Russia's real exports of non-energy goods here and of oil, gas and coal from
    # the energy module, which owns those volumes: trade's energy rows feed trade's own headlines only
    volume_non_energy = sold_g[:, ~energy_mask()].sum(axis=1)
    world_non_energy = (sold_g * world)[:, ~energy_mask()].sum(axis=1)
    exports_world_prices = (sold_g * world).sum(axis=1)  # without the sanctions' discount
    export_volume = sold_g.sum(axis=1)

    # --- imports: Russia's price index, parallel imports through the hubs (fixed point) --------------------
    s_m = p.float("trade.import_share_of_absorption")[:, None, None]  # (n, 1, 1)
    m0_g = m0.sum(axis=0)  # (G,)
    has_imp = m0_g > 0
    w = np.divide(m0, m0_g, out=np.zeros_like(m0), where=has_imp)  # (P, G)
    hubs = np.array([q in HUBS for q in PARTNER_GROUPS])
    h_g = m0[hubs].sum(axis=0)  # (G,) hubs' 2021 sales to Russia
    direct = friction_factor(fr, imp_i, neg_eps, None, grid, out=capacity_x)  # c tau^(-eps); capacity_x is done
    # Russia's own bans stop the banned partners' goods at its border: the hubs' parallel imports do not route around
    # them, but a share l_R of them arrives relabelled through the EAEU at the parallel premium
    banned_partners = np.array([q in COUNTER_BAN_PARTNERS for q in PARTNER_GROUPS])
    relabel_w = None  # (n, G, T) relabelled weight, only when a ban and relabelling are on
    relabel_origin: dict[int, np.ndarray] = {}  # g -> (n, P_B, T): the banned partners' weights in it
    for g_i, allowed in counter_ban_caps(p, labels).items():
        if np.any(allowed < 1):
            direct[:, banned_partners, g_i] *= allowed[:, None, :]
            relabel_share = p.path("trade.counter_ban_relabelled_share", labels)  # (n, T)
            if np.any(relabel_share > 0) and h_g[g_i] > 0:
                cap_g = np.broadcast_to(
                    fr.block("quantity_cap", (slice(None), imp_i, slice(None), g_i)), (n, len(PARTNER_GROUPS), n_t)
                )[:, banned_partners]
                relabel_w = np.zeros((n, len(PRODUCT_GROUPS), n_t)) if relabel_w is None else relabel_w
                relabel_w[:, g_i] = relabelled_weight(relabel_share, allowed, w[banned_partners, g_i], cap_g)
                relabel_origin[g_i] = w[None, banned_partners, g_i, None] * cap_g
    reroute = p.path("trade.parallel_import_share", labels)[:, None, :] * (h_g > 0)[None, :, None]  # (n,G,T)
    pi0 = p.float("trade.parallel_import_premium_pct")[:, None, None] / 100
    k = p.float("trade.parallel_premium_volume_slope")[:, None, None]
    # sum_p w_p (1 - reroutable_p) = sum_p w_p - sum_p w_p reroutable_p
    blocked_w = (w.sum(axis=0)[None, :, None] - np.einsum("pg,npgt->ngt", w, reroutable)) * reroute  # (n, G, T)
    direct_w = np.einsum("pg,npgt->ngt", w, direct)
    a = np.where(has_imp[None, :, None], 1 - s_m + s_m * direct_w, 1.0)
    bw = np.where(has_imp[None, :, None], blocked_w, 0.0)
    if relabel_w is not None:  # relabelled goods join the parallel channel's volume and pay its premium
        bw = bw + relabel_w
    premium = solve_parallel_premium(pi0, k, m0_g, h_g, a, bw, s_m, eps)
    u = np.exp(-eps * np.log1p(premium))  # (1 + pi)^(-eps)
    phi = a + s_m * bw * u
    rerouted = m0_g[None, :, None] * bw * u / phi  # parallel imports through the hubs and relabelled goods
    # relabelled goods (through the EAEU) and the hubs' parallel imports; no grid is allocated when nothing relabels
    relabelled = None if relabel_w is None else m0_g[None, :, None] * relabel_w * u / phi
    through_hubs = rerouted if relabelled is None else rerouted - relabelled
    imports_direct = direct  # (n, P, G, T) border value = volume; direct is not needed any more
    imports_direct *= m0[None, ..., None]
    imports_direct /= phi[:, None]
    others = imports_direct[:, N_COALITION:]  # a view: the coalition's partner groups come first
    rows = max(1, BLOCK_ELEMENTS // max(1, int(np.prod(grid[1:]))))
    for start in range(0, n, rows):  # capacity M0 kappa in blocks of draws (no grid-sized temporary)
        b = slice(start, start + rows)
        np.minimum(others[b], m0[None, N_COALITION:, :, None] * kappa[b, None, None, :], out=others[b])
    imp_g = imports_direct.sum(axis=1)  # (n, G, T)
    imp_coal_g = np.einsum("npgt,p->ngt", imports_direct, coal.astype(float))
    imports_m = imp_g.sum(axis=1) + (rerouted * (1 + premium)).sum(axis=1)
    import_volume = imp_g.sum(axis=1) + rerouted.sum(axis=1)
    h_safe = np.where(h_g > 0, h_g, 1.0)[None, :, None]

    # --- headline aggregates -----------------------------------------------------------------------------
    base_exp, base_imp = float(x0.sum()), float(m0.sum())
    china_i = PARTNER_GROUPS.index("china")
    hub_share = np.divide(m0[hubs], h_safe[0, :, 0][None, :], out=np.zeros_like(m0[hubs]), where=h_g[None, :] > 0)
    china_share = hub_share[HUBS.index("china")]  # (G,) (hubs in PARTNER_GROUPS order = HUBS order)
    from_coalition = imp_coal_g.sum(axis=1)
    from_china = imports_direct[:, china_i].sum(axis=1) + (through_hubs * china_share[None, :, None]).sum(axis=1)
    non_gas = np.array([g != "gas" for g in PRODUCT_GROUPS])
    # coalition partners' lost purchases and the others' gains, gas left out (views: the coalition comes first)
    # sold - x0, negated for the coalition (x0 - sold, the same number), floored at 0, in blocks of draws
    lost_coal, gained_other = np.empty((n, n_t)), np.empty((n, n_t))
    rows = max(1, BLOCK_ELEMENTS // max(1, int(np.prod(grid[1:]))))
    scratch = np.empty((min(rows, n),) + grid[1:])
    for start in range(0, n, rows):
        b = slice(start, start + rows)
        change = np.subtract(sold[b], x0[None, ..., None], out=scratch[: len(sold[b])])
        lost, gained = change[:, :N_COALITION], change[:, N_COALITION:]
        np.negative(lost, out=lost)
        np.maximum(change, 0.0, out=change)
        lost_coal[b] = lost.sum(axis=(1, 2)) - lost[:, :, gas_i].sum(axis=1)
        gained_other[b] = gained.sum(axis=(1, 2)) - gained[:, :, gas_i].sum(axis=1)
    lost_y, gained_y = annualised(lost_coal), annualised(gained_other)
    weights_sold = sold_g[:, non_gas]  # (n, G', T)
    discount = 1 - (weights_sold * rel_price[:, non_gas]).sum(axis=(1, 2)) / np.maximum(
        weights_sold.sum(axis=(1, 2)), 1e-12
    )
    metrics = {
        "russia_exports_change_pct": 100 * (annualised(exports_m) / (12 * base_exp) - 1),
        "russia_exports_volume_change_pct": 100 * (annualised(export_volume) / (12 * base_exp) - 1),
        "russia_imports_pre_fx_change_pct": 100 * (annualised(imports_m) / (12 * base_imp) - 1),
        "russia_imports_from_coalition_change_pct": 100 * (annualised(from_coalition) / (12 * m0[coal].sum()) - 1),
        "russia_imports_from_china_change_pct": 100 * (annualised(from_china) / (12 * m0[china_i].sum()) - 1),
        "russia_exports_diverted_share_pct": 100 * np.divide(gained_y, lost_y, out=np.zeros(n), where=lost_y > 1e-9),
        "coalition_exports_to_russia_lost_bn_usd": annualised(m0[coal].sum() - from_coalition),
        "russia_export_discount_pct": 100 * discount,
    }
    other = np.array([g not in HIGH_TECH for g in PRODUCT_GROUPS])
    other_fall = 1 - (imp_g[:, other].sum(axis=1) + rerouted[:, other].sum(axis=1)) / m0[:, other].sum()
    outputs = {
        "exports_usd_bn": exports_m,
        "exports_non_energy_usd_bn": exports_non_energy,
        "imports_pre_fx_usd_bn": imports_m,
        "exports_volume_usd_bn": export_volume,
        "exports_at_world_prices_usd_bn": exports_world_prices,
        "imports_volume_pre_fx_usd_bn": import_volume,
        "baseline_exports_usd_bn": base_exp,
        "baseline_imports_usd_bn": base_imp,
        "exports_volume_non_energy_usd_bn": volume_non_energy,
        "exports_non_energy_at_world_prices_usd_bn": world_non_energy,
        "baseline_exports_non_energy_usd_bn": float(x0[:, ~energy_mask()].sum()),
        "energy_friction_volume_index": friction_volume,
        "energy_friction_price_relative": friction_price,
        "other_import_volume_fall": other_fall,
        "frictions": fr,
        "elasticity": eps,
        "export_price_relative": rel_price,
        "import_price_index": phi ** (-1 / eps),
        "parallel_premium": premium,
        # (n, T) border value, before the premium
        "imports_relabelled_usd_bn": np.zeros((n, n_t)) if relabelled is None else relabelled.sum(axis=1),
        "clearing_residual": resid,
        # the EU's goods exports to Russia (Russia's imports from the EU, no parallel route), for Europe's cost (E10)
        "imports_from_eu_usd_bn": imports_direct[:, eu_i].sum(axis=1),  # (n, T) USD bn a month
        "baseline_imports_from_eu_usd_bn": float(m0[eu_i].sum()),
    }
    if detail:
        parallel = np.zeros(grid)
        parallel[:, hubs] = hub_share[None, :, :, None] * through_hubs[:, None]
        relabelled_grid = np.zeros(grid)  # all through the EAEU
        if relabelled is not None:
            relabelled_grid[:, PARTNER_GROUPS.index(RELABEL_HUB)] = relabelled
        mu = p.float("trade.export_rent_share")[:, None, None, None]
        eta = p.float("trade.export_supply_elasticity")[:, None, None]
        # rerouted goods are the blocked coalition suppliers' sales, in proportion to what each had blocked
        blocked_sales = w[None, ..., None] * (1 - reroutable)
        origin = (
            np.divide(
                blocked_sales, blocked_sales.sum(axis=1, keepdims=True), out=np.zeros(grid), where=blocked_sales > 0
            )
            * through_hubs[:, None]
        )
        for g_i, weights in relabel_origin.items():  # relabelled goods are the banned partners' sales
            assert relabelled is not None
            total = weights.sum(axis=1, keepdims=True)
            origin[:, banned_partners, g_i] += (
                np.divide(weights, total, out=np.zeros_like(weights), where=total > 0) * relabelled[:, None, g_i]
            )
        ru_consumer = (m0_g[None, :, None] / s_m * (phi ** (1 / eps) - 1))[:, has_imp].sum(axis=1)  # (n, T)
        ru_producer = (x0.sum(axis=0)[None, :, None] * (rel_price ** (eta + 1) - 1) / (eta + 1) * world)[
            :, non_gas
        ].sum(axis=1) - mu[:, 0, 0] * ((x0[:, gas_i, None] - sold[:, :, gas_i]) * world[:, None, gas_i]).sum(axis=1)
        # partners' spending on Russian g at constant price index, relative to 2021: c (tau p)^(-eps)
        spend_ratio = np.divide(
            sold * rel_price[:, None], x0[None, ..., None], out=np.ones(grid), where=x0[None, ..., None] > 0
        )
        partner_consumer = (x0[None, ..., None] * (spend_ratio - 1) / eps[:, None] * world[:, None])[:, :, non_gas].sum(
            axis=2
        )  # (n, P, T)
        partner_rent = mu[:, 0] * ((imports_direct - m0[None, ..., None]) + origin).sum(axis=2)
        hub_premium = (parallel + relabelled_grid) * premium[:, None]  # (n, P, G, T): the hubs' premium
        outputs.update(
            {
                "exports_by_partner_product": sold * (rel_price * world)[:, None],  # (n, P, G, T) USD bn
                "exports_volume_by_partner_product": sold,
                "imports_by_partner_product": imports_direct + (parallel + relabelled_grid) * (1 + premium)[:, None],
                "imports_direct": imports_direct,
                "imports_parallel": parallel,
                "imports_relabelled": relabelled_grid,
                "welfare": {
                    "russia_consumers": ru_consumer,
                    "russia_exporters": ru_producer,
                    "partner_consumers": partner_consumer,
                    "partner_exporters": partner_rent,
                    "hub_premia": hub_premium.sum(axis=2),
                },
            }
        )
    return BatchResult(metrics, outputs)


def welfare_table(welfare: Mapping[str, np.ndarray], base: np.ndarray) -> pd.DataFrame:
    """Welfare change by region over the first 12 months, USD bn and % of the region's 2021 goods trade with
    Russia (Russia: of its total goods trade). One set (index 0). Regions add up to the world total."""
    ru = annualised(welfare["russia_consumers"][0] + welfare["russia_exporters"][0])
    partners = annualised(
        welfare["partner_consumers"][0] + welfare["partner_exporters"][0] + welfare["hub_premia"][0]
    )  # (P,)
    usd = np.concatenate([[ru], partners])
    trade_with_russia = np.concatenate([[base.sum()], base.sum(axis=(0, 2))])
    return pd.DataFrame(
        {
            "region": REGIONS,
            "welfare_change_usd_bn": usd,
            "welfare_change_pct": 100 * usd / trade_with_russia,
            "baseline_trade_with_russia_usd_bn": trade_with_russia,
        }
    )


def welfare_by_channel(welfare: Mapping[str, np.ndarray]) -> dict[str, float]:
    """World welfare change over the first 12 months by channel, USD bn (set 0)."""
    out = {}
    for key, series in welfare.items():
        arr = np.asarray(series[0])
        out[key] = float(annualised(arr.reshape(-1, arr.shape[-1]).sum(axis=0)))
    return out


def run(params: Params, data: Data, upstream: Mapping[str, ModuleResult]) -> ModuleResult:
    ev = evaluate(ParamBatch.single(params), data, batches(upstream), detail=True)
    out = ev.outputs
    labels, _ = horizon_of(params)
    n_t = len(labels)
    base = baseline_trade(data) / 12.0
    exp_i, imp_i = FLOWS.index("exports"), FLOWS.index("imports")
    exports, imports = out["exports_by_partner_product"][0], out["imports_by_partner_product"][0]
    n_pg = len(PARTNER_GROUPS) * len(PRODUCT_GROUPS)
    flows = pd.DataFrame(
        {
            "flow": np.repeat(["exports", "imports"], n_pg * n_t),
            "partner_group": np.tile(np.repeat(PARTNER_GROUPS, len(PRODUCT_GROUPS) * n_t), 2),
            "product_group": np.tile(np.repeat(PRODUCT_GROUPS, n_t), 2 * len(PARTNER_GROUPS)),
            "month": np.tile(labels, 2 * n_pg),
            "baseline_usd_bn": np.concatenate(
                [np.repeat(base[exp_i].ravel(), n_t), np.repeat(base[imp_i].ravel(), n_t)]
            ),
            "value_usd_bn": np.concatenate([exports.ravel(), imports.ravel()]),
            "volume_usd_bn_2021_prices": np.concatenate(
                [out["exports_volume_by_partner_product"][0].ravel(), imports.ravel()]
            ),
        }
    )
    by_partner = (
        flows.groupby(["flow", "partner_group"], sort=False)[["baseline_usd_bn", "value_usd_bn"]].sum().reset_index()
    )
    by_partner["change_pct"] = _change_pct(by_partner)
    by_product = (
        flows.groupby(["flow", "product_group"], sort=False)[["baseline_usd_bn", "value_usd_bn"]].sum().reset_index()
    )
    by_product["change_pct"] = _change_pct(by_product)
    base_exp, base_imp = out["baseline_exports_usd_bn"], out["baseline_imports_usd_bn"]
    monthly = pd.DataFrame(
        {
            "month": labels,
            "exports_usd_bn": out["exports_usd_bn"][0],
            "imports_pre_fx_usd_bn": out["imports_pre_fx_usd_bn"][0],
            "exports_volume_index": out["exports_volume_usd_bn"][0] / base_exp,
            "imports_volume_pre_fx_index": out["imports_volume_pre_fx_usd_bn"][0] / base_imp,
            "imports_parallel_usd_bn": out["imports_parallel"][0].sum(axis=(0, 1)),
            "imports_relabelled_usd_bn": out["imports_relabelled"][0].sum(axis=(0, 1)),
        }
    )
    prices = pd.DataFrame(
        {
            "product_group": np.repeat(PRODUCT_GROUPS, n_t),
            "month": np.tile(labels, len(PRODUCT_GROUPS)),
            "trade_elasticity": out["elasticity"][0].ravel(),
            "export_price_relative_to_world": out["export_price_relative"][0].ravel(),
            "import_price_index": out["import_price_index"][0].ravel(),
            "parallel_import_premium_pct": 100 * out["parallel_premium"][0].ravel(),
        }
    )
    outputs = {
        "months": labels,
        **{
            k: out[k][0]
            for k in ("exports_usd_bn", "imports_pre_fx_usd_bn", "exports_volume_usd_bn", "other_import_volume_fall")
        },
        "baseline_exports_usd_bn": base_exp,
        "baseline_imports_usd_bn": base_imp,
        "frictions": out["frictions"].at(0, n_t),
        "imports_by_partner": imports.sum(axis=1),  # (P, T) pre-FX
        "exports_by_partner": exports.sum(axis=1),  # (P, T)
        "baseline_imports_by_partner": base[imp_i].sum(axis=1),  # (P,) a month
        "baseline_exports_by_partner": base[exp_i].sum(axis=1),
    }
    tables = {
        "trade_gravity_equivalent": gravity_table(flows, params.float("trade.elasticity_long_run")),
        "trade_flows": flows,
        "trade_by_partner": by_partner,
        "trade_by_product": by_product,
        "trade_monthly": monthly,
        "trade_prices": prices,
        "trade_welfare": welfare_table(out["welfare"], 12 * base),
    }
    return ModuleResult("trade", ev.headline(METRICS), tables, outputs, batch=ev)


def gravity_table(flows: pd.DataFrame, elasticity: float) -> pd.DataFrame:
    """The model's first-12-month change of each flow with each partner group as a structural gravity coefficient
    and its tariff equivalent (volumes at 2021 prices, so that world prices do not count as a trade cost): the
    figures that compare with GSDB-based PPML estimates of sanctions (docs/validation.md)."""
    months = sorted(flows["month"].unique())[:12]
    first = flows[flows["month"].isin(months)]
    g = first.groupby(["flow", "partner_group"], sort=False)[["baseline_usd_bn", "volume_usd_bn_2021_prices"]].sum()
    g = g[g["baseline_usd_bn"] > 0].reset_index()
    ratio = (g["volume_usd_bn_2021_prices"] / g["baseline_usd_bn"]).to_numpy()
    beta = gravity_coefficient(ratio)
    with np.errstate(over="ignore"):
        tariff = gravity_tariff_equivalent(beta, elasticity)
    return pd.DataFrame(
        {
            "flow": g["flow"],
            "partner_group": g["partner_group"],
            "volume_change_pct": 100 * (ratio - 1),
            "gravity_coefficient": beta,
            "tariff_equivalent_pct_long_run": 100 * tariff,
        }
    )


def _change_pct(table: pd.DataFrame) -> np.ndarray:
    """Percent change against the baseline; 0 for a flow with no baseline (it cannot appear: diversion and
    replacement go only to flows that exist)."""
    base = table["baseline_usd_bn"].to_numpy()
    return np.where(base > 0, 100 * (table["value_usd_bn"].to_numpy() / np.where(base > 0, base, 1) - 1), 0.0)
