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

    flight_t = [F_max s_t e^(-beta h_t) + F_exo] (1 - kappa_t) w_t,   w_t = 2^(-t/h_F) / sum_{k<12} 2^(-k/h_F),

an annual rate spread over the first year with a half-life h_F, where s_t is the
sanctions' combined severity, kappa_t the capital controls' strength and h_t the
key-rate hike in month t (each may be a dated path; a scalar is the same every month).
Usable reserves in month t are the total less gold less the reserves frozen in month t,
less what was sold before.
The price level is P_t = (1 + pi0)^(t/12) [1 + psi (E_t / E0 - 1)(1 - e^(-(t+1)/lag))], and CPI
inflation is P_t / P_{t-12} - 1 (trend inflation only before the shock).
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
from .russia_data import russia_data
from .time import horizon_of

METRICS = metrics_for("ruble")


def evaluate(p: ParamBatch, data: Data, upstream: Mapping[str, BatchResult]) -> BatchResult:
    """The balance-of-payments model for a batch: a loop over months, vectorised over the parameter sets."""
    labels, t = horizon_of(p)
    n, n_t = p.n, len(labels)
    tr = upstream["trade"].outputs
    fr = tr["frictions"]
    x, m_pre = tr["exports_usd_bn"], tr["imports_pre_fx_usd_bn"]  # (n, T)
    x0, m0 = tr["baseline_exports_usd_bn"], tr["baseline_imports_usd_bn"]
    rd = russia_data(data)
    e0 = rd.anchors["usd_rub_start"]

    # dated levers, one value per month (a scalar is the same every month)
    controls = p.path("ruble.capital_controls_strength", labels)  # (n, T)
    hike = p.path("ruble.key_rate_hike_pp", labels)  # (n, T)
    severity = np.broadcast_to(fr.severity, (n, n_t))
    frozen = np.broadcast_to(fr.reserves_frozen_usd_bn, (n, n_t))
    flight_max = p.float("ruble.capital_flight_max_usd_bn")[:, None]
    exo = p.float("ruble.exogenous_capital_outflow_usd_bn")[:, None]
    # the annual rate of flight in force in month t, spread over the first year with a half-life
    flight_rate = (
        flight_max * severity * np.exp(-p.float("ruble.key_rate_flight_semi_elasticity")[:, None] * hike) + exo
    ) * (1 - controls)
    weights = 0.5 ** (t[None, :] / p.float("ruble.capital_flight_half_life_months")[:, None])
    weights = weights / weights[:, :12].sum(axis=1, keepdims=True)
    flight = flight_rate * weights  # (n, T)

    # usable reserves in month t: total less gold less what is frozen that month, less what was sold before
    usable = np.maximum(rd.reserves_total_usd_bn - rd.reserves_gold_usd_bn - frozen, 0.0)  # (n, T)
    phi = p.float("ruble.intervention_share")
    cap = p.float("ruble.max_intervention_usd_bn_per_month")
    floor = p.float("ruble.import_floor_share")
    eps = p.float("ruble.import_fx_elasticity")

    gap = (x0 - x) - (m0 - m_pre) + flight
    sales, compression, unfinanced, usable_path = (np.zeros((n, n_t)) for _ in range(4))
    sold = np.zeros(n)
    for k in range(n_t):
        g = gap[:, k]
        remaining = usable[:, k] - sold
        # a windfall (negative gap): the central bank buys a share of it
        sales[:, k] = np.where(g > 0, np.minimum(np.minimum(phi * g, cap), np.maximum(remaining, 0.0)), phi * g)
        sold = sold + sales[:, k]
        usable_path[:, k] = remaining - sales[:, k]
        m_k = m_pre[:, k]
        c = np.where(m_k > 0, 1 - (g - sales[:, k]) / np.where(m_k > 0, m_k, 1.0), 1.0)
        unfinanced[:, k] = np.where(c < floor, (floor - c) * m_k, 0.0)
        compression[:, k] = np.maximum(c, floor)
    e_fund = e0 * compression ** (-1 / eps[:, None])
    exo_stress = np.divide(exo * (1 - controls), flight_max, out=np.zeros((n, n_t)), where=flight_max > 0)
    stress = np.minimum(1.0, severity * (1 - controls) + exo_stress)  # (n, T)
    premium = (
        p.float("ruble.risk_premium_pct")[:, None]
        / 100
        * stress
        * 0.5 ** (t[None, :] / p.float("ruble.risk_premium_half_life_months")[:, None])
    )
    rate = e_fund * (1 + premium)
    imports = compression * m_pre

    # Price level: trend inflation times the pass-through of the ruble's fall (a level effect that builds up
    # with a lag); y/y inflation compares it with the level 12 months earlier (trend only before the shock).
    trend = ((1 + p.float("ruble.baseline_inflation_pct") / 100) ** (1 / 12))[:, None]
    level = trend ** t[None, :] * (
        1
        + p.float("ruble.pass_through")[:, None]
        * (rate / e0 - 1)
        * ramp(t[None, :], p.float("ruble.pass_through_months")[:, None])
    )
    before = trend ** (t[None, :] - 12)
    year_ago = np.where(t[None, :] >= 12, np.concatenate([np.ones((n, 12)), level], axis=1)[:, :n_t], before)
    cpi = 100 * (level / year_ago - 1)

    peak = rate.max(axis=1)
    last = min(11, n_t - 1)
    metrics = {
        "rub_usd_peak": peak,
        "rub_usd_12m": rate[:, last],
        "rub_depreciation_peak_pct": np.where(peak > e0, 100 * (1 - e0 / peak), 0.0),
        "reserves_used_bn_usd": np.clip(sales, 0, None)[:, :12].sum(axis=1),
        "russia_imports_change_pct": 100 * (annualised(imports) / (12 * m0) - 1),
        "russia_cpi_peak_pct": cpi.max(axis=1),
        "capital_flight_bn_usd": flight[:, :12].sum(axis=1),
    }
    outputs = {
        "usd_rub": rate,
        "usd_rub_fundamental": e_fund,
        "risk_premium": premium,
        "imports_usd_bn": imports,
        "compression": compression,
        "capital_flight_usd_bn": flight,
        "gap_usd_bn": gap,
        "reserve_sales_usd_bn": sales,
        "usable_reserves_usd_bn": usable_path,
        "unfinanced_gap_usd_bn": unfinanced,
        "usable_at_start_usd_bn": usable[:, 0],
        "cpi_yoy_pct": cpi,
        "e0": e0,
        "capital_controls_strength": controls,
        "key_rate_hike_pp": hike,
    }
    return BatchResult(metrics, outputs)


