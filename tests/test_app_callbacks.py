"""The app's callback logic, without a browser."""

from __future__ import annotations

import base64
import io
import json
import zipfile

import openpyxl
import pandas as pd
import pytest
import yaml
from dash import no_update

import econ
from dash_app import service
from dash_app.callbacks import (
    CARD_METRICS,
    GRAPH_IDS,
    band_text,
    card_bands,
    controls_for,
    decode_upload,
    download_payload,
    headline_cards,
    histogram_metrics,
    percentile_table,
    progress_counter,
    stale_note,
    uncertainty_outputs,
    uncertainty_store,
    uncertainty_views,
    validate_values,
    views_for,
)
from econ.errors import EconError

# A few parameters that all move the ruble's peak, so the analyses below are quick and every one has a bar.
# (the EU gas price does not move the ruble in a full Russian cut-off: Russia sells the EU no gas to price)
FEW_PARAMS = ["macro.oil_price_change_pct", "ruble.import_fx_elasticity", "gas.russia.nord_stream_1.utilisation"]


def _b64(text: str) -> str:
    return "data:application/x-yaml;base64," + base64.b64encode(text.encode()).decode()


def test_views_for_a_preset_shows_every_card_and_figure():
    values = service.preset_values("full_package")
    view = views_for(values, "full_package", "http://127.0.0.1:8050/")
    assert view["errors"] == {}
    assert set(view["figures"]) == set(GRAPH_IDS)
    assert all(len(fig.data) > 0 for fig in view["figures"].values())
    metrics = [c.id["metric"] for c in view["cards"].children for c in [c.children[1]]]
    assert metrics == list(CARD_METRICS)
    assert view["current"] == {"preset": "full_package", "overrides": {}}
    assert view["share"] == "http://127.0.0.1:8050/?v=1&preset=full_package"


def test_a_changed_value_becomes_an_override_and_moves_the_results():
    values = service.preset_values("russia_gas_cutoff")
    values["gas.lng.qatar.divertible_share"] = 0.15
    view = views_for(values, "russia_gas_cutoff", "")
    assert view["current"]["overrides"] == {"gas.lng.qatar.divertible_share": 0.15}
    base = views_for(service.preset_values("russia_gas_cutoff"), "russia_gas_cutoff", "")
    assert view["results"].value("qatar_lng_share_of_gap_pct") > base["results"].value("qatar_lng_share_of_gap_pct")


def test_invalid_value_is_reported_on_its_control_and_nothing_runs():
    values = service.preset_values("baseline")
    values["chips.leakage_share"] = 5.0  # hard bounds [0, 1]
    values["gas.horizon_months"] = None
    view = views_for(values, "baseline", "")
    assert set(view["errors"]) == {"chips.leakage_share", "gas.horizon_months"}
    assert "outside the hard bounds [0.0, 1.0]" in view["errors"]["chips.leakage_share"]
    assert "cards" not in view


def test_a_value_outside_the_plausible_range_runs_with_a_warning():
    values = service.preset_values("baseline")
    values["gas.demand.scale"] = 5.0  # plausible [0.9, 1.1], hard [0, inf]
    view = views_for(values, "baseline", "")
    assert view["errors"] == {} and "cards" in view
    assert "plausible range [0.9, 1.1]" in view["warnings"]["gas.demand.scale"]


def test_validate_values_coerces_types():
    clean, errors = validate_values({"gas.market.integrated": "false", "gas.horizon_months": 18.0})
    assert errors == {} and clean == {"gas.market.integrated": False, "gas.horizon_months": 18}


def test_share_link_round_trip_and_bad_links():
    query = service.share_query("chip_controls", {"chips.leakage_share": 0.3, "swift.energy_carve_out": False})
    preset, overrides = service.parse_share_query(query)
    assert preset == "chip_controls" and overrides == {"chips.leakage_share": 0.3, "swift.energy_carve_out": False}
    with pytest.raises(EconError, match="version"):
        service.parse_share_query("?v=9&preset=baseline")
    with pytest.raises(EconError, match="unknown preset"):
        service.parse_share_query("?v=1&preset=nope")
    with pytest.raises(EconError, match="malformed YAML"):
        service.parse_share_query("?v=1&preset=baseline&o=%7Bbad")
    with pytest.raises(EconError, match="outside the hard bounds"):
        service.parse_share_query(service.share_query("baseline", {"chips.leakage_share": 9}))


