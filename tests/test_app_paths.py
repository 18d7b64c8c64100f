"""Dated paths in the app, without a browser: upload -> controls -> run -> YAML download -> upload, the share
link, and the path editor's add/remove with the controls' hard-bound and plausible-range messages."""

from __future__ import annotations

import base64

import econ
from dash_app import service
from dash_app.callbacks import (
    controls_for,
    download_payload,
    edit_paths,
    kept_paths,
    paths_of,
    views_for,
    with_paths,
)
from dash_app.components.controls import PATH_ADD, PATH_REMOVE
from econ.params import load_registry
from econ.time import DatedPath

NS1 = "gas.russia.nord_stream_1.utilisation"
DEMAND = "gas.demand.reduction_share"


def _upload(text: str, filename: str = "paths.yaml") -> dict:
    data = text.encode()
    return {"filename": filename, "size": len(data), "contents": "data:;base64," + base64.b64encode(data).decode()}


def _load(text: str) -> tuple[str, dict, dict]:
    """What the page holds after an upload: preset, control values and the "paths" store."""
    preset, values, status = controls_for("upload-data", "baseline", None, _upload(text), None, {}, {})
    assert status[1] == "blue", status
    return preset, values, kept_paths("upload-data", values, None, {})


def _controls(values: dict) -> dict:
    """The controls' own values: a dated path's control holds its value before the first step."""
    return {k: (v.base if isinstance(v, DatedPath) else v) for k, v in values.items()}


def test_upload_runs_downloads_and_uploads_a_dated_path_exactly():
    text = f'title: NS1 cut in June\noverrides:\n  {NS1}: {{"2022-06": 0.2, "2022-09": 0.0}}\n  {DEMAND}: 0.15\n'
    preset, values, paths = _load(text)
    assert paths == {NS1: {"2022-06": 0.2, "2022-09": 0.0}}
    view = views_for(with_paths(_controls(values), paths), preset, "http://h/")
    assert view["errors"] == {}
    assert view["current"]["overrides"][NS1] == {"base": load_registry()[NS1].value, "2022-06": 0.2, "2022-09": 0.0}
    yaml_text = download_payload("dl-yaml", preset, view["current"]["overrides"])["content"]
    assert "2022-06" in yaml_text and "2022-09" in yaml_text
    _, values_again, paths_again = _load(yaml_text)
    assert paths_again == paths
    again = views_for(with_paths(_controls(values_again), paths_again), "baseline", "http://h/")
    assert again["current"] == view["current"]
    assert again["share"] == view["share"]


def test_the_path_is_run_not_flattened():
    values = service.preset_values("baseline")
    flat = views_for(values, "baseline", "http://h/")["results"]
    cut = views_for(with_paths(values, {NS1: {"2022-06": 0.0}}), "baseline", "http://h/")["results"]
    h0, h1 = flat.headline.set_index("metric")["value"], cut.headline.set_index("metric")["value"]
    assert (h0 != h1).any()
    direct = econ.run(econ.load_scenario("baseline").with_overrides({NS1: {"2022-06": 0.0}}))
    assert direct.headline["value"].tolist() == cut.headline["value"].tolist()


def test_a_share_link_carries_a_dated_path_both_ways():
    path = DatedPath(0.5, (("2022-05", 0.3), ("2022-10", 0.9)))
    query = service.share_query("russia_partial_cut", {NS1: path, DEMAND: 0.2})
    preset, overrides = service.parse_share_query(query)
    assert preset == "russia_partial_cut"
    assert overrides == {NS1: path, DEMAND: 0.2}
    assert service.share_query(preset, overrides) == query
    _, values, _ = controls_for("url", None, query, None, None, {}, {})
    assert values[NS1] == path and paths_of(values) == {NS1: {"2022-05": 0.3, "2022-10": 0.9}}


