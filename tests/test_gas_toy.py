"""The gas LP on a two-country network small enough to solve by hand.

DE has 1 bcm/month of industrial demand, AT 1 bcm/month of household demand;
Nord Stream 1 (100 mcm/d) lands in DE; one interconnector DE -> AT. One month
(March 2022, 31 days), no LNG, no production. Every expected number below is
worked out in the comment beside it.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import econ
from econ import gas
from econ.data import load_data
from econ.params import Params
from econ.time import DatedPath
from tests.conftest import write_toy

ONE_MONTH = {
    "gas.start_month": "2022-03",
    "gas.horizon_months": 1,
    "gas.demand.reduction_share": 0.0,
    "gas.russia.nord_stream_1.utilisation": 0.5,  # 100 mcm/d x 0.5 x 31 d = 1550 mcm
    "gas.storage.end_fill": 0.0,
}
P0 = 46.5  # gas.price.reference_eur_mwh in these tests
CAP = 600.0  # gas.price.cap_eur_mwh
EPS = {"industry": -0.3, "households": -0.1}  # the toy's two sectors (registry defaults, fixed here)
# Prices are exact up to the LP's tie-break perturbation (at most TIE_BREAK EUR/MWh on any column's cost).
PRICE_TOL = 2 * gas.lp.TIE_BREAK
BREAKS = (0.0, 0.02, 0.05, 0.10, 0.15, 0.20, 0.30, 0.45)  # demand-curve steps (methodology 3.3)
FIXED = {
    "gas.price.reference_eur_mwh": P0,
    "gas.price.cap_eur_mwh": CAP,
    "gas.demand.elasticity.industry": EPS["industry"],
    "gas.demand.elasticity.households": EPS["households"],
    # the curves in the hub price, ending at the 45% step (no end-user markup, no tighter capacity bound), so the
    # steps are those of _steps below
    "gas.demand.markup.industry": 0.0,
    "gas.demand.markup.households": 0.0,
    "gas.demand.industry.max_response_share": 0.45,
    "gas.demand.buildings.max_response_share": 0.45,
}


def _steps(sector: str) -> list[tuple[float, float]]:
    """(price, mcm) of the toy's 1000-mcm demand steps below the reference, by hand from eq. 3.3:
    P_k = P0 (1 - m_k)^(1/eps) at the step's midpoint m_k; a step dearer than the cap is left to rationing."""
    out = []
    for lo, hi in zip(BREAKS[:-1], BREAKS[1:]):
        price = P0 * (1 - (lo + hi) / 2) ** (1 / EPS[sector])
        if price < CAP:
            out.append((price, 1000 * (hi - lo)))
    return out


class _GasRun:
    """The gas module's result with the Results-like look-ups these tests use."""

    def __init__(self, mod):
        self.tables, self.status = mod.tables, mod.status
        self._values = {m.id: m.value for m in mod.metrics}

    def value(self, metric):
        return self._values[metric]


def _params(**extra):
    # A one-month horizon makes every number checkable by hand; it is below the registry's 12-month floor,
    # which guards user input, so these tests build Params directly and run the gas module alone.
    return Params({**econ.load_registry().defaults(), **ONE_MONTH, **FIXED, **extra})


def _run(directory, **extra):
    return _GasRun(gas.run(_params(**extra), load_data(directory)))


def _prices(res) -> dict[str, float]:
    return res.tables["gas_prices"].set_index("country")["price_eur_mwh"].to_dict()


def test_price_is_the_marginal_step_of_the_demand_curve(toy_dir):
    # Supply 1575 mcm against 2000 of demand (u = 1575/3100): 425 mcm must be priced out. Gas flows DE -> AT
    # (arc cost 0.1 EUR/MWh), so p_AT = p_DE + 0.1. Merit order of the steps (DE industry at p_DE, AT households
    # at p_AT): industry 20, 30, 50, 50, 50, 100 (up to 121.3) and households 20, 30, 50 (up to 101.4) = 400,
    # then the households' fourth step, P0 0.875^-10 = 176.76, gives the last 25: it sets p_AT; industry's
    # seventh step (P0 0.625^(-1/0.3) = 222.7) stays unused.
    res = _run(toy_dir, **{"gas.russia.nord_stream_1.utilisation": 1575 / 3100})
    hh, ind = _steps("households"), _steps("industry")
    p_at = hh[3][0]
    assert p_at == pytest.approx(176.76, abs=0.01)
    prices = _prices(res)
    assert prices["AT"] == pytest.approx(p_at, abs=PRICE_TOL)
    assert prices["DE"] == pytest.approx(p_at - 0.1, abs=PRICE_TOL)
    assert ind[5][0] < prices["DE"] < ind[6][0]
    assert res.value("eu_demand_response_bcm") == pytest.approx(0.425, abs=1e-6)
    assert res.value("eu_gas_shortfall_bcm") == pytest.approx(0.0, abs=1e-9)
    assert res.value("ttf_price_avg_eur_mwh") == pytest.approx(p_at - 0.05, abs=PRICE_TOL)  # equal demand weights
    resp = res.tables["gas_unserved"].groupby("country")["response_bcm"].sum()
    assert resp["DE"] == pytest.approx(0.300, abs=1e-6)
    assert resp["AT"] == pytest.approx(0.125, abs=1e-6)


