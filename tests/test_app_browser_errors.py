"""Error display in a real browser (headless Chromium): each bad input shows a message on the page and the
assumptions do not change. Screenshots go to test-artifacts/ (ARTIFACTS_DIR to change it)."""

from __future__ import annotations

import json

import pytest
from selenium.webdriver.common.keys import Keys

import econ
from dash_app import service
from econ.formatting import format_number
from tests.test_app_browser import GAS_CARD, HAVE_BROWSER, _card, _card_text, _shot, _wait_card, _wait_text

NS1_SPEC = econ.load_registry()["gas.russia.nord_stream_1.utilisation"]
NS1_DEFAULT = NS1_SPEC.value  # the registry default, whatever its vintage

# real-browser tests: slow, so the inner loop (`pytest -m "not slow"`) leaves them out
pytestmark = [pytest.mark.slow, pytest.mark.skipif(not HAVE_BROWSER, reason="no chromium/chromedriver")]


@pytest.fixture
def app():
    from dash_app.app import create_app

    return create_app()


def _status(dash_duo) -> str:
    return dash_duo.find_element("#status").text


def _box(dash_duo, name: str):
    return dash_duo.find_element(f'[data-param="{name}"] input[type=number]')


def _ready(dash_duo, path: str = "/") -> str:
    dash_duo.wait_for_page(dash_duo.server_url + path, timeout=30)
    return _wait_card(dash_duo, "rub_usd_peak", lambda t: t not in ("", None), timeout=40)


def _upload(dash_duo, tmp_path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    dash_duo.find_element("#upload input[type=file]").send_keys(str(path))


def test_a_bad_upload_shows_its_error_and_keeps_the_assumptions(dash_duo, app, tmp_path):
    dash_duo.start_server(app)
    before = _ready(dash_duo)
    share_before = dash_duo.find_element("#share-link").get_attribute("value")
    _upload(
        dash_duo,
        tmp_path,
        "two_blocks.yaml",
        b"overrides:\n  gas.russia.nord_stream_1.utilisation: 0\noverrides:\n  chips.leakage_share: 0.3\n",
    )
    text = _wait_text(dash_duo.driver, lambda: _status(dash_duo), lambda t: "appears twice" in t)
    assert "two_blocks.yaml" in text and "line 3" in text and "unchanged" in text
    _shot(dash_duo.driver, "error_bad_upload")
    assert _card(dash_duo, "rub_usd_peak") == before
    assert dash_duo.find_element("#share-link").get_attribute("value") == share_before
    assert float(_box(dash_duo, "gas.russia.nord_stream_1.utilisation").get_attribute("value")) == NS1_DEFAULT


def test_an_oversize_upload_is_refused_with_a_message(dash_duo, app, tmp_path):
    dash_duo.start_server(app)
    before = _ready(dash_duo)
    _upload(
        dash_duo, tmp_path, "huge.yaml", b"title: x\n" + b"#" * 400_000 + b"\noverrides:\n  chips.leakage_share: 0.3\n"
    )
    text = _wait_text(dash_duo.driver, lambda: _status(dash_duo), lambda t: "larger than" in t)
    assert "huge.yaml" in text and "256 KiB" in text
    _shot(dash_duo.driver, "error_oversize_upload")
    assert _card(dash_duo, "rub_usd_peak") == before
    assert float(_box(dash_duo, "gas.russia.nord_stream_1.utilisation").get_attribute("value")) == NS1_DEFAULT


def test_a_tampered_share_link_shows_its_error_and_the_page_stays_usable(dash_duo, app):
    dash_duo.start_server(app)
    query = "?v=1&preset=full_package&o=" + json.dumps({"chips.leakage_share": 9}).replace(" ", "")
    baseline = _ready(dash_duo, "/" + query)
    text = _wait_text(dash_duo.driver, lambda: _status(dash_duo), lambda t: "share link" in t)
    assert "chips.leakage_share" in text and "hard bounds" in text and "unchanged" in text
    _shot(dash_duo.driver, "error_tampered_link")
    assert baseline == format_number(service.run("baseline", {}).value("rub_usd_peak"))  # the page stays as it was
    # still usable: a preset loads
    dash_duo.find_element("#preset").click()
    dash_duo.wait_for_element("[role=option]", timeout=10)
    options = dash_duo.driver.find_elements("css selector", "[role=option]")
    next(o for o in options if o.text == econ.load_scenario("russia_gas_cutoff").title).click()
    _wait_card(dash_duo, GAS_CARD, lambda t: t not in ("", _card_text("baseline")), timeout=40)


def test_an_unknown_preset_in_a_link_is_named_on_the_page(dash_duo, app):
    dash_duo.start_server(app)
    before = _ready(dash_duo, "/?v=1&preset=no_such_preset")
    text = _wait_text(dash_duo.driver, lambda: _status(dash_duo), lambda t: "unknown preset" in t)
    assert "no_such_preset" in text
    _shot(dash_duo.driver, "error_unknown_preset_link")
    assert before == format_number(service.run("baseline", {}).value("rub_usd_peak"))


def _type(dash_duo, name: str, value: str) -> None:
    box = _box(dash_duo, name)
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.BACKSPACE)
    box.send_keys(value, Keys.ENTER)


def test_a_typed_value_outside_the_hard_bounds_is_refused_not_clipped(dash_duo, app):
    dash_duo.start_server(app)
    before = _ready(dash_duo)
    _type(dash_duo, "gas.russia.nord_stream_1.utilisation", "5")  # far outside the hard bounds
    note = '[data-param="gas.russia.nord_stream_1.utilisation"] > :last-child'
    text = _wait_text(dash_duo.driver, lambda: dash_duo.find_element(note).text, lambda t: "hard bounds" in t)
    assert "5" in text and NS1_SPEC.hard_range_text in text
    _shot(dash_duo.driver, "error_typed_out_of_range")
    assert _box(dash_duo, "gas.russia.nord_stream_1.utilisation").get_attribute("value") == "5"  # never clipped
    assert _card(dash_duo, "rub_usd_peak") == before
    assert "nord_stream_1" not in dash_duo.find_element("#share-link").get_attribute("value")


def test_a_typed_value_outside_the_plausible_range_runs_with_a_warning(dash_duo, app):
    dash_duo.start_server(app)
    _ready(dash_duo)
    _type(dash_duo, "gas.russia.lng.utilisation", "2")  # plausible [0, 1.5], hard [0, 2.67]
    note = '[data-param="gas.russia.lng.utilisation"] > :last-child'
    text = _wait_text(dash_duo.driver, lambda: dash_duo.find_element(note).text, lambda t: "Stress test" in t)
    assert "plausible range [0.0, 1.5]" in text
    _wait_text(
        dash_duo.driver,
        lambda: dash_duo.find_element("#share-link").get_attribute("value"),
        lambda t: "gas.russia.lng.utilisation" in t,
    )
    _shot(dash_duo.driver, "warning_typed_stress_test")
    assert _box(dash_duo, "gas.russia.lng.utilisation").get_attribute("value") == "2"
