"""The house rules, checked on the source: no import cycles in econ/, no model module imports another,
the gas model does not read the registry, errors are ValueErrors, the methodology's registry tables match."""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd
import pytest

import econ

ECON = Path(econ.__file__).resolve().parent

# The models: each a pure function of (params, data, upstream). They meet only through the engine and the
# typed objects in econ/model.py and econ/sanctions/frictions.py.
MODELS = (
    "econ.gas",
    "econ.sanctions.swift",
    "econ.sanctions.dollar",
    "econ.sanctions.chips",
    "econ.sanctions.exports",
    "econ.trade",
    "econ.energy",
    "econ.ruble",
    "econ.macro",
    "econ.europe",
)


def _module_name(path: Path) -> str:
    rel = path.relative_to(ECON.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in ECON.rglob("*.py")}


def _resolve(name: str, known: dict[str, Path]) -> str | None:
    """The econ module an imported name lives in (the longest known prefix)."""
    while name:
        if name in known:
            return name
        name = name.rpartition(".")[0]
    return None


def import_graph() -> dict[str, set[str]]:
    """Every import in econ/ (top-level, inside functions and under TYPE_CHECKING alike) as an edge."""
    known = _modules()
    graph: dict[str, set[str]] = {}
    for mod, path in known.items():
        graph[mod] = set()
        package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = package
                for _ in range(max(node.level - 1, 0)):
                    base = base.rpartition(".")[0]
                stem = (f"{base}.{node.module}" if node.module else base) if node.level else (node.module or "")
                # `from pkg import sub` imports the module pkg.sub; `from mod import name` imports mod
                targets = [f"{stem}.{a.name}" if f"{stem}.{a.name}" in known else stem for a in node.names]
            for t in targets:
                target = _resolve(t, known)
                if target and target != mod:
                    graph[mod].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    return out


def test_no_import_cycles_in_econ():
    found = cycles(import_graph())
    assert not found, f"import cycles: {found}"


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_graph_sees_imports():
    # the check above is only as good as the graph: it must see known edges
    g = import_graph()
    assert "econ.gas" in g["econ.engine"]
    assert "econ.forms" in g["econ.ruble"]
    assert "econ.cluster" in g["econ.uncertainty"]  # a function-level import


def _owner(module: str) -> str | None:
    return next((m for m in MODELS if module == m or module.startswith(m + ".")), None)


@pytest.mark.parametrize("model", MODELS)
def test_no_model_imports_another(model):
    g = import_graph()
    for mod in [m for m in g if _owner(m) == model]:
        others = {_owner(t) for t in g[mod]} - {None, model}
        assert not others, f"{mod} imports the model module(s) {sorted(others)}"


def test_gas_does_not_read_the_registry():
    for path in (ECON / "gas").rglob("*.py") if (ECON / "gas").is_dir() else [ECON / "gas.py"]:
        assert "load_registry" not in path.read_text(encoding="utf-8"), path


def test_errors_are_value_errors():
    for cls in (econ.EconError, econ.ParameterError, econ.ScenarioFileError, econ.DataError):
        assert issubclass(cls, ValueError)


def test_every_module_reports_exactly_its_declared_metrics():
    from econ.engine import MODULES
    from econ.metrics import METRICS, metrics_for

    for spec in MODULES:
        assert spec.metrics == metrics_for(spec.name), spec.name
    assert len({m.id for m in METRICS}) == len(METRICS), "a metric is declared twice"
    assert {m.module for m in METRICS} == {spec.name for spec in MODULES}


def test_the_methodology_parameter_tables_match_the_registry():
    from econ.docs import REGION, render_docs
    from econ.params import load_registry

    doc = ECON.parent / "docs" / "methodology.md"
    text = doc.read_text(encoding="utf-8")
    registry = load_registry()
    assert render_docs(text, registry) == text, "docs drifted: run python scripts/build_docs_tables.py"
    assert {m.group("module") for m in REGION.finditer(text)} == {s.module for s in registry}


def test_the_drift_check_sees_a_changed_registry_value():
    from econ.docs import registry_table
    from econ.params import load_registry

    table = registry_table(load_registry(), "gas")
    assert "| `gas.demand.scale` | 1 | multiple of base-year demand | 0 – inf | 0.9 – 1.1 | no | pert |" in table
    assert "| `gas.russia.yamal.utilisation` |" in table and "| yes |" in table


def test_clear_caches_empties_every_cache_and_the_next_run_is_the_same():
    from econ import data as data_module
    from econ import params as params_module
    from econ import russia_data
    from econ.gas import module as gas_module

    before = econ.run("russia_gas_cutoff").headline.set_index("metric")["value"]
    econ.clear_caches()
    for cache in (
        data_module._load_cached,
        params_module._load_registry_cached,
        params_module._scenario_file_cached,
        russia_data._build,
        gas_module._solve_cached,
        gas_module._scenario_cached,
    ):
        assert cache.cache_info().currsize == 0, cache
    after = econ.run("russia_gas_cutoff").headline.set_index("metric")["value"]
    differ = before[(before - after).abs() > 1e-9 * before.abs().clip(lower=1)]
    assert differ.empty, pd.DataFrame({"warm": differ, "cold": after[differ.index]})
