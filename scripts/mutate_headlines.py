"""Mutation testing of one model file, with each survivor measured on every preset's headline (issue 16 item 6).

mutmut forks one process per mutant from a parent that has already imported (and cached) the model, and runs
only the tests its coverage pass charged to the mutated function (docs/testing.md): on the model modules (cached
LP solves, module-scoped fixtures that run every preset once) that misses kills and costs hours. This script is
slower per mutant but exact and small enough for a loaded two-core machine:

1. It lists hand-chosen AST mutations of the functions of one file (``--functions``, default all):
   operator swaps (``+``/``-``, ``*``/``/``, ``**`` to ``*``, ``&``/``|``, ``and``/``or``), comparison swaps
   (``<``/``<=``, ``>``/``>=``, ``==``/``!=``, ``is``/``is not``, ``in``/``not in``), sign flips (a unary minus
   dropped), ``not`` dropped, ``max``/``min`` and ``maximum``/``minimum`` swapped, numeric constants (a float
   doubled, 0.0 to 1.0; an integer up to 12 plus one: an off-by-one in a month index, a slice bound, an axis;
   a larger integer doubled).
   Not mutated: docstrings, strings, annotations, and input guards (the test of an ``if`` whose body raises,
   and the ``raise`` itself): a mutated guard can only raise on valid input (then every test running a preset
   fails) or not raise on bad input; it never changes a headline.
2. ``--sample N --seed S``: at most N mutants, stratified by function (each function keeps at least
   ``--min-per-function`` of its mutants, the rest proportional), reproducible from the seed.
3. Each mutant is written into a scratch copy of the worktree and the chosen test files run on it in a fresh
   interpreter (``pytest -x -m "not slow" -p no:cacheprovider``, ``--timeout`` seconds: a timeout counts as
   killed). No parent process holds a cache of the unmutated model.
4. ``--recheck FILES``: each survivor is run again against more test files (the re-check).
5. ``--headline``: each survivor is run on every preset and the national-rule variants of the gas presets
   (``scripts/refresh_pins.py``'s list) and compared with the same run of the unmutated code. A survivor
   *matters* when some headline moves by more than ``--rel`` (1 %) of its value (for a metric that is zero in
   the unmutated run: by more than ``--abs-floor`` in its unit).

    python scripts/mutate_headlines.py econ/ruble.py --tests tests/test_ruble.py --sample 80 --seed 1 \
        --headline --out /tmp/mut/ruble.csv

The CSV has one row per mutant: id, function, line, mutation, status (killed, timeout, survived, killed on
re-check), the first failing test, and for survivors the largest headline change (scenario, metric, before,
after, relative change). ``--only ID,ID`` reruns chosen mutants (e.g. to check that a new test kills them).
"""

from __future__ import annotations

import argparse
import ast
import concurrent.futures as cf
import copy
import csv
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from check_deliberate_bugs import copy_tree  # noqa: E402  (a sibling script: scripts/ is sys.path[0] when run)

BINOP_SWAPS: dict[type, type] = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.Pow: ast.Mult,
    ast.FloorDiv: ast.Mult,
    ast.BitAnd: ast.BitOr,
    ast.BitOr: ast.BitAnd,
}
CMP_SWAPS: dict[type, type] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
}
NAME_SWAPS = {"max": "min", "min": "max", "maximum": "minimum", "minimum": "maximum", "fmax": "fmin", "fmin": "fmax"}

# The headline snapshot, run in the scratch copy: every preset and the national-rule variants (refresh_pins).
SNAPSHOT = (
    "import json, sys; sys.path.insert(0, 'scripts'); import refresh_pins as r; "
    "print('@@' + json.dumps([(x['scenario'], x['metric'], x['value']) for x in r.compute()]))"
)


@dataclass
class Mutant:
    id: int
    function: str
    line: int
    description: str
    source: str = field(repr=False)
    status: str = ""
    failed: str = ""
    seconds: float = 0.0
    worst: tuple = ()


