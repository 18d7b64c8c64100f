"""Properties of the gas model over the registry's ranges (hypothesis), with power (issue 16, item 4).

Every numeric gas parameter is drawn from its plausible [low, high]; the start month and horizon are drawn from
HORIZONS. The monotone properties are drawn where they can bite: the Russian routes are cut below their reference
(a non-zero Russian volume lost), and the shortfall properties run under the national rule with the price cap at
the low end of its plausible range, where rationing is common. Each property test counts the draws in which the
pair compared actually differed (by more than MOVED_BCM) and asserts a minimum share of such draws; the counts are
printed with ``pytest -s`` and recorded in docs/testing.md.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import econ
from econ import gas
from econ.engine import run_params
from econ.gas.system import reference_levels
from econ.params import Params

REGISTRY = econ.load_registry()
DEFAULTS = REGISTRY.defaults()
FLOATS = [s for s in REGISTRY if s.module == "gas" and s.type == "float"]
RUSSIAN = [s for s in FLOATS if s.name in gas.RUSSIAN_PARAMS]
# each Russian parameter's reference level (the run-rate of January to 23 February 2022, the registry's default
# reference; docs/methodology.md, gas, section 5): a cut is a share of it
LEVELS = reference_levels(Params(DEFAULTS), gas.system_for(Params(DEFAULTS), econ.load_data()))
# routes that carry gas in the reference: cutting them loses gas (Nord Stream 2's default is 0)
CUTTABLE = [s for s in RUSSIAN if float(DEFAULTS[s.name]) > 0]
# (start month, horizon): the default, the registry's shortest and longest plausible horizons, an autumn start
HORIZONS = (("2022-03", 13), ("2022-03", 12), ("2022-03", 24), ("2021-11", 13), ("2021-11", 24))
FAST_HORIZONS = HORIZONS[:2]
# a pair "differs" when the compared figure moves by more than this (bcm; the LP's round-off is ~1e-9)
MOVED_BCM = 1e-3
NATIONAL_RULE = st.just(False)  # gas.market.integrated drawn for the shortfall properties
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


@st.composite
def gas_params(draw, horizons=HORIZONS):
    values = REGISTRY.defaults()
    for spec in FLOATS:
        values[spec.name] = draw(st.floats(float(spec.low), float(spec.high), allow_nan=False))
    values["gas.market.integrated"] = draw(st.booleans())
    values["gas.start_month"], values["gas.horizon_months"] = draw(st.sampled_from(horizons))
    return Params(values)


@st.composite
def cut_params(draw, horizons=HORIZONS, integrated=NATIONAL_RULE, russian_max=0.8, tight=False):
    """A scenario that can bite: every Russian route at a drawn share of its reference level (LEVELS; a pure cut, so the volume
    lost is positive), the price cap at the low end of its plausible range (250-350 EUR/MWh) and, for the
    shortfall properties, the national rule (the integrated market shares a cut so well that it rarely rations).
    ``tight``: a cold year (demand scale 1.0-1.1) and a high storage target (0.8-0.95), where even the integrated
    market rations after a deep cut."""
    values = REGISTRY.defaults()
    for spec in FLOATS:
        values[spec.name] = draw(st.floats(float(spec.low), float(spec.high), allow_nan=False))
    for spec in RUSSIAN:
        values[spec.name] = LEVELS[spec.name] * draw(st.floats(0.0, russian_max))
    if tight:
        values["gas.demand.scale"] = draw(st.floats(1.0, 1.1))
        values["gas.storage.target_fill"] = draw(st.floats(0.8, 0.95))
    cap = REGISTRY["gas.price.cap_eur_mwh"]
    values["gas.price.cap_eur_mwh"] = draw(st.floats(float(cap.low), float(cap.low) + 100.0))
    values["gas.market.integrated"] = draw(integrated)
    values["gas.start_month"], values["gas.horizon_months"] = draw(st.sampled_from(horizons))
    return Params(values)


def _gas(params: Params):
    return run_params(params, econ.load_data())["gas"]


def _metric(res, key: str) -> float:
    return next(m.value for m in res.metrics if m.id == key)


def _pure_cut(params: Params) -> bool:
    """No Russian route above its default: the scenario only removes Russian gas."""
    return all(params.float(name) <= float(DEFAULTS[name]) for name in gas.RUSSIAN_PARAMS)


def _check(res, params: Params, pure_cut: bool = True, ran: Counter[str] | None = None):
    ran = Counter() if ran is None else ran
    ran["draws"] += 1
    assert res.status == "ok", res.message
    for m in res.metrics:
        assert np.isfinite(m.value), m.id
    for name, table in res.tables.items():
        num = table.select_dtypes("number")
        assert np.isfinite(num.fillna(0).to_numpy()).all(), name
    bal = res.tables["gas_balance"]
    flows = bal[~bal.item.isin(["demand", "demand_response"])]["value_bcm"]  # the response is net (may be < 0)
    assert (flows >= -1e-7).all(), "negative flow"
    assert (res.tables["gas_flows"]["flow_bcm"] >= -1e-7).all()
    values = {m.id: m.value for m in res.metrics}
    for key in ("eu_gas_shortfall_pct", "eu_storage_min_pct", "eu_storage_nov1_pct"):
        assert -1e-6 <= values[key] <= 100 + 1e-6, key
    fill = res.tables["gas_storage"]["fill_pct"]
    assert ((fill >= -1e-6) & (fill <= 100 + 1e-6)).all()
    if values["russian_gas_lost_bcm"] > 1 and pure_cut:
        # Shares of the *net* Russian loss: when some routes rise while others fall, gas gained on one route
        # displaces other pipeline gas (a negative row), and LNG can then cover more than the net loss.
        assert -1e-6 <= values["qatar_lng_share_of_gap_pct"] <= values["lng_share_of_gap_pct"] + 1e-6
        assert values["lng_share_of_gap_pct"] <= 100 + 1e-6
        ran["shares_of_the_loss"] += 1
    cov = res.tables["gas_coverage"]
    assert abs(cov["value_bcm"].sum() - values["russian_gas_lost_bcm"]) < 1e-5
    assert gas.balance_residual(bal).abs().max() < 1e-6, "balance does not close"
    # Prices: non-negative, at most the cap; demand is rationed only where the price is at the cap less the
    # priority margin of Regulation 2017/1938 (methodology 3.3: at most industry's, 0.9 EUR/MWh plus the wedge W of
    # the draw's tariff scale and network, system.rationing_margins), less 0.1 for the tie-break perturbation (the
    # margin 0.9 + 0.1 = the 1.0 this check had before the wedge).
    cap = float(params["gas.price.cap_eur_mwh"])
    system = gas.system_for(params, econ.load_data())
    deepest = max(gas.system.rationing_margins(system, params.float("gas.network.tariff_scale")).values())
    prices = res.tables["gas_prices"].set_index(["country", "month"])["price_eur_mwh"]
    assert (prices >= -1e-6).all() and (prices <= cap + 1e-3).all(), (prices.idxmax(), prices.max(), cap)
    short = bal[bal.item == "unserved"].set_index(["country", "month"])["value_bcm"]
    rationed = short[short > 1e-6].index
    assert (prices.loc[rationed] >= cap - deepest - 0.1).all(), "rationing below the cap"
    if len(rationed):
        ran["rationed_at_the_cap"] += 1


def _changed(params: Params) -> dict:
    """The draw's values that differ from the defaults (for a readable counterexample)."""
    return {k: params[k] for k in DEFAULTS if k.startswith("gas.") and params[k] != DEFAULTS[k]}


