"""Build the tables of Europe's own cost (data/europe_*.csv) from the publishers' raw files.

Usage: python scripts/build_europe_data.py [--raw-dir DIR] [--out DIR] [--published FILE]

  --raw-dir    the raw europe files (default: $ECON_DATA_RAW/europe, else <repo>/../shared/data-raw/europe); the
               World Bank WDI growth file is read from the sibling folder sanctions/
  --out        where the tables are written (default: <repo>/data)
  --published  the hand-entered published figures (default: <repo>/data/europe_published_figures.csv)

Writes, for the 27 EU member states and 12 sectors aggregated from WIOD's 56 industries:

- europe_sectors.csv: gross output and value added by country and sector (WIOD 2016 release, national
  input-output tables, 2014, USD million), scaled to 2021 EUR by the country's factor
  f_c = GDP_2021,c / VA_2014,c (every industry grows with the country's GDP); gas use and electricity use
  (JRC-WIOD energy accounts, 2016, TJ of gross energy use, NATGAS and ELECTR_HEATPROD), in GWh GCV for gas
  (TJ / 3.6, NCV -> GCV with the published ratio) and GWh for electricity and derived heat.
- europe_io.csv: domestic intermediate flows between the 12 sectors (WIOD 2014, "Domestic" rows), 2021 EUR bn.
- europe_party_gdp_2021.csv: 2021 GDP (USD bn) of the cost ledger's non-EU parties (World Bank WDI, hand-entered
  in europe_published_figures.csv), the rest of the world as the residual.
- europe_party_gas_2020.csv: the ledger's non-EU parties' gas trade whose value the gas price moves (bp Statistical
  Review of World Energy 2021, data for 2020, bcm at 40 MJ/m3 GCV, raw file gas/bp_statistical_review_2021_all_data.xlsx):
  LNG imports of Japan, Korea, China, India and Turkey (sheet "Gas - LNG imports"), LNG exports of the US,
  Australia and Qatar (sheet
  "Gas - LNG exports"), Norway's pipeline exports (sheet "Gas - Trade movts - pipeline", row "Total exports"), the
  UK's net imports (sheets "Gas Consumption - Bcm" less "Gas Production - Bcm"; used when the gas model does not
  solve the UK node).
- europe_coalition_gas_use.csv (E14): the non-EU coalition economies of the JRC-WIOD energy accounts (GBR, USA, JPN,
  KOR, CAN, CHE, NOR, AUS, TWN): gas and electricity use by the 12 sectors and by households (ENERGY_YEAR, GWh, gas
  GCV), value added per unit of gross output by sector (WIOD 2014 national IO table where the archive has one: GBR,
  USA, NOR; else the EU27's aggregate ratio, va_source = eu27_proxy: the archive holds 32 of WIOD's 43 countries),
  and gas production for the producers (bp Statistical Review 2021, sheet "Gas Production - Bcm", 2020).
- europe_countries.csv: GDP 2021 (EUR bn), households' spending on electricity, gas and steam (WIOD 2014 final
  consumption of households, CONS_h, product D35, domestic + imported, scaled by f_c), households' final
  consumption (CONS_h: products plus net product taxes, scaled by f_c), households' gas and
  electricity use (JRC-WIOD vCONS_h_new).
- europe_households.csv: private households by member state, thousand (Eurostat lfst_hhnhtych, EU-LFS, total,
  2023; hand-entered in europe_published_figures.csv from a secondary API extract, see data/SOURCES.csv), checked
  against the extract's EU27 row. The denominator of the per-household bills (E8); no member state is filled in.

GDP 2021 by country: the EU27 total published by Eurostat (hand-entered in europe_published_figures.csv), split
in proportion to each country's 2014 value added (WIOD, USD) grown by its real GDP growth 2015-2021 (World Bank
WDI, NY.GDP.MKTP.KD.ZG). Relative price and exchange-rate changes since 2014 are not in the split.

The Netherlands is missing from the JRC-WIOD energy accounts. Its gas use by sector is the project's own
gas_demand_annual.csv (industry, power, services; Eurostat-based, see data/SOURCES.csv) split across the
industrial sectors in proportion to the EU-26 gas use per unit of gross output times the Dutch gross output; its
electricity use is the EU-26 electricity use per unit of gross output times the Dutch gross output (households:
EU-26 use per EUR of household D35 spending). The rows say so in column ``energy_source``.

One WIOD artefact is corrected: a sector whose domestic intermediate sales reach its gross output (the refining
sectors of countries without a refinery, e.g. Cyprus with 95 times its tiny output: re-exports of imported fuel)
is treated as imported (its row of europe_io.csv is zero); the script prints every case.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tarfile
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from econ.data import EU27  # noqa: E402
from econ.units import GWH_PER_MCM, TWH_PER_BCM  # noqa: E402

EU27_ISO3 = {
    "AUT": "AT",
    "BEL": "BE",
    "BGR": "BG",
    "HRV": "HR",
    "CYP": "CY",
    "CZE": "CZ",
    "DNK": "DK",
    "EST": "EE",
    "FIN": "FI",
    "FRA": "FR",
    "DEU": "DE",
    "GRC": "GR",
    "HUN": "HU",
    "IRL": "IE",
    "ITA": "IT",
    "LVA": "LV",
    "LTU": "LT",
    "LUX": "LU",
    "MLT": "MT",
    "NLD": "NL",
    "POL": "PL",
    "PRT": "PT",
    "ROU": "RO",
    "SVK": "SK",
    "SVN": "SI",
    "ESP": "ES",
    "SWE": "SE",
}
# The model's sectors (econ/europe.py reads them from the data) and the gas-market sector whose rationing hits them.
SECTORS = {
    "agriculture": "industry",
    "mining": "industry",
    "food": "industry",
    "wood_paper": "industry",
    "refining": "industry",
    "chemicals": "industry",
    "minerals": "industry",
    "metals": "industry",
    "other_manufacturing": "industry",
    "power": "power",
    "construction_utilities": "industry",
    "services": "services",
}
IO_YEAR = "2014"
ENERGY_YEAR = 2016


def sector_of(code: str) -> str:
    """A WIOD industry code (IO form 'C10-C12', 'D35' or energy-account form 'vC10_12', 'vD') -> model sector."""
    c = code[1:] if code.startswith("v") else code
    letter, digits = c[0], "".join(ch for ch in c[1:3] if ch.isdigit())
    if letter == "A":
        return "agriculture"
    if letter == "B":
        return "mining"
    if letter == "C":
        num = int(digits)
        return {
            10: "food",
            16: "wood_paper",
            17: "wood_paper",
            18: "wood_paper",
            19: "refining",
            20: "chemicals",
            23: "minerals",
            24: "metals",
        }.get(num, "other_manufacturing")
    if letter == "D":
        return "power"
    if letter in ("E", "F"):
        return "construction_utilities"
    if letter in "GHIJKLMNOPQRSTU":
        return "services"
    raise ValueError(f"unknown WIOD industry code {code!r}")


def read_io(raw: Path) -> dict[str, pd.DataFrame]:
    """Each EU27 country's 2014 national IO table (USD million), keyed by ISO2."""
    out = {}
    with tarfile.open(raw / "wiod2016_national_io_tables_2000-2014.tar.gz") as tar:
        for iso3, iso2 in EU27_ISO3.items():
            member = tar.extractfile(f"{iso3}_NIOT_nov16.csv")
            if member is None:
                raise SystemExit(f"{iso3}_NIOT_nov16.csv missing from the WIOD archive")
            df = pd.read_csv(io.BytesIO(member.read()), sep=";", skiprows=[1], thousands=" ", dtype={"Year": str})
            out[iso2] = df[df["Year"] == IO_YEAR].reset_index(drop=True)
    return out


