"""The panel the themes app puts on other apps' pages."""

from django import template

from trama.access import is_staff_role

from ..queries import themes_of_person

register = template.Library()


@register.simple_tag
def person_themes(user, person):
    """Staff allowed to see the person get the themes of their texts; anyone else gets None."""
    if person is None or not is_staff_role(user):
        return None
    if not user.has_perm("people.view_person", person):
        return None
    return list(themes_of_person(user, person)[:50])
