"""The shared functional forms (econ/forms.py) and the one notion of time (econ/time.py), by hand.

Equations checked: docs/methodology.md, Engine, "Time grid": the ramp r(t; m) = 1 - exp(-(t + 1)/m); the CES
output loss of the chip section (Semiconductor export controls, Equations), loss = 1 - [alpha (1 - gap)^rho +
(1 - alpha)]^(1/rho), rho = (sigma - 1)/sigma, with the Cobb-Douglas limit 1 - (1 - gap)^alpha at sigma = 1;
"first 12 months" sums and means (Engine, headline table); and the conventions' dated step paths ("each value
holds from its month until the next key, and months before the first key take the scenario's scalar value").
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import econ
from econ.forms import annualised, ces_output_loss, first_year_mean, ramp
from econ.time import DatedPath, horizon, horizon_of, month_index, month_label

# ------------------------------------------------------------------ ramp -----------------------------------------


def test_ramp_by_hand():
    # r(0; 6) = 1 - e^(-1/6) = 0.153518; r(5; 6) = 1 - e^(-1) = 0.632121 (63 % after m months); r(17; 6) = 0.950213
    assert ramp(0, 6.0) == pytest.approx(0.1535183, abs=1e-7)
    assert ramp(5, 6.0) == pytest.approx(1 - math.exp(-1), rel=1e-15)
    assert ramp(17, 6.0) == pytest.approx(1 - math.exp(-3), rel=1e-15)
    np.testing.assert_allclose(ramp(np.arange(3), 2.0), 1 - np.exp(-np.array([1, 2, 3]) / 2.0), rtol=1e-15)
    # m = 0 is "immediate" (the registry's hard bound allows it): everything adapted from the first month
    np.testing.assert_allclose(ramp(np.arange(4), 0.0), 1.0)


def test_ramp_broadcasts_a_batch_of_times_against_months():
    taus = np.array([[1.0], [4.0], [12.0]])  # (n, 1)
    r = ramp(np.arange(5)[None, :], taus)  # (n, T)
    assert r.shape == (3, 5)
    for i, tau in enumerate((1.0, 4.0, 12.0)):
        for t in range(5):
            assert r[i, t] == pytest.approx(1 - math.exp(-(t + 1) / tau), rel=1e-15)
    assert (np.diff(r, axis=1) > 0).all() and (np.diff(r, axis=0) < 0).all()  # rises with t, slower for larger tau


# ------------------------------------------------------------------ CES ------------------------------------------


def test_ces_output_loss_by_hand():
    # sigma = 0.5 -> rho = -1: loss = 1 - 1 / (alpha / (1 - g) + 1 - alpha); alpha 0.1, g 0.5 -> 1 - 1/1.1 = 0.090909
    assert ces_output_loss(0.1, 0.5, 0.5) == pytest.approx(1 - 1 / 1.1, rel=1e-14)
    # sigma = 2 -> rho = 1/2: loss = 1 - (alpha sqrt(1 - g) + 1 - alpha)^2; alpha 0.3, g 0.64 -> 1 - 0.88^2 = 0.2256
    assert ces_output_loss(0.3, 0.64, 2.0) == pytest.approx(1 - 0.88**2, rel=1e-14)
    # sigma = 0.2 -> rho = -4; alpha 0.2, g 0.5: [0.2 * 16 + 0.8]^(-1/4) = 4^(-1/4) -> loss 1 - 0.707107 = 0.292893
    assert ces_output_loss(0.2, 0.5, 0.2) == pytest.approx(1 - 4 ** (-0.25), rel=1e-14)
    # Cobb-Douglas limit (sigma = 1): 1 - (1 - g)^alpha; alpha 0.1, g 0.5 -> 1 - 0.5^0.1 = 0.066967
    assert ces_output_loss(0.1, 0.5, 1.0) == pytest.approx(1 - 0.5**0.1, rel=1e-14)
    assert ces_output_loss(0.1, 0.0, 0.2) == 0.0 and ces_output_loss(0.0, 0.9, 0.2) == pytest.approx(0.0, abs=1e-15)
    # an input that vanishes entirely: complements (sigma < 1) lose all output, substitutes keep some
    assert ces_output_loss(0.1, 1.0, 0.5) == pytest.approx(1.0)
    assert ces_output_loss(0.1, 1.0, 2.0) == pytest.approx(1 - 0.9**2, rel=1e-14)
    assert ces_output_loss(0.1, 1.0, 1.0) == pytest.approx(1.0)


def test_ces_is_continuous_at_the_cobb_douglas_limit():
    # the closed form on either side of sigma = 1 tends to the Cobb-Douglas value (the switch hides no jump)
    for alpha, gap in ((0.1, 0.5), (0.4, 0.9), (0.05, 0.2)):
        cd = 1 - (1 - gap) ** alpha
        for eps in (1e-3, 1e-4):
            assert ces_output_loss(alpha, gap, 1 - eps) == pytest.approx(cd, rel=5 * eps)
            assert ces_output_loss(alpha, gap, 1 + eps) == pytest.approx(cd, rel=5 * eps)
            assert ces_output_loss(alpha, gap, 1 - eps) > cd > ces_output_loss(alpha, gap, 1 + eps)


def test_ces_broadcasts_sector_shares_against_months():
    alpha = np.array([0.05, 0.2, 0.5])[:, None]
    gap = np.array([0.0, 0.3, 0.6, 0.9])[None, :]
    out = ces_output_loss(alpha, gap, np.array([[0.5], [1.0], [3.0]]))
    assert out.shape == (3, 4)
    for i, (a, s) in enumerate(((0.05, 0.5), (0.2, 1.0), (0.5, 3.0))):
        for j, g in enumerate((0.0, 0.3, 0.6, 0.9)):
            assert out[i, j] == pytest.approx(float(ces_output_loss(a, g, s)), rel=1e-14, abs=1e-15)


def test_ces_properties_with_power():
    """Over alpha, gap in [0, 1] and sigma in [0.05, 3]: the loss lies in [0, 1]; where the property can bite
    (alpha > 0 and 0 < gap) it rises strictly with the gap and with alpha and falls strictly with sigma (the
    easier to substitute, the smaller the loss). Each conditional assertion's count is asserted."""
    ran: Counter[str] = Counter()

    @settings(max_examples=150, deadline=None, derandomize=True)
    @given(
        alpha=st.floats(0.0, 1.0),
        gap=st.floats(0.0, 1.0),
        sigma=st.floats(0.05, 3.0),
        d=st.floats(0.02, 0.5),
    )
    def check(alpha, gap, sigma, d):
        loss = float(ces_output_loss(alpha, gap, sigma))
        assert -1e-12 <= loss <= 1 + 1e-12
        ran["in_unit_interval"] += 1
        if alpha > 0.01 and gap < 0.98:
            more_gap = min(1.0, gap + d)
            assert float(ces_output_loss(alpha, more_gap, sigma)) > loss
            ran["rises_with_gap"] += 1
        if 0.01 < gap < 0.99 and alpha < 0.98:
            assert float(ces_output_loss(min(1.0, alpha + d), gap, sigma)) > loss
            ran["rises_with_alpha"] += 1
        if 0.01 < alpha < 0.99 and 0.01 < gap < 0.99:
            assert float(ces_output_loss(alpha, gap, sigma + d)) < loss
            ran["falls_with_sigma"] += 1

    check()
    print("CES property checks ran:", dict(ran))
    assert ran["in_unit_interval"] == 150
    assert ran["rises_with_gap"] >= 60 and ran["rises_with_alpha"] >= 60 and ran["falls_with_sigma"] >= 50


