"""The trade model in general equilibrium (docs/methodology.md, Trade): hand calculations of its equations,
the clearing of Russia's export price, capacity, the welfare accounts and the responses that must hold.

Batches of parameter sets go through the instrument modules and trade.evaluate directly (no gas model: Russian
gas to the EU keeps its 2021 volume), so that many sets are checked at once.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import econ
from econ import trade
from econ.params import ParamBatch, Params
from econ.sanctions import chips, dollar, exports, swift
from econ.sanctions.frictions import FLOWS, PARTNER_GROUPS, PRODUCT_GROUPS, baseline_trade, coalition_mask
from econ.time import horizon_of

REGISTRY = econ.load_registry()
DATA = econ.load_data()
FULL = econ.load_scenario("full_package").params
BASE = econ.load_scenario("baseline").params
SETTINGS = settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


def evaluate(params: Params, columns: dict | None = None, detail: bool = False):
    batch = ParamBatch(params, columns or {}, None if columns else 1)
    up = {m.__name__.rsplit(".", 1)[-1]: m.evaluate(batch, DATA) for m in (swift, dollar, chips, exports)}
    return batch, trade.evaluate(batch, DATA, up, detail=detail)


def test_no_frictions_leave_every_flow_at_2021():
    _, ev = evaluate(BASE, detail=True)
    base = baseline_trade(DATA) / 12
    out = ev.outputs
    np.testing.assert_allclose(out["exports_volume_by_partner_product"][0], base[0][..., None] * np.ones(13))
    np.testing.assert_allclose(out["imports_direct"][0], base[1][..., None] * np.ones(13))
    np.testing.assert_allclose(out["export_price_relative"], 1.0)
    for key, series in out["welfare"].items():
        np.testing.assert_allclose(series, 0.0, atol=1e-12, err_msg=key)


def test_elasticity_path_follows_the_cited_timing():
    """Methodology, elasticity path: eps(0) = eps_SR for manufactures; 95% of the way after 3 m (9 years at 36)."""
    labels, _ = horizon_of(FULL)
    t = np.array([0.0, 12.0, 108.0])
    batch = ParamBatch.single(FULL)
    eps = trade.elasticity_path(batch, t)[0]
    g = PRODUCT_GROUPS.index("machinery_electronics")
    sr, lr, m = (
        FULL.float(k)
        for k in ("trade.elasticity_short_run", "trade.elasticity_long_run", "trade.elasticity_adjustment_months")
    )
    assert eps[g, 0] == pytest.approx(sr)
    assert eps[g, 1] == pytest.approx(sr + (lr - sr) * (1 - np.exp(-12 / m)))
    assert (eps[g, 2] - sr) / (lr - sr) == pytest.approx(1 - np.exp(-3), abs=1e-12)  # 95% after 108 months
    oil = PRODUCT_GROUPS.index("oil")
    assert eps[oil, 0] == pytest.approx(FULL.float("trade.elasticity_long_run_commodities") * sr / lr)


def test_export_price_clears_russias_market():
    """Methodology, exports: sum_p min(X0 c tau^-eps P^(-eps-1), K) = V0 P^eta, solved to 1e-9 in logs."""
    batch, ev = evaluate(FULL, detail=True)
    res = ev.outputs["clearing_residual"]
    gas = PRODUCT_GROUPS.index("gas")
    assert np.max(np.abs(np.delete(res, gas, axis=1))) < 1e-9
    # by hand for one product and month: recompute the clearing equation from the frictions
    fr = ev.outputs["frictions"]
    g, t = PRODUCT_GROUPS.index("metals"), 5
    base = baseline_trade(DATA) / 12
    eps = ev.outputs["elasticity"][0, g, t]
    price = ev.outputs["export_price_relative"][0, g, t]
    tau = 1 + np.broadcast_to(fr.tariff[0, 0, :, g], (11, 13))[:, t]
    cap = np.broadcast_to(fr.quantity_cap[0, 0, :, g], (11, 13))[:, t]
    kappa = 1 + FULL.float("trade.partner_capacity_headroom") * (
        1 - np.exp(-(t + 1) / FULL.float("trade.capacity_months"))
    )
    demand = np.minimum(base[0, :, g] * cap * tau**-eps * price ** (-eps - 1), base[0, :, g] * kappa)
    eta = FULL.float("trade.export_supply_elasticity")
    assert demand.sum() == pytest.approx(base[0, :, g].sum() * price**eta, rel=1e-9)
    assert price < 1  # the frictions and exits lower demand at p = 1: a discount


def test_import_price_index_by_hand():
    """Methodology, imports: Phi = (1 - s_M) + s_M sum_p w_p [c tau^-eps + b l (1 + pi)^-eps]; m_p = M0 c tau^-eps / Phi."""
    _, ev = evaluate(FULL, detail=True)
    out, fr = ev.outputs, ev.outputs["frictions"]
    g, t = PRODUCT_GROUPS.index("machinery_electronics"), 7
    m0 = (baseline_trade(DATA) / 12)[1, :, g]
    eps = out["elasticity"][0, g, t]
    cap = np.broadcast_to(fr.quantity_cap[0, 1, :, g], (11, 13))[:, t]
    tau = 1 + np.broadcast_to(fr.tariff[0, 1, :, g], (11, 13))[:, t]
    b = 1 - np.broadcast_to(fr.reroutable_cap[0, 1, :, g], (11, 13))[:, t]
    ell = FULL.float("trade.parallel_import_share")
    pi = out["parallel_premium"][0, g, t]
    s_m = FULL.float("trade.import_share_of_absorption")
    w = m0 / m0.sum()
    phi = (1 - s_m) + s_m * (w * (cap * tau**-eps + b * ell * (1 + pi) ** -eps)).sum()
    assert out["import_price_index"][0, g, t] == pytest.approx(phi ** (-1 / eps))
    coal = coalition_mask()
    np.testing.assert_allclose(out["imports_direct"][0, coal, g, t], (m0 * cap * tau**-eps / phi)[coal])
    # the premium's fixed point holds to within a small fraction of the premium
    hubs = [PARTNER_GROUPS.index(h) for h in trade.HUBS]
    rerouted = (m0 * b * ell).sum() * (1 + pi) ** -eps / phi
    pi0, k = FULL.float("trade.parallel_import_premium_pct") / 100, FULL.float("trade.parallel_premium_volume_slope")
    assert pi == pytest.approx(pi0 * (1 + k * rerouted / m0[hubs].sum()), rel=1e-10)  # solved to PREMIUM_TOL


def test_full_package_cuts_coalition_imports_more_than_total_imports():
    res = econ.run("full_package")
    coal = res.value("russia_imports_from_coalition_change_pct")
    total_pre = res.value("russia_imports_pre_fx_change_pct")
    total = res.value("russia_imports_change_pct")
    assert coal < total_pre < 0 and total < 0
    assert coal < total
    assert res.value("russia_imports_from_china_change_pct") > 0  # substitution and parallel imports
    assert 0 < res.value("russia_exports_diverted_share_pct") <= 100


def test_welfare_adds_up_to_the_world_total():
    res = econ.run("full_package")
    table = res.tables["trade_welfare"]
    _, ev = evaluate(FULL, detail=True)
    channels = trade.welfare_by_channel(ev.outputs["welfare"])
    assert table["welfare_change_usd_bn"].sum() == pytest.approx(sum(channels.values()), rel=1e-9)
    assert set(table["region"]) == set(trade.REGIONS)
    ru = table.set_index("region").loc["russia", "welfare_change_usd_bn"]
    eu = table.set_index("region").loc["eu", "welfare_change_usd_bn"]
    assert ru < eu < 0  # the target loses most; the coalition loses too
    assert table.set_index("region").loc["china", "welfare_change_usd_bn"] > 0  # cheaper Russian goods, more sales


def _draws(n: int, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    names = [s.name for s in REGISTRY if s.module in ("trade", "exports") and s.type == "float" and s.low != s.high]
    return {k: rng.uniform(float(REGISTRY[k].low), float(REGISTRY[k].high), n) for k in names}


def test_diversion_never_exceeds_partners_capacity():
    cols = _draws(200)
    batch, ev = evaluate(FULL, cols, detail=True)
    _, t = horizon_of(FULL)
    kappa = trade.capacity_multiple(batch, t)  # (n, T)
    base = baseline_trade(DATA) / 12
    sold = ev.outputs["exports_volume_by_partner_product"]
    assert np.all(sold <= base[0][None, ..., None] * kappa[:, None, None, :] * (1 + 1e-9) + 1e-12)
    direct = ev.outputs["imports_direct"][:, ~coalition_mask()]
    assert np.all(direct <= base[1][None, ~coalition_mask(), :, None] * kappa[:, None, None, :] * (1 + 1e-9) + 1e-12)
    res = ev.outputs["clearing_residual"]
    assert np.max(np.abs(np.delete(res, PRODUCT_GROUPS.index("gas"), axis=1))) < 1e-8


def _coalition_imports(params: Params) -> float:
    _, ev = evaluate(params)
    return float(ev.metrics["russia_imports_from_coalition_change_pct"][0])


@pytest.mark.parametrize(
    "name",
    [
        "exports.ban_coverage_machinery",
        "exports.ban_coverage_transport",
        "exports.ban_coverage_other",
        "exports.firm_exit_share",
        "exports.logistics_cost_coalition_pct",
        "chips.controls_coverage",
    ],
)
@SETTINGS
@given(frac=st.floats(0.05, 1.0), base=st.floats(0.0, 0.9))
def test_wider_bans_more_exits_never_raise_imports_from_the_coalition(name, frac, base):
    spec = REGISTRY[name]
    lo, hi = float(spec.low), float(spec.high)
    a = FULL.with_values({name: lo + base * (hi - lo)})
    b = FULL.with_values({name: lo + (base + frac * (1 - base)) * (hi - lo)})
    assert _coalition_imports(b) <= _coalition_imports(a) + 1e-9


@SETTINGS
@given(frac=st.floats(0.05, 1.0))
def test_less_parallel_import_never_raises_total_imports(frac):
    a = FULL.with_values({"trade.parallel_import_share": 0.6})
    b = FULL.with_values({"trade.parallel_import_share": 0.6 * (1 - frac)})
    _, ea = evaluate(a)
    _, eb = evaluate(b)
    assert eb.metrics["russia_imports_pre_fx_change_pct"][0] <= ea.metrics["russia_imports_pre_fx_change_pct"][0] + 1e-9


def test_more_elastic_supply_means_a_smaller_discount():
    """The discount comes from clearing: a more elastic export supply cuts volume instead of price."""
    low = FULL.with_values({"trade.export_supply_elasticity": 0.1})
    high = FULL.with_values({"trade.export_supply_elasticity": 1.0})
    d_low = evaluate(low)[1].metrics["russia_export_discount_pct"][0]
    d_high = evaluate(high)[1].metrics["russia_export_discount_pct"][0]
    assert d_high < d_low
    v_low = evaluate(low)[1].metrics["russia_exports_volume_change_pct"][0]
    v_high = evaluate(high)[1].metrics["russia_exports_volume_change_pct"][0]
    assert v_high < v_low


def test_oil_embargo_diverts_within_capacity_at_a_discount():
    emb = FULL.with_values({"trade.oil_embargo_share": 0.9})
    _, ev = evaluate(emb, detail=True)
    oil = PRODUCT_GROUPS.index("oil")
    price = ev.outputs["export_price_relative"][0, oil]
    assert np.all(price < 0.95)  # a deep discount
    sold = ev.outputs["exports_volume_by_partner_product"][0][:, oil]
    base = (baseline_trade(DATA) / 12)[0][:, oil]
    china = PARTNER_GROUPS.index("china")
    assert np.all(sold[china] > base[china])  # China buys more
    assert ev.metrics["russia_exports_diverted_share_pct"][0] > 0
    assert FLOWS == ("exports", "imports")


# --- the solvers (benchmarks/RESULTS.md, 2026-11-30 russia2): same answers as slow reference methods ----------


def _bisect_export_price(demand0, capacity, supply0, eps, eta, steps=200):
    """Reference: plain bisection of the clearing equation on [LOG_PRICE_FLOOR, 0], 200 halvings."""
    lo = np.full(eps.shape, trade.LOG_PRICE_FLOOR)
    hi = np.zeros(eps.shape)
    log_s = np.log(supply0)[None, :, None]
    for _ in range(steps):
        mid = 0.5 * (lo + hi)
        total = np.minimum(demand0 * np.exp(-(eps + 1) * mid)[:, None], capacity).sum(axis=1)
        with np.errstate(divide="ignore"):  # a cell nobody buys: f = -inf, the root is the floor
            f = np.log(total) - log_s - eta[:, None, None] * mid
        lo, hi = np.where(f > 0, mid, lo), np.where(f > 0, hi, mid)
    return 0.5 * (lo + hi)


def _random_clearing(n: int, seed: int, headroom: float):
    rng = np.random.default_rng(seed)
    x0 = rng.uniform(0.1, 5.0, (6, 4))  # 6 partners, 4 products
    caps = rng.uniform(0.0, 1.0, (n, 6, 4, 3)) * (rng.uniform(size=(n, 6, 4, 3)) > 0.3)
    demand0 = x0[None, ..., None] * caps * rng.uniform(0.7, 1.0, caps.shape)
    capacity = x0[None, ..., None] * (1 + headroom * rng.uniform(size=(n, 1, 1, 3)))
    eps = rng.uniform(0.5, 8.0, (n, 4, 3))
    eta = rng.uniform(0.01, 1.0, n)
    return demand0, capacity, x0.sum(axis=0), eps, eta


@pytest.mark.parametrize("headroom", [0.02, 0.3, 5.0])  # capacity binding often, sometimes, never
def test_export_clearing_matches_bisection(headroom):
    """The Newton solve (start at the uncapped closed form, per-cell stop) lands on the bisection's root."""
    demand0, capacity, supply0, eps, eta = _random_clearing(300, 1, headroom)
    y, sold, resid = trade.solve_export_prices(demand0, capacity, supply0, eps, eta)
    ref = _bisect_export_price(demand0, capacity, supply0, eps, eta)
    np.testing.assert_allclose(y, ref, atol=1e-10)
    inside = y > trade.LOG_PRICE_FLOOR + 1e-9
    assert np.max(np.abs(resid[inside])) < trade.CLEARING_TOL
    np.testing.assert_allclose(sold, np.minimum(demand0 * np.exp(-(eps + 1) * y)[:, None], capacity), rtol=1e-14)
    if headroom == 0.02:
        assert np.mean(np.any(sold >= capacity * (1 - 1e-12), axis=1)) > 0.3  # the Newton branch is exercised


