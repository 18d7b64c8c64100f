"""Time a Monte Carlo of a gas scenario: N draws of its uncertain parameters, every module evaluated, on one core.

    python benchmarks/bench_gas_mc.py [--draws 1000] [--preset russia_gas_cutoff] [--eu-only]

Each draw varies gas parameters, so each needs its own reference and scenario LPs (one warm-started HiGHS model,
each first stage from its role's anchor basis: econ/gas/module.py, ``evaluate``).
"""

from __future__ import annotations

import argparse
import os
import time

import econ
from econ import gas
from econ.uncertainty import draw, evaluate_draws


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--draws", type=int, default=1000)
    ap.add_argument("--preset", default="russia_gas_cutoff")
    ap.add_argument(
        "--eu-only",
        action="store_true",
        help="gas.market.wider_europe = false (default: the registry's, the wider Europe)",
    )
    ap.add_argument("--tariff-scale", type=float, default=None, help="gas.network.tariff_scale (default: registry)")
    args = ap.parse_args()
    data = econ.load_data()
    sc = econ.load_scenario(args.preset)
    if args.tariff_scale is not None:
        sc = sc.with_overrides({"gas.network.tariff_scale": args.tariff_scale})
    if args.eu_only:
        sc = sc.with_overrides({"gas.market.wider_europe": False})
    draws = draw(sc, args.draws, seed=1)
    gas.clear_caches()
    t0, c0 = time.perf_counter(), time.process_time()
    out = evaluate_draws(sc.params, draws, data)
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    ok = out["ttf_price_avg_eur_mwh"].notna().mean()
    print(
        f"{args.preset}{' (EU-only network)' if args.eu_only else ' (wider Europe)'}: {args.draws} draws in {dt:.1f} s ({1000 * dt / args.draws:.1f} ms a draw); "
        f"CPU time {cpu:.1f} s ({1000 * cpu / args.draws:.1f} ms a draw); share solved {ok:.3f}; "
        f"load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
