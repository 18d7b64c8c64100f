"""Stage 3 of the gas model: the solver. Every LP, a single run's or a batch's, goes through one persistent
HiGHS model per role (:class:`HighsSession`), reused while the LP keeps its structure.

A session passes the model to HiGHS once per structure; after that only what changed (costs, bounds,
right-hand sides and the few coefficients that depend on parameters) is passed. A *warm* session starts the
dual simplex from the previous optimal basis (the Monte Carlo: the result of a sequence of draws depends only
on the sequence). A *cold* session clears the basis before each solve, so a single run's result does not
depend on what the process solved before (the LP has alternative optima, e.g. in the timing of storage
injections, and a warm start can land on another one). A solver failure is returned as a status, never raised.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from time import perf_counter
from typing import Any

import highspy
import numpy as np

from .lp import GasLP, build_lp
from .system import GasInputs, GasSystem


def _empty() -> np.ndarray:
    return np.empty(0)


@dataclass(frozen=True)
class GasSolution:
    """One LP's solution; a failed solve has a status, a message and empty arrays."""

    status: str  # "ok", "infeasible", "unbounded", "iteration limit", "failed"
    message: str
    objective: float
    production: np.ndarray = field(default_factory=_empty)  # (N, T) mcm
    entry: np.ndarray = field(default_factory=_empty)  # (P, T)
    lng: np.ndarray = field(default_factory=_empty)  # (N, T)
    lng_by_origin: np.ndarray = field(default_factory=_empty)  # (O, 2, T): fixed to Europe, flexible to Europe
    lng_fixed_non_eu: np.ndarray = field(default_factory=_empty)  # (O, T): of the fixed, to the non-EU nodes (UK)
    lng_to_asia: np.ndarray = field(default_factory=_empty)  # (O, T) flexible cargoes to Asia
    injection: np.ndarray = field(default_factory=_empty)
    withdrawal: np.ndarray = field(default_factory=_empty)
    level: np.ndarray = field(default_factory=_empty)  # (N, T) end of month
    reduction: np.ndarray = field(default_factory=_empty)  # (N, S, T) mcm: policy demand reduction
    response: np.ndarray = field(default_factory=_empty)  # (N, S, T) mcm: price-driven reduction (net of rises)
    unserved: np.ndarray = field(default_factory=_empty)  # (N, S, T) mcm: rationed at the cap
    price: np.ndarray = field(default_factory=_empty)  # (N, T) EUR/MWh: dual of the node balance
    asia_price: np.ndarray = field(default_factory=_empty)  # (T,) EUR/MWh: Asia's delivered price
    flow: np.ndarray = field(default_factory=_empty)  # (A, T)
    # (A, T): the flows of the first solve (no terminal value; solve_lp), ``flow`` itself when the LP is solved once:
    # the national rule caps a scenario's first solve with its baseline's first-solve flows (module._national_caps)
    first_flow: np.ndarray = field(default_factory=_empty)
    # (N, number of Octobers) mcm: each 1 November target's shortfall, mu plus the top-ups that cover it
    target_miss: np.ndarray = field(default_factory=_empty)
    # (N, T) mcm: obligation top-ups e (an obligation left unmet from that month on; never gas, lp.end_of_horizon)
    storage_topup: np.ndarray = field(default_factory=_empty)