def test_rationing_only_at_the_cap_industry_first(toy_dir):
    # Supply 620 mcm (u = 0.2). Steps below the cap: industry all 450, households 200 (the sixth step costs
    # P0 0.75^-10 = 826 > 600). 2000 - 620 - 650 = 730 rationed: DE industry's remaining 550 first
    # (cap - 0.9 to cap - 0.87 over its share steps), then 180 of AT households: 18% of their demand, in the
    # second share step (15-30%, cap - 0.6 + 0.015: methodology 3.3, rationing), which sets p_AT = 599.415;
    # p_DE = 599.315 (arc cost).
    res = _run(toy_dir, **{"gas.russia.nord_stream_1.utilisation": 0.2})
    assert sum(w for _, w in _steps("households")) == pytest.approx(200.0)
    assert res.value("eu_gas_shortfall_bcm") == pytest.approx(0.730, abs=1e-6)
    uns = res.tables["gas_unserved"].groupby(["country", "sector"])["unserved_bcm"].sum()
    assert uns[("DE", "industry")] == pytest.approx(0.550, abs=1e-6)
    assert uns[("AT", "households")] == pytest.approx(0.180, abs=1e-6)
    prices = _prices(res)
    assert prices["AT"] == pytest.approx(CAP - 0.6 + 0.015, abs=PRICE_TOL)
    assert prices["DE"] == pytest.approx(CAP - 0.685, abs=PRICE_TOL)


def test_interconnector_bottleneck_splits_the_price(toy_dir):
    write_toy(
        toy_dir, **{"gas_interconnectors.csv": "from_country,to_country,capacity_mcm_per_day,points\nDE,AT,20,toy\n"}
    )
    res = _run(toy_dir)
    # The arc carries at most 20 x 31 = 620 mcm. DE keeps 1550 - 620 = 930: 70 priced out, inside industry's
    # third step (50 to 100), so p_DE = P0 0.925^(-1/0.3) = 60.29. AT: 1000 - 620 = 380 short, 200 priced out,
    # 180 rationed at the cap (households: cap - 0.6, plus 0.015 for the second share step, 15-30% of their
    # demand: methodology 3.3, rationing). The shortfall is all where the price is at the cap.
    prices = _prices(res)
    assert prices["DE"] == pytest.approx(_steps("industry")[2][0], abs=PRICE_TOL)
    assert prices["DE"] == pytest.approx(60.29, abs=0.01)
    assert prices["AT"] == pytest.approx(CAP - 0.6 + 0.015, abs=PRICE_TOL)
    summary = res.tables["gas_country_summary"].set_index("country")
    assert summary.loc["AT", "unserved_bcm"] == pytest.approx(0.180, abs=1e-6)
    assert summary.loc["DE", "unserved_bcm"] == pytest.approx(0.0, abs=1e-9)


def test_storage_covers_the_gap(toy_dir):
    write_toy(
        toy_dir,
        **{
            "gas_storage.csv": "country,working_gas_bcm,injection_mcm_per_day,withdrawal_mcm_per_day\n"
            "DE,1,100,100\nAT,0,0,0\n"
        },
    )
    res = _run(toy_dir, **{"gas.storage.initial_fill": 0.4})
    # 400 mcm in store; 1550 + 400 = 1950 < 2000: 50 priced out (industry 20 at 48.1, households 20 at 51.4,
    # then 10 of industry's second step at P0 0.965^(-1/0.3) = 52.36, the price), nothing rationed, store emptied.
    assert res.value("eu_gas_shortfall_bcm") == pytest.approx(0.0, abs=1e-9)
    assert res.value("eu_demand_response_bcm") == pytest.approx(0.050, abs=1e-6)
    assert _prices(res)["DE"] == pytest.approx(_steps("industry")[1][0], abs=PRICE_TOL)
    level = res.tables["gas_storage"].set_index("country").loc["DE", "level_bcm"]
    assert level == pytest.approx(0.0, abs=1e-9)


