"""No raw ids in the app: every text the page renders (the layout, headline cards, notes, tables, every figure's
titles, axis titles, legend entries, categories and annotations) reads as words, never as a snake_case id
(``other_coalition``) or a bare ISO country code (``DE``) standing for a category."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import plotly.graph_objects as go
import pytest

from dash_app import service
from dash_app.callbacks import views_for, with_paths
from dash_app.layout import layout
from econ.time import DatedPath

SNAKE = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b")
ISO2 = re.compile(r"^[A-Z]{2}$")
ACRONYMS = {"EU"}  # a name, not a country code


def _component_texts(node: Any) -> Iterator[str]:
    """The text a Dash component tree shows: string children, and figures' texts for graphs."""
    if node is None:
        return
    if isinstance(node, str):
        yield node
        return
    if isinstance(node, (list, tuple)):
        for child in node:
            yield from _component_texts(child)
        return
    if isinstance(node, go.Figure):
        yield from _figure_texts(node)
        return
    props = getattr(node, "to_plotly_json", None)
    if props is None:
        return
    if "source-cell" in str(getattr(node, "className", "") or ""):
        return  # a citation: it names the data files (gas_storage.csv) and parameters its value derives from
    for key in ("children", "label", "placeholder", "description"):
        value = getattr(node, key, None)
        if isinstance(value, (str, list, tuple)) or hasattr(value, "to_plotly_json"):
            yield from _component_texts(value)
    figure = getattr(node, "figure", None)
    if figure is not None:
        yield from _figure_texts(go.Figure(figure))
    data = getattr(node, "data", None)  # a Select's options
    if isinstance(data, list):
        for option in data:
            if isinstance(option, dict) and isinstance(option.get("label"), str):
                yield option["label"]


def _figure_texts(fig: go.Figure) -> Iterator[str]:
    layout_ = fig.layout
    if layout_.title.text:
        yield layout_.title.text
    for axis in [a for a in dir(layout_) if a.startswith(("xaxis", "yaxis")) and getattr(layout_, a, None)]:
        title = getattr(layout_, axis).title
        if title is not None and title.text:
            yield title.text
    for annotation in layout_.annotations:
        if annotation.text:
            yield annotation.text
    for trace in fig.data:
        if getattr(trace, "name", None):
            yield trace.name
        for axis in ("x", "y"):
            values = getattr(trace, axis, None)
            if values is not None:
                yield from (v for v in values if isinstance(v, str))


def _bad(texts: Iterator[str]) -> list[str]:
    bad = []
    for text in texts:
        if SNAKE.search(text) or (ISO2.match(text.strip()) and text.strip() not in ACRONYMS):
            bad.append(text)
    return bad


def _values(preset: str) -> dict[str, Any]:
    values = service.preset_values(preset)
    plain = {k: (v.base if isinstance(v, DatedPath) else v) for k, v in values.items()}
    return with_paths(plain, {k: dict(v.steps) for k, v in values.items() if isinstance(v, DatedPath)})


def test_the_layout_shows_no_raw_ids():
    from dash_app.components.controls import group_body, groups_by_key, offstage_values
    from econ.params import load_registry

    assert _bad(_component_texts(layout())) == []
    values = offstage_values(service.preset_values("baseline"))
    for specs in groups_by_key(load_registry()).values():  # the folded groups, rendered when opened
        assert _bad(_component_texts(group_body(specs, values))) == []


@pytest.mark.parametrize("preset", ["baseline", "full_package", "russia_gas_cutoff"])
def test_every_view_shows_no_raw_ids(preset):
    view = views_for(_values(preset), preset, "http://app/", tab=None)
    assert not view["errors"]
    texts = [
        *_component_texts(view["cards"]),
        *_component_texts(view["notes"]),
        *_component_texts(view["costs"]),
        *_component_texts(view["europe"]),
        *_component_texts(view["assumptions"]),
    ]
    for figure in view["figures"].values():
        texts += list(_figure_texts(figure))
    results = view["results"]
    for metric in ("unserved_pct", "storage_nov1_pct", "price_eur_mwh"):
        texts += list(_figure_texts(results.figures.europe_map(metric)))
    assert len(texts) > 200  # the scan reached the page's text
    assert _bad(iter(texts)) == []


def test_the_scan_finds_a_raw_id_and_a_bare_country_code():
    fig = go.Figure(go.Bar(x=["other_coalition", "DE"], y=[1, 2], name="eu_gdp"))
    assert _bad(_figure_texts(fig)) == ["eu_gdp", "other_coalition", "DE"]


def test_europes_cost_view_draws_the_europe_module_and_says_when_it_is_missing():
    from dataclasses import replace

    from dash_app.callbacks import europe_view

    res = service.run("russia_gas_cutoff", {})
    assert "europe" in res.modules  # the real module (econ/europe.py), not a stand-in
    view = europe_view(res, None, "Baseline")
    graphs = {"europe-map": view.children[0], **{g.id: g for g in view.children[1].children}}
    assert set(graphs) == {"europe-map", "europe-gdp", "europe-ledger"}
    assert graphs["europe-map"].figure.data[0].type == "choropleth"
    assert graphs["europe-map"].config["topojsonURL"].endswith("/assets/topojson/")  # never a CDN
    assert _bad(_component_texts(view)) == []
    # the worst-hit country's bar is the module's own figure
    by_country = res.tables["eu_gdp_by_country"]
    worst = by_country.loc[by_country["gdp_change_pct"].idxmin()]
    assert worst["gdp_change_pct"] == pytest.approx(res.value("eu_worst_country_gdp_change_pct"))
    missing = europe_view(replace(res, modules={k: v for k, v in res.modules.items() if k != "europe"}), None, "B")
    assert missing.id == "europe-missing" and "not available" in missing.children
