"""The registry and scenario files: loading, overrides and every kind of bad input."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

import econ
from econ.errors import ParameterError, ScenarioFileError
from econ.params import load_registry, load_scenario, scenario_from_text
from econ.paths import registry_path

REQUIRED_SANCTIONS = [
    "swift.excluded_payment_share",
    "swift.energy_carve_out",
    "dollar.clearing_ban_coverage",
    "dollar.reserves_frozen_share",
    "chips.controls_coverage",
    "chips.leakage_share",
    "ruble.capital_controls_strength",
    "macro.oil_price_change_pct",
]
REQUIRED_GAS = [
    "gas.russia.nord_stream_1.utilisation",
    "gas.russia.nord_stream_2.utilisation",
    "gas.russia.yamal.utilisation",
    "gas.russia.ukraine.utilisation",
    "gas.russia.turkstream.utilisation",
    "gas.russia.lng.utilisation",
    "gas.lng.qatar.divertible_share",
    "gas.demand.reduction_share",
    "gas.storage.initial_fill",
    "gas.storage.target_fill",
    "gas.market.integrated",
    "gas.start_month",
    "gas.horizon_months",
]


def test_registry_has_the_stable_names():
    reg = load_registry()
    for name in REQUIRED_GAS + REQUIRED_SANCTIONS:
        assert name in reg.specs, name


def test_every_parameter_has_unit_range_source_and_label():
    for spec in load_registry():
        assert spec.unit and spec.label and spec.description and spec.source and spec.group, spec.name


def test_nord_stream_2_is_suspended_by_default():
    assert load_registry()["gas.russia.nord_stream_2.utilisation"].value == 0.0


def test_presets_exist_with_titles():
    presets = econ.list_presets()
    for name in [
        "baseline",
        "ns2_suspended",
        "russia_gas_cutoff",
        "russia_partial_cut",
        "swift_partial_2022",
        "swift_full",
        "dollar_clearing_ban",
        "chip_controls",
        "full_package",
        "episode_2014",
    ]:
        assert name in presets
        sc = load_scenario(name)
        assert sc.title and sc.description


def test_with_overrides_merges_and_validates():
    sc = load_scenario("russia_gas_cutoff").with_overrides({"gas.lng.qatar.divertible_share": 0.15})
    assert sc.params["gas.lng.qatar.divertible_share"] == 0.15
    assert sc.params["gas.russia.nord_stream_1.utilisation"] == 0.0
    base = load_scenario("russia_gas_cutoff")
    assert base.params["gas.lng.qatar.divertible_share"] != 0.15  # the original is unchanged


def test_string_values_are_coerced_by_type():
    sc = econ.load_scenario("baseline").with_overrides(
        {"gas.market.integrated": "false", "gas.horizon_months": "18", "gas.lng.qatar.divertible_share": "0.12"}
    )
    assert sc.params["gas.market.integrated"] is False
    assert sc.params["gas.horizon_months"] == 18
    assert sc.params["gas.lng.qatar.divertible_share"] == pytest.approx(0.12)


def test_unknown_key_suggests_the_closest():
    with pytest.raises(ParameterError) as exc:
        load_scenario("baseline").with_overrides({"gas.lng.qatar.divertable_share": 0.1})
    msg = str(exc.value)
    assert "gas.lng.qatar.divertable_share" in msg and "did you mean 'gas.lng.qatar.divertible_share'" in msg


def test_outside_the_hard_bounds_names_key_value_bounds_and_unit():
    with pytest.raises(ParameterError) as exc:
        load_scenario("baseline").with_overrides({"gas.lng.qatar.divertible_share": 1.2})
    msg = str(exc.value)
    assert "gas.lng.qatar.divertible_share" in msg and "1.2" in msg and "hard bounds [0.0, 1.0]" in msg
    assert "share of Qatar's exports" in msg


def test_outside_the_plausible_range_runs_with_a_warning_naming_key_value_range_and_source():
    sc = load_scenario("baseline").with_overrides({"gas.lng.qatar.divertible_share": 0.3})
    assert sc.overrides["gas.lng.qatar.divertible_share"] == 0.3  # kept as given, not clipped
    (warning,) = sc.warnings
    assert "gas.lng.qatar.divertible_share" in warning and "0.3" in warning
    assert "plausible range [0.03, 0.15]" in warning and "QatarEnergy" in warning  # the range's source
    assert load_scenario("baseline").with_overrides({"gas.lng.qatar.divertible_share": 0.15}).warnings == []
    res = econ.run(sc)
    assert res.warnings == (warning,) and res.manifest["warnings"] == [warning]


@pytest.mark.parametrize(
    "key,value,fragment",
    [
        ("gas.horizon_months", 2.5, "whole number"),
        ("gas.horizon_months", "many", "not a number"),
        ("gas.market.integrated", "maybe", "not true or false"),
        ("gas.start_month", "March 2022", "YYYY-MM"),
        ("gas.start_month", "2031-01", "outside the hard bounds"),
        ("gas.demand.scale", True, "boolean"),
        ("gas.demand.scale", float("nan"), "finite"),
        ("gas.demand.scale", [1], "not a number"),
    ],
)
def test_wrong_types_are_rejected(key, value, fragment):
    with pytest.raises(ParameterError) as exc:
        load_scenario("baseline").with_overrides({key: value})
    assert key in str(exc.value) and fragment in str(exc.value)


def test_values_are_never_clipped():
    with pytest.raises(ParameterError):
        load_scenario("baseline").with_overrides({"gas.storage.initial_fill": 1.2})


def test_yaml_unknown_key_reports_file_and_line(tmp_path: Path):
    f = tmp_path / "s.yaml"
    f.write_text("title: t\ndescription: d\noverrides:\n  gas.demand.scale: 1.0\n  gas.demand.scael: 1.0\n")
    with pytest.raises(ParameterError) as exc:
        load_scenario(f)
    msg = str(exc.value)
    assert str(f) in msg and "line 5" in msg and "did you mean 'gas.demand.scale'" in msg


def test_malformed_yaml_reports_line(tmp_path: Path):
    f = tmp_path / "bad.yaml"
    f.write_text("title: t\noverrides:\n  gas.demand.scale: [1.0\n  other: 2\n")
    with pytest.raises(ScenarioFileError) as exc:
        load_scenario(f)
    assert str(f) in str(exc.value) and "line" in str(exc.value) and "malformed YAML" in str(exc.value)


def test_missing_file_and_unknown_preset():
    with pytest.raises(ScenarioFileError, match="not found"):
        load_scenario("no/such/file.yaml")
    with pytest.raises(ScenarioFileError, match="did you mean 'baseline'"):
        load_scenario("baselin")


def test_wrong_structure_is_rejected():
    with pytest.raises(ScenarioFileError, match="expected a mapping"):
        scenario_from_text("- a\n- b\n", "x", "x.yaml")
    with pytest.raises(ScenarioFileError, match="did you mean 'overrides'"):
        scenario_from_text("overides: {}\n", "x", "x.yaml")
    with pytest.raises(ScenarioFileError, match="must be a mapping"):
        scenario_from_text("overrides: [1, 2]\n", "x", "x.yaml")
    with pytest.raises(ScenarioFileError, match="empty"):
        scenario_from_text("", "x", "x.yaml")


def test_oversized_file_is_rejected():
    with pytest.raises(ScenarioFileError, match="larger than"):
        scenario_from_text("title: x\n" + "#" * 300_000, "x", "x.yaml")


def test_yaml_round_trip(tmp_path: Path):
    sc = load_scenario("russia_partial_cut").with_overrides({"gas.demand.reduction_share": 0.2})
    f = tmp_path / "round.yaml"
    f.write_text(sc.to_yaml())
    again = load_scenario(f)
    assert dict(again.overrides) == dict(sc.overrides)
    assert again.digest() == sc.digest()


def _copy_registry(tmp_path: Path) -> Path:
    dst = tmp_path / "parameters.csv"
    shutil.copy(registry_path(), dst)
    return dst


def test_bad_registry_row_names_line_and_column(tmp_path: Path):
    path = _copy_registry(tmp_path)
    rows = list(csv.DictReader(path.open()))
    rows[2]["value"] = "7"  # gas.market.integrated is a bool
    rows[4]["high"] = "-1"
    with path.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    with pytest.raises(ParameterError) as exc:
        load_registry(path)
    assert "line 4" in str(exc.value) and "gas.market.integrated" in str(exc.value)


def test_registry_missing_column(tmp_path: Path):
    path = tmp_path / "p.csv"
    path.write_text("name,value\nx.y,1\n")
    with pytest.raises(ParameterError, match="missing column"):
        load_registry(path)


# ---------------------------------------------------------------- dated paths

NS1 = "gas.russia.nord_stream_1.utilisation"
MONTHS = ["2022-03", "2022-04", "2022-05", "2022-06", "2022-07", "2022-08", "2022-09", "2022-10"]


def test_a_dated_path_holds_each_value_from_its_month_and_the_scalar_before():
    sc = load_scenario("baseline").with_overrides({NS1: {"2022-06": 0.4, "2022-09": 0.0}})
    default = load_registry()[NS1].value
    assert list(sc.params.path(NS1, MONTHS)) == [default] * 3 + [0.4] * 3 + [0.0] * 2


def test_a_path_on_top_of_a_scalar_override_keeps_the_scalar_before_its_first_step():
    sc = load_scenario("baseline").with_overrides({NS1: 0.5}).with_overrides({NS1: {"2022-05": 0.1}})
    assert list(sc.params.path(NS1, MONTHS[:3])) == [0.5, 0.5, 0.1]
    explicit = load_scenario("baseline").with_overrides({NS1: {"base": 0.7, "2022-05": 0.1}})
    assert list(explicit.params.path(NS1, MONTHS[:3])) == [0.7, 0.7, 0.1]
    # a scalar replaces a path whole
    assert list(explicit.with_overrides({NS1: 0.2}).params.path(NS1, MONTHS[:3])) == [0.2] * 3


def test_every_time_varying_parameter_the_foundation_names_is_time_varying():
    reg = load_registry()
    named = [s.name for s in reg if s.name.startswith("gas.russia.")] + [
        "swift.energy_carve_out", "dollar.energy_carve_out", "dollar.reserves_frozen_share",
        "ruble.capital_controls_strength", "ruble.key_rate_hike_pp", "chips.controls_coverage",
        "chips.leakage_share", "trade.oil_embargo_share", "gas.demand.reduction_share",
        "macro.oil_price_change_pct", "macro.gas_price_change_pct",
    ]  # fmt: skip
    assert all(reg[n].time_varying for n in named), [n for n in named if not reg[n].time_varying]
    assert not reg["ruble.pass_through"].time_varying


@pytest.mark.parametrize(
    "value,fragment",
    [
        ({"2022-13": 0.4}, "key '2022-13' is not a month of the form YYYY-MM"),
        ({"June": 0.4}, "key 'June' is not a month"),
        ({2022: 0.4}, "key 2022 is not a month"),
        ({"2022-06": 1.5}, "in 2022-06: value 1.5 is outside the hard bounds [0.0, 1."),
        ({"2022-06": "lots"}, "in 2022-06: value 'lots' is not a number"),
        ({"2021-06": 0.4}, "month 2021-06 is outside the horizon 2022-03 to 2023-03"),
        ({"2023-04": 0.4}, "month 2023-04 is outside the horizon"),
        ({}, "a dated path needs at least one month"),
        ({"base": 0.3}, "a dated path needs at least one month"),
        ({"base": -1, "2022-06": 0.4}, "in base: value -1 is outside the hard bounds"),
    ],
)
def test_bad_dated_paths_are_refused_naming_the_key_and_the_month(value, fragment):
    with pytest.raises(ParameterError) as exc:
        load_scenario("baseline").with_overrides({NS1: value})
    assert fragment in str(exc.value) and NS1 in str(exc.value)


def test_a_parameter_that_is_not_time_varying_refuses_a_path():
    with pytest.raises(ParameterError, match="'ruble.pass_through' is not time-varying"):
        load_scenario("baseline").with_overrides({"ruble.pass_through": {"2022-06": 0.2}})


def test_a_path_value_outside_the_plausible_range_warns_with_its_month():
    sc = load_scenario("baseline").with_overrides({"ruble.key_rate_hike_pp": {"2022-04": 20.0}})
    (warning,) = sc.warnings
    assert "20 in 2022-04 is outside the plausible range [0.0, 15.0]" in warning


def test_paths_round_trip_through_yaml_and_the_manifest(tmp_path):
    sc = load_scenario("full_package").with_overrides(
        {NS1: {"2022-06": 0.4, "2022-09": 0.0}, "ruble.capital_controls_strength": {"2022-04": 0.9}}
    )
    text = sc.to_yaml()
    assert "2022-06: 0.4" in text and "base: 0.7" in text  # the preset's scalar, kept as the path's base
    back = scenario_from_text(text, name="back", where="back.yaml")
    assert dict(back.overrides) == dict(sc.overrides)
    assert back.digest() == sc.digest()
    res = econ.run(sc)
    assert res.manifest["overrides"][NS1] == {"2022-06": 0.4, "2022-09": 0.0}
    assert res.manifest["overrides"]["ruble.capital_controls_strength"] == {"base": 0.7, "2022-04": 0.9}


def test_a_batch_draw_replaces_the_scalar_part_of_a_path_and_keeps_its_steps():
    from econ.params import ParamBatch

    key = "chips.leakage_share"
    sc = load_scenario("chip_controls").with_overrides({key: {"2022-06": 0.8}})
    batch = ParamBatch(sc.params, {key: [0.3, 0.6]})
    got = batch.path(key, MONTHS[:5])
    assert got.tolist() == [[0.3, 0.3, 0.3, 0.8, 0.8], [0.6, 0.6, 0.6, 0.8, 0.8]]
    assert batch.params(1).path(key, MONTHS[:5]).tolist() == [0.6, 0.6, 0.6, 0.8, 0.8]
    with pytest.raises(ParameterError, match="is a dated path"):
        batch.float(key)


def test_a_scenario_without_overrides_round_trips_as_the_baseline():
    text = load_scenario("baseline").to_yaml()
    assert "baseline: true" in text
    assert dict(scenario_from_text(text, name="b", where="b.yaml").overrides) == {}


@pytest.mark.parametrize(
    "raw, expected",
    [(True, True), (False, False), (1, True), (0, False), (1.0, True), (0.0, False), ("true", True), ("YES", True)]
    + [(" 1 ", True), ("false", False), ("No", False), ("0", False)],
)
def test_booleans_are_read_from_every_documented_spelling(raw, expected):
    sc = econ.load_scenario("baseline").with_overrides({"swift.energy_carve_out": raw})
    assert sc.params["swift.energy_carve_out"] is expected


@pytest.mark.parametrize("raw", [2, -1, 0.5, "maybe", ""])
def test_anything_else_is_not_a_boolean(raw):
    with pytest.raises(ParameterError, match="swift.energy_carve_out"):
        econ.load_scenario("baseline").with_overrides({"swift.energy_carve_out": raw})


def test_the_digest_tells_scenarios_apart():
    # Scenario.digest is documented as a run's cache key: equal values give equal digests, any change another one
    a = econ.load_scenario("baseline")
    b = a.with_overrides({"swift.blocked_cost_pct": 11.0})
    c = a.with_overrides({"swift.blocked_cost_pct": 11.0})
    d = a.with_overrides({"swift.excluded_payment_share": {"2022-06": 0.5}})
    assert b.digest() == c.digest()
    assert len({a.digest(), b.digest(), d.digest(), econ.load_scenario("full_package").digest()}) == 4


def test_the_retaliation_preset_is_the_full_package_plus_the_gas_cut():
    # the two presets must not drift apart: retaliation adds Russia's gas cut to every measure of the package
    package = dict(econ.load_scenario("full_package").overrides)
    retaliation = dict(econ.load_scenario("full_package_gas_retaliation").overrides)
    extra = {k: v for k, v in retaliation.items() if k not in package}
    assert {k: v for k, v in retaliation.items() if k in package} == package
    assert extra and all(k.startswith("gas.russia.") and v == 0.0 for k, v in extra.items())
