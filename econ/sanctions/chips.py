"""Semiconductor export controls -> chip supply gap, sector output through the production network, import caps.

Controlled share of Russia's supply of chips (HS 8541/8542, by 2021 import origin o) and of chip-containing
goods (phones, computers: by their origin):

    C_x(t) = k(t) * sum_{o in coalition} w^x_o + r_fdp(t) * sum_{o in third countries} w^x_o,   x = chips, goods,

with ``k`` the controls' coverage of coalition origins and ``r_fdp`` the reach of the foreign direct product
rule into third-country production. A share of the controlled supply leaks through third countries, building up
as l(t) = l_max(t) (1 - exp(-(t + 1) / m_l)) (growing parallel supply); domestic and uncontrolled substitutes fill
a share ``S`` of the rest as time passes. The gap of each base, and of imported electronics as a whole (chips
weigh w_c, their share of chips plus chip-containing imports):

    gap_x(t) = C_x(t) (1 - l(t)) (1 - S (1 - exp(-(t + 1) / m))),   gap_E = w_c gap_chips + (1 - w_c) gap_goods.

**Direct shock** to sector s with imported-electronics cost share alpha_s (Rosstat IO 2016): a CES producer with a
sector-specific elasticity sigma_s (low in the electronics-intensive sectors, higher elsewhere) loses

    d_s = 1 - [alpha_s (1 - gap_E)^rho_s + (1 - alpha_s)]^(1/rho_s),  rho_s = (sigma_s - 1)/sigma_s;

car output also loses the foreign brands' share f of assembly times the foreign producers' exit e(t) (the
self-sanctioning lever exports.firm_exit_share, built up with exports.firm_exit_months):
1 - (1 - d_autos)(1 - f e(t)).

**Production network** (Acemoglu, Carvalho, Ozdaglar and Tahbaz-Salehi 2012; Baqaee and Farhi 2019, to first
order): log output losses propagate downstream through domestic input shares Omega (Rosstat 2016, s buys from j),

    L = (I - Omega)^(-1) (-ln(1 - d)),   output change_s = exp(-L_s) - 1,

and GDP falls by Hulten's sum of the direct shocks weighted by Domar weights lambda_s = gross output / GDP:
sum_s lambda_s (-ln(1 - d_s)).

Imports of machinery and electronics, and of vehicles and transport equipment, from coalition partners are
capped at 1 - k h (1 - l / (1 + p)), with ``h`` the share of those imports the controls cover: leaked goods cost
the premium p, and at unit elasticity the same spending buys l / (1 + p) of the controlled volume. More leakage
never lowers the cap; a higher premium never raises it.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

import numpy as np
import pandas as pd

from ..data import Data
from ..forms import ces_output_loss, ramp
from ..metrics import metrics_for
from ..model import BatchResult, ModuleResult
from ..params import ParamBatch, Params
from ..russia_data import chip_containing_coalition_share, production_network, russia_data
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

# the chip import table's shares are fixed by the data: read them once per data set, not once per evaluation
_chip_shares = lru_cache(maxsize=4)(chip_containing_coalition_share)


def controlled_share(p: ParamBatch, data: Data) -> np.ndarray:
    """Share of Russia's 2021 chip supply under control in each month, (n, T)."""
    labels, _ = horizon_of(p)
    rd = russia_data(data)
    return (
        p.path("chips.controls_coverage", labels) * rd.chip_coalition_share
        + p.path("chips.fdpr_reach", labels) * rd.chip_third_country_share
    )


def controlled_goods_share(p: ParamBatch, data: Data) -> np.ndarray:
    """Share of Russia's 2021 imports of chip-containing goods under control in each month, (n, T)."""
    labels, _ = horizon_of(p)
    coalition, _ = _chip_shares(data)
    return p.path("chips.controls_coverage", labels) * coalition + p.path("chips.fdpr_reach", labels) * (1 - coalition)


def leakage(p: ParamBatch) -> np.ndarray:
    """Share of the controlled supply leaking through third countries in each month, (n, T) (a growing path)."""
    labels, t = horizon_of(p)
    return p.path("chips.leakage_share", labels) * ramp(t[None, :], p.float("chips.leakage_months")[:, None])


def _unfilled(p: ParamBatch) -> np.ndarray:
    _, t = horizon_of(p)
    sub = p.float("chips.substitution_share")[:, None] * ramp(t[None, :], p.float("chips.substitution_months")[:, None])
    return (1 - leakage(p)) * (1 - sub)


def supply_gap(p: ParamBatch, data: Data) -> np.ndarray:
    """Chip (HS 8541/8542) supply gap by set and month, (n, T), share of 2021 supply."""
    return controlled_share(p, data) * _unfilled(p)


def electronics_gap(p: ParamBatch, data: Data) -> np.ndarray:
    """Gap in imported electronics (chips and chip-containing goods, by their own origins), (n, T)."""
    _, w_chips = _chip_shares(data)
    unfilled = _unfilled(p)
    return w_chips * controlled_share(p, data) * unfilled + (1 - w_chips) * controlled_goods_share(p, data) * unfilled


