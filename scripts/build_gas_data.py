"""Build the baseline gas data tables (data/gas_*.csv) from the publishers' raw files.

Usage: python scripts/build_gas_data.py [--raw-dir DIR] [--out DIR] [--published FILE]

  --raw-dir    the publishers' raw gas files (default: $ECON_DATA_RAW/gas, else <repo>/../shared/data-raw/gas)
  --out        where the tables are written (default: <repo>/data)
  --published  the hand-entered published figures (default: <out>/gas_published_figures.csv if present,
               else <repo>/data/gas_published_figures.csv)

Rebuilds tables 1-4 and 6-13 from the raw files plus the hand-entered
data/gas_published_figures.csv (published figures looked up by hand). Table 5
(gas_russian_routes.csv) is also rebuilt here from the raw capacity and flow files.

Units. Every bcm written here is at the model's basis, GCV 40 MJ/m3 (econ.units; bp's convention), so that
bcm x TWH_PER_BCM is the energy. Sources that state energy (Eurostat TJ GCV, ENTSOG GWh/d and kWh/d) are
converted with econ.units. Sources that state a physical volume carry their own conversion, stated below:
  - Russian operators (Nord Stream AG, Gazprom, GTSOU) count cubic metres at 20 degC and 1 atm (Gazprom,
    glossary: "Cubic meter of natural gas as measured at a pressure of one atmosphere and 20 degC"). Their
    energy content is measured, not assumed: ENTSOG's 2021 energy flow at Greifswald (NEL + OPAL, kWh GCV)
    divided by Nord Stream AG's 59.2 bcm for 2021 gives RU_MJ_PER_M3 (37.7 MJ/m3 GCV), i.e. 0.944 model bcm per
    operator bcm. Route flows are therefore taken from ENTSOG's measured energy at the EU entry points; the
    operator volumes are converted with this factor where they are used (Nord Stream 2 nameplate, validation).
  - Storage working gas in SciGRID_gas (from the GIE storage database) and in operator statements is physical
    m3 under national reference conditions, with L-gas sites: it is converted with STORAGE_MJ_PER_M3, the ratio
    of the EU storage capacity in energy (European Commission, COM(2024) 89: 1,100 TWh) to the same capacity in
    the volumes GIE reports (99.72 bcm in store at 90.54% fill, 23 Aug 2024, i.e. 110.1 bcm).
"""

from __future__ import annotations

import argparse
import ast
import os
import sys
import warnings
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from econ.data import EU_GAS_COUNTRIES, GAS_NODES, NON_EU_GAS_NODES

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from econ.units import (  # noqa: E402
    BCM_PER_MT_LNG,
    GCV_MJ_PER_M3,
    TWH_PER_BCM,
    gwh_per_day_to_mcm_per_day,
    tj_to_bcm,
)

warnings.filterwarnings("ignore")

NODES = list(EU_GAS_COUNTRIES)  # the model's gas nodes, as econ/data.py checks them
NAME2ISO = {
    "Belgium": "BE",
    "Bulgaria": "BG",
    "Czechia": "CZ",
    "Denmark": "DK",
    "Germany (until 1990 former territory of the FRG)": "DE",
    "Estonia": "EE",
    "Ireland": "IE",
    "Greece": "GR",
    "Spain": "ES",
    "France": "FR",
    "Croatia": "HR",
    "Italy": "IT",
    "Cyprus": "CY",
    "Latvia": "LV",
    "Lithuania": "LT",
    "Luxembourg": "LU",
    "Hungary": "HU",
    "Malta": "MT",
    "Netherlands": "NL",
    "Austria": "AT",
    "Poland": "PL",
    "Portugal": "PT",
    "Romania": "RO",
    "Slovenia": "SI",
    "Slovakia": "SK",
    "Finland": "FI",
    "Sweden": "SE",
    "European Union - 27 countries (from 2020)": "EU27",
}
YEARS = [2019, 2020]
BCF_TO_BCM = 0.0283168  # volumetric: 1 bcf = 0.0283168 bcm (no energy conversion)
MJ_PER_KWH = 3.6
ENTSOG_KWH = "entsog_physical_flows_eu27_entry_points_daily_kwh_2015-01-01_to_2022-02-23.csv.gz"


@lru_cache(maxsize=2)
def read_entry_flows_daily(raw):
    """Daily physical entry flows into the EU27 (ENTSOG, via Bruegel's data set), GWh/d GCV per (day, point
    label, country); exact duplicate rows dropped, entry direction only (as reported by the EU-side operator)."""
    f = pd.read_csv(raw / ENTSOG_KWH, parse_dates=["dates"]).drop_duplicates()
    f = f[(f.direction == "entry") & (f.dates >= "2021-01-01")]
    return f.groupby(["dates", "label", "country"])["values"].sum() / 1e6


# The run-rate window of the reference gas.reference.run_rate: what an economist knew on 23 February 2022.
RUN_RATE_START, RUN_RATE_END = "2022-01-01", "2022-02-23"


def read_entry_flows_run_rate(raw):
    """Mean daily entry flow over the run-rate window (1 January to 23 February 2022), TWh/yr GCV per (point
    label, country): the window's mean GWh/d x 365 / 1000."""
    d = read_entry_flows_daily(raw)
    days = d.index.get_level_values("dates")
    w = d[(days >= RUN_RATE_START) & (days <= RUN_RATE_END)]
    n_days = (pd.Timestamp(RUN_RATE_END) - pd.Timestamp(RUN_RATE_START)).days + 1
    return w.groupby(["label", "country"]).sum() / n_days * 365 / 1000


@lru_cache(maxsize=2)
def read_entry_flows_2021(raw):
    """2021 physical entry flows into the EU27 (ENTSOG, via Bruegel's data set), TWh GCV per (point label, country).

    The compiled file repeats some rows verbatim (e.g. Strandzha 2 twice a day): exact duplicates are dropped.
    Only the entry direction is kept, as reported by the EU-side operator (country column).
    """
    f = pd.read_csv(raw / ENTSOG_KWH, parse_dates=["dates"]).drop_duplicates()
    f = f[(f.direction == "entry") & (f.dates.dt.year == 2021)]
    return f.groupby(["label", "country"])["values"].sum() / 1e9


def russian_m3_factor(raw, pub):
    """MJ (GCV) per cubic metre as counted by the Russian operators (20 degC, 1 atm), measured on Nord Stream 2021.

    ENTSOG energy at Greifswald in 2021: the NEL and OPAL rows (the Fluxys and GUD rows repeat the NEL flow)
    divided by Nord Stream AG's published 2021 volume.
    """
    e = read_entry_flows_2021(raw)
    twh = e.loc[("Greifswald / NEL", "DE")] + e.loc[("Greifswald / OPAL", "DE")]
    return twh * 1e9 * MJ_PER_KWH / (pub["nord_stream_1_flow_2021"] * 1e9), twh


def storage_m3_factor(pub):
    """MJ per cubic metre of storage working gas as GIE and operators report it (physical m3, national conditions).

    EU storage capacity in energy (European Commission COM(2024) 89: 1,100 TWh) over the same capacity in GIE's
    reported volume (99.72 bcm in store at 90.54% fill on 23 Aug 2024 = 110.1 bcm).
    """
    wgv_bcm = pub["eu_storage_gas_in_store_aug2024"] / pub["eu_storage_fill_share_2024_08_23"]
    return pub["eu_storage_capacity_twh"] * 1e9 * MJ_PER_KWH / (wgv_bcm * 1e9)


def r4(df):
    return df.round(4)


def write(df, out, name, sort):
    df = r4(df.sort_values(sort).reset_index(drop=True))
    df.to_csv(out / name, index=False)
    print(f"wrote {name} ({len(df)} rows)")
    return df


# ---------------------------------------------------------------- Eurostat helpers
def read_eurostat(path):
    """All 'Sheet N' tables -> long frame: label, geo (ISO), year, tj."""
    xl = pd.ExcelFile(path)
    rows = []
    for s in xl.sheet_names:
        if not s.startswith("Sheet"):
            continue
        d = pd.read_excel(xl, sheet_name=s, header=None)
        label = " | ".join(str(d.iloc[i, 2]) for i in (5, 6))
        hdr = d.index[d.iloc[:, 0] == "TIME"][0]
        years = [int(float(y)) for y in d.iloc[hdr, 1:11]]
        for i in range(hdr + 2, len(d)):
            geo = NAME2ISO.get(str(d.iloc[i, 0]).strip())
            if geo is None:
                continue
            for j, y in enumerate(years):
                v = pd.to_numeric(d.iloc[i, 1 + j], errors="coerce")
                rows.append((label, geo, y, v))
    return pd.DataFrame(rows, columns=["label", "geo", "year", "tj"])


def mean_bcm(df, label_prefix, exact=True):
    sel = df[(df.label.str.split(" \\| ").str[0] == label_prefix) if exact else df.label.str.startswith(label_prefix)]
    sel = sel[sel.year.isin(YEARS)]
    return sel.groupby("geo").tj.mean().fillna(0).map(tj_to_bcm)


# ---------------------------------------------------------------- 1. demand
def build_demand(cb, out):
    lab = lambda s: mean_bcm(cb, s)  # noqa: E731
    inland = lab("Inland consumption - observed")
    hh = lab("Final consumption - other sectors - households - energy use")
    services = sum(
        lab(f"Final consumption - other sectors - {x} - energy use")
        for x in ["commercial and public services", "agriculture and forestry", "fishing", "not elsewhere specified"]
    )
    power = sum(
        lab(f"Transformation input - electricity and heat generation - {x} - energy use")
        for x in [
            "main activity producer electricity only",
            "main activity producer combined heat and power",
            "main activity producer heat only",
            "autoproducer electricity only",
            "autoproducer combined heat and power",
            "autoproducer heat only",
        ]
    )
    industry = inland - hh - services - power  # residual incl. statistical difference
    # bottom-up industry, to report the size of the statistical difference
    bottom = (
        lab("Final consumption - industry sector - energy use")
        + lab("Final consumption - non-energy use")
        + lab("Energy sector - energy use")
        + (lab("Transformation input - energy use") - power)
        + lab("Distribution losses")
        + lab("Final consumption - transport sector - energy use")
    )
    rows = []
    for c in NODES:
        for sec, s in [("households", hh), ("services", services), ("industry", industry), ("power", power)]:
            rows.append((c, sec, s.get(c, 0.0)))
    df = write(
        pd.DataFrame(rows, columns=["country", "sector", "demand_bcm_per_year"]),
        out,
        "gas_demand_annual.csv",
        ["country", "sector"],
    )
    tot = df.groupby("country").demand_bcm_per_year.sum()
    dev = (tot / inland.reindex(NODES) - 1).abs().max()
    resid = ((industry - bottom).reindex(NODES) / inland.reindex(NODES)).abs().max()
    print(
        f"CHECK demand: EU26 nodes sum {tot.sum():.1f} bcm/yr; Eurostat EU27 inland observed {inland['EU27']:.1f} "
        f"bcm/yr (mean 2019-20); max per-country deviation {dev:.2%}; max |stat.diff+transport residual|/inland "
        f"{resid:.2%}"
    )
    print("      EU sector split (bcm):", df.groupby("sector").demand_bcm_per_year.sum().round(1).to_dict())
    return df, inland


