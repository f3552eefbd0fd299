"""Shared governance: the programme's bodies, their members' mandates, their meetings (collective's) and
what their decisions changed; the decisions that concern a partner; the steering group's public page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trama.access import is_staff_role
from trama.collective.models import Decision, Meeting
from trama.permissions import permission_required
from trama.shortcuts import form_errors_from, page_of, render_page
from trama.territory.queries import city_of, current_city

from . import forms, queries, services
from .models import Body, Mandate
from .rules import BODIES

PAGE_SIZE = 20


def body_or_404(request, pk):
    return get_object_or_404(Body.objects.select_related("neighbourhood"), pk=pk)


def mandate_body(request, pk):
    return get_object_or_404(Mandate.objects.select_related("body"), pk=pk).body


def decision_body(request, pk):
    decision = get_object_or_404(Decision.objects.select_related("meeting"), pk=pk)
    body = services.body_of(decision.meeting)
    if body is None:
        from django.http import Http404

        raise Http404
    return body


@permission_required("practices.list_bodies")
def body_list(request):
    bodies = BODIES.visible_to(request.user).select_related("neighbourhood")
    return render_page(request, "practices/bodies.html", {"bodies": list(bodies), "can_add": request.user.has_perm("practices.add_body")})


@permission_required("practices.add_body")
def body_create(request):
    city = city_of(request.user)
    form = forms.BodyForm(request.POST or None, city=city)
    if request.method == "POST" and form.is_valid():
        body = form.save(commit=False)
        body.city = city
        try:
            services.create_body(body, by=request.user)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Organismo istituito."))
            return redirect("practices:body", body.pk)
    return render_page(request, "practices/body_form.html", {"form": form}, form=form)


@permission_required("practices.view_body", get_object=body_or_404)
def body_detail(request, pk, obj):
    user = request.user
    decisions = page_of(request, queries.body_decisions(obj), PAGE_SIZE)
    links = queries.links_of(decisions.object_list)
    for decision in decisions.object_list:
        decision.link = links.get(decision.pk)
    meetings = Meeting.objects.filter(pk__in=obj.meetings.values("meeting_id")).order_by("-starts_at")[:20]
    return render_page(
        request,
        "practices/body_detail.html",
        {
            "body": obj,
            "mandates": list(obj.mandates.select_related("organisation", "member")),
            "show_names": is_staff_role(user),
            "meetings": list(meetings),
            "page": decisions,
            "can_change": user.has_perm("practices.change_body", obj),
            "can_meet": user.has_perm("practices.meet_body", obj),
        },
    )


@permission_required("practices.change_body", get_object=body_or_404)
def mandate_add(request, pk, obj):
    form = forms.MandateForm(request.POST or None, city=obj.city)
    if request.method == "POST" and form.is_valid():
        mandate = form.save(commit=False)
        mandate.body = obj
        try:
            services.add_mandate(mandate, by=request.user)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Mandato registrato."))
            return redirect("practices:body", obj.pk)
    return render_page(request, "practices/mandate_form.html", {"form": form, "body": obj}, form=form)


@require_POST
@permission_required("practices.change_body", get_object=mandate_body)
def mandate_end(request, pk, obj):
    mandate = get_object_or_404(Mandate, pk=pk)
    try:
        services.end_mandate(mandate, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        response = redirect("practices:body", obj.pk)
        response.status_code = 303
        return response
    messages.success(request, _("Mandato concluso da oggi."))
    return redirect("practices:body", obj.pk)


@permission_required("practices.meet_body", get_object=body_or_404)
def body_meeting(request, pk, obj):
    form = forms.BodyMeetingForm(request.POST or None, body=obj)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        meeting = Meeting(title=data["title"], starts_at=data["starts_at"], agenda=data["agenda"], is_public=data["is_public"])
        if data.get("neighbourhood"):
            meeting.neighbourhood = data["neighbourhood"]
        try:
            services.hold_meeting(obj, meeting, by=request.user)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Incontro fissato: ordine del giorno, verbale e decisioni si registrano dalla sua pagina."))
            return redirect("collective:meeting", meeting.pk)
    return render_page(request, "practices/body_meeting_form.html", {"form": form, "body": obj}, form=form)


@permission_required("practices.meet_body", get_object=decision_body)
def decision_link(request, pk, obj):
    decision = get_object_or_404(Decision.objects.select_related("meeting"), pk=pk)
    link = queries.links_of([decision]).get(decision.pk)
    initial = {}
    if link is not None:
        initial = {
            "practice": link.practice_id,
            "initiative": link.initiative_id,
            "target": link.target,
            "concerns": list(link.concerns.all()),
            "responsible_organisation": link.responsible_organisation_id,
            "responsible_role": link.responsible_role,
        }
    form = forms.DecisionLinkForm(request.POST or None, user=request.user, body=obj, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.link_decision(decision, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Decisione collegata a ciò che ha cambiato."))
            return redirect("practices:body", obj.pk)
    return render_page(request, "practices/decision_link_form.html", {"form": form, "body": obj, "decision": decision}, form=form)


@permission_required("practices.list_decisions")
def decision_list(request):
    page = page_of(request, queries.decisions_visible_to(request.user).order_by("-decision__meeting__starts_at", "-pk"), PAGE_SIZE)
    return render_page(request, "practices/decisions.html", {"page": page})


def public_decisions(request):
    """The steering group's decisions: what was decided, when, and which organisation answers for it, never a private person."""
    city = current_city()
    body = Body.objects.filter(city=city, kind=Body.Kind.STEERING).first()
    decisions = page_of(request, queries.public_steering_decisions(city), PAGE_SIZE)
    links = queries.links_of(decisions.object_list)
    shown = []
    for decision in decisions.object_list:
        link = links.get(decision.pk)
        if services.decision_problems(decision, link.body if link else services.body_of(decision.meeting)):
            continue  # a decision naming a person stays off the public page until it is reworded
        decision.link = link
        shown.append(decision)
    mandates = list(body.mandates.select_related("organisation").order_by("role")) if body else []
    return render_page(
        request,
        "practices/public_decisions.html",
        {"body": body, "decisions": shown, "page": decisions, "mandates": [m for m in mandates if m.current]},
    )
