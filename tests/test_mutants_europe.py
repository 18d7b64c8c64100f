"""Value-level tests written from the mutation run of econ/europe.py (issue 16 item 6; docs/testing.md, "The model
modules"). Each kills mutants that survived tests/test_europe.py; the mutant it was written for is named in the
test. They check the equations of docs/methodology.md, section "Europe's cost", by hand, with the numbers chosen
here so that the reference run's terms are not zero (tests/test_europe.py's cases set them to zero, where a sign
flip on them cannot show).
"""

from __future__ import annotations

import numpy as np
import pytest

from econ import europe
from econ.data import GAS_SECTORS, gas_nodes, load_data
from econ.model import BatchResult
from econ.params import ParamBatch, load_scenario

DATA = load_data()
ED = europe.europe_data(DATA)
NODES = gas_nodes(DATA)


def test_e6_served_ratio_with_a_reference_that_itself_prices_out_and_rations():
    # E6: phi = (D - R - U) / (D - R_ref - U_ref). Kills `demand - response_ref` -> `demand + response_ref`, which
    # moved russia_partial_cut's EU GDP change by 4 % (the reference run's price response is not zero there).
    assert europe.served_ratio(100.0, 30.0, 5.0, 20.0, 10.0) == pytest.approx((100 - 20 - 30) / (100 - 10 - 5))
    # and the reference's rationing enters with its own sign: (100 - 20 - 30) / (100 - 0 - 15)
    assert europe.served_ratio(100.0, 30.0, 15.0, 20.0, 0.0) == pytest.approx(50 / 85)
    # a reference that serves less than one unit is still a ratio (only nothing served gives 1): kills
    # `where=ref > 0` -> `ref > 1`
    assert europe.served_ratio(1.0, 0.2, 0.1, 0.2, 0.0) == pytest.approx(0.6 / 0.9)
    assert europe.served_ratio(1.0, 0.2, 0.5, 0.2, 0.5) == pytest.approx(1.0)  # D - R_ref - U_ref = 0: 1


def test_e1_rationing_gap_on_a_small_demand_cell():
    # E1: g = (U - U_ref) / D, 0 only where D = 0. Kills `where=demand > 0` -> `demand > 1` (cells below one
    # mcm a month exist in the data: small sectors of small states).
    assert europe.rationing_gap(0.3, 0.1, 0.5) == pytest.approx(0.4)
    assert europe.rationing_gap(0.3, 0.1, 0.0) == 0.0


def _gas(eu_d_price: float) -> dict:
    """A gas batch built by hand (one set, 13 months): every node at 100 EUR/MWh in both runs, nothing rationed or
    priced out; only the EU demand-weighted price moves, by ``eu_d_price`` (it drives the power price, E5)."""
    n_nodes, n_s, n_t = len(NODES), len(GAS_SECTORS), 13
    demand = np.full((1, n_nodes, n_s, n_t), 1000.0)
    zero = np.zeros_like(demand)
    price = np.full((1, n_nodes, n_t), 100.0)
    out = {
        "node_price_eur_mwh": price,
        "node_price_reference_eur_mwh": price,
        "demand_gwh_by_node_sector": demand,
        "unserved_gwh_by_node_sector": zero,
        "unserved_reference_gwh_by_node_sector": zero,
        "response_gwh_by_node_sector": zero,
        "response_reference_gwh_by_node_sector": zero,
        "eu_price_eur_mwh_by_month": np.full((1, n_t), 100.0 + eu_d_price),
        "eu_price_reference_eur_mwh_by_month": np.full((1, n_t), 100.0),
        "ok": np.ones(1, dtype=bool),
        "production_gwh_by_node": np.zeros((1, n_nodes, n_t)),
        "production_reference_gwh_by_node": np.zeros((1, n_nodes, n_t)),
    }
    return {"gas": BatchResult({}, out)}


def test_e5_every_member_state_with_a_gas_node_is_in_the_coupled_power_market():
    # E5: dp_e = mu dp_g_EU / eta for every member state on the coupled grid, zero for Cyprus (no gas node).
    # Kills `coupled = node >= 0` -> `node >= 1` (the first gas node's power price left out: the EU price channel
    # of russia_partial_cut@national moved by 2.4 %). Firms (E6) pay e_cj dp_e, households (E7-E9) the lagged bill.
    p = load_scenario("baseline").params
    r = europe.evaluate(ParamBatch.single(p), DATA, _gas(40.0))
    mu, eff = p["europe.power_gas_price_pass_through"], p["europe.gas_plant_efficiency"]
    eps, m = p["europe.price_output_elasticity"], p["europe.household_spending_share"]
    lag, reg = int(p["europe.retail_lag_months"]), p["europe.regulated_price_share"]
    dp_e = mu * 40.0 / eff
    share = np.mean([min(t + 1, lag + 1) / (lag + 1) for t in range(12)])  # the lagged mean of a step, months 0-11
    checked = 0
    for i, c in enumerate(ED.countries):
        got = r.outputs["price_pct_by_country"][0, i]
        if ED.node[i] < 0:
            assert got == 0.0, c  # an isolated grid
            continue
        firms = sum(
            eps * ED.value_added[i, j] / ED.gross_output[i, j] * ED.electricity_gwh[i, j] * dp_e * 1e3 / 1e9
            for j, s in enumerate(ED.sectors)
            if s != "power" and ED.gross_output[i, j] > 0
        )
        bill = (1 - reg) * ED.household_electricity_gwh[i] * dp_e * share * 1e3 / 1e9
        assert got == pytest.approx(-100 * (firms + m * bill) / ED.gdp[i], rel=1e-9), c
        checked += 1
    assert checked == 26 and 0 in set(ED.node)  # the 26 member states with a gas node, node 0 among them
