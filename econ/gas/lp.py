"""Stage 2 of the gas model: the LP, assembled from its variables and one function per constraint family.

Each family's equation is in its docstring, in the notation of docs/methodology.md (gas, section 3). Rows are
added in a fixed order (equalities: node balance, storage stock, LNG pool; inequalities: Russian route caps,
corridor base and extra tiers, storage targets, end-of-horizon floor), so an LP of a given shape always has the
same sparsity structure: only costs, bounds, right-hand sides and a few coefficients change with the
parameters. The structure (the CSR pattern and the permutation into it) is computed once per shape.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ..data import PIPELINE_CORRIDORS, RUSSIAN_ROUTES
from .system import GasInputs, GasSystem


@dataclass(frozen=True)
class GasLP:
    """The assembled LP: min cost.x s.t. row_lower <= a.x <= row_upper, 0 <= x <= col_upper.

    ``a`` is in compressed-row form (``indptr``, ``indices``, ``data``) with sorted column indices; the
    equality rows come first (``n_eq`` of them, row_lower = row_upper). ``blocks`` maps each variable block to
    the index array of its columns.
    """

    cost: np.ndarray
    col_upper: np.ndarray
    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray
    n_eq: int
    blocks: Mapping[str, np.ndarray]
    rows: Mapping[str, np.ndarray]

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.row_upper), len(self.cost)

    @property
    def col_lower(self) -> np.ndarray:
        return np.zeros(len(self.cost))


class _Columns:
    """Allocates LP variables in named blocks and collects their upper bounds and costs."""

    def __init__(self) -> None:
        self.n = 0
        self.ub: list[np.ndarray] = []
        self.cost: list[np.ndarray] = []
        self.blocks: dict[str, np.ndarray] = {}

    def add(self, name: str, shape: tuple[int, ...], ub, cost) -> np.ndarray:
        size = int(np.prod(shape))
        idx = np.arange(self.n, self.n + size).reshape(shape)
        self.n += size
        self.ub.append(np.broadcast_to(np.asarray(ub, dtype=float), shape).ravel())
        self.cost.append(np.broadcast_to(np.asarray(cost, dtype=float), shape).ravel())
        self.blocks[name] = idx
        return idx


class _Rows:
    """Collects constraint rows (lower and upper bounds) and their coefficients (row, column, value)."""

    def __init__(self) -> None:
        self.n = 0
        self.r: list[np.ndarray] = []
        self.c: list[np.ndarray] = []
        self.v: list[np.ndarray] = []
        self.lo: list[np.ndarray] = []
        self.up: list[np.ndarray] = []

    def equal(self, shape: tuple[int, ...], rhs) -> np.ndarray:
        return self._new(shape, rhs, rhs)

    def at_most(self, shape: tuple[int, ...], rhs) -> np.ndarray:
        return self._new(shape, -np.inf, rhs)

    def _new(self, shape: tuple[int, ...], lo, up) -> np.ndarray:
        size = int(np.prod(shape))
        idx = np.arange(self.n, self.n + size).reshape(shape)
        self.n += size
        self.lo.append(np.broadcast_to(np.asarray(lo, dtype=float), shape).ravel())
        self.up.append(np.broadcast_to(np.asarray(up, dtype=float), shape).ravel())
        return idx

    def put(self, rows, cols, vals) -> None:
        rows, cols = np.broadcast_arrays(np.asarray(rows), np.asarray(cols))
        vals = np.broadcast_to(np.asarray(vals, dtype=float), rows.shape)
        self.r.append(rows.ravel())
        self.c.append(cols.ravel())
        self.v.append(vals.ravel())


# ---- variables (docs/methodology.md, gas, 3.2) ----


def variables(inp: GasInputs, system: GasSystem, arc_ub: np.ndarray | None = None) -> _Columns:
    """Every variable block with its upper bound and cost in EUR/MWh (lower bounds are all 0; a cost per mcm in
    EUR/MWh keeps every dual in EUR/MWh). Welfare maximisation is written as minimising supply cost less the
    gross surplus of consumption: a demand step given up costs its willingness to pay, a step taken above the
    reference earns it (negative cost), rationing costs the cap (less the priority margin).

    Supply: production p (<= P), entries x (<= K_e d_t), corridors' extra tier y (<= eta_c B), LNG send-out l
    (<= regas), LNG by origin fixed to Europe g (<= G_o) and flexible to Europe h or to Asia a (h + a <= F_o),
    Asia's steps; storage i, w, S and the target miss mu; demand steps down q (<= widths), up u, rationing z;
    flows f (<= F-bar d_t, or the baseline flow under the national rule) at c_a = 0.1 + s tau_a EUR/MWh, tau_a the
    link's 2021 cross-border tariff and s = gas.network.tariff_scale (3.8; ``inp.arc_cost``).
    """
    n_nodes, n_sec, n_t = inp.demand.shape
    c = inp.costs
    var = _Columns()
    var.add("prod", (n_nodes, n_t), inp.production, c["production"])
    entry_cost = np.array([c["russia"] if k == "russia" else c["pipeline"] for k in system.entry_kind])
    var.add("entry", (len(system.entry_node), n_t), inp.entry_ub, entry_cost[:, None])
    var.add("lng", (n_nodes, n_t), inp.regas_ub, 0.0)
    n_o = inp.lng_fixed.shape[0]
    var.add("lng_fixed", (n_o, n_t), inp.lng_fixed, c["lng"])
    if system.lng_non_eu_nodes.size:  # the wider Europe: cargoes fixed to the UK's terminals (3.7)
        var.add("lng_fixed_ne", (n_o, n_t), inp.lng_fixed_non_eu, c["lng"])
    var.add("lng_flex_eu", (n_o, n_t), inp.lng_flex, c["lng"])
    var.add("lng_flex_asia", (n_o, n_t), inp.lng_flex, c["lng"] + inp.asia_freight[:, None])
    var.add("asia_down", inp.asia_down_width.shape, inp.asia_down_width, inp.asia_down_price)
    var.add("asia_up", inp.asia_up_width.shape, inp.asia_up_width, -inp.asia_up_price)
    var.add("inj", (n_nodes, n_t), inp.inj_ub, c["storage_cycle"])
    var.add("wd", (n_nodes, n_t), inp.wd_ub, c["storage_cycle"])
    var.add("lvl", (n_nodes, n_t), inp.storage_wgv[:, None], 0.0)
    has_storage = inp.storage_wgv > 0
    n_oct = int((inp.cal == 10).sum())
    var.add("tmiss", (n_nodes, n_oct), np.where(has_storage, np.inf, 0.0)[:, None], c["target_miss"])
    # the top-up e: open only in the months that start an obligation (each October, and the last month)
    open_ = has_storage[:, None] & topup_months(inp)[None, :]
    var.add("topup", (n_nodes, n_t), np.where(open_, np.inf, 0.0), c["storage_topup"])
    end_value = np.zeros(n_nodes) if inp.end_value is None else inp.end_value
    var.add("carry", (n_nodes,), inp.storage_wgv * max(1.0 - inp.end_fill, 0.0), -end_value)
    var.add("down", inp.down_width.shape, inp.down_width, inp.down_price[None, :, :, :])
    var.add("up", inp.up_width.shape, inp.up_width, -inp.up_price[None, :, :, :])
    var.add("ration", (n_nodes, n_sec, len(RATION_SHARES) - 1, n_t), ration_widths(inp), ration_costs(inp))
    flow_ub = inp.arc_ub if arc_ub is None else np.minimum(inp.arc_ub, arc_ub)
    arc_cost = np.full(len(system.arc_from), c["arc"]) if inp.arc_cost is None else inp.arc_cost
    var.add("flow", (len(system.arc_from), n_t), flow_ub, arc_cost[:, None])
    corridors = corridor_ids(system)
    var.add(
        "pipe_extra",
        (len(corridors), n_t),
        np.array([inp.corridor_extra[c] for c in corridors]).reshape(len(corridors), n_t),
        c["pipeline_extra"],
    )
    # cover for the stock identities' tie-break loss (RHS_TIE_BREAK), bounded by that loss in build_lp
    var.add("loss_cover", (n_nodes, n_t), 0.0, c["storage_topup"])
    return var


# Rationing in steps of the share of a sector's demand rationed (docs/methodology.md, gas, 3.3, "Rationing"): the
# k-th step covers shares RATION_SHARES[k] to RATION_SHARES[k + 1] of the node-sector-month's reference demand
# (1 - r^pol) D and costs RATION_STEP x k EUR/MWh more than the first. Equal shares are rationed before deeper cuts
# (proportional curtailment), and the whole ladder (2 x 0.015 = 0.03) stays inside the 0.1 EUR/MWh between two
# sectors' priority margins, so the sector order of Regulation 2017/1938 is unchanged. Three steps, not five: each
# step is N x S x T columns, and five cost the Monte Carlo a fifth more time (benchmarks/RESULTS.md).
RATION_SHARES = (0.0, 0.15, 0.3, 1.0)
RATION_STEP = 0.015


def ration_widths(inp: GasInputs) -> np.ndarray:
    """(N, S, K, T) mcm: the rationable demand z-bar (``inp.ration_ub``) cut at the shares b_k = RATION_SHARES of
    the reference demand Q = (1 - r^pol_t) D_{n,s,t}: step k holds min(z-bar, b_{k+1} Q) - min(z-bar, b_k Q), the
    part of the rationable quantity between b_k Q and b_{k+1} Q. The widths add up to z-bar."""
    served = inp.demand * (1.0 - inp.policy_share)[None, None, :]
    shares = np.asarray(RATION_SHARES)
    lo = np.minimum(inp.ration_ub[:, :, None, :], shares[None, None, :-1, None] * served[:, :, None, :])
    hi = np.minimum(inp.ration_ub[:, :, None, :], shares[None, None, 1:, None] * served[:, :, None, :])
    return hi - lo


def ration_costs(inp: GasInputs) -> np.ndarray:
    """(1, S, K, 1) EUR/MWh: the cap less the sector's priority margin, plus RATION_STEP per step deeper."""
    steps = RATION_STEP * np.arange(len(RATION_SHARES) - 1)
    return (inp.ration_cost[:, None] + steps[None, :])[None, :, :, None]


