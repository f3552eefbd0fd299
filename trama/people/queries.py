"""Reads of people and organisations reused by views, API and other apps."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from .rules import PEOPLE

if TYPE_CHECKING:
    from trama.access import Viewer

    from .models import Organisation, Person, User


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
