"""The views issue 13 added last, in a real browser (headless Chromium): the peak-day view, Europe's p5-p95 bands by
country (run on demand), the FX-flows chart's round rate ticks; and the figure fingerprints (a chart whose inputs
did not change is not redrawn). Screenshots at 1400 and 800 px go to test-artifacts/ (ARTIFACTS_DIR)."""

from __future__ import annotations

import time

import pytest

from dash_app import service
from tests.test_app_browser import GAS_CARD, _card_text, _shot, _wait_card, _wait_text
from tests.test_app_browser_errors import _type

pytestmark = pytest.mark.slow

# few parameters, so that the bands' 200 draws are quick (the app varies every uncertain parameter)
QUICK = ["trade.parallel_import_premium_pct", "swift.excluded_payment_share"]


@pytest.fixture
def app():
    from dash_app.app import create_app

    return create_app(uncertainty_params=QUICK)


def _plot(dash_duo, graph_id: str, expr: str):
    return dash_duo.driver.execute_script(
        f"const g = document.querySelector('#{graph_id} .js-plotly-plot'); return {expr};"
    )


def _tab(dash_duo, text: str) -> None:
    tab = dash_duo.driver.find_element("xpath", f"//button[@role='tab' and contains(., \"{text}\")]")
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", tab)
    tab.click()


def _scroll(dash_duo, element_id: str) -> None:
    dash_duo.driver.execute_script(f"document.getElementById('{element_id}').scrollIntoView({{block: 'start'}})")
    time.sleep(1)


def test_the_peak_day_view_ranks_member_states_against_the_standard(dash_duo, app):
    dash_duo.driver.set_window_size(1400, 1000)
    dash_duo.start_server(app)
    dash_duo.driver.get(dash_duo.server_url + "/" + service.share_query("russia_gas_cutoff", {}))
    _wait_card(dash_duo, GAS_CARD, lambda t: t not in ("", _card_text("baseline")))
    title = _wait_text(
        dash_duo.driver, lambda: _plot(dash_duo, "gas-peak", "g.layout.title.text"), lambda t: "N-1" in (t or "")
    )
    expected = service.run("russia_gas_cutoff", {}).tables["gas_peak_day"]
    below = int((expected.groupby("country").n_minus_1_pct.min() < 100).sum())
    assert f"{below} of {expected.country.nunique()} below the standard" in title
    # the drawn bars: one per member state; the 100 % line; the labels carry the values
    assert _plot(dash_duo, "gas-peak", "g.data[0].y.length") == expected.country.nunique()
    assert _plot(dash_duo, "gas-peak", "g.layout.shapes.some(s => s.x0 === 100)")
    ticks = dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('#gas-peak .ytick text')).map(e => e.textContent)"
    )
    assert len(ticks) == expected.country.nunique() and all(t.endswith(" %") for t in ticks), ticks
    _scroll(dash_duo, "gas-peak")
    _shot(dash_duo.driver, "40_peak_day_1400")
    dash_duo.driver.set_window_size(800, 1000)
    time.sleep(1)
    _scroll(dash_duo, "gas-peak")
    _shot(dash_duo.driver, "41_peak_day_800")
    assert dash_duo.get_logs() == [], "browser console errors"


def test_the_fx_rate_axis_ticks_are_round(dash_duo, app):
    dash_duo.driver.set_window_size(1400, 1000)
    dash_duo.start_server(app)
    dash_duo.driver.get(dash_duo.server_url + "/" + service.share_query("swift_full", {}))
    _wait_card(dash_duo, GAS_CARD, lambda t: t != "")
    _tab(dash_duo, "Russia")
    _wait_text(dash_duo.driver, lambda: _plot(dash_duo, "fx-flows", "g.data.length"), lambda n: (n or 0) > 10)
    _scroll(dash_duo, "fx-flows")
    labels = _wait_text(
        dash_duo.driver,
        lambda: dash_duo.driver.execute_script(
            "return Array.from(document.querySelectorAll('#fx-flows .y2tick text')).map(e => e.textContent)"
        ),
        lambda t: len(t) >= 3,
    )
    values = [float(t.replace(",", "").replace("−", "-")) for t in labels]
    steps = {round(b - a, 6) for a, b in zip(values, values[1:])}
    assert len(steps) == 1, labels  # evenly spaced
    (step,) = steps
    mantissa = step / 10 ** __import__("math").floor(__import__("math").log10(step))
    assert round(mantissa, 6) in (1.0, 2.0, 2.5, 5.0), labels
    assert all(round(v / step, 6) == round(v / step) for v in values), labels  # multiples of the step
    _shot(dash_duo.driver, "42_fx_flows_1400")
    dash_duo.driver.set_window_size(800, 1000)
    time.sleep(1)
    _scroll(dash_duo, "fx-flows")
    _shot(dash_duo.driver, "43_fx_flows_800")


