"""Small helpers every app's views share."""

import datetime
import decimal

from django.contrib import messages
from django.core import signing
from django.core.exceptions import BadRequest, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _


def page_of(request, items, size=25):
    """The page of `items` asked for by `?pagina=` (out-of-range or malformed values give a valid page)."""
    return Paginator(items, size).get_page(request.GET.get("pagina"))


class KeysetPage:
    """One page of a list read by keyset ("seek") pagination: no COUNT, no OFFSET.

    `next_url` and `previous_url` carry an opaque signed token (`keyset_cursor`) with the
    ordering values of the edge row, so the 1,500th page costs what the first one does.
    Shown by the template partials/keyset_pagination.html.
    """

    def __init__(self, request, object_list, ordering, *, has_next, has_previous, param):
        self.object_list = object_list
        self.ordering = ordering
        self.has_next = has_next
        self.has_previous = has_previous
        self._request = request
        self._param = param

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_other_pages(self):
        return self.has_next or self.has_previous

    def _url(self, row, direction):
        query = self._request.GET.copy()
        query[self._param] = keyset_cursor(row, self.ordering, direction)
        return "?" + query.urlencode()

    @property
    def next_url(self):
        return self._url(self.object_list[-1], "n") if self.has_next else None

    @property
    def previous_url(self):
        return self._url(self.object_list[0], "p") if self.has_previous else None

    @property
    def first_url(self):
        query = self._request.GET.copy()
        query.pop(self._param, None)
        return "?" + query.urlencode()


KEYSET_SALT = "trama.shortcuts.keyset"


def keyset_cursor(row, ordering, direction="n"):
    """The opaque token of the page after `row` (direction "n") or before it ("p")."""
    return signing.dumps({"d": direction, "v": [_key_value(row, term) for term in ordering]}, salt=KEYSET_SALT, compress=True)


def _field_name(term):
    return term.lstrip("-")


def _key_value(row, term):
    value = getattr(row, _field_name(term))
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return str(value) if isinstance(value, decimal.Decimal) else value


def _after(model, ordering, values, backwards):
    """The condition "comes after `values` in `ordering`" (before it when `backwards`), lexicographically.

    The OR of the lexicographic comparison is not something an index can seek to, so the
    first column's bound is repeated on its own (`a <= x AND (a < x OR (a = x AND …))`):
    the database then starts reading the index at the cursor instead of at the first row.
    """
    condition, equal, seek = Q(), Q(), None
    for term, raw in zip(ordering, values):
        name = _field_name(term)
        field = model._meta.pk if name == "pk" else model._meta.get_field(name)
        value = field.to_python(raw)
        if isinstance(field, models.DateTimeField) and value is not None and timezone.is_naive(value):
            raise ValidationError("naive datetime")
        descending = term.startswith("-") != backwards
        condition |= equal & Q(**{f"{name}__{'lt' if descending else 'gt'}": value})
        equal &= Q(**{name: value})
        if seek is None:
            seek = Q(**{f"{name}__{'lte' if descending else 'gte'}": value})
    return seek & condition


def keyset_page(request, queryset, ordering, size=25, param="cursore"):
    """The page of `queryset` (sorted by `ordering`, which must end with "pk" or "-pk") asked for by `?cursore=`.

    Fields in `ordering` must be non-null columns of the model. A cursor that was
    not made here, or was tampered with, raises BadRequest after putting a clear
    message for the person on the page; no cursor gives the first page.
    """
    ordering = list(ordering)
    token = request.GET.get(param)
    direction, values = "n", None
    if token:
        try:
            data = signing.loads(token[:2000], salt=KEYSET_SALT)
            direction, values = data["d"], data["v"]
            if direction not in ("n", "p") or not isinstance(values, list) or len(values) != len(ordering):
                raise ValueError(direction)
            condition = _after(queryset.model, ordering, values, backwards=direction == "p")
        except (signing.BadSignature, ValueError, TypeError, KeyError, ValidationError, OverflowError):
            messages.error(request, _("Il segnalibro della pagina non è valido: riapri la lista dall'inizio."))
            raise BadRequest("keyset cursor") from None
        queryset = queryset.filter(condition)
    if direction == "p":
        reversed_ordering = [term[1:] if term.startswith("-") else "-" + term for term in ordering]
        rows = list(queryset.order_by(*reversed_ordering)[: size + 1])
        more = len(rows) > size
        rows = rows[:size][::-1]
        return KeysetPage(request, rows, ordering, has_next=True, has_previous=more, param=param)
    rows = list(queryset.order_by(*ordering)[: size + 1])
    return KeysetPage(request, rows[:size], ordering, has_next=len(rows) > size, has_previous=values is not None, param=param)


def public_cache(city, *version):
    """The version under which a public page's content is kept for visitors who are not signed in
    (base.html's `{% public_cache %}`, which alone decides who is served a kept copy: never a
    signed-in visitor).

    The content is kept per address, query, language, city (and its small-count threshold) and `version` for
    settings.TRAMA_PUBLIC_CACHE_SECONDS: what `version` follows (the offers' latest change) shows at
    once, anything else within that delay. Only for pages whose content, for the public, holds no
    personal data and depends on nothing but the address: the view passes what the content needs
    lazily (`SimpleLazyObject`), so a page read from the cache runs none of its queries.
    """
    # The city's small-count threshold is part of every version: raised, it hides counts at once.
    return (getattr(city, "pk", None), getattr(city, "small_count_threshold", None), *version)


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


def announce_created(model, instances):
    """Send post_save (created) for records made by bulk_create, which sends none: what listens to a model's
    saves (the figures' note of a change, copies kept in step) hears of every record, as after single saves."""
    from django.db.models.signals import post_save

    for instance in instances:
        post_save.send(sender=model, instance=instance, created=True, update_fields=None, raw=False, using=instance._state.db)
