"""The ruble: a monthly FX market with capital controls and a central bank whose usable reserves bind.

In month t the market for foreign exchange clears at the rate E_t (RUB per USD), u_t = ln(E_t / E0):

    CA_t(u_t) - F_t(u_t) + Q_t = 0                      (reserves change by -Q_t)

Current account: CA_t = X_t - M_pre,t e^(-eps u_t) + S0, with X_t = the energy module's export revenue plus
the other goods exports, M_pre,t the imports the sanctions leave at the pre-shock rate (the trade model) and
eps their price elasticity; S0 services and income at their 2021 level.

Expectations are anchored on the fundamental rate u^f_t, the root of M_pre,t e^(-eps u) - K u = X_t (1 - min(rho0,
1 - sigma_t)) + S0 - A l_t - o0 - f_t R0 + K h_t H / 1200 (the structural flows only, no expectation-driven flow, no
leaning): u^e_t = (1 - w) u^f_t + w u_(t-1), with a small extrapolative weight w (Frankel and Froot 1987), and
x_t = 1 - exp(-max(0, u^e_t)) the expected loss of value. (Pure extrapolation, w = 1, made the loop depreciation ->
expectation -> flows -> depreciation a gain of about 3: the no-shock rate was unstable and any shock ran to a 55-60%
fall.) Private net financial outflow F_t, each flow a named mechanism (b_t: the share of payments through sanctioned
banks or currencies reported by the SWIFT and clearing-ban instruments; h_t the key-rate hike, pp):

    retained_t  = min(rho0 + e^(-beta h_t) r_x x_t, 1 - sigma_t) X_t        exporters' revenue kept abroad;
                                                                          sigma_t the surrender requirement
    resid_t     = (1 - e^(-1/m)) max(0, (1 - kappa_t) H*_t - H_t) e^(-u_t)  residents' precautionary FX buying:
    H*_t        = e^(-beta h_t) (S_x x_t + S_b b_t),  H_(t+1) = H_t + resid_t
                                                                          a portfolio shift towards a desired
                                                                          stock of FX, paid in rubles (hence
                                                                          e^(-u_t)), kappa_t the controls
    nonres_t    = (1 - ban_t) N_t (1 - exp(-(n_b b_t + n_x x_t))) e^(-u_t),  N_(t+1) = N_t - nonres_t e^(u_t)
                                                                          N: ruble bonds valued at E0
    debt_t      = A l_t                                                   external debt not rolled over
    carry_t     = K (u_t - u^e_t + h_t H / 1200)                          financiers' FX supply (Gabaix-Maggiori):
                                                                          the expected log return on a ruble
                                                                          position plus the hike's extra carry
    pre_t       = Z e^(-u_t),  Z = R0                                     the pre-invasion outflow: non-residents'
                                                                          OFZ sales and a residual, ruble amounts
    F_t = retained_t + resid_t + nonres_t + pre_t + debt_t + o0 - carry_t

o0 = (CA0 - R0) - rho0 X0 closes the 2021 balance of payments (the rest of the 2021 private outflow). The fiscal
rule's purchases were suspended on 24 January 2022 (Bank of Russia; default f = 0) while the rate stayed at E0 with
reserves flat: the 2021 purchases R0 went to the pre-invasion outflow Z, so CA0 = rho0 X0 + o0 + Z and the
baseline clears at E0 in every month (docs/methodology.md, "Calibration"). The central bank buys the
fiscal rule's purchases f_t R0 and leans against the wind on the depreciation itself, as far as its usable reserves
allow:

    Q_t = min(phi max(0, u_t) - f_t R0,  U_t - sum_(s<t) Q_s)        (censored when the second binds)
    phi = theta / (1 - theta) S0,  S0 = eps M0 + R0 + K              the 2021 market's slope at E0
    U_t = max(0, total - gold - frozen_t - cny) + s_cny cny + s_gold gold  (Itskhoki and Mukhin 2022)

a schedule of sales in the rate (the Bank of Russia's 2009-2014 band mechanism sold set amounts that rose with the
basket's position in the band; Basu and Varoudakis 2013) whose slope relieves the share theta of the exchange-market
pressure by reserves on the 2021 market (Weymark 1995's intervention index; for a linear market it is the earlier
rule, theta times the excess demand at E0). Because Q depends on u only, a flow that a lever removes lowers the
excess demand at every rate and never raises the rate (the earlier rule valued the ruble amounts R at E0, where they
count in full, while at the clearing rate they demand R e^(-u): controls weakened the ruble once e^(-u) < theta;
docs/validation.md d3c, d3e). With Q(u) inside it the month's market has one root, the larger of the root with the
sales capped by reserves and the smaller of the roots with and without the leaning.

Each of these roots solves A e^(-eps u) + R e^(-u) - K u = B with A = M_pre,t, R the ruble amounts of the
residents' and non-residents' flows and B the rest (for the leaning root, multiplied by 1 - theta, K replaced by
(1 - theta) K + theta S0, which holds at theta = 1 too: a peg while reserves last): strictly decreasing and convex
in u, so one root, found by
Newton's method from the closed-form root without R (``clearing_log_rate``).

The price level: P_t = trend^t [1 + psi (E_t / E0 - 1) r_t] (1 + w z_t) (1 - k h_t r_t / 100), with r_t the
pass-through ramp, z_t the share of other (non-high-tech) imports the sanctions ration (the trade model) and k
the key rate's effect; CPI inflation is P_t / P_(t-12) - 1 (trend only before the shock).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy.special import wrightomega

from .data import Data
from .forms import annualised, ramp
from .metrics import metrics_for
from .model import BatchResult, ModuleResult, batches, first_set
from .params import ParamBatch, Params
from .russia_data import russia_data
from .time import horizon_of

METRICS = metrics_for("ruble")

FLOWS = (
    "exports_energy_usd_bn",
    "exports_other_usd_bn",
    "imports_usd_bn",
    "services_income_usd_bn",
    "current_account_usd_bn",
    "exporters_retained_usd_bn",
    "residents_precautionary_usd_bn",
    "nonresidents_exit_usd_bn",
    "preinvasion_outflow_usd_bn",
    "debt_not_rolled_over_usd_bn",
    "other_private_outflow_usd_bn",
    "carry_inflow_usd_bn",
    "private_outflow_usd_bn",
    "cb_intervention_usd_bn",
    "fiscal_rule_purchases_usd_bn",
    "cb_net_sales_usd_bn",
)


def clearing_log_rate(
    a: np.ndarray,
    r: np.ndarray,
    b: np.ndarray,
    k: np.ndarray,
    eps: np.ndarray,
    tol: float = 1e-13,
    start: np.ndarray | None = None,
) -> np.ndarray:
    """The root u of f(u) = a e^(-eps u) + r e^(-u) - k u - b = 0 (a, k, eps > 0, r >= 0).

    f is strictly decreasing and convex, so the root is unique. Without r it is closed form (Wright omega
    function, omega(z) = W(e^z)): u0 = omega(ln(eps a / k) + eps b / k) / eps - b / k, where f(u0) = r e^(-u0) >= 0;
    Newton's method from that left point rises monotonically to the root. With ``start`` (any point: a
    nearby root), Newton's method starts there instead: for a convex decreasing f, one Newton step from any
    point lands at or left of the root (the tangent lies below f), and the iterates then rise monotonically
    to it; this skips the omega function, the costly part of a call.
    """
    if start is None:
        u = np.real(wrightomega(np.log(eps * a / k) + eps * b / k)) / eps - b / k
        active = r > 0  # each set iterates until its own root is found: a batch gives its single runs' numbers
    else:
        u = np.array(start, dtype=float, copy=True)
        active = np.ones(np.broadcast(a, r, b, k, eps, u).shape, dtype=bool)
    for _ in range(100):
        if not active.any():
            break
        ea, er = a * np.exp(-eps * u), r * np.exp(-u)
        f = ea + er - k * u - b
        step = np.where(active, f / (eps * ea + er + k), 0.0)
        u = u + step
        active = active & (np.abs(f) > tol * np.maximum(1.0, np.abs(b)))
    return u


NONRESIDENT_OFZ_SALES_JAN_2022_RUB_BN = 128.0  # NSD data via VTB Capital (February 2022): non-residents'
# OFZ holdings fell by RUB 128 bn in January 2022 (their share of the market -0.8 pp to 19.1 % on 1 February)


def nonresident_preinvasion_usd_bn(data: Data) -> float:
    """Non-residents' OFZ sales in January 2022, USD bn a month: RUB 128 bn at the January 2022 average official
    rate (data/ru_macro_monthly.csv, Bank of Russia): the non-residents' part of the pre-invasion outflow."""
    monthly = data["ru_macro_monthly"].set_index("month")
    return NONRESIDENT_OFZ_SALES_JAN_2022_RUB_BN / float(monthly.loc["2022-01", "usd_rub_avg"])


