"""The assumptions registry, scenarios and their validation.

``assumptions/parameters.csv`` is the one list of parameters. It drives the
validation of every scenario and override, the app's controls, ``econ params``
and the uncertainty analysis. A scenario (a preset YAML file or a user file)
holds only overrides of the registry defaults.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from . import loader
from .errors import ParameterError, ScenarioFileError
from .paths import presets_dir, registry_path
from .time import DatedPath, horizon_of, month_index

ParamType = Literal["float", "int", "bool", "month"]
Distribution = Literal["uniform", "triang", "pert", "fixed"]
Value = float | int | bool | str

REGISTRY_COLUMNS = (
    "name",
    "module",
    "type",
    "value",
    "unit",
    "min",
    "max",
    "low",
    "high",
    "time_varying",
    "distribution",
    "label",
    "description",
    "source",
    "source_url",
    "group",
    "advanced",
)
_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}
MAX_SCENARIO_BYTES = loader.MAX_BYTES


def _parse_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, (int, float)) and raw in (0, 1):
        return bool(raw)
    text = str(raw).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"{raw!r} is not true or false")


class ParameterSpec(BaseModel):
    """One row of the registry."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    module: str
    type: ParamType
    value: Value
    unit: str
    min: Value | None  # hard bounds: outside them a value is an error (None: no bound)
    max: Value | None
    low: Value  # plausible range: slider range and Monte Carlo support; outside it a value runs with a warning
    high: Value
    time_varying: bool
    distribution: Distribution
    label: str
    description: str
    source: str
    source_url: str
    group: str
    advanced: bool

    @field_validator("name")
    @classmethod
    def _dotted(cls, v: str) -> str:
        if not _NAME_RE.match(v):
            raise ValueError(f"name {v!r} must be dotted lower-case, e.g. gas.lng.qatar.divertible_share")
        return v

    @field_validator("unit", "label", "description", "source", "group", "module")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("must not be blank")
        return v

    @field_validator("advanced", "time_varying", mode="before")
    @classmethod
    def _flag(cls, v: Any) -> bool:
        return _parse_bool(v)

    @model_validator(mode="before")
    @classmethod
    def _coerce_values(cls, row: Any) -> Any:
        if not isinstance(row, dict):
            return row
        row = dict(row)
        kind = row.get("type")
        for key in ("value", "low", "high"):
            if key in row:
                row[key] = _coerce(kind, row[key])
        for key in ("min", "max"):
            if key in row:
                row[key] = None if str(row[key]).strip() == "" else _coerce(kind, row[key])
        return row

    @model_validator(mode="after")
    def _range(self) -> ParameterSpec:
        lo, hi, v = self._ordered(self.low), self._ordered(self.high), self._ordered(self.value)
        if not lo <= hi:
            raise ValueError(f"low {self.low} is above high {self.high}")
        if not lo <= v <= hi:
            raise ValueError(f"default {self.value} is outside the plausible range [{self.low}, {self.high}]")
        if not self._hard_lo <= lo or not hi <= self._hard_hi:
            raise ValueError(
                f"plausible range [{self.low}, {self.high}] is not inside the hard bounds {self.hard_range_text}"
            )
        if self.type in ("bool", "month") and self.distribution not in ("fixed", "uniform"):
            raise ValueError(f"a {self.type} parameter can only have distribution fixed or uniform")
        return self

    def _ordered(self, v: Value) -> float:
        if self.type == "month":
            return float(month_index(str(v)))
        return float(v)

    @property
    def _hard_lo(self) -> float:
        return -math.inf if self.min is None else self._ordered(self.min)

    @property
    def _hard_hi(self) -> float:
        return math.inf if self.max is None else self._ordered(self.max)

    @property
    def range_text(self) -> str:
        """The plausible range with its unit."""
        return f"[{self.low}, {self.high}] {self.unit}"

    @property
    def hard_range_text(self) -> str:
        lo = "-inf" if self.min is None else self.min
        hi = "inf" if self.max is None else self.max
        return f"[{lo}, {hi}] {self.unit}"

    @property
    def is_numeric(self) -> bool:
        return self.type in ("float", "int")

    def validate(self, raw: Any, where: str = "") -> Value | DatedPath:  # type: ignore[override]
        """Coerce ``raw`` to this parameter's type (or, if time-varying, a dated path of it) and check it
        against the hard bounds.

        Raises ParameterError naming where, the key, the value (and month), the allowed range and the
        unit. Values are never clipped. A value outside the plausible range is accepted: see
        :meth:`plausibility_warning`.
        """
        if isinstance(raw, DatedPath):
            raw = raw.to_mapping()
        if isinstance(raw, Mapping):
            return self._validate_path(raw, where)
        return self._validate_scalar(raw, where)

    def _validate_scalar(self, raw: Any, where: str, month: str = "") -> Value:
        prefix = f"{where}: " if where else ""
        at = f" in {month}" if month else ""
        try:
            value = _coerce(self.type, raw, strict=True)
        except (TypeError, ValueError) as exc:
            raise ParameterError(
                f"{prefix}parameter '{self.name}'{at}: {exc}; expected a {self.type} in {self.hard_range_text}"
            ) from None
        if not self._hard_lo <= self._ordered(value) <= self._hard_hi:
            raise ParameterError(
                f"{prefix}parameter '{self.name}'{at}: value {loader.short(raw)} is outside the hard bounds "
                f"{self.hard_range_text}"
            )
        return value

    def _validate_path(self, raw: Mapping[Any, Any], where: str) -> DatedPath:
        prefix = f"{where}: " if where else ""
        if not self.time_varying:
            raise ParameterError(
                f"{prefix}parameter '{self.name}' is not time-varying: give one {self.type} in "
                f"{self.hard_range_text}, not a dated path"
            )
        base = self.value
        steps: list[tuple[int, str, Value]] = []
        for key, val in raw.items():
            if key == "base":
                base = self._validate_scalar(val, where, "base")
                continue
            if not isinstance(key, str):
                raise ParameterError(
                    f"{prefix}parameter '{self.name}': dated path key {loader.short(key)} is not a month; "
                    'write months as quoted "YYYY-MM" strings, e.g. {"2022-06": 0.4}'
                )
            try:
                index = month_index(key.strip())
            except ValueError:
                raise ParameterError(
                    f"{prefix}parameter '{self.name}': dated path key {loader.short(key)} is not a month of the form "
                    "YYYY-MM (or 'base' for the value before the first step)"
                ) from None
            steps.append((index, key.strip(), self._validate_scalar(val, where, key.strip())))
        if not steps:
            raise ParameterError(
                f"{prefix}parameter '{self.name}': a dated path needs at least one month, e.g. {{\"2022-06\": 0.4}}"
            )
        steps.sort()
        seen = [i for i, _, _ in steps]
        if len(set(seen)) != len(seen):
            raise ParameterError(f"{prefix}parameter '{self.name}': a month appears twice in the dated path")
        return DatedPath(base, tuple((m, v) for _, m, v in steps))

    def plausibility_warning(self, value: Value | DatedPath) -> str | None:
        """A warning when a (hard-valid) value lies outside the plausible range, naming the key, the value,
        the range and its source; None when it lies inside."""
        if not self.is_numeric:
            return None
        if isinstance(value, DatedPath):
            values = [("base", value.base)] + list(value.steps)
        else:
            values = [("", value)]
        outside = [(m, v) for m, v in values if not self.low <= v <= self.high]
        if not outside:
            return None
        shown = ", ".join(f"{v:g} in {m}" if m and m != "base" else f"{v:g}" for m, v in outside)
        return (
            f"parameter '{self.name}': {shown} is outside the plausible range {self.range_text} "
            f"(source: {self.source}); it runs as a stress test"
        )