def test_europe_bands_run_on_demand_and_go_stale_when_an_assumption_changes(dash_duo, app):
    dash_duo.driver.set_window_size(1400, 1000)
    dash_duo.start_server(app)
    dash_duo.driver.get(dash_duo.server_url + "/" + service.share_query("full_package", {}))
    _wait_card(dash_duo, GAS_CARD, lambda t: t != "")
    _tab(dash_duo, "Europe's cost")
    # not on a slider move: a line saying what to do until the button is pressed, no chart
    _wait_text(dash_duo.driver, lambda: dash_duo.find_element("#europe-bands-box").text, lambda t: "Run the bands" in t)
    assert not dash_duo.driver.find_elements("css selector", "#europe-bands")
    button = dash_duo.find_element("#eu-bands-run")
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
    button.click()
    title = _wait_text(
        dash_duo.driver,
        lambda: _plot(dash_duo, "europe-bands", "g.layout.title.text"),
        lambda t: "200 Monte Carlo draws" in (t or ""),
        timeout=180,
    )
    assert "p5-p95" in title
    n = service.run("full_package", {}).tables["eu_gdp_by_country"].country.nunique()
    assert _plot(dash_duo, "europe-bands", "g.data[0].y.length") == n  # a bar per country
    status = dash_duo.find_element("#eu-bands-status").text
    assert "p5–p95 over 200 draws for full_package" in status, status
    _scroll(dash_duo, "europe-bands-panel")
    _shot(dash_duo.driver, "44_europe_bands_1400")
    dash_duo.driver.set_window_size(800, 1000)
    time.sleep(1)
    _scroll(dash_duo, "europe-bands-panel")
    _shot(dash_duo.driver, "45_europe_bands_800")
    # a changed assumption: the bands say they are out of date
    dash_duo.driver.set_window_size(1400, 1000)
    dash_duo.driver.get(
        dash_duo.server_url + "/" + service.share_query("full_package", {"swift.excluded_payment_share": 0.5})
    )
    _wait_card(dash_duo, GAS_CARD, lambda t: t != "")
    assert dash_duo.find_element("#europe-bands-panel")  # the panel is there; a new page has no bands yet
    assert dash_duo.get_logs() == [], "browser console errors"


def test_an_unchanged_chart_is_not_redrawn(dash_duo, app):
    """A SWIFT change leaves the gas market alone: the gas charts keep the very same plot (the server neither builds
    nor sends them: callbacks.views_for, econ.figures.figure_fingerprint) while the cards move."""
    dash_duo.driver.set_window_size(1400, 1000)
    dash_duo.start_server(app)
    dash_duo.driver.get(
        dash_duo.server_url + "/" + service.share_query("full_package", {"swift.excluded_payment_share": 0.6})
    )
    _wait_card(dash_duo, GAS_CARD, lambda t: t != "")
    _wait_text(dash_duo.driver, lambda: _plot(dash_duo, "gas-supply", "g.data.length"), lambda n: (n or 0) > 3)
    dash_duo.driver.execute_script("document.querySelector('#gas-supply .js-plotly-plot').data[0].econMark = 1;")
    card = dash_duo.find_element('[data-metric="rub_usd_peak"] p:nth-of-type(2)').text
    box = dash_duo.find_element('[data-param="swift.excluded_payment_share"] input[type=number]')
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", box)
    _type(dash_duo, "swift.excluded_payment_share", "0.9")
    _wait_text(
        dash_duo.driver,
        lambda: dash_duo.find_element('[data-metric="rub_usd_peak"] p:nth-of-type(2)').text,
        lambda t: t not in ("", card),
    )
    time.sleep(1)
    assert _plot(dash_duo, "gas-supply", "g.data[0].econMark") == 1  # the same trace object: not redrawn
