"""Reads of people and organisations reused by views, API and other apps."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet

from trama.aggregates import Presence, count_by_quarter

from .models import Organisation, Person, Service
from .rules import PEOPLE

if TYPE_CHECKING:
    from trama.access import Viewer
    from trama.aggregates import QuarterCounts
    from trama.territory.models import City

    from .models import Service, User

# The channels of people met by going towards them (an antenna's signal, an outreach), and of
# those who came by themselves: what the programme's figures compare.
PROACTIVE_CHANNELS = frozenset({Person.Channel.ANTENNA, Person.Channel.OUTREACH})
SELF_CHANNEL = Person.Channel.SELF


def people_visible_to(user: Viewer) -> QuerySet[Person]:
    """The people whose records `user` may open (rules.PEOPLE): never more than their scope."""
    return PEOPLE.visible_to(user)


def organisations_of(user: Viewer) -> QuerySet[Organisation] | list[Organisation]:
    return user.organisations.all() if user.is_authenticated else []


def search_people(queryset: QuerySet[Person], text: str | None) -> QuerySet[Person]:
    text = (text or "").strip()
    if not text:
        return queryset
    return queryset.filter(Q(display_name__icontains=text) | Q(first_name__icontains=text) | Q(last_name__icontains=text))


def staff_of_city(city_id: int) -> QuerySet[User]:
    """The active coordinators and workers of a city (whose scope each caller checks with its own rules)."""
    from .models import Role, User

    return User.objects.filter(city_id=city_id, is_active=True, role__in=[Role.COORDINATOR, Role.WORKER]).order_by("pk")


def organisations_of_city(city: City | None) -> QuerySet[Organisation]:
    """The organisations of `city` by name (none without a city)."""
    return Organisation.objects.filter(city=city).order_by("name") if city else Organisation.objects.none()


def public_organisations(city: City | None) -> QuerySet[Organisation]:
    """The organisations of `city` that agreed to a public page, by name: the only ones the open data names."""
    return organisations_of_city(city).filter(public_page_agreed=True)


def public_services(city: City | None) -> QuerySet[Service]:
    """The services of the organisations of `city` that agreed to a public page, by organisation and name."""
    if city is None:
        return Service.objects.none()
    return (
        Service.objects.filter(organisation__city=city, organisation__public_page_agreed=True)
        .select_related("place")
        .order_by("organisation__name", "name", "pk")
    )


# -- figures for insights: plain counts, no one named ---------------------------------------


@Presence
def has_people(city: City | None) -> list[QuerySet[Any]]:
    """Whether `city` has registered anyone yet (a figure without people is "no data", not zero)."""
    return [Person.objects.filter(city=city)]


def people_first_met(city: City | None, since: datetime, until: datetime) -> dict[tuple[int, str, bool], int]:
    """{(neighbourhood id, first-contact channel, known to services): people} of the people of `city`
    first met between `since` (included) and `until` (excluded), in one query."""
    rows = (
        Person.objects.filter(city=city, first_contact_at__gte=since, first_contact_at__lt=until)
        .values_list("neighbourhood_id", "first_contact_channel", "known_to_services")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(n, channel, known): count for n, channel, known, count in rows}


def people_reached_by_quarter(city: City | None, since: datetime, until: datetime) -> QuarterCounts:
    """{(neighbourhood id, quarter): people} first met through an antenna or an outreach between
    `since` and `until` (open data, one query)."""
    reached = Person.objects.filter(city=city, first_contact_at__gte=since, first_contact_at__lt=until, first_contact_channel__in=PROACTIVE_CHANNELS)
    return count_by_quarter(reached, "neighbourhood_id", "first_contact_at")


# Columns of service_rows, in order.
SERVICE_ROW = (
    "pk",
    "name",
    "description",
    "opening_hours",
    "place_id",
    "place_name",
    "place_neighbourhood_id",
    "organisation_id",
    "organisation_name",
    "embedding",
    "embedding_model",
)
# The organisations' rule (rules.ORGANISATIONS) compiled to SQL, per (database, condition, city): the same Q
# always compiles to the same statement, and compiling it (a join and a DISTINCT) cost Django more than the
# read itself. A few hundred entries: one per worker's set of neighbourhoods, per partner, per city.
_compiled_rules: dict[tuple[Any, ...], tuple[str, tuple[Any, ...]]] = {}
COMPILED_RULES_SIZE = 256


def _organisations_rule_sql(user: Viewer, city_id: int) -> tuple[str, tuple[Any, ...]] | None:
    """(SQL, params) of the ids of the city's organisations `user` may see (rules.ORGANISATIONS), or None
    when she may see none. The rule is evaluated by the database on every read: only its compilation is kept."""
    from django.db import connection

    from .rules import ORGANISATIONS

    condition = ORGANISATIONS.condition(user)
    if condition is None:
        return None
    try:
        key: tuple[Any, ...] | None = (connection.alias, connection.vendor, condition, city_id)
        compiled = _compiled_rules.get(key)  # type: ignore[arg-type]
    except TypeError:  # a condition that cannot be hashed (an unsaved object in it): compiled every time
        key, compiled = None, None
    if compiled is None:
        sql, params = ORGANISATIONS.visible_to(user).filter(city_id=city_id).order_by().values("pk").query.sql_with_params()
        compiled = (sql, tuple(params))
        if key is not None:
            if len(_compiled_rules) >= COMPILED_RULES_SIZE:
                _compiled_rules.clear()
            _compiled_rules[key] = compiled
    return compiled


def service_rows(user: Viewer | None, city_id: int, pks: list[int]) -> list[tuple[Any, ...]]:
    """The services among `pks` that `user` may see: those of the city's organisations rules.ORGANISATIONS
    lets her see (the same scope as their profile; without a user, all of the city's), as tuples of the
    SERVICE_ROW columns (with their place's name and neighbourhood and their organisation's name), in no order.
    One statement written once as SQL, the rule compiled once (_organisations_rule_sql): the market reads a few
    services for every list of answers it ranks, and Django building that query cost more than the database
    answering it."""
    from django.db import connection

    from trama.territory.models import Place

    if not pks:
        return []
    q = connection.ops.quote_name
    service, organisation, place = Service._meta, Organisation._meta, Place._meta

    def col(alias: str, meta: Any, name: str) -> str:
        return f"{alias}.{q(meta.get_field(name).column)}"

    if user is None:
        scope, scope_params = f"{col('o', organisation, 'city')} = %s", (city_id,)
    else:
        rule = _organisations_rule_sql(user, city_id)
        if rule is None:
            return []
        scope, scope_params = f"{col('s', service, 'organisation')} IN ({rule[0]})", rule[1]
    columns = [
        col("s", service, "id"),
        col("s", service, "name"),
        col("s", service, "description"),
        col("s", service, "opening_hours"),
        col("s", service, "place"),
        col("p", place, "name"),
        col("p", place, "neighbourhood"),
        col("s", service, "organisation"),
        col("o", organisation, "name"),
        col("s", service, "embedding"),
        col("s", service, "embedding_model"),
    ]
    sql = (
        f"SELECT {', '.join(columns)} FROM {q(service.db_table)} s"
        f" INNER JOIN {q(organisation.db_table)} o ON {col('s', service, 'organisation')} = {col('o', organisation, 'id')}"
        f" LEFT OUTER JOIN {q(place.db_table)} p ON {col('s', service, 'place')} = {col('p', place, 'id')}"
        f" WHERE {col('s', service, 'id')} IN ({', '.join(['%s'] * len(pks))}) AND {scope}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*pks, *scope_params])
        return [tuple(row) for row in cursor.fetchall()]
