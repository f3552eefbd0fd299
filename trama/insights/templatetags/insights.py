from django import template
from django.utils.formats import number_format

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
