"""Stage 4 of the gas model: accounts. From a scenario's solution and its reference's: the coverage of the lost
Russian volume, the tables, the headline values and the monthly outputs that downstream modules read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from ..data import GAS_SECTORS, LNG_ORIGINS, PIPELINE_CORRIDORS, RUSSIAN_ROUTES
from ..metrics import metrics_for
from ..model import BatchResult, Metric, ModuleResult
from ..units import GWH_PER_MCM
from .solve import GasSolution
from .system import GasInputs, GasSystem

GEOGRAPHY = "EU27"  # every headline metric sums over the EU27 nodes only (GasSystem.eu)
# The id of Russian LNG in the ``gas_russian_routes`` table, as in its registry name gas.russia.lng.utilisation.
RUSSIAN_LNG_ROUTE = "lng"
# Headline sums and averages run over the first 12 months of the horizon (one gas year; from the default start,
# March 2022 to February 2023); the tables and the monthly outputs cover the whole horizon.
HEADLINE_MONTHS = 12


_T = TypeVar("_T")
# One set's accounts (``headline_values`` and ``month_outputs`` of one scenario and its reference) read the same
# tracing and LNG split of each solution several times (seven flow tracings a draw): a ``Memo`` computes each
# once. Keyed by the solution's id, so a memo must not outlive the call that made it (the solutions stay alive
# while it lives, so their ids are unique); None computes every time.
Memo = dict[tuple[str, int], Any]


def _once(memo: Memo | None, name: str, sol: GasSolution, compute: Callable[[], _T]) -> _T:
    """``compute()``, or what it returned for ``sol`` earlier in ``memo`` (the same arrays: read, never written)."""
    if memo is None:
        return compute()
    key = (name, id(sol))
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def window(n_months: int) -> slice:
    """The months the headline metrics sum over: the first HEADLINE_MONTHS of the horizon."""
    return slice(0, min(HEADLINE_MONTHS, n_months))


def _lng_split(sol: GasSolution, system: GasSystem, memo: Memo | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The European LNG pool's cargoes by origin split between the EU27 and the non-EU nodes (the UK), month by
    month (docs/methodology.md, gas, section 5, "What the EU27 headline counts"): (O, 2, T) mcm attributed to the
    EU27 by origin and tier, and (O, T) the origin mix of the non-EU nodes' send-out.

    The non-EU nodes land the cargoes fixed to their terminals g^ne_o (3.7, ``lp.lng_destination``; the solution's
    ``lng_fixed_non_eu``; without it, their base-year share c = E_RU^UK / E_RU of Russian LNG), as far as their
    send-out allows (scaled by min(1, L^ne_t / sum_o g^ne_o)). Russian LNG is all destination-fixed: the rest of it
    lands in the EU27, R^EU_t = R_t - g^ne_RU. Every other origin's remaining cargoes are shared in proportion: the
    EU27 gets the share (L^EU_t - R^EU_t) / (pool_t - R_t - sum_{o != RU} g^ne_o) of each. On the EU-only network
    L^ne = 0 and g^ne = 0, so the EU27 gets everything."""
    return _once(memo, "lng_split", sol, lambda: _lng_split_of(sol, system))


def _lng_split_of(sol: GasSolution, system: GasSystem) -> tuple[np.ndarray, np.ndarray]:
    by_tier = sol.lng_by_origin
    total = by_tier.sum(axis=1)  # (O, T)
    pool = total.sum(axis=0)
    ru = LNG_ORIGINS.index("russia")
    l_eu = sol.lng[system.eu].sum(axis=0)
    l_ne = sol.lng[~system.eu].sum(axis=0)
    fixed_ne = getattr(sol, "lng_fixed_non_eu", None)  # absent from the tests' hand-made solutions
    if fixed_ne is None or fixed_ne.size == 0:
        e_ru = system.lng_base["russia"]
        fixed_ne = np.zeros_like(total)
        fixed_ne[ru] = (system.lng_base_non_eu["russia"] / e_ru if e_ru > 0 else 0.0) * total[ru]
    want = fixed_ne.sum(axis=0)
    fixed_ne = fixed_ne * np.divide(np.minimum(want, l_ne), want, out=np.zeros_like(want), where=want > 1e-12)
    r_all = total[ru]
    r_eu = r_all - fixed_ne[ru]
    rest = pool - r_all - (fixed_ne.sum(axis=0) - fixed_ne[ru])
    s_eu = np.divide(l_eu - r_eu, rest, out=np.ones_like(rest), where=rest > 1e-9)
    eu_by_origin = by_tier * s_eu[None, None, :]
    eu_by_origin[:, 0, :] = (by_tier[:, 0, :] - fixed_ne) * s_eu[None, :]
    eu_by_origin[ru] = 0.0
    eu_by_origin[ru, 0] = r_eu
    eu_by_origin[ru, 1] = by_tier[ru, 1]
    ne = total - eu_by_origin.sum(axis=1)
    ne_mix = np.divide(ne, l_ne[None, :], out=np.zeros_like(ne), where=l_ne[None, :] > 1e-9)
    return eu_by_origin, ne_mix