def test_policy_reduction_shifts_the_curve(toy_dir):
    # A 10% policy cut removes 200 mcm before prices act: with 1575 of supply, 225 (not 425) is priced out;
    # the steps are 10% narrower (shares of the reduced demand): industry 18, 27, 45, 45 = 135, households 18,
    # 27 = 45, total 180; then industry's fifth step (45 wide, P0 0.825^(-1/0.3) = 88.3) takes the last 45 and
    # ends exactly at 225, so the price sits between it and the next step (households' third, 101.4).
    res = _run(toy_dir, **{"gas.russia.nord_stream_1.utilisation": 1575 / 3100, "gas.demand.reduction_share": 0.1})
    assert res.value("demand_reduction_bcm") == pytest.approx(0.200, abs=1e-6)
    assert res.value("eu_demand_response_bcm") == pytest.approx(0.225, abs=1e-6)
    p = _prices(res)["DE"]
    assert _steps("industry")[4][0] - PRICE_TOL <= p <= _steps("households")[2][0] + PRICE_TOL


def test_lost_russian_gas_is_covered_exactly(toy_dir):
    res = _run(toy_dir)
    cov = res.tables["gas_coverage"]
    lost = res.value("russian_gas_lost_bcm")
    # Reference: NS1 at its registry default (100 x 0.976 x 31 = 3026 mcm available at 20 EUR/MWh). Every
    # step above the reference demand (8% of each sector) is worth more than 20 (the cheapest, households'
    # second, P0 1.055^-10 = 27.2), so the reference takes 2160 and the price is the supply cost, 20.
    default_u = econ.load_registry()["gas.russia.nord_stream_1.utilisation"].value
    assert 100 * default_u * 31 > 2160
    assert lost == pytest.approx((2160 - 1550) / 1000, abs=1e-6)
    assert cov.value_bcm.sum() == pytest.approx(lost, abs=1e-9)
    assert res.value("qatar_lng_share_of_gap_pct") == 0.0


def test_the_node_price_is_the_marginal_cost_of_demand(toy_dir):
    # The sign convention of HiGHS's row duals: the price must equal d(welfare cost)/d(demand), measured by
    # re-solving the same LP with the right-hand side of DE's balance row one mcm higher.
    data = load_data(toy_dir)
    system = gas.gas_system(data)
    inputs = gas.build_inputs(_params(**{"gas.russia.nord_stream_1.utilisation": 1575 / 3100}), system)
    lp = gas.build_lp(inputs, system)
    row = int(lp.rows["node"][system.countries.index("DE"), 0])
    status, _, base, _ = gas.HighsSession(warm=False).solve(lp)
    lo, up = lp.row_lower.copy(), lp.row_upper.copy()
    lo[row] += 1.0
    up[row] += 1.0
    status2, _, bumped, _ = gas.HighsSession(warm=False).solve(dataclasses.replace(lp, row_lower=lo, row_upper=up))
    assert status == status2 == "ok"
    price = gas.solve_lp(inputs, system, gas.HighsSession(warm=False)).price[system.countries.index("DE"), 0]
    assert price > 100
    assert bumped - base == pytest.approx(price, abs=PRICE_TOL)


def test_node_balance_closes(toy_dir):
    res = _run(toy_dir)
    assert gas.balance_residual(res.tables["gas_balance"]).abs().max() < 1e-9, "balance does not close"


def test_infeasible_lp_is_a_status_not_a_crash(toy_dir, monkeypatch):
    data = load_data(toy_dir)
    system = gas.gas_system(data)
    params = _params()
    inputs = gas.build_inputs(params, system)
    # More gas in store at the start than the store can hold, and no way to take it out.
    bad = dataclasses.replace(inputs, storage_start=np.array([5.0, 5.0]), wd_ub=np.zeros_like(inputs.wd_ub))
    sol = gas.solve_lp(bad, system, gas.HighsSession())
    assert sol.status == "infeasible" and "HiGHS" in sol.message

    monkeypatch.setattr(gas.module, "build_inputs", lambda p, s: bad)
    res = gas.run(params, data)
    assert res.status == "infeasible"
    assert "infeasible" in res.message
    assert np.isnan(_GasRun(res).value("eu_gas_shortfall_bcm"))  # no number is made up for a failed solve


# ---- the obligation top-up (docs/methodology.md, gas, 3.5: lp.end_of_horizon, lp.storage_targets) ----

