"""Russia's energy exports (oil, gas, coal) at market prices, month by month, and the budget's oil and gas revenue.

Oil (crude and products, one barrel). Brent is a dated price path, B_t = B_2021 (1 + c_t r_t) with c_t the
assumed change (``macro.oil_price_change_pct``, a dated path) and r_t its adjustment ramp. Buyer group g takes
V_g (2021 value / 2021 Urals price, barrels a month). A coalition buyer stops a share
L_g,t = 1 - (1 - e_g,t)(1 - rho_t) of its purchases: e the embargo of its group (dated), rho the share of its
buyers who refuse Russian oil without an embargo (dated). The lost barrels L_t = sum_g L_g,t V_g are partly
redirected to India, China and Turkey, whose import capacity C limits how much they can take:

    R_t = C (1 - exp(-L_t ramp(t, m_R) / C))                     (saturates at C; no hard cap)

The Urals discount to Brent widens with the share of Russia's barrels that must find new buyers and with
the coalition's share of the shipping and insurance services that are banned:

    D_t = D_2021 + d_L (L_t / V) + d_S s_S b_t (1 - lambda_t),

s_S the coalition's share of the services, b_t the ban's coverage (dated), lambda_t = lambda_max,t ramp(t, m_lambda)
the leakage of shipments to other fleets (lambda_max,t a dated path: the shadow fleet's capacity). The ban also
removes fleet: the share F_t = s_sea s_S b_t (1 - lambda_t) of every buyer's barrels (s_sea the seaborne share)
cannot be shipped and is shut in. A price cap P̄ (dated) binds on the barrels that still use coalition
services: the price received is U_t = (1 - k_t) (B_t - D_t) + k_t min(B_t - D_t, P̄_t), k_t = b_cap,t s_S (1 - lambda_t).

Gas. Volumes to the EU are the gas model's Russian deliveries (pipeline and LNG, bcm a month). The price is
the contract mix: a share h is hub-indexed (the EU price, lagged l_h months), the rest oil-indexed (Brent
averaged over the l_o months before):

    P_t = P_2021 [h (H_{t - l_h} / H_2021) + (1 - h) (mean_{k=1..l_o} B_{t-k} / B_2021)].

The EU price H comes from ONE function, ``eu_gas_price``: the gas model's ``eu_price_eur_mwh_by_month`` when
present, else the registry price assumption H_2021 (1 + ``macro.gas_price_change_pct``_t / 100). The 2021 value
of gas sold to the EU is the gas model's reference volume times P_2021 (USD 280 per 1000 m3), replacing the
partner split of the 2021 table; other buyers keep the rest of the 2021 total, priced by the oil-indexed formula.

Optional world oil market (``energy.world_oil_market``, off by default): Brent rises with the barrels no buyer
takes, B_t = B^path_t exp(S_t / (W (e_s + e_d))), S_t the shut-in (million b/d), W world supply, e_s and e_d the
short-run supply and (absolute) demand elasticities (Caldara, Cavallo and Iacoviello 2019).

Coal: 2021 values by buyer group, a coalition embargo (dated) with a share redirected over time at a
discount, valued at the coal price path.

Budget (federal oil and gas revenue, USD). The mineral extraction tax and the export duty on oil follow
(U_t - 15) per barrel (Tax Code art. 342: the MET's price coefficient (Urals - 15) x rate / 261), times the
barrels sold; the gas taxes follow the value of gas exports. Converted to USD, the ruble cancels to first
order:

    G_t = G_2021/12 [(1 - g) ((U_t - 15) / (U_2021 - 15)) (Q_t / V) + g (Gas_t / Gas_2021)].
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .data import PARTNER_GROUPS, PRODUCT_GROUPS, Data
from .forms import annualised, ramp
from .metrics import metrics_for
from .model import BatchResult, ModuleResult, batches, first_set, russian_gas_volume_ratio
from .params import ParamBatch, Params
from .russia_data import russia_data
from .time import horizon_of

METRICS = metrics_for("energy")
COALITION = ("eu", "us", "uk", "japan", "korea", "other_coalition")
REDIRECT = ("china", "india", "turkey")
MWH_PER_KCM = 11.111  # 1000 m3 at 40 MJ/m3 (the gas model's basis) = 40 GJ
MET_THRESHOLD_USD_BBL = 15.0  # Tax Code of the Russian Federation, art. 342 (5): (Urals - 15) x rate / 261


def eu_gas_price(p: ParamBatch, gas: BatchResult | None, labels: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The EU gas price, scenario and reference (no Russian cut), (n, T) EUR/MWh.

    The reference is the registry price assumption (the 2021 price times the dated change path). When the gas
    model provides ``eu_price_eur_mwh_by_month`` / ``eu_price_reference_eur_mwh_by_month``, the scenario price
    is that reference times the gas model's own ratio of the two, p_t = p_ref,t x P_t / P_ref,t: the gas market
    sets how much a cut moves the price, and a run without a cut is exactly the 2021 valuation (the gas model's
    price level and monthly shape differ from 2021's by its calibration gap, which must not move Russia's
    baseline revenue). A set whose gas solve failed keeps the assumption."""
    n_t = len(labels)
    assumed = p.float("energy.eu_gas_price_2021_eur_mwh")[:, None] * (
        1 + p.path("macro.gas_price_change_pct", labels) / 100
    )
    assumed = np.broadcast_to(assumed, (p.n, n_t))
    if gas is None or "eu_price_eur_mwh_by_month" not in gas.outputs:
        return assumed, assumed
    out = gas.outputs
    sc = np.asarray(out["eu_price_eur_mwh_by_month"], dtype=float)[:, :n_t]
    ref = np.asarray(out.get("eu_price_reference_eur_mwh_by_month", sc), dtype=float)[:, :n_t]
    ok = np.isfinite(sc) & np.isfinite(ref) & (ref > 0)
    ratio = np.divide(sc, ref, out=np.ones_like(sc), where=ok)
    return assumed * ratio, assumed


