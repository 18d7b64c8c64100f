"""Server time from a slider change to updated results, through the real app (Flask + Dash dispatch).

    python benchmarks/bench_app_latency.py [--requests 60] [--preset full_package]

Each request moves one slider to a new value (no two alike, so the run cache never
helps) and posts the callback request the browser would send, with the page's state as
the last response left it (the "figure-keys" store); the time is the server's, from
request to response (the page's rendering is not included).
Reports p50 and p95 (target, issue 13: p95 under 150 ms for full_package), the CPU time per change
(process time: independent of what else runs on the machine) and the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time

import numpy as np

from benchmarks.app_requests import payload
from dash_app.app import create_app

SLIDERS = (
    "swift.excluded_payment_share",
    "dollar.reserves_frozen_share",
    "chips.leakage_share",
    "gas.lng.qatar.divertible_share",
    "ruble.capital_controls_strength",
    "trade.parallel_import_premium_pct",
)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=60)
    ap.add_argument("--preset", default="full_package")
    ap.add_argument("--tab", default="gas", help="the open tab (its figures are built on each change)")
    ap.add_argument(
        "--session",
        action="store_true",
        help="each change stays (a user moving one slider after another); by default each request changes one "
        "slider from the preset, which also undoes the previous request's change",
    )
    args = ap.parse_args()
    app = create_app()
    client = app.server.test_client()
    deps = json.loads(client.get("/_dash-dependencies").data)
    from econ.params import load_registry

    reg = load_registry()
    rng = np.random.default_rng(1)
    times, cpu = [], []
    keys: dict[str, str] = {}
    by_slider: dict[str, list[float]] = {}
    changes: dict[str, float] = {}
    load_before = os.getloadavg()[0]
    for k in range(args.requests + 3):
        name = SLIDERS[k % len(SLIDERS)]
        spec = reg[name]
        value = round(float(rng.uniform(float(spec.low), float(spec.high))), 6)
        changes = {**changes, name: value} if args.session else {name: value}
        changes = {name: value, **{k: v for k, v in changes.items() if k != name}}  # the moved one first
        body = payload(deps, args.preset, changes, "http://127.0.0.1:8050/", tab=args.tab, figure_keys=keys)
        t0, c0 = time.perf_counter(), time.process_time()
        resp = client.post("/_dash-update-component", json=body)
        elapsed, used = time.perf_counter() - t0, time.process_time() - c0
        if resp.status_code != 200:
            raise SystemExit(f"request failed: {resp.status_code} {resp.data[:300]!r}")
        # as the browser does: the page's "figure-keys" store holds what the last response set
        keys = json.loads(resp.data)["response"].get("figure-keys", {}).get("data", keys)
        if k >= 3:  # the first requests warm the caches of the reference runs
            times.append(elapsed)
            cpu.append(used)
            by_slider.setdefault(name, []).append(used)
    load_after = os.getloadavg()[0]
    times_ms = sorted(1000 * t for t in times)
    p95 = times_ms[int(0.95 * (len(times_ms) - 1))]
    cpu_ms = sorted(1000 * c for c in cpu)
    print(
        f"preset {args.preset}, tab {args.tab}{', session' if args.session else ''}: {len(times_ms)} slider changes; "
        "server time p50 "
        f"{statistics.median(times_ms):.0f} ms, p95 {p95:.0f} ms, max {times_ms[-1]:.0f} ms (target p95 < 150 ms); "
        f"CPU per change median {statistics.median(cpu_ms):.0f} ms, p95 {cpu_ms[int(0.95 * (len(cpu_ms) - 1))]:.0f} ms; "
        f"load average {load_before:.1f} before, {load_after:.1f} after ({os.cpu_count()} cores)"
    )
    print(
        "CPU per change by slider (median): "
        + "; ".join(f"{k} {1000 * statistics.median(v):.0f} ms" for k, v in by_slider.items())
    )


if __name__ == "__main__":
    main()