# ---------------------------------------------------------------- 3. production
def build_production(cb, out):
    # Production is in structural decline (Groningen): the latest year, 2020, is the base, not the 2019-20 mean.
    sel = cb[(cb.label.str.split(" \\| ").str[0] == "Indigenous production") & (cb.year == 2020)]
    p = sel.groupby("geo").tj.mean().fillna(0).map(tj_to_bcm)
    df = write(
        pd.DataFrame({"country": NODES, "production_bcm_per_year": [p.get(c, 0.0) for c in NODES]}),
        out,
        "gas_production.csv",
        ["country"],
    )
    print(f"CHECK production: EU26 {df.production_bcm_per_year.sum():.1f} bcm/yr; EU27 {p['EU27']:.1f}")
    return p


# ---------------------------------------------------------------- 4. imports by partner
def build_imports(ti, out):
    parts = {
        "russia": "Natural gas | Russia",
        "total": "Natural gas | Total",
        "lng_total": "Liquefied natural gas | Total",
    }
    rows = []
    res = {}
    for k, lab in parts.items():
        s = ti[(ti.label == lab) & ti.year.isin(YEARS)].groupby("geo").tj.mean().fillna(0).map(tj_to_bcm)
        res[k] = s
        for c in NODES:
            rows.append((c, k, s.get(c, 0.0)))
    write(
        pd.DataFrame(rows, columns=["country", "partner", "imports_bcm_per_year"]),
        out,
        "gas_imports_by_partner.csv",
        ["country", "partner"],
    )
    print(
        f"CHECK imports (Eurostat nrg_ti_gas, mean 2019-20): EU27 from Russia {res['russia']['EU27']:.1f} bcm, "
        f"total {res['total']['EU27']:.1f} bcm, LNG {res['lng_total']['EU27']:.1f} bcm; "
        f"node sum Russia {sum(res['russia'].get(c, 0) for c in NODES):.1f}"
    )
    return res


# ---------------------------------------------------------------- SciGRID helper
def read_scigrid(path):
    d = pd.read_csv(path, sep=";")
    p = d.param.map(ast.literal_eval).apply(pd.Series)
    return pd.concat([d[["name", "country_code"]], p], axis=1)


# ---------------------------------------------------------------- 10. storage
def build_storage(raw, out, pub):
    s = read_scigrid(raw / "scigrid_gas_iggin_storages.csv")
    # SciGRID mislabels the Slovak sites Lab IV (Nafta, Pozagas) and Velke Kapusany as SI: correct to SK
    s.loc[s.name.isin(["LB4_Nafta", "LB4_Pozagas", "Velke Kapusany"]), "country_code"] = "SK"
    s = s[s.country_code.isin(NODES) & (s.start_year.fillna(0) <= 2021) & (s.end_year.fillna(2050) > 2021)]
    g = s.groupby("country_code").agg(
        working_gas_bcm=("max_workingGas_M_m3", lambda x: x.sum() / 1000),
        injection_mcm_per_day=("max_cap_pipe2store_M_m3_per_d", "sum"),
        withdrawal_mcm_per_day=("max_cap_store2pipe_M_m3_per_d", "sum"),
    )
    g = g[g.working_gas_bcm > 0].reset_index().rename(columns={"country_code": "country"})
    # Sites SciGRID_gas lacks or misdates, from the operators (data/gas_published_figures.csv)
    twh_to_mcm = 1000 / TWH_PER_BCM
    extra = pd.DataFrame(
        [
            ("BG", pub["chiren_working_gas"], pub["chiren_injection"], pub["chiren_withdrawal"]),
            ("LV", pub["incukalns_working_gas"], float("nan"), float("nan")),
        ],
        columns=g.columns,
    )
    g = pd.concat([g[~g.country.isin(extra.country)], extra], ignore_index=True)
    physical = g.working_gas_bcm.sum()
    # Physical m3 (SciGRID_gas / GIE storage database, operators) -> model bcm at GCV 40 MJ/m3
    k = storage_m3_factor(pub)
    g[["working_gas_bcm", "injection_mcm_per_day", "withdrawal_mcm_per_day"]] *= k / GCV_MJ_PER_M3
    # Incukalns rates are published in energy (GWh/d, TWh per season): already the model basis
    lv = g.country == "LV"
    g.loc[lv, "injection_mcm_per_day"] = pub["incukalns_injection"] * twh_to_mcm / 168
    g.loc[lv, "withdrawal_mcm_per_day"] = pub["incukalns_withdrawal"] / 1000 * twh_to_mcm
    df = write(g, out, "gas_storage.csv", ["country"])
    twh = df.working_gas_bcm.sum() * TWH_PER_BCM
    print(
        f"CHECK storage: physical working gas EU nodes {physical:.1f} bcm (SciGRID + operators) x {k:.2f} MJ/m3 "
        f"/ {GCV_MJ_PER_M3:.0f} = {df.working_gas_bcm.sum():.1f} bcm at GCV 40 = {twh:.0f} TWh vs published EU "
        f"{pub['eu_storage_capacity_twh']:.0f} TWh (European Commission) ({twh / pub['eu_storage_capacity_twh'] - 1:+.1%});"
        f" injection {df.injection_mcm_per_day.sum():.0f} mcm/d; withdrawal {df.withdrawal_mcm_per_day.sum():.0f} mcm/d"
    )
    return df


# ---------------------------------------------------------------- 12. storage fill
def read_agsi(raw):
    a = pd.read_csv(raw / "gie_agsi_eu_storage_fill_daily_2011_2022.csv", parse_dates=["plot_date"])
    a["md"] = a.plot_date.dt.strftime("%m-%d")
    return a.set_index("md")


def build_fill(raw, out):
    a = read_agsi(raw)
    rows = [(m, a.loc[f"{m:02d}-01", "2021"]) for m in range(1, 13)]
    rows += [(12 + m, a.loc[f"{m:02d}-01", "2022"]) for m in range(1, 4)]
    df = write(
        pd.DataFrame(rows, columns=["month", "eu_fill_share_start_of_month"]),
        out,
        "gas_storage_fill_2021.csv",
        ["month"],
    )
    return df


# ---------------------------------------------------------------- 2. monthly profile
def build_monthly(raw, out, demand, prod, storage, cb):
    f = pd.read_csv(raw / "entsog_physical_flows_by_supplier_daily_2021_2022.csv")
    # timestamps are 23:00Z of the previous day = gas day start (CET): shift to the calendar gas day
    f["d"] = (pd.to_datetime(f.date).dt.tz_convert(None) + pd.Timedelta(hours=1)).dt.normalize()
    vcols = [c for c in f.columns if c.endswith(" value") and "ra7" not in c]
    f["tot"] = f[vcols].sum(axis=1)
    y = f[f.d.dt.year == 2021].set_index("d").tot
    imp = y.resample("MS").mean()
    a = read_agsi(raw)
    wgv = storage.working_gas_bcm.sum()
    prod_mcm_d = prod["EU27"] * 1000 / 365  # flat
    rows = []
    for m in range(1, 13):
        days = pd.Period(f"2021-{m:02d}").days_in_month
        fs = a.loc[f"{m:02d}-01", "2021"]
        fe = a.loc[f"{m + 1:02d}-01", "2021"] if m < 12 else a.loc["01-01", "2022"]
        dem = (imp.iloc[m - 1] + prod_mcm_d) * days / 1000 - (fe - fs) * wgv
        rows.append((m, imp.iloc[m - 1], fs, fe, dem, days))
    mon = pd.DataFrame(
        rows,
        columns=[
            "month",
            "imports_mcm_per_day_mean",
            "storage_fill_share_start",
            "storage_fill_share_end",
            "implied_demand_bcm",
            "days",
        ],
    )
    write(mon.drop(columns="days"), out, "gas_eu_monthly_2021.csv", ["month"])
    print(
        f"CHECK monthly: ENTSOG 2021 entry flows {y.sum() / 1000:.1f} bcm (all suppliers); implied EU demand 2021 "
        f"{mon.implied_demand_bcm.sum():.1f} bcm (imports + flat production {prod['EU27']:.1f} - net injection, "
        f"WGV {wgv:.1f} bcm)"
    )
    # Sector profiles (ESTIMATE, see SOURCES.csv): a flat part plus a heating part whose monthly
    # shape is that of 2021 implied demand per day above its summer minimum.
    #  - households and services: flat share = water heating + cooking in household energy
    #    (Eurostat news 17 June 2022, 2020 data: space heating 62.8%, water heating 15.1%,
    #    cooking 6.1%): (15.1 + 6.1) / (62.8 + 15.1 + 6.1) = 0.25;
    #  - power: heat-driven plants (CHP and heat-only) follow the household shape, electricity-only
    #    plants are flat; their shares come from Eurostat nrg_cb_gas (mean 2019-20, EU27);
    #  - industry: flat.
    days = mon.days.to_numpy(dtype=float)
    per_day = mon.implied_demand_bcm.to_numpy() / days
    heat = per_day - per_day.min()
    heat = heat / np.average(heat, weights=days)
    flat = days / days.sum()
    base_share = (15.1 + 6.1) / (62.8 + 15.1 + 6.1)
    heating = days * (base_share + (1 - base_share) * heat)
    heating = heating / heating.sum()
    chp = sum(
        mean_bcm(cb, f"Transformation input - electricity and heat generation - {x} - energy use")["EU27"]
        for x in [
            "main activity producer combined heat and power",
            "main activity producer heat only",
            "autoproducer combined heat and power",
            "autoproducer heat only",
        ]
    )
    elec = sum(
        mean_bcm(cb, f"Transformation input - electricity and heat generation - {x} - energy use")["EU27"]
        for x in ["main activity producer electricity only", "autoproducer electricity only"]
    )
    heat_driven = chp / (chp + elec)
    power = heat_driven * heating + (1 - heat_driven) * flat
    w = demand.groupby("sector").demand_bcm_per_year.sum()
    w = w / w.sum()
    modelled = (w["households"] + w["services"]) * heating + w["power"] * power + w["industry"] * flat
    implied = mon.implied_demand_bcm.to_numpy() / mon.implied_demand_bcm.sum()
    print(
        f"CHECK profile: heat-driven share of gas for power and heat {heat_driven:.3f}; modelled EU monthly shape vs "
        f"2021 implied shape: max abs gap {np.abs(modelled - implied).max():.4f}, Jan {modelled[0]:.4f} vs "
        f"{implied[0]:.4f}, Jul {modelled[6]:.4f} vs {implied[6]:.4f}"
    )
    rows = []
    for sec, sh in [("industry", flat), ("power", power), ("households", heating), ("services", heating)]:
        sh = pd.Series(sh).round(4)
        sh.iloc[11] = round(1 - sh.iloc[:11].sum(), 4)  # exact sum 1 after rounding
        for m, v in zip(mon.month, sh):
            rows.append((m, sec, v))
    prof = write(
        pd.DataFrame(rows, columns=["month", "sector", "share_of_annual"]),
        out,
        "gas_demand_monthly_profile.csv",
        ["sector", "month"],
    )
    print("CHECK profile sums:", prof.groupby("sector").share_of_annual.sum().round(6).to_dict())
    return mon


