"""docs/methodology.md, gas sections 3.5, 4 and 5: the model figures between the `gas-doc` markers are what
scripts/gas_doc_figures.py renders from the model now (rerun the script when a change moves them)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest


@pytest.mark.slow
def test_the_methodology_quotes_the_model_as_it_is():
    path = Path(__file__).resolve().parents[1] / "scripts" / "gas_doc_figures.py"
    spec = importlib.util.spec_from_file_location("gas_doc_figures", path)
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    text = script.DOC.read_text()
    assert script.replace_blocks(text, script.run_all()) == text, "run scripts/gas_doc_figures.py"
