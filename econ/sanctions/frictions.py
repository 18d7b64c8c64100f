"""What sanctions instruments pass on: the typed Frictions contribution and the common grid.

Each instrument (SWIFT exclusion, dollar-clearing ban and reserve freeze, chip
export controls) is a pure function of its parameters and the data that returns
a Frictions object over the same grid: flow (exports, imports) x partner group
x product group x month, for a batch of parameter sets at once (a leading axis;
a single run is a batch of one). Contributions compose by ``combine``: ad-valorem
tariff equivalents add, quantity caps multiply, frozen reserves add, and the
severity scores that drive capital flight combine as independent shocks,
1 - prod(1 - s_i).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import reduce
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

from ..data import PARTNER_GROUPS, PRODUCT_GROUPS
from ..russia_data import FLOWS  # noqa: E402

COALITION = ("eu", "us", "uk", "japan", "korea", "other_coalition")
ENERGY = ("oil", "gas", "coal")
HIGH_TECH = ("machinery_electronics", "vehicles_transport")
BLOCK_ELEMENTS = 1 << 17  # elements of a grid block that stays in the cache (1 MB of float64)


def coalition_mask() -> np.ndarray:
    return np.array([p in COALITION for p in PARTNER_GROUPS])


def energy_mask() -> np.ndarray:
    return np.array([g in ENERGY for g in PRODUCT_GROUPS])


def grid_shape(n: int, n_months: int) -> tuple[int, int, int, int, int]:
    return (n, len(FLOWS), len(PARTNER_GROUPS), len(PRODUCT_GROUPS), n_months)


@dataclass(frozen=True)
class Frictions:
    """One instrument's effect on Russia's trade and finance for a batch of n parameter sets.

    ``tariff`` and ``quantity_cap`` broadcast to the grid (n, flow, partner, product, month) (an axis of
    length 1 means the same for every entry of that axis); ``reserves_frozen_usd_bn`` and ``severity`` are
    monthly, shape (n, T) or (n, 1) (the same every month), since the instruments behind them may be dated
    paths. ``at(i, n_months)`` is one set's full (flow, partner, product, month) grid and (T,) paths.
    """

    tariff: np.ndarray  # ad-valorem tariff equivalent, share of value
    quantity_cap: np.ndarray  # share of baseline volume still allowed (1 = no cap)
    reserves_frozen_usd_bn: np.ndarray  # (n, T) or (n, 1), USD bn frozen in each month
    severity: np.ndarray  # (n, T) or (n, 1), 0..1, drives capital flight in the ruble model
    channels: Mapping[str, np.ndarray] = field(default_factory=dict)  # named summary figures for tables
    # the part of quantity_cap that parallel imports can route around (legal export bans and firm exits of
    # coalition suppliers; 1 = nothing reroutable); broadcasts to the grid like quantity_cap
    reroutable_cap: np.ndarray = field(default_factory=lambda: np.ones((1, 1, 1, 1, 1)))

    @staticmethod
    def none(n: int) -> Frictions:
        """No instrument: no tariff, no cap, nothing frozen. The flow axis has its full length, since readers
        index it by flow (``tariff[:, FLOWS.index("imports")]``); the other axes broadcast."""
        zeros = np.zeros((n, 1))
        grid = (n, len(FLOWS), 1, 1, 1)
        return Frictions(np.zeros(grid), np.ones(grid), zeros, zeros.copy(), reroutable_cap=np.ones(grid))

    def at(self, i: int, n_months: int) -> Frictions:
        shape = grid_shape(1, n_months)[1:]
        return Frictions(
            np.broadcast_to(self.tariff[i], shape).copy(),
            np.broadcast_to(self.quantity_cap[i], shape).copy(),
            np.broadcast_to(self.reserves_frozen_usd_bn[i], (n_months,)).copy(),
            np.broadcast_to(self.severity[i], (n_months,)).copy(),
            {k: np.asarray(v[i]) for k, v in self.channels.items()},
            np.broadcast_to(self.reroutable_cap[i if self.reroutable_cap.shape[0] > 1 else 0], shape).copy(),
        )

    def block(self, name: str, key: tuple[int | slice, ...], scratch: np.ndarray | None = None) -> np.ndarray:
        """``getattr(self, name)`` (tariff, quantity_cap or reroutable_cap) on the grid, at ``key`` (ints and
        slices over the leading grid axes: draw, flow, partner, product, month), without the grid: an axis that
        broadcasts stays of length 1 (an int there is read as 0). The values broadcast to the grid's; read-only
        (possibly a view of an instrument's array). ``scratch``: a float array that a combined value may be
        written into when it has that shape (saves an allocation in loops over blocks)."""
        return _at(getattr(self, name), key, len(GRID_AXES))


GRID_AXES = ("draw", "flow", "partner", "product", "month")
_FOLDS = {"tariff": (np.add, 0.0), "quantity_cap": (np.multiply, 1.0), "reroutable_cap": (np.multiply, 1.0)}


def _at(a: np.ndarray, key: tuple[int | slice, ...], ndim: int) -> np.ndarray:
    """``np.broadcast_to(a, grid)[key]`` without the grid: axes where ``a`` broadcasts (length 1, or missing in
    front) keep length 1."""
    a = np.asarray(a)
    a = a.reshape((1,) * (ndim - a.ndim) + a.shape)
    return a[tuple(k if a.shape[i] > 1 else (0 if isinstance(k, int) else slice(None)) for i, k in enumerate(key))]


def _kept(arrays: Iterable[np.ndarray], identity: float) -> tuple[tuple[int, ...], list[np.ndarray]]:
    """The broadcast shape of ``arrays`` and those that do not hold only the identity, largest first. Left out: a
    single value, or a small array (at most an eighth of the grid, e.g. one value per draw, as an instrument that
    is off passes) checked element by element, which costs far less than a pass over the grid."""
    arrays = list(arrays)
    shape = np.broadcast_shapes(*(a.shape for a in arrays))
    size = int(np.prod(shape))

    def is_identity(a: np.ndarray) -> bool:
        if a.size == 1:
            return float(a.reshape(-1)[0]) == identity
        return 8 * a.size <= size and bool(np.all(a == identity))

    return shape, sorted((a for a in arrays if not is_identity(a)), key=np.size, reverse=True)


def _fold(arrays: Iterable[np.ndarray], op: np.ufunc, identity: float) -> np.ndarray:
    """op over broadcasting arrays into one array of their broadcast shape: the largest is copied in, the others
    are applied in place (one pass over the grid each). Arrays that hold only the identity are left out (see
    ``_kept``). When a single array is left and it already has the full shape, a read-only view of it is returned
    (no copy)."""
    shape, kept = _kept(arrays, identity)
    size = int(np.prod(shape))
    if not kept:
        return np.full(shape, float(identity))
    if len(kept) == 1 and kept[0].shape == shape:
        view = np.asarray(kept[0], dtype=float).view()
        view.flags.writeable = False
        return view
    out = np.empty(shape)
    # in blocks of the leading (draw) axis that stay in the cache: each element still gets the same operations in
    # the same order (the largest array, then the others in turn), so the result is the same to the bit
    rows = max(1, BLOCK_ELEMENTS // max(1, size // max(1, shape[0]))) if shape else 1
    for start in range(0, shape[0] if shape else 1, rows):
        block = out[start : start + rows] if shape else out
        if len(kept) == 1:
            block[...] = _rows(kept[0], start, rows, len(shape))
        else:
            op(_rows(kept[0], start, rows, len(shape)), _rows(kept[1], start, rows, len(shape)), out=block)
        for a in kept[2:]:
            op(block, _rows(a, start, rows, len(shape)), out=block)
    return out


def _fold_at(
    shape: tuple[int, ...], kept: list[np.ndarray], op: np.ufunc, identity: float, key, scratch: np.ndarray | None
) -> np.ndarray:
    """``_fold`` at ``key`` (see ``Frictions.block``): the same operations in the same order on each element, so
    the same numbers to the bit as the folded grid's; into ``scratch`` when it has the result's shape."""
    pieces = [_at(a, key, len(shape)) for a in kept]
    if not pieces:
        return np.full(_at(np.empty((1,) * len(shape)), key, len(shape)).shape, float(identity))
    if len(pieces) == 1:
        return np.asarray(pieces[0], dtype=float)
    result = np.broadcast_shapes(*(q.shape for q in pieces))
    out = scratch if scratch is not None and scratch.shape == result else np.empty(result)
    op(pieces[0], pieces[1], out=out)  # the first two straight into out: no copy pass
    for q in pieces[2:]:
        op(out, q, out=out)
    return out


def _rows(a: np.ndarray, start: int, rows: int, ndim: int) -> np.ndarray:
    """Rows start:start+rows of the leading (draw) axis of an array that broadcasts to ``ndim`` dimensions, or the
    whole array when it has no such axis or that axis broadcasts (length 1)."""
    return a[start : start + rows] if a.ndim == ndim and a.shape[0] > 1 else a


class Combined(Frictions):
    """Several instruments' Frictions combined (``combine``). The grids (tariff, quantity_cap, reroutable_cap)
    are folded when first read, and ``block`` folds only the part asked for: a batch's trade model reads its
    grids block by block and never needs the folded grids (20 MB each for 1,000 draws), which only a single
    run's tables read. Same values as the folded grids, to the bit."""

    _parts: list[Frictions]
    _grids: dict

    def __init__(self, parts: list[Frictions]) -> None:
        object.__setattr__(self, "_parts", parts)
        object.__setattr__(self, "_grids", {})
        object.__setattr__(
            self,
            "reserves_frozen_usd_bn",
            reduce(np.add, (np.asarray(p.reserves_frozen_usd_bn, dtype=float) for p in parts)),
        )
        object.__setattr__(
            self, "severity", 1.0 - reduce(np.multiply, (1.0 - np.asarray(p.severity, dtype=float) for p in parts))
        )
        channels: dict = {}
        for p in parts:
            channels.update(p.channels)
        object.__setattr__(self, "channels", channels)

    def _kept(self, name: str) -> tuple[tuple[int, ...], list[np.ndarray]]:
        key = ("kept", name)
        if key not in self._grids:
            self._grids[key] = _kept((getattr(p, name) for p in self._parts), _FOLDS[name][1])
        return self._grids[key]

    def _grid(self, name: str) -> np.ndarray:
        if name not in self._grids:
            op, identity = _FOLDS[name]
            self._grids[name] = _fold((getattr(p, name) for p in self._parts), op, identity)
        return self._grids[name]

    @property
    def tariff(self) -> np.ndarray:
        return self._grid("tariff")

    @property
    def quantity_cap(self) -> np.ndarray:
        return self._grid("quantity_cap")

    @property
    def reroutable_cap(self) -> np.ndarray:
        return self._grid("reroutable_cap")

    def block(self, name: str, key: tuple[int | slice, ...], scratch: np.ndarray | None = None) -> np.ndarray:
        if name in self._grids:
            return _at(self._grids[name], key, len(GRID_AXES))
        shape, kept = self._kept(name)
        op, identity = _FOLDS[name]
        return _fold_at(shape, kept, op, identity, key, scratch)


def combine(parts: Iterable[Frictions]) -> Frictions:
    """The instruments' Frictions together: tariff equivalents add, caps multiply, frozen reserves add, severities
    combine as independent shocks. The grids are folded when first read (``Combined``)."""
    parts = list(parts)
    if not parts:
        raise ValueError("combine needs at least one Frictions")
    return Combined(parts)


def trade_weights(trade: np.ndarray) -> np.ndarray:
    """Baseline value shares over (flow, partner, product), for severity scores."""
    total = trade.sum()
    return trade / total if total > 0 else np.zeros_like(trade)


def weighted_tariff(tariff: np.ndarray, weights: np.ndarray, month: int) -> np.ndarray:
    """Trade-weighted tariff equivalent of each set in one month, (n,), share of value."""
    n = tariff.shape[0]
    return np.einsum("nfpg,fpg->n", np.broadcast_to(tariff[..., month], (n,) + weights.shape), weights)


def baseline_trade(data) -> np.ndarray:
    """Russia's 2021 goods trade, (flow, partner, product), USD bn a year (read-only)."""
    from ..russia_data import russia_data

    return russia_data(data).trade


def frictions_table(fr: Frictions, month_labels: list[str], trade: np.ndarray, name: str) -> pd.DataFrame:
    """Trade-weighted tariff equivalent and quantity cap by flow, partner and month, for reports."""
    import pandas as pd

    total = trade.sum(axis=2)  # (F, P)
    keep = total > 0
    weights = np.divide(trade, total[..., None], out=np.zeros_like(trade), where=total[..., None] > 0)
    tariff = np.einsum("fpg,fpgt->fpt", weights, fr.tariff)[keep]  # (rows, T)
    cap = np.einsum("fpg,fpgt->fpt", weights, fr.quantity_cap)[keep]
    flows, partners = np.nonzero(keep)
    n_t = len(month_labels)
    return pd.DataFrame(
        {
            "instrument": name,
            "flow": np.repeat(np.array(FLOWS, dtype=object)[flows], n_t),
            "partner_group": np.repeat(np.array(PARTNER_GROUPS, dtype=object)[partners], n_t),
            "month": np.tile(np.array(month_labels, dtype=object), len(flows)),
            "tariff_equivalent_pct": 100 * tariff.ravel(),
            "volume_allowed_pct": 100 * cap.ravel(),
        }
    )
