"""Physical units and the one gas energy-content constant used everywhere.

Volumes of natural gas are kept in cubic metres at the bp Statistical Review
standard: 15 degC, 1013 mbar, gross calorific value (GCV) 40 MJ/m3
("bp Statistical Review of World Energy 2021", notes to the gas tables).
Eurostat's nrg_cb_gas / nrg_ti_gas energy figures (TJ, GCV) and ENTSOG's
capacities (GWh/d, GCV) are turned into volumes with this same constant, so
every bcm in the project is comparable with bp's bcm.
"""

GCV_MJ_PER_M3 = 40.0
TJ_PER_BCM = GCV_MJ_PER_M3 * 1e9 / 1e6  # 40,000 TJ per bcm
TWH_PER_BCM = TJ_PER_BCM / 3600.0  # 11.11 TWh per bcm
GWH_PER_MCM = TWH_PER_BCM  # 1 mcm = 1e-3 bcm, 1 GWh = 1e-3 TWh: same ratio

# LNG: bp Statistical Review 2021, "Approximate conversion factors":
# 1 million tonnes of LNG = 1.36 billion cubic metres of natural gas.
BCM_PER_MT_LNG = 1.36


def tj_to_bcm(tj: float) -> float:
    return tj / TJ_PER_BCM


def gwh_per_day_to_mcm_per_day(gwh_d: float) -> float:
    return gwh_d / GWH_PER_MCM
