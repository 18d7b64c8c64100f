"""Properties of the gas model over the registry's ranges (hypothesis).

Every numeric gas parameter is drawn from its [low, high]; the horizon is kept
at its default so each example costs two LP solves at most.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import econ
from econ import gas
from econ.engine import run_params
from econ.params import Params

REGISTRY = econ.load_registry()
FLOATS = [s for s in REGISTRY if s.module == "gas" and s.type == "float"]
RUSSIAN = [s for s in FLOATS if s.name in gas.RUSSIAN_PARAMS]
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@st.composite
def gas_params(draw):
    values = REGISTRY.defaults()
    for spec in FLOATS:
        values[spec.name] = draw(st.floats(float(spec.low), float(spec.high), allow_nan=False))
    values["gas.market.integrated"] = draw(st.booleans())
    return Params(values)


def _gas(params: Params):
    return run_params(params, econ.load_data())["gas"]


def _pure_cut(params: Params) -> bool:
    """No Russian route above its default: the scenario only removes Russian gas."""
    defaults = REGISTRY.defaults()
    return all(params.float(name) <= float(defaults[name]) for name in gas.RUSSIAN_PARAMS)


def _check(res, params: Params, pure_cut: bool = True):
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


@pytest.mark.slow
@SETTINGS
@given(gas_params())
def test_any_parameter_set_gives_a_clean_closed_balance(params):
    _check(_gas(params), params, _pure_cut(params))


@pytest.mark.slow
@SETTINGS
@given(gas_params(), st.sampled_from(RUSSIAN), st.floats(0.05, 1.0))
def test_more_russian_gas_never_raises_the_shortfall(params, spec, step):
    lower = params.float(spec.name)
    higher = min(float(spec.high), lower + step * (float(spec.high) - float(spec.low)))
    a = _gas(params)
    b = _gas(params.with_values({spec.name: higher}))

    def shortfall(r):
        return next(m.value for m in r.metrics if m.id == "eu_gas_shortfall_bcm")

    assert shortfall(b) <= shortfall(a) + 1e-6


@pytest.mark.slow
@SETTINGS
@given(gas_params(), st.floats(0.0, 1.0))
def test_more_divertible_qatari_lng_never_raises_the_shortfall(params, frac):
    spec = REGISTRY["gas.lng.qatar.divertible_share"]
    higher = float(spec.low) + frac * (float(spec.high) - float(spec.low))
    lower = min(params.float(spec.name), higher)
    a = _gas(params.with_values({spec.name: lower}))
    b = _gas(params.with_values({spec.name: higher}))

    def shortfall(r):
        return next(m.value for m in r.metrics if m.id == "eu_gas_shortfall_bcm")

    assert shortfall(b) <= shortfall(a) + 1e-6


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
