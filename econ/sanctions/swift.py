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

from collections.abc import Mapping

import numpy as np

from ..data import Data
from ..forms import first_year_mean, ramp
from ..metrics import metrics_for
from ..model import BatchResult, ModuleResult
from ..params import ParamBatch, Params
from ..time import horizon_of
from .frictions import (
    Frictions,
    baseline_trade,
    coalition_mask,
    energy_mask,
    frictions_table,
    trade_weights,
    weighted_tariff,
)


def batch_frictions(p: ParamBatch, data: Data) -> Frictions:
    labels, t = horizon_of(p)
    # e_g(t): the excluded share, zero for energy in months with the carve-out (both may be dated paths)
    excluded = p.path("swift.excluded_payment_share", labels)  # (n, T)
    carve_out = p.path("swift.energy_carve_out", labels)  # (n, T), 1 = energy exempt
    exempt = carve_out[:, :, None] * energy_mask()[None, None, :]  # (n, T, G)
    exposure = excluded[:, :, None] * (1 - exempt)  # (n, T, G)
    capacity = np.where(
        coalition_mask()[None, :],
        p.float("swift.alternatives_share_coalition")[:, None],
        p.float("swift.alternatives_share_other")[:, None],
    )  # (n, P)
    adopted = capacity[:, :, None] * ramp(t[None, None, :], p.float("swift.adaptation_months")[:, None, None])
    cost = (
        adopted * p.float("swift.alternative_cost_pct")[:, None, None]
        + (1 - adopted) * p.float("swift.blocked_cost_pct")[:, None, None]
    ) / 100.0  # (n, P, T)
    tariff = exposure.transpose(0, 2, 1)[:, None, None, :, :] * cost[:, None, :, None, :]  # (n, 1, P, G, T)
    severity = exposure @ trade_weights(baseline_trade(data)).sum(axis=(0, 1))  # trade-weighted exposure, (n, T)
    return Frictions(
        tariff, np.ones((p.n, 1, 1, 1, 1)), np.zeros((p.n, 1)), severity, {"swift_exposed_trade_share": severity}
    )


def frictions(params: Params, data: Data) -> Frictions:
    """One parameter set's frictions on the full (flow, partner, product, month) grid."""
    return batch_frictions(ParamBatch.single(params), data).at(0, len(horizon_of(params)[0]))


METRICS = metrics_for("swift")


def evaluate(p: ParamBatch, data: Data, upstream: Mapping[str, BatchResult] | None = None) -> BatchResult:
    fr = batch_frictions(p, data)
    labels, _ = horizon_of(p)
    w = trade_weights(baseline_trade(data))
    last = min(11, len(labels) - 1)
    metrics = {
        "swift_exposed_trade_pct": 100 * first_year_mean(fr.severity),
        "swift_friction_first_month_pct": 100 * weighted_tariff(fr.tariff, w, 0),
        "swift_friction_12m_pct": 100 * weighted_tariff(fr.tariff, w, last),
    }
    return BatchResult(metrics, {"frictions": fr})


def run(params: Params, data: Data, upstream: Mapping[str, ModuleResult] | None = None) -> ModuleResult:
    ev = evaluate(ParamBatch.single(params), data)
    labels, _ = horizon_of(params)
    fr = ev.outputs["frictions"].at(0, len(labels))
    table = frictions_table(fr, labels, baseline_trade(data), "swift")
    return ModuleResult("swift", ev.headline(METRICS), {"swift_friction": table}, {"frictions": fr}, batch=ev)
