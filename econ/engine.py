"""The scenario engine: run every module in dependency order and collect Results.

A module is a pure function ``run(params, data, upstream) -> ModuleResult``;
``upstream`` holds the results of the modules it requires. Each module also has
``evaluate(batch, data, upstream) -> BatchResult``, the same model for n
parameter sets at once (what ``run`` itself calls with a batch of one, then
adds the tables); the uncertainty tools use it. Adding a module is one entry in
MODULES: the engine itself does not change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter

import pandas as pd

from . import energy, europe, gas, macro, ruble, trade
from .data import Data, load_data
from .errors import EconError
from .model import BatchResult, MetricInfo, ModuleResult
from .params import ParamBatch, Params, Scenario, load_scenario
from .results import Results, build_results
from .sanctions import chips, dollar, exports, swift


@dataclass(frozen=True)
class ModuleSpec:
    name: str
    run: Callable[[Params, Data, Mapping[str, ModuleResult]], ModuleResult]
    evaluate: Callable[[ParamBatch, Data, Mapping[str, BatchResult]], BatchResult]
    metrics: tuple[MetricInfo, ...]
    requires: tuple[str, ...] = ()
    description: str = ""


MODULES: tuple[ModuleSpec, ...] = (
    ModuleSpec("swift", swift.run, swift.evaluate, swift.METRICS, (), "SWIFT exclusion -> payment frictions"),
    ModuleSpec(
        "dollar",
        dollar.run,
        dollar.evaluate,
        dollar.METRICS,
        (),
        "Dollar/euro clearing ban and reserve freeze -> invoicing frictions, frozen reserves",
    ),
    ModuleSpec(
        "chips",
        chips.run,
        chips.evaluate,
        chips.METRICS,
        (),
        "Semiconductor export controls -> chip gap, sector losses, import caps",
    ),
    ModuleSpec(
        "exports",
        exports.run,
        exports.evaluate,
        exports.METRICS,
        (),
        "Export bans, firm exits and logistics -> import caps and trade costs",
    ),
    ModuleSpec("gas", gas.run, gas.evaluate, gas.METRICS, (), "European gas balance, country x month LP"),
    ModuleSpec(
        "trade",
        trade.run,
        trade.evaluate,
        trade.METRICS,
        ("swift", "dollar", "chips", "exports", "gas"),
        "Russia's trade in general equilibrium by partner x product",
    ),
    ModuleSpec(
        "energy",
        energy.run,
        energy.evaluate,
        energy.METRICS,
        ("gas",),
        "Oil, gas and coal export revenue at market prices; federal oil and gas revenue",
    ),
    ModuleSpec(
        "ruble",
        ruble.run,
        ruble.evaluate,
        ruble.METRICS,
        ("trade", "energy"),
        "FX market (controls, usable reserves) -> RUB/USD, balance of payments, CPI",
    ),
    ModuleSpec(
        "macro",
        macro.run,
        macro.evaluate,
        macro.METRICS,
        ("trade", "energy", "ruble", "chips"),
        "Russia's GDP change by channel",
    ),
    ModuleSpec(
        "europe",
        europe.run,
        europe.evaluate,
        europe.METRICS,
        ("gas", "trade", "energy", "ruble", "macro"),
        "Europe's own cost: GDP by member state from gas rationing and prices, energy bills, the cost ledger",
    ),
)


def module_order(modules: Iterable[ModuleSpec] = MODULES) -> list[ModuleSpec]:
    specs = {m.name: m for m in modules}
    graph = {m.name: set(m.requires) for m in specs.values()}
    for m in specs.values():
        missing = [r for r in m.requires if r not in specs]
        if missing:
            raise EconError(f"module '{m.name}' requires unknown module(s) {', '.join(missing)}")
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        raise EconError(f"module dependencies form a cycle: {exc.args[1]}") from None
    return [specs[n] for n in order]


def run_params(params: Params, data: Data, modules: Iterable[ModuleSpec] = MODULES) -> dict[str, ModuleResult]:
    """Run modules on a parameter set; the core used by run() and the uncertainty tools."""
    done: dict[str, ModuleResult] = {}
    for spec in module_order(modules):
        upstream = {r: done[r] for r in spec.requires}
        done[spec.name] = spec.run(params, data, upstream)
    return done


def evaluate_params(batch: ParamBatch, data: Data, modules: Iterable[ModuleSpec] = MODULES) -> dict[str, BatchResult]:
    """Evaluate modules for a batch of parameter sets (vectorised where the model is closed-form)."""
    done: dict[str, BatchResult] = {}
    for spec in module_order(modules):
        done[spec.name] = spec.evaluate(batch, data, {r: done[r] for r in spec.requires})
    return done


def metric_info(modules: Iterable[ModuleSpec] = MODULES) -> dict[str, MetricInfo]:
    """Every headline metric's unit, label and geography, in the engine's module order."""
    return {m.id: m for spec in module_order(modules) for m in spec.metrics}


def metric_ids(modules: Iterable[ModuleSpec] = MODULES) -> list[str]:
    """Every headline metric, in the engine's module order."""
    return list(metric_info(modules))


def run(scenario: Scenario | str, data: Data | None = None) -> Results:
    """Run a scenario (a Scenario, a preset name or a path to a YAML file)."""
    sc = load_scenario(scenario) if not isinstance(scenario, Scenario) else scenario
    data = data if data is not None else load_data()
    modules = run_params(sc.params, data)
    return build_results(sc, data, modules)


def compare(scenarios: Iterable[Scenario | str], data: Data | None = None) -> pd.DataFrame:
    """Headline metrics side by side: one row per metric, one column per scenario."""
    results = [run(s, data) for s in scenarios]
    return compare_results(results)


def compare_results(results: list[Results]) -> pd.DataFrame:
    if not results:
        raise EconError("compare needs at least one scenario")
    names = [r.scenario.name for r in results]
    if len(set(names)) != len(names):
        raise EconError(f"scenario names must differ to be compared: {', '.join(names)}")
    base = results[0].headline[["metric", "label", "unit", "module"]]
    table = base.copy()
    for r in results:
        table[r.scenario.name] = r.headline.set_index("metric").loc[table.metric, "value"].to_numpy()
    return table


def clear_caches() -> None:
    """Empty every process-wide cache (data, registry, parsed presets, derived Russia data, gas solves and
    systems), so that the next run starts cold: for benchmarks and tests."""
    from . import data as data_module
    from . import params as params_module
    from . import russia_data

    data_module._load_cached.cache_clear()
    params_module._load_registry_cached.cache_clear()
    params_module._scenario_file_cached.cache_clear()
    russia_data._build.cache_clear()
    russia_data._network.cache_clear()
    gas.clear_caches()
