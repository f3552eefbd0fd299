from django import template
from django.utils.translation import gettext as _

from trama import formats

register = template.Library()

# What Django writes as the empty choice of a drop-down when a form does not say better.
DJANGO_EMPTY_LABEL = "---------"


def _prompt(field):
    """Django's "---------" as the first option of a drop-down becomes words: "Scegli" where an answer is
    required, "Nessuna scelta" where none is. A form that knows better sets its own empty label."""
    form_field = field.field
    words = _("Scegli") if form_field.required else _("Nessuna scelta")
    if hasattr(form_field, "empty_label"):  # a model choice field: it writes the label when it lists its options
        if form_field.empty_label == DJANGO_EMPTY_LABEL:
            form_field.empty_label = words
    elif any(value == "" and label == DJANGO_EMPTY_LABEL for value, label in getattr(form_field, "choices", ())):
        form_field.choices = [(value, words if value == "" and label == DJANGO_EMPTY_LABEL else label)
                              for value, label in form_field.choices]


@register.filter
def control(field):
    """Render a form field's widget with the design system's class and error state, and a real prompt."""
    select = field.widget_type in {"select", "selectmultiple", "nullbooleanselect"}
    if select:
        _prompt(field)
    attrs = {"class": "form-select" if select else "form-control"}
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
