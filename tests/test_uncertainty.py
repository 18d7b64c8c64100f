"""Monte Carlo and tornado: analytic checks, reproducibility, every parameter at its bounds."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import econ
from econ.engine import run_params
from econ.errors import ParameterError
from econ.params import ParamBatch, Params
from econ.uncertainty import draw, evaluate_draws, ppf, uncertain_specs


def test_draws_follow_the_registry_distributions():
    sc = econ.load_scenario("baseline")
    d = draw(sc, 4000, seed=3, params=["chips.leakage_share", "trade.elasticity_short_run"])
    leak = econ.load_registry()["chips.leakage_share"]  # triang(0.2, mode 0.5, 0.9)
    assert d["chips.leakage_share"].between(0.2, 0.9).all()
    expected = stats.triang(c=(0.5 - 0.2) / 0.7, loc=0.2, scale=0.7)
    # Tolerances from the Latin hypercube design, not from the output: the k-th smallest of n draws lies in the k-th
    # probability stratum [k/n, (k+1)/n], so an interpolated sample quantile is within 2/n in probability, i.e.
    # within 2 / (n f) in value; the triangular density f is above 0.8 at these quantiles: 2 / (4000 * 0.8) < 1e-3.
    for q in (0.05, 0.5, 0.95):
        assert np.quantile(d["chips.leakage_share"], q) == pytest.approx(expected.ppf(q), abs=1e-3)
    # beta-PERT with mode 0.76 on [0.5, 1]: mean (low + 4 mode + high) / 6 (Malcolm et al., Operations Research 7(5), 1959).
    # One draw per stratum: the sample mean is within (high - low) / n = 0.5 / 4000 of the distribution's mean.
    assert d["trade.elasticity_short_run"].mean() == pytest.approx((0.5 + 4 * 0.76 + 1) / 6, abs=0.5 / 4000)
    assert leak.distribution == "triang"


def test_monte_carlo_percentiles_match_the_analytic_distribution():
    # In chip_controls the first month's chip gap is linear in the leakage share:
    # gap = 100 C (1 - l r_l) (1 - S (1 - e^(-1/m))) with r_l = 1 - e^(-1/m_l) the leakage built up in the first
    # month; l ~ triang(0.2, 0.5, 0.9), so p5 of the gap is at l's p95.
    sc = econ.load_scenario("chip_controls")
    mc = econ.monte_carlo(sc, n=400, seed=7, params=["chips.leakage_share"])
    from econ.sanctions.chips import controlled_share

    p = sc.params
    c = controlled_share(ParamBatch.single(p), econ.load_data())[0]
    sub = p["chips.substitution_share"] * (1 - math.exp(-1 / p["chips.substitution_months"]))
    built = 1 - math.exp(-1 / p["chips.leakage_months"])
    leak = stats.triang(c=(0.5 - 0.2) / 0.7, loc=0.2, scale=0.7)

    def gap(q):
        return 100 * c * (1 - leak.ppf(q) * built) * (1 - sub)

    row = mc.summary.set_index("metric").loc["chip_supply_gap_first_month_pct"]
    # rel 1 %: with a Latin hypercube of 400 the sample quantile is within 2/400 in probability of the true one;
    # at leakage's p95 (density 0.85) that is 0.006 in l, 1.4 % of 1 - l at most and far less at p50 and p5.
    for pct in (5, 50, 95):
        assert row[f"p{pct}"] == pytest.approx(gap(1 - pct / 100), rel=0.01)
    assert row["n_failed"] == 0


def test_same_seed_same_result_other_seed_other_result():
    a = econ.monte_carlo(
        "swift_partial_2022", n=8, seed=11, params=["swift.blocked_cost_pct", "trade.elasticity_long_run"]
    )
    b = econ.monte_carlo(
        "swift_partial_2022", n=8, seed=11, params=["swift.blocked_cost_pct", "trade.elasticity_long_run"]
    )
    c = econ.monte_carlo(
        "swift_partial_2022", n=8, seed=12, params=["swift.blocked_cost_pct", "trade.elasticity_long_run"]
    )
    assert a.draws.equals(b.draws) and a.outcomes.equals(b.outcomes)
    assert not a.draws.equals(c.draws)


def test_tornado_is_sorted_and_swings_are_one_at_a_time():
    table = econ.tornado(
        "full_package",
        "rub_usd_peak",
        params=["ruble.import_fx_elasticity", "ruble.precautionary_sanctions_usd_bn", "chips.leakage_share"],
    )
    assert list(table["swing"].abs()) == sorted(table["swing"].abs(), reverse=True)
    base = econ.run("full_package").value("rub_usd_peak")
    assert (table["base"] == base).all()
    row = table.set_index("parameter").loc["ruble.precautionary_sanctions_usd_bn"]
    assert (
        row["metric_at_high"] > base > row["metric_at_low"]
    )  # more precautionary FX buying, a weaker ruble at its weakest


def test_bad_requests_are_clear_errors():
    with pytest.raises(ParameterError, match="cannot be varied"):
        econ.monte_carlo("baseline", n=2, params=["gas.market.integrated"])
    with pytest.raises(ParameterError, match="did you mean"):
        econ.monte_carlo("baseline", n=2, params=["chips.leakage_shar"])
    with pytest.raises(ParameterError, match="unknown metric"):
        econ.tornado("baseline", "rub_peak", params=["chips.leakage_share"])
    with pytest.raises(ParameterError, match="at least 1"):
        econ.monte_carlo("baseline", n=0)


def test_ppf_respects_bounds_and_integers():
    spec = econ.load_registry()["gas.horizon_months"]
    x = ppf(spec, 13, np.linspace(0, 1, 11))
    assert (x == np.round(x)).all() and x.min() >= 1 and x.max() <= 24


SHARE_METRICS = (  # percentages of a whole: must lie in [0, 100]
    "eu_gas_shortfall_pct",
    "eu_storage_min_pct",
    "eu_storage_nov1_pct",
    "reserves_frozen_pct",
    "swift_exposed_trade_pct",
    "dollar_affected_trade_pct",
    "chip_supply_gap_pct",
    "chip_supply_gap_first_month_pct",
    "chip_sector_loss_max_pct",
    "rub_depreciation_peak_pct",
)


def _check_run(mods, where):
    for mod in mods.values():
        assert mod.status == "ok", (where, mod.message)
        for m in mod.metrics:
            assert np.isfinite(m.value), (where, m.id)
            if m.id in SHARE_METRICS:
                assert -1e-9 <= m.value <= 100 + 1e-9, (where, m.id, m.value)
    from econ import gas

    assert gas.balance_residual(mods["gas"].tables["gas_balance"]).abs().max() < 1e-6, where


@pytest.mark.slow
@pytest.mark.parametrize("bound", ["low", "high"])
def test_every_parameter_at_its_bounds_one_at_a_time_gives_finite_results(bound, data):
    sc = econ.load_scenario("full_package")
    for spec in econ.load_registry():
        if spec.is_numeric:
            _check_run(run_params(sc.params.with_values({spec.name: getattr(spec, bound)}), data), spec.name)


def test_every_uncertain_parameter_at_its_bounds_all_together(data):
    for preset in ("full_package", "russia_gas_cutoff"):
        sc = econ.load_scenario(preset)
        for bound in ("low", "high"):
            values = {s.name: getattr(s, bound) for s in uncertain_specs(sc)}
            _check_run(run_params(Params({**sc.params, **values}), data), (preset, bound))


@pytest.mark.parametrize(
    "preset",
    [
        "full_package_gas_retaliation",  # every module with a gas cut: the fast loop's case
        # the other two add the cut-off alone and a 2014 horizon; about 6 s together, so the whole suite (CI) runs them
        pytest.param("russia_gas_cutoff", marks=pytest.mark.slow),
        pytest.param("episode_2014", marks=pytest.mark.slow),
    ],
)
def test_batched_evaluation_equals_single_runs(preset, data):
    # The Monte Carlo path (vectorised modules, warm-started LPs, draws in chunks) against one run per draw.
    sc = econ.load_scenario(preset)
    draws = draw(sc, 9, seed=4)
    batched = evaluate_draws(sc.params, draws, data, chunk_size=4)
    for i in range(len(draws)):
        single = {
            m.id: m.value
            for mod in run_params(sc.params.with_values(draws.iloc[i].to_dict()), data).values()
            for m in mod.metrics
        }
        assert list(batched.columns) == list(single)
        for metric, value in single.items():
            # the LP solutions agree to solver tolerance, the closed-form modules to rounding
            assert batched.loc[i, metric] == pytest.approx(value, rel=1e-6, abs=1e-6), (i, metric)


def test_batches_split_on_the_horizon_and_keep_the_row_order(data):
    sc = econ.load_scenario("chip_controls")
    draws = pd.DataFrame({"gas.horizon_months": [12, 24, 12, 18], "chips.leakage_share": [0.2, 0.3, 0.4, 0.5]})
    batched = evaluate_draws(sc.params, draws, data)
    for i, row in draws.iterrows():
        res = econ.run(sc.with_overrides({k: (int(v) if k == "gas.horizon_months" else v) for k, v in row.items()}))
        assert batched.loc[i, "chip_supply_gap_pct"] == pytest.approx(res.value("chip_supply_gap_pct"), rel=1e-12)
        assert batched.loc[i, "rub_usd_12m"] == pytest.approx(res.value("rub_usd_12m"), rel=1e-12)


def test_param_batch_rejects_what_it_cannot_hold():
    base = econ.load_scenario("baseline").params
    with pytest.raises(ParameterError, match="unknown parameter"):
        ParamBatch(base, {"chips.leakage_shar": [0.2]})
    with pytest.raises(ParameterError, match="must have 3 values"):
        ParamBatch(base, {"chips.leakage_share": [0.2, 0.3]}, 3)
    batch = ParamBatch(base, {"gas.horizon_months": [12, 13]})
    with pytest.raises(ParameterError, match="differs across the batch"):
        batch["gas.horizon_months"]
    assert batch.params(1)["gas.horizon_months"] == 13


def test_unknown_backend_and_stray_scheduler_are_clear_errors(data):
    sc = econ.load_scenario("baseline")
    draws = draw(sc, 2, seed=1, params=["chips.leakage_share"])
    with pytest.raises(ParameterError, match="unknown backend 'ray'"):
        evaluate_draws(sc.params, draws, data, backend="ray")
    with pytest.raises(ParameterError, match="backend='dask'"):
        evaluate_draws(sc.params, draws, data, scheduler="tcp://127.0.0.1:8786")
    with pytest.raises(ParameterError, match="chunk_size"):
        evaluate_draws(sc.params, draws, data, chunk_size=0)


def test_sobol_wrapper_recovers_the_ishigami_indices():
    # Ishigami function (a = 7, b = 0.1) on [-pi, pi]^3, analytic indices (Ishigami and Homma, "An importance
    # quantification technique in uncertainty analysis for computer models", ISUMA 1990; Saltelli et al., Global
    # Sensitivity Analysis: The Primer, Wiley 2008): V1 = (1 + b pi^4/5)^2 / 2, V2 = a^2/8, V13 = b^2 pi^8 (1/18 -
    # 1/50), V = V1 + V2 + V13 = 13.845, so S1 = (0.3139, 0.4424, 0) and ST = (0.5576, 0.4424, 0.2437).
    # Tolerance: the estimates must lie inside SALib's own 95 % bootstrap intervals at N = 4096 (half-widths
    # 0.014 to 0.043) and within 0.03.
    from econ.uncertainty import sobol_analyze, sobol_unit_sample

    u = sobol_unit_sample(3, 4096, seed=5)
    x = -np.pi + 2 * np.pi * u
    y = np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])
    si = sobol_analyze(["x1", "x2", "x3"], y, seed=5).set_index("parameter")
    np.testing.assert_allclose(si["S1"], [0.3139, 0.4424, 0.0], atol=0.03)
    np.testing.assert_allclose(si["ST"], [0.5576, 0.4424, 0.2437], atol=0.03)
    assert (np.abs(si["S1"] - [0.3139, 0.4424, 0.0]) <= si["S1_conf"]).all()
    assert (np.abs(si["ST"] - [0.5576, 0.4424, 0.2437]) <= si["ST_conf"]).all()
    assert (si["S1_conf"] > 0).all()


def test_model_sobol_ranks_what_drives_the_chip_gap():
    # The chip gap depends on leakage and substitution, not on the trade elasticity.
    table = econ.sobol(
        "chip_controls",
        ["chip_supply_gap_pct"],
        n=32,
        seed=2,
        params=["chips.leakage_share", "chips.substitution_share", "trade.elasticity_long_run"],
    )
    st = table.set_index("parameter")["ST"]
    # substitution ramps up over a year from a small share, so its index is small but positive
    assert st["chips.leakage_share"] > 0.5 > st["chips.substitution_share"] > 0
    assert st["trade.elasticity_long_run"] == 0  # the gap does not depend on it at all
    with pytest.raises(ParameterError, match="power of 2"):
        econ.sobol("chip_controls", ["chip_supply_gap_pct"], n=30, params=["chips.leakage_share"])


def test_monthly_paths_agree_with_the_headline_metrics():
    mc = econ.monte_carlo("full_package", n=12, seed=5, chunk_size=5)
    assert set(mc.paths) == {"usd_rub", "cpi_yoy_pct", "eu_storage_fill_pct"}
    # the weakest monthly ruble is the peak metric, the lowest fill the storage minimum, draw by draw
    np.testing.assert_allclose(mc.paths["usd_rub"].max(axis=1), mc.outcomes["rub_usd_peak"], rtol=1e-12)
    np.testing.assert_allclose(mc.paths["cpi_yoy_pct"].max(axis=1), mc.outcomes["russia_cpi_peak_pct"], rtol=1e-12)
    np.testing.assert_allclose(
        mc.paths["eu_storage_fill_pct"].min(axis=1), mc.outcomes["eu_storage_min_pct"], rtol=1e-9
    )
    assert list(mc.paths["usd_rub"].columns) == list(econ.run("full_package").tables["ruble_path"]["month"])
    fan = mc.path_summary.query("path == 'usd_rub'")
    assert (fan["p5"] <= fan["p50"]).all() and (fan["p50"] <= fan["p95"]).all()
    fig = econ.figures.fan_chart(mc.path_summary, "usd_rub")
    assert len(fig.data) == 5
    with pytest.raises(ValueError, match="no path 'gdp'"):
        econ.figures.fan_chart(mc.path_summary, "gdp")


def test_sobol_refuses_runs_without_a_result():
    from econ.uncertainty import sobol_analyze, sobol_unit_sample

    y = sobol_unit_sample(2, 8, seed=1).sum(axis=1)
    y[3] = np.nan
    with pytest.raises(ParameterError, match="1 of 32 model runs have no result"):
        sobol_analyze(["a", "b"], y, seed=1)


def test_summary_sets_the_run_at_the_scenario_values_beside_the_distribution():
    mc = econ.monte_carlo("chip_controls", n=50, seed=2, params=["chips.input_substitution_elasticity"])
    res = econ.run("chip_controls")
    row = mc.summary.set_index("metric").loc["gdp_channel_chips_pct"]
    assert row["scenario_value"] == res.value("gdp_channel_chips_pct")
    # the elasticity's mode (0.1) sits low in [0.05, 0.5]: the run at the mode is worse than the median draw
    assert row["scenario_value"] < row["p50"]


@pytest.mark.slow
def test_published_2014_15_outcomes_lie_inside_the_episode_90pct_band(data):
    # docs/validation.md b): with every uncertain parameter drawn, the published 2014-15 figures fall between the
    # Monte Carlo's 5th and 95th percentiles; goods exports are the known miss (only oil and gas prices move).
    # In-sample (CALIBRATION, not validation): the ruble's peak and 12-month loss and the imports' fall, since the
    # episode sets ruble.precautionary_depreciation_usd_bn and ruble.import_fx_elasticity. Out of sample: GDP, the
    # CPI peak and the FX sold. The band's width is the model's own uncertainty (the 90 % interval), the
    # published figures are read from cited rows of data/calibration_episodes.csv.
    ep = data["calibration_episodes"].query("episode == 'russia_2014_15'").set_index("metric")["value"]
    e0 = data["ru_macro_2021"].set_index("item").loc["usd_rub_start", "value"]
    band = econ.monte_carlo("episode_2014", n=200, seed=1).summary.set_index("metric")

    def inside(metric, value):
        assert band.loc[metric, "p5"] <= value <= band.loc[metric, "p95"], (metric, value)

    inside("rub_depreciation_peak_pct", 100 * (1 - ep["usd_rub_avg_2014_01"] / ep["usd_rub_avg_peak_month"]))
    loss_12m = 1 - ep["usd_rub_avg_2014_01"] / ep["usd_rub_avg_2015_03"]
    inside("rub_usd_12m", e0 / (1 - loss_12m))  # the same loss of value from the 2022 starting rate
    # the published GDP figures include the oil price fall: compare the total with world prices
    inside("russia_gdp_change_with_world_prices_pct", ep["gdp_growth_2015_pct"])
    inside("russia_gdp_change_with_world_prices_pct", ep["gdp_growth_2015_first_estimate_pct"])
    inside("russia_cpi_peak_pct", ep["cpi_peak_2015_03_yoy_pct"])
    inside("russia_imports_change_pct", ep["imports_change_2015_jan_aug_yoy_pct"])
    inside("reserves_used_bn_usd", ep["fx_interventions_2014_usd"])


def test_a_per_draw_whole_number_does_not_split_batches_and_gives_the_single_runs(monkeypatch):
    """europe.retail_lag_months is read per draw (not structural: econ.uncertainty.is_structural): draws that
    differ in it are one batch, and each draw's result equals its own single run."""
    import econ.engine
    from econ.uncertainty import evaluate_chunk, is_structural

    registry = econ.load_registry()
    assert not is_structural(registry.spec("europe.retail_lag_months"))
    assert is_structural(registry.spec("gas.horizon_months")) and is_structural(registry.spec("gas.market.integrated"))
    sc = econ.load_scenario("russia_gas_cutoff")
    draws = pd.DataFrame({"europe.retail_lag_months": [0, 3, 12], "europe.regulated_price_share": [0.1, 0.3, 0.5]})
    calls = []
    original = econ.uncertainty.evaluate_params
    monkeypatch.setattr(econ.uncertainty, "evaluate_params", lambda b, d: calls.append(b.n) or original(b, d))
    out = evaluate_chunk(sc.params, draws)
    assert calls == [3]  # one batch, not three
    for i, row in enumerate(draws.to_dict("records")):
        single = econ.run(sc.with_overrides(row))
        bill = single.value("eu_household_energy_bill_change_pct")
        assert out.loc[i, "eu_household_energy_bill_change_pct"] == pytest.approx(bill, rel=1e-9)
    assert out["eu_household_energy_bill_change_pct"].nunique() == 3  # the lag and the share both bite
