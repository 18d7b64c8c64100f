"""Table writers for reports: CSV, Excel (with a metadata sheet), Markdown, LaTeX.

CSV and Excel carry every table. Markdown and LaTeX, meant to be pasted into a
report, carry the headline and the summary tables of REPORT_TABLES.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from .errors import EconError
from .formatting import excel_number_format, format_number
from .results import Results

FORMATS = ("csv", "xlsx", "md", "tex")
REPORT_TABLES = (
    "gas_coverage",
    "gas_country_summary",
    "trade_by_partner",
    "trade_by_product",
    "gdp_channels",
    "reserves_summary",
)


def parse_formats(text: str) -> list[str]:
    formats = [f.strip().lower() for f in text.split(",") if f.strip()]
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise EconError(f"unknown format '{bad[0] if bad else text}'; allowed: {', '.join(FORMATS)} (comma-separated)")
    return formats


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name)


def metadata_frame(results: Results) -> pd.DataFrame:
    """Scenario, overrides, manifest and data sources as a two-column sheet."""
    m = results.manifest
    rows = [
        ("scenario", m["scenario"]),
        ("title", m["title"]),
        ("description", results.scenario.description),
        ("origin", m["origin"]),
        ("overrides", json.dumps(m["overrides"], sort_keys=True)),
        ("econ_version", m["econ_version"]),
        ("registry_sha256", m["registry_sha256"]),
        ("data_sha256", m["data_sha256"]),
        ("created_utc", m["created_utc"]),
    ]
    rows += [(f"warning.{i + 1}", w) for i, w in enumerate(results.warnings)]
    rows += [(f"module_status.{k}", f"{s} {msg}".strip()) for k, (s, msg) in results.status.items()]
    rows += [(f"data_file_sha256.{f}", h) for f, h in m["data_files_sha256"].items()]
    return pd.DataFrame(rows, columns=["key", "value"])


def _format_cell(v) -> str:
    """The project's one number format (econ.formatting): decimals by size, thousands separators."""
    return format_number(v)


def headline_for_report(headline: pd.DataFrame) -> pd.DataFrame:
    """The headline as a report shows it: the label first, then value, unit and geography (the metric id last,
    for readers who script against it)."""
    return pd.DataFrame(
        {
            "Metric": headline["label"],
            "Value": headline["value"],
            "Unit": headline["unit"],
            "Geography": headline["geography"],
            "Id": headline["metric"],
        }
    )


def source_line(results: Results) -> str:
    """The line under every report table: what produced the numbers."""
    m = results.manifest
    return (
        f"Source: econ {m['econ_version']}, scenario '{m['scenario']}' ({m['title']}); assumptions registry "
        f"{m['registry_sha256'][:12]}, data {m['data_sha256'][:12]}; data sources in data/SOURCES.csv, "
        "assumption sources in assumptions/parameters.csv."
    )


def _to_markdown(df: pd.DataFrame) -> str:
    cols = [str(c) for c in df.columns]
    lines = [
        "| " + " | ".join(cols) + " |",
        "|" + "|".join("---:" if pd.api.types.is_numeric_dtype(df[c]) else "---" for c in df.columns) + "|",
    ]
    for row in df.itertuples(index=False):
        lines.append("| " + " | ".join(_format_cell(v).replace("|", "\\|") for v in row) + " |")
    return "\n".join(lines) + "\n"


LONG_TABLE_ROWS = 25  # longer tables are set as longtable, which breaks across pages
LATEX_PREAMBLE = "% econ report tables: needs \\usepackage{booktabs,longtable} in the preamble\n"


def _latex_escape(text: str) -> str:
    return "".join("\\" + ch if ch in "_%&#$" else ch for ch in str(text))