def topup_months(inp: GasInputs) -> np.ndarray:
    """(T,) bool: the months where an obligation top-up e may start: every October and the horizon's last month
    (a top-up in any other month would cover the same obligations as one in the next of these, at the same cost)."""
    months = inp.cal == 10
    months[-1] = True
    return months


def corridor_ids(system: GasSystem) -> list[str]:
    """The non-Russian corridors with an entry into the model's nodes, in registry order."""
    return [c for c in PIPELINE_CORRIDORS if c in system.entry_source]


# ---- equality rows ----


def node_balance(eq: _Rows, v: Mapping[str, np.ndarray], inp: GasInputs, system: GasSystem) -> None:
    """Node balance (3.4), every node n and month t; its dual is the node's price pi_{n,t} (EUR/MWh):

    p_{n,t} + sum_{e: n(e)=n} x_{e,t} + l_{n,t} + w_{n,t} - i_{n,t} + sum_{a=(j->n)} f_{a,t} - sum_{a=(n->j)} f_{a,t}
    + sum_s sum_k q_{n,s,k,t} - sum_s sum_k u_{n,s,k,t} + sum_s z_{n,s,t} = (1 - r^pol_t) D_{n,t}
    """
    served = inp.demand.sum(axis=1) * (1.0 - inp.policy_share)[None, :]
    node = eq.equal(served.shape, served)
    eq.put(node, v["prod"], 1.0)
    eq.put(node[system.entry_node], v["entry"], 1.0)
    eq.put(node, v["lng"], 1.0)
    eq.put(node, v["wd"], 1.0)
    eq.put(node, v["inj"], -1.0)
    eq.put(node[system.arc_to], v["flow"], 1.0)
    eq.put(node[system.arc_from], v["flow"], -1.0)
    eq.put(node[:, None, None, :], v["down"], 1.0)
    eq.put(node[:, None, None, :], v["up"], -1.0)
    eq.put(node[:, None, None, :], v["ration"], 1.0)


