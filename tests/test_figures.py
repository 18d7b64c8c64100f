"""Every figure builder carries a source line; flat series get sensible axes; categories show human names."""

from __future__ import annotations

import inspect
import math

import numpy as np
import pandas as pd
import pytest

import econ
from econ.figures import Figures, sensible_axes
from econ.formatting import format_number
from econ.labels import label

BUILDERS = [name for name, fn in inspect.getmembers(Figures, inspect.isfunction) if not name.startswith("_")]


@pytest.fixture(scope="module")
def package():
    return econ.run("full_package")


def _sources(fig):
    return [a.text for a in fig.layout.annotations if (a.text or "").startswith("Source: ")]


BANDS = pd.DataFrame({"country": ["DE", "IT", "FR"], "p5": [-2.5, -3.6, -0.7], "p50": [-2.0, -3.0, -0.5],
                      "p95": [-1.6, -2.5, -0.3]})  # fmt: skip
# builders that take what a single run does not hold (a Monte Carlo's bands)
ARGS = {"eu_gdp_bands": (BANDS,)}


@pytest.mark.parametrize("builder", BUILDERS)
def test_every_figure_builder_carries_a_source_line(package, builder):
    fig = getattr(package.figures, builder)(*ARGS.get(builder, ()))
    (line,) = _sources(fig)
    line = line.replace("<br>", " ")  # wrapped to fit a half-width chart
    assert f"scenario '{package.scenario.title}'" in line and "Data: " in line


def test_a_flat_series_gets_a_range_around_its_level_not_its_noise():
    import plotly.graph_objects as go

    fig = sensible_axes(go.Figure(go.Scatter(x=[1, 2, 3], y=[8.73, 8.73 + 1e-13, 8.73 - 1e-13])))
    lo, hi = fig.layout.yaxis.range
    assert lo == pytest.approx(8.73 - 0.873) and hi == pytest.approx(8.73 + 0.873)
    moving = sensible_axes(go.Figure(go.Scatter(x=[1, 2], y=[1.0, 2.0])))
    assert moving.layout.yaxis.range is None  # a series that moves keeps plotly's own range


def test_baseline_inflation_chart_is_not_a_zigzag_of_noise():
    fig = econ.run("baseline").figures.cpi()
    assert fig.layout.yaxis.range is not None


def test_trade_charts_show_human_partner_names(package):
    fig = package.figures.trade_by_partner()
    names = set(fig.data[0].y)  # horizontal bars: the names read across
    assert "Other coalition" in names and "Eurasian Economic Union" in names
    assert not any("_" in n for n in names)
    assert label("other_coalition") == "Other coalition" and label("unknown_id") == "Unknown id"


def test_every_builder_draws_the_baseline_as_a_ghost():
    import econ

    base, cut = econ.run("baseline"), econ.run("russia_gas_cutoff")
    for name in ("gas_supply", "storage", "shortfall_by_country", "ruble_path", "cpi", "trade_by_partner", "chip_gap"):
        plain = getattr(cut.figures, name)()
        ghosted = getattr(cut.figures, name)(baseline=base)
        ghosts = [t for t in ghosted.data if t.legendgroup == "ghost"]
        assert ghosts, name
        assert len(ghosted.data) == len(plain.data) + len(ghosts), name
        assert ghosts[0].name.startswith("Baseline"), name
        assert any("Source:" in a.text for a in ghosted.layout.annotations), name


def test_the_ghost_carries_the_reference_values():
    import econ

    base, cut = econ.run("baseline"), econ.run("russia_gas_cutoff")
    fig = cut.figures.storage(baseline=base, baseline_name="Pinned: x")
    ghost = next(t for t in fig.data if t.legendgroup == "ghost")
    st = base.tables["gas_storage"].groupby("month")[["level_bcm", "working_gas_bcm"]].sum()
    assert list(ghost.y) == pytest.approx(list(100 * st.level_bcm / st.working_gas_bcm))
    assert ghost.name == "Pinned: x"
    # stacked bars: the ghost is the reference's stacked total
    supply = cut.figures.gas_supply(baseline=base)
    total = next(t for t in supply.data if t.legendgroup == "ghost" and "total" in t.name)
    ref = base.figures.gas_supply()
    bars = [t for t in ref.data if t.type == "bar"]
    assert total.y[0] == pytest.approx(sum(t.y[0] for t in bars))


