"""Build data/gas_peak_demand.csv: each EU member state's peak-day gas demand (GWh/d, GCV), the design day of
the gas module's peak-day check (docs/methodology.md, gas, section 5a).

Usage: python scripts/build_gas_peak_data.py [--raw-dir DIR] [--out DIR] [--published FILE]

  --raw-dir    the publishers' raw gas files (default: $ECON_DATA_RAW/gas, else <repo>/../shared/data-raw/gas)
  --out        where the table is written (default: <repo>/data)
  --published  accepted for the provenance test's common call; not read

No published per-country 1-in-20 (design-case) demand figures were found in the stored sources (ENTSOG's TYNDP
2015 and 2017 give Europe's observed peaks only: 29,452 GWh/d on 7 Feb 2012, TYNDP 2017 Table 2.2), so the peak
day is DERIVED (an econ estimate), in two steps:

1. Peak month: the highest monthly daily average of each country's inland consumption in Eurostat nrg_cb_gasm
   (IC_OBS, TWh GCV, January 2016 to January 2022; six winters, the cold February-March 2018 included), i.e.
   max over the December, January and February months of (TWh in the month / days in the month).
2. Peak-to-month ratio: the EU-wide ratio of the highest day to its calendar month's daily average in the
   coldest spell of the data, the 'Beast from the East' (February-March 2018). EU daily demand is not in the
   raw files; it is proxied by the balance of what entered the EU that day:
       net entry from outside the EU27 (ENTSOG physical flows, entry minus exit, kWh/d)
     + net storage withdrawal (GIE AGSI+ EU fill share, day-on-day fall, times the EU27 working gas of
       data/gas_storage.csv at the model's GCV basis)
     + domestic production (data/gas_production.csv, EU27, spread evenly over the year).
   The ratio applies to every country (one EU-wide shape: no national daily data).
Peak day = peak month's daily average x ratio. Six winters are not 20: the result is closer to a 1-in-6 day than
the regulation's 1-in-20 (a gap stated in docs/validation.md); gas.peak.demand_scale scales it.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from econ.units import TWH_PER_BCM  # noqa: E402

EUROSTAT = "eurostat_nrg_cb_gasm_inland_consumption_monthly_twh_2016-01_to_2022-01.csv"
ENTSOG = "entsog_physical_flows_eu27_entry_points_daily_kwh_2015-01-01_to_2022-02-23.csv.gz"
AGSI = "gie_agsi_eu_storage_fill_daily_2011_2022.csv"
# The peak month is sought among December-February, the core heating months: a design cold day is a winter day
# (Malta's and Portugal's highest months are power-driven Septembers), and it excludes Sweden's March 2017
# (4.98 TWh, 2.4 times any other month of the series: a reporting outlier).
HEATING_MONTHS = (12, 1, 2)
SPELL = ("2018-02-01", "2018-03-31")  # the 'Beast from the East' cold spell: late February to early March 2018


def eu_daily_demand_proxy(raw: Path, data: Path) -> pd.Series:
    """EU27 daily gas demand proxy, GWh/d GCV (see the module docstring)."""
    flows = pd.read_csv(raw / ENTSOG)
    by_dir = flows.groupby(["dates", "direction"])["values"].sum().unstack(fill_value=0.0) / 1e6  # kWh -> GWh
    net_entry = by_dir["entry"] - by_dir.get("exit", 0.0)
    net_entry.index = pd.to_datetime(net_entry.index)

    agsi = pd.read_csv(raw / AGSI)
    parts = []
    for year in range(2015, 2023):
        col = str(year)
        if col not in agsi:
            continue
        dates = pd.to_datetime(str(year) + agsi["plot_date"].str[4:], errors="coerce")  # plot_date is in 2021
        parts.append(pd.Series(agsi[col].to_numpy(), index=dates).dropna())
    fill = pd.concat(parts)
    fill = fill[~fill.index.isna()].sort_index()

    nodes = pd.read_csv(data / "gas_nodes.csv")
    eu = set(nodes.loc[nodes.geography == "eu27", "country"])
    storage = pd.read_csv(data / "gas_storage.csv")
    wgv_gwh = storage.loc[storage.country.isin(eu), "working_gas_bcm"].sum() * TWH_PER_BCM * 1000
    withdrawal = -fill.diff() * wgv_gwh
    prod = pd.read_csv(data / "gas_production.csv")
    production = prod.loc[prod.country.isin(eu), "production_bcm_per_year"].sum() * TWH_PER_BCM * 1000 / 365
    return (net_entry + withdrawal.reindex(net_entry.index) + production).dropna()


def peak_ratio(demand: pd.Series) -> tuple[float, str]:
    """Highest day of the cold spell over its calendar month's average, and that day."""
    spell = demand[SPELL[0] : SPELL[1]]
    day = spell.idxmax()
    month = demand[demand.index.to_period("M") == day.to_period("M")]
    return float(spell.max() / month.mean()), day.strftime("%Y-%m-%d")


def build(raw: Path, data: Path) -> pd.DataFrame:
    ratio, day = peak_ratio(eu_daily_demand_proxy(raw, data))
    monthly = pd.read_csv(raw / EUROSTAT)
    monthly = monthly[monthly["type"] == "total"].copy()
    monthly["date"] = pd.to_datetime(monthly["date"])
    monthly["gwh_d"] = monthly["demand_TWh_GCV"] * 1000 / monthly["date"].dt.days_in_month
    nodes = pd.read_csv(data / "gas_nodes.csv")
    eu = sorted(nodes.loc[nodes.geography == "eu27", "country"])
    rows = []
    for c in eu:
        m = monthly[(monthly.country == c) & monthly["date"].dt.month.isin(HEATING_MONTHS)]
        if m.empty or not np.isfinite(m["gwh_d"]).any():
            raise SystemExit(f"{EUROSTAT}: no monthly consumption for gas node {c}")
        top = m.loc[m["gwh_d"].idxmax()]
        rows.append(
            {
                "country": c,
                "peak_month": top["date"].strftime("%Y-%m"),
                "peak_month_avg_gwh_d": round(float(top["gwh_d"]), 2),
                "peak_to_month_ratio": round(ratio, 4),
                "ratio_day": day,
                "peak_demand_gwh_d": round(float(top["gwh_d"]) * ratio, 2),
            }
        )
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> None:
    repo = Path(__file__).resolve().parents[1]
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--raw-dir", type=Path, default=None)
    ap.add_argument("--out", type=Path, default=repo / "data")
    ap.add_argument("--published", type=Path, default=None, help="not read (common call of the provenance test)")
    args = ap.parse_args(argv)
    env = os.environ.get("ECON_DATA_RAW")
    raw = args.raw_dir or (Path(env) / "gas" if env else repo.parent / "shared" / "data-raw" / "gas")
    table = build(raw, repo / "data")
    args.out.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out / "gas_peak_demand.csv", index=False)
    print(f"gas_peak_demand.csv: {len(table)} rows, ratio {table.peak_to_month_ratio.iloc[0]}")


if __name__ == "__main__":
    main()