def industries(df: pd.DataFrame) -> list[str]:
    first, last = list(df.columns).index("A01"), list(df.columns).index("U")
    return list(df.columns[first : last + 1])


def wdi_growth_index(raw: Path) -> dict[str, float]:
    """Real GDP 2021 / 2014 by ISO3 from the WDI growth rates 2015-2021."""
    wdi = pd.read_csv(raw.parent / "sanctions" / "worldbank_wdi_real_gdp_growth_1960_2021.csv", skiprows=4)
    wdi = wdi.set_index("Country Code")
    years = [str(y) for y in range(2015, 2022)]
    out = {}
    for iso3 in EU27_ISO3:
        g = wdi.loc[iso3, years].astype(float)
        if g.isna().any():
            raise SystemExit(f"WDI growth missing for {iso3}: {g[g.isna()].index.tolist()}")
        out[iso3] = float(np.prod(1 + g.to_numpy() / 100))
    return out


def published(path: Path) -> dict[str, float]:
    df = pd.read_csv(path)
    return dict(zip(df["item"], df["value"].astype(float), strict=True))


def build(raw: Path, repo: Path, pub: dict[str, float]) -> dict[str, pd.DataFrame]:
    tables = read_io(raw)
    growth = wdi_growth_index(raw)
    iso2_of = EU27_ISO3
    sectors = list(SECTORS)

    # value added 2014 (USD) grown in real terms, shares of the EU27 total
    va14 = {}
    for iso2 in iso2_of.values():
        df = tables[iso2]
        va14[iso2] = float(df.loc[df["Code"] == "VA", industries(df)].sum(axis=1).iloc[0])
    weight = {iso2: va14[iso2] * growth[iso3] for iso3, iso2 in iso2_of.items()}
    total = sum(weight.values())
    gdp21 = {c: pub["eu27_gdp_2021_eur_bn"] * w / total for c, w in weight.items()}
    factor = {c: gdp21[c] / va14[c] for c in gdp21}  # EUR bn 2021 per USD million of 2014 value added

    # energy accounts, 2016
    energy = pd.read_csv(raw / "jrc_wiod_energy_use_by_industry_and_fuel_tj_2000-2016.csv.gz")
    energy = energy[(energy["year"] == ENERGY_YEAR) & energy["commodity"].isin(["NATGAS", "ELECTR_HEATPROD"])]
    gcv_per_ncv = pub["natural_gas_gcv_per_ncv"]
    tj_to_gwh = 1 / 3.6

    sector_rows, io_rows, country_rows = [], [], []
    go_by, gas_by, el_by, hh, exp_by = {}, {}, {}, {}, {}
    for iso3, c in iso2_of.items():
        df = tables[c]
        ind = industries(df)
        agg = np.array([sector_of(i) for i in ind])
        go = df.loc[df["Code"] == "GO", ind].iloc[0].to_numpy(float)
        va = df.loc[df["Code"] == "VA", ind].iloc[0].to_numpy(float)
        dom = df[(df["Origin"] == "Domestic") & df["Code"].isin(ind)].set_index("Code").loc[ind, ind].to_numpy(float)
        exp = df[(df["Origin"] == "Domestic") & df["Code"].isin(ind)].set_index("Code").loc[ind, "EXP"].to_numpy(float)
        hh_d35 = float(df.loc[df["Code"] == "D35", "CONS_h"].sum())  # domestic + imported rows
        # households' final consumption: products (domestic + imported, II_fob row) plus net taxes on products
        hh_all = float(df.loc[df["Code"].isin(["II_fob", "TXSP"]), "CONS_h"].sum())
        s_idx = np.array([sectors.index(a) for a in agg])
        go_s = np.bincount(s_idx, go, len(sectors)) * factor[c]
        va_s = np.bincount(s_idx, va, len(sectors)) * factor[c]
        z = np.zeros((len(sectors), len(sectors)))
        np.add.at(z, (s_idx[:, None], s_idx[None, :]), dom)
        go_by[c] = go_s
        exp_by[c] = np.bincount(s_idx, exp, len(sectors)) * factor[c]
        # A sector whose recorded domestic intermediate sales reach its gross output cannot be a domestic supplier
        # of that size (WIOD 2014: Cyprus's refining, no refinery since 2004, sells 95 times its output, a
        # re-export artefact): its sales are treated as imported (row set to zero); the script prints every case.
        for k in np.flatnonzero((z.sum(axis=1) > 0) & (z.sum(axis=1) * factor[c] >= go_s)):
            print(f"{c} {sectors[k]}: domestic intermediate sales >= gross output; treated as imported")
            z[k, :] = 0.0
        for i, a in enumerate(sectors):
            for j, b in enumerate(sectors):
                io_rows.append((c, a, b, z[i, j] * factor[c]))
        e = energy[energy["country"] == iso3]
        if len(e):
            gas = np.zeros(len(sectors))
            el = np.zeros(len(sectors))
            for row in e.itertuples():
                if row.sector_code in ("vTOTII_new", "vCONS_h_new"):
                    continue
                k = sectors.index(sector_of(row.sector_code))
                if row.commodity == "NATGAS":
                    gas[k] += row.TJ * tj_to_gwh * gcv_per_ncv
                else:
                    el[k] += row.TJ * tj_to_gwh
            hh_gas = float(e[(e.sector_code == "vCONS_h_new") & (e.commodity == "NATGAS")].TJ.sum())
            hh_el = float(e[(e.sector_code == "vCONS_h_new") & (e.commodity == "ELECTR_HEATPROD")].TJ.sum())
            gas_by[c], el_by[c] = gas, el
            hh[c] = (hh_gas * tj_to_gwh * gcv_per_ncv, hh_el * tj_to_gwh, "jrc_wiod_2016")
        hh.setdefault(c, (np.nan, np.nan, "estimate"))
        country_rows.append([c, gdp21[c], hh_d35 * factor[c], hh_all * factor[c]])

    # the Netherlands (not in the energy accounts): see the module docstring
    missing = [c for c in iso2_of.values() if c not in gas_by]
    if missing != ["NL"]:
        raise SystemExit(f"expected only NL missing from the JRC-WIOD energy accounts, got {missing}")
    others = [c for c in gas_by]
    go_eu = sum(go_by[c] for c in others)
    gas_int = sum(gas_by[c] for c in others) / go_eu
    el_int = sum(el_by[c] for c in others) / go_eu
    demand = pd.read_csv(repo / "data" / "gas_demand_annual.csv")
    nl = demand[demand["country"] == "NL"].set_index("sector")["demand_bcm_per_year"] * 1000 * GWH_PER_MCM  # GWh
    gas_nl = np.zeros(len(sectors))
    industry = [k for k, s in enumerate(sectors) if SECTORS[s] == "industry"]
    prior = gas_int[industry] * go_by["NL"][industry]
    gas_nl[industry] = nl["industry"] * prior / prior.sum()
    gas_nl[sectors.index("power")] = nl["power"]
    gas_nl[sectors.index("services")] = nl["services"]
    gas_by["NL"], el_by["NL"] = gas_nl, el_int * go_by["NL"]
    hh_spend = {r[0]: r[2] for r in country_rows}
    el_per_spend = sum(hh[c][1] for c in others) / sum(hh_spend[c] for c in others)
    hh["NL"] = (float(nl["households"]), el_per_spend * hh_spend["NL"], "estimate")

    for c in iso2_of.values():
        src = "jrc_wiod_2016" if c != "NL" else "estimate_nl"
        df = tables[c]
        ind = industries(df)
        s_idx = np.array([sectors.index(sector_of(i)) for i in ind])
        va_s = np.bincount(s_idx, df.loc[df["Code"] == "VA", ind].iloc[0].to_numpy(float), len(sectors)) * factor[c]
        for k, s in enumerate(sectors):
            sector_rows.append(
                (c, s, SECTORS[s], go_by[c][k], va_s[k], exp_by[c][k], gas_by[c][k], el_by[c][k], src),
            )
    sectors_df = pd.DataFrame(
        sector_rows,
        columns=[
            "country",
            "sector",
            "gas_sector",
            "gross_output_eur_bn",
            "value_added_eur_bn",
            "exports_eur_bn",
            "gas_use_gwh",
            "electricity_use_gwh",
            "energy_source",
        ],
    )
    io_df = pd.DataFrame(io_rows, columns=["country", "sector_from", "sector_to", "input_eur_bn"])
    to_russia = exports_to_russia_2021(raw)
    countries = pd.DataFrame(
        [
            (c, gdp, spend, cons, hh[c][0], hh[c][1], to_russia[c], "jrc_wiod_2016" if c != "NL" else "estimate_nl")
            for c, gdp, spend, cons in country_rows
        ],
        columns=[
            "country",
            "gdp_2021_eur_bn",
            "household_energy_spending_eur_bn",
            "household_consumption_eur_bn",
            "household_gas_gwh",
            "household_electricity_gwh",
            "exports_to_russia_2021_eur_bn",
            "energy_source",
        ],
    )
    return {
        "europe_sectors": sectors_df,
        "europe_io": io_df,
        "europe_countries": countries,
        "europe_party_gdp_2021": party_gdp(pub, sum(gdp21.values()), repo),
        "europe_party_gas_2020": party_gas(raw.parent / "gas" / BP_FILE),
        "europe_coalition_gas_use": coalition_gas_use(raw, energy, gcv_per_ncv, tables, raw.parent / "gas" / BP_FILE),
        "europe_households": households(pub),
    }


