"""The 2014-15 and 2008-09 ruble validation tables of docs/validation.md b) and b2), generated from the model.

    PYTHONPATH=$PWD python scripts/ruble_validation_tables.py [--raw-dir DIR] [--write]

Runs the presets ``episode_2014`` and ``episode_2008`` at the registry defaults and sets the ruble and the central
bank's sales beside the published figures: the Bank of Russia's official USD/RUB rate (monthly averages of the
daily series in ``<raw>/sanctions/cbr_usd_rub_official_daily_1992_to_2022-02-23.csv``) and the reserve figures of
``data/calibration_episodes.csv`` (each row cites its publisher). Prints the two blocks; ``--write`` replaces them
in docs/validation.md between ``<!-- generated: ruble-validation EPISODE -->`` and ``<!-- /generated -->``.
``tests/test_ruble.py::test_validation_tables_in_the_docs_are_the_model_s`` fails when the doc and the model differ.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "validation.md"
CBR_FILE = "cbr_usd_rub_official_daily_1992_to_2022-02-23.csv"
EPISODES = {
    # preset: first episode month (model month 0 = 2022-03), the month the monthly path is measured against, the
    # base and peak months of the headline comparison, the month of the 12-month comparison, the reserve rows
    "episode_2014": {
        "episode": "russia_2014_15",
        "start": "2014-07",
        "path_base": "2014-06",
        "base": "2014-01",
        "twelve": "2015-03",
        "measure": "loss",  # 1 - E_base / E, as the calibration test (tests/test_ruble.py)
    },
    "episode_2008": {
        "episode": "russia_2008_09",
        "start": "2008-08",
        "path_base": "2008-07",
        "base": "2008-07",
        "twelve": "2009-07",
        "measure": "rise",  # E / E_base - 1
    },
}


def raw_root() -> Path:
    env = os.environ.get("ECON_DATA_RAW")
    return Path(env) if env else REPO.parent / "shared" / "data-raw"


def published_monthly(raw: Path) -> pd.Series:
    """Monthly averages of the Bank of Russia's daily official USD/RUB rate, indexed 'YYYY-MM' (RUB per USD)."""
    fx = pd.read_csv(raw / "sanctions" / CBR_FILE)
    fx.columns = ["rate", "date"]
    fx["date"] = pd.to_datetime(fx["date"])
    fx.loc[fx["date"] < "1998-01-01", "rate"] /= 1000.0  # old rubles
    return fx.groupby(fx["date"].dt.to_period("M").astype(str))["rate"].mean()


def _months(start: str, n: int) -> list[str]:
    return [str(pd.Period(start, "M") + k) for k in range(n)]


def _measure(kind: str, ratio: float) -> float:
    return 100 * (1 - 1 / ratio) if kind == "loss" else 100 * (ratio - 1)


