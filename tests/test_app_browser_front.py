"""The front end in a real browser (headless Chromium): dated paths through a share link, the landing's
questions, the ghost baseline, the map; screenshots at 1400 and 800 px go to test-artifacts/."""

from __future__ import annotations

import contextlib
import time

import pytest

import econ
from dash_app import service
from dash_app.layout import QUESTIONS
from econ.formatting import format_number
from tests.test_app_browser import GAS_CARD, _card, _card_text, _shot, _wait_card, _wait_text

pytestmark = pytest.mark.slow

NS1 = "gas.russia.nord_stream_1.utilisation"


@pytest.fixture
def app():
    from dash_app.app import create_app

    return create_app()


def _control(dash_duo, name: str, css: str):
    return dash_duo.find_element(f'[data-param="{name}"] {css}')


def _click(dash_duo, element) -> None:
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    element.click()


def _choose(dash_duo, input_element, option: str) -> None:
    """Pick ``option`` in a Mantine Select."""
    _click(dash_duo, input_element)
    end = time.time() + 10
    while time.time() < end:
        with contextlib.suppress(Exception):
            for o in dash_duo.driver.find_elements("css selector", "[role=option]"):
                if o.text.strip() == option and o.is_displayed():
                    o.click()
                    return
        time.sleep(0.1)
    raise AssertionError(f"no option {option!r}")


def test_a_path_edit_round_trips_through_a_share_link(dash_duo, app):
    dash_duo.driver.set_window_size(1400, 1000)
    dash_duo.start_server(app)
    _wait_card(dash_duo, "lng_share_of_gap_pct", lambda t: t != "")
    _shot(dash_duo.driver, "09_start_1400")
    _click(dash_duo, _control(dash_duo, NS1, "details summary"))
    month = _control(dash_duo, NS1, ".path-add-row input:not([type=hidden]):not([type=number])")
    value = _control(dash_duo, NS1, ".path-add-row input[type=number]")
    _choose(dash_duo, month, "2022-06")
    value.send_keys("0.05")
    _click(dash_duo, _control(dash_duo, NS1, ".path-add-button"))
    _wait_text(dash_duo.driver, lambda: _control(dash_duo, NS1, ".path-steps").text, lambda t: "2022-06: 0.05" in t)
    _control(dash_duo, NS1, ".path-add-row input[type=number]").clear()
    _choose(dash_duo, month, "2022-10")
    value.send_keys("0")
    _click(dash_duo, _control(dash_duo, NS1, ".path-add-button"))
    _wait_text(dash_duo.driver, lambda: _control(dash_duo, NS1, ".path-steps").text, lambda t: "2022-10: 0" in t)
    path = {"2022-06": 0.05, "2022-10": 0.0}
    expected = service.run("baseline", {NS1: path})
    shown = _wait_card(
        dash_duo,
        "lng_share_of_gap_pct",
        lambda t: t == format_number(expected.value("lng_share_of_gap_pct")),
    )
    assert shown
    _shot(dash_duo.driver, "10_path_editor_1400")
    link = _wait_text(
        dash_duo.driver,
        lambda: dash_duo.find_element("#share-link").get_attribute("value"),
        lambda t: "2022-10" in t,
    )
    preset, overrides = service.parse_share_query("?" + link.split("?", 1)[1])
    assert preset == "baseline" and overrides[NS1].to_mapping()["2022-06"] == 0.05
    # a new page from the link: the same steps on the control, the same results, the same link
    dash_duo.driver.get(link)
    _wait_text(
        dash_duo.driver,
        lambda: _control(dash_duo, NS1, ".path-steps").text,
        lambda t: "2022-06: 0.05" in t and "2022-10: 0" in t,
    )
    _wait_card(dash_duo, "lng_share_of_gap_pct", lambda t: t == shown)
    again = _wait_text(
        dash_duo.driver, lambda: dash_duo.find_element("#share-link").get_attribute("value"), lambda t: "2022-10" in t
    )
    assert again == link
    # removing a step moves the results back
    _click(dash_duo, _control(dash_duo, NS1, '.path-step[data-month="2022-10"] button'))
    _wait_text(dash_duo.driver, lambda: _control(dash_duo, NS1, ".path-steps").text, lambda t: "2022-10" not in t)
    _wait_card(dash_duo, "lng_share_of_gap_pct", lambda t: t not in ("", shown))
    dash_duo.driver.set_window_size(800, 1000)
    time.sleep(0.5)
    _shot(dash_duo.driver, "11_path_editor_800")
    assert dash_duo.get_logs() == [], "browser console errors"


