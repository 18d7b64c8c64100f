"""The peak-day check (docs/methodology.md, gas, section 5a): each EU member state's design cold day against the
daily supply it could draw in each winter month of a solved run, the infrastructure-standard (N-1) logic of
Regulation (EU) 2017/1938, Article 5 and Annex II.

For EU node i and winter month t (October to March), in GWh/d:

    available(i, t) = EP(i, t) + P(i, t) + S(i, t) + LNG(i, t)
    EP  = technical entry capacity of the non-Russian pipeline corridors into i
          + the interconnector capacity into i from its neighbours, as the run allows it (technical under the
            integrated market; the baseline's flows under the national rule)
          + the Russian gas the scenario delivers into i that month (its mean daily flow: each route's delivered
            total spread over its entries in proportion to their capacity, russian_entry_shares)
    P   = domestic production, daily rate
    S   = max withdrawal x min(1, fill / theta), fill = the run's storage level at the end of month t over
          working gas (gas.peak.deliverability_threshold_fill = theta)
    LNG = regasification send-out, daily rate
    peak(i, t) = Dmax(i) x gas.peak.demand_scale x (1 - policy reduction share(t))
    margin_pct = 100 (available / peak - 1)
    n_minus_1_pct = 100 (available - Im) / peak, Im the largest single pipeline entry or interconnector into i

Computed only in ``run`` (tables), never in the batch path. The check reads the LP's solution; it does not
change the LP.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import DataError, ParameterError
from ..units import GWH_PER_MCM
from .solve import GasSolution
from .system import GasInputs, GasSystem

WINTER = (10, 11, 12, 1, 2, 3)  # the gas winter, 1 October to 31 March (ENTSOG's winter period)


def deliverability_factor(fill: np.ndarray, threshold: float) -> np.ndarray:
    """Share of maximum withdrawal a store can deliver at a fill level (share of working gas): full at or above
    ``threshold``, falling linearly to zero when empty (5a.2)."""
    if not 0 < threshold <= 1:
        raise ParameterError(
            f"gas.peak.deliverability_threshold_fill = {threshold}: allowed (0, 1] (share of working gas)"
        )
    if np.any(np.asarray(fill) < -1e-9) or np.any(np.asarray(fill) > 1 + 1e-6):
        raise ParameterError(f"storage fill outside [0, 1] (share of working gas): {np.asarray(fill)}")
    return np.minimum(1.0, np.maximum(np.asarray(fill, dtype=float), 0.0) / threshold)


def peak_demand_by_node(system: GasSystem, table: pd.DataFrame) -> np.ndarray:
    """Dmax (GWh/d) of every node from data/gas_peak_demand.csv: NaN for non-EU nodes; an EU node without a
    row, or with a non-positive value, is a DataError."""
    values = dict(zip(table["country"], table["peak_demand_gwh_d"]))
    out = np.full(len(system.countries), np.nan)
    for i, c in enumerate(system.countries):
        if system.geography[i] != "eu27":
            continue
        v = values.get(c)
        if v is None or not np.isfinite(v) or v <= 0:
            raise DataError(
                f"gas_peak_demand.csv: EU gas node {c} has peak_demand_gwh_d = {v}: a positive GWh/d is required"
            )
        out[i] = float(v)
    return out


def russian_entry_shares(inp: GasInputs, sol: GasSolution, system: GasSystem) -> np.ndarray:
    """(E, T) mcm: each Russian route's delivered gas in month t spread over the route's entries in proportion to
    their technical capacity, X_r K_e / sum_{e' in r} K_e' (5a.1). The route's total is what the run determines;
    how it splits between its entries (Lithuania or Latvia for the Baltic links) is often a tie of the LP, which
    the cost perturbation picks, so the check reads the total, not the split. Other entries: zero."""
    out = np.zeros_like(sol.entry)
    kinds, sources = np.array(system.entry_kind), np.array(system.entry_source)
    for route in dict.fromkeys(sources[kinds == "russia"]):
        members = np.flatnonzero((kinds == "russia") & (sources == route))
        cap = inp.entry_ub[members]
        total = cap.sum(axis=0)
        share = np.divide(cap, total[None, :], out=np.zeros_like(cap), where=total[None, :] > 0)
        out[members] = sol.entry[members].sum(axis=0)[None, :] * share
    return out


def peak_day(
    inp: GasInputs,
    sol: GasSolution,
    system: GasSystem,
    peak_demand: pd.DataFrame,
    threshold: float,
    demand_scale: float = 1.0,
) -> pd.DataFrame:
    """Table ``gas_peak_day``: one row per EU node and winter month of the run (see the module docstring)."""
    if not np.isfinite(demand_scale) or demand_scale <= 0:
        raise ParameterError(f"gas.peak.demand_scale = {demand_scale}: allowed > 0 (multiple of the peak day)")
    dmax = peak_demand_by_node(system, peak_demand)
    months = np.flatnonzero(np.isin(inp.cal, WINTER))
    n = len(system.countries)
    days = inp.days[months]
    kinds = np.array(system.entry_kind)

    def per_day(arr: np.ndarray) -> np.ndarray:  # (X, T) mcm per month -> (X, W) GWh/d in the winter months
        return arr[:, months] / days[None, :] * GWH_PER_MCM

    pipe = np.zeros((n, len(months)))
    russia = np.zeros((n, len(months)))
    largest = np.zeros((n, len(months)))
    is_pipe = kinds == "pipeline"
    pipe_cap = per_day(inp.entry_ub[is_pipe]) if is_pipe.any() else np.zeros((0, len(months)))
    np.add.at(pipe, system.entry_node[is_pipe], pipe_cap)
    is_ru = kinds == "russia"
    ru_flow = per_day(russian_entry_shares(inp, sol, system)[is_ru]) if is_ru.any() else np.zeros((0, len(months)))
    np.add.at(russia, system.entry_node[is_ru], ru_flow)
    arcs = per_day(inp.arc_ub)
    np.add.at(pipe, system.arc_to, arcs)
    for nodes, caps in ((system.entry_node[is_pipe], pipe_cap), (system.entry_node[is_ru], ru_flow)):
        np.maximum.at(largest, nodes, caps)
    np.maximum.at(largest, system.arc_to, arcs)

    production = per_day(inp.production)
    lng = per_day(inp.regas_ub)
    wgv = inp.storage_wgv
    fill = np.where(wgv[:, None] > 0, sol.level[:, months] / np.where(wgv > 0, wgv, 1.0)[:, None], 0.0)
    storage = per_day(inp.wd_ub) * deliverability_factor(np.clip(fill, 0.0, None), threshold)
    available = pipe + russia + production + lng + storage
    peak = dmax[:, None] * demand_scale * (1.0 - inp.policy_share[months])[None, :]

    eu = np.flatnonzero(system.eu)
    rows = len(eu) * len(months)

    def col(arr: np.ndarray) -> np.ndarray:
        return arr[eu].ravel()

    return pd.DataFrame(
        {
            "country": np.repeat(np.array(system.countries, dtype=object)[eu], len(months)),
            "month": np.tile(np.array(inp.months, dtype=object)[months], len(eu)),
            "peak_demand_gwh_d": col(peak),
            "available_gwh_d": col(available),
            "margin_pct": col(100.0 * (available / peak - 1.0)),
            "pipeline_entry_gwh_d": col(pipe),
            "russian_entry_gwh_d": col(russia),
            "production_gwh_d": col(production),
            "lng_sendout_gwh_d": col(lng),
            "storage_deliverability_gwh_d": col(storage),
            "storage_fill_pct": col(100.0 * fill),
            "largest_infrastructure_gwh_d": col(largest),
            "n_minus_1_pct": col(100.0 * (available - largest) / peak),
        },
        index=pd.RangeIndex(rows),
    )
