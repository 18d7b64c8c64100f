"""Plant each deliberate bug of issue 16 (and a few more in the code that stays) and show the fast suite fails.

Each bug is one textual edit of one file. For each, the script copies the worktree (tracked and untracked files
that git does not ignore) to a temporary folder, applies the edit, runs the regression pins and then the test files
that should catch it (``RELEVANT``; the whole fast suite, browser tests excluded, for a bug not listed there or
with ``--full``) and reports how many regression pins failed and the first three other tests that failed: a bug
must be caught by a test that is not a pin. A bug whose text is no longer in the code (a module was rewritten) is
reported as "not applicable": update its pattern.

    python scripts/check_deliberate_bugs.py                       # every bug, its relevant test files
    python scripts/check_deliberate_bugs.py --full                # every bug, the whole fast suite
    python scripts/check_deliberate_bugs.py compare_sign_flipped  # the named ones only

Exit status 1 if any applicable bug passes every test other than the pins.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# name -> (file, text in the correct code, the same text with the bug, what the bug does)
BUGS: dict[str, tuple[str, str, str, str]] = {
    # --- mechanisms of 30 Nov 2026 (night) ---
    "controls_defer_demand": (
        "econ/ruble.py",
        "resid_rub = speed * np.maximum((1 - kappa[:, j]) * target - held, 0.0)",
        "resid_rub = (1 - kappa[:, j]) * speed * np.maximum(target - held, 0.0)",
        "capital controls slow residents' FX buying instead of stopping a share of it (the form before 30 Nov night)",
    ),
    "ration_steps_flat": (
        "econ/gas/lp.py",
        "RATION_STEP = 0.015",
        "RATION_STEP = 0.0",
        "rationing's equal-share steps cost the same: the national rule's split is a tie again",
    ),
    "relabelling_ignores_the_ban": (
        "econ/trade.py",
        'return share * (1 - allowed) * np.einsum("p,npt->nt", w_banned, cap_banned)',
        'return share * np.einsum("p,npt->nt", w_banned, cap_banned)',
        "relabelling through the EAEU reroutes goods whether or not Russia bans them",
    ),
    "uk_fixed_cargoes_float": (
        "econ/gas/lp.py",
        'ub.put(rows[None, :], v["lng"][system.lng_non_eu_nodes], -1.0)',
        'ub.put(rows[None, :], v["lng"][system.lng_non_eu_nodes], -1.0e6)',
        "the UK's destination-fixed LNG cargoes may land anywhere (its row never binds)",
    ),
    # --- the bugs issue 16 lists (the first five are in modules being rewritten: their patterns may expire) ---
    "cpi_pass_through_doubled": (
        "econ/ruble.py",
        '+ p.float("ruble.pass_through")[:, None]',
        '+ 2 * p.float("ruble.pass_through")[:, None]',
        "CPI pass-through of the ruble's fall doubled",
    ),
    "finance_gdp_channel_doubled": (
        "econ/macro.py",
        'p.float("macro.financial_gdp_loss_pct")[:, None] * severity',
        '2 * p.float("macro.financial_gdp_loss_pct")[:, None] * severity',
        "the financial GDP channel doubled",
    ),
    "oil_embargo_half_strength": (
        "econ/trade.py",
        "*= (1 - embargo)[:, None, :]",
        "*= (1 - 0.5 * embargo)[:, None, :]",
        "the oil embargo at half strength",
    ),
    "national_rule_closes_interconnectors": (
        "econ/gas/module.py",
        "return lp.arc_caps_from_flows(baseline.first_flow), lp.arc_caps_from_flows(baseline.flow)",
        "return 0 * lp.arc_caps_from_flows(baseline.first_flow), 0 * lp.arc_caps_from_flows(baseline.flow)",
        "the national gas rule closes every interconnector",
    ),
    "national_caps_from_the_second_solve_only": (
        "econ/gas/module.py",
        "return lp.arc_caps_from_flows(baseline.first_flow), lp.arc_caps_from_flows(baseline.flow)",
        "return lp.arc_caps_from_flows(baseline.flow), lp.arc_caps_from_flows(baseline.flow)",
        "the national rule's first solve capped at the baseline's second-solve flows (the rule before 1 Dec 2026)",
    ),
    "lng_cheaper_in_asia": (
        "econ/gas/lp.py",
        'var.add("lng_flex_asia", (n_o, n_t), inp.lng_flex, c["lng"] + inp.asia_freight[:, None])',
        'var.add("lng_flex_asia", (n_o, n_t), inp.lng_flex, c["lng"] - inp.asia_freight[:, None])',
        # v1's bug made LNG cheaper than pipeline gas in the merit order. In the v2 market LNG's short-run cost is
        # common to every cargo, Europe's and Asia's, and fixed cargoes always land, so scaling it moves no price
        # (an equivalent mutant: checked on 30 Nov 2026, demand scaled to 0.3-0.5 leaves prices at the pipeline
        # tier); the cost that decides where LNG goes is the freight differential to Asia, planted here
        "LNG cheaper in Asia than in Europe (the freight differential to Asia counted as a saving)",
    ),
    "compare_sign_flipped": (
        "econ/cli.py",
        "table[name] - table[first]",
        "table[first] - table[name]",
        "`econ compare` prints every delta with the wrong sign",
    ),
    # --- further bugs in the code that stays ---
    "compare_against_the_wrong_column": (
        "econ/cli.py",
        "first = scenarios[0] if scenarios[0] in table.columns else table.columns[4]",
        "first = table.columns[-1]",
        "`econ compare` deltas against the last scenario instead of the first",
    ),
    "negative_numbers_sized_as_small": (
        "econ/formatting.py",
        "size = abs(value)",
        "size = value",
        "reports size the decimals of a negative number as if it were small (-150 printed as -150.00)",
    ),
    "swift_alternative_cost_halved": (
        "econ/sanctions/swift.py",
        'adopted * p.float("swift.alternative_cost_pct")[:, None, None]',
        'adopted * 0.5 * p.float("swift.alternative_cost_pct")[:, None, None]',
        "SWIFT: the cost of an alternative channel halved",
    ),
    "swift_carve_out_ignored_for_coal": (
        "econ/sanctions/frictions.py",
        'ENERGY = ("oil", "gas", "coal")',
        'ENERGY = ("oil", "gas")',
        "the energy carve-out forgets coal",
    ),
    "dollar_freeze_left_out_of_severity": (
        "econ/sanctions/dollar.py",
        "severity = 1 - (1 - invoicing) * (1 - frozen_share)",
        "severity = 1 - (1 - invoicing)",
        "dollar: the reserve freeze no longer raises severity",
    ),
    "dollar_euro_coverage_ignored": (
        "econ/sanctions/dollar.py",
        '+ shares[None, :, None, CURRENCIES.index("eur")] * eur_ban[:, None, :]',
        '+ shares[None, :, None, CURRENCIES.index("eur")] * 0 * eur_ban[:, None, :]',
        "dollar: the euro clearing ban has no effect",
    ),
    "ramp_starts_at_zero": (
        "econ/forms.py",
        "np.asarray(t, dtype=float) + 1.0)",
        "np.asarray(t, dtype=float))",
        "the adjustment ramp starts at 0 in the first month (t instead of t + 1)",
    ),
    "ces_rho_inverted": (
        "econ/forms.py",
        "(sigma - 1.0) / np.where(cobb_douglas, 1.0, sigma)",
        "sigma / np.where(cobb_douglas, 1.0, sigma - 1.0)",
        "CES exponent rho inverted",
    ),
    "annualised_not_scaled": (
        "econ/forms.py",
        "return first.sum(axis=-1) * 12 / first.shape[-1]",
        "return first.sum(axis=-1)",
        "annual sums of a short horizon not scaled to 12 months",
    ),
    "dated_path_one_month_late": (
        "econ/time.py",
        'side="right"',
        'side="left"',
        "a dated step takes effect one month late",
    ),
    # --- one per channel of issue 16's item 2 (macro GDP channels, CPI, embargo, bans, frictions) ---
    "macro_exports_value_added_halved": (
        "econ/macro.py",
        'exports = -p.float("macro.export_value_added_share")[:, None]',
        'exports = -0.5 * p.float("macro.export_value_added_share")[:, None]',
        "GDP, exports channel: value added per unit of lost exports halved",
    ),
    "macro_energy_volume_link_halved": (
        "econ/macro.py",
        'e_vol = sum(f_vol[k] * en["export_volume_usd_bn_2021_prices"][k] for k in ENERGY)',
        'e_vol = sum(f_vol[k] * 0.5 * en["export_volume_usd_bn_2021_prices"][k] for k in ENERGY)',
        "GDP, exports channel: the energy module's export volumes enter at half",
    ),
    "macro_imported_inputs_sign_flipped": (
        "econ/macro.py",
        "inputs = -ces_output_loss(",
        "inputs = ces_output_loss(",
        "GDP, imported-inputs channel: a gain instead of a loss",
    ),
    "macro_chips_sign_flipped": (
        "econ/macro.py",
        'chips = -upstream["chips"]',
        'chips = upstream["chips"]',
        "GDP, chip channel: a gain instead of a loss",
    ),
    "macro_key_rate_channel_halved": (
        "econ/macro.py",
        '+ p.float("macro.key_rate_gdp_loss_pct_per_pp")[:, None] * rb["key_rate_hike_pp"]',
        '+ 0.5 * p.float("macro.key_rate_gdp_loss_pct_per_pp")[:, None] * rb["key_rate_hike_pp"]',
        "GDP, finance channel: the key rate's effect halved",
    ),
    "macro_terms_of_trade_halved": (
        "econ/macro.py",
        "terms = -pass_through * (world_value - value)",
        "terms = -0.5 * pass_through * (world_value - value)",
        "GDP, terms-of-trade channel halved",
    ),
    "macro_fiscal_sign_flipped": (
        "econ/macro.py",
        'fiscal = -p.float("macro.fiscal_offset_share")[:, None] * sanctions',
        'fiscal = p.float("macro.fiscal_offset_share")[:, None] * sanctions',
        "GDP, fiscal channel: the government adds to the loss instead of offsetting it",
    ),
    "macro_world_prices_in_the_sanctions_total": (
        "econ/macro.py",
        "sanctions = exports + inputs + chips + finance + terms",
        "sanctions = exports + inputs + chips + finance + terms + world_prices",
        "world prices counted in the sanctions' GDP change",
    ),
    "macro_expenditure_imports_sign_flipped": (
        "econ/macro.py",
        '"imports": -m_change,',
        '"imports": m_change,',
        "expenditure split: imports enter with a plus sign",
    ),
    "cpi_shortage_premium_halved": (
        "econ/ruble.py",
        '* (1 + p.float("ruble.shortage_price_premium")[:, None] * shortage)',
        '* (1 + 0.5 * p.float("ruble.shortage_price_premium")[:, None] * shortage)',
        "CPI: the premium on rationed imports halved",
    ),
    "cpi_key_rate_sign_flipped": (
        "econ/ruble.py",
        '* (1 - p.float("ruble.key_rate_cpi_pct_per_pp")[:, None] * hike * lag / 100)',
        '* (1 + p.float("ruble.key_rate_cpi_pct_per_pp")[:, None] * hike * lag / 100)',
        "CPI: a key-rate hike raises prices",
    ),
    "energy_eu_embargo_half_strength": (
        "econ/energy.py",
        'emb_eu = 1 - (1 - emb_all) * (1 - p.path("energy.oil_embargo_eu_share", labels))',
        'emb_eu = 1 - (1 - emb_all) * (1 - 0.5 * p.path("energy.oil_embargo_eu_share", labels))',
        "energy: the EU oil embargo at half strength",
    ),
    "energy_buyer_refusal_ignored": (
        "econ/energy.py",
        "1 - (1 - emb) * (1 - refusal[:, None, :])",
        "1 - (1 - emb)",
        "energy: buyers' self-sanctioning ignored",
    ),
    "energy_redirection_capacity_doubled": (
        "econ/energy.py",
        "redirected = capacity * -np.expm1(-wanted / np.maximum(capacity, 1e-12))",
        "redirected = 2 * capacity * -np.expm1(-wanted / np.maximum(2 * capacity, 1e-12))",
        "energy: the redirection capacity doubled",
    ),
    "energy_price_cap_coverage_halved": (
        "econ/energy.py",
        "covered = cap_cov * share_s * (1 - leak)",
        "covered = 0.5 * cap_cov * share_s * (1 - leak)",
        "energy: the price cap binds on half the covered barrels",
    ),
    "export_ban_member_participation_ignored": (
        "econ/sanctions/exports.py",
        "= 1 - cov * members[member]",
        "= 1 - cov",
        "export bans: every coalition member applies them in full",
    ),
    "export_ban_firm_exits_left_out_of_imports": (
        "econ/sanctions/exports.py",
        "cap[:, imp, coal] *= (1 - exits)[:, None, None, :]",
        "cap[:, imp, coal] *= (1 - 0 * exits)[:, None, None, :]",
        "export bans: firm exits no longer cap imports from the coalition",
    ),
    "export_buyer_exit_ratio_doubled": (
        "econ/sanctions/exports.py",
        'buyer = 1 - p.float("exports.buyer_exit_ratio")[:, None] * exits',
        'buyer = 1 - 2 * p.float("exports.buyer_exit_ratio")[:, None] * exits',
        "export bans: coalition buyers of Russian goods leave twice as fast",
    ),
    "frictions_tariffs_multiply": (
        "econ/sanctions/frictions.py",
        "tariff = _fold((p.tariff for p in parts), np.add, 0.0)",
        "tariff = _fold((p.tariff for p in parts), np.multiply, 0.0)",
        "frictions: tariff equivalents multiply instead of adding",
    ),
    "frictions_caps_take_the_minimum": (
        "econ/sanctions/frictions.py",
        "cap = _fold((p.quantity_cap for p in parts), np.multiply, 1.0)",
        "cap = _fold((p.quantity_cap for p in parts), np.minimum, 1.0)",
        "frictions: quantity caps combine as the tightest one instead of multiplying",
    ),
    "frictions_severity_adds": (
        "econ/sanctions/frictions.py",
        "severity = 1.0 - reduce(np.multiply, (1.0 - np.asarray(p.severity, dtype=float) for p in parts))",
        "severity = reduce(np.maximum, (np.asarray(p.severity, dtype=float) for p in parts))",
        "frictions: severity is the largest instrument's, not 1 - prod(1 - s)",
    ),
    "swift_blocked_cost_halved": (
        "econ/sanctions/swift.py",
        '+ (1 - adopted) * p.float("swift.blocked_cost_pct")[:, None, None]',
        '+ (1 - adopted) * 0.5 * p.float("swift.blocked_cost_pct")[:, None, None]',
        "SWIFT: the cost of a blocked payment halved",
    ),
    "dollar_reinvoicing_ramp_reversed": (
        "econ/sanctions/dollar.py",
        '(1 - r) * p.float("dollar.unsettled_cost_pct")[:, None] + r * p.float("dollar.reinvoicing_cost_pct")[:, None]',
        'r * p.float("dollar.unsettled_cost_pct")[:, None] + (1 - r) * p.float("dollar.reinvoicing_cost_pct")[:, None]',
        "dollar: unsettled and re-invoiced costs swapped over the ramp",
    ),
}

# bug -> the test files that should catch it (run after the pins). A bug not listed runs the whole fast suite;
# `--full` runs the whole fast suite for every bug.
RELEVANT: dict[str, list[str]] = {
    "controls_defer_demand": ["tests/test_ruble.py"],
    "ration_steps_flat": ["tests/test_gas_national_ties.py", "tests/test_gas_toy.py"],
    "relabelling_ignores_the_ban": ["tests/test_trade_relabelling.py", "tests/test_trade_2014_food.py"],
    "uk_fixed_cargoes_float": ["tests/test_gas_wider.py"],
    "cpi_pass_through_doubled": ["tests/test_channels_by_hand.py", "tests/test_ruble.py"],
    "finance_gdp_channel_doubled": ["tests/test_channels_by_hand.py", "tests/test_macro_demand.py"],
    "oil_embargo_half_strength": ["tests/test_channels_by_hand.py", "tests/test_energy.py"],
    "national_rule_closes_interconnectors": ["tests/test_gas_national_rule.py", "tests/test_gas_model.py"],
    "national_caps_from_the_second_solve_only": ["tests/test_gas_national_caps.py"],
    "lng_cheaper_in_asia": [
        "tests/test_gas_model.py",
        "tests/test_gas_prices.py",
        "tests/test_gas_toy.py",
        "tests/test_mutants_gas.py",
    ],
    "compare_sign_flipped": ["tests/test_cli_values.py", "tests/test_cli.py"],
    "compare_against_the_wrong_column": ["tests/test_cli_values.py", "tests/test_cli.py"],
    "negative_numbers_sized_as_small": ["tests/test_cli_values.py", "tests/test_reports.py"],
    "swift_alternative_cost_halved": ["tests/test_instruments_by_hand.py", "tests/test_sanctions.py"],
    "swift_carve_out_ignored_for_coal": ["tests/test_instruments_by_hand.py", "tests/test_sanctions.py"],
    "dollar_freeze_left_out_of_severity": ["tests/test_instruments_by_hand.py"],
    "dollar_euro_coverage_ignored": ["tests/test_instruments_by_hand.py"],
    "ramp_starts_at_zero": ["tests/test_forms_time.py", "tests/test_instruments_by_hand.py"],
    "ces_rho_inverted": ["tests/test_forms_time.py", "tests/test_sanctions.py"],
    "annualised_not_scaled": ["tests/test_forms_time.py"],
    "dated_path_one_month_late": ["tests/test_forms_time.py", "tests/test_params.py"],
    **{
        name: ["tests/test_channels_by_hand.py", "tests/test_macro_demand.py"]
        for name in (
            "macro_exports_value_added_halved",
            "macro_energy_volume_link_halved",
            "macro_imported_inputs_sign_flipped",
            "macro_chips_sign_flipped",
            "macro_key_rate_channel_halved",
            "macro_terms_of_trade_halved",
            "macro_fiscal_sign_flipped",
            "macro_world_prices_in_the_sanctions_total",
            "macro_expenditure_imports_sign_flipped",
        )
    },
    "cpi_shortage_premium_halved": ["tests/test_channels_by_hand.py", "tests/test_ruble.py"],
    "cpi_key_rate_sign_flipped": ["tests/test_channels_by_hand.py", "tests/test_ruble.py"],
    **{
        name: ["tests/test_channels_by_hand.py", "tests/test_energy.py"]
        for name in (
            "energy_eu_embargo_half_strength",
            "energy_buyer_refusal_ignored",
            "energy_redirection_capacity_doubled",
            "energy_price_cap_coverage_halved",
        )
    },
    **{
        name: ["tests/test_channels_by_hand.py", "tests/test_trade_exports.py"]
        for name in (
            "export_ban_member_participation_ignored",
            "export_ban_firm_exits_left_out_of_imports",
            "export_buyer_exit_ratio_doubled",
        )
    },
    **{
        name: ["tests/test_instruments_by_hand.py", "tests/test_sanctions.py"]
        for name in (
            "frictions_tariffs_multiply",
            "frictions_caps_take_the_minimum",
            "frictions_severity_adds",
            "swift_blocked_cost_halved",
            "dollar_reinvoicing_ramp_reversed",
        )
    },
}


def copy_tree(dest: Path) -> None:
    files = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    for f in files:
        if not f:
            continue
        rel = Path(os.fsdecode(f))
        if rel.parts[0] == "mutants" or not (ROOT / rel).is_file():
            continue
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, dest / rel)


def _pytest(where: Path, args: list[str]) -> tuple[int, list[str]]:
    env = {**os.environ, "PYTHONPATH": str(where)}
    env.pop("ECON_HOME", None)
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rf", *args]
    out = subprocess.run(cmd, cwd=where, env=env, capture_output=True, text=True)
    return out.returncode, re.findall(r"^FAILED (\S+)", out.stdout, flags=re.M)


def run_tests(where: Path, selection: list[str] | None = None) -> tuple[list[str], list[str], float]:
    """(failing regression pins, failing other fast tests (at most 3: the run stops there), seconds).

    ``selection``: the test files to run after the pins (None: the whole fast suite but the browser tests)."""
    t0 = time.perf_counter()
    _, pins = _pytest(where, ["tests/regression"])
    _, others = _pytest(
        where,
        [
            "-m",
            "not slow",
            "--maxfail=3",
            "--ignore=tests/regression",
            "--ignore=tests/test_app_browser.py",
            "--ignore=tests/test_app_browser_errors.py",
            "--ignore=tests/test_app_browser_front.py",
            *(selection or ["tests"]),
        ],
    )
    return pins, others, time.perf_counter() - t0


def main(argv: list[str]) -> int:
    full = "--full" in argv
    argv = [a for a in argv if a != "--full"]
    chosen = argv or list(BUGS)
    unknown = [b for b in chosen if b not in BUGS]
    if unknown:
        print(f"unknown bug(s): {', '.join(unknown)}; known: {', '.join(BUGS)}")
        return 2
    missed = []
    for name in chosen:
        file, good, bad, what = BUGS[name]
        with tempfile.TemporaryDirectory(prefix=f"bug-{name}-") as tmp:
            where = Path(tmp)
            copy_tree(where)
            text = (where / file).read_text(encoding="utf-8")
            if text.count(good) != 1:
                print(f"{name}: not applicable: its pattern is found {text.count(good)} times in {file}")
                continue
            line = text[: text.index(good)].count("\n") + 1
            (where / file).write_text(text.replace(good, bad), encoding="utf-8")
            pins, others, secs = run_tests(where, None if full else RELEVANT.get(name))
        if not others:
            missed.append(name)
        shown = ", ".join(f.split("::", 1)[-1] for f in others) or "NONE"
        print(
            f"{name} ({file}:{line}): {what}\n    pins failing: {len(pins)}; other fast tests failing (first 3): {shown} ({secs:.0f} s)",
            flush=True,
        )
    if missed:
        print(f"\nnot caught: {', '.join(missed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
