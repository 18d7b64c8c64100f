"""Callbacks: plain functions (unit-tested without a browser) registered on the app.

No state lives on the server between requests: each session's scenario is in its
own browser (the controls, the URL and dcc.Store); the server only memoises
model runs by their parameter values (service.run).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import replace
from typing import Any

import dash_mantine_components as dmc
import numpy as np
from dash import ALL, Input, Output, State, ctx, dcc, html, no_update

import econ
from econ.errors import EconError, ParameterError
from econ.params import load_registry, scenario_from_text
from econ.report import results_csv_zip, results_excel_bytes
from econ.scenario import compare_results

from . import service
from .components.controls import MONTH, NUMBER, SWITCH
from .layout import GRAPHS

CARD_METRICS = (
    "rub_usd_peak", "rub_usd_12m", "russia_exports_change_pct", "russia_imports_change_pct",
    "russia_gdp_change_pct", "eu_gas_shortfall_bcm", "eu_gas_shortfall_pct", "eu_storage_min_pct",
    "qatar_lng_share_of_gap_pct", "lng_share_of_gap_pct",
)
FIGURES = {
    "gas-supply": "gas_supply", "gas-storage": "storage", "gas-shortfall": "shortfall_by_country",
    "gas-coverage": "coverage_waterfall", "ruble-path": "ruble_path", "ruble-cpi": "cpi",
    "trade-partner": "trade_by_partner", "trade-product": "trade_by_product", "gdp-channels": "gdp_channels",
    "chip-gap": "chip_gap",
}
GRAPH_IDS = [gid for key in ("gas", "russia") for gid, _ in GRAPHS[key]]
MAX_PINNED = 4
# +1: a rise is good for the economy concerned (green); -1: a rise is bad (red); 0: neither (grey).
BETTER_WHEN = {
    "rub_usd_peak": -1, "rub_usd_12m": -1, "russia_exports_change_pct": 1, "russia_imports_change_pct": 1,
    "russia_gdp_change_pct": 1, "eu_gas_shortfall_bcm": -1, "eu_gas_shortfall_pct": -1, "eu_storage_min_pct": 1,
    "qatar_lng_share_of_gap_pct": 0, "lng_share_of_gap_pct": 0,
}


# ---------------------------------------------------------------- pure functions


def values_from_controls(names_num: list[str], nums: list, names_sw: list[str], sws: list,
                         names_mo: list[str], mos: list) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for names, vals in ((names_num, nums), (names_sw, sws), (names_mo, mos)):
        values.update(dict(zip(names, vals)))
    return values


def validate_values(values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Coerce each control's value through the registry; errors by parameter, never raised."""
    registry = load_registry()
    clean, errors = {}, {}
    for name, raw in values.items():
        spec = registry.specs.get(name)
        if spec is None:
            errors[name] = registry.unknown_message(name)
            continue
        if raw is None or raw == "":
            errors[name] = f"enter a value in {spec.range_text}"
            continue
        try:
            value = spec.validate(raw)
        except ParameterError as exc:
            errors[name] = str(exc).split(": ", 1)[-1]
            continue
        if spec.type == "float" and isinstance(value, float):
            value = round(value, 10)
        clean[name] = value
    return clean, errors


def _fmt(value: float, unit: str) -> str:
    if not np.isfinite(value):
        return "n/a"
    if abs(value) < 0.05:
        return "0.0"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:,.1f}"


def headline_cards(results: econ.Results, baseline: econ.Results) -> dmc.SimpleGrid:
    h = results.headline.set_index("metric")
    b = baseline.headline.set_index("metric")
    cards = []
    for metric in CARD_METRICS:
        row = h.loc[metric]
        delta = float(row.value) - float(b.loc[metric, "value"])
        direction = BETTER_WHEN[metric]
        colour = "gray" if abs(delta) < 0.05 or direction == 0 else ("green" if delta * direction > 0 else "red")
        cards.append(dmc.Paper([
            dmc.Text(row.label, size="xs", c="dimmed", lh=1.2),
            dmc.Text(_fmt(float(row.value), row.unit), size="xl", fw=700, id={"type": "card-value", "metric": metric}),
            dmc.Text(row.unit, size="xs", c="dimmed"),
            dmc.Text("same as baseline" if abs(delta) < 0.05 else f"{delta:+,.1f} vs baseline", size="xs", c=colour),
        ], withBorder=True, p="xs", radius="md", className="headline-card", **{"data-metric": metric}))
    return dmc.SimpleGrid(cards, cols=5, spacing="xs")


def assumptions_table(values: dict[str, Any]) -> dmc.Table:
    rows = []
    for spec in load_registry():
        current = values.get(spec.name, spec.value)
        changed = current != spec.value
        rows.append(html.Tr([
            html.Td(spec.group), html.Td(spec.label), html.Td(html.Code(spec.name)),
            html.Td(str(current), style={"fontWeight": 700 if changed else 400}), html.Td(str(spec.value)),
            html.Td(spec.unit), html.Td(f"{spec.low} to {spec.high}"), html.Td(spec.source, style={"fontSize": 12}),
        ]))
    head = html.Thead(html.Tr([html.Th(c) for c in ("group", "parameter", "name", "current", "default", "unit",
                                                    "range", "source")]))
    return dmc.Table([head, html.Tbody(rows)], striped=True, highlightOnHover=True, fz="xs")