def test_export_clearing_without_capacity_is_the_closed_form():
    """No partner at capacity: y = ln(sum_p X0 c tau^-eps / V0) / (eps + 1 + eta) exactly (the solver's start)."""
    demand0, capacity, supply0, eps, eta = _random_clearing(50, 2, 1e6)
    y, _, _ = trade.solve_export_prices(demand0, capacity, supply0, eps, eta)
    with np.errstate(divide="ignore"):  # a cell nobody buys: -inf, clipped to the floor below
        closed = np.log(demand0.sum(axis=1) / supply0[None, :, None]) / (eps + 1 + eta[:, None, None])
    np.testing.assert_allclose(y, np.clip(closed, trade.LOG_PRICE_FLOOR, 0.0), atol=1e-14)


def test_parallel_premium_is_the_damped_iterations_limit():
    """The Newton fixed point equals the old damped iteration pi <- (pi + pi0 (1 + k R(pi) / H)) / 2 run to
    convergence (400 steps), and satisfies pi = pi0 (1 + k R(pi) / H) by hand."""
    rng = np.random.default_rng(3)
    shape = (200, 3, 5)
    pi0 = rng.uniform(0.0, 0.6, (200, 1, 1))
    k = rng.uniform(0.0, 3.0, (200, 1, 1))
    s_m = rng.uniform(0.05, 0.6, (200, 1, 1))
    m0_g, h_g = np.array([5.0, 2.0, 0.0]), np.array([1.0, 3.0, 0.0])
    direct_w = rng.uniform(0.0, 1.0, shape)
    bw = rng.uniform(0.0, 1.0, shape) * (h_g > 0)[None, :, None]
    eps = rng.uniform(0.3, 8.0, shape)
    a = 1 - s_m + s_m * direct_w
    pi = trade.solve_parallel_premium(pi0, k, m0_g, h_g, a, bw, s_m, eps)
    h_safe = np.where(h_g > 0, h_g, 1.0)[None, :, None]

    def rerouted(x):
        u = (1 + x) ** -eps
        return m0_g[None, :, None] * bw * u / (a + s_m * bw * u)

    np.testing.assert_allclose(pi, pi0 * (1 + k * rerouted(pi) / h_safe), rtol=1e-11)
    ref = np.broadcast_to(pi0, shape).copy()
    for _ in range(400):
        ref = 0.5 * ref + 0.5 * pi0 * (1 + k * rerouted(ref) / h_safe)
    np.testing.assert_allclose(pi, ref, rtol=1e-10)
    assert np.all(pi[:, 2] == np.broadcast_to(pi0, shape)[:, 2])  # no hub sales: the base premium