NO_GAS_AUTUMN = {
    "gas.start_month": "2022-10",  # October (the 1 November target), then November (the end floor)
    "gas.horizon_months": 2,
    "gas.russia.nord_stream_1.utilisation": 0.0,  # no gas reaches either country
    "gas.storage.initial_fill": 0.0,
    "gas.storage.target_fill": 0.8,  # 800 mcm on 1 November
    "gas.storage.end_fill": 0.5,  # 500 mcm at the end of November
}
AT_STORE = {
    "gas_storage.csv": "country,working_gas_bcm,injection_mcm_per_day,withdrawal_mcm_per_day\nDE,0,0,0\nAT,1,100,100\n"
}


def test_the_top_up_meets_obligations_and_never_serves_a_customer(toy_dir):
    # No gas at all; AT has an empty 1000-mcm store, a target of 800 on 1 November and a floor of 500 at the end of
    # November. The top-up e (cap - 0.5 a unit, open in October and in the last month) counts towards every
    # obligation from its month on (the target, the floor, the carried volume) and is in no stock identity.
    # First solve (no carried value): 500 topped up in October (target and floor) and 300 of target missed
    # (mu, cap - 1) cost 500 (cap - 0.5) + 300 (cap - 1), less than 800 (cap - 0.5) or a November top-up
    # (mu 800 and e 500). AT rations a household at the margin (cap - 0.57), so its carried value is
    # V = min(cap - 0.57, cap - 1.5) = cap - 1.5 (solve.terminal_values). Second solve: the 300 above the floor
    # earn V if topped up, cap - 1.5 > (cap - 0.5) - (cap - 1) = 0.5, so e = 800 in October, none in November
    # (a further unit would cost cap - 0.5 for V). The old top-up was gas in the store: AT withdrew 300 of it in
    # November (down to the floor) and served 300 mcm of its demand with gas that never existed.
    write_toy(toy_dir, **AT_STORE)
    res = _run(toy_dir, **NO_GAS_AUTUMN)
    store = res.tables["gas_storage"].set_index(["country", "month"])
    assert store.loc[("AT", "2022-10"), "unmet_obligation_bcm"] == pytest.approx(0.8, abs=1e-6)
    assert store.loc[("AT", "2022-11"), "unmet_obligation_bcm"] == pytest.approx(0.0, abs=1e-6)
    assert store["level_bcm"].abs().max() < 1e-6  # no gas was ever in store
    # Served gas never includes the top-up: nothing is served anywhere, in either month.
    u = res.tables["gas_unserved"].groupby(["country", "month"])[["demand_bcm", "response_bcm", "unserved_bcm"]].sum()
    served = u["demand_bcm"] - u["response_bcm"] - u["unserved_bcm"]
    assert served.abs().max() < 1e-6
    # AT's households: 200 mcm priced out below the cap each month (_steps), the other 800 rationed; DE's
    # industry: 450 priced out, 550 rationed, each month.
    assert u.loc[("AT", "2022-11"), "unserved_bcm"] == pytest.approx(0.800, abs=1e-6)
    assert res.value("eu_gas_shortfall_bcm") == pytest.approx(2 * (0.550 + 0.800), abs=1e-6)
    # No price above the cap: AT rations a household at the margin in both months, 80% of its demand, in the
    # deepest share step (30-100%: cap - 0.6 + 2 x 0.015, methodology 3.3, rationing).
    prices = res.tables["gas_prices"].set_index(["country", "month"])["price_eur_mwh"]
    assert prices.max() <= CAP
    assert prices[("AT", "2022-10")] == pytest.approx(CAP - 0.6 + 0.03, abs=PRICE_TOL)
    assert prices[("AT", "2022-11")] == pytest.approx(CAP - 0.6 + 0.03, abs=PRICE_TOL)


def test_a_store_that_can_fill_itself_needs_no_top_up(toy_dir):
    # The same store and obligations, Nord Stream 1 at 100 mcm/d (3100 mcm in October, 3000 in November) and the
    # link to AT at 100 mcm/d: 2000 of demand a month, plus at most 8% more at prices below P0 (160), plus 800
    # into AT's store in October, is less than 3100. The store meets its target and floor with gas; nothing is
    # rationed, no top-up is used.
    link = {"gas_interconnectors.csv": "from_country,to_country,capacity_mcm_per_day,points\nDE,AT,100,toy\n"}
    write_toy(toy_dir, **AT_STORE, **link)
    res = _run(toy_dir, **{**NO_GAS_AUTUMN, "gas.russia.nord_stream_1.utilisation": 1.0})
    store = res.tables["gas_storage"].set_index(["country", "month"])
    assert store["unmet_obligation_bcm"].abs().max() < 1e-9
    assert store.loc[("AT", "2022-10"), "level_bcm"] >= 0.8 - 1e-6
    assert store.loc[("AT", "2022-11"), "level_bcm"] >= 0.5 - 1e-6
    assert res.value("eu_gas_shortfall_bcm") == pytest.approx(0.0, abs=1e-6)


