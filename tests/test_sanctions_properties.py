"""Monotone responses of the sanctions side over the registry's ranges (hypothesis).

Asserted: a larger excluded payment share, a larger freeze or a wider clearing ban never raises Russia's
exports, imports or GDP; a larger freeze never strengthens the ruble at its weakest, and SWIFT or the clearing
ban never lower the first month's exposure-driven outflows; wider export controls or less
leakage never raise exports, imports or GDP and never shrink the chip gap; stronger capital controls never
deepen the ruble's short-run fall. Every draw is finite and its shares in range.

The gas module is held at one cached run per horizon (start month, length): these properties are about the
sanctions instruments, trade, the ruble and output. Every draw also varies the start month and the horizon's
length (issue 16, item 4).

Power (issue 16, item 4): each monotone test counts the draws in which the raised parameter actually moved one of
the asserted figures (the property could bite) and asserts that count, so that a test whose draws all leave the
headline unchanged fails instead of passing vacuously. `pytest -s` prints the counts.
"""

from __future__ import annotations

from collections import Counter
from functools import cache

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import econ
from econ import gas
from econ.engine import MODULES, ModuleSpec, run_params
from econ.params import Params

REGISTRY = econ.load_registry()
SANCTIONS_MODULES = {"swift", "dollar", "chips", "exports", "trade", "energy", "ruble", "macro"}
FLOATS = [s for s in REGISTRY if s.module in SANCTIONS_MODULES and s.type == "float"]
BOOLS = [s for s in REGISTRY if s.module in SANCTIONS_MODULES and s.type == "bool"]
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
DATA = econ.load_data()
# (start month, horizon length) pairs drawn with every parameter set, inside the registry's plausible ranges
# (gas.start_month 2021-10..2023-12, gas.horizon_months 12..24); the gas run is cached per pair (four gas runs,
# about 2 s, keep the fast suite fast)
HORIZONS = (("2022-03", 13), ("2021-11", 18), ("2022-09", 12), ("2023-06", 24))


@cache
def _gas(start: str, months: int):
    return run_params(
        Params(REGISTRY.defaults()).with_values({"gas.start_month": start, "gas.horizon_months": months}), DATA
    )["gas"]


def _cached_gas(p, d, u):
    return _gas(str(p["gas.start_month"]), int(p["gas.horizon_months"]))


FAST_MODULES = tuple(
    m if m.name != "gas" else ModuleSpec("gas", _cached_gas, gas.evaluate, gas.METRICS) for m in MODULES
)
# draws in which each conditional assertion ran, by test (asserted at the end of each test)
RAN: Counter[str] = Counter()


@st.composite
def sanction_params(draw):
    values = REGISTRY.defaults()
    for spec in FLOATS:
        values[spec.name] = draw(st.floats(float(spec.low), float(spec.high), allow_nan=False))
    for spec in BOOLS:
        values[spec.name] = draw(st.booleans())
    values["gas.start_month"], values["gas.horizon_months"] = draw(st.sampled_from(HORIZONS))
    return Params(values)


def _moved(a: dict, b: dict, metrics) -> bool:
    """Whether the raise moved any of these figures by more than round-off: the property could bite."""
    return any(abs(b[m] - a[m]) > 1e-6 * max(1.0, abs(a[m])) for m in metrics)


def _count(key: str, a: dict, b: dict, metrics) -> None:
    RAN[key + ":draws"] += 1
    if _moved(a, b, metrics):
        RAN[key + ":moved"] += 1


def _assert_power(key: str, at_least: int) -> None:
    """After a test's examples: at least ``at_least`` draws moved an asserted figure (power), printed with -s."""
    print(f"{key}: {RAN[key + ':draws']} draws, the raise moved an asserted figure in {RAN[key + ':moved']}")
    assert RAN[key + ":moved"] >= at_least, f"{key}: the property bit in too few draws ({dict(RAN)})"


def headline(params: Params) -> dict[str, float]:
    mods = run_params(params, DATA, FAST_MODULES)
    out = {m.id: m.value for mod in mods.values() for m in mod.metrics}
    out["_tables"] = {k: v for mod in mods.values() for k, v in mod.tables.items()}
    return out


def _raise(params: Params, name: str, frac: float) -> tuple[Params, Params]:
    hi = float(REGISTRY[name].high)
    a = params.float(name)
    b = a + frac * (hi - a)
    return params, params.with_values({name: b})


