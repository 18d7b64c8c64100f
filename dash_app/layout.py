"""The page: header with preset, downloads, upload and share link; controls; headline cards; views."""

from __future__ import annotations

import dash_mantine_components as dmc
from dash import dcc, html

import econ
from econ.params import load_registry

from .components.controls import controls_panel
from .service import preset_values

GRAPHS = {
    "gas": [("gas-supply", "EU27 gas supply by source"), ("gas-storage", "Storage path"),
            ("gas-shortfall", "Shortfall by country"), ("gas-coverage", "How the lost Russian gas is covered")],
    "russia": [("ruble-path", "Ruble"), ("ruble-cpi", "Inflation"), ("trade-partner", "Trade by partner"),
               ("trade-product", "Trade by product"), ("gdp-channels", "GDP by channel"), ("chip-gap", "Chips")],
}


TALL = {"gas-shortfall": "640px"}


def _graph(gid: str) -> dcc.Graph:
    return dcc.Graph(id=gid, config={"displaylogo": False}, style={"height": TALL.get(gid, "440px")})


def header() -> dmc.Stack:
    presets = [{"value": p, "label": f"{p}: {econ.load_scenario(p).title}"} for p in econ.list_presets()]
    return dmc.Stack([
        dmc.Group([
            dmc.Title("econ: sanctions on Russia and Europe's gas", order=3),
            dmc.Text("information set of February 2022; every number from the econ library", size="sm", c="dimmed"),
        ], justify="space-between"),
        dmc.Group([
            dmc.Select(id="preset", label="Preset", data=presets, value="baseline", w=460, allowDeselect=False,
                       searchable=True),
            dmc.Button("Reset all", id="reset-all", variant="light", mt=24),
            dmc.Button("Download CSV", id="dl-csv", variant="outline", mt=24),
            dmc.Button("Download Excel", id="dl-xlsx", variant="outline", mt=24),
            dmc.Button("Download scenario YAML", id="dl-yaml", variant="outline", mt=24),
            dcc.Upload(dmc.Button("Upload scenario YAML", variant="outline"), id="upload", max_size=256 * 1024,
                       accept=".yaml,.yml", style={"marginTop": 24}),
        ], align="flex-start"),
        dmc.Group([
            dmc.TextInput(id="share-link", label="Share link (holds the non-default assumptions)", readOnly=True,
                          w=760, size="xs"),
            dcc.Clipboard(target_id="share-link", title="Copy the share link", style={"fontSize": 20, "marginTop": 22}),
        ], align="flex-start"),
        dmc.Alert("", id="status", color="gray", title="Status", hide=True, withCloseButton=False),
    ], gap="xs")


def views() -> dmc.Tabs:
    def grid(key: str) -> dmc.SimpleGrid:
        return dmc.SimpleGrid([_graph(gid) for gid, _ in GRAPHS[key]], cols=2, spacing="md")

    return dmc.Tabs([
        dmc.TabsList([
            dmc.TabsTab("Europe's gas", value="gas"),
            dmc.TabsTab("Russia", value="russia"),
            dmc.TabsTab("Compare", value="compare"),
            dmc.TabsTab("Assumptions", value="assumptions"),
        ]),
        dmc.TabsPanel(grid("gas"), value="gas", pt="md"),
        dmc.TabsPanel(grid("russia"), value="russia", pt="md"),
        dmc.TabsPanel(dmc.Stack([
            dmc.Group([
                dmc.Button("Pin the current scenario", id="pin"),
                dmc.Button("Clear pinned scenarios", id="clear-pins", variant="subtle"),
                dmc.Text("Pin up to four scenarios; deltas are against the first one pinned.", size="sm", c="dimmed"),
            ]),
            html.Div(id="compare-table"),
        ]), value="compare", pt="md"),
        dmc.TabsPanel(html.Div(id="assumptions-table"), value="assumptions", pt="md"),
    ], value="gas", id="tabs")


def layout() -> dmc.MantineProvider:
    registry = load_registry()
    return dmc.MantineProvider(html.Div([
        dcc.Location(id="url", refresh=False),
        dcc.Store(id="pinned", storage_type="session", data=[]),
        dcc.Store(id="current", storage_type="memory"),
        dcc.Download(id="download"),
        dmc.Container([
            header(),
            dmc.Grid([
                dmc.GridCol(dmc.ScrollArea(controls_panel(registry, preset_values("baseline")), h="calc(100vh - 230px)",
                                           type="auto", offsetScrollbars=True), span=3),
                dmc.GridCol(dmc.Stack([html.Div(id="cards"), views()], gap="md"), span=9),
            ], gutter="lg", mt="sm"),
        ], fluid=True, py="sm"),
    ]))
