from django import template

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