WORSE_OR_EQUAL = {  # metric -> +1 if a larger value is worse for Russia, -1 if smaller is worse
    "russia_exports_change_pct": -1,
    "russia_imports_change_pct": -1,
    "russia_gdp_change_pct": -1,
}
# Export controls cut imports before the exchange rate; the stronger ruble that follows lowers the next months'
# precautionary outflows (econ/ruble.py), and imports after the exchange rate may end a little higher: for those
# instruments imports are asserted before the exchange-rate response (the trade model's own metric).
BEFORE_FX = {
    "russia_exports_change_pct": -1,
    "russia_imports_pre_fx_change_pct": -1,
    "russia_gdp_change_pct": -1,
}
# The ruble at its weakest: the short-run pressure every instrument adds to. Later in the year the
# sanctions compress imports more than exports (energy is exempt) and the ruble may end stronger than
# before, as it did in 2022; the 12-month level is therefore not asserted (docs/validation.md).
RUBLE = {"rub_usd_peak": +1}


def _assert_not_better(a: dict, b: dict, metrics: dict, what: str) -> None:
    for metric, sign in metrics.items():
        assert sign * (b[metric] - a[metric]) >= -1e-7 * max(1.0, abs(a[metric])), f"{what}: {metric} improved"


@SETTINGS
@given(sanction_params())
def test_every_draw_is_finite_and_shares_stay_in_range(params):
    h = headline(params)
    for key, value in h.items():
        if key != "_tables":
            assert np.isfinite(value), key
    for name, table in h["_tables"].items():
        num = table.select_dtypes("number").to_numpy(dtype=float)
        assert np.isfinite(num).all(), name
    assert 0 <= h["rub_depreciation_peak_pct"] < 100
    assert 0 <= h["chip_supply_gap_pct"] <= 100
    assert 0 <= h["reserves_frozen_pct"] <= 100
    assert 0 <= h["swift_exposed_trade_pct"] <= 100 and 0 <= h["dollar_affected_trade_pct"] <= 100
    allowed = h["_tables"]["chip_frictions"]["volume_allowed_pct"]
    assert ((allowed >= -1e-9) & (allowed <= 100 + 1e-9)).all()
    assert h["russia_imports_change_pct"] >= -100 and h["russia_exports_change_pct"] >= -100
    assert len(h["_tables"]["ruble_path"]) == int(params["gas.horizon_months"])
    RAN[f"finite:{params['gas.start_month']}:{int(params['gas.horizon_months'])}"] += 1


def test_the_finite_draws_covered_several_start_months_and_horizons():
    """Runs after the test above (file order): its draws reached at least three start months and three horizon
    lengths (the -x of a mutation run or a -k selection may skip it; then the counter is empty)."""
    keys = [k.split(":") for k in RAN if k.startswith("finite:")]
    if not keys:
        pytest.skip("test_every_draw_is_finite_and_shares_stay_in_range did not run in this session")
    print("finite draws by start month and horizon:", {k: v for k, v in RAN.items() if k.startswith("finite:")})
    assert len({k[1] for k in keys}) >= 3 and len({k[2] for k in keys}) >= 3


@pytest.mark.slow
@pytest.mark.parametrize(
    "name", ["swift.excluded_payment_share", "dollar.reserves_frozen_share", "dollar.clearing_ban_coverage"]
)
def test_wider_financial_sanctions_never_help(name):
    @SETTINGS
    @given(params=sanction_params(), frac=st.floats(0.05, 1.0))
    def check(params, frac):
        a, b = _raise(params, name, frac)
        ha, hb = headline(a), headline(b)
        if name == "dollar.reserves_frozen_share":
            # the freeze works only through the central bank's usable reserves: never a stronger ruble at its
            # weakest. It bites only when the central bank wants to sell more than the freeze leaves usable.
            _assert_not_better(ha, hb, {**WORSE_OR_EQUAL, **RUBLE}, name)
            _count(name, ha, hb, {**WORSE_OR_EQUAL, **RUBLE})
            return
        # SWIFT and the clearing ban also cut imports before the exchange rate, which strengthens the ruble: what
        # they must never do is lower the exposure-driven outflows of the first month (econ/ruble.py)
        _assert_not_better(ha, hb, WORSE_OR_EQUAL, name)
        pa, pb = ha["_tables"]["ruble_path"].iloc[0], hb["_tables"]["ruble_path"].iloc[0]
        assert pb["sanctions_exposure"] >= pa["sanctions_exposure"] - 1e-12
        demand_a = (pa["residents_precautionary_usd_bn"] + pa["nonresidents_exit_usd_bn"]) * pa["usd_rub"]
        demand_b = (pb["residents_precautionary_usd_bn"] + pb["nonresidents_exit_usd_bn"]) * pb["usd_rub"]
        assert demand_b >= demand_a - 1e-9  # ruble amounts brought to the FX market
        _count(name, ha, hb, WORSE_OR_EQUAL)

    check()
    # the freeze binds only in draws where the central bank runs out of usable reserves: fewer bite
    _assert_power(name, 5 if name == "dollar.reserves_frozen_share" else 30)