HOUSEHOLDS_ITEM = "households_2023_thousand"
HOUSEHOLDS_SOURCE = "eurostat_lfst_hhnhtych_2023_secondary"


def households(pub: dict[str, float]) -> pd.DataFrame:
    """Private households by member state (Eurostat lfst_hhnhtych, EU-LFS, total, thousand), hand-entered in
    europe_published_figures.csv from a secondary extract; the 27 must sum to the extract's EU27 row within 0.1%
    (rounding of the published thousands). No member state is filled in: a missing one stops the build."""
    missing = [c for c in EU27 if f"{HOUSEHOLDS_ITEM}.{c}" not in pub]
    if missing:
        raise SystemExit(f"europe_published_figures.csv: no {HOUSEHOLDS_ITEM} for {', '.join(missing)}")
    counts = {c: pub[f"{HOUSEHOLDS_ITEM}.{c}"] for c in EU27}
    total, eu = sum(counts.values()), pub[f"{HOUSEHOLDS_ITEM}.EU27_2020"]
    if abs(total / eu - 1) > 1e-3:
        raise SystemExit(f"households: the 27 member states sum to {total:.1f} thousand, the EU27 row is {eu:.1f}")
    return pd.DataFrame(
        [(c, counts[c], 2023, HOUSEHOLDS_SOURCE) for c in EU27],
        columns=["country", "households_thousand", "year", "source"],
    )


