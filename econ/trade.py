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

from typing import Mapping

import numpy as np
import pandas as pd

from .data import Data
from .model import Metric, ModuleResult
from .params import Params
from .sanctions.frictions import (
    FLOWS, HIGH_TECH, PARTNER_GROUPS, PRODUCT_GROUPS, Frictions, baseline_trade, coalition_mask, combine, months,
    ramp,
)

INSTRUMENTS = ("swift", "dollar", "chips")
COMMODITIES = ("oil", "coal", "metals", "chemicals_fertilisers", "food")


def combined_frictions(upstream: Mapping[str, ModuleResult], n_months: int) -> Frictions:
    parts = [upstream[name].outputs["frictions"] for name in INSTRUMENTS if name in upstream]
    return combine(parts) if parts else Frictions.none(n_months)


def gas_volume_ratio(gas: ModuleResult | None, n_months: int) -> np.ndarray:
    """Russian gas delivered to the EU over the reference run's deliveries, by month (1 = unchanged)."""
    if gas is None or gas.status != "ok":
        return np.ones(n_months)
    out = gas.outputs
    sc = np.asarray(out["russian_pipeline_bcm_by_month"]) + np.asarray(out["russian_lng_bcm_by_month"])
    ref = np.asarray(out["russian_pipeline_reference_bcm_by_month"]) + np.asarray(out["russian_lng_reference_bcm_by_month"])
    ratio = np.divide(sc, ref, out=np.ones_like(sc), where=ref > 1e-9)
    return ratio[:n_months]


def price_index(params: Params, n_months: int) -> np.ndarray:
    """Export price index by product and month relative to 2021 average prices.

    Oil and gas prices move to their new level with an e-folding time (0 = at once).
    """
    p = np.ones((len(PRODUCT_GROUPS), n_months))
    m = params.float("macro.price_adjustment_months")
    path = np.ones(n_months) if m <= 0 else ramp(np.arange(n_months, dtype=float), m)
    p[PRODUCT_GROUPS.index("oil")] = 1 + params.float("macro.oil_price_change_pct") / 100 * path
    p[PRODUCT_GROUPS.index("gas")] = 1 + params.float("macro.gas_price_change_pct") / 100 * path
    return p


def annualised(monthly: np.ndarray) -> float:
    """Sum over the first 12 months, scaled up when the horizon is shorter."""
    first = monthly[:12]
    return float(first.sum() * 12 / len(first))