def storage_stock(eq: _Rows, v: Mapping[str, np.ndarray], inp: GasInputs) -> None:
    """Storage stock identity (3.5), every node n and month t:

    S_{n,t} - S_{n,t-1} - i_{n,t} + w_{n,t} = 0,   with S_{n,0} = sigma_0 W_n (on the right-hand side)

    The obligation top-up e is not in this identity: it is not gas, it can never be withdrawn (storage_targets,
    end_of_horizon). The column loss_cover, bounded by the row's tie-break loss (RHS_TIE_BREAK), keeps the row
    feasible for an empty store that nothing can refill.
    """
    n_nodes, n_t = v["lvl"].shape
    rhs = np.zeros((n_nodes, n_t))
    rhs[:, 0] = inp.storage_start
    stock = eq.equal((n_nodes, n_t), rhs)
    eq.put(stock, v["lvl"], 1.0)
    eq.put(stock[:, 1:], v["lvl"][:, :-1], -1.0)
    eq.put(stock, v["inj"], -1.0)
    eq.put(stock, v["wd"], 1.0)
    eq.put(stock, v["loss_cover"], -1.0)


def lng_pool(eq: _Rows, v: Mapping[str, np.ndarray], inp: GasInputs) -> None:
    """Europe-wide LNG pool (3.7), every month t: send-out equals the cargoes that come to Europe,

    sum_n l_{n,t} - sum_o g_{o,t} - sum_o h_{o,t} = 0
    """
    pool = eq.equal((inp.lng_fixed.shape[1],), 0.0)
    eq.put(pool[None, :], v["lng"], 1.0)
    eq.put(pool[None, :], v["lng_fixed"], -1.0)
    if "lng_fixed_ne" in v:
        eq.put(pool[None, :], v["lng_fixed_ne"], -1.0)
    eq.put(pool[None, :], v["lng_flex_eu"], -1.0)