def test_no_ghost_without_a_reference():
    import econ

    res = econ.run("baseline")
    assert not [t for t in res.figures.ruble_path().data if t.legendgroup == "ghost"]


def test_europe_map_is_a_choropleth_over_the_gas_nodes_with_a_source_line():
    import econ
    from econ.figures import ISO3, MAP_METRICS

    res = econ.run("russia_gas_cutoff")
    fig = res.figures.europe_map("unserved_pct")
    trace = fig.data[0]
    assert trace.type == "choropleth" and trace.locationmode == "ISO-3"
    summary = res.tables["gas_country_summary"].set_index("country")
    assert list(trace.locations) == [ISO3[c] for c in summary.index]
    assert list(trace.z) == pytest.approx(list(summary.unserved_pct))
    assert fig.layout.geo.scope == "europe"
    assert any("Source:" in a.text for a in fig.layout.annotations)
    storage = res.figures.europe_map("storage_nov1_pct").data[0]
    assert list(storage.z) == pytest.approx(list(summary.storage_fill_nov1_pct))
    # a table the model does not produce yet: an empty map that says so, no invented data
    for metric in ("price_eur_mwh", "gdp_change_pct"):
        if MAP_METRICS[metric]["table"] not in res.tables:
            fig = res.figures.europe_map(metric)
            assert len(fig.data[0].z) == 0
            assert any("not available" in a.text for a in fig.layout.annotations)
    with pytest.raises(econ.EconError if hasattr(econ, "EconError") else Exception, match="unknown metric"):
        res.figures.europe_map("nonsense")


def test_views_of_future_tables_say_they_are_not_there_yet_and_draw_them_when_they_are():
    from dataclasses import replace

    import pandas as pd

    import econ

    res = econ.run("full_package")
    for name, table in (
        ("gas_prices", "gas_prices"),
        ("energy_revenue", "russia_energy_revenue"),
        ("sector_output", "sector_output"),
    ):
        if table in res.tables:
            continue
        fig = getattr(res.figures, name)()
        assert any("Not available in this version" in a.text for a in fig.layout.annotations), name
    tables = dict(res.tables)
    tables["gas_prices"] = pd.DataFrame(
        {"country": ["DE", "DE", "FR", "FR"], "month": ["2022-03", "2022-04"] * 2, "price_eur_mwh": [100, 120, 90, 110]}
    )
    tables["sector_output"] = pd.DataFrame(
        {
            "sector": ["autos", "autos", "oil"],
            "month": ["2022-03", "2022-04", "2022-03"],
            "output_change_pct": [-10, -20, 0],
        }
    )
    fake = replace(res, tables=tables)  # Results is a dataclass: the same run with the future tables
    prices = fake.figures.gas_prices()
    avg = next(t for t in prices.data if t.name == "EU average")
    assert list(avg.y) == [95, 115]
    sectors = fake.figures.sector_output()
    assert list(sectors.data[0].x) == [-15, 0]


def _with_tables(res, **tables):
    from dataclasses import replace

    return replace(res, tables={**res.tables, **tables})


EU_GDP = pd.DataFrame(
    {
        "country": ["DE", "IT", "FR"],
        "gdp_change_pct": [-2.0, -3.0, -0.5],
        "rationing_pct": [-1.2, -2.0, 0.0],
        "price_pct": [-0.8, -0.7, -0.5],
    }
)
LEDGER = pd.DataFrame(
    {
        "party": ["russia", "russia", "eu27", "eu27"],
        "channel": ["trade", "finance", "trade", "energy"],
        "value_bn_usd": [-80.0, -40.0, -30.0, -120.0],
        "value_pct_gdp": [-4.8, -2.4, -0.2, -0.8],
        "note": ["lost exports", "", "lost exports", "higher gas bills"],
    }
)


