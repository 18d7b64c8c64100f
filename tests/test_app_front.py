"""The front end's pure parts: the landing's questions, the costs view."""

from __future__ import annotations

import econ
from dash_app import service
from dash_app.callbacks import NOT_YET, costs_view, views_for
from dash_app.layout import QUESTIONS
from econ.metrics import METRICS


def test_each_question_opens_an_existing_preset_and_view():
    from dash_app.layout import layout

    text = str(layout())
    for question, preset, tab in QUESTIONS:
        assert preset in econ.list_presets(), question
        assert f"value='{tab}'" in text or f'value="{tab}"' in text, tab  # the tab exists


def _cells(component) -> list:
    out = []

    def walk(c):
        if hasattr(c, "children"):
            if type(c).__name__ == "Tr":
                out.append(c)
            kids = c.children if isinstance(c.children, list) else [c.children]
            for k in kids:
                walk(k)

    walk(component)
    return out


def test_the_costs_view_lists_every_metric_by_side_and_shows_the_model_ledger():
    res, base = service.run("full_package", {}), service.run("baseline", {})
    view = costs_view(res, base)
    rows = [
        r for r in _cells(view) if getattr(r, "data-metric", None) or "data-metric" in (r.to_plotly_json()["props"])
    ]
    metrics = [r.to_plotly_json()["props"]["data-metric"] for r in rows]
    assert sorted(metrics) == sorted(m.id for m in METRICS if m.id in set(res.headline["metric"]))
    assert "cost_ledger" in res.tables  # econ/europe.py writes it (issue 12)
    assert NOT_YET not in str(view) and "cost-ledger" in str(view)
    gdp = next(r for r in rows if r.to_plotly_json()["props"]["data-metric"] == "russia_gdp_change_pct")
    assert "vs baseline" in str(gdp.children[3].children)


def test_the_costs_view_shows_the_ledger_when_the_model_has_one():
    import pandas as pd

    res, base = service.run("full_package", {}), service.run("baseline", {})
    ledger = pd.DataFrame(
        {"party": ["EU27"], "channel": ["gas"], "value_bn_usd": [12.345], "value_pct_gdp": [0.08], "note": ["x"]}
    )
    tables = {**res.tables, "cost_ledger": ledger}

    class WithLedger:
        headline = res.headline
        scenario = res.scenario

    WithLedger.tables = tables  # type: ignore[attr-defined]
    view = costs_view(WithLedger, base)  # type: ignore[arg-type]
    assert NOT_YET not in str(view) and "12.3" in str(view)


def test_the_costs_tab_is_built_only_when_open():
    values = service.preset_values("full_package")
    assert views_for(values, "full_package", "http://h/", tab="gas")["costs"] is None
    assert views_for(values, "full_package", "http://h/", tab="costs")["costs"] is not None


def test_the_map_follows_the_scenario_and_reads_its_geometry_from_the_app():
    from dash_app.callbacks import map_figure
    from dash_app.layout import europe_map

    fig = map_figure({"preset": "russia_gas_cutoff", "overrides": {}}, "unserved_pct")
    assert fig.data[0].type == "choropleth" and len(fig.data[0].z) > 20
    graph = europe_map().children[1]
    assert graph.config["topojsonURL"].endswith("/assets/topojson/")
    from pathlib import Path

    assert (Path(__file__).parents[1] / "dash_app/assets/topojson/europe_50m.json").stat().st_size > 100_000


def test_the_ghost_is_the_baseline_or_the_first_pinned_scenario():
    values = service.preset_values("full_package")
    view = views_for(values, "full_package", "http://h/", tab="gas")
    ghosts = [t.name for t in view["figures"]["gas-storage"].data if t.legendgroup == "ghost"]
    assert ghosts == ["Baseline"]
    pinned = [{"preset": "russia_gas_cutoff", "overrides": {}, "label": "cut-off"}]
    view = views_for(values, "full_package", "http://h/", tab="gas", pinned=pinned)
    ghost = next(t for t in view["figures"]["gas-storage"].data if t.legendgroup == "ghost")
    assert ghost.name == "Pinned: cut-off"
    cut = service.run("russia_gas_cutoff", {}).tables["gas_storage"].groupby("month")[["level_bcm", "working_gas_bcm"]]
    fill = (100 * cut.sum().level_bcm / cut.sum().working_gas_bcm).tolist()
    assert list(ghost.y) == fill
    # the current scenario is the reference: no ghost
    base = views_for(service.preset_values("baseline"), "baseline", "http://h/", tab="gas")
    assert not [t for t in base["figures"]["gas-storage"].data if t.legendgroup == "ghost"]