def _report(name: str, ran: Counter[str]) -> None:
    print(f"{name}: {dict(ran)}")


# ---- a clean, closed balance everywhere ----


def _balance_checks(n: int, horizons) -> Counter[str]:
    ran: Counter[str] = Counter()

    # half the draws anywhere in the ranges, half cut below the reference with a low cap (either market rule)
    @settings(SETTINGS, max_examples=n)
    @given(st.one_of(gas_params(horizons), cut_params(horizons, integrated=st.booleans())))
    def check(params):
        _check(_gas(params), params, _pure_cut(params), ran)

    check()
    return ran


def test_a_clean_closed_balance_with_power():
    ran = _balance_checks(8, FAST_HORIZONS)
    _report("balance (fast)", ran)
    assert ran["draws"] == 8
    assert ran["shares_of_the_loss"] >= 3 and ran["rationed_at_the_cap"] >= 1


@pytest.mark.slow
def test_any_parameter_set_gives_a_clean_closed_balance():
    ran = _balance_checks(40, HORIZONS)
    _report("balance (slow)", ran)
    assert ran["draws"] == 40
    assert ran["shares_of_the_loss"] >= 16 and ran["rationed_at_the_cap"] >= 8


# ---- more Russian gas never raises the shortfall ----


def _russian_gas_reaching(rationed: set[str], system: gas.GasSystem) -> set[str]:
    """The Russian parameters whose gas lands in a rationed country: routes with an entry in one of them, and Russian
    LNG when one of them has a regasification terminal. Entries in a neighbour were once included too, but under the
    national rule (the draws' allocation) gas entering a neighbour reaches a rationed country only within the link
    caps, and after the end-user demand curves (gascal) only 25 of 50 such pairs differed; landing the raise where
    the rationing is targets the draws on cases where the property can bite (43 of 50 differ)."""
    names = list(system.countries)
    near = set(rationed)
    out = set()
    for route, name in gas.ROUTE_PARAM.items():
        if any(names[int(system.entry_node[e])] in near for e in system.entries("russia", route)):
            out.add(name)
    if any(system.regas[names.index(c)] > 0 for c in near):
        out.add(gas.RUSSIA_LNG_PARAM)
    return out


