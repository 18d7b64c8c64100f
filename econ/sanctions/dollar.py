"""Dollar (and euro) clearing ban and the freeze of the Bank of Russia's reserves.

Trade invoiced in USD (EUR) whose Russian banks lose their correspondent accounts
must be re-invoiced into CNY, RUB or other currencies. Until it is, a payment
costs ``c_unsettled``; afterwards ``c_reinvoice`` (both tariff equivalents). With
``k_usd`` (``k_eur``) the ban's coverage of USD (EUR) payments and ``s_f`` the
currency shares of flow f (Bank of Russia, 2021),

    tau(f, p, g, t) = (s_f^USD k_usd + s_f^EUR k_eur) e_g [(1 - r(t)) c_unsettled + r(t) c_reinvoice],
    r(t) = 1 - exp(-(t + 1) / m),

with e_g = 0 for energy under the carve-out. The reserve freeze makes a share
``phi`` of the reserves (1 January 2022) unusable; ``phi`` is a parameter, and the
table ``reserves_by_custodian`` shows the share a freeze by every coalition
custodian would imply.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np
import pandas as pd

from ..data import Data
from ..model import Metric, ModuleResult
from ..params import Params
from ..russia_data import CURRENCIES, russia_data
from .frictions import (
    FLOWS, PRODUCT_GROUPS, Frictions, baseline_trade, energy_mask, frictions_table, months, ramp, trade_weights,
)

def reserves_total_usd_bn(data: Data) -> float:
    return russia_data(data).reserves_total_usd_bn


def custodian_frozen_share(data: Data) -> float:
    """Share of reserves held with coalition custodians (1 January 2022)."""
    return russia_data(data).coalition_custodian_share


def frictions(params: Params, data: Data) -> Frictions:
    _, t = months(params)
    shares = russia_data(data).currency_share
    affected = (shares[:, CURRENCIES.index("usd")] * params.float("dollar.clearing_ban_coverage")
                + shares[:, CURRENCIES.index("eur")] * params.float("dollar.euro_clearing_ban_coverage"))
    exposure = np.ones(len(PRODUCT_GROUPS))
    if bool(params["dollar.energy_carve_out"]):
        exposure[energy_mask()] = 0.0
    r = ramp(t, params.float("dollar.reinvoicing_months"))
    cost = ((1 - r) * params.float("dollar.unsettled_cost_pct") + r * params.float("dollar.reinvoicing_cost_pct")) / 100
    tariff = affected[:, None, None, None] * exposure[None, None, :, None] * cost[None, None, None, :]
    tariff = np.broadcast_to(tariff, (len(FLOWS), baseline_trade(data).shape[1], len(PRODUCT_GROUPS), len(t))).copy()
    weights = trade_weights(baseline_trade(data))
    invoicing = float((weights * affected[:, None, None] * exposure[None, None, :]).sum())
    frozen_share = params.float("dollar.reserves_frozen_share")
    frozen = frozen_share * reserves_total_usd_bn(data)
    severity = 1 - (1 - invoicing) * (1 - frozen_share)
    return Frictions(tariff, np.ones_like(tariff), frozen, severity,
                     {"dollar_affected_trade_share": invoicing, "reserves_frozen_share": frozen_share})


def run(params: Params, data: Data, upstream: Mapping[str, ModuleResult] | None = None) -> ModuleResult:
    fr = frictions(params, data)
    labels, _ = months(params)
    trade = baseline_trade(data)
    w = trade_weights(trade)
    custodians = russia_data(data).custodians.copy()
    total = reserves_total_usd_bn(data)
    last = min(11, len(labels) - 1)
    metrics = (
        Metric("reserves_frozen_bn_usd", fr.reserves_frozen_usd_bn, "USD bn",
               "Bank of Russia reserves frozen", "Russia"),
        Metric("reserves_frozen_pct", 100 * fr.reserves_frozen_usd_bn / total, "% of reserves (1 Jan 2022)",
               "Share of reserves frozen", "Russia"),
        Metric("dollar_affected_trade_pct", 100 * fr.channels["dollar_affected_trade_share"], "% of 2021 trade value",
               "Trade invoiced in currencies whose clearing is banned", "Russia"),
        Metric("dollar_friction_12m_pct", float(100 * (fr.tariff[..., last] * w).sum()),
               "% ad valorem (trade-weighted)", "Clearing-ban friction after a year", "Russia"),
    )
    tables = {
        "dollar_friction": frictions_table(fr, labels, trade, "dollar"),
        "reserves_by_custodian": custodians,
        "reserves_summary": pd.DataFrame([
            ("reserves_total", total, "USD bn, 1 January 2022"),
            ("frozen", fr.reserves_frozen_usd_bn, "USD bn"),
            ("frozen_share_parameter", 100 * params.float("dollar.reserves_frozen_share"), "%"),
            ("frozen_share_if_every_coalition_custodian_freezes", 100 * custodian_frozen_share(data), "%"),
        ], columns=["item", "value", "unit"]),
    }
    return ModuleResult("dollar", metrics, tables, {"frictions": fr, "reserves_total_usd_bn": total})