# ---------------------------------------------------------------- ENTSOG capacity map
def read_capmap(raw):
    c = pd.read_excel(raw / "entsog_capacity_map_2021.xlsx", sheet_name="Capacity Map", header=None)
    c = c.iloc[12:].copy()
    c["num"] = pd.to_numeric(c[2], errors="coerce").ffill()
    c["point"] = c[4].where(c[4].notna()).ffill().astype(str).str.replace("\n", " ").str.strip()
    c["arc"] = c[8].astype(str)
    c["gwh"] = pd.to_numeric(c[9], errors="coerce")
    c["from_cc"] = c[14].astype(str).str.upper().str.strip()
    c["to_cc"] = c[19].astype(str).str.upper().str.strip()
    return c[c.gwh.notna()]


def c_num(r):
    return r["num"] if pd.notna(r["num"]) else 0


def _side_cc(side):
    side = side.replace("IB-", "").replace("Y-", "").strip()
    return side[:2].upper() if len(side) >= 2 and side[:2].isalpha() else None


# ---------------------------------------------------------------- 11. interconnectors
# an arc sharing a border point's capacity with a Russian route's entry there (econ.gas.system.JOINT_PREFIX)
JOINT_PREFIX = "joint with route "


def build_interconnectors(raw, out, pub, imports):
    c = read_capmap(raw)
    skip = [
        "Epe",
        "Etzel",
        "Jemgum",
        "Nüttermoor",
        "Haidach",
        "Haiming",
        "Láb",
        "Dolni Bojanovice",
        "Bacton",
        "Moffat",
        "Nybro",
        "Zone",
        "Transfer Point",
        "Point of Interconnection",
        "VIP L GASPOOL",
        "Kienbaum",
        "Broichweiden",
        "Lampertheim",
        "Bunder-Tief",
        "Emsbüren",
        "Steinitz",
        "Wardenburg",
        "Gernsheim",
        "Drohne",
    ]
    rows = []
    for _, r in c.iterrows():
        pt, arc = str(r["point"]), str(r["arc"])
        if any(s in pt for s in skip) or "STc" in arc or "LNG" in arc or c_num(r) >= 300:
            continue
        left, _, right = arc.partition(">")
        fcc, tcc = str(r["from_cc"]), str(r["to_cc"])
        fc = fcc if len(fcc) == 2 and fcc.isalpha() else _side_cc(left)
        tc = tcc if len(tcc) == 2 and tcc.isalpha() else _side_cc(right)
        if left.startswith("IB-") or left.startswith("Y-"):
            fc = _side_cc(left)
        if right.startswith("IB-") or right.startswith("Y-"):
            tc = _side_cc(right)
        if fc == "UA" and tc != "MD":
            continue  # Ukraine's exits into the EU: added below at the ukraine route's entry capacity (joint)
        rows.append((fc, tc, r["gwh"], pt.split(" Interconnection")[0].split(" Presented")[0][:60].strip()))
    arcs = pd.DataFrame(rows, columns=["from_country", "to_country", "gwh", "point"])
    # In the wider Europe Switzerland and Serbia are nodes: Transitgas (DE/FR > CH > IT) and the TurkStream onward
    # string (BG > RS > HU) run through them, arc by arc. The EU-only network collapses them to a direct arc at the
    # bottleneck (points starting "via "; econ.gas.system drops these in the wider Europe).
    ch_it = arcs[(arcs.from_country == "CH") & (arcs.to_country == "IT")].gwh.sum()
    de_ch = arcs[(arcs.from_country == "DE") & (arcs.to_country == "CH")].gwh.sum()
    fr_ch = arcs[(arcs.from_country == "FR") & (arcs.to_country == "CH")].gwh.sum()
    bg_rs = arcs[(arcs.from_country == "BG") & (arcs.to_country == "RS")].gwh.sum()
    rs_hu = pub["rs_hu_interconnector_capacity"] * 1000 / 365  # mcm/d
    arcs = arcs[
        arcs.from_country.isin(GAS_NODES) & arcs.to_country.isin(GAS_NODES) & (arcs.from_country != arcs.to_country)
    ]
    arcs["capacity_mcm_per_day"] = arcs.gwh.map(gwh_per_day_to_mcm_per_day)
    g = arcs.groupby(["from_country", "to_country"]).agg(
        capacity_mcm_per_day=("capacity_mcm_per_day", "sum"), points=("point", lambda x: ";".join(sorted(set(x))))
    )
    g = g.reset_index()
    moffat = c[c.point.str.startswith("Moffat")].gwh.sum()
    ua = {k: pub[f"ua_imports_2020_{k}"] * 1000 / 365 for k in ("hu", "pl")}
    md_transit = pub["ukraine_transit_2020_md"] * 1000 / 365
    extra = [
        (
            "DE",
            "IT",
            min(gwh_per_day_to_mcm_per_day(de_ch), gwh_per_day_to_mcm_per_day(ch_it)),
            "via CH: Wallbach DE>CH then Passo Gries CH>IT (Transitgas; bottleneck; shared with FR>IT)",
        ),
        (
            "FR",
            "IT",
            min(gwh_per_day_to_mcm_per_day(fr_ch), gwh_per_day_to_mcm_per_day(ch_it)),
            "via CH: Oltingue FR>CH then Passo Gries CH>IT (Transitgas; bottleneck; shared with DE>IT)",
        ),
        (
            "BG",
            "HU",
            min(gwh_per_day_to_mcm_per_day(bg_rs), rs_hu),
            "via RS: Kireevo/Zaychar BG>RS then Kiskundorozsma RS>HU (Balkan Stream; RS>HU published 8.5 bcm/yr)",
        ),
        ("RS", "HU", pub["rs_hu_interconnector_capacity"] * 1000 / 365, "Kiskundorozsma RS>HU (published 8.5 bcm/yr)"),
        ("UK", "IE", gwh_per_day_to_mcm_per_day(moffat), "Moffat (ENTSOG capacity map)"),
        ("NL", "UK", pub["bbl_forward_capacity"] * 1000 / 365, "BBL Balgzand>Bacton (published 15 bcm/yr)"),
        ("UK", "NL", pub["bbl_reverse_capacity"] * 1000 / 365, "BBL reverse Bacton>Balgzand (published 5 bcm/yr)"),
        ("HU", "UA", 2 * ua["hu"], "Beregdaroc HU>UA (ESTIMATE: 2 x UA 2020 imports from HU per day, GTSOU)"),
        ("PL", "UA", 2 * ua["pl"], "Hermanowice PL>UA (ESTIMATE: 2 x UA 2020 imports from PL per day, GTSOU)"),
        ("UA", "MD", 2 * md_transit, "Ukraine > Moldova (ESTIMATE: 2 x the 2020 transit to Moldova per day, GTSOU)"),
        ("FI", "EE", pub["balticconnector_capacity"], "Balticconnector (published 7.2 mcm/d)"),
        ("EE", "FI", pub["balticconnector_capacity"], "Balticconnector (published 7.2 mcm/d)"),
        ("PL", "LT", 0.0, "GIPL (not in operation in Feb 2022; opened May 2022)"),
        ("LT", "PL", 0.0, "GIPL (not in operation in Feb 2022; opened May 2022)"),
    ]
    # estimates for points missing from the ENTSOG extract (Dragor DK>SE; Karksi EE<->LV)
    se_pipe = (imports["total"].get("SE", 0) - imports["lng_total"].get("SE", 0)) * 1000 / 365
    extra.append(("DK", "SE", 2 * se_pipe, "Dragor (ESTIMATE: 2 x SE mean 2019-20 pipeline imports per day)"))
    ee_inl = imports["total"].get("EE", 0) * 1000 / 365
    extra += [
        ("LV", "EE", 2 * ee_inl, "Karksi (ESTIMATE: 2 x EE mean 2019-20 imports per day)"),
        ("EE", "LV", 2 * ee_inl, "Karksi (ESTIMATE: 2 x EE mean 2019-20 imports per day)"),
    ]
    # Ukraine's exits into the EU (wider Europe): the border points at which the Russian transit enters the EU
    # (Uzhhorod-Velke Kapusany and Budince to SK, Beregovo-Beregdaroc to HU, Drozdovychi-Hermanowice to PL,
    # Orlovka-Isaccea and Mediesu Aurit to RO) carry Ukraine's own gas too (customs-warehouse gas withdrawn back
    # into the EU in 2020-2021). One arc UA > c per border at the ukraine route's entry capacity there (the same
    # ENTSOG points, gas_russian_routes.csv); econ.gas.system caps the route's entry and the arc together
    # (points starting JOINT_PREFIX: Russian transit + Ukraine's own exports <= the point's capacity).
    routes = pd.read_csv(out / "gas_russian_routes.csv")
    for r in routes[(routes.route == "ukraine") & routes.entry_country.isin(EU_GAS_COUNTRIES)].itertuples():
        extra.append(
            (
                "UA",
                r.entry_country,
                r.capacity_mcm_per_day,
                f"{JOINT_PREFIX}ukraine: the route's entry points into {r.entry_country} (ENTSOG capacity map)",
            )
        )
    g = pd.concat([g, pd.DataFrame(extra, columns=g.columns)], ignore_index=True)
    g = g[(g.capacity_mcm_per_day > 0) | g.points.str.startswith("GIPL")]
    df = write(
        g[["from_country", "to_country", "capacity_mcm_per_day", "points"]],
        out,
        "gas_interconnectors.csv",
        ["from_country", "to_country"],
    )
    for a, b in [
        ("ES", "FR"),
        ("FR", "ES"),
        ("DK", "SE"),
        ("FI", "EE"),
        ("UK", "BE"),
        ("BE", "UK"),
        ("UK", "NL"),
        ("CH", "IT"),
        ("BG", "RS"),
        ("RS", "BA"),
        ("BG", "MK"),
        ("SK", "UA"),
        ("RO", "MD"),
        ("UA", "MD"),
    ]:
        v = df[(df.from_country == a) & (df.to_country == b)].capacity_mcm_per_day
        print(f"CHECK arc {a}>{b}: {v.iloc[0] if len(v) else 'missing'} mcm/d")
    return df


