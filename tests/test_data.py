"""Data files: every table loads, is sourced, and a bad file fails with a clear error."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from econ.data import SCHEMAS, load_data
from econ.errors import DataError
from econ.paths import data_dir
from tests.conftest import TOY_TABLES, write_toy


def test_every_data_file_has_a_source_row():
    rows = list(csv.DictReader((data_dir() / "SOURCES.csv").open(encoding="utf-8")))
    assert {"file", "publisher", "table", "vintage", "unit", "url", "note"} <= set(rows[0])
    sourced = {r["file"] for r in rows}
    for f in data_dir().glob("*.csv"):
        if f.name != "SOURCES.csv":
            assert f.name in sourced, f"{f.name} has no row in data/SOURCES.csv"
    for r in rows:
        assert r["publisher"].strip() and r["vintage"].strip() and r["unit"].strip(), r["file"]


def test_real_data_loads_and_covers_the_eu(data):
    demand = data["gas_demand_annual"]
    nodes = data["gas_nodes"].set_index("country")["geography"]
    eu = set(nodes.index[nodes == "eu27"])
    assert len(eu) == 26 and "CY" not in eu and eu <= set(demand.country)
    # the wider Europe (docs/methodology.md, gas, section 1): every node has a geography tag
    assert {"UK", "UA", "CH", "MD", "RS", "BA", "MK"} <= set(nodes.index[nodes == "non_eu"])
    assert set(demand.country) == set(nodes.index)
    assert data.sha256 and len(data.file_hashes) == len(SCHEMAS)


@pytest.mark.parametrize(
    "file,text,fragment",
    [
        ("gas_production.csv", "country,output\nDE,1\n", "missing column(s) production_bcm_per_year"),
        ("gas_production.csv", "country,production_bcm_per_year\nDE,lots\n", "row 2, column 'production_bcm_per_year'"),
        ("gas_production.csv", "country,production_bcm_per_year\nDE,-3\n", "below the allowed 0"),
        ("gas_production.csv", "country,production_bcm_per_year\nXX,3\n", "value 'XX' is not one of"),
        ("gas_production.csv", "country,production_bcm_per_year\nDE,3\nDE,4\n", "duplicate key (country=DE)"),
        ("gas_demand_monthly_profile.csv", "month,sector,share_of_annual\n1,industry,0.5\n", "sum to 0.5000, not 1"),
        ("gas_demand_monthly_profile.csv", "month,sector,share_of_annual\n13,industry,1\n", "above the allowed 12"),
    ],
)
def test_bad_file_names_file_row_and_column(tmp_path: Path, file, text, fragment):
    directory = write_toy(tmp_path / "d", **{file: text})
    with pytest.raises(DataError) as exc:
        load_data(directory)
    assert file in str(exc.value) and fragment in str(exc.value)


def test_missing_file_is_named(tmp_path: Path):
    directory = write_toy(tmp_path / "d")
    (directory / "gas_storage.csv").unlink()
    with pytest.raises(DataError, match="gas_storage.csv: data file not found"):
        load_data(directory)


def test_toy_tables_are_gas_schemas():
    assert set(TOY_TABLES) == {s.file for s in SCHEMAS.values() if s.file.startswith("gas_")}
