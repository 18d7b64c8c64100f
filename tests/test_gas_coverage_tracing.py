"""Gas that reaches the EU27 through non-EU nodes, traced to its sources (docs/methodology.md, gas, section 5, "Gas
that reaches the EU27 through non-EU nodes"): proportional sharing at each non-EU node (Bialek 1996), by hand on
small networks, and the coverage identity on a solved UK-BE toy and on the wider Europe.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import econ
from econ import gas
from econ.data import LNG_ORIGINS, load_data
from econ.gas.accounts import TRACE_SOURCES, eu_lng_by_origin, lng_origin_mix, russian_routes, traced_imports
from econ.params import Params
from tests.conftest import write_toy

WIDER = {"gas.market.wider_europe": True}


def _system(geography, arcs, entries=(), russian_lng=(0.0, 0.0)):
    """A stand-in for GasSystem with the fields ``traced_imports`` reads: nodes' geography, arcs (from, to),
    entries (kind, source, node) and the base-year Russian LNG (all of Europe, of which the non-EU nodes'), bcm."""
    kinds = tuple(k for k, _, _ in entries)
    srcs = tuple(s for _, s, _ in entries)
    return SimpleNamespace(
        entries=lambda kind, source: np.flatnonzero((np.array(kinds) == kind) & (np.array(srcs) == source)),
        lng_base={"russia": russian_lng[0]},
        lng_base_non_eu={"russia": russian_lng[1]},
        eu=np.array([g == "eu27" for g in geography]),
        arc_from=np.array([a for a, _ in arcs], dtype=int),
        arc_to=np.array([b for _, b in arcs], dtype=int),
        entry_kind=tuple(k for k, _, _ in entries),
        entry_source=tuple(s for _, s, _ in entries),
        entry_node=np.array([n for _, _, n in entries], dtype=int),
    )


def _solution(n_nodes, flow, lng=None, pool=None, entry=None, production=None, withdrawal=None):
    """One month; ``pool``: origin -> European LNG send-out of that origin (fixed tier), mcm."""
    n_o = len(LNG_ORIGINS)
    by_origin = np.zeros((n_o, 2, 1))
    for origin, v in (pool or {}).items():
        by_origin[LNG_ORIGINS.index(origin), 0, 0] = v
    zeros = np.zeros((n_nodes, 1))
    return SimpleNamespace(
        flow=np.array(flow, dtype=float).reshape(-1, 1),
        lng=zeros.copy() if lng is None else np.array(lng, dtype=float).reshape(-1, 1),
        lng_by_origin=by_origin,
        entry=np.zeros((0, 1)) if entry is None else np.array(entry, dtype=float).reshape(-1, 1),
        production=zeros.copy() if production is None else np.array(production, dtype=float).reshape(-1, 1),
        withdrawal=zeros.copy() if withdrawal is None else np.array(withdrawal, dtype=float).reshape(-1, 1),
    )


def _traced(sol, system) -> dict[str, float]:
    return {k: float(v[0]) for k, v in traced_imports(sol, system).items()}


def test_uk_lng_and_production_exported_to_belgium_by_hand():
    # BE (EU27) and UK (non-EU). The UK lands 600 mcm of LNG and produces 400; it sends 500 to BE. The European
    # pool is 600 Qatari and 300 US (BE lands the other 300), so every terminal's send-out is 2/3 Qatari, 1/3 US.
    # Proportional sharing: the UK's throughput is 1000, 60% LNG and 40% production; the 500 to BE carry 300 of
    # LNG (200 Qatari, 100 US) and 200 of UK production.
    system = _system(["eu27", "non_eu"], [(1, 0)])
    sol = _solution(2, [500], lng=[300, 600], pool={"qatar": 600, "us": 300}, production=[0, 400])
    t = _traced(sol, system)
    assert t["lng_qatar"] == pytest.approx(200, abs=1e-9)
    assert t["lng_us"] == pytest.approx(100, abs=1e-9)
    assert t["production"] == pytest.approx(200, abs=1e-9)
    assert sum(t.values()) == pytest.approx(500, abs=1e-9)
    assert all(t[k] == 0 for k in TRACE_SOURCES if k not in ("lng_qatar", "lng_us", "production"))


def test_norwegian_gas_through_the_uk_and_eu_gas_returning():
    # The UK takes 300 of Norwegian gas (an entry of the norway corridor at UK), produces 100 and imports 100 from
    # NL (EU27 gas, source eu27); throughput 500. It sends 250 to BE: 150 Norwegian, 50 UK production, 50 EU27 gas.
    system = _system(["eu27", "eu27", "non_eu"], [(2, 0), (1, 2)], entries=[("pipeline", "norway", 2)])
    sol = _solution(3, [250, 100], entry=[300], production=[0, 0, 100])
    t = _traced(sol, system)
    assert t["pipeline_norway"] == pytest.approx(150, abs=1e-9)
    assert t["production"] == pytest.approx(50, abs=1e-9)
    assert t["eu27"] == pytest.approx(50, abs=1e-9)


def test_russian_gas_through_moldova_after_ukraine_by_hand():
    # A chain of two non-EU nodes. UA produces 200 and imports 100 from SK (EU27): throughput 300, 2/3 production.
    # UA sends 100 to MD, which also takes 300 on the Ukraine route's entry at MD: throughput 400, of which
    # 300 Russian, 66.7 Ukrainian production, 33.3 EU27 gas. MD sends 200 to RO: 150 Russian, 33.3 production,
    # 16.7 EU27 gas. Storage withdrawal at MD (source storage_withdrawal) is a source like the others: with 100
    # more withdrawn (throughput 500), the 200 to RO carry 40 of it.
    nodes = ["eu27", "non_eu", "non_eu", "eu27"]  # SK, UA, MD, RO
    arcs = [(0, 1), (1, 2), (2, 3)]
    system = _system(nodes, arcs, entries=[("russia", "ukraine", 2)])
    t = _traced(_solution(4, [100, 100, 200], entry=[300], production=[0, 200, 0, 0]), system)
    assert t["russia_ukraine"] == pytest.approx(150, abs=1e-9)
    assert t["production"] == pytest.approx(200 / 3 / 2, abs=1e-9)
    assert t["eu27"] == pytest.approx(100 / 3 / 2, abs=1e-9)
    t = _traced(
        _solution(4, [100, 100, 200], entry=[300], production=[0, 200, 0, 0], withdrawal=[0, 0, 100, 0]), system
    )
    assert t["storage_withdrawal"] == pytest.approx(40, abs=1e-9)
    assert t["russia_ukraine"] == pytest.approx(120, abs=1e-9)


def test_a_loop_between_non_eu_nodes_matches_the_recursion():
    # UK <-> IE-like loop between two non-EU nodes A and B, with exports to the EU27 node E from both: the linear
    # solve must equal the fixed point of X_n = s_n + sum_m f_mn X_m / P_m, iterated by hand, and conserve the flow.
    system = _system(
        ["eu27", "non_eu", "non_eu"], [(1, 2), (2, 1), (1, 0), (2, 0)], entries=[("pipeline", "norway", 1)]
    )
    flow = [120, 30, 200, 80]
    sol = _solution(3, flow, lng=[0, 0, 150], pool={"qatar": 150}, entry=[300], production=[0, 0, 0])
    t = _traced(sol, system)
    # A: norway 300 + 30 from B; B: LNG 150 + 120 from A. Throughputs P_A = 330, P_B = 270.
    x_a, x_b = np.array([300.0, 0.0]), np.array([0.0, 150.0])  # (norway, qatar)
    for _ in range(200):
        x_a, x_b = np.array([300.0, 0.0]) + 30 * x_b / 270, np.array([0.0, 150.0]) + 120 * x_a / 330
    hand = 200 * x_a / 330 + 80 * x_b / 270
    assert t["pipeline_norway"] == pytest.approx(hand[0], abs=1e-9)
    assert t["lng_qatar"] == pytest.approx(hand[1], abs=1e-9)
    assert t["pipeline_norway"] + t["lng_qatar"] == pytest.approx(280, abs=1e-9)


def test_nothing_is_traced_on_the_eu_only_network(data):
    system = gas.gas_system(data)
    res = econ.run(econ.load_scenario("russia_gas_cutoff").with_overrides({"gas.market.wider_europe": False}))
    cov = res.tables["gas_coverage"].set_index("item")
    assert (cov["via_non_eu_bcm"] == 0).all()
    assert (cov.loc[["non_eu_production", "non_eu_storage", "non_eu_neighbours"], "value_bcm"] == 0).all()
    assert system.eu.all()


# ---- the coverage identity on a solved UK-BE toy: Russian gas into BE cut, the UK's LNG and production cover ----

ONE_MONTH = {
    "gas.start_month": "2022-03",
    "gas.horizon_months": 1,
    "gas.demand.reduction_share": 0.0,
    "gas.storage.end_fill": 0.0,
    "gas.production.change_share": 0.0,
    "gas.price.cap_eur_mwh": 600.0,
    **WIDER,
}


def _uk_be_run(directory):
    sectors = ("households", "services", "industry", "power")
    write_toy(
        directory,
        **{
            "gas_nodes.csv": "country,name,geography,role\nUK,United Kingdom,non_eu,toy\nBE,,eu27,toy\n",
            "gas_demand_annual.csv": "country,sector,demand_bcm_per_year\n"
            + "".join(f"{c},{s},{12 if s == 'industry' else 0}\n" for c in ("UK", "BE") for s in sectors),
            "gas_production.csv": "country,production_bcm_per_year\nUK,6\nBE,0\n",
            "gas_russian_routes.csv": "route,entry_country,capacity_mcm_per_day,flow_2021_bcm,flow_run_rate_bcm_per_year\n"
            "nord_stream_1,BE,20,7.3,7.3\n",
            "gas_lng_terminals.csv": "country,regas_capacity_bcm_per_year,terminals\nUK,30,toy\nBE,0,\n",
            "gas_lng_imports.csv": "country,origin,lng_bcm_per_year\n"
            + "".join(f"UK,{o},{6 if o == 'qatar' else 0}\n" for o in LNG_ORIGINS),
            "gas_lng_exporters.csv": "origin,export_capacity_bcm_per_year,exports_bcm_per_year,to_eu_bcm_per_year,"
            "to_asia_bcm_per_year\n"
            + "".join(
                f"{o},{12 if o == 'qatar' else 0},{12 if o == 'qatar' else 0},"
                f"{6 if o == 'qatar' else 0},{6 if o == 'qatar' else 0}\n"
                for o in LNG_ORIGINS
            ),
            "gas_storage.csv": "country,working_gas_bcm,injection_mcm_per_day,withdrawal_mcm_per_day\nUK,0,0,0\nBE,0,0,0\n",
            "gas_interconnectors.csv": "from_country,to_country,capacity_mcm_per_day,points\nUK,BE,50,IUK\n",
        },
    )
    data = load_data(directory)
    return gas.run(_params(), data), gas.gas_system(data, wider=True)


def _params() -> Params:
    return Params({**econ.load_registry().defaults(), **ONE_MONTH, "gas.russia.nord_stream_1.utilisation": 0.0})


def test_coverage_identity_on_a_uk_be_toy_by_hand(tmp_path):
    """Lost Russian gas into BE = sum of the coverage rows exactly; the UK's exports to BE are split by hand between
    Qatari LNG and UK production in the proportions of the UK's supply (no storage, one origin)."""
    res, system = _uk_be_run(tmp_path / "toy")
    assert res.status == "ok"
    cov = res.tables["gas_coverage"].set_index("item")
    value = {m.id: m.value for m in res.metrics}
    lost = value["russian_gas_lost_bcm"]
    assert lost > 0.1
    assert cov["value_bcm"].sum() == pytest.approx(lost, abs=1e-9)
    bal = res.tables["gas_balance"].query("country == 'UK'").set_index("item")["value_bcm"]
    # the scenario's UK exports to BE, split in the UK's mix of LNG and production
    exports, lng, prod = bal["exports_to_neighbours"], bal["lng"], bal["production"]
    assert lng > 0 and prod > 0 and exports > 0
    sc_lng, sc_prod = exports * lng / (lng + prod), exports * prod / (lng + prod)
    # the reference (Russian gas at its run-rate): the same split from its own solution
    data = load_data(tmp_path / "toy")
    ref = gas.run(gas.reference_params(_params(), data), data)
    rb = ref.tables["gas_balance"].query("country == 'UK'").set_index("item")["value_bcm"]
    r_exp, r_lng, r_prod = rb["exports_to_neighbours"], rb["lng"], rb["production"]
    ref_lng = r_exp * r_lng / (r_lng + r_prod) if r_lng + r_prod > 0 else 0.0
    ref_prod = r_exp * r_prod / (r_lng + r_prod) if r_lng + r_prod > 0 else 0.0
    assert cov.loc["qatar_lng", "via_non_eu_bcm"] == pytest.approx(sc_lng - ref_lng, abs=1e-9)
    assert cov.loc["non_eu_production", "value_bcm"] == pytest.approx(sc_prod - ref_prod, abs=1e-9)
    # BE lands no LNG: the Qatari row is all traced through the UK
    assert cov.loc["qatar_lng", "value_bcm"] == pytest.approx(cov.loc["qatar_lng", "via_non_eu_bcm"], abs=1e-9)
    assert value["qatar_lng_share_of_gap_pct"] == pytest.approx(100 * (sc_lng - ref_lng) / lost, abs=1e-6)


def test_coverage_identity_and_tracing_on_the_wider_europe():
    """The full cut-off on the wider network: the rows add up to the lost volume, the traced parts add up to the
    change of the net flow from non-EU nodes into the EU27, and the LNG rows include LNG landed in the UK."""
    res = econ.run(econ.load_scenario("russia_gas_cutoff").with_overrides(WIDER))
    cov = res.tables["gas_coverage"].set_index("item")
    assert cov["value_bcm"].sum() == pytest.approx(res.value("russian_gas_lost_bcm"), abs=1e-6)
    lng_via = cov.loc[[i for i in cov.index if i.endswith("_lng")], "via_non_eu_bcm"]
    assert lng_via.sum() > 0  # more of the UK's LNG reaches the continent than in the reference
    assert res.value("lng_share_of_gap_pct") == pytest.approx(
        100
        * cov.loc[[i for i in cov.index if i.endswith("_lng")], "value_bcm"].sum()
        / res.value("russian_gas_lost_bcm"),
        abs=1e-9,
    )


def test_traced_parts_are_the_whole_flow_from_non_eu_nodes_on_the_wider_europe(data):
    """On a solved wider-Europe cut-off, month by month: the traced sources add up to the flow from non-EU nodes
    into the EU27 (the rows of X sum to the throughput), and no source is negative."""
    params = econ.load_scenario("russia_gas_cutoff").params.with_values(WIDER)
    system = gas.system_for(params, data)
    sol = gas.solve_lp(gas.build_inputs(params, system), system, gas.HighsSession(warm=False))
    traced = traced_imports(sol, system)
    eu = system.eu
    into = sol.flow[~eu[system.arc_from] & eu[system.arc_to]].sum(axis=0)
    assert into.sum() > 1000  # mcm: the UK and Switzerland send gas into the EU27
    np.testing.assert_allclose(sum(traced.values()), into, atol=1e-6)
    assert min(v.min() for v in traced.values()) > -1e-9
    assert traced["pipeline_norway"].sum() > 0 and traced["lng_qatar"].sum() > 0  # via the UK


# ---- properties of the tracing on random networks (hypothesis) ----


@st.composite
def _networks(draw):
    """A month on a random network: 1-3 EU27 nodes, 1-4 non-EU nodes, random arcs; each non-EU node has random own
    supplies (LNG, production, a Norwegian entry, storage withdrawal, gas from EU27 nodes) and sends a random share
    of its throughput, at most 90% in all, along each of its arcs. The flows are then consistent by construction:
    throughputs P = (I - Phi)^-1 s, f_{m->j} = phi_{m->j} P_m."""
    n_eu, n_ne = draw(st.integers(1, 3)), draw(st.integers(1, 4))
    n = n_eu + n_ne
    geography = ["eu27"] * n_eu + ["non_eu"] * n_ne
    ne = list(range(n_eu, n))
    amount = st.floats(0.0, 1000.0, allow_nan=False)
    arcs = [(m, j) for m in ne for j in range(n) if j != m and draw(st.booleans())]
    weights = {a: draw(st.floats(0.01, 1.0)) for a in arcs}
    out_share = {m: draw(st.floats(0.0, 0.9)) for m in ne}
    phi = {}
    for m in ne:
        own = [a for a in arcs if a[0] == m]
        total = sum(weights[a] for a in own)
        for a in own:
            phi[a] = out_share[m] * weights[a] / total
    lng = np.zeros(n)
    production = np.zeros(n)
    withdrawal = np.zeros(n)
    entry = np.zeros(n_ne)
    from_eu = np.zeros(n)
    for m in ne:
        lng[m], production[m], withdrawal[m], from_eu[m] = (draw(amount) for _ in range(4))
        entry[m - n_eu] = draw(amount)
    own_total = lng + production + withdrawal + from_eu
    own_total[n_eu:] += entry
    mat = np.zeros((n, n))
    for (m, j), v in phi.items():
        if j >= n_eu:
            mat[j, m] = v
    throughput = np.zeros(n)
    throughput[n_eu:] = np.linalg.solve(np.eye(n_ne) - mat[n_eu:, n_eu:], own_total[n_eu:])
    # gas from EU27 nodes enters on arcs from the first EU27 node
    eu_arcs = [(0, m) for m in ne if from_eu[m] > 0]
    all_arcs = arcs + eu_arcs
    flow = [phi[a] * throughput[a[0]] for a in arcs] + [from_eu[m] for _, m in eu_arcs]
    system = _system(geography, all_arcs, entries=[("pipeline", "norway", m) for m in ne])
    pool = {"qatar": 2 * lng.sum() / 3, "us": lng.sum() / 3}
    sol = _solution(n, flow, lng=lng, pool=pool, entry=entry, production=production, withdrawal=withdrawal)
    into_eu = sum(f for (m, j), f in zip(all_arcs, flow) if m >= n_eu and j < n_eu)
    return system, sol, into_eu, own_total


@settings(max_examples=80, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(_networks())
def test_tracing_conserves_the_flow_into_the_eu27_and_is_non_negative(net):
    """Whatever the network (loops between non-EU nodes included), the traced sources add up to the flow from
    non-EU nodes into the EU27 and none is negative; a source that no non-EU node has is traced to zero."""
    system, sol, into_eu, _ = net
    t = _traced(sol, system)
    assert sum(t.values()) == pytest.approx(into_eu, rel=1e-9, abs=1e-6)
    assert min(t.values()) >= -1e-9
    for k in TRACE_SOURCES:
        if k not in ("lng_qatar", "lng_us", "pipeline_norway", "production", "storage_withdrawal", "eu27"):
            assert t[k] == 0.0
    # the pool is two thirds Qatari: so is the LNG traced into the EU27
    lng = t["lng_qatar"] + t["lng_us"]
    assert t["lng_qatar"] == pytest.approx(2 * lng / 3, rel=1e-9, abs=1e-9)


# ---- What the EU27 headline "Russian gas lost" counts (methodology, gas, section 5) ----


def test_russian_lng_lands_where_its_contracts_do_by_hand():
    # The pool: 100 mcm Russian, 600 Qatari, 300 US; BE (EU27) lands 800, the UK 200. The UK's contracts are 25% of
    # Europe's Russian LNG (bp base year), so it lands min(0.25 x 100, 200) = 25 of it and BE the other 75. The
    # other origins are shared in proportion: BE's 800 - 75 = 725 non-Russian of the 900, i.e. 725/900 of each:
    # Qatari 483.33, US 241.67; the UK's 175 non-Russian are 116.67 Qatari and 58.33 US.
    system = _system(["eu27", "non_eu"], [], russian_lng=(4.0, 1.0))
    sol = _solution(2, [], lng=[800, 200], pool={"russia": 100, "qatar": 600, "us": 300})
    eu = eu_lng_by_origin(sol, system).sum(axis=1)[:, 0]
    mix = lng_origin_mix(sol, system)[:, 0]
    ru, qa, us = (LNG_ORIGINS.index(o) for o in ("russia", "qatar", "us"))
    assert eu[ru] == pytest.approx(75, abs=1e-9)
    assert eu[qa] == pytest.approx(600 * 725 / 900, abs=1e-9) and eu[us] == pytest.approx(300 * 725 / 900, abs=1e-9)
    assert eu.sum() == pytest.approx(800, abs=1e-9)
    assert 200 * mix[ru] == pytest.approx(25, abs=1e-9) and 200 * mix[qa] == pytest.approx(600 * 175 / 900, abs=1e-9)
    # a month the UK lands only 10: it takes 10 Russian, the EU27 the other 90
    sol = _solution(2, [], lng=[990, 10], pool={"russia": 100, "qatar": 600, "us": 300})
    assert eu_lng_by_origin(sol, system).sum(axis=1)[ru, 0] == pytest.approx(90, abs=1e-9)
    # the EU-only network (no non-EU node): the EU27 gets all of every origin
    alone = _system(["eu27"], [], russian_lng=(4.0, 0.0))
    sol = _solution(1, [], lng=[1000], pool={"russia": 100, "qatar": 600, "us": 300})
    assert eu_lng_by_origin(sol, alone).sum(axis=1)[:, 0] == pytest.approx(sol.lng_by_origin.sum(axis=1)[:, 0])


def test_moldovas_russian_gas_is_not_in_the_eu27_lost_volume_by_hand():
    # The Ukraine route with an EU27 entry (SK, 100 mcm) and Moldova's (MD, 30): only SK's counts, unless Moldova
    # sends gas on to the EU27 (then the traced part does: MD sends 12 of its 30 to RO, all Russian by
    # proportional sharing).
    system = _system(["eu27", "eu27", "non_eu"], [(2, 1)], entries=[("russia", "ukraine", 0), ("russia", "ukraine", 2)])
    sol = _solution(3, [0], entry=[100, 30])
    assert russian_routes(sol, system)["ukraine"][0] == pytest.approx(100, abs=1e-9)
    sol = _solution(3, [12], entry=[100, 30])
    assert russian_routes(sol, system)["ukraine"][0] == pytest.approx(112, abs=1e-9)


@pytest.mark.parametrize("wider", [False, True])
def test_the_cutoffs_lost_pipeline_gas_is_the_eu27_entries_reference_on_both_networks(data, wider):
    """The full cut-off delivers no Russian gas, so its lost volume is the reference's EU27 Russian gas. Pipelines,
    by hand (section 5): each route's EU27 entries at its reference level, the run-rate of 1 January-23 February
    2022 capped at the 2021 average, both on the EU27 entries' capacity: over the first 12 months (365 days)
    sum_r min(F^rr_r, F^2021_r) = 54.93 + 0 + 4.58 + 17.00 + 11.66 + 2.11 = 90.29 bcm, on either network: Moldova's
    side of the Ukraine route has its own cap (3.6) and its gas is not the EU27's."""
    from econ.gas import module

    eu_only = gas.gas_system(data)
    defaults = econ.load_registry().defaults()
    hand = 0.0
    for r, cap in eu_only.route_capacity.items():
        if cap > 0:  # K_r^EU x min(F^rr_r / (365 K_r^EU / 1000), u_r^2021 the registry default) x 365 / 1000
            u = min(eu_only.route_flow_run_rate[r] / (365 * cap / 1000), defaults[f"gas.russia.{r}.utilisation"])
            hand += cap * u * 365 / 1000
    assert hand == pytest.approx(90.29, abs=0.01)
    params = econ.load_scenario("russia_gas_cutoff").params.with_values({"gas.market.wider_europe": wider})
    ref, _, sol = module._reference_and_scenario(params, data, module._cached(data))
    system = gas.system_for(params, data)
    w = slice(0, 12)
    routes = russian_routes(ref, system)
    at_eu = system.eu[system.entry_node] & (np.array(system.entry_kind) == "russia")
    assert ref.entry[at_eu][:, w].sum() / 1000 == pytest.approx(hand, abs=1e-3)
    # plus, on the wider network, the Russian gas non-EU nodes pass on into the EU27 (traced; Moldova's)
    traced = traced_imports(ref, system)
    via = sum(traced[f"russia_{r}"][w].sum() for r in system.route_capacity) / 1000
    assert (via == 0.0) if not wider else (0.0 <= via < 0.5)
    piped = sum(v[w].sum() for k, v in routes.items() if k != "lng") / 1000
    assert piped == pytest.approx(hand + via, abs=1e-3)
    assert sum(v[w].sum() for v in russian_routes(sol, system).values()) == pytest.approx(0, abs=1e-6)
    res = econ.run(econ.load_scenario("russia_gas_cutoff").with_overrides({"gas.market.wider_europe": wider}))
    assert res.value("russian_gas_lost_bcm") == pytest.approx(piped + routes["lng"][w].sum() / 1000, abs=1e-6)
    # Russian LNG: on the EU-only network all of it, E_RU x 1 x 365/365 (utilisation 1 in the reference) = 14.03
    if not wider:
        assert routes["lng"][w].sum() / 1000 == pytest.approx(system.lng_base["russia"], abs=1e-6)


def test_the_uk_lands_its_fixed_cargoes_first_by_hand():
    # lp.lng_destination (3.7): the solution says which cargoes were fixed to the UK's terminals. Pool: 100 Russian
    # (30 of them the UK's), 600 Qatari (200 the UK's), 300 US; BE (EU27) lands 700, the UK 300. The UK lands its
    # 230 fixed; its other 70 and BE's 700 - 70 Russian = 630 share the remaining 700 non-Russian (400 Qatari, 300
    # US) in proportion: BE 630/700 of each, Qatari 360, US 270; the UK 200 + 40 Qatari, 30 US, 30 Russian.
    system = _system(["eu27", "non_eu"], [], russian_lng=(4.0, 1.0))
    sol = _solution(2, [], lng=[700, 300], pool={"russia": 100, "qatar": 600, "us": 300})
    ru, qa, us = (LNG_ORIGINS.index(o) for o in ("russia", "qatar", "us"))
    fixed_ne = np.zeros((len(LNG_ORIGINS), 1))
    fixed_ne[ru, 0], fixed_ne[qa, 0] = 30, 200
    sol.lng_fixed_non_eu = fixed_ne
    eu = eu_lng_by_origin(sol, system).sum(axis=1)[:, 0]
    mix = lng_origin_mix(sol, system)[:, 0]
    assert eu[ru] == pytest.approx(70, abs=1e-9)
    assert eu[qa] == pytest.approx(360, abs=1e-9) and eu[us] == pytest.approx(270, abs=1e-9)
    assert eu.sum() == pytest.approx(700, abs=1e-9)
    assert 300 * mix[qa] == pytest.approx(240, abs=1e-9) and 300 * mix[us] == pytest.approx(30, abs=1e-9)
    assert 300 * mix[ru] == pytest.approx(30, abs=1e-9)
    # the fixed cargoes stay in the fixed tier: the EU27's Qatari cargoes are all of the fixed tier here
    assert eu_lng_by_origin(sol, system)[qa, 1, 0] == pytest.approx(0.0, abs=1e-12)