# ---------------------------------------------------------------- 5. Russian routes
def build_routes(raw, out, pub, imports):
    cap = read_capmap(raw)

    def gw(point_sub, arc_sub=None):
        s = cap[cap.point.str.contains(point_sub, regex=False)]
        if arc_sub:
            s = s[s.arc.str.contains(arc_sub, regex=False)]
        return s.gwh.sum()

    mcm = gwh_per_day_to_mcm_per_day
    ru_mj, ns_twh = russian_m3_factor(raw, pub)
    ru_to_model = ru_mj / GCV_MJ_PER_M3  # model bcm per Russian-standard bcm (20 degC)
    capr = {
        ("nord_stream_1", "DE"): mcm(gw("Greifswald")),
        # nameplate 55 bcm/yr in Gazprom's cubic metres (20 degC), converted to the model basis
        ("nord_stream_2", "DE"): pub["nord_stream_2_capacity"] * ru_to_model * 1000 / 365,
        ("yamal", "PL"): mcm(gw("Kondratki") + gw("Wysokoje") + gw("Tieterowka")),
        ("ukraine", "SK"): mcm(gw("Uzhgorod") + gw("Budince", "UA>SK")),
        ("ukraine", "HU"): mcm(gw("VIP Bereg", "UA>HU")),
        ("ukraine", "PL"): mcm(gw("GCP GAZ-SYSTEM/UA", "UA>PL")),
        ("ukraine", "RO"): mcm(gw("Isaccea", "UA>") + gw("Mediesu Aurit", "UA>RO")),
        ("turkstream", "BG"): mcm(gw("Strandzha 2")),
        ("turkstream", "HU"): pub["rs_hu_interconnector_capacity"] * 1000 / 365,
        ("baltic_finland", "FI"): mcm(gw("Imatra")),
        ("baltic_finland", "EE"): mcm(gw("Narva", "IB-RUen>") + gw("Värska")),
        ("baltic_finland", "LV"): mcm(gw("Luhamaa", "IB-RUek>")),
        ("baltic_finland", "LT"): mcm(gw("Kotlovka")),
    }
    # flows 2021: ENTSOG measured energy at the same EU entry points as the capacities (TWh GCV -> model bcm)
    e = read_entry_flows_2021(raw)

    def twh(country, *labels):
        sel = e[e.index.get_level_values("country") == country]
        return sum(v for (lab, _), v in sel.items() if any(lab.startswith(x) for x in labels))

    points = {
        ("nord_stream_1", "DE"): ("DE", "Greifswald / NEL", "Greifswald / OPAL"),  # Fluxys, GUD rows repeat NEL
        ("yamal", "PL"): ("PL", "Kondratki", "Wysokoje", "Tieterowka"),
        ("ukraine", "SK"): ("SK", "Uzhgorod", "Budince"),
        ("ukraine", "HU"): ("HU", "VIP Bereg"),
        ("ukraine", "PL"): ("PL", "GCP GAZ-SYSTEM/UA"),
        ("ukraine", "RO"): ("RO", "Isaccea", "VIP Mediesu Aurit"),
        ("turkstream", "BG"): ("BG", "Strandzha 2"),
    }
    flow = {k: twh(v[0], *v[1:]) / TWH_PER_BCM for k, v in points.items()}
    flow[("nord_stream_2", "DE")] = 0.0
    flow[("turkstream", "HU")] = 0.0  # Kiskundorozsma (RS>HU, from 1 Oct 2021): counted at the BG entry
    # Run-rate (gas.reference.run_rate): the mean daily flow of 1 January to 23 February 2022 at the same entry
    # points, as bcm/yr. Yamal: its westward transit to Germany stopped on 21 December 2021 (the route file's
    # yamal column falls from about 56 to 5-25 mcm/d); what still entered Poland at Kondratki and Wysokoje was
    # Poland's own contract gas.
    e_rr = read_entry_flows_run_rate(raw)

    def twh_rr(country, *labels):
        sel = e_rr[e_rr.index.get_level_values("country") == country]
        return sum(v for (lab, _), v in sel.items() if any(lab.startswith(x) for x in labels))

    run_rate = {k: twh_rr(v[0], *v[1:]) / TWH_PER_BCM for k, v in points.items()}
    run_rate[("nord_stream_2", "DE")] = 0.0
    run_rate[("turkstream", "HU")] = 0.0
    # Baltic and Finland: Eurostat imports from Russia (TJ GCV, already the model basis); the ENTSOG entries at
    # Kotlovka and Luhamaa also carry transit to Kaliningrad and storage flows for third countries. Their
    # run-rate scales the Eurostat flow by the ratio of the ENTSOG window mean to the ENTSOG 2021 mean at the
    # country's points.
    baltic_points = {"FI": ("Imatra",), "EE": ("Narva", "Värska"), "LV": ("Luhamaa",), "LT": ("Kotlovka",)}
    for c in ["FI", "EE", "LV", "LT"]:
        flow[("baltic_finland", c)] = imports["russia"].get(c, 0.0)
        base = twh(c, *baltic_points[c])
        run_rate[("baltic_finland", c)] = flow[("baltic_finland", c)] * (
            twh_rr(c, *baltic_points[c]) / base if base > 0 else 0.0
        )
    # checks against the operators' volumes (Russian standard m3), converted with the measured factor
    ua = {k: pub[f"ukraine_transit_2020_{k}"] for k in ["sk", "hu", "pl", "ro", "md"]}
    ua_tot = sum(ua.values())
    ua_eu = sum(v for (r, _), v in flow.items() if r == "ukraine")
    print(
        f"CHECK Russian cubic metres: ENTSOG Greifswald 2021 {ns_twh:.1f} TWh / Nord Stream AG "
        f"{pub['nord_stream_1_flow_2021']} bcm = {ru_mj:.2f} MJ/m3 GCV (20 degC) -> {ru_to_model:.4f} model bcm per "
        f"operator bcm; Nord Stream 2 nameplate {pub['nord_stream_2_capacity']} -> "
        f"{pub['nord_stream_2_capacity'] * ru_to_model:.1f} bcm/yr"
    )
    print(
        f"      Ukraine: ENTSOG EU entries {ua_eu:.2f} bcm vs GTSOU {pub['ukraine_transit_2021']} x {ru_to_model:.4f} x "
        f"EU share {(ua_tot - ua['md']) / ua_tot:.3f} (2020 split) = "
        f"{pub['ukraine_transit_2021'] * ru_to_model * (ua_tot - ua['md']) / ua_tot:.2f} bcm"
    )
    rows = [(k[0], k[1], capr[k], flow[k], run_rate[k]) for k in capr]
    df = write(
        pd.DataFrame(
            rows,
            columns=["route", "entry_country", "capacity_mcm_per_day", "flow_2021_bcm", "flow_run_rate_bcm_per_year"],
        ),
        out,
        "gas_russian_routes.csv",
        ["route", "entry_country"],
    )
    t = df.groupby("route").flow_2021_bcm.sum()
    print("CHECK routes 2021 (bcm):", t.round(2).to_dict(), f"| sum {t.sum():.1f}")
    print(
        f"      IEA EU pipeline imports from Russia 2021 {pub['eu_imports_russia_2021_pipeline']} bcm vs route sum "
        f"{t.sum():.1f}; utilisation 2021:",
        {r: round(float(t[r] / (df[df.route == r].capacity_mcm_per_day.sum() * 365 / 1000)), 4) for r in t.index},
    )
    rr = df.groupby("route").flow_run_rate_bcm_per_year.sum()
    print(
        f"CHECK run-rate {RUN_RATE_START} to {RUN_RATE_END} (bcm/yr):",
        rr.round(2).to_dict(),
        f"| sum {rr.sum():.1f}; utilisation:",
        {r: round(float(rr[r] / (df[df.route == r].capacity_mcm_per_day.sum() * 365 / 1000)), 4) for r in rr.index},
    )
    rf = pd.read_csv(raw / "russian_pipeline_exports_by_route_daily.csv", parse_dates=["date"]).set_index("date")
    win = rf.loc[RUN_RATE_START:RUN_RATE_END].mean() / 1000
    dec = rf.loc["2021-12-01":"2021-12-20"].mean() / 1000
    print(
        "      route file (thousand m3/d, operator volumes) mean mcm/d, 1-20 Dec 2021 -> run-rate window:",
        {k: (round(float(dec[k]), 1), round(float(win[k]), 1)) for k in rf.columns},
    )
    return df