def test_trade_results_unchanged_by_the_faster_solvers():
    """Over 300 drawn parameter sets, trade.evaluate's headlines equal a slow reference computation: bisection
    for the export price and the damped premium iteration run to convergence (the GE tolerance: 1e-9 in logs)."""
    cols = _draws(300, seed=5)
    batch, ev = evaluate(FULL, cols, detail=True)
    fr = ev.outputs["frictions"]
    labels, t = horizon_of(FULL)
    eps = trade.elasticity_path(batch, t)
    base = baseline_trade(DATA) / 12
    x0 = base[0]
    grid = (batch.n, 11, len(PRODUCT_GROUPS), len(labels))
    tau = 1 + np.broadcast_to(fr.tariff[:, 0], grid)
    cap = np.array(np.broadcast_to(fr.quantity_cap[:, 0], grid))
    cap[:, coalition_mask(), PRODUCT_GROUPS.index("oil")] *= (1 - batch.path("trade.oil_embargo_share", labels))[
        :, None
    ]
    demand0 = x0[None, ..., None] * cap * tau ** -eps[:, None]
    capacity = x0[None, ..., None] * trade.capacity_multiple(batch, t)[:, None, None, :]
    ref_y = _bisect_export_price(demand0, capacity, x0.sum(axis=0), eps, batch.float("trade.export_supply_elasticity"))
    got = np.log(ev.outputs["export_price_relative"])
    non_gas = [g != "gas" for g in PRODUCT_GROUPS]
    np.testing.assert_allclose(got[:, non_gas], ref_y[:, non_gas], atol=1e-9)
    # the premium: the damped iteration to convergence reproduces the import price index
    m0 = base[1]
    w = np.divide(m0, m0.sum(axis=0), out=np.zeros_like(m0), where=m0.sum(axis=0) > 0)
    direct = (
        np.broadcast_to(fr.quantity_cap[:, 1], grid) * (1 + np.broadcast_to(fr.tariff[:, 1], grid)) ** -eps[:, None]
    )
    banned = np.array([q in trade.COUNTER_BAN_PARTNERS for q in PARTNER_GROUPS])  # Russia's own food ban
    direct = np.array(direct)
    direct[:, banned, PRODUCT_GROUPS.index("food")] *= (
        1 - batch.path("trade.counter_ban_food_coverage", labels)[:, None, :]
    )
    hubs = np.array([q in trade.HUBS for q in PARTNER_GROUPS])
    h = m0[hubs].sum(axis=0)[None, :, None]
    h = np.where(h > 0, h, 1.0)  # no hub sales: nothing is rerouted (blocked_w = 0 below)
    s_m = batch.float("trade.import_share_of_absorption")[:, None, None]
    blocked_w = (w[None, ..., None] * (1 - np.broadcast_to(fr.reroutable_cap[:, 1], grid))).sum(axis=1)
    blocked_w = blocked_w * batch.path("trade.parallel_import_share", labels)[:, None, :]
    direct_w = (w[None, ..., None] * direct).sum(axis=1)
    # counter-banned food relabelled through the EAEU: l_R k sum_B w_p c_p joins the rerouted weight
    food = PRODUCT_GROUPS.index("food")
    coverage = batch.path("trade.counter_ban_food_coverage", labels)
    cap_food = np.broadcast_to(fr.quantity_cap[:, 1], grid)[:, banned, food]
    blocked_w = blocked_w.copy()
    blocked_w[:, food] += (
        batch.path("trade.counter_ban_relabelled_share", labels)
        * coverage
        * (w[banned, food][None, :, None] * cap_food).sum(axis=1)
    )
    pi0 = batch.float("trade.parallel_import_premium_pct")[:, None, None] / 100
    k = batch.float("trade.parallel_premium_volume_slope")[:, None, None]
    pi = np.broadcast_to(pi0, blocked_w.shape).copy()
    for _ in range(400):
        phi = 1 - s_m + s_m * (direct_w + blocked_w * (1 + pi) ** -eps)
        pi = 0.5 * pi + 0.5 * pi0 * (1 + k * m0.sum(axis=0)[None, :, None] * blocked_w * (1 + pi) ** -eps / phi / h)
    phi = 1 - s_m + s_m * (direct_w + blocked_w * (1 + pi) ** -eps)
    np.testing.assert_allclose(ev.outputs["parallel_premium"], pi, rtol=1e-9)
    imported = m0.sum(axis=0) > 0  # Russia imports no gas: its price index stays 1
    np.testing.assert_allclose(
        ev.outputs["import_price_index"][:, imported], (phi ** (-1 / eps))[:, imported], rtol=1e-9
    )