def run(params: Params, data: Data, upstream: Mapping[str, ModuleResult]) -> ModuleResult:
    ev = evaluate(ParamBatch.single(params), data, batches(upstream))
    labels, _ = horizon_of(params)
    tr = upstream["trade"].outputs
    o = {k: (v[0] if isinstance(v, np.ndarray) else v) for k, v in ev.outputs.items()}
    x0, m0 = tr["baseline_exports_usd_bn"], tr["baseline_imports_usd_bn"]
    rd = russia_data(data)
    a = rd.anchors
    ca0 = a["current_account_usd_bn"] / 12
    s0 = ca0 - (x0 - m0)  # services, income and the valuation gap between customs and BoP goods data
    r0 = a["reserves_stock_change_usd_bn"] / 12
    f0 = ca0 - r0
    sales = o["reserve_sales_usd_bn"]
    path = pd.DataFrame(
        {
            "month": labels,
            "usd_rub": o["usd_rub"],
            "usd_rub_fundamental": o["usd_rub_fundamental"],
            "risk_premium_pct": 100 * o["risk_premium"],
            "exports_usd_bn": tr["exports_usd_bn"],
            "imports_usd_bn": o["imports_usd_bn"],
            "imports_pre_fx_usd_bn": tr["imports_pre_fx_usd_bn"],
            "capital_flight_usd_bn": o["capital_flight_usd_bn"],
            "bop_gap_at_pre_sanction_rate_usd_bn": o["gap_usd_bn"],
            "reserve_sales_usd_bn": sales,
            "usable_reserves_usd_bn": o["usable_reserves_usd_bn"],
            "unfinanced_gap_usd_bn": o["unfinanced_gap_usd_bn"],
            "cpi_inflation_yoy_pct": o["cpi_yoy_pct"],
        }
    )
    reserves = pd.DataFrame(
        [
            ("total_1_jan_2022", rd.reserves_total_usd_bn),
            ("gold", rd.reserves_gold_usd_bn),
            ("frozen_most_over_horizon", float(np.max(tr["frictions"].reserves_frozen_usd_bn))),
            ("usable_at_start", float(o["usable_at_start_usd_bn"])),
            ("sold_over_horizon", float(np.clip(sales, 0, None).sum())),
        ],
        columns=["item", "usd_bn"],
    )
    baseline_bop = pd.DataFrame(
        [
            ("goods_exports", 12 * x0, "2021 customs data (IMF), as in the trade model"),
            ("goods_imports", 12 * m0, "2021 customs data (IMF), CIF"),
            ("services_income_and_valuation", 12 * s0, "current account minus the customs goods balance"),
            ("current_account", 12 * ca0, "Bank of Russia, 2021 preliminary"),
            ("reserve_accumulation", 12 * r0, "change in the reserve stock in 2021"),
            ("private_net_outflow", 12 * f0, "current account minus reserve accumulation (estimate)"),
        ],
        columns=["item", "usd_bn_per_year", "note"],
    )
    outputs = {
        "usd_rub": o["usd_rub"],
        "imports_usd_bn": o["imports_usd_bn"],
        "compression": o["compression"],
        "e0": o["e0"],
        "capital_controls_strength": o["capital_controls_strength"],
        "key_rate_hike_pp": o["key_rate_hike_pp"],
    }
    return ModuleResult(
        "ruble",
        ev.headline(METRICS),
        {"ruble_path": path, "reserves": reserves, "ruble_baseline_bop": baseline_bop},
        outputs,
        batch=ev,
    )
