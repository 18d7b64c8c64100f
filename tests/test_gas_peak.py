"""The peak-day check (econ/gas/peak.py; docs/methodology.md, gas, section 5a: equations 5a.1-5a.4)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import econ
from econ import gas
from econ.data import load_data
from econ.errors import DataError, ParameterError
from econ.gas.peak import deliverability_factor, peak_day
from econ.units import GWH_PER_MCM


def _case(level: float = 300.0, russia: float = 310.0, arc: float = 620.0):
    """Two nodes (A in the EU, B outside), two months (January, a winter month; May, not one), in mcm per month.
    January has 31 days: A produces 10 mcm/d, regasifies 5 mcm/d, withdraws at most 20 mcm/d from 1,000 mcm of
    working gas, takes 30 mcm/d from a pipeline corridor, ``russia``/31 mcm/d of Russian gas and ``arc``/31 mcm/d
    from B."""
    days = np.array([31.0, 31.0])
    system = SimpleNamespace(
        countries=("AA", "BB"),
        geography=("eu27", "non_eu"),
        eu=np.array([True, False]),
        entry_kind=("pipeline", "russia"),
        entry_source=("norway", "nord_stream_1"),
        entry_node=np.array([0, 0]),
        arc_to=np.array([0]),
    )
    inp = SimpleNamespace(
        months=["2023-01", "2023-05"],
        cal=np.array([1, 5]),
        days=days,
        policy_share=np.array([0.1, 0.0]),
        entry_ub=np.array([[30.0, 30.0], [50.0, 50.0]]) * days,
        arc_ub=np.array([[arc, arc]]),
        production=np.array([[10.0, 10.0], [0.0, 0.0]]) * days,
        regas_ub=np.array([[5.0, 5.0], [0.0, 0.0]]) * days,
        wd_ub=np.array([[20.0, 20.0], [0.0, 0.0]]) * days,
        storage_wgv=np.array([1000.0, 0.0]),
    )
    sol = SimpleNamespace(entry=np.array([[0.0, 0.0], [russia, russia]]), level=np.array([[level, level], [0.0, 0.0]]))
    table = pd.DataFrame({"country": ["AA"], "peak_demand_gwh_d": [1000.0]})
    return inp, sol, system, table


def test_hand_computed_case():
    """Equations 5a.1-5a.4 by hand. Fill 300/1,000 = 0.3 below the 0.4 threshold: storage gives 20 x 0.3/0.4 = 15
    mcm/d. EP = 30 (corridor) + 620/31 = 20 (from B) + 310/31 = 10 (Russia) = 60 mcm/d; P = 10; LNG = 5.
    Available = 90 mcm/d = 90 x GWH_PER_MCM GWh/d. Peak = 1,000 x 1.1 x (1 - 0.1) = 990 GWh/d. The largest single
    infrastructure is the 30 mcm/d corridor."""
    inp, sol, system, table = _case()
    t = peak_day(inp, sol, system, table, threshold=0.4, demand_scale=1.1)  # type: ignore[arg-type]
    assert list(t["month"]) == ["2023-01"] and list(t["country"]) == ["AA"]  # EU nodes, winter months only
    row = t.iloc[0]
    available = 90.0 * GWH_PER_MCM
    assert row.storage_deliverability_gwh_d == pytest.approx(15.0 * GWH_PER_MCM)
    assert row.pipeline_entry_gwh_d == pytest.approx(50.0 * GWH_PER_MCM)
    assert row.russian_entry_gwh_d == pytest.approx(10.0 * GWH_PER_MCM)
    assert row.available_gwh_d == pytest.approx(available)
    assert row.peak_demand_gwh_d == pytest.approx(990.0)
    assert row.margin_pct == pytest.approx(100 * (available / 990.0 - 1))
    assert row.largest_infrastructure_gwh_d == pytest.approx(30.0 * GWH_PER_MCM)
    assert row.n_minus_1_pct == pytest.approx(100 * (available - 30.0 * GWH_PER_MCM) / 990.0)
    assert row.storage_fill_pct == pytest.approx(30.0)


def test_margin_falls_with_emptier_storage_and_a_cut_route():
    base = peak_day(*_case(), threshold=0.4).iloc[0].margin_pct  # type: ignore[misc]
    emptier = peak_day(*_case(level=100.0), threshold=0.4).iloc[0].margin_pct  # type: ignore[misc]
    cut = peak_day(*_case(russia=0.0), threshold=0.4).iloc[0].margin_pct  # type: ignore[misc]
    assert emptier < base and cut < base
    # above the threshold more gas in store adds nothing: deliverability is at its maximum
    full = peak_day(*_case(level=500.0), threshold=0.4).iloc[0]  # type: ignore[misc]
    fuller = peak_day(*_case(level=900.0), threshold=0.4).iloc[0]  # type: ignore[misc]
    assert full.margin_pct == pytest.approx(fuller.margin_pct)


def test_deliverability_factor():
    f = deliverability_factor(np.array([0.0, 0.1, 0.2, 0.4, 0.9]), 0.4)
    assert f == pytest.approx([0.0, 0.25, 0.5, 1.0, 1.0])


@pytest.mark.parametrize("threshold", [0.0, -0.2, 1.5])
def test_bad_threshold(threshold):
    with pytest.raises(ParameterError, match="deliverability_threshold_fill"):
        peak_day(*_case(), threshold=threshold)  # type: ignore[misc]


def test_bad_demand_scale_and_missing_peak_demand():
    inp, sol, system, table = _case()
    with pytest.raises(ParameterError, match="demand_scale"):
        peak_day(inp, sol, system, table, threshold=0.4, demand_scale=0.0)  # type: ignore[arg-type]
    with pytest.raises(DataError, match="gas_peak_demand.csv: EU gas node AA"):
        peak_day(inp, sol, system, table.iloc[0:0], threshold=0.4)  # type: ignore[arg-type]
    with pytest.raises(DataError, match="positive"):
        peak_day(inp, sol, system, table.assign(peak_demand_gwh_d=-1.0), threshold=0.4)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def data():
    return load_data()


def test_run_has_the_table_on_every_eu_node(data):
    params = econ.load_scenario("baseline").params
    t = gas.run(params, data).tables["gas_peak_day"]
    eu = set(data["gas_nodes"].loc[data["gas_nodes"].geography == "eu27", "country"])
    assert set(t["country"]) == eu
    assert {int(m[5:]) for m in t["month"]} <= {10, 11, 12, 1, 2, 3}
    assert np.isfinite(t[["peak_demand_gwh_d", "available_gwh_d", "margin_pct"]].to_numpy()).all()


def test_cutoff_lowers_availability_where_russian_gas_entered(data):
    """The full cut-off removes Russian entries: every EU node that received Russian gas in the baseline's
    winter months has less available on the peak day (fills differ too, but the Russian entry is gone)."""
    base = gas.run(econ.load_scenario("baseline").params, data).tables["gas_peak_day"].set_index(["country", "month"])
    cut = gas.run(econ.load_scenario("russia_gas_cutoff").params, data).tables["gas_peak_day"]
    cut = cut.set_index(["country", "month"]).reindex(base.index)
    assert (cut["russian_entry_gwh_d"].abs() < 1e-6).all()  # zero up to the LP's tolerance
    had = base["russian_entry_gwh_d"] > 1.0
    assert had.any()
    assert (cut.loc[had, "available_gwh_d"] < base.loc[had, "available_gwh_d"]).mean() > 0.8


def test_peak_parameters_do_not_resolve_the_lp(data):
    """gas.peak.* are read by the table only: changing them neither re-solves nor moves a headline."""
    params = econ.load_scenario("russia_gas_cutoff").params
    a = gas.run(params, data)
    b = gas.run(params.with_values({"gas.peak.deliverability_threshold_fill": 0.6}), data)
    assert [m.value for m in a.metrics] == [m.value for m in b.metrics]
    assert (b.tables["gas_peak_day"]["available_gwh_d"] <= a.tables["gas_peak_day"]["available_gwh_d"] + 1e-9).all()


# ENTSOG, TYNDP 2017 Main Report, section 6.3.2.4 and Figure 6.7 (N-1 for ESW-CBA, 2020, nominal storage
# withdrawal): EU members showing needs (N-1 below 100%): Croatia, Estonia, Finland, Greece, Ireland, Luxembourg,
# Portugal, Romania, Slovenia, Sweden; Bulgaria in 2017, Denmark and Poland in later years of one scenario.
ENTSOG_2020_NEEDS = {"HR", "EE", "FI", "GR", "IE", "LU", "PT", "RO", "SI", "SE"}
ENTSOG_OTHER_NEEDS = {"BG", "DK", "PL"}


def test_baseline_n_minus_1_against_entsog_tyndp_2017(data):
    """Validation (docs/validation.md, a), peak day): the baseline's N-1 with storage full (nominal deliverability,
    as ENTSOG computes it) in its first month. Every member state below 100% is one ENTSOG flags, every state
    ENTSOG does not flag is at or above 100%, and at least 6 of ENTSOG's 10 are caught. Tolerance: the model's
    Im is a whole country-pair interconnector or corridor (larger than ENTSOG's single point), its Russian entry
    is the run-rate flow rather than the technical capacity, and its peak day is derived (six winters), so the
    borderline states (Sweden 102%, Croatia 107% in the model) can fall either side."""
    from econ.gas.module import _cached, _reference_and_scenario
    from econ.gas.system import system_for

    params = econ.load_scenario("baseline").params
    _, inp, sol = _reference_and_scenario(params, data, _cached(data))
    full = sol.__class__(**{**sol.__dict__, "level": np.repeat(inp.storage_wgv[:, None], sol.level.shape[1], axis=1)})
    t = peak_day(inp, full, system_for(params, data), data["gas_peak_demand"], threshold=0.4)
    first = t[t.month == t.month.iloc[0]].set_index("country")["n_minus_1_pct"]
    below = set(first.index[first < 100])
    assert below <= ENTSOG_2020_NEEDS | ENTSOG_OTHER_NEEDS
    assert len(below & ENTSOG_2020_NEEDS) >= 6
    unflagged = set(first.index) - ENTSOG_2020_NEEDS - ENTSOG_OTHER_NEEDS
    assert (first[sorted(unflagged)] >= 100).all()


@pytest.mark.parametrize("level", [0.0, 100.0, 300.0, 500.0, 1000.0])
def test_margin_never_rises_with_the_threshold(level):
    """Over the registry's plausible range of the threshold (0.2-0.6): a higher threshold (deliverability falls
    from a higher fill) never raises the margin, and lowers it strictly where the fill lies below it and above 0."""
    margins = [peak_day(*_case(level=level), threshold=th).iloc[0].margin_pct for th in (0.2, 0.4, 0.6)]  # type: ignore[misc]
    assert margins[0] >= margins[1] >= margins[2]
    if 0 < level / 1000 < 0.6:
        assert margins[0] > margins[2]


def test_varying_peak_parameters_keep_the_batch_on_one_solve(data, monkeypatch):
    """The batch path never builds the table and a draw of gas.peak.* does not re-solve the LP per set: with only
    them varying, evaluate takes the one cached solve (no per-set HiGHS session is created)."""
    from econ.gas import module
    from econ.params import ParamBatch

    params = econ.load_scenario("russia_gas_cutoff").params
    single = gas.evaluate(ParamBatch.single(params), data)

    def no_session(*args, **kwargs):
        raise AssertionError("a per-set solve was started for a parameter the LP does not read")

    monkeypatch.setattr(module, "HighsSession", no_session)
    monkeypatch.setattr(module, "peak_day", no_session)
    batch = ParamBatch(params, {"gas.peak.demand_scale": np.array([0.9, 1.0, 1.15])})
    result = gas.evaluate(batch, data)
    for k, v in single.metrics.items():
        assert np.allclose(result.metrics[k], v[0], equal_nan=True)


@settings(max_examples=60, deadline=None)
@given(
    threshold=st.floats(0.2, 0.6),
    scale=st.floats(0.9, 1.15),
    level=st.floats(0.0, 1000.0),
    less=st.floats(1.0, 300.0),
    russia=st.floats(0.0, 310.0),
)
def test_margin_properties_over_the_plausible_ranges(threshold, scale, level, less, russia):
    """Over the registry's plausible ranges (threshold 0.2-0.6, demand scale 0.9-1.15): less gas in store never
    raises the margin and lowers it strictly where the fill was below the threshold; less Russian gas lowers it
    strictly; a larger design day lowers it; availability is never negative."""
    row = peak_day(*_case(level=level, russia=russia), threshold=threshold, demand_scale=scale).iloc[0]  # type: ignore[misc]
    emptier = peak_day(*_case(level=max(level - less, 0.0), russia=russia), threshold=threshold, demand_scale=scale)  # type: ignore[misc]
    assert row.available_gwh_d >= 0
    assert emptier.iloc[0].margin_pct <= row.margin_pct + 1e-9
    if 1e-6 < level / 1000 < threshold:  # a fill that is not zero to rounding
        assert emptier.iloc[0].margin_pct < row.margin_pct
    if russia > 1:
        cut = peak_day(*_case(level=level, russia=0.0), threshold=threshold, demand_scale=scale).iloc[0]  # type: ignore[misc]
        assert cut.margin_pct < row.margin_pct
    colder = peak_day(*_case(level=level, russia=russia), threshold=threshold, demand_scale=scale * 1.05).iloc[0]  # type: ignore[misc]
    assert colder.margin_pct < row.margin_pct


def test_a_routes_russian_gas_is_spread_over_its_entries_by_capacity():
    """(5a.1) A route's delivered total in a month counts at its entries in proportion to their technical capacity
    (30 and 10 mcm/d: 3/4 and 1/4 of the 40 the LP delivered, all of it through the first entry); the split the LP
    picked is a tie the check does not read. A corridor's entry is not Russian gas (0)."""
    from econ.gas.peak import russian_entry_shares

    system = SimpleNamespace(
        entry_kind=("russia", "russia", "pipeline"), entry_source=("baltic_finland", "baltic_finland", "norway")
    )
    inp = SimpleNamespace(entry_ub=np.array([[30.0], [10.0], [5.0]]) * 31)
    sol = SimpleNamespace(entry=np.array([[40.0], [0.0], [5.0]]) * 31)
    out = russian_entry_shares(inp, sol, system) / 31  # type: ignore[arg-type]
    assert out[:, 0] == pytest.approx([30.0, 10.0, 0.0], abs=1e-12)
