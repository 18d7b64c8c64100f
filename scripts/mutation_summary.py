"""Summarise a mutmut run (the mutants/ folder): per module killed, survived, timeouts, not checked, and the score.

    python scripts/mutation_summary.py                 # every module with checked mutants
    python scripts/mutation_summary.py --survivors     # and the surviving mutants' names

Score = (killed + timeouts) / (killed + timeouts + survived), over the mutants that were checked.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KILLED, SURVIVED, NOT_CHECKED = {1, 3}, {0}, {None}
TIMEOUT = {36, 24, -24, 152, 255}


def main(argv: list[str]) -> int:
    metas = sorted((ROOT / "mutants").rglob("*.py.meta"))
    if not metas:
        print("no mutants/ folder: run `make mutation` first")
        return 1
    total: Counter[str] = Counter()
    survivors: list[str] = []
    print(
        f"{'module':32s} {'mutants':>8s} {'checked':>8s} {'killed':>7s} {'timeout':>7s} {'survived':>8s} {'score':>6s}"
    )
    for meta in metas:
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        c: Counter[str] = Counter()
        for name, code in codes.items():
            kind = (
                "killed"
                if code in KILLED
                else "survived"
                if code in SURVIVED
                else "timeout"
                if code in TIMEOUT
                else "not_checked"
                if code in NOT_CHECKED
                else "other"
            )
            c[kind] += 1
            if kind == "survived":
                survivors.append(name)
        checked = c["killed"] + c["timeout"] + c["survived"]
        if not checked:
            continue
        total.update(c)
        total["mutants"] += len(codes)
        module = str(meta.relative_to(ROOT / "mutants")).removesuffix(".meta")
        score = 100 * (c["killed"] + c["timeout"]) / checked
        print(
            f"{module:32s} {len(codes):8d} {checked:8d} {c['killed']:7d} {c['timeout']:7d} {c['survived']:8d} {score:5.1f}%"
        )
    checked = total["killed"] + total["timeout"] + total["survived"]
    if checked:
        score = 100 * (total["killed"] + total["timeout"]) / checked
        print(
            f"{'total':32s} {total['mutants']:8d} {checked:8d} {total['killed']:7d} {total['timeout']:7d} "
            f"{total['survived']:8d} {score:5.1f}%"
        )
    if "--survivors" in argv:
        print("\n".join(["", "survivors:"] + survivors))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