def episode_block(preset: str, fx: pd.Series, data=None) -> str:
    """The markdown block of one episode: the headline comparison and the month-by-month path."""
    import econ

    data = data if data is not None else econ.load_data()
    cfg = EPISODES[preset]
    res = econ.run(preset, data)
    path = res.modules["ruble"].tables["ruble_path"]
    head = res.headline.set_index("metric")["value"]
    ep = data["calibration_episodes"].query("episode == @cfg['episode']").set_index("metric")["value"]
    e0 = float(res.modules["ruble"].outputs["e0"])
    n = min(13, len(path))
    ep_months = _months(cfg["start"], n)
    kind = cfg["measure"]
    word = "loss of value" if kind == "loss" else "rise in RUB per USD"
    rate = path["usd_rub"].to_numpy()[:n]
    k_peak = int(np.argmax(rate))
    pub_window = fx.loc[ep_months]
    pub_peak_month = str(pub_window.idxmax())
    base = float(fx.loc[cfg["base"]])
    pub_peak = _measure(kind, float(fx.loc[pub_peak_month]) / base)
    mod_peak = _measure(kind, rate[k_peak] / e0)
    mod_12 = _measure(kind, float(head["rub_usd_12m"]) / e0)
    pub_12 = _measure(kind, float(fx.loc[cfg["twelve"]]) / base)
    sold_12 = float(head["reserves_used_bn_usd"])
    sales = np.cumsum(path["cb_net_sales_usd_bn"].to_numpy()[:n])

    rows = [
        "| Quantity | Model | Published | Gap |",
        "|---|---|---|---|",
        f"| Ruble at its weakest (monthly), {word} | **{mod_peak:.1f} %** ({rate[k_peak]:.1f} RUB/USD, model month "
        f"{k_peak}, {path['month'].iloc[k_peak]}) | **{pub_peak:.1f} %** ({base:.2f} in {cfg['base']} → "
        f"{float(fx.loc[pub_peak_month]):.2f} RUB/USD in {pub_peak_month}, monthly averages, Bank of Russia) | "
        f"{mod_peak - pub_peak:+.1f} pp |",
        f"| Ruble after 12 months, {word} | {mod_12:.1f} % ({float(head['rub_usd_12m']):.1f} RUB/USD) | {pub_12:.1f} % "
        f"({float(fx.loc[cfg['twelve']]):.2f} RUB/USD in {cfg['twelve']}) | {mod_12 - pub_12:+.1f} pp |",
    ]
    if preset == "episode_2014":
        pub = float(ep["fx_interventions_2014_usd"])
        rows.append(
            f"| Reserves sold (net, first 12 months) | **{sold_12:.1f} USD bn** | **{pub:.1f} USD bn** of FX sold in "
            f"calendar 2014, plus EUR 5.4 bn (Bank of Russia via AFP); the stock fell "
            f"{-float(ep['reserves_change_2014']):.1f} USD bn in 2014, valuation included | {sold_12 - pub:+.1f} USD bn "
            "(a calendar year against the model's 12 months) |"
        )
        cpi, imp, gdp = (
            float(head[k])
            for k in ("russia_cpi_peak_pct", "russia_imports_change_pct", "russia_gdp_change_with_world_prices_pct")
        )
        rows += [
            f"| CPI inflation, peak (y/y) | {cpi:.1f} % | {float(ep['cpi_peak_2015_03_yoy_pct']):.1f} % in March 2015 "
            f"(Rosstat) | {cpi - float(ep['cpi_peak_2015_03_yoy_pct']):+.1f} pp (the model starts from 8.73 % trend "
            "inflation, 2014 from 6.5 %) |",
            f"| Goods imports, USD (first 12 months, after the exchange rate) | {imp:.1f} % | "
            f"{float(ep['imports_change_2015_jan_aug_yoy_pct']):.1f} % y/y January-August 2015 (FCS) | "
            f"{imp - float(ep['imports_change_2015_jan_aug_yoy_pct']):+.1f} pp (not independent: "
            "`ruble.import_fx_elasticity` was set on this episode) |",
            f"| GDP, first 12 months, world prices included (`russia_gdp_change_with_world_prices_pct`) | {gdp:.1f} % | {float(ep['gdp_growth_2015_pct']):.1f} % (2015, WDI) to "
            f"{float(ep['gdp_growth_2015_first_estimate_pct']):.1f} % (Rosstat first estimate) | "
            + (
                "inside |"
                if float(ep["gdp_growth_2015_first_estimate_pct"]) <= gdp <= float(ep["gdp_growth_2015_pct"])
                else "outside |"
            ),
        ]
    else:
        pub = -float(ep["reserves_change_2008_08_to_2009_03"])
        k_mar = ep_months.index("2009-03")
        rows.append(
            f"| Reserves sold (net, first 12 months) | **{sold_12:.1f} USD bn** ({sales[k_mar]:.1f} by model month "
            f"{k_mar}, episode month 2009-03) | **{pub:.1f} USD bn** fall of the stock, 598.1 (8 August 2008) → 376.1 "
            f"(13 March 2009), valuation included (Bank of Russia via MK.ru and TASS) | {sold_12 - pub:+.1f} USD bn "
            f"({sales[k_mar] - pub:+.1f} over the same months) |"
        )
    rows += [
        "",
        f"| model month | episode month | model E/E0 | published E/E({cfg['path_base']}) | gap (pp of depreciation) | "
        "model private outflow | model CA | model cumulative net CB sales | published reserves (cited rows) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    pbase = float(fx.loc[cfg["path_base"]])
    for k in range(n):
        m, em = path.iloc[k], ep_months[k]
        r_mod, r_pub = float(m["usd_rub"]) / e0, float(fx.loc[em]) / pbase
        reserves = "–"
        if preset == "episode_2008" and em == "2009-03":
            reserves = f"{pub:.1f} fallen since 8 Aug 2008 (to 13 Mar)"
        if preset == "episode_2014" and em == "2014-12":
            reserves = f"{float(ep['fx_interventions_2014_usd']):.1f} sold Jan-Dec 2014 (model: from Jul)"
        rows.append(
            f"| {m['month']} | {em} | {r_mod:.3f} | {r_pub:.3f} | {100 * (r_mod - r_pub):+.1f} | "
            f"{float(m['private_outflow_usd_bn']):.1f} | {float(m['current_account_usd_bn']):.1f} | {sales[k]:.1f} | "
            f"{reserves} |"
        )
    return "\n".join(rows)


def blocks(raw: Path | None = None) -> dict[str, str]:
    import econ

    fx = published_monthly(raw if raw is not None else raw_root())
    data = econ.load_data()
    return {preset: episode_block(preset, fx, data) for preset in EPISODES}


PATTERN = r"(<!-- generated: ruble-validation {name} -->\n)(.*?)(\n<!-- /generated -->)"
BEGIN, END = "<!-- generated: ruble-validation {name} -->", "<!-- /generated -->"


def doc_blocks(text: str) -> dict[str, str]:
    out = {}
    for name in EPISODES:
        m = re.search(PATTERN.format(name=name), text, flags=re.S)
        if m:
            out[name] = m.group(2)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--raw-dir", type=Path, default=None, help="the data-raw folder (default ../shared/data-raw)")
    ap.add_argument("--write", action="store_true", help="replace the blocks in docs/validation.md")
    args = ap.parse_args(argv)
    new = blocks(args.raw_dir)
    if not args.write:
        for name, block in new.items():
            print(f"## {name}\n{block}\n")
        return 0
    from econ.docs import replace_region

    text = DOC.read_text()
    for name, block in new.items():
        try:
            text = replace_region(text, BEGIN.format(name=name), END, block + "\n", str(DOC))
        except ValueError as err:
            print(f"{err}: add the markers first", file=sys.stderr)
            return 1
    DOC.write_text(text)
    print(f"wrote {', '.join(new)} into {DOC}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
