"""Europe's gas balance: an EU country x month network linear program.

Nodes are the EU member states that use gas; arcs are the cross-border
interconnectors. Each month, every node balances

    production + pipeline imports (by corridor and Russian route) + LNG send-out
    + storage withdrawal - storage injection + inflows - outflows
    = demand - demand reduction - unserved demand

and storage carries gas from month to month. The LP minimises the cost of
supply plus penalties for demand reduction, for missing the storage targets
and, far larger, for unserved demand, which rise with the sector's priority
(industry is curtailed first, households last) and with the depth of the cut.
See docs/methodology.md for every equation and calibration.

The Russian volume lost, and how it was covered, is measured against a
reference run of the same model in which every Russian route runs at its
registry default (2021) utilisation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import highspy
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.optimize import linprog

from .data import GAS_SECTORS, LNG_ORIGINS, PIPELINE_CORRIDORS, RUSSIAN_ROUTES, Data
from .model import BatchResult, Metric, MetricInfo, ModuleResult
from .params import ParamBatch, Params
from .time import horizon

GEOGRAPHY = "EU27"

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

ROUTE_PARAM = {r: f"gas.russia.{r}.utilisation" for r in RUSSIAN_ROUTES}
RUSSIA_LNG_PARAM = "gas.russia.lng.utilisation"
RUSSIAN_PARAMS = tuple(ROUTE_PARAM.values()) + (RUSSIA_LNG_PARAM,)


@dataclass(frozen=True)
class GasSystem:
    """The parameter-free part of the model: arrays derived once from the data."""

    countries: tuple[str, ...]
    demand_annual: np.ndarray  # (N, S) bcm/yr
    profile: np.ndarray  # (12, S) share of annual demand in each calendar month
    production: np.ndarray  # (N,) bcm/yr
    entry_kind: tuple[str, ...]  # (P,) "russia" or "pipeline"
    entry_source: tuple[str, ...]  # (P,) route or corridor id
    entry_node: np.ndarray  # (P,) node index
    entry_capacity: np.ndarray  # (P,) mcm/d technical
    route_capacity: Mapping[str, float]  # mcm/d, sum over entries
    route_flow_2021: Mapping[str, float]  # bcm/yr
    corridor_base: Mapping[str, float]  # bcm/yr
    regas: np.ndarray  # (N,) bcm/yr
    lng_base: Mapping[str, float]  # origin -> EU imports, bcm/yr
    lng_capacity: Mapping[str, float]  # origin -> export capacity, bcm/yr
    storage_wgv: np.ndarray  # (N,) bcm
    storage_inj: np.ndarray  # (N,) mcm/d
    storage_wd: np.ndarray  # (N,) mcm/d
    arc_from: np.ndarray  # (A,)
    arc_to: np.ndarray  # (A,)
    arc_capacity: np.ndarray  # (A,) mcm/d


@lru_cache(maxsize=4)
def _system_cached(data: Data) -> GasSystem:
    demand = data["gas_demand_annual"]
    countries = tuple(sorted(demand["country"].unique()))
    idx = {c: i for i, c in enumerate(countries)}
    n, s = len(countries), len(GAS_SECTORS)
    d = np.zeros((n, s))
    for row in demand.itertuples(index=False):
        d[idx[row.country], GAS_SECTORS.index(row.sector)] = row.demand_bcm_per_year
    prof_df = data["gas_demand_monthly_profile"]
    profile = np.zeros((12, s))
    for row in prof_df.itertuples(index=False):
        profile[row.month - 1, GAS_SECTORS.index(row.sector)] = row.share_of_annual

    def by_country(table: str, col: str) -> np.ndarray:
        out = np.zeros(n)
        for c, v in zip(data[table]["country"], data[table][col]):
            if c in idx:
                out[idx[c]] += v
        return out

    routes = data["gas_russian_routes"]
    corridors = data["gas_pipeline_supply"]
    kinds, sources, nodes, caps = [], [], [], []
    for row in routes.itertuples(index=False):
        if row.entry_country in idx:
            kinds.append("russia")
            sources.append(row.route)
            nodes.append(idx[row.entry_country])
            caps.append(row.capacity_mcm_per_day)
    for row in corridors.itertuples(index=False):
        if row.entry_country in idx:
            kinds.append("pipeline")
            sources.append(row.corridor)
            nodes.append(idx[row.entry_country])
            caps.append(row.capacity_mcm_per_day)
    route_capacity = {r: float(routes.loc[routes.route == r, "capacity_mcm_per_day"].sum()) for r in RUSSIAN_ROUTES}
    route_flow = {r: float(routes.loc[routes.route == r, "flow_2021_bcm"].sum()) for r in RUSSIAN_ROUTES}
    corridor_base = {
        c: float(corridors.loc[corridors.corridor == c, "flow_base_bcm_per_year"].sum()) for c in PIPELINE_CORRIDORS
    }

    lng_imp = data["gas_lng_imports"]
    lng_base = {o: float(lng_imp.loc[lng_imp.origin == o, "lng_bcm_per_year"].sum()) for o in LNG_ORIGINS}
    exporters = data["gas_lng_exporters"].set_index("origin")
    lng_capacity = {
        o: float(exporters.loc[o, "export_capacity_bcm_per_year"]) if o in exporters.index else 0.0 for o in LNG_ORIGINS
    }

    arcs = data["gas_interconnectors"]
    arcs = arcs[arcs.from_country.isin(idx) & arcs.to_country.isin(idx) & (arcs.capacity_mcm_per_day > 0)]
    return GasSystem(
        countries=countries,
        demand_annual=d,
        profile=profile,
        production=by_country("gas_production", "production_bcm_per_year"),
        entry_kind=tuple(kinds),
        entry_source=tuple(sources),
        entry_node=np.array(nodes, dtype=int),
        entry_capacity=np.array(caps, dtype=float),
        route_capacity=route_capacity,
        route_flow_2021=route_flow,
        corridor_base=corridor_base,
        regas=by_country("gas_lng_terminals", "regas_capacity_bcm_per_year"),
        lng_base=lng_base,
        lng_capacity=lng_capacity,
        storage_wgv=by_country("gas_storage", "working_gas_bcm"),
        storage_inj=by_country("gas_storage", "injection_mcm_per_day"),
        storage_wd=by_country("gas_storage", "withdrawal_mcm_per_day"),
        arc_from=np.array([idx[c] for c in arcs.from_country], dtype=int),
        arc_to=np.array([idx[c] for c in arcs.to_country], dtype=int),
        arc_capacity=arcs.capacity_mcm_per_day.to_numpy(dtype=float),
    )


def gas_system(data: Data) -> GasSystem:
    return _system_cached(data)


def route_utilisation_2021(system: GasSystem) -> dict[str, float]:
    """2021 flow / technical capacity per route: the registry's default utilisations."""
    out = {}
    for r in RUSSIAN_ROUTES:
        cap_bcm = system.route_capacity[r] * 365 / 1000
        out[r] = system.route_flow_2021[r] / cap_bcm if cap_bcm > 0 else 0.0
    return out


