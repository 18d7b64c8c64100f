"""The ruble: a monthly balance-of-payments model of the exchange rate, reserves and inflation.

In month t the market for foreign exchange clears:

    X_t - M_t + S0  =  F_t + dR_t        (current account = financial outflow + reserve change)

X_t: goods exports from the trade model; M_t: goods imports after the exchange
rate's compression; S0: services and income, held at its 2021 monthly level;
F_t = F0 + flight_t: private net capital outflow, its 2021 level plus the flight
the sanctions provoke; dR_t: reserve accumulation. In the baseline, with
2021 flows, the identity holds at the pre-sanction rate E0 with dR = R0 (the
2021 accumulation). The sanctions open a gap at E0,

    gap_t = (X0 - X_t) - (M0 - M^pre_t) + flight_t,

the central bank covers a share phi of it by selling usable (unfrozen, non-gold)
reserves, within a monthly cap, and the rest must come from fewer imports:

    M_t = M^pre_t - (gap_t - sales_t),  c_t = M_t / M^pre_t = (E_t^fund / E0)^(-epsilon),

which gives the fundamental rate E_t^fund = E0 c_t^(-1/epsilon). Imports cannot
fall below a floor share of M^pre; a gap beyond it is reported as unfinanced
(arrears, forced conversion). A short-run risk premium that decays with a
half-life gives overshooting: E_t = E_t^fund (1 + p0 s e^(-t ln2 / h)). Flight is

    flight (annual) = [F_max s (1 - kappa) e^(-beta h_key) + F_exo (1 - kappa)],

spread over the first year with a half-life, where s is the sanctions' combined
severity, kappa the capital controls' strength and h_key the key-rate hike.
The price level is P_t = (1 + pi0)^(t/12) [1 + psi (E_t / E0 - 1)(1 - e^(-(t+1)/lag))], and CPI
inflation is P_t / P_{t-12} - 1 (trend inflation only before the shock).
"""

from __future__ import annotations

from typing import Mapping

import numpy as np
import pandas as pd

from .data import Data
from .model import Metric, ModuleResult
from .params import Params
from .russia_data import russia_data
from .sanctions.frictions import months, ramp
from .trade import annualised


