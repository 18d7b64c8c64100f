"""The app's callback logic, without a browser."""

from __future__ import annotations

import base64
import io
import zipfile

import openpyxl
import pytest
import yaml

import econ
from dash_app import service
from dash_app.callbacks import (
    CARD_METRICS, GRAPH_IDS, controls_for, decode_upload, download_payload, validate_values, views_for,
)
from econ.errors import EconError


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
    values["gas.demand.scale"] = 5.0
    values["gas.horizon_months"] = None
    view = views_for(values, "baseline", "")
    assert set(view["errors"]) == {"gas.demand.scale", "gas.horizon_months"}
    assert "outside the allowed range [0.9, 1.1]" in view["errors"]["gas.demand.scale"]
    assert "cards" not in view


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
    with pytest.raises(EconError, match="not valid JSON"):
        service.parse_share_query("?v=1&preset=baseline&o=%7Bbad")
    with pytest.raises(EconError, match="outside the allowed range"):
        service.parse_share_query(service.share_query("baseline", {"gas.demand.scale": 9}))


def test_controls_for_share_link_upload_and_resets():
    group_of = {s.name: s.group for s in econ.load_registry()}
    preset, values, status = controls_for("url", None, "?v=1&preset=swift_full", None, None, {}, group_of)
    assert preset == "swift_full" and values["swift.excluded_payment_share"] == 1.0 and status[2] is False

    text = "title: Mine\ndescription: d\noverrides:\n  chips.controls_coverage: 0.5\n"
    preset, values, status = controls_for("upload", "full_package", None, _b64(text), "mine.yaml", {}, group_of)
    assert preset == "baseline" and values["chips.controls_coverage"] == 0.5 and "Mine" in status[0]

    current = dict(service.preset_values("full_package"))
    current["swift.excluded_payment_share"] = 0.9
    current["chips.leakage_share"] = 0.2
    _, values, _ = controls_for({"type": "reset-group", "group": "SWIFT"}, "full_package", None, None, None,
                                current, group_of)
    assert values["swift.excluded_payment_share"] == 0.25  # back to the preset's value
    assert values["chips.leakage_share"] == 0.2  # another group: untouched
    _, values, _ = controls_for("reset-all", "full_package", None, None, None, current, group_of)
    assert values == service.preset_values("full_package")


@pytest.mark.parametrize("text,fragment", [
    ("overrides:\n  chips.controls_coverage: [\n", "malformed YAML"),
    ("overrides:\n  chips.control_coverage: 0.5\n", "did you mean 'chips.controls_coverage'"),
    ("title: x\n" + "#" * 300_000, "larger than"),
])
def test_bad_uploads_are_clear_errors(text, fragment):
    with pytest.raises(EconError, match=fragment):
        decode_upload(_b64(text), "bad.yaml")
    with pytest.raises(EconError, match="could not read"):
        decode_upload("no-comma", "bad.yaml")
    with pytest.raises(EconError, match="UTF-8"):
        decode_upload("data:x;base64," + base64.b64encode(b"\xff\xfe\x00").decode(), "bin.yaml")


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
        service.run("swift_partial_2022", overrides).value("swift_exposed_trade_pct"))


def test_two_sessions_never_share_results():
    a = views_for({**service.preset_values("baseline"), "swift.excluded_payment_share": 0.8}, "baseline", "")
    b = views_for(service.preset_values("baseline"), "baseline", "")
    assert a["current"] != b["current"]
    assert a["results"].value("swift_exposed_trade_pct") > 0 == b["results"].value("swift_exposed_trade_pct")
