"""Build the HTTP request the browser sends when a control changes (shared by the app benchmarks).

The payload follows Dash's callback protocol: the run_scenario callback's outputs
and its inputs (every control, pattern-matched), read from /_dash-dependencies
so the benchmark drives exactly what the page would.
"""

from __future__ import annotations

import json
from typing import Any

from dash_app import service
from dash_app.components.controls import MONTH, NUMBER, SWITCH, control_type, offstage_values
from econ.params import load_registry


def run_callback_spec(dependencies: list[dict]) -> dict:
    return next(d for d in dependencies if "cards.children" in d["output"])


def _expand(spec_id: dict, names: list[str]) -> list[dict]:
    return [{**spec_id, "name": n} for n in names]


def payload(
    dependencies: list[dict],
    preset: str,
    changes: dict[str, Any],
    href: str,
    tab: str = "gas",
    paths: dict[str, dict[str, Any]] | None = None,
    figure_keys: dict[str, str] | None = None,
) -> dict:
    """Request body for run_scenario with every control at the preset's value plus ``changes``, and the dated
    paths ``paths`` ({name: {"YYYY-MM": value}}, the browser's "paths" store); ``figure_keys`` is the page's
    "figure-keys" store (what its charts were built from: the browser sends back what the last response set)."""
    spec = run_callback_spec(dependencies)
    registry = load_registry()
    values = {**service.preset_values(preset), **changes}
    by_kind: dict[str, list[str]] = {NUMBER: [], SWITCH: [], MONTH: []}
    for s in registry:
        by_kind[control_type(s)].append(s.name)
    prop = {NUMBER: "value", SWITCH: "checked", MONTH: "value"}
    inputs = []
    for kind in (NUMBER, SWITCH, MONTH):
        inputs.append(
            [
                {
                    "id": {"name": n, "type": kind},
                    "property": prop[kind],
                    "value": (
                        float(values[n]) if kind == NUMBER else bool(values[n]) if kind == SWITCH else str(values[n])
                    ),
                }
                for n in by_kind[kind]
            ]
        )
    inputs.append({"id": "paths", "property": "data", "value": paths or {}})
    inputs.append({"id": "offstage", "property": "data", "value": offstage_values(values)})
    inputs.append({"id": "tabs", "property": "value", "value": tab})
    inputs.append({"id": "pinned", "property": "data", "value": []})
    outputs = []
    for out in spec["output"][2:-2].split("..."):  # "..a.b...c.d.." lists the outputs
        oid, oprop = out.rsplit(".", 1)
        if oid.startswith("{"):
            pattern = json.loads(oid)
            outputs.append([{"id": {**pattern, "name": n}, "property": oprop} for n in registry.specs])
        else:
            outputs.append({"id": oid, "property": oprop})
    changed = next(iter(changes))
    kind = control_type(registry[changed])
    return {
        "output": spec["output"],
        "outputs": outputs,
        "inputs": inputs,
        "changedPropIds": [json.dumps({"name": changed, "type": kind}, separators=(",", ":")) + "." + prop[kind]],
        "state": [
            {"id": "preset", "property": "value", "value": preset},
            {"id": "url", "property": "href", "value": href},
            {"id": "uncertainty", "property": "data", "value": None},
        ]
        + [
            {"id": "figure-keys", "property": "data", "value": figure_keys or {}}
            for s in spec.get("state", [])
            if s["id"] == "figure-keys"  # (an app before the figure fingerprints has no such store)
        ],
    }


def controls_callback_spec(dependencies: list[dict]) -> dict:
    return next(d for d in dependencies if "preset.value" in d["output"] and "status.children" in d["output"])


def _outputs(spec: dict, names_by_type: dict[str, list[str]]) -> list:
    outputs = []
    for out in spec["output"][2:-2].split("..."):
        oid, oprop = out.rsplit(".", 1)
        if oid.startswith("{"):
            pattern = json.loads(oid)
            outputs.append([{"id": {**pattern, "name": n}, "property": oprop} for n in names_by_type[pattern["type"]]])
        else:
            outputs.append({"id": oid, "property": oprop})
    return outputs


def controls_payload(
    dependencies: list[dict],
    trigger: str,
    search: str | None = None,
    upload: dict | None = None,
    preset: str = "baseline",
) -> dict:
    """Request body for set_controls (share link, upload, preset) with every control at the preset's values.

    ``trigger`` is "url" (``search`` is the link's query), "upload" (``upload`` is the upload-data store:
    filename, size, contents) or "preset"."""
    spec = controls_callback_spec(dependencies)
    registry = load_registry()
    values = service.preset_values(preset)
    by_kind: dict[str, list[str]] = {NUMBER: [], SWITCH: [], MONTH: []}
    for s in registry:
        by_kind[control_type(s)].append(s.name)
    groups = list(dict.fromkeys(s.group for s in registry))
    prop = {NUMBER: "value", SWITCH: "checked", MONTH: "value"}

    def value(kind: str, n: str) -> Any:
        v = values[n]
        return float(v) if kind == NUMBER else bool(v) if kind == SWITCH else str(v)

    state = [
        [{"id": {"name": n, "type": kind}, "property": prop[kind], "value": value(kind, n)} for n in by_kind[kind]]
        for kind in (NUMBER, SWITCH, MONTH)
    ] + [
        {"id": "paths", "property": "data", "value": {}},
        {"id": "offstage", "property": "data", "value": offstage_values(values)},
    ]
    inputs = [
        {"id": "preset", "property": "value", "value": preset},
        {"id": "url", "property": "search", "value": search},
        {"id": "upload-data", "property": "data", "value": upload},
        {"id": "reset-all", "property": "n_clicks", "value": None},
        [{"id": {"group": g, "type": "reset-group"}, "property": "n_clicks", "value": None} for g in groups],
    ]
    changed = {"url": "url.search", "upload": "upload-data.data", "preset": "preset.value"}[trigger]
    return {
        "output": spec["output"],
        "outputs": _outputs(spec, {**by_kind, "param-number": by_kind[NUMBER]}),
        "inputs": inputs,
        "changedPropIds": [changed],
        "state": state,
    }
