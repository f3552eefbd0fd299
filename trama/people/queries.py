"""Reads of people and organisations reused by views, API and other apps."""

from django.db.models import Q

from .rules import PEOPLE


def people_visible_to(user):
    """The people whose records `user` may open (rules.PEOPLE): never more than their scope."""
    return PEOPLE.visible_to(user)


def organisations_of(user):
    return user.organisations.all() if user.is_authenticated else []


def search_people(queryset, text):
    text = (text or "").strip()
    if not text:
        return queryset
    return queryset.filter(Q(display_name__icontains=text) | Q(first_name__icontains=text) | Q(last_name__icontains=text))


def staff_of_city(city_id):
    """The active coordinators and workers of a city (whose scope each caller checks with its own rules)."""
    from .models import Role, User

    return User.objects.filter(city_id=city_id, is_active=True, role__in=[Role.COORDINATOR, Role.WORKER]).order_by("pk")


def services_visible_to(user, city_id):
    """The services of the city's organisations that `user` may see (rules.ORGANISATIONS: the same scope
    as their profile); without a user, all of the city's."""
    from .models import Organisation, Service
    from .rules import ORGANISATIONS

    organisations = Organisation.objects.filter(city_id=city_id) if user is None else ORGANISATIONS.visible_to(user).filter(city_id=city_id)
    return Service.objects.filter(organisation__in=organisations.values("pk"))
