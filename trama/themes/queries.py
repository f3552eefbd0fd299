"""Reads about themes reused by views, API and insights."""

from datetime import date

from django.apps import apps
from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth

from trama.people.models import Role
from trama.privacy.suppression import suppress_counts
from trama.territory.queries import neighbourhoods_of

from .models import LIVE, Tag, TextItem, Theme

EXAMPLES = 5


def is_coordinator(user):
    return user.role == Role.COORDINATOR


def scoped_items(user, items):
    """Items a user may read: a coordinator's city, a worker's neighbourhoods, nothing for others."""
    if user.role == Role.COORDINATOR:
        return items.filter(city_id=user.city_id) if user.city_id else items
    if user.role == Role.WORKER:
        return items.filter(neighbourhood_id__in=user.neighbourhood_ids())
    return items.none()


def themes_of(city, statuses=LIVE):
    """The city's themes in the given statuses, named first, then candidates, largest first, with `size`."""
    order = ["-is_named", "-size", "name", "suggested_name", "pk"]
    return (
        Theme.objects.filter(city=city, status__in=statuses)
        .annotate(size=Count("tags", filter=Q(tags__rejected=False)), is_named=Q(status=Theme.Status.NAMED))
        .order_by(*order)
    )


def items_of(theme):
    """Every item tagged with the theme (tags not rejected)."""
    return TextItem.objects.filter(tags__theme=theme, tags__rejected=False)


def items_of_theme_for(user, theme):
    """The theme's items the user may read, most confident first, with that `confidence` and `origin`."""
    items = scoped_items(user, items_of(theme))
    return items.annotate(confidence=F("tags__confidence"), origin=F("tags__origin")).order_by(
        F("tags__confidence").desc(nulls_first=True), "-written_at", "-pk"
    ).select_related("neighbourhood")


def examples_for(user, theme, count=EXAMPLES):
    """The most representative items of the theme among those the user may read."""
    return list(items_of_theme_for(user, theme).exclude(tags__origin=Tag.Origin.PERSON)[:count]) or list(
        items_of_theme_for(user, theme)[:count]
    )


def monthly_sizes(user, theme):
    """(first day of month, items) for every month from the first to the last, in the user's scope."""
    rows = (
        scoped_items(user, items_of(theme)).annotate(month=TruncMonth("written_at")).values("month")
        .annotate(n=Count("pk")).order_by("month")
    )
    counts = {}
    for row in rows:
        month = row["month"]
        month = month.date() if hasattr(month, "date") else month
        counts[date(month.year, month.month, 1)] = row["n"]
    if not counts:
        return []
    months, current, last = [], min(counts), max(counts)
    while current <= last:
        months.append((current, counts.get(current, 0)))
        current = date(current.year + (current.month == 12), current.month % 12 + 1, 1)
    return months


def beyond_the_mandate(items):
    """For a set of items: how many, the share of people unknown to the services at first contact
    (among people with a value), and the share of items outside the traditional categories (none
    of their live themes is linked to a category, or all are marked outside them).

    Shares are None when there is nothing to divide by. Everything is counted in subqueries, so a
    theme of any size costs a few queries.
    """
    ids = TextItem.objects.filter(pk__in=items.values("pk")).values("pk")
    total = TextItem.objects.filter(pk__in=ids).count()
    Person = apps.get_model("people", "Person")
    people = Person.objects.filter(pk__in=TextItem.objects.filter(pk__in=ids, person__isnull=False).values("person_id"))
    known = people.exclude(known_to_services=None).aggregate(
        total=Count("pk"), unknown=Count("pk", filter=Q(known_to_services=False))
    )
    inside = (
        Tag.objects.filter(item__in=ids, rejected=False, theme__status__in=LIVE, theme__outside_categories=False,
                           theme__categories__isnull=False)
        .values("item_id").distinct().count()
    )
    return {
        "items": total,
        "people_with_value": known["total"],
        "unknown_share": known["unknown"] / known["total"] if known["total"] else None,
        "outside_share": (total - inside) / total if total else None,
    }


def by_neighbourhood(user, theme):
    """One row per neighbourhood of the theme's city: its count and the two shares.

    A coordinator sees exact counts everywhere in the city; a worker sees exact counts in their
    neighbourhoods and suppressed ones (1-9 hidden) elsewhere; a share is shown only beside a
    count that is shown.
    """
    hoods = list(neighbourhoods_of(theme.city))
    items = items_of(theme)
    counts = dict(items.values("neighbourhood_id").annotate(n=Count("pk")).values_list("neighbourhood_id", "n"))
    mine = {n.pk for n in hoods} if is_coordinator(user) else set(user.neighbourhood_ids())
    others = {n.pk: counts.get(n.pk, 0) for n in hoods if n.pk not in mine}
    cells = suppress_counts(others) if others else {}
    rows = []
    for n in hoods:
        exact = n.pk in mine
        count = counts.get(n.pk, 0)
        cell = None if exact else cells[n.pk]
        shown = exact or not cell.hidden
        shares = beyond_the_mandate(items.filter(neighbourhood=n)) if shown and count else None
        rows.append({"neighbourhood": n, "count": count if shown else None, "cell": cell, "exact": exact, "shares": shares})
    return rows


def city_totals(user, theme):
    """The theme's city-wide figures: exact for a coordinator; for a worker, the count suppressed
    (1-9 hidden) and the shares only when the count is shown."""
    figures = beyond_the_mandate(items_of(theme))
    if is_coordinator(user):
        return {**figures, "cell": None}
    cell = suppress_counts({"all": figures["items"]})["all"]
    if cell.hidden:
        figures.update(unknown_share=None, outside_share=None, people_with_value=None)
    return {**figures, "cell": cell}


def visible_size(user, size):
    """A theme's city-wide size as a user may see it: exact for a coordinator, suppressed for a worker."""
    if is_coordinator(user):
        return str(size)
    return str(suppress_counts({"size": size})["size"])
