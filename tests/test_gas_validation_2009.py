"""Validation: January 2009, two weeks without Russian gas through Ukraine (docs/validation.md, gas, January 2009).

Published account: Pirani, Stern and Yafimava, "The Russo-Ukrainian gas dispute of January 2009: a comprehensive
assessment", Oxford Institute for Energy Studies, NG 27, February 2009
(https://www.oxfordenergy.org/publications/the-russo-ukrainian-gas-dispute-of-january-2009-a-comprehensive-assessment/):
exports to 16 EU member states were cut completely from 7 to 20 January; the Balkans (Bulgaria; outside the EU
Serbia and Bosnia and Herzegovina) had a humanitarian emergency, Hungary and Slovakia significant economic
problems. Reuters (7 January 2009) reports Bulgaria rationing industry and Slovakia and Hungary cutting deliveries to
large industrial customers; Greece lost its Russian gas (Trans-Balkan route) and switched plants to oil.

The model is run on its own (2019-21) system, not 2009's: a structural test of what a two-week loss of the
Ukrainian route (and of the Balkan route, which in 2009 carried Ukrainian-transit gas and is now TurkStream) does in
a monthly, integrated market with perfect foresight. It finds no country short: the documented gap.
"""

from __future__ import annotations

import numpy as np
import pytest

import econ
from econ import gas
from econ.params import Params
from econ.time import DatedPath

DEFAULTS = econ.load_registry().defaults()
# EU member states that ran short in January 2009 (rationed industry or households), OIES NG 27 and Reuters above.
PUBLISHED_SHORT = {"BG", "SK", "HU", "GR"}
# 14 of January's 31 days without the routes (7-20 January), as a share of the month's default utilisation.
DAYS_FLOWING = 17 / 31
TARIFF = "gas.network.tariff_scale"


def _january(data, routes: tuple[str, ...], extra: dict | None = None):
    """December 2021 start, 13 months, the routes at DAYS_FLOWING of their default in January 2022 only."""
    values = {**DEFAULTS, "gas.start_month": "2021-12", "gas.horizon_months": 13, "gas.production.change_share": 0.0}
    values.update(extra or {})
    for route in routes:
        name = gas.ROUTE_PARAM[route]
        default = float(DEFAULTS[name])
        values[name] = DatedPath(default, (("2022-01", default * DAYS_FLOWING), ("2022-02", default)))
    system = gas.gas_system(data)
    inputs = gas.build_inputs(Params(values), system)
    sol = gas.solve_lp(inputs, system, gas.HighsSession(warm=False))
    assert sol.status == "ok", sol.message
    return system, inputs, sol


@pytest.fixture(scope="module", params=[0.0, 1.0], ids=["tariffs_off", "tariffs_on"])
def scale(request) -> dict[str, float]:
    # both transport-tariff scales (gas.network.tariff_scale, methodology 3.8): the model without and with tariffs
    return {TARIFF: request.param}


@pytest.fixture(scope="module")
def episode(data, scale):
    base = _january(data, (), scale)
    cut = _january(data, ("ukraine", "turkstream"), scale)
    return base, cut


def test_january_2009_which_countries_run_short_documented_gap(episode):
    # A country "runs short" in the model when it rations (unserved demand > 1 mcm in January) or its January price
    # rises by more than half against the same run without the cut. Published: BG, SK, HU, GR (EU members). The
    # model: none. Gap, documented in docs/validation.md: the model's month averages a two-week cut; it stores
    # with perfect foresight (the cut is known in advance); its integrated market has the reverse flows and
    # interconnectors built after 2009 because of it (SK-HU, reverse flow at Baumgarten and Lanzhot, BG-RO) and
    # no contract or operator frictions. Checked so that a change is noticed.
    (system, _, base), (_, inputs, cut) = episode
    jan = inputs.months.index("2022-01")
    countries = np.array(system.countries)
    rationed = cut.unserved[:, :, jan].sum(axis=1) > 1.0
    spike = cut.price[:, jan] > 1.5 * base.price[:, jan]
    model_short = set(countries[rationed | spike])
    assert PUBLISHED_SHORT <= set(countries)  # every published EU country is a node
    assert model_short == set()  # the documented gap: none of the four
    assert not (PUBLISHED_SHORT & model_short)