def test_combine_folds_frictions_like_the_plain_sum_and_product():
    """frictions.combine: tariffs add, caps multiply, over arrays that broadcast to the grid; single values equal to
    the identity are skipped, any other single value is applied (a halved cap must halve the combined cap)."""
    from econ.sanctions.frictions import Frictions, combine

    rng = np.random.default_rng(7)
    shapes = [(4, 1, 11, 9, 13), (4, 2, 1, 9, 13), (4, 1, 1, 1, 1), (4, 1, 11, 1, 13)]
    tariffs = [rng.uniform(0, 0.3, s) for s in shapes]
    caps = [rng.uniform(0.2, 1.0, s) for s in shapes]
    zeros = np.zeros((4, 1))
    parts = [Frictions(t, c, zeros, zeros) for t, c in zip(tariffs, caps)]
    fr = combine(parts + [Frictions(np.zeros((1, 1, 1, 1, 1)), np.ones((1, 1, 1, 1, 1)), zeros, zeros)])
    np.testing.assert_allclose(fr.tariff, sum(np.broadcast_to(t, (4, 2, 11, 9, 13)) for t in tariffs), rtol=1e-14)
    np.testing.assert_allclose(fr.quantity_cap, np.prod(np.broadcast_arrays(*caps), axis=0), rtol=1e-14)
    assert fr.tariff.flags["C_CONTIGUOUS"] and fr.tariff.shape == (4, 2, 11, 9, 13)
    half = combine(parts + [Frictions(np.full((1, 1, 1, 1, 1), 0.1), np.full((1, 1, 1, 1, 1), 0.5), zeros, zeros)])
    np.testing.assert_allclose(half.quantity_cap, 0.5 * fr.quantity_cap, rtol=1e-14)
    np.testing.assert_allclose(half.tariff, fr.tariff + 0.1, rtol=1e-14)