# ------------------------------------------------------------- annual sums ---------------------------------------


def test_annualised_and_first_year_mean_by_hand():
    monthly = np.arange(1.0, 14.0)  # 13 months: 1..13
    assert annualised(monthly) == pytest.approx(78.0)  # 1 + ... + 12: the 13th month is outside the first year
    assert first_year_mean(monthly) == pytest.approx(6.5)
    six = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    assert annualised(six) == pytest.approx(21.0 * 2)  # a shorter horizon is scaled up to 12 months
    assert first_year_mean(six) == pytest.approx(3.5)
    batch = np.vstack([monthly, 2 * monthly])
    np.testing.assert_allclose(annualised(batch), [78.0, 156.0])
    np.testing.assert_allclose(first_year_mean(batch), [6.5, 13.0])


# ------------------------------------------------------------------ time -----------------------------------------


def test_the_default_horizon_is_march_2022_to_march_2023_with_calendar_days():
    labels, days, cal = horizon("2022-03", 13)
    assert labels[0] == "2022-03" and labels[-1] == "2023-03" and len(labels) == 13
    assert list(days) == [31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 31, 28, 31]
    assert days.sum() == 396 and list(cal) == [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3]
    assert horizon("2024-02", 1)[1][0] == 29 and horizon("2100-02", 1)[1][0] == 28  # leap years, 2100 is not one
    assert horizon("2022-12", 2)[0] == ["2022-12", "2023-01"]