def run(params: Params, data: Data, upstream: Mapping[str, ModuleResult]) -> ModuleResult:
    labels, t = months(params)
    n_t = len(labels)
    fr = combined_frictions(upstream, n_t)
    base = baseline_trade(data) / 12.0  # (F, P, G) USD bn a month
    sigma = (params.float("trade.elasticity_long_run")
             - (params.float("trade.elasticity_long_run") - params.float("trade.elasticity_short_run"))
             * np.exp(-t / params.float("trade.elasticity_adjustment_months")))
    kept = (1 + fr.tariff) ** (-sigma[None, None, None, :]) * fr.quantity_cap  # (F, P, G, T)
    exp_i, imp_i = FLOWS.index("exports"), FLOWS.index("imports")
    kept[exp_i, coalition_mask(), PRODUCT_GROUPS.index("oil"), :] *= 1 - params.float("trade.oil_embargo_share")
    gas_i, eu_i = PRODUCT_GROUPS.index("gas"), PARTNER_GROUPS.index("eu")
    kept[exp_i, eu_i, gas_i, :] *= gas_volume_ratio(upstream.get("gas"), n_t)

    volume = base[..., None] * kept  # USD bn at 2021 prices
    lost = base[..., None] - volume  # (F, P, G, T)
    others = ~coalition_mask()
    # Diversion and substitution go to non-coalition partners in proportion to their 2021 shares.
    share_exp = base[exp_i][others] / np.maximum(base[exp_i][others].sum(axis=0, keepdims=True), 1e-12)
    share_imp = base[imp_i][others] / np.maximum(base[imp_i][others].sum(axis=0, keepdims=True), 1e-12)

    div_share = np.array([
        0.0 if g == "gas" else params.float("trade.diversion_share_commodities") if g in COMMODITIES
        else params.float("trade.diversion_share_manufactures") for g in PRODUCT_GROUPS
    ])
    diverted = div_share[:, None] * ramp(t, params.float("trade.diversion_months"))[None, :] * lost[exp_i].sum(axis=0)
    substituted = (params.float("trade.import_substitution_share")
                   * ramp(t, params.float("trade.substitution_months"))[None, :] * lost[imp_i].sum(axis=0))

    prices = price_index(params, n_t)  # (G, T)
    discount = params.float("trade.diversion_discount_pct") / 100
    exp_direct = volume[exp_i] * prices[None]  # (P, G, T) value
    exp_diverted = np.zeros_like(exp_direct)
    exp_diverted[others] = share_exp[..., None] * (diverted * prices * (1 - discount))[None]
    # Imports at border prices: the frictions (fees, delays, premia on leaked goods) act through the
    # tariff-equivalent response of volumes; they are not payments to foreign sellers.
    imp_direct = volume[imp_i]
    imp_substituted = np.zeros_like(imp_direct)
    imp_substituted[others] = share_imp[..., None] * substituted[None]

    exports = exp_direct + exp_diverted
    imports = imp_direct + imp_substituted
    export_volume = volume[exp_i].sum(axis=(0, 1)) + diverted.sum(axis=0)  # at 2021 prices
    import_volume = volume[imp_i].sum(axis=(0, 1)) + substituted.sum(axis=0)
    base_exp, base_imp = base[exp_i].sum(), base[imp_i].sum()
    exports_m, imports_m = exports.sum(axis=(0, 1)), imports.sum(axis=(0, 1))

    flows = pd.DataFrame({
        "flow": np.repeat(["exports", "imports"], len(PARTNER_GROUPS) * len(PRODUCT_GROUPS) * n_t),
        "partner_group": np.tile(np.repeat(PARTNER_GROUPS, len(PRODUCT_GROUPS) * n_t), 2),
        "product_group": np.tile(np.repeat(PRODUCT_GROUPS, n_t), 2 * len(PARTNER_GROUPS)),
        "month": np.tile(labels, 2 * len(PARTNER_GROUPS) * len(PRODUCT_GROUPS)),
        "baseline_usd_bn": np.concatenate([np.repeat(base[exp_i].ravel(), n_t), np.repeat(base[imp_i].ravel(), n_t)]),
        "value_usd_bn": np.concatenate([exports.ravel(), imports.ravel()]),
    })
    by_partner = (flows.groupby(["flow", "partner_group"], sort=False)[["baseline_usd_bn", "value_usd_bn"]]
                  .sum().reset_index())
    by_partner["change_pct"] = _change_pct(by_partner)
    by_product = (flows.groupby(["flow", "product_group"], sort=False)[["baseline_usd_bn", "value_usd_bn"]]
                  .sum().reset_index())
    by_product["change_pct"] = _change_pct(by_product)
    monthly = pd.DataFrame({
        "month": labels,
        "exports_usd_bn": exports_m, "imports_pre_fx_usd_bn": imports_m,
        "exports_volume_index": export_volume / base_exp, "imports_volume_pre_fx_index": import_volume / base_imp,
        "exports_diverted_usd_bn": exp_diverted.sum(axis=(0, 1)), "imports_substituted_usd_bn": imp_substituted.sum(axis=(0, 1)),
        "sigma": sigma,
    })
    exports_12 = annualised(exports_m)
    base_exports_12 = 12 * base_exp
    metrics = (
        Metric("russia_exports_change_pct", 100 * (exports_12 / base_exports_12 - 1), "% vs 2021 (first 12 months)",
               "Russia's goods exports, value in USD", "Russia"),
        Metric("russia_exports_volume_change_pct", 100 * (annualised(export_volume) / base_exports_12 - 1),
               "% vs 2021 (first 12 months)", "Russia's goods exports, volume (2021 prices)", "Russia"),
        Metric("russia_imports_pre_fx_change_pct", 100 * (annualised(imports_m) / (12 * base_imp) - 1),
               "% vs 2021 (first 12 months)", "Russia's goods imports before the exchange-rate response", "Russia"),
    )
    outputs = {
        "months": labels,
        "exports_usd_bn": exports_m, "imports_pre_fx_usd_bn": imports_m,
        "exports_volume_usd_bn": export_volume, "imports_volume_pre_fx_usd_bn": import_volume,
        "baseline_exports_usd_bn": base_exp, "baseline_imports_usd_bn": base_imp,
        "other_import_volume_fall": _other_import_fall(volume[imp_i], substituted, base[imp_i]),
        "frictions": fr,
    }
    tables = {"trade_flows": flows, "trade_by_partner": by_partner, "trade_by_product": by_product,
              "trade_monthly": monthly}
    return ModuleResult("trade", metrics, tables, outputs)


def _change_pct(table: pd.DataFrame) -> np.ndarray:
    """Percent change against the baseline; 0 for a flow with no baseline (it cannot appear: diversion and
    replacement go only to flows that exist)."""
    base = table["baseline_usd_bn"].to_numpy()
    return np.where(base > 0, 100 * (table["value_usd_bn"].to_numpy() / np.where(base > 0, base, 1) - 1), 0.0)


def _other_import_fall(volume_imp: np.ndarray, substituted: np.ndarray, base_imp: np.ndarray) -> np.ndarray:
    """Share of the volume of imports other than high-tech goods lost by month, replacements included
    (the chip channel counts the high-tech goods; macro must not count them twice)."""
    other = [PRODUCT_GROUPS.index(g) for g in PRODUCT_GROUPS if g not in HIGH_TECH]
    base = base_imp[:, other].sum()
    if base <= 0:
        return np.zeros(volume_imp.shape[-1])
    return 1 - (volume_imp[:, other, :].sum(axis=(0, 1)) + substituted[other].sum(axis=0)) / base
