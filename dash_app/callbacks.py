"""Callbacks: plain functions (unit-tested without a browser) registered on the app.

No state lives on the server between requests: each session's scenario is in its
own browser (the controls, the URL and dcc.Store); the server only memoises
model runs by their parameter values (service.run).
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import dash_mantine_components as dmc
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from dash import ALL, MATCH, Input, Output, State, ctx, dcc, html, no_update

import econ
from econ import figures, loader
from econ.brief import build_brief
from econ.engine import compare_results
from econ.errors import EconError, ParameterError
from econ.figures import scenario_title
from econ.formatting import format_number
from econ.labels import humanise, label
from econ.metrics import METRICS as METRIC_DECLARATIONS
from econ.metrics import featured
from econ.params import load_registry, scenario_from_text
from econ.report import results_csv_zip, results_excel_bytes
from econ.time import DatedPath

from . import service
from .components.alerts import HIDDEN, message, message_outputs
from .components.controls import (
    GROUP_BODY,
    MONTH,
    NUMBER,
    PATH_ADD,
    PATH_MONTH,
    PATH_NOTE,
    PATH_REMOVE,
    PATH_STEPS,
    PATH_VALUE,
    SLIDER,
    SWITCH,
    control_order,
    group_body,
    groups_by_key,
    offstage_values,
    path_steps_view,
)
from .layout import (
    CARD_METRICS,
    DRAW_CHOICES,
    EUROPE_BAND_DRAWS,
    GRAPHS,
    QUESTIONS,
    UNCERTAINTY_SEED,
    topojson_url,
)

log = logging.getLogger(__name__)
FIGURES = {
    "gas-supply": "gas_supply",
    "gas-storage": "storage",
    "gas-shortfall": "shortfall_by_country",
    "gas-coverage": "coverage_waterfall",
    "ruble-path": "ruble_path",
    "fx-flows": "fx_flows",
    "ruble-cpi": "cpi",
    "trade-partner": "trade_by_partner",
    "trade-product": "trade_by_product",
    "gdp-channels": "gdp_channels",
    "chip-gap": "chip_gap",
    "gas-prices": "gas_prices",
    "energy-revenue": "energy_revenue",
    "sector-output": "sector_output",
    "gas-peak": "gas_peak_day",
}
GRAPH_IDS = [gid for key in ("gas", "russia") for gid, _ in GRAPHS[key]]
MAX_PINNED = 4
BETTER_WHEN = {m.id: m.better_when for m in METRIC_DECLARATIONS}  # declared in econ/metrics.py
TORNADO_TOP = 15  # bars in the tornado chart; the table behind it has every uncertain parameter
HISTOGRAM_METRICS = featured("histogram")
SUMMARY_COLUMNS = ("mean", "p5", "p25", "p50", "p75", "p95")


# ---------------------------------------------------------------- pure functions


def values_from_controls(
    names_num: list[str], nums: list, names_sw: list[str], sws: list, names_mo: list[str], mos: list
) -> dict[str, Any]:
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
            errors[name] = f"enter a value in {spec.hard_range_text}"
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


def with_paths(values: dict[str, Any], paths: dict[str, dict[str, Any]] | None) -> dict[str, Any]:
    """The controls' values with each dated path applied: a parameter with steps becomes the mapping
    ``{"base": <the control's value>, "YYYY-MM": value, ...}`` (validated by the registry like a file's)."""
    out = dict(values)
    for name, steps in (paths or {}).items():
        if steps and name in out:
            out[name] = {"base": out[name], **steps}
    return out


def paths_of(values: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The browser's "paths" store for a set of values: the steps of each dated path, by parameter."""
    return {k: dict(v.steps) for k, v in values.items() if isinstance(v, DatedPath)}


def map_figure(current: dict | None, metric: str, known: str | None = None) -> tuple[Any, Any]:
    """The map of Europe for the current scenario, res.figures.europe_map(metric), and its fingerprint (the
    metric's table, the scenario's title); no_update for both when ``known`` (the fingerprint of the map the
    page shows) says it would come out the same."""
    if not current:
        return no_update, no_update
    results = service.run(current["preset"], current["overrides"])
    metric = metric if metric in figures.MAP_METRICS else "unserved_pct"
    table = results.tables.get(figures.MAP_METRICS[metric]["table"])
    key = json.dumps([metric, figures.scenario_title(results.scenario), figures.table_digest(table)])
    if key == known:
        return no_update, no_update
    return results.figures.europe_map(metric), key


def kept_paths(trigger: Any, values: dict[str, Any], paths: dict | None, group_of: dict[str, str]) -> dict:
    """The "paths" store after the controls are set: the loaded scenario's paths; a group's reset clears only
    that group's paths."""
    if isinstance(trigger, dict) and trigger.get("type") == "reset-group":
        return {k: v for k, v in (paths or {}).items() if group_of.get(k) != trigger["group"]}
    return paths_of(values)


def path_step(name: str, month: Any, raw: Any) -> tuple[str | None, Any, str]:
    """A new step typed in a path editor: (month, value, "") when it is valid, else (None, None, message).
    The value is checked like the control's own (hard bounds: refused; plausible range: a stress-test note)."""
    spec = load_registry()[name]
    if not month:
        return None, None, "choose the month the step starts"
    if raw is None or raw == "":
        return None, None, f"enter a value in {spec.hard_range_text}"
    if spec.type == "bool":
        raw = {"true": True, "false": False}.get(str(raw), raw)
    try:
        value = spec.validate(raw)
    except ParameterError as exc:
        return None, None, str(exc).split(": ", 1)[-1]
    if spec.type == "float" and isinstance(value, float):
        value = round(value, 10)
    return str(month), value, ""


def edit_paths(paths: dict | None, trigger: Any, month: Any = None, raw: Any = None) -> tuple[dict, str, str]:
    """The "paths" store after an add or remove click: (paths, parameter, note for that parameter)."""
    paths = {k: dict(v) for k, v in (paths or {}).items()}
    if not isinstance(trigger, dict):
        return paths, "", ""
    name = trigger["name"]
    if trigger["type"] == PATH_REMOVE:
        steps = paths.get(name, {})
        steps.pop(trigger.get("month"), None)
        if steps:
            paths[name] = steps
        else:
            paths.pop(name, None)
        return paths, name, ""
    step_month, value, error = path_step(name, month, raw)
    if error:
        return paths, name, error
    paths.setdefault(name, {})[step_month] = value
    paths[name] = dict(sorted(paths[name].items()))
    warning = load_registry()[name].plausibility_warning(value)
    return paths, name, ("Stress test: " + warning.split(": ", 1)[-1]) if warning else ""