def _functions(tree: ast.Module) -> list[tuple[str, ast.AST]]:
    """(qualified name, node) of every function and method, outermost first."""
    out: list[tuple[str, ast.AST]] = []

    def walk(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                out.append((prefix + child.name, child))
                walk(child, prefix + child.name + ".")
            elif isinstance(child, ast.ClassDef):
                walk(child, prefix + child.name + ".")

    walk(tree, "")
    return out


def _excluded(fn: ast.AST) -> set[int]:
    """ids of nodes never mutated: docstrings, annotations, f-strings, input guards and the inner functions
    (listed on their own)."""
    skip: set[int] = set()

    def mark(node: ast.AST) -> None:
        for n in ast.walk(node):
            skip.add(id(n))

    body = fn.body  # type: ignore[attr-defined]
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant):
        mark(body[0])
    for node in ast.walk(fn):
        if node is not fn and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            mark(node)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            mark(node.args)
            if node.returns is not None:
                mark(node.returns)
        if isinstance(node, ast.AnnAssign):
            mark(node.annotation)
        if isinstance(node, ast.JoinedStr):
            mark(node)
        if isinstance(node, ast.Raise):
            mark(node)
        if isinstance(node, ast.If) and node.body and isinstance(node.body[-1], ast.Raise):
            mark(node.test)
    return skip


def _sites(node: ast.AST) -> list[tuple[str, callable]]:
    """(description, apply(node)) for each mutation of one node (apply edits a deep copy's node in place)."""
    out: list[tuple[str, callable]] = []
    if isinstance(node, (ast.BinOp, ast.AugAssign)) and type(node.op) in BINOP_SWAPS:
        new = BINOP_SWAPS[type(node.op)]

        def f(n, new=new):
            n.op = new()

        out.append((f"{type(node.op).__name__} -> {new.__name__}", f))
    elif isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            if type(op) in CMP_SWAPS:
                new = CMP_SWAPS[type(op)]

                def f(n, i=i, new=new):
                    n.ops[i] = new()

                out.append((f"{type(op).__name__} -> {new.__name__}", f))
    elif isinstance(node, ast.BoolOp):
        new = ast.Or if isinstance(node.op, ast.And) else ast.And

        def f(n, new=new):
            n.op = new()

        out.append((f"{type(node.op).__name__} -> {new.__name__}", f))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.Not)):
        out.append((f"drop unary {type(node.op).__name__}", None))  # replaced by its operand (see _apply)
    elif isinstance(node, ast.Constant) and type(node.value) in (int, float):
        v = node.value
        new_v = (v + 1 if abs(v) <= 12 else v * 2) if isinstance(v, int) else (v * 2 if v != 0 else 1.0)

        def f(n, new_v=new_v):
            n.value = new_v

        out.append((f"{v!r} -> {new_v!r}", f))
    elif isinstance(node, ast.Attribute) and node.attr in NAME_SWAPS:

        def f(n):
            n.attr = NAME_SWAPS[n.attr]

        out.append((f".{node.attr} -> .{NAME_SWAPS[node.attr]}", f))
    elif isinstance(node, ast.Name) and node.id in NAME_SWAPS and isinstance(node.ctx, ast.Load):

        def f(n):
            n.id = NAME_SWAPS[n.id]

        out.append((f"{node.id} -> {NAME_SWAPS[node.id]}", f))
    return out


class _Replace(ast.NodeTransformer):
    """Replaces the node at a given walk index by its operand (a dropped unary operator)."""

    def __init__(self, target: ast.AST) -> None:
        self.target = target

    def visit(self, node: ast.AST) -> ast.AST:
        if node is self.target:
            return node.operand  # type: ignore[attr-defined]
        return self.generic_visit(node)


def enumerate_mutants(path: Path, functions: list[str] | None) -> list[Mutant]:
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    mutants: list[Mutant] = []
    for qual, fn in _functions(tree):
        if functions and qual not in functions and qual.split(".")[0] not in functions:
            continue
        skip = _excluded(fn)
        nodes = [n for n in ast.walk(fn) if id(n) not in skip]
        for node in nodes:
            for desc, apply in _sites(node):
                # Apply on a deep copy of the whole module, finding the same node by its position in the walk.
                tree2 = copy.deepcopy(tree)
                idx = _walk_index(tree, node)
                node2 = _node_at(tree2, idx)
                before = _short(ast.unparse(node))
                if apply is None:
                    tree2 = _Replace(node2).visit(tree2)
                else:
                    apply(node2)
                after = _short(ast.unparse(node2 if apply is not None else node2.operand))
                src = ast.unparse(ast.fix_missing_locations(tree2))
                mutants.append(Mutant(len(mutants), qual, node.lineno, f"{desc}: `{before}` -> `{after}`", src))
    return mutants