# Eurostat's reporter labels of the member states (the file also holds the EU, EU27 and euro-area aggregates and
# the United Kingdom: summing every row would count each member state two or three times)
EUROSTAT_REPORTER = {
    "Austria": "AT",
    "Belgium": "BE",
    "Bulgaria": "BG",
    "Croatia": "HR",
    "Cyprus": "CY",
    "Czechia": "CZ",
    "Denmark": "DK",
    "Estonia": "EE",
    "Finland": "FI",
    "France": "FR",
    "Germany": "DE",
    "Greece": "GR",
    "Hungary": "HU",
    "Ireland": "IE",
    "Italy": "IT",
    "Latvia": "LV",
    "Lithuania": "LT",
    "Luxembourg": "LU",
    "Malta": "MT",
    "Netherlands": "NL",
    "Poland": "PL",
    "Portugal": "PT",
    "Romania": "RO",
    "Slovakia": "SK",
    "Slovenia": "SI",
    "Spain": "ES",
    "Sweden": "SE",
}


def exports_to_russia_2021(raw: Path) -> dict[str, float]:
    """Each member state's 2021 goods exports to Russia, EUR bn (Eurostat Comext, the 12 months of 2021 summed).

    The raw file merges several extracts: besides the 27 member states it holds the EU, EU27 and euro-area
    aggregates and the United Kingdom. Only the 27 member-state rows are kept (matched by the label before any
    parenthesis: 'Germany (incl. German Democratic Republic ...)'), each (reporter, month) once; their sum must
    match the file's own EU27 aggregate within 0.5% (else the script stops)."""
    df = pd.read_csv(raw.parent / "sanctions" / "eurostat_eu_exports_to_russia_monthly_2019_2021.csv")
    df = df[(df["FLOW"] == "EXPORT") & (df["PRODUCT"] == "Total") & df["PERIOD"].str.endswith("2021")]
    label = df["REPORTER"].str.split("(").str[0].str.strip()
    member = df[label.isin(list(EUROSTAT_REPORTER))].assign(country=label.map(EUROSTAT_REPORTER))
    if member.duplicated(["country", "PERIOD"]).any():
        raise SystemExit("Eurostat exports to Russia: a member state has two rows for one month")
    months = member.groupby("country")["PERIOD"].nunique()
    if sorted(months.index) != sorted(EUROSTAT_REPORTER.values()) or (months != 12).any():
        raise SystemExit(f"Eurostat exports to Russia: need 12 months of 2021 for each member state, got {months}")
    out = (member.groupby("country")["VALUE_IN_EUR"].sum() / 1e9).to_dict()
    eu27 = df[label == "European Union - 27 countries"]["VALUE_IN_EUR"].sum() / 1e9
    if abs(sum(out.values()) / eu27 - 1) > 0.005:
        raise SystemExit(f"Eurostat exports to Russia: member states sum to {sum(out.values())}, EU27 row {eu27}")
    print(f"EU27 exports to Russia 2021: {sum(out.values()):.3f} EUR bn (member states), {eu27:.3f} (EU27 row)")
    return {c: float(v) for c, v in out.items()}