def eu_lng_by_origin(sol: GasSolution, system: GasSystem, memo: Memo | None = None) -> np.ndarray:
    """(O, 2, T) LNG by origin and tier attributed to the EU27 nodes, mcm (``_lng_split``)."""
    return _lng_split(sol, system, memo)[0]


def non_eu_net_imports(sol: GasSolution, system: GasSystem) -> np.ndarray:
    """(T,) flows from non-EU nodes into EU27 nodes less flows the other way, mcm."""
    eu = system.eu
    into = eu[system.arc_to] & ~eu[system.arc_from]
    out = eu[system.arc_from] & ~eu[system.arc_to]
    return sol.flow[into].sum(axis=0) - sol.flow[out].sum(axis=0)


# The sources that flow tracing (``traced_imports``) follows through the non-EU nodes: LNG by origin, Russian routes,
# pipeline corridors (Norway into the UK), the non-EU nodes' own production and storage withdrawal, and EU27 gas
# that left the EU27 for a non-EU node (``eu27``: it re-enters the EU27 as part of that node's mix).
TRACE_SOURCES: tuple[str, ...] = (
    *(f"lng_{o}" for o in LNG_ORIGINS),
    *(f"russia_{r}" for r in RUSSIAN_ROUTES),
    *(f"pipeline_{c}" for c in PIPELINE_CORRIDORS),
    "production",
    "storage_withdrawal",
    "eu27",
)


def lng_origin_mix(sol: GasSolution, system: GasSystem, memo: Memo | None = None) -> np.ndarray:
    """(O, T) share of each origin in the non-EU nodes' LNG send-out (``_lng_split``): the pool's mix, except that
    Russian LNG, destination-fixed, lands where its contracts do (3.7)."""
    return _lng_split(sol, system, memo)[1]


def traced_imports(sol: GasSolution, system: GasSystem, memo: Memo | None = None) -> dict[str, np.ndarray]:
    """Gas entering the EU27 from non-EU nodes, traced to its sources by proportional sharing (docs/methodology.md,
    gas, section 5, "Gas that reaches the EU27 through non-EU nodes"): source (``TRACE_SOURCES``) -> (T,) mcm.

    Each month, every non-EU node n mixes what enters it, its own supplies s_{n,k} (LNG send-out at n split by
    ``lng_origin_mix``, Russian and corridor entries at n, production, storage withdrawal, arcs from EU27 nodes as
    source ``eu27``) and the arcs from other non-EU nodes m, and every outflow (served demand, injection, each arc)
    carries the mix: X_{n,k} = s_{n,k} + sum_m f_{m->n} X_{m,k} / P_m, P_n = sum_k X_{n,k} the node's throughput
    (Bialek 1996's proportional sharing). Solved as (I - A) X = S with A_{n,m} = f_{m->n} / P_m; the gas entering the
    EU27 from source k is I_k = sum over arcs m->j (m non-EU, j EU27) of f_{m->j} X_{m,k} / P_m. Since the rows of X
    sum to P, sum_k I_k is the whole flow from non-EU nodes into the EU27 (to solver tolerance). Zero for every
    source on the EU-only network."""
    return _once(memo, "traced", sol, lambda: _traced_imports_of(sol, system, memo))


