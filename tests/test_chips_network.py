"""Chips on the right base and through the production network (docs/methodology.md, Semiconductor export
controls): hand calculations of the gap, the sector shocks, the Leontief propagation and Hulten's GDP loss, and
the responses that must hold (rising leakage shrinks the gap; cars lose more than the economy; a leakage tornado
swings GDP by a few points at most)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import econ
from econ.forms import ces_output_loss
from econ.params import ParamBatch
from econ.russia_data import chip_containing_coalition_share, production_network, russia_data
from econ.sanctions import chips

DATA = econ.load_data()
REGISTRY = econ.load_registry()
FULL = econ.load_scenario("full_package").params
SETTINGS = settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


def test_gap_by_hand_and_leakage_path():
    """gap_x(t) = C_x (1 - l(t)) (1 - S r(t)), l(t) = l_max (1 - exp(-(t+1)/m_l)); gap_E = w_c gap_chips + (1 - w_c) gap_goods."""
    b = ParamBatch.single(FULL)
    rd = russia_data(DATA)
    k, r = FULL.float("chips.controls_coverage"), FULL.float("chips.fdpr_reach")
    lmax, ml = FULL.float("chips.leakage_share"), FULL.float("chips.leakage_months")
    s, ms = FULL.float("chips.substitution_share"), FULL.float("chips.substitution_months")
    t = np.arange(13.0)
    leak = lmax * (1 - np.exp(-(t + 1) / ml))
    unfilled = (1 - leak) * (1 - s * (1 - np.exp(-(t + 1) / ms)))
    c_chips = k * rd.chip_coalition_share + r * rd.chip_third_country_share
    coal_goods, w_c = chip_containing_coalition_share(DATA)
    c_goods = k * coal_goods + r * (1 - coal_goods)
    np.testing.assert_allclose(chips.supply_gap(b, DATA)[0], c_chips * unfilled)
    np.testing.assert_allclose(chips.electronics_gap(b, DATA)[0], (w_c * c_chips + (1 - w_c) * c_goods) * unfilled)
    assert w_c == pytest.approx(1.6898 / (1.6898 + 7.7), rel=1e-4)  # data/ru_chip_imports_2021.csv world rows


def test_rising_leakage_shrinks_the_chip_gap_month_by_month():
    res = econ.run("full_package")
    gap = res.tables["chip_gap"]["chip_supply_gap_pct"].to_numpy()
    assert np.all(np.diff(gap) < 0)
    assert gap[-1] < 0.7 * gap[0]


def test_network_propagation_and_hulten_by_hand():
    """L = (I - Omega)^-1 (-ln(1 - d)); output change = exp(-L) - 1; GDP loss = 1 - exp(-sum lambda (-ln(1 - d)))."""
    b = ParamBatch.single(FULL)
    ev = chips.evaluate(b, DATA)
    net = production_network(DATA)
    d = chips.sector_shocks(b, DATA)[0]  # (S, T)
    shock = -np.log(1 - d)
    L = np.linalg.solve(np.eye(len(net.sectors)) - net.omega, shock)
    np.testing.assert_allclose(ev.outputs["sector_output_change_by_month"][0], np.exp(-L) - 1, rtol=1e-10)
    np.testing.assert_allclose(ev.outputs["gdp_loss_share_by_month"][0], 1 - np.exp(-(net.domar @ shock)), rtol=1e-10)
    # the direct shock of a sector: CES with its own elasticity; autos add the foreign brands' exit
    rd = russia_data(DATA)
    gap = chips.electronics_gap(b, DATA)[0]
    tel = rd.sectors.index("telecom")
    sigma = FULL.float("chips.input_substitution_elasticity")
    np.testing.assert_allclose(d[tel], ces_output_loss(rd.sector_imported_electronics_share[tel], gap, sigma))
    autos = rd.sectors.index("autos")
    t = np.arange(13.0)
    exit_ = FULL.float("exports.firm_exit_share") * (1 - np.exp(-(t + 1) / FULL.float("exports.firm_exit_months")))
    ces = ces_output_loss(rd.sector_imported_electronics_share[autos], gap, sigma)
    f = FULL.float("chips.auto_foreign_brand_share")
    np.testing.assert_allclose(d[autos], 1 - (1 - ces) * (1 - f * exit_))
    # Omega is the Rosstat domestic input matrix: every sector buys from 'other'
    assert np.all(net.omega[:, net.sectors.index("other")] > 0.2)


def test_cars_lose_more_output_than_the_economy():
    res = econ.run("full_package")
    assert res.value("auto_output_change_pct") < res.value("russia_gdp_change_pct") < 0
    table = res.tables["sector_output"]
    assert set(table.columns) >= {"sector", "month", "output_change_pct"}
    mean = table.groupby("sector")["output_change_pct"].mean()
    assert mean["autos"] == mean.min()  # the most exposed sector in full_package


def test_leakage_tornado_swings_gdp_by_a_few_points_at_most():
    spec = REGISTRY["chips.leakage_share"]
    values = []
    for v in (0.0, float(spec.low), float(spec.high), 1.0):
        p = FULL.with_values({"chips.leakage_share": v})
        values.append(econ.engine.run_params(p, DATA)["macro"].metrics)
    gdp = [next(m.value for m in mods if m.id == "russia_gdp_change_pct") for mods in values]
    swing_plausible = abs(gdp[2] - gdp[1])
    swing_hard = abs(gdp[3] - gdp[0])
    assert swing_plausible < 1.0  # over the plausible range: under a point of GDP
    assert swing_hard < 3.0  # even from no leakage at all to full leakage: a few points, not a cliff
    assert gdp[0] <= gdp[1] <= gdp[2] <= gdp[3]


@SETTINGS
@given(lo=st.floats(0.0, 0.9), frac=st.floats(0.05, 1.0))
def test_less_leakage_never_raises_sector_output(lo, frac):
    hi = lo + frac * (1 - lo)
    a = chips.evaluate(ParamBatch.single(FULL.with_values({"chips.leakage_share": hi})), DATA)
    b = chips.evaluate(ParamBatch.single(FULL.with_values({"chips.leakage_share": lo})), DATA)
    ca, cb = a.outputs["sector_output_change_by_month"], b.outputs["sector_output_change_by_month"]
    assert np.all(cb <= ca + 1e-12)
    assert np.all(b.outputs["gap_by_month"] >= a.outputs["gap_by_month"] - 1e-12)


@SETTINGS
@given(lo=st.floats(0.0, 0.5), frac=st.floats(0.05, 1.0))
def test_more_exits_never_raise_car_output(lo, frac):
    hi = lo + frac * (1 - lo)
    a = chips.evaluate(ParamBatch.single(FULL.with_values({"exports.firm_exit_share": lo})), DATA)
    b = chips.evaluate(ParamBatch.single(FULL.with_values({"exports.firm_exit_share": hi})), DATA)
    assert b.metrics["auto_output_change_pct"][0] < a.metrics["auto_output_change_pct"][0]