# The ledger's parties (the trade model's partner groups other than the EU) and the economies of the World Bank's
# 2021 GDP table counted in each; members missing from that table are named in the note.
PARTIES = {
    "us": (["united_states"], ""),
    "uk": (["united_kingdom"], ""),
    "japan": (["japan"], ""),
    "korea": (["korea"], ""),
    "other_coalition": (
        ["canada", "switzerland", "norway", "australia", "new_zealand", "singapore"],
        "Taiwan, Iceland and Liechtenstein not in the World Bank table (not counted)",
    ),
    "china": (["china", "hong_kong"], "Macao not counted"),
    "india": (["india"], ""),
    "turkey": (["turkey"], ""),
    "eaeu": (["kazakhstan"], "Belarus, Armenia and Kyrgyzstan not in the table's top economies (not counted)"),
}


def party_gdp(pub: dict[str, float], eu_eur_bn: float, repo: Path) -> pd.DataFrame:
    """2021 GDP (USD bn) of the ledger's parties; the rest of the world is the World total less every party, the EU
    (its EUR total at the 2021 mean EUR/USD of data/gas_prices_monthly.csv) and Russia."""
    prices = pd.read_csv(repo / "data" / "gas_prices_monthly.csv")
    usd_per_eur = float(prices.loc[prices["month"].str.startswith("2021-"), "eur_usd"].mean())
    rows = []
    for party, (members, note) in PARTIES.items():
        rows.append((party, sum(pub[f"gdp_2021_usd_bn.{m}"] for m in members), ", ".join(members), note))
    named = sum(r[1] for r in rows) + eu_eur_bn * usd_per_eur + pub["gdp_2021_usd_bn.russia"]
    rows.append(("row", pub["gdp_2021_usd_bn.world"] - named, "world less the above, the EU27 and Russia", "residual"))
    return pd.DataFrame(rows, columns=["party", "gdp_usd_bn", "economies", "note"])


