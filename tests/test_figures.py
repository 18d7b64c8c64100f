"""Every figure builder carries a source line; flat series get sensible axes; categories show human names."""

from __future__ import annotations

import inspect

import pytest

import econ
from econ.figures import Figures, sensible_axes
from econ.labels import label

BUILDERS = [name for name, fn in inspect.getmembers(Figures, inspect.isfunction) if not name.startswith("_")]


@pytest.fixture(scope="module")
def package():
    return econ.run("full_package")


def _sources(fig):
    return [a.text for a in fig.layout.annotations if (a.text or "").startswith("Source: ")]


@pytest.mark.parametrize("builder", BUILDERS)
def test_every_figure_builder_carries_a_source_line(package, builder):
    fig = getattr(package.figures, builder)()
    (line,) = _sources(fig)
    assert "scenario 'full_package'" in line and "Data: " in line


def test_a_flat_series_gets_a_range_around_its_level_not_its_noise():
    import plotly.graph_objects as go

    fig = sensible_axes(go.Figure(go.Scatter(x=[1, 2, 3], y=[8.73, 8.73 + 1e-13, 8.73 - 1e-13])))
    lo, hi = fig.layout.yaxis.range
    assert lo == pytest.approx(8.73 - 0.873) and hi == pytest.approx(8.73 + 0.873)
    moving = sensible_axes(go.Figure(go.Scatter(x=[1, 2], y=[1.0, 2.0])))
    assert moving.layout.yaxis.range is None  # a series that moves keeps plotly's own range


def test_baseline_inflation_chart_is_not_a_zigzag_of_noise():
    fig = econ.run("baseline").figures.cpi()
    assert fig.layout.yaxis.range is not None


def test_trade_charts_show_human_partner_names(package):
    fig = package.figures.trade_by_partner()
    names = set(fig.data[0].x)
    assert "Other coalition" in names and "Eurasian Economic Union" in names
    assert not any("_" in n for n in names)
    assert label("other_coalition") == "Other coalition" and label("unknown_id") == "Unknown id"


def test_every_builder_draws_the_baseline_as_a_ghost():
    import econ

    base, cut = econ.run("baseline"), econ.run("russia_gas_cutoff")
    for name in ("gas_supply", "storage", "shortfall_by_country", "ruble_path", "cpi", "trade_by_partner", "chip_gap"):
        plain = getattr(cut.figures, name)()
        ghosted = getattr(cut.figures, name)(baseline=base)
        ghosts = [t for t in ghosted.data if t.legendgroup == "ghost"]
        assert ghosts, name
        assert len(ghosted.data) == len(plain.data) + len(ghosts), name
        assert ghosts[0].name.startswith("Baseline"), name
        assert any("Source:" in a.text for a in ghosted.layout.annotations), name


def test_the_ghost_carries_the_reference_values():
    import econ

    base, cut = econ.run("baseline"), econ.run("russia_gas_cutoff")
    fig = cut.figures.storage(baseline=base, baseline_name="Pinned: x")
    ghost = next(t for t in fig.data if t.legendgroup == "ghost")
    st = base.tables["gas_storage"].groupby("month")[["level_bcm", "working_gas_bcm"]].sum()
    assert list(ghost.y) == pytest.approx(list(100 * st.level_bcm / st.working_gas_bcm))
    assert ghost.name == "Pinned: x"
    # stacked bars: the ghost is the reference's stacked total
    supply = cut.figures.gas_supply(baseline=base)
    total = next(t for t in supply.data if t.legendgroup == "ghost" and "total" in t.name)
    ref = base.figures.gas_supply()
    bars = [t for t in ref.data if t.type == "bar"]
    assert total.y[0] == pytest.approx(sum(t.y[0] for t in bars))


def test_no_ghost_without_a_reference():
    import econ

    res = econ.run("baseline")
    assert not [t for t in res.figures.ruble_path().data if t.legendgroup == "ghost"]


def test_europe_map_is_a_choropleth_over_the_gas_nodes_with_a_source_line():
    import econ
    from econ.figures import ISO3, MAP_METRICS

    res = econ.run("russia_gas_cutoff")
    fig = res.figures.europe_map("unserved_pct")
    trace = fig.data[0]
    assert trace.type == "choropleth" and trace.locationmode == "ISO-3"
    summary = res.tables["gas_country_summary"].set_index("country")
    assert list(trace.locations) == [ISO3[c] for c in summary.index]
    assert list(trace.z) == pytest.approx(list(summary.unserved_pct))
    assert fig.layout.geo.scope == "europe"
    assert any("Source:" in a.text for a in fig.layout.annotations)
    storage = res.figures.europe_map("storage_nov1_pct").data[0]
    assert list(storage.z) == pytest.approx(list(summary.storage_fill_nov1_pct))
    # a table the model does not produce yet: an empty map that says so, no invented data
    for metric in ("price_eur_mwh", "gdp_change_pct"):
        if MAP_METRICS[metric]["table"] not in res.tables:
            fig = res.figures.europe_map(metric)
            assert len(fig.data[0].z) == 0
            assert any("not available" in a.text for a in fig.layout.annotations)
    with pytest.raises(econ.EconError if hasattr(econ, "EconError") else Exception, match="unknown metric"):
        res.figures.europe_map("nonsense")


def test_views_of_future_tables_say_they_are_not_there_yet_and_draw_them_when_they_are():
    from dataclasses import replace

    import pandas as pd

    import econ

    res = econ.run("full_package")
    for name, table in (
        ("gas_prices", "gas_prices"),
        ("energy_revenue", "russia_energy_revenue"),
        ("sector_output", "sector_output"),
    ):
        if table in res.tables:
            continue
        fig = getattr(res.figures, name)()
        assert any("Not available in this version" in a.text for a in fig.layout.annotations), name
    tables = dict(res.tables)
    tables["gas_prices"] = pd.DataFrame(
        {"country": ["DE", "DE", "FR", "FR"], "month": ["2022-03", "2022-04"] * 2, "price_eur_mwh": [100, 120, 90, 110]}
    )
    tables["sector_output"] = pd.DataFrame(
        {
            "sector": ["autos", "autos", "oil"],
            "month": ["2022-03", "2022-04", "2022-03"],
            "output_change_pct": [-10, -20, 0],
        }
    )
    fake = replace(res, tables=tables)  # Results is a dataclass: the same run with the future tables
    prices = fake.figures.gas_prices()
    avg = next(t for t in prices.data if t.name == "EU average")
    assert list(avg.y) == [95, 115]
    sectors = fake.figures.sector_output()
    assert list(sectors.data[0].x) == [-15, 0]
