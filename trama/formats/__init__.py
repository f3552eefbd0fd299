"""How Trama writes dates, numbers and money: as the person's language writes them.

Dates and times go through Django's formats of the active language (`|date:"DATE_FORMAT"`,
`django.utils.formats.date_format`); for Italian the module `trama/formats/it/formats.py`
(settings.FORMAT_MODULE_PATH) corrects a few of Django's: "9 dicembre 2026" without a leading
zero, "mercoledì 9 dicembre 2026, 18:00". The names of days and months are lower case, as Italian
writes them inside a sentence, through trama/locale/it/. Numbers and money are written by the
helpers below, so pages, PDF and spreadsheets write them alike.
"""

from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format

NO_BREAK_SPACE = "\u00a0"


def euro(value, decimals=2):
    """An amount of money as Italian writes it: "€ 1.234,50" (the symbol, a no-break space, the number
    with the active language's separators); "" for no value."""
    if value is None or value == "":
        return ""
    return f"€{NO_BREAK_SPACE}{number_format(Decimal(value), decimal_pos=decimals, use_l10n=True, force_grouping=True)}"


def quantity(value, decimals=2):
    """A quantity with at most `decimals` decimals and none that are zero: 80, 2,5, 1.200; "" for no value."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(value).quantize(Decimal(1).scaleb(-decimals))
    except InvalidOperation:
        return str(value)
    places = max(0, -number.normalize().as_tuple().exponent)
    return number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)