# The bare HiGHS class: the same solver as ``highspy.Highs`` without its Python callback layer, and without the
# banner ``highspy.Highs()`` prints to stdout on first use (which would end up in the CLI's output).
_HIGHS = getattr(getattr(highspy, "_core", None), "_Highs", highspy.Highs)
_OPTIONS = (
    ("output_flag", False),
    ("solver", "simplex"),
    ("simplex_strategy", 1),  # dual simplex
    # Devex pricing, not dual steepest edge: a third fewer iterations on these LPs (3,401 to 2,273 in a cold run
    # of the full cut-off), each cheaper (benchmarks/RESULTS.md, 2026-11-30 gascore)
    ("simplex_dual_edge_weight_strategy", 1),
    ("presolve", "off"),  # nothing for presolve to remove that the bounds do not already fix
    # No cost perturbation of HiGHS's own: the LP carries one (lp.TIE_BREAK, up to 1e-4 EUR/MWh a column, larger
    # than HiGHS's ~3e-6), so the dual simplex needs none against degeneracy, and without it a warm solve ends
    # without the primal-simplex clean-up of the perturbation (a fifth of a warm solve's iterations; 1,000 draws
    # of the cut-off 23% faster on the wider network, benchmarks/RESULTS.md, 2026-12-01 gasspeed)
    ("dual_simplex_cost_perturbation_multiplier", 0.0),
    # a hundred times finer than the LP's right-hand-side tie-break (lp.RHS_TIE_BREAK), which must be seen
    ("primal_feasibility_tolerance", 1e-9),
    ("dual_feasibility_tolerance", 1e-9),
)
_STATUS = {
    highspy.HighsModelStatus.kInfeasible: "infeasible",
    highspy.HighsModelStatus.kUnboundedOrInfeasible: "infeasible",
    highspy.HighsModelStatus.kUnbounded: "unbounded",
    highspy.HighsModelStatus.kIterationLimit: "iteration limit",
    highspy.HighsModelStatus.kTimeLimit: "time limit",
}


class _Model:
    """A HiGHS model, the structure it holds and the last LP passed to it: what sessions may share."""

    def __init__(self) -> None:
        self.highs: Any = None
        self.structure: tuple | None = None
        self.last: tuple = ()


