"""Counting rows per area, in one query: what every app's figures for insights share.

An *area* is a set of neighbourhood ids under a key (a neighbourhood, the pilots one by one, the
rest of the city...). The apps' `queries.py` count their own rows with these helpers and give
insights plain numbers; insights never reads their tables.
"""

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractQuarter
from django.utils import timezone

# {area key: neighbourhood ids}: the areas an app's figures are counted in (insights' areas, as the apps' queries take them).
Areas = Mapping[str, AbstractSet[int]]
# {area key: what was counted in it}
AreaCounts = dict[str, int]
# {(neighbourhood id, quarter 1-4): rows}: what count_by_quarter gives (a row without a neighbourhood counts under None).
QuarterCounts = dict[tuple[int | None, int], int]


# The per-area counts are made in Python from the distinct rows (neighbourhood, counted, group) of one
# query: building one filtered COUNT(DISTINCT) per area cost Django more than the database's work (a
# dashboard's first look spent a third of its time there). Counting in the database, one column per area,
# is kept as the reference the tests compare against (`counted_in_database`).
_IN_DATABASE: ContextVar[bool] = ContextVar("count_per_area_in_database", default=False)


@contextmanager
def counted_in_database() -> Iterator[None]:
    """Within it, `count_per_area` counts in the database, one filtered COUNT(DISTINCT) per area (the
    reference path of the indicators' tests, `trama.insights.indicators.compute(..., batched=False)`)."""
    token = _IN_DATABASE.set(True)
    try:
        yield
    finally:
        _IN_DATABASE.reset(token)


def count_per_area(queryset: QuerySet[Any], path: str, areas: Areas, counted: str = "pk", by: str | None = None) -> dict[Any, AreaCounts]:
    """{group: {area key: n}}, in one query: for each area of `areas` ({key: neighbourhood ids}), the
    distinct `counted` among the rows whose neighbourhood (reached through `path`) is one of the
    area's. A record with several neighbourhoods counts once in each of them, and once in an area
    that holds several. Without `by` there is one group, None; an area without ids counts 0."""
    if _IN_DATABASE.get():
        return _count_per_area_in_database(queryset, path, areas, counted, by)
    return (
        count_per_area_and_group(queryset, path, areas, counted, by)[1] if by else {None: count_per_area_and_group(queryset, path, areas, counted)[0]}
    )


def count_per_area_and_group(
    queryset: QuerySet[Any], path: str, areas: Areas, counted: str = "pk", by: str | None = None
) -> tuple[AreaCounts, dict[Any, AreaCounts]]:
    """({area key: n}, {group: {area key: n}}) in one query: `count_per_area` without and with `by`
    (the total counts each `counted` once, whatever its groups; {} when no area has ids)."""
    keys = [key for key in areas if areas[key]]
    if not keys:
        return {}, {}
    if _IN_DATABASE.get():
        totals = _count_per_area_in_database(queryset, path, areas, counted).get(None, {})
        return totals, (_count_per_area_in_database(queryset, path, areas, counted, by) if by else {})
    wanted = set().union(*(areas[key] for key in keys))
    columns = (path, counted, by) if by else (path, counted)
    # Where each counted thing is, in total and by group: {counted: {neighbourhood ids}}.
    where: dict[Any, set[int]] = {}
    where_by: dict[Any, dict[Any, set[int]]] = {}
    for row in queryset.values_list(*columns).distinct().order_by():
        neighbourhood, thing = row[0], row[1]
        if by:
            places = where_by.setdefault(row[2], {})  # a group is there even when none of its rows is in an area
        if thing is None or neighbourhood not in wanted:
            continue  # COUNT(DISTINCT) leaves NULL out; a row outside every area counts nowhere
        where.setdefault(thing, set()).add(neighbourhood)
        if by:
            places.setdefault(thing, set()).add(neighbourhood)

    def count(things: dict[Any, set[int]]) -> AreaCounts:
        counts = dict.fromkeys(areas, 0)
        for key in keys:
            ids = areas[key]
            counts[key] = sum(1 for places in things.values() if not places.isdisjoint(ids))
        return counts

    return count(where), {group: count(things) for group, things in where_by.items()}


def _count_per_area_in_database(
    queryset: QuerySet[Any], path: str, areas: Areas, counted: str = "pk", by: str | None = None
) -> dict[Any, AreaCounts]:
    keys = list(areas)
    columns = {f"a{i}": Count(counted, distinct=True, filter=Q(**{f"{path}__in": sorted(areas[key])})) for i, key in enumerate(keys) if areas[key]}
    if not columns:
        return {}
    rows = queryset.values(by).annotate(**columns).order_by() if by else [queryset.aggregate(**columns)]
    return {row[by] if by else None: {key: row.get(f"a{i}", 0) for i, key in enumerate(keys)} for row in rows}


class Presence:
    """A question "has `city` any of these records yet?" (without them a figure is "no data", not zero):
    `has_x(city)` answers it with one query per queryset; the decorated function gives the querysets,
    `records(city)`, so that `any_records` asks several questions in one query."""

    def __init__(self, records: Callable[[Any], list[QuerySet[Any]]]) -> None:
        self.records = records
        functools.update_wrapper(self, records)

    def __call__(self, city: Any) -> bool:
        return any(queryset.exists() for queryset in self.records(city))


def any_records(questions: Iterable[Presence], city: Any) -> dict[Presence, bool]:
    """{question: answer} of every `Presence` in `questions` about `city`, in one query (a SELECT of EXISTS)."""
    parts, params, owners = [], [], []
    for question in questions:
        for queryset in question.records(city):
            sql, part_params = queryset.query.exists().get_compiler(using=queryset.db).as_sql()
            parts.append(f"EXISTS ({sql})")
            params.extend(part_params)
            owners.append(question)
    if not parts:
        return {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    answers = dict.fromkeys(owners, False)
    for question, found in zip(owners, row, strict=True):
        answers[question] = answers[question] or bool(found)
    return answers


def count_by_quarter(queryset: QuerySet[Any], neighbourhood: str, moment: str) -> QuarterCounts:
    """{(neighbourhood id, quarter 1-4): rows} of `queryset`, in one query: `neighbourhood` is the path
    to the row's neighbourhood id (a row of several neighbourhoods counts in each), `moment` the date
    field whose quarter counts."""
    counts: QuarterCounts = {}
    for n, quarter, count in queryset.values_list(neighbourhood, ExtractQuarter(moment)).annotate(n=Count("pk")).order_by():
        counts[(n, quarter)] = counts.get((n, quarter), 0) + count
    return counts


def during(start, end, since, until):
    """Rows that began (field `start`) before `until` and had not ended (field `end`, empty while
    ongoing) before `since`: those that lasted through some of the period."""
    return Q(**{f"{start}__lt": until}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": since}))


def on_day(field: str, day: date) -> Q:
    """Rows whose moment `field` falls on `day`, a date in the city's time zone."""
    zone = timezone.get_default_timezone()
    start = datetime.combine(day, datetime.min.time(), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})
