"""The app in a real browser (headless Chromium from Debian's chromium and chromium-driver).

In CI these tests must run: a missing browser is a failure there, a skip elsewhere.
Screenshots of the main views go to test-artifacts/ (ARTIFACTS_DIR to change it).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import time
from pathlib import Path

import pytest

import econ
from dash_app import service
from econ.formatting import format_number
from tests.conftest import CHROME_FLAGS

pytestmark = pytest.mark.slow  # real-browser tests: the inner loop (`pytest -m "not slow"`) leaves them out

HAVE_BROWSER = bool(shutil.which("chromium") and shutil.which("chromedriver"))
if not HAVE_BROWSER:
    if os.environ.get("CI"):
        pytest.fail(
            "CI needs Debian's chromium and chromium-driver for the browser tests (.ci/run installs them)",
            pytrace=False,
        )
    pytest.skip("no chromium/chromedriver on this machine", allow_module_level=True)

# The gas card that a Russian cut moves in the gas market: the EU price (the shortfall, rationing at the price cap,
# stays 0 under the presets' cuts).
GAS_CARD = "ttf_price_avg_eur_mwh"


def _card_text(preset: str) -> str:
    """The card text the app shows for GAS_CARD under a preset (the one number format, econ.formatting)."""
    return format_number(service.run(preset, {}).value(GAS_CARD))


ARTIFACTS = Path(os.environ.get("ARTIFACTS_DIR", "test-artifacts"))


@pytest.fixture
def app():
    from dash_app.app import create_app

    return create_app()


def _shot(driver, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))


def _card(dash_duo, metric: str) -> str:
    return dash_duo.find_element(f'[data-metric="{metric}"] p:nth-of-type(2)').text


def _wait_card(dash_duo, metric: str, predicate, timeout: float = 20) -> str:
    end = time.time() + timeout
    text = ""
    while time.time() < end:
        with contextlib.suppress(Exception):  # the card is re-rendered while we look
            text = _card(dash_duo, metric)
            if predicate(text):
                return text
        time.sleep(0.2)
    raise AssertionError(f"card {metric} never satisfied the condition; last text {text!r}")


def _wait_text(driver, read, predicate, timeout: float = 20) -> str:
    end = time.time() + timeout
    text = ""
    while time.time() < end:
        with contextlib.suppress(Exception):  # the element is re-rendered while we look
            text = read()
            if predicate(text):
                return text
        time.sleep(0.2)
    raise AssertionError(f"text never satisfied the condition; last text {text!r}")


def _figure_y(dash_duo, graph_id: str) -> list:
    return dash_duo.driver.execute_script(
        f"const g = document.querySelector('#{graph_id} .js-plotly-plot');"
        "return g && g.data && g.data.length ? g.data[0].y : null;"
    )


def test_page_loads_and_a_slider_moves_a_headline_and_a_chart(dash_duo, app):
    dash_duo.start_server(app)
    assert _wait_card(dash_duo, "rub_usd_peak", lambda t: t == "80.4")
    dash_duo.wait_for_element("#gas-supply .js-plotly-plot", timeout=20)
    _shot(dash_duo.driver, "01_start_gas_view")
    dash_duo.driver.find_element("xpath", "//button[@role='tab' and contains(., 'Russia')]").click()
    end = time.time() + 20
    while not _figure_y(dash_duo, "ruble-path") and time.time() < end:  # the Russia charts are built on opening
        time.sleep(0.2)
    before = _figure_y(dash_duo, "ruble-path")
    assert before
    handle = dash_duo.find_element('[data-param="swift.excluded_payment_share"] [role=slider]')
    handle.click()
    from selenium.webdriver.common.keys import Keys

    handle.send_keys(Keys.END)
    peak = _wait_card(dash_duo, "rub_usd_peak", lambda t: t not in ("", "80.4"))
    assert float(peak.replace(",", "")) > 80.4
    expected = service.run("baseline", {"swift.excluded_payment_share": 1.0}).value("rub_usd_peak")
    assert peak == format_number(expected)  # the card's one number format
    end = time.time() + 10
    while _figure_y(dash_duo, "ruble-path") == before and time.time() < end:
        time.sleep(0.2)
    assert _figure_y(dash_duo, "ruble-path") != before
    assert "swift.excluded_payment_share" in dash_duo.find_element("#share-link").get_attribute("value")
    assert dash_duo.get_logs() == [], "browser console errors"


def test_loading_a_preset_moves_every_view(dash_duo, app):
    dash_duo.start_server(app)
    _wait_card(dash_duo, GAS_CARD, lambda t: t == _card_text("baseline"))
    dash_duo.find_element("#preset").click()
    dash_duo.wait_for_element("[role=option]", timeout=10)
    options = dash_duo.driver.find_elements("css selector", "[role=option]")
    next(o for o in options if o.text == econ.load_scenario("russia_gas_cutoff").title).click()
    expected = service.run("russia_gas_cutoff", {}).value(GAS_CARD)
    shortfall = _wait_card(dash_duo, GAS_CARD, lambda t: t not in ("", _card_text("baseline")))
    assert shortfall == format_number(expected)
    _shot(dash_duo.driver, "02_russia_gas_cutoff_gas_view")
    dash_duo.driver.find_element("xpath", "//button[@role='tab' and contains(., 'Russia')]").click()
    dash_duo.wait_for_element("#gdp-channels .js-plotly-plot", timeout=10)
    time.sleep(1)
    _shot(dash_duo.driver, "03_russia_view")


def test_a_share_link_restores_the_same_state(dash_duo, app):
    overrides = {"chips.leakage_share": 0.3, "swift.excluded_payment_share": 0.5}  # both differ from the preset
    query = service.share_query("full_package", overrides)
    dash_duo.start_server(app)
    dash_duo.driver.get(dash_duo.server_url + "/" + query)
    expected = service.run("full_package", overrides)
    gdp = _wait_card(
        dash_duo,
        "russia_gdp_change_pct",
        lambda t: t == format_number(expected.value("russia_gdp_change_pct")),
    )
    assert gdp
    link = dash_duo.find_element("#share-link").get_attribute("value")
    assert service.parse_share_query("?" + link.split("?", 1)[1]) == ("full_package", overrides)
    assert "Loaded the shared scenario" in dash_duo.find_element("#status").text


def test_download_writes_a_file(dash_duo, app):
    dash_duo.start_server(app)
    _wait_card(dash_duo, "rub_usd_peak", lambda t: t == "80.4")
    dash_duo.find_element("#dl-menu").click()  # the downloads are items of one menu
    dash_duo.wait_for_element("#dl-yaml", timeout=5).click()
    target = Path(dash_duo.download_path) / "baseline.yaml"
    end = time.time() + 15
    while not target.exists() and time.time() < end:
        time.sleep(0.2)
    assert target.exists(), os.listdir(dash_duo.download_path)
    assert "overrides" in target.read_text()
    dash_duo.find_element("#dl-menu").click()
    dash_duo.wait_for_element("#dl-xlsx", timeout=5).click()
    xlsx = Path(dash_duo.download_path) / "baseline.xlsx"
    end = time.time() + 20
    while not xlsx.exists() and time.time() < end:
        time.sleep(0.2)
    assert xlsx.exists() and xlsx.stat().st_size > 10_000
    # the brief: the library's HTML brief (econ.brief.build_brief), self-contained
    dash_duo.find_element("#dl-menu").click()
    dash_duo.wait_for_element("#dl-brief", timeout=5).click()
    brief = Path(dash_duo.download_path) / "baseline_brief.html"
    end = time.time() + 30
    while not brief.exists() and time.time() < end:
        time.sleep(0.2)
    text = brief.read_text()
    assert (
        text.startswith("<!DOCTYPE html>") and "<h2>Headline</h2>" in text and not re.search(r"<script[^>]+src=", text)
    )


def test_two_sessions_never_see_each_other(dash_duo, app):
    from selenium import webdriver

    dash_duo.start_server(app)
    _wait_card(dash_duo, "rub_usd_peak", lambda t: t == "80.4")
    options = webdriver.ChromeOptions()
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    if Path("/usr/bin/chromium").exists():
        options.binary_location = "/usr/bin/chromium"
    other = webdriver.Chrome(options=options)
    try:
        other.get(dash_duo.server_url + "/" + service.share_query("baseline", {"swift.excluded_payment_share": 1.0}))
        end = time.time() + 20
        text = ""
        while time.time() < end:
            with contextlib.suppress(Exception):  # the card is re-rendered while we look
                text = other.find_element("css selector", '[data-metric="rub_usd_peak"] p:nth-of-type(2)').text
            if text not in ("", "80.4"):
                break
            time.sleep(0.2)
        assert text not in ("", "80.4")
        _shot(other, "04_second_session")
        # The first session still shows its own scenario, and reloading it does not pick up the other's.
        assert _card(dash_duo, "rub_usd_peak") == "80.4"
        dash_duo.driver.refresh()
        assert _wait_card(dash_duo, "rub_usd_peak", lambda t: t == "80.4")
        assert other.find_element("css selector", '[data-metric="rub_usd_peak"] p:nth-of-type(2)').text == text
    finally:
        other.quit()


# Four parameters that each move the ruble's peak (so each has a tornado bar).
UNCERTAIN_FEW = [
    "macro.oil_price_change_pct",
    "macro.gas_price_change_pct",
    "gas.russia.nord_stream_1.utilisation",
    "gas.russia.ukraine.utilisation",
]


def _band(driver, metric: str) -> str:
    return driver.find_element("css selector", f'[data-metric="{metric}"] .card-band').text


def _tornado_bars(dash_duo) -> list:
    return dash_duo.driver.execute_script(
        "const g = document.querySelector('#uq-tornado .js-plotly-plot');"
        "return g && g.data ? g.data.filter(t => t.type === 'bar').map(t => t.y.length) : [];"
    )


def test_uncertainty_tab_runs_in_the_background_and_bands_the_cards(dash_duo):
    from dash_app.app import create_app

    # A few parameters and 20 draws keep this quick; the app itself varies every uncertain parameter.
    dash_duo.start_server(create_app(uncertainty_params=UNCERTAIN_FEW))
    _wait_card(dash_duo, "rub_usd_peak", lambda t: t == "80.4")
    assert _band(dash_duo.driver, "rub_usd_peak") == ""
    dash_duo.driver.find_element("xpath", "//button[@role='tab' and contains(., 'Uncertainty')]").click()
    dash_duo.driver.find_element("xpath", "//*[@id='uq-draws']//label[normalize-space()='20']").click()
    dash_duo.find_element("#uq-run").click()
    end = time.time() + 60
    while _tornado_bars(dash_duo) != [len(UNCERTAIN_FEW)] * 2 and time.time() < end:
        time.sleep(0.3)
    assert _tornado_bars(dash_duo) == [len(UNCERTAIN_FEW)] * 2, "the tornado never rendered"
    # The card's band is the library's p5-p95 for these assumptions, as the card formats numbers.
    summary = econ.monte_carlo(service.scenario_for("baseline", {}), n=20, seed=1, params=UNCERTAIN_FEW).summary
    row = summary.set_index("metric").loc["rub_usd_peak"]
    band = _wait_text(dash_duo.driver, lambda: _band(dash_duo.driver, "rub_usd_peak"), lambda t: t != "")
    low, high = re.fullmatch(r"p5–p95: ([-\d.,]+) to ([-\d.,]+) RUB per USD", band).groups()
    assert low == format_number(row.p5) and high == format_number(row.p95)
    assert all(_band(dash_duo.driver, m) for m in ("russia_gdp_change_pct", "eu_storage_min_pct"))
    assert len(dash_duo.driver.find_elements("css selector", "#uq-percentiles tbody tr")) == len(summary)
    assert "Uncertainty analysis for baseline" in dash_duo.find_element("#status").text
    assert dash_duo.find_element("#uq-run").is_enabled()
    time.sleep(0.5)
    _shot(dash_duo.driver, "05_uncertainty_view")
    dash_duo.driver.execute_script("document.getElementById('uq-histograms').scrollIntoView();")
    time.sleep(0.3)
    _shot(dash_duo.driver, "06_uncertainty_distributions")
    # Change an assumption: the bands of the old run go, and the tab says its results are out of date.
    from selenium.webdriver.common.keys import Keys

    handle = dash_duo.find_element('[data-param="swift.excluded_payment_share"] [role=slider]')
    handle.click()
    handle.send_keys(Keys.END)
    _wait_text(dash_duo.driver, lambda: _band(dash_duo.driver, "rub_usd_peak"), lambda t: t == "")
    assert "not for the current assumptions" in dash_duo.find_element("#uq-stale").text
    dash_duo.driver.execute_script("document.getElementById('uq-stale').scrollIntoView();")
    time.sleep(0.3)
    _shot(dash_duo.driver, "07_uncertainty_stale")
    assert dash_duo.get_logs() == [], "browser console errors"
