"""Russia's GDP change over the first year: sanctions by channel, an expenditure split, world prices apart.

Each channel is a share of 2021 GDP (Rosstat), first order and additive, month by month (the first-year figure
is the mean of the first 12 months):

1. exports: lost real export volume (2021 prices, after diversion) x domestic value added per unit of exports.
   Non-energy goods come from the trade model; oil, gas and coal from the energy module, which owns those volumes
   (embargoes, buyers' refusal, redirection capacity, the coal embargo, Russian gas deliveries), times the trade
   model's index of what the instruments' frictions alone leave of each (solved without trade's oil embargo,
   which energy applies: an embargo's barrels enter once). Price-only levers (the discount, the price cap) leave
   real exports unchanged; the shipping and insurance ban widens the discount and, through the fleet it removes
   (energy: barrels no other fleet yet carries), cuts the volume;
2. imported inputs: output lost to imported intermediates the sanctions ration (frictions, caps, bans, exits,
   before the exchange-rate response), other than the high-tech goods the chip channel counts: a CES producer
   with imported-input share alpha_M and elasticity sigma_M;
3. chips: the chip module's GDP loss (Hulten's sum over the production network's sector shocks);
4. finance: beta_s x the sanctions' severity s_t + beta_r x the key-rate hike h_t (pp), the annual rate in force
   in month t (both may follow dated paths);
5. terms of trade (sanctions): the price the sanctions take off Russia's exports (export value at world, i.e.
   no-sanction, prices less export value: trade's clearing discount on non-energy goods; for energy the widened
   Urals discount, the price cap, the coal redirect discount and the EU gas price a Russian cut moves) x the share
   of that income that turns into lost domestic output;
6. fiscal: the government offsets a share phi_G of the sum of 1-5.

World prices (oil and gas) move export income apart from the sanctions: their effect, the same pass-through times
(export value at world prices - export volume at 2021 prices), is reported as its own figure and is NOT in
``russia_gdp_change_pct``, so that a higher oil price does not make the same sanctions look cheaper.

**Expenditure identity** Y = C + I + G + X - M (changes, % of GDP): X = the change of real export volume (against
the no-sanction reference), M = the change
of import volume after the exchange-rate response (ruble model), I = the finance channel (the key rate and
financial frictions act on investment), G = the fiscal channel, and C (consumption and inventories) = Y - I - G -
X + M, the residual that closes the identity.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .data import Data
from .forms import ces_output_loss
from .metrics import metrics_for
from .model import BatchResult, ModuleResult, batches
from .params import ParamBatch, Params
from .russia_data import russia_data
from .time import horizon_of

CHANNELS = (
    ("exports", "Lost export volume"),
    ("imported_inputs", "Import compression of intermediates"),
    ("chips", "Chip bottlenecks"),
    ("finance", "Financial frictions and the key rate"),
    ("terms_of_trade", "Terms of trade (export discount)"),
    ("fiscal", "Fiscal response"),
)
EXPENDITURE = (
    ("consumption", "Consumption and inventories (residual)"),
    ("investment", "Investment"),
    ("government", "Government"),
    ("exports", "Exports"),
    ("imports", "Imports (minus)"),
)


METRICS = metrics_for("macro")
ENERGY = ("oil", "gas", "coal")  # the energy module's products (econ.sanctions.frictions.ENERGY)


def evaluate(p: ParamBatch, data: Data, upstream: Mapping[str, BatchResult]) -> BatchResult:
    labels, _ = horizon_of(p)
    n, n_t = p.n, len(labels)
    year = slice(0, min(12, n_t))
    tr, rb = upstream["trade"].outputs, upstream["ruble"].outputs
    if "energy" not in upstream:
        raise ValueError("macro reads Russia's oil, gas and coal export volumes from the energy module's outputs")
    en = upstream["energy"].outputs
    gdp_month = russia_data(data).anchors["gdp_usd_bn"] / 12

    # real exports at 2021 prices (n, T): non-energy goods from trade; oil, gas and coal from energy, which owns
    # those volumes (every lever that cuts barrels, cubic metres or tonnes moves them; prices do not), times
    # trade's index of what the instruments' frictions alone leave of each (payments, invoicing, caps: energy does
    # not model them; trade's own oil embargo is left out of that index, energy applies it)
    f_vol, f_price = tr["energy_friction_volume_index"], tr["energy_friction_price_relative"]
    e_vol = sum(f_vol[k] * en["export_volume_usd_bn_2021_prices"][k] for k in ENERGY)
    e_ref = sum(en["export_volume_reference_usd_bn_2021_prices"][k] for k in ENERGY)
    x_vol = tr["exports_volume_non_energy_usd_bn"] + e_vol
    x_ref = tr["baseline_exports_non_energy_usd_bn"] + e_ref
    exports = -p.float("macro.export_value_added_share")[:, None] * (x_ref - x_vol) / gdp_month

    # Imported intermediates other than high-tech (the chip channel counts those) that the sanctions ration:
    # the import volume before the exchange-rate response. The exchange rate's further compression of imports
    # is an expenditure switch, not a shortage of inputs; its cost shows in the other channels.
    other_fall = np.clip(tr["other_import_volume_fall"], 0, 1)
    inputs = -ces_output_loss(
        p.float("macro.imported_input_share")[:, None], other_fall, p.float("macro.imported_input_elasticity")[:, None]
    )

    chips = -upstream["chips"].outputs["gdp_loss_share_by_month"] if "chips" in upstream else np.zeros((n, n_t))

    # the annual rate of the financial loss in force in month t (severity and the key rate may be dated paths)
    severity = np.broadcast_to(tr["frictions"].severity, (n, n_t))
    finance = (
        -(
            p.float("macro.financial_gdp_loss_pct")[:, None] * severity
            + p.float("macro.key_rate_gdp_loss_pct_per_pp")[:, None] * rb["key_rate_hike_pp"]
        )
        / 100
    )

    # export value at world (no-sanction) prices on the scenario's volumes, and the export value: non-energy
    # goods from trade's clearing, oil, gas and coal from energy's reference and scenario prices
    pass_through = p.float("macro.terms_of_trade_pass_through")[:, None]
    world_value = tr["exports_non_energy_at_world_prices_usd_bn"] + sum(
        f_vol[k] * en["export_value_at_reference_prices_usd_bn"][k] for k in ENERGY
    )
    value = tr["exports_non_energy_usd_bn"] + sum(f_vol[k] * f_price[k] * en["export_value_usd_bn"][k] for k in ENERGY)
    terms = -pass_through * (world_value - value) / gdp_month  # the sanctions' discount, cap and price moves
    world_prices = pass_through * (world_value - x_vol) / gdp_month  # oil and gas prices, apart

    sanctions = exports + inputs + chips + finance + terms
    fiscal = -p.float("macro.fiscal_offset_share")[:, None] * sanctions
    by_month = {
        "exports": exports,
        "imported_inputs": inputs,
        "chips": chips,
        "finance": finance,
        "terms_of_trade": terms,
        "fiscal": fiscal,
    }
    total = sanctions + fiscal
    x_change = (x_vol - x_ref) / gdp_month
    m_change = (rb["imports_usd_bn"] - tr["baseline_imports_usd_bn"]) / gdp_month
    expenditure = {
        "investment": finance,
        "government": fiscal,
        "exports": x_change,
        "imports": -m_change,
    }
    expenditure["consumption"] = total - finance - fiscal - x_change + m_change
    first_year = {key: 100 * series[:, year].mean(axis=1) for key, series in by_month.items()}
    metrics = {
        "russia_gdp_change_pct": 100 * total[:, year].mean(axis=1),
        **{f"gdp_channel_{key}_pct": first_year[key] for key, _ in CHANNELS},
        **{f"gdp_expenditure_{key}_pct": 100 * expenditure[key][:, year].mean(axis=1) for key, _ in EXPENDITURE},
        "gdp_world_prices_pct": 100 * world_prices[:, year].mean(axis=1),
    }
    metrics["russia_gdp_change_with_world_prices_pct"] = (
        metrics["russia_gdp_change_pct"] + metrics["gdp_world_prices_pct"]
    )
    outputs = {
        "gdp_channels_by_month": by_month,
        "gdp_expenditure_by_month": expenditure,
        "gdp_world_prices_by_month": world_prices,
    }
    return BatchResult(metrics, outputs)


def run(params: Params, data: Data, upstream: Mapping[str, ModuleResult]) -> ModuleResult:
    ev = evaluate(ParamBatch.single(params), data, batches(upstream))
    labels, _ = horizon_of(params)
    year = slice(0, min(12, len(labels)))
    by_month = {key: series[0] for key, series in ev.outputs["gdp_channels_by_month"].items()}
    rows = [
        (key, label, 100 * float(by_month[key][:3].mean()), 100 * float(by_month[key][year].mean()))
        for key, label in CHANNELS
    ]
    table = pd.DataFrame(rows, columns=["channel", "label", "first_quarter_pct_of_gdp", "first_year_pct_of_gdp"])
    table.loc[len(table)] = (
        "total",
        "GDP change",
        float(table["first_quarter_pct_of_gdp"].sum()),
        float(table["first_year_pct_of_gdp"].sum()),
    )
    monthly = pd.DataFrame({"month": labels, **{f"{k}_pct_of_gdp": 100 * v for k, v in by_month.items()}})
    monthly["total_pct_of_gdp"] = monthly[[f"{k}_pct_of_gdp" for k, _ in CHANNELS]].sum(axis=1)
    monthly["world_prices_pct_of_gdp"] = 100 * ev.outputs["gdp_world_prices_by_month"][0]
    expenditure = {key: series[0] for key, series in ev.outputs["gdp_expenditure_by_month"].items()}
    exp_table = pd.DataFrame(
        [
            (key, label, 100 * float(expenditure[key][:3].mean()), 100 * float(expenditure[key][year].mean()))
            for key, label in EXPENDITURE
        ],
        columns=["component", "label", "first_quarter_pct_of_gdp", "first_year_pct_of_gdp"],
    )
    exp_table.loc[len(exp_table)] = (
        "total",
        "GDP change (sanctions)",
        float(exp_table["first_quarter_pct_of_gdp"].sum()),
        float(exp_table["first_year_pct_of_gdp"].sum()),
    )
    world = ev.outputs["gdp_world_prices_by_month"][0]
    world_table = pd.DataFrame(
        [
            ("sanctions", "Sanctions (russia_gdp_change_pct)", float(table.iloc[-1]["first_year_pct_of_gdp"])),
            ("world_prices", "World oil and gas prices (apart)", 100 * float(world[year].mean())),
        ],
        columns=["source", "label", "first_year_pct_of_gdp"],
    )
    tables = {
        "trade_by_partner_after_fx": _trade_by_partner_after_fx(upstream),
        "gdp_channels": table,
        "gdp_channels_monthly": monthly,
        "gdp_expenditure": exp_table,
        "gdp_sanctions_vs_world_prices": world_table,
    }
    return ModuleResult("macro", ev.headline(METRICS), tables, batch=ev)


def _trade_by_partner_after_fx(upstream: Mapping[str, ModuleResult]) -> pd.DataFrame:
    """Russia's trade by partner over the horizon, before and after the exchange-rate response (USD bn, % change).

    The ruble model compresses the pre-FX import bill by one ratio a month, the same for every partner
    (imports after / before the response); exports in USD are not changed by it.
    """
    tr, rb = upstream["trade"].outputs, upstream["ruble"].outputs
    if "imports_by_partner" not in tr:
        return pd.DataFrame()
    from .data import PARTNER_GROUPS

    pre_imp = np.asarray(tr["imports_by_partner"])  # (P, T)
    total_pre = pre_imp.sum(axis=0)
    ratio = np.divide(rb["imports_usd_bn"], total_pre, out=np.ones_like(total_pre), where=total_pre > 0)
    n_t = pre_imp.shape[1]
    rows = []
    for flow, pre, base in (
        ("exports", np.asarray(tr["exports_by_partner"]), np.asarray(tr["baseline_exports_by_partner"])),
        ("imports", pre_imp, np.asarray(tr["baseline_imports_by_partner"])),
    ):
        after = pre * ratio[None, :] if flow == "imports" else pre
        for i, partner in enumerate(PARTNER_GROUPS):
            b = float(base[i] * n_t)
            rows.append((flow, partner, b, float(pre[i].sum()), float(after[i].sum())))
    table = pd.DataFrame(
        rows, columns=["flow", "partner_group", "baseline_usd_bn", "value_pre_fx_usd_bn", "value_usd_bn"]
    )
    base = table["baseline_usd_bn"].to_numpy()
    safe = np.where(base > 0, base, 1.0)
    table["change_pre_fx_pct"] = np.where(base > 0, 100 * (table["value_pre_fx_usd_bn"] / safe - 1), 0.0)
    table["change_pct"] = np.where(base > 0, 100 * (table["value_usd_bn"] / safe - 1), 0.0)
    return table
