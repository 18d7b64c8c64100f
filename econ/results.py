"""Results of a scenario run: headline table, tidy detail tables, run manifest."""

from __future__ import annotations

import platform
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from .data import Data
from .model import ModuleResult
from .params import Scenario
from .version import __version__

HEADLINE_COLUMNS = ("metric", "value", "unit", "module", "label", "geography")


def package_version() -> str:
    return __version__


@dataclass(frozen=True)
class Results:
    scenario: Scenario
    headline: pd.DataFrame
    tables: Mapping[str, pd.DataFrame]
    status: Mapping[str, tuple[str, str]]
    manifest: Mapping[str, Any]
    modules: Mapping[str, ModuleResult] = field(repr=False, default_factory=dict)
    # one line per assumption outside its plausible range (it ran as a stress test), naming key, value,
    # range and source
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return all(s == "ok" for s, _ in self.status.values())

    def value(self, metric: str) -> float:
        row = self.headline.loc[self.headline.metric == metric, "value"]
        if row.empty:
            raise KeyError(f"no headline metric '{metric}'")
        return float(row.iloc[0])

    @property
    def figures(self):
        from .figures import Figures

        return Figures(self)


def build_results(scenario: Scenario, data: Data, modules: Mapping[str, ModuleResult]) -> Results:
    rows = []
    for name, mod in modules.items():
        for m in mod.metrics:
            rows.append((m.id, m.value, m.unit, name, m.label, m.geography))
    headline = pd.DataFrame(rows, columns=list(HEADLINE_COLUMNS))
    tables: dict[str, pd.DataFrame] = {}
    for mod in modules.values():
        tables.update(mod.tables)
    status = {name: (mod.status, mod.message) for name, mod in modules.items()}
    manifest = {
        "econ_version": package_version(),
        "scenario": scenario.name,
        "title": scenario.title,
        "origin": scenario.origin,
        "overrides": scenario.overrides_plain(),
        "warnings": list(scenario.warnings),
        "registry_sha256": scenario.registry.sha256,
        "data_sha256": data.sha256,
        "data_files_sha256": dict(data.file_hashes),
        "module_status": {k: v[0] for k, v in status.items()},
        "python": platform.python_version(),
        "created_utc": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    return Results(scenario, headline, tables, status, manifest, dict(modules), tuple(manifest["warnings"]))