def lng_destination(ub: _Rows, v: Mapping[str, np.ndarray], system: GasSystem) -> None:
    """The wider Europe (3.7), every month t: the non-EU nodes' terminals (the UK's) land at least the cargoes
    fixed to them by contract (South Hook's Qatari cargoes above all), the rest of the pool goes where it pays:

    sum_o g^ne_{o,t} - sum_{n in ne} l_{n,t} <= 0
    """
    if "lng_fixed_ne" not in v:
        return
    fixed = v["lng_fixed_ne"]
    rows = ub.at_most((fixed.shape[1],), 0.0)
    ub.put(rows[None, :], fixed, 1.0)
    ub.put(rows[None, :], v["lng"][system.lng_non_eu_nodes], -1.0)


def asia_balance(eq: _Rows, v: Mapping[str, np.ndarray], inp: GasInputs) -> None:
    """Asia's flexible LNG (3.7), every month t; its dual is Asia's delivered price:

    sum_o a_{o,t} + sum_k qa_{k,t} - sum_k ua_{k,t} = A_t
    """
    rows = eq.equal(inp.asia_ref.shape, inp.asia_ref)
    eq.put(rows[None, :], v["lng_flex_asia"], 1.0)
    eq.put(rows[None, :], v["asia_down"], 1.0)
    eq.put(rows[None, :], v["asia_up"], -1.0)


