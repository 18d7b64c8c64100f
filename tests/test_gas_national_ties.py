"""The national rule's answer does not depend on the LP's layout, and rationing follows the share steps.

Under the national rule the links are capped, and countries (and months) that ration at the cap used to tie: the
LP's optimum was a face, and the cost perturbation that picks a vertex was fixed by each column's *position*, so
moving one block of columns changed which country was rationed (Czechia's winter price 228 or 599 EUR/MWh).
Two changes (docs/methodology.md, gas, 3.2 and 3.3 "Rationing"): rationing costs more the larger the share of a
node-sector-month's demand already rationed (lp.RATION_SHARES, lp.RATION_STEP: proportional curtailment), and the
perturbation of a column is fixed by its block's name and its place in the block (lp.cost_tie_break).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import scipy.sparse as sp

import econ
from econ import gas
from econ.data import load_data
from econ.gas import lp as gas_lp
from econ.gas.solve import HighsSession
from tests.conftest import write_toy
from tests.test_gas_toy import CAP, PRICE_TOL, _params


def _national_cutoff():
    sc = econ.load_scenario("russia_gas_cutoff").with_overrides({"gas.market.integrated": False})
    gas.clear_caches()
    res = gas.run(sc.params, econ.load_data())
    gas.clear_caches()
    return res


def _reversed_variables(original):
    """``lp.variables`` with its blocks allocated in the reverse order: every column moves."""

    def variables(*args, **kwargs):
        var = original(*args, **kwargs)
        out = gas_lp._Columns()
        for (name, idx), ub, cost in reversed(list(zip(var.blocks.items(), var.ub, var.cost, strict=True))):
            out.add(name, idx.shape, ub.reshape(idx.shape), cost.reshape(idx.shape))
        return out

    return variables


def test_moving_the_column_blocks_leaves_the_national_answer_unchanged(monkeypatch):
    # Every LP of the run (the integrated baseline whose flows cap the links, the national reference, the
    # scenario) is built with its column blocks in the reverse order; rationing by country, sector and month and
    # every node price agree within 1e-6 (bcm, EUR/MWh). With the perturbation fixed by position they did not.
    plain = _national_cutoff()
    monkeypatch.setattr(gas_lp, "variables", _reversed_variables(gas_lp.variables))
    moved = _national_cutoff()
    keys = ["country", "sector", "month"]
    a = plain.tables["gas_unserved"].set_index(keys)["unserved_bcm"]
    b = moved.tables["gas_unserved"].set_index(keys)["unserved_bcm"].loc[a.index]
    assert a.sum() > 5.0  # the case bites: the national cut-off rations
    assert np.abs(a.to_numpy() - b.to_numpy()).max() < 1e-6
    pa = plain.tables["gas_prices"].set_index(["country", "month"])["price_eur_mwh"]
    pb = moved.tables["gas_prices"].set_index(["country", "month"])["price_eur_mwh"].loc[pa.index]
    assert np.abs(pa.to_numpy() - pb.to_numpy()).max() < 1e-6


def test_a_random_column_permutation_of_the_lp_finds_the_same_optimum(data):
    # The assembled LP of the national cut-off's scenario, its columns shuffled (costs, bounds and the matrix
    # with them): the same primal solution and the same node prices (row duals) within 1e-6.
    sc = econ.load_scenario("russia_gas_cutoff").with_overrides({"gas.market.integrated": False})
    system = gas.system_for(sc.params, data)
    inputs = gas.build_inputs(sc.params, system)
    base = gas.module._baseline_flows(sc.params, data)
    lp = gas.build_lp(inputs, system, gas_lp.arc_caps_from_flows(base.flow))
    perm = np.random.default_rng(7).permutation(len(lp.cost))
    a = sp.csr_matrix((lp.data, lp.indices, lp.indptr), shape=lp.shape)[:, perm].tocsr()
    a.sort_indices()
    shuffled = dataclasses.replace(
        lp, cost=lp.cost[perm], col_upper=lp.col_upper[perm], indptr=a.indptr, indices=a.indices, data=a.data
    )
    one, two = HighsSession(warm=False), HighsSession(warm=False)
    s1, x1, _, _ = one.solve(lp)
    s2, x2, _, _ = two.solve(shuffled)
    assert s1 == s2 == "ok"
    back = np.empty_like(x2)
    back[perm] = x2
    ration = lp.blocks["ration"].ravel()
    assert x1[ration].sum() > 5000.0  # mcm: the scenario rations
    assert np.abs(back[ration] - x1[ration]).max() < 1e-6
    node = lp.rows["node"].ravel()
    assert np.abs(one.duals[node] - two.duals[node]).max() < 1e-6


def _lng_toy(directory, lng_bcm_per_year: float, **extra):
    """DE (1000 mcm of household demand in March) and AT (500), both with an LNG terminal, no pipeline gas:
    the European LNG pool's cargoes (Qatar, all destination-fixed) land at either terminal at the same cost, so
    nothing but the rationing rule decides which country goes short."""
    from econ.data import GAS_SECTORS, LNG_ORIGINS

    tables = {
        "gas_demand_annual.csv": "country,sector,demand_bcm_per_year\n"
        + "".join(f"DE,{s},{12 if s == 'households' else 0}\n" for s in GAS_SECTORS)
        + "".join(f"AT,{s},{6 if s == 'households' else 0}\n" for s in GAS_SECTORS),
        "gas_lng_terminals.csv": "country,regas_capacity_bcm_per_year,terminals\nDE,30,toy\nAT,30,toy\n",
        "gas_lng_imports.csv": "country,origin,lng_bcm_per_year\n"
        + "".join(f"DE,{o},{lng_bcm_per_year if o == 'qatar' else 0}\n" for o in LNG_ORIGINS),
        "gas_lng_exporters.csv": "origin,export_capacity_bcm_per_year,exports_bcm_per_year,to_eu_bcm_per_year,"
        "to_asia_bcm_per_year\n"
        + "".join(
            f"{o},{lng_bcm_per_year},{lng_bcm_per_year},{lng_bcm_per_year},0\n" if o == "qatar" else f"{o},0,0,0,0\n"
            for o in LNG_ORIGINS
        ),
    }
    params = _params(
        **{
            "gas.russia.nord_stream_1.utilisation": 0.0,
            "gas.lng.qatar.divertible_share": 0.0,
            "gas.lng.regas_max_utilisation": 1.0,
            **extra,
        }
    )
    return gas.run(params, load_data(write_toy(directory, **tables)))


def test_two_countries_short_of_gas_ration_equal_shares(tmp_path):
    # By hand (methodology 3.3, rationing). LNG in March: 8.8306 bcm/yr x 31/365 = 750 mcm. Demand 1000 (DE) +
    # 500 (AT) = 1500; the households' steps below the cap take 20% of each (200 + 100; tests/test_gas_toy.py,
    # _steps); 1500 - 750 - 300 = 450 mcm must be rationed. With one cost per sector (before) any split of the
    # 450 was optimal. With the share steps (0-15, 15-30, 30-100% of demand, each 0.015 EUR/MWh dearer) both
    # countries fill the first two steps before either enters the third: 30% each, DE 300 and AT 150, the split of
    # proportional curtailment, and the price is the second step's, cap - 0.6 + 0.015.
    res = _lng_toy(tmp_path / "a", 750 * 365 / 31 / 1000)
    uns = res.tables["gas_unserved"].groupby("country")["unserved_bcm"].sum()
    assert uns["DE"] == pytest.approx(0.300, abs=1e-6)
    assert uns["AT"] == pytest.approx(0.150, abs=1e-6)
    prices = res.tables["gas_prices"].set_index("country")["price_eur_mwh"]
    assert prices["DE"] == pytest.approx(CAP - 0.6 + 0.015, abs=PRICE_TOL)
    assert prices["AT"] == pytest.approx(CAP - 0.6 + 0.015, abs=PRICE_TOL)


def test_between_two_share_steps_each_country_stays_inside_the_marginal_step(tmp_path):
    # 850 mcm of LNG: 1500 - 850 - 300 = 350 rationed. Both fill the 0-15% steps (DE 150, AT 75) and share the
    # other 125 inside the 15-30% step, whose units cost the same in both: the split of those 125 is the one thing
    # the rule leaves open (the column perturbation picks it), so each share lies between 15% and 30%: DE between
    # 350 - 150 = 200 and 300 - 25 = 275 (AT at least 75), AT between 75 and 150.
    res = _lng_toy(tmp_path / "b", 850 * 365 / 31 / 1000)
    uns = res.tables["gas_unserved"].groupby("country")["unserved_bcm"].sum()
    assert uns.sum() == pytest.approx(0.350, abs=1e-6)
    assert 0.200 - 1e-6 <= uns["DE"] <= 0.275 + 1e-6
    assert 0.075 - 1e-6 <= uns["AT"] <= 0.150 + 1e-6
    prices = res.tables["gas_prices"].set_index("country")["price_eur_mwh"]
    assert prices["DE"] == pytest.approx(CAP - 0.6 + 0.015, abs=PRICE_TOL)