def test_the_editor_adds_sorts_and_removes_steps():
    add = {"type": PATH_ADD, "name": NS1}
    paths, name, note = edit_paths({}, add, "2022-09", 0.1)
    assert (paths, name, note) == ({NS1: {"2022-09": 0.1}}, NS1, "")
    paths, _, _ = edit_paths(paths, add, "2022-05", 0.4)
    assert list(paths[NS1]) == ["2022-05", "2022-09"]
    paths, _, _ = edit_paths(paths, add, "2022-05", 0.6)  # a month again replaces its value
    assert paths[NS1] == {"2022-05": 0.6, "2022-09": 0.1}
    paths, _, _ = edit_paths(paths, {"type": PATH_REMOVE, "name": NS1, "month": "2022-05"})
    assert paths == {NS1: {"2022-09": 0.1}}
    paths, _, _ = edit_paths(paths, {"type": PATH_REMOVE, "name": NS1, "month": "2022-09"})
    assert paths == {}


def test_the_editor_refuses_a_value_outside_the_hard_bounds_and_warns_outside_the_plausible_range():
    spec = load_registry()[NS1]
    add = {"type": PATH_ADD, "name": NS1}
    paths, _, note = edit_paths({}, add, "2022-06", float(spec.max) + 1)
    assert paths == {} and "hard bounds" in note and spec.hard_range_text in note
    paths, _, note = edit_paths({}, add, "2022-06", None)
    assert paths == {} and spec.hard_range_text in note
    paths, _, note = edit_paths({}, add, None, 0.5)
    assert paths == {} and "month" in note
    over = (float(spec.high) + float(spec.max)) / 2  # plausible high 1, hard max 1.05
    paths, _, note = edit_paths({}, add, "2022-06", over)
    assert paths == {NS1: {"2022-06": over}} and note.startswith("Stress test:") and "plausible" in note
    # and the run warns on the control, as for a scalar
    view = views_for(with_paths(service.preset_values("baseline"), paths), "baseline", "http://h/")
    assert NS1 in view["warnings"] and "2022-06" in view["warnings"][NS1]


def test_a_path_month_outside_the_horizon_is_an_error_under_the_controls_not_a_crash():
    view = views_for(with_paths(service.preset_values("baseline"), {NS1: {"2029-01": 0.1}}), "baseline", "http://h/")
    assert "outside the horizon" in view["errors"]["_scenario"]


def test_reset_of_a_group_clears_only_that_groups_paths():
    reg = load_registry()
    group_of = {s.name: s.group for s in reg}
    paths = {NS1: {"2022-06": 0.1}, "chips.leakage_share": {"2022-06": 0.3}}
    kept = kept_paths({"type": "reset-group", "group": group_of[NS1]}, {}, paths, group_of)
    assert kept == {"chips.leakage_share": {"2022-06": 0.3}}


def test_a_bool_path_steps_on_and_off():
    name = "swift.energy_carve_out"  # on in the baseline: energy payments keep SWIFT; off from July
    paths, _, note = edit_paths({}, {"type": PATH_ADD, "name": name}, "2022-07", "false")
    assert note == "" and paths == {name: {"2022-07": False}}
    view = views_for(with_paths(service.preset_values("baseline"), paths), "baseline", "http://h/")
    assert view["errors"] == {} and view["current"]["overrides"][name] == {"base": True, "2022-07": False}


def test_the_what_changed_line_and_the_stress_note_follow_every_change():
    values = service.preset_values("full_package")
    view = views_for(values, "full_package", "http://h/")
    assert "no assumption changed" in view["notes"][0].children
    assert len(view["notes"]) == 1  # no stress note
    changed = {**values, "chips.leakage_share": 0.3, "swift.excluded_payment_share": 0.4}
    line = views_for(changed, "full_package", "http://h/")["notes"][0].children
    assert "2 changed assumptions" in line and "0.3" in line
    spec = load_registry()["gas.demand.reduction_share"]
    stress = {**changed, spec.name: (float(spec.high) + float(spec.max)) / 2}
    notes = views_for(stress, "full_package", "http://h/")["notes"]
    assert "3 changed assumptions" in notes[0].children
    assert notes[1].id == "stress-note" and spec.label in notes[1].children[0].children


def test_the_brief_download_is_the_library_brief():
    payload = download_payload("dl-brief", "full_package", {"chips.leakage_share": 0.3})
    assert payload["filename"] == "full_package_edited_brief.html"
    assert (
        payload["content"].startswith("<!DOCTYPE html>") and "compared with <code>baseline</code>" in payload["content"]
    )