@dataclass(frozen=True)
class GasInputs:
    """Everything the LP needs for one parameter set, in mcm per month."""

    months: list[str]
    days: np.ndarray  # (T,)
    cal: np.ndarray  # (T,)
    demand: np.ndarray  # (N, S, T) mcm before reduction
    reduction_max: float
    production: np.ndarray  # (N, T) mcm
    entry_ub: np.ndarray  # (P, T) mcm
    route_ub: dict[str, np.ndarray]  # route -> (T,) mcm
    corridor_base: dict[str, np.ndarray]  # corridor -> (T,) mcm at the base-year rate
    corridor_extra: dict[str, np.ndarray]  # corridor -> (T,) mcm of headroom above it
    regas_ub: np.ndarray  # (N, T) mcm
    lng_base: np.ndarray  # (O, T) mcm available from each origin at base
    lng_extra: np.ndarray  # (O, T) mcm extra divertible to Europe
    storage_start: np.ndarray  # (N,) mcm
    storage_wgv: np.ndarray  # (N,) mcm
    inj_ub: np.ndarray  # (N, T) mcm
    wd_ub: np.ndarray  # (N, T) mcm
    target_fill: float
    end_fill: float
    arc_ub: np.ndarray  # (A, T) mcm


def build_inputs(params: Params, system: GasSystem) -> GasInputs:
    months, days, cal = horizon(str(params["gas.start_month"]), int(params["gas.horizon_months"]))
    year_frac = days / 365.0
    scale = params.float("gas.demand.scale")
    # bcm/yr x share of the year -> bcm; x 1000 -> mcm
    demand = 1000.0 * scale * system.demand_annual[:, :, None] * system.profile[cal - 1].T[None, :, :]
    production = 1000.0 * np.outer(system.production * (1 + params.float("gas.production.change_share")), year_frac)
    entry_ub = np.outer(system.entry_capacity, days)
    route_ub = {r: system.route_capacity[r] * params.float(ROUTE_PARAM[r]) * days for r in RUSSIAN_ROUTES}
    extra_pipe = {
        c: params.float("gas.pipeline.norway.extra_share")
        if c == "norway"
        else params.float("gas.pipeline.other.extra_share")
        for c in PIPELINE_CORRIDORS
    }
    corridor_base = {c: 1000.0 * system.corridor_base[c] * year_frac for c in PIPELINE_CORRIDORS}
    corridor_extra = {c: corridor_base[c] * extra_pipe[c] for c in PIPELINE_CORRIDORS}
    regas_ub = 1000.0 * np.outer(system.regas * params.float("gas.lng.regas_max_utilisation"), year_frac)
    base = np.array([system.lng_base[o] for o in LNG_ORIGINS])
    base[LNG_ORIGINS.index("russia")] *= params.float(RUSSIA_LNG_PARAM)
    extra = np.zeros(len(LNG_ORIGINS))
    extra[LNG_ORIGINS.index("qatar")] = params.float("gas.lng.qatar.divertible_share") * system.lng_capacity["qatar"]
    extra[LNG_ORIGINS.index("us")] = params.float("gas.lng.us.divertible_share") * system.lng_capacity["us"]
    for o in ("nigeria", "algeria", "other"):
        extra[LNG_ORIGINS.index(o)] = params.float("gas.lng.other.extra_share") * system.lng_base[o]
    wgv = 1000.0 * system.storage_wgv
    return GasInputs(
        months=months,
        days=days,
        cal=cal,
        demand=demand,
        reduction_max=params.float("gas.demand.reduction_share"),
        production=production,
        entry_ub=entry_ub,
        route_ub=route_ub,
        corridor_base=corridor_base,
        corridor_extra=corridor_extra,
        regas_ub=regas_ub,
        lng_base=1000.0 * np.outer(base, year_frac),
        lng_extra=1000.0 * np.outer(extra, year_frac),
        storage_start=wgv * params.float("gas.storage.initial_fill"),
        storage_wgv=wgv,
        inj_ub=np.outer(system.storage_inj, days),
        wd_ub=np.outer(system.storage_wd, days),
        target_fill=params.float("gas.storage.target_fill"),
        end_fill=params.float("gas.storage.end_fill"),
        arc_ub=np.outer(system.arc_capacity, days),
    )


class _Blocks:
    """Allocates LP variables in named blocks and collects bounds and costs."""

    def __init__(self) -> None:
        self.n = 0
        self.ub: list[np.ndarray] = []
        self.cost: list[np.ndarray] = []

    def add(self, shape: tuple[int, ...], ub, cost) -> np.ndarray:
        size = int(np.prod(shape))
        idx = np.arange(self.n, self.n + size).reshape(shape)
        self.n += size
        self.ub.append(np.broadcast_to(np.asarray(ub, dtype=float), shape).ravel())
        self.cost.append(np.broadcast_to(np.asarray(cost, dtype=float), shape).ravel())
        return idx


