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


def russian_gas_volume_ratio(gas: BatchResult | None, n: int, n_months: int) -> np.ndarray:
    """Russian gas delivered to the EU (pipeline and LNG) over the gas model's reference run, (n, T), read from the
    gas module's batch outputs (1 = unchanged). A set whose gas solve failed keeps 2021 volumes: its gas metrics
    are missing instead. Trade and energy both read Russia's gas volumes through this one function."""
    if gas is None:
        return np.ones((n, n_months))
    out = gas.outputs
    sc = np.asarray(out["russian_pipeline_bcm_by_month"]) + np.asarray(out["russian_lng_bcm_by_month"])
    ref = np.asarray(out["russian_pipeline_reference_bcm_by_month"]) + np.asarray(
        out["russian_lng_reference_bcm_by_month"]
    )
    sc, ref = sc[:, :n_months], ref[:, :n_months]
    usable = np.isfinite(sc) & np.isfinite(ref) & (ref > 1e-9)
    if "ok" in out:
        usable &= np.asarray(out["ok"])[:, None]
    return np.divide(sc, ref, out=np.ones_like(sc, dtype=float), where=usable)


def first_set(outputs: Mapping[str, Any]) -> dict[str, Any]:
    """A batch of one's outputs as one set's values: arrays with a leading axis of length 1 lose it."""
    return {
        k: (v[0] if isinstance(v, np.ndarray) and v.ndim >= 1 and v.shape[0] == 1 else v) for k, v in outputs.items()
    }
