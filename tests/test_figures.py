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