class _Rows:
    def __init__(self) -> None:
        self.n = 0
        self.r: list[np.ndarray] = []
        self.c: list[np.ndarray] = []
        self.v: list[np.ndarray] = []
        self.rhs: list[np.ndarray] = []

    def new(self, shape: tuple[int, ...], rhs) -> np.ndarray:
        size = int(np.prod(shape))
        idx = np.arange(self.n, self.n + size).reshape(shape)
        self.n += size
        self.rhs.append(np.broadcast_to(np.asarray(rhs, dtype=float), shape).ravel())
        return idx

    def put(self, rows, cols, vals) -> None:
        rows, cols = np.broadcast_arrays(np.asarray(rows), np.asarray(cols))
        vals = np.broadcast_to(np.asarray(vals, dtype=float), rows.shape)
        self.r.append(rows.ravel())
        self.c.append(cols.ravel())
        self.v.append(vals.ravel())

    def matrix(self, n_cols: int):
        if self.n == 0:
            return None, None
        a = sp.csr_matrix(
            (np.concatenate(self.v), (np.concatenate(self.r), np.concatenate(self.c))), shape=(self.n, n_cols)
        )
        return a, np.concatenate(self.rhs)


@dataclass(frozen=True)
class GasSolution:
    status: str  # "ok", "infeasible", "unbounded", "failed"
    message: str
    objective: float
    production: np.ndarray | None = None  # (N, T) mcm
    entry: np.ndarray | None = None  # (P, T)
    lng: np.ndarray | None = None  # (N, T)
    lng_by_origin: np.ndarray | None = None  # (O, 2, T): base, extra
    injection: np.ndarray | None = None
    withdrawal: np.ndarray | None = None
    level: np.ndarray | None = None  # (N, T) end of month
    reduction: np.ndarray | None = None  # (N, S, T) mcm
    unserved: np.ndarray | None = None  # (N, S, T) mcm
    flow: np.ndarray | None = None  # (A, T)
    target_miss: np.ndarray | None = None  # (N, number of Octobers)
    end_miss: np.ndarray | None = None  # (N,)


_STATUS = {2: "infeasible", 3: "unbounded", 1: "iteration limit", 4: "numerical difficulties"}


@dataclass(frozen=True)
class GasLP:
    """The assembled LP in scipy's form, with the index of every variable block."""

    cost: np.ndarray
    bounds: np.ndarray
    a_eq: sp.csr_matrix
    b_eq: np.ndarray
    a_ub: sp.csr_matrix | None
    b_ub: np.ndarray | None
    blocks: Mapping[str, np.ndarray]


def build_lp(inp: GasInputs, system: GasSystem, arc_ub: np.ndarray | None = None) -> GasLP:
    """Assemble cost vector, bounds and constraint matrices (see docs/methodology.md, gas)."""
    n_nodes, n_sec, n_t = inp.demand.shape
    n_entries = len(system.entry_node)
    n_arcs = len(system.arc_from)
    var = _Blocks()
    prod = var.add((n_nodes, n_t), inp.production, COST["production"])
    entry_cost = np.array([COST["russia"] if k == "russia" else COST["pipeline"] for k in system.entry_kind])
    entry = var.add((n_entries, n_t), inp.entry_ub, entry_cost[:, None])
    lng = var.add((n_nodes, n_t), inp.regas_ub, 0.0)
    base_total = inp.lng_base.sum(axis=0)
    extra_total = inp.lng_extra.sum(axis=0)
    lng_base_frac = var.add((n_t,), 1.0, COST["lng_base"] * base_total)
    lng_extra_frac = var.add((n_t,), 1.0, COST["lng_extra"] * extra_total)
    inj = var.add((n_nodes, n_t), inp.inj_ub, COST["storage_cycle"])
    wd = var.add((n_nodes, n_t), inp.wd_ub, COST["storage_cycle"])
    lvl = var.add((n_nodes, n_t), inp.storage_wgv[:, None], 0.0)
    octobers = np.flatnonzero(inp.cal == 10)
    has_storage = inp.storage_wgv > 0
    tmiss = var.add((n_nodes, len(octobers)), np.where(has_storage, np.inf, 0.0)[:, None], COST["storage_target_miss"])
    emiss = var.add((n_nodes,), np.where(has_storage, np.inf, 0.0), COST["storage_end_miss"])
    demand_tot = inp.demand.sum(axis=1)  # (N, T)
    red = var.add((n_nodes, n_t), inp.reduction_max, COST["demand_reduction"] * demand_tot)
    served_max = (1.0 - inp.reduction_max) * inp.demand  # (N, S, T)
    uns_tiers = []
    for width, mult in UNSERVED_TIERS:
        pen = np.array([UNSERVED_PENALTY[s] for s in GAS_SECTORS]) * mult
        uns_tiers.append(var.add((n_nodes, n_sec, n_t), width * served_max, pen[None, :, None]))
    flow_ub = inp.arc_ub if arc_ub is None else np.minimum(inp.arc_ub, arc_ub)
    flow = var.add((n_arcs, n_t), flow_ub, COST["arc"])
    corridor_ids = [c for c in PIPELINE_CORRIDORS if c in system.entry_source]
    pipe_extra = var.add(
        (len(corridor_ids), n_t), np.array([inp.corridor_extra[c] for c in corridor_ids]), COST["pipeline_extra"]
    )

    eq = _Rows()
    node = eq.new((n_nodes, n_t), demand_tot)
    eq.put(node, prod, 1.0)
    eq.put(node[system.entry_node], entry, 1.0)
    eq.put(node, lng, 1.0)
    eq.put(node, wd, 1.0)
    eq.put(node, inj, -1.0)
    eq.put(node[system.arc_to], flow, 1.0)
    eq.put(node[system.arc_from], flow, -1.0)
    eq.put(node, red, demand_tot)
    for u in uns_tiers:
        eq.put(node[:, None, :], u, 1.0)
    stock_rhs = np.zeros((n_nodes, n_t))
    stock_rhs[:, 0] = inp.storage_start
    stock = eq.new((n_nodes, n_t), stock_rhs)
    eq.put(stock, lvl, 1.0)
    eq.put(stock[:, 1:], lvl[:, :-1], -1.0)
    eq.put(stock, inj, -1.0)
    eq.put(stock, wd, 1.0)
    pool = eq.new((n_t,), 0.0)
    eq.put(pool[None, :], lng, 1.0)
    eq.put(pool, lng_base_frac, -base_total)
    eq.put(pool, lng_extra_frac, -extra_total)

    ub = _Rows()
    kinds = np.array(system.entry_kind)
    sources = np.array(system.entry_source)
    for route in RUSSIAN_ROUTES:
        members = np.flatnonzero((kinds == "russia") & (sources == route))
        if len(members):
            rows = ub.new((n_t,), inp.route_ub[route])
            ub.put(rows[None, :], entry[members], 1.0)
    for k, corridor in enumerate(corridor_ids):
        members = np.flatnonzero((kinds == "pipeline") & (sources == corridor))
        if corridor in SEASONAL_CORRIDORS:
            rows = ub.new((1,), inp.corridor_base[corridor].sum())
            ub.put(rows[:, None, None], entry[members][None, :, :], 1.0)
            ub.put(rows[:, None], pipe_extra[k][None, :], -1.0)
        else:
            rows = ub.new((n_t,), inp.corridor_base[corridor])
            ub.put(rows[None, :], entry[members], 1.0)
            ub.put(rows, pipe_extra[k], -1.0)
    stores = np.flatnonzero(has_storage)
    if len(octobers) and len(stores):
        rows = ub.new((len(stores), len(octobers)), -inp.target_fill * inp.storage_wgv[stores, None])
        ub.put(rows, lvl[stores][:, octobers], -1.0)
        ub.put(rows, tmiss[stores], -1.0)
    if len(stores):
        rows = ub.new((len(stores),), -inp.end_fill * inp.storage_wgv[stores])
        ub.put(rows, lvl[stores, n_t - 1], -1.0)
        ub.put(rows, emiss[stores], -1.0)

    a_eq, b_eq = eq.matrix(var.n)
    a_ub, b_ub = ub.matrix(var.n)
    blocks = {
        "prod": prod,
        "entry": entry,
        "lng": lng,
        "lng_base_frac": lng_base_frac,
        "lng_extra_frac": lng_extra_frac,
        "inj": inj,
        "wd": wd,
        "lvl": lvl,
        "tmiss": tmiss,
        "emiss": emiss,
        "red": red,
        "flow": flow,
        "pipe_extra": pipe_extra,
        **{f"uns{k}": u for k, u in enumerate(uns_tiers)},
    }
    bounds = np.column_stack([np.zeros(var.n), np.concatenate(var.ub)])
    return GasLP(np.concatenate(var.cost), bounds, a_eq, b_eq, a_ub, b_ub, blocks)


