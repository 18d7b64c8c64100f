"""The command line: report tables, listings and one-line errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from econ.cli import app

runner = CliRunner()


@pytest.mark.slow  # every format through the CLI (about 6 s); tests/test_cli_values.py checks the values in the fast loop
def test_run_writes_every_format_and_a_comparison(tmp_path: Path):
    out = tmp_path / "out"
    res = runner.invoke(app, ["run", "baseline", "russia_gas_cutoff", "--out", str(out), "--format", "csv,xlsx,md,tex"])
    assert res.exit_code == 0, res.output
    for name in ["baseline", "russia_gas_cutoff"]:
        assert (out / f"{name}__headline.csv").is_file()
        assert (out / f"{name}__gas_balance.csv").is_file()
        assert (out / f"{name}.md").read_text().startswith("# ")
        tex = (out / f"{name}.tex").read_text()
        assert "\\begin{table}" in tex or "\\begin{longtable}" in tex
        # LaTeX specials in cells and captions are escaped (labels may keep underscores; the first line is a
        # LaTeX comment naming the packages the tables need)
        body = re.sub(r"\\label\{[^}]*\}", "", tex.split("\n", 1)[1])
        assert not re.search(r"(?<!\\)[_%]", body), "unescaped _ or % in the LaTeX output"
        md = (out / f"{name}.md").read_text()
        assert not re.search(r"\bnan\b", md) and "-0.00" not in md
        wb = openpyxl.load_workbook(out / f"{name}.xlsx", read_only=True)
        assert {"headline", "metadata", "gas_coverage"} <= set(wb.sheetnames)
    comparison = pd.read_csv(out / "comparison__comparison.csv")
    assert list(comparison.columns[-2:]) == ["baseline", "russia_gas_cutoff"]
    wb = openpyxl.load_workbook(out / "comparison.xlsx", read_only=True)
    meta = pd.DataFrame(wb["metadata"].values)
    assert "overrides" in set(meta[1]) and "registry_sha256" in set(meta[1])


def test_run_with_set_override_records_it(tmp_path: Path):
    out = tmp_path / "o"
    res = runner.invoke(
        app,
        [
            "run",
            "russia_gas_cutoff",
            "--out",
            str(out),
            "--format",
            "xlsx",
            "--set",
            "gas.lng.qatar.divertible_share=0.15",
        ],
    )
    assert res.exit_code == 0, res.output
    meta = pd.read_excel(out / "russia_gas_cutoff.xlsx", sheet_name="metadata").set_index("key")["value"]
    assert "gas.lng.qatar.divertible_share" in meta["overrides"] and "0.15" in meta["overrides"]


def _one_line_error(res) -> str:
    assert res.exit_code == 2, res.output
    lines = [line for line in res.output.strip().splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), res.output
    assert "Traceback" not in res.output
    return lines[0]


def test_bad_inputs_give_one_line_and_exit_2(tmp_path: Path):
    line = _one_line_error(runner.invoke(app, ["run", "baselin", "--out", str(tmp_path)]))
    assert "did you mean 'baseline'" in line
    line = _one_line_error(
        runner.invoke(app, ["run", "baseline", "--out", str(tmp_path), "--set", "gas.demand.scale=-3"])
    )
    assert "gas.demand.scale" in line and "hard bounds [0.0, inf]" in line
    line = _one_line_error(
        runner.invoke(app, ["run", "baseline", "--out", str(tmp_path), "--set", "chips.leakage_share=3"])
    )
    assert "chips.leakage_share" in line and "hard bounds [0.0, 1.0]" in line
    line = _one_line_error(runner.invoke(app, ["run", "baseline", "--out", str(tmp_path), "--format", "pdf"]))
    assert "pdf" in line and "csv" in line
    line = _one_line_error(runner.invoke(app, ["run", "baseline", "--out", str(tmp_path), "--set", "novalue"]))
    assert "KEY=VALUE" in line
    bad = tmp_path / "bad.yaml"
    bad.write_text("overrides:\n  gas.demand.scale: [\n")
    line = _one_line_error(runner.invoke(app, ["run", str(bad), "--out", str(tmp_path)]))
    assert "bad.yaml" in line and "line" in line
    line = _one_line_error(runner.invoke(app, ["compare", "baseline"]))
    assert "at least two" in line
    line = _one_line_error(runner.invoke(app, ["params", "--module", "nope"]))
    assert "unknown module" in line


def test_params_lists_and_filters():
    res = runner.invoke(app, ["params", "--module", "gas"])
    assert res.exit_code == 0 and "gas.lng.qatar.divertible_share" in res.output
    res = runner.invoke(app, ["params", "--group", "LNG", "--csv"])
    assert res.exit_code == 0
    assert res.output.splitlines()[0].startswith("name,module,type,value,unit,min,max,low,high,time_varying")
    assert all(",gas," in line for line in res.output.splitlines()[1:])


def test_compare_prints_deltas():
    res = runner.invoke(app, ["compare", "baseline", "russia_gas_cutoff"])
    assert res.exit_code == 0, res.output
    assert "russia_gas_cutoff - baseline" in res.output and "eu_gas_shortfall_bcm" in res.output


def test_presets_listing():
    res = runner.invoke(app, ["presets"])
    assert res.exit_code == 0 and "russia_partial_cut" in res.output


@pytest.mark.slow
def test_sweep_writes_tables_and_figures(tmp_path: Path):
    out = tmp_path / "sweep"
    res = runner.invoke(
        app,
        [
            "sweep",
            "chip_controls",
            "--method",
            "mc",
            "--n",
            "6",
            "--param",
            "chips.leakage_share",
            "--metric",
            "chip_supply_gap_pct",
            "--out",
            str(out),
            "--format",
            "csv,md",
        ],
    )
    assert res.exit_code == 0, res.output
    summary = pd.read_csv(out / "chip_controls__mc__summary.csv").set_index("metric")
    assert summary.loc["chip_supply_gap_pct", "p5"] <= summary.loc["chip_supply_gap_pct", "p95"]
    assert len(pd.read_csv(out / "chip_controls__mc__draws.csv")) == 6
    assert (out / "chip_controls__mc.html").stat().st_size > 100_000  # plotly.js embedded: works offline
    png = (out / "chip_controls__mc.png").read_bytes()  # drawn by kaleido in the system Chromium
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000
    res = runner.invoke(
        app,
        [
            "sweep",
            "full_package",
            "--method",
            "tornado",
            "--param",
            "ruble.precautionary_sanctions_usd_bn",
            "--metric",
            "rub_usd_peak",
            "--metric",
            "rub_usd_12m",
            "--out",
            str(out),
            "--figures",
            "html",
        ],
    )
    assert res.exit_code == 0, res.output
    for metric in ("rub_usd_peak", "rub_usd_12m"):
        table = pd.read_csv(out / f"full_package__tornado__tornado_{metric}.csv")
        assert table.loc[0, "parameter"] == "ruble.precautionary_sanctions_usd_bn"
        assert (out / f"full_package__tornado_{metric}.html").is_file()
    assert not (out / "full_package__tornado_rub_usd_peak.png").exists()
    res = runner.invoke(
        app,
        [
            "sweep",
            "chip_controls",
            "--method",
            "sobol",
            "--n",
            "4",
            "--param",
            "chips.leakage_share",
            "--metric",
            "chip_supply_gap_pct",
            "--out",
            str(out),
            "--figures",
            "none",
        ],
    )
    assert res.exit_code == 0, res.output
    assert (out / "chip_controls__sobol__sobol.csv").is_file()
    assert not (out / "chip_controls__sobol.html").exists()


def test_sweep_bad_input_is_one_line():
    line = _one_line_error(runner.invoke(app, ["sweep", "baseline", "--method", "bootstrap"]))
    assert "mc, tornado, sobol" in line
    line = _one_line_error(
        runner.invoke(app, ["sweep", "baseline", "--method", "sobol", "--n", "10", "--param", "chips.leakage_share"])
    )
    assert "power of 2" in line
    line = _one_line_error(runner.invoke(app, ["sweep", "baseline", "--n", "2", "--param", "chips.leakage_shar"]))
    assert "did you mean" in line
    line = _one_line_error(runner.invoke(app, ["sweep", "baseline", "--n", "2", "--figures", "svg"]))
    assert "html, png, none" in line
    line = _one_line_error(runner.invoke(app, ["sweep", "baseline", "--n", "2", "--metric", "rub_peak"]))
    assert "unknown metric 'rub_peak'" in line


def test_a_stress_value_runs_and_its_warning_is_printed_once_and_recorded(tmp_path: Path):
    res = runner.invoke(
        app, ["run", "baseline", "--out", str(tmp_path), "--format", "md", "--set", "gas.demand.scale=1.3"]
    )
    assert res.exit_code == 0, res.output
    warnings = [line for line in res.output.splitlines() if line.startswith("warning: baseline: ")]
    assert len(warnings) == 1 and "'gas.demand.scale': 1.3 is outside the plausible range [0.9, 1.1]" in warnings[0]
    manifest = json.loads((tmp_path / "baseline__manifest.json").read_text())
    assert manifest["overrides"] == {"gas.demand.scale": 1.3}
    assert len(manifest["warnings"]) == 1 and "gas.demand.scale" in manifest["warnings"][0]
    assert "> Warning: parameter 'gas.demand.scale'" in (tmp_path / "baseline.md").read_text()