# ---- inequality rows ----


def russian_route_caps(ub: _Rows, v: Mapping[str, np.ndarray], inp: GasInputs, system: GasSystem) -> None:
    """Russian route caps (3.6), every route r with an entry and month t, u_{r,t} its utilisation in month t
    (a dated path or a constant):

        sum_{e in r} x_{e,t} <= K-bar_r u_{r,t} d_t
    """
    for route in RUSSIAN_ROUTES:
        members = system.entries("russia", route)
        if len(members):
            rows = ub.at_most((len(inp.days),), inp.route_ub[route])
            ub.put(rows[None, :], v["entry"][members], 1.0)


def corridor_caps(ub: _Rows, v: Mapping[str, np.ndarray], inp: GasInputs, system: GasSystem) -> None:
    """Non-Russian corridors, base and extra tiers (3.6), every corridor c and month t:

        sum_{e in c} x_{e,t} - y_{c,t} <= B_{c,t}

    (y_{c,t} <= eta_c B_{c,t} is its column bound). Every corridor binds month by month: a horizon-wide row
    for the UK's corridors (its exporter's storage shaping deliveries) made the Irish price path non-unique.
    """
    for k, corridor in enumerate(corridor_ids(system)):
        members = system.entries("pipeline", corridor)
        rows = ub.at_most((len(inp.days),), inp.corridor_base[corridor])
        ub.put(rows[None, :], v["entry"][members], 1.0)
        ub.put(rows, v["pipe_extra"][k], -1.0)


def entry_group_caps(ub: _Rows, v: Mapping[str, np.ndarray], inp: GasInputs, system: GasSystem) -> None:
    """Caps on groups of a corridor's entries (3.6; Norway's continental pipes), every group g and month t:
    sum_{e in g} x_{e,t} <= G_g d_t."""
    for group, members, _ in system.entry_groups:
        rows = ub.at_most((len(inp.days),), inp.group_ub[group])
        ub.put(rows[None, :], v["entry"][members], 1.0)


def joint_point_caps(ub: _Rows, v: Mapping[str, np.ndarray], inp: GasInputs, system: GasSystem) -> None:
    """Border points shared by a Russian route's entry e and an arc a out of a non-EU node (3.6; Ukraine's exits
    into the EU at the transit's entry points, wider Europe), every such pair and month t:
    x_{e,t} + f_{a,t} <= K_e d_t."""
    for e, a in system.joint_points:
        rows = ub.at_most((len(inp.days),), inp.entry_ub[e])
        ub.put(rows, v["entry"][e], 1.0)
        ub.put(rows, v["flow"][a], 1.0)


def lng_flexible(ub: _Rows, v: Mapping[str, np.ndarray], inp: GasInputs) -> None:
    """Each origin's flexible cargoes go to Europe or to Asia (3.7), every origin o and month t:

    h_{o,t} + a_{o,t} <= F_{o,t}
    """
    rows = ub.at_most(inp.lng_flex.shape, inp.lng_flex)
    ub.put(rows, v["lng_flex_eu"], 1.0)
    ub.put(rows, v["lng_flex_asia"], 1.0)


def storage_targets(ub: _Rows, v: Mapping[str, np.ndarray], inp: GasInputs) -> None:
    """1 November storage target (3.5), binding up to the price cap, every storage country n and October tau:

    S_{n,tau} + mu_{n,tau} + sum_{t <= tau} e_{n,t} >= sigma*_n W_n,
    written  -S_{n,tau} - mu_{n,tau} - sum_{t <= tau} e_{n,t} <= -sigma*_n W_n

    (sigma*_n the target for EU27 nodes, 0 outside the EU, where Regulation 2017/1938 does not apply.)

    (mu costs the cap less TARGET_MARGIN: a target is missed only when the price reaches it; the top-up e, an
    obligation left unmet from month t on, covers this target and every later obligation, see end_of_horizon).
    """
    octobers = np.flatnonzero(inp.cal == 10)
    stores = np.flatnonzero(inp.storage_wgv > 0)
    if len(octobers) and len(stores):
        rows = ub.at_most((len(stores), len(octobers)), -(inp.target_fill * inp.storage_wgv)[stores, None])
        ub.put(rows, v["lvl"][stores][:, octobers], -1.0)
        ub.put(rows, v["tmiss"][stores], -1.0)
        starts = np.flatnonzero(topup_months(inp))
        for j, tau in enumerate(octobers):
            before = starts[starts <= tau]
            ub.put(rows[:, j : j + 1], v["topup"][stores][:, before], -1.0)


