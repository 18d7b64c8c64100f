"""Europe's gas balance: an EU country x month network linear program.

Nodes are the EU member states that use gas; arcs are the cross-border
interconnectors. Each month, every node balances

    production + pipeline imports (by corridor and Russian route) + LNG send-out
    + storage withdrawal - storage injection + inflows - outflows
    = demand - demand reduction - unserved demand

and storage carries gas from month to month. The LP maximises welfare: the
gross surplus of gas consumption (stepped demand curves per country, sector
and month around the reference demand at the reference price) less the cost of
supply (domestic production, pipelines, LNG by origin competing with Asia for
flexible cargoes). The dual of each node-month balance is that node's price in
EUR/MWh. Rationing happens only at the price cap, in the order of Regulation
(EU) 2017/1938 (industry first, households last).
See docs/methodology.md for every equation and calibration.

The package follows the data flow: ``system`` (the GasSystem from the data and
the GasInputs of one parameter set), ``lp`` (the LP, one function per
constraint family), ``solve`` (HiGHS, one persistent model per role) and
``accounts`` (coverage, tables, headline values, monthly outputs); ``module``
holds ``run``, ``evaluate``, the reference run and the caches.
"""

from ..data import RUSSIAN_ROUTES
from .accounts import (
    GEOGRAPHY,
    METRICS,
    MONTH_OUTPUTS,
    balance_residual,
    coverage,
    coverage_rows,
    headline_values,
    month_outputs,
    nov1_levels,
    russian_routes,
    russian_volume,
    tables,
)
from .lp import GasLP, build_lp
from .module import baseline_params, clear_caches, evaluate, reference_params, run
from .solve import GasSolution, HighsSession, solve_lp
from .system import (
    ROUTE_PARAM,
    RUSSIA_LNG_PARAM,
    RUSSIAN_PARAMS,
    GasInputs,
    GasSystem,
    build_inputs,
    gas_system,
    reference_levels,
    reference_values,
    route_utilisation_2021,
    route_utilisation_run_rate,
    system_for,
)

__all__ = [
    "GEOGRAPHY",
    "METRICS",
    "MONTH_OUTPUTS",
    "ROUTE_PARAM",
    "RUSSIAN_PARAMS",
    "RUSSIAN_ROUTES",
    "RUSSIA_LNG_PARAM",
    "GasInputs",
    "GasLP",
    "GasSolution",
    "GasSystem",
    "HighsSession",
    "balance_residual",
    "baseline_params",
    "build_inputs",
    "build_lp",
    "clear_caches",
    "coverage",
    "coverage_rows",
    "evaluate",
    "gas_system",
    "headline_values",
    "month_outputs",
    "nov1_levels",
    "reference_params",
    "route_utilisation_2021",
    "route_utilisation_run_rate",
    "reference_levels",
    "reference_values",
    "system_for",
    "run",
    "russian_routes",
    "russian_volume",
    "solve_lp",
    "tables",
]