def _traced_imports_of(sol: GasSolution, system: GasSystem, memo: Memo | None) -> dict[str, np.ndarray]:
    n_t = sol.flow.shape[1]
    out = {k: np.zeros(n_t) for k in TRACE_SOURCES}
    eu = system.eu
    ne = np.flatnonzero(~eu)
    if not len(ne):
        return out
    n_u, n_k = len(ne), len(TRACE_SOURCES)
    col = {k: i for i, k in enumerate(TRACE_SOURCES)}
    pos = np.full(len(eu), -1)
    pos[ne] = np.arange(n_u)
    supply = np.zeros((n_t, n_u, n_k))
    mix = lng_origin_mix(sol, system, memo)
    for k, origin in enumerate(LNG_ORIGINS):
        supply[:, :, col[f"lng_{origin}"]] = (sol.lng[ne] * mix[k][None, :]).T
    at_ne = np.flatnonzero(~eu[system.entry_node])
    for e in at_ne:
        prefix = "russia" if system.entry_kind[e] == "russia" else "pipeline"
        supply[:, pos[system.entry_node[e]], col[f"{prefix}_{system.entry_source[e]}"]] += sol.entry[e]
    supply[:, :, col["production"]] = sol.production[ne].T
    supply[:, :, col["storage_withdrawal"]] = sol.withdrawal[ne].T
    from_eu = eu[system.arc_from] & ~eu[system.arc_to]
    for a in np.flatnonzero(from_eu):
        supply[:, pos[system.arc_to[a]], col["eu27"]] += sol.flow[a]
    within = np.flatnonzero(~eu[system.arc_from] & ~eu[system.arc_to])
    inflow = np.zeros((n_t, n_u))
    for a in within:
        inflow[:, pos[system.arc_to[a]]] += sol.flow[a]
    throughput = supply.sum(axis=2) + inflow
    den = np.where(throughput > 0, throughput, 1.0)
    a_mat = np.zeros((n_t, n_u, n_u))
    for a in within:
        i, j = pos[system.arc_to[a]], pos[system.arc_from[a]]
        a_mat[:, i, j] += sol.flow[a] / den[:, j]
    x = np.linalg.solve(np.eye(n_u)[None, :, :] - a_mat, supply)  # (T, U, K)
    frac = x / den[:, :, None]
    into_eu = np.flatnonzero(~eu[system.arc_from] & eu[system.arc_to])
    traced = np.zeros((n_t, n_k))
    for a in into_eu:
        traced += sol.flow[a][:, None] * frac[:, pos[system.arc_from[a]], :]
    return {k: traced[:, i] for i, k in enumerate(TRACE_SOURCES)}


def _supply_by_source(
    sol: GasSolution, system: GasSystem, w: slice, memo: Memo | None = None
) -> tuple[dict[str, float], dict[str, float]]:
    """EU27 totals over the months ``w``, bcm, by source, and the part of each that reached the EU27 through
    non-EU nodes (``traced_imports``). LNG landed at EU27 terminals by origin is attributed by ``_lng_split``;
    the gas non-EU nodes send into the EU27 goes to its traced sources: LNG by origin, Russian routes, pipeline
    corridors, the non-EU nodes' production and storage draw, and (``non_eu_neighbours``) EU27 gas returning less
    the EU27's flows into non-EU nodes."""
    eu = system.eu
    out: dict[str, float] = {"production": sol.production[eu][:, w].sum() / 1000}
    kinds = np.array(system.entry_kind)
    sources = np.array(system.entry_source)
    at_eu = eu[system.entry_node]
    entry = sol.entry[:, w]
    traced = {k: v[w].sum() / 1000 for k, v in traced_imports(sol, system, memo).items()}
    via: dict[str, float] = {}
    for route in RUSSIAN_ROUTES:
        key = f"russia_{route}"
        via[key] = traced[key]
        out[key] = entry[(kinds == "russia") & (sources == route) & at_eu].sum() / 1000 + via[key]
    for corridor in PIPELINE_CORRIDORS:
        key = f"pipeline_{corridor}"
        via[key] = traced[key]
        out[key] = entry[(kinds == "pipeline") & (sources == corridor) & at_eu].sum() / 1000 + via[key]
    lng = eu_lng_by_origin(sol, system, memo)
    for k, origin in enumerate(LNG_ORIGINS):
        key = f"lng_{origin}"
        via[key] = traced[key]
        out[key] = lng[k][:, w].sum() / 1000 + via[key]
    out["non_eu_production"] = via["non_eu_production"] = traced["production"]
    out["non_eu_storage"] = via["non_eu_storage"] = traced["storage_withdrawal"]
    into = eu[system.arc_from] & ~eu[system.arc_to]
    out["non_eu_neighbours"] = via["non_eu_neighbours"] = traced["eu27"] - sol.flow[into][:, w].sum() / 1000
    out["storage_net_withdrawal"] = (sol.withdrawal[eu][:, w].sum() - sol.injection[eu][:, w].sum()) / 1000
    out["demand_reduction"] = sol.reduction[eu][..., w].sum() / 1000
    out["price_response"] = sol.response[eu][..., w].sum() / 1000
    out["unserved"] = sol.unserved[eu][..., w].sum() / 1000
    return out, via


