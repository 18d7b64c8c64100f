"""Plant each deliberate bug of issue 16 (and a few more in the code that stays) and show the fast suite fails.

Each bug is one textual edit of one file. For each, the script copies the worktree (tracked and untracked files
that git does not ignore) to a temporary folder, applies the edit, runs the fast suite there
(``pytest -m "not slow"``, browser tests excluded) and reports how many regression pins failed and the first
three other tests that failed: a bug must be caught by a test that is not a pin. A bug whose
text is no longer in the code (a module was rewritten) is reported as "not applicable": update its pattern.

    python scripts/check_deliberate_bugs.py              # every bug
    python scripts/check_deliberate_bugs.py compare_sign  # the named ones only

Exit status 1 if any applicable bug passes every test other than the pins.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# name -> (file, text in the correct code, the same text with the bug, what the bug does)
BUGS: dict[str, tuple[str, str, str, str]] = {
    # --- the bugs issue 16 lists (the first five are in modules being rewritten: their patterns may expire) ---
    "cpi_pass_through_doubled": (
        "econ/ruble.py",
        '+ p.float("ruble.pass_through")[:, None]',
        '+ 2 * p.float("ruble.pass_through")[:, None]',
        "CPI pass-through of the ruble's fall doubled",
    ),
    "finance_gdp_channel_doubled": (
        "econ/macro.py",
        'p.float("macro.financial_gdp_loss_pct")[:, None] * severity',
        '2 * p.float("macro.financial_gdp_loss_pct")[:, None] * severity',
        "the financial GDP channel doubled",
    ),
    "oil_embargo_half_strength": (
        "econ/trade.py",
        "*= (1 - embargo)[:, None, :]",
        "*= (1 - 0.5 * embargo)[:, None, :]",
        "the oil embargo at half strength",
    ),
    "national_rule_closes_interconnectors": (
        "econ/gas/module.py",
        "arc_limit = baseline.flow",
        "arc_limit = 0 * baseline.flow",
        "the national gas rule closes every interconnector",
    ),
    "lng_cheaper_than_pipeline": (
        "econ/gas/lp.py",
        '"lng_base": 6.0,',
        '"lng_base": 1.5,',
        "base LNG cheaper than pipeline gas in the merit order",
    ),
    "compare_sign_flipped": (
        "econ/cli.py",
        "table[name] - table[first]",
        "table[first] - table[name]",
        "`econ compare` prints every delta with the wrong sign",
    ),
    # --- further bugs in the code that stays ---
    "compare_against_the_wrong_column": (
        "econ/cli.py",
        "first = scenarios[0] if scenarios[0] in table.columns else table.columns[4]",
        "first = table.columns[-1]",
        "`econ compare` deltas against the last scenario instead of the first",
    ),
    "markdown_negative_shown_as_zero": (
        "econ/report.py",
        "if abs(v) < 0.005:",
        "if v < 0.005:",
        "Markdown/LaTeX print every negative number as 0.00",
    ),
    "swift_alternative_cost_halved": (
        "econ/sanctions/swift.py",
        'adopted * p.float("swift.alternative_cost_pct")[:, None, None]',
        'adopted * 0.5 * p.float("swift.alternative_cost_pct")[:, None, None]',
        "SWIFT: the cost of an alternative channel halved",
    ),
    "swift_carve_out_ignored_for_coal": (
        "econ/sanctions/frictions.py",
        'ENERGY = ("oil", "gas", "coal")',
        'ENERGY = ("oil", "gas")',
        "the energy carve-out forgets coal",
    ),
    "dollar_freeze_left_out_of_severity": (
        "econ/sanctions/dollar.py",
        "severity = 1 - (1 - invoicing) * (1 - frozen_share)",
        "severity = 1 - (1 - invoicing)",
        "dollar: the reserve freeze no longer raises severity",
    ),
    "dollar_euro_coverage_ignored": (
        "econ/sanctions/dollar.py",
        '+ shares[None, :, None, CURRENCIES.index("eur")] * eur_ban[:, None, :]',
        '+ shares[None, :, None, CURRENCIES.index("eur")] * 0 * eur_ban[:, None, :]',
        "dollar: the euro clearing ban has no effect",
    ),
    "ramp_starts_at_zero": (
        "econ/forms.py",
        "np.asarray(t, dtype=float) + 1.0)",
        "np.asarray(t, dtype=float))",
        "the adjustment ramp starts at 0 in the first month (t instead of t + 1)",
    ),
    "ces_rho_inverted": (
        "econ/forms.py",
        "(sigma - 1.0) / np.where(cobb_douglas, 1.0, sigma)",
        "sigma / np.where(cobb_douglas, 1.0, sigma - 1.0)",
        "CES exponent rho inverted",
    ),
    "annualised_not_scaled": (
        "econ/forms.py",
        "return first.sum(axis=-1) * 12 / first.shape[-1]",
        "return first.sum(axis=-1)",
        "annual sums of a short horizon not scaled to 12 months",
    ),
    "dated_path_one_month_late": (
        "econ/time.py",
        'side="right"',
        'side="left"',
        "a dated step takes effect one month late",
    ),
}


def copy_tree(dest: Path) -> None:
    files = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    for f in files:
        if not f:
            continue
        rel = Path(os.fsdecode(f))
        if rel.parts[0] == "mutants" or not (ROOT / rel).is_file():
            continue
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, dest / rel)


def _pytest(where: Path, args: list[str]) -> tuple[int, list[str]]:
    env = {**os.environ, "PYTHONPATH": str(where)}
    env.pop("ECON_HOME", None)
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rf", *args]
    out = subprocess.run(cmd, cwd=where, env=env, capture_output=True, text=True)
    return out.returncode, re.findall(r"^FAILED (\S+)", out.stdout, flags=re.M)


def run_tests(where: Path) -> tuple[list[str], list[str], float]:
    """(failing regression pins, failing other fast tests (at most 3: the run stops there), seconds)."""
    t0 = time.perf_counter()
    _, pins = _pytest(where, ["tests/regression"])
    _, others = _pytest(
        where,
        [
            "-m",
            "not slow",
            "--maxfail=3",
            "--ignore=tests/regression",
            "--ignore=tests/test_app_browser.py",
            "--ignore=tests/test_app_browser_errors.py",
            "tests",
        ],
    )
    return pins, others, time.perf_counter() - t0


def main(argv: list[str]) -> int:
    chosen = argv or list(BUGS)
    unknown = [b for b in chosen if b not in BUGS]
    if unknown:
        print(f"unknown bug(s): {', '.join(unknown)}; known: {', '.join(BUGS)}")
        return 2
    missed = []
    for name in chosen:
        file, good, bad, what = BUGS[name]
        with tempfile.TemporaryDirectory(prefix=f"bug-{name}-") as tmp:
            where = Path(tmp)
            copy_tree(where)
            text = (where / file).read_text(encoding="utf-8")
            if text.count(good) != 1:
                print(f"{name}: not applicable: its pattern is found {text.count(good)} times in {file}")
                continue
            (where / file).write_text(text.replace(good, bad), encoding="utf-8")
            pins, others, secs = run_tests(where)
        if not others:
            missed.append(name)
        shown = ", ".join(f.split("::", 1)[-1] for f in others) or "NONE"
        print(
            f"{name}: {what}\n    pins failing: {len(pins)}; other fast tests failing (first 3): {shown} ({secs:.0f} s)"
        )
    if missed:
        print(f"\nnot caught: {', '.join(missed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