def _coerce(kind: str | None, raw: Any, strict: bool = False) -> Value:
    if kind == "bool":
        return _parse_bool(raw)
    if kind == "month":
        text = str(raw).strip()
        month_index(text)
        return text
    if isinstance(raw, bool):
        raise TypeError(f"value {raw!r} is a boolean, not a number")
    if kind == "int":
        if isinstance(raw, float) and not raw.is_integer():
            raise ValueError(f"value {raw!r} is not a whole number")
        if isinstance(raw, str):
            text = raw.strip()
            try:
                num = float(text)
            except ValueError:
                raise ValueError(f"value {raw!r} is not a number") from None
            if not num.is_integer():
                raise ValueError(f"value {raw!r} is not a whole number")
            return int(num)
        if not isinstance(raw, (int, float)):
            raise TypeError(f"value {raw!r} is not a number")
        return int(raw)
    if kind == "float":
        if isinstance(raw, str):
            try:
                num = float(raw.strip())
            except ValueError:
                raise ValueError(f"value {raw!r} is not a number") from None
        elif isinstance(raw, (int, float)):
            num = float(raw)
        else:
            raise TypeError(f"value {raw!r} is not a number")
        if not math.isfinite(num):
            raise ValueError(f"value {raw!r} is not a finite number")
        return num
    if strict:
        raise ValueError(f"unknown parameter type {kind!r}")
    return raw


