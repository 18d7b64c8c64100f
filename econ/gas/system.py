"""Stage 1 of the gas model: the system (parameter-free arrays derived once from the data) and the inputs of
one parameter set (``build_inputs``), in mcm per month over the horizon.

Time-varying parameters (the Russian route utilisations, Russian LNG and the demand-reduction cap) are read
as monthly arrays with ``Params.path``: a scalar is a constant path, a :class:`~econ.time.DatedPath` a step
path, so the monthly caps follow it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from ..data import GAS_SECTORS, LNG_ORIGINS, PIPELINE_CORRIDORS, RUSSIAN_ROUTES, Data
from ..errors import DataError, ParameterError
from ..params import Params, Value
from ..time import DatedPath, horizon

UK_CORRIDORS = ("uk_iuk", "uk_bbl", "uk_moffat")
ROUTE_PARAM = {r: f"gas.russia.{r}.utilisation" for r in RUSSIAN_ROUTES}
RUSSIA_LNG_PARAM = "gas.russia.lng.utilisation"
RUSSIAN_PARAMS = tuple(ROUTE_PARAM.values()) + (RUSSIA_LNG_PARAM,)
REDUCTION_PARAM = "gas.demand.reduction_share"
REFERENCE_PARAM = "gas.reference.run_rate"
WIDER_PARAM = "gas.market.wider_europe"
UKRAINE_DRAWDOWN_PARAM = "gas.storage.ukraine_drawdown_bcm"
# data/gas_interconnectors.csv: an arc whose points start with this shares its border points' capacity with the
# named Russian route's entry at the arc's destination (scripts/build_gas_data.py, build_interconnectors)
JOINT_PREFIX = "joint with route "
TARIFF_PARAM = "gas.network.tariff_scale"
# Small fixed costs, EUR/MWh (docs/methodology.md, gas, 3.8): a storage cycle (charged on injection and on
# withdrawal), cross-border transport, and the premium of pipeline gas above its base-year rate (swing).
STORAGE_CYCLE_COST = 0.5
ARC_COST = 0.1
PIPELINE_EXTRA_PREMIUM = 5.0


@dataclass(frozen=True)
class GasSystem:
    """The parameter-free part of the model: arrays derived once from the data."""

    countries: tuple[str, ...]
    geography: tuple[str, ...]  # (N,) "eu27" or "non_eu" (data/gas_nodes.csv)
    demand_annual: np.ndarray  # (N, S) bcm/yr
    profile: np.ndarray  # (12, S) share of annual demand in each calendar month
    production: np.ndarray  # (N,) bcm/yr
    entry_kind: tuple[str, ...]  # (P,) "russia" or "pipeline"
    entry_source: tuple[str, ...]  # (P,) route or corridor id
    entry_node: np.ndarray  # (P,) node index
    entry_capacity: np.ndarray  # (P,) mcm/d technical
    route_capacity: Mapping[str, float]  # mcm/d, sum over entries
    route_flow_2021: Mapping[str, float]  # bcm/yr
    route_flow_run_rate: Mapping[str, float]  # bcm/yr: mean of 1 January to 23 February 2022, annualised
    corridor_base: Mapping[str, float]  # bcm/yr
    regas: np.ndarray  # (N,) bcm/yr
    lng_base: Mapping[str, float]  # origin -> EU imports, bcm/yr
    # origin -> the non-EU nodes' part of lng_base (the UK's cargoes in the wider Europe), bcm/yr, and the monthly
    # shape (12,) their send-out follows: those nodes' own demand (3.7)
    lng_base_non_eu: Mapping[str, float]
    lng_shape_non_eu: np.ndarray
    # the non-EU nodes with base-year LNG imports (the UK): their terminals land their destination-fixed cargoes
    lng_non_eu_nodes: np.ndarray
    lng_capacity: Mapping[str, float]  # origin -> export capacity, bcm/yr
    lng_exports: Mapping[str, float]  # origin -> exports to every market, bcm/yr (base year)
    storage_wgv: np.ndarray  # (N,) bcm
    storage_inj: np.ndarray  # (N,) mcm/d
    storage_wd: np.ndarray  # (N,) mcm/d
    arc_from: np.ndarray  # (A,)
    arc_to: np.ndarray  # (A,)
    arc_capacity: np.ndarray  # (A,) mcm/d
    # (A,) EUR/MWh: the cross-border transport cost of each link, exit + entry tariff of 2021 (3.8; link_tariffs),
    # and (A,) True where ACER's item gives it (False: the stated rule, the median of ACER's borders)
    arc_tariff: np.ndarray = field(default_factory=lambda: np.zeros(0))
    arc_tariff_covered: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    # (H+1,) EUR/MWh: the largest sum of 2021 tariffs along a simple path of h borders, h = 0..H (3.3, priority
    # across borders; path_tariffs): with tariff_scale s the dearest path of h borders costs ARC_COST h + s x this
    path_tariff: np.ndarray = field(default_factory=lambda: np.zeros(1))
    # (12,) Norway's base-year flow by calendar month over its annual mean (3.6): flat (ones) on the EU-only network,
    # all of Norway's entries' 2015-2021 shape (ENTSOG) in the wider Europe, where the corridor feeds the UK too
    norway_profile: np.ndarray = field(default_factory=lambda: np.ones(12))
    # supply -> (12,) its observed flow by calendar month over its annual mean (3.6, 3.7; ENTSOG 2015-2021): the
    # EU27's destination-fixed LNG cargoes ("lng_eu27", the EU27 terminals' send-out) and the Algerian and Libyan
    # corridors; empty (flat) on the EU-only network, filled in the wider Europe
    supply_profile: Mapping[str, np.ndarray] = field(default_factory=dict)
    # caps on groups of one corridor's entries (3.6): (group id, entry indices, mcm/d); Norway's continental pipes
    entry_groups: tuple[tuple[str, np.ndarray, float], ...] = ()
    # border points shared by a Russian route's entry and an arc from a non-EU node (3.6, joint capacity): (entry
    # index, arc index); Ukraine's exits into the EU share the transit's entry points (wider Europe only)
    joint_points: tuple[tuple[int, int], ...] = ()

    @property
    def eu(self) -> np.ndarray:
        """(N,) True for the EU27 nodes: every headline metric sums over these only."""
        return np.array(self.geography) == "eu27"

    def entries(self, kind: str, source: str) -> np.ndarray:
        """Indices of the entries of one Russian route (kind "russia") or corridor (kind "pipeline")."""
        return np.flatnonzero((np.array(self.entry_kind) == kind) & (np.array(self.entry_source) == source))


@lru_cache(maxsize=8)
def _system_cached(data: Data, wider: bool) -> GasSystem:
    demand = data["gas_demand_annual"]
    tags = dict(zip(data["gas_nodes"]["country"], data["gas_nodes"]["geography"]))
    untagged = sorted(set(demand["country"]) - set(tags))
    if untagged:
        raise DataError(
            f"gas_nodes.csv: node(s) {', '.join(untagged)} of gas_demand_annual.csv have no geography tag "
            "(eu27 or non_eu)"
        )
    # The EU-only network (wider False): the EU27 nodes, the UK as three supply corridors, the transits through
    # Switzerland and Serbia collapsed to direct arcs. The wider Europe: every node, the UK's links as arcs.
    countries = tuple(sorted(c for c in demand["country"].unique() if wider or tags[c] == "eu27"))
    demand = demand[demand["country"].isin(countries)]
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
    routes = routes[routes.entry_country.isin(idx)]
    corridors = data["gas_pipeline_supply"]
    corridors = corridors[corridors.entry_country.isin(idx)]
    if wider:
        corridors = corridors[~corridors.corridor.isin(UK_CORRIDORS)]
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
    route_run_rate = {
        r: float(routes.loc[routes.route == r, "flow_run_rate_bcm_per_year"].sum()) for r in RUSSIAN_ROUTES
    }
    corridor_base = {
        c: float(corridors.loc[corridors.corridor == c, "flow_base_bcm_per_year"].sum()) for c in PIPELINE_CORRIDORS
    }

    lng_imp = data["gas_lng_imports"]
    lng_imp = lng_imp[lng_imp.country.isin(idx)]
    lng_base = {o: float(lng_imp.loc[lng_imp.origin == o, "lng_bcm_per_year"].sum()) for o in LNG_ORIGINS}
    lng_ne = lng_imp[lng_imp.country.map(tags) != "eu27"]
    lng_base_non_eu = {o: float(lng_ne.loc[lng_ne.origin == o, "lng_bcm_per_year"].sum()) for o in LNG_ORIGINS}
    ne_importers = [idx[c] for c in sorted(set(lng_ne.country))]
    ne_demand = d[ne_importers].sum(axis=0) if ne_importers else np.zeros(s)
    lng_shape_non_eu = profile @ ne_demand / ne_demand.sum() if ne_demand.sum() > 0 else np.full(12, 1 / 12)
    exporters = data["gas_lng_exporters"].set_index("origin")
    lng_capacity = {
        o: float(exporters.loc[o, "export_capacity_bcm_per_year"]) if o in exporters.index else 0.0 for o in LNG_ORIGINS
    }
    # Exports to every market; never below what the EU imported from that origin (the two tables come from
    # different sources, so they can disagree slightly).
    lng_exports = {
        o: max(float(exporters.loc[o, "exports_bcm_per_year"]) if o in exporters.index else 0.0, lng_base[o])
        for o in LNG_ORIGINS
    }

    # Caps on groups of a corridor's entries (3.6): Norway's continental pipes, the best month of 2015-2021
    entry_groups = []
    for row in data["gas_corridor_groups"].itertuples(index=False):
        members = [
            k
            for k, (kind, src, node) in enumerate(zip(kinds, sources, nodes))
            if kind == "pipeline" and src == row.corridor and countries[node] in str(row.entry_countries).split()
        ]
        if members:
            entry_groups.append((f"{row.corridor}:{row.group}", np.array(members, dtype=int), row.capacity_mcm_per_day))
    # A Russian route with entries both at EU27 and at non-EU nodes (the Ukraine route at Moldova, wider Europe):
    # each side has its own cap, its capacity times the route's utilisation (3.6). Moldova's gas is Moldovagaz's
    # contract with Gazprom, not the EU buyers': neither side can take the other's gas, so the reference delivers
    # the EU27 entries the same Russian gas on both networks (docs/methodology.md, gas, section 5).
    for r in RUSSIAN_ROUTES:
        sides: dict[str, list[int]] = {}
        for k, (kind, src, node) in enumerate(zip(kinds, sources, nodes)):
            if kind == "russia" and src == r:
                sides.setdefault(tags[countries[node]], []).append(k)
        if len(sides) > 1:
            for geo, members in sorted(sides.items()):
                entry_groups.append(
                    (f"{r}:{geo}", np.array(members, dtype=int), float(np.sum(np.array(caps)[members])))
                )

    # Norway's seasonal swing (3.6): on the wider network its corridor carries the UK's entries too, and all of
    # Norway's entries deliver more in winter (January 1.12 x the annual mean, September 0.85; ENTSOG 2015-2021)
    norway_profile = np.ones(12)
    if wider:
        prof = data["gas_norway_monthly_profile"]
        prof = prof[prof.entries == "all"].set_index("month")["ratio_to_mean"]
        norway_profile = prof.reindex(range(1, 13)).to_numpy(dtype=float)
    # The other supplies' observed months (3.6, 3.7), wider Europe only like Norway's: the EU27's fixed LNG cargoes
    # arrive as the EU27 terminals' send-out did (spring and early winter high, August low), the Algerian and Libyan
    # pipes deliver more in winter (Transmed January 1.29, August 0.79)
    supply_profile: dict[str, np.ndarray] = {}
    if wider:
        sp = data["gas_supply_monthly_profile"]
        for key, g in sp.groupby("supply"):
            supply_profile[str(key)] = g.set_index("month")["ratio_to_mean"].reindex(range(1, 13)).to_numpy(float)
    arcs = data["gas_interconnectors"]
    arcs = arcs[arcs.from_country.isin(idx) & arcs.to_country.isin(idx) & (arcs.capacity_mcm_per_day > 0)]
    if wider:
        arcs = arcs[~arcs.points.str.startswith("via ")]  # collapsed transits: CH and RS are nodes
    tariff, covered = link_tariffs(arcs, data["gas_link_tariffs_2021"])
    arc_from = np.array([idx[c] for c in arcs.from_country], dtype=int)
    arc_to = np.array([idx[c] for c in arcs.to_country], dtype=int)
    # Joint border points (3.6): Ukraine's exits into the EU run through the points where the Russian transit enters
    # the EU; the route's entry there and the arc share the points' capacity (lp.joint_point_caps)
    joint = []
    for a, pts in enumerate(arcs.points.astype(str)):
        if pts.startswith(JOINT_PREFIX):
            route = pts[len(JOINT_PREFIX) :].split(":")[0].strip()
            hit = [
                k
                for k, (kind, src, node) in enumerate(zip(kinds, sources, nodes))
                if kind == "russia" and src == route and node == arc_to[a]
            ]
            if len(hit) != 1:
                raise DataError(
                    f"gas_interconnectors.csv: {arcs.from_country.iloc[a]}>{arcs.to_country.iloc[a]} shares its points "
                    f"with route {route!r}, which has {len(hit)} entries into {arcs.to_country.iloc[a]} (allowed: 1)"
                )
            joint.append((hit[0], a))
    return GasSystem(
        countries=countries,
        geography=tuple(tags[c] for c in countries),
        demand_annual=d,
        profile=profile,
        production=by_country("gas_production", "production_bcm_per_year"),
        entry_kind=tuple(kinds),
        entry_source=tuple(sources),
        entry_node=np.array(nodes, dtype=int),
        entry_capacity=np.array(caps, dtype=float),
        route_capacity=route_capacity,
        route_flow_2021=route_flow,
        route_flow_run_rate=route_run_rate,
        corridor_base=corridor_base,
        regas=by_country("gas_lng_terminals", "regas_capacity_bcm_per_year"),
        lng_base=lng_base,
        lng_base_non_eu=lng_base_non_eu,
        lng_shape_non_eu=lng_shape_non_eu,
        lng_non_eu_nodes=np.array(ne_importers, dtype=int),
        lng_capacity=lng_capacity,
        lng_exports=lng_exports,
        storage_wgv=by_country("gas_storage", "working_gas_bcm"),
        storage_inj=by_country("gas_storage", "injection_mcm_per_day"),
        storage_wd=by_country("gas_storage", "withdrawal_mcm_per_day"),
        arc_from=arc_from,
        arc_to=arc_to,
        arc_capacity=arcs.capacity_mcm_per_day.to_numpy(dtype=float),
        arc_tariff=tariff,
        arc_tariff_covered=covered,
        path_tariff=path_tariffs(arc_from, arc_to, tariff, len(countries)),
        entry_groups=tuple(entry_groups),
        joint_points=tuple(joint),
        norway_profile=norway_profile,
        supply_profile=supply_profile,
    )


def path_tariffs(arc_from: np.ndarray, arc_to: np.ndarray, tariff: np.ndarray, n_nodes: int) -> np.ndarray:
    """(H+1,) EUR/MWh: for each number of borders h, the largest sum of tariffs along a simple path of h borders
    of the network taken as undirected, each border at the dearer of its two directions (docs/methodology.md,
    gas, 3.3, priority across borders). Exhaustive depth-first search over simple paths (a few thousand on the
    EU-only network, about 60,000 on the wider Europe; once per network, the system is cached)."""
    dearest: dict[tuple[int, int], float] = {}
    for i, j, t in zip(arc_from.tolist(), arc_to.tolist(), np.asarray(tariff, dtype=float).tolist()):
        key = (min(i, j), max(i, j))
        dearest[key] = max(dearest.get(key, 0.0), t)
    adj: list[list[tuple[int, float]]] = [[] for _ in range(n_nodes)]
    for (i, j), t in dearest.items():
        adj[i].append((j, t))
        adj[j].append((i, t))
    best = np.zeros(n_nodes)
    seen = [False] * n_nodes

    def walk(u: int, hops: int, total: float) -> None:
        best[hops] = max(best[hops], total)
        for v, t in adj[u]:
            if not seen[v]:
                seen[v] = True
                walk(v, hops + 1, total + t)
                seen[v] = False

    for start in range(n_nodes):
        seen[start] = True
        walk(start, 0, 0.0)
        seen[start] = False
    longest = int(np.flatnonzero(best > 0).max()) if (best > 0).any() else 0
    return best[: longest + 1]


def priority_wedge(system: GasSystem, scale: float) -> float:
    """W EUR/MWh: the largest cost of moving gas between any two nodes along any simple path, max over h of
    ARC_COST h + scale x path_tariff[h] (docs/methodology.md, gas, 3.3, priority across borders): the wedge between
    the protected customers' rationing margin and every other sector's."""
    hops = np.arange(len(system.path_tariff))
    return float((ARC_COST * hops + scale * system.path_tariff).max())


def rationing_margins(system: GasSystem, scale: float) -> dict[str, float]:
    """Each sector's priority margin m_s EUR/MWh (3.3): RATIONING_MARGIN, plus the wedge W (priority_wedge) for
    every sector but the protected ones (PROTECTED_SECTORS)."""
    wedge = priority_wedge(system, scale)
    return {s: m + (0.0 if s in PROTECTED_SECTORS else wedge) for s, m in RATIONING_MARGIN.items()}


def link_tariffs(arcs, table) -> tuple[np.ndarray, np.ndarray]:
    """(A,) EUR/MWh cross-border transport cost of each link (docs/methodology.md, gas, 3.8), and (A,) True where
    ACER's item covers the link's direction. A covered link takes the mean of ACER's rows for its direction (two
    for CZ>DE: two German market areas in 2021); any other link the stated rule, the median over ACER's borders
    (each border's mean counted once), twice that for a collapsed transit ("via" CH or RS: it crosses two borders).
    """
    by_border = table.groupby(["from_country", "to_country"])["tariff_eur_mwh"].mean()
    if by_border.empty:
        raise DataError("gas_link_tariffs_2021.csv: no border has a tariff (the median rule needs at least one)")
    median = float(np.median(by_border.to_numpy(dtype=float)))
    tariff, covered = [], []
    for row in arcs.itertuples(index=False):
        key = (row.from_country, row.to_country)
        hit = key in by_border.index
        covered.append(hit)
        if hit:
            tariff.append(float(by_border[key]))
        else:
            tariff.append(median * (2.0 if str(row.points).startswith("via ") else 1.0))
    return np.array(tariff, dtype=float), np.array(covered, dtype=bool)


def gas_system(data: Data, wider: bool = False) -> GasSystem:
    """The system of the EU-only network (``wider`` False, this function's default) or of the wider Europe (``wider``
    True, the registry's default of ``gas.market.wider_europe``; docs/methodology.md, gas, section 1). ``system_for``
    follows a parameter set's switch."""
    return _system_cached(data, bool(wider))


def system_for(params: Params, data: Data) -> GasSystem:
    """The system a parameter set runs on: ``gas.market.wider_europe`` selects the network."""
    return gas_system(data, bool(params[WIDER_PARAM]))


def _utilisation(system: GasSystem, flows: Mapping[str, float]) -> dict[str, float]:
    out = {}
    for r in RUSSIAN_ROUTES:
        cap_bcm = system.route_capacity[r] * 365 / 1000
        out[r] = flows[r] / cap_bcm if cap_bcm > 0 else 0.0
    return out


def route_utilisation_2021(system: GasSystem) -> dict[str, float]:
    """2021 flow / technical capacity per route: the registry's default utilisations."""
    return _utilisation(system, system.route_flow_2021)


def route_utilisation_run_rate(system: GasSystem) -> dict[str, float]:
    """Run-rate flow (1 January to 23 February 2022, annualised) / technical capacity per route: the reference
    levels of ``gas.reference.run_rate`` (docs/methodology.md, gas, section 5)."""
    return _utilisation(system, system.route_flow_run_rate)


# Demand-curve steps (docs/methodology.md, gas, 3.3): breakpoints as shares of the reference demand. Below it
# (a price above the reference) the curve is cut into DOWN steps, above it (a price below) into UP steps.
DEMAND_DOWN = (0.0, 0.02, 0.05, 0.10, 0.15, 0.20, 0.30, 0.45)
DEMAND_UP = (0.0, 0.03, 0.08)
# Asia's demand for flexible LNG, the same way around its reference take.
ASIA_DOWN = (0.0, 0.05, 0.10, 0.20, 0.35, 0.55, 1.0)
ASIA_UP = (0.0, 0.05, 0.15, 0.30)
# Rationing order of Regulation (EU) 2017/1938 (protected customers last): the cost of rationing a sector is the
# price cap less this margin (EUR/MWh), so at the cap industry is cut first and households last, and no price
# exceeds the cap. A missed 1 November target costs the cap less TARGET_MARGIN (below any rationing: the target
# gives way first); gas put into store at the cap (a storage obligation left unmet) costs the cap less a storage
# cycle, above any rationing: the end-of-horizon floor binds unless rationing every customer cannot meet it (as
# under the national rule's fixed flows), and stored gas, once withdrawn, is never worth more than the cap.
RATIONING_MARGIN = {"industry": 0.9, "power": 0.8, "services": 0.7, "households": 0.6}
TARGET_MARGIN = 1.0
# Priority across borders (3.3): the solidarity-protected customers of Regulation 2017/1938 (art. 2(6), art. 13).
# Every other sector's margin, and the target's, is raised by the wedge W = the largest cost of moving gas between
# two nodes (priority_wedge), so that no protected customer is rationed while gas could reach it from any node by
# rationing a non-protected customer there, whatever the tariffs.
PROTECTED_SECTORS = ("households",)
# Freight to Asia less freight to Europe, per origin, in units of gas.lng.asia_spread_eur_mwh (the US Gulf's
# differential): Atlantic-basin origins are nearer Europe (US Gulf-Tokyo via Panama about 9,200 nm against
# 4,900 nm to NW Europe; Nigeria and Algeria more so), Qatar is about as far from both (Ras Laffan-Tokyo
# about 6,500 nm, Ras Laffan-Rotterdam via Suez about 6,300 nm plus the canal), the other (mostly Pacific)
# exporters are nearer Asia. A flexible cargo goes where the delivered price less freight is higher.
FREIGHT_RATIO = {"us": 1.0, "qatar": 0.0, "russia": 0.0, "nigeria": 1.2, "algeria": 1.4, "other": -1.0}
ELASTICITY_PARAM = {s: f"gas.demand.elasticity.{s}" for s in GAS_SECTORS}
# The fixed non-commodity part of each sector's end-user price (3.3), EUR/MWh: the literature's elasticities are
# with respect to what the user pays, of which the hub price is only a part. Power stations buy at the hub (none).
MARKUP_PARAM = {s: f"gas.demand.markup.{s}" for s in ("households", "services", "industry")}
# Capacity bounds on each sector's price response, share of its reference demand (3.3): power by its fuel-switching
# capacity, industry by what can be shut or switched within the horizon, households and services (buildings) by
# comfort.
BOUND_PARAM = {
    "households": "gas.demand.buildings.max_response_share",
    "services": "gas.demand.buildings.max_response_share",
    "industry": "gas.demand.industry.max_response_share",
    "power": "gas.demand.power.switch_max_share",
}
FLEX_PARAM = {
    "us": "gas.lng.us.divertible_share",
    "qatar": "gas.lng.qatar.divertible_share",
    "nigeria": "gas.lng.other.extra_share",
    "algeria": "gas.lng.other.extra_share",
    "other": "gas.lng.other.extra_share",
}


def step_prices(
    reference: np.ndarray,
    elasticity: float,
    breaks: tuple[float, ...],
    up: bool,
    markup: float = 0.0,
    limit: float | None = None,
) -> np.ndarray:
    """Willingness to pay (hub price, EUR/MWh) of each step of a constant-elasticity demand curve in the end-user
    price (3.3): Q = Q0 ((P + m) / (P0 + m))^eps, with m the sector's fixed non-commodity part of its end-user
    price (``markup``: network tariffs, taxes, retail margin; 0 for a buyer at the hub). At the step's midpoint
    share s the hub price is (P0 + m) (1 - s)^(1/eps) - m below the reference quantity, (P0 + m) (1 + s)^(1/eps)
    - m above it. ``limit`` ends the curve at that share (a capacity bound): breakpoints beyond it are moved to
    it, so the last step's midpoint is that of its part below the bound (steps beyond it have no width).
    ``reference`` is P0 by month (T,); the result is (K, T). A zero elasticity has no finite step price (inf)."""
    b = np.array(breaks, dtype=float) if limit is None else np.minimum(np.array(breaks, dtype=float), limit)
    mids = 0.5 * (b[1:] + b[:-1])
    q = 1.0 + mids if up else 1.0 - mids
    if elasticity == 0:
        return np.full((len(mids), len(reference)), np.inf)
    return q[:, None] ** (1.0 / elasticity) * (reference[None, :] + markup) - markup


@dataclass(frozen=True)
class GasInputs:
    """Everything the LP needs for one parameter set: volumes in mcm per month, prices and costs in EUR/MWh."""

    months: list[str]
    days: np.ndarray  # (T,)
    cal: np.ndarray  # (T,)
    demand: np.ndarray  # (N, S, T) mcm at the reference price, before policy reduction
    policy_share: np.ndarray  # (T,) policy demand reduction, share of demand
    price_ref: np.ndarray  # (T,) reference price P0, EUR/MWh
    cap: float  # price cap (value of lost load), EUR/MWh
    down_width: np.ndarray  # (N, S, K, T) mcm of each demand step below the reference
    down_price: np.ndarray  # (S, K, T) EUR/MWh
    up_width: np.ndarray  # (N, S, U, T) mcm of each demand step above the reference
    up_price: np.ndarray  # (S, U, T)
    ration_ub: np.ndarray  # (N, S, T) mcm that can be rationed
    ration_cost: np.ndarray  # (S,) EUR/MWh
    costs: Mapping[str, float]  # supply costs, EUR/MWh
    production: np.ndarray  # (N, T) mcm
    entry_ub: np.ndarray  # (P, T) mcm
    route_ub: dict[str, np.ndarray]  # route -> (T,) mcm: capacity x utilisation (by month) x days
    corridor_base: dict[str, np.ndarray]  # corridor -> (T,) mcm at the base-year rate
    corridor_extra: dict[str, np.ndarray]  # corridor -> (T,) mcm of headroom above it
    regas_ub: np.ndarray  # (N, T) mcm
    lng_fixed: np.ndarray  # (O, T) mcm under destination-fixed contracts to the EU27's terminals
    # (O, T) mcm under destination-fixed contracts to the non-EU nodes' terminals (the UK's; zero on the EU-only
    # network): they land there (lp.lng_destination)
    lng_fixed_non_eu: np.ndarray
    lng_flex: np.ndarray  # (O, T) mcm destination-flexible (Europe or Asia)
    asia_ref: np.ndarray  # (T,) mcm of flexible LNG Asia takes at its reference price
    asia_down_width: np.ndarray  # (KA, T) mcm
    asia_down_price: np.ndarray  # (KA, T) EUR/MWh
    asia_up_width: np.ndarray  # (UA, T)
    asia_up_price: np.ndarray  # (UA, T)
    asia_spread: float  # EUR/MWh: Asia's reference price above Europe's (the US Gulf's freight differential)
    asia_freight: np.ndarray  # (O,) EUR/MWh: freight to Asia less freight to Europe, by origin
    storage_start: np.ndarray  # (N,) mcm
    storage_wgv: np.ndarray  # (N,) mcm
    inj_ub: np.ndarray  # (N, T) mcm
    wd_ub: np.ndarray  # (N, T) mcm
    target_fill: np.ndarray  # (N,) share of working gas on 1 November: the target for EU27 nodes, 0 elsewhere
    end_fill: float
    arc_ub: np.ndarray  # (A, T) mcm
    end_value: np.ndarray | None = None  # (N,) EUR/MWh of stored gas above the end floor (None: no value)
    # (A,) EUR/MWh per unit of each link's flow (3.8): ARC_COST + tariff_scale x the link's 2021 tariff
    arc_cost: np.ndarray | None = None
    group_ub: Mapping[str, np.ndarray] = field(default_factory=dict)  # entry group -> (T,) mcm (3.6)
    # month indices inside the horizon, before its last month, at which every store's stock is at least the end
    # floor: the end of every gas year of the horizon (every March at least 12 months in: gas_year_ends), so that
    # no run borrows from a later winter (3.5, lp.stock_floors; the end floor itself is lp.end_of_horizon)
    floor_months: tuple[int, ...] = ()


def gas_year_ends(cal: np.ndarray) -> tuple[int, ...]:
    """The month indices at which a gas year of the horizon ends before its last month (3.5): every March (the end of
    the heating season, ENTSOG's winter of 1 October to 31 March, where the default 13-month horizon ends) at least
    12 months into the horizon (index 11 or later: within its first 12 months the stock follows from the given
    start). ``cal``: (T,) calendar month of each month of the horizon, 1-12. The last month's floor is the
    end-of-horizon floor (lp.end_of_horizon)."""
    return tuple(int(t) for t in np.flatnonzero(cal == 3) if 11 <= t < len(cal) - 1)


def response_bounds(params: Params) -> dict[str, float]:
    """Largest share of each sector's reference demand that the price can remove (3.3), by sector."""
    return {sector: params.float(BOUND_PARAM[sector]) for sector in GAS_SECTORS}


def _widths(breaks: tuple[float, ...], limit: float) -> np.ndarray:
    """Width of each step, share of the reference quantity, with the curve ending at ``limit``."""
    b = np.minimum(np.array(breaks), limit)
    return np.diff(b)


def build_inputs(params: Params, system: GasSystem) -> GasInputs:
    """The LP's data for one parameter set (docs/methodology.md, gas, sections 3.3-3.10)."""
    months, days, cal = horizon(str(params["gas.start_month"]), int(params.float("gas.horizon_months")))
    n_t = len(months)
    year_frac = days / 365.0
    scale = params.float("gas.demand.scale")
    # bcm/yr x share of the year -> bcm; x 1000 -> mcm
    demand = 1000.0 * scale * system.demand_annual[:, :, None] * system.profile[cal - 1].T[None, :, :]
    policy = params.path(REDUCTION_PARAM, months)
    served = demand * (1.0 - policy)[None, None, :]
    price_ref = params.path("gas.price.reference_eur_mwh", months)
    cap = params.float("gas.price.cap_eur_mwh")
    n_nodes, n_sec = system.demand_annual.shape
    down_w = np.zeros((n_nodes, n_sec, len(DEMAND_DOWN) - 1, n_t))
    down_p = np.zeros((n_sec, len(DEMAND_DOWN) - 1, n_t))
    up_w = np.zeros((n_nodes, n_sec, len(DEMAND_UP) - 1, n_t))
    up_p = np.zeros((n_sec, len(DEMAND_UP) - 1, n_t))
    ration_ub = np.zeros((n_nodes, n_sec, n_t))
    bounds = response_bounds(params)
    scale = params.float(TARIFF_PARAM)  # hard bounds [0, 5] checked by the registry
    wedge = priority_wedge(system, scale)
    margins = rationing_margins(system, scale)
    if cap - TARGET_MARGIN - wedge - STORAGE_CYCLE_COST <= 0:
        raise ParameterError(
            f"gas.price.cap_eur_mwh = {cap} EUR/MWh with {TARIFF_PARAM} = {scale}: the cap must exceed "
            f"{TARGET_MARGIN + wedge + STORAGE_CYCLE_COST:.2f} EUR/MWh, the target margin, the priority wedge "
            f"W = {wedge:.2f} (the dearest path's transport cost, docs/methodology.md, gas, 3.3) and a storage "
            "cycle, so that every rationing cost stays positive"
        )
    for k, sector in enumerate(GAS_SECTORS):
        eps = params.float(ELASTICITY_PARAM[sector])
        markup = params.float(MARKUP_PARAM[sector]) if sector in MARKUP_PARAM else 0.0
        limit = min(bounds[sector], DEMAND_DOWN[-1])
        price = step_prices(price_ref, eps, DEMAND_DOWN, up=False, markup=markup, limit=limit)
        # a step dearer than the sector's rationing cost (the cap less its margin, with the wedge) is rationing
        width = _widths(DEMAND_DOWN, limit)[:, None] * (price < cap - margins[sector])
        down_p[k] = np.where(np.isfinite(price), price, 0.0)
        down_w[:, k] = width[None, :, :] * served[:, k, None, :]
        up_price = step_prices(price_ref, eps, DEMAND_UP, up=True, markup=markup)
        # demand above the reference only at a positive hub price: a step the curve reaches only below zero
        # (a small elasticity with a large markup) has no width
        ok = np.isfinite(up_price) & (up_price > 0)
        up_p[k] = np.where(ok, up_price, 0.0)
        up_w[:, k] = (np.diff(np.array(DEMAND_UP))[:, None] * ok)[None, :, :] * served[:, k, None, :]
        ration_ub[:, k] = served[:, k] - down_w[:, k].sum(axis=1)
    ration_cost = np.array([cap - margins[s] for s in GAS_SECTORS])

    # gas.production.change_share is the EU's decline (Groningen); non-EU nodes produce at their 2020 level
    change = params.float("gas.production.change_share") * system.eu
    production = 1000.0 * np.outer(system.production * (1 + change), year_frac)
    entry_ub = np.outer(system.entry_capacity, days)
    route_ub = {r: system.route_capacity[r] * params.path(ROUTE_PARAM[r], months) * days for r in RUSSIAN_ROUTES}
    extra_pipe = {
        c: params.float("gas.pipeline.norway.extra_share")
        if c == "norway"
        else params.float("gas.pipeline.other.extra_share")
        for c in PIPELINE_CORRIDORS
    }
    # The UK's exports follow its own (winter-peaking) demand, which its storage and LNG shape: their base-year
    # volume is spread over the months like EU demand (docs/methodology.md, gas, 3.6); every other corridor flat
    # on the EU-only network; in the wider Europe Norway, Algeria and Libya follow their observed months).
    eu_demand = system.demand_annual[system.eu]
    eu_shape = (system.profile @ eu_demand.sum(axis=0)) / eu_demand.sum()
    shape = {c: eu_shape[cal - 1] if c in UK_CORRIDORS else year_frac for c in PIPELINE_CORRIDORS}
    shape["norway"] = year_frac * system.norway_profile[cal - 1]  # flat on the EU-only network (3.6)
    for c, r in system.supply_profile.items():  # the Algerian and Libyan pipes' months (wider Europe, 3.6)
        if c in shape:
            shape[c] = year_frac * r[cal - 1]
    corridor_base = {c: 1000.0 * system.corridor_base[c] * shape[c] for c in PIPELINE_CORRIDORS}
    corridor_extra = {c: corridor_base[c] * extra_pipe[c] for c in PIPELINE_CORRIDORS}
    regas_ub = 1000.0 * np.outer(system.regas * params.float("gas.lng.regas_max_utilisation"), year_frac)

    # LNG by origin (3.7): exports X_o, of which Europe took E_o in the base year; a share phi_o of every cargo is
    # destination-flexible. Fixed to Europe (1 - phi_o) E_o; flexible phi_o X_o; Asia's reference take of the
    # flexible gas phi_o (X_o - E_o). Russian LNG is all fixed to Europe and follows its utilisation path.
    n_o = len(LNG_ORIGINS)
    fixed = np.zeros((n_o, n_t))
    fixed_ne = np.zeros((n_o, n_t))
    flex = np.zeros((n_o, n_t))
    asia_ref = np.zeros(n_t)
    # the EU27's fixed cargoes arrive with the EU27 terminals' observed send-out (wider Europe; flat on the EU-only
    # network), the non-EU nodes' with those nodes' demand (3.7)
    eu_lng_months = year_frac * system.supply_profile.get("lng_eu27", np.ones(12))[cal - 1]
    for j, o in enumerate(LNG_ORIGINS):
        e, x = system.lng_base[o], system.lng_exports[o]
        e_ne = system.lng_base_non_eu[o]
        if o == "russia":
            u = params.path(RUSSIA_LNG_PARAM, months)
            fixed[j] = 1000.0 * (e - e_ne) * u * eu_lng_months
            fixed_ne[j] = 1000.0 * e_ne * u * year_frac
            continue
        phi = params.float(FLEX_PARAM[o])
        # the EU's base-year cargoes arrive with its terminals' send-out (evenly on the EU-only network); the
        # non-EU nodes' (the UK's, whose winter is met by LNG: 3.1 bcm of storage) with those nodes' demand shape,
        # at those nodes' terminals (3.7)
        fixed[j] = 1000.0 * (1 - phi) * (e - e_ne) * eu_lng_months
        fixed_ne[j] = 1000.0 * (1 - phi) * e_ne * system.lng_shape_non_eu[cal - 1]
        flex[j] = 1000.0 * phi * x * year_frac
        asia_ref += 1000.0 * phi * (x - e) * year_frac
    spread = params.float("gas.lng.asia_spread_eur_mwh")
    eps_a = params.float("gas.lng.asia.elasticity")
    asia_p0 = price_ref + spread
    a_down_p = np.minimum(step_prices(asia_p0, eps_a, ASIA_DOWN, up=False), cap)
    a_up_p = step_prices(asia_p0, eps_a, ASIA_UP, up=True)
    a_down_w = np.diff(np.array(ASIA_DOWN))[:, None] * asia_ref[None, :]
    a_up_w = np.diff(np.array(ASIA_UP))[:, None] * asia_ref[None, :]
    if eps_a == 0:
        a_down_p = np.full_like(a_down_w, cap)
        a_up_w, a_up_p = np.zeros_like(a_up_w), np.zeros_like(a_up_w)

    costs = {
        "production": params.float("gas.cost.production_eur_mwh"),
        "pipeline": params.float("gas.cost.pipeline_eur_mwh"),
        "russia": params.float("gas.cost.pipeline_eur_mwh"),
        "pipeline_extra": params.float("gas.cost.pipeline_eur_mwh") + PIPELINE_EXTRA_PREMIUM,
        "lng": params.float("gas.cost.lng_eur_mwh"),
        "storage_cycle": STORAGE_CYCLE_COST,
        "arc": ARC_COST,
        "target_miss": cap - TARGET_MARGIN - wedge,  # below every non-protected customer's rationing (3.3)
        "storage_topup": cap - STORAGE_CYCLE_COST - wedge,  # the wedge too: unchanged against industry (3.3)
    }
    wgv = 1000.0 * system.storage_wgv
    start = wgv * params.float("gas.storage.initial_fill")
    # every gas year of the horizon (April to March) ends with every store at least at the end floor, as the horizon
    # itself does (3.5): a longer horizon does not borrow from a later winter
    floors = gas_year_ends(cal)
    if "UA" in system.countries:
        # Ukraine's own cycle (wider Europe, docs/methodology.md, gas, section 1): it starts its 2021 drawdown
        # above the end-of-horizon floor, so it may end its first gas year that much lower than it starts
        ua = system.countries.index("UA")
        drawdown = params.float(UKRAINE_DRAWDOWN_PARAM)
        start[ua] = wgv[ua] * params.float("gas.storage.end_fill") + 1000.0 * drawdown
        if not 0.0 <= start[ua] <= wgv[ua]:
            raise ParameterError(
                f"gas.storage.ukraine_drawdown_bcm = {drawdown} bcm: Ukraine's storage would start at "
                f"{start[ua] / 1000:.2f} bcm; allowed [0, {wgv[ua] / 1000:.2f}] bcm (its working gas), i.e. a "
                "drawdown within [-floor, working gas - floor] at gas.storage.end_fill"
            )
    return GasInputs(
        months=months,
        days=days,
        cal=cal,
        demand=demand,
        policy_share=policy,
        price_ref=price_ref,
        cap=cap,
        down_width=down_w,
        down_price=down_p,
        up_width=up_w,
        up_price=up_p,
        ration_ub=ration_ub,
        ration_cost=ration_cost,
        costs=costs,
        production=production,
        entry_ub=entry_ub,
        route_ub=route_ub,
        corridor_base=corridor_base,
        corridor_extra=corridor_extra,
        regas_ub=regas_ub,
        lng_fixed=fixed,
        lng_fixed_non_eu=fixed_ne,
        lng_flex=flex,
        asia_ref=asia_ref,
        asia_down_width=a_down_w,
        asia_down_price=a_down_p,
        asia_up_width=a_up_w,
        asia_up_price=a_up_p,
        asia_spread=spread,
        asia_freight=spread * np.array([FREIGHT_RATIO[o] for o in LNG_ORIGINS]),
        storage_start=start,
        storage_wgv=wgv,
        inj_ub=np.outer(system.storage_inj, days),
        wd_ub=np.outer(system.storage_wd, days),
        # Regulation (EU) 2017/1938 (as amended) binds EU member states only: no target outside the EU
        target_fill=params.float("gas.storage.target_fill") * system.eu,
        end_fill=params.float("gas.storage.end_fill"),
        arc_ub=np.outer(system.arc_capacity, days),
        arc_cost=ARC_COST + scale * system.arc_tariff,
        group_ub={g: cap * _group_share(g, params, months) * days for g, _, cap in system.entry_groups},
        floor_months=floors,
    )


def _group_share(group: str, params: Params, months: list[str]) -> np.ndarray | float:
    """The share of an entry group's capacity open in each month: a Russian route's side, its route's utilisation
    path; a corridor's group (Norway's continental pipes), all of it."""
    source = group.split(":")[0]
    return params.path(ROUTE_PARAM[source], months) if source in ROUTE_PARAM else 1.0


def _at_least(value: Value | DatedPath, level: float) -> Value | DatedPath:
    """A utilisation (a scalar or a dated path) raised to at least ``level`` in every month; a scalar when the
    result is ``level`` throughout."""
    if isinstance(value, DatedPath):
        base = max(float(value.base), level)
        steps = tuple((m, max(float(v), level)) for m, v in value.steps)
        if base == level and all(v == level for _, v in steps):
            return level
        return DatedPath(base, steps)
    return max(float(value), level)


def reference_levels(params: Params, system: GasSystem) -> dict[str, float]:
    """The reference utilisation of each Russian parameter (docs/methodology.md, gas, section 5): with
    ``gas.reference.run_rate`` true, each route's run-rate of 1 January to 23 February 2022, at most its 2021
    average; false, its 2021 average (the registry default). Russian LNG has no run-rate in the data: its default in both."""
    defaults = params.defaults
    levels = {ROUTE_PARAM[r]: float(defaults[ROUTE_PARAM[r]]) for r in RUSSIAN_ROUTES}
    if bool(params[REFERENCE_PARAM]):
        # The run-rate is a winter (January-February) rate: capped at the 2021 average, so that the reference of
        # a gas year never expects more than 2021 delivered (binds on TurkStream only; the baseline, every route
        # at its 2021 default, then loses nothing against either reference).
        run_rate = route_utilisation_run_rate(system)
        levels = {ROUTE_PARAM[r]: min(run_rate[r], levels[ROUTE_PARAM[r]]) for r in RUSSIAN_ROUTES}
    levels[RUSSIA_LNG_PARAM] = float(defaults[RUSSIA_LNG_PARAM])
    return levels


def reference_values(params: Params, system: GasSystem) -> dict[str, Value | DatedPath]:
    """The Russian parameters of the reference run: each route at the higher of its reference level and the
    scenario's own path, month by month. A scenario loses Russian gas only where it cuts a route below its
    reference; a route it leaves above the reference counts as neither lost nor gained."""
    return {name: _at_least(params[name], level) for name, level in reference_levels(params, system).items()}