def test_europe_gdp_by_country_ranks_countries_with_their_channels_stacked(package):
    fig = _with_tables(package, eu_gdp_by_country=EU_GDP).figures.eu_gdp_by_country()
    bars = {t.name: t for t in fig.data if t.type == "bar"}
    # ranked: the worst (Italy, -3.0) last, so at the top of a horizontal chart; names, never ISO codes
    assert list(bars["Gas rationing"].y) == ["France", "Germany", "Italy"]
    assert list(bars["Gas rationing"].x) == [0.0, -1.2, -2.0] and list(bars["Energy prices"].x) == [-0.5, -0.8, -0.7]
    # what the two channels leave: Italy -3.0 - (-2.0) - (-0.7) = -0.3; the others none
    assert list(bars["Other channels"].x) == pytest.approx([0.0, 0.0, -0.3])
    total = next(t for t in fig.data if t.type == "scatter")
    assert list(total.x) == [-0.5, -2.0, -3.0] and fig.layout.barmode == "relative"
    assert _sources(fig)


def test_europe_map_shows_gdp_change_when_the_table_is_there(package):
    fig = _with_tables(package, eu_gdp_by_country=EU_GDP).figures.europe_map("gdp_change_pct")
    (choropleth,) = fig.data
    assert list(choropleth.locations) == ["DEU", "ITA", "FRA"] and list(choropleth.z) == [-2.0, -3.0, -0.5]
    assert choropleth.text[0] == "Germany: -2.00"


def test_the_ledger_is_a_two_sided_bar_by_party_and_channel(package):
    fig = _with_tables(package, cost_ledger=LEDGER).figures.cost_ledger()
    bars = {t.name: t for t in fig.data if t.type == "bar"}
    assert set(bars) == {"Trade", "Finance", "Energy"}
    assert list(bars["Trade"].y) == ["Russia", "EU27"] and list(bars["Trade"].x) == [-80.0, -30.0]
    assert list(bars["Energy"].x)[1] == -120.0 and math.isnan(list(bars["Energy"].x)[0])  # Russia has no energy row
    assert bars["Trade"].customdata[0] == "-80.0 USD bn (-4.80 % of GDP); lost exports"
    assert fig.layout.barmode == "relative" and _sources(fig)


def test_the_fx_flows_clear_the_market_each_month(package):
    """The stacked flows are the FX market's clearing condition (methodology, ruble section): supply from the
    current account and central-bank sales equals private outflows, so with signs they sum to zero each month;
    a flipped sign would leave twice that flow."""
    fig = package.figures.fx_flows()
    bars = [t for t in fig.data if t.type == "bar"]
    assert len(bars) >= 10
    total = np.sum([np.asarray(t.y, dtype=float) for t in bars], axis=0)
    assert np.abs(total).max() < 1e-9
    imports = next(t for t in bars if t.name == "Import payments")
    assert (np.asarray(imports.y) < 0).all()  # a demand for foreign currency, below zero
    rate = next(t for t in fig.data if t.type == "scatter")
    assert rate.yaxis == "y2" and list(rate.y) == list(package.tables["ruble_path"].usd_rub)


def test_hovers_use_the_one_number_format(package):
    fig = package.figures.trade_by_partner()
    bar = fig.data[0]
    # decimals by the trace's typical size, as format_number picks them (and an Excel column's format)
    size = float(np.median(np.abs(np.asarray(bar.x, dtype=float))))
    decimals = len(format_number(size).split(".")[1]) if "." in format_number(size) else 0
    assert f"%{{x:,.{decimals}f}} % vs 2021" in bar.hovertemplate
    ghosted = package.figures.ruble_path(baseline=econ.run("baseline"))
    ghost = next(t for t in ghosted.data if t.legendgroup == "ghost")
    assert ghost.hovertemplate.startswith("Baseline<br>") and ":,.1f} RUB per USD" in ghost.hovertemplate


def test_europe_gdp_by_country_stacks_the_trade_channel_when_the_table_has_it(package):
    table = EU_GDP.assign(trade_pct=[-0.1, 0.0, -0.2])
    fig = _with_tables(package, eu_gdp_by_country=table).figures.eu_gdp_by_country()
    bars = {t.name: t for t in fig.data if t.type == "bar"}
    assert list(bars["Lost exports to Russia"].x) == [-0.2, -0.1, 0.0]  # France, Germany, Italy
    # what the three channels leave: France -0.5 - 0 - (-0.5) - (-0.2) = +0.2; Germany +0.1; Italy -0.3
    assert list(bars["Other channels"].x) == pytest.approx([0.2, 0.1, -0.3])