# ---------------------------------------------------------------- 6. non-Russian pipelines
def build_pipeline_supply(raw, out, pub, imports_ie):
    cap = read_capmap(raw)
    mcm = gwh_per_day_to_mcm_per_day

    def gw(p, arc=None):
        s = cap[cap.point.str.contains(p, regex=False)]
        if arc:
            s = s[s.arc.str.contains(arc, regex=False)]
        return mcm(s.gwh.sum())

    f = pd.read_csv(raw / "entsog_physical_flows_by_supplier_daily_2021_2022.csv")
    f["d"] = (pd.to_datetime(f.date).dt.tz_convert(None) + pd.Timedelta(hours=1)).dt.normalize()
    tot = f[f.d.dt.year == 2021][[c for c in f.columns if c.endswith(" value")]].sum() / 1000
    bp = pd.read_excel(
        raw / "bp_statistical_review_2021_all_data.xlsx", sheet_name="Gas - Trade movts - pipeline", header=None
    )
    hdr = bp.iloc[2].astype(str).str.strip().tolist()
    bpm = bp.set_index(0)
    col = {h: i for i, h in enumerate(hdr)}
    alg_it = bpm.loc["Italy", col["Algeria"]]
    alg_es = bpm.loc["Spain", col["Algeria"]] + bpm.loc["Other EU", col["Algeria"]]
    uk_be = bpm.loc["Belgium", col["Other Europe"]]
    uk_nl = bpm.loc["Netherlands", col["Other Europe"]]
    caps = {
        ("norway", "DE"): gw("Emden") + gw("Dornum"),
        ("norway", "BE"): gw("Zeebrugge ZPT"),
        ("norway", "FR"): gw("Dunkerque", ">IB-FR2"),
        ("algeria_medgaz", "ES"): gw("Almería"),
        ("algeria_gme", "ES"): 0.0,
        ("algeria_transmed", "IT"): gw("Mazara"),
        ("libya_greenstream", "IT"): gw("Gela"),
        ("azerbaijan_tap", "GR"): gw("Nea Mesimvria"),
        ("azerbaijan_tap", "IT"): gw("Melendugno"),
        ("norway", "UK"): gw("St. Fergus", "NO>UK") + gw("Easington", "NO>UK"),
        # the UK as three supply corridors: the EU-only network (gas.market.wider_europe false)
        ("uk_iuk", "BE"): gw("Zeebrugge IZT", ">IB-BEhz"),
        ("uk_bbl", "NL"): pub["bbl_reverse_capacity"] * 1000 / 365,
        ("uk_moffat", "IE"): gw("Moffat"),
    }
    # Norway: ENTSOG's "Norway" supplier total also counts flows landing in the UK, so the EU entries come
    # from bp's 2020 pipeline matrix instead: France (Franpipe, Dunkerque) and Belgium (Zeepipe,
    # Zeebrugge) have their own landings; everything else bound for the EU lands at Emden/Dornum (DE).
    bp_nor = {
        dest: bpm.loc[dest, col["Norway"]]
        for dest in ["Belgium", "France", "Germany", "Italy", "Netherlands", "Spain", "Other EU"]
    }
    flow = {
        ("norway", "FR"): bp_nor["France"],
        ("norway", "BE"): bp_nor["Belgium"],
        ("norway", "DE"): sum(v for k, v in bp_nor.items() if k not in ("France", "Belgium")),
    }
    alg = tot["Algeria value"]
    medgaz_share = gw("Almería") / (gw("Almería") + gw("Tarifa"))
    flow[("algeria_transmed", "IT")] = alg * alg_it / (alg_it + alg_es)
    flow[("algeria_medgaz", "ES")] = alg * alg_es / (alg_it + alg_es) * medgaz_share
    flow[("algeria_gme", "ES")] = 0.0
    flow[("libya_greenstream", "IT")] = tot["Libya value"]
    tap = caps[("azerbaijan_tap", "GR")] + caps[("azerbaijan_tap", "IT")]
    for k in [("azerbaijan_tap", "GR"), ("azerbaijan_tap", "IT")]:
        flow[k] = tot["Azerbaijan value"] * caps[k] / tap
    # The EU-only network has the UK as three corridors; the wider Europe has it as a node (build_wider_europe),
    # its links to BE, NL and IE interconnectors, and Norway -> UK (Langeled at Easington, Vesterled and FLAGS at
    # St Fergus) an entry of the Norwegian corridor: bp's 2020 pipeline matrix.
    flow[("uk_iuk", "BE")] = uk_be
    flow[("uk_bbl", "NL")] = min(
        uk_nl, caps[("uk_bbl", "NL")] * 365 / 1000
    )  # bp's figure exceeds BBL's reverse capacity
    flow[("uk_moffat", "IE")] = imports_ie
    flow[("norway", "UK")] = bpm.loc["United Kingdom", col["Norway"]]
    rows = [(k[0], k[1], caps[k], flow[k]) for k in caps]
    df = write(
        pd.DataFrame(rows, columns=["corridor", "entry_country", "capacity_mcm_per_day", "flow_base_bcm_per_year"]),
        out,
        "gas_pipeline_supply.csv",
        ["corridor", "entry_country"],
    )
    print("CHECK pipeline supply ENTSOG 2021 totals (bcm):", tot.round(1).to_dict())
    print(
        f"      bp 2020: Algeria->IT {alg_it:.1f}, ->ES+OtherEU {alg_es:.1f}; 'Other Europe'(UK)->BE {uk_be:.2f}, "
        f"->NL {uk_nl:.2f}; Norway->UK {flow[('norway', 'UK')]:.1f}"
    )
    return df


# ---------------------------------------------------------------- 6b. Norway's split between the UK and the continent
# The terminals where Norwegian gas lands on the continent, as ENTSOG's EU-side operators report them. Several
# operators report the same terminal flow: the Dornum series (GUD, OGE, jordgas, GASPOOL) agree within 1% on 94-100%
# of days, and at Emden EPT1 GUD and Thyssengas on 86% (OGE's differs: another part of the terminal's flow), so each
# duplicated group is counted once (its daily maximum) and the distinct series are summed.
NORWAY_CONTINENT = {
    "DE": (
        ("Dornum / NETRA (GUD)", "Dornum / NETRA (OGE)", "Dornum / NETRA (jordgas Transport)", "Dornum GASPOOL"),
        ("Emden (EPT1) (GUD)", "Emden (EPT1) (Thyssengas)"),
        ("Emden (EPT1) (OGE)",),
    ),
    "NL": (("Emden (EPT1) (GTS)",), ("Emden (NPT) (GTS)",)),
    "BE": (("Zeebrugge ZPT",),),
    "FR": (("Dunkerque",),),
}
NORWAY_DEMONSTRATED_YEARS = ("2015-01-01", "2021-12-31")


def build_norway_split(raw, out, pub):
    """Norway's continental pipes as one group cap (docs/methodology.md, gas, 3.6): the largest monthly mean of the
    daily physical flow of Norwegian gas into the continent (DE and NL at Emden/Dornum, BE at Zeebrugge ZPT, FR at
    Dunkerque) over 2015-2021, in mcm/d: what the continental pipes (Europipe I and II, Norpipe, Zeepipe I,
    Franpipe) and the processing plants behind them delivered in their best month. The UK's pipes (Langeled,
    Vesterled, FLAGS/Tampen Link) keep their ENTSOG entry capacity (gas_pipeline_supply.csv)."""
    f = pd.read_csv(raw / ENTSOG_KWH, parse_dates=["dates"]).drop_duplicates()
    lo, hi = NORWAY_DEMONSTRATED_YEARS
    f = f[(f.direction == "entry") & (f.exportcountry == "Norway") & (f.dates >= lo) & (f.dates <= hi)]
    daily = f.pivot_table(index="dates", columns="label", values="values", aggfunc="sum") / 1e6  # GWh/d
    total = pd.Series(0.0, index=daily.index)
    by_country = {}
    for country, groups in NORWAY_CONTINENT.items():
        s = sum(daily[list(g)].max(axis=1).fillna(0.0) for g in groups)
        by_country[country] = s
        total = total + s
    mcm = gwh_per_day_to_mcm_per_day
    monthly = mcm(total.groupby(total.index.to_period("M")).mean())
    year = lambda s: mcm(s.groupby(s.index.year).sum()) / 1000  # noqa: E731  bcm
    flow_2020 = float(year(total).loc[2020])
    de_nl_2020 = float(year(by_country["DE"] + by_country["NL"]).loc[2020])
    rows = [("norway", "continent", "BE DE FR", round(float(monthly.max()), 4), round(flow_2020, 4))]
    df = write(
        pd.DataFrame(rows, columns=["corridor", "group", "entry_countries", "capacity_mcm_per_day", "flow_2020_bcm"]),
        out,
        "gas_corridor_groups.csv",
        ["corridor", "group"],
    )
    print(
        f"CHECK Norway to the continent: best month {monthly.idxmax()} {monthly.max():.1f} mcm/d "
        f"({monthly.max() * 365 / 1000:.1f} bcm/yr); mean 2020 {mcm(total.loc['2020'].mean()):.1f} mcm/d; "
        f"annual (bcm) {year(total).round(1).to_dict()}; DE+NL terminals 2020 {de_nl_2020:.1f} bcm against "
        f"Gassco's 2020 deliveries to Germany {pub['gassco_2020_germany']:.1f} bcm (Sm3)"
    )
    # the pipes' own published capacities where found (operator statements, standard m3): Europipe I and II and
    # Norpipe into Germany, the Franpipe terminal at Dunkerque; Zeepipe's not found (ENTSOG's Zeebrugge ZPT entry)
    cap = read_capmap(raw)
    zpt = gwh_per_day_to_mcm_per_day(cap[cap.point.str.contains("Zeebrugge ZPT", regex=False)].gwh.sum())
    pipes = (
        pub["statoil_europipe_capacity"] + pub["gassco_norpipe_capacity"] + pub["norfra_dunkerque_terminal_capacity"]
    )
    print(
        f"      published pipe capacities: Europipe I+II {pub['statoil_europipe_capacity']:.0f} + Norpipe "
        f"{pub['gassco_norpipe_capacity']:.1f} + Franpipe terminal {pub['norfra_dunkerque_terminal_capacity']:.0f} "
        f"+ Zeepipe (ENTSOG ZPT) {zpt:.1f} = {pipes + zpt:.1f} mcm/d against the best month {monthly.max():.1f}"
    )
    return df


NORWAY_UK = ("Easington", "St. Fergus")  # Langeled; Vesterled and FLAGS/Tampen Link (ENTSOG's UK entries)


def _monthly_ratio(s: pd.Series, days: np.ndarray) -> np.ndarray:
    """Each calendar month's mean daily flow (the mean over the years of each year's monthly mean) over the annual
    mean daily flow, the months weighted by their days (``days``, a 365-day year): a profile averaging 1."""
    by_month = s.groupby([s.index.year, s.index.month]).mean().groupby(level=1).mean()
    return by_month.to_numpy() * 365 / float(by_month.to_numpy() @ days)


def _write_monthly_profiles(
    series: dict[str, pd.Series], key: str, days: np.ndarray, out: Path, name: str
) -> pd.DataFrame:
    """Write one monthly profile (``_monthly_ratio``) per series as rows (key, month, ratio_to_mean)."""
    rows = []
    for label, s in series.items():
        ratio = _monthly_ratio(s, days)
        rows += [(label, m + 1, float(ratio[m])) for m in range(12)]
    return write(pd.DataFrame(rows, columns=[key, "month", "ratio_to_mean"]), out, name, [key, "month"])