def compare_table(pinned: list[dict]) -> Any:
    if not pinned:
        return dmc.Text("No scenario pinned yet.", size="sm", c="dimmed")
    results = [service.run(p["preset"], p["overrides"]) for p in pinned]
    labels = [p["label"] for p in pinned]
    table = compare_results([replace(res, scenario=res.scenario.with_overrides({}, name=label))
                             for label, res in zip(labels, results)])
    first = labels[0]
    head = ["metric", "unit"] + labels + [f"{label} - {first}" for label in labels[1:]]
    body = []
    for _, row in table.iterrows():
        cells = [html.Td(row["label"]), html.Td(row["unit"])]
        cells += [html.Td(_fmt(float(row[label]), row["unit"])) for label in labels]
        cells += [html.Td(f"{float(row[label]) - float(row[first]):+,.2f}") for label in labels[1:]]
        body.append(html.Tr(cells))
    return dmc.Table([html.Thead(html.Tr([html.Th(h) for h in head])), html.Tbody(body)], striped=True, fz="xs")


def decode_upload(contents: str, filename: str) -> tuple[str, dict[str, Any], str]:
    """Uploaded YAML -> (title, overrides); EconError with a clear message on bad input."""
    try:
        _, b64 = contents.split(",", 1)
        raw = base64.b64decode(b64, validate=True)
    except (ValueError, binascii.Error):
        raise EconError(f"{filename}: could not read the uploaded file") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise EconError(f"{filename}: not a UTF-8 text file") from None
    scenario = scenario_from_text(text, name=filename.rsplit(".", 1)[0], where=filename)
    return scenario.title, dict(scenario.overrides), scenario.description


def control_values_for(ids: list[dict], values: dict[str, Any], kind: str) -> list:
    out = []
    for cid in ids:
        v = values[cid["name"]]
        out.append(bool(v) if kind == SWITCH else (str(v) if kind == MONTH else float(v)))
    return out


def controls_for(trigger: Any, preset: str | None, search: str | None, upload: str | None, filename: str | None,
                 current: dict[str, Any], group_of: dict[str, str]) -> tuple[str, dict[str, Any], tuple[str, str, bool]]:
    """(preset, every parameter's value, status) for what triggered the controls callback.

    Raises EconError with a one-line message for a bad share link or upload.
    """
    status = ("", "gray", True)
    if trigger == "url" or trigger is None:
        if search:
            preset, overrides = service.parse_share_query(search)
            values = {**service.preset_values(preset), **overrides}
            status = (f"Loaded the shared scenario ({preset}, {len(overrides)} changed assumptions).", "blue", False)
        else:
            preset = preset or "baseline"
            values = service.preset_values(preset)
    elif trigger == "upload":
        title, overrides, _ = decode_upload(upload, filename or "upload.yaml")
        preset = "baseline"
        values = {**service.preset_values("baseline"), **overrides}
        status = (f"Loaded '{title}' from {filename} ({len(overrides)} overrides).", "blue", False)
    elif isinstance(trigger, dict) and trigger.get("type") == "reset-group":
        base = service.preset_values(preset)
        values = {k: (base[k] if group_of.get(k) == trigger["group"] else v) for k, v in current.items()}
    else:  # a new preset, or reset all
        values = service.preset_values(preset)
    return preset, values, status


def views_for(values: dict[str, Any], preset: str | None, href: str | None, tab: str | None = None) -> dict[str, Any]:
    """Everything the page shows for a set of control values.

    Returns {"errors": {name: message}} when a value is invalid (nothing is run),
    else cards, figures by graph id, share link, current scenario and assumptions table.
    With ``tab``, only that tab's figures (and the assumptions table only on its tab) are
    built: the others are built when their tab is opened.
    """
    clean, errors = validate_values(values)
    if errors:
        return {"errors": errors}
    preset = preset or "baseline"
    overrides = service.overrides_against(preset, clean)
    try:
        results = service.run(preset, overrides)
    except EconError as exc:  # a combination the model rejects: show it, keep the last results
        return {"errors": {"_scenario": str(exc)}}
    baseline = service.run("baseline", {})
    return {
        "errors": {},
        "cards": headline_cards(results, baseline),
        "figures": {gid: getattr(results.figures, FIGURES[gid])() for gid in GRAPH_IDS
                    if tab is None or gid in {g for g, _ in GRAPHS.get(tab, [])}},
        "share": (href or "").split("?")[0] + service.share_query(preset, overrides),
        "current": {"preset": preset, "overrides": overrides},
        "assumptions": assumptions_table(clean) if tab in (None, "assumptions") else None,
        "results": results,
    }


# ---------------------------------------------------------------- registration