# ---- what each builder reads (econ.figures.READS), and the fingerprint the app skips unchanged charts by


class _Recording(dict):
    """A mapping that records the keys read from it."""

    def __init__(self, data, seen, prefix=""):
        super().__init__(data)
        self.seen, self.prefix = seen, prefix

    def __getitem__(self, key):
        self.seen.add(self.prefix + key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.seen.add(self.prefix + key)
        return super().get(key, default)

    def __contains__(self, key):
        self.seen.add(self.prefix + key)
        return super().__contains__(key)


def _reads(res, builder):
    """What ``builder`` reads of a run: its tables, the scenario's parameters and the modules' outputs."""
    from dataclasses import replace
    from types import SimpleNamespace

    seen: set[str] = set()
    scenario = SimpleNamespace(
        name=res.scenario.name, title=res.scenario.title, params=_Recording(dict(res.scenario.params), seen, "param:")
    )
    modules = {
        m: SimpleNamespace(outputs=_Recording(dict(r.outputs), seen, f"output:{m}."), tables=r.tables)
        for m, r in res.modules.items()
    }
    fake = replace(res, tables=_Recording(dict(res.tables), seen), scenario=scenario, modules=modules)
    getattr(fake.figures, builder)(*ARGS.get(builder, ()))
    return seen


@pytest.mark.parametrize("builder", [b for b in BUILDERS if b != "europe_map"])
def test_each_builder_reads_only_what_reads_declares(package, builder):
    """The app skips a chart whose fingerprint (the hash of what READS lists) is unchanged: a builder reading
    anything not listed there would leave a stale chart on the page."""
    from econ.figures import READS

    assert _reads(package, builder) <= set(READS[builder]), builder


def test_the_fingerprint_follows_the_tables_a_figure_reads():
    from econ.figures import figure_fingerprint

    base = econ.run("baseline")
    swift = econ.run(base.scenario.with_overrides({"swift.excluded_payment_share": 0.9}, name="baseline"))
    # SWIFT leaves the gas market alone (same tables, same title): the gas chart's fingerprint is unchanged ...
    assert figure_fingerprint(base, "gas_supply") == figure_fingerprint(swift, "gas_supply")
    assert swift.tables["gas_balance"].equals(base.tables["gas_balance"])
    # ... and the ruble's moves with it
    assert figure_fingerprint(base, "ruble_path") != figure_fingerprint(swift, "ruble_path")
    # the ghost and the title are part of it
    assert figure_fingerprint(base, "gas_supply", "ghost a") != figure_fingerprint(base, "gas_supply", "ghost b")
    cut = econ.run("russia_gas_cutoff")
    assert figure_fingerprint(base, "gas_supply") != figure_fingerprint(cut, "gas_supply")
    # a parameter the builder reads beyond its tables
    target = base.scenario.with_overrides({"gas.storage.target_fill": 0.7}, name="baseline")
    assert figure_fingerprint(base, "storage") != figure_fingerprint(econ.run(target), "storage")


# ---- round ticks (the FX-flows chart's rate axis)


@pytest.mark.parametrize(
    ("values", "step", "first"),
    [([72.3, 120.4], 10.0, 70.0), ([100.0, 104.0], 1.0, 100.0), ([1.0, 2.1], 0.25, 1.0), ([76.1, 83.4], 2.0, 76.0)],
)
def test_round_ticks_are_round(values, step, first):
    from econ.figures import round_ticks

    ticks = round_ticks(values)
    assert ticks["dtick"] == pytest.approx(step) and ticks["tick0"] == pytest.approx(first)
    assert ticks["tickmode"] == "linear"
    # 4 to 10 ticks over the data, each printed with just the step's decimals
    assert 3 <= (max(values) - min(values)) / step <= 10
    assert ticks["tickformat"] == f",.{len(str(step).rstrip('0').rstrip('.').split('.')[1]) if step % 1 else 0}f"


def test_a_flat_rate_gets_a_range_around_its_level():
    from econ.figures import round_ticks

    ticks = round_ticks([84.0, 84.0])
    lo, hi = ticks["range"]
    assert lo < 84.0 < hi and ticks["dtick"] in (1.0, 2.0, 2.5, 5.0, 10.0, 20.0)


def test_the_fx_rate_axis_has_round_ticks(package):
    fig = package.figures.fx_flows()
    axis = fig.layout.yaxis2
    rate = package.tables["ruble_path"].usd_rub
    assert axis.tickmode == "linear" and axis.side == "right"
    mantissa = axis.dtick / 10 ** math.floor(math.log10(axis.dtick))
    assert mantissa in (1.0, 2.0, 2.5, 5.0)
    assert axis.tick0 % axis.dtick == pytest.approx(0.0, abs=1e-9) or axis.tick0 % axis.dtick == pytest.approx(
        axis.dtick
    )
    assert 2 <= (rate.max() - rate.min()) / axis.dtick <= 10 or axis.range is not None


# ---- the peak-day view (table gas_peak_day, docs/methodology.md 5a)


def test_the_peak_day_view_ranks_the_worst_month_against_the_100_line():
    res = econ.run("russia_gas_cutoff")
    t = res.tables["gas_peak_day"]
    fig = res.figures.gas_peak_day()
    (bar,) = [d for d in fig.data if d.type == "bar"]
    worst = t.groupby("country")["n_minus_1_pct"].min().sort_values()
    # every member state once, ranked (the worst at the bottom of a horizontal chart), by its worst winter month
    from econ.labels import country_name

    # each country labelled with its value (in the one number format)
    assert list(bar.y) == [country_name(c) for c in worst.index]  # the worst first (at the top: reversed axis)
    assert fig.layout.yaxis.autorange == "reversed" and list(fig.layout.yaxis.tickvals) == list(bar.y)
    assert list(fig.layout.yaxis.ticktext) == [f"{country_name(c)}  {format_number(v)} %" for c, v in worst.items()]
    assert list(bar.x) == pytest.approx(list(worst.values))
    # red below the standard, green at or above it
    below = worst.values < 100
    assert [c == "#c8453c" for c in bar.marker.color] == list(below)
    assert any(s.x0 == 100 and s.x1 == 100 for s in fig.layout.shapes)  # the N-1 standard's line
    assert f"{int(below.sum())} of {len(worst)} below the standard" in fig.layout.title.text
    assert _sources(fig)
    # one month
    jan = res.figures.gas_peak_day(month="2023-01")
    (bar,) = [d for d in jan.data if d.type == "bar"]
    one = t[t.month == "2023-01"].set_index("country").n_minus_1_pct.sort_values()
    assert list(bar.x) == pytest.approx(list(one.values))
    with pytest.raises(econ.EconError, match="no month 2021-07"):
        res.figures.gas_peak_day(month="2021-07")


# ---- Europe's GDP change by country with p5-p95 bands


def test_the_bands_figure_draws_p5_to_p95_per_country_with_the_run_as_a_marker(package):
    fig = _with_tables(package, eu_gdp_by_country=EU_GDP).figures.eu_gdp_bands(BANDS, draws=200)
    bar = next(t for t in fig.data if t.type == "bar")
    run = next(t for t in fig.data if t.name == "This run")
    median = next(t for t in fig.data if t.name == "Median of the draws")
    # ranked by the run's value (France -0.5, Germany -2.0, Italy -3.0), names not codes
    assert list(bar.y) == ["France", "Germany", "Italy"]  # the first at the bottom: the worst at the top
    assert list(bar.base) == [-0.7, -2.5, -3.6]  # p5
    assert list(np.add(bar.base, bar.x)) == pytest.approx([-0.3, -1.6, -2.5])  # p95
    assert list(run.x) == [-0.5, -2.0, -3.0] and list(median.x) == [-0.5, -2.0, -3.0]
    assert "200 Monte Carlo draws" in fig.layout.title.text
    (line,) = _sources(fig)
    assert "p5-p95 over a Monte Carlo" in line.replace("<br>", " ")