@dataclass(frozen=True, eq=False)
class Registry:
    """All parameters, in file order, with the file's hash for manifests."""

    specs: Mapping[str, ParameterSpec]
    path: Path
    sha256: str

    def __getitem__(self, name: str) -> ParameterSpec:
        return self.spec(name)

    def __iter__(self) -> Iterator[ParameterSpec]:
        return iter(self.specs.values())

    def __len__(self) -> int:
        return len(self.specs)

    def spec(self, name: str, where: str = "") -> ParameterSpec:
        try:
            return self.specs[name]
        except KeyError:
            raise ParameterError(self.unknown_message(name, where)) from None

    def unknown_message(self, name: Any, where: str = "") -> str:
        prefix = f"{where}: " if where else ""
        close = difflib.get_close_matches(str(name), list(self.specs), n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else "; run `econ params` for the list"
        return f"{prefix}unknown parameter '{name}'{hint}"

    def defaults(self) -> dict[str, Value]:
        return {s.name: s.value for s in self.specs.values()}

    def validate_overrides(
        self, overrides: Mapping[str, Any], where: str = "", lines: Mapping[str, int] | None = None
    ) -> dict[str, Value | DatedPath]:
        clean: dict[str, Value | DatedPath] = {}
        for key, raw in overrides.items():
            loc = where
            if lines and key in lines:
                loc = f"{where}: line {lines[key]}" if where else f"line {lines[key]}"
            if not isinstance(key, str):
                raise ParameterError(self.unknown_message(key, loc))
            clean[key] = self.spec(key, loc).validate(raw, loc)
        return clean

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame([s.model_dump() for s in self.specs.values()], columns=list(REGISTRY_COLUMNS))


def _file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@lru_cache(maxsize=8)
def _load_registry_cached(path: Path, mtime_ns: int) -> Registry:
    del mtime_ns  # part of the cache key only: an edited file is read again
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        header = tuple(reader.fieldnames or ())
        missing = [c for c in REGISTRY_COLUMNS if c not in header]
        if missing:
            raise ParameterError(
                f"{path}: missing column(s) {', '.join(missing)}; expected {', '.join(REGISTRY_COLUMNS)}"
            )
        specs: dict[str, ParameterSpec] = {}
        for lineno, row in enumerate(reader, start=2):
            row = {k: (v or "").strip() for k, v in row.items() if k in REGISTRY_COLUMNS}
            try:
                spec = ParameterSpec.model_validate(row)
            except ValidationError as exc:
                err = exc.errors()[0]
                field_name = ".".join(str(p) for p in err.get("loc", ())) or "row"
                raise ParameterError(
                    f"{path}: line {lineno}: parameter '{row.get('name', '?')}': column {field_name}: {err['msg']}"
                ) from None
            if spec.name in specs:
                raise ParameterError(f"{path}: line {lineno}: parameter '{spec.name}' is listed twice")
            specs[spec.name] = spec
    if not specs:
        raise ParameterError(f"{path}: the registry has no parameters")
    return Registry(MappingProxyType(specs), path, _file_sha256(path))


def load_registry(path: str | Path | None = None) -> Registry:
    p = Path(path) if path is not None else registry_path()
    if not p.is_file():
        raise ParameterError(f"{p}: registry file not found")
    return _load_registry_cached(p.resolve(), p.stat().st_mtime_ns)


class Params(Mapping[str, Value]):
    """Validated, read-only parameter values of one scenario (defaults + overrides).

    A time-varying parameter's value is a scalar or a :class:`~econ.time.DatedPath`; models read it as a
    monthly array with ``path(name, months)`` (a scalar is a constant path), never with ``float``.
    ``defaults`` are the registry's defaults, for models that measure against a reference (gas), so that
    no model reads the registry itself.
    """

    __slots__ = ("_values", "_defaults")

    def __init__(self, values: Mapping[str, Value | DatedPath], defaults: Mapping[str, Value] | None = None):
        self._values = MappingProxyType(dict(values))
        self._defaults = defaults

    def __getitem__(self, name: str) -> Value | DatedPath:  # type: ignore[override]
        try:
            return self._values[name]
        except KeyError:
            raise ParameterError(f"unknown parameter '{name}'") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Params({len(self)} values)"

    @property
    def defaults(self) -> Mapping[str, Value]:
        """The registry's default of every parameter."""
        if self._defaults is None:
            self._defaults = MappingProxyType(load_registry().defaults())
        return self._defaults

    def float(self, name: str) -> float:
        value = self[name]
        if isinstance(value, DatedPath):
            raise ParameterError(f"parameter '{name}' is a dated path: read it as a monthly array with path()")
        return float(value)

    def path(self, name: str, months: Sequence[str]) -> np.ndarray:
        """The parameter in each of ``months``, shape (T,), as floats (booleans as 0/1)."""
        value = self[name]
        if isinstance(value, DatedPath):
            return np.array(value.values_at(months), dtype=float)
        return np.full(len(months), float(value))

    def with_values(self, changes: Mapping[str, Value | DatedPath]) -> Params:
        merged = dict(self._values)
        merged.update(changes)
        return Params(merged, self._defaults)


class ParamBatch:
    """``n`` parameter sets evaluated at once: the base values, with some parameters given one value per set.

    ``float(name)`` is an array of shape (n,); ``path(name, months)`` one of shape (n, T). A drawn value of
    a time-varying parameter replaces the scalar part of its path (the value before the first dated step);
    the dated steps are scenario structure and stay as written. ``batch[name]`` is a single value and is
    meant for the structural parameters (months, switches, the horizon) that fix the shape of the model:
    it raises if that parameter differs across the batch (evaluate such sets in separate batches).
    """

    __slots__ = ("base", "columns", "n")

    def __init__(self, base: Params, columns: Mapping[str, Any] | None = None, n: int | None = None):
        self.base = base
        self.columns = {k: np.asarray(v) for k, v in (columns or {}).items()}
        sizes = {len(v) for v in self.columns.values()}
        if n is None:
            if len(sizes) != 1:
                raise ParameterError("a parameter batch needs n, or columns of one common length")
            n = sizes.pop()
        elif sizes - {n}:
            raise ParameterError(f"every column of a parameter batch must have {n} values, got lengths {sorted(sizes)}")
        for name in self.columns:
            base[name]  # unknown names fail here, with the registry's message
        self.n = int(n)

    @classmethod
    def single(cls, params: Params) -> ParamBatch:
        return cls(params, {}, 1)

    def __getitem__(self, name: str) -> Value | DatedPath:
        if name not in self.columns:
            return self.base[name]
        values = self.columns[name]
        if (values != values[0]).any():
            raise ParameterError(
                f"parameter '{name}' differs across the batch; it fixes the model's shape, so "
                "sets with different values must be evaluated in separate batches"
            )
        return values[0].item()

    def float(self, name: str) -> np.ndarray:
        if name in self.columns and not isinstance(self.base[name], DatedPath):
            return self.columns[name].astype(float)
        return np.full(self.n, self.base.float(name))  # raises for a dated path: read it with path()

    def is_dated(self, *names: str) -> bool:
        """Whether any of ``names`` is a dated path (else each is the same in every month)."""
        return any(isinstance(self.base[name], DatedPath) for name in names)

    def path(self, name: str, months: Sequence[str]) -> np.ndarray:
        """Each set's monthly values, shape (n, T)."""
        value = self.base[name]
        if name not in self.columns:
            return np.broadcast_to(self.base.path(name, months), (self.n, len(months)))
        drawn = self.columns[name].astype(float)[:, None]
        if not isinstance(value, DatedPath):
            return np.broadcast_to(drawn, (self.n, len(months)))
        first_step = month_index(value.steps[0][0])
        before = np.array([month_index(m) < first_step for m in months])
        steps = np.array(value.values_at(months), dtype=float)
        return np.where(before[None, :], drawn, steps[None, :])

    def varies(self, prefix: str) -> bool:
        """Whether any parameter whose name starts with ``prefix`` is given per set."""
        return any(k.startswith(prefix) for k in self.columns)

    def params(self, i: int) -> Params:
        """The i-th parameter set (a drawn value of a dated path replaces its scalar part)."""
        changes: dict[str, Value | DatedPath] = {}
        for k, v in self.columns.items():
            current = self.base[k]
            changes[k] = current.with_base(v[i].item()) if isinstance(current, DatedPath) else v[i].item()
        return self.base.with_values(changes)


@dataclass(frozen=True)
class Scenario:
    """A named set of overrides of the registry defaults (scalars, or dated paths for time-varying parameters).

    Every value is checked against its parameter's hard bounds (an error); a value outside the plausible
    range is kept and listed in ``warnings``. Every month of a dated path must lie in the scenario's horizon.
    """

    name: str
    title: str
    description: str
    overrides: Mapping[str, Value | DatedPath] = field(default_factory=dict)
    origin: str = "api"
    registry: Registry = field(default_factory=load_registry, repr=False, compare=False)

    def __post_init__(self) -> None:
        where = self.origin if self.origin != "api" else ""
        clean = self.registry.validate_overrides(self.overrides, where=where)
        object.__setattr__(self, "overrides", MappingProxyType(clean))
        self._check_path_months(where)

    def _check_path_months(self, where: str) -> None:
        paths = {k: v for k, v in self.overrides.items() if isinstance(v, DatedPath)}
        if not paths:
            return
        params = self.params
        months, _ = horizon_of(params)
        first, last = month_index(months[0]), month_index(months[-1])
        prefix = f"{where}: " if where else ""
        for key, path in paths.items():
            for month, _ in path.steps:
                if not first <= month_index(month) <= last:
                    raise ParameterError(
                        f"{prefix}parameter '{key}': month {month} is outside the horizon {months[0]} to "
                        f"{months[-1]} (set by gas.start_month and gas.horizon_months)"
                    )

    def with_overrides(self, overrides: Mapping[str, Any], name: str | None = None) -> Scenario:
        """A new scenario with ``overrides`` applied on top of this one's.

        A dated path without a ``base`` keeps this scenario's scalar value (or its path's base) for the
        months before its first step; a scalar replaces a path whole.
        """
        clean = self.registry.validate_overrides(overrides)
        for key, value in clean.items():
            raw = overrides[key]
            if (
                isinstance(value, DatedPath)
                and isinstance(raw, Mapping)
                and "base" not in raw
                and key in self.overrides
            ):
                current = self.overrides[key]
                clean[key] = value.with_base(current.base if isinstance(current, DatedPath) else current)
        merged = {**self.overrides, **clean}
        return Scenario(
            name=name or self.name,
            title=self.title,
            description=self.description,
            overrides=merged,
            origin="api",
            registry=self.registry,
        )

    @property
    def params(self) -> Params:
        defaults = self.registry.defaults()
        return Params({**defaults, **self.overrides}, MappingProxyType(defaults))

    @property
    def warnings(self) -> list[str]:
        """One line for each override outside its plausible range (it runs; it is a stress test)."""
        out = []
        for key, value in self.overrides.items():
            msg = self.registry[key].plausibility_warning(value)
            if msg:
                out.append(msg)
        return out

    def overrides_plain(self) -> dict[str, Any]:
        """The overrides as plain data (a dated path as its mapping), as a scenario file writes them."""
        return {
            k: v.to_mapping(default=self.registry[k].value) if isinstance(v, DatedPath) else v
            for k, v in self.overrides.items()
        }

    def to_yaml(self) -> str:
        doc: dict[str, Any] = {"title": self.title, "description": self.description}
        if not self.overrides:
            doc["baseline"] = True  # the loader refuses empty overrides unless a file says it is the baseline
        doc["overrides"] = self.overrides_plain()
        return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)

    def digest(self) -> str:
        """Hash of the parameter values and the registry: the cache key of a run."""
        items = sorted((k, repr(v)) for k, v in self.params.items())
        h = hashlib.sha256(self.registry.sha256.encode())
        h.update(repr(items).encode())
        return h.hexdigest()