def show_value(value: Any) -> str:
    """A parameter's value as the assumptions table shows it (a dated path as its steps)."""
    if isinstance(value, DatedPath):
        steps = "; ".join(f"from {m}: {v}" for m, v in value.steps)
        return f"{value.base}, then {steps}"
    return str(value)


MAX_CHANGES_LISTED = 4


def _short_value(value: Any) -> str:
    if isinstance(value, DatedPath):
        return f"{_short_value(value.base)}, then " + ", ".join(f"{_short_value(v)} from {m}" for m, v in value.steps)
    if isinstance(value, bool):
        return "on" if value else "off"
    return format_number(value) if isinstance(value, (int, float)) else str(value)


def what_changed(preset: str, overrides: dict[str, Any]) -> str:
    """One line saying what the current assumptions are: the preset and each control changed from it (the
    first few with their values). Rebuilt on every run, so it never goes stale."""
    registry = load_registry()
    title = econ.load_scenario(preset).title
    if not overrides:
        return f"Showing the preset '{title}' as published; no assumption changed."
    base = service.preset_values(preset)
    items = []
    for name in list(overrides)[:MAX_CHANGES_LISTED]:
        spec = registry[name]
        items.append(f"{spec.label} {_short_value(base[name])} → {_short_value(overrides[name])}")
    more = len(overrides) - MAX_CHANGES_LISTED
    tail = f"; and {more} more (see Assumptions)" if more > 0 else ""
    n = len(overrides)
    return f"'{title}' with {n} changed assumption{'s' if n != 1 else ''}: " + "; ".join(items) + tail + "."


def scenario_notes(preset: str, overrides: dict[str, Any], warnings: dict[str, str]) -> list:
    """What sits above the headline cards: the "what changed" line and, when a value lies outside its
    plausible range, a visible stress-test note naming each such assumption."""
    registry = load_registry()
    notes: list = [dmc.Text(what_changed(preset, overrides), size="sm", id="what-changed")]
    if warnings:
        lines = [f"{registry[name].label}: {text}" for name, text in warnings.items()]
        notes.append(
            dmc.Alert(
                [html.Div(line) for line in lines],
                title="Stress test: these results rest on assumptions outside their plausible range",
                color="orange",
                id="stress-note",
                p="xs",
            )
        )
    return notes


def plausibility_warnings(values: dict[str, Any]) -> dict[str, str]:
    """A line for each value outside its plausible range (it runs, as a stress test), by parameter."""
    registry = load_registry()
    out = {}
    for name, value in values.items():
        spec = registry.specs.get(name)
        msg = spec.plausibility_warning(value) if spec is not None else None
        if msg:
            out[name] = msg.split(": ", 1)[-1]
    return out


def _same(delta: float) -> bool:
    """A change too small to show in the one number format (it prints as zero)."""
    return not np.isfinite(delta) or float(format_number(delta).replace(",", "")) == 0


def headline_cards(
    results: econ.Results, baseline: econ.Results, bands: dict[str, str] | None = None
) -> dmc.SimpleGrid:
    """One card per CARD_METRICS entry; ``bands`` (metric -> text, see card_bands) adds a p5-p95 line."""
    bands = bands or {}
    h = results.headline.set_index("metric")
    b = baseline.headline.set_index("metric")
    cards = []
    for metric in CARD_METRICS:
        row = h.loc[metric]
        delta = float(row.value) - float(b.loc[metric, "value"])
        direction = BETTER_WHEN[metric]
        colour = "gray" if _same(delta) or direction == 0 else ("green" if delta * direction > 0 else "red")
        cards.append(
            dmc.Paper(
                [
                    dmc.Text(row.label, size="xs", c="dimmed", lh=1.2),
                    dmc.Text(
                        format_number(float(row.value)), size="xl", fw=700, id={"type": "card-value", "metric": metric}
                    ),
                    dmc.Text(humanise(row.unit), size="xs", c="dimmed"),
                    dmc.Text(
                        bands.get(metric, ""),
                        size="xs",
                        c="indigo",
                        className="card-band",
                        id={"type": "card-band", "metric": metric},
                    ),
                    dmc.Text(_delta_text(float(row.value), float(b.loc[metric, "value"])), size="xs", c=colour),
                ],
                withBorder=True,
                p="xs",
                radius="md",
                className="headline-card",
                **{"data-metric": metric},
            )
        )
    return dmc.SimpleGrid(cards, cols={"base": 2, "md": 3, "lg": 5}, spacing="xs")


NOT_YET = "not available in this version of the model"
LEDGER_HEADINGS = {
    "party": "Party",
    "channel": "Channel",
    "value_bn_usd": "USD bn",
    "value_pct_gdp": "% of GDP",
    "note": "Note",
}


def _delta_text(value: float, base: float) -> str:
    delta = value - base
    return "same as baseline" if _same(delta) else f"{'+' if delta > 0 else ''}{format_number(delta)} vs baseline"


def costs_view(results: econ.Results, baseline: econ.Results) -> html.Div:
    """Costs to each side: every headline metric by the economy it concerns, against the baseline, and the
    two-sided ledger when the model produces one (table ``cost_ledger``)."""
    h = results.headline.set_index("metric")
    b = baseline.headline.set_index("metric")
    columns = []
    for geography in dict.fromkeys(m.geography for m in METRIC_DECLARATIONS):
        rows = []
        for m in METRIC_DECLARATIONS:
            if m.geography != geography or m.id not in h.index:
                continue
            value, base = float(h.loc[m.id, "value"]), float(b.loc[m.id, "value"])
            direction = BETTER_WHEN[m.id]
            delta = value - base
            colour = "gray" if _same(delta) or direction == 0 else ("green" if delta * direction > 0 else "red")
            rows.append(
                html.Tr(
                    [
                        html.Td(m.label),
                        html.Td(format_number(value), style={"textAlign": "right", "fontWeight": 600}),
                        html.Td(humanise(m.unit), style={"fontSize": 11, "color": "#868e96"}),
                        html.Td(_delta_text(value, base), style={"color": colour, "fontSize": 12}),
                    ],
                    **{"data-metric": m.id},
                )
            )
        columns.append(
            dmc.Stack(
                [
                    dmc.Title(f"Costs to {geography}", order=5),
                    dmc.Table(
                        [
                            html.Thead(html.Tr([html.Th(c) for c in ("Metric", "Value", "Unit", "Against baseline")])),
                            html.Tbody(rows),
                        ],
                        striped=True,
                        fz="xs",
                    ),
                ],
                gap=4,
            )
        )
    if "cost_ledger" in results.tables:
        ledger = results.tables["cost_ledger"]
        head = [c for c in ("party", "channel", "value_bn_usd", "value_pct_gdp", "note") if c in ledger.columns]
        ledger_view: Any = dmc.Table(
            [
                html.Thead(html.Tr([html.Th(LEDGER_HEADINGS[c]) for c in head])),
                html.Tbody(
                    [
                        html.Tr(
                            [
                                html.Td(label(row[c]) if c in ("party", "channel") else format_number(row[c]))
                                for c in head
                            ]
                        )
                        for _, row in ledger.iterrows()
                    ]
                ),
            ],
            striped=True,
            fz="xs",
            id="cost-ledger",
        )
    else:
        ledger_view = dmc.Text(
            f"The two-sided ledger (each party's cost by channel, in USD and % of GDP) is {NOT_YET}; the "
            "headline metrics above are what the model reports for each side.",
            size="sm",
            c="dimmed",
            id="cost-ledger",
        )
    return html.Div(
        [
            dmc.SimpleGrid(columns, cols={"base": 1, "md": 2}, spacing="lg"),
            dmc.Title("Ledger", order=5, mt="md"),
            ledger_view,
            dmc.Text(
                f"Source: econ model run, scenario '{scenario_title(results.scenario)}', against the baseline.",
                size="xs",
                c="dimmed",
                mt="xs",
            ),
        ]
    )