def _russian_checks(n: int, horizons) -> Counter[str]:
    ran: Counter[str] = Counter()

    @settings(SETTINGS, max_examples=n)
    @given(cut_params(horizons), st.data(), st.floats(0.25, 1.0))
    def check(params, choice, step):
        res = _gas(params)
        a = _metric(res, "eu_gas_shortfall_bcm")
        assume(a > MOVED_BCM)  # rationing before the raise: the property can bite
        # the raised route's gas can reach a rationed country (under the national rule gas entering elsewhere
        # stops at the link caps, and the pair could not differ)
        unserved = res.tables["gas_unserved"].groupby("country")["unserved_bcm"].sum()
        system = gas.system_for(params, econ.load_data())  # the draw's network (the wider Europe by default)
        reach = _russian_gas_reaching(set(unserved[unserved > MOVED_BCM].index), system)
        # up to the route's reference level: the national rule's link caps are the flows of the scenario's own
        # no-cut reference world (econ.gas.baseline_params), which a route raised above its reference changes
        # (test_gas_national_rule.py::test_a_route_raised_above_its_reference_moves_the_national_caps)
        level = reference_levels(params, system)
        candidates = [s for s in RUSSIAN if s.name in reach and params.float(s.name) < level[s.name] - 1e-9]
        assume(candidates)
        spec = choice.draw(st.sampled_from(candidates), label="raised route")
        lower = params.float(spec.name)
        higher = lower + step * (level[spec.name] - lower)
        b = _metric(_gas(params.with_values({spec.name: higher})), "eu_gas_shortfall_bcm")
        assert b <= a + 1e-6, (spec.name, lower, higher, a, b)
        ran["draws"] += 1
        ran["short"] += a > MOVED_BCM
        ran["differs"] += abs(b - a) > MOVED_BCM

    check()
    return ran


def test_more_russian_gas_never_raises_the_shortfall_fast():
    ran = _russian_checks(10, FAST_HORIZONS)
    _report("russian gas vs shortfall (fast)", ran)
    assert ran["draws"] == 10 and ran["differs"] >= 5


@pytest.mark.slow
def test_more_russian_gas_never_raises_the_shortfall():
    ran = _russian_checks(50, HORIZONS)
    _report("russian gas vs shortfall (slow)", ran)
    assert ran["draws"] == 50 and ran["differs"] >= 30  # at least 60% of the pairs differ


