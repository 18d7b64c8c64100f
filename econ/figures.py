"""Plotly figure builders shared by the app, the CLI and notebooks."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import plotly.graph_objects as go

if TYPE_CHECKING:
    from .results import Results

SOURCE_COLOURS = {
    "production": "#6b8e23",
    "russia": "#b22222",
    "pipeline": "#4682b4",
    "lng": "#ff8c00",
    "storage_withdrawal": "#8a2be2",
}


def _source_group(item: str) -> str | None:
    if item.startswith("russia_"):
        return "Russian pipeline gas"
    if item.startswith("pipeline_"):
        return "Other pipeline gas"
    return {"production": "Domestic production", "lng": "LNG",
            "storage_withdrawal": "Storage withdrawal"}.get(item)


class Figures:
    """``res.figures.gas_supply()`` and friends: each returns a plotly Figure."""

    def __init__(self, results: "Results"):
        self.results = results

    def gas_supply(self) -> go.Figure:
        bal = self.results.tables["gas_balance"]
        bal = bal.assign(group=bal["item"].map(_source_group)).dropna(subset=["group"])
        monthly = bal.groupby(["month", "group"], as_index=False)["value_bcm"].sum()
        fig = go.Figure()
        for group in ["Domestic production", "Russian pipeline gas", "Other pipeline gas", "LNG", "Storage withdrawal"]:
            sub = monthly[monthly.group == group]
            fig.add_bar(x=sub.month, y=sub.value_bcm, name=group)
        demand = self.results.tables["gas_balance"].query("item == 'demand'").groupby("month")["value_bcm"].sum()
        fig.add_scatter(x=demand.index, y=demand.values, name="Demand (before reduction)", mode="lines+markers",
                        line=dict(color="black"))
        fig.update_layout(barmode="stack", title="EU27 gas supply by source (bcm per month)",
                          yaxis_title="bcm per month", xaxis_title="month", legend_orientation="h")
        return fig

    def storage(self) -> go.Figure:
        st = self.results.tables["gas_storage"]
        eu = st.groupby("month", as_index=False)[["level_bcm", "working_gas_bcm"]].sum()
        eu["fill_pct"] = 100 * eu.level_bcm / eu.working_gas_bcm
        fig = go.Figure(go.Scatter(x=eu.month, y=eu.fill_pct, mode="lines+markers", name="EU27 storage fill"))
        target = 100 * float(self.results.scenario.params["gas.storage.target_fill"])
        fig.add_hline(y=target, line_dash="dash", annotation_text=f"1 November target {target:.0f}%")
        fig.update_layout(title="EU27 storage fill, end of month (% of working gas)", yaxis_title="% of working gas",
                          yaxis_range=[0, 100])
        return fig

    def shortfall_by_country(self) -> go.Figure:
        s = self.results.tables["gas_country_summary"].sort_values("unserved_pct", ascending=True)
        fig = go.Figure(go.Bar(x=s.unserved_pct, y=s.country, orientation="h",
                               customdata=s.unserved_bcm, hovertemplate="%{y}: %{x:.1f}% (%{customdata:.2f} bcm)"))
        fig.update_layout(title="Unserved demand by country (% of demand over the horizon)",
                          xaxis_title="% of demand", height=600)
        return fig

    def coverage_waterfall(self) -> go.Figure:
        cov: pd.DataFrame = self.results.tables["gas_coverage"]
        lost = cov.attrs.get("russian_lost_bcm", cov.value_bcm.sum())
        fig = go.Figure(go.Waterfall(
            x=["Russian gas lost"] + cov.label.tolist(),
            measure=["absolute"] + ["relative"] * len(cov),
            y=[lost] + (-cov.value_bcm).tolist(),
        ))
        fig.update_layout(title="How the lost Russian gas is covered (bcm over the horizon)", yaxis_title="bcm")
        return fig
