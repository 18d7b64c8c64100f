"""Stage 2 of the gas model: the LP, assembled from its variables and one function per constraint family.

Each family's equation is in its docstring, in the notation of docs/methodology.md (gas, section 3). Rows are
added in a fixed order (equalities: node balance, storage stock, LNG pool; inequalities: Russian route caps,
corridor base and extra tiers, storage targets, end-of-horizon floor), so an LP of a given shape always has the
same sparsity structure: only costs, bounds, right-hand sides and a few coefficients change with the
parameters. The structure (the CSR pattern and the permutation into it) is computed once per shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ..data import GAS_SECTORS, PIPELINE_CORRIDORS, RUSSIAN_ROUTES
from .system import GasInputs, GasSystem

# Cost of each unit (EUR-like units per mcm; only their order matters, see
# docs/methodology.md): cheap domestic and pipeline gas, dearer LNG, dearer
# still LNG diverted from other markets; then demand reduction, missed storage
# targets and, by far the largest, unserved demand in order of priority.
COST = {
    "production": 1.0,
    "russia": 2.0,
    "pipeline": 3.0,
    "lng_base": 6.0,
    "pipeline_extra": 8.0,
    "lng_extra": 20.0,
    "storage_cycle": 0.5,
    "arc": 0.1,
    "demand_reduction": 100.0,
    "storage_end_miss": 250.0,
    "storage_target_miss": 300.0,
}
# Corridors whose exporter has storage and LNG of its own to shape deliveries over the year (the UK):
# their base volume binds over the horizon, not month by month.
SEASONAL_CORRIDORS = ("uk_iuk", "uk_bbl", "uk_moffat")
# Curtailment order: industry first, then power, services, households last. Each sector's
# penalty doubles the previous one, and within a sector the tiers below rise by at most 75%,
# so no tier of a sector ever costs more than the first tier of the next: the order is strict.
UNSERVED_PENALTY = {"industry": 1000.0, "power": 2000.0, "services": 4000.0, "households": 8000.0}
# Tiers: the marginal damage of a cut rises with its depth (as a share of the sector's demand
# after reduction), which spreads a shortage across connected countries instead of piling it
# on one; fine tiers near zero keep that spreading close to proportional for usual shortfalls.
UNSERVED_TIERS = (
    (0.02, 1.0),
    (0.03, 1.15),
    (0.05, 1.3),
    (0.10, 1.45),
    (0.20, 1.6),
    (0.60, 1.75),
)  # (width, multiplier)


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
    """Every variable block with its upper bound and cost (lower bounds are all 0).

    Production p (<= P), entries x (<= K_e d_t), LNG send-out l (<= L-bar), pool shares beta, xi (<= 1, costed
    at c_Lb sum_o L^b and c_Lx sum_o L^x), injection i and withdrawal w (<= I d_t, Omega d_t), level S (<= W),
    target and floor misses mu, eps (free where there is storage, else 0), reduction rho (<= rho-bar_t, costed
    at c_R D_{n,t}), unserved z by tier (<= omega_k (1 - rho-bar_t) D), flows f (<= F-bar d_t, or the baseline
    flow under the national rule) and the corridors' extra tier y (<= eta_c B).
    """
    n_nodes, n_sec, n_t = inp.demand.shape
    var = _Columns()
    var.add("prod", (n_nodes, n_t), inp.production, COST["production"])
    entry_cost = np.array([COST["russia"] if k == "russia" else COST["pipeline"] for k in system.entry_kind])
    var.add("entry", (len(system.entry_node), n_t), inp.entry_ub, entry_cost[:, None])
    var.add("lng", (n_nodes, n_t), inp.regas_ub, 0.0)
    var.add("lng_base_frac", (n_t,), 1.0, COST["lng_base"] * inp.lng_base.sum(axis=0))
    var.add("lng_extra_frac", (n_t,), 1.0, COST["lng_extra"] * inp.lng_extra.sum(axis=0))
    var.add("inj", (n_nodes, n_t), inp.inj_ub, COST["storage_cycle"])
    var.add("wd", (n_nodes, n_t), inp.wd_ub, COST["storage_cycle"])
    var.add("lvl", (n_nodes, n_t), inp.storage_wgv[:, None], 0.0)
    has_storage = inp.storage_wgv > 0
    n_oct = int((inp.cal == 10).sum())
    var.add("tmiss", (n_nodes, n_oct), np.where(has_storage, np.inf, 0.0)[:, None], COST["storage_target_miss"])
    var.add("emiss", (n_nodes,), np.where(has_storage, np.inf, 0.0), COST["storage_end_miss"])
    demand_tot = inp.demand.sum(axis=1)  # (N, T)
    var.add("red", (n_nodes, n_t), inp.reduction_max[None, :], COST["demand_reduction"] * demand_tot)
    served_max = (1.0 - inp.reduction_max[None, None, :]) * inp.demand  # (N, S, T)
    for k, (width, mult) in enumerate(UNSERVED_TIERS):
        pen = np.array([UNSERVED_PENALTY[s] for s in GAS_SECTORS]) * mult
        var.add(f"uns{k}", (n_nodes, n_sec, n_t), width * served_max, pen[None, :, None])
    flow_ub = inp.arc_ub if arc_ub is None else np.minimum(inp.arc_ub, arc_ub)
    var.add("flow", (len(system.arc_from), n_t), flow_ub, COST["arc"])
    corridors = corridor_ids(system)
    var.add(
        "pipe_extra",
        (len(corridors), n_t),
        np.array([inp.corridor_extra[c] for c in corridors]).reshape(len(corridors), n_t),
        COST["pipeline_extra"],
    )
    return var


def corridor_ids(system: GasSystem) -> list[str]:
    """The non-Russian corridors with an entry into the model's nodes, in registry order."""
    return [c for c in PIPELINE_CORRIDORS if c in system.entry_source]


