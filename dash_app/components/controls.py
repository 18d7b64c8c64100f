"""Assumption controls generated from the registry: one list of parameters, never a second."""

from __future__ import annotations

import math
from collections import OrderedDict
from typing import Any

import dash_mantine_components as dmc
from dash import dcc, html

from econ.params import ParameterSpec, Registry, Value

NUMBER, SWITCH, MONTH = "param-number", "param-switch", "param-month"
SLIDER = "param-slider"  # moves with the number box (NUMBER), which holds the value
# The dated-path editor of a time-varying parameter: its steps (rendered from the "paths" store), and a month,
# a value and an "add" button for a new step; each step has a remove button.
PATH_STEPS, PATH_MONTH, PATH_VALUE, PATH_ADD, PATH_REMOVE, PATH_NOTE = (
    "path-steps",
    "path-month",
    "path-value",
    "path-add",
    "path-remove",
    "path-note",
)
PATH_MONTHS = 36  # months offered from the default start month (the scenario checks them against its horizon)
OPEN_GROUPS = ("Russian gas routes", "SWIFT")  # open on first load; the rest fold


def control_type(spec: ParameterSpec) -> str:
    return {"bool": SWITCH, "month": MONTH}.get(spec.type, NUMBER)


def slider_step(spec: ParameterSpec) -> float:
    if spec.type == "int":
        return 1
    span = float(spec.high) - float(spec.low)
    raw = span / 100 if span > 0 else 0.01
    return 10 ** math.floor(math.log10(raw))


def months_between(low: str, high: str) -> list[str]:
    y0, m0 = map(int, low.split("-"))
    y1, m1 = map(int, high.split("-"))
    out = []
    y, m = y0, m0
    while (y, m) <= (y1, m1):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def path_months(start: str = "2022-03", n: int = PATH_MONTHS) -> list[str]:
    """The months the path editor offers: ``n`` months from ``start``."""
    y, m = map(int, start.split("-"))
    total = y * 12 + m - 1
    return [f"{(total + k) // 12:04d}-{(total + k) % 12 + 1:02d}" for k in range(n)]


def path_editor(spec: ParameterSpec, start: str, steps: dict | None = None) -> html.Div:
    """A compact month-by-value editor: the control above holds the value before the first step; each step
    holds from its month on. The steps live in the browser's "paths" store."""
    name = spec.name
    if spec.type == "bool":
        value_box: object = dmc.Select(
            id={"type": PATH_VALUE, "name": name},
            data=[{"value": "true", "label": "on"}, {"value": "false", "label": "off"}],
            value="false",
            size="xs",
            w=80,
            allowDeselect=False,
        )
    else:
        value_box = dcc.Input(
            id={"type": PATH_VALUE, "name": name},
            type="number",
            step="any",
            placeholder="value",
            className="path-value",
            style={"width": 80},
        )
    return html.Div(
        [
            html.Div(path_steps_view(spec, steps or {}), id={"type": PATH_STEPS, "name": name}, className="path-steps"),
            html.Details(
                [
                    html.Summary("Change it over time (dated path)", className="path-summary"),
                    html.Div(
                        [
                            dmc.Select(
                                id={"type": PATH_MONTH, "name": name},
                                data=path_months(start),
                                placeholder="from month",
                                size="xs",
                                w=110,
                                searchable=True,
                            ),
                            value_box,
                            dmc.Button(
                                "Add step",
                                id={"type": PATH_ADD, "name": name},
                                size="compact-xs",
                                variant="light",
                                className="path-add-button",
                            ),
                        ],
                        className="path-add-row",
                    ),
                    dmc.Text(
                        "The control above holds the value before the first step; each step holds from its month on.",
                        size="xs",
                        c="dimmed",
                    ),
                ],
                className="path-details",
            ),
            dmc.Text("", id={"type": PATH_NOTE, "name": name}, size="xs", c="red"),
        ],
        className="path-editor",
    )


def path_steps_view(spec: ParameterSpec, steps: dict[str, Value]) -> object:
    """The steps of a parameter's dated path, one removable chip per month; nothing when it has none."""
    if not steps:
        return None
    chips = []
    for month in sorted(steps):
        value = steps[month]
        shown = ("on" if value else "off") if spec.type == "bool" else f"{value:g}"
        chips.append(
            html.Span(
                [
                    html.Span(f"from {month}: {shown}", className="path-step-text"),
                    html.Button(
                        "×",
                        id={"type": PATH_REMOVE, "name": spec.name, "month": month},
                        title=f"remove the step of {month}",
                        className="path-remove",
                    ),
                ],
                className="path-step",
                **{"data-month": month},
            )
        )
    return html.Div([html.Span("Dated path: ", className="path-label"), *chips])


def tooltip_text(spec: ParameterSpec) -> str:
    return (
        f"{spec.description} Plausible range {spec.low} to {spec.high} ({spec.unit}); allowed "
        f"{spec.hard_range_text}. Source: {spec.source}"
    )


def range_note(spec: ParameterSpec) -> str:
    """What the slider spans and what the box accepts: the box never clips."""
    return f"slider {spec.low} to {spec.high}; type any value in {spec.hard_range_text}"