BP_FILE = "bp_statistical_review_2021_all_data.xlsx"
# (party, economy, flow, bp sheet, bp row label): the gas trade of the ledger's non-EU parties, 2020
PARTY_GAS = (
    ("japan", "japan", "lng_imports", "Gas - LNG imports", "Japan"),
    ("korea", "korea", "lng_imports", "Gas - LNG imports", "South Korea"),
    ("us", "united_states", "lng_exports", "Gas - LNG exports", "US"),
    ("other_coalition", "australia", "lng_exports", "Gas - LNG exports", "Australia"),
    ("other_coalition", "norway", "pipeline_exports", "Gas - Trade movts - pipeline", "Norway"),
    ("uk", "united_kingdom", "net_imports", "Gas Consumption - Bcm less Gas Production - Bcm", "United Kingdom"),
    ("china", "china", "lng_imports", "Gas - LNG imports", "China"),
    ("india", "india", "lng_imports", "Gas - LNG imports", "India"),
    ("turkey", "turkey", "lng_imports", "Gas - LNG imports", "Turkey"),
    ("row", "qatar", "lng_exports", "Gas - LNG exports", "Qatar"),
)


def bp_2020(bp: Path, sheet: str, label: str) -> float:
    """The 2020 value of row ``label`` of a bp sheet laid out by economy (rows) and year (columns, header row 2)."""
    df = pd.read_excel(bp, sheet_name=sheet, header=None)
    years = [j for j, v in enumerate(df.iloc[2]) if str(v).strip() in ("2020", "2020.0")]
    hits = [i for i, v in enumerate(df.iloc[:, 0]) if str(v).strip() == label]
    if not years or len(hits) != 1:
        raise SystemExit(f"{bp.name}, sheet '{sheet}': no single row '{label}' with a 2020 column")
    return float(df.iloc[hits[0], years[0]])