# ---- equality rows ----


def node_balance(eq: _Rows, v: Mapping[str, np.ndarray], inp: GasInputs, system: GasSystem) -> None:
    """Node balance (3.4), every node n and month t:

    p_{n,t} + sum_{e: n(e)=n} x_{e,t} + l_{n,t} + w_{n,t} - i_{n,t}
    + sum_{a=(j->n)} f_{a,t} - sum_{a=(n->j)} f_{a,t} + rho_{n,t} D_{n,t} + sum_s sum_k z_{n,s,t,k} = D_{n,t}
    """
    demand_tot = inp.demand.sum(axis=1)
    node = eq.equal(demand_tot.shape, demand_tot)
    eq.put(node, v["prod"], 1.0)
    eq.put(node[system.entry_node], v["entry"], 1.0)
    eq.put(node, v["lng"], 1.0)
    eq.put(node, v["wd"], 1.0)
    eq.put(node, v["inj"], -1.0)
    eq.put(node[system.arc_to], v["flow"], 1.0)
    eq.put(node[system.arc_from], v["flow"], -1.0)
    eq.put(node, v["red"], demand_tot)
    for k in range(len(UNSERVED_TIERS)):
        eq.put(node[:, None, :], v[f"uns{k}"], 1.0)


def storage_stock(eq: _Rows, v: Mapping[str, np.ndarray], inp: GasInputs) -> None:
    """Storage stock identity (3.5), every node n and month t:

    S_{n,t} - S_{n,t-1} - i_{n,t} + w_{n,t} = 0,   with S_{n,0} = sigma_0 W_n (moved to the right-hand side)
    """
    n_nodes, n_t = v["lvl"].shape
    rhs = np.zeros((n_nodes, n_t))
    rhs[:, 0] = inp.storage_start
    stock = eq.equal((n_nodes, n_t), rhs)
    eq.put(stock, v["lvl"], 1.0)
    eq.put(stock[:, 1:], v["lvl"][:, :-1], -1.0)
    eq.put(stock, v["inj"], -1.0)
    eq.put(stock, v["wd"], 1.0)