def terminal_value(ub: _Rows, v: Mapping[str, np.ndarray], inp: GasInputs) -> None:
    """Stored gas above the end floor carries a value V_n (EUR/MWh, 3.5): the carried volume k_n earns V_n, and

    k_n - S_{n,T} - sum_t e_{n,t} <= -sigma^end W_n   (k_n <= (1 - sigma^end) W_n is its column bound)

    The obligation top-up e counts here as it does in the end floor: an obligation left unmet does not make a unit
    carried past the horizon worth more than a unit met (without it, a unit in store in October met the target,
    cap - 1, and was then carried, up to cap - 1.5: 1,197 EUR/MWh at a node that rationed every customer to inject).
    """
    stores = np.flatnonzero(inp.storage_wgv > 0)
    if len(stores):
        rows = ub.at_most((len(stores),), -inp.end_fill * inp.storage_wgv[stores])
        ub.put(rows, v["carry"][stores], 1.0)
        ub.put(rows, v["lvl"][stores, -1], -1.0)
        ub.put(rows[:, None], v["topup"][stores][:, np.flatnonzero(topup_months(inp))], -1.0)


def end_of_horizon(ub: _Rows, v: Mapping[str, np.ndarray], inp: GasInputs) -> None:
    """End-of-horizon storage floor (3.5), every storage country n, with the obligation top-up e:

    S_{n,T} + sum_t e_{n,t} >= sigma^end W_n,   written  -S_{n,T} - sum_t e_{n,t} <= -sigma^end W_n

    e_{n,t} (open in each October and the last month, cost the cap less a storage cycle) is an obligation left
    unmet from month t on: it counts towards every target from t on and towards this floor, and is in no stock
    identity, so it is never gas and never serves a customer (it counts in the carried volume too, terminal_value).
    It keeps the floor feasible when rationing every
    customer could not meet it, and it bounds the value of the obligations a unit in store meets (all of them
    together, from any month) by the cap less a cycle: withdrawing a unit and topping up costs the cap.
    """
    _stock_floor(ub, v, inp, len(inp.days) - 1)


def stock_floors(ub: _Rows, v: Mapping[str, np.ndarray], inp: GasInputs) -> None:
    """Every gas year of the horizon ends with every store at least at the end floor (3.5), as the horizon does: every
    storage country n and every month tau that ends a gas year before the last month (every March at least 12 months
    into the horizon: inp.floor_months, system.gas_year_ends), with the obligation top-up e as in the end floor:

    S_{n,tau} + sum_{t <= tau} e_{n,t} >= sigma^end W_n,   written  -S_{n,tau} - sum_{t <= tau} e_{n,t} <= -sigma^end W_n

    A multi-year run cannot borrow from a later winter: its first gas year meets the condition a one-year run's end
    floor imposes (tests/test_gas_prices.py, the 24-month horizon).
    """
    for tau in inp.floor_months:
        _stock_floor(ub, v, inp, tau)


