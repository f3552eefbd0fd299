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


def services_visible_to(user: Viewer | None, city_id: int) -> QuerySet[Service]:
    """The services of the city's organisations that `user` may see (rules.ORGANISATIONS: the same scope
    as their profile); without a user, all of the city's."""
    from .models import Organisation, Service
    from .rules import ORGANISATIONS

    organisations = Organisation.objects.filter(city_id=city_id) if user is None else ORGANISATIONS.visible_to(user).filter(city_id=city_id)
    # values_list, not values("pk"): the same subquery, in the form django-stubs accepts for an `__in` lookup.
    return Service.objects.filter(organisation__in=organisations.values_list("pk", flat=True))