def test_controls_for_share_link_upload_and_resets():
    group_of = {s.name: s.group for s in econ.load_registry()}
    preset, values, status = controls_for("url", None, "?v=1&preset=swift_full", None, None, {}, group_of)
    assert preset == "swift_full" and values["swift.excluded_payment_share"] == 1.0 and status[3] is False

    text = "title: Mine\ndescription: d\noverrides:\n  chips.controls_coverage: 0.5\n"
    preset, values, status = controls_for("upload", "full_package", None, _b64(text), "mine.yaml", {}, group_of)
    assert preset == "baseline" and values["chips.controls_coverage"] == 0.5 and "Mine" in status[0]

    current = dict(service.preset_values("full_package"))
    current["swift.excluded_payment_share"] = 0.9
    current["chips.leakage_share"] = 0.2
    _, values, _ = controls_for(
        {"type": "reset-group", "group": "SWIFT"}, "full_package", None, None, None, current, group_of
    )
    assert values["swift.excluded_payment_share"] == 0.25  # back to the preset's value
    assert values["chips.leakage_share"] == 0.2  # another group: untouched
    _, values, _ = controls_for("reset-all", "full_package", None, None, None, current, group_of)
    assert values == service.preset_values("full_package")


@pytest.mark.parametrize(
    "text,fragment",
    [
        ("overrides:\n  chips.controls_coverage: [\n", "malformed YAML"),
        ("overrides:\n  chips.control_coverage: 0.5\n", "did you mean 'chips.controls_coverage'"),
        ("title: x\n" + "#" * 300_000, "larger than"),
    ],
)
def test_bad_uploads_are_clear_errors(text, fragment):
    with pytest.raises(EconError, match=fragment):
        decode_upload(_b64(text), "bad.yaml")
    with pytest.raises(EconError, match="could not read"):
        decode_upload("no-comma", "bad.yaml")
    with pytest.raises(EconError, match="UTF-8"):
        decode_upload("data:x;base64," + base64.b64encode(b"\xff\xfe\x01").decode(), "bin.yaml")


def test_downloads_csv_excel_and_a_yaml_that_econ_run_accepts(tmp_path):
    overrides = {"swift.excluded_payment_share": 0.5}
    csv_zip = download_payload("dl-csv", "swift_partial_2022", overrides)
    names = zipfile.ZipFile(io.BytesIO(base64.b64decode(csv_zip["content"]))).namelist()
    assert "headline.csv" in names and "metadata.csv" in names and "ruble_path.csv" in names
    xlsx = download_payload("dl-xlsx", "swift_partial_2022", overrides)
    wb = openpyxl.load_workbook(io.BytesIO(base64.b64decode(xlsx["content"])), read_only=True)
    assert {"headline", "metadata", "gdp_channels"} <= set(wb.sheetnames)
    y = download_payload("dl-yaml", "swift_partial_2022", overrides)
    assert y["filename"].endswith(".yaml")
    doc = yaml.safe_load(y["content"])
    assert doc["overrides"]["swift.excluded_payment_share"] == 0.5
    path = tmp_path / y["filename"]
    path.write_text(y["content"])
    again = econ.run(path)
    assert again.value("swift_exposed_trade_pct") == pytest.approx(
        service.run("swift_partial_2022", overrides).value("swift_exposed_trade_pct")
    )


def test_two_sessions_never_share_results():
    a = views_for({**service.preset_values("baseline"), "swift.excluded_payment_share": 0.8}, "baseline", "")
    b = views_for(service.preset_values("baseline"), "baseline", "")
    assert a["current"] != b["current"]
    assert a["results"].value("swift_exposed_trade_pct") > 0 == b["results"].value("swift_exposed_trade_pct")


# ---------------------------------------------------------------- uncertainty


def _summary(**p5_p95: tuple[float, float]) -> pd.DataFrame:
    """A hand-made Monte Carlo summary: every card metric at 1..5, those given at their (p5, p95)."""
    rows = []
    for metric in CARD_METRICS:
        low, high = p5_p95.get(metric, (1.0, 5.0))
        rows.append(
            {
                "metric": metric,
                "unit": "u",
                "label": metric,
                "mean": (low + high) / 2,
                "p5": low,
                "p25": low,
                "p50": (low + high) / 2,
                "p75": high,
                "p95": high,
                "n_failed": 0,
            }
        )
    return pd.DataFrame(rows)


