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

import numpy as np
import pandas as pd

from .errors import EconError
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
    """Two decimals with thousands separators; no "-0.00"; a dash for a missing value."""
    if isinstance(v, (float, np.floating)):
        v = float(v)
        if not np.isfinite(v):
            return "–"
        if abs(v) < 0.005:
            return "0.00"
        return f"{v:,.2f}"
    return str(v)


def _to_markdown(df: pd.DataFrame) -> str:
    cols = [str(c) for c in df.columns]
    lines = [
        "| " + " | ".join(cols) + " |",
        "|" + "|".join("---:" if pd.api.types.is_numeric_dtype(df[c]) else "---" for c in df.columns) + "|",
    ]
    for row in df.itertuples(index=False):
        lines.append("| " + " | ".join(_format_cell(v).replace("|", "\\|") for v in row) + " |")
    return "\n".join(lines) + "\n"


def _to_latex(df: pd.DataFrame, caption: str) -> str:
    shown = df.copy()
    shown.columns = [str(c) for c in shown.columns]
    shown = shown.map(_format_cell)
    styler = shown.style.format(escape="latex").format_index(escape="latex", axis=1).hide(axis="index")
    escaped = "".join("\\" + ch if ch in "_%&#$" else ch for ch in caption)
    return styler.to_latex(
        caption=escaped,
        hrules=True,
        position="htbp",
        label=f"tab:{_safe(caption)}",
        column_format="".join("r" if pd.api.types.is_numeric_dtype(df[c]) else "l" for c in df.columns),
    )


def write_tables(
    tables: dict[str, pd.DataFrame],
    stem: str,
    out: Path | str,
    formats: Iterable[str] | str,
    metadata: pd.DataFrame | None = None,
    report_tables: Iterable[str] | None = None,
    title: str = "",
    notes: Iterable[str] = (),
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
            _write_excel(tables, p, metadata)
            written.append(p)
        elif fmt in ("md", "tex"):
            chosen = [n for n in tables if report_tables is None or n in report_tables]
            if fmt == "md":
                lead = "".join(f"> {note}\n\n" for note in notes)
                text = f"# {title or stem}\n\n{lead}" + "\n".join(
                    f"## {n}\n\n{_to_markdown(tables[n])}" for n in chosen
                )
            else:
                text = "\n".join(_to_latex(tables[n], f"{stem}: {n}") for n in chosen)
            p = out / f"{_safe(stem)}.{fmt}"
            p.write_text(text, encoding="utf-8")
            written.append(p)
        else:
            raise EconError(f"unknown format '{fmt}'; allowed: {', '.join(FORMATS)}")
    return written


def _write_excel(tables: dict[str, pd.DataFrame], target, metadata: pd.DataFrame | None) -> None:
    with pd.ExcelWriter(target, engine="openpyxl") as xw:
        for name, df in tables.items():
            df.to_excel(xw, sheet_name=name[:31], index=False)
        if metadata is not None:
            metadata.to_excel(xw, sheet_name="metadata", index=False)


def results_excel_bytes(results: Results) -> bytes:
    """The Excel workbook of ``write_results`` (every table and the metadata sheet), in memory."""
    buffer = io.BytesIO()
    _write_excel({"headline": results.headline, **results.tables}, buffer, metadata_frame(results))
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