@pytest.mark.slow
# Export controls cut imports, which improves the balance of payments: the ruble may strengthen (as it did
# in 2022). Trade and output must never improve; the ruble is not asserted (docs/validation.md).
def test_wider_chip_controls_never_help_trade_or_output():
    @SETTINGS
    @given(sanction_params(), st.floats(0.05, 1.0))
    def check(params, frac):
        a, b = _raise(params, "chips.controls_coverage", frac)
        ha, hb = headline(a), headline(b)
        _assert_not_better(ha, hb, BEFORE_FX, "controls")
        assert hb["chip_supply_gap_pct"] >= ha["chip_supply_gap_pct"] - 1e-9
        _count("chips.controls_coverage", ha, hb, {**BEFORE_FX, "chip_supply_gap_pct": 1})

    check()
    _assert_power("chips.controls_coverage", 30)


@pytest.mark.slow
def test_less_leakage_never_helps_trade_or_output():
    @SETTINGS
    @given(sanction_params(), st.floats(0.05, 1.0))
    def check(params, frac):
        spec = REGISTRY["chips.leakage_share"]
        lower = params.float(spec.name) - frac * (params.float(spec.name) - float(spec.low))
        ha, hb = headline(params), headline(params.with_values({spec.name: lower}))
        _assert_not_better(ha, hb, BEFORE_FX, "leakage")
        assert hb["chip_supply_gap_pct"] >= ha["chip_supply_gap_pct"] - 1e-9
        _count("chips.leakage_share", ha, hb, {**BEFORE_FX, "chip_supply_gap_pct": 1})

    check()
    _assert_power("chips.leakage_share", 25)  # leakage matters only where controls bind


@pytest.mark.slow
def test_stronger_capital_controls_never_deepen_the_short_run_fall():
    def first(h):
        return float(h["_tables"]["ruble_path"]["usd_rub"].iloc[0])

    @SETTINGS
    @given(sanction_params(), st.floats(0.05, 1.0))
    def check(params, frac):
        a, b = _raise(params, "ruble.capital_controls_strength", frac)
        ha, hb = headline(a), headline(b)
        assert first(hb) <= first(ha) + 1e-9
        assert hb["rub_usd_peak"] <= ha["rub_usd_peak"] + 1e-9
        _count("ruble.capital_controls_strength", ha, hb, {"rub_usd_peak": 1})

    check()
    _assert_power("ruble.capital_controls_strength", 30)


@pytest.mark.slow  # about 4 x 80 full runs: minutes on a loaded machine
@pytest.mark.parametrize(
    "name",
    [
        "exports.ban_coverage_machinery",
        "exports.ban_coverage_transport",
        "exports.ban_coverage_other",
        "exports.firm_exit_share",
    ],
)
def test_wider_export_bans_and_more_exits_never_help_trade_or_output(name):
    metrics = {
        "russia_exports_change_pct": -1,
        "russia_gdp_change_pct": -1,
        "russia_imports_from_coalition_change_pct": -1,
        "auto_output_change_pct": -1,
    }

    @SETTINGS
    @given(params=sanction_params(), frac=st.floats(0.05, 1.0))
    def check(params, frac):
        a, b = _raise(params, name, frac)
        ha, hb = headline(a), headline(b)
        # Imports after the exchange-rate response are pinned by the balance of payments (exports, reserve sales,
        # flight), not by the bans: a ban that cuts pre-FX imports eases the ruble and may leave total imports a
        # hair higher. Even before it, the import *bill* may rise: blocked goods rerouted at a premium cost more,
        # and with a short-run elasticity below 1 spending on them rises with the premium. The property is
        # about imports from the coalition and output.
        _assert_not_better(ha, hb, metrics, name)
        _count(name, ha, hb, metrics)

    check()
    _assert_power(name, 30)
