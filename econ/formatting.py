"""One number format for cards, report tables and hovers: units elsewhere, thousands separators, decimals by size.

format_number(1234.567) -> "1,235"     (|v| >= 100: no decimals)
format_number(23.456)   -> "23.5"      (10 <= |v| < 100: one decimal)
format_number(4.7871)   -> "4.79"      (|v| < 10: two decimals)
format_number(-0.001)   -> "0.00"      (no "-0.00")
format_number(nan)      -> "–"         (a missing value)
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

MISSING = "–"


def decimals_for(value: float) -> int:
    size = abs(value)
    if size >= 100:
        return 0
    if size >= 10:
        return 1
    return 2


def format_number(value: Any, decimals: int | None = None) -> str:
    """A number as people read it in a briefing (see the module docstring); other values as text."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        return str(value)
    if isinstance(value, (int, np.integer)) and decimals is None:
        return f"{int(value):,}"
    v = float(value)
    if not math.isfinite(v):
        return MISSING
    d = decimals_for(v) if decimals is None else decimals
    text = f"{v:,.{d}f}"
    if float(text.replace(",", "")) == 0:
        return f"{0:.{d}f}"
    return text


def excel_number_format(values: Any) -> str:
    """The Excel number format for a column: decimals by the column's typical size."""
    arr = np.asarray(values, dtype=float)
    arr = arr[np.isfinite(arr)]
    if not len(arr):
        return "General"
    d = decimals_for(float(np.median(np.abs(arr))))
    return "#,##0" + ("." + "0" * d if d else "")