class WarmStartLP:
    """One HiGHS model reused for a sequence of LPs with the same structure (a Monte Carlo over parameters).

    Only what differs from the previous LP is passed to the solver (costs, bounds, right-hand sides and the
    matrix coefficients that changed), and the dual simplex starts from the previous optimal basis, which
    is usually a few pivots away. An LP of another shape (another horizon) starts a new model. The result
    of a sequence depends only on the sequence, so a chunk of draws gives the same numbers in any process.
    """

    def __init__(self) -> None:
        self._highs = None
        self._shape: tuple | None = None
        self._last: tuple = ()

    def _fresh(self, lp: GasLP, a: sp.csr_matrix, row_lo: np.ndarray, row_up: np.ndarray) -> None:
        h = highspy.Highs()
        for option, value in (
            ("output_flag", False),
            ("solver", "simplex"),
            ("simplex_strategy", 1),
            ("presolve", "off"),
        ):
            h.setOptionValue(option, value)
        model = highspy.HighsLp()
        model.num_col_, model.num_row_ = a.shape[1], a.shape[0]
        model.col_cost_, model.col_lower_, model.col_upper_ = lp.cost, lp.bounds[:, 0], lp.bounds[:, 1]
        model.row_lower_, model.row_upper_ = row_lo, row_up
        model.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        model.a_matrix_.start_, model.a_matrix_.index_, model.a_matrix_.value_ = a.indptr, a.indices, a.data
        h.passModel(model)
        self._highs, self._shape = h, (a.shape, a.indptr.tobytes(), a.indices.tobytes())
        self._last = (lp.cost.copy(), lp.bounds.copy(), row_lo, row_up, a.data.copy())

    def _update(self, lp: GasLP, a: sp.csr_matrix, row_lo: np.ndarray, row_up: np.ndarray) -> None:
        """Pass the changes only: HiGHS's change calls cost time per entry, and most entries stay put."""
        h = self._highs
        cost, bounds, lo, up, values = self._last
        cols = np.flatnonzero(lp.cost != cost).astype(np.int32)
        if len(cols):
            h.changeColsCost(len(cols), cols, lp.cost[cols])
        cols = np.flatnonzero((lp.bounds != bounds).any(axis=1)).astype(np.int32)
        if len(cols):
            h.changeColsBounds(len(cols), cols, lp.bounds[cols, 0], lp.bounds[cols, 1])
        rows = np.flatnonzero((row_lo != lo) | (row_up != up)).astype(np.int32)
        if len(rows):
            h.changeRowsBounds(len(rows), rows, row_lo[rows], row_up[rows])
        changed = np.flatnonzero(a.data != values)
        if len(changed):
            row_of = np.repeat(np.arange(a.shape[0]), np.diff(a.indptr))
            for k in changed:
                h.changeCoeff(int(row_of[k]), int(a.indices[k]), float(a.data[k]))
        self._last = (lp.cost.copy(), lp.bounds.copy(), row_lo, row_up, a.data.copy())

    def solve(self, lp: GasLP) -> tuple[int, np.ndarray | None, float, str]:
        """(scipy-style status, x, objective, message) of the LP."""
        blocks = [m for m in (lp.a_eq, lp.a_ub) if m is not None]
        a = sp.vstack(blocks, format="csr")
        a.sort_indices()
        n_eq = lp.a_eq.shape[0]
        row_up = np.concatenate([lp.b_eq, lp.b_ub if lp.b_ub is not None else []])
        row_lo = row_up.copy()
        row_lo[n_eq:] = -np.inf
        if self._highs is None or self._shape != (a.shape, a.indptr.tobytes(), a.indices.tobytes()):
            self._fresh(lp, a, row_lo, row_up)
        else:
            self._update(lp, a, row_lo, row_up)
        h = self._highs
        h.run()
        status = h.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            return 0, np.asarray(h.getSolution().col_value), h.getInfo().objective_function_value, ""
        self._highs = None  # a failed solve leaves no basis worth starting from
        code = {
            highspy.HighsModelStatus.kInfeasible: 2,
            highspy.HighsModelStatus.kUnbounded: 3,
            highspy.HighsModelStatus.kIterationLimit: 1,
        }.get(status, 4)
        return code, None, float("nan"), h.modelStatusToString(status)


