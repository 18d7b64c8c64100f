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
}


def label(category: str) -> str:
    """The human name of a category id; an id without one is shown with its underscores as spaces."""
    return LABELS.get(category, category.replace("_", " ").capitalize())
