"""Reads about themes reused by views, API and insights."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Aggregate, Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth

from trama.access import neighbourhood_scope
from trama.aggregates import Presence, count_per_area
from trama.privacy.suppression import suppress_counts, threshold_for
from trama.territory.queries import neighbourhoods_of

from .models import LIVE, Tag, TextItem, Theme, TraditionalCategory
from .rules import ITEMS

if TYPE_CHECKING:
    from trama.access import Viewer
    from trama.aggregates import AreaCounts, Areas
    from trama.people.models import Person
    from trama.territory.models import City

# The figures beyond the mandate (see `beyond_the_mandate`): counts and shares, a share None when there is nothing to divide by.
Figures = dict[str, int | float | None]

EXAMPLES = 5


# -- a theme's figures kept for a while (the theme page) --------------------------------------
# The theme page's aggregates over every text of the theme cost more than the rest of the page. They are
# kept in the cache for settings.TRAMA_THEME_FIGURES_SECONDS under the theme, a generation of this process
# (moved on by every save or deletion of a tag, a text, a theme or a person: `forget_theme_figures`, so
# a change made through this process shows at once, one made through another within the delay) and, for
# what depends on who looks, the condition that selects the texts they may read: two accounts share a kept
# figure only when they would read the same rows.
_generation = itertools.count()
_current = [next(_generation)]


def forget_theme_figures(**kwargs: Any) -> None:
    _current[0] = next(_generation)


def _kept(name: str, theme: Theme, compute: Any, scope: str = "") -> Any:
    seconds = settings.TRAMA_THEME_FIGURES_SECONDS
    if seconds <= 0:
        return compute()
    digest = hashlib.sha256(scope.encode()).hexdigest()[:16]
    key = f"themes:{name}:{theme.pk}:{_current[0]}:{digest}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, seconds)
    return found


def _scope_of(user: Viewer) -> str:
    """What selects the texts `user` may read, as text: the same for two accounts that read the same rows."""
    return str(ITEMS.condition(user))


def traditional_categories() -> QuerySet[TraditionalCategory]:
    """The administration's user areas themes are set against: the same for every city (ISTAT and SIUSS areas)."""
    return TraditionalCategory.objects.order_by("name")


def themes_of(city: City | None, statuses: Iterable[str] = LIVE) -> QuerySet[Theme]:
    """The city's themes in the given statuses, named first, then candidates, largest first, with `size`."""
    order = ["-is_named", "-size", "name", "suggested_name", "pk"]
    return (
        Theme.objects.filter(city=city, status__in=statuses)
        .annotate(size=Count("tags", filter=Q(tags__rejected=False)), is_named=Q(status=Theme.Status.NAMED))
        .order_by(*order)
    )


def items_of(theme: Theme) -> QuerySet[TextItem]:
    """Every item tagged with the theme (tags not rejected)."""
    return TextItem.objects.filter(tags__theme=theme, tags__rejected=False)


def items_of_theme_for(user: Viewer, theme: Theme) -> QuerySet[TextItem]:
    """The theme's items the user may read, most confident first, with that `confidence` and `origin`."""
    items = ITEMS.visible_to(user, items_of(theme))
    return (
        items.annotate(confidence=F("tags__confidence"), origin=F("tags__origin"))
        .order_by(F("tags__confidence").desc(nulls_first=True), "-written_at", "-pk")
        .select_related("neighbourhood")
        .defer("neighbourhood__boundary")
    )


def examples_for(user: Viewer, theme: Theme, count: int = EXAMPLES) -> list[TextItem]:
    """The most representative items of the theme among those the user may read."""
    return list(items_of_theme_for(user, theme).exclude(tags__origin=Tag.Origin.PERSON)[:count]) or list(items_of_theme_for(user, theme)[:count])


