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

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..data import Data
from ..forms import ces_output_loss, ramp
from ..metrics import metrics_for
from ..model import BatchResult, ModuleResult
from ..params import ParamBatch, Params
from ..russia_data import russia_data
from ..time import horizon_of
from .frictions import (
    FLOWS,
    HIGH_TECH,
    PARTNER_GROUPS,
    PRODUCT_GROUPS,
    Frictions,
    baseline_trade,
    coalition_mask,
    frictions_table,
)


def controlled_share(p: ParamBatch, data: Data) -> np.ndarray:
    """Share of Russia's 2021 chip supply under control in each month, (n, T)."""
    labels, _ = horizon_of(p)
    rd = russia_data(data)
    return (
        p.path("chips.controls_coverage", labels) * rd.chip_coalition_share
        + p.path("chips.fdpr_reach", labels) * rd.chip_third_country_share
    )


def supply_gap(p: ParamBatch, data: Data) -> np.ndarray:
    """Chip supply gap by set and month, (n, T), share of 2021 supply."""
    labels, t = horizon_of(p)
    sub = p.float("chips.substitution_share")[:, None] * ramp(t[None, :], p.float("chips.substitution_months")[:, None])
    return controlled_share(p, data) * (1 - p.path("chips.leakage_share", labels)) * (1 - sub)


def batch_frictions(p: ParamBatch, data: Data) -> Frictions:
    labels, _ = horizon_of(p)
    leaked = p.path("chips.leakage_share", labels) / (1 + p.float("chips.leakage_premium_pct")[:, None] / 100)
    allowed = 1 - p.path("chips.controls_coverage", labels) * p.float("chips.high_tech_covered_share")[:, None] * (
        1 - leaked
    )  # (n, T)
    if not p.is_dated("chips.leakage_share", "chips.controls_coverage"):
        allowed = allowed[:, :1]  # the same every month: keep the month axis of length 1 (batches stay small)
    cap = np.ones((p.n, len(FLOWS), len(PARTNER_GROUPS), len(PRODUCT_GROUPS), allowed.shape[1]))
    imp, coal = FLOWS.index("imports"), np.flatnonzero(coalition_mask())
    for g in HIGH_TECH:
        cap[:, imp, coal, PRODUCT_GROUPS.index(g), :] = allowed[:, None, :]
    zeros = np.zeros((p.n, 1))
    return Frictions(
        np.zeros((p.n, 1, 1, 1, 1)), cap, zeros, zeros.copy(), {"chips_controlled_share": controlled_share(p, data)}
    )


def frictions(params: Params, data: Data) -> Frictions:
    """One parameter set's frictions on the full (flow, partner, product, month) grid."""
    return batch_frictions(ParamBatch.single(params), data).at(0, len(horizon_of(params)[0]))


METRICS = metrics_for("chips")


def evaluate(p: ParamBatch, data: Data, upstream: Mapping[str, BatchResult] | None = None) -> BatchResult:
    labels, _ = horizon_of(p)
    gap = supply_gap(p, data)  # (n, T)
    rd = russia_data(data)
    alpha = rd.sector_imported_electronics_share
    loss = ces_output_loss(
        alpha[None, :, None], gap[:, None, :], p.float("chips.input_substitution_elasticity")[:, None, None]
    )  # (n, S, T)
    gdp_loss = (rd.sector_gdp_share[None, :, None] * loss).sum(axis=1)  # share of GDP, (n, T)
    first_year = slice(0, min(12, len(labels)))
    metrics = {
        "chip_supply_gap_pct": 100 * gap[:, first_year].mean(axis=1),
        "chip_supply_gap_first_month_pct": 100 * gap[:, 0],
        "chip_sector_loss_max_pct": 100 * loss[:, :, first_year].mean(axis=2).max(axis=1),
    }
    outputs = {
        "frictions": batch_frictions(p, data),
        "gdp_loss_share_by_month": gdp_loss,
        "gap_by_month": gap,
        "sector_loss_by_month": loss,
    }
    return BatchResult(metrics, outputs)


def run(params: Params, data: Data, upstream: Mapping[str, ModuleResult] | None = None) -> ModuleResult:
    ev = evaluate(ParamBatch.single(params), data)
    labels, _ = horizon_of(params)
    rd = russia_data(data)
    gap, loss, gdp_loss = (
        ev.outputs[k][0] for k in ("gap_by_month", "sector_loss_by_month", "gdp_loss_share_by_month")
    )
    fr = ev.outputs["frictions"].at(0, len(labels))
    sector_table = pd.DataFrame(
        {
            "sector": np.repeat(np.array(rd.sectors, dtype=object), len(labels)),
            "month": np.tile(labels, len(rd.sectors)),
            "imported_electronics_input_share": np.repeat(rd.sector_imported_electronics_share, len(labels)),
            "output_loss_pct": 100 * loss.ravel(),
        }
    )
    gap_table = pd.DataFrame(
        {"month": labels, "chip_supply_gap_pct": 100 * gap, "gdp_loss_from_chip_bottlenecks_pct": 100 * gdp_loss}
    )
    tables = {
        "chip_gap": gap_table,
        "chip_sector_losses": sector_table,
        "chip_frictions": frictions_table(fr, labels, baseline_trade(data), "chips"),
    }
    outputs = {"frictions": fr, "gdp_loss_share_by_month": gdp_loss, "gap_by_month": gap}
    return ModuleResult("chips", ev.headline(METRICS), tables, outputs, batch=ev)