EXPOSED = ("autos", "aviation", "telecom", "machinery_defence", "consumer_electronics")


def sector_shocks(p: ParamBatch, data: Data) -> np.ndarray:
    """Direct output loss of each sector (share), (n, S, T): CES chip bottleneck, and foreign car makers' exit."""
    labels, t = horizon_of(p)
    rd = russia_data(data)
    exposed = np.array([s in EXPOSED for s in rd.sectors])
    sigma = np.where(
        exposed[None, :],
        p.float("chips.input_substitution_elasticity")[:, None],
        p.float("chips.input_substitution_elasticity_other")[:, None],
    )  # (n, S)
    gap = electronics_gap(p, data)
    loss = ces_output_loss(rd.sector_imported_electronics_share[None, :, None], gap[:, None, :], sigma[:, :, None])
    exit_share = p.path("exports.firm_exit_share", labels) * ramp(
        t[None, :], p.float("exports.firm_exit_months")[:, None]
    )
    autos = rd.sectors.index("autos")
    loss[:, autos] = 1 - (1 - loss[:, autos]) * (1 - p.float("chips.auto_foreign_brand_share")[:, None] * exit_share)
    return loss


def batch_frictions(p: ParamBatch, data: Data) -> Frictions:
    labels, _ = horizon_of(p)
    leaked = leakage(p) / (1 + p.float("chips.leakage_premium_pct")[:, None] / 100)
    allowed = 1 - p.path("chips.controls_coverage", labels) * p.float("chips.high_tech_covered_share")[:, None] * (
        1 - leaked
    )  # (n, T)
    # (n, F, P, G, T) through broadcasting: imports only, coalition partners only, high-tech goods only
    imp, coal = FLOWS.index("imports"), coalition_mask()
    high_tech = np.array([g in HIGH_TECH for g in PRODUCT_GROUPS])
    covered = np.zeros((len(FLOWS), len(PARTNER_GROUPS), len(PRODUCT_GROUPS)))
    covered[imp] = coal[:, None] & high_tech[None, :]
    cap = 1 - covered[None, ..., None] * (1 - allowed)[:, None, None, None, :]
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
    net = production_network(data)
    shock = -np.log1p(-np.minimum(sector_shocks(p, data), 1 - 1e-12))  # (n, S, T) log output loss, direct
    propagated = np.einsum("sj,njt->nst", net.leontief, shock)  # downstream through domestic inputs
    output_change = np.expm1(-propagated)  # (n, S, T)
    gdp_loss = -np.expm1(-np.einsum("s,nst->nt", net.domar, shock))  # Hulten, share of GDP
    first_year = slice(0, min(12, len(labels)))
    autos = net.sectors.index("autos")
    metrics = {
        "chip_supply_gap_pct": 100 * gap[:, first_year].mean(axis=1),
        "chip_supply_gap_first_month_pct": 100 * gap[:, 0],
        "chip_sector_loss_max_pct": -100 * output_change[:, :, first_year].mean(axis=2).min(axis=1),
        "auto_output_change_pct": 100 * output_change[:, autos, first_year].mean(axis=1),
    }
    outputs = {
        "frictions": batch_frictions(p, data),
        "gdp_loss_share_by_month": gdp_loss,
        "gap_by_month": gap,
        "sector_output_change_by_month": output_change,
    }
    return BatchResult(metrics, outputs)


def run(params: Params, data: Data, upstream: Mapping[str, ModuleResult] | None = None) -> ModuleResult:
    ev = evaluate(ParamBatch.single(params), data)
    labels, _ = horizon_of(params)
    net = production_network(data)
    rd = russia_data(data)
    batch = ParamBatch.single(params)
    gap, change, gdp_loss = (
        ev.outputs[k][0] for k in ("gap_by_month", "sector_output_change_by_month", "gdp_loss_share_by_month")
    )
    direct = sector_shocks(batch, data)[0]
    fr = ev.outputs["frictions"].at(0, len(labels))
    n_t = len(labels)
    sector_table = pd.DataFrame(
        {
            "sector": np.repeat(np.array(net.sectors, dtype=object), n_t),
            "month": np.tile(labels, len(net.sectors)),
            "imported_electronics_input_share": np.repeat(rd.sector_imported_electronics_share, n_t),
            "direct_loss_pct": 100 * direct.ravel(),
            "output_change_pct": 100 * change.ravel(),
        }
    )
    gap_table = pd.DataFrame(
        {
            "month": labels,
            "chip_supply_gap_pct": 100 * gap,
            "electronics_gap_pct": 100 * electronics_gap(batch, data)[0],
            "leakage_pct": 100 * leakage(batch)[0],
            "gdp_loss_from_chip_bottlenecks_pct": 100 * gdp_loss,
        }
    )
    tables = {
        "chip_gap": gap_table,
        "sector_output": sector_table,
        "chip_frictions": frictions_table(fr, labels, baseline_trade(data), "chips"),
    }
    outputs = {"frictions": fr, "gdp_loss_share_by_month": gdp_loss, "gap_by_month": gap}
    return ModuleResult("chips", ev.headline(METRICS), tables, outputs, batch=ev)
