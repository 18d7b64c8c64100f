#!/usr/bin/env python
"""Build the sanctions-side baseline tables of `econ` (information set: February 2022).

Usage:
    python scripts/build_sanctions_data.py --raw-dir /work/shared/data-raw/sanctions --out data/

Inputs: the publishers' raw files in --raw-dir (read only) plus ONE hand-entered file,
data/sanctions_published_figures.csv (key,value,unit,publisher,document,year,url,note), which
holds every figure looked up in published sources (product anchors, payment currencies, reserve
shares, chip imports, balance of payments, episode figures).

Outputs (in --out): ru_trade_by_partner_2021.csv, ru_trade_by_product_2021.csv,
ru_trade_partner_product_2021.csv (RAS estimate), ru_payment_currency_2021.csv,
ru_reserves_2022.csv, ru_chip_imports_2021.csv, ru_sector_electronics_2016.csv, ru_io_domestic_2016.csv, ru_bop_2021.csv,
ru_macro_monthly.csv, calibration_episodes.csv; appends missing rows for these files to
SOURCES.csv in a single write (never rewrites it: another helper appends gas rows).
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import warnings

import numpy as np
import pandas as pd

from econ import data as data_categories

warnings.filterwarnings("ignore")

# the categories econ/data.py checks the derived tables against
PARTNER_GROUPS = list(data_categories.PARTNER_GROUPS)
PRODUCT_GROUPS = list(data_categories.PRODUCT_GROUPS)
# IMF IMTS counterpart codes
PARTNER_MAP = {
    "eu": [
        "AUT",
        "BEL",
        "BGR",
        "HRV",
        "CYP",
        "CZE",
        "DNK",
        "EST",
        "FIN",
        "FRA",
        "DEU",
        "GRC",
        "HUN",
        "IRL",
        "ITA",
        "LVA",
        "LTU",
        "LUX",
        "MLT",
        "NLD",
        "POL",
        "PRT",
        "ROU",
        "SVK",
        "SVN",
        "ESP",
        "SWE",
    ],
    "us": ["USA"],
    "uk": ["GBR"],
    "japan": ["JPN"],
    "korea": ["KOR"],
    # Liechtenstein is not a separate IMTS counterpart (customs union with Switzerland)
    "other_coalition": ["CAN", "CHE", "NOR", "AUS", "NZL", "SGP", "TWN", "ISL", "LIE"],
    "china": ["CHN", "HKG", "MAC"],
    "india": ["IND"],
    "turkey": ["TUR"],
    "eaeu": ["BLR", "KAZ", "ARM", "KGZ"],
}
IO_FILE = "rosstat_input_output_base_2016.xlsx"


def fmt(df: pd.DataFrame, path: str) -> None:
    df.to_csv(path, index=False, float_format="%.4f", lineterminator="\n")
    print(f"  wrote {path} ({len(df)} rows)")


def load_pub(path: str) -> tuple[dict, pd.DataFrame]:
    pub = pd.read_csv(path)
    return dict(zip(pub["key"], pub["value"].astype(float))), pub


# ---------------------------------------------------------------- 1. trade by partner
def trade_by_partner(raw: str) -> pd.DataFrame:
    d = pd.read_csv(os.path.join(raw, "imf_imts_russia_trade_by_partner_2016_2021.csv"))
    d["flow"] = d["TRADE_FLOW.ID"].map({"XG": "exports_usd_bn", "MG": "imports_usd_bn"})
    v = (
        d.pivot_table(index="COUNTERPART_COUNTRY.ID", columns="flow", values="2021", aggfunc="sum").fillna(0.0) / 1000.0
    )  # USD million -> USD bn
    world = v.loc["G001"]
    rows = []
    for g, codes in PARTNER_MAP.items():
        rows.append([g] + list(v.reindex(codes).fillna(0.0).sum()[["exports_usd_bn", "imports_usd_bn"]]))
    out = pd.DataFrame(rows, columns=["partner_group", "exports_usd_bn", "imports_usd_bn"])
    rest = world[["exports_usd_bn", "imports_usd_bn"]] - out[["exports_usd_bn", "imports_usd_bn"]].sum()
    out.loc[len(out)] = ["row", rest["exports_usd_bn"], rest["imports_usd_bn"]]
    # checks
    eu_sum = v.reindex(PARTNER_MAP["eu"]).sum()
    print(
        f"  check EU27 members vs IMTS EU aggregate G998: exports {eu_sum['exports_usd_bn']:.3f} vs "
        f"{v.loc['G998', 'exports_usd_bn']:.3f}; imports {eu_sum['imports_usd_bn']:.3f} vs {v.loc['G998', 'imports_usd_bn']:.3f}"
    )
    tot = out[["exports_usd_bn", "imports_usd_bn"]].sum()
    print(
        f"  check groups sum to World: exports {tot['exports_usd_bn']:.3f} vs {world['exports_usd_bn']:.3f}; "
        f"imports {tot['imports_usd_bn']:.3f} vs {world['imports_usd_bn']:.3f}"
    )
    out["_ord"] = out["partner_group"].map({g: i for i, g in enumerate(PARTNER_GROUPS)})
    return out.sort_values("_ord").drop(columns="_ord").reset_index(drop=True)


# ---------------------------------------------------------------- Rosstat IO helpers
def _io_product_group(code: str) -> str | None:
    """Map an OKDP product code of the Rosstat 2016 tables to a trade product group (goods only)."""
    c = str(code).split("+")[0].split()[0].strip()
    div = c.split(".")[0]
    if not div.isdigit():
        return None
    dv = int(div)
    if dv >= 41 or c.startswith("40.2") or c.startswith("40.3"):
        return None  # services, water, gas distribution, heat
    if c.startswith("11.10.1") or c.startswith("23.2"):
        return "oil"
    if c.startswith("11.10.2"):
        return "gas"
    if dv == 10 or c.startswith("23.1"):
        return "coal"
    if dv in (1, 5, 15, 16):
        return "food"
    if dv in (24, 25):
        return "chemicals_fertilisers"
    if dv in (27, 28) or c.startswith("36.2"):
        return "metals"  # includes precious metals (27.41) and jewellery (36.2), i.e. HS 71 metals part
    if dv in (29, 30, 31, 32, 33):
        return "machinery_electronics"
    if dv in (34, 35):
        return "vehicles_transport"
    return (
        "other"  # agriculture services, forestry, ores, minerals, textiles, wood, paper, glass, furniture, electricity
    )


def io_trade_structure(raw: str) -> pd.DataFrame:
    """2016 exports (use table, purchasers' prices) and imports (supply table, CIF) of goods by product group, RUB mn."""
    f = os.path.join(raw, IO_FILE)
    # exports at purchasers' prices (include trade/transport margins, closer to FOB: at basic prices
    # gas and other goods sold via trading companies are understated)
    use = pd.read_excel(f, "ТИцп", header=None)
    sup = pd.read_excel(f, "ТР ", header=None)
    ex_col = [j for j in range(use.shape[1]) if str(use.iat[2, j]).strip() == "P6"][0]
    im_col = [j for j in range(sup.shape[1]) if str(sup.iat[2, j]).strip() == "P7"][0]
    rows = []
    for i in range(4, use.shape[0]):
        g = _io_product_group(use.iat[i, 1])
        if g is not None and str(use.iat[i, 0]).strip().isdigit():
            rows.append((g, float(use.iat[i, ex_col])))
    ex = pd.DataFrame(rows, columns=["g", "v"]).groupby("g")["v"].sum()
    rows = []
    for i in range(4, sup.shape[0]):
        g = _io_product_group(sup.iat[i, 1])
        if g is not None and str(sup.iat[i, 0]).strip().isdigit():
            rows.append((g, float(sup.iat[i, im_col])))
    im = pd.DataFrame(rows, columns=["g", "v"]).groupby("g")["v"].sum()
    return pd.DataFrame({"exports": ex, "imports": im}).reindex(PRODUCT_GROUPS).fillna(0.0)


# ---------------------------------------------------------------- 2. trade by product
def trade_by_product(raw: str, pub: dict, partner: pd.DataFrame) -> pd.DataFrame:
    X = partner["exports_usd_bn"].sum()
    M = partner["imports_usd_bn"].sum()
    io = io_trade_structure(raw)
    ex = pd.Series(0.0, index=PRODUCT_GROUPS)
    ex["oil"] = pub["exp_share_oil_2021"] * X
    ex["gas"] = pub["exp_share_gas_2021"] * X
    ex["food"] = pub["exp_agri_food_2021"]
    rest = [g for g in PRODUCT_GROUPS if g not in ("oil", "gas", "food")]
    w = io.loc[rest, "exports"] / io.loc[rest, "exports"].sum()
    ex[rest] = (X - ex[["oil", "gas", "food"]].sum()) * w
    im = M * io["imports"] / io["imports"].sum()
    out = pd.DataFrame({"product_group": PRODUCT_GROUPS, "exports_usd_bn": ex.values, "imports_usd_bn": im.values})
    print(
        "  IO-2016 export shares (goods): "
        + ", ".join(f"{g} {s:.3f}" for g, s in (io["exports"] / io["exports"].sum()).items())
    )
    print(
        "  IO-2016 import shares (goods): "
        + ", ".join(f"{g} {s:.3f}" for g, s in (io["imports"] / io["imports"].sum()).items())
    )
    mach = (im["machinery_electronics"] + im["vehicles_transport"]) / M
    print(
        f"  check import machinery+vehicles share {mach:.3f} vs FCS non-CIS Jan-2021 "
        f"{pub['fcs_noncis_imp_machinery_share_2021_01']:.3f} / Aug-2021 {pub['fcs_noncis_imp_machinery_share_2021_08']:.3f}"
    )
    print(
        f"  check product totals = IMF world: exports {out.exports_usd_bn.sum():.3f} vs {X:.3f}; "
        f"imports {out.imports_usd_bn.sum():.3f} vs {M:.3f}"
    )
    return out


# ---------------------------------------------------------------- 3. partner x product (RAS)
def ras(prior: np.ndarray, rows: np.ndarray, cols: np.ndarray, tol: float = 1e-12, maxit: int = 5000) -> np.ndarray:
    """Biproportional fitting: scale rows and columns of `prior` until margins match."""
    a = prior.astype(float).copy()
    assert abs(rows.sum() - cols.sum()) < 1e-6 * rows.sum(), "margins must have the same total"
    for _ in range(maxit):
        r = a.sum(axis=1)
        a *= np.where(r > 0, rows / np.where(r > 0, r, 1), 0)[:, None]
        c = a.sum(axis=0)
        a *= np.where(c > 0, cols / np.where(c > 0, c, 1), 0)[None, :]
        if np.abs(a.sum(axis=1) - rows).max() < tol * rows.sum():
            break
    return a


def ras_fixed(
    prior: np.ndarray, rows: np.ndarray, cols: np.ndarray, fixed: np.ndarray, tol: float = 1e-12
) -> np.ndarray:
    """RAS with some cells held at published values: ``fixed`` holds their values (NaN = free cell). The free
    cells are fitted to the margins net of the fixed cells, so the fixed cells come out exactly as published."""
    held = np.where(np.isnan(fixed), 0.0, fixed)
    free = np.where(np.isnan(fixed), prior, 0.0)
    return ras(free, rows - held.sum(axis=1), cols - held.sum(axis=0), tol) + held


def _prior_row(world_share: pd.Series, fixed: dict) -> pd.Series:
    """Row of product shares: `fixed` shares where published facts exist, the rest in proportion to world shares."""
    s = pd.Series(0.0, index=PRODUCT_GROUPS)
    for k, v in fixed.items():
        s[k] = v
    free = [g for g in PRODUCT_GROUPS if g not in fixed]
    s[free] = (1 - sum(fixed.values())) * world_share[free] / world_share[free].sum()
    return s


def partner_product(pub: dict, partner: pd.DataFrame, product: pd.DataFrame) -> pd.DataFrame:
    out = []
    P = partner.set_index("partner_group").loc[PARTNER_GROUPS]
    K = product.set_index("product_group").loc[PRODUCT_GROUPS]
    for flow, col in (("exports", "exports_usd_bn"), ("imports", "imports_usd_bn")):
        ws = K[col] / K[col].sum()
        prior = pd.DataFrame({p: ws for p in PARTNER_GROUPS}).T
        held = pd.DataFrame(np.nan, index=PARTNER_GROUPS, columns=PRODUCT_GROUPS)
        if flow == "exports":
            e_sh = pub["eu_imp_from_ru_energy_share_2021"]
            met = (
                pub["eu_imp_from_ru_iron_steel_share_2021"]
                + pub["eu_imp_from_ru_precious_share_2021"]
                + pub["eu_imp_from_ru_nonferrous_share_2021"]
            )
            # gas to the EU from published volume x price (IEA 155 bcm; USD 280 per 1000 m3), not world shares:
            # the world-share split valued it at about USD 177 per 1000 m3; oil and coal share the rest of energy
            eu_tot = P.loc["eu", col]
            gas_eu = pub["eu_gas_imports_from_ru_2021_bcm"] * pub["ru_gas_export_price_2021_usd_kcm"] / 1000
            fixed = {"gas": gas_eu / eu_tot}
            held.loc["eu", "gas"] = gas_eu  # held in the fit: the table's EU gas is the published valuation
            fixed.update({g: (e_sh - fixed["gas"]) * ws[g] / ws[["oil", "coal"]].sum() for g in ("oil", "coal")})
            fixed["metals"] = met
            prior.loc["eu"] = _prior_row(ws, fixed)
            cn_tot = P.loc["china", col]
            oil = min(pub["china_crude_imports_from_ru_2021"] / cn_tot, 0.95)
            gc = max(pub["ru_exp_to_china_fuels_share_2019"] - oil, 0.0)
            fixed = {
                "oil": oil,
                "gas": gc * ws["gas"] / ws[["gas", "coal"]].sum(),
                "coal": gc * ws["coal"] / ws[["gas", "coal"]].sum(),
            }
            prior.loc["china"] = _prior_row(ws, fixed)
        else:
            prior.loc["china"] = _prior_row(
                ws, {"machinery_electronics": pub["ru_imp_from_china_machinery_share_2021"]}
            )
            prior.loc["eu"] = _prior_row(ws, {"machinery_electronics": pub["ru_imp_from_eu_machinery_share_2021"]})
        prior = prior.mul(P[col], axis=0)
        fit = ras_fixed(prior.values, P[col].values, K[col].values, held.values)
        m = pd.DataFrame(fit, index=PARTNER_GROUPS, columns=PRODUCT_GROUPS)
        rdev = (m.sum(axis=1) / P[col] - 1).abs().max()
        cdev = (m.sum(axis=0) / K[col] - 1).abs().max()
        print(f"  RAS {flow}: max relative margin error rows {rdev:.2e}, cols {cdev:.2e} (limit 1e-3)")
        assert rdev < 1e-3 and cdev < 1e-3
        for p in PARTNER_GROUPS:
            for k in PRODUCT_GROUPS:
                out.append([flow, p, k, m.loc[p, k]])
    df = pd.DataFrame(out, columns=["flow", "partner_group", "product_group", "value_usd_bn"])
    return df


# ---------------------------------------------------------------- 4. payment currency
def payment_currency(pub: dict) -> pd.DataFrame:
    rows = []
    for flow, p in (("exports", "pay_exp_"), ("imports", "pay_imp_")):
        sh = {c: pub[f"{p}{c}_2021"] for c in ("usd", "eur", "rub", "cny")}
        sh["other"] = 1 - sum(sh.values())
        for c in ("usd", "eur", "rub", "cny", "other"):
            rows.append([flow, c, sh[c]])
    df = pd.DataFrame(rows, columns=["flow", "currency", "share"])
    print("  check shares sum to 1: " + ", ".join(f"{f} {g.share.sum():.4f}" for f, g in df.groupby("flow")))
    return df


# ---------------------------------------------------------------- 5. reserves
def reserves(raw: str, pub: dict) -> pd.DataFrame:
    r = pd.read_csv(os.path.join(raw, "cbr_reserves_monthly_2021-01_to_2022-02.csv"))
    total = float(r.loc[r["date"] == "2022-01-01", "total_mln_usd"].iloc[0]) / 1000.0
    rows = []
    for c in ("usd", "eur", "cny", "gbp", "jpy", "other_fx", "gold"):
        rows.append(["currency", c, pub[f"res_cur_{c}"]])
    cus = ["china", "france", "japan", "germany", "us", "uk", "canada", "austria", "international_orgs", "russia"]
    known = {c: pub[f"res_cus_{c}"] for c in cus}
    for c in cus:
        rows.append(["custodian", c, known[c]])
    rows.append(["custodian", "other", 1 - sum(known.values())])
    df = pd.DataFrame(rows, columns=["dimension", "category", "share"])
    df["value_usd_bn"] = df["share"] * total
    print(f"  total international reserves 1 Jan 2022 (CBR monthly file): {total:.3f} USD bn")
    print("  check shares sum to 1: " + ", ".join(f"{d} {g.share.sum():.4f}" for d, g in df.groupby("dimension")))
    return df


# ---------------------------------------------------------------- 6. chips
def chips(pub: dict) -> pd.DataFrame:
    """Russia's imports of chips (HS 8541+8542, 2020) and chip-containing goods (cell phones, 2021) by origin.

    ESTIMATE for most chip cells. Published (Argus, UN Comtrade, Russia-reported origin, 2020): world, china, us.
    eu = annual average 2017-2021 of partner-reported (mirror) exports of the Netherlands + Germany (CNS/Middlebury):
    a lower bound for EU27 and consignment-based. The residual world - china - us - eu is split over the other
    origins in proportion to world HS 8542 export shares (ITC 2018): Hong Kong -> china, Korea, Taiwan,
    Singapore -> other_coalition, Japan, Malaysia + Vietnam + rest of world -> row. uk is not separable (inside
    row's 'rest of world' share) and is left empty. chip_containing = cell phones only (FCS 2021): china, world
    published; row = Vietnam + unallocated residual (which also holds any coalition-origin phones; those cells empty).
    """
    origins = ["us", "eu", "japan", "korea", "taiwan", "uk", "other_coalition", "china", "row", "world"]
    world = pub["chips_8541_world_2020"] + pub["chips_8542_world_2020"]
    cn = pub["chips_8541_china_2020"] + pub["chips_8542_china_2020"]
    us = pub["chips_us_2020"]
    eu = (pub["chips_mirror_nl_2017_2021"] + pub["chips_mirror_de_2017_2021"]) / 5.0
    resid = world - cn - us - eu
    sh = {
        k: pub[f"ic_world_export_share_{k}_2018"] for k in ("hk", "kr", "tw", "cn", "sg", "my", "us", "jp", "de", "vn")
    }
    rest = 1.0 - sum(sh.values())
    weights = {
        "china": sh["hk"],
        "korea": sh["kr"],
        "taiwan": sh["tw"],
        "other_coalition": sh["sg"],
        "japan": sh["jp"],
        "row": sh["my"] + sh["vn"] + rest,
    }
    wsum = sum(weights.values())
    vals = {("world", "chips"): world, ("us", "chips"): us, ("eu", "chips"): eu}
    for o, w in weights.items():
        vals[(o, "chips")] = resid * w / wsum
    vals[("china", "chips")] += cn
    ph_w, ph_cn, _ph_vn = pub["phones_imp_world_2021"], pub["phones_imp_china_2021"], pub["phones_imp_vietnam_2021"]
    vals[("world", "chip_containing")] = ph_w
    vals[("china", "chip_containing")] = ph_cn
    vals[("row", "chip_containing")] = ph_w - ph_cn  # Vietnam 1.4 + unallocated 0.4
    rows = [[o, p, vals[(o, p)]] for o in origins for p in ("chips", "chip_containing") if (o, p) in vals]
    df = pd.DataFrame(rows, columns=["origin", "product", "value_usd_bn"])
    for prod in ("chips", "chip_containing"):
        g = df[(df["product"] == prod) & (df.origin != "world")]["value_usd_bn"].sum()
        print(
            f"  check {prod}: origins sum {g:.4f} vs world {vals[('world', prod)]:.4f}; "
            f"empty cells: {df[(df['product'] == prod)].value_usd_bn.isna().sum()}"
        )
    print(
        f"  chips: published china {cn:.4f}, us {us:.4f}; estimated eu {eu:.4f} (mirror NL+DE avg), "
        f"residual {resid:.4f} split by ITC HS 8542 export shares (rest-of-world share {rest:.3f} -> row)"
    )
    return df


# ---------------------------------------------------------------- 7. sector electronics
SECTOR_MAP = {  # Rosstat 2016 industry column codes (OKVED1) -> sector
    "34": "autos",
    "35 + 39.9*": "aviation",
    "64": "telecom",
    "29.1 + 29.2 + 29.3 + 29.4 + 29.5": "machinery_defence",
    "31": "machinery_defence",
    "33 без 33.1": "machinery_defence",
    "33.1": "machinery_defence",
    "29.7": "consumer_electronics",
    "30.01": "consumer_electronics",
    "30.02": "consumer_electronics",
    "32": "consumer_electronics",
    "10": "energy_extraction",
    "11.10.1": "energy_extraction",
    "11.10.2 + 11.10.3": "energy_extraction",
    "11.2": "energy_extraction",
}
SECTORS = ["autos", "aviation", "telecom", "machinery_defence", "consumer_electronics", "energy_extraction", "other"]


def _is_electronics(code: str) -> bool:
    c = str(code).split("+")[0].split()[0].strip()
    return (
        c.startswith("29.7")
        or c.startswith("30.")
        or c.startswith("31.")
        or c == "32"
        or c.startswith("32.")
        or (c.startswith("33.") and not c.startswith("33.1"))
    )


def sector_electronics(raw: str) -> pd.DataFrame:
    f = os.path.join(raw, IO_FILE)
    use = pd.read_excel(f, "ТИоц", header=None)
    dom = pd.read_excel(f, "М-отеч", header=None)
    imp = pd.read_excel(f, "М-имп", header=None)
    ncol = [j for j in range(use.shape[1]) if str(use.iat[2, j]).strip() == "TOTAL"][0]  # industries before
    labels = {str(use.iat[i, 1]).strip(): i for i in range(use.shape[0])}
    r_out, r_gva = labels["P1"], labels["B1g"]

    def elec_rows(t):
        return [i for i in range(4, t.shape[0]) if str(t.iat[i, 0]).strip().isdigit() and _is_electronics(t.iat[i, 1])]

    er_dom, er_imp = elec_rows(dom), elec_rows(imp)
    assert len(er_dom) == len(er_imp) == 11, (len(er_dom), len(er_imp))
    rec = []
    for j in range(3, ncol):
        code = str(use.iat[2, j]).strip()
        sec = SECTOR_MAP.get(code, "other")
        assert str(dom.iat[2, j]).strip() == code and str(imp.iat[2, j]).strip() == code
        rec.append(
            [
                sec,
                float(use.iat[r_out, j]),
                float(use.iat[r_gva, j]),
                float(pd.to_numeric(imp.iloc[er_imp, j]).sum()),
                float(pd.to_numeric(dom.iloc[er_dom, j]).sum()),
            ]
        )
    d = pd.DataFrame(rec, columns=["sector", "out", "gva", "imp", "dom"]).groupby("sector").sum()
    d = d.loc[SECTORS]
    df = pd.DataFrame(
        {
            "sector": SECTORS,
            "output_rub_bn": d["out"].values / 1000.0,
            "imported_electronics_input_share": (d["imp"] / d["out"]).values,
            "electronics_input_share": ((d["imp"] + d["dom"]) / d["out"]).values,
            "gdp_share": (d["gva"] / d["gva"].sum()).values,
        }
    )
    print(
        f"  total output {df.output_rub_bn.sum():.1f} RUB bn (IO total {float(use.iat[r_out, ncol]) / 1000:.1f}); "
        f"gdp_share sums to {df.gdp_share.sum():.4f}"
    )
    return df


def _product_sector(code: str) -> str:
    """OKDP product code of a Rosstat 2016 product row -> the sector of SECTORS whose industry makes it."""
    c = str(code).split("+")[0].split()[0].strip()
    major = c.split(".")[0]
    if major == "34":
        return "autos"
    if major == "35":
        return "aviation"
    if major == "64":
        return "telecom"
    if c.startswith("29.7") or major in ("30", "32"):
        return "consumer_electronics"
    if major in ("29", "31", "33"):
        return "machinery_defence"
    if major == "10" or c.startswith("11.1") or c.startswith("11.2"):
        return "energy_extraction"
    return "other"


def io_domestic(raw: str) -> pd.DataFrame:
    """Domestic intermediate input shares between the SECTORS (Rosstat 2016, basic prices): the use of domestic
    products of sector i by the industries of sector j over j's gross output, with each sector's output and GVA."""
    f = os.path.join(raw, IO_FILE)
    use = pd.read_excel(f, "ТИоц", header=None)
    dom = pd.read_excel(f, "М-отеч", header=None)
    ncol = [j for j in range(use.shape[1]) if str(use.iat[2, j]).strip() == "TOTAL"][0]
    labels = {str(use.iat[i, 1]).strip(): i for i in range(use.shape[0])}
    r_out, r_gva = labels["P1"], labels["B1g"]
    rows = [  # product rows only: numbered, with an OKDP code (not the P7, TOTAL, D1... rows below them)
        i
        for i in range(4, dom.shape[0])
        if str(dom.iat[i, 0]).strip().isdigit() and str(dom.iat[i, 1]).strip()[:1].isdigit()
    ]
    cols = list(range(3, ncol))
    row_sec = [_product_sector(dom.iat[i, 1]) for i in rows]
    col_sec = [SECTOR_MAP.get(str(use.iat[2, j]).strip(), "other") for j in cols]
    flows = dom.iloc[rows, cols].apply(pd.to_numeric, errors="coerce").fillna(0.0).to_numpy()
    z = pd.DataFrame(flows, index=row_sec, columns=col_sec).T.groupby(level=0).sum().T.groupby(level=0).sum()
    z = z.loc[SECTORS, SECTORS]
    out = pd.Series([float(use.iat[r_out, j]) for j in cols], index=col_sec).groupby(level=0).sum().loc[SECTORS]
    gva = pd.Series([float(use.iat[r_gva, j]) for j in cols], index=col_sec).groupby(level=0).sum().loc[SECTORS]
    rec = []
    for a in SECTORS:
        for b in SECTORS:
            rec.append([a, b, float(z.loc[a, b] / out[b])])
    df = pd.DataFrame(rec, columns=["sector_from", "sector_to", "domestic_input_share"])
    df["output_to_rub_bn"] = [float(out[b]) / 1000.0 for _, b, _ in rec]
    df["gva_to_rub_bn"] = [float(gva[b]) / 1000.0 for _, b, _ in rec]
    print(f"  domestic intermediate share of output, by buyer: {z.sum(axis=0).div(out).round(3).to_dict()}")
    return df


# ---------------------------------------------------------------- 8. BoP
BOP_ITEMS = [
    "current_account",
    "goods_exports",
    "goods_imports",
    "services_exports",
    "services_imports",
    "primary_secondary_income",
    "capital_account",
    "financial_account_net",
    "reserves_change",
    "errors_omissions",
]


def bop(pub: dict) -> pd.DataFrame:
    """Russia's 2021 balance of payments: the items the Bank of Russia's estimates published (USD bn).

    current account and goods balance: preliminary estimate of January 2022 (Gaidar Institute's summary);
    goods and services balance: the revised 2021 figure (Bank of Russia, January 2023, via Reuters);
    services balance = goods-and-services balance - goods balance (derived). Items not found (services gross
    flows, income, financial account, reserves by transactions, errors and omissions) are not listed.
    """
    ca, gb, gsb = (
        pub["bop_current_account_2021"],
        pub["bop_goods_balance_2021"],
        pub["bop_goods_services_balance_2021_rev"],
    )
    df = pd.DataFrame(
        {
            "item": [
                "current_account",
                "goods_balance",
                "goods_services_balance",
                "services_balance",
                "primary_secondary_income",
            ],
            "value_usd_bn": [ca, gb, gsb, gsb - gb, ca - gsb],
        }
    )
    print(f"  CA {ca:.1f} = goods {gb:.1f} + services {gsb - gb:.1f} + income {ca - gsb:.1f} (derived items)")
    return df


def macro_anchors(pub: dict, macro: pd.DataFrame) -> pd.DataFrame:
    """The few 2021 / February 2022 levels the ruble and macro models start from (ru_macro_2021.csv)."""
    m = macro.set_index("month")
    rate_2021 = float(m.loc[[f"2021-{k:02d}" for k in range(1, 13)], "usd_rub_avg"].mean())
    reserves_change = float(m.loc["2022-01", "reserves_usd_bn"] - m.loc["2021-01", "reserves_usd_bn"])
    rows = [
        ("gdp_rub_bn", pub["gdp_2021_rub_bn"], "RUB bn", "Rosstat first estimate of 2021 GDP"),
        ("usd_rub_avg_2021", rate_2021, "RUB per USD", "mean of 2021 monthly averages of the official rate"),
        ("gdp_usd_bn", pub["gdp_2021_rub_bn"] / rate_2021, "USD bn", "derived: GDP / average rate"),
        ("current_account_usd_bn", pub["bop_current_account_2021"], "USD bn", "Bank of Russia preliminary, 2021"),
        (
            "reserves_stock_change_usd_bn",
            reserves_change,
            "USD bn",
            "change in the stock of international reserves, 1 Jan 2021 - 1 Jan 2022 (incl. valuation)",
        ),
        (
            "usd_rub_start",
            float(m.loc["2022-02", "usd_rub_end"]),
            "RUB per USD",
            "official rate of 23 February 2022, the last before the invasion",
        ),
        ("cpi_yoy_2022_01_pct", pub["cpi_yoy_2022_01"], "% y/y", "Rosstat, January 2022"),
    ]
    df = pd.DataFrame(rows, columns=["item", "value", "unit", "note"])
    print(
        f"  GDP {df.value[2]:.1f} USD bn at {rate_2021:.2f} RUB/USD; reserves change {reserves_change:.1f}; "
        f"implied private outflow (CA - reserves change) {pub['bop_current_account_2021'] - reserves_change:.1f}"
    )
    return df


# ---------------------------------------------------------------- 9. macro monthly
def macro_monthly(raw: str) -> pd.DataFrame:
    fx = pd.read_csv(os.path.join(raw, "cbr_usd_rub_official_daily_1992_to_2022-02-23.csv"))
    fx.columns = ["rate", "date"]
    fx["date"] = pd.to_datetime(fx["date"])
    fx.loc[fx["date"] < "1998-01-01", "rate"] /= 1000.0  # old rubles
    fx = fx.sort_values("date")
    fx["month"] = fx["date"].dt.to_period("M")
    g = fx.groupby("month")["rate"]
    m = pd.DataFrame({"usd_rub_avg": g.mean(), "usd_rub_end": g.last()})
    br = pd.read_csv(os.path.join(raw, "brent_monthly_usd_bbl_1987_to_2022-01.csv"))
    br["month"] = pd.to_datetime(br["Date"]).dt.to_period("M")
    m = m.join(br.set_index("month")["Value"].rename("brent_usd_per_bbl"), how="outer")
    kr = pd.read_csv(os.path.join(raw, "cbr_key_rate_daily_2013-09_to_2022-02-23.csv"))
    kr["month"] = pd.to_datetime(kr["date"]).dt.to_period("M")
    m = m.join(kr.sort_values("date").groupby("month")["key_rate_pct"].last(), how="outer")
    rs = pd.read_csv(os.path.join(raw, "cbr_reserves_monthly_2021-01_to_2022-02.csv"))
    rs["month"] = pd.to_datetime(rs["date"]).dt.to_period("M")
    m = m.join((rs.set_index("month")["total_mln_usd"] / 1000.0).rename("reserves_usd_bn"), how="outer")
    m = m.loc[pd.Period("2013-01", "M") : pd.Period("2022-02", "M")]
    m.index = m.index.astype(str)
    m = m.reset_index().rename(columns={"index": "month"})
    print(
        f"  months {m.month.iloc[0]}..{m.month.iloc[-1]}; non-missing: "
        + ", ".join(f"{c} {m[c].notna().sum()}" for c in m.columns[1:])
    )
    return m


# ---------------------------------------------------------------- 10. calibration episodes
def calibration(raw: str, pubdf: pd.DataFrame, macro: pd.DataFrame) -> pd.DataFrame:
    P = pubdf.set_index("key")
    mm = macro.set_index("month")
    fx = pd.read_csv(os.path.join(raw, "cbr_usd_rub_official_daily_1992_to_2022-02-23.csv"))
    fx.columns = ["rate", "date"]
    wdi = pd.read_csv(os.path.join(raw, "worldbank_wdi_real_gdp_growth_1960_2021.csv"), skiprows=4)
    wdi = wdi.set_index("Country Code")
    rows = []

    def add(ep, metric, value, unit, publisher, document, year, url, note):
        rows.append([ep, metric, value, unit, publisher, document, year, url, note])

    def from_pub(ep, metric, key):
        r = P.loc[key]
        add(
            ep,
            metric,
            float(r["value"]),
            r["unit"],
            r["publisher"],
            r["document"],
            int(r["year"]),
            r["url"],
            r["note"] if isinstance(r["note"], str) else "",
        )

    cbr_fx = (
        "Bank of Russia",
        "Official USD/RUB rate, daily (cbr_usd_rub_official_daily_1992_to_2022-02-23.csv)",
        2022,
        "https://www.cbr.ru/eng/currency_base/dynamics/",
    )
    ep = "russia_2014_15"
    add(
        ep,
        "usd_rub_avg_2014_01",
        mm.loc["2014-01", "usd_rub_avg"],
        "RUB per USD",
        *cbr_fx,
        "monthly average of the daily official rate",
    )
    peak_m = mm.loc[["2014-12", "2015-01"], "usd_rub_avg"]
    add(
        ep,
        "usd_rub_avg_peak_month",
        peak_m.max(),
        "RUB per USD",
        *cbr_fx,
        f"highest monthly average of Dec 2014 / Jan 2015 ({peak_m.idxmax()})",
    )
    sub = fx[(fx.date >= "2014-12-01") & (fx.date <= "2015-02-28")]
    add(
        ep,
        "usd_rub_daily_peak",
        sub.rate.max(),
        "RUB per USD",
        *cbr_fx,
        f"highest daily official rate Dec 2014-Feb 2015 ({sub.loc[sub.rate.idxmax(), 'date']})",
    )
    add(ep, "usd_rub_avg_2015_03", mm.loc["2015-03", "usd_rub_avg"], "RUB per USD", *cbr_fx, "monthly average")
    add(
        ep,
        "usd_rub_change_2014_01_to_peak_month",
        peak_m.max() / mm.loc["2014-01", "usd_rub_avg"] - 1,
        "share",
        *cbr_fx,
        "derived: depreciation of RUB (rise in RUB per USD)",
    )
    eia = (
        "US EIA (series as in brent_monthly_usd_bbl_1987_to_2022-01.csv)",
        "Europe Brent spot price, end of month",
        2022,
        "https://www.eia.gov/dnav/pet/hist/RBRTED.htm",
    )
    b0, b1 = mm.loc["2014-06", "brent_usd_per_bbl"], mm.loc["2015-01", "brent_usd_per_bbl"]
    add(ep, "brent_2014_06", b0, "USD per bbl", *eia, "end of June 2014")
    add(ep, "brent_2015_01", b1, "USD per bbl", *eia, "end of January 2015")
    add(ep, "brent_change_2014_06_to_2015_01", b1 / b0 - 1, "share", *eia, "derived")
    add(
        ep,
        "key_rate_peak",
        float(mm.loc["2014-12":"2015-02", "key_rate_pct"].max()),
        "percent",
        "Bank of Russia",
        "Key rate, daily (cbr_key_rate_daily_2013-09_to_2022-02-23.csv)",
        2022,
        "https://www.cbr.ru/eng/hd_base/KeyRate/",
        "emergency hike of 16 Dec 2014",
    )
    from_pub(ep, "exports_change_2015_jan_aug_yoy_pct", "ru_exports_2015_jan_aug_yoy")
    from_pub(ep, "imports_change_2015_jan_aug_yoy_pct", "ru_imports_2015_jan_aug_yoy")
    from_pub(ep, "exports_bop_2015_jan_jul", "ru_exports_bop_2015_jan_jul")
    from_pub(ep, "imports_bop_2015_jan_jul", "ru_imports_bop_2015_jan_jul")
    wb = (
        "World Bank",
        "WDI NY.GDP.MKTP.KD.ZG (worldbank_wdi_real_gdp_growth_1960_2021.csv)",
        2022,
        "https://data.worldbank.org/indicator/NY.GDP.MKTP.KD.ZG",
    )
    for y in ("2014", "2015", "2016"):
        add(ep, f"gdp_growth_{y}_pct", float(wdi.loc["RUS", y]), "percent", *wb, "vintage July 2022")
    from_pub(ep, "gdp_growth_2015_first_estimate_pct", "ru_gdp_2015_first_estimate")
    from_pub(ep, "cpi_peak_2015_03_yoy_pct", "ru_cpi_2015_03_yoy")
    from_pub(ep, "reserves_2014_01_01", "ru_reserves_20140101")
    from_pub(ep, "reserves_2015_01_01", "ru_reserves_20150101")
    add(
        ep,
        "reserves_change_2014",
        float(P.loc["ru_reserves_20150101", "value"]) - float(P.loc["ru_reserves_20140101", "value"]),
        "USD bn",
        "Bank of Russia (derived)",
        "difference of the two published stocks",
        2015,
        P.loc["ru_reserves_20150101", "url"],
        "derived; includes valuation effects",
    )
    from_pub(ep, "fx_interventions_2014_usd", "ru_fx_interventions_2014_usd")

    ep = "russia_2008_09"
    fx["month"] = fx.date.str[:7]
    fx_m = fx.groupby("month").rate.mean()
    for month in ("2008-07", "2009-02", "2009-07"):
        add(ep, f"usd_rub_avg_{month.replace('-', '_')}", fx_m.loc[month], "RUB per USD", *cbr_fx, "monthly average")
    add(
        ep,
        "usd_rub_change_2008_07_to_2009_02",
        fx_m.loc["2009-02"] / fx_m.loc["2008-07"] - 1,
        "share",
        *cbr_fx,
        "derived: depreciation of RUB (rise in RUB per USD), July 2008 to the peak month February 2009",
    )
    brent = pd.read_csv(os.path.join(raw, "brent_monthly_usd_bbl_1987_to_2022-01.csv"))
    brent = brent.set_index(brent.Date.str[:7])["Value"]
    for month in ("2008-06", "2008-12", "2009-07"):
        add(ep, f"brent_{month.replace('-', '_')}", float(brent.loc[month]), "USD per bbl", *eia, "end of month")
    from_pub(ep, "reserves_2008_08_08", "ru_reserves_20080808")
    from_pub(ep, "reserves_2009_03_13", "ru_reserves_20090313")
    add(
        ep,
        "reserves_change_2008_08_to_2009_03",
        float(P.loc["ru_reserves_20090313", "value"]) - float(P.loc["ru_reserves_20080808", "value"]),
        "USD bn",
        "Bank of Russia (derived)",
        "difference of the two published stocks",
        2015,
        P.loc["ru_reserves_20090313", "url"],
        "derived; includes valuation effects",
    )

    ep = "iran_2012"
    from_pub(ep, "crude_exports_2011_mbd", "iran_crude_exports_2011_mbd")
    from_pub(ep, "crude_exports_2012_mbd", "iran_crude_exports_2012_mbd")
    from_pub(ep, "crude_exports_2013_14_cbi_mbd", "iran_crude_exports_1392_mbd")
    from_pub(ep, "crude_exports_2014_mbd", "iran_crude_exports_2014_mbd")
    from_pub(ep, "oil_export_revenue_2011", "iran_oil_export_revenue_2011")
    from_pub(ep, "oil_export_revenue_2012", "iran_oil_export_revenue_2012")
    from_pub(ep, "rial_official_2012", "iran_rial_official_2012")
    from_pub(ep, "rial_open_market_2012_09", "iran_rial_open_2012_09")
    from_pub(ep, "rial_open_market_2012_10", "iran_rial_open_2012_10")
    from_pub(ep, "crude_exports_2013_upper_bound_mbd", "iran_crude_exports_2013_ub_mbd")
    from_pub(ep, "crude_exports_2012_12_iea_mbd", "iran_crude_exports_2012_12_iea_mbd")
    from_pub(ep, "rial_open_market_2011_01", "iran_rial_open_2011_01")
    from_pub(ep, "rial_open_market_2013_06_14", "iran_rial_open_2013_06_14")
    from_pub(ep, "rial_open_market_2013_06_21", "iran_rial_open_2013_06_21")
    add(
        ep,
        "rial_open_change_2011_01_to_2013_06_14",
        float(P.loc["iran_rial_open_2013_06_14", "value"]) / float(P.loc["iran_rial_open_2011_01", "value"]) - 1,
        "share",
        "ISNA; Akhbar Al-Aan (derived)",
        "ratio of published open-market rates",
        2013,
        P.loc["iran_rial_open_2013_06_14", "url"],
        "derived: rise in IRR per USD, Jan 2011 -> election day Jun 2013",
    )
    add(
        ep,
        "rial_open_vs_official_2012_10",
        float(P.loc["iran_rial_open_2012_10", "value"]) / float(P.loc["iran_rial_official_2012", "value"]) - 1,
        "share",
        "CNNMoney (derived)",
        "Behind Iran's currency crash",
        2012,
        P.loc["iran_rial_open_2012_10", "url"],
        "derived: open-market premium over the official rate",
    )
    for y in ("2011", "2012", "2013"):
        add(ep, f"gdp_growth_{y}_pct", float(wdi.loc["IRN", y]), "percent", *wb, "vintage July 2022")
    df = pd.DataFrame(
        rows, columns=["episode", "metric", "value", "unit", "publisher", "document", "year", "url", "note"]
    )
    print(f"  {len(df)} episode figures ({df.episode.value_counts().to_dict()})")
    return df.sort_values(["episode", "metric"]).reset_index(drop=True)


# ---------------------------------------------------------------- SOURCES.csv
# data/SOURCES.csv column source_type: "primary" = every figure from the publisher's own table, file or document;
# "secondary" = at least one figure taken from someone else's report of it (news agency, forum, aggregator).
SOURCE_TYPE = {
    "ru_trade_by_partner_2021.csv": "primary",
    "ru_sector_electronics_2016.csv": "primary",
    "ru_io_domestic_2016.csv": "primary",
    "ru_macro_monthly.csv": "primary",
    "gsdb_russia_cases_2014.csv": "primary",
}


# GSDB sanctioning/sanctioned state -> the model's partner group (data/ru_trade_by_partner_2021.csv)
GSDB_PARTNER_GROUP = {
    "EU": "eu",
    "United States": "us",
    "United Kingdom": "uk",
    "Japan": "japan",
    "Canada": "other_coalition",
    "Australia": "other_coalition",
    "Norway": "other_coalition",
    "Switzerland": "other_coalition",
    "New Zealand": "other_coalition",
    "Ukraine": "row",
}


def gsdb_russia_2014(raw: str) -> pd.DataFrame:
    """The GSDB (release 3) cases begun in 2014 with Russia as the sanctioned or the sanctioning state, with the
    model's partner group of the other side. Only what was known in 2014: the 'end' and 'success' columns (coded
    at the 2022 vintage) are left out."""
    df = pd.read_csv(os.path.join(raw, "gsdb_v3_global_sanctions_data_base_cases.csv"))
    df = df[(df["begin"] == 2014) & ((df["sanctioned_state"] == "Russia") | (df["sanctioning_state"] == "Russia"))]
    role = np.where(df["sanctioned_state"] == "Russia", "target", "sender")
    other = np.where(role == "target", df["sanctioning_state"], df["sanctioned_state"])
    lead = [x.split(",")[0].strip() for x in other]  # a joint case (EU with others): the first-listed state's group
    unknown = sorted(set(lead) - set(GSDB_PARTNER_GROUP))
    if unknown:
        raise ValueError(f"gsdb_v3_global_sanctions_data_base_cases.csv: no partner group for {unknown}")
    out = pd.DataFrame(
        {
            "case_id": df["case_id"].to_numpy(),
            "russia_role": role,
            "other_state": other,
            "partner_group": [GSDB_PARTNER_GROUP[x] for x in lead],
            "begin": df["begin"].to_numpy(),
            "trade": df["trade"].to_numpy(),
            "descr_trade": df["descr_trade"].fillna("").str.replace(" ", "").to_numpy(),
            "financial": df["financial"].to_numpy(),
            "travel": df["travel"].to_numpy(),
            "arms": df["arms"].to_numpy(),
            "military": df["military"].to_numpy(),
        }
    )
    return out.sort_values(["russia_role", "case_id"]).reset_index(drop=True)


def source_rows() -> list[list[str]]:
    return [r + [SOURCE_TYPE.get(r[0], "secondary")] for r in _source_rows()]


def _source_rows() -> list[list[str]]:
    imf = "https://data.imf.org/?sk=9d6028d4-f14a-464c-a2f2-59b2cd424b85"
    pf = "data/sanctions_published_figures.csv"
    return [
        [
            "ru_trade_by_partner_2021.csv",
            "IMF",
            "International Trade in Goods (IMTS, ex-DOTS): Russia reporter, XG_FOB_USD / MG_CIF_USD by counterpart",
            "2021 (extract in data-raw)",
            "USD bn",
            imf,
            "Partner groups summed from IMTS counterparts; row = World minus named groups. other_coalition = Canada, Switzerland, Norway, Australia, New Zealand, Singapore, Taiwan, Iceland, Liechtenstein (no separate IMTS line: with Switzerland). china incl. Hong Kong, Macao; eaeu = Belarus, Kazakhstan, Armenia, Kyrgyzstan. EU27 members sum exactly to IMTS EU aggregate.",
        ],
        [
            "ru_trade_by_product_2021.csv",
            "Congressional Research Service; Agroexport (Russian Ministry of Agriculture); Rosstat",
            "CRS IN11900 oil 37%/gas 13% of exports; Agroexport agri-food exports 36.4 USD bn; Rosstat 2016 IO tables (ТИоц P6 exports, ТР P7 imports) for the rest",
            "2021 (anchors), 2016 (structure)",
            "USD bn",
            "https://www.everycrsreport.com/reports/IN11900.html",
            "ESTIMATE. Totals equal IMF IMTS World (exports 492.05, imports 293.66; no scaling of anchors needed: oil/gas applied as shares of the IMF total; food taken as published). Exports: oil = 0.37 x total, gas = 0.13 x total, food = agro-industrial exports (proxy for HS 01-24); coal, metals, chemicals, machinery, vehicles, other share the residual in proportion to Rosstat 2016 IO goods exports. Imports: whole split in proportion to Rosstat 2016 IO goods imports (FCS Jan/Aug-2021 non-CIS machinery share 51-53% as check). metals incl. precious metals and jewellery (HS 71 metal part). Caveat: Rosstat product 35+39.9* (ships, aircraft, other transport; 39.9* apparently includes defence products) puts arms exports in vehicles_transport (41.1), likely overstating HS 86-89. FCS 2021 HS-chapter table not found in the search corpora. Anchors in "
            + pf,
        ],
        [
            "ru_trade_partner_product_2021.csv",
            "derived (IMF IMTS, Eurostat, GACC China, EPRS, Intesa Sanpaolo)",
            "RAS (biproportional) fit of a partner x product prior to files ru_trade_by_partner_2021 and ru_trade_by_product_2021",
            "2021",
            "USD bn",
            "https://ec.europa.eu/eurostat/statistics-explained/index.php?title=Russia-EU_-_international_trade_of_main_product_groups",
            "ESTIMATE. Prior = partner total x world product shares, overridden by: EU exports rows energy 62% (Eurostat), of which gas = 155 bcm (IEA) x USD 280 per 1000 m3 (Novak, Dec 2021) = 43.4 USD bn, held fixed in the RAS fit (the other partners share the rest of the gas total), and oil/coal the rest split by world shares, and metals 11.8% (iron&steel 4.7 + precious 2.9 + Cu/Al/Ni 4.2, Eurostat SE); China exports oil = 40.29/68.42 (GACC crude imports from Russia), gas+coal = 73% fuels share (EPRS, 2019) minus oil; imports from China machinery_electronics 54%, from EU 32% (Intesa Sanpaolo). RAS in scripts/build_sanctions_data.py; margins match within 1e-6.",
        ],
        [
            "ru_payment_currency_2021.csv",
            "Bank of Russia",
            "Currency structure of payments for exports and imports of goods and services (cur_str.xlsx), year 2021",
            "2021 (as reported 2023)",
            "share",
            "https://mmgp.com/threads/dolja-rublja-v-ehksportnyx-raschetax-obognala-evro.681134",
            "usd/eur/rub from CBR data as reported secondarily (exports 54.5/29.7/14.3; imports 35.8/30.4/~28); cny = 0.5% exports, 4% imports from a CBR-data summary whose base period is 2021 or start-2022 (ru24.net); other = residual (estimate). No by-partner split found, so ru_payment_currency_by_partner_2021.csv not written.",
        ],
        [
            "ru_reserves_2022.csv",
            "Bank of Russia",
            "Annual Report 2021: structure of FX and gold assets by currency and by custodian geography as of 1 Jan 2022 (as reported by VG/MTI, RT)",
            "2022-01-01 (published Apr 2022)",
            "share; USD bn",
            "https://vg.hu/nemzetkozi-gazdasag/2022/04/kinaban-van-az-orosz-arany-es-devizatartalek-nagy-resze",
            "value_usd_bn = share x 630.627 (total international reserves at 1 Jan 2022, CBR monthly file). other_fx = CAD 3.2 + AUD 1.0 + SGD 0.3. custodian other = residual 1 - listed (0.0642). China '16.18%' as published. The report's own total is 612.9 (FX and gold assets). Feb-2022 info-set alternative (FX and Gold Asset Management Report, Jan 2022, end-June 2021 data): EUR 32.3, USD 16.4, CNY 13.1, gold 21.7 (see "
            + pf
            + ").",
        ],
        [
            "ru_chip_imports_2021.csv",
            "UN Comtrade (via Argus Media; Middlebury CNS); ITC (via weltexporte.de); Federal Customs Service of Russia (via TopNews)",
            "chips: Russia imports HS 8541+8542 by origin 2020; chip_containing: cell phone imports 2021",
            "2020 (chips), 2021 (phones)",
            "USD bn",
            "https://www.argusmedia.com/en/news/2308450-chinas-response-key-to-russias-semiconductor-supply",
            "ESTIMATE except published cells. chips (2020, world 1.690 = 8541 0.440 + 8542 1.250): china 0.495 and us 0.065 published (Argus, Russia-reported origin); eu = 0.467 = annual average 2017-2021 of Netherlands + Germany partner-reported exports to Russia (CNS/Middlebury; mirror/consignment basis; lower bound for EU27); residual 0.663 split by ITC 2018 world HS 8542 export shares: Hong Kong -> added to china, Korea, Taiwan, Singapore -> other_coalition, Japan, Malaysia+Vietnam+rest of world -> row. uk empty (not separable; inside row). taiwan separate from other_coalition. chip_containing = cell phones only (FCS 2021: world 7.7, china 5.9, Vietnam 1.4); row = 7.7 - 5.9 (Vietnam + unallocated 0.4, which also holds any coalition-origin phones; those cells empty). Computers HS 8471 and other 8517 not found. origin 'world' is a total row (do not sum). Cross-check: IIF Jan-Sep 2021 chip imports 1.8.",
        ],
        [
            "ru_sector_electronics_2016.csv",
            "Rosstat",
            "Basic input-output tables 2016 (published 30 Jan 2020): ТИоц (output P1, GVA B1g), М-отеч (domestic use, basic prices), М-имп (imported use, CIF)",
            "2016",
            "RUB bn; share",
            "https://rosstat.gov.ru/statistics/accounts",
            "Electronics inputs = OKDP products 29.7 (household appliances), 30 (office machinery, computers), 31 (electrical machinery), 32 (electronic components, radio/TV/telecom equipment), 33.2-33.5 (instruments, optical, watches) ~ OKPD2 26+27; 33.1 medical excluded. Shares = input use / sector output. Sectors: autos = 34; aviation = 35+39.9* (ships, aircraft, spacecraft, other transport equipment; aircraft not separable); telecom = 64 (post and telecom); machinery_defence = 29.1-29.5, 31, 33 (incl. 33.1) (weapons 29.6 not shown separately in the table); consumer_electronics = 29.7, 30.01, 30.02, 32; energy_extraction = 10, 11.10.1, 11.10.2+11.10.3, 11.2; other = rest. gdp_share = sector GVA / total GVA at basic prices.",
        ],
        [
            "ru_io_domestic_2016.csv",
            "Rosstat",
            "Basic input-output tables 2016 (published 30 Jan 2020): М-отеч (use of domestic products, basic prices), ТИоц (output P1, GVA B1g)",
            "2016",
            "share of the buying sector's gross output; RUB bn",
            "https://rosstat.gov.ru/statistics/accounts",
            "domestic_input_share(i, j) = domestic products of sector i used by the industries of sector j / gross output of j. Products mapped to sectors by their OKDP code (34 autos; 35 aviation; 64 telecom; 29.7, 30, 32 consumer electronics; 29.1-29.5, 31, 33 machinery and defence; 10, 11.1, 11.2 energy extraction; the rest other); industries as in ru_sector_electronics_2016.csv. output_to and gva_to are the buying sector's gross output and GVA.",
        ],
        [
            "ru_macro_2021.csv",
            "Rosstat; Bank of Russia",
            "First GDP estimate for 2021 (nominal GDP 130,795.3 RUB bn); official USD/RUB rates; international reserves; CPI January 2022 (via The Moscow Times)",
            "2021; 23 Feb 2022",
            "RUB bn; USD bn; RUB per USD; % y/y",
            "https://eng.rosstat.gov.ru/folder/13901/document/165368",
            "gdp_usd_bn = Rosstat nominal GDP / mean of 2021 monthly average official rates (derived); reserves_stock_change = stock on 1 Jan 2022 minus 1 Jan 2021 (cbr_reserves_monthly, incl. valuation; the ruble model's baseline reserve accumulation, so baseline private outflow = CA - this = 85.4, an ESTIMATE since the published 2021 net private outflow was not found); usd_rub_start = official rate of 23 Feb 2022; current account and CPI from sanctions_published_figures.csv.",
        ],
        [
            "ru_bop_2021.csv",
            "Bank of Russia (preliminary estimate, Jan 2022, reported by the Gaidar Institute; revised 2021 goods-and-services balance, Jan 2023, reported by Reuters)",
            "Balance of payments 2021, BPM6: current account, goods balance, goods and services balance",
            "2021 (published Jan 2022; revision Jan 2023)",
            "USD bn",
            "https://cyberleninka.ru/article/n/platezhnyy-balans-itogi-2021-g",
            "current_account 120.3 and goods_balance 185.9 as published; goods_services_balance 170.1 (revised figure); services_balance and primary_secondary_income derived by difference. Gross services flows, income, financial account, reserve transactions and errors and omissions were not found and are not listed.",
        ],
        [
            "ru_macro_monthly.csv",
            "Bank of Russia; US EIA",
            "Official USD/RUB daily; key rate daily; international reserves monthly; Brent monthly",
            "to 2022-02-23",
            "RUB per USD; USD per bbl; percent; USD bn",
            "https://www.cbr.ru/eng/statistics/",
            "usd_rub_avg/end = mean/last official daily rate in month; brent = end-of-month spot (EIA series, file ends 2022-01); key_rate_pct = last daily value in month (series starts 2013-09); reserves_usd_bn = stock on the 1st day of the month (2021-01..2022-02). 2022-02 is partial (to 23 Feb). Empty cells where missing.",
        ],
        [
            "calibration_episodes.csv",
            "Bank of Russia; US EIA; IEA; World Bank; Rosstat; FCS; CNNMoney; CBI; ISNA; Akhbar Al-Aan; Anadolu",
            "Episode figures: Russia 2014-15, Iran 2012",
            "various",
            "per row",
            "https://www.eia.gov/todayinenergy/detail.php?id=21792",
            "Per-row publisher/document/url. Derived rows computed from ru_macro_monthly (FX, Brent, key rate) and WDI. Iran 2013 crude exports: only 'under 1 mb/d' (Anadolu, upper bound) and IEA Dec-2012 1.2; CBI 2013/14 1.68. Rial open market Jan 2011 10,400 -> 35,000 on 14 Jun 2013 (+237%). Gaps: Russia full-year goods exports/imports 2013 and 2015 (Jan-Aug FCS y/y and Jan-Jul 2015 CBR BoP values used), Iran total foreign trade change 2011->2013.",
        ],
        [
            "gsdb_russia_cases_2014.csv",
            "Felbermayr, Kirilakha, Syropoulos, Yalcin, Yotov (Global Sanctions Data Base)",
            "GSDB release 3, case-level file: cases begun in 2014 with Russia as sanctioned or sanctioning state",
            "release 3 (cases 1949-2022; only the 2014 cases kept)",
            "0/1 flags; trade type codes",
            "https://doi.org/10.1016/j.euroecorev.2020.103561",
            "Derived by scripts/build_sanctions_data.py from gsdb_v3_global_sanctions_data_base_cases.csv: rows with "
            "begin = 2014 and Russia on either side; the other side mapped to the model's partner groups (Canada, "
            "Australia, Norway, Switzerland, New Zealand -> other_coalition; Ukraine -> row; a joint case by the first-listed state). descr_trade: exp/imp = "
            "sanctions on the sender's exports/imports, compl/part = complete/partial. The 'end' and 'success' "
            "columns (2022 vintage) are dropped. Cite Felbermayr et al. (2020, European Economic Review, article 103561).",
        ],
        [
            "sanctions_published_figures.csv",
            "various (see rows)",
            "Hand-entered published figures used by scripts/build_sanctions_data.py",
            "2012-2024 publications",
            "per row",
            "",
            "One row per looked-up figure with publisher, document, year, url, note (99 rows).",
        ],
    ]


OWNED_SOURCE_ROWS = (
    "ru_bop_2021.csv",
    "ru_chip_imports_2021.csv",
    "calibration_episodes.csv",
    "sanctions_published_figures.csv",
    "ru_macro_2021.csv",
    "ru_trade_partner_product_2021.csv",
)


def update_owned_sources(out: str) -> None:
    """Replace (in place) only the SOURCES.csv rows of OWNED_SOURCE_ROWS; every other record is kept byte for byte.

    The file is re-read immediately before the write (another helper appends gas rows) and written atomically.
    """
    import io as _io

    path = os.path.join(out, "SOURCES.csv")
    new = {r[0]: r for r in source_rows() if r[0] in OWNED_SOURCE_ROWS}
    with open(path, encoding="utf-8", newline="") as fh:
        text = fh.read()
    records, buf = [], ""
    for line in text.splitlines(keepends=True):  # logical CSV records (quoted fields may span lines)
        buf += line
        if buf.count('"') % 2 == 0:
            records.append(buf)
            buf = ""
    if buf:
        records.append(buf)
    done, outrecs = set(), []
    for rec in records:
        fields = next(csv.reader(_io.StringIO(rec)), [])
        key = fields[0] if fields else ""
        if key in new and key not in done:
            b = _io.StringIO()
            csv.writer(b, lineterminator="\n").writerow(new[key])
            outrecs.append(b.getvalue())
            done.add(key)
        else:
            outrecs.append(rec)
    for key in OWNED_SOURCE_ROWS:
        if key not in done:
            b = _io.StringIO()
            csv.writer(b, lineterminator="\n").writerow(new[key])
            outrecs.append(b.getvalue())
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        fh.write("".join(outrecs))
    os.replace(tmp, path)
    print(f"  SOURCES.csv: updated rows {sorted(done)}; other {len(records) - len(done)} records unchanged")


def append_sources(out: str) -> None:
    path = os.path.join(out, "SOURCES.csv")
    header = ["file", "publisher", "table", "vintage", "unit", "url", "note", "source_type"]
    existing = set()
    if os.path.exists(path):
        with open(path, newline="", encoding="utf-8") as fh:
            existing = {r[0] for r in csv.reader(fh) if r}
    new = [r for r in source_rows() if r[0] not in existing]
    if not new:
        print("  SOURCES.csv: rows already present")
        return
    import io as _io

    buf = _io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        w.writerow(header)
    w.writerows(new)
    with open(path, "a", encoding="utf-8", newline="") as fh:  # single append
        fh.write(buf.getvalue())
    print(f"  SOURCES.csv: appended {len(new)} rows")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--raw-dir", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--published", default=None, help="default: <out>/sanctions_published_figures.csv")
    ap.add_argument("--no-sources", action="store_true", help="do not append to SOURCES.csv")
    ap.add_argument(
        "--update-sources",
        action="store_true",
        help="also rewrite in place the SOURCES.csv rows of BoP, chips, episodes and published figures",
    )
    a = ap.parse_args(argv)
    pubpath = a.published or os.path.join(a.out, "sanctions_published_figures.csv")
    pub, pubdf = load_pub(pubpath)
    o = lambda n: os.path.join(a.out, n)  # noqa: E731

    print("1. trade by partner")
    partner = trade_by_partner(a.raw_dir)
    fmt(partner, o("ru_trade_by_partner_2021.csv"))
    print("2. trade by product")
    product = trade_by_product(a.raw_dir, pub, partner)
    fmt(product, o("ru_trade_by_product_2021.csv"))
    print("3. partner x product (RAS)")
    pp = partner_product(pub, partner, product)
    fmt(pp, o("ru_trade_partner_product_2021.csv"))
    print("4. payment currency")
    fmt(payment_currency(pub), o("ru_payment_currency_2021.csv"))
    print("5. reserves")
    fmt(reserves(a.raw_dir, pub), o("ru_reserves_2022.csv"))
    print("6. chip imports")
    fmt(chips(pub), o("ru_chip_imports_2021.csv"))
    print("7. sector electronics")
    fmt(sector_electronics(a.raw_dir), o("ru_sector_electronics_2016.csv"))
    print("7b. domestic input-output shares")
    fmt(io_domestic(a.raw_dir), o("ru_io_domestic_2016.csv"))
    print("8. balance of payments")
    fmt(bop(pub), o("ru_bop_2021.csv"))
    print("9. macro monthly")
    macro = macro_monthly(a.raw_dir)
    fmt(macro, o("ru_macro_monthly.csv"))
    print("10. calibration episodes")
    fmt(calibration(a.raw_dir, pubdf, macro), o("calibration_episodes.csv"))
    print("11. macro anchors")
    fmt(macro_anchors(pub, macro), o("ru_macro_2021.csv"))
    print("12. GSDB cases of 2014 (Russia as target or sender)")
    fmt(gsdb_russia_2014(a.raw_dir), o("gsdb_russia_cases_2014.csv"))
    if not a.no_sources:
        append_sources(a.out)
        if a.update_sources:
            update_owned_sources(a.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