def register(app) -> None:
    registry = load_registry()
    group_of = {s.name: s.group for s in registry}

    @app.callback(
        Output({"type": NUMBER, "name": ALL}, "value"),
        Output({"type": SWITCH, "name": ALL}, "checked"),
        Output({"type": MONTH, "name": ALL}, "value"),
        Output("preset", "value"),
        Output("status", "children"), Output("status", "color"), Output("status", "hide"),
        Input("preset", "value"),
        Input("url", "search"),
        Input("upload", "contents"),
        Input("reset-all", "n_clicks"),
        Input({"type": "reset-group", "group": ALL}, "n_clicks"),
        State("upload", "filename"),
        State({"type": NUMBER, "name": ALL}, "value"),
        State({"type": SWITCH, "name": ALL}, "checked"),
        State({"type": MONTH, "name": ALL}, "value"),
    )
    def set_controls(preset, search, upload, _reset, _groups, filename, nums, sws, mos):
        ids = {k: [o["id"] for o in ctx.outputs_list[i]] for i, k in enumerate((NUMBER, SWITCH, MONTH))}
        current = values_from_controls([i["name"] for i in ids[NUMBER]], nums, [i["name"] for i in ids[SWITCH]], sws,
                                       [i["name"] for i in ids[MONTH]], mos)
        try:
            preset, values, status = controls_for(ctx.triggered_id, preset, search, upload, filename, current, group_of)
        except EconError as exc:
            return no_update, no_update, no_update, no_update, str(exc), "red", False
        return (control_values_for(ids[NUMBER], values, NUMBER), control_values_for(ids[SWITCH], values, SWITCH),
                control_values_for(ids[MONTH], values, MONTH), preset, *status)

    @app.callback(
        Output("cards", "children"),
        *[Output(gid, "figure") for gid in GRAPH_IDS],
        Output({"type": "param-error", "name": ALL}, "children"),
        Output("share-link", "value"),
        Output("current", "data"),
        Output("assumptions-table", "children"),
        Input({"type": NUMBER, "name": ALL}, "value"),
        Input({"type": SWITCH, "name": ALL}, "checked"),
        Input({"type": MONTH, "name": ALL}, "value"),
        Input("tabs", "value"),
        State("preset", "value"),
        State("url", "href"),
    )
    def run_scenario(nums, sws, mos, tab, preset, href):
        names = {k: [i["id"]["name"] for i in ctx.inputs_list[n]] for n, k in enumerate((NUMBER, SWITCH, MONTH))}
        values = values_from_controls(names[NUMBER], nums, names[SWITCH], sws, names[MONTH], mos)
        error_ids = [o["id"]["name"] for o in ctx.outputs_list[len(GRAPH_IDS) + 1]]
        view = views_for(values, preset, href, tab)
        errors = view["errors"]
        if errors:
            texts = [errors.get(name, errors.get("_scenario", "") if k == 0 else "") for k, name in enumerate(error_ids)]
            return (no_update, *[no_update] * len(GRAPH_IDS), texts, no_update, no_update, no_update)
        return (view["cards"], *[view["figures"].get(gid, no_update) for gid in GRAPH_IDS], [""] * len(error_ids),
                view["share"], view["current"], view["assumptions"] if view["assumptions"] is not None else no_update)

    @app.callback(
        Output("pinned", "data"),
        Input("pin", "n_clicks"), Input("clear-pins", "n_clicks"),
        State("pinned", "data"), State("current", "data"),
        prevent_initial_call=True,
    )
    def pin(_pin, _clear, pinned, current):
        if ctx.triggered_id == "clear-pins" or not current:
            return []
        pinned = list(pinned or [])
        label = current["preset"] + (f" (+{len(current['overrides'])} changes)" if current["overrides"] else "")
        label = label if label not in {p["label"] for p in pinned} else f"{label} #{len(pinned) + 1}"
        pinned.append({**current, "label": label})
        return pinned[-MAX_PINNED:]

    @app.callback(Output("compare-table", "children"), Input("pinned", "data"))
    def show_compare(pinned):
        return compare_table(pinned or [])

    @app.callback(
        Output("download", "data"),
        Input("dl-csv", "n_clicks"), Input("dl-xlsx", "n_clicks"), Input("dl-yaml", "n_clicks"),
        State("current", "data"),
        prevent_initial_call=True,
    )
    def download(_csv, _xlsx, _yaml, current):
        if not current:
            return no_update
        return download_payload(ctx.triggered_id, current["preset"], current["overrides"])


def download_payload(kind: str, preset: str, overrides: dict) -> dict:
    """The dcc.Download payload for a CSV zip, an Excel workbook or the scenario YAML."""
    stem = preset + ("_edited" if overrides else "")
    if kind == "dl-yaml":
        return dict(content=service.scenario_for(preset, overrides).to_yaml(), filename=f"{stem}.yaml")
    results = service.run(preset, overrides)
    if kind == "dl-xlsx":
        return dcc.send_bytes(results_excel_bytes(results), f"{stem}.xlsx")
    return dcc.send_bytes(results_csv_zip(results), f"{stem}_tables.zip")
