"""The coalition's export bans, firm exits (self-sanctioning) and logistics frictions on trade with Russia.

Three instruments, each a Frictions contribution on the common (flow, partner, product, month) grid:

1. **Export bans** by product group g with a coverage b_g(t) (dated) applied by coalition member group
   m(p) with participation a_m(t) (dated): imports from coalition partner p of group g are capped at
   1 - b_g(t) a_m(p)(t). The bans cover what the chip controls do not already cap (machinery, electronics,
   vehicles, aviation parts beyond chips.high_tech_covered_share; luxury and other goods).
2. **Firm exits** (self-sanctioning, a lever apart from legal bans): a share e(t) of the remaining coalition
   suppliers stops selling, building up as e(t) = e_max(t) (1 - exp(-(t + 1) / m_e)); coalition buyers of
   Russia's non-energy goods stop at the ratio r of that share. Imports from coalition partner p are capped
   at (1 - b a)(1 - e); exports of non-energy goods to coalition partners at 1 - r e.
3. **Logistics and insurance**: an ad-valorem tariff equivalent on every flow with coalition partners
   (l_C(t)) and with the others (l_O(t)), both dated.

Bans and exits stop the coalition's goods at the source; parallel imports through Turkey, China and the
EAEU can route around them at a premium (the trade model's fixed point): ``reroutable_cap`` carries the
part of the cap they can route around.
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
from ..time import horizon_of
from .frictions import (
    COALITION,
    ENERGY,
    FLOWS,
    PARTNER_GROUPS,
    PRODUCT_GROUPS,
    Frictions,
    baseline_trade,
    coalition_mask,
    frictions_table,
    trade_weights,
)

# product group -> the registry's ban-coverage parameter
BANNED_GROUPS = {
    "machinery_electronics": "exports.ban_coverage_machinery",
    "vehicles_transport": "exports.ban_coverage_transport",
    "other": "exports.ban_coverage_other",
}
# coalition partner group -> the registry's member-participation parameter
MEMBER_GROUPS = {
    "eu": "exports.ban_members_eu_uk",
    "uk": "exports.ban_members_eu_uk",
    "us": "exports.ban_members_us",
    "japan": "exports.ban_members_asia",
    "korea": "exports.ban_members_asia",
    "other_coalition": "exports.ban_members_other",
}
assert set(MEMBER_GROUPS) == set(COALITION)


def exit_share(p: ParamBatch, labels: list[str], t: np.ndarray) -> np.ndarray:
    """Share of coalition suppliers that have stopped selling in each month, (n, T)."""
    return p.path("exports.firm_exit_share", labels) * ramp(t[None, :], p.float("exports.firm_exit_months")[:, None])


def ban_caps(p: ParamBatch, labels: list[str]) -> np.ndarray:
    """Share of coalition imports still allowed by the legal bans, (n, P, G, T) (1 outside the coalition)."""
    n, n_t = p.n, len(labels)
    cap = np.ones((n, len(PARTNER_GROUPS), len(PRODUCT_GROUPS), n_t))
    members = {name: p.path(name, labels) for name in set(MEMBER_GROUPS.values())}
    for g, cov_name in BANNED_GROUPS.items():
        cov = p.path(cov_name, labels)  # (n, T)
        for partner, member in MEMBER_GROUPS.items():
            cap[:, PARTNER_GROUPS.index(partner), PRODUCT_GROUPS.index(g)] = 1 - cov * members[member]
    return cap


def batch_frictions(p: ParamBatch, data: Data) -> Frictions:
    labels, t = horizon_of(p)
    n, n_t = p.n, len(labels)
    exits = exit_share(p, labels, t)  # (n, T)
    coal = coalition_mask()
    non_energy = np.array([g not in ENERGY for g in PRODUCT_GROUPS])
    buyer = 1 - p.float("exports.buyer_exit_ratio")[:, None] * exits  # (n, T)
    imp, exp = FLOWS.index("imports"), FLOWS.index("exports")
    cap = np.empty((n, len(FLOWS), len(PARTNER_GROUPS), len(PRODUCT_GROUPS), n_t))
    cap[:, imp] = ban_caps(p, labels)  # legal bans, then the coalition suppliers' exits on top
    cap[:, imp, coal] *= (1 - exits)[:, None, None, :]
    cap[:, exp] = 1.0
    rows, cols = np.ix_(np.flatnonzero(coal), np.flatnonzero(non_energy))
    cap[:, exp, rows, cols] = buyer[:, None, None, :]  # coalition buyers of non-energy goods
    reroutable = np.empty_like(cap)
    reroutable[:, imp] = cap[:, imp]  # parallel imports route around bans and supplier exits
    reroutable[:, exp] = 1.0
    logistics = np.where(
        coal[None, :, None],
        p.path("exports.logistics_cost_coalition_pct", labels)[:, None, :] / 100,
        p.path("exports.logistics_cost_other_pct", labels)[:, None, :] / 100,
    )  # (n, P, T)
    tariff = logistics[:, None, :, None, :]  # (n, 1, P, 1, T): the same on both flows and every product
    zeros = np.zeros((n, 1))
    return Frictions(tariff, cap, zeros, zeros.copy(), {"firm_exit_share": exits}, reroutable)


def frictions(params: Params, data: Data) -> Frictions:
    """One parameter set's frictions on the full (flow, partner, product, month) grid."""
    return batch_frictions(ParamBatch.single(params), data).at(0, len(horizon_of(params)[0]))


METRICS = metrics_for("exports")


def evaluate(p: ParamBatch, data: Data, upstream: Mapping[str, BatchResult] | None = None) -> BatchResult:
    fr = batch_frictions(p, data)
    base = baseline_trade(data)
    imp = FLOWS.index("imports")
    coal = coalition_mask()
    coal_imp = base[imp][coal]  # (Pc, G)
    allowed = np.einsum("pg,npgt->nt", coal_imp, fr.quantity_cap[:, imp][:, coal]) / coal_imp.sum()
    weights = trade_weights(base).sum(axis=(0, 2))  # (P,): the tariff is the same across flows and products
    tariff_avg = np.einsum("npt,p->nt", fr.tariff[:, 0, :, 0, :], weights)
    metrics = {
        "coalition_sales_to_russia_stopped_pct": 100 * (1 - first_year_mean(allowed)),
        "trade_logistics_cost_pct": 100 * first_year_mean(tariff_avg),
    }
    return BatchResult(metrics, {"frictions": fr, "firm_exit_share": fr.channels["firm_exit_share"]})


def run(params: Params, data: Data, upstream: Mapping[str, ModuleResult] | None = None) -> ModuleResult:
    ev = evaluate(ParamBatch.single(params), data)
    labels, _ = horizon_of(params)
    fr = ev.outputs["frictions"].at(0, len(labels))
    exits = pd.DataFrame({"month": labels, "firm_exit_share_pct": 100 * ev.outputs["firm_exit_share"][0]})
    tables = {
        "export_ban_frictions": frictions_table(fr, labels, baseline_trade(data), "exports"),
        "firm_exits": exits,
    }
    return ModuleResult("exports", ev.headline(METRICS), tables, {"frictions": fr}, batch=ev)