def eu_price(inp: GasInputs, sol: GasSolution, eu: np.ndarray | None = None) -> np.ndarray:
    """Demand-weighted EU27 average of the node prices by month, EUR/MWh (weights: reference demand of the EU27
    nodes ``eu``, a boolean mask; None: every node, for a system without non-EU nodes)."""
    weight = inp.demand.sum(axis=1)
    if eu is not None:
        weight = weight * eu[:, None]
    return (sol.price * weight).sum(axis=0) / weight.sum(axis=0)


def import_bill(inp: GasInputs, sol: GasSolution, w: slice, system: GasSystem) -> float:
    """EU27 imports (pipeline entries and LNG send-out at EU27 nodes, and net flows from non-EU nodes such as the
    UK) valued at the month's demand-weighted EU27 price, bn EUR. (Valued at the EU average, not at each entry
    node's price: the split of an import between entry points with the same landed cost is not unique, the total
    is.)"""
    eu = system.eu
    imports = sol.entry[eu[system.entry_node]].sum(axis=0) + sol.lng[eu].sum(axis=0) + non_eu_net_imports(sol, system)
    return float((imports * eu_price(inp, sol, eu))[w].sum() * GWH_PER_MCM * 1000 / 1e9)


def russian_routes(sol: GasSolution, system: GasSystem, memo: Memo | None = None) -> dict[str, np.ndarray]:
    """Russian gas delivered to the EU27 by month, mcm, by route (every pipeline route, then Russian LNG as
    ``lng``): entries at EU27 nodes and LNG landed at EU27 terminals (attributed by ``_lng_split``), plus what
    reaches the EU27 through non-EU nodes (``traced_imports``: in the wider Europe, the Ukraine route's gas entering
    at Moldova, Russian LNG landed in the UK; zero on the EU-only network)."""
    return _once(memo, "routes", sol, lambda: _russian_routes_of(sol, system, memo))


def _russian_routes_of(sol: GasSolution, system: GasSystem, memo: Memo | None) -> dict[str, np.ndarray]:
    at_eu = system.eu[system.entry_node]
    traced = traced_imports(sol, system, memo)
    out = {
        r: sol.entry[np.intersect1d(system.entries("russia", r), np.flatnonzero(at_eu))].sum(axis=0)
        + traced[f"russia_{r}"]
        for r in RUSSIAN_ROUTES
    }
    out[RUSSIAN_LNG_ROUTE] = (
        eu_lng_by_origin(sol, system, memo)[LNG_ORIGINS.index("russia")].sum(axis=0) + traced["lng_russia"]
    )
    return out


def russian_volume(sol: GasSolution, system: GasSystem, w: slice | None = None, memo: Memo | None = None) -> float:
    """Russian pipeline gas and LNG delivered to the EU27 over the months ``w`` (default: the headline window),
    bcm."""
    w = window(sol.level.shape[1]) if w is None else w
    return sum(v[w].sum() for v in russian_routes(sol, system, memo).values()) / 1000


def _lng_label(origin: str) -> str:
    return (
        "Qatari LNG" if origin == "qatar" else f"LNG from {origin.upper() if origin == 'us' else origin.capitalize()}"
    )