def party_gas(bp: Path) -> pd.DataFrame:
    """bcm of 2020 by party, economy and flow from bp's Statistical Review 2021 (see the module docstring)."""
    rows = []
    for party, economy, flow, sheet, label in PARTY_GAS:
        if flow == "pipeline_exports":
            df = pd.read_excel(
                bp, sheet_name=sheet, header=None
            )  # an origin (column) x destination (row) matrix of 2020
            col = [j for j, v in enumerate(df.iloc[2]) if str(v).strip() == label]
            row = [i for i, v in enumerate(df.iloc[:, 0]) if str(v).strip() == "Total exports"]
            if len(col) != 1 or len(row) != 1:
                raise SystemExit(f"{bp.name}, sheet '{sheet}': no single column '{label}' / row 'Total exports'")
            value = float(df.iloc[row[0], col[0]])
        elif flow == "net_imports":  # consumption less production
            value = bp_2020(bp, "Gas Consumption - Bcm", label) - bp_2020(bp, "Gas Production - Bcm", label)
        else:
            value = bp_2020(bp, sheet, label)
        rows.append((party, economy, flow, value, f"bp Statistical Review of World Energy 2021, sheet '{sheet}'"))
    return pd.DataFrame(rows, columns=["party", "economy", "flow", "bcm_2020", "source"])


# The coalition economies of the JRC-WIOD energy accounts outside the EU27 (E14): ISO3 -> (ledger party, bp label of
# its gas production, or "" for a non-producer). Taiwan is in the accounts but not in other_coalition's World Bank GDP.
COALITION_ECONOMIES = {
    "GBR": ("uk", "United Kingdom"),
    "USA": ("us", "US"),
    "JPN": ("japan", ""),
    "KOR": ("korea", ""),
    "CAN": ("other_coalition", "Canada"),
    "CHE": ("other_coalition", ""),
    "NOR": ("other_coalition", "Norway"),
    "AUS": ("other_coalition", "Australia"),
    "TWN": ("other_coalition", ""),
}


