"""Command line: econ run | compare | params | presets | sweep | app.

Bad input prints one line starting with "error:" and exits with status 2, before anything is written:
every argument and every scenario is checked first, and outputs go to a temporary folder next to
``--out`` that is moved into place only once everything is written.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import click
import pandas as pd
import typer
from typer.core import TyperGroup

from .errors import EconError
from .loader import MAX_BYTES, one_line, parse_value, short

_typer_click: Any
try:  # typer >= 0.20 carries its own copy of click
    from typer._click import exceptions as _typer_click
except ImportError:  # pragma: no cover
    _typer_click = click.exceptions
_CLICK_ERRORS = (click.exceptions.ClickException, _typer_click.ClickException)
_ABORTS = (click.exceptions.Abort, typer.Abort)
_HELP: tuple[type[BaseException], ...] = tuple(
    m.NoArgsIsHelpError for m in (click.exceptions, _typer_click) if hasattr(m, "NoArgsIsHelpError")
)


DEBUG_ENV = "ECON_DEBUG"  # set to 1 to see the traceback of an unexpected error


class _OneLineErrors(TyperGroup):
    """Usage errors (a bad option value, a missing argument) and unexpected errors as one line too."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        try:
            rv = super().main(*args, standalone_mode=False, **kwargs)  # type: ignore[misc]
        except _ABORTS:
            typer.echo("error: aborted", err=True)
            sys.exit(1)
        except _HELP as exc:  # `econ` alone: the help
            typer.echo(exc.format_message(), err=True)  # type: ignore[attr-defined]
            sys.exit(2)
        except _CLICK_ERRORS as exc:
            typer.echo(f"error: {one_line(exc.format_message())}", err=True)
            sys.exit(2)
        except Exception as exc:
            if os.environ.get(DEBUG_ENV):
                raise
            typer.echo(
                f"error: unexpected {type(exc).__name__}: {one_line(str(exc), 200)} (set {DEBUG_ENV}=1 for details)",
                err=True,
            )
            sys.exit(1)
        if not standalone_mode:
            return rv
        sys.exit(rv if isinstance(rv, int) else 0)


app = typer.Typer(
    cls=_OneLineErrors,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Sanctions on Russia and Europe's gas: scenario tables for reports.",
)


def _fail(msg: str) -> None:
    typer.echo(f"error: {one_line(msg)}", err=True)
    raise typer.Exit(2)


def _parse_sets(sets: list[str]) -> dict[str, Any]:
    """``--set KEY=VALUE`` items: each value read by the safe loader (a number, a boolean, text, or a
    dated path written as a flow mapping, e.g. {"2022-06": 0.4, "2022-09": 0})."""
    out: dict[str, Any] = {}
    for item in sets:
        if "=" not in item:
            raise EconError(f"--set expects KEY=VALUE, got {short(item)}")
        k, v = item.split("=", 1)
        key = k.strip()
        if not key:
            raise EconError(f"--set expects KEY=VALUE, got {short(item)} (no key)")
        if key in out:
            raise EconError(f"--set {short(key)} is given twice; give each key once")
        out[key] = parse_value(v.strip(), key, where=f"--set {short(key, 80)}")
    return out


def _load_all(names: list[str], overrides: dict[str, Any]) -> list:
    """Every scenario loaded, with the --set overrides applied and distinct names (checked before any run)."""
    from .params import load_scenario, scenario_from_text
    from .report import _safe

    loaded = []
    for name in names:
        path = Path(name)
        if path.is_file():  # read as bytes, so that the loader checks the encoding, NUL bytes and size
            if path.stat().st_size > MAX_BYTES:
                raise EconError(f"{name}: the file is larger than {MAX_BYTES // 1024} KiB")
            loaded.append(scenario_from_text(path.read_bytes(), name=path.stem, where=name))
        else:
            loaded.append(load_scenario(name))
    if overrides:
        loaded = [s.with_overrides(overrides) for s in loaded]
    taken: set[str] = set()
    out = []
    for s, given in zip(loaded, names):
        stem, k = s.name, 2
        while _safe(stem).lower() in taken:  # case-insensitive: two outputs must never share a file
            stem, k = f"{s.name}_{k}", k + 1
        if stem != s.name:
            typer.echo(f"note: '{given}' is also named '{s.name}'; its outputs are named '{stem}'", err=True)
            s = replace(s, name=stem)
        taken.add(_safe(stem).lower())
        out.append(s)
    return out