def _short(s: str, n: int = 70) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 3] + "..."


def _walk_index(tree: ast.AST, target: ast.AST) -> int:
    for i, n in enumerate(ast.walk(tree)):
        if n is target:
            return i
    raise LookupError(target)


def _node_at(tree: ast.AST, idx: int) -> ast.AST:
    for i, n in enumerate(ast.walk(tree)):
        if i == idx:
            return n
    raise LookupError(idx)


def sample(mutants: list[Mutant], n: int | None, seed: int, min_per_function: int) -> list[Mutant]:
    if n is None or n >= len(mutants):
        return mutants
    rng = random.Random(seed)
    by_fn: dict[str, list[Mutant]] = {}
    for m in mutants:
        by_fn.setdefault(m.function, []).append(m)
    frac = n / len(mutants)
    chosen: list[Mutant] = []
    for ms in by_fn.values():
        k = min(len(ms), max(min_per_function, round(frac * len(ms))))
        chosen += rng.sample(ms, k)
    return sorted(chosen, key=lambda m: m.id)


def _env(where: Path) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(where), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("ECON_HOME", None)
    return env


def run_tests(where: Path, tests: list[str], timeout: float) -> tuple[str, str, float]:
    cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-m", "not slow", "-p", "no:cacheprovider", "-rf", *tests]
    t0 = time.perf_counter()
    try:
        out = subprocess.run(cmd, cwd=where, env=_env(where), capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout", "", time.perf_counter() - t0
    dt = time.perf_counter() - t0
    if out.returncode == 0:
        return "survived", "", dt
    if out.returncode not in (1, 2):  # 3: internal error, 4: usage error, 5: no tests: a broken harness, not a kill
        raise RuntimeError(f"pytest exit {out.returncode}: {out.stdout[-2000:]}{out.stderr[-2000:]}")
    failed = re.findall(r"^(?:FAILED|ERROR) (\S+)", out.stdout, flags=re.M)
    return "killed", (failed[0] if failed else f"exit {out.returncode}"), dt


def snapshot(where: Path, timeout: float) -> dict[tuple[str, str], float] | str:
    try:
        out = subprocess.run(
            [sys.executable, "-c", SNAPSHOT],
            cwd=where,
            env=_env(where),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return "timeout"
    m = re.search(r"^@@(.*)$", out.stdout, flags=re.M)
    if out.returncode != 0 or not m:
        return "error: " + (out.stderr.strip().splitlines() or ["?"])[-1][:200]
    return {(s, k): float(v) for s, k, v in json.loads(m.group(1))}


def worst_change(base: dict, new: dict | str, rel: float, abs_floor: float) -> tuple:
    """(matters, scenario, metric, before, after, relative change) of the largest headline change."""
    if isinstance(new, str):
        return (True, "", new, math.nan, math.nan, math.inf)
    best = (False, "", "", 0.0, 0.0, 0.0)
    for key, b in base.items():
        a = new.get(key, math.nan)
        if math.isnan(a) and math.isnan(b):
            continue
        d = abs(a - b)
        r = math.inf if math.isnan(d) else (d / abs(b) if b != 0 else (math.inf if d > abs_floor else 0.0))
        if r > best[5]:
            matters = r > rel and d > abs_floor
            best = (matters, key[0], key[1], b, a, r)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", help="the model file to mutate, e.g. econ/ruble.py")
    ap.add_argument("--tests", nargs="+", required=True, help="test files run on every mutant")
    ap.add_argument("--recheck", nargs="*", default=[], help="more test files run on each survivor")
    ap.add_argument("--functions", nargs="*", help="qualified function names (default: all)")
    ap.add_argument("--sample", type=int, help="at most this many mutants (stratified by function)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--min-per-function", type=int, default=2)
    ap.add_argument("--only", help="comma-separated mutant ids (after enumeration, before sampling)")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--headline", action="store_true", help="measure each survivor on every preset's headline")
    ap.add_argument("--rel", type=float, default=0.01)
    ap.add_argument("--abs-floor", type=float, default=1e-6)
    ap.add_argument("--list", action="store_true", help="list the mutants and stop")
    ap.add_argument("--out", help="CSV of the results")
    args = ap.parse_args(argv)

    target = Path(args.file)
    mutants = enumerate_mutants(ROOT / target, args.functions)
    n_all = len(mutants)
    if args.only:
        ids = {int(x) for x in args.only.split(",")}
        mutants = [m for m in mutants if m.id in ids]
    else:
        mutants = sample(mutants, args.sample, args.seed, args.min_per_function)
    by_fn: dict[str, int] = {}
    for m in mutants:
        by_fn[m.function] = by_fn.get(m.function, 0) + 1
    print(f"{target}: {n_all} mutants, running {len(mutants)} (seed {args.seed}); per function: {by_fn}", flush=True)
    if args.list:
        for m in mutants:
            print(m.id, m.function, m.line, m.description)
        return 0

    scratch = Path(tempfile.mkdtemp(prefix="mutate-"))
    copies = []
    for j in range(args.jobs):
        d = scratch / f"w{j}"
        d.mkdir()
        copy_tree(d)
        copies.append(d)
    original = (ROOT / target).read_text(encoding="utf-8")
    base = None
    if args.headline:
        t0 = time.perf_counter()
        base = snapshot(copies[0], 1800)
        if isinstance(base, str):
            raise SystemExit(f"the unmutated snapshot failed: {base}")
        print(f"unmutated headline snapshot: {len(base)} values, {time.perf_counter() - t0:.0f} s", flush=True)

    free = list(copies)

    def one(m: Mutant) -> Mutant:
        where = free.pop()
        try:
            (where / target).write_text(m.source, encoding="utf-8")
            m.status, m.failed, m.seconds = run_tests(where, args.tests, args.timeout)
            if m.status == "survived" and args.recheck:
                st, failed, dt = run_tests(where, args.recheck, args.timeout)
                m.seconds += dt
                if st != "survived":
                    m.status, m.failed = "killed on re-check", failed
            if m.status == "survived" and base is not None:
                m.worst = worst_change(base, snapshot(where, 1800), args.rel, args.abs_floor)
        finally:
            (where / target).write_text(original, encoding="utf-8")
            free.append(where)
        return m

    t_start = time.perf_counter()
    done = 0
    with cf.ThreadPoolExecutor(max_workers=args.jobs) as ex:
        for m in ex.map(one, mutants):
            done += 1
            extra = ""
            if m.worst:
                extra = f" | headline: {'MATTERS' if m.worst[0] else 'harmless'} {m.worst[1]}/{m.worst[2]} {m.worst[3]:.6g} -> {m.worst[4]:.6g} ({m.worst[5]:.3g})"
            print(
                f"[{done}/{len(mutants)} {time.perf_counter() - t_start:.0f}s] #{m.id} {m.function}:{m.line} "
                f"{m.description} => {m.status} {m.failed} ({m.seconds:.1f}s){extra}",
                flush=True,
            )
    shutil.rmtree(scratch, ignore_errors=True)

    counts: dict[str, int] = {}
    for m in mutants:
        counts[m.status] = counts.get(m.status, 0) + 1
    matters = [m for m in mutants if m.worst and m.worst[0]]
    print(f"summary {target}: generated {n_all}, run {len(mutants)}, {counts}, survivors that matter: {len(matters)}")
    if args.out:
        with open(args.out, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(
                ["id", "function", "line", "mutation", "status", "failed", "seconds"]
                + ["matters", "scenario", "metric", "before", "after", "rel_change"]
            )
            for m in mutants:
                w.writerow([m.id, m.function, m.line, m.description, m.status, m.failed, f"{m.seconds:.1f}", *m.worst])
    return 0


if __name__ == "__main__":
    sys.exit(main())