# ---- every gas year ends at the floor (3.5) ----

# April 2022 to April 2023: the gas year April 2022 - March 2023 ends at index 11, before the horizon's last month.
# DE's 1000-mcm store starts half full, the end floor is half full, no 1 November target; Nord Stream 1 at half
# its capacity (1500-1550 mcm a month against 2000 of demand) until March 2023 and at full capacity (3000 mcm) in
# April 2023, when the store can refill at once (100 mcm/d, 3000 a month).
BORROW = {
    "gas.start_month": "2022-04",
    "gas.horizon_months": 13,
    "gas.storage.initial_fill": 0.5,
    "gas.storage.end_fill": 0.5,
    "gas.storage.target_fill": 0.0,
    "gas.russia.nord_stream_1.utilisation": DatedPath(0.5, (("2023-04", 1.0),)),
}
DE_STORE = {
    "gas_storage.csv": "country,working_gas_bcm,injection_mcm_per_day,withdrawal_mcm_per_day\nDE,1,100,100\nAT,0,0,0\n"
}


def _solve_toy(directory, **extra):
    system = gas.gas_system(load_data(directory))
    inputs = gas.build_inputs(_params(**{**BORROW, **extra}), system)
    return system, inputs


def test_every_gas_year_ends_at_the_floor_so_no_run_borrows_from_a_later_winter(toy_dir):
    # S_{n,tau} + sum_{t <= tau} e_{n,t} >= sigma^end W_n at the end of every March at least 12 months into the
    # horizon (3.5, lp.stock_floors). Without the row, DE empties its store by the end of March 2023 (500 mcm more
    # served in the scarce year) and refills it in April 2023 from Nord Stream 1's full flow: the first gas year is
    # flattered by 500 mcm borrowed from the month after it. With the row, the store ends March 2023 at the floor
    # (500 mcm, binding: holding more into April is worth nothing) and the first 12 months are those of the
    # 12-month run, whose end floor is the same row; the months after it do not change them.
    write_toy(toy_dir, **DE_STORE)
    system, inputs = _solve_toy(toy_dir)
    de = system.countries.index("DE")
    assert inputs.floor_months == (11,)  # March 2023; April 2023 (index 12) has the end floor
    ruled = gas.solve_lp(inputs, system, gas.HighsSession(warm=False))
    free = gas.solve_lp(dataclasses.replace(inputs, floor_months=()), system, gas.HighsSession(warm=False))
    assert ruled.status == free.status == "ok"
    assert ruled.level[de, 11] == pytest.approx(500.0, abs=1e-3)  # mcm: at the floor, the row binds
    assert free.level[de, 11] == pytest.approx(0.0, abs=1e-3)  # mcm: emptied across the boundary
    assert ruled.level[de, 12] >= 500.0 - 1e-3 and free.level[de, 12] >= 500.0 - 1e-3  # both meet the end floor
    system12, inputs12 = _solve_toy(toy_dir, **{"gas.horizon_months": 12})
    assert inputs12.floor_months == ()  # its end floor is at index 11
    year = gas.solve_lp(inputs12, system12, gas.HighsSession(warm=False))
    # the first 12 months' prices: the 13-month run's with the rule are the 12-month run's (up to the LP's
    # tie-break perturbations, which differ with the horizon's length: 1e-3 EUR/MWh); without it DE's are lower
    np.testing.assert_allclose(ruled.price[:, :12], year.price, atol=1e-3)
    assert free.price[de, :12].mean() < year.price[de, :12].mean() - 0.5


@pytest.mark.parametrize(
    ("start", "months", "ends"),
    [
        ("2022-03", 13, ()),  # March 2023 is the last month: the end floor
        ("2022-03", 12, ()),
        ("2022-03", 24, (12,)),  # March 2023; the end floor in February 2024; March 2022 (index 0) is the start
        ("2022-03", 36, (12, 24)),
        ("2022-04", 24, (11,)),  # a gas year that starts with the horizon ends 12 months later
        ("2021-10", 24, (17,)),  # March 2022 (index 5) is within the first 12 months: the stock follows the start
    ],
)
def test_gas_year_ends_by_hand(start, months, ends):
    # every March at least 12 months into the horizon (index >= 11), before its last month (3.5)
    cal = econ.time.horizon(start, months)[2]
    assert gas.system.gas_year_ends(cal) == ends
