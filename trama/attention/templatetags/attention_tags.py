from django import template

from trama.privacy import audit

from ..models import Encounter, Signal
from ..queries import introduction_pending, signal_queue, signals_sent_by
from ..rules import ENCOUNTERS
from ..training import introductory_module

register = template.Library()


@register.simple_tag
def open_signal_counts(user):
    """How many open signals a worker has in their neighbourhoods, and how many are unassigned."""
    queue = signal_queue(user)
    return {"open": queue.count(), "unassigned": queue.filter(status=Signal.Status.NEW, assigned_to__isnull=True).count()}


@register.simple_tag
def antenna_news(user):
    """How many of an antenna's signals changed status since they last looked."""
    return sum(1 for s in signals_sent_by(user).exclude(status=Signal.Status.NEW)[:50] if s.has_news_for_antenna)


@register.inclusion_tag("attention/_encounters_of_person.html", takes_context=True)
def encounters_of_person(context, person):
    """The encounters with `person` the viewer may read; those shown are an audited read (one entry)."""
    request = context["request"]
    encounters = []
    if request.user.has_perm("attention.view_encounter"):
        encounters = list(
            ENCOUNTERS.visible_to(request.user).filter(person=person).select_related("neighbourhood", "worker").order_by("-happened_at", "-pk")[:20]
        )
        audit.record_page(request, Encounter, [encounter.pk for encounter in encounters], f"incontri della persona {person.pk}")
    return {"encounters": encounters, "person": person, "shown": request.user.has_perm("attention.view_encounter")}


@register.simple_tag
def introduction_to_follow(user):
    """The introductory online module, while an antenna has not completed it (None otherwise)."""
    return introductory_module() if introduction_pending(user) else None
