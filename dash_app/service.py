"""What the app asks of the library: cached runs, scenarios from control values, share links.

The cache is a pure-function memo keyed by the scenario's parameter values, not
per-user state: two sessions with the same assumptions share a result, two with
different assumptions never see each other's.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qs, urlencode

import pandas as pd

import econ
from econ import loader
from econ.data import load_data
from econ.engine import metric_info
from econ.errors import EconError
from econ.europe import europe_data
from econ.params import Scenario, Value, load_registry
from econ.time import DatedPath
from econ.uncertainty import MonteCarlo, model_runs, output_bands

SHARE_FORMAT_VERSION = "1"
SHARE_KEYS = ("v", "preset", "o")
MAX_SHARE_QUERY = 8 * 1024  # characters; a link with every parameter changed is about 5 KiB
# Model runs per batch in the uncertainty tools: the library reports progress after each batch, and
# batches of 25 keep the progress bar moving at no cost in speed (measured: 200 draws as fast as with 100).
UNCERTAINTY_CHUNK_SIZE = 25


Override = Value | DatedPath


def plain(overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Overrides as JSON data for the browser and share links: a dated path as ``{"base": v, "YYYY-MM": v, ...}``
    (always with its base, so it reads back exactly whatever the preset)."""
    return {k: v.to_mapping() if isinstance(v, DatedPath) else v for k, v in overrides.items()}


def canonical(overrides: Mapping[str, Any]) -> dict[str, Override]:
    """Overrides from the browser (dated paths as mappings) as the registry's values (DatedPath)."""
    return load_registry().validate_overrides(dict(overrides))


@lru_cache(maxsize=256)
def _run(preset: str, key: str) -> econ.Results:
    return econ.run(scenario_for(preset, json.loads(key)))


def run(preset: str, overrides: Mapping[str, Any]) -> econ.Results:
    """Results for a preset with overrides (scalars, DatedPath or their mappings); cached by the exact values."""
    return _run(preset, json.dumps(plain(overrides), sort_keys=True))


def preset_values(preset: str) -> dict[str, Override]:
    """Every parameter's value in a preset: registry defaults plus the preset's overrides."""
    return dict(econ.load_scenario(preset).params)


def overrides_against(preset: str, values: Mapping[str, Override]) -> dict[str, Override]:
    """Only the values that differ from the preset's own."""
    base = preset_values(preset)
    return {k: v for k, v in values.items() if k in base and base[k] != v}


def scenario_for(preset: str, overrides: Mapping[str, Any]) -> Scenario:
    """The preset, or the preset with overrides under the name ``<preset>_edited``."""
    scenario = econ.load_scenario(preset)
    return scenario.with_overrides(overrides, name=f"{preset}_edited") if overrides else scenario


def metric_labels() -> dict[str, str]:
    """Each headline metric's label with its unit, as the library names them."""
    return {m.id: f"{m.label} ({m.unit})" for m in metric_info().values()}


def uncertainty_runs(preset: str, overrides: Mapping[str, Any], n: int, params: Sequence[str] | None = None) -> int:
    """How many model runs a Monte Carlo of ``n`` draws plus a tornado takes (for the progress bar)."""
    scenario = scenario_for(preset, overrides)
    return model_runs(scenario, "mc", n, params) + model_runs(scenario, "tornado", n, params)