def solve(
    inp: GasInputs, system: GasSystem, arc_ub: np.ndarray | None = None, session: WarmStartLP | None = None
) -> GasSolution:
    """Build and solve the LP (scipy's linprog, or a warm-started ``session``). A solver failure is returned
    as a status, never raised."""
    lp = build_lp(inp, system, arc_ub)
    if session is not None:
        code, x, fun, message = session.solve(lp)
    else:
        try:
            res = linprog(
                lp.cost,
                A_ub=lp.a_ub,
                b_ub=lp.b_ub,
                A_eq=lp.a_eq,
                b_eq=lp.b_eq,
                bounds=lp.bounds,
                method="highs-ds",
                options={"presolve": False},
            )
        except ValueError as exc:  # malformed input (e.g. NaN bounds) is reported, not raised
            return GasSolution("failed", f"the LP could not be set up: {exc}", float("nan"))
        code, x, fun, message = res.status, res.x, res.fun, res.message
    if code != 0:
        return GasSolution(_STATUS.get(code, "failed"), f"HiGHS: {message}", float("nan"))
    b = lp.blocks
    base_used = x[b["lng_base_frac"]][None, :] * inp.lng_base
    extra_used = x[b["lng_extra_frac"]][None, :] * inp.lng_extra
    return GasSolution(
        status="ok",
        message="",
        objective=float(fun),
        production=x[b["prod"]],
        entry=x[b["entry"]],
        lng=x[b["lng"]],
        lng_by_origin=np.stack([base_used, extra_used], axis=1),
        injection=x[b["inj"]],
        withdrawal=x[b["wd"]],
        level=x[b["lvl"]],
        reduction=x[b["red"]][:, None, :] * inp.demand,
        unserved=sum(x[b[f"uns{k}"]] for k in range(len(UNSERVED_TIERS))),
        flow=x[b["flow"]],
        target_miss=x[b["tmiss"]],
        end_miss=x[b["emiss"]],
    )


def reference_params(params: Params) -> Params:
    """The same assumptions, allocation rule included, with every Russian route at its registry default."""
    from .params import load_registry

    defaults = load_registry().defaults()
    return params.with_values({name: defaults[name] for name in RUSSIAN_PARAMS})


def _solve(params: Params, data: Data, session: WarmStartLP | None = None) -> tuple[GasInputs, GasSolution]:
    """Solve the LP for a parameter set under its allocation rule."""
    system = gas_system(data)
    inputs = build_inputs(params, system)
    arc_limit = None
    if not bool(params["gas.market.integrated"]):
        baseline = _baseline_flows(params, data)
        if baseline.status != "ok":
            return inputs, GasSolution(
                baseline.status, f"baseline run for the national rule: {baseline.message}", float("nan")
            )
        arc_limit = baseline.flow
    return inputs, solve(inputs, system, arc_ub=arc_limit, session=session)


@lru_cache(maxsize=64)
def _solve_cached(key: tuple, data: Data) -> tuple[GasInputs, GasSolution]:
    """``_solve`` for the reference and baseline runs, which many scenarios share."""
    return _solve(Params(dict(key)), data)


def _key(params: Params) -> tuple:
    """Cache key: the gas parameters only, since nothing else enters the LP."""
    return tuple(sorted((k, v) for k, v in params.items() if k.startswith("gas.")))


@lru_cache(maxsize=256)
def _scenario_cached(key: tuple, data: Data) -> tuple[GasInputs, GasSolution]:
    """The scenario's own solve, cached apart from the reference runs (benchmarks clear it alone)."""
    return _solve(Params(dict(key)), data)


def _baseline_flows(params: Params, data: Data) -> GasSolution:
    """The interconnector flows of the baseline (every parameter at its registry default, integrated market)
    over the scenario's months: the caps of the national allocation rule, the same whatever else the
    scenario assumes."""
    from .params import load_registry

    base = load_registry().defaults()
    for name in ("gas.start_month", "gas.horizon_months"):
        base[name] = params[name]
    base["gas.market.integrated"] = True
    return _solve_cached(_key(Params(base)), data)[1]


def _supply_by_source(sol: GasSolution, system: GasSystem) -> dict[str, float]:
    """Europe-wide totals over the horizon, bcm, by source."""
    out: dict[str, float] = {"production": sol.production.sum() / 1000}
    kinds = np.array(system.entry_kind)
    sources = np.array(system.entry_source)
    for route in RUSSIAN_ROUTES:
        out[f"russia_{route}"] = sol.entry[(kinds == "russia") & (sources == route)].sum() / 1000
    for corridor in PIPELINE_CORRIDORS:
        out[f"pipeline_{corridor}"] = sol.entry[(kinds == "pipeline") & (sources == corridor)].sum() / 1000
    for k, origin in enumerate(LNG_ORIGINS):
        out[f"lng_{origin}"] = sol.lng_by_origin[k].sum() / 1000
    out["storage_net_withdrawal"] = (sol.withdrawal.sum() - sol.injection.sum()) / 1000
    out["demand_reduction"] = sol.reduction.sum() / 1000
    out["unserved"] = sol.unserved.sum() / 1000
    return out


