"""A check that a suppressed table with totals keeps its hidden counts hidden.

privacy.suppression makes sure no row or column has exactly one hidden cell, but
with the row and column totals published a hidden cell can still be pinned down
through a chain of lines (about 2 tables in 100 of random small counts). Here the
published table is checked exactly, as a system of linear equations.
"""

import numpy as np

from .suppression import Cell


def recoverable_cells(cells):
    """The hidden cells of `cells` (last row and last column: the totals) that the shown ones determine.

    Each row sums to its last cell and each column to its last row. A hidden cell is
    determined when every solution of these equations, with the shown values fixed,
    has the same value there: when the null space of the equations restricted to the
    hidden cells is zero at that cell.
    """
    n_rows, n_cols = len(cells), len(cells[0]) if cells else 0
    hidden = [(r, c) for r in range(n_rows) for c in range(n_cols) if cells[r][c].hidden]
    if not hidden:
        return []
    index = {cell: i for i, cell in enumerate(hidden)}
    matrix = np.zeros((n_rows + n_cols, len(hidden)))
    for (r, c), i in index.items():
        matrix[r, i] = -1 if c == n_cols - 1 else 1
        matrix[n_rows + c, i] = -1 if r == n_rows - 1 else 1
    _u, singular, vt = np.linalg.svd(matrix)
    null = vt[int((singular > 1e-9).sum()) :]
    return [cell for cell, i in index.items() if np.allclose(null[:, i], 0)]


def protect(cells):
    """`cells` unchanged if safe; else with the totals hidden too; else with every non-zero count hidden."""
    if not recoverable_cells(cells):
        return cells
    last_row, last_col = len(cells) - 1, len(cells[0]) - 1
    margins = [
        [Cell(None, True) if (r == last_row or c == last_col) and cell.value != 0 else cell for c, cell in enumerate(row)]
        for r, row in enumerate(cells)
    ]
    if not recoverable_cells(margins):
        return margins
    return [[Cell(None, True) if cell.value != 0 else cell for cell in row] for row in cells]