def uncertainty(
    preset: str,
    overrides: Mapping[str, Any],
    n: int,
    seed: int,
    metric: str,
    params: Sequence[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[MonteCarlo, pd.DataFrame]:
    """A Monte Carlo of ``n`` draws and a tornado of ``metric`` for the preset with overrides.

    ``params`` restricts both to those parameters (None: every uncertain parameter).
    Not memoised: a run takes seconds and its results go to the browser, not back here.
    """
    scenario = scenario_for(preset, overrides)
    mc = econ.monte_carlo(scenario, n=n, seed=seed, params=params, progress=progress, chunk_size=UNCERTAINTY_CHUNK_SIZE)
    table = econ.tornado(scenario, metric, params=params, progress=progress, chunk_size=UNCERTAINTY_CHUNK_SIZE)
    return mc, table


def share_query(preset: str, overrides: Mapping[str, Any]) -> str:
    """URL query holding the format version, the preset and the non-default overrides (a dated path as its
    mapping of ``base`` and months)."""
    query = {"v": SHARE_FORMAT_VERSION, "preset": preset}
    if overrides:
        query["o"] = json.dumps(plain(overrides), sort_keys=True, separators=(",", ":"))
    return "?" + urlencode(query)


def parse_share_query(search: str) -> tuple[str, dict[str, Override]]:
    """Preset and validated overrides from a share link; EconError with a clear one-line message if it is bad.

    The overrides go through the same safe loader as files (econ.loader): duplicate keys, NaN, huge numbers,
    deep nesting and oversize links are refused, never silently dropped or clipped.
    """
    text = (search or "").lstrip("?")
    if len(text) > MAX_SHARE_QUERY:
        raise EconError(f"share link: longer than {MAX_SHARE_QUERY // 1024} KiB ({len(text):,} characters)")
    try:
        qs = parse_qs(text, keep_blank_values=True, errors="strict", max_num_fields=20)
    except (ValueError, UnicodeDecodeError):
        raise EconError("share link: not a valid query (bad %-encoding or too many fields)") from None
    unknown = [k for k in qs if k not in SHARE_KEYS]
    if unknown:
        raise EconError(f"share link: unknown field {loader.short(unknown[0], 40)}; a share link has v, preset and o")
    repeated = [k for k, v in qs.items() if len(v) > 1]
    if repeated:
        raise EconError(f"share link: the field '{repeated[0]}' appears {len(qs[repeated[0]])} times; give it once")
    version = qs.get("v", [SHARE_FORMAT_VERSION])[0]
    if version != SHARE_FORMAT_VERSION:
        raise EconError(
            f"share link: format version {loader.short(version, 20)} is not supported "
            f"(this app reads version {SHARE_FORMAT_VERSION})"
        )
    preset = qs.get("preset", ["baseline"])[0]
    if preset not in econ.list_presets():
        raise EconError(
            f"share link: unknown preset {loader.short(preset, 40)}; presets: {', '.join(econ.list_presets())}"
        )
    if "o" not in qs:
        return preset, {}
    raw = loader.parse_overrides(qs["o"][0], "share link")
    try:
        clean = load_registry().validate_overrides(raw, where="share link")
        econ.load_scenario(preset).with_overrides(clean)  # the whole scenario must hold (e.g. months in the horizon)
    except EconError as exc:  # one bounded line, whatever the value quoted
        text = str(exc) if str(exc).startswith("share link") else f"share link: {exc}"
        raise EconError(loader.one_line(text)) from None
    return preset, clean


EUROPE_BAND_DRAWS = 200
EUROPE_BAND_CHUNK = 50  # draws per batch (one vectorised model run)


def europe_bands(
    preset: str,
    overrides: Mapping[str, Any],
    n: int = EUROPE_BAND_DRAWS,
    seed: int = 1,
    params: Sequence[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> pd.DataFrame:
    """Europe's GDP change by country over a Monte Carlo (``econ.uncertainty.output_bands`` on the europe module's
    per-country output ``gdp_change_pct_by_country``: % of GDP, first 12 months, the table ``eu_gdp_by_country``'s
    ``gdp_change_pct``), for the app's current preset and overrides. Returns country, p5, p50, p95, mean and
    n_failed."""
    data = load_data()
    return output_bands(
        scenario_for(preset, overrides),
        "europe",
        "gdp_change_pct_by_country",
        europe_data(data).countries,
        n,
        seed,
        params,
        EUROPE_BAND_CHUNK,
        progress,
        data,
        label_column="country",
    )