def _stock_floor(ub: _Rows, v: Mapping[str, np.ndarray], inp: GasInputs, tau: int) -> None:
    """One row per store: S_{n,tau} + sum_{t <= tau} e_{n,t} >= sigma^end W_n (``end_of_horizon``, ``stock_floors``)."""
    stores = np.flatnonzero(inp.storage_wgv > 0)
    if not len(stores):
        return
    starts = np.flatnonzero(topup_months(inp))
    rows = ub.at_most((len(stores),), -inp.end_fill * inp.storage_wgv[stores])
    ub.put(rows, v["lvl"][stores, tau], -1.0)
    ub.put(rows[:, None], v["topup"][stores][:, starts[starts <= tau]], -1.0)


# ---- assembly ----

# The LP has alternative optima (equal-cost sources, the timing of storage cycles), and a warm-started solve can
# land on another vertex than a cold one. A cost perturbation of at most TIE_BREAK EUR/MWh per column, fixed by
# the column's index, makes the optimum unique in practice; it moves no price by more than TIE_BREAK. The
# perturbations are pseudo-random numbers from a fixed seed, not an arithmetic sequence: with k times the golden
# ratio (the first version) two parallel blocks (an origin's cargoes to Europe and to Asia) differed by the same
# amount in every origin and month, so swapping cargoes between origins cost exactly nothing and the split of
# Europe's LNG by origin (Qatar's share of the gap) depended on the basis HiGHS started from.
TIE_BREAK = 1e-4
# The same for the duals: where the optimum is primal degenerate (a node's quantity exactly at a demand step's end,
# a store empty with nothing injected or withdrawn), its prices lie in an interval and which end HiGHS reports
# depends on the basis it started from. Every node balance with demand and the stock identity of every store get
# between RHS_TIE_BREAK and twice that mcm less on their right-hand side (less demand, a tiny storage loss: both
# always feasible, where more demand at a node rationed in full would not be), fixed by the row's index: the
# optimum is then not degenerate in practice, and the reported price is the value of the last unit served
# (the lower end of a degenerate interval). The balance moves by
# at most 2 x RHS_TIE_BREAK mcm a node-month; the solver's feasibility tolerances (econ/gas/solve.py) are a
# hundred times finer.
RHS_TIE_BREAK = 1e-7
_TIE_SEED = 20220223


def _tie_break(n: int, stream: int, key: str = "") -> np.ndarray:
    """n numbers in [0, 1), fixed: the first n of a seeded pseudo-random stream (0 for costs, 1 for the rows),
    one stream per ``key`` (a column block's name)."""
    return np.random.default_rng([_TIE_SEED, stream, zlib.crc32(key.encode())]).random(n)


_COST_TIE: dict[tuple, np.ndarray] = {}


def cost_tie_break(blocks: Mapping[str, np.ndarray], n: int) -> np.ndarray:
    """(n,) the cost perturbation of every column, in [0, 1) x TIE_BREAK: fixed by the column's block (its name)
    and its position inside the block, not by where the block sits in the LP, so that moving a block (or adding
    one) changes no other column's perturbation and hence not which of two tied countries is rationed. Computed
    once per layout of the blocks."""
    key = (
        TIE_BREAK,
        _TIE_SEED,
        n,
        *((name, idx.shape, int(idx.flat[0]) if idx.size else -1) for name, idx in blocks.items()),
    )
    hit = _COST_TIE.get(key)
    if hit is None:
        out = np.zeros(n)
        for name, idx in blocks.items():
            out[idx.ravel()] = _tie_break(idx.size, 0, name)
        hit = TIE_BREAK * out
        if len(_COST_TIE) >= 16:
            _COST_TIE.clear()
        _COST_TIE[key] = hit
    return hit


def arc_caps_from_flows(flow: np.ndarray) -> np.ndarray:
    """The national rule's link caps from the baseline's flows (A, T), each raised by RHS_TIE_BREAK to twice that
    (mcm, fixed by its index): caps equal to a solution's own flows make that solution degenerate (every used link
    exactly at its cap), and the baseline under the national rule then had prices that depended on the simplex's
    pricing rule (its peak price 45.29 or 45.41 EUR/MWh)."""
    return flow + RHS_TIE_BREAK * (1.0 + _tie_break(flow.size, 2).reshape(flow.shape))