def themes_of_person(user: Viewer, person: Person) -> QuerySet[Theme]:
    """The live themes of the person's text items that `user` may read, named first, each with
    `item_count` and how many of its tags the engine suggested (`by_engine`) or a person set
    (`by_person`). Rejected tags do not count. One query, however many themes."""
    items = ITEMS.visible_to(user, TextItem.objects.filter(person=person)).values("pk")
    mine = Q(tags__item__in=items, tags__rejected=False)
    by_person = Q(tags__origin=Tag.Origin.PERSON)
    return (
        Theme.objects.filter(mine, status__in=LIVE)
        .annotate(
            item_count=Count("tags", filter=mine, distinct=True),
            by_engine=Count("tags", filter=mine & ~by_person, distinct=True),
            by_person=Count("tags", filter=mine & by_person, distinct=True),
            is_named=Q(status=Theme.Status.NAMED),
        )
        .order_by("-is_named", "-item_count", "name", "suggested_name", "pk")
    )


def monthly_sizes(user: Viewer, theme: Theme) -> list[tuple[date, int]]:
    """(first day of month, items) for every month from the first to the last, in the user's scope."""
    if ITEMS.condition(user) is None:
        return []
    return _kept("months", theme, lambda: _monthly_sizes(user, theme), _scope_of(user))


def _monthly_sizes(user: Viewer, theme: Theme) -> list[tuple[date, int]]:
    rows = ITEMS.visible_to(user, items_of(theme)).annotate(month=TruncMonth("written_at")).values("month").annotate(n=Count("pk")).order_by("month")
    counts: dict[date, int] = {}
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


def inside_a_category() -> Exists:
    """Whether the outer text item has a live theme linked to a traditional category and not marked outside them
    (an `Exists` over the item's tags, for `filter` or `annotate` on TextItem)."""
    linked = Tag.objects.filter(item=OuterRef("pk"), rejected=False, theme__status__in=LIVE, theme__outside_categories=False)
    return Exists(linked.filter(Exists(Theme.categories.through.objects.filter(theme_id=OuterRef("theme_id")))))


def _each_once(items: QuerySet[TextItem]) -> QuerySet[TextItem]:
    return TextItem.objects.filter(pk__in=items.values("pk"))


def _mandate_counts() -> dict[str, Aggregate]:
    """What `beyond_the_mandate` divides. The tags are probed once per query (a hashed subplan on
    PostgreSQL), however many neighbourhoods the query groups by."""
    return {
        "items": Count("pk"),
        "inside": Count("pk", filter=inside_a_category()),
        "people_with_value": Count("person", distinct=True, filter=Q(person__known_to_services__isnull=False)),
        "unknown": Count("person", distinct=True, filter=Q(person__known_to_services=False)),
    }


def _mandate_figures(counts: Mapping[str, Any]) -> Figures:
    total, with_value = counts["items"], counts["people_with_value"]
    return {
        "items": total,
        "people_with_value": with_value,
        "unknown_share": counts["unknown"] / with_value if with_value else None,
        "outside_share": (total - counts["inside"]) / total if total else None,
    }


def beyond_the_mandate(items: QuerySet[TextItem]) -> Figures:
    """For a set of items: how many, the share of people unknown to the services at first contact
    (among people with a value), and the share of items outside the traditional categories (none
    of their live themes is linked to a category, or all are marked outside them).

    Shares are None when there is nothing to divide by. One query, whatever the number of items.
    """
    return _mandate_figures(_each_once(items).aggregate(**_mandate_counts()))


def beyond_the_mandate_by_neighbourhood(items: QuerySet[TextItem]) -> dict[int | None, Figures]:
    """`beyond_the_mandate` for each neighbourhood of the items, in one query: {neighbourhood id: figures},
    with None for the items without a neighbourhood and no entry for a neighbourhood without items."""
    rows = _each_once(items).values("neighbourhood_id").annotate(**_mandate_counts()).order_by()
    return {row["neighbourhood_id"]: _mandate_figures(row) for row in rows}