class HighsSession:
    """One persistent HiGHS model for a sequence of LPs (see the module docstring).

    ``warm`` True starts each solve from the previous optimal basis; False solves each LP from scratch on the same
    model (a result that depends on the LP only). An LP of another structure (another horizon, allocation rule or
    data set) replaces the model. ``share``: another session whose HiGHS model this one uses too (each keeps its own
    first-stage basis and counters); a draw's reference and scenario LPs differ only in the Russian routes, so
    passing one after the other costs a few hundred changes instead of some 40,000 (``_pass_changes``).
    ``iterations`` accumulates the simplex iterations (a measure of the work that does not depend on the machine's
    load), ``solve_time`` the seconds spent inside ``Highs.run`` (for benchmarks).
    """

    def __init__(self, warm: bool = True, share: HighsSession | None = None) -> None:
        self.warm = warm
        self.solve_time = 0.0
        self.iterations = 0
        self._model: _Model = share._model if share is not None else _Model()
        self.duals = np.empty(0)
        # the optimal basis of a first-stage solve (no terminal value) and its structure: the closest start for
        # the next first-stage solve of a nearby LP (the scenario after its reference, the next draw)
        self._first: tuple[Any, tuple] | None = None

    @property
    def _highs(self) -> Any:
        return self._model.highs

    @property
    def _structure(self) -> tuple | None:
        return self._model.structure

    def reset(self) -> None:
        """Forget the model (for every session sharing it) and this session's first-stage basis: the next LP is
        passed whole."""
        self._model.highs, self._model.structure, self._model.last = None, None, ()
        self._first = None

    def _pass_model(self, lp: GasLP) -> None:
        h = _HIGHS()
        for option, value in _OPTIONS:
            h.setOptionValue(option, value)
        model = highspy.HighsLp()
        model.num_row_, model.num_col_ = lp.shape
        model.col_cost_, model.col_lower_, model.col_upper_ = lp.cost, lp.col_lower, lp.col_upper
        model.row_lower_, model.row_upper_ = lp.row_lower, lp.row_upper
        model.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        model.a_matrix_.start_, model.a_matrix_.index_, model.a_matrix_.value_ = lp.indptr, lp.indices, lp.data
        if h.passModel(model) == highspy.HighsStatus.kError:
            raise ValueError("HiGHS rejected the model")
        self._model.highs = h
        self._model.structure = (lp.shape, lp.indptr.tobytes(), lp.indices.tobytes())

    def _pass_changes(self, lp: GasLP) -> None:
        """Pass what differs from the previous LP: HiGHS's change calls cost time per entry."""
        h = self._highs
        cost, upper, lo, up, values = self._model.last
        cols = np.flatnonzero(lp.cost != cost).astype(np.int32)
        if len(cols):
            h.changeColsCost(len(cols), cols, lp.cost[cols])
        cols = np.flatnonzero(lp.col_upper != upper).astype(np.int32)
        if len(cols):
            h.changeColsBounds(len(cols), cols, np.zeros(len(cols)), lp.col_upper[cols])
        rows = np.flatnonzero((lp.row_lower != lo) | (lp.row_upper != up)).astype(np.int32)
        if len(rows):
            h.changeRowsBounds(len(rows), rows, lp.row_lower[rows], lp.row_upper[rows])
        changed = np.flatnonzero(lp.data != values)
        if len(changed):
            row_of = np.repeat(np.arange(len(lp.indptr) - 1), np.diff(lp.indptr))
            for k in changed:
                h.changeCoeff(int(row_of[k]), int(lp.indices[k]), float(lp.data[k]))

    def basis(self, lp: GasLP) -> Any:
        """The last optimal basis if it was for an LP of ``lp``'s structure, else None."""
        if self._highs is None or self._structure != (lp.shape, lp.indptr.tobytes(), lp.indices.tobytes()):
            return None
        basis = self._highs.getBasis()
        return basis if basis.valid else None

    def keep_first_basis(self, lp: GasLP) -> None:
        """Remember the basis just found as the first-stage basis (see ``first_basis``): a cold session keeps the
        last one (a scenario starts from its own reference's), a warm session the first one of the structure, its
        *anchor* (every later draw starts from the same basis: a draw's solve then depends on its LP and the
        first draw's, not on the order of the draws in between; and a fixed basis is on average nearer a random
        draw than the previous draw's: 1,000 wider cut-off draws 10% faster)."""
        if self.warm and self._first is not None and self._first[1] == self._structure:
            return
        basis = self.basis(lp)
        self._first = None if basis is None or self._structure is None else (basis, self._structure)

    def first_basis(self, lp: GasLP) -> Any:
        """The kept first-stage optimal basis (``keep_first_basis``) if it was for an LP of ``lp``'s structure."""
        if self._first is None or self._first[1] != (lp.shape, lp.indptr.tobytes(), lp.indices.tobytes()):
            return None
        return self._first[0]

    def solve(self, lp: GasLP, start: Any = None, primal: bool = True) -> tuple[str, np.ndarray | None, float, str]:
        """(status, x, objective, message) of the LP; status "ok" or why there is no solution. The row duals of
        the last optimal solve are in ``self.duals``. ``start``: a basis (``HighsSession.basis``) of another
        session's LP of the same structure to start from, instead of this session's own (warm) or none (cold);
        the LP's tie-break perturbation (``lp.TIE_BREAK``) makes its optimum unique, so the start changes the
        time taken, not the result (tests/test_uncertainty.py checks warm against cold). ``primal`` False: x is
        left empty, only the duals are read (HiGHS hands the 25,000 column values over as a Python list, 0.45 ms a
        solve)."""
        finite = [np.isfinite(lp.cost).all(), np.isfinite(lp.data).all(), not np.isnan(lp.col_upper).any()]
        finite += [not np.isnan(lp.row_lower).any(), not np.isnan(lp.row_upper).any()]
        if not all(finite):
            self.reset()
            return "failed", None, float("nan"), "the LP could not be set up: a cost, bound or coefficient is NaN"
        try:
            if self._highs is None or self._structure != (lp.shape, lp.indptr.tobytes(), lp.indices.tobytes()):
                self._pass_model(lp)
            else:
                self._pass_changes(lp)
                if not self.warm and start is None:
                    self._highs.clearSolver()
            if start is not None:
                self._highs.setBasis(start)
            self._model.last = (lp.cost, lp.col_upper, lp.row_lower, lp.row_upper, lp.data)
            h = self._highs
            t0 = perf_counter()
            h.run()
            status = h.getModelStatus()
            if status != highspy.HighsModelStatus.kOptimal and (self.warm or start is not None):
                # A warm start can end where HiGHS cannot clean up its perturbations (model status Unknown):
                # the same LP from scratch, so that a failure, too, depends on the LP only.
                h.clearSolver()
                h.run()
                status = h.getModelStatus()
            self.solve_time += perf_counter() - t0
            self.iterations += h.getInfo().simplex_iteration_count
            if status == highspy.HighsModelStatus.kOptimal:
                solution = h.getSolution()
                x = np.asarray(solution.col_value) if primal else np.empty(0)
                self.duals = np.asarray(solution.row_dual)
                return "ok", x, h.getInfo().objective_function_value, ""
            message = f"model status {h.modelStatusToString(status)}"
            name = _STATUS.get(status, "failed")
        except (ValueError, RuntimeError, TypeError) as exc:  # a malformed model is reported, not raised
            self.reset()
            return "failed", None, float("nan"), f"the LP could not be set up: {exc}"
        self.reset()  # a failed solve leaves no basis worth starting from
        return name, None, float("nan"), f"{name} ({message})"