def coverage_rows(
    sol: GasSolution,
    ref: GasSolution,
    system: GasSystem,
    via_non_eu: dict[str, float] | None = None,
    memo: Memo | None = None,
) -> tuple[list[tuple[str, str, float]], float]:
    """(item, label, bcm) of each way the lost Russian volume was replaced over the headline window, and the
    volume lost (bcm): "lost" is the reference run's Russian deliveries less the scenario's (the routes are
    upper bounds in both, so it is what Russia would have delivered and did not). Gas that reaches the EU27
    through non-EU nodes counts for its traced source (``traced_imports``); ``via_non_eu``, when given, receives
    that part of each row (bcm)."""
    w = window(sol.level.shape[1])
    (a, a_via), (b, b_via) = _supply_by_source(sol, system, w, memo), _supply_by_source(ref, system, w, memo)
    d = {k: a[k] - b[k] for k in a}
    dv = {k: a_via[k] - b_via[k] for k in a_via}
    lost = russian_volume(ref, system, w, memo) - russian_volume(sol, system, w, memo)
    lng_items = ["qatar", *(o for o in LNG_ORIGINS if o not in ("qatar", "russia"))]
    rows = [
        *[(f"{o}_lng", _lng_label(o), d[f"lng_{o}"]) for o in lng_items],
        ("other_pipelines", "Other pipeline imports", sum(d[f"pipeline_{c}"] for c in PIPELINE_CORRIDORS)),
        ("non_eu_production", "Production of non-EU nodes (UK, Ukraine, ...) sent to the EU27", d["non_eu_production"]),
        ("non_eu_storage", "Storage draw of non-EU nodes sent to the EU27", d["non_eu_storage"]),
        (
            "non_eu_neighbours",
            "EU27 gas returning from non-EU nodes less EU27 flows into them",
            d["non_eu_neighbours"],
        ),
        ("domestic_production", "Domestic production", d["production"]),
        ("storage_draw", "Storage draw (net withdrawal)", d["storage_net_withdrawal"]),
        ("demand_reduction", "Policy demand reduction", d["demand_reduction"]),
        ("price_response", "Demand response to price", d["price_response"]),
        ("unserved", "Unserved demand (shortfall)", d["unserved"]),
    ]
    if via_non_eu is not None:
        via_of = {f"{o}_lng": dv[f"lng_{o}"] for o in lng_items}
        via_of["other_pipelines"] = sum(dv[f"pipeline_{c}"] for c in PIPELINE_CORRIDORS)
        for item in ("non_eu_production", "non_eu_storage", "non_eu_neighbours"):
            via_of[item] = dv[item]
        via_non_eu.update({item: via_of.get(item, 0.0) for item, _, _ in rows})
    return rows, lost


def coverage(sol: GasSolution, ref: GasSolution, system: GasSystem) -> pd.DataFrame:
    """How the Russian volume the EU27 lost against the reference was replaced, bcm over the headline window.

    By the two runs' EU27 balances, lost Russian volume = sum of the rows below exactly:
    more LNG, more other pipeline gas, more production and storage draw of non-EU nodes sent to the EU27, more EU27
    gas returning from non-EU nodes less the EU27's flows into them, more domestic production, more net storage
    withdrawal, more policy demand reduction, more demand response to price, more rationed demand. Gas from
    non-EU nodes counts for its traced source (``traced_imports``); the column ``via_non_eu_bcm`` is that part of
    each row (zero on the EU-only network).
    """
    via: dict[str, float] = {}
    rows, lost = coverage_rows(sol, ref, system, via)
    df = pd.DataFrame(rows, columns=["item", "label", "value_bcm"])
    df["share_of_lost_pct"] = 100.0 * df["value_bcm"] / lost if lost > 1e-6 else 0.0
    df["via_non_eu_bcm"] = [via[item] for item in df["item"]]
    df.attrs["russian_lost_bcm"] = lost
    return df


