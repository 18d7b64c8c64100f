"""A one-page brief of a scenario: headline with deltas, key charts, the assumptions that differ, warnings, manifest.

``build_brief(results, reference)`` returns a self-contained HTML page (plotly.js embedded once, no network);
``write_brief`` writes it and, through the system's Chromium (headless, nothing downloaded), a PDF of it. The
CLI's ``econ brief`` and the app's brief download both call these.
"""

from __future__ import annotations

import html
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pandas as pd

from .errors import EconError
from .formatting import format_number
from .report import source_line
from .results import Results

# (builder, caption): the charts a brief carries, the gas side then Russia's
KEY_FIGURES = (
    ("gas_supply", "Europe's gas supply by source"),
    ("coverage_waterfall", "How the lost Russian gas is covered"),
    ("ruble_path", "The ruble"),
    ("gdp_channels", "Russia's GDP by channel"),
)
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
PDF_TIMEOUT_S = 120

_CSS = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 60rem; margin: 2rem auto; color: #222; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.15rem; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; width: 100%; font-size: .85rem; margin: .5rem 0 1rem; }
th, td { padding: .25rem .5rem; border-bottom: 1px solid #e5e5e5; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.note { color: #555; font-size: .8rem; } .warn { background: #fff4e5; padding: .4rem .6rem; border-left: 3px solid #e8a33d; }
pre { font-size: .7rem; white-space: pre-wrap; background: #f7f7f7; padding: .5rem; }
.figure { page-break-inside: avoid; }
"""


def headline_with_deltas(results: Results, reference: Results | None) -> pd.DataFrame:
    """Label, value, unit (and the reference's value and the difference, when there is a reference)."""
    h = results.headline
    out = pd.DataFrame({"Metric": h["label"], "Value": h["value"], "Unit": h["unit"]})
    if reference is not None:
        ref = reference.headline.set_index("metric")["value"].reindex(h["metric"]).to_numpy()
        out[f"{reference.scenario.name}"] = ref
        out["Difference"] = h["value"].to_numpy() - ref
    return out


def changed_assumptions(results: Results, reference: Results | None) -> pd.DataFrame:
    """Every assumption whose value differs from the reference run's (or the registry default), with its source."""
    registry = results.scenario.registry
    mine = results.scenario.params
    theirs = reference.scenario.params if reference is not None else mine.defaults
    rows = []
    for name in registry.specs:
        if mine[name] != theirs[name]:
            spec = registry[name]
            rows.append((spec.label, _plain(mine[name]), _plain(theirs[name]), spec.unit, spec.source, name))
    against = reference.scenario.name if reference is not None else "registry default"
    return pd.DataFrame(rows, columns=["Assumption", "Value", against, "Unit", "Source", "Parameter"])


def _plain(value: object) -> str:
    to_mapping = getattr(value, "to_mapping", None)
    if to_mapping is not None:
        return ", ".join(f"{k}: {format_number(v)}" for k, v in to_mapping().items())
    return format_number(value)


def _table(df: pd.DataFrame) -> str:
    numeric = [pd.api.types.is_numeric_dtype(df[c]) for c in df.columns]
    head = "".join(f"<th class='{'num' if n else ''}'>{html.escape(str(c))}</th>" for c, n in zip(df.columns, numeric))
    body = "".join(
        "<tr>"
        + "".join(
            f"<td class='{'num' if n else ''}'>{html.escape(format_number(v) if n else str(v))}</td>"
            for v, n in zip(row, numeric)
        )
        + "</tr>"
        for row in df.itertuples(index=False)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def build_brief(results: Results, reference: Results | None = None) -> str:
    """The brief as one self-contained HTML page."""
    sc = results.scenario
    parts = [
        f"<h1>{html.escape(sc.title)}</h1>",
        f"<p class='note'>Scenario <code>{html.escape(sc.name)}</code>"
        + (f", compared with <code>{html.escape(reference.scenario.name)}</code>" if reference is not None else "")
        + f". {html.escape(sc.description)}</p>",
    ]
    for w in results.warnings:
        parts.append(f"<p class='warn'>Stress test: {html.escape(w)}</p>")
    parts += ["<h2>Headline</h2>", _table(headline_with_deltas(results, reference))]
    parts.append(f"<p class='note'>{html.escape(source_line(results))}</p>")
    changed = changed_assumptions(results, reference)
    parts.append("<h2>Assumptions that differ</h2>")
    parts.append(_table(changed.drop(columns=["Parameter"])) if len(changed) else "<p>None.</p>")
    parts.append("<h2>Key charts</h2>")
    first = True
    for builder, caption in KEY_FIGURES:
        try:
            fig = getattr(results.figures, builder)()
        except (KeyError, AttributeError):  # a module that produced no such table (e.g. a failed solve)
            continue
        fig.update_layout(height=420)
        div = fig.to_html(full_html=False, include_plotlyjs="inline" if first else False, config={"staticPlot": True})
        first = False
        parts.append(f"<div class='figure'><h3>{html.escape(caption)}</h3>{div}</div>")
    parts.append("<h2>Manifest</h2>")
    parts.append(f"<pre>{html.escape(json.dumps(results.manifest, indent=2, sort_keys=True, default=str))}</pre>")
    body = "\n".join(parts)
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(sc.title)}: brief</title><style>{_CSS}</style></head><body>{body}</body></html>"
    )


def find_chromium() -> str:
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    raise EconError(
        "a PDF needs the system's Chromium (Debian: apt-get install chromium); "
        "the HTML brief is written without it (use --no-pdf)"
    )


def html_to_pdf(html_path: Path, pdf_path: Path) -> None:
    """Print a page to PDF with headless Chromium (local file, no network, no download)."""
    browser = find_chromium()
    with tempfile.TemporaryDirectory(prefix="econ-brief-") as profile:
        cmd = [
            browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--no-first-run",
            f"--user-data-dir={profile}", "--virtual-time-budget=15000", "--no-pdf-header-footer",
            f"--print-to-pdf={pdf_path}", html_path.resolve().as_uri(),
        ]  # fmt: skip
        try:
            done = subprocess.run(cmd, capture_output=True, timeout=PDF_TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            raise EconError(f"Chromium did not finish the PDF within {PDF_TIMEOUT_S} s") from None
    if done.returncode != 0 or not pdf_path.is_file() or pdf_path.stat().st_size == 0:
        tail = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["no message"]
        raise EconError(f"Chromium could not print the brief to PDF: {tail[0][:200]}")


def write_brief(results: Results, out: Path, reference: Results | None = None, pdf: bool = True) -> list[Path]:
    """``<scenario>__brief.html`` and, if ``pdf``, ``<scenario>__brief.pdf`` in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    page = out / f"{results.scenario.name}__brief.html"
    page.write_text(build_brief(results, reference), encoding="utf-8")
    written = [page]
    if pdf:
        target = out / f"{results.scenario.name}__brief.pdf"
        html_to_pdf(page, target)
        written.append(target)
    return written
