"""REGRESSION PINS, not validation: every preset's headline equals what the code gave at the last refresh.

A pin says "this number has not moved", never "this number is right" (the validation tests compare with
published figures; docs/validation.md). The golden file is tests/regression/preset_pins.csv; the variants are
every preset plus the national-rule runs of the gas presets (scripts/refresh_pins.py defines them). The
tolerance is relative, 1e-6 (absolute 1e-9 for zeros): tight enough that any deliberate model change fails,
loose enough for solver round-off across platforms.

A failure means a headline moved. If the change is intended, refresh on purpose and say why in the commit:

    PYTHONPATH=$PWD python scripts/refresh_pins.py          # prints what changed, rewrites the golden file
"""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("refresh_pins", ROOT / "scripts" / "refresh_pins.py")
assert _spec is not None and _spec.loader is not None
pins = importlib.util.module_from_spec(_spec)
sys.modules["refresh_pins"] = pins  # dataclasses look their module up there
_spec.loader.exec_module(pins)

PINNED = pins.read_golden()
PINNED_SCENARIOS = list(dict.fromkeys(str(r["scenario"]) for r in PINNED))
VARIANTS = dict(pins.variants())
HOW = "if intended, refresh with `python scripts/refresh_pins.py` and say why in the commit (docs/testing.md)"


def test_the_pinned_scenarios_are_exactly_the_presets_and_their_national_variants():
    added = [s for s in VARIANTS if s not in PINNED_SCENARIOS]
    removed = [s for s in PINNED_SCENARIOS if s not in VARIANTS]
    assert not added and not removed, f"scenarios added: {added}; removed: {removed}; {HOW}"
    assert any(s.endswith(pins.NATIONAL_SUFFIX) for s in PINNED_SCENARIOS)


@pytest.mark.parametrize("scenario", PINNED_SCENARIOS)
def test_the_headline_has_not_moved(scenario):
    if scenario not in VARIANTS:
        pytest.fail(f"pinned scenario '{scenario}' is no longer a preset or variant; {HOW}")
    now = pins.headline_rows(scenario, VARIANTS[scenario])
    pinned = [r for r in PINNED if r["scenario"] == scenario]
    d = pins.diff(pinned, now)
    assert d.n_compared > 0
    assert d.empty, f"{scenario}: the headline moved.\n{d.report()}\n{HOW}"


def test_the_comparison_reports_added_removed_and_changed_metrics():
    # the refresh command's diff on a hand-made case: it must name what a model rewrite adds and removes
    old = [
        {"scenario": "a", "metric": "kept", "unit": "%", "value": 1.0},
        {"scenario": "a", "metric": "gone", "unit": "%", "value": 2.0},
        {"scenario": "a", "metric": "zero", "unit": "%", "value": 0.0},
        {"scenario": "old", "metric": "kept", "unit": "%", "value": 1.0},
    ]
    new = [
        {"scenario": "a", "metric": "kept", "unit": "bcm", "value": 1.0 + 2e-6},
        {"scenario": "a", "metric": "new", "unit": "%", "value": 3.0},
        {"scenario": "a", "metric": "zero", "unit": "%", "value": 5e-10},
        {"scenario": "b", "metric": "kept", "unit": "%", "value": 1.0},
    ]
    d = pins.diff(old, new)
    assert d.added_scenarios == ["b"] and d.removed_scenarios == ["old"]
    assert d.added_metrics == ["new"] and d.removed_metrics == ["gone"]
    assert d.changed == [("a", "kept", 1.0, 1.0 + 2e-6)]  # 2e-6 relative is outside the pins' tolerance
    assert d.unit_changed == [("kept", "%", "bcm")]
    assert d.n_compared == 2 and not d.empty
    text = d.report()
    for fragment in ("scenarios added (not pinned yet): b", "metrics removed", "gone", "'%' -> 'bcm'", "+0.0002%"):
        assert fragment in text, fragment
    assert pins.diff(old, old).empty
    assert pins.same(math.nan, math.nan) and not pins.same(math.nan, 0.0)
    assert pins.same(1.0, 1.0 + 5e-7) and not pins.same(1.0, 1.0 + 2e-6)


def test_the_golden_file_round_trips_exactly(tmp_path: Path):
    rows = [{"scenario": "a", "metric": "m", "unit": "%", "value": 0.1 + 0.2}]
    pins.write_golden(rows, tmp_path / "g.csv")
    assert pins.read_golden(tmp_path / "g.csv")[0]["value"] == 0.1 + 0.2
