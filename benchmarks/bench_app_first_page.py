"""Time from opening the page to a usable first page, against a warm gunicorn server, in headless Chromium.

    python benchmarks/bench_app_first_page.py [--loads 5] [--port 8071]

"Usable": the headline cards show the baseline's numbers and the first chart is drawn (the controls are
there before either). The server is started with gunicorn as `make app` does and warmed by one page load;
each timed load is a fresh page (new navigation, browser cache kept, as for a returning user).
Reports the median and the worst (target: within 3 s).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.common.by import By

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.conftest import pytest_setup_options  # noqa: E402  (the browser tests' Chromium options)


def _wait_usable(driver, timeout: float = 30) -> float:
    start = time.perf_counter()
    end = start + timeout
    while time.perf_counter() < end:
        ok = driver.execute_script(
            "const c = document.querySelector('[data-metric=\"rub_usd_peak\"] p:nth-of-type(2)');"
            "const g = document.querySelector('#gas-supply .js-plotly-plot');"
            "return !!(c && c.textContent && g && g.data && g.data.length);"
        )
        if ok:
            return time.perf_counter() - start
        time.sleep(0.02)
    raise SystemExit("the page never became usable")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--loads", type=int, default=5)
    ap.add_argument("--port", type=int, default=8071)
    args = ap.parse_args()
    url = f"http://127.0.0.1:{args.port}/"
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "--preload", "--bind", f"127.0.0.1:{args.port}", "--workers", "2", "--log-level", "warning"]
        + ["dash_app.app:server"],
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url, timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        driver = webdriver.Chrome(options=pytest_setup_options())
        driver.set_window_size(1400, 1000)
        try:
            driver.get(url)
            _wait_usable(driver)  # warm: the workers' caches, the browser's cache of the scripts
            times = []
            for _ in range(args.loads):
                driver.get("about:blank")
                t0 = time.perf_counter()
                driver.get(url)  # returns at the load event; then wait for the cards and the first chart
                _wait_usable(driver)
                times.append(time.perf_counter() - t0)
            assert driver.find_element(By.ID, "landing")
        finally:
            driver.quit()
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        f"first page usable (cards and first chart drawn), {len(times)} loads of a warm gunicorn server: "
        f"median {statistics.median(times):.2f} s, worst {max(times):.2f} s (target < 3 s)"
    )


if __name__ == "__main__":
    main()
