"""Russia's goods trade by partner group x product group under the sanctions' frictions.

Baseline: 2021 flows (data/ru_trade_partner_product_2021.csv), spread evenly
over months. For flow f, partner p, product g and month t, the volume kept is a
CES (Armington) response to the combined tariff equivalent tau and the quantity
cap q:

    v(f, p, g, t) = (1 + tau)^(-sigma(t)) * q,
    sigma(t) = sigma_LR - (sigma_LR - sigma_SR) exp(-t / m_sigma).

An oil embargo removes a share of coalition partners' imports of Russian oil.
Russian gas exports to the EU follow the gas model instead: the volume kept is
the scenario's Russian deliveries over the reference run's, month by month.

Exports lost to frictions are partly diverted to non-coalition partners (in
proportion to their 2021 shares) at a price discount d: diverted volume =
delta_g (1 - exp(-(t + 1)/m_div)) x lost volume, with delta = 0 for gas (pipes
cannot move). Imports lost are partly replaced from non-coalition partners.
Export values move with the oil (and gas) price parameters; imports are valued at
2021 border prices, so their value is their volume: the frictions (fees, delays,
premia on leaked goods) work through the tariff-equivalent response, not as
payments to foreign sellers.

These are flows at the pre-sanction exchange rate: the ruble model compresses
imports further through the exchange rate.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .data import Data
from .forms import annualised, ramp
from .metrics import metrics_for
from .model import BatchResult, ModuleResult, batches
from .params import ParamBatch, Params
from .sanctions.frictions import (
    FLOWS,
    HIGH_TECH,
    PARTNER_GROUPS,
    PRODUCT_GROUPS,
    Frictions,
    baseline_trade,
    coalition_mask,
    combine,
)
from .time import horizon_of

INSTRUMENTS = ("swift", "dollar", "chips")
COMMODITIES = ("oil", "coal", "metals", "chemicals_fertilisers", "food")


def combined_frictions(upstream: Mapping[str, BatchResult], n: int) -> Frictions:
    parts = [upstream[name].outputs["frictions"] for name in INSTRUMENTS if name in upstream]
    return combine(parts) if parts else Frictions.none(n)


def gas_volume_ratio(gas: BatchResult | None, n: int, n_months: int) -> np.ndarray:
    """Russian gas delivered to the EU over the reference run's deliveries, (n, T) (1 = unchanged).

    A set whose gas model found no solution keeps 2021 volumes (its gas metrics are missing instead).
    """
    if gas is None:
        return np.ones((n, n_months))
    out = gas.outputs
    sc = np.asarray(out["russian_pipeline_bcm_by_month"]) + np.asarray(out["russian_lng_bcm_by_month"])
    ref = np.asarray(out["russian_pipeline_reference_bcm_by_month"]) + np.asarray(
        out["russian_lng_reference_bcm_by_month"]
    )
    usable = np.asarray(out["ok"])[:, None] & (ref > 1e-9) & np.isfinite(sc)
    ratio = np.divide(sc, ref, out=np.ones_like(sc), where=usable)
    return ratio[:, :n_months]


def price_index(p: ParamBatch, n_months: int) -> np.ndarray:
    """Export price index by set, product and month relative to 2021 average prices, (n, G, T).

    Oil and gas prices move towards their (possibly dated) assumed change with an e-folding time counted
    from the start of the horizon (0 = at once): index_t = 1 + change_t / 100 x ramp_t.
    """
    labels, _ = horizon_of(p)
    labels = labels[:n_months]
    prices = np.ones((p.n, len(PRODUCT_GROUPS), n_months))
    m = p.float("macro.price_adjustment_months")[:, None]
    path = np.where(m <= 0, 1.0, ramp(np.arange(n_months, dtype=float)[None, :], m))
    prices[:, PRODUCT_GROUPS.index("oil")] = 1 + p.path("macro.oil_price_change_pct", labels) / 100 * path
    prices[:, PRODUCT_GROUPS.index("gas")] = 1 + p.path("macro.gas_price_change_pct", labels) / 100 * path
    return prices


METRICS = metrics_for("trade")


def evaluate(p: ParamBatch, data: Data, upstream: Mapping[str, BatchResult], detail: bool = False) -> BatchResult:
    """Trade for a batch of parameter sets. ``detail`` adds the partner x product arrays a single run's
    tables need; without it only the totals are formed (the grid is the costly part of a Monte Carlo)."""
    labels, t = horizon_of(p)
    n, n_t = p.n, len(labels)
    fr = combined_frictions(upstream, n)
    base = baseline_trade(data) / 12.0  # (F, P, G) USD bn a month
    long_run = p.float("trade.elasticity_long_run")[:, None]
    sigma = long_run - (long_run - p.float("trade.elasticity_short_run")[:, None]) * np.exp(
        -t[None, :] / p.float("trade.elasticity_adjustment_months")[:, None]
    )  # (n, T)
    # volume kept = (1 + tau)^(-sigma) x cap, formed in place on one (n, F, P, G, T) array
    volume = np.empty((n,) + base.shape + (n_t,))
    np.log1p(np.broadcast_to(fr.tariff, volume.shape), out=volume)
    volume *= -sigma[:, None, None, None, :]
    np.exp(volume, out=volume)
    volume *= fr.quantity_cap * base[None, ..., None]  # USD bn a month at 2021 prices
    exp_i, imp_i = FLOWS.index("exports"), FLOWS.index("imports")
    coalition = np.flatnonzero(coalition_mask())
    embargo = p.path("trade.oil_embargo_share", horizon_of(p)[0][:n_t])  # (n, T)
    volume[:, exp_i, coalition, PRODUCT_GROUPS.index("oil"), :] *= (1 - embargo)[:, None, :]
    gas_i, eu_i = PRODUCT_GROUPS.index("gas"), PARTNER_GROUPS.index("eu")
    volume[:, exp_i, eu_i, gas_i, :] *= gas_volume_ratio(upstream.get("gas"), n, n_t)
    by_product = volume.sum(axis=2)  # (n, F, G, T)
    lost_exp = base[exp_i].sum(axis=0)[None, :, None] - by_product[:, exp_i]  # (n, G, T)
    lost_imp = base[imp_i].sum(axis=0)[None, :, None] - by_product[:, imp_i]

    others = ~coalition_mask()
    # Diversion and substitution go to non-coalition partners in proportion to their 2021 shares
    # (a product no such partner trades cannot be diverted: its shares are zero).
    share_exp = base[exp_i][others] / np.maximum(base[exp_i][others].sum(axis=0, keepdims=True), 1e-12)
    share_imp = base[imp_i][others] / np.maximum(base[imp_i][others].sum(axis=0, keepdims=True), 1e-12)
    div_share = np.stack(
        [
            np.zeros(n)
            if g == "gas"
            else p.float("trade.diversion_share_commodities")
            if g in COMMODITIES
            else p.float("trade.diversion_share_manufactures")
            for g in PRODUCT_GROUPS
        ],
        axis=1,
    )  # (n, G)
    diverted = (
        div_share[:, :, None]
        * ramp(t[None, None, :], p.float("trade.diversion_months")[:, None, None])
        * lost_exp
        * share_exp.sum(axis=0)[None, :, None]
    )  # (n, G, T)
    substituted = (
        p.float("trade.import_substitution_share")[:, None, None]
        * ramp(t[None, None, :], p.float("trade.substitution_months")[:, None, None])
        * lost_imp
        * share_imp.sum(axis=0)[None, :, None]
    )

    prices = price_index(p, n_t)  # (n, G, T)
    discount = p.float("trade.diversion_discount_pct")[:, None, None] / 100
    diverted_value = diverted * prices * (1 - discount)  # (n, G, T)
    exports_m = (by_product[:, exp_i] * prices).sum(axis=1) + diverted_value.sum(axis=1)  # (n, T)
    # Imports at border prices, so their value is their volume: the frictions (fees, delays, premia on leaked
    # goods) act through the tariff-equivalent response of volumes; they are not payments to foreign sellers.
    imports_m = by_product[:, imp_i].sum(axis=1) + substituted.sum(axis=1)
    export_volume = by_product[:, exp_i].sum(axis=1) + diverted.sum(axis=1)  # (n, T) at 2021 prices
    base_exp, base_imp = base[exp_i].sum(), base[imp_i].sum()
    metrics = {
        "russia_exports_change_pct": 100 * (annualised(exports_m) / (12 * base_exp) - 1),
        "russia_exports_volume_change_pct": 100 * (annualised(export_volume) / (12 * base_exp) - 1),
        "russia_imports_pre_fx_change_pct": 100 * (annualised(imports_m) / (12 * base_imp) - 1),
    }
    outputs = {
        "exports_usd_bn": exports_m,
        "imports_pre_fx_usd_bn": imports_m,
        "exports_volume_usd_bn": export_volume,
        "baseline_exports_usd_bn": base_exp,
        "baseline_imports_usd_bn": base_imp,
        "other_import_volume_fall": _other_import_fall(by_product[:, imp_i], substituted, base[imp_i]),
        "frictions": fr,
        "sigma": sigma,
    }
    if detail:
        exp_diverted = np.zeros((n,) + base.shape[1:] + (n_t,))
        exp_diverted[:, others] = share_exp[None, ..., None] * diverted_value[:, None]
        imp_substituted = np.zeros_like(exp_diverted)
        imp_substituted[:, others] = share_imp[None, ..., None] * substituted[:, None]
        outputs.update(
            {
                "exports_by_partner_product": volume[:, exp_i] * prices[:, None] + exp_diverted,
                "imports_by_partner_product": volume[:, imp_i] + imp_substituted,
                "exports_diverted": exp_diverted,
                "imports_substituted": imp_substituted,
            }
        )
    return BatchResult(metrics, outputs)


def run(params: Params, data: Data, upstream: Mapping[str, ModuleResult]) -> ModuleResult:
    ev = evaluate(ParamBatch.single(params), data, batches(upstream), detail=True)
    out = ev.outputs
    labels, _ = horizon_of(params)
    n_t = len(labels)
    base = baseline_trade(data) / 12.0
    exp_i, imp_i = FLOWS.index("exports"), FLOWS.index("imports")
    exports, imports = out["exports_by_partner_product"][0], out["imports_by_partner_product"][0]
    flows = pd.DataFrame(
        {
            "flow": np.repeat(["exports", "imports"], len(PARTNER_GROUPS) * len(PRODUCT_GROUPS) * n_t),
            "partner_group": np.tile(np.repeat(PARTNER_GROUPS, len(PRODUCT_GROUPS) * n_t), 2),
            "product_group": np.tile(np.repeat(PRODUCT_GROUPS, n_t), 2 * len(PARTNER_GROUPS)),
            "month": np.tile(labels, 2 * len(PARTNER_GROUPS) * len(PRODUCT_GROUPS)),
            "baseline_usd_bn": np.concatenate(
                [np.repeat(base[exp_i].ravel(), n_t), np.repeat(base[imp_i].ravel(), n_t)]
            ),
            "value_usd_bn": np.concatenate([exports.ravel(), imports.ravel()]),
        }
    )
    by_partner = (
        flows.groupby(["flow", "partner_group"], sort=False)[["baseline_usd_bn", "value_usd_bn"]].sum().reset_index()
    )
    by_partner["change_pct"] = _change_pct(by_partner)
    by_product = (
        flows.groupby(["flow", "product_group"], sort=False)[["baseline_usd_bn", "value_usd_bn"]].sum().reset_index()
    )
    by_product["change_pct"] = _change_pct(by_product)
    base_exp, base_imp = out["baseline_exports_usd_bn"], out["baseline_imports_usd_bn"]
    monthly = pd.DataFrame(
        {
            "month": labels,
            "exports_usd_bn": out["exports_usd_bn"][0],
            "imports_pre_fx_usd_bn": out["imports_pre_fx_usd_bn"][0],
            "exports_volume_index": out["exports_volume_usd_bn"][0] / base_exp,
            "imports_volume_pre_fx_index": out["imports_pre_fx_usd_bn"][0] / base_imp,  # value = volume (border prices)
            "exports_diverted_usd_bn": out["exports_diverted"][0].sum(axis=(0, 1)),
            "imports_substituted_usd_bn": out["imports_substituted"][0].sum(axis=(0, 1)),
            "sigma": out["sigma"][0],
        }
    )
    outputs = {
        "months": labels,
        **{
            k: out[k][0]
            for k in ("exports_usd_bn", "imports_pre_fx_usd_bn", "exports_volume_usd_bn", "other_import_volume_fall")
        },
        "baseline_exports_usd_bn": base_exp,
        "baseline_imports_usd_bn": base_imp,
        "frictions": out["frictions"].at(0, n_t),
    }
    tables = {
        "trade_flows": flows,
        "trade_by_partner": by_partner,
        "trade_by_product": by_product,
        "trade_monthly": monthly,
    }
    return ModuleResult("trade", ev.headline(METRICS), tables, outputs, batch=ev)


def _change_pct(table: pd.DataFrame) -> np.ndarray:
    """Percent change against the baseline; 0 for a flow with no baseline (it cannot appear: diversion and
    replacement go only to flows that exist)."""
    base = table["baseline_usd_bn"].to_numpy()
    return np.where(base > 0, 100 * (table["value_usd_bn"].to_numpy() / np.where(base > 0, base, 1) - 1), 0.0)


def _other_import_fall(imports_by_product: np.ndarray, substituted: np.ndarray, base_imp: np.ndarray) -> np.ndarray:
    """Share of the volume of imports other than high-tech goods lost, (n, T), replacements included
    (the chip channel counts the high-tech goods; macro must not count them twice)."""
    other = [PRODUCT_GROUPS.index(g) for g in PRODUCT_GROUPS if g not in HIGH_TECH]
    base = base_imp[:, other].sum()
    if base <= 0:
        return np.zeros((imports_by_product.shape[0], imports_by_product.shape[-1]))
    return 1 - (imports_by_product[:, other].sum(axis=1) + substituted[:, other].sum(axis=1)) / base