def _card_texts(cards, index: int) -> dict[str, str]:
    return {card.children[1].id["metric"]: card.children[index].children for card in cards.children}


def test_band_text_formats_like_the_card_with_the_unit():
    assert (
        band_text({"p5": 60.64, "p95": 92.97, "unit": "RUB per USD", "n_failed": 0})
        == "p5–p95: 60.6 to 93.0 RUB per USD"
    )
    assert (
        band_text({"p5": -12.345, "p95": 1234.5, "unit": "%", "n_failed": 2})
        == "p5–p95: -12.3 to 1,234 % (2 draws failed)"
    )
    assert band_text({"p5": None, "p95": None, "unit": "bcm", "n_failed": 20}) == "p5–p95: n/a (every draw failed)"


def test_bands_show_only_for_the_assumptions_they_were_run_for():
    current = {"preset": "full_package", "overrides": {"chips.leakage_share": 0.3}}
    store = uncertainty_store(current, 100, 1, _summary(rub_usd_peak=(90.0, 120.0)))
    bands = card_bands(store, current)
    assert set(bands) == set(CARD_METRICS)
    assert bands["rub_usd_peak"] == "p5–p95: 90.0 to 120 u"  # the one number format (econ.formatting)
    assert stale_note(store, current) is None
    for other in (
        {"preset": "full_package", "overrides": {"chips.leakage_share": 0.31}},
        {"preset": "full_package", "overrides": {}},
        {"preset": "baseline", "overrides": {"chips.leakage_share": 0.3}},
    ):
        assert card_bands(store, other) == {}
        note = stale_note(store, other)
        assert note and "full_package (+1 changes)" in note
    assert card_bands(None, current) == {} and stale_note(None, current) is None


def test_the_store_survives_json_and_holds_no_nan():
    current = {"preset": "baseline", "overrides": {"gas.market.integrated": False, "gas.horizon_months": 18}}
    summary = _summary()
    summary.loc[summary.metric == "eu_gas_shortfall_bcm", ["mean", "p5", "p25", "p50", "p75", "p95"]] = float("nan")
    store = uncertainty_store(current, 20, 1, summary)
    again = json.loads(json.dumps(store, allow_nan=False))  # what the browser sends back
    assert card_bands(again, current) == card_bands(store, current)
    assert card_bands(again, current)["eu_gas_shortfall_bcm"] == "p5–p95: n/a (every draw failed)"


def test_cards_carry_the_band_under_the_value():
    results = service.run("baseline", {})
    plain = _card_texts(headline_cards(results, results), 3)
    assert set(plain) == set(CARD_METRICS) and set(plain.values()) == {""}
    banded = _card_texts(headline_cards(results, results, {"rub_usd_peak": "p5–p95: 1.0 to 2.0 RUB per USD"}), 3)
    assert banded["rub_usd_peak"] == "p5–p95: 1.0 to 2.0 RUB per USD" and banded["rub_usd_12m"] == ""


def test_views_for_shows_bands_until_an_assumption_changes():
    values = service.preset_values("swift_full")
    store = uncertainty_store({"preset": "swift_full", "overrides": {}}, 50, 1, _summary(rub_usd_12m=(70.0, 99.0)))
    view = views_for(values, "swift_full", "", "uncertainty", store)
    assert _card_texts(view["cards"], 3)["rub_usd_12m"] == "p5–p95: 70.0 to 99.0 u"
    values["chips.leakage_share"] = 0.3
    view = views_for(values, "swift_full", "", "uncertainty", store)
    assert set(_card_texts(view["cards"], 3).values()) == {""}


def test_progress_counter_reports_each_whole_percent_up_to_100():
    reports = []
    tick = progress_counter(3, lambda percent, text: reports.append((percent, text)))
    for _ in range(4):  # one run more than announced must not go past 100 %
        tick(1)
    assert reports == [(33, "1 of 3 model runs"), (66, "2 of 3 model runs"), (100, "3 of 3 model runs")]
    reports.clear()
    tick = progress_counter(1000, lambda percent, text: reports.append(percent))
    for _ in range(1000):
        tick(1)
    assert reports == list(range(101))  # 1000 runs, 101 reports: 0 % after the first run, then each percent


