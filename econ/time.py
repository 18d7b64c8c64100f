"""Months, horizons and dated step paths: the one notion of time every module shares.

Steps are calendar months labelled ``"YYYY-MM"``. The horizon is set by two registry parameters
(``gas.start_month`` and ``gas.horizon_months``; every module runs on it). A time-varying parameter is
a scalar or a :class:`DatedPath`; models read both as a monthly array through ``Params.path``.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

_MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def month_index(month: str) -> int:
    """'2022-03' -> months since year 0, for range checks and arithmetic."""
    m = _MONTH_RE.match(month) if isinstance(month, str) else None
    if not m:
        raise ValueError(f"{month!r} is not a month of the form YYYY-MM")
    return int(m.group(1)) * 12 + int(m.group(2)) - 1


def month_label(index: int) -> str:
    """Inverse of :func:`month_index`."""
    y, m = divmod(int(index), 12)
    return f"{y:04d}-{m + 1:02d}"


def horizon(start_month: str, n_months: int) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Month labels, days in each month and calendar month numbers (1-12) of a horizon."""
    first = month_index(start_month)
    labels, days, cal = [], [], []
    for k in range(n_months):
        y, m = divmod(first + k, 12)
        labels.append(f"{y:04d}-{m + 1:02d}")
        days.append(calendar.monthrange(y, m + 1)[1])
        cal.append(m + 1)
    return labels, np.array(days, dtype=float), np.array(cal, dtype=int)


# The parameters that set the horizon: the only numbers that fix the length of the models' month axis.
HORIZON_PARAMS = ("gas.start_month", "gas.horizon_months")


def horizon_of(params: Any) -> tuple[list[str], np.ndarray]:
    """Month labels of a parameter set's horizon and months elapsed since its start (0, 1, ...)."""
    start, months = HORIZON_PARAMS
    labels, _, _ = horizon(str(params[start]), int(params[months]))
    return labels, np.arange(len(labels), dtype=float)


@dataclass(frozen=True)
class DatedPath:
    """A step path: ``base`` holds until the first dated step; each step's value holds from its month on.

    ``steps`` is sorted by month and never empty. ``{"2022-06": 0.4, "2022-09": 0.0}`` on a base of 1.0
    reads, month by month from March 2022: 1.0, 1.0, 1.0, 0.4, 0.4, 0.4, 0.0, ...
    """

    base: Any
    steps: tuple[tuple[str, Any], ...]

    def __post_init__(self) -> None:
        if not self.steps:
            raise ValueError("a dated path needs at least one dated step")
        months = [m for m, _ in self.steps]
        if months != sorted(months, key=month_index) or len(set(months)) != len(months):
            raise ValueError("the steps of a dated path must be in month order, each month once")

    def values_at(self, months: Sequence[str]) -> list[Any]:
        """The value in force in each of ``months``."""
        keys = np.array([month_index(m) for m, _ in self.steps])
        at = np.searchsorted(keys, [month_index(m) for m in months], side="right") - 1
        return [self.base if k < 0 else self.steps[k][1] for k in at]

    def with_base(self, base: Any) -> DatedPath:
        return DatedPath(base, self.steps)

    def to_mapping(self, default: Any = None) -> dict[str, Any]:
        """The path as a scenario file writes it: the dated steps, and ``base`` unless it is ``default``."""
        out: dict[str, Any] = {} if default is not None and self.base == default else {"base": self.base}
        out.update(dict(self.steps))
        return out

    def __repr__(self) -> str:
        steps = ", ".join(f"{m}: {v!r}" for m, v in self.steps)
        return f"DatedPath(base={self.base!r}, {{{steps}}})"