def test_the_landing_questions_open_their_preset_and_view(dash_duo, app):
    dash_duo.driver.set_window_size(1400, 1000)
    dash_duo.start_server(app)
    _wait_card(dash_duo, GAS_CARD, lambda t: t == _card_text("baseline"))
    _shot(dash_duo.driver, "20_landing_1400")
    questions = dash_duo.driver.find_elements("css selector", "#landing button")
    assert [q.text for q in questions] == [q for q, _, _ in QUESTIONS]
    _shot(dash_duo.driver, "20_landing_1400")
    # "How short is Europe on gas if Russia cuts?": the cut-off preset, the gas view
    questions[0].click()
    expected = service.run("russia_gas_cutoff", {}).value(GAS_CARD)
    _wait_card(
        dash_duo,
        GAS_CARD,
        lambda t: t not in ("", _card_text("baseline")) and t == format_number(expected),
    )
    title = econ.load_scenario("russia_gas_cutoff").title
    assert dash_duo.find_element("#preset").get_attribute("value") == title
    _wait_text(dash_duo.driver, lambda: dash_duo.find_element("#what-changed").text, lambda t: title in t)
    # the baseline as a ghost on the charts
    _wait_text(
        dash_duo.driver,
        lambda: dash_duo.driver.execute_script(
            "return document.querySelector('#gas-storage .js-plotly-plot').data.map(t => t.name).join('|')"
        ),
        lambda t: "Baseline" in t,
    )
    dash_duo.driver.execute_script("document.getElementById('gas-supply').scrollIntoView()")
    time.sleep(1)
    _shot(dash_duo.driver, "24_ghost_gas_1400")
    # "What does the full package cost each side?": the costs view
    dash_duo.driver.find_elements("css selector", "#landing button")[3].click()
    _wait_text(
        dash_duo.driver,
        lambda: dash_duo.driver.execute_script(
            "const r = document.querySelector('#costs-view [data-metric=\"russia_gdp_change_pct\"]');"
            "return r ? r.textContent : '';"
        ),
        lambda t: "vs baseline" in t,
    )
    assert dash_duo.find_element("[role=tab][aria-selected=true]").text == "Costs to each side"
    _shot(dash_duo.driver, "21_costs_1400")
    dash_duo.driver.set_window_size(800, 1000)
    dash_duo.driver.execute_script("window.scrollTo(0, 0)")
    time.sleep(0.5)
    _shot(dash_duo.driver, "22_costs_800")
    # "What does a SWIFT cut do to the ruble?": the Russia view
    dash_duo.driver.find_elements("css selector", "#landing button")[1].click()
    _wait_text(
        dash_duo.driver,
        lambda: dash_duo.find_element("[role=tab][aria-selected=true]").text,
        lambda t: t == "Russia",
    )
    dash_duo.wait_for_element("#ruble-path .js-plotly-plot", timeout=20)
    time.sleep(1)
    _shot(dash_duo.driver, "23_swift_russia_800")
    assert dash_duo.get_logs() == [], "browser console errors"


def test_the_map_of_europe_draws_from_the_apps_own_geometry(dash_duo, app):
    dash_duo.driver.set_window_size(1400, 1000)
    dash_duo.start_server(app)
    dash_duo.driver.get(dash_duo.server_url + "/" + service.share_query("russia_gas_cutoff", {}))
    _wait_card(dash_duo, GAS_CARD, lambda t: t not in ("", _card_text("baseline")))
    count = _wait_text(
        dash_duo.driver,
        lambda: dash_duo.driver.execute_script(
            "return document.querySelectorAll('#gas-map path.choroplethlocation').length"
        ),
        lambda n: n >= 20,
    )
    assert count >= 20  # one shape per country node
    resources = dash_duo.driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert any(r.endswith("/assets/topojson/europe_50m.json") for r in resources), resources
    assert not [r for r in resources if "cdn" in r], resources
    dash_duo.driver.execute_script("document.getElementById('gas-map').scrollIntoView()")
    time.sleep(1)
    _shot(dash_duo.driver, "30_map_1400")
    dash_duo.driver.find_element("xpath", "//*[@id='map-metric']//label[contains(., 'Storage')]").click()
    _wait_text(
        dash_duo.driver,
        lambda: dash_duo.driver.execute_script(
            "return document.querySelector('#gas-map .js-plotly-plot').layout.title.text"
        ),
        lambda t: "Storage" in t,
    )
    dash_duo.driver.set_window_size(800, 1000)
    time.sleep(1)
    _shot(dash_duo.driver, "31_map_storage_800")
    assert dash_duo.get_logs() == [], "browser console errors"


def test_a_folded_group_renders_when_opened_with_the_values_of_a_share_link(dash_duo, app):
    """Folded control groups are rendered on first opening (the first page's speed); a share link's override in
    such a group still runs, and its control shows it when the group is opened."""
    dash_duo.driver.set_window_size(1400, 1000)
    dash_duo.start_server(app)
    overrides = {"chips.leakage_share": 0.3}  # in "Export controls", folded on load
    dash_duo.driver.get(dash_duo.server_url + "/" + service.share_query("full_package", overrides))
    expected = service.run("full_package", overrides).value("russia_gdp_change_pct")
    _wait_card(dash_duo, "russia_gdp_change_pct", lambda t: t == format_number(expected))
    assert not dash_duo.driver.find_elements("css selector", '[data-param="chips.leakage_share"]')  # not rendered
    group = dash_duo.driver.find_element(
        "xpath", "//button[contains(@class, 'Accordion-control')][contains(., 'Export controls')]"
    )
    _click(dash_duo, group)
    box = _wait_text(
        dash_duo.driver,
        lambda: _control(dash_duo, "chips.leakage_share", "input[type=number]").get_attribute("value"),
        lambda t: t != "",
    )
    assert float(box) == 0.3
    # the share link and the results are unchanged by the rendering
    link = dash_duo.find_element("#share-link").get_attribute("value")
    assert service.parse_share_query("?" + link.split("?", 1)[1]) == ("full_package", overrides)
    assert _card(dash_duo, "russia_gdp_change_pct") == format_number(expected)
    assert dash_duo.get_logs() == [], "browser console errors"