def _to_latex(df: pd.DataFrame, caption: str, footer: str = "") -> str:
    """A booktabs table that fits a page: small type, long text columns wrapped, long tables as longtable."""
    shown = df.copy()
    shown.columns = [str(c) for c in shown.columns]
    shown = shown.map(_format_cell)
    numeric = [pd.api.types.is_numeric_dtype(df[c]) for c in df.columns]
    wrapped = [not num and shown[str(c)].str.len().max() > 28 for c, num in zip(df.columns, numeric)]
    # wrapped text columns share about 80% of the line, so the table fits the page
    width = max(0.12, round(0.8 / max(sum(wrapped), 1) - 0.02, 2))
    columns = ["r" if num else (f"p{{{width}\\linewidth}}" if wrap else "l") for num, wrap in zip(numeric, wrapped)]
    styler = shown.style.format(escape="latex").format_index(escape="latex", axis=1).hide(axis="index")
    long = len(df) > LONG_TABLE_ROWS
    text = styler.to_latex(
        caption=_latex_escape(caption),
        hrules=True,
        position=None if long else "htbp",
        label=f"tab:{_safe(caption)}",
        column_format="".join(columns),
        environment="longtable" if long else None,
    )
    note = f"\\footnotesize {_latex_escape(footer)}" if footer else ""
    if long:
        return "{\\small\n" + text + "}\n" + (f"\\noindent{{{note}}}\\par\n" if note else "")
    text = text.replace("\\begin{table}[htbp]\n", "\\begin{table}[htbp]\n\\small\n", 1)
    if note:
        text = text.replace("\\end{table}", f"\\par {note}\n\\end{{table}}", 1)
    return text


def write_tables(
    tables: dict[str, pd.DataFrame],
    stem: str,
    out: Path | str,
    formats: Iterable[str] | str,
    metadata: pd.DataFrame | None = None,
    report_tables: Iterable[str] | None = None,
    title: str = "",
    notes: Iterable[str] = (),
    footer: str = "",
    report_views: dict[str, pd.DataFrame] | None = None,
    readme: pd.DataFrame | None = None,
) -> list[Path]:
    """Write tables in each format ("csv", "xlsx", "md", "tex", or a comma-separated string of them)."""
    out = Path(out)
    formats = parse_formats(formats) if isinstance(formats, str) else parse_formats(",".join(formats))
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for fmt in formats:
        if fmt == "csv":
            for name, df in tables.items():
                p = out / f"{_safe(stem)}__{name}.csv"
                df.to_csv(p, index=False)
                written.append(p)
        elif fmt == "xlsx":
            p = out / f"{_safe(stem)}.xlsx"
            _write_excel(tables, p, metadata, readme)
            written.append(p)
        elif fmt in ("md", "tex"):
            chosen = [n for n in tables if report_tables is None or n in report_tables]
            views = {n: (report_views or {}).get(n, tables[n]) for n in chosen}
            if fmt == "md":
                lead = "".join(f"> {note}\n\n" for note in notes)
                tail = f"\n*{footer}*\n" if footer else ""
                text = f"# {title or stem}\n\n{lead}" + "\n".join(
                    f"## {_heading(n)}\n\n{_to_markdown(views[n])}{tail}" for n in chosen
                )
            else:
                # the metric id is for scripts; a typeset table shows the label only
                text = LATEX_PREAMBLE + "\n".join(
                    _to_latex(views[n].drop(columns=["Id"], errors="ignore"), f"{title or stem}: {_heading(n)}", footer)
                    for n in chosen
                )
            p = out / f"{_safe(stem)}.{fmt}"
            p.write_text(text, encoding="utf-8")
            written.append(p)
        else:
            raise EconError(f"unknown format '{fmt}'; allowed: {', '.join(FORMATS)}")
    return written


def _heading(name: str) -> str:
    """A table's heading in a report: its id in words ("gas_country_summary" -> "Gas country summary")."""
    return name.replace("_", " ").capitalize()


