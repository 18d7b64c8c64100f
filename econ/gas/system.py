"""Stage 1 of the gas model: the system (parameter-free arrays derived once from the data) and the inputs of
one parameter set (``build_inputs``), in mcm per month over the horizon.

Time-varying parameters (the Russian route utilisations, Russian LNG and the demand-reduction cap) are read
as monthly arrays with ``Params.path``: a scalar is a constant path, a :class:`~econ.time.DatedPath` a step
path, so the monthly caps follow it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..data import GAS_SECTORS, LNG_ORIGINS, PIPELINE_CORRIDORS, RUSSIAN_ROUTES, Data
from ..params import Params
from ..time import horizon

ROUTE_PARAM = {r: f"gas.russia.{r}.utilisation" for r in RUSSIAN_ROUTES}
RUSSIA_LNG_PARAM = "gas.russia.lng.utilisation"
RUSSIAN_PARAMS = tuple(ROUTE_PARAM.values()) + (RUSSIA_LNG_PARAM,)
REDUCTION_PARAM = "gas.demand.reduction_share"


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

    def entries(self, kind: str, source: str) -> np.ndarray:
        """Indices of the entries of one Russian route (kind "russia") or corridor (kind "pipeline")."""
        return np.flatnonzero((np.array(self.entry_kind) == kind) & (np.array(self.entry_source) == source))


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
    reduction_max: np.ndarray  # (T,) largest demand reduction, share of demand, by month
    production: np.ndarray  # (N, T) mcm
    entry_ub: np.ndarray  # (P, T) mcm
    route_ub: dict[str, np.ndarray]  # route -> (T,) mcm: capacity x utilisation (by month) x days
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
    """The LP's data for one parameter set (docs/methodology.md, gas, sections 3.3-3.10)."""
    months, days, cal = horizon(str(params["gas.start_month"]), int(params.float("gas.horizon_months")))
    year_frac = days / 365.0
    scale = params.float("gas.demand.scale")
    # bcm/yr x share of the year -> bcm; x 1000 -> mcm
    demand = 1000.0 * scale * system.demand_annual[:, :, None] * system.profile[cal - 1].T[None, :, :]
    production = 1000.0 * np.outer(system.production * (1 + params.float("gas.production.change_share")), year_frac)
    entry_ub = np.outer(system.entry_capacity, days)
    route_ub = {r: system.route_capacity[r] * params.path(ROUTE_PARAM[r], months) * days for r in RUSSIAN_ROUTES}
    extra_pipe = {
        c: params.float("gas.pipeline.norway.extra_share")
        if c == "norway"
        else params.float("gas.pipeline.other.extra_share")
        for c in PIPELINE_CORRIDORS
    }
    corridor_base = {c: 1000.0 * system.corridor_base[c] * year_frac for c in PIPELINE_CORRIDORS}
    corridor_extra = {c: corridor_base[c] * extra_pipe[c] for c in PIPELINE_CORRIDORS}
    regas_ub = 1000.0 * np.outer(system.regas * params.float("gas.lng.regas_max_utilisation"), year_frac)
    base = np.repeat(np.array([system.lng_base[o] for o in LNG_ORIGINS])[:, None], len(months), axis=1)
    russia = LNG_ORIGINS.index("russia")
    base[russia] = base[russia] * params.path(RUSSIA_LNG_PARAM, months)
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
        reduction_max=params.path(REDUCTION_PARAM, months),
        production=production,
        entry_ub=entry_ub,
        route_ub=route_ub,
        corridor_base=corridor_base,
        corridor_extra=corridor_extra,
        regas_ub=regas_ub,
        lng_base=1000.0 * (base * year_frac[None, :]),
        lng_extra=1000.0 * np.outer(extra, year_frac),
        storage_start=wgv * params.float("gas.storage.initial_fill"),
        storage_wgv=wgv,
        inj_ub=np.outer(system.storage_inj, days),
        wd_ub=np.outer(system.storage_wd, days),
        target_fill=params.float("gas.storage.target_fill"),
        end_fill=params.float("gas.storage.end_fill"),
        arc_ub=np.outer(system.arc_capacity, days),
    )
