"""Small helpers every app's views share."""

from django.core.paginator import Paginator
from django.shortcuts import render


def page_of(request, items, size=25):
    """The page of `items` asked for by `?pagina=` (out-of-range or malformed values give a valid page)."""
    return Paginator(items, size).get_page(request.GET.get("pagina"))


def render_page(request, template, context, form=None, personal=False):
    """Render a page; 400 when its form has errors; `personal` marks it as showing personal data."""
    response = render(request, template, context, status=400 if form is not None and form.errors else 200)
    response.personal_data = personal
    return response


def form_errors_from(form, error):
    """Put a service's ValidationError on the form, field by field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
