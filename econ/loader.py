"""The one safe reader of scenario text: files, app uploads, share links and ``--set`` values.

Pure: text (or bytes) in, plain Python data (dicts, strings, numbers, booleans) and the line of each
override out, or a :class:`~econ.errors.ScenarioFileError` whose message is one bounded line naming
where, the line, the key and why. Nothing here knows the registry; ``econ.params`` validates the values.

What it refuses, whatever the source:

- more than :data:`MAX_BYTES` bytes, NUL bytes and other control characters, text that is not UTF-8;
- YAML aliases (``*name``: no alias bombs), merge keys (``<<``), tags other than the plain ones,
  more than one document, nesting deeper than :data:`MAX_DEPTH`, more than :data:`MAX_NODES` nodes;
- a key given twice in one mapping, at any level;
- numbers longer than :data:`MAX_NUMBER_CHARS` characters, NaN and infinities;
- a top level that is not a mapping; ``overrides`` that is not a mapping, or is missing, null or empty
  in a file that does not say ``baseline: true``; an override value that is neither a single value
  nor a dated path (a flat mapping of ``"YYYY-MM"`` or ``base`` to single values).
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.events import AliasEvent

from .errors import ScenarioFileError

MAX_BYTES = 256 * 1024
MAX_DEPTH = 8  # a scenario needs 3: the top level, overrides, a dated path
MAX_NODES = 20_000  # the registry has ~100 parameters; a dated path a few dozen months
MAX_NUMBER_CHARS = 24
MAX_MESSAGE_CHARS = 300
MAX_TEXT_VALUE_CHARS = 100  # a value is a number, true/false or a month: never a long text
TOP_LEVEL_KEYS = ("title", "description", "overrides", "baseline")

_TAG = "tag:yaml.org,2002:"
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WS_RE = re.compile(r"\s+")


def short(value: Any, limit: int = 60) -> str:
    """``repr`` of a value, shortened: messages stay one readable line."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def one_line(message: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """A message on one line of at most ``limit`` characters."""
    text = _WS_RE.sub(" ", str(message)).strip()
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _error(where: str, message: str, line: int | None = None) -> ScenarioFileError:
    prefix = f"{where}: " if where else ""
    at = f"line {line}: " if line else ""
    return ScenarioFileError(one_line(prefix + at + message))


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


# ---------------------------------------------------------------- text


def decode(data: str | bytes, where: str, max_bytes: int = MAX_BYTES) -> str:
    """Checked text: at most ``max_bytes`` bytes of UTF-8 with no NUL or other control character."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        raw = bytes(data)
        if len(raw) > max_bytes:
            raise _error(where, f"the file is larger than {max_bytes // 1024} KiB ({len(raw):,} bytes)")
        if b"\x00" in raw:
            at = raw.index(0) + 1
            raise _error(where, f"holds a NUL byte at byte {at}: not a text file")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _error(where, f"not UTF-8 text (byte {exc.start + 1} is 0x{raw[exc.start]:02x})") from None
    else:
        text = str(data)
        if len(text) > max_bytes:
            raise _error(where, f"the file is larger than {max_bytes // 1024} KiB")
        try:
            size = len(text.encode("utf-8"))
        except UnicodeEncodeError:
            raise _error(where, "not valid Unicode text (a lone surrogate)") from None
        if size > max_bytes:
            raise _error(where, f"the file is larger than {max_bytes // 1024} KiB ({size:,} bytes)")
    text = text.removeprefix("\ufeff")
    bad = _CONTROL_RE.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        what = "a NUL byte" if bad.group() == "\x00" else f"control character U+{ord(bad.group()):04X}"
        raise _error(where, f"column {column}: holds {what}: not a text file", line)
    return text


# ---------------------------------------------------------------- YAML


class _Refused(Exception):
    def __init__(self, mark: Any, message: str):
        super().__init__(message)
        self.line = mark.line + 1 if mark is not None else None
        self.message = message


class SafeComposer(yaml.SafeLoader):
    """PyYAML's safe loader, composing nodes only, with aliases refused and depth and size bounded.

    The scanner and parser are iterative; only the composer recurses, and it stops at MAX_DEPTH.
    """

    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise _Refused(event.start_mark, f"YAML aliases (*{event.anchor}) are not allowed: write the value out")
        self._depth += 1
        self._nodes += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(self.peek_event().start_mark, f"nested more than {MAX_DEPTH} levels deep")
            if self._nodes > MAX_NODES:
                raise _Refused(self.peek_event().start_mark, f"more than {MAX_NODES:,} values")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_CONSTRUCTOR = yaml.SafeLoader("")  # for its scalar constructors only (ints in every YAML 1.1 notation)