def test_uncertainty_views_analyse_the_edited_scenario():
    current = {"preset": "russia_gas_cutoff", "overrides": {"macro.oil_price_change_pct": 30.0}}
    reports = []
    view = uncertainty_views(current, "20", "rub_usd_peak", FEW_PARAMS, lambda p, t: reports.append((p, t)))
    # The progress bar counts the library's model runs, goes up and ends full.
    total = 20 + 1 + 2 * len(FEW_PARAMS)  # the tornado also runs the scenario itself
    assert reports[-1] == (100, f"{total} of {total} model runs")
    assert [p for p, _ in reports] == sorted(p for p, _ in reports) and len(reports) > 1
    # The same numbers as the library's own analysis of the edited scenario (not of the preset).
    scenario = service.scenario_for("russia_gas_cutoff", current["overrides"])
    expected = econ.monte_carlo(scenario, n=20, seed=1, params=FEW_PARAMS).summary.set_index("metric")
    stored = {row["metric"]: row for row in view["store"]["summary"]}
    for metric in CARD_METRICS:
        assert stored[metric]["p5"] == pytest.approx(expected.loc[metric, "p5"])
        assert stored[metric]["p95"] == pytest.approx(expected.loc[metric, "p95"])
    assert view["store"]["assumptions"] == current and view["store"]["n"] == 20
    assert card_bands(view["store"], current)["rub_usd_peak"] == band_text(stored["rub_usd_peak"])
    # Tornado: both bars per parameter, based at the edited scenario's value of the metric.
    tornado = view["tornado"]
    assert [bar.type for bar in tornado.data] == ["bar", "bar"]
    swings = econ.tornado(scenario, "rub_usd_peak", params=FEW_PARAMS)
    assert (swings["swing"].abs() > 0.01).all()  # the premise: each of these parameters moves the metric
    assert sorted(tornado.data[0].y) == sorted(swings["label"])
    base = service.run("russia_gas_cutoff", current["overrides"]).value("rub_usd_peak")
    assert tornado.data[0].base == pytest.approx(base)
    assert base != pytest.approx(service.run("russia_gas_cutoff", {}).value("rub_usd_peak"))
    # Histograms of the tornado's metric and three more; a percentile table row per metric.
    hist = view["histograms"]
    assert [trace.name for trace in hist.data] == histogram_metrics("rub_usd_peak")
    assert all(len(trace.x) == 20 for trace in hist.data)
    assert len(view["table"].children[1].children) == len(expected)


def test_histograms_lead_with_the_tornado_metric():
    assert histogram_metrics("eu_storage_min_pct")[0] == "eu_storage_min_pct"
    assert len(set(histogram_metrics("eu_storage_min_pct"))) == 4
    assert len(set(histogram_metrics("lng_share_of_gap_pct"))) == 4


def test_percentile_table_lists_each_metric_with_its_percentiles():
    table = percentile_table(_summary(rub_usd_peak=(61.25, 97.5)))
    head = [th.children for th in table.children[0].children.children]
    assert head == ["Metric", "Unit", "Mean", "p5", "p25", "p50", "p75", "p95"]  # labels, no raw ids
    rows = table.children[1].children
    assert len(rows) == len(CARD_METRICS)
    first = [td.children for td in rows[0].children]
    assert first[0] == "rub_usd_peak" and first[2:] == ["79.4", "61.2", "61.2", "79.4", "97.5", "97.5"]


@pytest.mark.parametrize(
    "current,draws,metric,fragment",
    [
        (None, "20", "rub_usd_peak", "no valid scenario"),
        ({"preset": "baseline", "overrides": {}}, "7", "rub_usd_peak", "number of draws"),
        ({"preset": "baseline", "overrides": {}}, None, "rub_usd_peak", "number of draws"),
        ({"preset": "baseline", "overrides": {}}, "20", "russia_capital_outflow_bn_usd", "tornado metric"),
    ],
)
def test_a_bad_request_is_a_red_status_line_and_keeps_the_results(current, draws, metric, fragment):
    out = uncertainty_outputs(current, draws, metric, FEW_PARAMS)
    assert out[:4] == (no_update,) * 4
    assert fragment in out[4] and out[5:] == ("red", False)


def test_a_failing_model_run_is_a_status_line_not_a_traceback(monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("linprog found the problem infeasible")

    monkeypatch.setattr(service, "uncertainty", broken)
    out = uncertainty_outputs({"preset": "baseline", "overrides": {}}, "20", "rub_usd_peak", FEW_PARAMS)
    assert out[:4] == (no_update,) * 4
    assert out[4] == "Uncertainty analysis failed: ValueError: linprog found the problem infeasible"
    assert "Traceback" not in out[4] and out[5] == "red"
