"""Command line: econ run | compare | params | presets.

Bad input prints one line starting with "error:" and exits with status 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import typer

from .errors import EconError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Sanctions on Russia and Europe's gas: scenario tables for reports.",
)


def _fail(msg: str) -> None:
    typer.echo(f"error: {msg}", err=True)
    raise typer.Exit(2)


def _parse_sets(sets: list[str]) -> dict[str, str]:
    out = {}
    for item in sets:
        if "=" not in item:
            raise EconError(f"--set expects KEY=VALUE, got '{item}'")
        k, v = item.split("=", 1)
        out[k.strip()] = v.strip()
    return out


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
    from .params import load_scenario
    from .report import parse_formats, write_comparison, write_results

    try:
        formats = parse_formats(format)
        overrides = _parse_sets(set_)
        loaded = [load_scenario(s) for s in scenarios]
        if overrides:
            loaded = [s.with_overrides(overrides) for s in loaded]
        _print_warnings(loaded)
        results = [run_scenario(s) for s in loaded]
        written = []
        for r in results:
            written += write_results(r, out, formats)
            for module, (status, message) in r.status.items():
                if status != "ok":
                    typer.echo(f"warning: {r.scenario.name}: module {module}: {status}: {message}", err=True)
        if len(results) > 1:
            written += write_comparison(compare_results(results), out, formats, results)
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
    from .params import load_scenario

    try:
        if len(scenarios) < 2:
            raise EconError("compare needs at least two scenarios")
        overrides = _parse_sets(set_)
        loaded = [load_scenario(s) for s in scenarios]
        if overrides:
            loaded = [s.with_overrides(overrides) for s in loaded]
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
    from .params import load_scenario
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
        sc = load_scenario(scenario)
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
        out.mkdir(parents=True, exist_ok=True)
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
        written = write_tables(tables, stem, out, formats, title=f"{sc.title}: {method}")
        written += write_figures(figs, out, fig_formats)
    except EconError as exc:
        _fail(str(exc))
        return
    summary = tables.get("summary")
    if summary is not None:
        _print_table(summary[summary.metric.isin(metrics)].drop(columns=["label"]))
    typer.echo(f"\nwrote {len(written)} file(s) to {out}/")


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
