"""Relabelling of counter-banned goods through the EAEU (docs/methodology.md, Trade: relabelling through the EAEU).

Value-level checks of the equations by hand (the weight v = l_R k sum_B w_p c_p, Russia's index Phi, the flows and
the premium's fixed point), the dated path, the decomposition in the tables, properties over the registry's
plausible ranges (a larger relabelled share never lowers Russia's food imports and never raises the coalition's
direct food sales), and the 2014 evidence (Miromanova 2018; Yeliseyeu 2017).
"""

from __future__ import annotations

import numpy as np
import pytest

import econ
from econ import trade
from econ.params import ParamBatch, Params
from econ.sanctions import chips, dollar, exports, swift
from econ.sanctions.frictions import PARTNER_GROUPS, PRODUCT_GROUPS, baseline_trade, coalition_mask
from econ.time import DatedPath, horizon_of

DATA = econ.load_data()
REGISTRY = econ.load_registry()
BASE = econ.load_scenario("baseline").params
FULL = econ.load_scenario("full_package").params
FOOD = PRODUCT_GROUPS.index("food")
EAEU = PARTNER_GROUPS.index("eaeu")
BANNED = np.array([q in trade.COUNTER_BAN_PARTNERS for q in PARTNER_GROUPS])
COAL = coalition_mask()
M0 = (baseline_trade(DATA) / 12)[1]  # (P, G) Russia's 2021 imports, USD bn a month


def evaluate(params: Params | ParamBatch):
    batch = params if isinstance(params, ParamBatch) else ParamBatch.single(params)
    up = {m.__name__.rsplit(".", 1)[-1]: m.evaluate(batch, DATA) for m in (swift, dollar, chips, exports)}
    return trade.evaluate(batch, DATA, up, detail=True)


def _constant_eps(params: Params, eps: float) -> Params:
    return params.with_values(
        {
            "trade.elasticity_short_run": eps,
            "trade.elasticity_long_run": eps,
            "trade.elasticity_long_run_commodities": eps,
        }
    )


def test_relabelled_weight_by_hand():
    """v = l_R k sum_(p in B) w_p c_p (methodology, Trade: relabelling through the EAEU)."""
    share, allowed = np.array([[0.2, 0.5]]), np.array([[0.6, 0.0]])  # coverage k = 0.4, then 1
    w_b, cap = np.array([0.3, 0.1]), np.array([[[1.0, 1.0], [0.5, 0.5]]])
    expected = share * (1 - allowed) * (0.3 * 1.0 + 0.1 * 0.5)
    np.testing.assert_allclose(trade.relabelled_weight(share, allowed, w_b, cap), expected)
    assert trade.relabelled_weight(share, allowed, w_b, cap)[0, 1] == pytest.approx(0.5 * 1 * 0.35)


def test_relabelling_by_hand_at_a_constant_premium():
    """With no coalition friction (c = 1, tau = 1, nothing reroutable), a constant elasticity and a premium that does
    not rise with volume (k = 0): Phi = 1 - s_M + s_M [(1 - k W_B) + l_R k W_B (1 + pi0)^(-eps)], banned partners'
    food M0 (1 - k) / Phi, the others' M0 / Phi, relabelled goods M0_food l_R k W_B (1 + pi0)^(-eps) / Phi through the
    EAEU, valued at (1 + pi0) (methodology, Trade: relabelling through the EAEU)."""
    k, share, eps, pi0 = 0.4, 0.25, 2.0, 0.2
    params = _constant_eps(BASE, eps).with_values(
        {
            "trade.counter_ban_food_coverage": k,
            "trade.counter_ban_relabelled_share": share,
            "trade.parallel_premium_volume_slope": 0.0,
            "trade.parallel_import_premium_pct": 100 * pi0,
        }
    )
    ev = evaluate(params)
    m0 = M0[:, FOOD]
    w_b = m0[BANNED].sum() / m0.sum()
    s_m = params.float("trade.import_share_of_absorption")
    u = (1 + pi0) ** (-eps)
    phi = 1 - s_m + s_m * ((1 - k * w_b) + share * k * w_b * u)
    direct = ev.outputs["imports_direct"][0][:, FOOD]  # (P, T)
    np.testing.assert_allclose(direct[BANNED], (m0[BANNED] * (1 - k) / phi)[:, None] * np.ones(13), rtol=1e-12)
    np.testing.assert_allclose(direct[~BANNED], (m0[~BANNED] / phi)[:, None] * np.ones(13), rtol=1e-12)
    relabelled = m0.sum() * share * k * w_b * u / phi
    grid = ev.outputs["imports_relabelled"][0]
    np.testing.assert_allclose(grid[EAEU, FOOD], relabelled, rtol=1e-12)
    assert np.all(np.delete(grid, EAEU, axis=0) == 0) and np.all(np.delete(grid, FOOD, axis=1) == 0)
    np.testing.assert_allclose(ev.outputs["imports_relabelled_usd_bn"][0], relabelled, rtol=1e-12)
    # the EAEU's food sales to Russia: its own direct sales plus the relabelled goods at (1 + pi0)
    by_pp = ev.outputs["imports_by_partner_product"][0]
    np.testing.assert_allclose(by_pp[EAEU, FOOD], m0[EAEU] / phi + relabelled * (1 + pi0), rtol=1e-12)
    assert np.all(ev.outputs["imports_parallel"] == 0)  # nothing blocked by the coalition: no hub reroutes
    np.testing.assert_allclose(ev.outputs["parallel_premium"][0][FOOD], pi0, rtol=1e-14)


