"""Form controls drawn in Python: the same HTML as Django's widget templates, without the templates.

Django draws a drop-down by rendering one template per option (and one more for each option's
attributes): about 0.2 ms an option, so the filters of a list page cost several milliseconds a request.
`render(bound_field, attrs)` writes the same characters for the widgets whose templates are Django's own
(selects and the plain inputs); any other widget, or one whose templates a project overrides, is drawn by
Django as before. `trama/tests/test_widgets.py` compares the two outputs field by field.
"""

from django.forms import widgets
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"
# The inputs whose template only includes input.html.
INPUTS = {
    f"django/forms/widgets/{name}.html"
    for name in ("text", "search", "email", "number", "url", "tel", "password", "hidden", "date", "datetime", "time", "color")
}


def _attrs(attrs):
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {conditional_escape(name)}")
        if value is not True:
            out.append(f'="{conditional_escape(str(value))}"')
    return "".join(out)


def _label(value):
    return conditional_escape(value if isinstance(value, str) else localize(value))


def _select(widget):
    out = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_label(group_name)}">')
        for option in options:
            out.append(
                f'\n  <option value="{conditional_escape(str(option["value"]))}"{_attrs(option["attrs"])}>{_label(option["label"])}</option>\n'
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


def _input(widget):
    value = "" if widget["value"] is None else f' value="{conditional_escape(str(widget["value"]))}"'
    return f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def _drawable(widget, renderer):
    """Whether our drawing is Django's: its own templates, through the default renderer, a plain render()."""
    if (
        type(widget).render is not widgets.Widget.render
        or not isinstance(renderer, DjangoTemplates)
        or type(renderer).__module__ != "django.forms.renderers"
    ):
        return None
    if widget.template_name == SELECT and getattr(widget, "option_template_name", None) == OPTION:
        return _select
    if widget.template_name in INPUTS and isinstance(widget, widgets.Input):
        return _input
    return None


def render(bound, attrs):
    """What `bound.as_widget(attrs=attrs)` returns, drawn without templates where that is the same."""
    widget = bound.field.widget
    renderer = bound.form.renderer or get_default_renderer()
    draw = _drawable(widget, renderer)
    if draw is None or bound.field.localize or _overridden(renderer, widget.template_name):
        return bound.as_widget(attrs=attrs)
    attrs = bound.build_widget_attrs(dict(attrs), widget)
    if bound.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound.auto_id)
    context = widget.get_context(bound.html_name, bound.value(), attrs)
    return mark_safe(draw(context["widget"]))


_OVERRIDES: dict[str, bool] = {}


def _overridden(renderer, template_name):
    """Whether an app's own templates replace one of Django's widget templates (then Django draws)."""
    if template_name not in _OVERRIDES:
        names = [template_name, "django/forms/widgets/input.html", "django/forms/widgets/attrs.html"] + ([OPTION] if template_name == SELECT else [])
        _OVERRIDES[template_name] = any("django/forms/templates" not in str(renderer.get_template(n).origin.name) for n in names)
    return _OVERRIDES[template_name]
