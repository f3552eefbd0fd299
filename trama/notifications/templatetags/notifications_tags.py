from django import template

from ..queries import unreachable_channels, unread_count

register = template.Library()


@register.inclusion_tag("notifications/_bell.html")
def notification_bell(user):
    """The header's bell with the unread count, kept in the cache (queries.unread_count): no query on most pages."""
    return {"unread": unread_count(user), "unreachable": unreachable_channels(user)}


@register.inclusion_tag("notifications/_unreachable.html", takes_context=True)
def unreachable_banner(context):
    """The banner telling the signed-in person that her address or number does not receive, with how to fix it."""
    user = context["request"].user
    return {"unreachable": unreachable_channels(user) if user.is_authenticated else [], "request": context["request"]}
