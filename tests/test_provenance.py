"""Provenance: every table in data/ that a build script writes is reproduced by rerunning that script.

The scripts run on the publishers' raw files (<repo>/../shared/data-raw, or $ECON_DATA_RAW) and write into a
temporary folder; data/ is never written. A file produced by a script must match the shipped file exactly (same
columns, same rows, same text in every cell) unless TOLERANCES states a numeric tolerance for that column, with the
reason. Files no script writes are listed in NOT_PRODUCED with the reason, so nothing in data/ goes unchecked
silently. Without the raw files the test is skipped locally and FAILS when $CI is set.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"

# script -> (raw sub-folder, hand-entered published figures it reads)
SCRIPTS = {
    "build_gas_data.py": ("gas", "gas_published_figures.csv"),
    "build_sanctions_data.py": ("sanctions", "sanctions_published_figures.csv"),
    "build_europe_data.py": ("europe", "europe_published_figures.csv"),
    "build_gas_peak_data.py": ("gas", "gas_published_figures.csv"),
}

# Files in data/ that no script writes, and why.
NOT_PRODUCED = {
    "gas_published_figures.csv": "hand-entered: one row per figure looked up in a cited document (publisher, "
    "document, year, url); input of build_gas_data.py",
    "sanctions_published_figures.csv": "hand-entered: one row per figure looked up in a cited document (publisher, "
    "document, year, url); input of build_sanctions_data.py",
    "europe_published_figures.csv": "hand-entered: one row per figure looked up in a cited document (publisher, "
    "document, year, url); input of build_europe_data.py",
    "ru_food_imports_2013_2015_published.csv": "hand-entered: Russia's agri-food imports by origin, 2013-2015, one "
    "row per figure looked up (publisher, document, table, year, url, source_type); read by "
    "tests/test_trade_2014_food.py",
    "trade_gravity_estimates.csv": "hand-entered: one row per published estimate of sanctions' effect on trade "
    "(paper, table read, sanction type, side, sample); read by tests and docs, not by a build script",
    "gas_link_tariffs_2021.csv": "hand-entered: ACER's 2021 cross-border transport costs (exit + entry tariff), one "
    "row per row of AEGIS data item 642 (publisher, document, url per row); read by econ/gas/system.py",
    "SOURCES.csv": "hand-maintained provenance register (publisher, table, vintage, unit, url, note per file); "
    "build_sanctions_data.py only appends its own missing rows, which the test run does not do (--no-sources)",
}

# (file, column) -> (absolute tolerance, reason). Every other cell must be identical text.
TOLERANCES = {
    ("ru_trade_partner_product_2021.csv", "value_usd_bn"): (
        1e-4,
        "RAS (biproportional fitting) stops at a convergence tolerance; the 4th decimal of a cell can differ "
        "with the floating-point summation order of another numpy/BLAS build",
    ),
}


def raw_root() -> Path:
    env = os.environ.get("ECON_DATA_RAW")
    return Path(env) if env else REPO.parent / "shared" / "data-raw"


def _raw_available(root: Path) -> bool:
    return all((root / sub).is_dir() and any((root / sub).iterdir()) for sub, _ in SCRIPTS.values())


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory) -> Path:
    root = raw_root()
    if not _raw_available(root):
        msg = f"raw data not found at {root} (set ECON_DATA_RAW to the data-raw folder)"
        if os.environ.get("CI"):
            pytest.fail(msg + ": provenance cannot be checked in CI without it")
        pytest.skip(msg)
    out = tmp_path_factory.mktemp("rebuilt")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = {}
    for script, (sub, published) in SCRIPTS.items():
        args = [sys.executable, str(REPO / "scripts" / script), "--raw-dir", str(root / sub), "--out", str(out)]
        args += ["--published", str(DATA / published)]
        if script == "build_sanctions_data.py":
            args.append("--no-sources")
        procs[script] = subprocess.Popen(args, cwd=out, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    for script, p in procs.items():  # the two scripts run side by side
        log, _ = p.communicate(timeout=300)
        assert p.returncode == 0, f"{script} failed:\n{log.decode(errors='replace')[-3000:]}"
    return out


def _produced(out: Path) -> set[str]:
    return {f.name for f in out.glob("*.csv")}


@pytest.mark.slow  # reruns every data build script (about 19 s); the whole suite (CI) runs it
def test_every_data_file_is_produced_or_listed(rebuilt):
    shipped = {f.name for f in DATA.glob("*.csv")}
    produced = _produced(rebuilt)
    assert not (produced & set(NOT_PRODUCED)), (
        f"listed as hand-entered but a script writes it: {produced & set(NOT_PRODUCED)}"
    )
    unchecked = shipped - produced - set(NOT_PRODUCED)
    assert not unchecked, f"in data/ but neither produced by a script nor listed in NOT_PRODUCED: {sorted(unchecked)}"
    missing = produced - shipped
    assert not missing, f"a script writes tables that data/ lacks: {sorted(missing)}"
    assert all((DATA / f).is_file() for f in NOT_PRODUCED), "NOT_PRODUCED names a file that is not in data/"


def _compare(name: str, shipped: pd.DataFrame, new: pd.DataFrame) -> list[str]:
    errors = []
    if list(shipped.columns) != list(new.columns):
        return [f"{name}: columns {list(shipped.columns)} shipped vs {list(new.columns)} rebuilt"]
    if len(shipped) != len(new):
        return [f"{name}: {len(shipped)} rows shipped vs {len(new)} rebuilt"]
    for col in shipped.columns:
        a, b = shipped[col].fillna(""), new[col].fillna("")
        diff = a != b
        if not diff.any():
            continue
        if (name, col) in TOLERANCES:
            tol = TOLERANCES[(name, col)][0]
            x, y = pd.to_numeric(a, errors="coerce"), pd.to_numeric(b, errors="coerce")
            bad = ~(np.isclose(x, y, rtol=0, atol=tol) | (x.isna() & y.isna() & ~diff))
            if not bad.any():
                continue
            diff = bad
        row = int(diff.to_numpy().nonzero()[0][0])
        errors.append(
            f"{name}: column '{col}' differs in {int(diff.sum())} row(s); first at row {row + 2}: "
            f"shipped {a.iloc[row]!r} vs rebuilt {b.iloc[row]!r}"
        )
    return errors


@pytest.mark.slow  # shares the rebuilt fixture above
def test_every_produced_file_is_reproduced(rebuilt):
    errors = []
    for name in sorted(_produced(rebuilt)):
        read = dict(dtype=str, keep_default_na=False, na_values=[""])
        errors += _compare(name, pd.read_csv(DATA / name, **read), pd.read_csv(rebuilt / name, **read))
    assert not errors, "data/ is not what the scripts produce (rerun them; never hand-edit):\n" + "\n".join(errors)


def test_tolerances_name_real_columns():
    for (name, col), (tol, reason) in TOLERANCES.items():
        assert col in pd.read_csv(DATA / name, nrows=0).columns, (name, col)
        assert tol > 0 and len(reason) > 20
