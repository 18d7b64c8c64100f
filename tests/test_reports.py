"""Reports that paste into a briefing: labels first, one number format, a source line, formatted Excel,
LaTeX that fits a page, and the one-command brief."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

import econ
from econ.brief import build_brief, changed_assumptions, headline_with_deltas, write_brief
from econ.formatting import excel_number_format, format_number
from econ.metrics import BY_ID
from econ.report import write_results


@pytest.fixture(scope="module")
def cutoff():
    return econ.run("russia_gas_cutoff")


@pytest.fixture(scope="module")
def baseline():
    return econ.run("baseline")


@pytest.mark.parametrize(
    "value,text",
    [
        (1234.567, "1,235"),
        (123.4, "123"),
        (23.456, "23.5"),
        (-12.34, "-12.3"),
        (4.7871, "4.79"),
        (-0.001, "0.00"),
        (float("nan"), "–"),
        (3, "3"),
        (True, "True"),
        ("text", "text"),
    ],
)
def test_one_number_format(value, text):
    assert format_number(value) == text


def test_excel_number_format_follows_the_typical_size():
    assert excel_number_format([1200.0, 900.0]) == "#,##0"
    assert excel_number_format([12.0, 30.0]) == "#,##0.0"
    assert excel_number_format([0.5, 1.2]) == "#,##0.00"
    assert excel_number_format([float("nan")]) == "General"


def test_markdown_headline_leads_with_labels_and_carries_a_source_line(cutoff, tmp_path):
    write_results(cutoff, tmp_path, "md")
    text = (tmp_path / "russia_gas_cutoff.md").read_text()
    header = next(line for line in text.splitlines() if line.startswith("| Metric"))
    assert header == "| Metric | Value | Unit | Geography | Id |"
    shortfall = cutoff.value("eu_gas_shortfall_bcm")
    decl = BY_ID["eu_gas_shortfall_bcm"]
    row = f"| {decl.label} | {format_number(shortfall)} | {decl.unit} | EU27 | eu_gas_shortfall_bcm |"
    assert row in text
    assert "*Source: econ " in text and "scenario 'russia_gas_cutoff'" in text
    assert "| eu_gas_shortfall_bcm | " not in text  # the id never leads


def test_latex_uses_booktabs_fits_the_page_and_breaks_long_tables(cutoff, tmp_path):
    write_results(cutoff, tmp_path, "tex")
    tex = (tmp_path / "russia_gas_cutoff.tex").read_text()
    assert tex.startswith("% econ report tables: needs \\usepackage{booktabs,longtable}")
    assert "\\toprule" in tex and "\\midrule" in tex and "\\bottomrule" in tex
    assert "\\begin{longtable}" in tex  # the headline has more rows than LONG_TABLE_ROWS
    assert "Source: econ" in tex
    # wrapped text columns share at most 80% of the line
    for spec in [line for line in tex.splitlines() if line.startswith(("\\begin{longtable}", "\\begin{tabular}"))]:
        widths = [float(w) for w in spec.split("p{")[1:] for w in [w.split("\\linewidth")[0]]]
        assert sum(widths) <= 0.8 + 1e-9, spec


@pytest.mark.slow  # openpyxl round trip (about 10 s); the whole suite (CI) runs it
def test_excel_has_a_readme_frozen_headers_widths_and_number_formats(cutoff, tmp_path):
    write_results(cutoff, tmp_path, "xlsx")
    wb = openpyxl.load_workbook(tmp_path / "russia_gas_cutoff.xlsx")
    assert wb.sheetnames[0] == "README" and wb.sheetnames[-1] == "metadata"
    readme = {row[0]: row[1] for row in wb["README"].iter_rows(min_row=2, values_only=True)}
    assert readme["Scenario"].endswith("(russia_gas_cutoff)") and readme["Source"].startswith("Source: econ")
    ws = wb["headline"]
    assert ws.freeze_panes == "A2" and ws["A1"].font.bold
    assert ws["B2"].number_format.startswith("#,##0")
    assert ws.column_dimensions["E"].width >= len(BY_ID["eu_gas_shortfall_bcm"].label)  # label column fits


def test_brief_headline_deltas_are_the_two_runs_difference(cutoff, baseline):
    table = headline_with_deltas(cutoff, baseline).set_index("Metric")
    row = table.loc[BY_ID["eu_gas_shortfall_bcm"].label]
    assert row["Value"] == cutoff.value("eu_gas_shortfall_bcm")
    assert row["baseline"] == baseline.value("eu_gas_shortfall_bcm")
    assert row["Difference"] == pytest.approx(
        cutoff.value("eu_gas_shortfall_bcm") - baseline.value("eu_gas_shortfall_bcm")
    )


def test_brief_lists_exactly_the_assumptions_that_differ_with_their_sources(cutoff, baseline):
    changed = changed_assumptions(cutoff, baseline).set_index("Parameter")
    assert set(changed.index) == set(cutoff.scenario.overrides) - {
        k for k, v in cutoff.scenario.overrides.items() if baseline.scenario.params[k] == v
    }
    assert "ENTSOG" in changed.loc["gas.russia.nord_stream_1.utilisation", "Source"]


def test_brief_page_is_self_contained(cutoff, baseline):
    page = build_brief(cutoff, baseline)
    assert "<h1>Russian gas cut-off</h1>" in page
    assert page.count("<script") >= 1 and "<script src=" not in page  # plotly.js inline: no file or CDN to fetch
    assert "Assumptions that differ" in page and "Manifest" in page


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("chromium"), reason="needs the system's Chromium")
def test_brief_pdf_is_printed_by_the_system_chromium(cutoff, baseline, tmp_path: Path):
    html_path, pdf_path = write_brief(cutoff, tmp_path, baseline, pdf=True)
    assert html_path.suffix == ".html" and pdf_path.read_bytes()[:5] == b"%PDF-"
