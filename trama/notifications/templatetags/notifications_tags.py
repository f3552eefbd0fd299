from django import template

from ..queries import unread_count

register = template.Library()


@register.inclusion_tag("notifications/_bell.html")
def notification_bell(user):
    """The header's bell with the unread count, kept in the cache (queries.unread_count): no query on most pages."""
    return {"unread": unread_count(user)}
