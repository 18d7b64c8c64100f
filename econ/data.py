"""Baseline data: loading of data/*.csv with schema and unit checks.

Each table is declared once below (columns, their kind, the unit carried in
the column name, allowed categories, key columns). Loading fails with a
DataError that names the file, the row and the column. Tables are read once
per data directory and cached; models receive them as arguments, never read
files themselves.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from .errors import DataError
from .paths import data_dir

EU_GAS_COUNTRIES = (
    "AT",
    "BE",
    "BG",
    "HR",
    "CZ",
    "DK",
    "EE",
    "FI",
    "FR",
    "DE",
    "GR",
    "HU",
    "IE",
    "IT",
    "LV",
    "LT",
    "LU",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SK",
    "SI",
    "ES",
    "SE",
)
# Nodes outside the EU (docs/methodology.md, gas, section 1): the UK, Switzerland (transit), Ukraine, Moldova and the
# Western Balkans supplied through Bulgaria (Serbia, Bosnia and Herzegovina, North Macedonia). Headline metrics sum
# over EU27 nodes only; tables carry every node with its geography tag (data/gas_nodes.csv).
NON_EU_GAS_NODES = ("UK", "CH", "UA", "MD", "RS", "BA", "MK")
GAS_NODES = EU_GAS_COUNTRIES + NON_EU_GAS_NODES
GAS_GEOGRAPHIES = ("eu27", "non_eu")
GAS_SECTORS = ("households", "services", "industry", "power")
# The 27 EU member states (ISO 3166 alpha-2, Greece as GR): Europe's own cost reports every one; a member state
# that is not a gas node (Cyprus) uses no network gas. Written out, not derived from the gas nodes, which may hold
# non-EU countries.
EU27 = (
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
)  # fmt: skip
RUSSIAN_ROUTES = ("nord_stream_1", "nord_stream_2", "yamal", "ukraine", "turkstream", "baltic_finland")
LNG_ORIGINS = ("us", "qatar", "russia", "nigeria", "algeria", "other")
PARTNER_GROUPS = ("eu", "us", "uk", "japan", "korea", "other_coalition", "china", "india", "turkey", "eaeu", "row")
PRODUCT_GROUPS = (
    "oil",
    "gas",
    "coal",
    "metals",
    "chemicals_fertilisers",
    "food",
    "machinery_electronics",
    "vehicles_transport",
    "other",
)
PIPELINE_CORRIDORS = (
    "norway",
    "algeria_transmed",
    "algeria_medgaz",
    "algeria_gme",
    "libya_greenstream",
    "azerbaijan_tap",
    "uk_iuk",
    "uk_bbl",
    "uk_moffat",
)


@dataclass(frozen=True)
class Column:
    kind: str  # "str", "float", "int"
    allowed: tuple | None = None
    min: float | None = None
    max: float | None = None
    optional: bool = False  # numeric cells may be empty (a series that starts later); never NaN otherwise


def _num(min: float | None = 0.0, max: float | None = None) -> Column:
    return Column("float", min=min, max=max)


def _cat(allowed: tuple | None = None) -> Column:
    return Column("str", allowed=allowed)


@dataclass(frozen=True)
class TableSchema:
    file: str
    columns: Mapping[str, Column]
    key: tuple[str, ...]
    description: str
    group_sums_to_one: tuple[str, str] | None = None  # (group column, share column)


SCHEMAS: dict[str, TableSchema] = {
    "gas_nodes": TableSchema(
        "gas_nodes.csv",
        {"country": _cat(GAS_NODES), "name": _cat(), "geography": _cat(GAS_GEOGRAPHIES), "role": _cat()},
        ("country",),
        "Gas model nodes with their geography tag (eu27 or non_eu)",
    ),
    "gas_demand_annual": TableSchema(
        "gas_demand_annual.csv",
        {"country": _cat(GAS_NODES), "sector": _cat(GAS_SECTORS), "demand_bcm_per_year": _num()},
        ("country", "sector"),
        "Annual gas demand by country and sector, bcm/yr (GCV 40 MJ/m3)",
    ),
    "gas_demand_monthly_profile": TableSchema(
        "gas_demand_monthly_profile.csv",
        {"month": Column("int", min=1, max=12), "sector": _cat(GAS_SECTORS), "share_of_annual": _num(0, 1)},
        ("month", "sector"),
        "Monthly share of annual demand by sector",
        group_sums_to_one=("sector", "share_of_annual"),
    ),
    "gas_production": TableSchema(
        "gas_production.csv",
        {"country": _cat(GAS_NODES), "production_bcm_per_year": _num()},
        ("country",),
        "Domestic production, bcm/yr",
    ),
    "gas_imports_by_partner": TableSchema(
        "gas_imports_by_partner.csv",
        {"country": _cat(GAS_NODES), "partner": _cat(), "imports_bcm_per_year": _num()},
        ("country", "partner"),
        "Imports by partner (Eurostat), bcm/yr",
    ),
    "gas_russian_routes": TableSchema(
        "gas_russian_routes.csv",
        {
            "route": _cat(RUSSIAN_ROUTES),
            "entry_country": _cat(GAS_NODES),
            "capacity_mcm_per_day": _num(),
            "flow_2021_bcm": _num(),
            "flow_run_rate_bcm_per_year": _num(),
        },
        ("route", "entry_country"),
        "Russian pipeline routes into the EU by entry country: capacity, 2021 flow and the run-rate of 1 January"
        " to 23 February 2022",
    ),
    "gas_pipeline_supply": TableSchema(
        "gas_pipeline_supply.csv",
        {
            "corridor": _cat(PIPELINE_CORRIDORS),
            "entry_country": _cat(GAS_NODES),
            "capacity_mcm_per_day": _num(),
            "flow_base_bcm_per_year": _num(),
        },
        ("corridor", "entry_country"),
        "Non-Russian pipeline supply corridors by entry country",
    ),
    "gas_norway_monthly_profile": TableSchema(
        "gas_norway_monthly_profile.csv",
        {"entries": _cat(("continent", "all")), "month": Column("int", min=1, max=12), "ratio_to_mean": _num(0, 3)},
        ("entries", "month"),
        "Norway's mean daily deliveries by calendar month 2015-2021 over the annual mean: continental entries, all",
    ),
    "gas_supply_monthly_profile": TableSchema(
        "gas_supply_monthly_profile.csv",
        {
            "supply": _cat(("lng_eu27", "algeria_transmed", "algeria_medgaz", "algeria_gme", "libya_greenstream")),
            "month": Column("int", min=1, max=12),
            "ratio_to_mean": _num(0, 3),
        },
        ("supply", "month"),
        "EU27 LNG send-out and the Algerian and Libyan pipes' mean daily flow by calendar month 2015-2021 over the "
        "annual mean",
    ),
    "gas_corridor_groups": TableSchema(
        "gas_corridor_groups.csv",
        {
            "corridor": _cat(PIPELINE_CORRIDORS),
            "group": _cat(),
            "entry_countries": _cat(),
            "capacity_mcm_per_day": _num(),
            "flow_2020_bcm": _num(),
        },
        ("corridor", "group"),
        "Caps on groups of one corridor's entries (Norway's continental pipes), mcm/d",
    ),
    "gas_lng_terminals": TableSchema(
        "gas_lng_terminals.csv",
        {"country": _cat(GAS_NODES), "regas_capacity_bcm_per_year": _num(), "terminals": _cat()},
        ("country",),
        "LNG regasification capacity in operation, Feb 2022",
    ),
    "gas_lng_imports": TableSchema(
        "gas_lng_imports.csv",
        {"country": _cat(GAS_NODES), "origin": _cat(LNG_ORIGINS), "lng_bcm_per_year": _num()},
        ("country", "origin"),
        "LNG imports by country and origin, bcm/yr",
    ),
    "gas_lng_exporters": TableSchema(
        "gas_lng_exporters.csv",
        {
            "origin": _cat(LNG_ORIGINS),
            "export_capacity_bcm_per_year": _num(),
            "exports_bcm_per_year": _num(),
            "to_eu_bcm_per_year": _num(),
            "to_asia_bcm_per_year": _num(),
        },
        ("origin",),
        "LNG exporters: capacity, exports and destinations, bcm/yr",
    ),
    "gas_peak_demand": TableSchema(
        "gas_peak_demand.csv",
        {
            "country": _cat(GAS_NODES),
            "peak_month": _cat(),
            "peak_month_avg_gwh_d": _num(),
            "peak_to_month_ratio": _num(1.0),
            "ratio_day": _cat(),
            "peak_demand_gwh_d": _num(),
        },
        ("country",),
        "Peak-day gas demand of each EU member state, GWh/d GCV (scripts/build_gas_peak_data.py: an econ estimate)",
    ),
    "gas_storage": TableSchema(
        "gas_storage.csv",
        {
            "country": _cat(GAS_NODES),
            "working_gas_bcm": _num(),
            "injection_mcm_per_day": _num(),
            "withdrawal_mcm_per_day": _num(),
        },
        ("country",),
        "Underground storage by country",
    ),
    "gas_interconnectors": TableSchema(
        "gas_interconnectors.csv",
        {
            "from_country": _cat(GAS_NODES),
            "to_country": _cat(GAS_NODES),
            "capacity_mcm_per_day": _num(),
            "points": _cat(),
        },
        ("from_country", "to_country"),
        "Cross-border firm technical capacity between model nodes",
    ),
    "gas_link_tariffs_2021": TableSchema(
        "gas_link_tariffs_2021.csv",
        {
            "acer_row": Column("int", min=1),
            "from_country": _cat(GAS_NODES),
            "to_country": _cat(GAS_NODES),
            "exit_tariff_eur_mwh": _num(0),
            "entry_tariff_eur_mwh": _num(0),
            "tariff_eur_mwh": _num(0),
            "publisher": _cat(),
            "document": _cat(),
            "url": _cat(),
            "note": _cat(),
        },
        ("acer_row",),
        "Cross-border transport cost (exit + entry tariff, yearly product, 100% load factor) at ACER's borders, 2021",
    ),
    "gas_storage_fill_2021": TableSchema(
        "gas_storage_fill_2021.csv",
        {"month": Column("int", min=1, max=15), "eu_fill_share_start_of_month": _num(0, 1)},
        ("month",),
        "EU aggregate storage fill on the first day of each month, 2021 (13-15: Jan-Mar 2022)",
    ),
    "gas_prices_monthly": TableSchema(
        "gas_prices_monthly.csv",
        {
            "month": _cat(),
            "ngas_eur_usd_mmbtu": _num(),
            "ngas_jp_usd_mmbtu": _num(),
            "eur_usd": _num(),
            "ttf_eur_mwh": _num(),
            "japan_lng_eur_mwh": _num(),
        },
        ("month",),
        "Monthly European (TTF-based) and Japanese LNG gas prices 2019-01 to 2022-01, USD/mmbtu and EUR/MWh",
    ),
    "gas_russia_monthly_2021": TableSchema(
        "gas_russia_monthly_2021.csv",
        {"month": _cat(), "russia_mcm_per_day": _num(), "ratio_to_2021_mean": _num()},
        ("month",),
        "Russian pipeline entry flows into Europe by month, 2021-01 to 2022-02, mcm/d and ratio to the 2021 mean",
    ),
    "ru_trade_by_partner_2021": TableSchema(
        "ru_trade_by_partner_2021.csv",
        {"partner_group": _cat(PARTNER_GROUPS), "exports_usd_bn": _num(), "imports_usd_bn": _num()},
        ("partner_group",),
        "Russia's 2021 goods trade by partner group, USD bn",
    ),
    "ru_trade_by_product_2021": TableSchema(
        "ru_trade_by_product_2021.csv",
        {"product_group": _cat(PRODUCT_GROUPS), "exports_usd_bn": _num(), "imports_usd_bn": _num()},
        ("product_group",),
        "Russia's 2021 goods trade by product group, USD bn",
    ),
    "ru_trade_partner_product_2021": TableSchema(
        "ru_trade_partner_product_2021.csv",
        {
            "flow": _cat(("exports", "imports")),
            "partner_group": _cat(PARTNER_GROUPS),
            "product_group": _cat(PRODUCT_GROUPS),
            "value_usd_bn": _num(),
        },
        ("flow", "partner_group", "product_group"),
        "Russia's 2021 trade, partner x product (estimate), USD bn",
    ),
    "ru_payment_currency_2021": TableSchema(
        "ru_payment_currency_2021.csv",
        {
            "flow": _cat(("exports", "imports")),
            "currency": _cat(("usd", "eur", "rub", "cny", "other")),
            "share": _num(0, 1),
        },
        ("flow", "currency"),
        "Currency structure of Russia's trade payments, 2021",
        group_sums_to_one=("flow", "share"),
    ),
    "ru_reserves_2022": TableSchema(
        "ru_reserves_2022.csv",
        {"dimension": _cat(("currency", "custodian")), "category": _cat(), "share": _num(0, 1), "value_usd_bn": _num()},
        ("dimension", "category"),
        "Bank of Russia reserves by currency and custodian, 1 January 2022",
        group_sums_to_one=("dimension", "share"),
    ),
    "ru_chip_imports_2021": TableSchema(
        "ru_chip_imports_2021.csv",
        {
            "origin": _cat(("us", "eu", "japan", "korea", "taiwan", "uk", "other_coalition", "china", "row", "world")),
            "product": _cat(("chips", "chip_containing")),
            "value_usd_bn": _num(),
        },
        ("origin", "product"),
        "Russia's imports of chips and chip-containing goods by origin, USD bn",
    ),
    "ru_io_domestic_2016": TableSchema(
        "ru_io_domestic_2016.csv",
        {
            "sector_from": _cat(),
            "sector_to": _cat(),
            "domestic_input_share": _num(0, 1),
            "output_to_rub_bn": _num(0),
            "gva_to_rub_bn": _num(0),
        },
        ("sector_from", "sector_to"),
        "Domestic intermediate input shares between Russian sectors (Rosstat input-output 2016)",
    ),
    "ru_sector_electronics_2016": TableSchema(
        "ru_sector_electronics_2016.csv",
        {
            "sector": _cat(),
            "output_rub_bn": _num(),
            "imported_electronics_input_share": _num(0, 1),
            "electronics_input_share": _num(0, 1),
            "gdp_share": _num(0, 1),
        },
        ("sector",),
        "Electronics input shares of Russian sectors (Rosstat input-output 2016)",
    ),
    "ru_bop_2021": TableSchema(
        "ru_bop_2021.csv",
        {"item": _cat(), "value_usd_bn": _num(None)},
        ("item",),
        "Russia's 2021 balance of payments, published items, USD bn",
    ),
    "ru_macro_2021": TableSchema(
        "ru_macro_2021.csv",
        {"item": _cat(), "value": _num(None), "unit": _cat(), "note": _cat()},
        ("item",),
        "Levels the ruble and macro models start from",
    ),
    "ru_macro_monthly": TableSchema(
        "ru_macro_monthly.csv",
        {
            "month": _cat(),
            "usd_rub_avg": Column("float", min=0, optional=True),
            "usd_rub_end": Column("float", min=0, optional=True),
            "brent_usd_per_bbl": Column("float", min=0, optional=True),
            "key_rate_pct": Column("float", min=0, optional=True),
            "reserves_usd_bn": Column("float", min=0, optional=True),
        },
        ("month",),
        "Monthly ruble, Brent, key rate and reserves, 2013-2022",
    ),
    "calibration_episodes": TableSchema(
        "calibration_episodes.csv",
        {
            "episode": _cat(("russia_2008_09", "russia_2014_15", "iran_2012")),
            "metric": _cat(),
            "value": _num(None),
            "unit": _cat(),
            "publisher": _cat(),
            "document": _cat(),
            "year": _cat(),
            "url": _cat(),
            "note": _cat(),
        },
        ("episode", "metric"),
        "Published figures of the 2014-15 and Iran 2012 episodes",
    ),
    "europe_sectors": TableSchema(
        "europe_sectors.csv",
        {
            "country": _cat(EU27),
            "sector": _cat(),
            "gas_sector": _cat(GAS_SECTORS),
            "gross_output_eur_bn": _num(),
            "value_added_eur_bn": _num(None),
            "exports_eur_bn": _num(),
            "gas_use_gwh": _num(),
            "electricity_use_gwh": _num(),
            "energy_source": _cat(),
        },
        ("country", "sector"),
        "Gross output, value added (2021 EUR bn) and gas and electricity use (GWh) by EU country and sector",
    ),
    "europe_io": TableSchema(
        "europe_io.csv",
        {"country": _cat(EU27), "sector_from": _cat(), "sector_to": _cat(), "input_eur_bn": _num()},
        ("country", "sector_from", "sector_to"),
        "Domestic intermediate flows between sectors by EU country (WIOD 2014 structure), 2021 EUR bn",
    ),
    "europe_countries": TableSchema(
        "europe_countries.csv",
        {
            "country": _cat(EU27),
            "gdp_2021_eur_bn": _num(),
            "household_energy_spending_eur_bn": _num(),
            "household_consumption_eur_bn": _num(),
            "household_gas_gwh": _num(),
            "household_electricity_gwh": _num(),
            "exports_to_russia_2021_eur_bn": _num(),
            "energy_source": _cat(),
        },
        ("country",),
        "EU countries: GDP 2021 and households' energy spending and use",
    ),
    "europe_households": TableSchema(
        "europe_households.csv",
        {
            "country": _cat(EU27),
            "households_thousand": _num(),
            "year": _num(2000.0, 2030.0),
            "source": _cat(),
        },
        ("country",),
        "Private households by EU member state (Eurostat lfst_hhnhtych, EU-LFS), thousand: the denominator of the "
        "per-household energy bills",
    ),
    "europe_party_gdp_2021": TableSchema(
        "europe_party_gdp_2021.csv",
        {
            "party": _cat(tuple(g for g in PARTNER_GROUPS if g != "eu")),
            "gdp_usd_bn": _num(),
            "economies": _cat(),
            "note": _cat(),
        },
        ("party",),
        "2021 GDP of the cost ledger's non-EU parties (World Bank), USD bn",
    ),
    "europe_party_gas_2020": TableSchema(
        "europe_party_gas_2020.csv",
        {
            "party": _cat(tuple(g for g in PARTNER_GROUPS if g != "eu")),
            "economy": _cat(),
            "flow": _cat(("lng_imports", "lng_exports", "pipeline_exports", "net_imports")),
            "bcm_2020": _num(),
            "source": _cat(),
        },
        ("party", "economy"),
        "Gas trade of the cost ledger's non-EU parties whose value the gas price moves (bp, 2020), bcm",
    ),
    "europe_coalition_gas_use": TableSchema(
        "europe_coalition_gas_use.csv",
        {
            "economy": _cat(("AUS", "CAN", "CHE", "GBR", "JPN", "KOR", "NOR", "TWN", "USA")),
            "use": _cat(),
            "party": _cat(("us", "uk", "japan", "korea", "other_coalition")),
            "gas_gwh": _num(),
            "electricity_gwh": _num(),
            "va_per_output": _num(0.0, 1.0),
            "energy_source": _cat(),
            "va_source": _cat(("wiod_niot_2014", "eu27_proxy", "not_applicable")),
        },
        ("economy", "use"),
        "Non-EU coalition economies: gas and electricity use by sector and households (JRC-WIOD 2016), value added "
        "per unit of output (WIOD 2014), gas production (bp 2020), GWh (E14)",
    ),
    "gas_validation_2021": TableSchema(
        "gas_validation_2021.csv",
        {
            "metric": _cat(),
            "geography": _cat(),
            "value": _num(None),
            "unit": _cat(),
            "publisher": _cat(),
            "document": _cat(),
            "year": _cat(),
            "url": _cat(),
        },
        ("metric",),
        "Published 2021 totals the baseline is checked against",
    ),
}


def _check_table(name: str, schema: TableSchema, df: pd.DataFrame, path: Path) -> pd.DataFrame:
    missing = [c for c in schema.columns if c not in df.columns]
    if missing:
        raise DataError(f"{path}: missing column(s) {', '.join(missing)}; expected {', '.join(schema.columns)}")
    df = df[list(schema.columns)].copy()
    for col, spec in schema.columns.items():
        series = df[col]
        if spec.kind in ("float", "int"):
            numeric = pd.to_numeric(series, errors="coerce")
            empty = series.isna() if spec.optional else pd.Series(False, index=series.index)
            bad = (numeric.isna() & ~empty) | ~np.isfinite(numeric.fillna(0).astype(float))
            if bad.any():
                row = int(bad.to_numpy().nonzero()[0][0])
                raise DataError(
                    f"{path}: row {row + 2}, column '{col}': value {series.iloc[row]!r} is not a finite number"
                )
            if spec.kind == "int":
                if not (numeric == numeric.round()).all():
                    row = int((numeric != numeric.round()).to_numpy().nonzero()[0][0])
                    raise DataError(
                        f"{path}: row {row + 2}, column '{col}': value {series.iloc[row]!r} is not a whole number"
                    )
                numeric = numeric.astype(int)
            for bound, op, word in ((spec.min, np.less, "below"), (spec.max, np.greater, "above")):
                if bound is None:
                    continue
                with np.errstate(invalid="ignore"):
                    out = op(numeric.to_numpy(dtype=float), bound - 1e-9 if word == "below" else bound + 1e-9)
                if out.any():
                    row = int(out.nonzero()[0][0])
                    raise DataError(
                        f"{path}: row {row + 2}, column '{col}': value {series.iloc[row]!r} is {word} the allowed {bound}"
                    )
            df[col] = numeric
        else:
            if series.isna().any() and spec.allowed is not None:
                row = int(series.isna().to_numpy().nonzero()[0][0])
                raise DataError(f"{path}: row {row + 2}, column '{col}': empty value")
            df[col] = series.fillna("").astype(str).str.strip()
            if spec.allowed is not None:
                bad = ~df[col].isin(spec.allowed)
                if bad.any():
                    row = int(bad.to_numpy().nonzero()[0][0])
                    raise DataError(
                        f"{path}: row {row + 2}, column '{col}': value {df[col].iloc[row]!r} is not one of "
                        f"{', '.join(spec.allowed)}"
                    )
    dup = df.duplicated(list(schema.key))
    if dup.any():
        row = int(dup.to_numpy().nonzero()[0][0])
        key = ", ".join(f"{k}={df[k].iloc[row]}" for k in schema.key)
        raise DataError(f"{path}: row {row + 2}: duplicate key ({key})")
    if schema.group_sums_to_one:
        group, share = schema.group_sums_to_one
        sums = df.groupby(group)[share].sum()
        off = sums[(sums - 1).abs() > 1e-3]
        if len(off):
            raise DataError(f"{path}: shares in '{share}' for {group}={off.index[0]} sum to {off.iloc[0]:.4f}, not 1")
    return df


@dataclass(frozen=True, eq=False)
class Data:
    """All baseline tables, read-only, with a hash of the files for manifests.

    Compared and hashed by identity: ``load_data`` hands out one object per
    directory state, so model caches keyed on it stay valid.
    """

    tables: Mapping[str, pd.DataFrame]
    directory: Path
    sha256: str
    file_hashes: Mapping[str, str] = field(default_factory=dict)

    def __getitem__(self, name: str) -> pd.DataFrame:
        try:
            return self.tables[name]
        except KeyError:
            raise DataError(f"no data table '{name}'; tables: {', '.join(sorted(self.tables))}") from None

    def sources(self) -> pd.DataFrame:
        path = self.directory / "SOURCES.csv"
        return pd.read_csv(path) if path.is_file() else pd.DataFrame()


def _read_csv(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except pd.errors.ParserError as exc:
        raise DataError(f"{path}: not a valid CSV file: {exc}") from None
    except UnicodeDecodeError:
        raise DataError(f"{path}: not a UTF-8 text file") from None


@lru_cache(maxsize=4)
def _load_cached(directory: Path, stamp: tuple) -> Data:
    del stamp
    tables: dict[str, pd.DataFrame] = {}
    hashes: dict[str, str] = {}
    for name, schema in SCHEMAS.items():
        path = directory / schema.file
        if not path.is_file():
            raise DataError(f"{path}: data file not found ({schema.description})")
        df = _check_table(name, schema, _read_csv(path), path)
        df.flags.allows_duplicate_labels = False
        tables[name] = df
        hashes[schema.file] = hashlib.sha256(path.read_bytes()).hexdigest()
    total = hashlib.sha256("".join(f"{k}:{v}" for k, v in sorted(hashes.items())).encode()).hexdigest()
    return Data(MappingProxyType(tables), directory, total, MappingProxyType(hashes))


def load_data(directory: str | Path | None = None) -> Data:
    """Load and check every table in ``directory`` (default: the project's data/)."""
    d = Path(directory) if directory is not None else data_dir()
    if not d.is_dir():
        raise DataError(f"{d}: data directory not found")
    d = d.resolve()
    stamp = tuple((s.file, (d / s.file).stat().st_mtime_ns if (d / s.file).exists() else -1) for s in SCHEMAS.values())
    return _load_cached(d, stamp)


def gas_nodes(data: Data) -> tuple[str, ...]:
    """Every gas node of the data in one fixed order (the sorted countries of ``gas_demand_annual``): the order of
    every per-node array in the gas module's outputs, whichever network a run solves (the EU-only network fills
    the non-EU nodes with NaN prices and zero quantities). Models that read those arrays take the order from
    here, never from a copy."""
    return tuple(sorted(data["gas_demand_annual"]["country"].unique()))
