"""Regression pins: every preset's headline metrics (and the national-rule variants of the gas presets).

The golden file ``tests/regression/preset_pins.csv`` records what the code gave when it was last refreshed.
``tests/regression/test_preset_pins.py`` compares every run with it at a tight relative tolerance. A pin is
NOT a validation: it says "this number has not moved", never "this number is right". It exists so that a
change nobody meant (a halved coefficient, a flipped sign, a constraint dropped) cannot pass unseen.

    python scripts/refresh_pins.py           # report the differences, then rewrite the golden file
    python scripts/refresh_pins.py --check   # report the differences only; exit 1 if there are any

Refresh only on purpose, in a commit of its own whose message says why the numbers moved (docs/testing.md).
The report names every scenario and metric added or removed and the largest changes, so that a refresh after
a model rewrite shows what the rewrite changed.
"""

from __future__ import annotations

import csv
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "regression" / "preset_pins.csv"
COLUMNS = ["scenario", "metric", "unit", "value"]

# The pins' tolerance: relative, with an absolute floor for metrics that are zero. 1e-6 is far below any
# change a model edit makes (the deliberate bugs of issue 16 moved headlines by 10-65 %) and above the
# round-off of the LP solver and of summation order across platforms (about 1e-12 relative here).
REL_TOL = 1e-6
ABS_TOL = 1e-9

# The gas presets also run under the national allocation rule (no cross-border help beyond the reference flows).
NATIONAL_RULE_PRESETS = ("baseline", "ns2_suspended", "russia_gas_cutoff", "russia_partial_cut")
NATIONAL_RULE_OVERRIDES = {"gas.market.integrated": False}
NATIONAL_SUFFIX = "@national"


def variants() -> list[tuple[str, object]]:
    """(pin name, Scenario) for every preset and the national-rule variants, in a fixed order."""
    import econ

    out: list[tuple[str, object]] = []
    for name in econ.list_presets():
        sc = econ.load_scenario(name)
        out.append((name, sc))
        if name in NATIONAL_RULE_PRESETS:
            out.append((name + NATIONAL_SUFFIX, sc.with_overrides(NATIONAL_RULE_OVERRIDES)))
    return out


def headline_rows(name: str, scenario) -> list[dict[str, object]]:
    import econ

    res = econ.run(scenario)
    return [
        {"scenario": name, "metric": r.metric, "unit": r.unit, "value": float(r.value)}
        for r in res.headline.itertuples(index=False)
    ]


def compute() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for name, sc in variants():
        rows += headline_rows(name, sc)
    return rows


def read_golden(path: Path = GOLDEN) -> list[dict[str, object]]:
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != COLUMNS:
            raise ValueError(f"{path}: columns {reader.fieldnames}, expected {COLUMNS}")
        return [{**r, "value": float(r["value"])} for r in reader]


def write_golden(rows: list[dict[str, object]], path: Path = GOLDEN) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS)
        for r in rows:
            w.writerow([r["scenario"], r["metric"], r["unit"], repr(float(r["value"]))])  # repr: round-trips exactly


def same(a: float, b: float) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=ABS_TOL)


@dataclass
class Diff:
    added_scenarios: list[str] = field(default_factory=list)
    removed_scenarios: list[str] = field(default_factory=list)
    added_metrics: list[str] = field(default_factory=list)  # metric ids new in every scenario that has them
    removed_metrics: list[str] = field(default_factory=list)
    changed: list[tuple[str, str, float, float]] = field(default_factory=list)  # scenario, metric, pinned, now
    unit_changed: list[tuple[str, str, str]] = field(default_factory=list)  # metric, pinned unit, unit now
    n_compared: int = 0

    @property
    def empty(self) -> bool:
        return not (
            self.added_scenarios
            or self.removed_scenarios
            or self.added_metrics
            or self.removed_metrics
            or self.changed
            or self.unit_changed
        )

    def report(self, limit: int = 25) -> str:
        lines = [f"compared {self.n_compared} pinned values (rel tol {REL_TOL:g}, abs tol {ABS_TOL:g})"]
        for title, items in (
            ("scenarios added (not pinned yet)", self.added_scenarios),
            ("scenarios removed (pinned, no longer run)", self.removed_scenarios),
            ("metrics added (not pinned yet)", self.added_metrics),
            ("metrics removed (pinned, no longer in the headline)", self.removed_metrics),
        ):
            if items:
                lines.append(f"{title}: {', '.join(items)}")
        for metric, old, new in self.unit_changed:
            lines.append(f"unit changed: {metric}: '{old}' -> '{new}'")
        if self.changed:
            lines.append(f"{len(self.changed)} value(s) changed; largest relative changes first:")

            def rel(c):
                _, _, old, new = c
                return abs(new - old) / max(abs(old), ABS_TOL) if not (math.isnan(old) or math.isnan(new)) else math.inf

            for s, m, old, new in sorted(self.changed, key=rel, reverse=True)[:limit]:
                pct = (
                    ""
                    if math.isinf(rel((s, m, old, new)))
                    else f" ({100 * (new - old) / max(abs(old), ABS_TOL):+.3g}%)"
                )
                lines.append(f"  {s:40s} {m:36s} {old!r:>24} -> {new!r}{pct}")
            if len(self.changed) > limit:
                lines.append(f"  ... and {len(self.changed) - limit} more")
        if self.empty:
            lines.append("no difference")
        return "\n".join(lines)


def diff(pinned: list[dict[str, object]], now: list[dict[str, object]]) -> Diff:
    d = Diff()
    old = {(str(r["scenario"]), str(r["metric"])): r for r in pinned}
    new = {(str(r["scenario"]), str(r["metric"])): r for r in now}
    old_s = list(dict.fromkeys(s for s, _ in old))
    new_s = list(dict.fromkeys(s for s, _ in new))
    d.added_scenarios = [s for s in new_s if s not in old_s]
    d.removed_scenarios = [s for s in old_s if s not in new_s]
    common = [s for s in new_s if s in old_s]
    old_m = list(dict.fromkeys(m for s, m in old if s in common))
    new_m = list(dict.fromkeys(m for s, m in new if s in common))
    d.added_metrics = [m for m in new_m if m not in old_m]
    d.removed_metrics = [m for m in old_m if m not in new_m]
    units: dict[str, tuple[str, str]] = {}
    for key in new:
        if key in old:
            a, b = old[key], new[key]
            d.n_compared += 1
            if not same(float(a["value"]), float(b["value"])):  # type: ignore[arg-type]
                d.changed.append((key[0], key[1], float(a["value"]), float(b["value"])))  # type: ignore[arg-type]
            if str(a["unit"]) != str(b["unit"]):
                units[key[1]] = (str(a["unit"]), str(b["unit"]))
    d.unit_changed = [(m, u[0], u[1]) for m, u in units.items()]
    return d


def main(argv: list[str]) -> int:
    now = compute()
    if GOLDEN.exists():
        d = diff(read_golden(), now)
        print(d.report())
    else:
        d = None
        print(f"{GOLDEN} does not exist yet")
    if "--check" in argv:
        return 0 if d is not None and d.empty else 1
    write_golden(now)
    n_s = len({r["scenario"] for r in now})
    print(f"wrote {GOLDEN.relative_to(ROOT)}: {len(now)} values, {n_s} scenarios")
    print("commit it on its own, saying in the message why the pinned numbers moved (docs/testing.md)")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main(sys.argv[1:]))
