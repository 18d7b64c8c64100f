"""The page: header with preset, downloads, upload and share link; controls; headline cards; views."""

from __future__ import annotations

import secrets

import dash
import dash_mantine_components as dmc
import plotly.graph_objects as go
from dash import dcc, html

import econ
from econ.metrics import featured
from econ.params import load_registry

from .components.alerts import page_alert
from .components.controls import controls_panel, initially_rendered, offstage_values
from .service import metric_labels, preset_values

CARD_METRICS = featured("card")  # declared in econ/metrics.py
# Few and small: each draw is a full model run in the request's background process.
DRAW_CHOICES = (20, 50, 100, 200)
DEFAULT_DRAWS = 100
DEFAULT_TORNADO_METRIC = "rub_usd_peak"
UNCERTAINTY_SEED = 1  # fixed, so the same assumptions and number of draws always give the same bands

GRAPHS = {
    "gas": [
        ("gas-supply", "EU27 gas supply by source"),
        ("gas-storage", "Storage path"),
        ("gas-shortfall", "Shortfall by country"),
        ("gas-coverage", "How the lost Russian gas is covered"),
        ("gas-prices", "Prices"),
        ("gas-peak", "Peak day (N-1)"),
    ],
    "russia": [
        ("ruble-path", "Ruble"),
        ("ruble-cpi", "Inflation"),
        ("trade-partner", "Trade by partner"),
        ("trade-product", "Trade by product"),
        ("gdp-channels", "GDP by channel"),
        ("chip-gap", "Chips"),
        ("energy-revenue", "Energy revenue"),
        ("sector-output", "Sector output"),
        ("fx-flows", "FX market flows"),
    ],
}


TALL = {"gas-shortfall": "640px", "fx-flows": "760px", "gas-peak": "640px"}
WIDE = {"fx-flows"}  # eleven flows in its legend: the chart takes the full width

# The landing: the questions the tool answers, each opening a preset and the view that answers it.
QUESTIONS = (
    ("How short is Europe on gas if Russia cuts?", "russia_gas_cutoff", "gas"),
    ("What does a SWIFT cut do to the ruble?", "swift_full", "russia"),
    ("What do chip controls do to Russia's output?", "chip_controls", "russia"),
    ("What does the full package cost each side?", "full_package", "costs"),
)


def landing() -> dmc.Paper:
    """A first step: four questions, each a button that loads its preset and opens its view."""
    buttons = [
        dmc.Button(
            question,
            id={"type": "question", "index": k},
            variant="light",
            size="sm",
            className="question",
            **{"data-preset": preset, "data-tab": tab},
        )
        for k, (question, preset, tab) in enumerate(QUESTIONS)
    ]
    return dmc.Paper(
        [
            dmc.Text("Start with a question", fw=700, size="sm"),
            dmc.Text(
                "Each loads a preset scenario and opens the view that answers it; then move any assumption on the "
                "left and every number follows.",
                size="xs",
                c="dimmed",
            ),
            html.Div(buttons, className="questions"),
        ],
        withBorder=True,
        p="xs",
        radius="md",
        id="landing",
    )


def _graph(gid: str) -> dcc.Graph:
    return dcc.Graph(id=gid, config={"displaylogo": False}, style={"height": TALL.get(gid, "440px")})


