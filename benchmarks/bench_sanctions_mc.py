"""The sanctions-only Monte Carlo: CPU time per module, a cProfile, and an equality check of every output.

    PYTHONPATH=$PWD .venv/bin/python -m benchmarks.bench_sanctions_mc [--repeats 5]
    PYTHONPATH=$PWD .venv/bin/python -m benchmarks.bench_sanctions_mc --save before.npz
    PYTHONPATH=$PWD .venv/bin/python -m benchmarks.bench_sanctions_mc --check before.npz
    PYTHONPATH=$PWD .venv/bin/python -m benchmarks.bench_sanctions_mc --profile [--top 30]

The set of ``bench_uncertainty.py`` (20,000 sanctions-only draws of full_package, the default chunk). Timing
reports the median CPU time (``time.process_time``: load-independent, unlike wall time) per 1,000 draws of the
whole evaluation and, from one more pass with every registered module's evaluate wrapped in a CPU timer, of each
module and of the glue around them (``evaluate_chunk`` minus the modules); the wall-clock draws/s with the load
average beside it.

``--save`` writes every metric and output array of every module (Frictions fields included) on a 2,000-draw batch,
and the outcomes frame of ``evaluate_draws`` on the same draws, to an .npz file; ``--check`` recomputes them with
the current code and asserts that every array has the same shape, the same NaNs and agrees to 1e-12 relative
(|a - b| <= 1e-12 max(|a|, |b|) element by element), reporting the largest relative difference.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import os
import pstats
import statistics
import sys
import time

import numpy as np

import econ
from econ import engine
from econ.params import ParamBatch, Params
from econ.uncertainty import draw, evaluate_draws, uncertain_specs

N_TIMED = 20_000
N_CHECK = 2_000
REL_TOL = 1e-12


def sanctions_draws(n: int):
    sc = econ.load_scenario("full_package")
    names = [s.name for s in uncertain_specs(sc) if not s.name.startswith("gas.")]
    return sc, names, draw(sc, n, seed=1, params=names)


def _flatten(prefix: str, value, out: dict[str, np.ndarray]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(f"{prefix}.{k}", v, out)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            _flatten(f"{prefix}.{f.name}", getattr(value, f.name), out)
    elif isinstance(value, (np.ndarray, float, int, np.floating, np.integer, bool, np.bool_)):
        out[prefix] = np.asarray(value)


def all_outputs(data, n: int = N_CHECK) -> dict[str, np.ndarray]:
    sc, _, draws = sanctions_draws(n)
    batch = ParamBatch(Params(dict(sc.params)), {c: draws[c].to_numpy() for c in draws.columns}, n)
    results = engine.evaluate_params(batch, data)
    out: dict[str, np.ndarray] = {}
    for name, result in results.items():
        _flatten(f"{name}.metrics", result.metrics, out)
        _flatten(f"{name}.outputs", result.outputs, out)
    outcomes = evaluate_draws(sc.params, draws, data)
    for c in outcomes.columns:
        out[f"evaluate_draws.{c}"] = outcomes[c].to_numpy()
    return out


def check(ref_path: str, data) -> bool:
    out = all_outputs(data)
    ref = np.load(ref_path)
    worst, worst_key, bad, missing = 0.0, "", [], []
    for k in ref.files:
        if k not in out:
            missing.append(k)
            continue
        a, b = np.asarray(ref[k]), np.asarray(out[k])
        if a.shape != b.shape:
            bad.append(f"{k}: shape {a.shape} -> {b.shape}")
            continue
        if a.dtype.kind not in "fc" and b.dtype.kind not in "fc":
            if not np.array_equal(a, b):
                bad.append(f"{k}: differs")
            continue
        a, b = a.astype(float), b.astype(float)
        if not np.array_equal(np.isnan(a), np.isnan(b)):
            bad.append(f"{k}: NaNs differ")
            continue
        ok = ~np.isnan(a)
        diff = np.abs(a[ok] - b[ok])
        scale = np.maximum(np.abs(a[ok]), np.abs(b[ok]))
        both_inf = np.isinf(a[ok]) & (a[ok] == b[ok])
        rel = np.where(both_inf, 0.0, np.divide(diff, scale, out=np.zeros_like(diff), where=scale > 0))
        r = float(rel.max()) if rel.size else 0.0
        if r > worst:
            worst, worst_key = r, k
        if r > REL_TOL:
            bad.append(f"{k}: max relative difference {r:.3g}")
    extra = sorted(set(out) - set(ref.files))
    identical = sum(
        np.array_equal(np.asarray(ref[k]), np.asarray(out[k]), equal_nan=True) for k in ref.files if k in out
    )
    print(
        f"checked {len(ref.files)} arrays ({identical} bit-identical): max relative difference {worst:.3g}"
        + (f" ({worst_key})" if worst_key else "")
    )
    for line in bad:
        print("  FAIL", line)
    if missing:
        print("  FAIL missing:", missing)
    if extra:
        print("  new arrays (not compared):", extra)
    return not bad and not missing


def timing(data, repeats: int) -> None:
    sc, names, draws = sanctions_draws(N_TIMED)
    n = len(draws)
    evaluate_draws(sc.params, draws.iloc[:100], data)  # warm caches and imports
    cpu, wall = [], []
    for _ in range(repeats):
        start_c, start_w = time.process_time(), time.perf_counter()
        evaluate_draws(sc.params, draws, data)
        cpu.append(time.process_time() - start_c)
        wall.append(time.perf_counter() - start_w)
    load = os.getloadavg()[0]
    spent = {s.name: 0.0 for s in engine.MODULES}

    def timed(name, fn):
        def wrapper(*a, **kw):
            start = time.process_time()
            try:
                return fn(*a, **kw)
            finally:
                spent[name] += time.process_time() - start

        return wrapper

    wrapped = tuple(dataclasses.replace(s, evaluate=timed(s.name, s.evaluate)) for s in engine.MODULES)
    defaults = engine.evaluate_params.__defaults__
    engine.evaluate_params.__defaults__ = (wrapped,)
    try:
        start_c = time.process_time()
        evaluate_draws(sc.params, draws, data)
        one = time.process_time() - start_c
    finally:
        engine.evaluate_params.__defaults__ = defaults
    c, w = statistics.median(cpu), statistics.median(wall)
    print(f"sanctions-only, {len(names)} parameters varied, {n:,} draws of full_package, {repeats} repeats")
    print(
        f"  CPU {1e6 * c / n:.1f} ms per 1,000 draws (runs: {', '.join(f'{1e6 * x / n:.1f}' for x in cpu)}); "
        f"wall {n / w:,.0f} draws/s (load average {load:.2f})"
    )
    per = {k: 1e6 * v / n for k, v in spent.items()}
    for k, v in sorted(per.items(), key=lambda kv: -kv[1]):
        print(f"  {k:>8}: CPU {v:6.2f} ms per 1,000 draws (one pass)")
    print(f"  {'glue':>8}: CPU {1e6 * one / n - sum(per.values()):6.2f} ms per 1,000 draws (the pass minus modules)")


def profile(data, top: int) -> None:
    sc, _, draws = sanctions_draws(N_TIMED)
    evaluate_draws(sc.params, draws.iloc[:100], data)
    prof = cProfile.Profile(time.process_time)
    prof.enable()
    evaluate_draws(sc.params, draws, data)
    prof.disable()
    pstats.Stats(prof).sort_stats("cumulative").print_stats(top)
    pstats.Stats(prof).sort_stats("tottime").print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--save")
    parser.add_argument("--check")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    data = econ.load_data()
    if args.save:
        out = all_outputs(data)
        np.savez(args.save, **out)
        print(f"saved {len(out)} arrays to {args.save}")
    elif args.check:
        sys.exit(0 if check(args.check, data) else 1)
    elif args.profile:
        profile(data, args.top)
    else:
        timing(data, args.repeats)


if __name__ == "__main__":
    main()
