# Two entry points (see README.md):
#   make app   install into .venv and serve the app through gunicorn on http://127.0.0.1:8050/ (Ctrl+C stops it)
#   make test  install into .venv-test (with test extras and, as root, Debian's chromium) and run the whole suite
PYTHON ?= python3
VENV ?= .venv
TEST_VENV ?= .venv-test
HOST ?= 127.0.0.1
PORT ?= 8050
PRESETS = baseline ns2_suspended russia_gas_cutoff russia_partial_cut swift_partial_2022 swift_full \
	dollar_clearing_ban chip_controls full_package full_package_gas_retaliation episode_2014 iran_2012_analogue

.PHONY: app tables test lint fast browser clean pins pins-check bugs mutation mutation-results mutation-models

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[app]'
	touch $@

$(TEST_VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(TEST_VENV)
	$(TEST_VENV)/bin/pip install --quiet --upgrade pip
	$(TEST_VENV)/bin/pip install --quiet -e '.[test]'
	touch $@

# Served by gunicorn (a production WSGI server); --preload lets the workers share the background jobs' cache.
app: $(VENV)/.installed
	@echo "econ app: serving on http://$(HOST):$(PORT)/ (gunicorn, 2 workers); stop it with Ctrl+C"
	@$(VENV)/bin/gunicorn --preload --bind $(HOST):$(PORT) --workers 2 --timeout 120 --log-level warning \
		dash_app.app:server

tables: $(VENV)/.installed
	$(VENV)/bin/econ run $(PRESETS) --out out --format csv,xlsx,md,tex

# The browser tests need Debian's chromium and chromium-driver; installed here when missing and root.
browser:
	@if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	else echo "note: chromium/chromedriver missing and not root: the browser tests will be skipped (they fail in CI)"; fi

# Lint (ruff), format check and types (mypy on econ/) first; then the whole suite. `make fast` is the inner loop.
lint: $(TEST_VENV)/.installed
	$(TEST_VENV)/bin/ruff check .
	$(TEST_VENV)/bin/ruff format --check .
	$(TEST_VENV)/bin/mypy

test: lint browser
	$(TEST_VENV)/bin/python -m pytest -q

fast: $(TEST_VENV)/.installed
	$(TEST_VENV)/bin/python -m pytest -q -m "not slow" -n 2

# Regression pins (tests/regression/preset_pins.csv): `make pins-check` reports what moved; `make pins` rewrites
# the golden file on purpose (commit it alone, saying why; docs/testing.md).
pins: $(TEST_VENV)/.installed
	PYTHONPATH=$(CURDIR) $(TEST_VENV)/bin/python scripts/refresh_pins.py

pins-check: $(TEST_VENV)/.installed
	PYTHONPATH=$(CURDIR) $(TEST_VENV)/bin/python scripts/refresh_pins.py --check

# The deliberate bugs of issue 16 (and more in the code that stays), each planted in a copy and run (slow).
bugs: $(TEST_VENV)/.installed
	$(TEST_VENV)/bin/python scripts/check_deliberate_bugs.py

# Mutation testing with mutmut (not part of CI: slow; docs/testing.md). MUTANTS picks modules by mutant-name
# glob; the default is the modules outside the model rewrites. `make mutation MUTANTS='econ.*'` mutates all of
# econ/ (about 8,700 mutants: many hours on two cores). JOBS sets the parallel children.
MUTANTS ?= econ.forms* econ.time* econ.sanctions.swift* econ.sanctions.dollar* econ.params* econ.report*
JOBS ?= 2
$(TEST_VENV)/.mutation: pyproject.toml $(TEST_VENV)/.installed
	$(TEST_VENV)/bin/pip install --quiet -e '.[mutation]'
	touch $@

mutation: $(TEST_VENV)/.mutation
	rm -rf mutants
	$(TEST_VENV)/bin/mutmut run --max-children $(JOBS) $(MUTANTS)
	$(MAKE) --no-print-directory mutation-results

mutation-results:
	$(TEST_VENV)/bin/mutmut results

# The model modules (gas accounts and LP, energy, ruble, trade, europe): scripts/mutate_headlines.py plants each
# sampled mutant in a scratch copy, runs the module's test files, re-checks survivors on more files and runs every
# preset on each survivor to see whether a headline moves by more than 1 %. SAMPLE mutants per module (stratified
# by function, seed SEED); SAMPLE=0 runs them all (about 1,800: hours). Results in MUTOUT/<module>.csv.
SAMPLE ?= 40
SEED ?= 16
MUTOUT ?= mutants/models
MUTATE = PYTHONPATH=$(CURDIR) $(TEST_VENV)/bin/python scripts/mutate_headlines.py --jobs $(JOBS) --seed $(SEED) \
	$(if $(filter 0,$(SAMPLE)),,--sample $(SAMPLE)) --headline
mutation-models: $(TEST_VENV)/.installed
	mkdir -p $(MUTOUT)
	$(MUTATE) econ/energy.py --functions eu_gas_price _lagged_mean _oil evaluate \
		--tests tests/test_energy.py tests/test_channels_by_hand.py tests/test_mutants_energy.py \
		--recheck tests/test_instruments_by_hand.py tests/test_trade_exports.py --out $(MUTOUT)/energy.csv
	$(MUTATE) econ/ruble.py --functions clearing_log_rate sanctions_exposure evaluate \
		--tests tests/test_channels_by_hand.py tests/test_ruble.py \
		--recheck tests/test_macro_demand.py tests/test_sanctions.py --out $(MUTOUT)/ruble.csv
	$(MUTATE) econ/gas/accounts.py --functions window eu_lng_share eu_lng_by_origin non_eu_net_imports \
		_supply_by_source eu_price import_bill russian_routes russian_volume coverage_rows nov1_levels \
		headline_values month_outputs node_outputs batch_result \
		--tests tests/test_gas_model.py tests/test_gas_toy.py tests/test_gas_reference.py tests/test_mutants_gas.py \
		--recheck tests/test_gas_prices.py tests/test_gas_national_rule.py tests/test_europe.py \
		--out $(MUTOUT)/accounts.csv
	$(MUTATE) econ/gas/lp.py --tests tests/test_gas_toy.py tests/test_gas_model.py tests/test_mutants_gas.py \
		--recheck tests/test_gas_prices.py tests/test_gas_reference.py tests/test_gas_national_rule.py \
		--out $(MUTOUT)/lp.csv
	$(MUTATE) econ/trade.py --functions combined_frictions price_index elasticity_path capacity_multiple \
		solve_export_prices solve_parallel_premium evaluate \
		--tests tests/test_trade_ge.py tests/test_trade_exports.py tests/test_instruments_by_hand.py \
		tests/test_mutants_trade.py --recheck tests/test_channels_by_hand.py tests/test_energy.py \
		--out $(MUTOUT)/trade.csv
	$(MUTATE) econ/europe.py --functions europe_data export_va_content _by_country rationing_gap served_ratio \
		ghosh_output_loss power_price_change producer_rent retail_lagged per_output evaluate \
		lost_exports_to_russia trade_channel with_trade _evaluate _party_gdp eur_usd_2021 \
		--tests tests/test_europe.py tests/test_mutants_europe.py --recheck tests/test_gas_wider.py \
		tests/test_channels_by_hand.py --out $(MUTOUT)/europe.csv

clean:
	rm -rf $(VENV) $(TEST_VENV) out .pytest_cache .hypothesis test-artifacts mutants
