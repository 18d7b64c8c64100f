# Two entry points (see README.md):
#   make app   install into .venv and run the main job
#   make test  install into .venv-test (with test extras) and run the whole suite
PYTHON ?= python3
VENV ?= .venv
TEST_VENV ?= .venv-test
PRESETS = baseline ns2_suspended russia_gas_cutoff russia_partial_cut swift_partial_2022 swift_full \
	dollar_clearing_ban chip_controls full_package full_package_gas_retaliation episode_2014 iran_2012_analogue

.PHONY: app test tables clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e .
	touch $@

$(TEST_VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(TEST_VENV)
	$(TEST_VENV)/bin/pip install --quiet --upgrade pip
	$(TEST_VENV)/bin/pip install --quiet -e '.[test]'
	touch $@

app: tables

tables: $(VENV)/.installed
	$(VENV)/bin/econ run $(PRESETS) --out out --format csv,xlsx,md,tex

test: $(TEST_VENV)/.installed
	$(TEST_VENV)/bin/python -m pytest -q

clean:
	rm -rf $(VENV) $(TEST_VENV) out .pytest_cache .hypothesis
