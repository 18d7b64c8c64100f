"""One declaration per headline metric: its unit, label, module, geography and which direction is better.

Every face reads these: the models (their ``METRICS``), the engine's headline table, the app's cards and
colours, the CLI's defaults, the reports and the uncertainty tools. ``better_when`` is +1 when a rise is good
for the economy concerned (shown green), -1 when it is bad (red), 0 when neither. ``roles`` mark where a
metric is featured: ``card`` (the app's headline cards, in this order), ``histogram`` (the app's Monte Carlo
histograms), ``sweep`` (the default metrics of ``econ sweep``).
"""

from __future__ import annotations

from .errors import EconError
from .model import MetricInfo

METRICS: tuple[MetricInfo, ...] = (
    # swift
    MetricInfo(
        "swift_exposed_trade_pct",
        "% of 2021 trade value (average of the first 12 months)",
        "Trade whose payments run through excluded banks",
        "Russia",
        "swift",
        better_when=0,
    ),
    MetricInfo(
        "swift_friction_first_month_pct",
        "% ad valorem (trade-weighted)",
        "SWIFT payment friction, first month",
        "Russia",
        "swift",
        better_when=-1,
    ),
    MetricInfo(
        "swift_friction_12m_pct",
        "% ad valorem (trade-weighted)",
        "SWIFT payment friction after a year",
        "Russia",
        "swift",
        better_when=-1,
    ),
    # dollar
    MetricInfo(
        "reserves_frozen_bn_usd",
        "USD bn (most over the horizon)",
        "Bank of Russia reserves frozen",
        "Russia",
        "dollar",
        better_when=-1,
    ),
    MetricInfo(
        "reserves_frozen_pct",
        "% of reserves on 1 Jan 2022 (most over the horizon)",
        "Share of reserves frozen",
        "Russia",
        "dollar",
        better_when=-1,
    ),
    MetricInfo(
        "dollar_affected_trade_pct",
        "% of 2021 trade value (average of the first 12 months)",
        "Trade invoiced in currencies whose clearing is banned",
        "Russia",
        "dollar",
        better_when=0,
    ),
    MetricInfo(
        "dollar_friction_12m_pct",
        "% ad valorem (trade-weighted)",
        "Clearing-ban friction after a year",
        "Russia",
        "dollar",
        better_when=-1,
    ),
    # chips
    MetricInfo(
        "chip_supply_gap_pct",
        "% of 2021 chip supply (first 12 months)",
        "Chip supply gap, average over the first year",
        "Russia",
        "chips",
        better_when=-1,
    ),
    MetricInfo(
        "chip_supply_gap_first_month_pct",
        "% of 2021 chip supply",
        "Chip supply gap, first month",
        "Russia",
        "chips",
        better_when=-1,
    ),
    MetricInfo(
        "chip_sector_loss_max_pct",
        "% of sector output (first 12 months)",
        "Largest sector output loss from the chip gap",
        "Russia",
        "chips",
        better_when=-1,
    ),
    # ruble
    MetricInfo(
        "rub_usd_peak",
        "RUB per USD",
        "Ruble at its weakest (monthly)",
        "Russia",
        "ruble",
        better_when=-1,
        roles=frozenset({"card", "histogram", "sweep"}),
    ),
    MetricInfo(
        "rub_usd_12m",
        "RUB per USD",
        "Ruble after 12 months",
        "Russia",
        "ruble",
        better_when=-1,
        roles=frozenset({"card"}),
    ),
    MetricInfo(
        "rub_depreciation_peak_pct",
        "% of the ruble's USD value (vs 23 Feb 2022)",
        "Ruble's largest loss of value",
        "Russia",
        "ruble",
        better_when=-1,
    ),
    MetricInfo(
        "reserves_used_bn_usd",
        "USD bn (first 12 months, net)",
        "Reserves sold to defend the ruble",
        "Russia",
        "ruble",
        better_when=-1,
    ),
    MetricInfo(
        "russia_imports_change_pct",
        "% vs 2021 (first 12 months)",
        "Russia's goods imports, value in USD",
        "Russia",
        "ruble",
        better_when=1,
        roles=frozenset({"card"}),
    ),
    MetricInfo("russia_cpi_peak_pct", "% y/y", "Peak consumer-price inflation", "Russia", "ruble", better_when=-1),
    MetricInfo(
        "russia_current_account_bn_usd",
        "USD bn (first 12 months)",
        "Russia's current account",
        "Russia",
        "ruble",
        better_when=0,
    ),
    MetricInfo(
        "russia_capital_outflow_bn_usd",
        "USD bn (first 12 months)",
        "Private net capital outflow",
        "Russia",
        "ruble",
        better_when=-1,
    ),
    MetricInfo(
        "ruble_censored_months",
        "months (first 12)",
        "Months in which usable reserves bound the central bank",
        "Russia",
        "ruble",
        better_when=0,
    ),
    # energy
    MetricInfo(
        "russia_oil_gas_revenue_bn_usd",
        "USD bn (first 12 months)",
        "Russia's oil and gas export revenue",
        "Russia",
        "energy",
        better_when=1,
    ),
    MetricInfo(
        "russia_oil_gas_revenue_change_pct",
        "% vs no sanctions (first 12 months)",
        "Russia's oil and gas export revenue, change",
        "Russia",
        "energy",
        better_when=1,
        roles=frozenset({"card"}),
    ),
    MetricInfo(
        "urals_discount_usd_bbl",
        "USD/bbl (mean of the first 12 months)",
        "Urals discount to Brent",
        "Russia",
        "energy",
        better_when=-1,
    ),
    MetricInfo(
        "russia_budget_oil_gas_revenue_bn_usd",
        "USD bn (first 12 months)",
        "Federal oil and gas revenue",
        "Russia",
        "energy",
        better_when=1,
    ),
    MetricInfo(
        "russia_budget_oil_gas_revenue_change_pct",
        "% vs no sanctions (first 12 months)",
        "Federal oil and gas revenue, change",
        "Russia",
        "energy",
        better_when=1,
    ),
    # trade
    MetricInfo(
        "russia_exports_change_pct",
        "% vs 2021 (first 12 months)",
        "Russia's goods exports, value in USD",
        "Russia",
        "trade",
        better_when=1,
        roles=frozenset({"card"}),
    ),
    MetricInfo(
        "russia_exports_volume_change_pct",
        "% vs 2021 (first 12 months)",
        "Russia's goods exports, volume (2021 prices)",
        "Russia",
        "trade",
        better_when=1,
    ),
    MetricInfo(
        "russia_imports_pre_fx_change_pct",
        "% vs 2021 (first 12 months)",
        "Russia's goods imports before the exchange-rate response",
        "Russia",
        "trade",
        better_when=1,
    ),
    # macro
    MetricInfo(
        "russia_gdp_change_pct",
        "% of GDP (first 12 months vs no sanctions)",
        "Russia's GDP change",
        "Russia",
        "macro",
        better_when=1,
        roles=frozenset({"card", "histogram", "sweep"}),
    ),
    MetricInfo(
        "gdp_channel_exports_pct",
        "% of GDP (first 12 months)",
        "GDP channel: Lost export volume",
        "Russia",
        "macro",
        better_when=1,
    ),
    MetricInfo(
        "gdp_channel_imported_inputs_pct",
        "% of GDP (first 12 months)",
        "GDP channel: Import compression of intermediates",
        "Russia",
        "macro",
        better_when=1,
    ),
    MetricInfo(
        "gdp_channel_chips_pct",
        "% of GDP (first 12 months)",
        "GDP channel: Chip bottlenecks",
        "Russia",
        "macro",
        better_when=1,
    ),
    MetricInfo(
        "gdp_channel_finance_pct",
        "% of GDP (first 12 months)",
        "GDP channel: Financial frictions and the key rate",
        "Russia",
        "macro",
        better_when=1,
    ),
    MetricInfo(
        "gdp_channel_terms_of_trade_pct",
        "% of GDP (first 12 months)",
        "GDP channel: Terms of trade",
        "Russia",
        "macro",
        better_when=1,
    ),
    # gas
    MetricInfo(
        "eu_gas_shortfall_bcm",
        "bcm",
        "Unserved gas demand over the horizon",
        "EU27",
        "gas",
        better_when=-1,
        roles=frozenset({"card", "histogram", "sweep"}),
    ),
    MetricInfo(
        "eu_gas_shortfall_pct",
        "% of demand",
        "Unserved gas demand, share of demand",
        "EU27",
        "gas",
        better_when=-1,
        roles=frozenset({"card"}),
    ),
    MetricInfo(
        "eu_storage_min_pct",
        "% of working gas",
        "Lowest end-of-month storage fill",
        "EU27",
        "gas",
        better_when=1,
        roles=frozenset({"card", "histogram"}),
    ),
    MetricInfo("eu_storage_nov1_pct", "% of working gas", "Storage fill on 1 November", "EU27", "gas", better_when=1),
    MetricInfo(
        "russian_gas_lost_bcm", "bcm", "Russian gas lost against 2021-like flows", "EU27", "gas", better_when=-1
    ),
    MetricInfo(
        "qatar_lng_share_of_gap_pct",
        "% of lost Russian gas",
        "Share of the Russian gap covered by Qatari LNG",
        "EU27",
        "gas",
        better_when=0,
        roles=frozenset({"card"}),
    ),
    MetricInfo(
        "lng_share_of_gap_pct",
        "% of lost Russian gas",
        "Share of the Russian gap covered by all LNG",
        "EU27",
        "gas",
        better_when=0,
        roles=frozenset({"card"}),
    ),
    MetricInfo("demand_reduction_bcm", "bcm", "Demand reduction used", "EU27", "gas", better_when=-1),
    MetricInfo("lng_imports_bcm", "bcm", "LNG imports over the horizon", "EU27", "gas", better_when=0),
    MetricInfo(
        "russian_gas_delivered_bcm", "bcm", "Russian gas delivered (pipeline and LNG)", "EU27", "gas", better_when=0
    ),
)

BY_ID = {m.id: m for m in METRICS}


def metrics_for(module: str) -> tuple[MetricInfo, ...]:
    """The metrics a module reports, in declaration order."""
    out = tuple(m for m in METRICS if m.module == module)
    if not out:
        raise EconError(f"no metrics are declared for module '{module}'")
    return out


def featured(role: str) -> tuple[str, ...]:
    """Ids of the metrics with ``role`` (card, histogram, sweep), in declaration order."""
    return tuple(m.id for m in METRICS if role in m.roles)