# ---- more divertible Qatari LNG never lowers the LNG delivered to Europe and Asia together ----
# Not "never raises the EU shortfall": the divertible share phi moves phi * E_qatar from cargoes fixed to Europe, and
# phi * (X - E) from cargoes fixed to Asia, into the flexible pool (docs/methodology.md, gas, 3.7), which goes to the
# higher bidder. Asia's last demand step is priced at the cap, Europe's rationed customers at the cap less their
# priority margin (0.6-0.9 EUR/MWh): where Europe rations at its cap, Asia outbids it, Europe's LNG falls and its
# shortfall rises (test_at_its_price_cap_europe_loses_flexible_qatari_cargoes_to_asia). What flexibility does
# guarantee is that no cargo is left unsold: the LNG delivered to Europe and Asia together never falls.


def _lng_solution(params: Params):
    data = econ.load_data()
    ref, inputs, sol = gas.module._reference_and_scenario(params, data, gas.module._cached(data))
    assert ref.status == "ok" and sol.status == "ok", (ref.message, sol.message)
    return sol


def _delivered_bcm(sol) -> float:
    """LNG delivered to Europe (fixed and flexible cargoes) and to Asia (flexible), over the horizon, bcm."""
    return float(sol.lng_by_origin.sum() + sol.lng_to_asia.sum()) / 1000


def _qatar_checks(n: int, horizons, ran: Counter[str]) -> Counter[str]:
    spec = REGISTRY["gas.lng.qatar.divertible_share"]

    @settings(SETTINGS, max_examples=n)
    # the integrated market after a deep cut in a cold year: Europe at its cap, where the shortfall law fails
    @given(cut_params(horizons, integrated=st.just(True), russian_max=0.1, tight=True), st.floats(0.1, 1.0))
    def check(params, step):
        lower = params.float(spec.name)
        higher = lower + step * (float(spec.high) - lower)
        a = _lng_solution(params.with_values({spec.name: lower}))
        b = _lng_solution(params.with_values({spec.name: higher}))
        assert _delivered_bcm(b) >= _delivered_bcm(a) - 1e-6, (lower, higher, _delivered_bcm(a), _delivered_bcm(b))
        ran["draws"] += 1
        ran["differs"] += abs(_delivered_bcm(b) - _delivered_bcm(a)) > MOVED_BCM
        short_a, short_b = a.unserved.sum() / 1000, b.unserved.sum() / 1000
        ran["rationed"] += bool(short_a > MOVED_BCM)
        ran["eu_shortfall_rose"] += bool(short_b > short_a + MOVED_BCM)  # the price-cap mechanism above (counted only)

    check()
    return ran


def test_more_divertible_qatari_lng_never_lowers_the_lng_delivered_fast():
    ran = _qatar_checks(6, FAST_HORIZONS, Counter())
    _report("qatari lng vs lng delivered (fast)", ran)
    assert ran["draws"] == 6 and ran["differs"] >= 3


@pytest.mark.slow
def test_more_divertible_qatari_lng_never_lowers_the_lng_delivered():
    ran = _qatar_checks(40, HORIZONS, Counter())
    _report("qatari lng vs lng delivered (slow)", ran)
    assert ran["draws"] == 40 and ran["differs"] >= 24  # at least 60% of the pairs differ


QATAR_CASE = {
    # found on the EU-only network (the default until 2026-12-01); on the wider Europe Asia's price stays below
    # the cap in the months Europe rations at these values (246.8-246.9 EUR/MWh)
    "gas.market.wider_europe": False,
    "gas.russia.nord_stream_1.utilisation": 0.0,
    "gas.russia.yamal.utilisation": 0.0,
    "gas.russia.ukraine.utilisation": 0.0,
    "gas.russia.lng.utilisation": 0.0,
    "gas.lng.qatar.divertible_share": 0.125,
    "gas.lng.us.divertible_share": 0.75,
    "gas.lng.other.extra_share": 0.1875,
    "gas.pipeline.norway.extra_share": 0.0,
    "gas.pipeline.other.extra_share": 0.0,
    "gas.storage.target_fill": 0.875,
    "gas.price.cap_eur_mwh": 250.0,
    "gas.lng.asia.elasticity": -0.25,
    # The case as found, without transport tariffs: with them (the default scale 1 since branch tariffon) Europe's
    # non-protected customers are rationed at the cap less their margin and the priority wedge W = 14.8 EUR/MWh
    # (methodology 3.3), below Asia's own demand steps near its cap, so Asia outbids Europe (at 236.9-237.3
    # against Europe's 234.3-235.6) before its cap binds, and in this draw the extra flexible cargoes go to Europe
    # (shortfall 22.88 -> 22.37 bcm): the cap mechanism tested here needs Asia at its cap. At scale 0 (W = 1.6, the
    # 0.1 EUR/MWh a border along the longest path) Asia bids the cap and Europe rations at 247.5-247.7.
    "gas.network.tariff_scale": 0.0,
}


