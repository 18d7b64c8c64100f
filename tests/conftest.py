"""Shared fixtures: a tiny hand-checkable gas system and the real data."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings as _hyp_settings

import econ
from econ.data import GAS_NODES, GAS_SECTORS, LNG_ORIGINS, SCHEMAS
from econ.paths import data_dir

TOY_TABLES = {
    "gas_nodes.csv": "country,name,geography,role\nDE,,eu27,toy\nAT,,eu27,toy\n",
    "gas_demand_annual.csv": "country,sector,demand_bcm_per_year\n"
    + "".join(f"DE,{s},{12 if s == 'industry' else 0}\n" for s in GAS_SECTORS)
    + "".join(f"AT,{s},{12 if s == 'households' else 0}\n" for s in GAS_SECTORS),
    "gas_demand_monthly_profile.csv": "month,sector,share_of_annual\n"
    + "".join(f"{m},{s},{1 / 12:.10f}\n" for m in range(1, 13) for s in GAS_SECTORS),
    "gas_production.csv": "country,production_bcm_per_year\nDE,0\nAT,0\n",
    "gas_imports_by_partner.csv": "country,partner,imports_bcm_per_year\nDE,russia,12\nAT,russia,12\n",
    "gas_russian_routes.csv": "route,entry_country,capacity_mcm_per_day,flow_2021_bcm,flow_run_rate_bcm_per_year\n"
    "nord_stream_1,DE,100,36.5,36.5\n",
    "gas_pipeline_supply.csv": "corridor,entry_country,capacity_mcm_per_day,flow_base_bcm_per_year\nnorway,DE,0,0\n",
    "gas_corridor_groups.csv": "corridor,group,entry_countries,capacity_mcm_per_day,flow_2020_bcm\n",
    "gas_norway_monthly_profile.csv": "entries,month,ratio_to_mean\n"
    + "".join(f"{e},{m},1\n" for e in ("all", "continent") for m in range(1, 13)),
    "gas_supply_monthly_profile.csv": "supply,month,ratio_to_mean\n"
    + "".join(f"{k},{m},1\n" for k in ("lng_eu27", "algeria_transmed") for m in range(1, 13)),
    "gas_lng_terminals.csv": "country,regas_capacity_bcm_per_year,terminals\nDE,0,\n",
    "gas_lng_imports.csv": "country,origin,lng_bcm_per_year\n" + "".join(f"DE,{o},0\n" for o in LNG_ORIGINS),
    "gas_lng_exporters.csv": "origin,export_capacity_bcm_per_year,exports_bcm_per_year,to_eu_bcm_per_year,to_asia_bcm_per_year\n"
    + "".join(f"{o},0,0,0,0\n" for o in LNG_ORIGINS),
    "gas_storage.csv": "country,working_gas_bcm,injection_mcm_per_day,withdrawal_mcm_per_day\nDE,0,0,0\nAT,0,0,0\n",
    "gas_interconnectors.csv": "from_country,to_country,capacity_mcm_per_day,points\nDE,AT,50,toy\n",
    # the toy's link carries no tariff (tests/test_gas_tariffs.py gives it one)
    "gas_link_tariffs_2021.csv": "acer_row,from_country,to_country,exit_tariff_eur_mwh,entry_tariff_eur_mwh,"
    "tariff_eur_mwh,publisher,document,url,note\n1,DE,AT,0,0,0,none,none,none,toy\n",
    "gas_storage_fill_2021.csv": "month,eu_fill_share_start_of_month\n1,0.5\n",
    "gas_russia_monthly_2021.csv": "month,russia_mcm_per_day,ratio_to_2021_mean\n2021-01,1,1\n",
    "gas_prices_monthly.csv": "month,ngas_eur_usd_mmbtu,ngas_jp_usd_mmbtu,eur_usd,ttf_eur_mwh,japan_lng_eur_mwh\n2021-01,1,1,1,1,1\n",
    "gas_validation_2021.csv": "metric,geography,value,unit,publisher,document,year,url\ntoy,EU27,1,bcm,none,none,2021,none\n",
    # every node, so that a toy of other countries (tests/test_gas_wider.py) has its peak day too
    "gas_peak_demand.csv": "country,peak_month,peak_month_avg_gwh_d,peak_to_month_ratio,ratio_day,peak_demand_gwh_d\n"
    + "".join(f"{c},2017-01,400,1.25,2018-02-28,500\n" for c in GAS_NODES),
}


def write_toy(directory: Path, **replace: str) -> Path:
    """A data directory with the toy gas tables and the real tables of everything else."""
    directory.mkdir(parents=True, exist_ok=True)
    for schema in SCHEMAS.values():
        if schema.file not in TOY_TABLES:
            shutil.copy(data_dir() / schema.file, directory / schema.file)
    for name, text in {**TOY_TABLES, **replace}.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


@pytest.fixture
def toy_dir(tmp_path: Path) -> Path:
    return write_toy(tmp_path / "toy")


@pytest.fixture(scope="session")
def data():
    return econ.load_data()


@pytest.fixture(scope="session", autouse=True)
def _cold_caches_under_mutation():
    """Under mutation testing (mutmut sets MUTANT_UNDER_TEST in each forked run), start every run with empty
    process-wide caches: the registry, presets, data and gas solves were loaded by the unmutated parent before the
    fork, and a mutant in the code that fills them would otherwise never run and falsely survive."""
    if os.environ.get("MUTANT_UNDER_TEST"):
        econ.clear_caches()


# Under mutation testing the value-level tests run first: a mutant is usually killed by one of them within a
# second, while the other tests reaching the same code (engine runs, Monte Carlo, the app) take half a minute.
# The order changes only how soon a run stops (-x), never which tests a surviving mutant must pass.
KILL_FIRST = (
    "tests/test_instruments_by_hand.py",
    "tests/test_forms_time.py",
    "tests/regression/",
    "tests/test_cli_values.py",
    "tests/test_params.py",
    "tests/test_sanctions.py",
)


def pytest_collection_modifyitems(config, items):
    if os.environ.get("MUTANT_UNDER_TEST"):

        def rank(item) -> int:
            path = item.nodeid
            return next((i for i, prefix in enumerate(KILL_FIRST) if path.startswith(prefix)), len(KILL_FIRST))

        items.sort(key=rank)


# `pytest --hypothesis-profile=debug` prints a @reproduce_failure blob for a failing example.
_hyp_settings.register_profile("debug", print_blob=True)


# A derandomized test must draw the same examples whatever the process ran before (issue 15). Hypothesis (6.131 on)
# also draws, with probability 0.15 for each float, a constant found in the source of the *local* modules imported so
# far (hypothesis.internal.conjecture.providers._get_local_constants: econ/, dash_app/, scripts/, ...); which modules
# are imported depends on which tests ran first, so tests/test_gas_properties.py drew other parameter sets alone than
# after the rest of the suite (37 of the balance test's 40 draws changed once dash_app and econ.cli were imported) and
# its asserted counts moved (shares of the loss 12 against a required 16). The pool is pinned empty: the examples of
# a derandomized test depend on the test alone. tests/test_gas_determinism.py checks it (a new local module full of
# constants leaves the draws unchanged), so a Hypothesis that moves this hook fails there, not silently.
def _no_local_constants():
    from hypothesis.internal.conjecture import providers
    from hypothesis.internal.constants_ast import Constants

    empty = Constants()
    if hasattr(providers, "_get_local_constants"):
        providers._get_local_constants = lambda: empty
        providers.CONSTANTS_CACHE.cache.clear()


_no_local_constants()

CHROME_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--window-size=1600,1400",
)


def pytest_setup_options():
    """Chrome options for dash[testing]'s dash_duo: Debian's chromium, headless, no network chatter."""
    from selenium.webdriver.chrome.options import Options

    options = Options()
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    if Path("/usr/bin/chromium").exists():
        options.binary_location = "/usr/bin/chromium"
    return options
