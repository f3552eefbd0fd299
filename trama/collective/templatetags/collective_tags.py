from django import template

from trama.access import is_citizen, is_staff_role
from trama.privacy import audit
from trama.territory.queries import current_city

from .. import queries
from ..models import Group, Membership

register = template.Library()


@register.simple_tag
def open_suggestion_count(user):
    return queries.open_suggestion_count(user) if is_staff_role(user) else 0


@register.simple_tag
def upcoming_meetings(user, limit=3):
    """Staff: the next meetings in their scope; citizens: those of their groups."""
    if is_staff_role(user):
        return queries.upcoming(queries.meetings_visible_to(user), limit=limit)
    return queries.upcoming(queries.meetings_for_citizen(user), limit=limit)


@register.simple_tag
def upcoming_public_meetings(limit=3):
    city = current_city()
    return queries.upcoming(queries.public_meetings(city), limit=limit) if city else []


@register.simple_tag
def my_groups(user):
    if not is_citizen(user):
        return []
    return list(queries.groups_visible_to(user).exclude(status=Group.Status.CLOSED).order_by("name")[:10])


@register.simple_tag(takes_context=True)
def groups_of_person(context, user, person):
    """The person's memberships, for staff who may see the person; nothing for others.

    The memberships shown are an audited read (one entry).
    """
    if person is None or not user.has_perm("people.view_person", person):
        return []
    memberships = list(Membership.objects.filter(person=person).select_related("group", "group__neighbourhood").order_by("-joined_at"))
    audit.record_page(context["request"], Membership, [m.pk for m in memberships], f"gruppi della persona {person.pk}")
    return memberships


@register.simple_tag
def groups_of_theme(user, theme):
    """Groups linked to the theme in the user's scope, without personal data."""
    if theme is None or not is_staff_role(user):
        return []
    ids = queries.groups_visible_to(user).values("pk")
    return list(queries.groups_of_theme(theme).filter(pk__in=ids)[:20])
