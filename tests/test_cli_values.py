"""The command line and the report writers checked for VALUES, not only for files.

What `econ run` writes (headline CSV, Excel, Markdown, LaTeX, the comparison CSV) must equal `econ.run(...)` on
the same scenario; what `econ compare` prints must be the scenarios' values and, in each delta column, the
scenario minus the first one (value and sign). The expected numbers are computed here from `econ.run`, never
copied from an output.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

import econ
from econ.cli import app
from econ.report import _format_cell, _to_markdown

runner = CliRunner()
# Printed and Markdown numbers have two decimals: each is within half a unit of the last digit of the value.
HALF_CENT = 0.005 + 1e-9


def _number(text: str) -> float:
    return float(text.replace(",", "").replace("–", "nan"))


def _printed_rows(output: str, n_numbers: int) -> dict[str, list[float]]:
    """metric id -> the last n_numbers numbers on its line of a printed table (metric ids have no spaces)."""
    rows: dict[str, list[float]] = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) > n_numbers and re.fullmatch(r"[a-z0-9_]+", parts[0]) and parts[0] != "metric":
            try:
                rows[parts[0]] = [_number(p) for p in parts[-n_numbers:]]
            except ValueError:
                continue
    return rows


def _values(name_or_scenario) -> pd.Series:
    return econ.run(name_or_scenario).headline.set_index("metric")["value"]


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """One `econ run` of two scenarios, every format, with a --set override applied to both."""
    out = tmp_path_factory.mktemp("cli") / "out"
    res = runner.invoke(
        app,
        [
            "run",
            "russia_gas_cutoff",
            "full_package",
            "--out",
            str(out),
            "--format",
            "csv,xlsx,md,tex",
            "--set",
            "swift.blocked_cost_pct=15",
        ],
    )
    assert res.exit_code == 0, res.output
    expected = {
        name: econ.run(econ.load_scenario(name).with_overrides({"swift.blocked_cost_pct": 15}))
        for name in ("russia_gas_cutoff", "full_package")
    }
    return out, expected, res.output


def test_the_override_moves_what_it_should(written):
    # otherwise the tests below could not tell an ignored --set from an applied one
    _, expected, _ = written
    assert expected["full_package"].value("swift_friction_first_month_pct") > econ.run("full_package").value(
        "swift_friction_first_month_pct"
    )


@pytest.mark.parametrize("name", ["russia_gas_cutoff", "full_package"])
def test_the_headline_csv_and_excel_equal_econ_run(written, name):
    out, expected, _ = written
    want = expected[name].headline.reset_index(drop=True)
    csv = pd.read_csv(out / f"{name}__headline.csv", keep_default_na=False, na_values=[""])
    pd.testing.assert_frame_equal(csv, want, check_exact=False, rtol=1e-14, atol=0)
    wb = openpyxl.load_workbook(out / f"{name}.xlsx", read_only=True)
    rows = list(wb["headline"].values)
    assert list(rows[0]) == list(want.columns)
    got = pd.DataFrame(rows[1:], columns=rows[0])
    np.testing.assert_allclose(got["value"].astype(float), want["value"], rtol=1e-14, atol=0)
    assert list(got["metric"]) == list(want["metric"])


@pytest.mark.parametrize("name", ["russia_gas_cutoff", "full_package"])
def test_the_markdown_and_latex_headlines_show_econ_run(written, name):
    out, expected, _ = written
    res = expected[name]
    want = res.headline.set_index("metric")["value"]
    labels = res.headline.set_index("metric")["label"]
    md = (out / f"{name}.md").read_text(encoding="utf-8")
    section = md.split("## Headline\n\n", 1)[1].split("\n\n", 1)[0]
    shown = {}
    for line in section.splitlines()[2:]:
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        shown[cells[-1]] = (cells[0], _number(cells[1]))  # the id is the last column, the label the first
    assert list(shown) == list(want.index)
    for metric, value in want.items():
        label, number = shown[metric]
        assert label == labels[metric]
        assert abs(number - value) <= _half_unit(value), (metric, number, value)
    tex = (out / f"{name}.tex").read_text(encoding="utf-8")
    headline_tex = tex.split("\\end{longtable}", 1)[0]
    plain = [m for m in want.index if not set(labels[m]) & set("_%&#$\\{}~^")]
    assert plain, "some labels need no LaTeX escaping"
    for metric in plain:
        row = next(line for line in headline_tex.splitlines() if line.startswith(labels[metric] + " &"))
        assert _number(row.split(" & ")[1]) == pytest.approx(want[metric], abs=_half_unit(want[metric])), metric


def _half_unit(value: float) -> float:
    """Half a unit of the last decimal the report shows for ``value`` (econ.formatting.decimals_for)."""
    from econ.formatting import decimals_for

    return 0.5 * 10 ** -decimals_for(float(value)) + 1e-12


def test_the_comparison_csv_and_the_printed_table_equal_econ_run(written):
    out, expected, output = written
    comparison = pd.read_csv(out / "comparison__comparison.csv").set_index("metric")
    printed = _printed_rows(output, 2)
    for name, res in expected.items():
        want = res.headline.set_index("metric")["value"]
        np.testing.assert_allclose(comparison[name].reindex(want.index), want, rtol=1e-14, atol=0)
    for metric in expected["full_package"].headline.metric:
        a, b = (expected[n].value(metric) for n in ("russia_gas_cutoff", "full_package"))
        assert printed[metric] == pytest.approx([a, b], abs=HALF_CENT), metric


def _compare(*args: str) -> str:
    res = runner.invoke(app, ["compare", *args])
    assert res.exit_code == 0, res.output
    return res.output


def _assert_deltas(printed: dict[str, list[float]], values: list[pd.Series]) -> tuple[int, int]:
    """Each printed row: the values, then each later scenario minus the first. Returns (rows, signed rows)."""
    first = values[0]
    n_signed = 0
    for metric in first.index:
        row = printed[metric]
        k = len(values)
        assert row[:k] == pytest.approx([v[metric] for v in values], abs=HALF_CENT), metric
        for j, v in enumerate(values[1:]):
            delta = v[metric] - first[metric]
            assert row[k + j] == pytest.approx(delta, abs=HALF_CENT), (metric, row[k + j], delta)
            if abs(delta) > 0.05:  # the printed sign must be the sign of (scenario - first)
                assert np.sign(row[k + j]) == np.sign(delta), metric
                n_signed += 1
    return len(first), n_signed


def test_compare_prints_each_delta_as_scenario_minus_the_first_with_its_sign():
    a, b = _values("baseline"), _values("full_package_gas_retaliation")
    out = _compare("baseline", "full_package_gas_retaliation")
    assert "full_package_gas_retaliation - baseline" in out
    n, signed = _assert_deltas(_printed_rows(out, 3), [a, b])
    # the check has power: many rows have a delta whose sign is asserted, of both signs
    assert signed >= 15
    assert ((b - a) > 0.05).sum() >= 5 and ((b - a) < -0.05).sum() >= 5
    # in the other order every delta flips
    out = _compare("full_package_gas_retaliation", "baseline")
    assert "baseline - full_package_gas_retaliation" in out
    _assert_deltas(_printed_rows(out, 3), [b, a])


def test_compare_with_three_scenarios_a_file_first_and_a_set_override(tmp_path: Path):
    path = tmp_path / "my_cut.yaml"
    path.write_text("title: Cut\noverrides:\n  gas.russia.nord_stream_1.utilisation: 0.2\n", encoding="utf-8")
    sets = {"swift.excluded_payment_share": 0.5}
    runs = [
        econ.load_scenario(str(path)).with_overrides(sets),
        econ.load_scenario("russia_gas_cutoff").with_overrides(sets),
        econ.load_scenario("swift_full").with_overrides(sets),
    ]
    values = [_values(s) for s in runs]
    first = runs[0].name
    out = _compare(str(path), "russia_gas_cutoff", "swift_full", "--set", "swift.excluded_payment_share=0.5")
    assert f"russia_gas_cutoff - {first}" in out and f"swift_full - {first}" in out
    _, signed = _assert_deltas(_printed_rows(out, 5), values)
    assert signed >= 10


def test_compare_of_a_scenario_with_itself_prints_zero_deltas():
    out = _compare("full_package", "full_package")
    printed = _printed_rows(out, 3)
    v = _values("full_package")
    assert "full_package_2 - full_package" in out
    for metric in v.index:
        assert printed[metric][2] == 0.0, metric


@pytest.mark.parametrize(
    "value, shown",
    [
        (1234.5678, "1,235"),  # one number format: no decimals at 100 or more
        (-0.004, "0.00"),  # never "-0.00"
        (0.004, "0.00"),
        (-0.006, "-0.01"),
        (-1234567.891, "-1,234,568"),
        (23.456, "23.5"),  # one decimal from 10 to 100
        (float("nan"), "–"),
        (float("inf"), "–"),
        (np.float32(2.5), "2.50"),
        (7, "7"),
        ("text|x", "text|x"),
    ],
)
def test_report_cells_use_the_one_number_format(value, shown):
    assert _format_cell(value) == shown


def test_markdown_table_keeps_row_order_and_escapes_pipes():
    df = pd.DataFrame({"metric": ["a|b", "c"], "value": [1.005, -2.0]})
    md = _to_markdown(df).splitlines()
    assert md[0] == "| metric | value |" and md[1] == "|---|---:|"
    assert md[2] == "| a\\|b | " + f"{1.005:,.2f}" + " |" and md[3] == "| c | -2.00 |"


def test_latex_table_escapes_and_aligns():
    from econ.report import _to_latex

    tex = _to_latex(pd.DataFrame({"metric_id": ["a_b"], "value": [1234.5]}), "x_y: 5% & z")
    assert tex.splitlines() == [
        "\\begin{table}[htbp]",
        "\\small",
        "\\caption{x\\_y: 5\\% \\& z}",
        "\\label{tab:x_y_5_z}",
        "\\begin{tabular}{lr}",
        "\\toprule",
        "metric\\_id & value \\\\",
        "\\midrule",
        "a\\_b & 1,234 \\\\",
        "\\bottomrule",
        "\\end{tabular}",
        "\\end{table}",
    ]
