"""Semiconductor export controls -> chip supply gap, sector output losses, caps on high-tech imports.

Controlled share of Russia's chip supply (by 2021 import value, origin o):

    C = k * sum_{o in coalition} w_o + r_fdp * sum_{o in third countries} w_o,

with ``k`` the controls' coverage of coalition origins and ``r_fdp`` the reach of
the foreign direct product rule into third-country production. Part of the
controlled supply leaks through third countries (share ``l``, at a price premium);
domestic and uncontrolled substitutes fill a share ``S`` of the rest as time
passes. The supply gap in month t is

    gap(t) = C (1 - l) (1 - S (1 - exp(-(t + 1) / m))).

A sector with imported-electronics cost share ``alpha_s`` (Rosstat input-output
2016) loses output as a CES producer with elasticity ``sigma`` between those
inputs and everything else:

    loss_s(t) = 1 - [alpha_s (1 - gap(t))^rho + (1 - alpha_s)]^(1/rho),  rho = (sigma - 1)/sigma.

Imports of machinery and electronics, and of vehicles and transport equipment,
from coalition partners are capped at 1 - k h (1 - l / (1 + p)), with ``h`` the
share of those imports the controls cover: leaked goods cost the premium p, and
at unit elasticity the same spending buys l / (1 + p) of the controlled volume.
More leakage never lowers the cap; a higher premium never raises it.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np
import pandas as pd

from ..data import Data
from ..model import Metric, ModuleResult
from ..params import Params
from ..russia_data import russia_data
from .frictions import (
    FLOWS, HIGH_TECH, PARTNER_GROUPS, PRODUCT_GROUPS, Frictions, baseline_trade, coalition_mask, frictions_table,
    months, ramp,
)

def ces_output_loss(alpha: np.ndarray, gap: np.ndarray, sigma: float) -> np.ndarray:
    """Output loss of a CES producer when an input with cost share ``alpha`` falls by ``gap`` (shares)."""
    alpha = np.asarray(alpha, dtype=float)
    avail = np.clip(1.0 - np.asarray(gap, dtype=float), 0.0, 1.0)
    if abs(sigma - 1.0) < 1e-6:
        return 1.0 - avail ** alpha
    rho = (sigma - 1.0) / sigma
    with np.errstate(divide="ignore"):
        powered = np.where(avail > 0, avail ** rho, np.inf if rho < 0 else 0.0)
    inner = alpha * powered + (1.0 - alpha)
    return 1.0 - inner ** (1.0 / rho)


def controlled_share(params: Params, data: Data) -> float:
    rd = russia_data(data)
    return (params.float("chips.controls_coverage") * rd.chip_coalition_share
            + params.float("chips.fdpr_reach") * rd.chip_third_country_share)


def supply_gap(params: Params, data: Data) -> np.ndarray:
    _, t = months(params)
    sub = params.float("chips.substitution_share") * ramp(t, params.float("chips.substitution_months"))
    return controlled_share(params, data) * (1 - params.float("chips.leakage_share")) * (1 - sub)


def frictions(params: Params, data: Data) -> Frictions:
    labels, t = months(params)
    shape = (len(FLOWS), len(PARTNER_GROUPS), len(PRODUCT_GROUPS), len(t))
    cap = np.ones(shape)
    k = params.float("chips.controls_coverage")
    h = params.float("chips.high_tech_covered_share")
    leaked = params.float("chips.leakage_share") / (1 + params.float("chips.leakage_premium_pct") / 100)
    imp, coal = FLOWS.index("imports"), coalition_mask()
    for g in HIGH_TECH:
        cap[imp, coal, PRODUCT_GROUPS.index(g), :] = 1 - k * h * (1 - leaked)
    return Frictions(np.zeros(shape), cap, 0.0, 0.0, {"chips_controlled_share": controlled_share(params, data)})


def run(params: Params, data: Data, upstream: Mapping[str, ModuleResult] | None = None) -> ModuleResult:
    labels, _ = months(params)
    fr = frictions(params, data)
    gap = supply_gap(params, data)
    rd = russia_data(data)
    sigma = params.float("chips.input_substitution_elasticity")
    alpha = rd.sector_imported_electronics_share
    loss = ces_output_loss(alpha[:, None], gap[None, :], sigma)  # (S, T)
    gdp_loss = (rd.sector_gdp_share[:, None] * loss).sum(axis=0)  # share of GDP, by month
    first_year = slice(0, min(12, len(labels)))
    sector_table = pd.DataFrame({
        "sector": np.repeat(np.array(rd.sectors, dtype=object), len(labels)),
        "month": np.tile(labels, len(rd.sectors)),
        "imported_electronics_input_share": np.repeat(alpha, len(labels)),
        "output_loss_pct": 100 * loss.ravel(),
    })
    gap_table = pd.DataFrame({"month": labels, "chip_supply_gap_pct": 100 * gap,
                              "gdp_loss_from_chip_bottlenecks_pct": 100 * gdp_loss})
    metrics = (
        Metric("chip_supply_gap_pct", float(100 * gap[first_year].mean()), "% of 2021 chip supply (first 12 months)",
               "Chip supply gap, average over the first year", "Russia"),
        Metric("chip_supply_gap_first_month_pct", float(100 * gap[0]), "% of 2021 chip supply",
               "Chip supply gap, first month", "Russia"),
        Metric("chip_sector_loss_max_pct", float(100 * loss[:, first_year].mean(axis=1).max()),
               "% of sector output (first 12 months)", "Largest sector output loss from the chip gap", "Russia"),
    )
    tables = {
        "chip_gap": gap_table,
        "chip_sector_losses": sector_table,
        "chip_frictions": frictions_table(fr, labels, baseline_trade(data), "chips"),
    }
    outputs = {"frictions": fr, "gdp_loss_share_by_month": gdp_loss, "gap_by_month": gap}
    return ModuleResult("chips", metrics, tables, outputs)