def _check_out(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise EconError(f"--out {out}: is a file, not a folder")
    parent = next((p for p in [out, *out.parents] if p.exists()), None)
    if parent is not None and not os.access(parent, os.W_OK):
        raise EconError(f"--out {out}: cannot write to {parent}")


@contextmanager
def _staged(out: Path) -> Iterator[Path]:
    """A temporary folder next to ``out``; on success its files are moved into ``out``, else it is removed."""
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name or 'out'}.tmp-", dir=out.parent))
    try:
        yield stage
        out.mkdir(parents=True, exist_ok=True)
        for path in sorted(stage.rglob("*")):
            if path.is_file():
                dest = out / path.relative_to(stage)
                dest.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, dest)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _moved(paths: list[Path], stage: Path, out: Path) -> list[Path]:
    return [out / p.relative_to(stage) for p in paths]


def _print_warnings(scenarios) -> None:
    """Each scenario's assumptions outside their plausible range, once, on stderr (they run as stress tests)."""
    for sc in scenarios:
        for w in sc.warnings:
            typer.echo(f"warning: {sc.name}: {w}", err=True)


def _print_table(df: pd.DataFrame) -> None:
    with pd.option_context(
        "display.max_rows",
        500,
        "display.max_columns",
        50,
        "display.width",
        200,
        "display.float_format",
        "{:,.2f}".format,
    ):
        typer.echo(df.to_string(index=False))


@app.command()
def run(
    scenarios: list[str] = typer.Argument(..., help="Preset names or paths to scenario YAML files."),
    out: Path = typer.Option(Path("out"), "--out", "-o", help="Directory for the tables."),
    format: str = typer.Option("csv", "--format", "-f", help="Comma-separated: csv,xlsx,md,tex."),
    set_: list[str] = typer.Option([], "--set", help="Override KEY=VALUE, applied to every scenario (repeatable)."),
) -> None:
    """Run scenarios and write headline and detail tables, per scenario and compared."""
    from .engine import compare_results
    from .engine import run as run_scenario
    from .report import parse_formats, write_comparison, write_results

    try:
        formats = parse_formats(format)
        overrides = _parse_sets(set_)
        _check_out(out)
        loaded = _load_all(scenarios, overrides)
        _print_warnings(loaded)
        results = [run_scenario(s) for s in loaded]
        with _staged(out) as stage:
            written = []
            for r in results:
                written += write_results(r, stage, formats)
            if len(results) > 1:
                written += write_comparison(compare_results(results), stage, formats, results)
            written = _moved(written, stage, out)
        for r in results:
            for module, (status, message) in r.status.items():
                if status != "ok":
                    typer.echo(f"warning: {r.scenario.name}: module {module}: {status}: {message}", err=True)
    except EconError as exc:
        _fail(str(exc))
        return
    except OSError as exc:
        _fail(f"cannot write to {out}: {exc.strerror or exc}")
        return
    _print_table(compare_results(results))
    typer.echo(f"\nwrote {len(written)} file(s) to {out}/")


@app.command()
def compare(
    scenarios: list[str] = typer.Argument(..., help="Two or more presets or scenario files."),
    set_: list[str] = typer.Option([], "--set", help="Override KEY=VALUE, applied to every scenario."),
) -> None:
    """Print the headline metrics of scenarios side by side, with the change against the first."""
    from .engine import compare_results
    from .engine import run as run_scenario

    try:
        if len(scenarios) < 2:
            raise EconError("compare needs at least two scenarios")
        overrides = _parse_sets(set_)
        loaded = _load_all(scenarios, overrides)
        _print_warnings(loaded)
        table = compare_results([run_scenario(s) for s in loaded])
    except EconError as exc:
        _fail(str(exc))
        return
    first = scenarios[0] if scenarios[0] in table.columns else table.columns[4]
    for name in table.columns[5:]:
        table[f"{name} - {first}"] = table[name] - table[first]
    _print_table(table.drop(columns=["module"]))


@app.command()
def params(
    module: str | None = typer.Option(None, "--module", "-m", help="Only this module (e.g. gas)."),
    group: str | None = typer.Option(None, "--group", "-g", help="Only this group (substring match)."),
    csv: bool = typer.Option(False, "--csv", help="Print CSV with every column instead of a table."),
) -> None:
    """List the assumptions registry."""
    from .params import load_registry

    try:
        df = load_registry().to_frame()
    except EconError as exc:
        _fail(str(exc))
        return
    if module:
        if module not in set(df.module):
            _fail(f"unknown module '{module}'; modules: {', '.join(sorted(set(df.module)))}")
        df = df[df.module == module]
    if group:
        df = df[df.group.str.contains(group, case=False, regex=False)]
        if df.empty:
            _fail(f"no parameter in a group matching '{group}'")
    if csv:
        typer.echo(df.to_csv(index=False), nl=False)
    else:
        _print_table(df[["name", "value", "unit", "low", "high", "label"]])


