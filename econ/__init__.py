"""econ: sanctions on Russia and Europe's gas, in early-2022 terms.

The public API::

    import econ
    econ.list_presets()
    sc = econ.load_scenario("russia_gas_cutoff").with_overrides({"gas.lng.qatar.divertible_share": 0.15})
    res = econ.run(sc)
    res.headline, res.tables
    econ.compare(["baseline", "russia_gas_cutoff"])
    mc = econ.monte_carlo("full_package", n=1000, seed=1)   # mc.summary, mc.path_summary (fan charts)
    econ.tornado("full_package", metric="rub_usd_peak")
    econ.sobol("chip_controls", ["russia_gdp_change_pct"], n=256)
    econ.monte_carlo("full_package", n=10_000, backend="dask", scheduler="tcp://HOST:8786")  # on a cluster
    econ.figures.fan_chart(mc.path_summary, "usd_rub"); econ.report.write_results(res, "out", "csv,xlsx")
"""

from .data import load_data
from .engine import clear_caches, compare, run
from .errors import DataError, EconError, ParameterError, ScenarioFileError
from .params import Scenario, list_presets, load_registry, load_scenario
from .results import Results
from .uncertainty import monte_carlo, sobol, tornado
from .version import __version__ as __version__


def __getattr__(name: str):
    # The figure builders (plotly), the report writers and the Dask backend load on first use,
    # so that `import econ` stays light and `econ.figures` works without importing it first.
    if name in ("figures", "report", "cluster"):
        import importlib

        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'econ' has no attribute '{name}'")


__all__ = [
    "DataError",
    "EconError",
    "ParameterError",
    "Results",
    "Scenario",
    "ScenarioFileError",
    "clear_caches",
    "compare",
    "list_presets",
    "load_data",
    "load_registry",
    "load_scenario",
    "monte_carlo",
    "run",
    "sobol",
    "tornado",
]
