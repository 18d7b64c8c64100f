"""Human names for the categories the tables carry as ids (partner and product groups, gas sectors, LNG
origins, Russian routes, pipeline corridors). Figures and reports show these, never the raw ids."""

from __future__ import annotations

LABELS: dict[str, str] = {
    # partner groups (data/ru_trade_by_partner_2021.csv)
    "eu": "EU",
    "us": "United States",
    "uk": "United Kingdom",
    "japan": "Japan",
    "korea": "South Korea",
    "other_coalition": "Other coalition",
    "china": "China",
    "india": "India",
    "turkey": "Turkey",
    "eaeu": "Eurasian Economic Union",
    "row": "Rest of world",
    # product groups (data/ru_trade_by_product_2021.csv)
    "oil": "Oil and products",
    "gas": "Natural gas",
    "coal": "Coal",
    "metals": "Metals",
    "chemicals_fertilisers": "Chemicals and fertilisers",
    "food": "Food and agriculture",
    "machinery_electronics": "Machinery and electronics",
    "vehicles_transport": "Vehicles and transport equipment",
    "other": "Other",
    # gas sectors
    "households": "Households",
    "services": "Services",
    "industry": "Industry",
    "power": "Power",
    # LNG origins
    "qatar": "Qatar",
    "russia": "Russia",
    "nigeria": "Nigeria",
    "algeria": "Algeria",
    # Russian routes and pipeline corridors
    "nord_stream_1": "Nord Stream 1",
    "nord_stream_2": "Nord Stream 2",
    "yamal": "Yamal-Europe",
    "ukraine": "Ukraine transit",
    "turkstream": "TurkStream",
    "baltic_finland": "Baltic states and Finland",
    "lng": "LNG",
    "norway": "Norway",
    "algeria_transmed": "Algeria (Transmed)",
    "algeria_medgaz": "Algeria (Medgaz)",
    "algeria_gme": "Algeria (GME)",
    "libya_greenstream": "Libya (Greenstream)",
    "azerbaijan_tap": "Azerbaijan (TAP)",
    "uk_iuk": "UK (Interconnector)",
    "uk_bbl": "UK (BBL)",
    "uk_moffat": "UK (Moffat)",
    # Russia's sectors (table sector_output)
    "autos": "Autos",
    "aviation": "Aviation",
    "consumer_electronics": "Consumer electronics",
    "energy_extraction": "Energy extraction",
    "machinery_defence": "Machinery and defence",
    "telecom": "Telecoms",
    # the two sides of the ledger (table cost_ledger)
    "eu27": "EU27",
    "coalition": "Coalition",
    "world": "World",
}

# Countries by the codes the data use (ISO 3166-1 alpha-2; Eurostat's "EL" and "UK" too).
COUNTRY_NAMES: dict[str, str] = {
    "AT": "Austria", "BE": "Belgium", "BG": "Bulgaria", "CY": "Cyprus", "CZ": "Czechia", "DE": "Germany",
    "DK": "Denmark", "EE": "Estonia", "EL": "Greece", "ES": "Spain", "FI": "Finland", "FR": "France",
    "GR": "Greece", "HR": "Croatia", "HU": "Hungary", "IE": "Ireland", "IT": "Italy", "LT": "Lithuania",
    "LU": "Luxembourg", "LV": "Latvia", "MT": "Malta", "NL": "Netherlands", "PL": "Poland", "PT": "Portugal",
    "RO": "Romania", "SE": "Sweden", "SI": "Slovenia", "SK": "Slovakia", "GB": "United Kingdom",
    "UK": "United Kingdom", "NO": "Norway", "CH": "Switzerland", "RS": "Serbia", "UA": "Ukraine", "TR": "Türkiye",
    "RU": "Russia", "BY": "Belarus", "MD": "Moldova", "BA": "Bosnia and Herzegovina", "MK": "North Macedonia",
    "AL": "Albania", "ME": "Montenegro", "XK": "Kosovo", "IS": "Iceland", "EU27": "EU27", "EU": "EU",
}  # fmt: skip


def country_name(code: str) -> str:
    """A country's name from its code; a code without one is shown as it is."""
    return COUNTRY_NAMES.get(str(code), str(code))


def label(category: str) -> str:
    """The human name of a category id; an id without one is shown with its underscores as spaces."""
    return LABELS.get(category, category.replace("_", " ").capitalize())


def humanise(text: str) -> str:
    """``text`` with every headline metric's id in it replaced by the metric's label (a unit may name another
    metric: "% of GDP (not in russia_gdp_change_pct)")."""
    from .metrics import METRICS  # the declarations; imported here, as econ.metrics may import this module

    for metric in METRICS:
        if metric.id in text:
            text = text.replace(metric.id, metric.label)
    return text
