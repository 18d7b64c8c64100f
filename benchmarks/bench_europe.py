"""Europe's own cost: its added time on a full_package run and per draw in a Monte Carlo batch.

    python benchmarks/bench_europe.py [--repeat 30] [--draws 2000]

Reports medians: the module's run() on full_package and on russia_gas_cutoff (upstream results computed once),
and its evaluate() on a batch of sanctions-only draws (every non-gas uncertain parameter varies, the europe block
included), beside the whole engine's time on the same batch.
"""

from __future__ import annotations

import argparse
import statistics
import time

import econ
from econ import europe
from econ.engine import evaluate_params, module_order, run_params
from econ.params import ParamBatch
from econ.uncertainty import draw, uncertain_specs

UPSTREAM = ("gas", "trade", "energy", "ruble", "macro")


def _median(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--draws", type=int, default=2000)
    args = ap.parse_args()
    data = econ.load_data()
    for preset in ("full_package", "russia_gas_cutoff"):
        sc = econ.load_scenario(preset)
        done = run_params(sc.params, data)
        up = {k: done[k] for k in UPSTREAM}
        t = _median(lambda sc=sc, up=up: europe.run(sc.params, data, up), args.repeat)
        print(f"europe.run on {preset}: median {t * 1000:.2f} ms")
    sc = econ.load_scenario("full_package")
    names = [s.name for s in uncertain_specs(sc) if not s.name.startswith("gas.")]
    draws = draw(sc, args.draws, seed=1, params=names)
    batch = ParamBatch(sc.params, {k: draws[k].to_numpy() for k in draws.columns})
    done = evaluate_params(batch, data)
    per = {}
    for spec in module_order():
        up = {r: done[r] for r in spec.requires}
        per[spec.name] = _median(lambda spec=spec, up=up: spec.evaluate(batch, data, up), 3)
    total = sum(per.values())
    print(f"sanctions-only batch of {args.draws} draws ({len(names)} parameters), median of 3:")
    print(f"  europe.evaluate {per['europe'] * 1000:.1f} ms of {total * 1000:.1f} ms for every module")
    print(f"  ({per['europe'] / args.draws * 1e6:.1f} us a draw; engine {args.draws / total:,.0f} draws/s)")


if __name__ == "__main__":
    main()
