"""Europe's own cost of the gas shock: GDP by member state, sector and month, households' energy bills, and a
ledger of who pays.

Reads the gas market's node prices and unserved gas by node, gas sector and month (scenario and reference run) and
turns them into output losses through two channels, reported apart (docs/methodology.md, "Europe's cost"):

- rationing (E1-E4): the gas a sector does not get, as a share of its demand, cuts its output through a CES
  production function with a small elasticity of substitution for gas (E2); the lost output propagates to its
  customers through the country's input-output table, a supply-driven (Ghosh) multiplier damped by the share of
  a lost input its customers cannot replace in the short run (E3); value added lost / GDP (E4).
- price (E5-E9): the gas price change and the power price change it drives (gas's marginal share times the heat
  rate, E5) raise firms' energy costs, and output falls by a price elasticity times the cost increase as a share
  of gross output (E6); households' bills follow the wholesale prices with a retail lag, except the regulated
  share (E7-E8), and a share of the extra bill leaves domestic demand (E9).

The ledger (``cost_ledger``) also values the non-EU coalition's gas trade at the price change (E12-E13) and gives
the non-EU coalition's GDP from the gas shock through the same price channel on each economy's own energy use
(E14: no production network, no rationing).

Every change is against the gas model's reference run (the same assumptions with 2021-like Russian flows), so a
scenario without a Russian cut has exactly zero change. Monthly values are annual rates; the first-year figure is
the mean of the first 12 months.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from .data import EU27, GAS_SECTORS, Data, gas_nodes
from .errors import DataError, ParameterError
from .forms import annualised, ces_output_loss
from .metrics import metrics_for
from .model import BatchResult, ModuleResult, batches
from .params import ParamBatch, Params
from .russia_data import russia_data
from .time import horizon_of
from .units import TWH_PER_BCM

METRICS = metrics_for("europe")
GEOGRAPHY = "EU27"
HEADLINE_MONTHS = 12
HOUSEHOLDS = GAS_SECTORS.index("households")
MWH_PER_GWH = 1e3
EUR_BN = 1e-9
# Partner groups of the trade model by side of the ledger (econ.data.PARTNER_GROUPS)
COALITION = ("eu", "us", "uk", "japan", "korea", "other_coalition")
THIRD = ("china", "india", "turkey", "eaeu", "row")
SIGMA = {
    "industry": "europe.gas_substitution_elasticity",
    "power": "europe.gas_substitution_elasticity_power",
    "services": "europe.gas_substitution_elasticity_services",
}
PARAMETERS = (
    "europe.gas_substitution_elasticity",
    "europe.gas_substitution_elasticity_power",
    "europe.gas_substitution_elasticity_services",
    "europe.network_propagation",
    "europe.price_output_elasticity",
    "europe.power_gas_price_pass_through",
    "europe.gas_plant_efficiency",
    "europe.household_spending_share",
    "europe.retail_lag_months",
    "europe.producer_rent_spending_share",
    "europe.lng_spot_share",
)


@dataclass(frozen=True, eq=False)
class EuropeData:
    """The structure the model runs on, arrays in the order of ``countries`` (EU27) and ``sectors``."""

    countries: tuple[str, ...]
    sectors: tuple[str, ...]
    gas_nodes: tuple[str, ...]  # the gas model's nodes, in the order of its per-node outputs
    gas_sector: np.ndarray  # (J,) index into GAS_SECTORS of the gas-market sector each sector draws from
    node: np.ndarray  # (C,) index of the country's gas node, -1 where it has none
    gross_output: np.ndarray  # (C, J) EUR bn a year
    value_added: np.ndarray  # (C, J) EUR bn a year
    gas_gwh: np.ndarray  # (C, J) GWh a year
    electricity_gwh: np.ndarray  # (C, J) GWh a year
    allocation: np.ndarray  # (C, J, J) Ghosh allocation coefficients b_jk = z_jk / x_j
    gdp: np.ndarray  # (C,) EUR bn, 2021
    household_bill: np.ndarray  # (C,) EUR bn a year: households' electricity, gas and heat
    household_consumption: np.ndarray  # (C,) EUR bn a year
    household_gas_gwh: np.ndarray  # (C,)
    household_electricity_gwh: np.ndarray  # (C,)
    russia_export_share: np.ndarray  # (C,) the state's share of the EU27's 2021 goods exports to Russia
    export_va_content: np.ndarray  # (C,) domestic value added per EUR of exports (E10), WIOD 2014 export mix
    households: np.ndarray  # (C,) thousand private households (europe_households.csv); NaN where not covered


@lru_cache(maxsize=4)
def europe_data(data: Data) -> EuropeData:
    """Arrays from data/europe_*.csv; fails with a DataError naming the file and key when a piece is missing."""
    sec, io, cty = data["europe_sectors"], data["europe_io"], data["europe_countries"]
    countries = tuple(sorted(cty["country"]))
    if countries != tuple(sorted(EU27)):
        missing = sorted(set(EU27) - set(countries))
        raise DataError(f"europe_countries.csv: member state(s) missing: {', '.join(missing)}")
    sectors = tuple(sorted(sec["sector"].unique()))
    n_c, n_j = len(countries), len(sectors)
    sec = sec.set_index(["country", "sector"])
    full = pd.MultiIndex.from_product([countries, sectors], names=["country", "sector"])
    absent = full.difference(sec.index)
    if len(absent):
        c, s = absent[0]
        raise DataError(f"europe_sectors.csv: no row for country={c}, sector={s} ({len(absent)} missing)")
    sec = sec.loc[full]
    mapping = sec.reset_index().groupby("sector")["gas_sector"].unique()
    split = [s for s, v in mapping.items() if len(v) != 1]
    if split:
        raise DataError(f"europe_sectors.csv: sector '{split[0]}' maps to more than one gas_sector")
    gas_sector = np.array([GAS_SECTORS.index(mapping[s][0]) for s in sectors])

    def grid(col: str) -> np.ndarray:
        return sec[col].to_numpy(float).reshape(n_c, n_j)

    go, va = grid("gross_output_eur_bn"), grid("value_added_eur_bn")
    idle = (go <= 0) & ((va != 0) | (grid("gas_use_gwh") > 0))
    if idle.any():
        c, j = np.argwhere(idle)[0]
        raise DataError(
            f"europe_sectors.csv: country={countries[c]}, sector={sectors[j]} has value added or gas use but "
            f"gross_output_eur_bn {go[c, j]} (allowed: positive, or 0 for a sector the country does not have)"
        )
    z = io.set_index(["country", "sector_from", "sector_to"])["input_eur_bn"]
    full_io = pd.MultiIndex.from_product([countries, sectors, sectors])
    absent_io = full_io.difference(z.index)
    if len(absent_io):
        raise DataError(f"europe_io.csv: no row for (country, sector_from, sector_to) = {absent_io[0]}")
    z_arr = z.loc[full_io].to_numpy(float).reshape(n_c, n_j, n_j)
    allocation = np.divide(z_arr, go[:, :, None], out=np.zeros_like(z_arr), where=go[:, :, None] > 0)
    over = allocation.sum(axis=2) >= 1
    if over.any():
        c, j = np.argwhere(over)[0]
        raise DataError(
            f"europe_io.csv: sales of {sectors[j]} to other sectors in {countries[c]} are at least its gross output "
            "(europe_sectors.csv): the allocation coefficients must sum to less than 1"
        )
    cty = cty.set_index("country").loc[list(countries)]
    gas = grid("gas_use_gwh")
    nodes = gas_nodes(data)
    node = np.array([nodes.index(c) if c in nodes else -1 for c in countries])
    needs = (gas.sum(axis=1) + cty["household_gas_gwh"].to_numpy(float)) > 0
    lacking = [countries[i] for i in np.flatnonzero(needs & (node < 0))]
    if lacking:
        raise DataError(
            f"gas_demand_annual.csv: no gas node for {', '.join(lacking)}, which use gas in europe_sectors.csv / "
            f"europe_countries.csv; gas nodes: {', '.join(nodes)}"
        )
    to_russia = cty["exports_to_russia_2021_eur_bn"].to_numpy(float)
    if not np.isfinite(to_russia).all() or (to_russia < 0).any() or to_russia.sum() <= 0:
        bad = countries[int(np.argmax(~np.isfinite(to_russia) | (to_russia < 0)))]
        raise DataError(
            f"europe_countries.csv: exports_to_russia_2021_eur_bn must be finite and >= 0 with a positive EU "
            f"total (EUR bn); country={bad} has {cty['exports_to_russia_2021_eur_bn'][bad]}"
        )
    exports = grid("exports_eur_bn")
    if (exports < 0).any() or (exports.sum(axis=1) <= 0).any():
        c, j = np.argwhere(exports < 0)[0] if (exports < 0).any() else (int(np.argmin(exports.sum(axis=1))), 0)
        raise DataError(
            f"europe_sectors.csv: exports_eur_bn must be >= 0 with a positive total by country; country="
            f"{countries[c]}, sector={sectors[j]} has {exports[c, j]}"
        )
    hh = data["europe_households"].set_index("country")["households_thousand"].astype(float)
    bad_hh = hh[~(np.isfinite(hh) & (hh > 0))]
    if len(bad_hh):
        raise DataError(
            f"europe_households.csv: households_thousand must be positive (thousand households); "
            f"country={bad_hh.index[0]} has {bad_hh.iloc[0]}"
        )
    return EuropeData(
        countries=countries,
        sectors=sectors,
        gas_nodes=nodes,
        gas_sector=gas_sector,
        node=node,
        gross_output=go,
        value_added=va,
        gas_gwh=gas,
        electricity_gwh=grid("electricity_use_gwh"),
        allocation=allocation,
        gdp=cty["gdp_2021_eur_bn"].to_numpy(float),
        household_bill=cty["household_energy_spending_eur_bn"].to_numpy(float),
        household_consumption=cty["household_consumption_eur_bn"].to_numpy(float),
        household_gas_gwh=cty["household_gas_gwh"].to_numpy(float),
        household_electricity_gwh=cty["household_electricity_gwh"].to_numpy(float),
        russia_export_share=to_russia / to_russia.sum(),
        export_va_content=export_va_content(z_arr, go, va, exports),
        households=hh.reindex(list(countries)).to_numpy(float),
    )


def export_va_content(z, gross_output, value_added, exports):
    """(E10) Domestic value added per EUR of a country's exports: v = (va/x)' (I - A)^-1 e / sum(e), with
    A_jk = z_jk / x_k the domestic input coefficients (Leontief) and e the exports by sector (the export mix).
    Shapes: z (C, J, J), gross_output, value_added, exports (C, J); returns (C,)."""
    a = np.divide(z, gross_output[:, None, :], out=np.zeros_like(z), where=gross_output[:, None, :] > 0)
    leontief_output = np.linalg.solve(np.eye(z.shape[-1])[None] - a, exports[..., None])[..., 0]  # (C, J)
    return (per_output(value_added, gross_output) * leontief_output).sum(axis=1) / exports.sum(axis=1)


def _by_country(arr: np.ndarray, node: np.ndarray) -> np.ndarray:
    """Per-node gas outputs (n, N, ...) -> per member state (n, C, ...): zeros where a state has no node."""
    out = np.take(arr, np.maximum(node, 0), axis=1)
    out[:, node < 0] = 0.0
    return out


def rationing_gap(unserved, unserved_ref, demand):
    """(E1) The share of a gas sector's reference demand rationed beyond the reference run:
    g = (U - U_ref) / D, 0 where there is no demand."""
    return np.divide(
        unserved - unserved_ref, demand, out=np.zeros(np.broadcast_shapes(np.shape(demand))), where=demand > 0
    )


def served_ratio(demand, unserved, unserved_ref, response, response_ref):
    """Gas served in the scenario over gas served in the reference run, by node, sector and month:
    (D - R - U) / (D - R_ref - U_ref); 1 where the reference serves nothing."""
    ref = demand - response_ref - unserved_ref
    return np.divide(demand - response - unserved, ref, out=np.ones(np.shape(ref)), where=ref > 0)


def ghosh_output_loss(direct_loss, gross_output, allocation, propagation):
    """(E3) Output lost by each sector, EUR bn a year, when each loses the share ``direct_loss`` of its output:
    dx' = (l o x)' (I - psi B)^-1, with B the allocation coefficients (b_jk = z_jk / x_j) and psi the share of a
    lost input its customer cannot replace. Shapes: direct_loss (n, C, J, T), gross_output (C, J), allocation
    (C, J, J), propagation (n,)."""
    n_j = allocation.shape[-1]
    ghosh = np.linalg.inv(np.eye(n_j) - propagation[:, None, None, None] * allocation[None])  # (n, C, J, J)
    supply = direct_loss * gross_output[None, :, :, None]  # (n, C, J, T)
    return np.einsum("ncjt,ncjk->nckt", supply, ghosh)


def power_price_change(gas_price_change, pass_through, efficiency):
    """(E5) Wholesale power price change, EUR/MWh(el): dp_e = mu dp_g / eta (gas's marginal share x heat rate)."""
    return pass_through * gas_price_change / efficiency


def producer_rent(production, price_change):
    """(E11) Domestic gas producers' extra income, EUR bn a year by month: their production (GWh a month, the
    scenario's) times the node price change (EUR/MWh), x 12 for the annual rate. Shapes broadcast, e.g.
    (n, C, T)."""
    return 12.0 * np.asarray(production) * np.asarray(price_change) * MWH_PER_GWH * EUR_BN


def node_import_bill(price, price_ref, demand, unserved, response, production):
    """(E12) A gas node's extra bill on the gas it buys beyond its own production, EUR bn a year by month:
    12 (D - R - U - Q) (p - p_ref), with D demand, R demand response, U unserved, Q production (GWh a month, the
    scenario's) and p the node price (EUR/MWh). Shapes (..., T) for prices and production, (..., S, T) for the
    sector arrays."""
    bought = np.sum(np.asarray(demand) - np.asarray(response) - np.asarray(unserved), axis=-2) - np.asarray(production)
    return 12.0 * bought * (np.asarray(price) - np.asarray(price_ref)) * MWH_PER_GWH * EUR_BN


def gas_trade_value_change(bcm_per_year, share, price_change):
    """(E13) The change in the value of a party's gas trade, EUR bn a year: s V (dp), V in bcm a year (40 MJ/m3
    GCV, TWH_PER_BCM TWh each), s the share priced at the hub, dp the hub price change (EUR/MWh)."""
    return share * np.asarray(bcm_per_year) * TWH_PER_BCM * 1e6 * np.asarray(price_change) * EUR_BN


def retail_lagged(change, lag_months):
    """(E7) The wholesale change as it reaches retail bills: the mean of the last L + 1 months (contracts reset in
    equal shares over L + 1 months; no change before the horizon, where scenario and reference agree).
    ``change`` (n, ..., T), ``lag_months`` (n,) whole months."""
    lag = np.asarray(lag_months, dtype=int)
    cum = np.concatenate([np.zeros((*change.shape[:-1], 1)), np.cumsum(change, axis=-1)], axis=-1)
    t = np.arange(change.shape[-1])
    start = np.maximum(t[None, :] - lag[:, None], 0)  # (n, T)
    shape = (change.shape[0],) + (1,) * (change.ndim - 2) + (change.shape[-1],)
    lo = np.take_along_axis(cum, np.broadcast_to(start.reshape(shape), change.shape), axis=-1)
    return (cum[..., 1:] - lo) / (lag + 1.0).reshape((-1,) + (1,) * (change.ndim - 1))


def per_output(x, gross_output):
    """x / gross output, 0 for a sector the country does not have (gross output 0)."""
    x = np.asarray(x, dtype=float)
    go = np.broadcast_to(gross_output, x.shape)
    return np.divide(x, go, out=np.zeros(x.shape), where=go > 0)


def _check(p: ParamBatch) -> None:
    lag = p.float("europe.retail_lag_months")
    if (lag != np.round(lag)).any():
        bad = lag[lag != np.round(lag)][0]
        raise ParameterError(f"europe.retail_lag_months: value {bad} is not a whole number of months (allowed 0-24)")
    for name in (*SIGMA.values(), "europe.gas_plant_efficiency"):
        v = p.float(name)
        if (v <= 0).any():
            raise ParameterError(f"{name}: value {v[v <= 0][0]} must be positive")


def evaluate(p: ParamBatch, data: Data, upstream: Mapping[str, BatchResult]) -> BatchResult:
    _check(p)
    if p.n > 1 and not p.varies("europe.") and not p.varies("gas."):  # every set sees the same gas market
        one = _evaluate(ParamBatch(p.base, {k: v[:1] for k, v in p.columns.items()}, 1), data, upstream, first=True)
        gas_part = BatchResult(
            {k: np.repeat(v, p.n) for k, v in one.metrics.items()},
            {k: np.repeat(v, p.n, axis=0) for k, v in one.outputs.items()},
        )
    else:
        gas_part = _evaluate(p, data, upstream)
    return with_trade(gas_part, p, data, upstream)  # the trade channel: one row per set (trade may vary)


def lost_exports_to_russia(trade: BatchResult | None, n: int, n_t: int) -> np.ndarray:
    """The EU's goods exports to Russia lost against 2021, USD bn a year (annual rate) by month, (n, T): 12 (m0 - M_t)
    from the trade model's Russian imports from the EU; zero without a trade module upstream."""
    if trade is None or "imports_from_eu_usd_bn" not in trade.outputs:
        return np.zeros((n, n_t))
    now = np.asarray(trade.outputs["imports_from_eu_usd_bn"], dtype=float)[..., :n_t]
    if now.shape[-1] != n_t:
        raise DataError(f"trade output 'imports_from_eu_usd_bn' has {now.shape[-1]} months, the horizon {n_t}")
    base = float(np.asarray(trade.outputs["baseline_imports_from_eu_usd_bn"]))
    return np.broadcast_to(12.0 * (base - now), (n, n_t))


def trade_channel(lost_usd, share, va_content, gdp, usd_per_eur):
    """(E10) Value added lost with the exports to Russia, as a share of GDP (a loss positive), (n, C, T):
    T_c = v_c s_c L / (e GDP_c), with L the EU's lost exports to Russia (USD bn a year), s_c the member state's
    share of the EU's 2021 exports to Russia, v_c its domestic value added per EUR of exports and e USD per EUR.
    No multiplier: the Leontief inverse in v_c already counts the domestic suppliers; no induced (Keynesian)
    round and no redirection of the lost sales to other markets (docs/methodology.md, E10)."""
    lost_eur = np.asarray(lost_usd, dtype=float)[:, None, :] / usd_per_eur  # (n, 1, T) EUR bn a year
    return lost_eur * (share * va_content / gdp)[None, :, None]


def with_trade(gas_part: BatchResult, p: ParamBatch, data: Data, upstream: Mapping[str, BatchResult]) -> BatchResult:
    """The gas channels (rationing, price) plus the trade channel (E10): GDP by member state, the EU totals."""
    ed = europe_data(data)
    labels, _ = horizon_of(p)
    n, n_t = p.n, len(labels)
    year = slice(0, min(HEADLINE_MONTHS, n_t))
    lost = lost_exports_to_russia(upstream.get("trade"), n, n_t)
    trade = trade_channel(lost, ed.russia_export_share, ed.export_va_content, ed.gdp, eur_usd_2021(data))
    trade_year = -100 * trade[:, :, year].mean(axis=2)  # (n, C) % of GDP, first 12 months
    metrics, outputs = dict(gas_part.metrics), dict(gas_part.outputs)
    gdp_w = ed.gdp / ed.gdp.sum()
    metrics["eu_gdp_trade_pct"] = trade_year @ gdp_w
    outputs["trade_pct_by_country"] = trade_year
    outputs["lost_exports_to_russia_usd_bn"] = lost  # (n, T) USD bn a year
    if "gdp_change_by_country_month" in outputs:  # a gas set solved: the totals add the trade channel
        gdp = outputs["gdp_change_pct_by_country"] + trade_year
        outputs["gdp_change_pct_by_country"] = gdp
        outputs["gdp_change_by_country_month"] = outputs["gdp_change_by_country_month"] - trade
        metrics["eu_gdp_change_pct"] = gdp @ gdp_w
        metrics["eu_gdp_loss_bn_eur"] = -(gdp / 100) @ ed.gdp
        metrics["eu_worst_country_gdp_change_pct"] = gdp.min(axis=1)
    return BatchResult(metrics, outputs)


def _evaluate(
    p: ParamBatch, data: Data, upstream: Mapping[str, BatchResult], first: bool = False, detail: bool = False
) -> BatchResult:
    ed = europe_data(data)
    labels, _ = horizon_of(p)
    n, n_t = p.n, len(labels)
    year = slice(0, min(HEADLINE_MONTHS, n_t))
    gas = upstream["gas"].outputs
    needed = ("node_price_eur_mwh", "node_price_reference_eur_mwh", "demand_gwh_by_node_sector")
    if any(k not in gas for k in needed):  # no gas set solved: every figure is missing
        return _missing(n, len(ed.countries), n_t)

    n_nodes = len(ed.gas_nodes)
    # the gas market's rows: one when every set shares it (no gas parameter varies), else one per set
    rows = 1 if first or not p.varies("gas.") else n

    def take(key: str) -> np.ndarray:
        arr = np.asarray(gas[key])[:rows]
        if arr.shape[1] != n_nodes:
            raise DataError(
                f"gas output '{key}' has {arr.shape[1]} nodes, the gas data (gas_demand_annual.csv) {n_nodes}"
            )
        return _by_country(arr[:, :, ..., :n_t], ed.node)

    price, price_ref = take("node_price_eur_mwh"), take("node_price_reference_eur_mwh")  # (n, C, T)
    demand = take("demand_gwh_by_node_sector")  # (n, C, S, T)
    unserved, unserved_ref = take("unserved_gwh_by_node_sector"), take("unserved_reference_gwh_by_node_sector")
    ok = np.broadcast_to(np.asarray(gas["ok"])[:rows], (n,))

    # elasticity of substitution by gas-market sector: industry (processes), power (fuel switching), services
    sigma = np.ones((n, len(GAS_SECTORS)))
    for k, name in SIGMA.items():
        sigma[:, GAS_SECTORS.index(k)] = p.float(name)
    psi = p.float("europe.network_propagation")
    eta = p.float("europe.price_output_elasticity")
    mu = p.float("europe.power_gas_price_pass_through")
    eff = p.float("europe.gas_plant_efficiency")
    spend = p.float("europe.household_spending_share")
    lag = p.float("europe.retail_lag_months")
    regulated = p.path("europe.regulated_price_share", labels)  # (n, T)

    # (E1) rationed share of each gas sector's demand, mapped to the production sectors
    gap = rationing_gap(unserved, unserved_ref, demand)[:, :, ed.gas_sector, :]  # (n, C, J, T)
    va_ratio = per_output(ed.value_added, ed.gross_output)  # (C, J)
    rationing_va = np.zeros((n, len(ed.countries), len(ed.sectors), n_t))
    if np.any(gap != 0):  # (no rationing beyond the reference: no loss, and nothing to compute)
        # (E2) direct loss of a CES producer: gas cost share at the reference run's first-year price
        ref_price_year = np.nan_to_num(price_ref[:, :, year].mean(axis=2))  # (n, C)
        alpha = per_output(ed.gas_gwh[None] * MWH_PER_GWH * ref_price_year[:, :, None] * EUR_BN, ed.gross_output)
        direct = ces_output_loss(alpha[..., None], gap, sigma[:, None, ed.gas_sector, None])  # (n, C, J, T)
        # (E3) network propagation, (E4) value added lost as a share of GDP
        lost_output = ghosh_output_loss(direct, ed.gross_output, ed.allocation, psi)  # (n, C, J, T) EUR bn a year
        rationing_va = lost_output * va_ratio[None, :, :, None]
    rationing = rationing_va.sum(axis=2) / ed.gdp[None, :, None]  # (n, C, T)

    # (E5) price changes against the reference run: gas at the country's node; power in the coupled EU market,
    # driven by the EU's demand-weighted gas price
    d_gas = np.nan_to_num(price - price_ref)  # (n, C, T) EUR/MWh
    eu_gas = np.asarray(gas["eu_price_eur_mwh_by_month"]) - np.asarray(gas["eu_price_reference_eur_mwh_by_month"])
    eu_gas = np.nan_to_num(eu_gas[:rows])[:, :n_t]
    coupled = (ed.node >= 0).astype(float)  # a member state without a gas node (Cyprus) has an isolated grid
    d_power = (
        power_price_change(eu_gas, mu[:, None], eff[:, None])[:, None, :] * coupled[None, :, None]
    )  # (n, C, T) EUR/MWh(el)
    # gas bought: what is served in the scenario against the reference (rationed gas is neither used nor paid)
    served = served_ratio(
        demand,
        unserved,
        unserved_ref,
        take("response_gwh_by_node_sector"),
        take("response_reference_gwh_by_node_sector"),
    )  # (n, C, S, T)
    # (E6) firms: extra energy cost (the power sector's own gas cost is passed on in the power price), by sector
    # when the tables need it; otherwise summed by gas-market sector first (the same numbers, far fewer of them)
    firm = np.array([s != "power" for s in ed.sectors], dtype=float)[None, :] * np.ones_like(ed.gas_gwh)  # (C, J)
    unit = MWH_PER_GWH * EUR_BN
    if detail:
        extra_cost = (
            ed.gas_gwh[None, :, :, None] * served[:, :, ed.gas_sector, :] * d_gas[:, :, None]
            + ed.electricity_gwh[None, :, :, None] * d_power[:, :, None]
        ) * (unit * firm)[None, :, :, None]  # (n, C, J, T) EUR bn a year
        price_output = eta[:, None, None, None] * extra_cost * va_ratio[None, :, :, None]  # value added lost
        price_firms = price_output.sum(axis=2) / ed.gdp[None, :, None]
        firm_cost = extra_cost.sum(axis=2)  # (n, C, T)
    else:
        onehot = (ed.gas_sector[:, None] == np.arange(len(GAS_SECTORS))[None, :]).astype(float)  # (J, S)
        gas_by_s = (ed.gas_gwh * firm * unit) @ onehot  # (C, S)
        gas_va_by_s = (ed.gas_gwh * firm * unit * va_ratio) @ onehot
        el, el_va = (ed.electricity_gwh * firm * unit).sum(axis=1), (ed.electricity_gwh * firm * unit * va_ratio).sum(1)
        gas_cost = np.einsum("cs,ncst->nct", gas_by_s, served) * d_gas
        gas_cost_va = np.einsum("cs,ncst->nct", gas_va_by_s, served) * d_gas
        firm_cost = gas_cost + el[None, :, None] * d_power
        price_firms = eta[:, None, None] * (gas_cost_va + el_va[None, :, None] * d_power) / ed.gdp[None, :, None]
    # (E7-E8) households' bills: retail lag, the regulated share does not move
    d_gas = np.broadcast_to(d_gas, (n, *d_gas.shape[1:]))
    d_gas_retail, d_power_retail = retail_lagged(d_gas, lag), retail_lagged(d_power, lag)
    unregulated = (1 - regulated[:, None, :]) * MWH_PER_GWH * EUR_BN
    gas_bill_change = unregulated * ed.household_gas_gwh[None, :, None] * served[:, :, HOUSEHOLDS] * d_gas_retail
    power_bill_change = unregulated * ed.household_electricity_gwh[None, :, None] * d_power_retail
    bill_change = gas_bill_change + power_bill_change  # (n, C, T) EUR bn a year
    # (E9) the share of the extra bill that leaves demand for domestic output
    price_households = spend[:, None, None] * bill_change / ed.gdp[None, :, None]
    # (E11) domestic producers' extra income on their gas, spent on domestic output at the share rho: an offset
    # inside the price channel (a transfer from buyers to producers, not a loss to the member state)
    rho = p.float("europe.producer_rent_spending_share")
    if "production_gwh_by_node" in gas:
        rent = producer_rent(take("production_gwh_by_node"), d_gas)  # (n, C, T) EUR bn a year
    else:  # a gas result without production (hand-built in tests): no producers' income
        rent = np.zeros_like(d_gas)
    rent_offset = rho[:, None, None] * rent / ed.gdp[None, :, None]
    price_total = price_firms + price_households - rent_offset
    change = -(rationing + price_total)  # (n, C, T) share of GDP

    nan = ~ok  # a set whose gas solve failed has missing figures
    first_year = {
        "gdp": 100 * change[:, :, year].mean(axis=2),
        "rationing": -100 * rationing[:, :, year].mean(axis=2),
        "price": -100 * price_total[:, :, year].mean(axis=2),
        "rent": 100 * rent_offset[:, :, year].mean(axis=2),
    }
    for v in first_year.values():
        v[nan] = np.nan
    gdp_w = ed.gdp / ed.gdp.sum()
    bill_year = bill_change[:, :, year].mean(axis=2)  # (n, C) EUR bn a year
    firm_cost_year = firm_cost[..., year].mean(axis=2)  # (n, C)
    metrics = {
        "eu_gdp_change_pct": first_year["gdp"] @ gdp_w,
        "eu_gdp_loss_bn_eur": -(first_year["gdp"] / 100) @ ed.gdp,
        "eu_gdp_rationing_pct": first_year["rationing"] @ gdp_w,
        "eu_gdp_price_pct": first_year["price"] @ gdp_w,
        "eu_worst_country_gdp_change_pct": first_year["gdp"].min(axis=1),
        "eu_household_energy_bill_change_pct": 100 * bill_year.sum(axis=1) / ed.household_bill.sum(),
    }
    for k in metrics:
        metrics[k] = np.where(ok, metrics[k], np.nan)
    outputs = {
        "gdp_change_pct_by_country": first_year["gdp"],  # (n, C), countries in europe_data(data).countries
        "rationing_pct_by_country": first_year["rationing"],
        "price_pct_by_country": first_year["price"],
        "gdp_change_by_country_month": change,  # (n, C, T) share of GDP, annual rate
        "household_bill_change_bn_eur_by_country": bill_year,  # (n, C) EUR bn a year, first 12 months
        "household_bill_change_by_country_month": bill_change,  # (n, C, T) EUR bn a year
        "household_gas_bill_change_bn_eur_by_country": gas_bill_change[:, :, year].mean(axis=2),  # (n, C), E8 gas
        "household_power_bill_change_bn_eur_by_country": power_bill_change[:, :, year].mean(axis=2),  # E8 power
        "firm_energy_cost_bn_eur_by_country": firm_cost_year,  # (n, C)
        "producer_rent_pct_by_country": first_year["rent"],  # (n, C) % of GDP: the offset in price_pct (E11)
        "producer_rent_bn_eur_by_country": np.broadcast_to(rent, (n, *rent.shape[1:]))[:, :, year].mean(axis=2),
        "gas_price_change_eur_mwh": d_gas,  # (n, C, T)
    }
    if detail:  # by sector, for the tables of a single run
        outputs["rationing_by_country_sector_month"] = -rationing_va / ed.gdp[None, :, None, None]  # (n, C, J, T)
        outputs["price_by_country_sector_month"] = -price_output / ed.gdp[None, :, None, None]
    return BatchResult(metrics, outputs)


def _missing(n: int, n_c: int, n_t: int) -> BatchResult:
    metrics = {m.id: np.full(n, np.nan) for m in METRICS}
    return BatchResult(metrics, {"gdp_change_pct_by_country": np.full((n, n_c), np.nan)})


@lru_cache(maxsize=4)
def _party_gdp(data: Data) -> dict[str, float]:
    table = data["europe_party_gdp_2021"]
    return dict(zip(table["party"], table["gdp_usd_bn"].astype(float), strict=True))


@lru_cache(maxsize=4)
def eur_usd_2021(data: Data) -> float:
    """USD per EUR, mean of 2021's months (data/gas_prices_monthly.csv, World Bank / ECB)."""
    prices = data["gas_prices_monthly"]
    rows = prices[prices["month"].str.startswith("2021-")]
    if len(rows) != 12:
        raise DataError(f"gas_prices_monthly.csv: 2021 has {len(rows)} months, need 12 for the EUR/USD rate")
    return float(rows["eur_usd"].mean())


def run(params: Params, data: Data, upstream: Mapping[str, ModuleResult]) -> ModuleResult:
    batch = ParamBatch.single(params)
    _check(batch)
    up = batches(upstream)
    ev = with_trade(_evaluate(batch, data, up, detail=True), batch, data, up)
    ed = europe_data(data)
    labels, _ = horizon_of(params)
    out = ev.outputs
    tables: dict[str, pd.DataFrame] = {}
    if "gdp_change_by_country_month" in out:
        tables = _tables(ev, ed, labels, data)
        tables["cost_ledger"] = cost_ledger(ev, upstream, data, batch)
    return ModuleResult("europe", ev.headline(METRICS), tables, batch=ev)


def _tables(ev: BatchResult, ed: EuropeData, labels: list[str], data: Data) -> dict[str, pd.DataFrame]:
    out = {k: v[0] for k, v in ev.outputs.items()}
    year = slice(0, min(HEADLINE_MONTHS, len(labels)))
    by_country = pd.DataFrame(
        {
            "country": ed.countries,
            "gdp_change_pct": out["gdp_change_pct_by_country"],
            "rationing_pct": out["rationing_pct_by_country"],
            "price_pct": out["price_pct_by_country"],
            "trade_pct": out["trade_pct_by_country"],
            "producer_rent_pct": out["producer_rent_pct_by_country"],
            "gdp_change_bn_eur": out["gdp_change_pct_by_country"] / 100 * ed.gdp,
            "gdp_2021_bn_eur": ed.gdp,
            "household_bill_change_pct": 100 * out["household_bill_change_bn_eur_by_country"] / ed.household_bill,
            "household_real_income_change_pct": -100
            * out["household_bill_change_bn_eur_by_country"]
            / ed.household_consumption,
            **per_household_bills(out, ed),
            "gas_price_change_eur_mwh": out["gas_price_change_eur_mwh"][:, year].mean(axis=1),
        }
    )
    n_c, n_j, n_t = len(ed.countries), len(ed.sectors), len(labels)
    sector_month = pd.DataFrame(
        {
            "country": np.repeat(ed.countries, n_j * n_t),
            "sector": np.tile(np.repeat(ed.sectors, n_t), n_c),
            "month": np.tile(labels, n_c * n_j),
            "rationing_pct_of_gdp": 100 * out["rationing_by_country_sector_month"].ravel(),
            "price_pct_of_gdp": 100 * out["price_by_country_sector_month"].ravel(),
        }
    )
    monthly = pd.DataFrame(
        {
            "country": np.repeat(ed.countries, n_t),
            "month": np.tile(labels, n_c),
            "gdp_change_pct": 100 * out["gdp_change_by_country_month"].ravel(),
            "household_bill_change_pct": 100
            * (out["household_bill_change_by_country_month"] / ed.household_bill[:, None]).ravel(),
        }
    )
    del data
    return {
        "eu_gdp_by_country": by_country,
        "eu_gdp_by_country_month": monthly,
        "eu_output_by_sector_month": sector_month,
    }


def per_household_bills(out: Mapping[str, np.ndarray], ed: EuropeData) -> dict[str, np.ndarray]:
    """(E8, per household) A member state's bills divided by its private households H_c (thousand,
    europe_households.csv), EUR a year, first 12 months: the baseline bill B_c (electricity, gas and heat, basic
    prices), the scenario bill B_c + dB_c, the change dB_c split into gas and power, and the change of real
    disposable income per household, -dB_c / H_c (E9's first round: no wage, transfer or saving response).
    NaN for a member state without a household count."""
    per = 1e6 / ed.households  # EUR bn -> EUR per household: 1e9 / (1e3 H)
    change = out["household_bill_change_bn_eur_by_country"]
    return {
        "households_thousand": ed.households,
        "household_bill_base_eur_per_household": ed.household_bill * per,
        "household_bill_scenario_eur_per_household": (ed.household_bill + change) * per,
        "household_bill_change_eur_per_household": change * per,
        "household_gas_bill_change_eur_per_household": out["household_gas_bill_change_bn_eur_by_country"] * per,
        "household_power_bill_change_eur_per_household": out["household_power_bill_change_bn_eur_by_country"] * per,
        "household_real_income_change_eur_per_household": -change * per,
    }


def cost_ledger(ev: BatchResult, upstream: Mapping[str, ModuleResult], data: Data, p: ParamBatch) -> pd.DataFrame:
    """Who pays, first 12 months, USD bn (negative: a loss) and % of the party's 2021 GDP (EU: europe_countries.csv;
    Russia: the Russian anchors; the others: europe_party_gdp_2021.csv).

    Every row names the module output or table it comes from (column ``source``)."""
    usd = eur_usd_2021(data)
    rows: list[tuple[str, str, float, float, str, str]] = []
    ed = europe_data(data)
    eu_gdp_usd = float(ed.gdp.sum()) * usd
    ru_gdp = float(russia_data(data).anchors["gdp_usd_bn"])
    gdp_of = {"russia": ru_gdp, "eu": eu_gdp_usd, **_party_gdp(data)}

    def add(party: str, channel: str, value: float, note: str, source: str) -> None:
        gdp = gdp_of.get(party)
        if not gdp:
            raise DataError(f"europe_party_gdp_2021.csv: no 2021 GDP for party '{party}'")
        rows.append((party, channel, value, 100 * value / gdp, note, source))

    tr = upstream.get("trade")
    if tr is not None and tr.batch is not None:
        tb = tr.batch.outputs
        base_x, base_m = (
            float(np.asarray(tb["baseline_exports_usd_bn"]).ravel()[0]),
            float(np.asarray(tb["baseline_imports_usd_bn"]).ravel()[0]),
        )
        add(
            "russia",
            "exports",
            float(annualised(tb["exports_usd_bn"][0])) - 12 * base_x,
            "Goods exports against 2021, at the prices received",
            "trade: outputs exports_usd_bn, baseline_exports_usd_bn (metric russia_exports_change_pct)",
        )
        rb = upstream.get("ruble")
        if rb is not None and rb.batch is not None:
            add(
                "russia",
                "imports",
                float(annualised(rb.batch.outputs["imports_usd_bn"][0])) - 12 * base_m,
                "Goods imports against 2021, after the exchange-rate response",
                "ruble: output imports_usd_bn; trade: baseline_imports_usd_bn (metric russia_imports_change_pct)",
            )
        partner_imports = np.asarray(tb["imports_by_partner_product"])[0].sum(axis=1)  # (P, T) Russia's imports
        base = np.asarray(tr.outputs["baseline_imports_by_partner"])  # (P,) a month
        from .data import PARTNER_GROUPS

        table = tr.tables.get("trade_welfare")
        welfare = table.set_index("region")["welfare_change_usd_bn"] if table is not None and len(table) else None
        for i, partner in enumerate(PARTNER_GROUPS):
            side = "coalition" if partner in COALITION else "third country"
            add(
                partner,
                "exports_to_russia",
                float(annualised(partner_imports[i])) - 12 * float(base[i]),
                f"{side}: its goods exports to Russia against 2021 (before Russia's exchange-rate response)",
                "trade: output imports_by_partner_product, baseline_imports_by_partner",
            )
            if welfare is not None:
                w = welfare[partner]
                add(
                    partner,
                    "trade_welfare",
                    float(w),
                    f"{side}: welfare from trade with Russia (GE model)",
                    "trade: table trade_welfare",
                )
        if welfare is not None:
            add(
                "russia",
                "trade_welfare",
                float(welfare["russia"]),
                "Consumers' and exporters' welfare from trade (GE model)",
                "trade: table trade_welfare",
            )
    mc = upstream.get("macro")
    if mc is not None:
        pct = next(m.value for m in mc.metrics if m.id == "russia_gdp_change_pct")
        add(
            "russia",
            "gdp",
            pct / 100 * ru_gdp,
            "GDP change from the sanctions (world prices apart)",
            "macro: metric russia_gdp_change_pct",
        )
    en = upstream.get("energy")
    if en is not None and en.batch is not None:
        eo = en.batch.outputs
        add(
            "russia",
            "budget_oil_gas_revenue",
            float(annualised(eo["budget_oil_gas_usd_bn"][0] - eo["budget_oil_gas_reference_usd_bn"][0])),
            "Federal oil and gas revenue against the reference (no sanctions, same world prices)",
            "energy: outputs budget_oil_gas_usd_bn, budget_oil_gas_reference_usd_bn",
        )
    lng_spot_share = float(p.float("europe.lng_spot_share")[0])
    _partner_gas_rows(add, upstream.get("gas"), data, usd, lng_spot_share)
    _coalition_gdp_rows(add, upstream.get("gas"), data, usd, p)
    m = {k: float(v[0]) for k, v in ev.metrics.items()}
    eu_gdp = float(ed.gdp.sum())
    trade_bn_eur = m["eu_gdp_trade_pct"] / 100 * eu_gdp
    add(
        "eu",
        "gdp_gas_shock",
        (m["eu_gdp_rationing_pct"] + m["eu_gdp_price_pct"]) / 100 * eu_gdp * usd,
        "EU GDP change from the gas shock: rationing and prices",
        "europe: metrics eu_gdp_rationing_pct, eu_gdp_price_pct (table eu_gdp_by_country)",
    )
    add(
        "eu",
        "gdp_trade",
        trade_bn_eur * usd,
        "EU GDP change from lost exports to Russia: their domestic value added (E10)",
        "europe: metric eu_gdp_trade_pct (table eu_gdp_by_country, column trade_pct)",
    )
    energy_bill = float(ev.outputs["firm_energy_cost_bn_eur_by_country"][0].sum()) + float(
        ev.outputs["household_bill_change_bn_eur_by_country"][0].sum()
    )
    add(
        "eu",
        "energy_bill",
        -energy_bill * usd,
        "Extra gas and power bill of EU firms and households (households after the retail lag and regulation)",
        "europe: outputs firm_energy_cost_bn_eur_by_country, household_bill_change_bn_eur_by_country",
    )
    add(
        "eu",
        "gas_producer_rent",
        float(ev.outputs["producer_rent_bn_eur_by_country"][0].sum()) * usd,
        "Extra income of EU gas producers on their own production (E11; a transfer from EU buyers in part)",
        "europe: output producer_rent_bn_eur_by_country",
    )
    return pd.DataFrame(rows, columns=["party", "channel", "value_bn_usd", "value_pct_gdp", "note", "source"])


def gdp_note(party: str) -> str:
    """Where a gas row's party's GDP change from the gas shock is (E14 covers the non-EU coalition only)."""
    if party in COALITION:
        return "; its GDP change from the gas shock is its row 'GDP from the gas shock' (E14)"
    return "; its GDP change from the gas shock is not computed (E14 covers the coalition's economies only)"


def _partner_gas_rows(add, gas: ModuleResult | None, data: Data, usd: float, spot: float) -> None:
    """The ledger's gas rows for the non-EU coalition, first 12 months: the change in the value of each party's gas
    trade (europe_party_gas_2020.csv, bp 2020 volumes) at the EU hub price change (E13; LNG at the spot share only,
    pipeline gas and the UK's net imports all at the hub), the UK's from the gas model's UK node when the run
    solves it (E12, gas.market.wider_europe). Their GDP change from the gas shock is the row gdp_gas_shock (E14,
    ``_coalition_gdp_rows``)."""
    if gas is None or gas.batch is None or "eu_price_eur_mwh_by_month" not in gas.batch.outputs:
        return
    go = gas.batch.outputs
    n_t = np.asarray(go["eu_price_eur_mwh_by_month"]).shape[-1]
    year = slice(0, min(HEADLINE_MONTHS, n_t))
    hub = np.asarray(go["eu_price_eur_mwh_by_month"])[0] - np.asarray(go["eu_price_reference_eur_mwh_by_month"])[0]
    dp = float(np.nan_to_num(hub)[year].mean())
    nodes = gas_nodes(data)
    uk = nodes.index("UK") if "UK" in nodes else -1
    uk_solved = uk >= 0 and bool(np.isfinite(np.asarray(go["node_price_eur_mwh"])[0, uk, year]).all())
    for party, sub in _party_gas(data):
        importer = all(flow in ("lng_imports", "net_imports") for _, flow, _ in sub)
        channel = "energy_import_bill" if importer else "gas_export_revenue"
        if party == "uk" and uk_solved:
            bill = node_import_bill(
                np.asarray(go["node_price_eur_mwh"])[0, uk],
                np.asarray(go["node_price_reference_eur_mwh"])[0, uk],
                *(np.asarray(go[k])[0, uk] for k in SERVED_KEYS),
            )
            add(
                "uk",
                channel,
                -float(bill[year].mean()) * usd,
                "UK: extra bill on the gas it consumes beyond its own production, at the UK node's price change "
                "(E12; the gas model solves the UK node); power and oil not counted" + gdp_note("uk"),
                "gas: outputs node_price_eur_mwh, node_price_reference_eur_mwh, demand/response/unserved_gwh_by_"
                "node_sector, production_gwh_by_node (node UK)",
            )
            continue
        value, parts = 0.0, []
        for economy, flow, bcm in sub:
            share = spot if flow in ("lng_imports", "lng_exports") else 1.0
            sign = -1.0 if flow in ("lng_imports", "net_imports") else 1.0
            value += sign * float(gas_trade_value_change(bcm, share, dp))
            what = flow.replace("_", " ").replace("lng", "LNG")
            parts.append(f"{economy.replace('_', ' ').title()} {what} {bcm:.1f} bcm")
        hub_note = (
            "the UK's hub (NBP) assumed to move with the EU's (the gas model does not solve the UK node)"
            if party == "uk"
            else f"LNG at the share traded at spot prices only ({100 * spot:.0f}%), pipeline gas all at the hub"
        )
        add(
            str(party),
            channel,
            value * usd,
            f"{'Gas import bill' if importer else 'Gas export revenue'} change (E13): {', '.join(parts)} (bp, 2020) at "
            f"the EU hub price change; {hub_note}" + gdp_note(party),
            "europe_party_gas_2020.csv (bp); gas: outputs eu_price_eur_mwh_by_month, eu_price_reference_eur_mwh_by_month",
        )


@lru_cache(maxsize=4)
def _party_gas(data: Data) -> tuple[tuple[str, tuple[tuple[str, str, float], ...]], ...]:
    """europe_party_gas_2020.csv by party (sorted): ((party, ((economy, flow, bcm), ...)), ...)."""
    table = data["europe_party_gas_2020"].sort_values(["party", "economy"])
    by_party: dict[str, list[tuple[str, str, float]]] = {}
    for party, economy, flow, bcm in zip(
        table["party"], table["economy"], table["flow"], table["bcm_2020"], strict=True
    ):
        by_party.setdefault(str(party), []).append((str(economy), str(flow), float(bcm)))
    return tuple((p, tuple(rows)) for p, rows in by_party.items())


SERVED_KEYS = (
    "demand_gwh_by_node_sector",
    "unserved_gwh_by_node_sector",
    "response_gwh_by_node_sector",
    "production_gwh_by_node",
)


# (E14) The gas price change each non-EU coalition economy of europe_coalition_gas_use.csv faces, against the
# reference run: "uk" the UK node's when the gas model solves it (gas.market.wider_europe), else the EU hub's (NBP
# linked to the EU hubs by IUK and BBL, as E13); "hub" the EU hub's (Norway, Switzerland: hub-indexed); "asia" the
# EU hub's times the LNG spot share (Japan, Korea, Taiwan: the rest of their LNG is oil-indexed, as E13); "none" no
# change (the US and Canada: Henry Hub is not linked to Europe while US LNG export capacity runs full, EIA: 102% of
# nameplate in 2021; Australia: its LNG contracts are oil-indexed and its domestic markets are separated by the
# export plants' capacity, so only the LNG exporters' spot sales gain, E13).
COALITION_PRICE = {
    "GBR": "uk",
    "NOR": "hub",
    "CHE": "hub",
    "JPN": "asia",
    "KOR": "asia",
    "TWN": "asia",
    "USA": "none",
    "CAN": "none",
    "AUS": "none",
}
# Taiwan is in the JRC-WIOD accounts but its GDP is not in other_coalition's World Bank total: left out of the row.
LEDGER_LEFT_OUT = ("TWN",)


@dataclass(frozen=True, eq=False)
class CoalitionEconomy:
    """One non-EU coalition economy's energy use (europe_coalition_gas_use.csv), GWh a year."""

    economy: str
    party: str
    gas_gwh: np.ndarray  # (J,) by sector (the power sector's own gas is passed on in the power price)
    electricity_gwh: np.ndarray  # (J,)
    va_per_output: np.ndarray  # (J,)
    firm: np.ndarray  # (J,) 1 for a firm sector, 0 for power
    household_gas_gwh: float
    household_electricity_gwh: float
    production_gwh: float  # gas production, GWh a year (bp 2020), 0 for a non-producer
    va_source: str


@lru_cache(maxsize=4)
def coalition_economies(data: Data) -> tuple[CoalitionEconomy, ...]:
    """europe_coalition_gas_use.csv by economy, sectors in the order of europe_data(data).sectors."""
    table = data["europe_coalition_gas_use"]
    sectors = europe_data(data).sectors
    out = []
    for economy, sub in table.groupby("economy", sort=True):
        rows = sub.set_index("use")
        missing = [u for u in (*sectors, "households") if u not in rows.index]
        if missing:
            raise DataError(f"europe_coalition_gas_use.csv: economy={economy} has no row for use={missing[0]}")
        if str(economy) not in COALITION_PRICE:
            raise DataError(
                f"europe_coalition_gas_use.csv: economy={economy} has no price rule (allowed: "
                f"{', '.join(COALITION_PRICE)})"
            )
        sec = rows.loc[list(sectors)]
        out.append(
            CoalitionEconomy(
                economy=str(economy),
                party=str(sec["party"].iloc[0]),
                gas_gwh=sec["gas_gwh"].to_numpy(float),
                electricity_gwh=sec["electricity_gwh"].to_numpy(float),
                va_per_output=sec["va_per_output"].to_numpy(float),
                firm=np.array([s != "power" for s in sectors], dtype=float),
                household_gas_gwh=float(rows.loc["households", "gas_gwh"]),
                household_electricity_gwh=float(rows.loc["households", "electricity_gwh"]),
                production_gwh=float(rows.loc["production", "gas_gwh"]) if "production" in rows.index else 0.0,
                va_source=str(sec["va_source"].iloc[0]),
            )
        )
    return tuple(out)


def coalition_gdp_change(econ_: CoalitionEconomy, d_gas, eta, mu, eff, spend, lag, rho, exporter_gain=0.0):
    """(E14) A non-EU coalition economy's GDP change from the gas shock, EUR bn a year by month (a loss negative):
    -eta sum_j f_j (va/x)_j (G_j dp_g + E_j dp_e) - s (H_g dp~_g + H_e dp~_e) + rho (Q dp_g + X), with dp_g (T,) the
    gas price change the economy faces (EUR/MWh), dp_e = mu dp_g / eff its power price change (E5), dp~ the retail
    lagged changes (E7, L months, no regulated share), G, E the sectors' gas and electricity use (GWh a year), f_j 0
    for the power sector, H the households', Q gas production (GWh a year) and X the exporters' gain already valued by
    E13 (EUR bn a year) where the domestic price does not move. Scalars eta, mu, eff, spend, rho; lag whole months."""
    d_gas = np.asarray(d_gas, dtype=float)
    d_power = power_price_change(d_gas, mu, eff)
    unit = MWH_PER_GWH * EUR_BN
    w = econ_.firm * econ_.va_per_output
    firms = eta * (float(w @ econ_.gas_gwh) * d_gas + float(w @ econ_.electricity_gwh) * d_power) * unit
    lagged = retail_lagged(np.stack([d_gas, d_power])[None], np.array([int(lag)]))[0]
    households = spend * (econ_.household_gas_gwh * lagged[0] + econ_.household_electricity_gwh * lagged[1]) * unit
    rent = rho * (econ_.production_gwh * d_gas * unit + exporter_gain)
    return -firms - households + rent


def _coalition_gdp_rows(add, gas: ModuleResult | None, data: Data, usd: float, p: ParamBatch) -> None:
    """The ledger's gdp_gas_shock rows of the US, the UK, Japan, Korea and the other coalition (E14), first 12
    months, from europe_coalition_gas_use.csv; the US's (and Australia's) from their LNG exporters' spot gain only."""
    if gas is None or gas.batch is None or "eu_price_eur_mwh_by_month" not in gas.batch.outputs:
        return
    go = gas.batch.outputs
    hub = np.nan_to_num(
        np.asarray(go["eu_price_eur_mwh_by_month"])[0] - np.asarray(go["eu_price_reference_eur_mwh_by_month"])[0]
    )
    n_t = hub.shape[-1]
    year = slice(0, min(HEADLINE_MONTHS, n_t))
    nodes = gas_nodes(data)
    uk = nodes.index("UK") if "UK" in nodes else -1
    uk_price = np.asarray(go["node_price_eur_mwh"])[0, uk] - np.asarray(go["node_price_reference_eur_mwh"])[0, uk]
    uk_solved = uk >= 0 and bool(np.isfinite(uk_price[year]).all())
    spot = float(p.float("europe.lng_spot_share")[0])
    args = {
        "eta": float(p.float("europe.price_output_elasticity")[0]),
        "mu": float(p.float("europe.power_gas_price_pass_through")[0]),
        "eff": float(p.float("europe.gas_plant_efficiency")[0]),
        "spend": float(p.float("europe.household_spending_share")[0]),
        "lag": float(p.float("europe.retail_lag_months")[0]),
        "rho": float(p.float("europe.producer_rent_spending_share")[0]),
    }
    lng_exports = {
        "USA": "united_states",
        "AUS": "australia",
    }
    volumes = {economy: bcm for _, sub in _party_gas(data) for economy, flow, bcm in sub if flow == "lng_exports"}
    by_party: dict[str, float] = {}
    notes: dict[str, list[str]] = {}
    for e in coalition_economies(data):
        rule = COALITION_PRICE[e.economy]
        gain = 0.0
        if rule == "uk" and uk_solved:
            d_gas, basis = uk_price, "gas at the UK node's price change (the gas model solves it)"
        elif rule == "uk":
            d_gas, basis = hub, "gas at the EU hub price change (the UK node not solved: NBP assumed to follow, as E13)"
        elif rule == "hub":
            d_gas, basis = hub, "gas at the EU hub price change (hub-indexed)"
        elif rule == "asia":
            d_gas, basis = (
                spot * hub,
                f"gas at the EU hub price change x the LNG spot share ({100 * spot:.0f}%, as E13)",
            )
        else:
            d_gas = np.zeros_like(hub)
            basis = (
                "no domestic price change (Henry Hub not linked to Europe: US LNG export capacity ran full in 2021, EIA)"
                if e.economy in ("USA", "CAN")
                else "no domestic price change (oil-indexed LNG contracts, domestic market behind full export plants)"
            )
            if e.economy in lng_exports:
                gain = float(gas_trade_value_change(volumes[lng_exports[e.economy]], spot, hub[year].mean()))
                basis += (
                    "; so the row is its LNG exporters' spot gain only (its gas export revenue row, E13) spent at home"
                    " at the share rho"
                )
        if e.economy in LEDGER_LEFT_OUT:
            notes.setdefault(e.party, []).append(f"{e.economy} left out (its GDP is not in the party's total)")
            continue
        y = coalition_gdp_change(e, d_gas, exporter_gain=gain, **args)
        by_party[e.party] = by_party.get(e.party, 0.0) + float(y[year].mean())
        va = "own WIOD 2014 VA/GO" if e.va_source == "wiod_niot_2014" else "EU27 VA/GO as proxy"
        notes.setdefault(e.party, []).append(f"{e.economy}: {basis}; {va}")
    for party in ("us", "uk", "japan", "korea", "other_coalition"):
        if party not in by_party:
            continue
        add(
            party,
            "gdp_gas_shock",
            by_party[party] * usd,
            "GDP change from the gas shock, price channel on its own energy use (E14, from the coalition gas-use table: "
            "firms' gas and power costs, "
            "households' bills, producers' rents; no rationing, no production network): " + "; ".join(notes[party]),
            "europe_coalition_gas_use.csv (JRC-WIOD 2016, WIOD 2014, bp 2020); gas: outputs eu_price_eur_mwh_by_month,"
            " eu_price_reference_eur_mwh_by_month, node_price_eur_mwh (node UK)",
        )