def test_relabelled_goods_raise_the_premium_as_parallel_imports_do():
    """With k > 0 the premium is the fixed point pi = pi0 (1 + k_pi R / H), R the relabelled volume and H the hubs'
    2021 food sales to Russia (methodology, Trade: Russia's imports): checked by hand on the model's own output."""
    params = _constant_eps(BASE, 2.0).with_values(
        {"trade.counter_ban_food_coverage": 1.0, "trade.counter_ban_relabelled_share": 0.3}
    )
    ev = evaluate(params)
    pi = ev.outputs["parallel_premium"][0][FOOD]
    pi0 = params.float("trade.parallel_import_premium_pct") / 100
    slope = params.float("trade.parallel_premium_volume_slope")
    hubs = np.array([q in trade.HUBS for q in PARTNER_GROUPS])
    r = ev.outputs["imports_relabelled_usd_bn"][0]
    np.testing.assert_allclose(pi, pi0 * (1 + slope * r / M0[hubs, FOOD].sum()), rtol=1e-10)
    assert np.all(pi > pi0)


def test_no_relabelling_without_a_counter_ban_and_none_at_a_zero_share():
    """The channel acts only on goods Russia bans: with coverage 0 the share changes nothing (every preset), and a
    zero share gives the counter-ban of realside4 exactly."""
    on = evaluate(BASE.with_values({"trade.counter_ban_relabelled_share": 0.3}))
    off = evaluate(BASE.with_values({"trade.counter_ban_relabelled_share": 0.0}))
    for key in ("imports_pre_fx_usd_bn", "imports_volume_pre_fx_usd_bn", "import_price_index"):
        np.testing.assert_array_equal(on.outputs[key], off.outputs[key])
    assert np.all(on.outputs["imports_relabelled_usd_bn"] == 0)
    ban = BASE.with_values({"trade.counter_ban_food_coverage": 0.4, "trade.counter_ban_relabelled_share": 0.0})
    assert np.all(evaluate(ban).outputs["imports_relabelled_usd_bn"] == 0)


def test_relabelled_share_follows_its_dated_path():
    path = DatedPath(0.0, (("2022-06", 0.1), ("2022-10", 0.3)))
    params = BASE.with_values({"trade.counter_ban_food_coverage": 1.0, "trade.counter_ban_relabelled_share": path})
    labels, _ = horizon_of(params)
    r = evaluate(params).outputs["imports_relabelled_usd_bn"][0]
    june, october = labels.index("2022-06"), labels.index("2022-10")
    assert np.all(r[:june] == 0)
    assert np.all(r[june:october] > 0) and np.all(r[october:] > r[june])


def test_relabelling_under_coalition_caps_counts_only_what_the_coalition_lets_out():
    """Under full_package (coalition bans, exits and payment frictions on food too) the relabelled weight uses the
    coalition's own cap c_p of each banned partner: relabelled goods cannot exceed what the coalition still sells."""
    params = FULL.with_values({"trade.counter_ban_food_coverage": 1.0, "trade.counter_ban_relabelled_share": 1.0})
    batch = ParamBatch.single(params)
    ev = evaluate(batch)
    up = {m.__name__.rsplit(".", 1)[-1]: m.evaluate(batch, DATA) for m in (swift, dollar, chips, exports)}
    grid = (1, 2, len(PARTNER_GROUPS), len(PRODUCT_GROUPS), 13)
    cap = np.broadcast_to(trade.combined_frictions(up, 1).quantity_cap, grid)[0, 1, :, FOOD]  # (P, T)
    assert np.any(cap[BANNED] < 1)  # the coalition's own frictions reach food: the case bites
    # relabelled = M0_food v u / Phi with v = l_R k sum_B w_p c_p (l_R = k = 1 here), u = (1 + pi)^(-eps), and Phi
    # read back from Russia's food price index (index = Phi^(-1/eps))
    w = M0[:, FOOD] / M0[:, FOOD].sum()
    v = (w[BANNED, None] * cap[BANNED]).sum(axis=0)
    eps = ev.outputs["elasticity"][0][FOOD]
    u = (1 + ev.outputs["parallel_premium"][0][FOOD]) ** (-eps)
    phi = ev.outputs["import_price_index"][0][FOOD] ** (-eps)
    r = ev.outputs["imports_relabelled_usd_bn"][0]
    np.testing.assert_allclose(r, M0[:, FOOD].sum() * v * u / phi, rtol=1e-10)
    # and without the coalition's caps (the baseline) the same share relabels more
    free = evaluate(
        BASE.with_values({"trade.counter_ban_food_coverage": 1.0, "trade.counter_ban_relabelled_share": 1.0})
    )
    assert np.all(free.outputs["imports_relabelled_usd_bn"][0] > r)


