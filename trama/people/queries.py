"""Reads of people and organisations reused by views, API and other apps."""

from django.db.models import Q

from .models import Person, Role


def people_visible_to(user):
    """The people whose records `user` may open: never more than their scope."""
    if not user.is_authenticated or not user.is_active:
        return Person.objects.none()
    if user.role == Role.COORDINATOR:
        return Person.objects.filter(city=user.city) if user.city_id else Person.objects.all()
    if user.role == Role.WORKER:
        return Person.objects.filter(neighbourhood__in=user.neighbourhood_ids())
    return Person.objects.filter(account=user)


def organisations_of(user):
    return user.organisations.all() if user.is_authenticated else []


def search_people(queryset, text):
    text = (text or "").strip()
    if not text:
        return queryset
    return queryset.filter(Q(display_name__icontains=text) | Q(first_name__icontains=text) | Q(last_name__icontains=text))
