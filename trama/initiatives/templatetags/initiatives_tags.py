"""Panels the initiatives app puts on other apps' pages and on the home pages."""

from django import template

from trama.access import is_staff_role
from trama.privacy import audit

from ..models import GroupActivity, Initiative, InterventionObject, Participation
from ..queries import initiatives_list, initiatives_of_person, initiatives_visible_to, joined_by, public_initiatives
from ..services import JOIN_SESSION_KEY

register = template.Library()


@register.inclusion_tag("initiatives/_citizen_card.html", takes_context=True)
def citizen_initiatives(context):
    """The initiatives the citizen joined, and the one they chose before signing in (to confirm)."""
    request = context["request"]
    pending_pk = request.session.get(JOIN_SESSION_KEY)
    joined = list(joined_by(request.user)[:10])
    pending = None
    if pending_pk and pending_pk not in {i.pk for i in joined}:
        pending = Initiative.objects.filter(pk=pending_pk).first()
    return {"joined": joined, "pending": pending}


@register.inclusion_tag("initiatives/_partner_card.html", takes_context=True)
def partner_initiatives(context):
    user = context["request"].user
    return {"initiatives": list(initiatives_list(initiatives_visible_to(user))[:10])}


@register.inclusion_tag("initiatives/_person_initiatives.html", takes_context=True)
def person_initiatives(context, person):
    """The initiatives a person takes part in, for staff who may see the person; the participations shown are audited."""
    request = context["request"]
    user = request.user
    if not is_staff_role(user) or not user.has_perm("people.view_person", person):
        return {"show": False}
    participations = list(initiatives_of_person(person)[:20])
    audit.record_page(request, Participation, [p.pk for p in participations], f"iniziative della persona {person.pk}")
    return {"show": True, "participations": participations}


@register.inclusion_tag("initiatives/_theme_initiatives.html", takes_context=True)
def theme_initiatives(context, theme):
    user = context["request"].user
    return {"initiatives": list(initiatives_visible_to(user).filter(themes=theme).order_by("name")[:20])}


@register.inclusion_tag("initiatives/_group_activity.html", takes_context=True)
def group_panel(context, group):
    request = context["request"]
    activity = GroupActivity.objects.filter(group=group).select_related("intervention_object").first()
    can_act = request.user.has_perm("initiatives.add_initiative")
    return {
        "group": group,
        "activity": activity,
        "can_act": can_act,
        "csrf_token": context.get("csrf_token"),
        "objects": InterventionObject.objects.filter(city_id=group.city_id, active=True).order_by("name") if can_act else [],
        "initiatives": Initiative.objects.filter(origin_group=group).order_by("pk"),
        "open": group.status in (group.Status.FORMING, group.Status.ACTIVE),
    }


@register.inclusion_tag("initiatives/_decision.html", takes_context=True)
def decision_actions(context, decision):
    request = context["request"]
    return {
        "decision": decision,
        "can_act": request.user.has_perm("initiatives.add_initiative"),
        "initiative": Initiative.objects.filter(origin_decision=decision).first(),
    }


@register.inclusion_tag("initiatives/_organisation_public.html")
def organisation_public_initiatives(organisation):
    """The public initiatives an organisation promotes or takes part in, for its public page (no people named)."""
    initiatives = public_initiatives(organisation.city).filter(partners__organisation=organisation).distinct().order_by("name")
    return {"initiatives": list(initiatives[:30])}
