"""The engine with and without the europe module on full_package, interleaved in one process (median of 60 each):
the added time of issue 12 on a noisy machine. python benchmarks/bench_europe_delta.py"""

import econ, time, statistics
from econ.engine import MODULES, run_params
from econ.results import build_results

data = econ.load_data()
sc = econ.load_scenario("full_package")
without = tuple(m for m in MODULES if m.name != "europe")


def full(mods):
    done = run_params(sc.params, data, mods)
    build_results(sc, data, done)


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
print(
    "with europe",
    round(statistics.median(a) * 1000, 1),
    "without",
    round(statistics.median(b) * 1000, 1),
    "delta",
    round((statistics.median(a) - statistics.median(b)) * 1000, 1),
    "ms",
)
