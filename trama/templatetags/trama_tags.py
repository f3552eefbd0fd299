from django import template

from trama import formats

register = template.Library()


@register.filter
def control(field):
    """Render a form field's widget with the design system's class and error state."""
    css = "form-select" if field.widget_type in {"select", "selectmultiple"} else "form-control"
    attrs = {"class": css}
    if field.errors:
        attrs["class"] += " is-invalid"
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{field.auto_id}-errore"
    return field.as_widget(attrs=attrs)


@register.filter
def euro(value, decimals=2):
    """An amount of money as the active language writes it: "€ 48,00" in Italian (trama.formats.euro)."""
    return formats.euro(value, decimals)


@register.filter
def quantity(value):
    """A quantity without decimals that are zero: "80", "2,5" (trama.formats.quantity)."""
    return formats.quantity(value)