def header() -> dmc.Stack:
    presets = [{"value": p, "label": econ.load_scenario(p).title} for p in econ.list_presets()]
    return dmc.Stack(
        [
            dmc.Group(
                [
                    dmc.Title("econ: sanctions on Russia and Europe's gas", order=3),
                    dmc.Text(
                        "information set of February 2022; every number from the econ library", size="sm", c="dimmed"
                    ),
                ],
                justify="space-between",
            ),
            dmc.Group(
                [
                    dmc.Select(
                        id="preset",
                        label="Preset",
                        data=presets,
                        value="baseline",
                        w="min(460px, 52vw)",
                        allowDeselect=False,
                        searchable=True,
                    ),
                    dmc.Button("Reset all", id="reset-all", variant="light", mt=24),
                    dmc.Menu(
                        [
                            dmc.MenuTarget(dmc.Button("Download ▾", variant="outline", id="dl-menu", mt=24)),
                            dmc.MenuDropdown(
                                [
                                    dmc.MenuItem("Brief (HTML: headline, charts, assumptions, sources)", id="dl-brief"),
                                    dmc.MenuItem("Tables (CSV, zip)", id="dl-csv"),
                                    dmc.MenuItem("Tables (Excel)", id="dl-xlsx"),
                                    dmc.MenuItem("Scenario (YAML, for econ run or upload)", id="dl-yaml"),
                                ]
                            ),
                        ],
                        position="bottom-start",
                    ),
                    # No max_size: the browser would drop a bigger file without a word. A clientside callback
                    # holds back a file over the limit and the server says so (callbacks.register).
                    dcc.Upload(
                        dmc.Button("Upload scenario YAML", variant="outline"),
                        id="upload",
                        max_size=-1,
                        accept=".yaml,.yml",
                        style={"marginTop": 24},
                    ),
                ],
                align="flex-start",
            ),
            dmc.Group(
                [
                    dmc.TextInput(
                        id="share-link",
                        label="Share link (holds the non-default assumptions)",
                        readOnly=True,
                        w="min(760px, 80vw)",
                        size="xs",
                    ),
                    dcc.Clipboard(
                        target_id="share-link", title="Copy the share link", style={"fontSize": 20, "marginTop": 22}
                    ),
                ],
                align="flex-start",
            ),
            page_alert(),
        ],
        gap="xs",
    )


def _placeholder(text: str) -> go.Figure:
    """An empty chart that says what will appear once the analysis has run."""
    fig = go.Figure()
    fig.update_layout(
        template="plotly_white",
        xaxis_visible=False,
        yaxis_visible=False,
        height=300,
        annotations=[
            {
                "text": text,
                "showarrow": False,
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 0.5,
                "font": {"size": 14, "color": "#868e96"},
            }
        ],
    )
    return fig


UNCERTAINTY_TEXT = (
    "Both analyses start from the current assumptions: the preset and every control you changed. "
    f"Monte Carlo: Latin-hypercube draws (seed {UNCERTAINTY_SEED}) of every uncertain parameter, each from its "
    "distribution in the registry (uniform, triangular or PERT with its mode at the current value) within its "
    "low-high range; every headline metric is recomputed for each draw. Tornado: one parameter at a time moved "
    "to its low and to its high, the others held at their current values. Each draw or swing is a full model run, "
    "so 100 draws and the tornado take some seconds. Once a run is done, each headline card shows its metric's "
    "p5-p95 range until an assumption changes."
)


def uncertainty_panel() -> dmc.Stack:
    labels = metric_labels()
    return dmc.Stack(
        [
            dmc.Text(UNCERTAINTY_TEXT, size="sm", c="dimmed", maw=1100),
            dmc.Group(
                [
                    dmc.Stack(
                        [
                            dmc.Text("Monte Carlo draws", size="sm", fw=500),
                            dmc.SegmentedControl(
                                id="uq-draws", data=[str(n) for n in DRAW_CHOICES], value=str(DEFAULT_DRAWS)
                            ),
                        ],
                        gap=4,
                    ),
                    dmc.Select(
                        id="uq-metric",
                        label="Tornado metric",
                        w=420,
                        allowDeselect=False,
                        data=[{"value": m, "label": labels[m]} for m in CARD_METRICS],
                        value=DEFAULT_TORNADO_METRIC,
                    ),
                    dmc.Button("Run uncertainty analysis", id="uq-run", mt=24),
                    dmc.Button("Cancel", id="uq-cancel", variant="outline", color="red", disabled=True, mt=24),
                ],
                align="flex-start",
            ),
            html.Div(
                [
                    dmc.Progress(id="uq-progress", value=0, size="lg", animated=True, striped=True),
                    dmc.Text("", id="uq-progress-text", size="xs", c="dimmed"),
                ],
                id="uq-progress-box",
                style={"display": "none"},
            ),
            dmc.Alert("", id="uq-stale", title="Out of date", color="yellow", hide=True),
            # Full width: the tornado's bars are labelled with the parameters' (long) names.
            dcc.Graph(
                id="uq-tornado",
                figure=_placeholder("Run the analysis to see the tornado"),
                config={"displaylogo": False},
            ),
            dmc.Grid(
                [
                    dmc.GridCol(
                        dcc.Graph(
                            id="uq-histograms",
                            config={"displaylogo": False},
                            figure=_placeholder("Run the analysis to see the distributions"),
                        ),
                        span=5,
                    ),
                    dmc.GridCol(html.Div(id="uq-table"), span=7),
                ],
                gutter="md",
            ),
        ],
        gap="sm",
    )


