"""The engine with and without the europe module on full_package, interleaved in one process (median of 60 each):
the added time of issue 12 on a noisy machine.

    python benchmarks/bench_europe_delta.py
"""

from __future__ import annotations

import statistics
import time

import econ
from econ.engine import MODULES, run_params
from econ.results import build_results


def main() -> None:
    data = econ.load_data()
    sc = econ.load_scenario("full_package")
    without = tuple(m for m in MODULES if m.name != "europe")

    def full(mods) -> None:
        build_results(sc, data, run_params(sc.params, data, mods))

    full(MODULES)
    full(without)
    a, b = [], []
    for _ in range(60):
        t = time.perf_counter()
        full(MODULES)
        a.append(time.perf_counter() - t)
        t = time.perf_counter()
        full(without)
        b.append(time.perf_counter() - t)
    ma, mb = statistics.median(a), statistics.median(b)
    print(
        f"with europe {ma * 1000:.1f} ms, without {mb * 1000:.1f} ms, added {(ma - mb) * 1000:.1f} ms (medians of 60)"
    )


if __name__ == "__main__":
    main()