def russian_volume(sol: GasSolution, system: GasSystem) -> float:
    kinds = np.array(system.entry_kind)
    return (sol.entry[kinds == "russia"].sum() + sol.lng_by_origin[LNG_ORIGINS.index("russia")].sum()) / 1000


def coverage_rows(sol: GasSolution, ref: GasSolution, system: GasSystem) -> tuple[list[tuple[str, str, float]], float]:
    """(item, label, bcm) of each way the lost Russian volume was replaced, and the volume lost (bcm)."""
    a, b = _supply_by_source(sol, system), _supply_by_source(ref, system)
    d = {k: a[k] - b[k] for k in a}
    lost = russian_volume(ref, system) - russian_volume(sol, system)
    rows = [
        ("qatar_lng", "Qatari LNG", d["lng_qatar"]),
        *[
            (f"{o}_lng", f"LNG from {o.upper() if o == 'us' else o.capitalize()}", d[f"lng_{o}"])
            for o in LNG_ORIGINS
            if o not in ("qatar", "russia")
        ],
        ("other_pipelines", "Other pipeline imports", sum(d[f"pipeline_{c}"] for c in PIPELINE_CORRIDORS)),
        ("domestic_production", "Domestic production", d["production"]),
        ("storage_draw", "Storage draw (net withdrawal)", d["storage_net_withdrawal"]),
        ("demand_reduction", "Demand reduction", d["demand_reduction"]),
        ("unserved", "Unserved demand (shortfall)", d["unserved"]),
    ]
    return rows, lost


def coverage(sol: GasSolution, ref: GasSolution, system: GasSystem) -> pd.DataFrame:
    """How the Russian volume lost against the reference was replaced, bcm over the horizon.

    By the two runs' balances, lost Russian volume = sum of the rows below exactly:
    more LNG, more other pipeline gas, more domestic production, more net
    storage withdrawal, more demand reduction, more unserved demand.
    """
    rows, lost = coverage_rows(sol, ref, system)
    df = pd.DataFrame(rows, columns=["item", "label", "value_bcm"])
    df["share_of_lost_pct"] = 100.0 * df["value_bcm"] / lost if lost > 1e-6 else 0.0
    df.attrs["russian_lost_bcm"] = lost
    return df


def _tables(inp: GasInputs, sol: GasSolution, ref: GasSolution, system: GasSystem) -> dict[str, pd.DataFrame]:
    countries = list(system.countries)
    months = inp.months
    n_nodes, n_t = len(countries), len(months)
    country_col = np.repeat(np.array(countries, dtype=object), n_t)
    month_col = np.tile(np.array(months, dtype=object), n_nodes)
    grid = pd.DataFrame({"country": country_col, "month": month_col})

    kinds = np.array(system.entry_kind)
    sources = np.array(system.entry_source)
    items: list[tuple[str, np.ndarray]] = [
        ("demand", inp.demand.sum(axis=1)),
        ("demand_reduction", sol.reduction.sum(axis=1)),
        ("unserved", sol.unserved.sum(axis=1)),
        ("production", sol.production),
        ("lng", sol.lng),
        ("storage_withdrawal", sol.withdrawal),
        ("storage_injection", sol.injection),
    ]
    for kind, ids in (("russia", RUSSIAN_ROUTES), ("pipeline", PIPELINE_CORRIDORS)):
        for src in ids:
            members = np.flatnonzero((kinds == kind) & (sources == src))
            if not len(members):
                continue  # a route or corridor with no entry into the model's nodes
            arr = np.zeros((n_nodes, n_t))
            np.add.at(arr, system.entry_node[members], sol.entry[members])
            items.append((f"{kind}_{src}", arr))
    inflow = np.zeros((n_nodes, n_t))
    outflow = np.zeros((n_nodes, n_t))
    np.add.at(inflow, system.arc_to, sol.flow)
    np.add.at(outflow, system.arc_from, sol.flow)
    items += [("imports_from_neighbours", inflow), ("exports_to_neighbours", outflow)]
    n_cells = n_nodes * n_t
    balance = pd.DataFrame(
        {
            "country": np.tile(country_col, len(items)),
            "month": np.tile(month_col, len(items)),
            "item": np.repeat(np.array([name for name, _ in items], dtype=object), n_cells),
            "value_bcm": np.concatenate([arr.ravel() for _, arr in items]) / 1000,
        }
    )

    storage = grid.copy()
    storage["level_bcm"] = sol.level.ravel() / 1000
    wgv = np.repeat(inp.storage_wgv / 1000, n_t)
    storage["working_gas_bcm"] = wgv
    storage["fill_pct"] = np.where(wgv > 0, 100 * storage["level_bcm"] / np.where(wgv > 0, wgv, 1), 0.0)

    n_sec = len(GAS_SECTORS)
    unserved = pd.DataFrame(
        {
            "country": np.repeat(np.array(countries, dtype=object), n_sec * n_t),
            "sector": np.tile(np.repeat(np.array(GAS_SECTORS, dtype=object), n_t), n_nodes),
            "month": np.tile(np.array(months, dtype=object), n_nodes * n_sec),
        }
    )
    unserved["demand_bcm"] = inp.demand.ravel() / 1000
    unserved["reduction_bcm"] = sol.reduction.ravel() / 1000
    unserved["unserved_bcm"] = sol.unserved.ravel() / 1000

    lng_origin = pd.DataFrame(
        {
            "origin": np.repeat(np.array(LNG_ORIGINS, dtype=object), 2 * n_t),
            "tier": np.tile(np.repeat(np.array(["base", "diverted"], dtype=object), n_t), len(LNG_ORIGINS)),
            "month": np.tile(np.array(months, dtype=object), 2 * len(LNG_ORIGINS)),
        }
    )
    lng_origin["value_bcm"] = sol.lng_by_origin.ravel() / 1000

    flows = pd.DataFrame(
        {
            "from_country": np.repeat([countries[i] for i in system.arc_from], n_t),
            "to_country": np.repeat([countries[i] for i in system.arc_to], n_t),
            "month": np.tile(months, len(system.arc_from)),
            "flow_bcm": sol.flow.ravel() / 1000,
            "capacity_bcm": inp.arc_ub.ravel() / 1000,
        }
    )

    ref_russia = np.zeros(n_nodes)
    sc_russia = np.zeros(n_nodes)
    np.add.at(ref_russia, system.entry_node[kinds == "russia"], ref.entry[kinds == "russia"].sum(axis=1))
    np.add.at(sc_russia, system.entry_node[kinds == "russia"], sol.entry[kinds == "russia"].sum(axis=1))
    dem = inp.demand.sum(axis=(1, 2)) / 1000
    uns = sol.unserved.sum(axis=(1, 2)) / 1000
    nov1 = 100 * nov1_levels(inp, sol) / np.where(inp.storage_wgv > 0, inp.storage_wgv, 1)
    summary = pd.DataFrame(
        {
            "country": countries,
            "demand_bcm": dem,
            "russian_pipeline_entry_reference_bcm": ref_russia / 1000,
            "russian_pipeline_entry_bcm": sc_russia / 1000,
            "demand_reduction_bcm": sol.reduction.sum(axis=(1, 2)) / 1000,
            "unserved_bcm": uns,
            "unserved_pct": np.where(dem > 0, 100 * uns / np.where(dem > 0, dem, 1), 0.0),
            "storage_working_gas_bcm": inp.storage_wgv / 1000,
            "storage_fill_nov1_pct": np.where(inp.storage_wgv > 0, nov1, 0.0),  # 0 where there is no storage
        }
    )
    return {
        "gas_balance": balance.reset_index(drop=True),
        "gas_storage": storage,
        "gas_unserved": unserved,
        "gas_lng_by_origin": lng_origin,
        "gas_flows": flows,
        "gas_country_summary": summary,
        "gas_coverage": coverage(sol, ref, system),
    }


