from django import template
from django.utils.formats import number_format
from django.utils.html import format_html

from ..charts import DPI, TREND_SIZE, bar_chart_size

register = template.Library()


@register.filter
def shown(number, item):
    """A value of `item` as people read it (its unit decides the format)."""
    return item.display(number)


@register.filter
def rate(number):
    return number_format(round(number, 2), 2) if number is not None else "–"


@register.filter
def has_data(rows):
    """Whether any area of an indicator has a value (else no chart is worth drawing)."""
    return any(value.has_data for _area, value in rows)


@register.simple_tag
def bar_chart_dimensions(rows):
    """`width="…" height="…"` of a bar chart with a bar per row: its place is kept before it is drawn."""
    width, height = bar_chart_size(len(rows))
    return format_html('width="{}" height="{}"', width, height)


@register.simple_tag
def trend_chart_dimensions():
    return format_html('width="{}" height="{}"', round(TREND_SIZE[0] * DPI), round(TREND_SIZE[1] * DPI))


@register.filter
def get_item(mapping, key):
    """`mapping[key]`, or None: a dict read by a key held in a variable."""
    return mapping.get(key) if mapping else None
