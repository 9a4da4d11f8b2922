"""Complementary (secondary) suppression of additive counts.

Hiding a small count is not enough when its sums are published beside it:
a county is the sum of its municipalities, the whole country the sum of the
counties, and a total the sum of men and women, so a hidden cell would be
one subtraction away (county 955 - the other municipalities 952 = 3). As
statistics offices do, more cells ("complements") are hidden until no
published figure, and no linear combination of published figures, pins a
hidden one.

For one indicator and year the cells are (region, sex). The constraints are
``parent = sum of its children`` for every sex (from the ``regions`` table)
and ``total = male + female`` for every region. A cell is

- *published*: its value is shown;
- *primary*: hidden because it is a small count (the attacker knows it lies
  in ``0 .. threshold - 1``, because it is shown as "< 5");
- *complement*: hidden to protect a primary (shown as "..": the attacker
  knows only that it is at least ``threshold``);
- *missing*: not in the data. It is treated as known (zero, or found
  elsewhere): a missing sibling never protects a hidden cell.

Complements are added one at a time until two audits pass:

1. every constraint on its own: from the published cells of one sum and the
   bounds the labels give, no hidden cell is pinned to one integer;
2. all constraints together: no hidden cell is a linear combination of
   published figures (its unit vector is not in the row space of the
   constraint matrix restricted to the unknown cells, checked per connected
   group of unknowns from the null space).

Each complement is chosen deterministically so that the published figures
change as little as possible: a part before its sum (a municipality before
its county, a sex before the total), a cell that needs no further complement
of its own, a value above the threshold, then the smallest value, then the
region code and sex. Nothing here reads the database.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

Cell = tuple[str, str]  # (region_code, sex)
SEX_ORDER = {"total": 0, "male": 1, "female": 2}
TOLERANCE = 1e-9


@dataclass(frozen=True)
class Constraint:
    """``aggregate = sum(parts)``."""

    aggregate: Cell
    parts: tuple[Cell, ...]

    @property
    def cells(self) -> tuple[Cell, ...]:
        return (self.aggregate, *self.parts)

    def coefficient(self, cell: Cell) -> int:
        return 1 if cell == self.aggregate else -1


def cell_order(cell: Cell) -> tuple:
    return (cell[0], SEX_ORDER.get(cell[1], 9), cell[1])


def constraints_for(present: Iterable[Cell], children: Mapping[str, Sequence[str]]) -> list[Constraint]:
    """The sums that hold between the cells of one indicator and year: for every
    sex in the data, each parent region is the sum of its children; when the data
    splits by sex, each region's total is men plus women. A sum none of whose
    cells is in the data is left out."""
    present = set(present)
    sexes = sorted({sex for _, sex in present}, key=lambda s: SEX_ORDER.get(s, 9))
    regions = sorted({region for region, _ in present})
    out: list[Constraint] = []
    for parent in sorted(children):
        kids = tuple(sorted(children[parent]))
        if not kids:
            continue
        for sex in sexes:
            cells = ((parent, sex), *((kid, sex) for kid in kids))
            if any(cell in present for cell in cells):
                out.append(Constraint((parent, sex), cells[1:]))
    if "male" in sexes or "female" in sexes:
        for region in regions:
            cells = ((region, "total"), (region, "male"), (region, "female"))
            if any(cell in present for cell in cells):
                out.append(Constraint(cells[0], cells[1:]))
    return out


class _Problem:
    """One indicator and year being protected."""

    def __init__(
        self,
        values: Mapping[Cell, float | None],
        primary: set[Cell],
        children: Mapping[str, Sequence[str]],
        threshold: int,
    ):
        self.values = {cell: float(value) for cell, value in values.items() if value is not None}
        self.primary = set(primary)
        self.threshold = threshold
        self.constraints = constraints_for(set(self.values) | self.primary, children)
        self.of_cell: dict[Cell, list[int]] = {}
        for index, constraint in enumerate(self.constraints):
            for cell in constraint.cells:
                self.of_cell.setdefault(cell, []).append(index)
        self.complements: set[Cell] = set()
        self.given_up: set[Cell] = set()

    # ---- what a cell is -----------------------------------------------------------
    def hidden(self, cell: Cell) -> bool:
        """Hidden (primary or complement): an unknown to the attacker."""
        return cell in self.primary or cell in self.complements

    def published(self, cell: Cell) -> bool:
        return cell in self.values and not self.hidden(cell)

    def known(self, cell: Cell) -> float:
        """What the attacker takes a cell that is not hidden to be (a missing one: zero)."""
        return self.values.get(cell, 0.0)

    def bounds(self, cell: Cell) -> tuple[float, float]:
        """What the attacker knows of a hidden cell from its label."""
        if cell in self.primary:
            return 0.0, float(self.threshold - 1)
        return float(self.threshold), math.inf

    # ---- audit 1: each sum on its own ---------------------------------------------
    def pinned_in(self, constraint: Constraint) -> Cell | None:
        """The first hidden cell of the sum that its published cells and the label
        bounds pin to a single integer (or to none: inconsistent data counts too)."""
        unknown = [cell for cell in constraint.cells if self.hidden(cell)]
        if not unknown:
            return None
        known = -sum(constraint.coefficient(c) * self.known(c) for c in constraint.cells if not self.hidden(c))
        # The range of sum(a * x) over the unknowns, as finite parts and counts of infinite ends.
        ranges = {}
        for cell in unknown:
            a = constraint.coefficient(cell)
            low, high = self.bounds(cell)
            ranges[cell] = (a * low, a * high) if a > 0 else (a * high, a * low)
        low_sum = sum(lo for lo, _ in ranges.values() if not math.isinf(lo))
        high_sum = sum(hi for _, hi in ranges.values() if not math.isinf(hi))
        low_inf = sum(1 for lo, _ in ranges.values() if math.isinf(lo))
        high_inf = sum(1 for _, hi in ranges.values() if math.isinf(hi))
        for cell in sorted(unknown, key=cell_order):
            if cell in self.given_up:
                continue
            lo, hi = ranges[cell]
            low_rest = -math.inf if low_inf - math.isinf(lo) else low_sum - (0.0 if math.isinf(lo) else lo)
            high_rest = math.inf if high_inf - math.isinf(hi) else high_sum - (0.0 if math.isinf(hi) else hi)
            a = constraint.coefficient(cell)
            ends = ((known - low_rest) / a, (known - high_rest) / a)
            low, high = self.bounds(cell)
            low = max(low, min(ends))
            high = min(high, max(ends))
            if math.isnan(low) or math.isnan(high) or math.isinf(high):
                continue  # unbounded: not pinned
            if math.floor(high + TOLERANCE) - math.ceil(low - TOLERANCE) < 1:
                return cell
        return None

    # ---- audit 2: all sums together ------------------------------------------------
    def determined(self) -> list[Cell]:
        """Hidden cells that a linear combination of the published figures gives exactly."""
        unknown = sorted({c for con in self.constraints for c in con.cells if self.hidden(c)}, key=cell_order)
        if not unknown:
            return []
        parent = {cell: cell for cell in unknown}

        def find(cell: Cell) -> Cell:
            while parent[cell] != cell:
                parent[cell] = parent[parent[cell]]
                cell = parent[cell]
            return cell

        for constraint in self.constraints:
            cells = [c for c in constraint.cells if c in parent]
            for other in cells[1:]:
                a, b = find(cells[0]), find(other)
                if a != b:
                    parent[b] = a
        groups: dict[Cell, list[Cell]] = {}
        for cell in unknown:
            groups.setdefault(find(cell), []).append(cell)
        out: list[Cell] = []
        for members in groups.values():
            if all(c in self.given_up for c in members):
                continue
            column = {cell: j for j, cell in enumerate(members)}
            rows = sorted({i for cell in members for i in self.of_cell.get(cell, ())})
            matrix = np.zeros((len(rows), len(members)))
            for r, i in enumerate(rows):
                constraint = self.constraints[i]
                for cell in constraint.cells:
                    if cell in column:
                        matrix[r, column[cell]] = constraint.coefficient(cell)
            _, singular, vt = np.linalg.svd(matrix, full_matrices=True)
            rank = int((singular > TOLERANCE * max(1.0, singular.max(initial=0.0))).sum())
            null = vt[rank:]
            for cell in members:
                if cell not in self.given_up:
                    if null.shape[0] == 0 or np.abs(null[:, column[cell]]).max() < 1e-7:
                        out.append(cell)
        return sorted(out, key=cell_order)

    # ---- choosing a complement ----------------------------------------------------
    def choose(self, constraint_indexes: Iterable[int]) -> Cell | None:
        best, best_key = None, None
        for index in constraint_indexes:
            constraint = self.constraints[index]
            for cell in constraint.cells:
                if not self.published(cell):
                    continue
                value = self.values[cell]
                lonely = sum(
                    1
                    for other in self.of_cell.get(cell, ())
                    if other != index and not any(self.hidden(c) for c in self.constraints[other].cells)
                )
                key = (
                    cell == constraint.aggregate,  # a part before its sum
                    value <= self.threshold,  # a value on the threshold gives no room
                    lonely,  # a cell that needs no complement of its own
                    value,  # the smallest
                    cell_order(cell),
                )
                if best_key is None or key < best_key:
                    best, best_key = cell, key
        return best

    def hide_for(self, cell: Cell, constraint_indexes: Sequence[int]) -> Cell | None:
        choice = self.choose(constraint_indexes)
        if choice is None:
            self.given_up.add(cell)  # nothing left to hide beside it
        else:
            self.complements.add(choice)
        return choice

    def solve(self) -> set[Cell]:
        if not self.primary:
            return set()
        queue = list(range(len(self.constraints)))  # sums to audit, lowest index first
        heapq.heapify(queue)
        queued = set(queue)
        while True:
            while queue:
                index = heapq.heappop(queue)
                queued.discard(index)
                cell = self.pinned_in(self.constraints[index])
                if cell is None:
                    continue
                choice = self.hide_for(cell, [index])
                for again in [index, *self.of_cell.get(choice, [])] if choice else [index]:
                    if again not in queued:
                        heapq.heappush(queue, again)
                        queued.add(again)
            found = self.determined()
            if not found:
                return set(self.complements)
            cell = found[0]
            choice = self.hide_for(cell, self.of_cell.get(cell, []))
            for again in self.of_cell.get(choice, []) if choice else []:
                if again not in queued:
                    heapq.heappush(queue, again)
                    queued.add(again)


def complements(
    values: Mapping[Cell, float | None],
    primary: Iterable[Cell],
    children: Mapping[str, Sequence[str]],
    threshold: int,
) -> set[Cell]:
    """The cells to hide besides ``primary`` so that no published figure or linear
    combination of them pins a hidden one. ``values`` holds every cell of one
    indicator and year that the data has (None: no value); ``children`` maps a
    region code to the codes it is the sum of."""
    return _Problem(values, set(primary), children, threshold).solve()