def tables(inp: GasInputs, sol: GasSolution, ref: GasSolution, system: GasSystem) -> dict[str, pd.DataFrame]:
    countries = list(system.countries)
    months = inp.months
    n_nodes, n_t = len(countries), len(months)
    country_col = np.repeat(np.array(countries, dtype=object), n_t)
    month_col = np.tile(np.array(months, dtype=object), n_nodes)
    geo = np.array(system.geography, dtype=object)
    grid = pd.DataFrame({"country": country_col, "geography": np.repeat(geo, n_t), "month": month_col})

    kinds = np.array(system.entry_kind)
    sources = np.array(system.entry_source)
    items: list[tuple[str, np.ndarray]] = [
        ("demand", inp.demand.sum(axis=1)),
        ("demand_reduction", sol.reduction.sum(axis=1)),
        ("demand_response", sol.response.sum(axis=1)),
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
            "geography": np.tile(np.repeat(geo, n_t), len(items)),
            "month": np.tile(month_col, len(items)),
            "item": np.repeat(np.array([name for name, _ in items], dtype=object), n_cells),
            "value_bcm": np.concatenate([arr.ravel() for _, arr in items]) / 1000,
        }
    )

    storage = grid.copy()
    storage["level_bcm"] = sol.level.ravel() / 1000
    wgv = np.repeat(inp.storage_wgv / 1000, n_t)
    storage["working_gas_bcm"] = wgv
    storage["unmet_obligation_bcm"] = sol.storage_topup.ravel() / 1000
    storage["fill_pct"] = np.where(wgv > 0, 100 * storage["level_bcm"] / np.where(wgv > 0, wgv, 1), 0.0)

    n_sec = len(GAS_SECTORS)
    unserved = pd.DataFrame(
        {
            "country": np.repeat(np.array(countries, dtype=object), n_sec * n_t),
            "geography": np.repeat(geo, n_sec * n_t),
            "sector": np.tile(np.repeat(np.array(GAS_SECTORS, dtype=object), n_t), n_nodes),
            "month": np.tile(np.array(months, dtype=object), n_nodes * n_sec),
        }
    )
    unserved["demand_bcm"] = inp.demand.ravel() / 1000
    unserved["reduction_bcm"] = sol.reduction.ravel() / 1000
    unserved["response_bcm"] = sol.response.ravel() / 1000
    unserved["unserved_bcm"] = sol.unserved.ravel() / 1000

    prices = grid.copy()
    prices["price_eur_mwh"] = sol.price.ravel()
    prices["reference_price_eur_mwh"] = np.tile(inp.price_ref, n_nodes)

    lng_origin = pd.DataFrame(
        {
            "origin": np.repeat(np.array(LNG_ORIGINS, dtype=object), 2 * n_t),
            "tier": np.tile(np.repeat(np.array(["fixed", "flexible"], dtype=object), n_t), len(LNG_ORIGINS)),
            "month": np.tile(np.array(months, dtype=object), 2 * len(LNG_ORIGINS)),
        }
    )
    lng_origin["value_bcm"] = sol.lng_by_origin.ravel() / 1000
    lng_origin["flexible_to_asia_bcm"] = (
        np.repeat(sol.lng_to_asia, 2, axis=0).ravel() / 1000 * np.tile(np.repeat([0.0, 1.0], n_t), len(LNG_ORIGINS))
    )
    lng_origin["asia_price_eur_mwh"] = np.tile(sol.asia_price, 2 * len(LNG_ORIGINS))

    flows = pd.DataFrame(
        {
            "from_country": np.repeat([countries[i] for i in system.arc_from], n_t),
            "to_country": np.repeat([countries[i] for i in system.arc_to], n_t),
            "month": np.tile(months, len(system.arc_from)),
            "flow_bcm": sol.flow.ravel() / 1000,
            "capacity_bcm": inp.arc_ub.ravel() / 1000,
        }
    )

    routes = russian_routes(sol, system)
    russian = pd.DataFrame(
        {
            "route": np.repeat(np.array(list(routes), dtype=object), n_t),
            "month": np.tile(np.array(months, dtype=object), len(routes)),
            "flow_bcm": np.concatenate(list(routes.values())) / 1000,
        }
    )

    ref_russia = np.zeros(n_nodes)
    sc_russia = np.zeros(n_nodes)
    np.add.at(ref_russia, system.entry_node[kinds == "russia"], ref.entry[kinds == "russia"].sum(axis=1))
    np.add.at(sc_russia, system.entry_node[kinds == "russia"], sol.entry[kinds == "russia"].sum(axis=1))
    demand_nt = inp.demand.sum(axis=1)
    dem = inp.demand.sum(axis=(1, 2)) / 1000
    uns = sol.unserved.sum(axis=(1, 2)) / 1000
    nov1 = 100 * nov1_levels(inp, sol) / np.where(inp.storage_wgv > 0, inp.storage_wgv, 1)
    summary = pd.DataFrame(
        {
            "country": countries,
            "geography": geo,
            "demand_bcm": dem,
            "russian_pipeline_entry_reference_bcm": ref_russia / 1000,
            "russian_pipeline_entry_bcm": sc_russia / 1000,
            "demand_reduction_bcm": sol.reduction.sum(axis=(1, 2)) / 1000,
            "demand_response_bcm": sol.response.sum(axis=(1, 2)) / 1000,
            "price_avg_eur_mwh": (sol.price * inp.demand.sum(axis=1)).sum(axis=1)
            / np.maximum(demand_nt.sum(axis=1), 1e-9),
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
        "gas_prices": prices,
        "gas_lng_by_origin": lng_origin,
        "gas_flows": flows,
        "gas_russian_routes": russian,
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
    = demand - policy reduction - demand response to price - unserved.
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
    return lhs - (piv["demand"] - piv["demand_reduction"] - piv["demand_response"] - piv["unserved"])


def failed_result(status: str, message: str, n_months: int) -> ModuleResult:
    nan = float("nan")
    metrics = tuple(Metric(m.id, nan, m.unit, m.label, m.geography) for m in METRICS)
    return ModuleResult(
        "gas", metrics, {}, {}, status=status, message=message, batch=batch_result([None], [None], n_months)
    )


METRICS = metrics_for("gas")  # declared in econ/metrics.py


def headline_values(
    inputs: GasInputs, sol: GasSolution, ref: GasSolution, system: GasSystem, memo: Memo | None = None
) -> dict[str, float]:
    """Headline metrics: sums and averages over the first 12 months of the horizon (``window``), storage over
    the whole horizon. ``memo``: shared with ``month_outputs`` of the same set (``Memo``)."""
    w = window(len(inputs.months))
    eu = system.eu
    rows, lost = coverage_rows(sol, ref, system, memo=memo)
    share = {item: 100.0 * value / lost if lost > 1e-6 else 0.0 for item, _, value in rows}
    demand = inputs.demand[eu][..., w].sum() / 1000
    shortfall = sol.unserved[eu][..., w].sum() / 1000
    total_level = sol.level[eu].sum(axis=0)
    wgv = inputs.storage_wgv[eu].sum()
    price = eu_price(inputs, sol, eu)
    weight = inputs.demand[eu].sum(axis=(0, 1))[w]
    return {
        "eu_gas_shortfall_bcm": shortfall,
        "eu_gas_shortfall_pct": 100 * shortfall / demand if demand > 0 else 0.0,
        "eu_storage_min_pct": 100 * total_level.min() / wgv if wgv > 0 else 0.0,
        "eu_storage_nov1_pct": 100 * nov1_levels(inputs, sol)[eu].sum() / wgv if wgv > 0 else 0.0,
        "russian_gas_lost_bcm": lost,
        "qatar_lng_share_of_gap_pct": share["qatar_lng"],
        "lng_share_of_gap_pct": sum(v for k, v in share.items() if k.endswith("_lng")),
        "demand_reduction_bcm": sol.reduction[eu][..., w].sum() / 1000,
        "lng_imports_bcm": sol.lng[eu][:, w].sum() / 1000,
        "russian_gas_delivered_bcm": russian_volume(sol, system, w, memo),
        "ttf_price_avg_eur_mwh": float((price[w] * weight).sum() / weight.sum()),
        "ttf_price_peak_eur_mwh": float(price[w].max()),
        "eu_gas_import_bill_bn_eur": import_bill(inputs, sol, w, system),
        "eu_demand_response_bcm": sol.response[eu][..., w].sum() / 1000,
    }


def month_outputs(
    inputs: GasInputs, sol: GasSolution, ref: GasSolution, system: GasSystem, memo: Memo | None = None
) -> dict[str, np.ndarray]:
    """By month: Russian pipeline and LNG deliveries, scenario and reference, bcm (what trade reads), the EU
    storage fill at the end of the month, % of working gas (a Monte Carlo path), and the demand-weighted EU27
    average price, scenario and reference, EUR/MWh (what the external side reads)."""
    eu = system.eu
    wgv = inputs.storage_wgv[eu].sum()
    level = sol.level[eu].sum(axis=0)
    # EU27 consumers' Russian gas, as in the lost volume (``russian_routes``: EU27 entries, the EU27 share of
    # Russian LNG and Russian gas traced into the EU27 through non-EU nodes; the last is zero on the EU-only network)
    routes, ref_routes = russian_routes(sol, system, memo), russian_routes(ref, system, memo)
    return {
        "russian_pipeline_bcm_by_month": np.sum([routes[r] for r in RUSSIAN_ROUTES], axis=0) / 1000,
        "russian_pipeline_reference_bcm_by_month": np.sum([ref_routes[r] for r in RUSSIAN_ROUTES], axis=0) / 1000,
        "russian_lng_bcm_by_month": routes[RUSSIAN_LNG_ROUTE] / 1000,
        "russian_lng_reference_bcm_by_month": ref_routes[RUSSIAN_LNG_ROUTE] / 1000,
        "eu_storage_fill_pct_by_month": 100 * level / wgv if wgv > 0 else np.zeros(sol.level.shape[1]),
        "eu_price_eur_mwh_by_month": eu_price(inputs, sol, eu),
        "eu_price_reference_eur_mwh_by_month": eu_price(inputs, ref, eu),
    }


def node_outputs(
    inputs: GasInputs, sol: GasSolution, ref: GasSolution, system: GasSystem, nodes: tuple[str, ...]
) -> dict[str, np.ndarray]:
    """By node, gas sector (``GAS_SECTORS``) and month, scenario and reference run: node prices (EUR/MWh),
    reference demand, unserved demand, the price-driven demand response and domestic production (GWh). What Europe's
    own cost reads.

    The node axis is ``nodes`` (``econ.data.gas_nodes``: every node of the data), whichever network the run
    solved: a node outside the run's network (the non-EU nodes when ``gas.market.wider_europe`` is off) has no
    price (NaN) and no quantities (0), so readers index one fixed order."""
    where = np.array([nodes.index(c) for c in system.countries], dtype=int)

    def on_nodes(arr: np.ndarray, fill: float) -> np.ndarray:
        out = np.full((len(nodes), *arr.shape[1:]), fill)
        out[where] = arr
        return out

    gwh = GWH_PER_MCM
    return {
        "node_price_eur_mwh": on_nodes(sol.price, np.nan),
        "node_price_reference_eur_mwh": on_nodes(ref.price, np.nan),
        "demand_gwh_by_node_sector": on_nodes(inputs.demand * gwh, 0.0),
        "unserved_gwh_by_node_sector": on_nodes(sol.unserved * gwh, 0.0),
        "unserved_reference_gwh_by_node_sector": on_nodes(ref.unserved * gwh, 0.0),
        "response_gwh_by_node_sector": on_nodes(sol.response * gwh, 0.0),
        "response_reference_gwh_by_node_sector": on_nodes(ref.response * gwh, 0.0),
        "production_gwh_by_node": on_nodes(sol.production * gwh, 0.0),
        "production_reference_gwh_by_node": on_nodes(ref.production * gwh, 0.0),
    }


NODE_OUTPUTS = (
    "node_price_eur_mwh",
    "node_price_reference_eur_mwh",
    "demand_gwh_by_node_sector",
    "unserved_gwh_by_node_sector",
    "unserved_reference_gwh_by_node_sector",
    "response_gwh_by_node_sector",
    "response_reference_gwh_by_node_sector",
    "production_gwh_by_node",
    "production_reference_gwh_by_node",
)


MONTH_OUTPUTS = (
    "russian_pipeline_bcm_by_month",
    "russian_pipeline_reference_bcm_by_month",
    "russian_lng_bcm_by_month",
    "russian_lng_reference_bcm_by_month",
    "eu_storage_fill_pct_by_month",
    "eu_price_eur_mwh_by_month",
    "eu_price_reference_eur_mwh_by_month",
)


def batch_result(
    values: list[dict[str, float] | None], by_month: list[dict[str, np.ndarray] | None], n_months: int
) -> BatchResult:
    """Stack per-set results; a set whose LP failed (None) has NaN metrics and ``ok`` False."""
    nan_months = np.full(n_months, np.nan)
    metrics = {m.id: np.array([v[m.id] if v is not None else np.nan for v in values]) for m in METRICS}
    outputs = {k: np.stack([d[k] if d is not None else nan_months for d in by_month]) for k in MONTH_OUTPUTS}
    solved = [d for d in by_month if d is not None and NODE_OUTPUTS[0] in d]
    if solved:  # per-node arrays: a failed set gets NaN of the same shape; with no set solved they are absent
        for k in NODE_OUTPUTS:
            nan_node = np.full(np.shape(solved[0][k]), np.nan)
            outputs[k] = np.stack([d[k] if d is not None else nan_node for d in by_month])
    outputs["ok"] = np.array([v is not None for v in values])
    return BatchResult(metrics, outputs)