def test_january_2009_cut_raises_every_price_a_little_and_evenly(episode):
    # The mechanism the model does show: the lost entry (1.86 bcm in January) is covered in January by more storage
    # withdrawal (1.37 bcm without tariffs, 1.54 with), more LNG (0.48; 0.31) and a little demand priced out (0.002;
    # 0.01), and over the year by flexible LNG bid from Asia (+1.78 bcm; +1.71): a known two-week gap raises every
    # connected price a little and the same within a few transport costs, by 0.30-0.40 EUR/MWh without tariffs
    # (0.1 EUR/MWh a border) and 0.29-0.54 with them (the east, behind priced borders, more) with the demand curves
    # in the end-user price (3.1-3.2 before them: how far the price moves with a small cut depends on which step of
    # the stepped curves is marginal; docs/validation.md, gas, January 2009). (Ireland, with no link to a
    # continental node in the EU-only system, does not move.)
    (system, _, base), (_, inputs, cut) = episode
    jan = inputs.months.index("2022-01")
    rise = cut.price[:, jan] - base.price[:, jan]
    node = {c: k for k, c in enumerate(system.countries)}
    assert all(rise[node[c]] > 0.2 for c in PUBLISHED_SHORT)
    moved = rise[rise > 0.2]
    assert len(moved) >= 0.9 * len(rise)
    assert moved.max() - moved.min() < 10 * gas.system.ARC_COST
    lost = base.entry[:, jan].sum() - cut.entry[:, jan].sum()
    drawn = cut.withdrawal[:, jan].sum() - base.withdrawal[:, jan].sum()
    lng_jan = cut.lng[:, jan].sum() - base.lng[:, jan].sum()
    response_jan = cut.response[:, :, jan].sum() - base.response[:, :, jan].sum()
    assert lost > 1000  # mcm
    assert base.entry.sum() - cut.entry.sum() == pytest.approx(lost, abs=1e-6)  # nothing but January's entry moves
    # January's balance: storage covers most of it, LNG the rest, demand a little (exact up to the row tie-break)
    assert drawn + lng_jan + response_jan == pytest.approx(lost, rel=1e-3)
    assert drawn > 0.6 * lost and response_jan < 0.05 * lost
    # The year's balance (exact up to the row tie-break): the lost gas = more LNG + demand priced out - gas left in
    # store at the end of the horizon. The gas comes from LNG bid from Asia (92-96% of it).
    lng_year = cut.lng.sum() - base.lng.sum()
    response = (cut.response - base.response).sum(axis=(0, 1))  # (T,) mcm
    kept = (cut.level[:, -1] - base.level[:, -1]).sum()
    assert lng_year + response.sum() - kept == pytest.approx(lost, rel=1e-3)
    assert lng_year == pytest.approx(lost, rel=0.1)
    # Storage ends the year where it would have, but for the demand priced out in the horizon's last two months
    # (November and December 2022), which stays in store: there the stores are the marginal source, their price the
    # terminal value plus a withdrawal (V_n + 0.5 EUR/MWh, methodology 3.5), so a unit a customer gives up is
    # carried past the horizon, not sold elsewhere. Without tariffs the cut's price rise there (+0.40 EUR/MWh) moves
    # no demand step and the stock ends where it would have (0 mcm); with tariffs (+0.54) it crosses a step of
    # Italy's curve (44.6 mcm in November, 55.0 in December) and Italy's store ends 99.7 mcm fuller. (The assertion
    # before 1 December 2026, the end stock unchanged within 1 mcm, held only while no step lay in that range.)
    assert kept == pytest.approx(response[-2:].sum(), abs=1.0)
    assert kept >= -1.0


def test_january_2009_ukraine_alone_moves_the_price_less(data, episode, scale):
    # Since 2020 the Balkans are supplied by TurkStream, not through Ukraine: the Ukrainian route alone removes less
    # gas and raises January's price less than the 2009-equivalent pair of routes.
    (system, _, base), (_, inputs, cut) = episode
    _, _, ukraine = _january(data, ("ukraine",), scale)
    jan = inputs.months.index("2022-01")
    assert 0 < (ukraine.price[:, jan] - base.price[:, jan]).mean() < (cut.price[:, jan] - base.price[:, jan]).mean()


