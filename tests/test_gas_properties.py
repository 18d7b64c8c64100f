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
from econ.params import Params

REGISTRY = econ.load_registry()
DEFAULTS = REGISTRY.defaults()
FLOATS = [s for s in REGISTRY if s.module == "gas" and s.type == "float"]
RUSSIAN = [s for s in FLOATS if s.name in gas.RUSSIAN_PARAMS]
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
    """A scenario that can bite: every Russian route at a drawn share of its reference (a pure cut, so the volume
    lost is positive), the price cap at the low end of its plausible range (250-350 EUR/MWh) and, for the
    shortfall properties, the national rule (the integrated market shares a cut so well that it rarely rations).
    ``tight``: a cold year (demand scale 1.0-1.1) and a high storage target (0.8-0.95), where even the integrated
    market rations after a deep cut."""
    values = REGISTRY.defaults()
    for spec in FLOATS:
        values[spec.name] = draw(st.floats(float(spec.low), float(spec.high), allow_nan=False))
    for spec in RUSSIAN:
        values[spec.name] = float(DEFAULTS[spec.name]) * draw(st.floats(0.0, russian_max))
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
    # Prices: non-negative, at most the cap; demand is rationed only where the price is at the cap (less the
    # priority margins of Regulation 2017/1938, at most 0.9 EUR/MWh, and the tie-break perturbation).
    cap = float(params["gas.price.cap_eur_mwh"])
    prices = res.tables["gas_prices"].set_index(["country", "month"])["price_eur_mwh"]
    assert (prices >= -1e-6).all() and (prices <= cap + 1e-3).all(), (prices.idxmax(), prices.max(), cap)
    short = bal[bal.item == "unserved"].set_index(["country", "month"])["value_bcm"]
    rationed = short[short > 1e-6].index
    assert (prices.loc[rationed] >= cap - 1.0).all(), "rationing below the cap"
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


def _russian_gas_reaching(rationed: set[str]) -> set[str]:
    """The Russian parameters whose gas can reach a rationed country: routes with an entry in one of them or in a
    neighbour with an interconnector into one, and Russian LNG when one of those has a regasification terminal."""
    system = gas.gas_system(econ.load_data())
    names = list(system.countries)
    near = set(rationed) | {names[i] for i, j in zip(system.arc_from, system.arc_to) if names[j] in rationed}
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
    @given(cut_params(horizons), st.data(), st.floats(0.05, 1.0))
    def check(params, choice, step):
        res = _gas(params)
        a = _metric(res, "eu_gas_shortfall_bcm")
        assume(a > MOVED_BCM)  # rationing before the raise: the property can bite
        # the raised route's gas can reach a rationed country (under the national rule gas entering elsewhere
        # stops at the link caps, and the pair could not differ)
        unserved = res.tables["gas_unserved"].groupby("country")["unserved_bcm"].sum()
        reach = _russian_gas_reaching(set(unserved[unserved > MOVED_BCM].index))
        candidates = [s for s in RUSSIAN if s.name in reach]
        assume(candidates)
        spec = choice.draw(st.sampled_from(candidates), label="raised route")
        lower = params.float(spec.name)
        higher = min(float(spec.high), lower + step * (float(spec.high) - float(spec.low)))
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


# ---- more divertible Qatari LNG never raises the shortfall ----


