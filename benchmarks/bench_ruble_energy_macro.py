"""CPU time of the sanctions-only Monte Carlo and of the ruble, energy and macro modules (load-independent).

    PYTHONPATH=$PWD .venv/bin/python -m benchmarks.bench_ruble_energy_macro [--save FILE | --check FILE]

Wall-clock draws/s depend on what else runs on the machine; CPU time of this process (``time.process_time``)
much less. Reports, for 20,000 sanctions-only draws of full_package (the set of ``bench_uncertainty``): the
median CPU seconds per 1,000 draws of the whole evaluation and of each of the three modules, and the wall-clock
draws/s with the load average beside it. ``--save`` writes every output of the three modules on a 2,000-draw
batch to an .npz file; ``--check`` compares a later version with it (max abs difference, to 1e-12).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import time

import numpy as np

import econ
from econ import energy, engine, macro, ruble
from econ.params import ParamBatch, Params
from econ.uncertainty import draw, evaluate_draws, uncertain_specs

TIMED = {"ruble": ruble, "energy": energy, "macro": macro}


def _flatten(prefix: str, value, out: dict[str, np.ndarray]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(f"{prefix}.{k}", v, out)
    elif isinstance(value, (np.ndarray, float, int, np.floating, bool, np.bool_)):
        out[prefix] = np.asarray(value)


def module_outputs(data, n: int = 2000) -> dict[str, np.ndarray]:
    sc = econ.load_scenario("full_package")
    names = [s.name for s in uncertain_specs(sc) if not s.name.startswith("gas.")]
    draws = draw(sc, n, seed=1, params=names)
    batch = ParamBatch(Params(dict(sc.params)), {c: draws[c].to_numpy() for c in draws.columns}, n)
    results = engine.evaluate_params(batch, data)
    out: dict[str, np.ndarray] = {}
    for name in TIMED:
        _flatten(f"{name}.metrics", results[name].metrics, out)
        _flatten(f"{name}.outputs", results[name].outputs, out)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--save")
    parser.add_argument("--check")
    args = parser.parse_args()
    data = econ.load_data()
    if args.save or args.check:
        out = module_outputs(data)
        if args.save:
            np.savez(args.save, **out)
            print(f"saved {len(out)} arrays to {args.save}")
        if args.check:
            ref = np.load(args.check)
            worst, missing = 0.0, []
            for k in ref.files:
                if k not in out:
                    missing.append(k)
                    continue
                a, b = np.asarray(ref[k], dtype=float), np.asarray(out[k], dtype=float)
                d = float(np.nanmax(np.abs(a - b))) if a.size else 0.0
                same_nan = bool(np.array_equal(np.isnan(a), np.isnan(b)))
                if d > 1e-12 or not same_nan:
                    print(f"  DIFFERS {k}: max abs diff {d:.3g}")
                worst = max(worst, d)
            print(f"checked {len(ref.files)} arrays: max abs difference {worst:.3g}; missing {missing}")
        return

    sc = econ.load_scenario("full_package")
    names = [s.name for s in uncertain_specs(sc) if not s.name.startswith("gas.")]
    n = 20_000
    draws = draw(sc, n, seed=1, params=names)
    evaluate_draws(sc.params, draws.iloc[:100], data)  # warm caches and imports
    spent = {k: 0.0 for k in TIMED}
    originals = {k: m.evaluate for k, m in TIMED.items()}
    specs = list(engine.MODULES)

    def timed(name, fn):
        def wrapper(*a, **kw):
            start = time.process_time()
            try:
                return fn(*a, **kw)
            finally:
                spent[name] += time.process_time() - start

        return wrapper

    cpu, wall = [], []
    for _ in range(args.repeats):
        start_c, start_w = time.process_time(), time.perf_counter()
        evaluate_draws(sc.params, draws, data)
        cpu.append(time.process_time() - start_c)
        wall.append(time.perf_counter() - start_w)
    # per module: wrap the registered evaluate functions for one more pass (evaluate_params's default modules)
    wrapped = tuple(
        dataclasses.replace(s, evaluate=timed(s.name, originals[s.name])) if s.name in TIMED else s for s in specs
    )
    defaults = engine.evaluate_params.__defaults__
    engine.evaluate_params.__defaults__ = (wrapped,)
    try:
        evaluate_draws(sc.params, draws, data)
    finally:
        engine.evaluate_params.__defaults__ = defaults
    load = os.getloadavg()[0]
    c = statistics.median(cpu)
    w = statistics.median(wall)
    print(f"sanctions-only, {len(names)} parameters varied, {n:,} draws of full_package, {args.repeats} repeats")
    print(f"  CPU {1000 * c / n * 1000:.1f} ms per 1,000 draws; wall {n / w:,.0f} draws/s (load average {load:.2f})")
    if any(spent.values()):
        for k, v in spent.items():
            print(f"  {k:>6}: CPU {1000 * v / n * 1000:.2f} ms per 1,000 draws (one pass)")


if __name__ == "__main__":
    main()
