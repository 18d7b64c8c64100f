"""The methodology's parameter tables, generated from the registry (never retyped).

``docs/methodology.md`` holds, for each module, a region between ``<!-- registry-table: MODULE -->`` and
``<!-- /registry-table -->``. :func:`render_docs` rewrites every such region from
``assumptions/parameters.csv``; ``python scripts/build_docs_tables.py`` writes the result, and a test fails
when the file differs from it (drift).
"""

from __future__ import annotations

import re
from pathlib import Path

from .params import ParameterSpec, Registry

REGION = re.compile(r"(<!-- registry-table: (?P<module>[a-z_]+) -->\n)(?P<body>.*?)(<!-- /registry-table -->)", re.S)


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _value(v: object) -> str:
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def _hard(spec: ParameterSpec) -> str:
    lo = "−inf" if spec.min is None else _value(spec.min)
    hi = "inf" if spec.max is None else _value(spec.max)
    return f"{lo} – {hi}"


def registry_table(registry: Registry, module: str) -> str:
    """The Markdown table and the source list of one module's parameters."""
    specs = [s for s in registry if s.module == module]
    if not specs:
        raise ValueError(f"no registry parameters have module '{module}'")
    lines = [
        "| Parameter | Default | Unit | Hard bounds | Plausible range | Dated path | Distribution | Role |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for s in specs:
        lines.append(
            f"| `{s.name}` | {_value(s.value)} | {_cell(s.unit)} | {_hard(s)} | {_value(s.low)} – {_value(s.high)} "
            f"| {'yes' if s.time_varying else 'no'} | {s.distribution} | {_cell(s.description)} |"
        )
    lines += ["", "Sources, as recorded in the registry's `source` column:", ""]
    for s in specs:
        url = f" <{s.source_url}>" if s.source_url else ""
        lines.append(f"- `{s.name}`: {_cell(s.source)}{url}")
    return "\n".join(lines) + "\n"


def render_docs(text: str, registry: Registry) -> str:
    """``text`` with every registry-table region regenerated."""
    return REGION.sub(
        lambda m: m.group(1) + "\n" + registry_table(registry, m.group("module")) + "\n" + m.group(4), text
    )


def replace_region(text: str, begin: str, end: str, body: str, where: str = "the document") -> str:
    """``text`` with the region after the marker ``begin`` and before the first ``end`` after it rewritten as
    ``begin``, a newline, ``body``, ``end``: the generated blocks of the docs (validation d4, the ruble episodes,
    the methodology's gas figures), written by scripts and checked for drift by tests."""
    if begin not in text or end not in text.split(begin, 1)[-1]:
        raise ValueError(f"{where}: markers missing ({begin} ... {end})")
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{begin}\n{body}{end}{tail}"


def write_or_check(path: Path, new: str, check: bool, stale: str) -> int:
    """The end of a doc-generating script: write ``new`` to ``path`` (status 0), or with ``check`` write nothing and
    return 1, printing ``stale``, when the file differs from ``new``."""
    if check:
        if new != path.read_text():
            print(f"{path}: {stale}")
            return 1
        return 0
    path.write_text(new)
    print(f"wrote {path}")
    return 0