def _qatar_checks(n: int, horizons, ran: Counter[str]) -> Counter[str]:
    spec = REGISTRY["gas.lng.qatar.divertible_share"]

    @settings(SETTINGS, max_examples=n)
    # Under the national rule the rationed countries are the inland ones, which the capped links keep out of
    # reach of extra LNG (no draw of 40 moved); in the integrated market after a deep cut Qatar is at the margin.
    @given(cut_params(horizons, integrated=st.just(True), russian_max=0.1, tight=True), st.floats(0.0, 1.0))
    def check(params, frac):
        higher = float(spec.low) + frac * (float(spec.high) - float(spec.low))
        lower = min(params.float(spec.name), higher)
        a = _metric(_gas(params.with_values({spec.name: lower})), "eu_gas_shortfall_bcm")
        assume(a > MOVED_BCM)  # rationing at the lower share: the property can bite
        b = _metric(_gas(params.with_values({spec.name: higher})), "eu_gas_shortfall_bcm")
        assert b <= a + 1e-6, (lower, higher, a, b)
        ran["draws"] += 1
        ran["short"] += a > MOVED_BCM
        ran["differs"] += abs(b - a) > MOVED_BCM

    check()
    return ran


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True,
    reason="counterexample found by these draws (issue 16 item 4): see "
    "test_counterexample_more_qatari_lng_raises_the_integrated_shortfall; the model is not changed here",
)
def test_more_divertible_qatari_lng_never_raises_the_shortfall():
    ran: Counter[str] = Counter()
    try:
        _qatar_checks(40, HORIZONS, ran)
    finally:  # the counts up to the counterexample, printed with -s
        _report("qatari lng vs shortfall (slow)", ran)
    assert ran["draws"] == 40 and ran["differs"] >= 24  # at least 60% of the pairs differ


# ---- counterexamples found by the conditioned draws (minimal parameters; the model is not changed here) ----
# National rule (mechanism not established): the 1 November fill rises with the extra gas (87.84 -> 87.99 %) while
# Austria rations 0.77 bcm more; the target binds up to the price cap, the value of rationed demand, so the LP may
# trade one for the other. Qatar (a mechanism of the model, arguably not a bug): the divertible share phi moves
# phi * E_qatar from "fixed to Europe" into the flexible pool (docs/methodology.md, the LNG pool, 3.7); with Europe's
# price at the cap (246.6 EUR/MWh against a 250 cap) Europe cannot outbid Asia for it, so Europe's LNG falls
# (108.33 -> 108.11 bcm) and each rationed month rations about 0.017 bcm more. More flexibility is not more supply
# for Europe when Europe's bid is capped. econ/gas/ is not changed here; for the gas model's owners.

NATIONAL_NS1_CASE = {
    "gas.market.integrated": False,
    "gas.russia.nord_stream_1.utilisation": 0.0,
    "gas.russia.yamal.utilisation": 0.0,
    "gas.russia.ukraine.utilisation": 0.0,
    "gas.russia.baltic_finland.utilisation": 0.0,
    "gas.storage.target_fill": 0.875,
}
QATAR_CASE = {
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
}


@pytest.mark.xfail(
    strict=True,
    reason="genuine counterexample: under the national rule, Nord Stream 1 from 0 to 1.0 raises the EU shortfall "
    "9.567 -> 9.698 bcm (Austria +0.77 bcm unserved), storage target 0.875",
)
def test_counterexample_more_nord_stream_1_raises_the_national_rule_shortfall():
    params = Params({**DEFAULTS, **NATIONAL_NS1_CASE})
    a = _metric(_gas(params), "eu_gas_shortfall_bcm")
    b = _metric(_gas(params.with_values({"gas.russia.nord_stream_1.utilisation": 1.0})), "eu_gas_shortfall_bcm")
    assert a > 1.0  # the case bites: rationing before the raise
    assert b <= a + 1e-6, (a, b)


@pytest.mark.xfail(
    strict=True,
    reason="genuine counterexample: integrated market, Qatar's flexible share 0.125 -> 0.15 raises the EU "
    "shortfall 36.249 -> 36.347 bcm: the share moves contracted cargoes into a pool Europe, at its price cap, loses "
    "to Asia (EU LNG 108.33 -> 108.11 bcm)",
)
def test_counterexample_more_qatari_lng_raises_the_integrated_shortfall():
    params = Params({**DEFAULTS, **QATAR_CASE})
    a = _metric(_gas(params), "eu_gas_shortfall_bcm")
    b = _metric(_gas(params.with_values({"gas.lng.qatar.divertible_share": 0.15})), "eu_gas_shortfall_bcm")
    assert a > 1.0
    assert b <= a + 1e-6, (a, b)


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