def sanctions_exposure(frictions, n: int, n_t: int) -> np.ndarray:
    """Share of payments through sanctioned banks or currencies, (n, T): the SWIFT and clearing-ban
    instruments' reported exposures combined as independent shares."""
    ch = frictions.channels
    swift = np.broadcast_to(np.asarray(ch.get("swift_exposed_trade_share", 0.0), dtype=float), (n, n_t))
    dollar = np.broadcast_to(np.asarray(ch.get("dollar_affected_trade_share", 0.0), dtype=float), (n, n_t))
    return 1 - (1 - swift) * (1 - dollar)


def evaluate(p: ParamBatch, data: Data, upstream: Mapping[str, BatchResult]) -> BatchResult:
    """The FX market for a batch: a loop over months, vectorised over the parameter sets."""
    labels, t = horizon_of(p)
    n, n_t = p.n, len(labels)
    tr = upstream["trade"].outputs
    en = upstream["energy"].outputs
    rd = russia_data(data)
    a = rd.anchors
    e0 = a["usd_rub_start"]
    x0, m0 = float(tr["baseline_exports_usd_bn"]), float(tr["baseline_imports_usd_bn"])
    # exports: oil, gas and coal from the energy module, every other good from the trade model's non-energy
    # groups, so that an embargo or a gas cut enters the FX market once (the trade model's total volume
    # index also carries energy and must not scale the other goods)
    x_other = np.broadcast_to(tr["exports_non_energy_usd_bn"], (n, n_t))
    x_energy = np.broadcast_to(en["energy_exports_usd_bn"], (n, n_t))
    x = x_energy + x_other
    m_pre = np.broadcast_to(tr["imports_pre_fx_usd_bn"], (n, n_t))

    ca0 = a["current_account_usd_bn"] / 12
    s0 = ca0 - (x0 - m0)  # services, income and the valuation gap between customs and BoP goods data
    r0 = a["reserves_stock_change_usd_bn"] / 12
    rho0 = p.float("ruble.export_retention_share")[:, None]
    o0 = (ca0 - r0) - rho0[:, 0] * x0  # the rest of the 2021 private net outflow, (n,)
    # January-February 2022: the fiscal rule's purchases suspended (24 January), the rate at E0 with reserves
    # flat: the FX the rule bought in 2021 (r0 a month) went to a pre-invasion private outflow Z = r0 instead
    # (non-residents' OFZ sales, about 1.67 USD bn a month in January 2022, and a calibrated residual; see
    # docs/methodology.md), ruble amounts valued at E0 (USD demand = Z e^(-u))
    z_pre = np.full(n, r0)
    # its parts: non-residents' OFZ sales (RUB 128 bn in January 2022 at the January average rate) and the rest
    # (residents' and other private outflow)
    z_nr = min(nonresident_preinvasion_usd_bn(data), r0)
    cover = p.float("ruble.preinvasion_controls_coverage_pct")[:, None] / 100

    sigma = p.path("ruble.surrender_share", labels)
    kappa = p.path("ruble.capital_controls_strength", labels)
    ban = p.path("ruble.nonresident_exit_ban", labels)
    hike = p.path("ruble.key_rate_hike_pp", labels)
    loss = p.path("ruble.debt_rollover_loss_share", labels)
    fiscal = p.path("ruble.fiscal_rule_purchases", labels) * r0
    damp = np.exp(-p.float("ruble.key_rate_flight_semi_elasticity")[:, None] * hike)
    expo = sanctions_exposure(tr["frictions"], n, n_t)
    frozen = np.broadcast_to(tr["frictions"].reserves_frozen_usd_bn, (n, n_t))

    r_x = p.float("ruble.retention_depreciation_sensitivity")
    p_x, p_b = p.float("ruble.precautionary_depreciation_usd_bn"), p.float("ruble.precautionary_sanctions_usd_bn")
    n_b, n_x = p.float("ruble.nonresident_exit_sanctions_rate"), p.float("ruble.nonresident_exit_depreciation_rate")
    debt = p.float("ruble.external_debt_due_usd_bn")[:, None] * loss
    k = p.float("ruble.carry_capacity_usd_bn")
    carry_h = k[:, None] * hike * p.float("ruble.key_rate_carry_horizon_months")[:, None] / 1200
    eps = p.float("ruble.import_fx_elasticity")
    theta = p.float("ruble.intervention_share")
    # the slope of the 2021 market at E0 (USD bn a month per unit of log depreciation): imports, the pre-invasion
    # outflow's ruble amounts and the carry flow; phi = theta / (1 - theta) slope0 converts the leaning share
    slope0 = eps * m0 + r0 + k

    # usable reserves: FX outside the freeze, yuan and gold only as far as they can be sold
    cur = rd.reserves_by_currency
    cny, gold = cur.get("cny", 0.0), rd.reserves_gold_usd_bn
    usable = (
        np.maximum(rd.reserves_total_usd_bn - gold - frozen - cny, 0.0)
        + p.float("ruble.cny_sellable_share")[:, None] * cny
        + p.float("ruble.gold_sellable_share")[:, None] * gold
    )

    # the pre-invasion outflow (ruble amounts at E0) at its January-February 2022 pace, less what the dated levers
    # reach, each part through its own lever: the exit ban non-residents' OFZ sales (a 28 February 2022-type order
    # suspends their securities sales), the controls on residents' transfers the rest; `cover` the share they
    # reach (0 by default: the pace held in every scenario; docs/methodology.md, docs/validation.md d3c))
    pre_rub = z_nr * (1 - cover * ban) + (z_pre[:, None] - z_nr) * (1 - cover * kappa)
    # the fundamental rate, every month at once (it reads no state): clears the current account against the
    # structural private outflows (2021 retention, capped by the surrender rule; debt not rolled over; the rest
    # of the 2021 outflow; the pre-invasion outflows), the fiscal rule's purchases and the financiers' carry
    # priced against the pre-shock rate, with no expectation-driven flow and no leaning by the central bank
    b_fund = x * (1 - np.minimum(rho0, 1 - sigma)) + s0 - debt - o0[:, None] - fiscal
    fundamental = clearing_log_rate(
        m_pre, pre_rub, b_fund + carry_h, k[:, None], eps[:, None], start=np.zeros((n, n_t))
    )

    u = np.zeros((n, n_t))
    censored = np.zeros((n, n_t), dtype=bool)
    available = np.zeros((n, n_t))
    expected = np.zeros((n, n_t))
    retained_all = np.zeros((n, n_t))
    resid_all = np.zeros((n, n_t))
    nonres_all = np.zeros((n, n_t))
    q_all = np.zeros((n, n_t))
    stock = p.float("ruble.nonresident_assets_usd_bn").copy()
    held = np.zeros(n)
    speed = -np.expm1(-1 / p.float("ruble.precautionary_adjustment_months"))
    sold = np.zeros(n)
    u_prev = np.zeros(n)
    lam = p.float("ruble.expectation_extrapolation_weight")
    cap_ret = 1 - sigma
    for j in range(n_t):
        # expectations: anchored on the fundamental rate, with a small extrapolative weight on last month's rate
        u_e = (1 - lam) * fundamental[:, j] + lam * u_prev
        xe = -np.expm1(-np.maximum(u_e, 0.0))  # expected depreciation, a share of value: 1 - e^(-max(0, u_e))
        retained = np.minimum(rho0[:, 0] + damp[:, j] * r_x * xe, cap_ret[:, j]) * x[:, j]
        target = damp[:, j] * (p_x * xe + p_b * expo[:, j])  # desired extra FX holdings (a stock)
        # ruble amounts (in USD at E0) residents and non-residents bring to the market: USD demand = amount e^(-u)
        # controls stop a share kappa of the desired stock while they last (they cancel that demand, not defer
        # it: a slowed flow towards the full stock kept the blocked demand pending, so controls that let the
        # reserves last longer could leave a larger cliff when they ran out); lifted controls release it
        resid_rub = speed * np.maximum((1 - kappa[:, j]) * target - held, 0.0)
        nonres_rub = (1 - ban[:, j]) * stock * -np.expm1(-(n_b * expo[:, j] + n_x * xe))
        ruble_amounts = resid_rub + nonres_rub + pre_rub[:, j]
        fundamentals = x[:, j] + s0 - retained - debt[:, j] - o0  # FX supply net of these demands, at any rate
        b_noq = fundamentals + carry_h[:, j] - k * u_e  # carry: K (u - u_e) + the hike's carry
        # the central bank leans against the wind in the clearing rate's terms: its sales rise with the
        # depreciation itself, Q(u) = min(phi max(0, u) - f, avail), phi = theta / (1 - theta) S0 (Weymark 1995: a
        # constant share theta of the exchange-market pressure relieved by reserves, converted at the 2021 market's
        # slope S0); with G(u) - K (u - u_e) - carry_h = Q(u), G the private excess demand before the carry flow,
        # G - K (u - u_e) - carry_h - Q = max(min(h_0, h_theta), h_avail) falls with u, so the root is unique:
        # u* = max(min(u_0, u_theta), u_avail), each a root of the solver's form (docs/methodology.md, Ruble);
        # u_theta from (1 - theta) [G - K (u - u_e) - carry_h + f] = theta S0 u, which holds at theta = 1 too.
        avail = np.maximum(usable[:, j] - sold, 0.0)
        fiscal_j = fiscal[:, j]
        start = fundamental[:, j]
        # h_0 and h_theta agree at u = 0, so their roots share a sign: the leaning root where the market is short of
        # FX at E0, the root without leaning where it is long (appreciation); one solve for both
        short = m_pre[:, j] + ruble_amounts - b_noq + fiscal_j > 0
        keep = np.where(short, 1 - theta, 1.0)
        u_lean = clearing_log_rate(
            keep * m_pre[:, j],
            keep * ruble_amounts,
            keep * (b_noq - fiscal_j),
            np.where(short, (1 - theta) * k + theta * slope0, k),
            eps,
            start=start,
        )
        # the sales that clear the market at u_lean (phi max(0, u) - f, from the market's own terms: exact at theta = 1)
        q = m_pre[:, j] * np.exp(-eps * u_lean) + ruble_amounts * np.exp(-u_lean) - k * u_lean - b_noq
        cens = q > avail + 1e-12
        uj = u_lean
        if cens.any():  # usable reserves bind: u_avail > u_lean exactly where the wanted sales exceed them
            u_avail = clearing_log_rate(m_pre[:, j], ruble_amounts, b_noq + avail, k, eps, start=start)
            uj = np.where(cens, np.maximum(u_lean, u_avail), u_lean)
            q = np.where(cens, avail, q)
        censored[:, j] = cens
        available[:, j] = usable[:, j] - sold
        sold = sold + q
        u[:, j] = uj
        held = held + resid_rub * np.exp(-uj)
        stock = stock - nonres_rub
        expected[:, j] = u_e
        retained_all[:, j] = retained
        resid_all[:, j] = resid_rub
        nonres_all[:, j] = nonres_rub
        q_all[:, j] = q
        u_prev = uj
    # the flows at the clearing rates, every month at once
    decay = np.exp(-u)
    imports = m_pre * np.exp(-eps[:, None] * u)
    resid, nonres, pre = resid_all * decay, nonres_all * decay, pre_rub * decay
    carry = k[:, None] * (u - expected) + carry_h
    debt_b = np.broadcast_to(debt, (n, n_t))
    o0_b = np.broadcast_to(o0[:, None], (n, n_t))
    out = {
        "exports_energy_usd_bn": x_energy,
        "exports_other_usd_bn": x_other,
        "imports_usd_bn": imports,
        "services_income_usd_bn": np.full((n, n_t), s0),
        "current_account_usd_bn": x - imports + s0,
        "exporters_retained_usd_bn": retained_all,
        "residents_precautionary_usd_bn": resid,
        "nonresidents_exit_usd_bn": nonres,
        "preinvasion_outflow_usd_bn": pre,
        "debt_not_rolled_over_usd_bn": debt_b,
        "other_private_outflow_usd_bn": o0_b,
        "carry_inflow_usd_bn": carry,
        "private_outflow_usd_bn": retained_all + resid + nonres + pre + debt_b + o0_b - carry,
        "cb_intervention_usd_bn": q_all + fiscal,
        "fiscal_rule_purchases_usd_bn": np.broadcast_to(fiscal, (n, n_t)),
        "cb_net_sales_usd_bn": q_all,
    }
    rate = e0 * np.exp(u)

    # price level: pass-through of the ruble, the premium on rationed imports, the key rate's effect
    shortage = tr.get("other_import_volume_fall")
    if shortage is None:
        shortage = 1 - m_pre / m0
    shortage = np.clip(np.broadcast_to(shortage, (n, n_t)), 0.0, 1.0)
    lag = ramp(t[None, :], p.float("ruble.pass_through_months")[:, None])
    trend = ((1 + p.float("ruble.baseline_inflation_pct") / 100) ** (1 / 12))[:, None]
    level = (
        trend ** t[None, :]
        * (1 + p.float("ruble.pass_through")[:, None] * (rate / e0 - 1) * lag)
        * (1 + p.float("ruble.shortage_price_premium")[:, None] * shortage)
        * (1 - p.float("ruble.key_rate_cpi_pct_per_pp")[:, None] * hike * lag / 100)
    )
    before = trend ** (t[None, :] - 12)
    year_ago = np.where(t[None, :] >= 12, np.concatenate([np.ones((n, 12)), level], axis=1)[:, :n_t], before)
    cpi = 100 * (level / year_ago - 1)

    peak = rate.max(axis=1)
    last = min(11, n_t - 1)
    private = out["private_outflow_usd_bn"]
    metrics = {
        "rub_usd_peak": peak,
        "rub_usd_12m": rate[:, last],
        "rub_depreciation_peak_pct": np.where(peak > e0, 100 * (1 - e0 / peak), 0.0),
        "russia_current_account_bn_usd": annualised(out["current_account_usd_bn"]),
        "russia_capital_outflow_bn_usd": annualised(private),
        "reserves_used_bn_usd": np.maximum(annualised(out["cb_net_sales_usd_bn"]), 0.0),
        "russia_imports_change_pct": 100 * (annualised(out["imports_usd_bn"]) / (12 * m0) - 1),
        "russia_cpi_peak_pct": cpi.max(axis=1),
        "ruble_censored_months": censored[:, :12].sum(axis=1).astype(float),
    }
    outputs = {
        "usd_rub": rate,
        "cpi_yoy_pct": cpi,
        "censored": censored,
        "usable_reserves_usd_bn": available,
        "usable_at_start_usd_bn": usable[:, 0],
        "e0": e0,
        "capital_controls_strength": kappa,
        "key_rate_hike_pp": hike,
        "sanctions_exposure": expo,
        "fundamental_log_rate": fundamental,
        "expected_log_rate": expected,
        **out,
    }
    return BatchResult(metrics, outputs)