def nov1_levels(inp: GasInputs, sol: GasSolution) -> np.ndarray:
    """Storage level on the first 1 November of the horizon, mcm by country: the initial stock when the
    horizon starts in November, else the end of the first October. A horizon of 12 months or more has one."""
    if inp.cal[0] == 11:
        return inp.storage_start
    octobers = np.flatnonzero(inp.cal == 10)
    return sol.level[:, octobers[0]] if len(octobers) else np.full(len(inp.storage_wgv), np.nan)


def balance_residual(balance: pd.DataFrame) -> pd.Series:
    """Supply minus served demand per country and month, bcm, from a ``gas_balance`` table.

    Zero (to solver tolerance) when the balance closes:
    production + pipeline imports + LNG + withdrawal - injection + imports - exports
    = demand - demand reduction - unserved.
    """
    piv = balance.pivot_table(index=["country", "month"], columns="item", values="value_bcm", aggfunc="sum").fillna(0.0)
    supply = piv[[c for c in piv.columns if c.startswith(("russia_", "pipeline_"))]].sum(axis=1)
    lhs = (
        supply
        + piv["production"]
        + piv["lng"]
        + piv["storage_withdrawal"]
        - piv["storage_injection"]
        + piv["imports_from_neighbours"]
        - piv["exports_to_neighbours"]
    )
    return lhs - (piv["demand"] - piv["demand_reduction"] - piv["unserved"])


def _failed(status: str, message: str, n_months: int) -> ModuleResult:
    nan = float("nan")
    metrics = tuple(Metric(m, nan, u, label, GEOGRAPHY) for m, u, label in HEADLINE)
    return ModuleResult("gas", metrics, {}, {}, status=status, message=message, batch=_batch([None], [None], n_months))


HEADLINE = (
    ("eu_gas_shortfall_bcm", "bcm", "Unserved gas demand over the horizon"),
    ("eu_gas_shortfall_pct", "% of demand", "Unserved gas demand, share of demand"),
    ("eu_storage_min_pct", "% of working gas", "Lowest end-of-month storage fill"),
    ("eu_storage_nov1_pct", "% of working gas", "Storage fill on 1 November"),
    ("russian_gas_lost_bcm", "bcm", "Russian gas lost against 2021-like flows"),
    ("qatar_lng_share_of_gap_pct", "% of lost Russian gas", "Share of the Russian gap covered by Qatari LNG"),
    ("lng_share_of_gap_pct", "% of lost Russian gas", "Share of the Russian gap covered by all LNG"),
    ("demand_reduction_bcm", "bcm", "Demand reduction used"),
    ("lng_imports_bcm", "bcm", "LNG imports over the horizon"),
    ("russian_gas_delivered_bcm", "bcm", "Russian gas delivered (pipeline and LNG)"),
)


def headline_values(inputs: GasInputs, sol: GasSolution, ref: GasSolution, system: GasSystem) -> dict[str, float]:
    rows, lost = coverage_rows(sol, ref, system)
    share = {item: 100.0 * value / lost if lost > 1e-6 else 0.0 for item, _, value in rows}
    demand = inputs.demand.sum() / 1000
    shortfall = sol.unserved.sum() / 1000
    total_level = sol.level.sum(axis=0)
    wgv = inputs.storage_wgv.sum()
    return {
        "eu_gas_shortfall_bcm": shortfall,
        "eu_gas_shortfall_pct": 100 * shortfall / demand if demand > 0 else 0.0,
        "eu_storage_min_pct": 100 * total_level.min() / wgv if wgv > 0 else 0.0,
        "eu_storage_nov1_pct": 100 * nov1_levels(inputs, sol).sum() / wgv if wgv > 0 else 0.0,
        "russian_gas_lost_bcm": lost,
        "qatar_lng_share_of_gap_pct": share["qatar_lng"],
        "lng_share_of_gap_pct": sum(v for k, v in share.items() if k.endswith("_lng")),
        "demand_reduction_bcm": sol.reduction.sum() / 1000,
        "lng_imports_bcm": sol.lng.sum() / 1000,
        "russian_gas_delivered_bcm": russian_volume(sol, system),
    }