def build_norway_profile(raw, out):
    """Norway's deliveries by calendar month (docs/methodology.md, gas, 3.6, "Norway's seasonal swing"): the mean
    daily physical flow of Norwegian gas in each calendar month of 2015-2021 (ENTSOG), as a ratio to its
    day-weighted annual mean (sum_m r_m days_m = 365), for the continental entries (the EU-only network's corridor;
    terminals counted once as in build_norway_split) and for all of Norway's entries, the UK's St Fergus and
    Easington included (the wider Europe's corridor). Norway's fields swing with the UK's winter, not against the
    continent: the continent's ratio stays within 0.90-1.05, all entries' runs from 0.85 (September) to 1.12
    (January)."""
    f = pd.read_csv(raw / ENTSOG_KWH, parse_dates=["dates"]).drop_duplicates()
    lo, hi = NORWAY_DEMONSTRATED_YEARS
    f = f[(f.direction == "entry") & (f.exportcountry == "Norway") & (f.dates >= lo) & (f.dates <= hi)]
    daily = f.pivot_table(index="dates", columns="label", values="values", aggfunc="sum") / 1e6  # GWh/d
    cont = sum(daily[list(g)].max(axis=1).fillna(0.0) for groups in NORWAY_CONTINENT.values() for g in groups)
    uk = daily[list(NORWAY_UK)].fillna(0.0).sum(axis=1)
    days = np.array([pd.Period(f"2021-{m:02d}", "M").days_in_month for m in range(1, 13)])
    df = _write_monthly_profiles(
        {"continent": cont, "all": cont + uk}, "entries", days, out, "gas_norway_monthly_profile.csv"
    )
    r = df.set_index(["entries", "month"])["ratio_to_mean"]
    print(
        f"CHECK Norway by month 2015-2021: all entries January {r['all', 1]:.3f}, September {r['all', 9]:.3f}; "
        f"continent January {r['continent', 1]:.3f}, September {r['continent', 9]:.3f}; UK 2020 "
        f"{gwh_per_day_to_mcm_per_day(uk.loc['2020'].sum()) / 1000:.1f} bcm"
    )
    return df


# Entry points whose monthly shape the wider Europe's supplies take (docs/methodology.md, gas, 3.6 and 3.7):
# ENTSOG export country and point label per supply; "lng_eu27" is every LNG terminal of an EU27 member state.
SUPPLY_PROFILE_POINTS = {
    "algeria_transmed": ("Tunisia", "Mazara del Vallo"),
    "algeria_medgaz": ("Algeria", "Almería"),
    "algeria_gme": ("Morocco", "Tarifa"),
    "libya_greenstream": ("Libya", "Gela"),
}
# The GME's contract with Sonatrach ended on 31 October 2021 and the pipe stopped: later months are not its shape
SUPPLY_PROFILE_LAST_DAY = {"algeria_gme": "2021-10-31"}


def build_supply_profile(raw, out):
    """The observed monthly shape of the supplies the wider Europe otherwise spreads evenly over the year
    (docs/methodology.md, gas, 3.6 and 3.7): the mean daily physical flow in each calendar month of 2015-2021
    (ENTSOG), averaged over the years, as a ratio to its day-weighted annual mean (sum_m r_m days_m = 365), for
    (i) the send-out of the EU27's LNG terminals (every "Liquefied Natural Gas" entry point of an EU27 member
    state; Spain's virtual point TVB, which restates its terminals from 2020, left out) and (ii) each Algerian and
    Libyan pipe at its entry point (Transmed at Mazara del Vallo, labelled Tunisia; Medgaz at Almeria; the GME at
    Tarifa, labelled Morocco, to October 2021; Greenstream at Gela)."""
    f = pd.read_csv(raw / ENTSOG_KWH, parse_dates=["dates"]).drop_duplicates()
    lo, hi = NORWAY_DEMONSTRATED_YEARS
    f = f[(f.direction == "entry") & (f.dates >= lo) & (f.dates <= hi)]
    days = np.array([pd.Period(f"2021-{m:02d}", "M").days_in_month for m in range(1, 13)])
    series = {}
    lng = f[(f.exportcountry == "Liquefied Natural Gas") & (f.country.isin(NODES)) & (f.label != "TVB")]
    series["lng_eu27"] = lng.groupby("dates")["values"].sum()
    for supply, (country, label) in SUPPLY_PROFILE_POINTS.items():
        g = f[(f.exportcountry == country) & (f.label == label)]
        g = g[g.dates <= SUPPLY_PROFILE_LAST_DAY.get(supply, hi)]
        series[supply] = g.groupby("dates")["values"].sum()
    df = _write_monthly_profiles(series, "supply", days, out, "gas_supply_monthly_profile.csv")
    r = df.set_index(["supply", "month"])["ratio_to_mean"]
    print(
        "CHECK supplies by month 2015-2021 (January, August, November): "
        + "; ".join(f"{k} {r[k, 1]:.3f} {r[k, 8]:.3f} {r[k, 11]:.3f}" for k in series)
    )
    return df


# ---------------------------------------------------------------- 7. LNG terminals
def build_lng_terminals(raw, out, pub, imports):
    """Regasification capacity: ENTSOG firm LNG entry capacity where the map has it (the firm technical
    capacity TSOs offer, about 15% below SciGRID's maximum send-out); SciGRID for terminals ENTSOG lacks."""
    t = read_scigrid(raw / "scigrid_gas_iggin_lng_terminals.csv")
    t["country_code"] = t.country_code.replace({"EL": "GR"})
    phantom = ["Tallinn", "Riga", "Paldiski"]  # no terminal in operation in Feb 2022 (not in ENTSOG LNG entries)
    t = t[t.country_code.isin(NODES) & (t.start_year <= 2021) & ~t.name.isin(phantom)]
    t["bcm"] = t.max_cap_store2pipe_M_m3_per_d * 365 / 1000
    g = t.groupby("country_code").agg(scigrid=("bcm", "sum"), terminals=("name", lambda x: ";".join(sorted(x))))
    c = read_capmap(raw)
    e = c[c.num >= 300].copy()  # "LNG Entry point" section of the map
    cc = e.to_cc.where(e.to_cc.str.len() == 2)
    e["cc"] = cc.fillna(e.arc.str.extract(r"LNG_Tk_([A-Z]{2})")[0])
    e.loc[e.point.str.contains("Zeebrugge"), "cc"] = "BE"
    e.loc[e.point.str.contains("Dunkerque"), "cc"] = "FR"
    ent = e.groupby("cc").gwh.sum().map(gwh_per_day_to_mcm_per_day) * 365 / 1000
    g["entsog"] = ent.reindex(g.index)
    g["regas_capacity_bcm_per_year"] = g.entsog.fillna(g.scigrid)
    g.loc["HR"] = [float("nan"), "Krk (LNG Croatia FSRU)", float("nan"), pub["krk_lng_capacity"]]
    g.loc["MT"] = [float("nan"), "Delimara FSU", float("nan"), pub["malta_lng_capacity"] * BCM_PER_MT_LNG]
    g.loc["DE"] = [0.0, "", 0.0, 0.0]
    cmp = g[["scigrid", "entsog", "regas_capacity_bcm_per_year"]]
    g = g.reset_index().rename(columns={"country_code": "country"})[
        ["country", "regas_capacity_bcm_per_year", "terminals"]
    ]
    df = write(g, out, "gas_lng_terminals.csv", ["country"])
    print(
        f"CHECK regas capacity (bcm/yr): used {df.regas_capacity_bcm_per_year.sum():.1f}; SciGRID vs ENTSOG:\n",
        cmp.round(1).to_string(),
    )
    print(
        f"CHECK total regas EU nodes {df.regas_capacity_bcm_per_year.sum():.1f} bcm/yr; ENTSOG EU LNG entries "
        f"{ent.drop('UK', errors='ignore').sum():.1f} bcm/yr"
    )
    return df


# ---------------------------------------------------------------- 8/9. LNG imports and exporters
def read_bp_lng(raw):
    d = pd.read_excel(raw / "bp_statistical_review_2021_all_data.xlsx", sheet_name="Gas - Trade movts LNG", header=None)
    hdr = (d.iloc[2].fillna("").astype(str) + " " + d.iloc[3].fillna("").astype(str)).str.strip()
    m = d.iloc[4:39].copy()
    m.columns = hdr.str.split().str.join(" ")
    m = m.set_index(m.columns[0])
    m.index = m.index.astype(str).str.strip()
    return m.apply(pd.to_numeric, errors="coerce")


ORIG = {"us": "US", "qatar": "Qatar", "russia": "Russian Federation", "nigeria": "Nigeria", "algeria": "Algeria"}


def build_lng_imports(raw, out, ti):
    m = read_bp_lng(raw)
    tot_col = "Total imports"

    def split(row):
        r = {k: m.loc[row, v] for k, v in ORIG.items()}
        r["other"] = m.loc[row, tot_col] - sum(r.values())
        return r

    rows = []
    for name, cc in [("Belgium", "BE"), ("France", "FR"), ("Italy", "IT"), ("Spain", "ES")]:
        for k, v in split(name).items():
            rows.append((cc, k, v))
    lng20 = ti[(ti.label == "Liquefied natural gas | Total") & (ti.year == 2020)].set_index("geo").tj.fillna(0)
    others = [c for c in NODES if c not in ["BE", "FR", "IT", "ES"] and lng20.get(c, 0) > 0]
    w = lng20[others] / lng20[others].sum()
    oe = split("Other EU")
    for c in others:
        for k, v in oe.items():
            rows.append((c, k, v * w[c]))
    df = write(
        pd.DataFrame(rows, columns=["country", "origin", "lng_bcm_per_year"]),
        out,
        "gas_lng_imports.csv",
        ["country", "origin"],
    )
    eu_bp = sum(m.loc[x, tot_col] for x in ["Belgium", "France", "Italy", "Spain", "Other EU"])
    print(
        f"CHECK LNG imports bp 2020 EU: {eu_bp:.1f} bcm (table sum {df.lng_bcm_per_year.sum():.1f}); "
        f"Eurostat EU27 LNG 2020 {tj_to_bcm(lng20['EU27']):.1f} bcm; 'Other EU' bp {m.loc['Other EU', tot_col]:.1f} "
        f"vs Eurostat sum of {others} {tj_to_bcm(lng20[others].sum()):.1f}"
    )
    return df


