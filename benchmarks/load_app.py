"""Load test: 20 concurrent simulated sessions against the app under gunicorn, on loopback only.

    python benchmarks/load_app.py [--sessions 20] [--requests 10] [--workers 2] [--port 8061]

Starts gunicorn (dash_app.app:server) on 127.0.0.1, waits until it answers, then
each session (a thread with its own scenario) posts --requests slider changes,
as a browser would, with a person's pause between changes (--think-ms; 0 for the
saturation case, every session firing back to back). Bounded in count and time; stops gunicorn at the end.
Reports p50/p95 latency and errors (target: no errors, p95 under 1 s).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

from benchmarks.app_requests import payload

SLIDERS = (
    "swift.excluded_payment_share",
    "dollar.reserves_frozen_share",
    "chips.leakage_share",
    "ruble.capital_controls_strength",
    "gas.lng.qatar.divertible_share",
)
PRESETS = ("full_package", "baseline", "swift_full", "dollar_clearing_ban", "russia_gas_cutoff")


def _post(url: str, body: dict, timeout: float = 30) -> int:
    req = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        resp.read()
        return resp.status


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--requests", type=int, default=10)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--port", type=int, default=8061)
    ap.add_argument(
        "--think-ms",
        type=float,
        default=1000,
        help="mean pause between one session's changes (uniform 0.5x-1.5x; 0 = back to back)",
    )
    args = ap.parse_args()
    base = f"http://127.0.0.1:{args.port}"
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    proc = subprocess.Popen(
        [
            gunicorn,
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--timeout",
            "60",
            "dash_app.app:server",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deps = None
        for _ in range(120):
            try:
                with urllib.request.urlopen(base + "/_dash-dependencies", timeout=2) as resp:
                    deps = json.loads(resp.read())
                break
            except OSError:
                time.sleep(0.5)
        if deps is None:
            raise SystemExit("gunicorn did not start")
        latencies: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()

        def session(k: int) -> None:
            preset = PRESETS[k % len(PRESETS)]
            rng = random.Random(k)
            for j in range(args.requests):
                if args.think_ms > 0:
                    time.sleep(rng.uniform(0.5, 1.5) * args.think_ms / 1000)
                name = SLIDERS[(k + j) % len(SLIDERS)]
                body = payload(
                    deps,
                    preset,
                    {
                        name: round(0.05 + 0.9 * ((k * 7 + j * 3) % 97) / 97, 4)
                        * (0.15 if name == "gas.lng.qatar.divertible_share" else 1.0)
                        + (0.03 if name == "gas.lng.qatar.divertible_share" else 0.0)
                    },
                    base + "/",
                )
                t0 = time.perf_counter()
                try:
                    status = _post(base + "/_dash-update-component", body)
                    ok = status == 200
                except Exception as exc:  # noqa: BLE001 - every failure is counted and reported
                    ok, status = False, repr(exc)
                elapsed = time.perf_counter() - t0
                with lock:
                    latencies.append(elapsed)
                    if not ok:
                        errors.append(f"session {k} request {j}: {status}")

        t0 = time.perf_counter()
        threads = [threading.Thread(target=session, args=(k,)) for k in range(args.sessions)]
        for th in threads:
            th.start()
        for th in threads:
            th.join(timeout=600)
        wall = time.perf_counter() - t0
        ms = sorted(1000 * x for x in latencies)
        p95 = ms[int(0.95 * (len(ms) - 1))]
        print(
            f"{args.sessions} sessions x {args.requests} requests, think time {args.think_ms:.0f} ms, "
            f"gunicorn {args.workers} workers: "
            f"{len(ms)} responses in {wall:.1f} s; latency p50 {statistics.median(ms):.0f} ms, p95 {p95:.0f} ms, "
            f"max {ms[-1]:.0f} ms; errors {len(errors)} (target: 0 errors, p95 < 1000 ms)"
        )
        for e in errors[:5]:
            print("  ", e)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)


if __name__ == "__main__":
    main()
