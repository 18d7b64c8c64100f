"""Time one full gas run (EU27 x 13 months) and the share spent inside HiGHS.

    python benchmarks/bench_gas.py [--repeat 30] [--preset russia_gas_cutoff]

Reports medians (the machine is small and noisy). A "full run" is what
econ.run() does for the gas module: build the inputs, solve the scenario LP
and turn the solution into tables; the reference LP is cached across runs
with the same non-Russian assumptions, as in the app, and is timed separately.
"""

from __future__ import annotations

import argparse
import statistics
import time
from unittest import mock

import scipy.optimize

import econ
from econ import gas
from econ.engine import run_params


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--preset", default="russia_gas_cutoff")
    args = ap.parse_args()
    data = econ.load_data()
    params = econ.load_scenario(args.preset).params
    real_linprog = scipy.optimize.linprog
    solver_time = []

    def timed_linprog(*a, **k):
        t0 = time.perf_counter()
        out = real_linprog(*a, **k)
        solver_time.append(time.perf_counter() - t0)
        return out

    gas._solve_cached.cache_clear()
    t0 = time.perf_counter()
    run_params(params, data)
    cold = time.perf_counter() - t0

    totals, solves = [], []
    with mock.patch.object(gas, "linprog", timed_linprog):
        for _ in range(args.repeat):
            gas._scenario_cached.cache_clear()  # time the scenario's solve, not a cache hit
            solver_time.clear()
            t0 = time.perf_counter()
            run_params(params, data)
            totals.append(time.perf_counter() - t0)
            solves.append(sum(solver_time))
        system = gas.gas_system(data)
        inputs = gas.build_inputs(params, system)
        builds = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            gas.build_lp(gas.build_inputs(params, system), system)
            builds.append(time.perf_counter() - t0)
    med_total, med_solve = statistics.median(totals), statistics.median(solves)
    print(
        f"preset: {args.preset}; countries: {len(system.countries)}; months: {len(inputs.months)}; repeats: {args.repeat}"
    )
    print(f"first run incl. reference LP (cold cache): {cold * 1000:.1f} ms")
    print(f"full gas run, median:   {med_total * 1000:.1f} ms")
    print(f"  inside HiGHS, median: {med_solve * 1000:.1f} ms ({100 * med_solve / med_total:.0f}% of the run)")
    print(f"  outside the solver:   {(med_total - med_solve) * 1000:.1f} ms (building the LP, tables, metrics)")
    print(f"  building the LP (inputs + matrices), median: {statistics.median(builds) * 1000:.2f} ms")


if __name__ == "__main__":
    main()
