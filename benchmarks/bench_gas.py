"""Time the gas model on its one solver path (persistent HiGHS models): a cold full run and a warm re-solve.

    python benchmarks/bench_gas.py [--repeat 30] [--preset russia_gas_cutoff] [--eu-only]

Reports medians (the machine is small and noisy) and the share of each spent inside HiGHS (``Highs.run``).

* Cold full run: what ``econ.run()`` does for the gas module with every gas cache cleared
  (``gas.clear_caches()``: no solved LP, no HiGHS model, no LP structure kept): the reference LP built, passed to
  HiGHS and solved from scratch, the scenario LP started from the reference's basis, then the tables, metrics and
  monthly outputs.
* Warm re-solve: one parameter changed (``gas.lng.qatar.divertible_share``, alternating between two values)
  and the scenario LP rebuilt and re-solved on a persistent warm-started model (what a Monte Carlo does per
  draw): only the changed costs, bounds and coefficients are passed, and the dual simplex starts from the
  session's anchor (the first solve's first-stage basis; the second stage from the first's).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import econ
from econ import gas

QATAR = "gas.lng.qatar.divertible_share"


def _inside_highs() -> float:
    return sum(gas.module._session(role).solve_time for role in ("reference", "scenario"))


def _iterations() -> int:
    return sum(gas.module._session(role).iterations for role in ("reference", "scenario"))


def cold_full_run(params, data, repeat: int) -> tuple[list[float], list[float]]:
    totals, solver = [], []
    iterations = 0
    cpu = []
    for _ in range(repeat):
        gas.clear_caches()
        t0, c0 = time.perf_counter(), time.process_time()
        res = gas.run(params, data)
        totals.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        solver.append(_inside_highs())
        iterations = _iterations()
        assert res.status == "ok", res.message
    print(f"simplex iterations of a cold full run (reference and scenario, two stages each): {iterations}")
    # CPU time of the process: what the wall time would be on an idle core (the machine is shared)
    print(f"cold full run, CPU time median: {statistics.median(cpu) * 1000:.1f} ms")
    return totals, solver


def warm_resolve(params, data, repeat: int) -> tuple[list[float], list[float], int]:
    system = gas.system_for(params, data)
    session = gas.HighsSession(warm=True)
    spec = econ.load_registry()[QATAR]
    values = (float(params[QATAR]), float(params[QATAR]) + 0.25 * (float(spec.high) - float(spec.low)))
    gas.solve_lp(gas.build_inputs(params, system), system, session)  # the first solve passes the model
    totals, solver, cpu = [], [], []
    for k in range(repeat):
        changed = params.with_values({QATAR: values[(k + 1) % 2]})
        before = session.solve_time
        t0, c0 = time.perf_counter(), time.process_time()
        sol = gas.solve_lp(gas.build_inputs(changed, system), system, session)
        totals.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        solver.append(session.solve_time - before)
        assert sol.status == "ok", sol.message
    print(f"warm re-solve, CPU time median: {statistics.median(cpu) * 1000:.2f} ms")
    lp = gas.build_lp(gas.build_inputs(params, system), system)
    return totals, solver, lp.shape, len(lp.data), lp.n_eq


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--preset", default="russia_gas_cutoff")
    ap.add_argument(
        "--eu-only",
        action="store_true",
        help="gas.market.wider_europe = false (default: the registry's, the wider Europe)",
    )
    ap.add_argument("--tariff-scale", type=float, default=None, help="gas.network.tariff_scale (default: registry)")
    args = ap.parse_args()
    data = econ.load_data()
    params = econ.load_scenario(args.preset).params
    if args.eu_only:
        params = params.with_values({"gas.market.wider_europe": False})
    if args.tariff_scale is not None:
        params = params.with_values({"gas.network.tariff_scale": args.tariff_scale})
    gas.run(params, data)  # imports, the GasSystem and the data are loaded once, as in any session
    system = gas.system_for(params, data)
    inputs = gas.build_inputs(params, system)
    builds = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        gas.build_lp(gas.build_inputs(params, system), system)
        builds.append(time.perf_counter() - t0)

    cold, cold_solver = cold_full_run(params, data, args.repeat)
    warm, warm_solver, (n_rows, n_cols), nnz, n_eq = warm_resolve(params, data, args.repeat)
    med = statistics.median
    print(
        f"preset: {args.preset}{' (EU-only network)' if args.eu_only else ' (wider Europe)'}; countries: {len(system.countries)}; months: {len(inputs.months)}; "
        f"LP: {n_cols} columns, {n_rows} rows ({n_eq} equalities), {nnz} non-zeros; repeats: {args.repeat}; "
        f"machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"cold full run (caches cleared; reference + scenario LPs built and solved), median: {med(cold) * 1000:.1f} ms"
    )
    print(f"  inside HiGHS, median: {med(cold_solver) * 1000:.1f} ms ({100 * med(cold_solver) / med(cold):.0f}%)")
    print(f"warm re-solve (one parameter changed: {QATAR}), median: {med(warm) * 1000:.2f} ms")
    print(f"  inside HiGHS, median: {med(warm_solver) * 1000:.2f} ms ({100 * med(warm_solver) / med(warm):.0f}%)")
    print(f"building the LP (inputs + matrices), median: {med(builds) * 1000:.2f} ms")


if __name__ == "__main__":
    main()
