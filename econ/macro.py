"""Russia's GDP change over the first year, by channel.

Each channel is a share of 2021 GDP (Rosstat), first order and additive:

1. exports: lost export volume (2021 prices, after diversion) x domestic value
   added per unit of exports;
2. imported inputs: output lost to imported intermediates the sanctions ration
   (frictions and caps, before the exchange-rate response), other than the
   high-tech goods the chip channel counts: a CES producer with imported-input
   share alpha_M and elasticity sigma_M;
3. chips: the chip module's sector output losses weighted by the sectors' value
   added;
4. finance: beta_s x the sanctions' severity s_t + beta_r x the key-rate hike h_t (pp), the annual
   rate in force in month t (both may follow dated paths);
5. terms of trade: the price effect on export revenue (oil and gas prices, the
   discount on diverted exports) x the share of that income that turns into lost
   domestic output within a year.
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
    ("terms_of_trade", "Terms of trade"),
)


METRICS = metrics_for("macro")


def evaluate(p: ParamBatch, data: Data, upstream: Mapping[str, BatchResult]) -> BatchResult:
    labels, _ = horizon_of(p)
    n, n_t = p.n, len(labels)
    year = slice(0, min(12, n_t))
    tr, rb = upstream["trade"].outputs, upstream["ruble"].outputs
    gdp_month = russia_data(data).anchors["gdp_usd_bn"] / 12

    x_vol = tr["exports_volume_usd_bn"]  # (n, T)
    exports = -p.float("macro.export_value_added_share")[:, None] * (tr["baseline_exports_usd_bn"] - x_vol) / gdp_month

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

    price_effect = tr["exports_usd_bn"] - x_vol  # revenue gained (+) or lost (-) from prices and discounts
    terms = p.float("macro.terms_of_trade_pass_through")[:, None] * price_effect / gdp_month

    by_month = {
        "exports": exports,
        "imported_inputs": inputs,
        "chips": chips,
        "finance": finance,
        "terms_of_trade": terms,
    }
    first_year = {key: 100 * series[:, year].mean(axis=1) for key, series in by_month.items()}
    metrics = {
        "russia_gdp_change_pct": sum(first_year[key] for key, _ in CHANNELS),
        **{f"gdp_channel_{key}_pct": first_year[key] for key, _ in CHANNELS},
    }
    return BatchResult(metrics, {"gdp_channels_by_month": by_month})


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
    return ModuleResult(
        "macro", ev.headline(METRICS), {"gdp_channels": table, "gdp_channels_monthly": monthly}, batch=ev
    )