def control(spec: ParameterSpec, value: Value, start: str = "2022-03", steps: dict | None = None) -> html.Div:
    kind = control_type(spec)
    cid = {"type": kind, "name": spec.name}
    if kind == SWITCH:
        widget = dmc.Switch(id=cid, checked=bool(value), label="on" if value else "off", size="sm")
    elif kind == MONTH:
        widget = dmc.Select(
            id=cid, value=str(value), data=months_between(str(spec.low), str(spec.high)), size="xs", allowDeselect=False
        )
    else:
        # The slider spans the plausible range; the box takes any value within the hard bounds (outside the
        # plausible range it runs as a stress test, with a warning), is never clipped, and holds the value.
        widget = html.Div(
            [
                html.Div(
                    dcc.Slider(
                        id={"type": SLIDER, "name": spec.name},
                        min=float(spec.low),
                        max=float(spec.high),
                        step=slider_step(spec),
                        value=min(max(float(value), float(spec.low)), float(spec.high)),
                        allow_direct_input=False,
                        marks=None,
                        updatemode="mouseup",
                    ),
                    style={"flex": 1},
                ),
                dcc.Input(
                    id=cid,
                    type="number",
                    value=value,
                    step="any",
                    debounce=True,
                    className="param-box",
                    style={"width": 90},
                ),
            ],
            style={"display": "flex", "alignItems": "center", "gap": 4},
        )
    label = dmc.Group(
        [
            dmc.Text(spec.label, size="sm", fw=500),
            # A native tooltip (the title attribute), not dmc.Tooltip: Dash 4 runs a selector over every updated
            # component's layout hash for each component marked dashChildrenUpdate (dmc.Tooltip is one) on every
            # store update, so 150 tooltips made each callback round cost seconds in the browser.
            html.Span("?", title=tooltip_text(spec), className="help-badge", tabIndex=0, role="note"),
        ],
        gap=4,
        wrap="nowrap",
    )
    return html.Div(
        [
            label,
            dmc.Text(spec.unit, size="xs", c="dimmed"),
            *([dmc.Text(range_note(spec), size="xs", c="dimmed", className="range-note")] if kind == NUMBER else []),
            widget,
            *([path_editor(spec, start, steps)] if spec.time_varying and kind in (NUMBER, SWITCH) else []),
            # The control's note (an error in red, a stress-test warning in orange): written by one clientside
            # callback from the "control-notes" store (callbacks.register), not one output per control.
            html.Div(className="param-note", **{"data-note-for": spec.name}),
        ],
        className="param-control",
        **{"data-param": spec.name},
    )


def grouped(registry: Registry) -> OrderedDict[str, list[ParameterSpec]]:
    groups: OrderedDict[str, list[ParameterSpec]] = OrderedDict()
    for spec in registry:
        groups.setdefault(spec.group, []).append(spec)
    return groups


def control_order(registry: Registry) -> list[str]:
    """The parameters in the order the panel shows them (by group, the advanced ones last in their group)."""
    return [s.name for specs in grouped(registry).values() for s in sorted(specs, key=lambda s: s.advanced)]


GROUP_BODY = "group-body"  # a control group's contents: rendered when the group is first opened


def group_body(specs: list[ParameterSpec], values: dict[str, Value], paths: dict[str, dict] | None = None) -> dmc.Stack:
    """A group's controls (its advanced ones folded) and its reset button, at ``values`` (the value a control
    holds: a dated path's base) with the steps of ``paths``."""
    paths = paths or {}
    start = str(values.get("gas.start_month", "2022-03"))
    main = [control(s, values[s.name], start, paths.get(s.name)) for s in specs if not s.advanced]
    advanced = [control(s, values[s.name], start, paths.get(s.name)) for s in specs if s.advanced]
    body = main + (
        [
            dmc.Accordion(
                children=[
                    dmc.AccordionItem(
                        [
                            dmc.AccordionControl(dmc.Text(f"Advanced ({len(advanced)})", size="sm")),
                            dmc.AccordionPanel(advanced),
                        ],
                        value="advanced",
                    )
                ],
                variant="contained",
            )
        ]
        if advanced
        else []
    )
    group = specs[0].group
    body.append(
        dmc.Button("Reset this group", id={"type": "reset-group", "group": group}, size="xs", variant="subtle", mt="xs")
    )
    return dmc.Stack(body, gap="sm")


def group_key(i: int) -> str:
    return f"group-{i}"


def controls_panel(registry: Registry, values: dict[str, Value]) -> dmc.Accordion:
    """The controls by group. Only the groups open at first (OPEN_GROUPS) are rendered with the page; a folded
    group's controls are rendered when it is first opened (callbacks.register): 150 controls rendered up front
    kept the first page from being usable for seconds. A parameter without a rendered control takes its value
    from the "offstage" store (every parameter's value, kept by the callbacks that set the controls)."""
    items, opened = [], []
    for i, (group, specs) in enumerate(grouped(registry).items()):
        key = group_key(i)
        rendered = group in OPEN_GROUPS
        if rendered:
            opened.append(key)
        items.append(
            dmc.AccordionItem(
                [
                    dmc.AccordionControl(group),
                    dmc.AccordionPanel(
                        html.Div(group_body(specs, values) if rendered else None, id={"type": GROUP_BODY, "group": key})
                    ),
                ],
                value=key,
            )
        )
    return dmc.Accordion(children=items, multiple=True, value=opened, variant="separated", id="controls-accordion")


def groups_by_key(registry: Registry) -> dict[str, list[ParameterSpec]]:
    return {group_key(i): specs for i, specs in enumerate(grouped(registry).values())}


def initially_rendered(registry: Registry) -> list[str]:
    """The keys of the groups the page renders with its first load."""
    return [group_key(i) for i, group in enumerate(grouped(registry)) if group in OPEN_GROUPS]


def offstage_values(values: dict[str, Any]) -> dict[str, Any]:
    """Every parameter's value as its control holds it: a dated path's base (its steps live in the "paths"
    store), a switch's bool, a month's text, a number."""
    out: dict[str, Any] = {}
    for name, v in values.items():
        v = getattr(v, "base", v)  # a DatedPath
        out[name] = v if isinstance(v, (bool, int, float)) else str(v)
    return out