def _lagged_mean(x: np.ndarray, lag: np.ndarray, before: np.ndarray) -> np.ndarray:
    """Mean of x over the ``lag`` months before each month (x before the horizon = ``before``), (n, T).
    ``lag`` (n,) in whole months; 0 = the month itself. One pass of slices per distinct lag (a batch usually
    has one)."""
    n, n_t = x.shape
    li = lag.astype(int)
    lmax = int(np.max(li)) if li.size else 0
    padded = np.concatenate([np.broadcast_to(before[:, None], (n, lmax)), x], axis=1)
    csum = np.concatenate([np.zeros((n, 1)), np.cumsum(padded, axis=1)], axis=1)
    out = np.empty((n, n_t))
    for value in np.unique(li):
        rows = li == value
        c = csum if rows.all() else csum[rows]
        if value == 0:
            mean = c[:, lmax + 1 : lmax + 1 + n_t] - c[:, lmax : lmax + n_t]
        else:
            mean = (c[:, lmax : lmax + n_t] - c[:, lmax - value : lmax - value + n_t]) / value
        if rows.all():
            return mean
        out[rows] = mean
    return out


def _oil(p: ParamBatch, labels: list[str], t: np.ndarray, v: np.ndarray, brent: np.ndarray):
    """Oil barrels by buyer group (n, P, T), the price received, the discount, Urals and the shut-in (n, T)
    under the embargoes, refusal, services ban and cap (the reference, without them, is in ``evaluate``)."""
    coalition = np.array([g in COALITION for g in PARTNER_GROUPS])
    redirect = np.array([g in REDIRECT for g in PARTNER_GROUPS])
    d0 = p.float("energy.urals_discount_2021_usd_bbl")[:, None]
    emb_all = p.path("trade.oil_embargo_share", labels)
    emb_eu = 1 - (1 - emb_all) * (1 - p.path("energy.oil_embargo_eu_share", labels))
    emb_other = 1 - (1 - emb_all) * (1 - p.path("energy.oil_embargo_other_coalition_share", labels))
    refusal = p.path("energy.oil_buyer_refusal_share", labels)
    ban = p.path("energy.shipping_ban_coverage", labels)
    cap_cov = p.path("energy.price_cap_coverage", labels)
    cap = p.path("energy.price_cap_usd_bbl", labels)
    emb = np.where(
        np.array([g == "eu" for g in PARTNER_GROUPS])[None, :, None], emb_eu[:, None, :], emb_other[:, None, :]
    )
    lost_share = np.where(coalition[None, :, None], 1 - (1 - emb) * (1 - refusal[:, None, :]), 0.0)  # (n, P, T)
    lost = (lost_share * v[:, :, None]).sum(axis=1)  # (n, T) barrels a month (mn)
    capacity = p.float("energy.oil_redirect_capacity_mbd")[:, None] * 30.4  # mn barrels a month
    wanted = lost * ramp(t[None, :], p.float("energy.oil_redirect_months")[:, None])
    redirected = capacity * -np.expm1(-wanted / np.maximum(capacity, 1e-12))
    total = v.sum(axis=1)[:, None]
    share_s = p.float("energy.coalition_shipping_share")[:, None]
    # other fleets' share of the covered shipments: a dated ceiling (the shadow fleet's capacity as it is bought or
    # chartered) reached with an e-folding time
    leak = p.path("energy.price_cap_leakage_max", labels) * ramp(
        t[None, :], p.float("energy.price_cap_leakage_months")[:, None]
    )
    discount = (
        d0
        + p.float("energy.urals_discount_per_lost_share_usd_bbl")[:, None] * lost / total
        + p.float("energy.urals_discount_services_ban_usd_bbl")[:, None] * share_s * ban * (1 - leak)
    )
    urals = np.maximum(brent - discount, 0.0)
    covered = cap_cov * share_s * (1 - leak)
    price = (1 - covered) * urals + covered * np.minimum(urals, cap)
    barrels = v[:, :, None] * (1 - lost_share)
    to = np.where(redirect[None, :], v, 0.0)
    red_w = to / np.maximum(to.sum(axis=1, keepdims=True), 1e-12)  # split by their 2021 shares
    barrels = barrels + red_w[:, :, None] * redirected[:, None, :]
    # fleet capacity: the banned coalition tankers and cover carry a share s_sea s_S b_t of every buyer's barrels;
    # what other fleets have not replaced (1 - leakage) cannot be shipped: F_t = s_sea s_S b_t (1 - lambda_t)
    fleet = p.float("energy.seaborne_oil_share_pct")[:, None] / 100 * share_s * ban * (1 - leak)
    sailing = barrels.sum(axis=1)
    barrels = barrels * (1 - fleet[:, None, :])
    # million b/d no buyer takes, and no ship carries
    shut_in = (np.maximum(lost - redirected, 0.0) + fleet * sailing) / 30.4
    return barrels, price, discount, urals, shut_in