def build_lng_exporters(raw, out, pub):
    m = read_bp_lng(raw)
    eu_rows = ["Belgium", "France", "Italy", "Spain", "Other EU"]
    exp = m.loc["Total exports"]
    cap = {
        "qatar": pub["qatar_lng_capacity"] * BCM_PER_MT_LNG,
        "us": (pub["us_lng_peak_capacity_end2022"] - pub["us_calcasieu_pass_peak_capacity"]) * BCF_TO_BCM * 365,
        "russia": (pub["russia_lng_capacity_2024"] - pub["russia_portovaya_capacity"]) * BCM_PER_MT_LNG,
        "nigeria": pub["nigeria_lng_capacity"] * BCM_PER_MT_LNG,
        "algeria": pub["algeria_lng_capacity"],
    }
    world_cap = (pub["world_lng_capacity_end2022"] - pub["world_lng_capacity_added_2022"]) * BCM_PER_MT_LNG
    cap["other"] = world_cap - sum(cap.values())
    rows = []
    for k in ["us", "qatar", "russia", "nigeria", "algeria"]:
        v = ORIG[k]
        rows.append((k, cap[k], exp[v], m.loc[eu_rows, v].sum(), m.loc["Asia Pacific", v]))
    tot = m.loc["Total exports", "Total imports"]
    eu_tot = m.loc[eu_rows, "Total imports"].sum()
    as_tot = m.loc["Asia Pacific", "Total imports"]
    rows.append(
        (
            "other",
            cap["other"],
            tot - sum(r[2] for r in rows),
            eu_tot - sum(r[3] for r in rows),
            as_tot - sum(r[4] for r in rows),
        )
    )
    df = write(
        pd.DataFrame(
            rows,
            columns=[
                "origin",
                "export_capacity_bcm_per_year",
                "exports_bcm_per_year",
                "to_eu_bcm_per_year",
                "to_asia_bcm_per_year",
            ],
        ),
        out,
        "gas_lng_exporters.csv",
        ["origin"],
    )
    print(
        f"CHECK LNG exporters: world exports {tot:.1f} bcm (bp 2020), world capacity end-2021 {world_cap:.1f} bcm/yr;"
        f" Qatar capacity {cap['qatar']:.1f} bcm/yr vs exports {exp['Qatar']:.1f}"
    )
    return df


# ---------------------------------------------------------------- 13. validation
def build_validation(raw, out, pubf):
    p = pubf.set_index("key")
    a = read_agsi(raw)
    rows = []

    def add(metric, geo, value, unit, key=None, pub=None, doc=None, year=None, url=None):
        if key is not None:
            r = p.loc[key]
            pub, doc, year, url = r.publisher, r.document, r.year, r.url
        rows.append((metric, geo, value, unit, pub, doc, year, url))

    add(
        "gas_inland_demand_2021",
        "EU27",
        tj_to_bcm(p.loc["eu_inland_demand_2021", "value"]),
        "bcm",
        "eu_inland_demand_2021",
    )
    add(
        "imports_from_russia_2021_total",
        "EU27",
        p.loc["eu_imports_russia_2021_total", "value"],
        "bcm",
        "eu_imports_russia_2021_total",
    )
    add(
        "imports_from_russia_2021_pipeline",
        "EU27",
        p.loc["eu_imports_russia_2021_pipeline", "value"],
        "bcm",
        "eu_imports_russia_2021_pipeline",
    )
    add(
        "imports_from_russia_2021_lng",
        "EU27",
        p.loc["eu_imports_russia_2021_lng", "value"],
        "bcm",
        "eu_imports_russia_2021_lng",
    )
    add(
        "lng_imports_2021",
        "Europe incl. UK and Turkey",
        p.loc["europe_lng_imports_2021", "value"],
        "bcm",
        "europe_lng_imports_2021",
    )
    add(
        "storage_working_capacity",
        "EU27",
        p.loc["eu_storage_capacity_twh", "value"] / TWH_PER_BCM,
        "bcm (GCV 40 MJ/m3)",
        "eu_storage_capacity_twh",
    )
    gie = (
        "GIE",
        "AGSI+ EU aggregate storage fill (raw file gie_agsi_eu_storage_fill_daily_2011_2022.csv)",
        2022,
        "https://agsi.gie.eu/",
    )
    add("storage_fill_2021_11_01", "EU27", a.loc["11-01", "2021"], "share", None, *gie)
    add("storage_fill_2022_03_01", "EU27", a.loc["03-01", "2022"], "share", None, *gie)
    # operators' volumes (20 degC) converted to the model basis with the factor measured on Nord Stream
    ru_to_model = russian_m3_factor(raw, p.value.astype(float).to_dict())[0] / GCV_MJ_PER_M3
    add(
        "nord_stream_flow_2021",
        "DE entry",
        p.loc["nord_stream_1_flow_2021", "value"] * ru_to_model,
        "bcm (GCV 40 MJ/m3)",
        "nord_stream_1_flow_2021",
    )
    add(
        "ukraine_transit_2021",
        "UA (to EU and MD)",
        p.loc["ukraine_transit_2021", "value"] * ru_to_model,
        "bcm (GCV 40 MJ/m3)",
        "ukraine_transit_2021",
    )
    add("qatar_lng_export_capacity", "QA", p.loc["qatar_lng_capacity", "value"], "mtpa", "qatar_lng_capacity")
    write(
        pd.DataFrame(rows, columns=["metric", "geography", "value", "unit", "publisher", "document", "year", "url"]),
        out,
        "gas_validation_2021.csv",
        ["metric"],
    )


def build_prices(raw, out, pub):
    """Monthly European (TTF-based) and Japanese LNG gas prices, 2019-01 to 2022-01, in EUR/MWh: World Bank Pink
    Sheet NGAS_EUR and NGAS_JP (USD/mmbtu) / EUR-USD (ECB annual average of the year; 2021's for Jan 2022)
    / MWh per mmbtu."""
    wb = pd.read_csv(raw.parent / "prices" / "wb_pinksheet_monthly_prices_1960-01_to_2022-01.csv")
    wb = wb[wb["period"] >= "2019M01"]
    year = wb["period"].str[:4].astype(int)
    month = wb["period"].str[:4] + "-" + wb["period"].str[5:7]
    fx = year.map(lambda y: pub[f"eur_usd_{min(y, 2021)}"])
    mwh = pub["mwh_per_mmbtu"]
    df = pd.DataFrame(
        {
            "month": month.to_numpy(),
            "ngas_eur_usd_mmbtu": wb["NGAS_EUR"].to_numpy(),
            "ngas_jp_usd_mmbtu": wb["NGAS_JP"].to_numpy(),
            "eur_usd": fx.to_numpy(),
            "ttf_eur_mwh": (wb["NGAS_EUR"] / fx / mwh).to_numpy(),
            "japan_lng_eur_mwh": (wb["NGAS_JP"] / fx / mwh).to_numpy(),
        }
    )
    write(r4(df), out, "gas_prices_monthly.csv", ["month"])


def build_russia_monthly(raw, out):
    """Russian pipeline entry flows into Europe by month, 2021-01 to 2022-02 (mcm/d, the unit inferred in the
    raw file's README), with each month's ratio to the 2021 average: the autumn-2021 episode's input."""
    d = pd.read_csv(raw / "entsog_physical_flows_by_supplier_daily_2021_2022.csv")
    day = pd.to_datetime(d["date"], utc=True).dt.tz_convert(None) + pd.Timedelta(hours=1)  # gas days start 23:00 UTC
    d["month"] = day.dt.strftime("%Y-%m")
    d = d[(d["month"] >= "2021-01") & (d["month"] <= "2022-02")]
    m = d.groupby("month")["Russia value"].mean()
    mean_2021 = d.loc[d["month"].str.startswith("2021"), "Russia value"].mean()
    df = pd.DataFrame(
        {"month": m.index, "russia_mcm_per_day": m.to_numpy(), "ratio_to_2021_mean": (m / mean_2021).to_numpy()}
    )
    write(df, out, "gas_russia_monthly_2021.csv", ["month"])


# ---------------------------------------------------------------- 14. the wider Europe (non-EU nodes)
NODE_NAMES = {
    "UK": ("United Kingdom", "demand, production, storage, LNG; IUK to BE, BBL to NL, Moffat to IE"),
    "CH": ("Switzerland", "transit (Transitgas DE/FR > CH > IT) and its own demand"),
    "UA": ("Ukraine", "demand, production, storage; imports from SK, HU, PL, RO; Russian transit as route entries"),
    "MD": (
        "Moldova",
        "demand (incl. Transnistria); Russian gas as an entry of the Ukraine route, links from UA and RO",
    ),
    "RS": ("Serbia", "demand, storage; TurkStream onward string BG > RS > HU; supplies BA"),
    "BA": ("Bosnia and Herzegovina", "demand, supplied from RS (Zvornik)"),
    "MK": ("North Macedonia", "demand, supplied from BG (Kyustendil/Zidilovo)"),
}


def read_bp_country(raw, sheet):
    """bp Statistical Review 2021: a country x year sheet (bcm), columns named by year."""
    d = pd.read_excel(raw / "bp_statistical_review_2021_all_data.xlsx", sheet_name=sheet, header=None)
    hdr = d.iloc[2]
    cols: dict[int, int] = {}
    for i, v in enumerate(hdr):  # the first column of each year (a later "2020" holds the share of the world)
        if isinstance(v, (int, float)) and not pd.isna(v) and 1965 <= v <= 2020:
            cols.setdefault(int(v), i)
    d = d.set_index(0)
    d.index = d.index.astype(str).str.strip()
    return lambda country, year: float(pd.to_numeric(d.loc[country].iloc[cols[year] - 1], errors="coerce"))


