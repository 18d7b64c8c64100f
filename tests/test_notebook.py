"""notebooks/worked_example.ipynb: committed without outputs, runs top to bottom, and shows what its text says."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbclient
import nbformat
import pytest

import econ

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "worked_example.ipynb"
PLOTLY_MIME = "application/vnd.plotly.v1+json"

# Appended to an in-memory copy only: reads the notebook's own variables (gas, edited, mc, saved) after the run.
PROBE = """
import json, sys
print(json.dumps({
    "prefix": sys.prefix,
    "econ": econ.__file__,
    "shortfall_bcm": {c: float(gas.loc["eu_gas_shortfall_bcm", c]) for c in ["baseline", "russia_gas_cutoff", edited.name]},
    "price": {c: float(gas.loc["ttf_price_avg_eur_mwh", c]) for c in ["baseline", "russia_gas_cutoff", edited.name]},
    "mc_draws": len(mc.outcomes),
    "mc_rub_usd_peak": mc.summary.set_index("metric").loc["rub_usd_peak", ["p5", "p50", "p95"]].tolist(),
    "saved": saved,
}))
"""


def _read() -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOK, as_version=4)


def _text(cell) -> str:
    """Everything a code cell printed or displayed as text."""
    parts = []
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            parts.append(out.text)
        elif out.output_type in ("execute_result", "display_data"):
            parts.append(out.data.get("text/plain", ""))
    return "\n".join(parts)


def _tagged(nb, tag: str):
    cells = [c for c in nb.cells if tag in c.metadata.get("tags", [])]
    assert len(cells) == 1, f"expected one cell tagged {tag!r}, found {len(cells)}"
    return cells[0]


def test_committed_notebook_has_no_outputs():
    nb = _read()
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code
    dirty = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count)]
    assert not dirty, f"cells {dirty} of {NOTEBOOK.name} carry outputs; strip them before committing"
    assert nb.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.slow
def test_notebook_runs_and_shows_its_results(tmp_path):
    nb = _read()
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    run_dir = tmp_path / "cwd"
    run_dir.mkdir()
    client = nbclient.NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(run_dir)}}
    )
    try:
        client.execute()  # raises CellExecutionError, with the cell and its traceback, if any cell fails
    finally:
        nbformat.write(nb, tmp_path / "executed.ipynb")  # for a look after a failure

    errors = [out for c in nb.cells if c.cell_type == "code" for out in c.outputs if out.output_type == "error"]
    assert not errors
    assert not list(run_dir.iterdir()), "the notebook wrote files into its working directory"

    probe = json.loads(_text(nb.cells[-1]))
    assert probe["prefix"] == sys.prefix, "the python3 kernel is not this virtualenv's Python"
    assert Path(probe["econ"]) == Path(econ.__file__), "the kernel imported another copy of econ"

    # the cut-off raises Europe's gas price (prices, not rationing, balance it at the defaults), and more Qatari
    # LNG can make neither the shortfall nor the price worse
    shortfall, price = probe["shortfall_bcm"], probe["price"]
    assert price["russia_gas_cutoff"] >= 1.5 * price["baseline"]
    assert shortfall["cutoff_more_qatar_lng"] <= shortfall["russia_gas_cutoff"] + 1e-6
    assert price["cutoff_more_qatar_lng"] <= price["russia_gas_cutoff"] + 0.2
    p5, p50, p95 = probe["mc_rub_usd_peak"]
    assert probe["mc_draws"] == 64 and p5 <= p50 <= p95
    assert {
        "cutoff_more_qatar_lng__headline.csv",
        "cutoff_more_qatar_lng.xlsx",
        "cutoff_more_qatar_lng.md",
        "coverage_waterfall.html",
    } <= set(probe["saved"])

    # what the cells display
    assert "'russia_gas_cutoff'" in _text(_tagged(nb, "presets"))
    error_cell = _text(_tagged(nb, "error"))
    assert "outside the hard bounds [0.0, 1.0]" in error_cell
    assert "outside the plausible range [0.03, 0.15]" in error_cell
    assert "2022-06: 0.4" in error_cell  # the dated path, as a scenario file writes it
    headline = _text(_tagged(nb, "headline"))
    for metric in ("eu_gas_shortfall_bcm", "qatar_lng_share_of_gap_pct", "rub_usd_peak", "russia_gdp_change_pct"):
        assert metric in headline
    assert "'gas_coverage'" in _text(_tagged(nb, "tables"))
    compare = _text(_tagged(nb, "compare"))
    assert "cutoff_more_qatar_lng" in compare and "more_qatar_minus_cutoff" in compare
    assert "64 draws" in _text(_tagged(nb, "monte_carlo"))
    assert "move rub_usd_peak" in _text(_tagged(nb, "tornado"))
    assert "chips.leakage_share" in _text(_tagged(nb, "sobol"))
    assert PLOTLY_MIME in _tagged(nb, "figure").outputs[0].data
    figures = sum(PLOTLY_MIME in out.get("data", {}) for c in nb.cells if c.cell_type == "code" for out in c.outputs)
    assert figures >= 6
