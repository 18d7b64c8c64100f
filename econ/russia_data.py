"""The parameter-free part of the sanctions side: arrays derived once from the data.

Like ``gas.GasSystem``: the models call ``russia_data(data)`` (cached per data
set) instead of reading tables on every run. Arrays are read-only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from .data import PARTNER_GROUPS, PRODUCT_GROUPS, Data

FLOWS = ("exports", "imports")
CURRENCIES = ("usd", "eur", "rub", "cny", "other")
COALITION_CUSTODIANS = ("france", "japan", "germany", "us", "uk", "canada", "austria")
CHIP_COALITION_ORIGINS = ("us", "eu", "japan", "korea", "taiwan", "uk", "other_coalition")


@dataclass(frozen=True)
class RussiaData:
    trade: np.ndarray  # (flow, partner, product) USD bn a year, 2021
    currency_share: np.ndarray  # (flow, currency) share of payments, 2021
    reserves_total_usd_bn: float  # 1 January 2022
    reserves_gold_usd_bn: float
    reserves_by_currency: Mapping[str, float]  # usd, eur, cny, gbp, jpy, other_fx, gold: USD bn, 1 January 2022
    coalition_custodian_share: float
    custodians: pd.DataFrame  # custodian, share, value_usd_bn, coalition (copy before changing it)
    chip_coalition_share: float  # of 2021 chip imports by value
    chip_third_country_share: float
    sectors: tuple[str, ...]
    sector_imported_electronics_share: np.ndarray
    sector_gdp_share: np.ndarray
    anchors: Mapping[str, float]  # data/ru_macro_2021.csv


def _readonly(a: np.ndarray) -> np.ndarray:
    a = np.asarray(a, dtype=float)
    a.flags.writeable = False
    return a


@lru_cache(maxsize=4)
def _build(data: Data) -> RussiaData:
    table = data["ru_trade_partner_product_2021"]
    trade = np.zeros((len(FLOWS), len(PARTNER_GROUPS), len(PRODUCT_GROUPS)))
    np.add.at(
        trade,
        (
            table["flow"].map(FLOWS.index).to_numpy(),
            table["partner_group"].map(PARTNER_GROUPS.index).to_numpy(),
            table["product_group"].map(PRODUCT_GROUPS.index).to_numpy(),
        ),
        table["value_usd_bn"].to_numpy(dtype=float),
    )

    cur = data["ru_payment_currency_2021"]
    shares = np.zeros((len(FLOWS), len(CURRENCIES)))
    for row in cur.itertuples(index=False):
        shares[FLOWS.index(row.flow), CURRENCIES.index(row.currency)] = row.share

    res = data["ru_reserves_2022"]
    by_currency = res[res["dimension"] == "currency"]
    custodians = (
        res.loc[res["dimension"] == "custodian", ["category", "share", "value_usd_bn"]]
        .rename(columns={"category": "custodian"})
        .reset_index(drop=True)
    )
    custodians["coalition"] = custodians["custodian"].isin(COALITION_CUSTODIANS)

    chips = data["ru_chip_imports_2021"]
    chips = chips[(chips["product"] == "chips") & (chips["origin"] != "world")].set_index("origin")["value_usd_bn"]
    chip_share = chips / chips.sum()
    coalition = float(chip_share[chip_share.index.isin(CHIP_COALITION_ORIGINS)].sum())

    sectors = data["ru_sector_electronics_2016"]
    anchors = data["ru_macro_2021"].set_index("item")["value"]
    return RussiaData(
        trade=_readonly(trade),
        currency_share=_readonly(shares),
        reserves_total_usd_bn=float(by_currency["value_usd_bn"].sum()),
        reserves_gold_usd_bn=float(by_currency.loc[by_currency["category"] == "gold", "value_usd_bn"].sum()),
        reserves_by_currency={str(k): float(v) for k, v in zip(by_currency["category"], by_currency["value_usd_bn"])},
        coalition_custodian_share=float(custodians.loc[custodians["coalition"], "share"].sum()),
        custodians=custodians,
        chip_coalition_share=coalition,
        chip_third_country_share=1.0 - coalition,
        sectors=tuple(sectors["sector"]),
        sector_imported_electronics_share=_readonly(sectors["imported_electronics_input_share"].to_numpy()),
        sector_gdp_share=_readonly(sectors["gdp_share"].to_numpy()),
        anchors={k: float(v) for k, v in anchors.items()},
    )


def russia_data(data: Data) -> RussiaData:
    return _build(data)


@dataclass(frozen=True)
class ProductionNetwork:
    """Rosstat's 2016 input-output structure over the chip module's sectors (data/ru_io_domestic_2016.csv)."""

    sectors: tuple[str, ...]
    omega: np.ndarray  # (S, S): omega[s, j] = domestic inputs from sector j over sector s's gross output
    leontief: np.ndarray  # (I - omega)^-1: downstream propagation of sector supply shocks
    domar: np.ndarray  # (S,) gross output over total GVA (Hulten weights)
    gva_share: np.ndarray  # (S,) sector GVA over total GVA


@lru_cache(maxsize=4)
def _network(data: Data) -> ProductionNetwork:
    table = data["ru_io_domestic_2016"]
    sectors = tuple(data["ru_sector_electronics_2016"]["sector"])
    idx = {s: i for i, s in enumerate(sectors)}
    omega = np.zeros((len(sectors), len(sectors)))
    for row in table.itertuples(index=False):
        omega[idx[row.sector_to], idx[row.sector_from]] = row.domestic_input_share
    out = table.groupby("sector_to")["output_to_rub_bn"].first().reindex(sectors).to_numpy(dtype=float)
    gva = table.groupby("sector_to")["gva_to_rub_bn"].first().reindex(sectors).to_numpy(dtype=float)
    return ProductionNetwork(
        sectors=sectors,
        omega=_readonly(omega),
        leontief=_readonly(np.linalg.inv(np.eye(len(sectors)) - omega)),
        domar=_readonly(out / gva.sum()),
        gva_share=_readonly(gva / gva.sum()),
    )


def production_network(data: Data) -> ProductionNetwork:
    return _network(data)


def chip_containing_coalition_share(data: Data) -> tuple[float, float]:
    """Coalition origins' share of Russia's imports of chip-containing goods, and chips' share of chips plus
    chip-containing goods (world totals), from data/ru_chip_imports_2021.csv."""
    table = data["ru_chip_imports_2021"]
    goods = table[(table["product"] == "chip_containing") & (table["origin"] != "world")]
    total = float(goods["value_usd_bn"].sum())
    coalition = float(goods.loc[goods["origin"].isin(CHIP_COALITION_ORIGINS), "value_usd_bn"].sum())
    world = table[table["origin"] == "world"].set_index("product")["value_usd_bn"]
    chips_weight = float(world["chips"] / (world["chips"] + world["chip_containing"]))
    return (coalition / total if total > 0 else 0.0), chips_weight
