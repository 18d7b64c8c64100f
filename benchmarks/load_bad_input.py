"""Load with bad input: 20 concurrent sessions against gunicorn on 127.0.0.1, a third of them sending bad
uploads and tampered share links (from tests/bad_inputs/corpus.py), the rest moving sliders.

    python benchmarks/load_bad_input.py [--sessions 20] [--requests 12] [--workers 2] [--port 8062]

Reports server errors (HTTP 5xx), p50/p95 latency, whether every bad request got its on-page error and
every good one its own values back (no cross-session leakage), and the workers' RSS before and after.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from benchmarks.app_requests import controls_payload, payload
from tests.bad_inputs.corpus import FILE_CASES, LINK_CASES


def _post(url: str, body: dict) -> tuple[int, dict | None]:
    req = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, None


def _rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS"))


def _workers(master: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout.split()
    return [int(p) for p in out]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--requests", type=int, default=12)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--port", type=int, default=8062)
    args = ap.parse_args()
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--preload",
            "--timeout",
            "120",
            "dash_app.app:server",
        ],
        env={**os.environ},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        deps = json.loads(urllib.request.urlopen(base + "/_dash-dependencies").read())
        url = base + "/_dash-update-component"
        _post(url, payload(deps, "baseline", {"chips.leakage_share": 0.5}, base + "/"))  # warm
        rss_before = {p: _rss_kib(p) for p in _workers(server.pid)}
        bad = [("upload", c) for c in FILE_CASES] + [("url", c) for c in LINK_CASES]
        latencies, errors5xx, problems = [], [], []
        lock = threading.Lock()

        def session(i: int) -> None:
            for k in range(args.requests):
                t0 = time.perf_counter()
                if i % 3 == 0:
                    kind, case = bad[(i * args.requests + k) % len(bad)]
                    if kind == "upload":
                        data = case.data
                        contents = "data:x;base64," + base64.b64encode(data).decode()
                        body = controls_payload(
                            deps,
                            "upload",
                            upload={"filename": "bad.yaml", "size": len(data), "contents": contents, "at": k},
                        )
                    else:
                        body = controls_payload(deps, "url", search=case.text)
                    status, resp = _post(url, body)
                    ok = (
                        status == 200
                        and resp
                        and resp["response"]["status"]["color"] == "red"
                        and set(resp["response"]) == {"status"}
                    )
                    msg = None if not ok else resp["response"]["status"]["children"]
                    if ok and case.fragment.lower() not in msg.lower() and "larger than" not in msg:
                        ok = False
                else:
                    value = round(0.2 + 0.01 * i + 0.001 * k, 4)
                    status, resp = _post(url, payload(deps, "baseline", {"chips.leakage_share": value}, base + "/"))
                    link = resp["response"]["share-link"]["value"] if status == 200 else ""
                    ok = status == 200 and f'"chips.leakage_share":{value}' in urllib.parse.unquote(link)
                with lock:
                    latencies.append(time.perf_counter() - t0)
                    if status >= 500:
                        errors5xx.append(status)
                    if not ok:
                        problems.append((i, k, status))

        started = time.perf_counter()
        threads = [threading.Thread(target=session, args=(i,)) for i in range(args.sessions)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - started
        rss_after = {p: _rss_kib(p) for p in _workers(server.pid)}
        lat = sorted(latencies)
        print(
            f"sessions {args.sessions} ({sum(1 for i in range(args.sessions) if i % 3 == 0)} sending bad input), "
            f"{len(lat)} requests in {wall:.1f} s"
        )
        print(f"server errors (5xx): {len(errors5xx)}; wrong or missing responses: {len(problems)} {problems[:5]}")
        print(
            f"latency p50 {statistics.median(lat) * 1000:.0f} ms, p95 {lat[int(0.95 * (len(lat) - 1))] * 1000:.0f} ms"
        )
        print(
            f"worker RSS before (MiB): {[round(v / 1024) for v in rss_before.values()]}, "
            f"after: {[round(v / 1024) for v in rss_after.values()]}"
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
