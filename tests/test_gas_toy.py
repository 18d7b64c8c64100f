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
from tests.conftest import write_toy

ONE_MONTH = {
    "gas.start_month": "2022-03",
    "gas.horizon_months": 1,
    "gas.demand.reduction_share": 0.1,
    "gas.russia.nord_stream_1.utilisation": 0.5,  # 100 mcm/d x 0.5 x 31 d = 1550 mcm
    "gas.storage.end_fill": 0.0,
}


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
    return Params({**econ.load_registry().defaults(), **ONE_MONTH, **extra})


def _run(directory, **extra):
    return _GasRun(gas.run(_params(**extra), load_data(directory)))


def test_shortfall_falls_on_industry_first(toy_dir):
    res = _run(toy_dir)
    # demand 2000 mcm, supply 1550, reduction 10% in each country = 200 -> 250 unserved,
    # all of it DE industry (tiers at 1000 and 2000 per mcm beat AT households at 4000).
    assert res.value("eu_gas_shortfall_bcm") == pytest.approx(0.250, abs=1e-6)
    assert res.value("eu_gas_shortfall_pct") == pytest.approx(12.5, abs=1e-4)
    assert res.value("demand_reduction_bcm") == pytest.approx(0.200, abs=1e-6)
    uns = res.tables["gas_unserved"].groupby(["country", "sector"])["unserved_bcm"].sum()
    assert uns[("DE", "industry")] == pytest.approx(0.250, abs=1e-6)
    assert uns[("AT", "households")] == pytest.approx(0.0, abs=1e-9)


def test_interconnector_bottleneck_moves_the_shortfall(toy_dir):
    write_toy(
        toy_dir, **{"gas_interconnectors.csv": "from_country,to_country,capacity_mcm_per_day,points\nDE,AT,20,toy\n"}
    )
    res = _run(toy_dir)
    # The arc carries at most 20 x 31 = 620 mcm. AT: 1000 - 100 reduction - 620 = 280 unserved.
    # DE keeps 1550 - 620 = 930 and needs only 70 of reduction, no curtailment.
    assert res.value("eu_gas_shortfall_bcm") == pytest.approx(0.280, abs=1e-6)
    assert res.value("demand_reduction_bcm") == pytest.approx(0.170, abs=1e-6)
    summary = res.tables["gas_country_summary"].set_index("country")
    assert summary.loc["AT", "unserved_bcm"] == pytest.approx(0.280, abs=1e-6)
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
    # 400 mcm in store; 1550 + 400 = 1950 < 2000: 50 of reduction, nothing unserved, store emptied.
    assert res.value("eu_gas_shortfall_bcm") == pytest.approx(0.0, abs=1e-9)
    assert res.value("demand_reduction_bcm") == pytest.approx(0.050, abs=1e-6)
    level = res.tables["gas_storage"].set_index("country").loc["DE", "level_bcm"]
    assert level == pytest.approx(0.0, abs=1e-9)


def test_lost_russian_gas_is_covered_exactly(toy_dir):
    res = _run(toy_dir)
    cov = res.tables["gas_coverage"]
    lost = res.value("russian_gas_lost_bcm")
    # Reference: NS1 at its registry default; the LP takes what demand needs (2000 mcm),
    # capped by 100 mcm/d x default x 31 d.
    default_u = econ.load_registry()["gas.russia.nord_stream_1.utilisation"].value
    ref_used = min(2000.0, 100 * default_u * 31)
    assert lost == pytest.approx((ref_used - 1550) / 1000, abs=1e-6)
    assert cov.value_bcm.sum() == pytest.approx(lost, abs=1e-9)
    assert res.value("qatar_lng_share_of_gap_pct") == 0.0


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
