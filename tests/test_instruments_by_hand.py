"""SWIFT exclusion and the dollar/euro clearing ban with the reserve freeze, against hand calculations.

Each test cites the equation of docs/methodology.md it checks (sections "SWIFT exclusion" and "Dollar and euro
clearing ban and the reserve freeze", "Equations"; the metric definitions in "Engine", "Headline metrics of the
sanctions side"; "Frictions", "How contributions combine"). The expected numbers are computed here with scalar
Python loops over the raw data tables (data/ru_trade_partner_product_2021.csv, ru_payment_currency_2021.csv,
ru_reserves_2022.csv), not with the model's own arrays, so that a coefficient halved or a sign flipped in the
module fails. Parameter values are chosen unequal (no two costs or times alike) so that a swapped argument
shows.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import econ
from econ.data import PARTNER_GROUPS, PRODUCT_GROUPS
from econ.params import ParamBatch
from econ.sanctions import dollar, swift
from econ.sanctions.frictions import Frictions, combine, weighted_tariff
from econ.time import horizon

FLOWS = ("exports", "imports")
# Written out from docs/methodology.md (Engine, "Trade grid"), not imported from the code under test:
ENERGY = ("oil", "gas", "coal")
COALITION = ("eu", "us", "uk", "japan", "korea", "other_coalition")


@pytest.fixture(scope="module")
def raw(data):
    """Trade weights w[f, p, g] (2021 value shares) and currency shares s[f][currency], from the CSVs."""
    t = data["ru_trade_partner_product_2021"]
    total = float(t["value_usd_bn"].sum())
    w: dict[tuple[str, str, str], float] = {}
    for row in t.itertuples(index=False):
        key = (row.flow, row.partner_group, row.product_group)
        w[key] = w.get(key, 0.0) + float(row.value_usd_bn) / total
    cur = data["ru_payment_currency_2021"]
    s = {f: {r.currency: float(r.share) for r in cur[cur.flow == f].itertuples()} for f in FLOWS}
    res = data["ru_reserves_2022"]
    reserves = float(res.loc[res.dimension == "currency", "value_usd_bn"].sum())
    return {"w": w, "s": s, "reserves": reserves, "total": total}


def _params(overrides):
    return econ.load_scenario("baseline").with_overrides(overrides).params


def _months(params):
    labels, _, _ = horizon(str(params["gas.start_month"]), int(params["gas.horizon_months"]))
    return labels


def test_the_data_behind_the_weights_are_the_documented_2021_totals(raw, data):
    # docs/methodology.md, Engine, "Trade grid": exports 492.05 and imports 293.66 USD bn (2021)
    t = data["ru_trade_partner_product_2021"].groupby("flow")["value_usd_bn"].sum()
    assert t["exports"] == pytest.approx(492.05, abs=0.01) and t["imports"] == pytest.approx(293.66, abs=0.01)
    assert sum(raw["w"].values()) == pytest.approx(1.0, abs=1e-12)
    # ... and R_tot = 630.6 USD bn on 1 January 2022 (Dollar section, "Equations")
    assert raw["reserves"] == pytest.approx(630.6, abs=0.05)


# ---------------------------------------------------------------- SWIFT ----------------------------------------

SWIFT_CASE = {
    "swift.excluded_payment_share": 0.4,
    "swift.energy_carve_out": True,
    "swift.alternatives_share_coalition": 0.3,
    "swift.alternatives_share_other": 0.8,
    "swift.adaptation_months": 4.0,
    "swift.alternative_cost_pct": 2.0,
    "swift.blocked_cost_pct": 12.0,
}


def swift_tau(p: dict, partner: str, product: str, t: int, e: float | None = None, carve: bool | None = None):
    """methodology, SWIFT, Equations: tau = e_g [a_p(t) c_alt/100 + (1 - a_p(t)) c_blocked/100],
    a_p(t) = A_p (1 - exp(-(t+1)/m_S)), e_g = 0 for oil, gas, coal under the carve-out, else e."""
    e = p["swift.excluded_payment_share"] if e is None else e
    carve = p["swift.energy_carve_out"] if carve is None else carve
    e_g = 0.0 if (carve and product in ENERGY) else e
    cap = p["swift.alternatives_share_coalition"] if partner in COALITION else p["swift.alternatives_share_other"]
    a = cap * (1 - math.exp(-(t + 1) / p["swift.adaptation_months"]))
    return e_g * (a * p["swift.alternative_cost_pct"] / 100 + (1 - a) * p["swift.blocked_cost_pct"] / 100)


def test_swift_tariff_on_every_cell_equals_the_equation(data):
    params = _params(SWIFT_CASE)
    fr = swift.frictions(params, data)
    T = len(_months(params))
    assert fr.tariff.shape == (2, len(PARTNER_GROUPS), len(PRODUCT_GROUPS), T)
    for f in range(2):
        for i, partner in enumerate(PARTNER_GROUPS):
            for j, product in enumerate(PRODUCT_GROUPS):
                for t in range(T):
                    assert fr.tariff[f, i, j, t] == pytest.approx(swift_tau(SWIFT_CASE, partner, product, t), rel=1e-12)
    # no quantity cap and nothing frozen (methodology: "There is no quantity cap (q = 1). The reserves frozen are 0")
    assert (fr.quantity_cap == 1).all() and (fr.reserves_frozen_usd_bn == 0).all()


def test_swift_two_cells_by_hand():
    # coalition partner, month 0: a = 0.3 (1 - e^(-1/4)) = 0.0663598; tau = 0.4 [0.0663598 * 0.02 + 0.9336402 * 0.12] = 0.0453456
    a = 0.3 * (1 - math.exp(-0.25))
    assert a == pytest.approx(0.0663598, abs=1e-7)
    assert swift_tau(SWIFT_CASE, "eu", "metals", 0) == pytest.approx(0.4 * (a * 0.02 + (1 - a) * 0.12))
    assert swift_tau(SWIFT_CASE, "eu", "metals", 0) == pytest.approx(0.0453456, abs=1e-7)
    # China (not coalition), month 11: a = 0.8 (1 - e^(-3)) = 0.7601703; tau = 0.4 [0.7601703 * 0.02 + 0.2398297 * 0.12] = 0.0175932
    assert swift_tau(SWIFT_CASE, "china", "food", 11) == pytest.approx(0.0175932, abs=1e-7)
    assert swift_tau(SWIFT_CASE, "china", "oil", 11) == 0.0  # energy carved out


def test_swift_metrics_are_the_trade_weighted_equations(raw, data):
    # methodology, Engine, headline table: swift_exposed_trade_pct = 100 sum w e_g (mean of months 0..11);
    # swift_friction_first_month_pct = 100 sum w tau(t=0); swift_friction_12m_pct the same at t = 11.
    params = _params(SWIFT_CASE)
    h = econ.run(econ.load_scenario("baseline").with_overrides(SWIFT_CASE)).headline.set_index("metric")["value"]
    w = raw["w"]
    non_energy = sum(v for (f, p, g), v in w.items() if g not in ENERGY)
    assert 0.5 < non_energy < 0.8  # the carve-out matters: energy is about a third of 2021 goods trade
    assert h["swift_exposed_trade_pct"] == pytest.approx(100 * 0.4 * non_energy, rel=1e-12)
    for metric, t in (("swift_friction_first_month_pct", 0), ("swift_friction_12m_pct", 11)):
        expected = 100 * sum(v * swift_tau(SWIFT_CASE, p, g, t) for (f, p, g), v in w.items())
        assert h[metric] == pytest.approx(expected, rel=1e-12), metric
    fr = swift.frictions(params, data)
    np.testing.assert_allclose(fr.severity, 0.4 * non_energy, rtol=1e-12)


def test_swift_without_carve_out_exposes_every_product(raw, data):
    case = {**SWIFT_CASE, "swift.energy_carve_out": False}
    fr = swift.frictions(_params(case), data)
    np.testing.assert_allclose(fr.severity, 0.4, rtol=1e-12)  # sum of w = 1
    assert fr.tariff[0, PARTNER_GROUPS.index("eu"), PRODUCT_GROUPS.index("gas"), 0] == pytest.approx(
        swift_tau(case, "eu", "gas", 0), rel=1e-12
    )


def test_swift_dated_paths_enter_month_by_month(raw, data):
    # methodology, conventions: a dated lever's month value enters that month's equation; the adaptation ramp
    # keeps counting from the start month (t = 0 in March 2022).
    case = {
        **SWIFT_CASE,
        "swift.excluded_payment_share": {"base": 0.25, "2022-06": 1.0},
        "swift.energy_carve_out": {"2022-09": False},
    }
    params = _params(case)
    fr = swift.frictions(params, data)
    months = _months(params)
    non_energy = sum(v for (f, p, g), v in raw["w"].items() if g not in ENERGY)
    for t, m in enumerate(months):
        e = 0.25 if m < "2022-06" else 1.0
        carve = m < "2022-09"
        for partner, product in (("eu", "oil"), ("eu", "food"), ("india", "gas"), ("row", "metals")):
            i, j = PARTNER_GROUPS.index(partner), PRODUCT_GROUPS.index(product)
            want = swift_tau(SWIFT_CASE, partner, product, t, e=e, carve=carve)
            assert fr.tariff[1, i, j, t] == pytest.approx(want, rel=1e-12, abs=0), (m, partner, product)
        assert fr.severity[t] == pytest.approx(e * (non_energy if carve else 1.0), rel=1e-12), m
    # the exposure metric is the mean over the first 12 months of those monthly severities
    h = econ.run(econ.load_scenario("baseline").with_overrides(case))
    mean = np.mean([(0.25 if m < "2022-06" else 1.0) * (non_energy if m < "2022-09" else 1.0) for m in months[:12]])
    assert h.value("swift_exposed_trade_pct") == pytest.approx(100 * mean, rel=1e-12)


def test_swift_batch_rows_are_the_single_runs(data):
    # evaluate() over a batch: each row is its own parameter set (no row mixes in another's values)
    base = _params(SWIFT_CASE)
    batch = ParamBatch(base, {"swift.adaptation_months": [3.0, 9.0], "swift.blocked_cost_pct": [6.0, 18.0]}, 2)
    out = swift.evaluate(batch, data).metrics
    for i, (m, c) in enumerate(((3.0, 6.0), (9.0, 18.0))):
        single = swift.evaluate(
            ParamBatch.single(base.with_values({"swift.adaptation_months": m, "swift.blocked_cost_pct": c})), data
        ).metrics
        for k in single:
            assert out[k][i] == pytest.approx(single[k][0], rel=1e-12), (i, k)


def test_swift_tariff_properties_with_power(data):
    """Over the registry's plausible ranges: the tariff lies between e_g c_alt and e_g c_blocked; where the
    property can bite (e > 0, A_p > 0, c_blocked > c_alt) it falls strictly from month to month; energy is zero
    under the carve-out and positive without it. The number of draws that reached each assertion is asserted."""
    reg = econ.load_registry()
    names = [
        "swift.alternatives_share_coalition",
        "swift.alternatives_share_other",
        "swift.adaptation_months",
        "swift.alternative_cost_pct",
        "swift.blocked_cost_pct",
    ]
    ran: Counter[str] = Counter()
    eu, china = PARTNER_GROUPS.index("eu"), PARTNER_GROUPS.index("china")
    metals, gas = PRODUCT_GROUPS.index("metals"), PRODUCT_GROUPS.index("gas")

    @settings(max_examples=60, deadline=None, derandomize=True)
    @given(
        values=st.tuples(*(st.floats(float(reg[n].low), float(reg[n].high)) for n in names)),
        e=st.floats(0.0, 1.0),
        carve=st.booleans(),
        horizon_months=st.integers(12, 36),
        start=st.sampled_from(["2022-01", "2022-03", "2022-07", "2023-11"]),
    )
    def check(values, e, carve, horizon_months, start):
        case = dict(zip(names, values))
        case.update(
            {
                "swift.excluded_payment_share": e,
                "swift.energy_carve_out": carve,
                "gas.horizon_months": horizon_months,
                "gas.start_month": start,
            }
        )
        params = _params(case)
        tariff = swift.frictions(params, data).tariff
        assert tariff.shape[-1] == horizon_months
        lo, hi = sorted((case["swift.alternative_cost_pct"], case["swift.blocked_cost_pct"]))
        assert (tariff >= e * lo / 100 * (tariff > 0) - 1e-15).all() and (tariff <= e * hi / 100 + 1e-15).all()
        ran["bounds"] += 1
        if e > 1e-6 and case["swift.blocked_cost_pct"] > case["swift.alternative_cost_pct"] + 1e-6:
            for p in (eu, china):
                path = tariff[0, p, metals]
                assert (np.diff(path) < 0).all(), "adaptation must lower the friction every month"
            ran["strictly_falling"] += 1
        if e > 1e-6:
            if carve:
                assert (tariff[:, :, gas] == 0).all()
                ran["energy_exempt"] += 1
            else:
                assert (tariff[:, :, gas] > 0).all()
                ran["energy_exposed"] += 1

    check()
    print("swift property checks ran:", dict(ran))
    assert ran["bounds"] >= 50 and ran["strictly_falling"] >= 25
    assert ran["energy_exempt"] >= 10 and ran["energy_exposed"] >= 10


# ---------------------------------------------------------------- dollar ---------------------------------------

DOLLAR_CASE = {
    "dollar.clearing_ban_coverage": 0.6,
    "dollar.euro_clearing_ban_coverage": 0.3,
    "dollar.energy_carve_out": True,
    "dollar.reinvoicing_months": 7.0,
    "dollar.reinvoicing_cost_pct": 1.5,
    "dollar.unsettled_cost_pct": 11.0,
    "dollar.reserves_frozen_share": 0.45,
}


def dollar_a(raw, p: dict, flow: str, k_usd=None, k_eur=None) -> float:
    """methodology, Dollar, Equations: a_f = s_f^USD k_USD + s_f^EUR k_EUR."""
    k_usd = p["dollar.clearing_ban_coverage"] if k_usd is None else k_usd
    k_eur = p["dollar.euro_clearing_ban_coverage"] if k_eur is None else k_eur
    return raw["s"][flow]["usd"] * k_usd + raw["s"][flow]["eur"] * k_eur


def dollar_tau(raw, p: dict, flow: str, product: str, t: int, carve=None, **k) -> float:
    """tau = a_f eps_g [(1 - r(t)) c_u/100 + r(t) c_r/100], r(t) = 1 - exp(-(t+1)/m_D)."""
    carve = p["dollar.energy_carve_out"] if carve is None else carve
    eps = 0.0 if (carve and product in ENERGY) else 1.0
    r = 1 - math.exp(-(t + 1) / p["dollar.reinvoicing_months"])
    cost = (1 - r) * p["dollar.unsettled_cost_pct"] / 100 + r * p["dollar.reinvoicing_cost_pct"] / 100
    return dollar_a(raw, p, flow, **k) * eps * cost


def test_dollar_affected_shares_by_hand(raw):
    # Bank of Russia 2021 (methodology, Dollar, Data): exports USD 54.5 %, EUR 29.7 %; imports USD 35.8 %, EUR 30.4 %
    assert dollar_a(raw, DOLLAR_CASE, "exports") == pytest.approx(0.545 * 0.6 + 0.297 * 0.3, abs=1e-12)  # 0.4161
    assert dollar_a(raw, DOLLAR_CASE, "imports") == pytest.approx(0.358 * 0.6 + 0.304 * 0.3, abs=1e-12)  # 0.3060
    # imports, month 0: r = 1 - e^(-1/7) = 0.1331221; tau = 0.3060 [0.8668779 * 0.11 + 0.1331221 * 0.015] = 0.0297901
    assert dollar_tau(raw, DOLLAR_CASE, "imports", "food", 0) == pytest.approx(0.0297901, abs=1e-7)


def test_dollar_tariff_on_every_cell_equals_the_equation(raw, data):
    params = _params(DOLLAR_CASE)
    fr = dollar.frictions(params, data)
    T = len(_months(params))
    for f, flow in enumerate(FLOWS):
        for i in range(len(PARTNER_GROUPS)):  # the same for every partner (no partner split of currency shares)
            for j, product in enumerate(PRODUCT_GROUPS):
                for t in range(T):
                    want = dollar_tau(raw, DOLLAR_CASE, flow, product, t)
                    assert fr.tariff[f, i, j, t] == pytest.approx(want, rel=1e-12, abs=0), (flow, product, t)
    assert (fr.quantity_cap == 1).all()


def test_dollar_freeze_severity_and_metrics_by_hand(raw, data):
    # Frozen = phi R_tot; inv = sum w a_f eps_g; s = 1 - (1 - inv)(1 - phi) (methodology, Dollar, Equations);
    # reserves_frozen_pct = frozen / R_tot * 100; dollar_affected_trade_pct = 100 inv (mean of months 0..11);
    # dollar_friction_12m_pct = 100 sum w tau(t = 11) (Engine, headline table).
    w = raw["w"]
    inv = sum(v * dollar_a(raw, DOLLAR_CASE, f) for (f, p, g), v in w.items() if g not in ENERGY)
    fr = dollar.frictions(_params(DOLLAR_CASE), data)
    np.testing.assert_allclose(fr.reserves_frozen_usd_bn, 0.45 * raw["reserves"], rtol=1e-12)
    np.testing.assert_allclose(fr.severity, 1 - (1 - inv) * (1 - 0.45), rtol=1e-12)
    h = econ.run(econ.load_scenario("baseline").with_overrides(DOLLAR_CASE))
    assert h.value("reserves_frozen_bn_usd") == pytest.approx(0.45 * raw["reserves"], rel=1e-12)  # 283.8 USD bn
    assert h.value("reserves_frozen_pct") == pytest.approx(45.0, rel=1e-12)
    assert h.value("dollar_affected_trade_pct") == pytest.approx(100 * inv, rel=1e-12)
    want_12m = 100 * sum(v * dollar_tau(raw, DOLLAR_CASE, f, g, 11) for (f, p, g), v in w.items())
    assert h.value("dollar_friction_12m_pct") == pytest.approx(want_12m, rel=1e-12)
    units = h.tables["reserves_summary"].set_index("item")["unit"]
    assert units["reserves_total"] == "USD bn, 1 January 2022" and units["frozen"] == "USD bn, most over the horizon"
    assert units["frozen_share_parameter"] == "%, most over the horizon"
    summary = h.tables["reserves_summary"].set_index("item")["value"]
    assert summary["reserves_total"] == pytest.approx(raw["reserves"], rel=1e-12)
    assert summary["frozen"] == pytest.approx(0.45 * raw["reserves"], rel=1e-12)
    assert summary["frozen_share_parameter"] == pytest.approx(45.0, rel=1e-12)


def test_coalition_custodians_hold_51_6_percent(data):
    # methodology, Dollar: France 9.9 + Japan 9.3 + Germany 15.7 + US 6.4 + UK 5.1 + Canada 2.7 + Austria 2.5 = 51.6 %
    # (Bank of Russia, Annual Report 2021, reserves by custodian on 1 January 2022; data/ru_reserves_2022.csv)
    assert 100 * dollar.custodian_frozen_share(data) == pytest.approx(51.6, abs=0.05)


def test_dollar_dated_freeze_and_ban(raw, data):
    # the freeze is a dated lever: the metric is the most frozen over the horizon; each month's severity combines
    # that month's invoicing exposure with that month's freeze
    case = {
        **DOLLAR_CASE,
        "dollar.reserves_frozen_share": {"base": 0.1, "2022-05": 0.5, "2022-12": 0.2},
        "dollar.clearing_ban_coverage": {"base": 0.0, "2022-04": 0.6},
        "dollar.energy_carve_out": {"2022-08": False},
    }
    params = _params(case)
    fr = dollar.frictions(params, data)
    w = raw["w"]
    for t, m in enumerate(_months(params)):
        phi = 0.1 if m < "2022-05" else (0.5 if m < "2022-12" else 0.2)
        k_usd = 0.0 if m < "2022-04" else 0.6
        carve = m < "2022-08"
        inv = sum(
            v * dollar_a(raw, DOLLAR_CASE, f, k_usd=k_usd) for (f, p, g), v in w.items() if not (carve and g in ENERGY)
        )
        assert fr.reserves_frozen_usd_bn[t] == pytest.approx(phi * raw["reserves"], rel=1e-12), m
        assert fr.severity[t] == pytest.approx(1 - (1 - inv) * (1 - phi), rel=1e-12), m
        want = dollar_tau(raw, DOLLAR_CASE, "exports", "oil", t, carve=carve, k_usd=k_usd)
        assert fr.tariff[0, 0, PRODUCT_GROUPS.index("oil"), t] == pytest.approx(want, rel=1e-12, abs=0), m
    h = econ.run(econ.load_scenario("baseline").with_overrides(case))
    assert h.value("reserves_frozen_bn_usd") == pytest.approx(0.5 * raw["reserves"], rel=1e-12)


def test_dollar_tariff_properties_with_power(raw, data):
    """Over the plausible ranges: exports and imports tariffs equal a_f eps_g cost(t) (their ratio is a_exp/a_imp);
    where it can bite (a ban > 0, c_u > c_r) the friction falls strictly as contracts are re-invoiced; a larger
    freeze never lowers severity and raises it strictly when the freeze is below 1."""
    reg = econ.load_registry()
    names = ["dollar.reinvoicing_months", "dollar.reinvoicing_cost_pct", "dollar.unsettled_cost_pct"]
    ran: Counter[str] = Counter()
    food = PRODUCT_GROUPS.index("food")

    @settings(max_examples=50, deadline=None, derandomize=True)
    @given(
        values=st.tuples(*(st.floats(float(reg[n].low), float(reg[n].high)) for n in names)),
        k_usd=st.floats(0.0, 1.0),
        k_eur=st.floats(0.0, 1.0),
        phi=st.floats(0.0, 0.8),
        more=st.floats(0.01, 0.2),
        horizon_months=st.integers(12, 36),
    )
    def check(values, k_usd, k_eur, phi, more, horizon_months):
        case = dict(zip(names, values))
        case.update(
            {
                "dollar.clearing_ban_coverage": k_usd,
                "dollar.euro_clearing_ban_coverage": k_eur,
                "dollar.reserves_frozen_share": phi,
                "gas.horizon_months": horizon_months,
            }
        )
        fr = dollar.frictions(_params(case), data)
        a_exp, a_imp = dollar_a(raw, case, "exports"), dollar_a(raw, case, "imports")
        if a_imp > 1e-6:
            np.testing.assert_allclose(fr.tariff[0, 3, food], fr.tariff[1, 3, food] * a_exp / a_imp, rtol=1e-9)
            ran["flow_ratio"] += 1
            if case["dollar.unsettled_cost_pct"] > case["dollar.reinvoicing_cost_pct"] + 1e-6:
                assert (np.diff(fr.tariff[1, 3, food]) < 0).all()
                ran["strictly_falling"] += 1
        worse = dollar.frictions(_params({**case, "dollar.reserves_frozen_share": phi + more}), data)
        assert (worse.severity >= fr.severity).all()
        inv = fr.channels["dollar_affected_trade_share"]
        if (inv < 1 - 1e-9).all():
            assert (worse.severity > fr.severity).all()
            ran["freeze_raises_severity"] += 1

    check()
    print("dollar property checks ran:", dict(ran))
    assert ran["flow_ratio"] >= 35 and ran["strictly_falling"] >= 25 and ran["freeze_raises_severity"] >= 40


# ------------------------------------------------------------ combining frictions ------------------------------


def test_contributions_combine_as_documented():
    # methodology, Frictions, "How contributions combine": tau = sum tau_i, q = prod q_i, Frozen = sum, s = 1 - prod(1 - s_i)
    a = Frictions(np.full((1, 1, 1, 1, 1), 0.02), np.full((1, 1, 1, 1, 1), 0.5), np.array([[10.0]]), np.array([[0.2]]))
    b = Frictions(np.full((1, 2, 1, 1, 1), 0.05), np.full((1, 1, 1, 1, 1), 0.6), np.array([[5.0]]), np.array([[0.5]]))
    c = combine([a, b])
    np.testing.assert_allclose(c.tariff, 0.07)
    assert c.tariff.shape == (1, 2, 1, 1, 1)
    np.testing.assert_allclose(c.quantity_cap, 0.3)
    np.testing.assert_allclose(c.reserves_frozen_usd_bn, 15.0)
    np.testing.assert_allclose(c.severity, 1 - 0.8 * 0.5)  # 0.6: above the largest single severity, below the sum
    with pytest.raises(ValueError):
        combine([])


def test_weighted_tariff_is_the_weighted_sum_in_the_chosen_month():
    tariff = np.arange(2 * 2 * 1 * 1 * 3, dtype=float).reshape(2, 2, 1, 1, 3)  # (n, F, P, G, T)
    weights = np.array([0.25, 0.75]).reshape(2, 1, 1)
    # set 0: flows carry 0,1,2 and 3,4,5 by month; month 2 -> 0.25 * 2 + 0.75 * 5 = 4.25
    np.testing.assert_allclose(weighted_tariff(tariff, weights, 2), [4.25, 0.25 * 8 + 0.75 * 11])
    np.testing.assert_allclose(weighted_tariff(tariff, weights, 0), [2.25, 0.25 * 6 + 0.75 * 9])


def test_the_12_month_frictions_read_month_11_on_the_shortest_horizon(raw):
    # methodology, Engine, headline table: "the same in month 12 (t = 11, February 2023)"; on the registry's
    # shortest horizon (12 months) month 11 is the last one
    case = {**SWIFT_CASE, **DOLLAR_CASE, "gas.horizon_months": 12}
    h = econ.run(econ.load_scenario("baseline").with_overrides(case))
    w = raw["w"]
    swift_12m = 100 * sum(v * swift_tau(SWIFT_CASE, p, g, 11) for (f, p, g), v in w.items())
    dollar_12m = 100 * sum(v * dollar_tau(raw, DOLLAR_CASE, f, g, 11) for (f, p, g), v in w.items())
    assert h.value("swift_friction_12m_pct") == pytest.approx(swift_12m, rel=1e-12)
    assert h.value("dollar_friction_12m_pct") == pytest.approx(dollar_12m, rel=1e-12)


def test_the_friction_tables_are_the_trade_weighted_cells(raw, data):
    # The report tables (swift_friction, dollar_friction): for each flow and partner, the tariff equivalent weighted
    # by that partner's 2021 product mix, in % (methodology, SWIFT and Dollar, "Outputs").
    case = {**SWIFT_CASE, **DOLLAR_CASE}
    res = econ.run(econ.load_scenario("baseline").with_overrides(case))
    w = raw["w"]
    for table, tau in (
        ("swift_friction", lambda f, p, g, t: swift_tau(SWIFT_CASE, p, g, t)),
        ("dollar_friction", lambda f, p, g, t: dollar_tau(raw, DOLLAR_CASE, f, g, t)),
    ):
        df = res.tables[table]
        assert set(df["instrument"]) == {table.split("_")[0]}
        for flow, partner, t in (("exports", "eu", 0), ("imports", "china", 5), ("exports", "india", 12)):
            cells = {g: v for (f, p, g), v in w.items() if f == flow and p == partner}
            want = 100 * sum(v * tau(flow, partner, g, t) for g, v in cells.items()) / sum(cells.values())
            month = _months(res.scenario.params)[t]
            row = df[(df.flow == flow) & (df.partner_group == partner) & (df.month == month)]
            assert len(row) == 1 and row["tariff_equivalent_pct"].iloc[0] == pytest.approx(want, rel=1e-12), table
            assert row["volume_allowed_pct"].iloc[0] == pytest.approx(100.0, rel=1e-12)
    custodians = res.tables["reserves_by_custodian"].set_index("custodian")
    assert custodians.loc[custodians.coalition, "share"].sum() == pytest.approx(0.516, abs=5e-4)
    assert res.modules["swift"].module == "swift" and res.modules["dollar"].module == "dollar"
    # what each module hands on (ModuleResult.outputs) is its own Frictions on the full grid
    for module, own in (("swift", swift.frictions), ("dollar", dollar.frictions)):
        handed = res.modules[module].outputs["frictions"]
        mine = own(res.scenario.params, data)
        np.testing.assert_array_equal(handed.tariff, mine.tariff)
        np.testing.assert_array_equal(handed.severity, mine.severity)
        np.testing.assert_array_equal(handed.reserves_frozen_usd_bn, mine.reserves_frozen_usd_bn)
    assert res.modules["dollar"].outputs["reserves_total_usd_bn"] == pytest.approx(raw["reserves"], rel=1e-12)