def evaluate(p: ParamBatch, data: Data, upstream: Mapping[str, BatchResult]) -> BatchResult:
    labels, t = horizon_of(p)
    n, n_t = p.n, len(labels)
    trade = russia_data(data).trade[0] / 12.0  # exports (P, G) USD bn a month, 2021
    oil_i, gas_i, coal_i = (PRODUCT_GROUPS.index(g) for g in ("oil", "gas", "coal"))
    b21 = p.float("energy.brent_2021_usd_bbl")[:, None]
    d21 = p.float("energy.urals_discount_2021_usd_bbl")[:, None]
    u21 = b21 - d21
    # barrels a month by buyer (mn): the 2021 value at the 2021 Urals price
    v = trade[None, :, oil_i] * 1000 / u21  # (n, P)
    m = p.float("macro.price_adjustment_months")[:, None]
    adj = np.where(m <= 0, 1.0, ramp(t[None, :], m))
    brent = b21 * (1 + p.path("macro.oil_price_change_pct", labels) / 100 * adj)  # (n, T)

    # the reference (no embargo, refusal, services ban or cap): every buyer keeps its 2021 barrels at Urals =
    # Brent less the 2021 discount (what _oil gives with sanctions off, without its (n, P, T) arrays)
    d0 = p.float("energy.urals_discount_2021_usd_bbl")[:, None]
    urals_ref = np.maximum(brent - d0, 0.0)
    price_ref = urals_ref
    q_ref = np.broadcast_to(v.sum(axis=1)[:, None], (n, n_t))  # barrels a month, all buyers
    brent_ref = brent
    barrels, price, discount, urals, shut_in = _oil(p, labels, t, v, brent)
    # optional world oil market (a switch): Brent rises with the Russian barrels no buyer takes,
    # d ln B = shut-in / world supply / (supply elasticity + |demand elasticity|)
    switch = p.float("energy.world_oil_market")[:, None]
    if np.any(switch > 0):
        slope = 1 / (
            p.float("energy.world_oil_supply_mbd")[:, None]
            * (p.float("energy.oil_supply_elasticity")[:, None] + p.float("energy.oil_demand_elasticity")[:, None])
        )
        brent = brent * np.exp(switch * slope * shut_in)
        barrels, price, discount, urals, shut_in = _oil(p, labels, t, v, brent)
    oil = barrels * price[:, None, :] / 1000  # (n, P, T) USD bn

    # gas: the contract mix on the EU price and lagged Brent
    gas = upstream.get("gas")
    h21 = p.float("energy.eu_gas_price_2021_eur_mwh")
    hub, hub_ref = eu_gas_price(p, gas, labels)
    lag_h = p.float("energy.gas_hub_lag_months")
    lag_o = p.float("energy.gas_oil_lag_months")
    hub_l = _lagged_mean(hub, lag_h, h21)  # mean over the lag window
    hub_ref_l = hub_l if hub_ref is hub else _lagged_mean(hub_ref, lag_h, h21)
    oil_l = _lagged_mean(brent, lag_o, b21[:, 0])
    oil_ref_l = oil_l if brent_ref is brent else _lagged_mean(brent_ref, lag_o, b21[:, 0])
    share_h = p.float("energy.gas_hub_indexed_share")[:, None]
    p21 = p.float("energy.gas_price_2021_usd_kcm")[:, None]
    gas_price = p21 * (share_h * hub_l / h21[:, None] + (1 - share_h) * oil_l / b21)  # USD per 1000 m3
    gas_price_ref = p21 * (share_h * hub_ref_l / h21[:, None] + (1 - share_h) * oil_ref_l / b21)
    v21 = p.float("energy.gas_eu_volume_2021_bcm")[:, None] / 12  # bcm a month
    vol = v21 * russian_gas_volume_ratio(gas, n, n_t)
    gas_eu = vol * gas_price / 1000  # USD bn
    gas_eu_ref = v21 * gas_price_ref / 1000
    gas_total_2021 = trade[:, gas_i].sum()
    eu_2021 = v21[:, 0] * p21[:, 0] / 1000  # (n,) the corrected 2021 value of gas sold to the EU
    others_2021 = np.maximum(gas_total_2021 - eu_2021, 0.0)[:, None]
    gas_other = others_2021 * oil_l / b21  # oil-indexed contracts (Turkey, China, EAEU, LNG to Asia)
    gas_other_ref = others_2021 * oil_ref_l / b21

    # coal: coalition embargo, redirection at a discount
    coalition = np.array([g in COALITION for g in PARTNER_GROUPS])
    coal21 = trade[:, coal_i]
    coal_idx = 1 + p.path("energy.coal_price_change_pct", labels) / 100
    emb_c = p.path("energy.coal_embargo_share", labels)
    lost_c = coal21[coalition].sum() * emb_c
    red_c = p.float("energy.coal_redirect_share")[:, None] * ramp(
        t[None, :], p.float("energy.oil_redirect_months")[:, None]
    )
    coal_volume = (
        coal21.sum() - lost_c + lost_c * red_c * (1 - p.float("energy.coal_redirect_discount_pct")[:, None] / 100)
    )
    coal = coal_volume * coal_idx
    coal_ref = coal21.sum() * coal_idx

    q = barrels.sum(axis=1)
    oil_t, oil_ref_t = oil.sum(axis=1), q_ref * price_ref / 1000

    # export VOLUMES at 2021 prices (USD bn a month), scenario and no-sanction reference, by product: the real
    # exports the GDP accounts read (macro). Every lever that cuts barrels, cubic metres or tonnes moves them;
    # discounts, the price cap and price changes do not. Oil: barrels x the 2021 Urals price; gas: the EU's
    # bcm x P_2021 plus the other buyers' 2021 volume; coal: the 2021 value less the embargoed part plus what is
    # redirected (its redirect discount is a price, not a volume).
    coal_real = coal21.sum() - lost_c + lost_c * red_c
    volume = {
        "oil": q * u21 / 1000,
        "gas": vol * p21 / 1000 + others_2021,
        "coal": np.broadcast_to(coal_real, (n, n_t)),
    }
    volume_ref = {
        "oil": q_ref * u21 / 1000,
        "gas": np.broadcast_to(v21 * p21 / 1000 + others_2021, (n, n_t)),
        "coal": np.broadcast_to(coal21.sum(), (n, n_t)),
    }
    # the scenario's volumes at the reference (no-sanction) prices: value - this = the sanctions' price effect
    # (discount, cap, coal redirect discount, the gas price a cut moves), this - volume = world prices
    at_ref_prices = {
        "oil": q * price_ref / 1000,
        "gas": vol * gas_price_ref / 1000 + gas_other_ref,
        "coal": coal_real * coal_idx,
    }
    gas_t, gas_ref_t = gas_eu + gas_other, gas_eu_ref + gas_other_ref
    energy = oil_t + gas_t + coal
    energy_ref = oil_ref_t + gas_ref_t + coal_ref

    # budget (USD): MET and export duty on (Urals - 15) x barrels; gas taxes on the gas export value
    usd_rub_2021 = russia_data(data).anchors["usd_rub_avg_2021"]
    g21 = p.float("energy.budget_oil_gas_revenue_2021_rub_bn")[:, None] / usd_rub_2021  # USD bn a year
    gshare = p.float("energy.budget_gas_share")[:, None]
    base21 = u21 - MET_THRESHOLD_USD_BBL
    gas21 = gas_total_2021
    oil_tax = np.maximum(price - MET_THRESHOLD_USD_BBL, 0.0) / base21 * q / v.sum(axis=1)[:, None]
    oil_tax_ref = np.maximum(price_ref - MET_THRESHOLD_USD_BBL, 0.0) / base21 * q_ref / v.sum(axis=1)[:, None]
    budget = g21 / 12 * ((1 - gshare) * oil_tax + gshare * gas_t / gas21)
    budget_ref = g21 / 12 * ((1 - gshare) * oil_tax_ref + gshare * gas_ref_t / gas21)

    og, og_ref = annualised(oil_t + gas_t), annualised(oil_ref_t + gas_ref_t)
    bud, bud_ref = annualised(budget), annualised(budget_ref)
    year = slice(0, min(12, n_t))
    metrics = {
        "russia_oil_gas_revenue_bn_usd": og,
        "russia_oil_gas_revenue_change_pct": 100 * (og / og_ref - 1),
        "urals_discount_usd_bbl": discount[:, year].mean(axis=1),
        "russia_budget_oil_gas_revenue_bn_usd": bud,
        "russia_budget_oil_gas_revenue_change_pct": 100 * (bud / bud_ref - 1),
    }
    outputs = {
        "energy_exports_usd_bn": energy,
        "energy_exports_reference_usd_bn": energy_ref,
        "energy_exports_2021_usd_bn_month": float(trade[:, [oil_i, gas_i, coal_i]].sum()),
        "oil_usd_bn": oil_t,
        "gas_usd_bn": gas_t,
        "coal_usd_bn": coal,
        "brent_usd_bbl": brent,
        "urals_usd_bbl": urals,
        "oil_price_received_usd_bbl": price,
        "urals_discount_usd_bbl": discount,
        "gas_price_usd_kcm": gas_price,
        "eu_gas_price_eur_mwh": hub,
        "budget_oil_gas_usd_bn": budget,
        "budget_oil_gas_reference_usd_bn": budget_ref,
        "oil_barrels_by_partner": barrels,
        "oil_by_partner_usd_bn": oil,
        "gas_eu_usd_bn": gas_eu,
        "gas_eu_bcm": vol,
        "gas_other_usd_bn": gas_other,
        "coal_lost_usd_bn": lost_c,
        "gas_other_index": np.broadcast_to(oil_l / b21, (n, n_t)),
        "coal_index": np.broadcast_to(coal_idx, (n, n_t)),
        "coal_volume_usd_bn_2021_prices": coal_volume,
        "gas_other_volume_usd_bn_2021_prices": np.broadcast_to(others_2021, (n, n_t)),
        "urals_reference_usd_bbl": urals_ref,
        "oil_shut_in_mbd": shut_in,
        "export_volume_usd_bn_2021_prices": volume,
        "export_volume_reference_usd_bn_2021_prices": volume_ref,
        "export_volume_index": {k: volume[k] / volume_ref[k] for k in volume},
        "export_value_at_reference_prices_usd_bn": at_ref_prices,
        "export_value_usd_bn": {"oil": oil_t, "gas": gas_t, "coal": coal},
    }
    return BatchResult(metrics, outputs)


