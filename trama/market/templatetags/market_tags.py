from django import template

from trama.privacy import audit

from ..queries import reciprocity

register = template.Library()


@register.inclusion_tag("market/_reciprocity.html", takes_context=True)
def reciprocity_panel(context, person):
    """Both sides of one person; the needs shown are an audited read."""
    request = context["request"]
    data = reciprocity(person)
    if data["needs"]:
        audit.record(request.user, audit.Action.READ, person, reason="richieste e offerte della persona", path=request.path)
    return {**data, "person": person, "perms": context.get("perms"), "request": request}
