"""Export bans, firm exits and logistics (docs/methodology.md, Export bans, firm exits and logistics): the caps and
tariff equivalents by hand, and their metrics."""

from __future__ import annotations

import numpy as np
import pytest

import econ
from econ.params import ParamBatch
from econ.sanctions import exports
from econ.sanctions.frictions import FLOWS, PARTNER_GROUPS, PRODUCT_GROUPS, baseline_trade, coalition_mask

DATA = econ.load_data()
FULL = econ.load_scenario("full_package").params
IMP, EXP = FLOWS.index("imports"), FLOWS.index("exports")


def test_caps_by_hand():
    """Imports from coalition p of g: (1 - b_g a_m(p)) (1 - e(t)); non-energy exports to coalition: 1 - r e(t)."""
    params = FULL.with_values({"exports.ban_members_us": 0.5, "exports.ban_members_asia": 0.0})
    fr = exports.frictions(params, DATA)
    t = np.arange(13.0)
    e = params.float("exports.firm_exit_share") * (1 - np.exp(-(t + 1) / params.float("exports.firm_exit_months")))
    b = params.float("exports.ban_coverage_machinery")
    mach = PRODUCT_GROUPS.index("machinery_electronics")
    us, japan, china = (PARTNER_GROUPS.index(x) for x in ("us", "japan", "china"))
    np.testing.assert_allclose(fr.quantity_cap[IMP, us, mach], (1 - b * 0.5) * (1 - e))
    np.testing.assert_allclose(fr.quantity_cap[IMP, japan, mach], 1 - e)  # Japan applies no ban here, exits still
    np.testing.assert_allclose(fr.quantity_cap[IMP, china, mach], 1.0)
    np.testing.assert_allclose(fr.reroutable_cap[IMP], fr.quantity_cap[IMP])
    metals, oil = PRODUCT_GROUPS.index("metals"), PRODUCT_GROUPS.index("oil")
    r = params.float("exports.buyer_exit_ratio")
    np.testing.assert_allclose(fr.quantity_cap[EXP, us, metals], 1 - r * e)
    np.testing.assert_allclose(fr.quantity_cap[EXP, us, oil], 1.0)  # energy buyers follow the embargo instead
    eu, turkey = PARTNER_GROUPS.index("eu"), PARTNER_GROUPS.index("turkey")
    assert fr.tariff[IMP, eu, oil, 0] == pytest.approx(params.float("exports.logistics_cost_coalition_pct") / 100)
    assert fr.tariff[EXP, turkey, oil, 0] == pytest.approx(params.float("exports.logistics_cost_other_pct") / 100)


def test_stopped_share_metric_by_hand():
    ev = exports.evaluate(ParamBatch.single(FULL), DATA)
    fr = exports.frictions(FULL, DATA)
    base = baseline_trade(DATA)[IMP][coalition_mask()]
    allowed = (base[..., None] * fr.quantity_cap[IMP][coalition_mask()]).sum(axis=(0, 1)) / base.sum()
    assert ev.metrics["coalition_sales_to_russia_stopped_pct"][0] == pytest.approx(100 * (1 - allowed[:12].mean()))


def test_no_measure_no_friction():
    fr = exports.frictions(econ.load_scenario("baseline").params, DATA)
    assert np.all(fr.quantity_cap == 1) and np.all(fr.tariff == 0)
