"""Counting rows per area, in one query: what every app's figures for insights share.

An *area* is a set of neighbourhood ids under a key (a neighbourhood, the pilots one by one, the
rest of the city...). The apps' `queries.py` count their own rows with these helpers and give
insights plain numbers; insights never reads their tables.
"""

from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractQuarter
from django.utils import timezone

# {area key: neighbourhood ids}: the areas an app's figures are counted in (insights' areas, as the apps' queries take them).
Areas = Mapping[str, AbstractSet[int]]
# {area key: what was counted in it}
AreaCounts = dict[str, int]
# {(neighbourhood id, quarter 1-4): rows}: what count_by_quarter gives (a row without a neighbourhood counts under None).
QuarterCounts = dict[tuple[int | None, int], int]


def count_per_area(queryset: QuerySet[Any], path: str, areas: Areas, counted: str = "pk", by: str | None = None) -> dict[Any, AreaCounts]:
    """{group: {area key: n}}, in one query: for each area of `areas` ({key: neighbourhood ids}), the
    distinct `counted` among the rows whose neighbourhood (reached through `path`) is one of the
    area's. A record with several neighbourhoods counts once in each of them, and once in an area
    that holds several. Without `by` there is one group, None; an area without ids counts 0."""
    keys = list(areas)
    columns = {f"a{i}": Count(counted, distinct=True, filter=Q(**{f"{path}__in": sorted(areas[key])})) for i, key in enumerate(keys) if areas[key]}
    if not columns:
        return {}
    rows = queryset.values(by).annotate(**columns).order_by() if by else [queryset.aggregate(**columns)]
    return {row[by] if by else None: {key: row.get(f"a{i}", 0) for i, key in enumerate(keys)} for row in rows}


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