# The peak day of the cut, by hand (methodology, gas, 5a; GWh/d, 1 mcm = 11.111 GWh; January: 31 days). The Ukrainian
# route delivers its cap in January, K u d = 3,127.88 mcm (utilisation 0.2512), TurkStream 990.54 mcm (0.4253), each
# spread over its entries by capacity (5a.1). Hungary: Ukraine 3,127.88 x 1,438.52 / 12,451.76 = 361.4 mcm plus
# TurkStream 990.54 x 721.92 / 2,329.04 = 307.0 mcm, 668.4 mcm / 31 x 11.111 = 239.6 GWh/d; Slovakia 3,127.88 x
# 6,354.50 / 12,451.76 / 31 x 11.111 = 572.1; Bulgaria 990.54 x 1,607.12 / 2,329.04 / 31 x 11.111 = 245.0; Romania
# 3,127.88 x 4,280.42 / 12,451.76 / 31 x 11.111 = 385.4; Greece 0 (its Russian gas comes through Bulgaria).
LOST_ON_THE_DAY = {"HU": 239.6, "SK": 572.1, "BG": 245.0, "GR": 0.0, "RO": 385.4}
# What is left on the day with the store empty (pipeline and interconnector entry at technical capacity, production,
# LNG send-out; table gas_peak_day) over the design day: HU (639.62 + 46.75) / 829.85 - 1 = -17.29%; SK (1,543.78 +
# 1.94) / 372.20 - 1 = +315.29%; BG (870.57 + 1.69) / 206.44 - 1 = +322.53%; GR (171.20 + 0.24 + 184.03) / 306.07 - 1
# = +16.14%; RO (225.65 + 259.07) / 875.93 - 1 = -44.66%.
EMPTY_STORE_MARGIN = {"HU": -17.29, "SK": 315.29, "BG": 322.53, "GR": 16.14, "RO": -44.66}


def test_january_2009_on_the_peak_day_documented_gap(episode, data):
    # The peak-day check (methodology, gas, 5a) on a day inside the cut: the Ukrainian and Balkan routes carry
    # nothing that day (the other routes their January mean), storage at the run's end-of-January level. The day
    # sees what the month averaged away: each country loses its Russian entries (LOST_ON_THE_DAY, by hand above),
    # and on what is left with its store empty Hungary (-17.3%) and Romania (-44.7%) are short, Slovakia, Bulgaria
    # and Greece are not (the documented gap, docs/validation.md, peak day: interconnectors count at technical
    # capacity whether or not the neighbour has gas that day, and 2021's reverse flows are in place).
    # Whether Hungary is short on the day turns on its store: at or above 7.3% fill (deliverability 787.4 x
    # fill / 0.4 >= 829.85 - 686.37 = 143.5 GWh/d) it is not. Which store holds the gas at the end of January is not
    # settled by the monthly LP (the winter months' prices are equal, so drawing a store in January or in February,
    # here or behind a border crossed in both seasons, costs the same): over eight seeds of the cost tie-break
    # (lp._TIE_SEED) Hungary's cut-day margin ranged from -17.3% to +32.6% without tariffs and to +36.6% with them
    # (2026-12-01, natcaps). The assertions before that date (Hungary's margin falling by more than 40 points,
    # Slovakia's by more than 100, Romania's ending below -40% and none of the four negative) read the one seed's
    # storage levels: an accident of the tie-break, not the model's economics. What is asserted now holds whatever
    # the stores hold.
    import dataclasses

    from econ.gas.peak import peak_day

    def table(system, inputs, sol, cut_routes):
        entry = sol.entry.copy()
        for route in cut_routes:
            entry[system.entries("russia", route)] = 0.0
        t = peak_day(inputs, dataclasses.replace(sol, entry=entry), system, data["gas_peak_demand"], 0.4)
        return t[t.month == "2022-01"].set_index("country")

    before = table(*episode[0], ())
    during = table(*episode[1], ("ukraine", "turkstream"))
    peak = during["peak_demand_gwh_d"]
    without_store = during["available_gwh_d"] - during["storage_deliverability_gwh_d"]
    for c, lost in LOST_ON_THE_DAY.items():
        # the day's supply other than storage falls by exactly the Russian entries lost (rounding of the hand figures)
        fell = (before["available_gwh_d"] - before["storage_deliverability_gwh_d"] - without_store)[c]
        assert fell == pytest.approx(lost, abs=0.06), c
        assert 100 * (without_store[c] / peak[c] - 1) == pytest.approx(EMPTY_STORE_MARGIN[c], abs=0.006), c
        # the store adds to that, never takes away; and the day is no better than without the cut
        assert during["margin_pct"][c] >= EMPTY_STORE_MARGIN[c] - 0.006, c
        assert during["margin_pct"][c] <= before["margin_pct"][c] + 1e-9, c
    # Hungary's full deliverability (its store at or above the 40% threshold: 787.4 GWh/d) would cover the day,
    # (686.37 + 787.4) / 829.85 - 1 = +77.6%: the model's verdict for Hungary lies between -17.3% and +77.6%
    assert -17.3 <= during["margin_pct"]["HU"] <= 77.6
    # the documented gap: Slovakia, Bulgaria and Greece are not short on the day whatever their stores hold, while
    # Hungary and Romania are with their stores empty
    assert all(without_store[c] > peak[c] for c in ("SK", "BG", "GR"))
    assert all(without_store[c] < peak[c] for c in ("HU", "RO"))