def topojson_url() -> str:
    """Where plotly reads the map's geometry: the app's own assets folder (under any path prefix)."""
    try:
        return dash.get_asset_url("topojson/")
    except (AttributeError, KeyError):  # outside a running app (tests build the layout alone)
        return "/assets/topojson/"


MAP_CHOICES = (
    ("unserved_pct", "Unserved gas"),
    ("storage_nov1_pct", "Storage on 1 November"),
    ("price_eur_mwh", "Gas price"),
    ("gdp_change_pct", "GDP change"),
)


def europe_map() -> html.Div:
    """The map of Europe (res.figures.europe_map) with its metric; plotly reads the map's geometry from the
    app's own assets (assets/topojson), never from a CDN."""
    return html.Div(
        [
            dmc.SegmentedControl(
                id="map-metric",
                data=[{"value": v, "label": t} for v, t in MAP_CHOICES],
                value=MAP_CHOICES[0][0],
                size="xs",
            ),
            dcc.Graph(
                id="gas-map",
                config={"displaylogo": False, "topojsonURL": topojson_url()},
                style={"height": "520px"},
            ),
        ]
    )


EUROPE_BAND_DRAWS = 200


def europe_bands_panel() -> dmc.Paper:
    """Europe's GDP change by country with p5-p95 bands: a Monte Carlo run on demand (a button, never on a slider
    move), drawn by res.figures.eu_gdp_bands."""
    return dmc.Paper(
        [
            dmc.Group(
                [
                    dmc.Stack(
                        [
                            dmc.Text("How sure is each country's GDP change?", fw=700, size="sm"),
                            dmc.Text(
                                f"{EUROPE_BAND_DRAWS} Latin-hypercube draws (seed {UNCERTAINTY_SEED}) of every uncertain "
                                "parameter around the current assumptions; each draw is a model run, so this takes "
                                "some seconds.",
                                size="xs",
                                c="dimmed",
                            ),
                        ],
                        gap=2,
                        style={"flex": "1 1 320px"},
                    ),
                    dmc.Button(f"Run p5–p95 bands ({EUROPE_BAND_DRAWS} draws)", id="eu-bands-run", size="sm"),
                ],
                justify="space-between",
                align="flex-start",
            ),
            html.Div(
                [
                    dmc.Progress(id="eu-bands-progress", value=0, size="md", animated=True, striped=True),
                    dmc.Text("", id="eu-bands-progress-text", size="xs", c="dimmed"),
                ],
                id="eu-bands-progress-box",
                style={"display": "none"},
            ),
            dmc.Alert("", id="eu-bands-stale", title="Out of date", color="yellow", hide=True),
            dmc.Text("", id="eu-bands-status", size="xs", c="dimmed"),
            # the chart is made when the bands are first run (callbacks.bands_graph): none to draw on the first page
            html.Div(
                dmc.Text("Run the bands to see each country's p5–p95 range.", size="sm", c="dimmed"),
                id="europe-bands-box",
            ),
        ],
        withBorder=True,
        p="xs",
        radius="md",
        id="europe-bands-panel",
    )