def _scalar(node: yaml.ScalarNode) -> Any:
    tag, text = node.tag, node.value
    if tag == _TAG + "str":
        return text
    if tag == _TAG + "null":
        return None
    if tag == _TAG + "bool":
        try:
            return _CONSTRUCTOR.construct_yaml_bool(node)
        except (KeyError, yaml.YAMLError):
            raise _Refused(node.start_mark, f"{short(text)} is not a boolean") from None
    if tag in (_TAG + "int", _TAG + "float"):
        if len(text) > MAX_NUMBER_CHARS:
            raise _Refused(node.start_mark, f"the number {short(text, 40)} has more than {MAX_NUMBER_CHARS} characters")
        try:
            value = (_CONSTRUCTOR.construct_yaml_int if tag.endswith("int") else _CONSTRUCTOR.construct_yaml_float)(
                node
            )
        except (ValueError, TypeError, OverflowError, yaml.YAMLError):
            raise _Refused(node.start_mark, f"{short(text)} is not a number") from None
        if isinstance(value, float) and not math.isfinite(value):
            raise _Refused(node.start_mark, f"{short(text)}: NaN and infinite numbers are not allowed")
        return value
    if tag == _TAG + "timestamp":
        return text  # a date stays text: a month is "YYYY-MM", and params says so
    if tag == _TAG + "merge":
        raise _Refused(node.start_mark, "YAML merge keys (<<) are not allowed: write the keys out")
    raise _Refused(node.start_mark, f"the YAML tag {short(tag, 40)} is not allowed")


def _build(node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node)
    if isinstance(node, yaml.SequenceNode):
        if node.tag != _TAG + "seq":
            raise _Refused(node.start_mark, f"the YAML tag {short(node.tag, 40)} is not allowed")
        return [_build(child) for child in node.value]
    if node.tag != _TAG + "map":
        raise _Refused(node.start_mark, f"the YAML tag {short(node.tag, 40)} is not allowed")
    out: dict[Any, Any] = {}
    first_line: dict[Any, int] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise _Refused(key_node.start_mark, "a key must be a single value, not a list or mapping")
        key = _scalar(key_node)
        line = key_node.start_mark.line + 1
        try:
            seen = key in first_line
        except TypeError:  # pragma: no cover - scalars are hashable
            seen = False
        if seen:
            raise _Refused(
                key_node.start_mark,
                f"key {short(key)} appears twice (first on line {first_line[key]}); give each key once",
            )
        first_line[key] = line
        out[key] = _build(value_node)
    return out


def _compose(text: str, where: str) -> yaml.Node | None:
    loader = None
    try:
        loader = SafeComposer(text)  # the reader checks the characters here
        return loader.get_single_node()
    except _Refused as exc:
        raise _error(where, exc.message, exc.line) from None
    except yaml.composer.ComposerError as exc:
        if exc.context == "expected a single document in the stream":
            line = exc.problem_mark.line + 1 if exc.problem_mark else None
            raise _error(where, "holds more than one YAML document (a second '---'); give one", line) from None
        raise _marked(exc, where) from None
    except yaml.MarkedYAMLError as exc:
        raise _marked(exc, where) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise _error(where, f"holds character U+{exc.character:04X}, which YAML does not allow", line) from None
    except yaml.YAMLError as exc:
        raise _error(where, f"malformed YAML: {exc}") from None
    except RecursionError:  # pragma: no cover - MAX_DEPTH stops the composer long before
        raise _error(where, f"nested more than {MAX_DEPTH} levels deep") from None
    finally:
        if loader is not None:
            loader.dispose()


def _marked(exc: yaml.MarkedYAMLError, where: str) -> ScenarioFileError:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "malformed YAML"
    if mark is None:
        return _error(where, f"malformed YAML: {problem}")
    if problem == "mapping values are not allowed here" and mark.column >= 1024:
        problem = "a key longer than 1024 characters"
    return _error(where, f"column {mark.column + 1}: malformed YAML: {problem}", mark.line + 1)


def load_yaml(data: str | bytes, where: str, max_bytes: int = MAX_BYTES) -> tuple[Any, yaml.Node | None]:
    """Plain data and its node tree from checked YAML text (None and None for an empty document)."""
    text = decode(data, where, max_bytes)
    node = _compose(text, where)
    if node is None:
        return None, None
    try:
        return _build(node), node
    except _Refused as exc:
        raise _error(where, exc.message, exc.line) from None


# ---------------------------------------------------------------- scenarios


@dataclass(frozen=True)
class ParsedScenario:
    """A scenario file's plain content: title, description, overrides and the line of each override."""

    title: str | None
    description: str | None
    overrides: dict[str, Any]
    lines: dict[str, int] = field(default_factory=dict)
    baseline: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"title": self.title, "description": self.description, "overrides": self.overrides}


def _value_lines(node: yaml.Node | None, key: str) -> tuple[int | None, dict[Any, int]]:
    """The line of top-level ``key`` and of each key of its mapping."""
    if not isinstance(node, yaml.MappingNode):
        return None, {}
    for key_node, value_node in node.value:
        if getattr(key_node, "value", None) == key:
            inner = {}
            if isinstance(value_node, yaml.MappingNode):
                for k, _ in value_node.value:
                    inner[_scalar(k)] = k.start_mark.line + 1
            return key_node.start_mark.line + 1, inner
    return None, {}