def run(params: Params, data: Data, upstream: Mapping[str, ModuleResult]) -> ModuleResult:
    ev = evaluate(ParamBatch.single(params), data, batches(upstream))
    labels, _ = horizon_of(params)
    o = first_set(ev.outputs)
    rows = []
    price = o["oil_price_received_usd_bbl"]
    for j, g in enumerate(PARTNER_GROUPS):
        for k, month in enumerate(labels):
            b = float(o["oil_barrels_by_partner"][j, k])
            rows.append(("oil", g, month, b, "mn bbl", float(price[k]), "USD/bbl", b * float(price[k]) / 1000))
    for k, month in enumerate(labels):
        bcm = float(o["gas_eu_bcm"][k])
        rows.append(
            (
                "gas",
                "eu",
                month,
                bcm,
                "bcm",
                float(o["gas_price_usd_kcm"][k]),
                "USD per 1000 m3",
                float(o["gas_eu_usd_bn"][k]),
            )
        )
        gi, ci = float(o["gas_other_index"][k]), float(o["coal_index"][k])
        g_other, coal = float(o["gas_other_usd_bn"][k]), float(o["coal_usd_bn"][k])
        gv, cv = float(o["gas_other_volume_usd_bn_2021_prices"][k]), float(o["coal_volume_usd_bn_2021_prices"][k])
        rows.append(("gas", "other", month, gv, "USD bn at 2021 prices", gi, "index, 2021 = 1", g_other))
        rows.append(("coal", "all", month, cv, "USD bn at 2021 prices", ci, "index, 2021 = 1", coal))
    table = pd.DataFrame(
        rows,
        columns=["product", "partner_group", "month", "volume", "volume_unit", "price", "price_unit", "revenue_usd_bn"],
    )
    monthly = pd.DataFrame(
        {
            "month": labels,
            "brent_usd_bbl": o["brent_usd_bbl"],
            "urals_discount_usd_bbl": o["urals_discount_usd_bbl"],
            "oil_price_received_usd_bbl": o["oil_price_received_usd_bbl"],
            "eu_gas_price_eur_mwh": o["eu_gas_price_eur_mwh"],
            "gas_price_usd_kcm": o["gas_price_usd_kcm"],
            "oil_usd_bn": o["oil_usd_bn"],
            "gas_usd_bn": o["gas_usd_bn"],
            "coal_usd_bn": o["coal_usd_bn"],
            "energy_exports_usd_bn": o["energy_exports_usd_bn"],
            "energy_exports_reference_usd_bn": o["energy_exports_reference_usd_bn"],
            "budget_oil_gas_usd_bn": o["budget_oil_gas_usd_bn"],
            "budget_oil_gas_reference_usd_bn": o["budget_oil_gas_reference_usd_bn"],
        }
    )
    outputs = {k: o[k] for k in ("energy_exports_usd_bn", "energy_exports_2021_usd_bn_month", "budget_oil_gas_usd_bn")}
    return ModuleResult(
        "energy",
        ev.headline(METRICS),
        {"russia_energy_revenue": table, "russia_energy_monthly": monthly},
        outputs,
        batch=ev,
    )