def _format_sheet(ws, df: pd.DataFrame) -> None:
    """Bold frozen header, column widths from the content, number formats by column (econ.formatting)."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws.freeze_panes = "A2"
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for j, col in enumerate(df.columns, start=1):
        letter = get_column_letter(j)
        values = df[col]
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            fmt = excel_number_format(values.to_numpy(dtype=float))
            for row in range(2, len(df) + 2):
                ws[f"{letter}{row}"].number_format = fmt
            width = max(len(str(col)), 12)
        else:
            longest = values.astype(str).str.len().max() if len(values) else 0
            width = max(len(str(col)), int(longest or 0))
        ws.column_dimensions[letter].width = min(width + 2, 60)


def _write_excel(
    tables: dict[str, pd.DataFrame], target, metadata: pd.DataFrame | None, readme: pd.DataFrame | None = None
) -> None:
    """One sheet per table, formatted (frozen header, widths, number formats); a README sheet first when given,
    the metadata sheet last."""
    sheets: dict[str, pd.DataFrame] = {}
    if readme is not None:
        sheets["README"] = readme
    sheets.update({name[:31]: df for name, df in tables.items()})
    if metadata is not None:
        sheets["metadata"] = metadata
    with pd.ExcelWriter(target, engine="openpyxl") as xw:
        for name, df in sheets.items():
            df.to_excel(xw, sheet_name=name, index=False)
            _format_sheet(xw.sheets[name], df)


def readme_frame(results: Results, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The workbook's first sheet: what it is, where the numbers come from, what each sheet holds."""
    rows = [
        ("Scenario", f"{results.scenario.title} ({results.scenario.name})"),
        ("Description", results.scenario.description),
        ("Source", source_line(results)),
        ("Units", "In each column's name (e.g. _bcm, _usd_bn, _pct, _eur_mwh) or in the table's unit column."),
        ("Geography", "The headline's geography column; gas tables are by country (ISO code), EU27 totals."),
    ]
    rows += [("Warning", w) for w in results.warnings]
    rows += [(f"Sheet {name[:31]}", f"{_heading(name)}: {len(df):,} rows") for name, df in tables.items()]
    rows.append(("Sheet metadata", "The run's manifest: overrides, versions, hashes of the registry and data"))
    return pd.DataFrame(rows, columns=["item", "value"])


def results_excel_bytes(results: Results) -> bytes:
    """The Excel workbook of ``write_results`` (every table and the metadata sheet), in memory."""
    buffer = io.BytesIO()
    tables = {"headline": results.headline, **results.tables}
    _write_excel(tables, buffer, metadata_frame(results), readme_frame(results, tables))
    return buffer.getvalue()


def results_csv_zip(results: Results) -> bytes:
    """Every table as CSV plus metadata.csv, zipped in memory."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, df in {"headline": results.headline, **results.tables}.items():
            zf.writestr(f"{name}.csv", df.to_csv(index=False))
        zf.writestr("metadata.csv", metadata_frame(results).to_csv(index=False))
    return buffer.getvalue()


def write_results(results: Results, out: Path | str, formats: Iterable[str] | str) -> list[Path]:
    """Every table in each format, and ``<scenario>__manifest.json`` (the run's manifest: version, scenario,
    overrides with dated paths as written, warnings, hashes), whatever the formats."""
    tables = {"headline": results.headline, **results.tables}
    report = ("headline",) + REPORT_TABLES
    written = write_tables(
        tables,
        results.scenario.name,
        out,
        formats,
        metadata_frame(results),
        report,
        title=f"{results.scenario.title} ({results.scenario.name})",
        notes=[f"Warning: {w}" for w in results.warnings],
        footer=source_line(results),
        report_views={"headline": headline_for_report(results.headline)},
        readme=readme_frame(results, tables),
    )
    manifest = Path(out) / f"{_safe(results.scenario.name)}__manifest.json"
    manifest.write_text(json.dumps(results.manifest, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")
    return written + [manifest]


def write_comparison(
    comparison: pd.DataFrame, out: Path | str, formats: Iterable[str] | str, results: list[Results]
) -> list[Path]:
    meta = pd.concat([metadata_frame(r).assign(scenario=r.scenario.name) for r in results], ignore_index=True)
    return write_tables(
        {"comparison": comparison},
        "comparison",
        out,
        formats,
        meta[["scenario", "key", "value"]],
        title="Comparison of scenarios",
    )