_LineLoader = loader.SafeComposer  # the one safe YAML reader (econ.loader); kept under its old name


def _parse_scenario_text(text: str | bytes, where: str) -> tuple[dict[str, Any], dict[str, int]]:
    """A scenario file's content and the line of each override, through the safe loader (econ.loader)."""
    parsed = loader.parse_scenario(text, where)
    return parsed.as_dict(), parsed.lines


def scenario_from_text(text: str | bytes, name: str, where: str, registry: Registry | None = None) -> Scenario:
    """A scenario from a file's text (or bytes): structure checked by econ.loader, values by the registry."""
    registry = registry or load_registry()
    data, lines = _parse_scenario_text(text, where)
    title = data["title"] or name
    description = data["description"] or ""
    try:
        clean = registry.validate_overrides(data["overrides"], where=where, lines=lines)
        return Scenario(
            name=name, title=title, description=description, overrides=clean, origin=where, registry=registry
        )
    except ParameterError as exc:  # one bounded line, whatever the value quoted
        raise ParameterError(loader.one_line(str(exc))) from None


def list_presets() -> list[str]:
    """Names of the preset scenarios shipped in assumptions/scenarios/."""
    return sorted(p.stem for p in presets_dir().glob("*.yaml"))


def load_scenario(name_or_path: str | Path | Scenario) -> Scenario:
    """A preset by name, or a scenario YAML file by path."""
    if isinstance(name_or_path, Scenario):
        return name_or_path
    text_id = str(name_or_path)
    candidate = Path(text_id)
    if candidate.suffix.lower() in (".yaml", ".yml") or candidate.exists():
        path = candidate
        name = candidate.stem
    else:
        path = presets_dir() / f"{text_id}.yaml"
        name = text_id
        if not path.is_file():
            close = difflib.get_close_matches(text_id, list_presets(), n=1, cutoff=0.5)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise ScenarioFileError(
                f"unknown preset '{text_id}'{hint}; presets: {', '.join(list_presets())}; or give a path to a .yaml file"
            )
    if not path.is_file():
        raise ScenarioFileError(f"{path}: scenario file not found")
    registry = load_registry()
    return _scenario_file_cached(path.resolve(), path.stat().st_mtime_ns, name, str(path), registry)


@lru_cache(maxsize=64)
def _scenario_file_cached(path: Path, mtime_ns: int, name: str, where: str, registry: Registry) -> Scenario:
    """A scenario file, parsed once per version of the file (and of the registry). Scenarios are immutable."""
    del mtime_ns  # part of the cache key only
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ScenarioFileError(f"{path}: not a UTF-8 text file") from None
    return scenario_from_text(text, name=name, where=where, registry=registry)
