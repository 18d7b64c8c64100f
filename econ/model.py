"""Types passed between modules and the engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

import pandas as pd


@dataclass(frozen=True)
class Metric:
    """One headline number with its unit and geography."""

    id: str
    value: float
    unit: str
    label: str
    geography: str


@dataclass(frozen=True)
class ModuleResult:
    """What a module returns: headline metrics, tidy tables, and outputs for downstream modules.

    ``status`` is "ok" or the reason the module could not produce a solution
    (e.g. "infeasible"); ``message`` then says why in one line.
    """

    module: str
    metrics: tuple[Metric, ...]
    tables: Mapping[str, pd.DataFrame]
    outputs: Mapping[str, Any] = field(default_factory=dict)
    status: str = "ok"
    message: str = ""