@app.command()
def presets() -> None:
    """List the preset scenarios with their titles."""
    from .params import list_presets, load_scenario

    try:
        for name in list_presets():
            typer.echo(f"{name:24s} {load_scenario(name).title}")
    except EconError as exc:
        _fail(str(exc))


FIGURE_FORMATS = ("html", "png")
_SCHEDULER_RE = re.compile(r"^(tcp|tls|ucx|inproc)://[A-Za-z0-9._\-\[\]:]+(:\d{1,5})?$")


def _figure_formats(text: str) -> list[str]:
    chosen = [f.strip().lower() for f in text.split(",") if f.strip()]
    bad = [f for f in chosen if f not in FIGURE_FORMATS + ("none",)]
    if bad:
        raise EconError(f"unknown figure format '{bad[0]}'; allowed: html, png, none (comma-separated)")
    return [f for f in chosen if f != "none"]


def write_figures(figs: dict[str, Any], out: Path, formats: list[str]) -> list[Path]:
    """Each figure as a self-contained HTML page (plotly.js inside, works offline) and/or a PNG.

    PNGs are drawn by kaleido in the system's Chromium (one browser for all figures); nothing is downloaded.
    """
    written = []
    if "html" in formats:
        for stem, fig in figs.items():
            path = out / f"{stem}.html"
            fig.write_html(path, include_plotlyjs=True)
            written.append(path)
    if "png" in formats and figs:
        import plotly.io as pio

        paths = [out / f"{stem}.png" for stem in figs]
        try:
            pio.write_images(
                list(figs.values()),
                paths,
                width=1100,
                scale=2,
                height=[fig.layout.height or 550 for fig in figs.values()],
            )
        except Exception as exc:  # kaleido raises its own types when no browser can be started
            raise EconError(
                f"PNG figures need Chrome or Chromium (e.g. apt-get install chromium): {exc}; or pass --figures html"
            ) from None
        written.extend(paths)
    return written