def by_neighbourhood(user: Viewer, theme: Theme) -> list[dict[str, Any]]:
    """One row per neighbourhood of the theme's city: its count and the two shares.

    A coordinator sees exact counts everywhere in the city; a worker sees exact counts in their
    neighbourhoods and suppressed ones (1-9 hidden) elsewhere; a share is shown only beside a
    count that is shown. Two queries, whatever the number of neighbourhoods.
    """
    hoods = list(neighbourhoods_of(theme.city))
    figures = _kept("by_neighbourhood", theme, lambda: beyond_the_mandate_by_neighbourhood(items_of(theme)))
    counts = {pk: row["items"] for pk, row in figures.items()}
    scope = neighbourhood_scope(user)
    mine = {n.pk for n in hoods} if scope is None else set(scope)
    others = {n.pk: counts.get(n.pk, 0) for n in hoods if n.pk not in mine}
    cells = suppress_counts(others, threshold_for(theme.city)) if others else {}
    rows = []
    for n in hoods:
        exact = n.pk in mine
        count = counts.get(n.pk, 0)
        cell = None if exact else cells[n.pk]
        shown = exact or not cell.hidden  # type: ignore[union-attr]  # a cell for every neighbourhood not exact
        shares = figures[n.pk] if shown and count else None
        rows.append({"neighbourhood": n, "count": count if shown else None, "cell": cell, "exact": exact, "shares": shares})
    return rows


def city_totals(user: Viewer, theme: Theme) -> dict[str, Any]:
    """The theme's city-wide figures: exact for a coordinator; for a worker, the count suppressed
    (1-9 hidden) and the shares only when the count is shown."""
    figures = dict(_kept("totals", theme, lambda: beyond_the_mandate(items_of(theme))))
    if neighbourhood_scope(user) is None:
        return {**figures, "cell": None}
    cell = suppress_counts({"all": figures["items"]}, threshold_for(theme.city))["all"]
    if cell.hidden:
        figures.update(unknown_share=None, outside_share=None, people_with_value=None)
    return {**figures, "cell": cell}


def visible_size(user: Viewer, size: int) -> str:
    """A theme's city-wide size as a user may see it: exact for a coordinator, suppressed for a worker."""
    if neighbourhood_scope(user) is None:
        return str(size)
    return str(suppress_counts({"size": size}, threshold_for(getattr(user, "city", None)))["size"])


# -- figures for insights: plain aggregates per neighbourhood or area, no one named --------


@Presence
def has_tags(city: City | None) -> list[QuerySet[Any]]:
    """Whether any text of `city` has a theme yet (before discovery, the themes' figures are "no data")."""
    return [Tag.objects.filter(theme__city=city)]


def named_themes(city: City | None, since: datetime, until: datetime, areas: Areas) -> AreaCounts:
    """{area key: named themes with at least one text written from `since` to `until` in the area}, areas
    {key: neighbourhood ids}; a theme of several neighbourhoods counts once in an area holding them (one query)."""
    tags = Tag.objects.filter(
        theme__city=city, theme__status=Theme.Status.NAMED, rejected=False, item__written_at__gte=since, item__written_at__lt=until
    )
    return count_per_area(tags, "item__neighbourhood", areas, counted="theme").get(None, {})


def texts_outside_categories(city: City | None, since: datetime, until: datetime, neighbourhood_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    """{neighbourhood id: (texts with a live theme, those whose themes are all outside the traditional
    categories)} of the texts written from `since` to `until` (two queries: the live themes inside a category,
    then the period's tags of a live theme, counted here per text; two EXISTS per text cost PostgreSQL
    60 ms at 200,000 residents)."""
    inside = set(Theme.categories.through.objects.filter(theme__status__in=LIVE, theme__outside_categories=False).values_list("theme_id", flat=True))
    tags = (
        Tag.objects.filter(
            rejected=False,
            theme__status__in=LIVE,
            item__city=city,
            item__neighbourhood__in=list(neighbourhood_ids),
            item__written_at__gte=since,
            item__written_at__lt=until,
        )
        .values_list("item_id", "item__neighbourhood_id", "theme_id")
        .order_by()
    )
    items: dict[int, tuple[int, bool]] = {}  # {text: (neighbourhood, inside a category)}
    for item, neighbourhood, theme in tags:
        items[item] = (neighbourhood, items.get(item, (neighbourhood, False))[1] or theme in inside)
    out: dict[int, tuple[int, int]] = {}
    for neighbourhood, is_inside in items.values():
        tagged, outside = out.get(neighbourhood, (0, 0))
        out[neighbourhood] = (tagged + 1, outside + (not is_inside))
    return out
