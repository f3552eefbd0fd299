import random

import pytest

from trama.privacy.suppression import suppress_counts, suppress_table


def hidden(table):
    return [[cell.hidden for cell in row] for row in table]


def lines(grid):
    """Every row and column of at least two cells (a lone cell has no total to subtract from)."""
    rows = [row for row in grid if len(row) > 1]
    columns = [list(column) for column in zip(*grid)] if len(grid) > 1 else []
    return rows + columns


@pytest.mark.parametrize("count", range(1, 10))
def test_counts_from_one_to_nine_are_hidden(count):
    (cell,) = suppress_table([[count]])[0]
    assert cell.hidden and cell.value is None


@pytest.mark.parametrize("count", [0, 10, 11, 250])
def test_zero_and_ten_or_more_are_shown(count):
    (cell,) = suppress_table([[count]])[0]
    assert not cell.hidden and cell.value == count
    assert str(cell) == str(count)


def test_a_lone_small_count_in_a_row_hides_the_smallest_other_non_zero_count():
    counts = suppress_counts({"Lubiana": 3, "Molinetto": 40, "Pablo": 12, "San Leonardo": 0})
    assert [name for name, cell in counts.items() if cell.hidden] == ["Lubiana", "Pablo"]
    assert counts["Molinetto"].value == 40 and counts["San Leonardo"].value == 0


def test_two_small_counts_in_a_row_need_no_second_cell():
    counts = suppress_counts({"a": 3, "b": 4, "c": 50})
    assert [cell.hidden for cell in counts.values()] == [True, True, False]


def test_every_hidden_cell_reads_the_same_so_secondary_cells_are_not_told_apart():
    counts = suppress_counts({"a": 3, "b": 15})
    assert str(counts["a"]) == str(counts["b"]) == "riservato"


def test_table_rows_and_columns_end_with_zero_or_at_least_two_hidden_cells():
    table = suppress_table([[5, 20, 30], [40, 50, 60], [70, 80, 90]])
    for line in lines(hidden(table)):
        assert sum(line) != 1
    assert hidden(table)[0][0]


def test_in_scope_hides_nothing():
    table = suppress_table([[1, 2, 30], [0, 9, 10]], in_scope=True)
    assert [[cell.value for cell in row] for row in table] == [[1, 2, 30], [0, 9, 10]]
    assert not any(any(row) for row in hidden(table))


def test_threshold_follows_the_setting(settings):
    settings.TRAMA_SMALL_COUNT_THRESHOLD = 5
    assert suppress_table([[4]])[0][0].hidden
    assert not suppress_table([[5]])[0][0].hidden


def test_threshold_may_be_given_per_call():
    assert suppress_table([[12]], threshold=20)[0][0].hidden


@pytest.mark.parametrize("bad", [-1, True, False, 2.0, "3", None])
def test_counts_must_be_non_negative_integers(bad):
    with pytest.raises(ValueError):
        suppress_table([[10, bad]])
    with pytest.raises(ValueError):
        suppress_counts({"a": bad})


def test_ragged_tables_are_refused():
    with pytest.raises(ValueError):
        suppress_table([[10, 11], [12]])


def test_empty_tables_are_fine():
    assert suppress_table([]) == []
    assert suppress_counts({}) == {}


def test_no_row_or_column_of_a_random_table_has_exactly_one_hidden_cell():
    rng = random.Random(20260101)
    for _ in range(2000):
        n_rows, n_cols = rng.randint(1, 7), rng.randint(1, 7)
        grid = [[rng.choice([0, 0, rng.randint(1, 9), rng.randint(1, 40), rng.randint(10, 500)]) for _ in range(n_cols)] for _ in range(n_rows)]
        table = suppress_table(grid)
        for line in lines(hidden(table)):
            assert sum(line) != 1, grid
        for row, cells in zip(grid, table):
            for value, cell in zip(row, cells):
                assert cell.hidden or cell.value == value
                if 0 < value < 10:
                    assert cell.hidden