@app.command()
def sweep(
    scenario: str = typer.Argument(..., help="Preset name or scenario YAML file."),
    method: str = typer.Option("mc", "--method", help="mc (Monte Carlo), tornado or sobol."),
    n: int = typer.Option(200, "--n", help="Draws (mc) or base sample size, a power of 2 (sobol)."),
    seed: int = typer.Option(1, "--seed", help="Seed: the same seed gives the same draws."),
    metric: list[str] = typer.Option(
        [],
        "--metric",
        help="Headline metric(s) for the figures and the tornado "
        "(repeatable; default: rub_usd_peak, russia_gdp_change_pct, eu_gas_shortfall_bcm).",
    ),
    param: list[str] = typer.Option(
        [], "--param", help="Parameters to vary (repeatable; default: every uncertain one)."
    ),
    out: Path = typer.Option(Path("out"), "--out", "-o", help="Directory for tables and figures."),
    format: str = typer.Option("csv", "--format", "-f", help="Tables, comma-separated: csv,xlsx,md,tex."),
    figure_format: str = typer.Option(
        "html,png",
        "--figures",
        help="Figures, comma-separated: html,png (png through kaleido and the system Chromium), or none.",
    ),
    scheduler: str | None = typer.Option(
        None,
        "--scheduler",
        help="Run on Dask: 'local' (a local cluster, one worker per core) or a "
        "scheduler address such as tcp://HOST:8786.",
    ),
    chunk_size: int | None = typer.Option(
        None,
        "--chunk-size",
        help="Parameter sets per task; results depend on it, not on the "
        "backend (default: 100 when gas parameters vary, else 1000).",
    ),
) -> None:
    """Uncertainty: Monte Carlo, tornado or Sobol' indices, as tables and figures."""
    from . import figures
    from .metrics import featured
    from .report import parse_formats, write_tables
    from .uncertainty import check_metrics, check_sobol_n, model_runs, monte_carlo, sobol, tornado_tables

    try:
        formats = parse_formats(format)
        fig_formats = _figure_formats(figure_format)
        if method not in ("mc", "tornado", "sobol"):
            raise EconError(f"unknown method '{method}'; allowed: mc, tornado, sobol")
        if method == "sobol":
            check_sobol_n(n)
        elif method == "mc" and n < 1:
            raise EconError(f"--n must be at least 1, got {n}")
        if scheduler is not None and scheduler != "local" and not _SCHEDULER_RE.match(scheduler):
            raise EconError(
                f"--scheduler {short(scheduler)}: give 'local' or a scheduler address such as tcp://HOST:8786"
            )
        if chunk_size is not None and chunk_size < 1:
            raise EconError(f"--chunk-size must be at least 1, got {chunk_size}")
        _check_out(out)
        (sc,) = _load_all([scenario], {})
        _print_warnings([sc])
        params = list(param) or None
        metrics = list(metric) or list(featured("sweep"))
        check_metrics(metrics)
        backend: dict[str, Any] = {
            "backend": "dask" if scheduler else "serial",
            "scheduler": None if scheduler in (None, "local") else scheduler,
            "chunk_size": chunk_size,
        }
        runs = model_runs(sc, method, n, params)
        where = f" on Dask ({scheduler})" if scheduler else ""
        stem = f"{sc.name}__{method}"
        with typer.progressbar(length=runs, label=f"{method}: {runs} model runs{where}", file=None) as bar:
            if method == "mc":
                mc = monte_carlo(sc, n=n, seed=seed, params=params, progress=bar.update, **backend)
                tables = {
                    "summary": mc.summary,
                    "paths_summary": mc.path_summary,
                    "draws": mc.draws,
                    "outcomes": mc.outcomes,
                }
                figs = {
                    stem: figures.monte_carlo_histograms(mc.outcomes, mc.summary, metrics),
                    **{f"{stem}_fan_{path}": figures.fan_chart(mc.path_summary, path) for path in mc.paths},
                }
            elif method == "tornado":
                by_metric = tornado_tables(sc, metrics, params=params, progress=bar.update, **backend)
                tables = {f"tornado_{m}": t for m, t in by_metric.items()}
                figs = {f"{stem}_{m}": figures.tornado_bars(t, m, top=20) for m, t in by_metric.items()}
            else:
                table = sobol(sc, metrics, n=n, seed=seed, params=params, progress=bar.update, **backend)
                tables = {"sobol": table}
                figs = {stem: figures.sobol_bars(table)}
        with _staged(out) as stage:
            written = write_tables(tables, stem, stage, formats, title=f"{sc.title}: {method}")
            written += write_figures(figs, stage, fig_formats)
            written = _moved(written, stage, out)
    except EconError as exc:
        _fail(str(exc))
        return
    except OSError as exc:
        _fail(f"{type(exc).__name__}: {exc.strerror or exc} (output folder {out}, scheduler {scheduler or 'none'})")
        return
    summary = tables.get("summary")
    if summary is not None:
        _print_table(summary[summary.metric.isin(metrics)].drop(columns=["label"]))
    typer.echo(f"\nwrote {len(written)} file(s) to {out}/")


@app.command()
def brief(
    scenario: str = typer.Argument(..., help="Preset name or scenario YAML file."),
    compare_with: str = typer.Option("baseline", "--compare", help="The scenario the deltas are taken against."),
    out: Path = typer.Option(Path("out"), "--out", "-o", help="Folder for the brief."),
    pdf: bool = typer.Option(True, "--pdf/--no-pdf", help="Also print a PDF with the system's Chromium."),
    set_: list[str] = typer.Option([], "--set", help="Override KEY=VALUE for the scenario (repeatable)."),
) -> None:
    """A self-contained HTML brief (headline with deltas, key charts, changed assumptions, warnings, manifest)
    and its PDF."""
    from .brief import find_chromium, write_brief
    from .engine import run as run_scenario

    try:
        _check_out(out)
        if pdf:
            find_chromium()  # fail before any work when the PDF cannot be made
        (sc,) = _load_all([scenario], _parse_sets(set_))
        (ref,) = _load_all([compare_with], {})
        _print_warnings([sc])
        results, reference = run_scenario(sc), run_scenario(ref)
        with _staged(out) as stage:
            written = _moved(write_brief(results, stage, reference, pdf=pdf), stage, out)
    except EconError as exc:
        _fail(str(exc))
        return
    except OSError as exc:
        _fail(f"cannot write to {out}: {exc.strerror or exc}")
        return
    for path in written:
        typer.echo(f"wrote {path}")


@app.command("app")
def app_command(
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on (127.0.0.1: this machine only)."),
    port: int = typer.Option(8050, "--port", help="Port."),
    debug: bool = typer.Option(False, "--debug", help="Dash debug mode (never on a shared server)."),
) -> None:
    """Start the Dash app and print its address."""
    try:
        from dash_app.app import main as run_app
    except ImportError as exc:
        _fail(f"the app needs the 'app' extra (pip install 'econ[app]'): {exc}")
        return
    run_app(host=host, port=port, debug=debug)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
