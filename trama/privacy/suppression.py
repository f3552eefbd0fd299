"""Small-count suppression for every aggregate shown outside the workers' scope.

Counts from 1 to `threshold - 1` are hidden (primary suppression). Then, so that a
hidden count cannot be recovered by subtracting the shown ones from a total,
every row and every column of a table that has exactly one hidden cell gets a
second one hidden: the smallest other non-zero count (secondary suppression).
Zero is shown: knowing that nobody is counted reveals nobody. Every hidden cell
reads the same, so a reader cannot tell a small count from a cell hidden to
protect it.

Row and column rules alone are not enough when totals are published: a hidden
cell can still be solved through a chain of lines. Every table shown with its
totals goes through `trama.privacy.disclosure.protect` as well.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext


@dataclass(frozen=True)
class Cell:
    value: int | None  # None when hidden
    hidden: bool

    def __str__(self):
        # Not "<10": a cell hidden only to protect another may hold any count.
        return gettext("riservato") if self.hidden else str(self.value)


def default_threshold():
    return settings.TRAMA_SMALL_COUNT_THRESHOLD


def threshold_for(city=None):
    """The threshold of `city`: the deployment's (TRAMA_SMALL_COUNT_THRESHOLD) or, when its coordinators
    raised it on the city's settings page, theirs. Never lower than the deployment's."""
    return max(default_threshold(), getattr(city, "small_count_threshold", 0) or 0)


def _is_small(value, threshold):
    return 0 < value < threshold


def suppress_table(rows, threshold=None, in_scope=False):
    """Suppress a 2-D table of counts given as a list of equal-length lists.

    Returns a list of lists of `Cell`. When `in_scope` is true (a worker looking
    at their own neighbourhoods) nothing is hidden.
    """
    threshold = default_threshold() if threshold is None else threshold
    grid = [list(row) for row in rows]
    if len({len(row) for row in grid}) > 1:
        raise ValueError("All rows must have the same length.")
    for row in grid:
        for value in row:
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError("Counts must be non-negative integers.")
    hidden = [[(not in_scope) and _is_small(v, threshold) for v in row] for row in grid]
    if not in_scope:
        _secondary(grid, hidden)
    return [[Cell(None if h else v, h) for v, h in zip(row, hrow)] for row, hrow in zip(grid, hidden)]


def _secondary(grid, hidden):
    """Hide more cells until no row or column has exactly one hidden cell."""
    n_rows = len(grid)
    n_cols = len(grid[0]) if grid else 0
    changed = True
    while changed:
        changed = False
        lines = [[(r, c) for c in range(n_cols)] for r in range(n_rows)]
        lines += [[(r, c) for r in range(n_rows)] for c in range(n_cols)]
        for line in lines:
            if len(line) < 2 or sum(hidden[r][c] for r, c in line) != 1:
                continue
            candidates = [(grid[r][c], r, c) for r, c in line if not hidden[r][c] and grid[r][c] > 0]
            if not candidates:
                candidates = [(grid[r][c], r, c) for r, c in line if not hidden[r][c]]
            if candidates:
                _, r, c = min(candidates)
                hidden[r][c] = True
                changed = True


def suppress_counts(counts, threshold=None, in_scope=False):
    """Suppress a one-dimensional mapping of label -> count whose total is shown.

    Returns a dict label -> Cell.
    """
    labels = list(counts)
    table = suppress_table([[counts[label] for label in labels]], threshold, in_scope)
    return dict(zip(labels, table[0]))
