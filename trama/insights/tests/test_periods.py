from datetime import date

import pytest

from trama.insights import periods

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("2025", date(2025, 1, 1), date(2026, 1, 1)),
        ("2025-T4", date(2025, 10, 1), date(2026, 1, 1)),
        ("2026-T1", date(2026, 1, 1), date(2026, 4, 1)),
        ("2025-12", date(2025, 12, 1), date(2026, 1, 1)),
        ("2026-02", date(2026, 2, 1), date(2026, 3, 1)),
    ],
)
def test_a_period_is_read_from_its_written_form(text, start, end):
    period = periods.parse(text, TODAY)
    assert (period.start, period.end, period.param) == (start, end, text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2025-T5",
        "2025-13",
        "2025-00",
        "25",
        "1999",
        "2030",
        "2025-Q1",
        "<script>alert(1)</script>",
        "2025' OR 1=1 --",
        "2025-T1\x00",
        "9" * 5000,
        "２０２５",
        "2025-1",
    ],
)
def test_anything_else_is_refused_with_a_message(text):
    with pytest.raises(ValueError) as error:
        periods.parse(text, TODAY)
    assert str(error.value)


def test_the_choices_go_back_from_the_current_period():
    groups = dict(periods.choices(TODAY))
    assert [p.param for p in groups["Trimestri"][:3]] == ["2026-T4", "2026-T3", "2026-T2"]
    assert groups["Mesi"][0].param == "2026-11" and groups["Mesi"][11].param == "2025-12"
    assert groups["Anni"][-1].param == "2023"


def test_a_trend_shows_twelve_months_up_to_the_period_or_the_months_of_a_year_so_far():
    quarter = periods.trend_months(periods.Period("quarter", 2026, 2), TODAY)
    assert [m.param for m in quarter][:2] == ["2025-07", "2025-08"] and quarter[-1].param == "2026-06" and len(quarter) == 12
    assert [m.param for m in periods.trend_months(periods.Period("year", 2026), TODAY)][-1] == "2026-11"  # not December yet
    assert len(periods.trend_months(periods.Period("year", 2025), TODAY)) == 12
    this_quarter = periods.trend_months(periods.Period("quarter", 2026, 4), TODAY)
    assert this_quarter[-1].param == "2026-11" and len(this_quarter) == 12  # December has not begun
    assert periods.Period("month", 2025, 12).next() == periods.Period("month", 2026, 1)