def check_override_value(name: Any, value: Any, where: str, line: int | None = None) -> None:
    """An override's value is a single value or a dated path: a flat mapping of month (or ``base``) to
    single values. Raises ScenarioFileError otherwise."""
    label = f"parameter {short(name)}"
    if value is None:
        raise _error(where, f"{label} has no value; give one, or remove the line", line)
    if isinstance(value, list):
        raise _error(
            where,
            f"{label}: a list is not a value; give a single value, or a dated path such as "
            '{"2022-06": 0.4, "2022-09": 0}',
            line,
        )
    if isinstance(value, str) and len(value) > MAX_TEXT_VALUE_CHARS:
        raise _error(
            where,
            f"{label}: the value is {len(value):,} characters of text; give a number, true/false or a YYYY-MM month",
            line,
        )
    if isinstance(value, dict):
        if not value:
            raise _error(where, f'{label}: an empty dated path; give at least one month, e.g. {{"2022-06": 0.4}}', line)
        for month, step in value.items():
            if isinstance(step, str) and len(step) > MAX_TEXT_VALUE_CHARS:
                raise _error(
                    where, f"{label}: under {short(month)} the value is {len(step):,} characters of text", line
                )
            if step is None or isinstance(step, (list, dict)):
                raise _error(
                    where,
                    f"{label}: under {short(month)} a dated path needs a single value, got {_kind(step)} "
                    "(a dated path is one level: month to value)",
                    line,
                )


def parse_scenario(data: str | bytes, where: str) -> ParsedScenario:
    """A scenario file's content, checked for structure (not against the registry)."""
    doc, node = load_yaml(data, where)
    if doc is None:
        raise _error(where, "the file is empty; expected keys title, description, overrides")
    if not isinstance(doc, dict):
        raise _error(
            where, f"expected a mapping with keys title, description, overrides at the top level; got {_kind(doc)}"
        )
    for key in doc:
        if key not in TOP_LEVEL_KEYS:
            hint = difflib.get_close_matches(str(key), TOP_LEVEL_KEYS, n=1)
            tip = f"; did you mean '{hint[0]}'?" if hint else ""
            line, _ = _value_lines(node, key) if isinstance(key, str) else (None, {})
            raise _error(
                where,
                f"unknown top-level key {short(key)}{tip}; allowed: {', '.join(TOP_LEVEL_KEYS)}",
                line,
            )
    for key in ("title", "description"):
        if doc.get(key) is not None and not isinstance(doc[key], str):
            raise _error(where, f"'{key}' must be text, got {_kind(doc[key])}", _value_lines(node, key)[0])
    baseline = doc.get("baseline", False)
    if not isinstance(baseline, bool):
        raise _error(
            where, f"'baseline' must be true or false, got {short(baseline)}", _value_lines(node, "baseline")[0]
        )
    line, lines = _value_lines(node, "overrides")
    overrides = doc.get("overrides")
    if overrides is None or overrides == {}:
        if not baseline:
            what = (
                "has no 'overrides'"
                if "overrides" not in doc
                else f"'overrides' is {'null' if overrides is None else 'empty'}"
            )
            raise _error(
                where,
                f"{what}: list the parameters to change under 'overrides:' (see `econ params`), "
                "or write 'baseline: true' for a file that runs every registry default",
                line,
            )
        overrides = {}
    elif not isinstance(overrides, dict):
        raise _error(where, f"'overrides' must be a mapping of parameter name to value, got {_kind(overrides)}", line)
    elif baseline:
        raise _error(
            where, f"the file says 'baseline: true' but has {len(overrides)} override(s); remove one or the other", line
        )
    for name, value in overrides.items():
        check_override_value(name, value, where, lines.get(name))
    clean_lines = {str(k): v for k, v in lines.items()}
    return ParsedScenario(doc.get("title"), doc.get("description"), overrides, clean_lines, baseline)


def parse_overrides(data: str | bytes, where: str, max_bytes: int = 16 * 1024) -> dict[str, Any]:
    """A mapping of parameter to value written inline (a share link's overrides), checked for structure."""
    doc, _ = load_yaml(data, where, max_bytes)
    if not isinstance(doc, dict):
        raise _error(where, f"the overrides must be a mapping of parameter to value, got {_kind(doc)}")
    if not doc:
        raise _error(where, "the overrides are empty; leave them out for the preset as it is")
    for name, value in doc.items():
        check_override_value(name, value, where)
    return doc


def parse_value(text: str, name: str, where: str, max_bytes: int = 16 * 1024) -> Any:
    """One override's value written inline (``--set KEY=VALUE``): a single value, or a dated path as a
    flow mapping such as ``{"2022-06": 0.4, "2022-09": 0}``."""
    if not str(text).strip():
        raise _error(where, "no value after '='")
    doc, _ = load_yaml(text, where, max_bytes)
    check_override_value(name, doc, where)
    return doc
