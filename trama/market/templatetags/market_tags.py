from django import template

from trama.privacy import audit

from ..models import Need, Offer
from ..queries import reciprocity

register = template.Library()


@register.inclusion_tag("market/_reciprocity.html", takes_context=True)
def reciprocity_panel(context, person):
    """Both sides of one person; the needs and offers shown are audited reads (one entry for each list)."""
    request = context["request"]
    data = reciprocity(person)
    audit.record_page(request, Need, [need.pk for need in data["needs"]], f"richieste della persona {person.pk}")
    audit.record_page(request, Offer, [offer.pk for offer in data["offers"]], f"offerte della persona {person.pk}")
    return {**data, "person": person, "perms": context.get("perms"), "request": request}
