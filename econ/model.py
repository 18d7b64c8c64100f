"""Types passed between modules and the engine."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
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
class MetricInfo:
    """What a headline metric is (its value comes from a run); declared once, in econ/metrics.py."""

    id: str
    unit: str
    label: str
    geography: str
    module: str = ""
    better_when: int = 0  # +1: a rise is good for the economy concerned; -1: bad; 0: neither
    roles: frozenset[str] = frozenset()  # where the metric is featured: card, histogram, sweep


@dataclass(frozen=True)
class BatchResult:
    """A module evaluated for n parameter sets at once.

    ``metrics`` maps each headline metric to an array of shape (n,); ``outputs`` are what downstream
    modules read, with a leading axis of length n on every array.
    """

    metrics: Mapping[str, np.ndarray]
    outputs: Mapping[str, Any] = field(default_factory=dict)

    def headline(self, info: tuple[MetricInfo, ...], i: int = 0) -> tuple[Metric, ...]:
        """The i-th set's metrics, in the order of ``info``."""
        return tuple(Metric(m.id, float(self.metrics[m.id][i]), m.unit, m.label, m.geography) for m in info)


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
    batch: BatchResult | None = None  # the same run as a batch of one, for downstream modules' evaluate()


def batches(upstream: Mapping[str, ModuleResult]) -> dict[str, BatchResult]:
    """The batch of one behind each upstream result (what a module's ``evaluate`` reads)."""
    out = {}
    for name, result in upstream.items():
        if result.batch is None:
            raise ValueError(f"module '{name}' returned no batch result")
        out[name] = result.batch
    return out