def test_horizon_of_follows_the_registry_parameters():
    params = (
        econ.load_scenario("baseline").with_overrides({"gas.start_month": "2022-10", "gas.horizon_months": 15}).params
    )
    labels, t = horizon_of(params)
    assert labels[0] == "2022-10" and labels[-1] == "2023-12" and len(labels) == 15
    np.testing.assert_array_equal(t, np.arange(15.0))


def test_month_index_and_label_are_inverse_and_strict():
    assert month_index("2022-03") == 2022 * 12 + 2
    assert month_index("2023-01") - month_index("2022-12") == 1
    for k in (0, 24263, 24264, 24275, 99 * 12 + 11):
        assert month_index(month_label(k)) == k
    for bad in ("2022-13", "2022-00", "2022-3", "22-03", "2022/03", " 2022-03", 202203, None):
        with pytest.raises(ValueError, match="is not a month of the form YYYY-MM"):
            month_index(bad)  # type: ignore[arg-type]


def test_a_dated_path_holds_each_value_from_its_month():
    # DatedPath's docstring and the conventions: {"2022-06": 0.4, "2022-09": 0.0} on a base of 1.0, from March 2022
    path = DatedPath(1.0, (("2022-06", 0.4), ("2022-09", 0.0)))
    months, _, _ = horizon("2022-03", 10)
    assert path.values_at(months) == [1.0, 1.0, 1.0, 0.4, 0.4, 0.4, 0.0, 0.0, 0.0, 0.0]
    # a step before the horizon is already in force at its start; a step after it never shows
    assert DatedPath(1.0, (("2021-01", 0.5), ("2030-01", 0.0))).values_at(months) == [0.5] * 10
    assert path.with_base(2.0).values_at(["2022-05", "2022-06"]) == [2.0, 0.4]
    assert path.to_mapping() == {"base": 1.0, "2022-06": 0.4, "2022-09": 0.0}
    assert path.to_mapping(default=1.0) == {"2022-06": 0.4, "2022-09": 0.0}
    assert path.to_mapping(default=0.7) == {"base": 1.0, "2022-06": 0.4, "2022-09": 0.0}
    assert repr(path) == "DatedPath(base=1.0, {2022-06: 0.4, 2022-09: 0.0})"
    with pytest.raises(ValueError, match="at least one dated step"):
        DatedPath(1.0, ())
    for bad in ((("2022-09", 0.0), ("2022-06", 0.4)), (("2022-06", 0.4), ("2022-06", 0.3))):
        with pytest.raises(ValueError, match="must be in month order, each month once"):
            DatedPath(1.0, bad)


def test_params_path_reads_scalars_and_dated_paths_as_monthly_arrays():
    sc = econ.load_scenario("baseline").with_overrides(
        {"swift.excluded_payment_share": {"base": 0.25, "2022-06": 1.0}, "dollar.clearing_ban_coverage": 0.6}
    )
    months, _, _ = horizon("2022-03", 6)
    np.testing.assert_array_equal(sc.params.path("swift.excluded_payment_share", months), [0.25] * 3 + [1.0] * 3)
    np.testing.assert_array_equal(sc.params.path("dollar.clearing_ban_coverage", months), [0.6] * 6)


def test_dated_path_semantics_with_power():
    """For any sorted set of steps and any month: the value is the last step's at or before the month, else the
    base. Each case (before the first step, exactly on a step, between or after steps) is counted."""
    ran: Counter[str] = Counter()
    start = month_index("2021-01")

    @settings(max_examples=120, deadline=None, derandomize=True)
    @given(
        keys=st.lists(st.integers(0, 47), min_size=1, max_size=6, unique=True),
        queries=st.lists(st.integers(0, 59), min_size=1, max_size=12),
    )
    def check(keys, queries):
        keys = sorted(keys)
        steps = tuple((month_label(start + k), 100.0 + k) for k in keys)
        path = DatedPath(-1.0, steps)
        got = path.values_at([month_label(start + q) for q in queries])
        for q, v in zip(queries, got):
            before = [k for k in keys if k <= q]
            if not before:
                assert v == -1.0
                ran["before_first_step"] += 1
            elif before[-1] == q:
                assert v == 100.0 + q
                ran["on_a_step"] += 1
            else:
                assert v == 100.0 + before[-1]
                ran["between_or_after"] += 1

    check()
    print("dated path checks ran:", dict(ran))
    assert min(ran["before_first_step"], ran["on_a_step"], ran["between_or_after"]) >= 30