_PATTERNS: dict[bytes, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}


def _pattern(rows: np.ndarray, cols: np.ndarray, n_rows: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(permutation of the coefficients into row-major order, indptr, indices): computed once per structure."""
    key = rows.tobytes() + b"|" + cols.tobytes()
    hit = _PATTERNS.get(key)
    if hit is None:
        order = np.lexsort((cols, rows))
        same = (np.diff(rows[order]) == 0) & (np.diff(cols[order]) == 0)
        if same.any():
            raise ValueError("the gas LP has two coefficients for one (row, column)")
        indptr = np.zeros(n_rows + 1, dtype=np.int32)
        np.cumsum(np.bincount(rows, minlength=n_rows), out=indptr[1:])
        hit = (order, indptr, cols[order].astype(np.int32))
        if len(_PATTERNS) >= 16:
            _PATTERNS.clear()
        _PATTERNS[key] = hit
    return hit


def build_lp(inp: GasInputs, system: GasSystem, arc_ub: np.ndarray | None = None) -> GasLP:
    """Assemble the LP (docs/methodology.md, gas, section 3): the variables, then each constraint family."""
    var = variables(inp, system, arc_ub)
    v = var.blocks
    rows = _Rows()
    node_balance(rows, v, inp, system)
    storage_stock(rows, v, inp)
    lng_pool(rows, v, inp)
    asia_first = rows.n
    asia_balance(rows, v, inp)
    n_eq = rows.n
    russian_route_caps(rows, v, inp, system)
    corridor_caps(rows, v, inp, system)
    entry_group_caps(rows, v, inp, system)
    joint_point_caps(rows, v, inp, system)
    lng_flexible(rows, v, inp)
    lng_destination(rows, v, system)
    storage_targets(rows, v, inp)
    end_of_horizon(rows, v, inp)
    stock_floors(rows, v, inp)
    terminal_value(rows, v, inp)
    r, c, vals = np.concatenate(rows.r), np.concatenate(rows.c), np.concatenate(rows.v)
    order, indptr, indices = _pattern(r, c, rows.n)
    cost = np.concatenate(var.cost)
    row_lower, row_upper = np.concatenate(rows.lo), np.concatenate(rows.up)
    # the node balances are rows 0..N*T-1 (those with demand to serve: a node-month with none might have nothing
    # to give way), the stock identities of the stores the next N*T (loss_cover, bounded by the loss, covers it)
    served = inp.demand.sum(axis=1) * (1.0 - inp.policy_share)[None, :]
    nodes = served.size
    tie = np.concatenate(
        [
            np.flatnonzero(served > 0),
            nodes + np.flatnonzero(np.broadcast_to(inp.storage_wgv[:, None] > 0, v["lvl"].shape)),
        ]
    )
    shift = RHS_TIE_BREAK * (1.0 + _tie_break(len(tie), 1))
    row_lower[tie] -= shift
    row_upper[tie] -= shift
    col_upper = np.concatenate(var.ub)
    stock_rows = tie >= nodes
    col_upper[v["loss_cover"].ravel()[tie[stock_rows] - nodes]] = shift[stock_rows]
    return GasLP(
        cost=cost + cost_tie_break(v, len(cost)),
        col_upper=col_upper,
        indptr=indptr,
        indices=indices,
        data=vals[order],
        row_lower=row_lower,
        row_upper=row_upper,
        n_eq=n_eq,
        blocks=v,
        rows={"node": np.arange(v["prod"].size).reshape(v["prod"].shape), "asia": np.arange(asia_first, n_eq)},
    )


def clear_patterns() -> None:
    """Forget the LP structures (and cost perturbations) computed so far."""
    _PATTERNS.clear()
    _COST_TIE.clear()