def test_at_its_price_cap_europe_loses_flexible_qatari_cargoes_to_asia():
    # The case hypothesis found (issue 16 item 4), integrated market, Qatar's flexible share 0.125 -> 0.15. At 0.125
    # Asia's delivered price is at the cap (250 EUR/MWh) in months in which Europe rations at the cap less its
    # margins: Asia outbids Europe for the flexible pool, so moving Europe's contracted cargoes into it lowers
    # Europe's LNG and raises its shortfall (16.89 -> 17.02 bcm with the priority wedge; 4.32 -> 4.36 bcm before it;
    # 36.25 -> 36.35 before the terminal value was bounded, econ/gas/solve.py) while the LNG delivered to Europe and Asia together rises.
    cap = QATAR_CASE["gas.price.cap_eur_mwh"]
    params = Params({**DEFAULTS, **QATAR_CASE})
    a = _lng_solution(params)
    b = _lng_solution(params.with_values({"gas.lng.qatar.divertible_share": 0.15}))
    rationed_months = a.unserved.sum(axis=(0, 1)) > 1e-6
    assert rationed_months.any()
    assert (a.asia_price[rationed_months] >= cap - 1e-6).any()  # Asia bids the cap where Europe rations
    assert (a.price[a.unserved.sum(axis=1) > 1e-6] <= cap - 0.6 + 1e-3).all()  # Europe's rationed customers: less
    assert b.lng.sum() < a.lng.sum() - 1.0  # Europe's LNG falls (mcm)
    assert b.unserved.sum() > a.unserved.sum() + 1.0  # and its shortfall rises
    assert _delivered_bcm(b) > _delivered_bcm(a) + 1.0  # the reworded property holds


@settings(max_examples=1, deadline=None)
@given(st.just(None))
def test_every_parameter_at_its_bounds_all_together(_):
    for bound in ("low", "high"):
        values = REGISTRY.defaults()
        for spec in FLOATS:
            values[spec.name] = getattr(spec, bound)
        _check(_gas(Params(values)), Params(values), _pure_cut(Params(values)))


def test_lng_can_cover_more_than_a_net_loss_when_routes_move_both_ways(data):
    # Found by hypothesis (cost-minimising model): under the national rule, Nord Stream 2 at half and Ukraine
    # transit at full capacity while Yamal, TurkStream, the Baltic links and Russian LNG stop. The net loss is
    # small and some routes gain: the coverage rows must still add up to the net loss exactly, and the routes
    # that gain are used (the reference's routes are upper bounds, not obligations).
    values = REGISTRY.defaults()
    values.update(
        {
            "gas.market.integrated": False,
            "gas.russia.nord_stream_2.utilisation": 0.5,
            "gas.russia.ukraine.utilisation": 1.0,
            "gas.russia.yamal.utilisation": 0.0,
            "gas.russia.turkstream.utilisation": 0.0,
            "gas.russia.baltic_finland.utilisation": 0.0,
            "gas.russia.lng.utilisation": 0.0,
        }
    )
    res = _gas(Params(values))
    _check(res, Params(values), pure_cut=False)
    routes = res.tables["gas_russian_routes"].groupby("route")["flow_bcm"].sum()
    assert routes["nord_stream_2"] > 0 and routes["yamal"] == 0
    assert res.tables["gas_coverage"]["value_bcm"].sum() == pytest.approx(
        res.tables["gas_coverage"].attrs["russian_lost_bcm"], abs=1e-5
    )
