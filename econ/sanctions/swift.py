"""SWIFT exclusion of Russian banks -> an ad-valorem payment friction per partner group and month.

A share ``e`` of Russia's cross-border payments (by value) runs through banks cut
from SWIFT; with the energy carve-out, payments for oil, gas and coal are exempt
(the banks that handle them stay connected). Exposed payments move to alternative
channels (SPFS, CIPS, correspondent accounts in third countries) as firms adapt,
up to a capacity that is higher with non-coalition partners than with coalition
ones. A payment on an alternative channel costs ``c_alt``; one with no channel yet
costs ``c_blocked`` (delays, prepayment, barter, cash): both are tariff
equivalents. For partner p, product g and month t (t = 0 the first month)

    tau(p, g, t) = e_g * [a_p(t) * c_alt + (1 - a_p(t)) * c_blocked],
    a_p(t) = A_p * (1 - exp(-(t + 1) / m)),

with ``A_p`` the alternatives' capacity and ``m`` the adaptation time.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np

from ..data import Data
from ..model import Metric, ModuleResult
from ..params import Params
from .frictions import (
    FLOWS, PRODUCT_GROUPS, Frictions, baseline_trade, coalition_mask, energy_mask,
    frictions_table, months, ramp, trade_weights,
)


def frictions(params: Params, data: Data) -> Frictions:
    labels, t = months(params)
    share = params.float("swift.excluded_payment_share")
    exposure = np.full(len(PRODUCT_GROUPS), share)
    if bool(params["swift.energy_carve_out"]):
        exposure[energy_mask()] = 0.0
    capacity = np.where(coalition_mask(), params.float("swift.alternatives_share_coalition"),
                        params.float("swift.alternatives_share_other"))
    adopted = capacity[:, None] * ramp(t, params.float("swift.adaptation_months"))[None, :]  # (P, T)
    cost = (adopted * params.float("swift.alternative_cost_pct")
            + (1 - adopted) * params.float("swift.blocked_cost_pct")) / 100.0
    tariff_pgt = exposure[None, :, None] * cost[:, None, :]
    tariff = np.broadcast_to(tariff_pgt, (len(FLOWS),) + tariff_pgt.shape).copy()
    weights = trade_weights(baseline_trade(data))
    severity = float((weights * exposure[None, None, :]).sum())
    return Frictions(tariff, np.ones_like(tariff), 0.0, severity, {"swift_exposed_trade_share": severity})


def run(params: Params, data: Data, upstream: Mapping[str, ModuleResult] | None = None) -> ModuleResult:
    fr = frictions(params, data)
    labels, _ = months(params)
    trade = baseline_trade(data)
    table = frictions_table(fr, labels, trade, "swift")
    w = trade_weights(trade)
    avg = lambda k: float(100 * (fr.tariff[..., k] * w).sum())  # noqa: E731
    last = min(11, len(labels) - 1)
    metrics = (
        Metric("swift_exposed_trade_pct", 100 * fr.severity, "% of 2021 trade value",
               "Trade whose payments run through excluded banks", "Russia"),
        Metric("swift_friction_first_month_pct", avg(0), "% ad valorem (trade-weighted)",
               "SWIFT payment friction, first month", "Russia"),
        Metric("swift_friction_12m_pct", avg(last), "% ad valorem (trade-weighted)",
               "SWIFT payment friction after a year", "Russia"),
    )
    return ModuleResult("swift", metrics, {"swift_friction": table}, {"frictions": fr})
