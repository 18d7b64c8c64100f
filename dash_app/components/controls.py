"""Assumption controls generated from the registry: one list of parameters, never a second."""

from __future__ import annotations

import math
from collections import OrderedDict

import dash_mantine_components as dmc
from dash import dcc, html

from econ.params import ParameterSpec, Registry, Value

NUMBER, SWITCH, MONTH = "param-number", "param-switch", "param-month"
SLIDER = "param-slider"  # moves with the number box (NUMBER), which holds the value
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


def tooltip_text(spec: ParameterSpec) -> str:
    return (
        f"{spec.description} Plausible range {spec.low} to {spec.high} ({spec.unit}); allowed "
        f"{spec.hard_range_text}. Source: {spec.source}"
    )


def range_note(spec: ParameterSpec) -> str:
    """What the slider spans and what the box accepts: the box never clips."""
    return f"slider {spec.low} to {spec.high}; type any value in {spec.hard_range_text}"


def control(spec: ParameterSpec, value: Value) -> html.Div:
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
            dmc.Tooltip(
                dmc.Badge("?", size="xs", variant="outline", radius="xl", style={"cursor": "help"}),
                label=tooltip_text(spec),
                multiline=True,
                w=380,
                withArrow=True,
                position="right",
            ),
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
            dmc.Text("", id={"type": "param-error", "name": spec.name}, size="xs", c="red"),
        ],
        className="param-control",
        **{"data-param": spec.name},
    )


def grouped(registry: Registry) -> OrderedDict[str, list[ParameterSpec]]:
    groups: OrderedDict[str, list[ParameterSpec]] = OrderedDict()
    for spec in registry:
        groups.setdefault(spec.group, []).append(spec)
    return groups


def controls_panel(registry: Registry, values: dict[str, Value]) -> dmc.Accordion:
    items, opened = [], []
    for i, (group, specs) in enumerate(grouped(registry).items()):
        if group in OPEN_GROUPS:
            opened.append(f"group-{i}")
        main = [control(s, values[s.name]) for s in specs if not s.advanced]
        advanced = [control(s, values[s.name]) for s in specs if s.advanced]
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
        body.append(
            dmc.Button(
                "Reset this group", id={"type": "reset-group", "group": group}, size="xs", variant="subtle", mt="xs"
            )
        )
        items.append(
            dmc.AccordionItem(
                [
                    dmc.AccordionControl(group),
                    dmc.AccordionPanel(dmc.Stack(body, gap="sm")),
                ],
                value=f"group-{i}",
            )
        )
    return dmc.Accordion(children=items, multiple=True, value=opened, variant="separated")