# --- properties over the registry's plausible ranges ----------------------------------------------------------

N = 300


def _food(params: Params, cols: dict[str, np.ndarray]):
    ev = evaluate(ParamBatch(params, cols))
    out = ev.outputs
    direct = out["imports_direct"][:, :, FOOD]  # (n, P, T)
    volume = (
        direct.sum(axis=1)
        + out["imports_parallel"][:, :, FOOD].sum(axis=1)
        + out["imports_relabelled"][:, :, FOOD].sum(axis=1)
    )
    value = out["imports_by_partner_product"][:, :, FOOD].sum(axis=1)
    return volume, value, direct[:, COAL].sum(axis=1), out["imports_relabelled"][:, EAEU, FOOD]


@pytest.mark.parametrize("scenario", ["baseline", "full_package"])
def test_a_larger_relabelled_share_never_lowers_russias_food_imports_nor_raises_direct_coalition_sales(scenario):
    """Draws over the plausible range of every trade parameter, the counter-ban's coverage in [0.05, 1] (the
    property bites only when Russia bans something) and two relabelled shares a < b in the registry's plausible
    range, each at least 5 % of it apart: Russia's food imports (volume: direct, through the hubs and relabelled;
    value, premium included) never fall from a to b, and the coalition's direct food sales to Russia never rise.
    Counted: the draws where the relabelled volume rises (all of them) and where the direct coalition sales fall."""
    params = econ.load_scenario(scenario).params
    rng = np.random.default_rng(2014)
    names = [s.name for s in REGISTRY if s.module == "trade" and s.type == "float" and s.low != s.high]
    cols = {k: rng.uniform(float(REGISTRY[k].low), float(REGISTRY[k].high), N) for k in names}
    cols["trade.counter_ban_food_coverage"] = rng.uniform(0.05, 1.0, N)
    spec = REGISTRY["trade.counter_ban_relabelled_share"]
    lo, hi = float(spec.low), float(spec.high)
    a = rng.uniform(lo, hi - 0.05 * (hi - lo), N)
    b = a + rng.uniform(0.05, 1.0, N) * (hi - a)
    vol_a, val_a, coal_a, rel_a = _food(params, {**cols, "trade.counter_ban_relabelled_share": a})
    vol_b, val_b, coal_b, rel_b = _food(params, {**cols, "trade.counter_ban_relabelled_share": b})
    assert np.all(vol_b >= vol_a * (1 - 1e-12))
    assert np.all(val_b >= val_a * (1 - 1e-12))
    assert np.all(coal_b <= coal_a * (1 + 1e-12))
    bites = np.all(rel_b > rel_a, axis=1)
    assert bites.sum() == N
    assert (np.any(coal_b < coal_a * (1 - 1e-9), axis=1)).sum() == N


# --- the 2014 evidence ---------------------------------------------------------------------------------------


def test_2014_food_ban_with_relabelling_against_miromanova_and_yeliseyeu():
    """episode_2014 with the food ban's 2014 coverage (0.4, DG AGRI; validation d2c) and the registry's relabelled
    share (0.05, calibrated on Belarus' 2015 share gain, d2d; Yeliseyeu 2017's USD 2.7 bn through Belarus in
    three years, 'up to', is the upper end 0.15). Miromanova (2018, abstract):
    imports of the banned goods from the sanctioning countries fell by more than 80 % and those from non-sanctioning
    countries (Belarus included) rose by about 40 %. The model: the covered goods' direct imports stop (a cap: more
    than 80 %), relabelled goods count as EAEU sales, and the non-sanctioning partners' food sales rise more with
    relabelling than without; the relabelled flow a year (pre-FX, at the premium) is of the order of Yeliseyeu's
    USD 0.9 bn a year (tolerance: within a factor of 3 either way, since the 2021 food flows stand in for 2013's and
    the share was set from that figure against the EU's banned flow only)."""
    sc = econ.load_scenario("episode_2014").with_overrides({"trade.counter_ban_food_coverage": 0.4})
    with_r = econ.run(sc)
    without = econ.run(sc.with_overrides({"trade.counter_ban_relabelled_share": 0.0}))

    def others_food(res) -> float:
        flows = res.modules["trade"].tables["trade_flows"]
        months = sorted(flows["month"].unique())[:12]
        f = flows[(flows["flow"] == "imports") & (flows["product_group"] == "food") & flows["month"].isin(months)]
        f = f[~f["partner_group"].isin(trade.COUNTER_BAN_PARTNERS)]
        return float(f["value_usd_bn"].sum() / f["baseline_usd_bn"].sum() - 1)

    assert others_food(with_r) > others_food(without) > 0
    monthly = with_r.modules["trade"].tables["trade_monthly"]
    per_year = float(monthly["imports_relabelled_usd_bn"].iloc[:12].sum())
    assert 0.9 / 3 < per_year < 0.9 * 3