def coalition_gas_use(
    raw: Path, energy: pd.DataFrame, gcv_per_ncv: float, eu_tables: dict[str, pd.DataFrame], bp: Path
) -> pd.DataFrame:
    """(E14) Gas and electricity use by sector and by households of the non-EU coalition economies (JRC-WIOD energy
    accounts, ENERGY_YEAR, GWh: gas GCV), value added per unit of gross output by sector (WIOD 2014 national IO
    table where the archive has one: GBR, USA, NOR; else the EU27's aggregate ratio, va_source = eu27_proxy) and
    gas production (bp Statistical Review 2021, 2020, bcm -> GWh GCV at 40 MJ/m3) where the economy produces gas."""
    sectors = list(SECTORS)
    names = set(tarfile.open(raw / "wiod2016_national_io_tables_2000-2014.tar.gz").getnames())

    def ratios(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        ind = industries(df)
        s_idx = np.array([sectors.index(sector_of(i)) for i in ind])
        go = np.bincount(s_idx, df.loc[df["Code"] == "GO", ind].iloc[0].to_numpy(float), len(sectors))
        va = np.bincount(s_idx, df.loc[df["Code"] == "VA", ind].iloc[0].to_numpy(float), len(sectors))
        return go, va

    eu_go, eu_va = np.zeros(len(sectors)), np.zeros(len(sectors))
    for df in eu_tables.values():
        go, va = ratios(df)
        eu_go, eu_va = eu_go + go, eu_va + va
    rows = []
    for iso3, (party, bp_label) in COALITION_ECONOMIES.items():
        if f"{iso3}_NIOT_nov16.csv" in names:
            with tarfile.open(raw / "wiod2016_national_io_tables_2000-2014.tar.gz") as tar:
                member = tar.extractfile(f"{iso3}_NIOT_nov16.csv")
                assert member is not None
                df = pd.read_csv(io.BytesIO(member.read()), sep=";", skiprows=[1], thousands=" ", dtype={"Year": str})
            go, va = ratios(df[df["Year"] == IO_YEAR].reset_index(drop=True))
            va_source = f"wiod_niot_{IO_YEAR}"
        else:
            go, va, va_source = eu_go, eu_va, "eu27_proxy"
        ratio = np.divide(va, go, out=np.zeros_like(va), where=go > 0)
        e = energy[energy["country"] == iso3]
        if e.empty:
            raise SystemExit(f"JRC-WIOD energy accounts: no {ENERGY_YEAR} rows for {iso3}")
        gas, el = np.zeros(len(sectors)), np.zeros(len(sectors))
        for row in e.itertuples():
            if row.sector_code in ("vTOTII_new", "vCONS_h_new"):
                continue
            k = sectors.index(sector_of(row.sector_code))
            if row.commodity == "NATGAS":
                gas[k] += row.TJ / 3.6 * gcv_per_ncv
            else:
                el[k] += row.TJ / 3.6
        src = f"jrc_wiod_{ENERGY_YEAR}"
        for k, s in enumerate(sectors):
            rows.append((iso3, s, party, gas[k], el[k], ratio[k], src, va_source))
        hh = e[e["sector_code"] == "vCONS_h_new"].set_index("commodity")["TJ"]
        hh_gas, hh_el = hh["NATGAS"] / 3.6 * gcv_per_ncv, hh["ELECTR_HEATPROD"] / 3.6
        rows.append((iso3, "households", party, hh_gas, hh_el, 0.0, src, "not_applicable"))
        if bp_label:  # gas production, 2020 (a row only for a producer)
            production = bp_2020(bp, "Gas Production - Bcm", bp_label) * TWH_PER_BCM * 1000
            rows.append((iso3, "production", party, production, 0.0, 0.0, "bp_2021", "not_applicable"))
    return pd.DataFrame(
        rows,
        columns=[
            "economy",
            "use",
            "party",
            "gas_gwh",
            "electricity_gwh",
            "va_per_output",
            "energy_source",
            "va_source",
        ],
    )


def write(tables: dict[str, pd.DataFrame], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        df = df.copy()
        for col in df.columns:
            if df[col].dtype.kind == "f":
                df[col] = df[col].round(6)
        df.sort_values(list(df.columns[:3] if name == "europe_io" else df.columns[:2])).to_csv(
            out / f"{name}.csv", index=False
        )


def main() -> None:
    repo = Path(__file__).resolve().parents[1]
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--raw-dir", type=Path, default=None)
    ap.add_argument("--out", type=Path, default=repo / "data")
    ap.add_argument("--published", type=Path, default=repo / "data" / "europe_published_figures.csv")
    args = ap.parse_args()
    env = os.environ.get("ECON_DATA_RAW")
    raw = args.raw_dir or (Path(env) / "europe" if env else repo.parent / "shared" / "data-raw" / "europe")
    write(build(raw, repo, published(args.published)), args.out)


if __name__ == "__main__":
    main()