def run(params: Params, data: Data, upstream: Mapping[str, ModuleResult]) -> ModuleResult:
    ev = evaluate(ParamBatch.single(params), data, batches(upstream))
    labels, _ = horizon_of(params)
    o = first_set(ev.outputs)
    tr = upstream["trade"].outputs
    rd = russia_data(data)
    a = rd.anchors
    path = pd.DataFrame(
        {
            "month": labels,
            "usd_rub": o["usd_rub"],
            **{name: o[name] for name in FLOWS},
            "usable_reserves_before_usd_bn": o["usable_reserves_usd_bn"],
            "censored": o["censored"],
            "sanctions_exposure": o["sanctions_exposure"],
            "usd_rub_fundamental": float(o["e0"]) * np.exp(o["fundamental_log_rate"]),
            "usd_rub_expected": float(o["e0"]) * np.exp(o["expected_log_rate"]),
            "cpi_inflation_yoy_pct": o["cpi_yoy_pct"],
        }
    )
    frozen = float(np.max(tr["frictions"].reserves_frozen_usd_bn))
    reserves = pd.DataFrame(
        [
            ("total_1_jan_2022", rd.reserves_total_usd_bn),
            ("gold", rd.reserves_gold_usd_bn),
            ("cny", rd.reserves_by_currency.get("cny", 0.0)),
            ("frozen_most_over_horizon", frozen),
            ("usable_at_start", float(o["usable_at_start_usd_bn"])),
            ("net_sales_over_horizon", float(np.asarray(o["cb_net_sales_usd_bn"]).sum())),
        ],
        columns=["item", "usd_bn"],
    )
    x0, m0 = tr["baseline_exports_usd_bn"], tr["baseline_imports_usd_bn"]
    ca0 = a["current_account_usd_bn"] / 12
    r0 = a["reserves_stock_change_usd_bn"] / 12
    baseline_bop = pd.DataFrame(
        [
            ("goods_exports", 12 * x0, "2021 customs data (IMF), as in the trade model"),
            ("goods_imports", 12 * m0, "2021 customs data (IMF), CIF"),
            (
                "services_income_and_valuation",
                12 * (ca0 - (x0 - m0)),
                "current account minus the customs goods balance",
            ),
            ("current_account", 12 * ca0, "Bank of Russia, 2021 preliminary"),
            ("reserve_accumulation", 12 * r0, "change in the reserve stock in 2021 (the fiscal rule's purchases)"),
            ("private_net_outflow", 12 * (ca0 - r0), "current account minus reserve accumulation"),
            (
                "preinvasion_outflow",
                12 * r0,
                "Jan-Feb 2022: purchases suspended (Bank of Russia, 24 Jan 2022), the 2021 purchases absorbed privately",
            ),
            ("private_net_outflow_feb_2022", 12 * ca0, "the baseline's private net outflow, reserves flat"),
        ],
        columns=["item", "usd_bn_per_year", "note"],
    )
    outputs = {
        k: o[k]
        for k in ("usd_rub", "imports_usd_bn", "e0", "capital_controls_strength", "key_rate_hike_pp", "censored")
    }
    return ModuleResult(
        "ruble",
        ev.headline(METRICS),
        {"ruble_path": path, "reserves": reserves, "ruble_baseline_bop": baseline_bop},
        outputs,
        batch=ev,
    )
