"""Every bad input gets one clear line and changes nothing: the library, the CLI, and the app's upload and
share-link callbacks (through Dash's HTTP protocol, as the browser calls them). The corpus is in
tests/bad_inputs/corpus.py; the loader is fuzzed with hypothesis at the end."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from benchmarks.app_requests import controls_payload
from econ import loader
from econ.cli import app as cli
from econ.errors import EconError, ScenarioFileError
from econ.params import scenario_from_text
from tests.bad_inputs.corpus import FILE_CASES, LINK_CASES

runner = CliRunner()
MAX_LINE = 320  # "error: " + a bounded message


def _clear(message: str, fragment: str) -> None:
    assert "\n" not in message and "Traceback" not in message, message
    assert len(message) <= MAX_LINE, message
    assert fragment.lower() in message.lower(), (fragment, message)


def test_the_corpus_is_large_and_its_ids_unique():
    ids = [c.id for c in FILE_CASES + LINK_CASES]
    assert len(ids) >= 100 and len(set(ids)) == len(ids)


# ---------------------------------------------------------------- library


@pytest.mark.parametrize("case", FILE_CASES, ids=lambda c: c.id)
def test_library_refuses_each_bad_file_with_one_line(case):
    with pytest.raises(EconError) as exc:
        scenario_from_text(case.data, name="bad", where="bad.yaml")
    _clear(str(exc.value), case.fragment)
    assert str(exc.value).startswith("bad.yaml")


def test_valid_files_still_load():
    ok = scenario_from_text(b"overrides:\n  chips.leakage_share: 0.3\n", "ok", "ok.yaml")
    assert dict(ok.overrides) == {"chips.leakage_share": 0.3}
    assert scenario_from_text("baseline: true\noverrides: {}\n", "b", "b.yaml").overrides == {}
    assert scenario_from_text("title: b\nbaseline: true\n", "b", "b.yaml").overrides == {}
    dated = scenario_from_text(
        'overrides:\n  gas.russia.nord_stream_1.utilisation: {"2022-06": 0.4, "2022-09": 0}\n', "d", "d.yaml"
    )
    path = dated.overrides["gas.russia.nord_stream_1.utilisation"]
    assert path.steps == (("2022-06", 0.4), ("2022-09", 0.0))
    stress = scenario_from_text("overrides:\n  gas.demand.scale: 5\n", "s", "s.yaml")  # plausible [0.9, 1.1]
    assert stress.overrides["gas.demand.scale"] == 5.0 and "plausible range" in stress.warnings[0]


def test_every_preset_and_its_download_round_trip():
    import econ

    for name in econ.list_presets():
        sc = econ.load_scenario(name)
        text = sc.to_yaml()  # marks a scenario without overrides as the baseline
        assert dict(scenario_from_text(text, name, f"{name}.yaml").overrides) == dict(sc.overrides)


@pytest.mark.parametrize(
    "text,fragment",
    [
        ("", "no value"),
        ("[1, 2]", "a list"),
        ('{"2022-06": {"a": 1}}', "one level"),
        ("9" * 100, "characters"),
        (".nan", "NaN"),
        ("&a 1", None),
        ("*a", "aliases"),
        ("{a: 1, a: 2}", "appears twice"),
        ("[" * 200 + "]" * 200, "levels deep"),
        ("\x00", "NUL"),
    ],
)
def test_set_values_go_through_the_loader(text, fragment):
    if fragment is None:
        assert loader.parse_value(text, "k", "--set k") == 1
        return
    with pytest.raises(ScenarioFileError) as exc:
        loader.parse_value(text, "k", "--set k")
    _clear(str(exc.value), fragment)


def test_set_accepts_a_dated_path_as_a_flow_mapping():
    value = loader.parse_value('{"2022-06": 0.4, "2022-09": 0}', "k", "--set k")
    assert value == {"2022-06": 0.4, "2022-09": 0}


# ---------------------------------------------------------------- CLI


def _one_line_error(res) -> str:
    assert res.exit_code == 2, res.output
    lines = [line for line in res.output.strip().splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), res.output
    return lines[0]


def _nothing_written(tmp_path: Path, out: Path) -> None:
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no staging folder left


@pytest.mark.parametrize("case", FILE_CASES, ids=lambda c: c.id)
def test_cli_refuses_each_bad_file_and_writes_nothing(case, tmp_path: Path):
    path = tmp_path / "bad.yaml"
    path.write_bytes(case.data)
    out = tmp_path / "out"
    line = _one_line_error(runner.invoke(cli, ["run", str(path), "--out", str(out)]))
    _clear(line, case.fragment)
    _nothing_written(tmp_path, out)


@pytest.mark.parametrize(
    "args,fragment",
    [
        (["--set", "chips.leakage_share=" + "9" * 400], "characters"),
        (["--set", "chips.leakage_share=.nan"], "NaN"),
        (["--set", "chips.leakage_share=[1,2]"], "a list"),
        (["--set", 'chips.leakage_share={"a": {"b": 1}}'], "one level"),
        (["--set", "chips.leakage_share=0.3", "--set", "chips.leakage_share=0.4"], "given twice"),
        (["--set", "=0.3"], "no key"),
        (["--set", "chips.leakage_share="], "no value"),
        (["--set", "chips.leakage_share=5"], "hard bounds"),
        (["--format", "pdf"], "pdf"),
    ],
)
def test_cli_refuses_bad_set_and_options_before_writing(args, fragment, tmp_path: Path):
    out = tmp_path / "out"
    line = _one_line_error(runner.invoke(cli, ["run", "baseline", "--out", str(out), *args]))
    _clear(line, fragment)
    _nothing_written(tmp_path, out)


def test_cli_checks_every_scenario_before_running_or_writing(tmp_path: Path):
    good = tmp_path / "good.yaml"
    good.write_text("overrides:\n  chips.leakage_share: 0.3\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text("overrides: []\n")
    out = tmp_path / "out"
    line = _one_line_error(runner.invoke(cli, ["run", str(good), str(bad), "--out", str(out)]))
    assert "bad.yaml" in line
    assert not out.exists()


@pytest.mark.parametrize(
    "args,fragment",
    [
        (["--scheduler", "bogus"], "--scheduler"),
        (["--chunk-size", "0"], "--chunk-size"),
        (["--chunk-size", "abc"], "chunk-size"),
        (["--method", "bootstrap"], "mc, tornado, sobol"),
    ],
)
def test_sweep_refuses_bad_options_and_leaves_no_folder(args, fragment, tmp_path: Path):
    out = tmp_path / "out"
    line = _one_line_error(runner.invoke(cli, ["sweep", "baseline", "--n", "2", "--out", str(out), *args]))
    assert fragment in line
    _nothing_written(tmp_path, out)


def test_usage_errors_are_one_line():
    _one_line_error(runner.invoke(cli, ["run", "--bogus", "x"]))
    _one_line_error(runner.invoke(cli, ["run"]))


def test_cli_out_that_is_a_file_is_refused(tmp_path: Path):
    out = tmp_path / "out"
    out.write_text("not a folder")
    assert "is a file" in _one_line_error(runner.invoke(cli, ["run", "baseline", "--out", str(out)]))


@pytest.mark.slow
def test_two_scenarios_with_one_name_get_distinct_outputs(tmp_path: Path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "scen.yaml").write_text("overrides:\n  chips.leakage_share: 0.3\n")
    (tmp_path / "b" / "scen.yaml").write_text("overrides:\n  chips.leakage_share: 0.4\n")
    out = tmp_path / "out"
    res = runner.invoke(cli, ["run", str(tmp_path / "a/scen.yaml"), str(tmp_path / "b/scen.yaml"), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "named 'scen_2'" in res.output
    assert (out / "scen__headline.csv").exists() and (out / "scen_2__headline.csv").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


# ---------------------------------------------------------------- app (Dash HTTP protocol)


@pytest.fixture(scope="module")
def client():
    from dash_app.app import create_app

    app = create_app()
    test_client = app.server.test_client()
    deps = test_client.get("/_dash-dependencies").get_json()
    return test_client, deps


def _post_controls(client, **kwargs) -> dict:
    test_client, deps = client
    res = test_client.post("/_dash-update-component", json=controls_payload(deps, **kwargs))
    assert res.status_code == 200, res.get_data(as_text=True)[:500]
    return res.get_json()["response"]


def _page_error(response: dict) -> str:
    status = response["status"]
    assert status["color"] == "red" and status["hide"] is False, status
    assert "unchanged" in status["title"]
    # nothing else changes: no control, no preset
    assert set(response) == {"status"}, set(response)
    return status["children"]


def _upload(data: bytes, filename: str = "bad.yaml") -> dict:
    contents = "data:application/x-yaml;base64," + base64.b64encode(data).decode()
    return {"filename": filename, "size": len(data), "contents": contents, "at": 1}


@pytest.mark.parametrize("case", FILE_CASES, ids=lambda c: c.id)
def test_app_upload_shows_each_error_on_the_page_and_changes_nothing(case, client):
    upload = _upload(case.data)
    if len(case.data) > loader.MAX_BYTES:  # the browser holds back the contents of a file over the limit
        upload["contents"] = None
    text = _page_error(_post_controls(client, trigger="upload", upload=upload))
    _clear(text, case.fragment if upload["contents"] is not None else "larger than")
    assert text.startswith("bad.yaml")


def test_app_upload_posted_over_the_limit_is_refused_by_the_server(client):
    text = _page_error(_post_controls(client, trigger="upload", upload=_upload(b"#" * 400_000)))
    assert "larger than the 256 KiB limit" in text


def test_app_upload_with_a_dated_path_loads_it_whole_not_flattened(client):
    data = b'overrides:\n  gas.russia.nord_stream_1.utilisation: {"2022-06": 0.4}\n'
    response = _post_controls(client, trigger="upload", upload=_upload(data))
    assert response["status"]["color"] == "blue", response["status"]
    # the control holds the value before the first step; the step goes to the browser's "paths" store
    assert response["paths"]["data"] == {"gas.russia.nord_stream_1.utilisation": {"2022-06": 0.4}}


def test_app_upload_of_a_good_file_loads(client):
    response = _post_controls(client, trigger="upload", upload=_upload(b"overrides:\n  chips.leakage_share: 0.3\n"))
    assert response["status"]["color"] == "blue" and "1 overrides" in response["status"]["children"]
    assert response['{"name":"chips.leakage_share","type":"param-number"}']["value"] == 0.3


@pytest.mark.parametrize("case", LINK_CASES, ids=lambda c: c.id)
def test_app_share_link_shows_each_error_on_the_page_and_changes_nothing(case, client):
    text = _page_error(_post_controls(client, trigger="url", search=case.text))
    _clear(text, case.fragment)
    assert text.startswith("share link")


def test_a_request_over_the_size_limit_is_a_client_error_not_a_server_error(client):
    test_client, _ = client
    res = test_client.post("/_dash-update-component", data=b"x" * (5 * 1024 * 1024), content_type="application/json")
    assert res.status_code == 413


def test_message_box_bounds_any_text():
    from dash_app.components.alerts import message

    body, colour, title, hide = message("error", "x" * 10_000 + "\n" * 50)
    assert len(body) <= 600 and "\n" not in body and colour == "red" and hide is False


# ---------------------------------------------------------------- fuzzing the loader


def _check_loader(data) -> None:
    try:
        loader.parse_scenario(data, "fuzz.yaml")
    except ScenarioFileError as exc:
        message = str(exc)
        assert "\n" not in message and len(message) <= loader.MAX_MESSAGE_CHARS
        assert message.startswith("fuzz.yaml")


_yaml_alphabet = st.sampled_from(list("abc:-[]{}&*!|>'\"#,?.0123456789 \n\t\\%@`~<=") + ["\x00", "é", "\ufeff"])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=400), st.text(max_size=400), st.text(_yaml_alphabet, max_size=400)))
def test_fuzz_loader_never_raises_anything_but_a_one_line_error(data):
    _check_loader(data)


_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
)
_docs = st.recursive(
    _scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(_docs)
def test_fuzz_structured_documents(doc):
    _check_loader(json.dumps({"overrides": doc}))
    _check_loader(json.dumps(doc))


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["chips.leakage_share", "gas.demand.scale", "swift.energy_carve_out"]), _docs))
def test_fuzz_overrides_against_the_registry(overrides):
    try:
        scenario_from_text(json.dumps({"overrides": overrides}), "f", "fuzz.yaml")
    except EconError as exc:
        assert "\n" not in str(exc) and len(str(exc)) <= loader.MAX_MESSAGE_CHARS