EUROPE_NOT_AVAILABLE = (
    "Europe's cost (GDP by country and channel, the map of GDP change and the two-sided ledger) comes from the "
    "europe module, which is not available in this version of the model. The gas view shows Europe's shortfall "
    "and prices; the Costs tab lists every headline the model reports for each side."
)


def europe_view(results: econ.Results, ghost: econ.Results | None, ref_label: str) -> Any:
    """Europe's cost: the map of GDP change, GDP by country with its channels, and the two-sided ledger, when the
    run has the europe module's result; otherwise a line saying the module is not available (not an error)."""
    if "europe" not in results.modules:
        return dmc.Alert(EUROPE_NOT_AVAILABLE, title="Not available yet", color="gray", id="europe-missing")
    config = {"displaylogo": False}
    return dmc.Stack(
        [
            dcc.Graph(
                id="europe-map",
                figure=results.figures.europe_map("gdp_change_pct"),
                config={**config, "topojsonURL": topojson_url()},
                style={"height": "520px"},
            ),
            dmc.SimpleGrid(
                [
                    dcc.Graph(
                        id="europe-gdp",
                        figure=results.figures.eu_gdp_by_country(baseline=ghost, baseline_name=ref_label),
                        config=config,
                        style={"height": "640px"},
                    ),
                    dcc.Graph(
                        id="europe-ledger",
                        figure=results.figures.cost_ledger(baseline=ghost, baseline_name=ref_label),
                        config=config,
                        style={"height": "520px"},
                    ),
                ],
                cols={"base": 1, "lg": 2},
                spacing="md",
            ),
        ],
        gap="sm",
    )


def assumptions_table(values: dict[str, Any]) -> dmc.Table:
    rows = []
    for spec in load_registry():
        current = values.get(spec.name, spec.value)
        changed = current != spec.value
        rows.append(
            html.Tr(
                [
                    html.Td(spec.group),
                    html.Td(spec.label, title=f"in a scenario file: {spec.name}"),
                    html.Td(show_value(current), style={"fontWeight": 700 if changed else 400}),
                    html.Td(show_value(spec.value)),
                    html.Td(spec.unit),
                    html.Td(f"{show_value(spec.low)} to {show_value(spec.high)}"),
                    html.Td(spec.source, style={"fontSize": 12}, className="source-cell"),
                ]
            )
        )
    head = html.Thead(
        html.Tr([html.Th(c) for c in ("Group", "Parameter", "Current", "Default", "Unit", "Plausible range", "Source")])
    )
    return dmc.Table([head, html.Tbody(rows)], striped=True, highlightOnHover=True, fz="xs")


def _signed(delta: float) -> str:
    return ("+" if delta > 0 and not _same(delta) else "") + format_number(delta)


def compare_table(pinned: list[dict]) -> Any:
    if not pinned:
        return dmc.Text("No scenario pinned yet.", size="sm", c="dimmed")
    results = [service.run(p["preset"], p["overrides"]) for p in pinned]
    labels = [p["label"] for p in pinned]
    table = compare_results(
        [replace(res, scenario=res.scenario.with_overrides({}, name=label)) for label, res in zip(labels, results)]
    )
    first = labels[0]
    head = ["Metric", "Unit"] + labels + [f"{label} − {first}" for label in labels[1:]]
    body = []
    for _, row in table.iterrows():
        cells = [html.Td(row["label"]), html.Td(humanise(row["unit"]))]
        cells += [html.Td(format_number(float(row[label]))) for label in labels]
        cells += [html.Td(_signed(float(row[label]) - float(row[first]))) for label in labels[1:]]
        body.append(html.Tr(cells))
    return dmc.Table([html.Thead(html.Tr([html.Th(h) for h in head])), html.Tbody(body)], striped=True, fz="xs")


MAX_UPLOAD_BYTES = loader.MAX_BYTES


