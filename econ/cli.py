"""Command line: econ run | compare | params | presets.

Bad input prints one line starting with "error:" and exits with status 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import pandas as pd
import typer

from .errors import EconError

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Sanctions on Russia and Europe's gas: scenario tables for reports.")


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


def _print_table(df: pd.DataFrame) -> None:
    with pd.option_context("display.max_rows", 500, "display.max_columns", 50, "display.width", 200,
                           "display.float_format", "{:,.2f}".format):
        typer.echo(df.to_string(index=False))


@app.command()
def run(
    scenarios: List[str] = typer.Argument(..., help="Preset names or paths to scenario YAML files."),
    out: Path = typer.Option(Path("out"), "--out", "-o", help="Directory for the tables."),
    format: str = typer.Option("csv", "--format", "-f", help="Comma-separated: csv,xlsx,md,tex."),
    set_: List[str] = typer.Option([], "--set", help="Override KEY=VALUE, applied to every scenario (repeatable)."),
) -> None:
    """Run scenarios and write headline and detail tables, per scenario and compared."""
    from .params import load_scenario
    from .report import parse_formats, write_comparison, write_results
    from .scenario import compare_results, run as run_scenario

    try:
        formats = parse_formats(format)
        overrides = _parse_sets(set_)
        loaded = [load_scenario(s) for s in scenarios]
        if overrides:
            loaded = [s.with_overrides(overrides) for s in loaded]
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
    scenarios: List[str] = typer.Argument(..., help="Two or more presets or scenario files."),
    set_: List[str] = typer.Option([], "--set", help="Override KEY=VALUE, applied to every scenario."),
) -> None:
    """Print the headline metrics of scenarios side by side, with the change against the first."""
    from .params import load_scenario
    from .scenario import compare_results, run as run_scenario

    try:
        if len(scenarios) < 2:
            raise EconError("compare needs at least two scenarios")
        overrides = _parse_sets(set_)
        loaded = [load_scenario(s) for s in scenarios]
        if overrides:
            loaded = [s.with_overrides(overrides) for s in loaded]
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
    module: Optional[str] = typer.Option(None, "--module", "-m", help="Only this module (e.g. gas)."),
    group: Optional[str] = typer.Option(None, "--group", "-g", help="Only this group (substring match)."),
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
