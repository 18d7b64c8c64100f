"""The front end's pure parts: the landing's questions, the costs view."""

from __future__ import annotations

import pytest

import econ
from dash_app import service
from dash_app.callbacks import NOT_YET, costs_view, views_for
from dash_app.layout import GRAPHS, QUESTIONS
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

    fig, key = map_figure({"preset": "russia_gas_cutoff", "overrides": {}}, "unserved_pct")
    assert fig.data[0].type == "choropleth" and len(fig.data[0].z) > 20
    # the page already shows this map: nothing is built nor sent; another metric or scenario is drawn
    from dash import no_update

    assert map_figure({"preset": "russia_gas_cutoff", "overrides": {}}, "unserved_pct", key) == (no_update, no_update)
    assert map_figure({"preset": "russia_gas_cutoff", "overrides": {}}, "storage_nov1_pct", key)[1] != key
    assert map_figure({"preset": "baseline", "overrides": {}}, "unserved_pct", key)[1] != key
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


# ---- issue 13, last items: charts skipped when unchanged, Europe's bands, the peak-day view


def test_a_chart_whose_inputs_did_not_change_is_neither_built_nor_sent():
    values = service.preset_values("full_package")
    first = views_for(values, "full_package", "http://h/", tab="gas")
    assert set(first["figures"]) == {g for g, _ in GRAPHS["gas"]} == set(first["figure_keys"])
    # the first edit renames the scenario in every source line ("..., with changed assumptions"): all rebuilt
    swift = {**values, "swift.excluded_payment_share": 0.37}
    second = views_for(swift, "full_package", "http://h/", tab="gas", known=first["figure_keys"])
    assert set(second["figures"]) == set(first["figures"])
    # then SWIFT moves nothing in the gas market: the browser's keys match, no gas chart is rebuilt nor sent
    swift2 = {**values, "swift.excluded_payment_share": 0.41}
    kept = views_for(swift2, "full_package", "http://h/", tab="gas", known=second["figure_keys"])
    assert kept["figures"] == {} and kept["figure_keys"] == second["figure_keys"]
    # a gas assumption rebuilds the gas charts; the Russia charts' keys stay as the browser had them
    gas = {**swift2, "gas.lng.qatar.divertible_share": 0.31}
    moved = views_for(gas, "full_package", "http://h/", tab="gas", known=kept["figure_keys"])
    assert {"gas-supply", "gas-peak"} <= set(moved["figures"])
    # a new ghost (a pinned scenario) redraws every chart
    pinned = [{"preset": "baseline", "overrides": {}, "label": "x"}]
    ghost = views_for(swift2, "full_package", "http://h/", tab="gas", pinned=pinned, known=kept["figure_keys"])
    assert set(ghost["figures"]) == set(first["figures"])


def test_the_gas_tab_has_the_peak_day_view():
    values = service.preset_values("russia_gas_cutoff")
    view = views_for(values, "russia_gas_cutoff", "http://h/", tab="gas")
    fig = view["figures"]["gas-peak"]
    assert fig.layout.title.text.startswith("Peak day: N-1 by country")
    assert any(s.x0 == 100 for s in fig.layout.shapes)
    assert any(t.legendgroup == "ghost" for t in fig.data)  # the baseline's value as a tick on each bar


def test_europe_bands_are_percentiles_of_the_per_country_output_and_seeded():
    """p5-p95 of the europe module's batch output gdp_change_pct_by_country (the table's gdp_change_pct) over
    the same draws as econ.monte_carlo; same seed, same bands."""
    import numpy as np

    from econ.uncertainty import draw

    params = ["europe.gas_output_elasticity", "trade.parallel_import_premium_pct"]
    params = [p for p in params if p in {s.name for s in econ.load_registry()}] or None
    a = service.europe_bands("full_package", {}, n=12, seed=3, params=params)
    b = service.europe_bands("full_package", {}, n=12, seed=3, params=params)
    assert a.equals(b)
    table = service.run("full_package", {}).tables["eu_gdp_by_country"]
    assert list(a.country) == list(table.country)
    assert (a.p5 <= a.p50).all() and (a.p50 <= a.p95).all() and (a.n_failed == 0).all()
    # by hand: the draws run one at a time through the full engine give the same percentiles
    scenario = service.scenario_for("full_package", {})
    draws = draw(scenario, 12, 3, params)
    by_hand = np.array(
        [
            service.run("full_package", {k: float(v) for k, v in row.items()})
            .tables["eu_gdp_by_country"]
            .set_index("country")
            .loc[list(a.country), "gdp_change_pct"]
            .to_numpy()
            for _, row in draws.iterrows()
        ]
    )
    assert np.percentile(by_hand, 5, axis=0) == pytest.approx(a.p5.to_numpy(), rel=1e-6, abs=1e-9)
    assert np.percentile(by_hand, 95, axis=0) == pytest.approx(a.p95.to_numpy(), rel=1e-6, abs=1e-9)


def test_europe_bands_outputs_and_their_stale_note():
    from dash_app.callbacks import bands_stale_note, europe_bands_outputs

    current = {"preset": "full_package", "overrides": {}}
    fig, bands_for, status = europe_bands_outputs(current, n=8, params=["trade.parallel_import_premium_pct"])
    assert bands_for == current and "p5–p95 over 8 draws for full_package" in status
    assert fig.data[0].type == "bar" and "8 Monte Carlo draws" in fig.layout.title.text
    assert bands_stale_note(bands_for, current) is None
    edited = {"preset": "full_package", "overrides": {"swift.excluded_payment_share": 0.5}}
    assert "full_package (+1 changes)" in bands_stale_note(bands_for, edited)
    fig, bands_for, status = europe_bands_outputs(None)
    assert "no valid scenario" in status
