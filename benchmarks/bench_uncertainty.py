"""Uncertainty benchmarks: sanctions-only throughput, 1,000 draws of full_package, the Dask speed-up.

    .venv/bin/python -m benchmarks.bench_uncertainty [--repeats 3] [--draws 1000]

Reports medians over repeats (the machine is small and noisy). Targets (issue 5): the sanctions-only
modules at least 10,000 draws per second; 1,000 draws of full_package in under 30 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import econ
from econ import gas
from econ.uncertainty import default_chunk_size, draw, evaluate_draws, uncertain_specs


def _median_time(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def sanctions_only(data, repeats: int) -> None:
    """Every module, the gas LP held at the scenario's own (cached) solve: only non-gas parameters vary."""
    sc = econ.load_scenario("full_package")
    names = [s.name for s in uncertain_specs(sc) if not s.name.startswith("gas.")]
    n = 20_000
    draws = draw(sc, n, seed=1, params=names)
    evaluate_draws(sc.params, draws.iloc[:100], data)  # warm the gas cache and imports
    print(f"sanctions-only: {len(names)} parameters varied, {n:,} draws of full_package")
    for chunk in (None, 100, 1000, 2000):
        t = _median_time(lambda chunk=chunk: evaluate_draws(sc.params, draws, data, chunk_size=chunk), repeats)
        name = f"default ({default_chunk_size(draws)})" if chunk is None else str(chunk)
        print(f"  chunk_size {name:>14}: {n / t:>9,.0f} draws/s  ({t:.2f} s, median of {repeats})")


def lp_warm_start(data, repeats: int) -> None:
    """One gas LP per draw (full_package varies LNG, storage and demand): cold vs warm-started HiGHS sessions."""
    sc = econ.load_scenario("full_package")
    draws = draw(sc, 40, seed=2)
    system = gas.gas_system(data)
    lps = [
        gas.build_lp(gas.build_inputs(sc.params.with_values(row), system), system) for row in draws.to_dict("records")
    ]

    def solve_all(warm: bool):
        session = gas.HighsSession(warm=warm)
        for lp in lps:
            session.solve(lp)

    t_cold = _median_time(lambda: solve_all(False), repeats)
    t_warm = _median_time(lambda: solve_all(True), repeats)
    print(
        f"gas LP, {len(lps)} draws: HiGHS cold {1000 * t_cold / len(lps):.1f} ms/solve, "
        f"warm-started {1000 * t_warm / len(lps):.1f} ms/solve (median of {repeats})"
    )


def full_package(data, n: int, repeats: int) -> None:
    sc = econ.load_scenario("full_package")
    econ.run(sc, data)
    t_serial = _median_time(lambda: econ.monte_carlo(sc, n=n, seed=1, data=data), repeats)
    print(
        f"full_package, {n:,} draws, serial: {t_serial:.1f} s ({1000 * t_serial / n:.1f} ms/draw, median of {repeats})"
    )

    from distributed import Client, LocalCluster

    workers = os.cpu_count() or 1
    start = time.perf_counter()
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with Client(cluster) as client:
            startup = time.perf_counter() - start
            econ.monte_carlo(sc, n=20, seed=9, data=data, backend="dask", scheduler=client)  # warm the workers
            t_dask = _median_time(
                lambda: econ.monte_carlo(sc, n=n, seed=1, data=data, backend="dask", scheduler=client), repeats
            )
    print(
        f"full_package, {n:,} draws, Dask local cluster of {workers} workers: {t_dask:.1f} s "
        f"(speed-up {t_serial / t_dask:.2f}x; cluster start-up {startup:.1f} s not included)"
    )
    start = time.perf_counter()
    econ.monte_carlo(sc, n=n, seed=1, data=data, backend="dask")
    print(f"  one call that starts and stops its own local cluster: {time.perf_counter() - start:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--draws", type=int, default=1000)
    args = parser.parse_args()
    data = econ.load_data()
    print(f"machine: {os.cpu_count()} cores")
    sanctions_only(data, max(args.repeats, 5))
    lp_warm_start(data, args.repeats)
    full_package(data, args.draws, args.repeats)


if __name__ == "__main__":
    main()