def test_combine_skips_per_draw_identities_and_keeps_a_lone_full_array_read_only():
    """An instrument that is off passes one zero tariff and one unit cap per draw: combine leaves them out (same
    values as the plain sum and product); one partly-zero per-draw array is still applied; a lone full-grid array
    comes back as a read-only view of the same values (no copy)."""
    from econ.sanctions.frictions import Frictions, combine

    rng = np.random.default_rng(3)
    grid = (50, 2, 11, 9, 13)
    full_t, full_c = rng.uniform(0, 0.3, grid), rng.uniform(0.2, 1.0, grid)
    zeros = np.zeros((50, 1))
    off = Frictions(np.zeros((50, 1, 1, 1, 1)), np.ones((50, 1, 1, 1, 1)), zeros, zeros)
    on = Frictions(full_t, full_c, zeros, zeros)
    fr = combine([on, off])
    np.testing.assert_array_equal(fr.tariff, full_t)
    np.testing.assert_array_equal(fr.quantity_cap, full_c)
    assert not fr.tariff.flags.writeable and np.shares_memory(fr.tariff, full_t)
    some = np.zeros((50, 1, 1, 1, 1))
    some[7] = 0.2  # one draw has the instrument on: applied to every draw's grid
    half = np.ones((50, 1, 1, 1, 1))
    half[9] = 0.5
    fr2 = combine([on, Frictions(some, half, zeros, zeros)])
    np.testing.assert_allclose(fr2.tariff, full_t + some, rtol=1e-15)
    np.testing.assert_allclose(fr2.quantity_cap, full_c * half, rtol=1e-15)
    assert fr2.tariff[7].min() >= 0.2 and np.allclose(fr2.quantity_cap[9], 0.5 * full_c[9])
    none = combine([off, off])
    np.testing.assert_array_equal(none.tariff, 0.0)
    np.testing.assert_array_equal(none.quantity_cap, 1.0)
    assert none.tariff.shape == (50, 1, 1, 1, 1)
