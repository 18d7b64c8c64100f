"""Paired A/B in one process: the sanctions-only Monte Carlo with a reference commit's trade module (and its
frictions.combine) against the working tree's, alternated run by run, so that both see the same machine load.

    PYTHONPATH=$PWD .venv/bin/python -m benchmarks.bench_trade_ab [REF] [REPEATS]   (default 00eb872, 3)

Reports the median CPU time (``time.process_time``) per 1,000 draws of the whole evaluation (20,000 draws of
full_package, the set of bench_uncertainty.py) and of the trade module alone, for REF ("old") and the working tree
("new"), with the load average. Everything else (the other modules, the glue) is the working tree's in both.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import os
import statistics
import subprocess
import sys
import time

import econ
from econ import engine
from econ.uncertainty import evaluate_draws

from .bench_sanctions_mc import sanctions_draws


def load_at(ref: str, path: str, name: str):
    """The module at ``path`` as of commit ``ref``, imported under ``name`` (its relative imports resolve in econ)."""
    src = subprocess.check_output(["git", "show", f"{ref}:{path}"], text=True)
    mod = importlib.util.module_from_spec(importlib.util.spec_from_loader(name, loader=None))
    mod.__package__ = name.rsplit(".", 1)[0]
    sys.modules[name] = mod
    exec(compile(src, f"{path}@{ref}", "exec"), mod.__dict__)
    return mod


def main() -> None:
    ref = sys.argv[1] if len(sys.argv) > 1 else "00eb872"
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    fr_old = load_at(ref, "econ/sanctions/frictions.py", "econ.sanctions.frictions_ref")
    tr_old = load_at(ref, "econ/trade.py", "econ.trade_ref")
    tr_old.combine = fr_old.combine
    variants = {
        "old": tuple(
            dataclasses.replace(s, evaluate=tr_old.evaluate) if s.name == "trade" else s for s in engine.MODULES
        ),
        "new": engine.MODULES,
    }
    data = econ.load_data()
    sc, _, draws = sanctions_draws(20_000)
    n = len(draws)
    evaluate_draws(sc.params, draws.iloc[:100], data)
    pt = time.process_time
    res: dict[str, list[float]] = {k: [] for k in ("old", "new", "old trade", "new trade")}
    defaults = engine.evaluate_params.__defaults__
    try:
        for _ in range(repeats):
            for label, mods in variants.items():
                spent = [0.0]

                def timed(fn, spent=spent):
                    def wrapper(*a, **kw):
                        start = pt()
                        try:
                            return fn(*a, **kw)
                        finally:
                            spent[0] += pt() - start

                    return wrapper

                engine.evaluate_params.__defaults__ = (
                    tuple(dataclasses.replace(s, evaluate=timed(s.evaluate)) if s.name == "trade" else s for s in mods),
                )
                start = pt()
                evaluate_draws(sc.params, draws, data)
                res[label].append(1e6 * (pt() - start) / n)
                res[label + " trade"].append(1e6 * spent[0] / n)
    finally:
        engine.evaluate_params.__defaults__ = defaults
    print(f"reference {ref} (old) vs working tree (new), {n:,} sanctions-only draws, {repeats} alternated repeats")
    for k, v in res.items():
        print(f"  {k:>9}: CPU {statistics.median(v):6.1f} ms per 1,000 draws (runs {', '.join(f'{x:.1f}' for x in v)})")
    print(f"  load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
