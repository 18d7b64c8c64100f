"""Time one full_package run through the engine (every module, the gas LP included).

    python benchmarks/bench_full_package.py [--repeat 30] [--preset full_package]

Reports medians. Every iteration clears the gas caches, so each run solves its LP: one
LP when the scenario's Russian routes are at their defaults (the scenario is then its own
reference, as in full_package), two otherwise. A second figure shows a run whose gas
part is cached (what the app pays when only a sanctions assumption moves).
"""

from __future__ import annotations

import argparse
import statistics
import time

import econ
from econ import gas
from econ.engine import module_order


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--preset", default="full_package")
    args = ap.parse_args()
    data = econ.load_data()
    scenario = econ.load_scenario(args.preset)
    gas.clear_caches()
    t0 = time.perf_counter()
    econ.run(scenario, data)
    cold = time.perf_counter() - t0
    totals, per_module = [], {m.name: [] for m in module_order()}
    warm = []
    for _ in range(args.repeat):
        gas.clear_caches()  # time the LPs, not a cache hit
        t0 = time.perf_counter()
        econ.run(scenario, data)
        totals.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        econ.run(scenario, data)
        warm.append(time.perf_counter() - t0)
        done = {}
        gas.clear_caches()
        for spec in module_order():
            t1 = time.perf_counter()
            done[spec.name] = spec.run(scenario.params, data, {r: done[r] for r in spec.requires})
            per_module[spec.name].append(time.perf_counter() - t1)
    print(f"preset: {args.preset}; repeats: {args.repeat}")
    print(f"cold first run (reference LP solved): {cold * 1000:.1f} ms")
    print(f"econ.run, gas LP solved, median: {statistics.median(totals) * 1000:.1f} ms")
    print(f"econ.run, gas part cached, median: {statistics.median(warm) * 1000:.1f} ms")
    for name, times in per_module.items():
        print(f"  {name:7s} median {statistics.median(times) * 1000:7.2f} ms")


if __name__ == "__main__":
    main()