INJECTION_MONTHS = (4, 5, 6, 7, 8, 9, 10)  # April to October: the injection season


def _injection_season(inp: GasInputs) -> np.ndarray | None:
    """(T,) bool: the months of the horizon's first injection season (``terminal_values``), or None when the LP
    has no terminal value (and is solved once): its end value given, no such month, or no storage."""
    season = (np.arange(len(inp.cal)) < 12) & np.isin(inp.cal, INJECTION_MONTHS)
    if inp.end_value is not None or not season.any() or not (inp.storage_wgv > 0).any():
        return None
    return season


def terminal_values(inp: GasInputs, price: np.ndarray) -> np.ndarray | None:
    """V_n: each node's average price over the horizon's first injection season (the first 12 months' April to
    October), at most the cost of a missed target (the cap less the target margin, 1.0 + W with W the priority
    wedge of 3.3) less a storage cycle; None if the horizon has no such month or no storage.

    The bound keeps the priority of docs/methodology.md (gas, 3.5): a storage obligation gives way before any
    customer is rationed. Serving a customer from store saves at least the cap less the largest rationing margin
    (0.9 + W) less a withdrawal (0.5), cap - 1.4 - W; gas carried past the horizon earns at most cap - 1.5 - W, so no customer is
    rationed to carry gas into the next year. With the bound at cap - 0.5, a node rationed in its injection season
    valued carried gas above its own customers: under the national rule Austria kept 6.8 bcm in store through a
    winter in which it rationed, and more Nord Stream 1 gas (0 -> 1.0) raised the EU shortfall 9.57 -> 9.70 bcm
    (tests/test_gas_national_rule.py)."""
    season = _injection_season(inp)
    if season is None:
        return None
    return np.minimum(price[:, season].mean(axis=1), inp.costs["target_miss"] - inp.costs["storage_cycle"])


def with_terminal_value(lp: GasLP, value: np.ndarray) -> GasLP:
    """The first-stage LP (no terminal value) with the terminal values V_n: ``build_lp`` of the inputs with
    ``end_value`` V, without building the LP again. V enters the LP only as the carried volume's cost (-V_n plus
    the column's tie-break, lp.variables), so only those costs change; the arrays are build_lp's bit for bit
    (tests/test_gas_speed_equivalence.py)."""
    carry = lp.blocks["carry"]
    cost = lp.cost.copy()
    cost[carry] = lp.cost[carry] - value
    return dataclasses.replace(lp, cost=cost)