def run(params: Params, data: Data, upstream: Mapping[str, ModuleResult]) -> ModuleResult:
    labels, t = months(params)
    n_t = len(labels)
    tr = upstream["trade"].outputs
    fr = tr["frictions"]
    x, m_pre = np.asarray(tr["exports_usd_bn"]), np.asarray(tr["imports_pre_fx_usd_bn"])
    x0, m0 = tr["baseline_exports_usd_bn"], tr["baseline_imports_usd_bn"]
    rd = russia_data(data)
    a = rd.anchors
    ca0 = a["current_account_usd_bn"] / 12
    s0 = ca0 - (x0 - m0)  # services, income and the valuation gap between customs and BoP goods data
    r0 = a["reserves_stock_change_usd_bn"] / 12
    f0 = ca0 - r0
    e0 = a["usd_rub_start"]

    controls = params.float("ruble.capital_controls_strength")
    flight_max = params.float("ruble.capital_flight_max_usd_bn")
    exo = params.float("ruble.exogenous_capital_outflow_usd_bn")
    hike = params.float("ruble.key_rate_hike_pp")
    severity = fr.severity
    flight_year = (flight_max * severity * np.exp(-params.float("ruble.key_rate_flight_semi_elasticity") * hike)
                   + exo) * (1 - controls)
    weights = 0.5 ** (t / params.float("ruble.capital_flight_half_life_months"))
    weights = weights / weights[:12].sum()
    flight = flight_year * weights

    total_reserves = rd.reserves_total_usd_bn
    gold = rd.reserves_gold_usd_bn
    usable = max(total_reserves - gold - fr.reserves_frozen_usd_bn, 0.0)
    phi = params.float("ruble.intervention_share")
    cap = params.float("ruble.max_intervention_usd_bn_per_month")
    floor = params.float("ruble.import_floor_share")
    eps = params.float("ruble.import_fx_elasticity")

    gap = (x0 - x) - (m0 - m_pre) + flight
    sales, compression, unfinanced, usable_path = (np.zeros(n_t) for _ in range(4))
    remaining = usable
    for k in range(n_t):
        if gap[k] > 0:
            sales[k] = min(phi * gap[k], cap, remaining)
        else:
            sales[k] = phi * gap[k]  # a windfall: the central bank buys a share of it
        remaining -= sales[k]
        usable_path[k] = remaining
        c = 1 - (gap[k] - sales[k]) / m_pre[k] if m_pre[k] > 0 else 1.0
        if c < floor:
            unfinanced[k] = (floor - c) * m_pre[k]
            c = floor
        compression[k] = c
    e_fund = e0 * compression ** (-1 / eps)
    stress = min(1.0, severity * (1 - controls) + (exo * (1 - controls) / flight_max if flight_max > 0 else 0.0))
    premium = params.float("ruble.risk_premium_pct") / 100 * stress * 0.5 ** (t / params.float("ruble.risk_premium_half_life_months"))
    rate = e_fund * (1 + premium)
    imports = compression * m_pre

    # Price level: trend inflation times the pass-through of the ruble's fall (a level effect that builds up
    # with a lag); y/y inflation compares it with the level 12 months earlier (trend only before the shock).
    trend = (1 + params.float("ruble.baseline_inflation_pct") / 100) ** (1 / 12)
    level = trend ** t * (1 + params.float("ruble.pass_through") * (rate / e0 - 1)
                          * ramp(t, params.float("ruble.pass_through_months")))
    before = trend ** (t - 12)
    year_ago = np.where(t >= 12, np.concatenate([np.ones(12), level])[:n_t], before)
    cpi = 100 * (level / year_ago - 1)

    peak = float(rate.max())
    last = min(11, n_t - 1)
    path = pd.DataFrame({
        "month": labels, "usd_rub": rate, "usd_rub_fundamental": e_fund, "risk_premium_pct": 100 * premium,
        "exports_usd_bn": x, "imports_usd_bn": imports, "imports_pre_fx_usd_bn": m_pre,
        "capital_flight_usd_bn": flight, "bop_gap_at_pre_sanction_rate_usd_bn": gap,
        "reserve_sales_usd_bn": sales, "usable_reserves_usd_bn": usable_path, "unfinanced_gap_usd_bn": unfinanced,
        "cpi_inflation_yoy_pct": cpi,
    })
    reserves = pd.DataFrame([
        ("total_1_jan_2022", total_reserves), ("gold", gold), ("frozen", fr.reserves_frozen_usd_bn),
        ("usable_at_start", usable), ("sold_over_horizon", float(np.clip(sales, 0, None).sum())),
    ], columns=["item", "usd_bn"])
    baseline_bop = pd.DataFrame([
        ("goods_exports", 12 * x0, "2021 customs data (IMF), as in the trade model"),
        ("goods_imports", 12 * m0, "2021 customs data (IMF), CIF"),
        ("services_income_and_valuation", 12 * s0, "current account minus the customs goods balance"),
        ("current_account", 12 * ca0, "Bank of Russia, 2021 preliminary"),
        ("reserve_accumulation", 12 * r0, "change in the reserve stock in 2021"),
        ("private_net_outflow", 12 * f0, "current account minus reserve accumulation (estimate)"),
    ], columns=["item", "usd_bn_per_year", "note"])
    metrics = (
        Metric("rub_usd_peak", peak, "RUB per USD", "Ruble at its weakest (monthly)", "Russia"),
        Metric("rub_usd_12m", float(rate[last]), "RUB per USD", "Ruble after 12 months", "Russia"),
        Metric("rub_depreciation_peak_pct", 100 * (1 - e0 / peak) if peak > e0 else 0.0,
               "% of the ruble's USD value (vs 23 Feb 2022)", "Ruble's largest loss of value", "Russia"),
        Metric("reserves_used_bn_usd", float(np.clip(sales, 0, None)[:12].sum()), "USD bn (first 12 months)",
               "Reserves sold to defend the ruble", "Russia"),
        Metric("russia_imports_change_pct", 100 * (annualised(imports) / (12 * m0) - 1), "% vs 2021 (first 12 months)",
               "Russia's goods imports, value in USD", "Russia"),
        Metric("russia_cpi_peak_pct", float(cpi.max()), "% y/y", "Peak consumer-price inflation", "Russia"),
        Metric("capital_flight_bn_usd", float(flight[:12].sum()), "USD bn (first 12 months)",
               "Capital flight provoked by the sanctions", "Russia"),
    )
    outputs = {"usd_rub": rate, "imports_usd_bn": imports, "compression": compression, "e0": e0,
               "capital_controls_strength": controls, "key_rate_hike_pp": hike}
    return ModuleResult("ruble", metrics, {"ruble_path": path, "reserves": reserves, "ruble_baseline_bop": baseline_bop},
                        outputs)