def lng_pool(eq: _Rows, v: Mapping[str, np.ndarray], inp: GasInputs) -> None:
    """Europe-wide LNG pool (3.7), every month t:

    sum_n l_{n,t} - beta_t sum_o L^b_{o,t} - xi_t sum_o L^x_{o,t} = 0
    """
    pool = eq.equal(v["lng_base_frac"].shape, 0.0)
    eq.put(pool[None, :], v["lng"], 1.0)
    eq.put(pool, v["lng_base_frac"], -inp.lng_base.sum(axis=0))
    eq.put(pool, v["lng_extra_frac"], -inp.lng_extra.sum(axis=0))


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
    """Non-Russian corridors, base and extra tiers (3.6): for c not in C^UK, every month t,

        sum_{e in c} x_{e,t} - y_{c,t} <= B_{c,t}

    and for the seasonal UK corridors c in C^UK, one row over the horizon,

        sum_t sum_{e in c} x_{e,t} - sum_t y_{c,t} <= sum_t B_{c,t}

    (y_{c,t} <= eta_c B_{c,t} is its column bound).
    """
    for k, corridor in enumerate(corridor_ids(system)):
        members = system.entries("pipeline", corridor)
        if corridor in SEASONAL_CORRIDORS:
            rows = ub.at_most((1,), inp.corridor_base[corridor].sum())
            ub.put(rows[:, None, None], v["entry"][members][None, :, :], 1.0)
            ub.put(rows[:, None], v["pipe_extra"][k][None, :], -1.0)
        else:
            rows = ub.at_most((len(inp.days),), inp.corridor_base[corridor])
            ub.put(rows[None, :], v["entry"][members], 1.0)
            ub.put(rows, v["pipe_extra"][k], -1.0)


def storage_targets(ub: _Rows, v: Mapping[str, np.ndarray], inp: GasInputs) -> None:
    """1 November storage target (3.5), soft, every storage country n and October tau in Theta:

    S_{n,tau} + mu_{n,tau} >= sigma* W_n,   written  -S_{n,tau} - mu_{n,tau} <= -sigma* W_n
    """
    octobers = np.flatnonzero(inp.cal == 10)
    stores = np.flatnonzero(inp.storage_wgv > 0)
    if len(octobers) and len(stores):
        rows = ub.at_most((len(stores), len(octobers)), -inp.target_fill * inp.storage_wgv[stores, None])
        ub.put(rows, v["lvl"][stores][:, octobers], -1.0)
        ub.put(rows, v["tmiss"][stores], -1.0)


def end_of_horizon(ub: _Rows, v: Mapping[str, np.ndarray], inp: GasInputs) -> None:
    """End-of-horizon storage floor (3.5), soft, every storage country n:

    S_{n,T} + eps_n >= sigma^end W_n,   written  -S_{n,T} - eps_n <= -sigma^end W_n
    """
    stores = np.flatnonzero(inp.storage_wgv > 0)
    if len(stores):
        rows = ub.at_most((len(stores),), -inp.end_fill * inp.storage_wgv[stores])
        ub.put(rows, v["lvl"][stores, -1], -1.0)
        ub.put(rows, v["emiss"][stores], -1.0)


# ---- assembly ----

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
    n_eq = rows.n
    russian_route_caps(rows, v, inp, system)
    corridor_caps(rows, v, inp, system)
    storage_targets(rows, v, inp)
    end_of_horizon(rows, v, inp)
    r, c, vals = np.concatenate(rows.r), np.concatenate(rows.c), np.concatenate(rows.v)
    order, indptr, indices = _pattern(r, c, rows.n)
    return GasLP(
        cost=np.concatenate(var.cost),
        col_upper=np.concatenate(var.ub),
        indptr=indptr,
        indices=indices,
        data=vals[order],
        row_lower=np.concatenate(rows.lo),
        row_upper=np.concatenate(rows.up),
        n_eq=n_eq,
        blocks=v,
    )


def clear_patterns() -> None:
    """Forget the LP structures computed so far."""
    _PATTERNS.clear()
