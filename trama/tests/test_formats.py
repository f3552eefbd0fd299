"""Dates, numbers and money as Italian style guides write them, and as English does when English is chosen."""

from datetime import date, datetime
from decimal import Decimal

from django.template import Context, Template
from django.utils import translation
from django.utils.formats import date_format

from trama.formats import euro, quantity

SATURDAY = datetime(2026, 11, 21, 18, 5)


def render(text, **context):
    return Template("{% load trama_tags %}" + text).render(Context(context))


def test_italian_writes_days_and_months_in_lower_case():
    with translation.override("it"):
        assert date_format(SATURDAY, "DATETIME_FORMAT") == "sabato 21 novembre 2026, 18:05"
        assert render('{{ d|date:"l j F" }} · {{ d|date:"YEAR_MONTH_FORMAT" }} · {{ d|date:"D j b" }}', d=SATURDAY) == (
            "sabato 21 novembre · novembre 2026 · sab 21 nov"
        )


def test_italian_dates_have_no_leading_zero_and_short_dates_stay_numeric():
    with translation.override("it"):
        assert date_format(date(2026, 12, 9), "DATE_FORMAT") == "9 dicembre 2026"
        assert date_format(date(2026, 12, 9), "SHORT_DATE_FORMAT") == "09/12/2026"
        assert date_format(SATURDAY, "SHORT_DATETIME_FORMAT") == "21/11/2026 18:05"


def test_english_keeps_its_own_names_and_order():
    with translation.override("en"):
        assert render('{{ d|date:"l j F" }}', d=SATURDAY) == "Saturday 21 November"


def test_money_is_written_with_the_symbol_first_and_two_decimals():
    with translation.override("it"):
        assert euro(48) == "€\xa048,00"
        assert euro(Decimal("1234.5")) == "€\xa01.234,50"
        assert render("{{ v|euro }}", v=Decimal("0")) == "€\xa00,00"
        assert euro(None) == "" and euro(7, 0) == "€\xa07"
    with translation.override("en"):
        assert euro(Decimal("1234.5")) == "€\xa01,234.50"


def test_quantities_drop_decimals_that_are_zero():
    with translation.override("it"):
        assert [quantity(Decimal("80.00")), quantity(Decimal("2.50")), quantity(1200), quantity(None)] == ["80", "2,5", "1.200", ""]
