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

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..data import Data
from ..forms import first_year_mean, ramp
from ..metrics import metrics_for
from ..model import BatchResult, ModuleResult
from ..params import ParamBatch, Params
from ..russia_data import CURRENCIES, russia_data
from ..time import horizon_of
from .frictions import (
    Frictions,
    baseline_trade,
    energy_mask,
    frictions_table,
    trade_weights,
    weighted_tariff,
)


def reserves_total_usd_bn(data: Data) -> float:
    return russia_data(data).reserves_total_usd_bn


def custodian_frozen_share(data: Data) -> float:
    """Share of reserves held with coalition custodians (1 January 2022)."""
    return russia_data(data).coalition_custodian_share


def batch_frictions(p: ParamBatch, data: Data) -> Frictions:
    labels, t = horizon_of(p)
    shares = russia_data(data).currency_share  # (F, currency)
    usd_ban = p.path("dollar.clearing_ban_coverage", labels)  # (n, T)
    eur_ban = p.path("dollar.euro_clearing_ban_coverage", labels)
    affected = (
        shares[None, :, None, CURRENCIES.index("usd")] * usd_ban[:, None, :]
        + shares[None, :, None, CURRENCIES.index("eur")] * eur_ban[:, None, :]
    )  # (n, F, T)
    carve_out = p.path("dollar.energy_carve_out", labels)  # (n, T), 1 = energy exempt
    exposure = 1 - carve_out[:, :, None] * energy_mask()[None, None, :]  # (n, T, G)
    r = ramp(t[None, :], p.float("dollar.reinvoicing_months")[:, None])  # (n, T)
    cost = (
        (1 - r) * p.float("dollar.unsettled_cost_pct")[:, None] + r * p.float("dollar.reinvoicing_cost_pct")[:, None]
    ) / 100
    tariff = (
        affected[:, :, None, None, :] * exposure.transpose(0, 2, 1)[:, None, None, :, :] * cost[:, None, None, None, :]
    )  # (n, F, 1, G, T)
    weights = trade_weights(baseline_trade(data)).sum(axis=1)  # (F, G)
    invoicing = np.einsum("nft,ntg,fg->nt", affected, exposure, weights)  # trade-weighted, (n, T)
    frozen_share = p.path("dollar.reserves_frozen_share", labels)  # (n, T)
    severity = 1 - (1 - invoicing) * (1 - frozen_share)
    return Frictions(
        tariff,
        np.ones((p.n, 1, 1, 1, 1)),
        frozen_share * reserves_total_usd_bn(data),
        severity,
        {"dollar_affected_trade_share": invoicing, "reserves_frozen_share": frozen_share},
    )


def frictions(params: Params, data: Data) -> Frictions:
    """One parameter set's frictions on the full (flow, partner, product, month) grid."""
    return batch_frictions(ParamBatch.single(params), data).at(0, len(horizon_of(params)[0]))


METRICS = metrics_for("dollar")


def evaluate(p: ParamBatch, data: Data, upstream: Mapping[str, BatchResult] | None = None) -> BatchResult:
    fr = batch_frictions(p, data)
    labels, _ = horizon_of(p)
    w = trade_weights(baseline_trade(data))
    last = min(11, len(labels) - 1)
    metrics = {
        "reserves_frozen_bn_usd": fr.reserves_frozen_usd_bn.max(axis=1),
        "reserves_frozen_pct": 100 * fr.reserves_frozen_usd_bn.max(axis=1) / reserves_total_usd_bn(data),
        "dollar_affected_trade_pct": 100 * first_year_mean(fr.channels["dollar_affected_trade_share"]),
        "dollar_friction_12m_pct": 100 * weighted_tariff(fr.tariff, w, last),
    }
    return BatchResult(metrics, {"frictions": fr, "reserves_total_usd_bn": reserves_total_usd_bn(data)})


def run(params: Params, data: Data, upstream: Mapping[str, ModuleResult] | None = None) -> ModuleResult:
    ev = evaluate(ParamBatch.single(params), data)
    labels, _ = horizon_of(params)
    fr = ev.outputs["frictions"].at(0, len(labels))
    trade = baseline_trade(data)
    total = reserves_total_usd_bn(data)
    tables = {
        "dollar_friction": frictions_table(fr, labels, trade, "dollar"),
        "reserves_by_custodian": russia_data(data).custodians.copy(),
        "reserves_summary": pd.DataFrame(
            [
                ("reserves_total", total, "USD bn, 1 January 2022"),
                ("frozen", float(fr.reserves_frozen_usd_bn.max()), "USD bn, most over the horizon"),
                (
                    "frozen_share_parameter",
                    100 * float(fr.channels["reserves_frozen_share"].max()),
                    "%, most over the horizon",
                ),
                ("frozen_share_if_every_coalition_custodian_freezes", 100 * custodian_frozen_share(data), "%"),
            ],
            columns=["item", "value", "unit"],
        ),
    }
    return ModuleResult(
        "dollar", ev.headline(METRICS), tables, {"frictions": fr, "reserves_total_usd_bn": total}, batch=ev
    )
