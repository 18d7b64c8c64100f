"""A corpus of malformed scenario inputs: files (for the library, the CLI and app uploads) and share links.

Each case is (id, input, fragment): ``fragment`` must appear in the one-line message (case-insensitive).
Hand-written cases cover every report in issue 9; generated ones cross bad values with parameters of each
type and bad structures with each place a value can sit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import quote

OK = "chips.leakage_share: 0.3\n"  # a valid override line


@dataclass(frozen=True)
class Case:
    id: str
    data: bytes
    fragment: str

    @property
    def text(self) -> str:
        return self.data.decode("utf-8", errors="replace")


def _f(id: str, text: str | bytes, fragment: str) -> Case:
    return Case(id, text.encode("utf-8") if isinstance(text, str) else text, fragment)


def _doc(overrides: str, head: str = "title: T\n") -> str:
    return head + "overrides:\n" + "".join(f"  {line}\n" for line in overrides.splitlines())


def _bomb(levels: int, width: int = 9) -> str:
    lines = ['a0: &a0 ["lol"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


HAND_WRITTEN = [
    # silent acceptance that changes results
    _f(
        "two_overrides_blocks",
        "overrides:\n  gas.russia.nord_stream_1.utilisation: 0\noverrides:\n  chips.leakage_share: 0.3\n",
        "appears twice",
    ),
    _f("duplicate_override_key", _doc("chips.leakage_share: 0.3\nchips.leakage_share: 0.4"), "appears twice"),
    _f("duplicate_title", "title: a\ntitle: b\noverrides:\n  " + OK, "appears twice"),
    _f(
        "duplicate_month_in_path",
        _doc('gas.russia.nord_stream_1.utilisation: {"2022-06": 0.4, "2022-06": 0.2}'),
        "appears twice",
    ),
    _f("overrides_list", "overrides: []\n", "must be a mapping"),
    _f("overrides_zero", "overrides: 0\n", "must be a mapping"),
    _f("overrides_null", "overrides: null\n", "null"),
    _f("overrides_bare", "title: x\noverrides:\n", "null"),
    _f("overrides_empty_map", "title: x\noverrides: {}\n", "empty"),
    _f("overrides_missing", "title: x\ndescription: y\n", "has no 'overrides'"),
    _f("overrides_text", "overrides: chips.leakage_share=0.3\n", "must be a mapping"),
    _f("baseline_with_overrides", "baseline: true\noverrides:\n  " + OK, "baseline: true"),
    _f("baseline_not_bool", "baseline: maybe\noverrides: {}\n", "true or false"),
    # tracebacks and floods
    _f("number_400_digits", _doc("chips.leakage_share: " + "9" * 400), "more than 24 characters"),
    _f("int_400_digits", _doc("gas.horizon_months: " + "1" * 400), "more than 24 characters"),
    _f("float_overflow", _doc("chips.leakage_share: 1.0e400"), "finite"),
    _f("nan", _doc("chips.leakage_share: .nan"), "NaN and infinite"),
    _f("inf", _doc("chips.leakage_share: .inf"), "NaN and infinite"),
    _f("minus_inf", _doc("gas.demand.scale: -.Inf"), "NaN and infinite"),
    _f("nan_string", _doc("chips.leakage_share: 'nan'"), "not a finite number"),
    _f("deep_flow_list", "overrides: " + "[" * 10_000 + "]" * 10_000 + "\n", "levels deep"),
    _f("deep_flow_map", "overrides: " + "{a: " * 5_000 + "1" + "}" * 5_000 + "\n", "levels deep"),
    _f(
        "deep_block_map",
        "overrides:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(40)) + "  " * 41 + "v: 1\n",
        "levels deep",
    ),
    _f("nul_byte", "title: a\x00b\noverrides:\n  " + OK, "NUL"),
    _f("nul_only", b"\x00" * 64, "NUL"),
    _f("binary_junk", bytes(range(256)) * 8, "NUL"),
    _f("png_header", b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" * 8, "NUL"),
    _f("latin1", "title: café\noverrides:\n  ".encode("latin-1") + OK.encode(), "not UTF-8"),
    _f("utf16", ("title: x\noverrides:\n  " + OK).encode("utf-16"), "NUL"),
    _f("control_char", "title: a\x07\noverrides:\n  " + OK, "control character"),
    _f("alias_bomb_412", _bomb(9), "aliases"),
    _f("alias_bomb_449", _bomb(10, 10), "aliases"),
    _f("alias_simple", "overrides:\n  chips.leakage_share: &x 0.3\n  chips.fdpr_reach: *x\n", "aliases"),
    _f("merge_key", "overrides:\n  <<: {chips.leakage_share: 0.3}\n", "merge keys"),
    _f("oversize", "title: x\n" + "#" * 300_000 + "\noverrides:\n  " + OK, "larger than 256 KiB"),
    _f("oversize_values", _doc("\n".join(f"chips.leakage_share_{i}: 0.3" for i in range(12_000))), "larger than"),
    _f("too_many_nodes", "overrides: [" + ",".join(["1"] * 30_000) + "]\n", "more than 20,000 values"),
    _f("long_key", _doc("x" * 5_000 + ": 1"), "longer than 1024"),
    _f("long_value", _doc("chips.leakage_share: " + "a" * 100_000), "characters of text"),
    _f("python_tag", _doc("chips.leakage_share: !!python/object/apply:os.system ['true']"), "tag"),
    _f("custom_tag", _doc("chips.leakage_share: !pct 30"), "tag"),
    _f("binary_tag", _doc("chips.leakage_share: !!binary AAAA"), "tag"),
    _f("set_tag", _doc("chips.leakage_share: !!set {a, b}"), "tag"),
    _f("complex_key", "overrides:\n  ? [a, b]\n  : 1\n", "a key must be a single value"),
    _f("two_documents", "overrides:\n  " + OK + "---\noverrides:\n  chips.leakage_share: 0.4\n", "more than one"),
    # structure
    _f("empty_file", "", "empty"),
    _f("only_comment", "# nothing\n", "empty"),
    _f("top_level_list", "- a\n- b\n", "got a list"),
    _f("top_level_scalar", "42\n", "got a number"),
    _f("top_level_text", "just some words\n", "got text"),
    _f("unknown_top_key", "overides:\n  " + OK, "did you mean 'overrides'"),
    _f("unknown_top_key_far", "parameters:\n  " + OK, "unknown top-level key"),
    _f("title_number", "title: 5\noverrides:\n  " + OK, "'title' must be text"),
    _f("description_list", "description: [a]\noverrides:\n  " + OK, "'description' must be text"),
    _f("unclosed_flow", _doc("chips.leakage_share: [0.3"), "malformed YAML"),
    _f("bad_indent", "overrides:\n  chips.leakage_share: 0.3\n    chips.fdpr_reach: 0.2\n", "malformed YAML"),
    _f("tab_indent", "overrides:\n\tchips.leakage_share: 0.3\n", "malformed YAML"),
    _f("unclosed_quote", _doc('chips.leakage_share: "0.3'), "malformed YAML"),
    # values
    _f("unknown_parameter", _doc("chips.leakage_shar: 0.3"), "did you mean 'chips.leakage_share'"),
    _f("unknown_parameter_far", _doc("nonsense.parameter: 1"), "unknown parameter"),
    _f("value_null", _doc("chips.leakage_share:"), "has no value"),
    _f("value_list", _doc("chips.leakage_share: [0.3, 0.4]"), "a list is not a value"),
    _f("hard_bound_high", _doc("chips.leakage_share: 5"), "outside the hard bounds"),
    _f("hard_bound_low", _doc("chips.leakage_share: -0.1"), "outside the hard bounds"),
    _f("slider_typed_5", _doc("swift.excluded_payment_share: 5"), "outside the hard bounds"),
    _f("int_not_whole", _doc("gas.horizon_months: 13.5"), "not a whole number"),
    _f("int_too_small", _doc("gas.horizon_months: 3"), "outside the hard bounds"),
    _f("bool_for_number", _doc("chips.leakage_share: true"), "boolean"),
    _f("text_for_number", _doc("chips.leakage_share: lots"), "not a number"),
    _f("text_for_bool", _doc("swift.energy_carve_out: perhaps"), "swift.energy_carve_out"),
    _f("bad_month", _doc("gas.start_month: 2022-13"), "gas.start_month"),
    _f("date_for_month", _doc("gas.start_month: 2022-03-01"), "gas.start_month"),
    _f("month_out_of_bounds", _doc("gas.start_month: 2040-01"), "outside the hard bounds"),
    # dated paths
    _f(
        "dated_path_nested",
        _doc('gas.russia.nord_stream_1.utilisation: {"2022-06": {"a": 1}}'),
        "dated path is one level",
    ),
    _f("dated_path_list_value", _doc('gas.russia.nord_stream_1.utilisation: {"2022-06": [0.4]}'), "single value"),
    _f("dated_path_null_value", _doc('gas.russia.nord_stream_1.utilisation: {"2022-06": null}'), "single value"),
    _f("dated_path_empty", _doc("gas.russia.nord_stream_1.utilisation: {}"), "empty dated path"),
    _f("dated_path_bad_month", _doc('gas.russia.nord_stream_1.utilisation: {"June": 0.4}'), "not a month"),
    _f("dated_path_out_of_bounds", _doc('gas.russia.nord_stream_1.utilisation: {"2022-06": 7}'), "hard bounds"),
    _f("dated_path_not_time_varying", _doc('gas.horizon_months: {"2022-06": 14}'), "not time-varying"),
    _f("dated_path_nan", _doc('gas.russia.nord_stream_1.utilisation: {"2022-06": .nan}'), "NaN"),
    _f("dated_path_outside_horizon", _doc('gas.russia.nord_stream_1.utilisation: {"2029-06": 0.4}'), "horizon"),
]

# Generated: bad values for parameters of each type, and bad structures at each place a value can sit.
_PARAMS = {
    "float": ("chips.leakage_share", "dollar.reserves_frozen_share", "swift.excluded_payment_share"),
    "int": ("gas.horizon_months",),
    "bool": ("swift.energy_carve_out", "gas.market.integrated"),
}
_BAD_NUMBERS = {
    "nan": (".NaN", "NaN"),
    "inf": (".inf", "NaN"),
    "huge": ("1" * 60, "characters"),
    "list": ("[1, 2]", "a list"),
    "nested": ("{a: {b: 1}}", "dated path"),
    "null": ("~", "no value"),
    "alias": ("*nothing", "aliases"),
    "negative": ("-1000", "hard bounds"),
}
_BAD_BOOLS = {
    "number": ("2", "swift"),
    "list": ("[true]", "a list"),
    "null": ("null", "no value"),
    "text": ("sometimes", "swift"),
}


def _generated() -> list[Case]:
    out = []
    for kind in ("float", "int"):
        for name in _PARAMS[kind]:
            for bad, (text, fragment) in _BAD_NUMBERS.items():
                out.append(_f(f"gen_{name}_{bad}", _doc(f"{name}: {text}"), fragment))
    for name in _PARAMS["bool"]:
        for bad, (text, fragment) in _BAD_BOOLS.items():
            out.append(_f(f"gen_{name}_{bad}", _doc(f"{name}: {text}"), fragment if fragment != "swift" else name))
    # a duplicated key at each level
    out.append(_f("gen_dup_top_description", "description: a\ndescription: b\noverrides:\n  " + OK, "appears twice"))
    for i in range(1, 6):
        lines = [f"chips.leakage_share: 0.{i}"] + [f"dollar.reserves_frozen_share: 0.{j}" for j in range(i)]
        lines.append(f"chips.leakage_share: 0.{i + 1}")
        out.append(_f(f"gen_dup_after_{i}", _doc("\n".join(lines)), "appears twice"))
    # every empty 'overrides' spelling
    for i, spelling in enumerate(("[]", "{}", "''", "0", "false", "null", "~", "[{}]")):
        out.append(_f(f"gen_empty_overrides_{i}", f"title: x\noverrides: {spelling}\n", "overrides"))
    # nesting depth just over the limit, in lists and mappings
    for depth in (9, 12, 50):
        out.append(_f(f"gen_depth_list_{depth}", "overrides: " + "[" * depth + "]" * depth + "\n", "levels deep"))
    return out


FILE_CASES: list[Case] = HAND_WRITTEN + _generated()


def _link(o: str | None = None, **fields: str) -> str:
    query = {"v": "1", "preset": "baseline", **fields}
    parts = [f"{k}={quote(v, safe='')}" for k, v in query.items()]
    if o is not None:
        parts.append("o=" + quote(o, safe=""))
    return "?" + "&".join(parts)


LINK_CASES: list[Case] = [
    _f("link_unknown_preset", _link(preset="nope"), "unknown preset"),
    _f("link_bad_version", _link(v="9"), "version"),
    _f("link_bad_json", _link("{bad"), "malformed YAML"),
    _f("link_not_mapping", _link("[1,2]"), "must be a mapping"),
    _f("link_empty_overrides", _link("{}"), "empty"),
    _f(
        "link_duplicate_key",
        "?v=1&preset=baseline&o=" + quote('{"chips.leakage_share":0.3,"chips.leakage_share":0.4}'),
        "appears twice",
    ),
    _f("link_unknown_parameter", _link(json.dumps({"chips.leakage_shar": 0.3})), "did you mean"),
    _f("link_out_of_hard_bounds", _link(json.dumps({"chips.leakage_share": 9})), "hard bounds"),
    _f("link_nan", _link('{"chips.leakage_share": .nan}'), "NaN"),
    _f("link_json_nan", _link('{"chips.leakage_share": NaN}'), "finite"),
    _f("link_huge_number", _link('{"chips.leakage_share": ' + "9" * 400 + "}"), "characters"),
    _f("link_nested", _link('{"chips.leakage_share": {"a": {"b": 1}}}'), "dated path"),
    _f("link_deep", _link("[" * 5000 + "]" * 5000), "longer than"),
    _f("link_deep_short", _link("[" * 100 + "]" * 100), "levels deep"),
    _f("link_alias", _link('{"a": &x 1, "b": *x}'), "aliases"),
    _f("link_nul", _link('{"chips.leakage_share": "\x00"}'), "NUL"),
    _f("link_repeated_preset", "?v=1&preset=baseline&preset=full_package", "appears 2 times"),
    _f("link_repeated_o", _link("{}") + "&o=%7B%7D", "appears 2 times"),
    _f("link_unknown_field", _link(x="1"), "unknown field"),
    _f("link_bad_encoding", "?v=1&preset=%ff%fe", "not a valid query"),
    _f("link_too_long", _link(json.dumps({"chips.leakage_share": "x" * 9000})), "longer than"),
    _f("link_bool_for_number", _link(json.dumps({"chips.leakage_share": True})), "boolean"),
    # a dated path on a parameter that is not time-varying (a path on a time-varying one loads: test_app_paths)
    _f("link_dated_path", _link(json.dumps({"gas.lng.other.extra_share": {"2022-06": 0.3}})), "not time-varying"),
    _f(
        "link_dated_outside_horizon",
        _link(json.dumps({"gas.russia.nord_stream_1.utilisation": {"2031-06": 0.4}})),
        "outside the horizon",
    ),
    _f("link_null_value", _link('{"chips.leakage_share": null}'), "no value"),
    _f("link_preset_traversal", _link(preset="../../etc/passwd"), "unknown preset"),
]