def solve_lp(
    inp: GasInputs,
    system: GasSystem,
    session: HighsSession,
    arc_ub: np.ndarray | tuple[np.ndarray, np.ndarray] | None = None,
    start: HighsSession | None = None,
    first_flows: bool = True,
) -> GasSolution:
    """Build the LP and solve it on ``session`` (from ``start``'s last basis when it has one for this LP's
    structure). ``arc_ub``: link caps (A, T) mcm for both solves, or a pair (first solve's, second solve's): the
    national rule's, each solve capped at its baseline's flows of the same solve (module._national_caps). A solver
    failure is returned as a status, never raised. ``first_flows`` False: the solution's ``first_flow`` is left
    empty when the LP is solved twice (only a national-rule baseline's is read; the Monte Carlo's sets skip
    reading the first solve's columns)."""
    first_ub, second_ub = arc_ub if isinstance(arc_ub, tuple) else (arc_ub, arc_ub)
    lp = build_lp(inp, system, first_ub)
    # The first stage (no terminal value) starts from the last first-stage basis of ``start`` (the reference, for
    # a scenario) or, warm, from this session's anchor (the batch's first draw, ``keep_first_basis``): a nearby LP
    # of the same kind, which takes about 40% fewer simplex iterations than the last basis, a second-stage one.
    # The optimum is unique (lp.TIE_BREAK, lp.RHS_TIE_BREAK), so the start changes the time taken, not the result.
    first = start.first_basis(lp) if start is not None else (session.first_basis(lp) if session.warm else None)
    two_stage = _injection_season(inp) is not None
    status, x, fun, message = session.solve(lp, first, primal=first_flows or not two_stage)
    if status == "ok":
        session.keep_first_basis(lp)
    value = terminal_values(inp, session.duals[lp.rows["node"]]) if status == "ok" else None
    # the first solve's flows: empty when its columns were not read (``first_flows`` False on a two-stage LP)
    first_flow = x[lp.blocks["flow"]] if status == "ok" and x is not None and x.size else _empty()
    if value is not None:
        # Second solve, warm from the first: stored gas left above the end floor is worth what refilling it would
        # cost, the node's average price in the horizon's first injection season (3.5).
        inp = dataclasses.replace(inp, end_value=value)
        # Same caps in both solves: only the carried volume's costs change (with_terminal_value); the national
        # rule's second solve has its own caps, so its LP is built again.
        lp = with_terminal_value(lp, value) if second_ub is first_ub else build_lp(inp, system, second_ub)
        status, x, fun, message = session.solve(lp, session.basis(lp))
    if status != "ok" or x is None:
        return GasSolution(status, f"HiGHS: {message}", float("nan"))
    b = lp.blocks
    # HiGHS's row dual of an equality row is d(objective)/d(right-hand side): one more mcm of demand at a node
    # costs its price (EUR/MWh, the costs' unit). Tested in tests/test_gas_prices.py against a hand solution.
    duals = session.duals
    response = x[b["down"]].sum(axis=2) - x[b["up"]].sum(axis=2)
    topup = x[b["topup"]]
    octobers = np.flatnonzero(inp.cal == 10)
    covered = np.cumsum(topup, axis=1)[:, octobers]  # the top-ups from each October back (lp.storage_targets)
    fixed_ne = x[b["lng_fixed_ne"]] if "lng_fixed_ne" in b else np.zeros_like(x[b["lng_fixed"]])
    return GasSolution(
        status="ok",
        message="",
        objective=float(fun),
        production=x[b["prod"]],
        entry=x[b["entry"]],
        lng=x[b["lng"]],
        lng_by_origin=np.stack([x[b["lng_fixed"]] + fixed_ne, x[b["lng_flex_eu"]]], axis=1),
        lng_fixed_non_eu=fixed_ne,
        lng_to_asia=x[b["lng_flex_asia"]],
        injection=x[b["inj"]],
        withdrawal=x[b["wd"]],
        level=x[b["lvl"]],
        reduction=inp.demand * inp.policy_share[None, None, :],
        response=response,
        unserved=x[b["ration"]].sum(axis=2),
        price=duals[lp.rows["node"]],
        asia_price=duals[lp.rows["asia"]],
        flow=x[b["flow"]],
        first_flow=first_flow,
        target_miss=x[b["tmiss"]] + covered,
        storage_topup=topup,
    )