def decode_upload(contents: str | None, filename: str, size: int | None = None) -> tuple[str, dict[str, Any], str]:
    """Uploaded YAML -> (title, overrides, description); EconError with a one-line message on bad input.

    ``contents`` is the upload's data URL, or None when the browser held back a file over the limit
    (``size`` then says how big it was). The text goes through the safe loader (econ.loader).
    """
    name = loader.one_line(filename or "upload.yaml", 80)
    if contents is None and size is not None:
        raise EconError(f"{name}: the file is {size:,} bytes, larger than the {MAX_UPLOAD_BYTES // 1024} KiB limit")
    if not isinstance(contents, str) or "," not in contents[:300]:
        raise EconError(f"{name}: could not read the uploaded file")
    _, b64 = contents.split(",", 1)
    if len(b64) > 4 * (MAX_UPLOAD_BYTES // 3 + 1):
        raise EconError(
            f"{name}: the file is about {len(b64) * 3 // 4:,} bytes, larger than the {MAX_UPLOAD_BYTES // 1024} KiB limit"
        )
    try:
        raw = base64.b64decode(b64, validate=True)
    except (ValueError, binascii.Error):
        raise EconError(f"{name}: could not read the uploaded file") from None
    scenario = scenario_from_text(raw, name=name.rsplit(".", 1)[0], where=name)
    return scenario.title, dict(scenario.overrides), scenario.description


def control_values_for(ids: list[dict], values: dict[str, Any], kind: str) -> list:
    out = []
    for cid in ids:
        v = values[cid["name"]]
        if isinstance(v, DatedPath):  # the control holds the value before the first step
            v = v.base
        if kind == SWITCH:
            out.append(bool(v))
        elif kind == MONTH:
            out.append(str(v))
        else:
            out.append(v if isinstance(v, int) and not isinstance(v, bool) else float(v))
    return out


def controls_for(
    trigger: Any,
    preset: str | None,
    search: str | None,
    upload: str | None,
    filename: str | None,
    current: dict[str, Any],
    group_of: dict[str, str],
) -> tuple[str, dict[str, Any], tuple]:
    """(preset, every parameter's value, status) for what triggered the controls callback.

    Raises EconError with a one-line message for a bad share link or upload. ``status`` is a
    ``message(...)`` tuple for the page's message box.
    """
    status = HIDDEN
    if trigger == "url" or trigger is None:
        if search:
            preset, overrides = service.parse_share_query(search)
            values = {**service.preset_values(preset), **overrides}
            status = message(
                "info",
                f"Loaded the shared scenario (preset '{econ.load_scenario(preset).title}'); the line above the headline "
                "shows what it changes.",
                "Share link",
            )
        else:
            preset = preset or "baseline"
            values = service.preset_values(preset)
    elif trigger in ("upload", "upload-data"):
        if isinstance(upload, dict):  # the upload-data store: {"contents", "filename", "size"}
            filename = upload.get("filename")
            title, overrides, _ = decode_upload(upload.get("contents"), filename or "upload.yaml", upload.get("size"))
        else:
            title, overrides, _ = decode_upload(upload, filename or "upload.yaml")
        preset = "baseline"
        values = {**service.preset_values("baseline"), **overrides}
        status = message(
            "info", f"Loaded '{title}' from {filename} ({len(overrides)} overrides in the file).", "Upload"
        )
    elif isinstance(trigger, dict) and trigger.get("type") == "reset-group":
        base = service.preset_values(preset)
        values = {k: (base[k] if group_of.get(k) == trigger["group"] else v) for k, v in current.items()}
    else:  # a new preset, or reset all
        values = service.preset_values(preset)
    return preset, values, status


def views_for(
    values: dict[str, Any],
    preset: str | None,
    href: str | None,
    tab: str | None = None,
    uncertainty: dict | None = None,
    pinned: list[dict] | None = None,
    known: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Everything the page shows for a set of control values.

    Returns {"errors": {name: message}} when a value is invalid (nothing is run),
    else cards, figures by graph id, share link, current scenario and assumptions table.
    With ``tab``, only that tab's figures (and the assumptions table only on its tab) are
    built: the others are built when their tab is opened. ``uncertainty`` is the last
    uncertainty run's store: its p5-p95 bands go on the cards if it was run for these values.
    ``known`` is the browser's "figure-keys" store (graph id -> fingerprint of the figure it shows): a figure
    whose fingerprint (econ.figures.figure_fingerprint: the tables it reads, its title, its ghost) has not
    changed is neither built nor sent; "figure_keys" is the store's new value.
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
    current = {"preset": preset, "overrides": service.plain(overrides)}
    # The ghost on every chart: the first pinned scenario if there is one, else the baseline; none when the
    # current scenario is that reference.
    ref_label, reference = "Baseline", baseline
    if pinned:
        ref_label, reference = f"Pinned: {pinned[0]['label']}", service.run(pinned[0]["preset"], pinned[0]["overrides"])
        ref_key = {"preset": pinned[0]["preset"], "overrides": pinned[0]["overrides"]}
    else:
        ref_key = {"preset": "baseline", "overrides": {}}
    ghost = None if ref_key == current else reference
    warnings = plausibility_warnings(clean)
    ghost_key = json.dumps([ref_label, ref_key], sort_keys=True) if ghost is not None else None
    shown, keys, memo = {}, dict(known or {}), {}
    for gid in GRAPH_IDS:
        if tab is not None and gid not in {g for g, _ in GRAPHS.get(tab, [])}:
            continue
        key = figures.figure_fingerprint(results, FIGURES[gid], ghost_key, memo=memo)
        if keys.get(gid) != key:
            shown[gid] = getattr(results.figures, FIGURES[gid])(baseline=ghost, baseline_name=ref_label)
            keys[gid] = key
    return {
        "errors": {},
        "warnings": warnings,
        "notes": scenario_notes(preset, overrides, warnings),
        "cards": headline_cards(results, baseline, card_bands(uncertainty, current)),
        "figures": shown,
        "figure_keys": keys,
        "share": (href or "").split("?")[0] + service.share_query(preset, overrides),
        "current": current,
        "assumptions": assumptions_table(clean) if tab in (None, "assumptions") else None,
        "costs": costs_view(results, baseline) if tab in (None, "costs") else None,
        "europe": europe_view(results, ghost, ref_label) if tab in (None, "europe") else None,
        "results": results,
    }


# ---------------------------------------------------------------- uncertainty (pure functions)


def assumptions_label(current: dict | None) -> str:
    """A short name for a set of assumptions: the preset and how many controls differ from it."""
    if not current:
        return "no valid assumptions"
    changed = len(current["overrides"])
    return current["preset"] + (f" (+{changed} changes)" if changed else "")


def _finite_or_none(value: Any) -> Any:
    # JSON has no NaN: a metric whose every draw failed is stored as null.
    return None if isinstance(value, float) and not math.isfinite(value) else value


def uncertainty_store(current: dict, n: int, seed: int, summary: pd.DataFrame) -> dict:
    """What the browser keeps of a Monte Carlo: its summary and the assumptions (preset, overrides) it was run for."""
    records = [{k: _finite_or_none(v) for k, v in row.items()} for row in summary.to_dict("records")]
    return {
        "assumptions": {"preset": current["preset"], "overrides": dict(current["overrides"])},
        "n": n,
        "seed": seed,
        "summary": records,
    }


def is_stale(store: dict | None, current: dict | None) -> bool:
    """True when there is a stored run and it was for other assumptions than the current ones."""
    return bool(store) and store.get("assumptions") != current


def band_text(row: dict) -> str:
    """A card's p5-p95 line from one summary row, in the card's unit and precision."""
    low, high, unit = row.get("p5"), row.get("p95"), row.get("unit", "")
    if low is None or high is None or not (math.isfinite(low) and math.isfinite(high)):
        return "p5–p95: n/a (every draw failed)"
    failed = int(row.get("n_failed") or 0)
    text = f"p5–p95: {format_number(low)} to {format_number(high)} {unit}"
    return text + (f" ({failed} draws failed)" if failed else "")


def card_bands(store: dict | None, current: dict | None) -> dict[str, str]:
    """metric -> p5-p95 text for every card, or nothing when there is no run or it is stale."""
    if not store or is_stale(store, current):
        return {}
    rows = {row["metric"]: row for row in store["summary"]}
    return {m: band_text(rows[m]) for m in CARD_METRICS if m in rows}


def stale_note(store: dict | None, current: dict | None) -> str | None:
    """What the Uncertainty tab says when its results are for other assumptions; None when they are current."""
    if not is_stale(store, current):
        return None
    return (
        f"These results are for {assumptions_label(store['assumptions'])}, not for the current assumptions, "
        f"{assumptions_label(current)}; the headline cards show no p5–p95 ranges until you run the analysis "
        "again."
    )


def percentile_table(summary: pd.DataFrame) -> dmc.Table:
    """The Monte Carlo summary: one row per headline metric, mean and percentiles in the metric's unit."""
    head = html.Thead(html.Tr([html.Th(c) for c in ("Metric", "Unit", "Mean", "p5", "p25", "p50", "p75", "p95")]))
    body = [
        html.Tr(
            [html.Td(row["label"]), html.Td(humanise(row["unit"]))]
            + [html.Td(format_number(float(row[c]))) for c in SUMMARY_COLUMNS]
        )
        for _, row in summary.iterrows()
    ]
    return dmc.Table([head, html.Tbody(body)], striped=True, highlightOnHover=True, fz="xs", id="uq-percentiles")


def histogram_metrics(metric: str) -> list[str]:
    """The tornado's metric first, then the other usual ones: four histograms in all."""
    return [metric] + [m for m in HISTOGRAM_METRICS if m != metric][: len(HISTOGRAM_METRICS) - 1]


def tornado_figure(table: pd.DataFrame, metric: str, top: int = TORNADO_TOP) -> go.Figure:
    """The library's tornado chart of the ``top`` largest swings, titled with the metric's label."""
    fig = figures.tornado_bars(table, metric, top=top)
    # Count the bars drawn: the library may leave out parameters whose swing is zero.
    bars = len(fig.data[0].y) if fig.data and fig.data[0].y is not None else 0
    label = service.metric_labels().get(metric, metric)
    base = float(table["base"].iloc[0]) if len(table) else float("nan")
    fig.update_layout(
        title={
            "text": f"Tornado: {label}<br><sup>the {bars} largest of {len(table)} one-at-a-time swings; "
            f"bars start at the current value, {format_number(base)}</sup>"
        },
        xaxis_title=label,
        margin={"t": 90},
    )
    fig.update_yaxes(automargin=True)  # room for the parameters' labels
    return fig


def histograms_figure(outcomes: pd.DataFrame, summary: pd.DataFrame, metric: str) -> go.Figure:
    """The library's Monte Carlo histograms of histogram_metrics(metric), with a title that fits half the page."""
    fig = figures.monte_carlo_histograms(outcomes, summary, histogram_metrics(metric))
    fig.update_layout(
        title={"text": f"Monte Carlo: {len(outcomes)} draws<br><sup>lines: p5, p50 and p95</sup>"}, margin={"t": 110}
    )
    fig.update_annotations(font_size=12)  # the subplot titles: long labels with units, in half the page
    return fig


def progress_counter(total: int, report: Callable[[int, str], None]) -> Callable[[int], None]:
    """The library's ``progress`` callable (called with the number of model runs just done): reports
    (percent, text) at each new whole percent, never past 100 % (``total`` is an estimate)."""
    done, last = 0, -1

    def tick(runs: int = 1) -> None:
        nonlocal done, last
        done += runs
        percent = min(100, 100 * done // total) if total > 0 else 100
        if percent != last:  # at most ~100 reports, whatever the number of runs
            last = percent
            report(percent, f"{min(done, total)} of {total} model runs")

    return tick


def uncertainty_views(
    current: dict | None,
    draws: Any,
    metric: Any,
    params: Sequence[str] | None = None,
    report: Callable[[int, str], None] | None = None,
) -> dict[str, Any]:
    """Tornado, histograms, percentile table and store for the current assumptions.

    ``params`` restricts the analysis to those parameters (None: every uncertain one, as the
    app does). Raises EconError with a one-line message for a request the page does not offer.
    """
    if not current:
        raise EconError("there is no valid scenario to analyse yet: fix the assumptions marked in red")
    n = int(draws) if str(draws).isdigit() else None
    if n not in DRAW_CHOICES:
        raise EconError(f"the number of draws must be one of {', '.join(map(str, DRAW_CHOICES))}, got {draws!r}")
    if metric not in CARD_METRICS:
        raise EconError(f"the tornado metric must be one of the headline cards' metrics, got {metric!r}")
    preset, overrides = current["preset"], current["overrides"]
    progress = None
    if report is not None:
        progress = progress_counter(service.uncertainty_runs(preset, overrides, n, params), report)
    mc, table = service.uncertainty(preset, overrides, n, UNCERTAINTY_SEED, metric, params, progress)
    return {
        "tornado": tornado_figure(table, metric),
        "histograms": histograms_figure(mc.outcomes, mc.summary, metric),
        "table": percentile_table(mc.summary),
        "store": uncertainty_store(current, n, UNCERTAINTY_SEED, mc.summary),
        "parameters": len(table),
        "failed": int(mc.summary["n_failed"].max()) if len(mc.summary) else 0,
    }


def uncertainty_outputs(
    current: dict | None,
    draws: Any,
    metric: Any,
    params: Sequence[str] | None = None,
    report: Callable[[int, str], None] | None = None,
) -> tuple:
    """The Uncertainty tab's outputs: tornado, histograms, table, store and the status (text, colour, hidden).

    A failure never reaches the page as a traceback: it becomes a red status line
    and the last results stay.
    """
    started = time.perf_counter()
    try:
        view = uncertainty_views(current, draws, metric, params, report)
    except EconError as exc:
        return no_update, no_update, no_update, no_update, f"Uncertainty analysis: {exc}", "red", False
    except Exception as exc:  # a model run failing unforeseen must not blank the page; logged in full
        log.exception("uncertainty analysis failed for %s", current)
        return (
            no_update,
            no_update,
            no_update,
            no_update,
            f"Uncertainty analysis failed: {type(exc).__name__}: {exc}",
            "red",
            False,
        )
    seconds = time.perf_counter() - started
    failed = (
        f" Up to {view['failed']} draws gave no value for a metric (left out of its percentiles)."
        if view["failed"]
        else ""
    )
    status = (
        f"Uncertainty analysis for {assumptions_label(current)}: {view['store']['n']} draws and a tornado of "
        f"{view['parameters']} parameters in {seconds:.0f} s. The headline cards now show p5–p95 ranges." + failed
    )
    return view["tornado"], view["histograms"], view["table"], view["store"], status, "blue", False


def europe_bands_outputs(
    current: dict | None,
    n: int = EUROPE_BAND_DRAWS,
    params: Sequence[str] | None = None,
    report: Callable[[int, str], None] | None = None,
) -> tuple:
    """The Europe bands' outputs: (figure, the assumptions they are for, status line). A failure is a status
    line, never a traceback; the last figure stays."""
    if not current:
        return no_update, no_update, "There is no valid scenario to run yet: fix the assumptions marked in red."
    started = time.perf_counter()
    progress = progress_counter(n, report) if report is not None else None
    try:
        bands = service.europe_bands(current["preset"], current["overrides"], n, UNCERTAINTY_SEED, params, progress)
        results = service.run(current["preset"], current["overrides"])
        fig = results.figures.eu_gdp_bands(bands, draws=n)
    except EconError as exc:
        return no_update, no_update, f"Europe's bands: {exc}"
    except Exception as exc:  # logged in full; the page keeps its last figure
        log.exception("europe bands failed for %s", current)
        return no_update, no_update, f"Europe's bands failed: {type(exc).__name__}: {exc}"
    failed = int(bands["n_failed"].max()) if len(bands) else 0
    note = f" {failed} draws gave no value (left out)." if failed else ""
    seconds = time.perf_counter() - started
    return (
        fig,
        {"preset": current["preset"], "overrides": dict(current["overrides"])},
        f"p5–p95 over {n} draws for {assumptions_label(current)}, in {seconds:.0f} s.{note}",
    )


def bands_graph(fig: Any) -> dcc.Graph:
    """The bands' chart, made when they are first run (no empty chart for the browser to draw on the first page)."""
    return dcc.Graph(id="europe-bands", figure=fig, config={"displaylogo": False}, style={"height": "760px"})


def bands_stale_note(bands_for: dict | None, current: dict | None) -> str | None:
    """What the bands panel says when its figure is for other assumptions; None when current (or none yet)."""
    if not bands_for or bands_for == current:
        return None
    return (
        f"These bands are for {assumptions_label(bands_for)}, not for the current assumptions, "
        f"{assumptions_label(current)}: run them again."
    )


# ---------------------------------------------------------------- controls (pure functions)


def changed_only(new: list, old: list) -> list:
    """``new`` with no_update where the control already holds that value: every write to a number box
    also moves its slider in the browser, so unchanged controls are left alone."""
    return [
        no_update if o is not None and o == n and isinstance(o, bool) == isinstance(n, bool) else n
        for n, o in zip(new, old)
    ]


def control_notes(names: list[str], errors: dict[str, str], warnings: dict[str, str]) -> dict[str, dict[str, str]]:
    """The note under each control that has one, by parameter: {"text", "kind"} with kind "error" (red; nothing
    runs) or "warning" (orange; it runs as a stress test). A scenario-wide error goes under the first control.

    One store for every control (written into the page by a clientside callback): 150 controls with an output
    each made the Dash renderer's bookkeeping, quadratic in the outputs downstream of a pending callback, cost
    seconds per slider move in the browser."""
    notes: dict[str, dict[str, str]] = {}
    for k, name in enumerate(names):
        if errors:
            text = errors.get(name, errors.get("_scenario", "") if k == 0 else "")
            if text:
                notes[name] = {"text": text, "kind": "error"}
        elif warnings.get(name):
            notes[name] = {"text": f"Stress test: {warnings[name]}", "kind": "warning"}
    return notes


# ---------------------------------------------------------------- registration


def register(app, uncertainty_params: Sequence[str] | None = None) -> None:
    """Register every callback. ``uncertainty_params`` restricts the Uncertainty tab to those
    parameters (the browser tests use a few, to be quick); None varies every uncertain parameter."""
    registry = load_registry()
    group_of = {s.name: s.group for s in registry}
    control_names = control_order(registry)

    # The browser holds back an upload over the limit (its contents never reach the server) and says how big it was.
    app.clientside_callback(
        f"""
        function(contents, filename) {{
            if (!contents) {{ return window.dash_clientside.no_update; }}
            const comma = contents.indexOf(",");
            const size = Math.floor((contents.length - comma - 1) * 3 / 4);
            const tooBig = size > {MAX_UPLOAD_BYTES};
            return {{filename: filename, size: size, contents: tooBig ? null : contents, at: Date.now()}};
        }}
        """,
        Output("upload-data", "data"),
        Input("upload", "contents"),
        State("upload", "filename"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output({"type": NUMBER, "name": ALL}, "value"),
        Output({"type": SWITCH, "name": ALL}, "checked"),
        Output({"type": MONTH, "name": ALL}, "value"),
        Output("preset", "value"),
        Output("paths", "data"),
        Output("offstage", "data"),
        *message_outputs(),
        Input("preset", "value"),
        Input("url", "search"),
        Input("upload-data", "data"),
        Input("reset-all", "n_clicks"),
        Input({"type": "reset-group", "group": ALL}, "n_clicks"),
        State({"type": NUMBER, "name": ALL}, "value"),
        State({"type": SWITCH, "name": ALL}, "checked"),
        State({"type": MONTH, "name": ALL}, "value"),
        State("paths", "data"),
        State("offstage", "data"),
    )
    def set_controls(preset, search, upload, _reset, _groups, nums, sws, mos, paths, offstage):
        ids = {k: [o["id"] for o in ctx.outputs_list[i]] for i, k in enumerate((NUMBER, SWITCH, MONTH))}
        trigger = ctx.triggered_id
        if (
            isinstance(trigger, dict)
            and trigger.get("type") == "reset-group"
            and not any(t["value"] for t in ctx.triggered)
        ):
            # a group just rendered (opened for the first time): its reset button appeared, nobody clicked it
            return ([no_update] * len(ids[NUMBER]), [no_update] * len(ids[SWITCH]), [no_update] * len(ids[MONTH]),
                    no_update, no_update, no_update, *[no_update] * len(message_outputs()))  # fmt: skip
        current = values_from_controls(
            [i["name"] for i in ids[NUMBER]],
            nums,
            [i["name"] for i in ids[SWITCH]],
            sws,
            [i["name"] for i in ids[MONTH]],
            mos,
        )
        try:
            preset, values, status = controls_for(ctx.triggered_id, preset, search, upload, None, current, group_of)
        except EconError as exc:  # nothing changes but the message
            source = "The upload" if ctx.triggered_id == "upload-data" else "The share link"
            return (
                [no_update] * len(ids[NUMBER]),
                [no_update] * len(ids[SWITCH]),
                [no_update] * len(ids[MONTH]),
                no_update,
                no_update,
                no_update,
                *message("error", str(exc), f"{source} was not loaded: the assumptions are unchanged"),
            )
        return (
            changed_only(control_values_for(ids[NUMBER], values, NUMBER), nums),
            changed_only(control_values_for(ids[SWITCH], values, SWITCH), sws),
            changed_only(control_values_for(ids[MONTH], values, MONTH), mos),
            preset,
            kept_paths(ctx.triggered_id, values, paths, group_of),
            {**(offstage or {}), **offstage_values(values)},
            *status,
        )

    # The dated-path editors: an add or remove click changes the "paths" store (validated step by step, with
    # the control's hard-bound and plausible-range messages); the store redraws every editor's steps.
    @app.callback(
        Output("paths", "data", allow_duplicate=True),
        Output({"type": PATH_NOTE, "name": ALL}, "children"),
        Input({"type": PATH_ADD, "name": ALL}, "n_clicks"),
        Input({"type": PATH_REMOVE, "name": ALL, "month": ALL}, "n_clicks"),
        State({"type": PATH_MONTH, "name": ALL}, "value"),
        State({"type": PATH_VALUE, "name": ALL}, "value"),
        State("paths", "data"),
        prevent_initial_call=True,
    )
    def change_path(_adds, _removes, months, raws, paths):
        notes_ids = [o["id"]["name"] for o in ctx.outputs_list[1]]
        fired = [t for t in ctx.triggered if t.get("value")]  # a remove button just drawn has no clicks
        if not fired or not isinstance(ctx.triggered_id, dict):
            return no_update, [no_update] * len(notes_ids)
        trigger = ctx.triggered_id
        names = [i["id"]["name"] for i in ctx.states_list[0]]
        k = names.index(trigger["name"])
        new, name, note = edit_paths(paths, trigger, months[k], raws[k])
        return new, [note if n == name else no_update for n in notes_ids]

    @app.callback(Output({"type": PATH_STEPS, "name": ALL}, "children"), Input("paths", "data"))
    def show_paths(paths):
        paths = paths or {}
        return [path_steps_view(registry[o["id"]["name"]], paths.get(o["id"]["name"], {})) for o in ctx.outputs_list]

    # The number box holds a numeric parameter's value; its slider (the plausible range) follows it. One
    # clientside callback per control writes both, so the two never loop and no request is made: a moved
    # slider sets the box; a typed value moves the slider (to its end when outside the plausible range) and
    # stays in the box as typed, never clipped (the server checks it against the hard bounds).
    app.clientside_callback(
        """
        function(box, slider, lo, hi) {
            const nu = window.dash_clientside.no_update;
            const trig = window.dash_clientside.callback_context.triggered.map(t => t.prop_id);
            if (trig.some(p => p.indexOf('"param-slider"') >= 0)) {
                return [slider === box ? nu : slider, nu];
            }
            if (typeof box === "number" && isFinite(box)) {
                const c = Math.min(Math.max(box, lo), hi);
                return [nu, c === slider ? nu : c];
            }
            return [nu, nu];
        }
        """,
        Output({"type": NUMBER, "name": MATCH}, "value", allow_duplicate=True),
        Output({"type": SLIDER, "name": MATCH}, "value"),
        Input({"type": NUMBER, "name": MATCH}, "value"),
        Input({"type": SLIDER, "name": MATCH}, "value"),
        State({"type": SLIDER, "name": MATCH}, "min"),
        State({"type": SLIDER, "name": MATCH}, "max"),
        prevent_initial_call=True,
    )

    # A folded control group is rendered when first opened, at the values the offstage store holds for it.
    bodies = groups_by_key(registry)

    @app.callback(
        Output({"type": GROUP_BODY, "group": ALL}, "children"),
        Output("rendered-groups", "data"),
        Input("controls-accordion", "value"),
        State("rendered-groups", "data"),
        State("offstage", "data"),
        State("paths", "data"),
        prevent_initial_call=True,
    )
    def render_groups(opened, rendered, offstage, paths):
        keys = [o["id"]["group"] for o in ctx.outputs_list[0]]
        todo = [k for k in (opened or []) if k not in (rendered or []) and k in bodies]
        if not todo:
            return [no_update] * len(keys), no_update
        out = [group_body(bodies[k], offstage, paths) if k in todo else no_update for k in keys]
        return out, [*(rendered or []), *todo]

    # Each control's note from the "control-notes" store: one clientside callback writes every note (see
    # control_notes); the notes are plain elements no other callback renders, so React leaves the text alone.
    app.clientside_callback(
        """
        function(notes) {
            notes = notes || {};
            document.querySelectorAll(".param-note").forEach(function(el) {
                const note = notes[el.getAttribute("data-note-for")];
                el.textContent = note ? note.text : "";
                el.className = "param-note" + (note ? " param-note-" + note.kind : "");
            });
        }
        """,
        Input("control-notes", "data"),
    )

    @app.callback(
        Output("cards", "children"),
        Output("scenario-notes", "children"),
        *[Output(gid, "figure") for gid in GRAPH_IDS],
        Output("control-notes", "data"),
        Output("share-link", "value"),
        Output("current", "data"),
        Output("assumptions-table", "children"),
        Output("costs-view", "children"),
        Output("europe-view", "children"),
        Output("figure-keys", "data"),
        Input({"type": NUMBER, "name": ALL}, "value"),
        Input({"type": SWITCH, "name": ALL}, "checked"),
        Input({"type": MONTH, "name": ALL}, "value"),
        Input("paths", "data"),
        Input("offstage", "data"),
        Input("tabs", "value"),
        Input("pinned", "data"),
        State("preset", "value"),
        State("url", "href"),
        State("uncertainty", "data"),
        State("figure-keys", "data"),
    )
    def run_scenario(nums, sws, mos, paths, offstage, tab, pinned, preset, href, uncertainty, known):
        names = {k: [i["id"]["name"] for i in ctx.inputs_list[n]] for n, k in enumerate((NUMBER, SWITCH, MONTH))}
        shown = values_from_controls(names[NUMBER], nums, names[SWITCH], sws, names[MONTH], mos)
        values = with_paths({**(offstage or {}), **shown}, paths)  # a control not rendered yet: its offstage value
        view = views_for(values, preset, href, tab, uncertainty, pinned, known)
        notes = control_notes(control_names, view["errors"], view.get("warnings", {}))
        if view["errors"]:
            return (no_update, no_update, *[no_update] * len(GRAPH_IDS), notes, *[no_update] * 6)
        return (
            view["cards"],
            view["notes"],
            *[view["figures"].get(gid, no_update) for gid in GRAPH_IDS],
            notes,
            view["share"],
            view["current"],
            view["assumptions"] if view["assumptions"] is not None else no_update,
            view["costs"] if view["costs"] is not None else no_update,
            view["europe"] if view["europe"] is not None else no_update,
            view["figure_keys"],
        )

    # The map follows the current scenario and its metric (a cached run: no second model run).
    @app.callback(
        Output("gas-map", "figure"),
        Output("map-key", "data"),
        Input("current", "data"),
        Input("map-metric", "value"),
        State("map-key", "data"),
    )
    def show_map(current, metric, known):
        return map_figure(current, metric, known)

    # The landing's questions: each loads its preset (set_controls follows) and opens its view.
    @app.callback(
        Output("preset", "value", allow_duplicate=True),
        Output("tabs", "value"),
        Input({"type": "question", "index": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )
    def ask(clicks):
        if not isinstance(ctx.triggered_id, dict) or not any(clicks):
            return no_update, no_update
        _question, preset, tab = QUESTIONS[ctx.triggered_id["index"]]
        return preset, tab

    @app.callback(
        Output("pinned", "data"),
        Input("pin", "n_clicks"),
        Input("clear-pins", "n_clicks"),
        State("pinned", "data"),
        State("current", "data"),
        prevent_initial_call=True,
    )
    def pin(_pin, _clear, pinned, current):
        if ctx.triggered_id == "clear-pins" or not current:
            return []
        pinned = list(pinned or [])
        label = assumptions_label(current)
        label = label if label not in {p["label"] for p in pinned} else f"{label} #{len(pinned) + 1}"
        pinned.append({**current, "label": label})
        return pinned[-MAX_PINNED:]

    @app.callback(Output("compare-table", "children"), Input("pinned", "data"))
    def show_compare(pinned):
        return compare_table(pinned or [])

    # A background callback: the job runs in a process of the app's DiskcacheManager (see app.py), the page
    # polls for progress and the result, and stays responsive; "Cancel" kills the job's process.
    # Dash keys a background job's function by the callback's id and source, so when one process makes
    # several apps (tests), the last one registered decides uncertainty_params for all of them.
    @app.callback(
        Output("uq-tornado", "figure"),
        Output("uq-histograms", "figure"),
        Output("uq-table", "children"),
        Output("uncertainty", "data"),
        *message_outputs(allow_duplicate=True),
        Input("uq-run", "n_clicks"),
        State("current", "data"),
        State("uq-draws", "value"),
        State("uq-metric", "value"),
        State("page-token", "data"),
        background=True,
        progress=[Output("uq-progress", "value"), Output("uq-progress-text", "children")],
        progress_default=[0, ""],
        running=[
            (Output("uq-run", "disabled"), True, False),
            (Output("uq-cancel", "disabled"), False, True),
            (Output("uq-progress-box", "style"), {"display": "block"}, {"display": "none"}),
        ],
        cancel=[Input("uq-cancel", "n_clicks")],
        interval=500,
        prevent_initial_call=True,
    )
    def run_uncertainty(set_progress, _run, current, draws, metric, _page_token):
        set_progress((0, "starting"))
        *views, text, colour, _hide = uncertainty_outputs(
            current, draws, metric, uncertainty_params, lambda percent, text: set_progress((percent, text))
        )
        return (*views, *message("error" if colour == "red" else "info", text, "Uncertainty analysis"))

    # Europe's p5-p95 bands by country: a background job on demand (the button), with a progress bar.
    @app.callback(
        Output("europe-bands-box", "children"),
        Output("eu-bands-for", "data"),
        Output("eu-bands-status", "children"),
        Input("eu-bands-run", "n_clicks"),
        State("current", "data"),
        State("page-token", "data"),
        background=True,
        progress=[Output("eu-bands-progress", "value"), Output("eu-bands-progress-text", "children")],
        progress_default=[0, ""],
        running=[
            (Output("eu-bands-run", "disabled"), True, False),
            (Output("eu-bands-progress-box", "style"), {"display": "block"}, {"display": "none"}),
        ],
        interval=500,
        prevent_initial_call=True,
    )
    def run_europe_bands(set_progress, _run, current, _page_token):
        set_progress((0, "starting"))
        fig, bands_for, status = europe_bands_outputs(
            current, EUROPE_BAND_DRAWS, uncertainty_params, lambda percent, text: set_progress((percent, text))
        )
        return (no_update if fig is no_update else bands_graph(fig)), bands_for, status

    @app.callback(
        *message_outputs(allow_duplicate=True),
        Input("uq-cancel", "n_clicks"),
        prevent_initial_call=True,
    )
    def uncertainty_cancelled(_cancel):
        return message(
            "muted", "Uncertainty analysis cancelled; the last results (if any) stay.", "Uncertainty analysis"
        )

    # Also on "current": the cards are re-rendered with the assumptions, and a run may end while they change.
    # The Europe bands' out-of-date note too (one request per change of the assumptions, not two).
    @app.callback(
        Output({"type": "card-band", "metric": ALL}, "children"),
        Output("uq-stale", "children"),
        Output("uq-stale", "hide"),
        Output("eu-bands-stale", "children"),
        Output("eu-bands-stale", "hide"),
        Input("uncertainty", "data"),
        Input("current", "data"),
        Input("eu-bands-for", "data"),
    )
    def show_bands(uncertainty, current, bands_for):
        bands = card_bands(uncertainty, current)
        note = stale_note(uncertainty, current)
        eu_note = bands_stale_note(bands_for, current)
        return (
            [bands.get(o["id"]["metric"], "") for o in ctx.outputs_list[0]],
            note or "",
            note is None,
            eu_note or "",
            eu_note is None,
        )

    @app.callback(
        Output("download", "data"),
        Input("dl-csv", "n_clicks"),
        Input("dl-xlsx", "n_clicks"),
        Input("dl-yaml", "n_clicks"),
        Input("dl-brief", "n_clicks"),
        State("current", "data"),
        prevent_initial_call=True,
    )
    def download(_csv, _xlsx, _yaml, _brief, current):
        if not current:
            return no_update
        return download_payload(ctx.triggered_id, current["preset"], current["overrides"])


def download_payload(kind: str, preset: str, overrides: dict) -> dict:
    """The dcc.Download payload for a CSV zip, an Excel workbook, the scenario YAML or the HTML brief."""
    stem = preset + ("_edited" if overrides else "")
    if kind == "dl-yaml":
        # Scenario.to_yaml writes dated paths, and marks a file without overrides as the baseline (econ.loader)
        return {"content": service.scenario_for(preset, overrides).to_yaml(), "filename": f"{stem}.yaml"}
    results = service.run(preset, overrides)
    if kind == "dl-brief":  # the same brief as `econ brief`, against the baseline unless it is the baseline
        reference = service.run("baseline", {}) if (preset != "baseline" or overrides) else None
        return {"content": build_brief(results, reference), "filename": f"{stem}_brief.html"}
    if kind == "dl-xlsx":
        return dcc.send_bytes(results_excel_bytes(results), f"{stem}.xlsx")
    return dcc.send_bytes(results_csv_zip(results), f"{stem}_tables.zip")