def views() -> dmc.Tabs:
    def grid(key: str) -> dmc.Stack:
        """Half-width charts two abreast on wide windows; a chart with a long legend (WIDE) on a row of its own."""
        half = [_graph(gid) for gid, _ in GRAPHS[key] if gid not in WIDE]
        wide = [_graph(gid) for gid, _ in GRAPHS[key] if gid in WIDE]
        return dmc.Stack([*wide, dmc.SimpleGrid(half, cols={"base": 1, "lg": 2}, spacing="md")], gap="md")

    return dmc.Tabs(
        [
            dmc.TabsList(
                [
                    dmc.TabsTab("Europe's gas", value="gas"),
                    dmc.TabsTab("Russia", value="russia"),
                    dmc.TabsTab("Europe's cost", value="europe"),
                    dmc.TabsTab("Costs to each side", value="costs"),
                    dmc.TabsTab("Compare", value="compare"),
                    dmc.TabsTab("Assumptions", value="assumptions"),
                    dmc.TabsTab("Uncertainty", value="uncertainty"),
                ]
            ),
            dmc.TabsPanel(dmc.Stack([europe_map(), grid("gas")], gap="sm"), value="gas", pt="md"),
            dmc.TabsPanel(grid("russia"), value="russia", pt="md"),
            dmc.TabsPanel(
                dmc.Stack([html.Div(id="europe-view"), europe_bands_panel()], gap="sm"), value="europe", pt="md"
            ),
            dmc.TabsPanel(html.Div(id="costs-view"), value="costs", pt="md"),
            dmc.TabsPanel(
                dmc.Stack(
                    [
                        dmc.Group(
                            [
                                dmc.Button("Pin the current scenario", id="pin"),
                                dmc.Button("Clear pinned scenarios", id="clear-pins", variant="subtle"),
                                dmc.Text(
                                    "Pin up to four scenarios; deltas are against the first one pinned.",
                                    size="sm",
                                    c="dimmed",
                                ),
                            ]
                        ),
                        html.Div(id="compare-table"),
                    ]
                ),
                value="compare",
                pt="md",
            ),
            dmc.TabsPanel(html.Div(id="assumptions-table"), value="assumptions", pt="md"),
            dmc.TabsPanel(uncertainty_panel(), value="uncertainty", pt="md"),
        ],
        value="gas",
        id="tabs",
    )


def layout() -> dmc.MantineProvider:
    registry = load_registry()
    return dmc.MantineProvider(
        html.Div(
            [
                dcc.Location(id="url", refresh=False),
                dcc.Store(id="pinned", storage_type="session", data=[]),
                dcc.Store(id="current", storage_type="memory"),
                # The fingerprint of each chart the page shows (callbacks.views_for): a chart whose inputs did
                # not change is neither rebuilt nor sent again.
                dcc.Store(id="figure-keys", storage_type="memory", data={}),
                dcc.Store(id="map-key", storage_type="memory"),  # the same for the map (callbacks.map_figure)
                # Every parameter's value as its control holds it (a dated path's base): the value of a parameter
                # whose control group has not been opened yet (controls.controls_panel); the set_controls
                # callback keeps it, run_scenario reads it under the rendered controls' values.
                dcc.Store(id="offstage", storage_type="memory", data=offstage_values(preset_values("baseline"))),
                dcc.Store(id="rendered-groups", storage_type="memory", data=initially_rendered(registry)),
                # The note under each control that has one: {name: {"text", "kind"}} (callbacks.control_notes).
                dcc.Store(id="control-notes", storage_type="memory", data={}),
                # The dated paths of time-varying parameters: {name: {"YYYY-MM": value, ...}}; the control holds
                # the value before the first step.
                dcc.Store(id="paths", storage_type="memory", data={}),
                # The last uncertainty run's summary and the assumptions it was run for (for the cards' p5-p95 bands).
                dcc.Store(id="uncertainty", storage_type="memory"),
                # The assumptions the Europe bands were last run for (callbacks.europe_bands_outputs).
                dcc.Store(id="eu-bands-for", storage_type="memory"),
                # A random token per page load: it goes into the background job's arguments, whose hash is the job's
                # cache key, so two sessions running the same analysis at once never share (and steal) a job's result.
                dcc.Store(id="page-token", storage_type="memory", data=secrets.token_urlsafe(12)),
                dcc.Download(id="download"),
                # An upload as the browser read it: {filename, size, contents (None when over the limit)}.
                dcc.Store(id="upload-data", storage_type="memory"),
                dmc.Container(
                    [
                        header(),
                        dmc.Grid(
                            [
                                # Sticky beside the results: the controls stay in view while the results scroll.
                                dmc.GridCol(
                                    dmc.ScrollArea(
                                        controls_panel(registry, preset_values("baseline")),
                                        h="calc(100vh - 16px)",
                                        type="auto",
                                        offsetScrollbars=True,
                                    ),
                                    span={"base": 5, "md": 4, "xl": 3},
                                    className="controls-col",
                                ),
                                dmc.GridCol(
                                    dmc.Stack(
                                        [
                                            landing(),
                                            html.Div(id="scenario-notes", className="scenario-notes"),
                                            html.Div(id="cards"),
                                            views(),
                                        ],
                                        gap="sm",
                                    ),
                                    span={"base": 7, "md": 8, "xl": 9},
                                ),
                            ],
                            gutter="lg",
                            mt="sm",
                        ),
                    ],
                    fluid=True,
                    py="sm",
                ),
            ]
        )
    )