def month_outputs(inputs: GasInputs, sol: GasSolution, ref: GasSolution, system: GasSystem) -> dict[str, np.ndarray]:
    """By month: Russian pipeline and LNG deliveries, scenario and reference, bcm (what trade reads), and the EU
    storage fill at the end of the month, % of working gas (a Monte Carlo path)."""
    kinds = np.array(system.entry_kind)
    russia_lng = LNG_ORIGINS.index("russia")
    wgv = inputs.storage_wgv.sum()
    return {
        "russian_pipeline_bcm_by_month": sol.entry[kinds == "russia"].sum(axis=0) / 1000,
        "russian_pipeline_reference_bcm_by_month": ref.entry[kinds == "russia"].sum(axis=0) / 1000,
        "russian_lng_bcm_by_month": sol.lng_by_origin[russia_lng].sum(axis=0) / 1000,
        "russian_lng_reference_bcm_by_month": ref.lng_by_origin[russia_lng].sum(axis=0) / 1000,
        "eu_storage_fill_pct_by_month": 100 * sol.level.sum(axis=0) / wgv if wgv > 0 else np.zeros(sol.level.shape[1]),
    }


MONTH_OUTPUTS = (
    "russian_pipeline_bcm_by_month",
    "russian_pipeline_reference_bcm_by_month",
    "russian_lng_bcm_by_month",
    "russian_lng_reference_bcm_by_month",
    "eu_storage_fill_pct_by_month",
)


def _batch(
    values: list[dict[str, float] | None], by_month: list[dict[str, np.ndarray] | None], n_months: int
) -> BatchResult:
    """Stack per-set results; a set whose LP failed (None) has NaN metrics and ``ok`` False."""
    nan_months = np.full(n_months, np.nan)
    metrics = {m: np.array([v[m] if v is not None else np.nan for v in values]) for m, _, _ in HEADLINE}
    outputs = {k: np.stack([d[k] if d is not None else nan_months for d in by_month]) for k in MONTH_OUTPUTS}
    outputs["ok"] = np.array([v is not None for v in values])
    return BatchResult(metrics, outputs)


def _reference_and_scenario(params: Params, solve) -> tuple[GasSolution, GasInputs, GasSolution]:
    """(reference solution, scenario inputs, scenario solution); ``solve(key, role)`` solves or recalls one LP,
    role "reference" or "scenario". With every Russian route at its default the scenario is its own
    reference: one LP, not two. A failed reference is returned as the scenario too."""
    ref_key, key = _key(reference_params(params)), _key(params)
    ref_inputs, ref = solve(ref_key, "reference")
    if ref.status != "ok" or key == ref_key:
        return ref, ref_inputs, ref
    inputs, sol = solve(key, "scenario")
    return ref, inputs, sol


def _cached(data: Data):
    """Solves through the process-wide caches: references apart from scenarios (benchmarks clear one alone)."""
    return lambda key, role: (_solve_cached if role == "reference" else _scenario_cached)(key, data)


METRICS = tuple(MetricInfo(m, u, label, GEOGRAPHY) for m, u, label in HEADLINE)


def run(params: Params, data: Data, upstream: Mapping[str, ModuleResult] | None = None) -> ModuleResult:
    """The gas module: solve the reference and the scenario, report the balance and how the gap was covered."""
    del upstream
    system = gas_system(data)
    n_months = int(params["gas.horizon_months"])
    ref, inputs, sol = _reference_and_scenario(params, _cached(data))
    if ref.status != "ok":
        return _failed(ref.status, f"reference run (2021-like Russian flows): {ref.message}", n_months)
    if sol.status != "ok":
        return _failed(sol.status, f"scenario run: {sol.message}", n_months)
    tables = _tables(inputs, sol, ref, system)
    values = headline_values(inputs, sol, ref, system)
    metrics = tuple(Metric(m.id, float(values[m.id]), m.unit, m.label, m.geography) for m in METRICS)
    by_month = month_outputs(inputs, sol, ref, system)
    outputs = {"months": inputs.months, **by_month, "russian_gas_lost_bcm": values["russian_gas_lost_bcm"]}
    return ModuleResult("gas", metrics, tables, outputs, batch=_batch([values], [by_month], n_months))


def evaluate(p: ParamBatch, data: Data, upstream: Mapping[str, BatchResult] | None = None) -> BatchResult:
    """The gas module for a batch of parameter sets.

    When no gas parameter varies across the batch, the one (cached) run serves every set. Otherwise each
    set's reference and scenario LPs are solved in turn on two warm-started HiGHS models (one for the
    references, one for the scenarios), and sets with the same gas parameters share a solve.
    """
    del upstream
    system = gas_system(data)
    n_months = int(p["gas.horizon_months"])
    if p.varies("gas."):
        sessions = {"reference": WarmStartLP(), "scenario": WarmStartLP()}
        solved: dict[tuple, tuple[GasInputs, GasSolution]] = {}

        def solve(key: tuple, role: str) -> tuple[GasInputs, GasSolution]:
            if key not in solved:
                solved[key] = _solve(Params(dict(key)), data, session=sessions[role])
            return solved[key]

        sets = range(p.n)
    else:  # one (cached) solve serves every set
        solve, sets = _cached(data), range(1)
    values, by_month = [], []
    for i in sets:
        ref, inputs, sol = _reference_and_scenario(p.params(i), solve)
        ok = ref.status == "ok" and sol.status == "ok"
        values.append(headline_values(inputs, sol, ref, system) if ok else None)
        by_month.append(month_outputs(inputs, sol, ref, system) if ok else None)
    result = _batch(values, by_month, n_months)
    if len(sets) == p.n:
        return result
    return BatchResult(
        {k: np.repeat(v, p.n) for k, v in result.metrics.items()},
        {k: np.repeat(v, p.n, axis=0) for k, v in result.outputs.items()},
    )
