"""The panel the themes app puts on other apps' pages."""

from django import template
from django.db.models import Count, Q

from trama.people.models import Role

from ..models import LIVE, Tag, TextItem, Theme
from ..queries import scoped_items

register = template.Library()


def themes_of_person(user, person):
    """The live themes of the person's text items that `user` may read, named first, each with
    `item_count` and how many of its tags the engine suggested (`by_engine`) or a person set
    (`by_person`). Rejected tags do not count. One query, however many themes."""
    items = scoped_items(user, TextItem.objects.filter(person=person)).values("pk")
    mine = Q(tags__item__in=items, tags__rejected=False)
    by_person = Q(tags__origin=Tag.Origin.PERSON)
    return (
        Theme.objects.filter(mine, status__in=LIVE)
        .annotate(
            item_count=Count("tags", filter=mine, distinct=True),
            by_engine=Count("tags", filter=mine & ~by_person, distinct=True),
            by_person=Count("tags", filter=mine & by_person, distinct=True),
            is_named=Q(status=Theme.Status.NAMED),
        )
        .order_by("-is_named", "-item_count", "name", "suggested_name", "pk")
    )


@register.simple_tag
def person_themes(user, person):
    """Staff allowed to see the person get the themes of their texts; anyone else gets None."""
    if person is None or getattr(user, "role", None) not in (Role.COORDINATOR, Role.WORKER):
        return None
    if not user.has_perm("people.view_person", person):
        return None
    return list(themes_of_person(user, person)[:50])
