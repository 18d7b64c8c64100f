"""`gas.cost.lng_eur_mwh`, the short-run marginal cost of an LNG cargo, is not an inert lever: it sets Europe's price
when LNG is the marginal supply, i.e. when both Europe's and Asia's netbacks would fall below it (a glut, a mild
year). Every cargo, destination-fixed (g <= G) or flexible (h + a <= F), is an upper bound, not an obligation
(methodology, gas, 3.2 and 3.7): a cargo whose netback is below its cost is not produced or shipped, as US cargoes
were cancelled in the summer of 2020. At the presets' prices (44.5 EUR/MWh and more) every cargo's netback is above
any cost in the registry's plausible range (8-25 EUR/MWh), so there it moves no price; that is the economics, not a
missing mechanism (docs/validation.md, a, LNG cost).
"""

from __future__ import annotations

import pytest

import econ
from tests.test_gas_national_ties import _lng_toy
from tests.test_gas_toy import PRICE_TOL

P0 = 46.5


@pytest.mark.parametrize(("cost", "used"), [(15.0, 1620.0), (35.0, 1545.0)])
def test_in_a_glut_the_lng_cost_is_the_price(tmp_path, cost, used):
    # By hand (methodology 3.3, 3.7). 2000 mcm of destination-fixed LNG in March against 1000 (DE) + 500 (AT) of
    # household demand at the reference price 46.5. Below it the households take more: 3% at the curve's price at
    # the step midpoint, P0 1.015^-10 = 40.07, and 5% more at P0 1.055^-10 = 27.22 (elasticity -0.1, no markup in
    # the toy): at most 1500 x 1.08 = 1620. LNG is left over, so the last cargo is the marginal supply and the price
    # is its cost. At 15 EUR/MWh both up-steps are taken (1620 mcm landed); at 35 only the first (1545).
    res = _lng_toy(tmp_path / str(cost), 2000 * 365 / 31 / 1000, **{"gas.cost.lng_eur_mwh": cost})
    assert P0 * 1.055**-10 == pytest.approx(27.22, abs=0.01)
    prices = res.tables["gas_prices"].set_index("country")["price_eur_mwh"]
    assert prices["DE"] == pytest.approx(cost, abs=PRICE_TOL)
    assert prices["AT"] == pytest.approx(cost, abs=PRICE_TOL)
    landed = res.tables["gas_lng_by_origin"]["value_bcm"].sum()
    assert landed == pytest.approx(used / 1000, abs=1e-6)


def test_on_the_network_the_lng_cost_binds_in_a_mild_year_and_not_at_the_baseline():
    # The EU network at the registry defaults: the 2021-like baseline's price (44.5) is far above any LNG cost in
    # the plausible range, so 8 and 25 EUR/MWh give the same price. In a mild year (demand 0.8 of the base year,
    # the registry's hard range allows it) the price falls to about 20.6 EUR/MWh with the cost at 8 or 15, and a
    # cost of 25 raises it to about 25: the cargoes whose netback falls below 25 are not shipped.
    def price(**ov):
        res = econ.run(econ.load_scenario("baseline").with_overrides(ov))
        return float(res.headline.set_index("metric")["value"]["ttf_price_avg_eur_mwh"])

    assert price(**{"gas.cost.lng_eur_mwh": 8.0}) == pytest.approx(price(**{"gas.cost.lng_eur_mwh": 25.0}), abs=1e-3)
    mild = {"gas.demand.scale": 0.8}
    low, mid, high = (price(**mild, **{"gas.cost.lng_eur_mwh": c}) for c in (8.0, 15.0, 25.0))
    assert low == pytest.approx(mid, abs=1e-3) and mid < 22.0
    assert high > mid + 3.0
    assert high == pytest.approx(25.0, abs=1.0)