def build_wider_europe(raw, out, pub):
    """The non-EU nodes (docs/methodology.md, gas, section 1), appended to the node tables.

    Demand: bp Statistical Review 2021 consumption, mean 2019-20 (UK, CH, UA, MK), published totals (MD, RS, BA).
    Sector split: the UK's households and power from Bruegel's demand tracker (2020; industry the residual, as
    for the EU nodes); elsewhere ESTIMATE: the EU27 sector shares. Production: bp 2020 (UK, UA). Storage: SciGRID
    (UK, converted like the EU's), Ukraine 31 bcm (GTSOU) with SciGRID's rate per unit of working gas for its sites,
    Serbia 0.45 bcm (Gazprom) with SciGRID's rates. Regasification: ENTSOG capacity map (UK). LNG imports by
    origin: bp 2020 (UK)."""
    cons, prod = read_bp_country(raw, "Gas Consumption - Bcm"), read_bp_country(raw, "Gas Production - Bcm")
    ru_to_model = russian_m3_factor(raw, pub)[0] / GCV_MJ_PER_M3
    k_storage = storage_m3_factor(pub) / GCV_MJ_PER_M3
    total = {
        "UK": np.mean([cons("United Kingdom", y) for y in YEARS]),
        "CH": np.mean([cons("Switzerland", y) for y in YEARS]),
        # Ukraine: GTSOU's 2021 consumption (Ukrainian m3 at 20 degC), the year its sector split is published;
        # bp's 2019-20 mean (28.8 bcm) includes the high-import year 2020 (printed below for comparison)
        "UA": pub["ua_consumption_2021"] * ru_to_model,
        "MK": np.mean([cons("North Macedonia", y) for y in YEARS]),
        "MD": pub["md_consumption_incl_transnistria"] * ru_to_model,  # Russian m3 (20 degC)
        "RS": pub["rs_consumption"],  # ESTIMATE (see the published figure's note)
        "BA": pub["ba_consumption"],
    }
    demand = pd.read_csv(out / "gas_demand_annual.csv")
    eu = demand[demand.country.isin(EU_GAS_COUNTRIES)].groupby("sector").demand_bcm_per_year.sum()
    eu_share = eu / eu.sum()
    br = pd.read_csv(raw / "bruegel_gas_demand_by_country_sector_monthly_twh_2019-01_to_2022-01.csv")
    uk = br[(br.country == "UK") & (br.year == 2020)].groupby("type").demand.sum() / TWH_PER_BCM
    rows = []
    for c in NON_EU_GAS_NODES:
        if c == "UK":
            split = {"households": uk["household"], "services": 0.0, "power": uk["power"]}
            split["industry"] = total[c] - sum(split.values())
        elif c == "UA":
            # GTSOU 2021: households, heat producers (-> power: heat and power plants), and the non-household
            # rest split between industry and services at the EU27 ratio (ESTIMATE)
            rest = pub["ua_nonhousehold_2021"] * ru_to_model
            ind = eu_share["industry"] / (eu_share["industry"] + eu_share["services"])
            split = {
                "households": pub["ua_households_2021"] * ru_to_model,
                "power": pub["ua_heat_producers_2021"] * ru_to_model,
                "industry": rest * ind,
                "services": rest * (1 - ind),
            }
        else:
            split = {sec: total[c] * eu_share[sec] for sec in eu_share.index}
        rows += [(c, sec, v) for sec, v in split.items()]
    demand = pd.concat([demand[demand.country.isin(EU_GAS_COUNTRIES)], pd.DataFrame(rows, columns=demand.columns)])
    write(demand, out, "gas_demand_annual.csv", ["country", "sector"])

    production = pd.read_csv(out / "gas_production.csv")
    extra = [
        (c, {"UK": prod("United Kingdom", 2020), "UA": prod("Ukraine", 2020)}.get(c, 0.0)) for c in NON_EU_GAS_NODES
    ]
    production = pd.concat(
        [production[production.country.isin(EU_GAS_COUNTRIES)], pd.DataFrame(extra, columns=production.columns)]
    )
    write(production, out, "gas_production.csv", ["country"])

    sg = read_scigrid(raw / "scigrid_gas_iggin_storages.csv")
    sg = sg[(sg.start_year.fillna(0) <= 2021) & (sg.end_year.fillna(2050) > 2021)]
    site = sg.groupby("country_code").agg(
        wgv=("max_workingGas_M_m3", lambda x: x.sum() / 1000),
        inj=("max_cap_pipe2store_M_m3_per_d", "sum"),
        wd=("max_cap_store2pipe_M_m3_per_d", "sum"),
    )
    storage = pd.read_csv(out / "gas_storage.csv")
    gb, rs = site.loc["GB"], site.loc["RS"]
    ua_wgv = pub["ua_storage_working_capacity"] * ru_to_model
    rs_wgv = pub["rs_banatski_dvor_working_gas"]
    # ESTIMATE for Ukraine's rates: SciGRID's three Ukrainian sites carry rates of about 68 mcm/d per bcm of
    # working gas (several times any EU country's), so the EU27 nodes' average rate per bcm is used instead.
    eu_st = storage[storage.country.isin(EU_GAS_COUNTRIES)]
    inj_per_bcm = eu_st.injection_mcm_per_day.sum() / eu_st.working_gas_bcm.sum()
    wd_per_bcm = eu_st.withdrawal_mcm_per_day.sum() / eu_st.working_gas_bcm.sum()
    extra = [
        ("UK", gb.wgv * k_storage, gb.inj * k_storage, gb.wd * k_storage),
        ("UA", ua_wgv, inj_per_bcm * ua_wgv, wd_per_bcm * ua_wgv),
        ("RS", rs_wgv, rs.inj / rs.wgv * rs_wgv, rs.wd / rs.wgv * rs_wgv),  # SciGRID's rates per bcm
    ]
    storage = pd.concat([storage[storage.country.isin(EU_GAS_COUNTRIES)], pd.DataFrame(extra, columns=storage.columns)])
    write(storage, out, "gas_storage.csv", ["country"])

    c = read_capmap(raw)
    e = c[(c.num >= 300) & c.arc.str.contains("LNG_Tk_UK", regex=False)]
    terminals = pd.read_csv(out / "gas_lng_terminals.csv", keep_default_na=False)
    uk_regas = gwh_per_day_to_mcm_per_day(e.gwh.sum()) * 365 / 1000
    extra = pd.DataFrame(
        [
            (
                "UK",
                uk_regas,
                ";".join(sorted(set(e.point.str.strip()))) + " (ENTSOG capacity map; South Hook at Milford Haven)",
            )
        ],
        columns=terminals.columns,
    )
    write(
        pd.concat([terminals[terminals.country.isin(EU_GAS_COUNTRIES)], extra]),
        out,
        "gas_lng_terminals.csv",
        ["country"],
    )

    m = read_bp_lng(raw)
    lng = pd.read_csv(out / "gas_lng_imports.csv")
    r = {k: m.loc["United Kingdom", v] for k, v in ORIG.items()}
    r["other"] = m.loc["United Kingdom", "Total imports"] - sum(r.values())
    extra = pd.DataFrame([("UK", k, v) for k, v in r.items()], columns=lng.columns)
    write(
        pd.concat([lng[lng.country.isin(EU_GAS_COUNTRIES)], extra]), out, "gas_lng_imports.csv", ["country", "origin"]
    )

    # Moldova's Russian gas came through Ukraine (GTSOU's transit to Moldova, 3.0 bcm in 2020, operator m3): an
    # entry of the Ukraine route at MD, so that in the wider Europe Moldova does not draw on EU supplies while the
    # route flows, and loses its gas with the route. ESTIMATE: 2021 flow and run-rate at the 2020 transit (no
    # daily data for the UA>MD border in the stored sources; Gazprom kept supplying Moldova under its October 2021
    # contract); capacity such that the route's 2021 utilisation at the EU entries (the registry default) carries
    # it, so the route's utilisation keeps one meaning for every entry.
    routes = pd.read_csv(out / "gas_russian_routes.csv")
    md_flow = pub["ukraine_transit_2020_md"] * ru_to_model
    ua_eu = routes[routes.route == "ukraine"]
    ua_util = ua_eu.flow_2021_bcm.sum() / (ua_eu.capacity_mcm_per_day.sum() * 365 / 1000)
    md_row = pd.DataFrame([("ukraine", "MD", md_flow / ua_util * 1000 / 365, md_flow, md_flow)], columns=routes.columns)
    write(
        pd.concat([routes[routes.entry_country.isin(EU_GAS_COUNTRIES)], md_row]),
        out,
        "gas_russian_routes.csv",
        ["route", "entry_country"],
    )
    print(
        f"CHECK Moldova entry of the Ukraine route: {md_flow:.2f} bcm/yr at utilisation {ua_util:.4f} -> "
        f"{md_flow / ua_util * 1000 / 365:.2f} mcm/d"
    )

    nodes = [(c, "", "eu27", "EU member state") for c in EU_GAS_COUNTRIES]
    nodes += [(c, NODE_NAMES[c][0], "non_eu", NODE_NAMES[c][1]) for c in NON_EU_GAS_NODES]
    write(pd.DataFrame(nodes, columns=["country", "name", "geography", "role"]), out, "gas_nodes.csv", ["country"])
    print(
        f"CHECK Ukraine demand: GTSOU 2021 {total['UA']:.2f} model bcm against bp 2019-20 mean "
        f"{np.mean([cons('Ukraine', y) for y in YEARS]):.2f}"
    )
    print(
        "CHECK wider Europe: demand (bcm/yr)",
        {k: round(float(v), 2) for k, v in total.items()},
        f"| UK production {extra_value(production, 'UK'):.1f}, UA {extra_value(production, 'UA'):.1f}; UK regas "
        f"{uk_regas:.1f} bcm/yr; UK LNG 2020 {m.loc['United Kingdom', 'Total imports']:.1f} bcm; storage (bcm) UK "
        f"{gb.wgv * k_storage:.2f} UA {ua_wgv:.2f} RS {rs_wgv:.2f}",
    )


def extra_value(df, country):
    return float(df.loc[df.country == country].iloc[0, 1])


def default_raw_dir() -> Path:
    """$ECON_DATA_RAW (the data-raw folder) if set, else <repo>/../shared/data-raw."""
    repo = Path(__file__).resolve().parents[1]
    return Path(os.environ.get("ECON_DATA_RAW") or repo.parent / "shared" / "data-raw")


def main(argv=None):
    repo = Path(__file__).resolve().parents[1]
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--raw-dir", type=Path, default=None, help="default: $ECON_DATA_RAW/gas or ../shared/data-raw/gas")
    ap.add_argument("--out", type=Path, default=repo / "data")
    ap.add_argument("--published", type=Path, default=None, help="default: <out>/gas_published_figures.csv")
    a = ap.parse_args(argv)
    raw, out = a.raw_dir or default_raw_dir() / "gas", a.out
    out.mkdir(parents=True, exist_ok=True)
    published = a.published or out / "gas_published_figures.csv"
    if not published.is_file():
        published = repo / "data" / "gas_published_figures.csv"
    pubf = pd.read_csv(published)
    pub = pubf.set_index("key").value.astype(float).to_dict()
    cb = read_eurostat(raw / "eurostat_nrg_cb_gas_balance_2011_2020.xlsx")
    ti = read_eurostat(raw / "eurostat_nrg_ti_gas_imports_by_partner_2011_2020.xlsx")
    demand, inland = build_demand(cb, out)
    prod = build_production(cb, out)
    imports = build_imports(ti, out)
    storage = build_storage(raw, out, pub)
    build_fill(raw, out)
    build_monthly(raw, out, demand, prod, storage, cb)
    build_routes(raw, out, pub, imports)
    build_pipeline_supply(raw, out, pub, imports["total"].get("IE", 0.0))
    build_norway_split(raw, out, pub)
    build_norway_profile(raw, out)
    build_supply_profile(raw, out)
    build_lng_terminals(raw, out, pub, imports)
    build_lng_imports(raw, out, ti)
    build_lng_exporters(raw, out, pub)
    build_wider_europe(raw, out, pub)
    build_interconnectors(raw, out, pub, imports)
    build_validation(raw, out, pubf)
    build_prices(raw, out, pub)
    build_russia_monthly(raw, out)


if __name__ == "__main__":
    main()
