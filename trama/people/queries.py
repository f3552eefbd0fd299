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
