"""Who takes part in an initiative, and how autonomous it is becoming (assessments and their chart)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from trama.people.queries import people_visible_to
from trama.permissions import permission_required, refuse
from trama.privacy import audit
from trama.shortcuts import form_errors_from, render_page

from .. import charts, forms, queries, services
from ..models import Participation
from .common import TREND_LABELS, initiative_or_404


@permission_required("initiatives.view_participants", get_object=initiative_or_404)
def participants(request, pk, obj):
    """Who takes part: a count, and the people named with their consent (staff in scope only)."""
    user = request.user
    people = people_visible_to(user).filter(city=obj.city).order_by("display_name")
    add_form = forms.ParticipantForm(request.POST if request.POST.get("action") == "add" else None, people=people)
    count_form = forms.ParticipantCountForm(
        request.POST if request.POST.get("action") == "count" else None,
        initial={"participant_count": obj.participant_count},
    )
    failed = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "add" and add_form.is_valid():
            services.add_participant(obj, person=add_form.cleaned_data["person"], by=user)
            messages.success(request, _("Partecipante aggiunto."))
            return redirect("initiatives:participants", obj.pk)
        if action == "count" and count_form.is_valid():
            services.update_initiative(obj, by=user, participant_count=count_form.cleaned_data["participant_count"])
            messages.success(request, _("Numero di partecipanti aggiornato."))
            return redirect("initiatives:participants", obj.pk)
        if action == "remove" and not request.POST.get("confirm"):
            messages.error(request, _("Conferma spuntando la casella."))
            return redirect("initiatives:participants", obj.pk)
        if action == "remove":
            participation = get_object_or_404(Participation, initiative=obj, pk=request.POST.get("participation") or 0)
            if not user.has_perm("people.view_person", participation.person):
                return refuse(request)
            services.remove_participant(participation, by=user)
            messages.success(request, _("Partecipazione chiusa."))
            return redirect("initiatives:participants", obj.pk)
        failed = add_form if action == "add" else count_form if action == "count" else None
        if failed is None:
            messages.error(request, _("Azione non valida."))
            return redirect("initiatives:participants", obj.pk)
    rows = list(obj.participations.filter(left_at__isnull=True).select_related("person").order_by("joined_at"))
    visible = set(people_visible_to(user).filter(pk__in=[r.person_id for r in rows]).values_list("pk", flat=True))
    named = [r for r in rows if r.person_id in visible]
    audit.record(user, audit.Action.READ, obj, reason="partecipanti dell'iniziativa", path=request.path)
    return render_page(
        request,
        "initiatives/participants.html",
        {
            "initiative": obj,
            "named": named,
            "others": len(rows) - len(named),
            "add_form": add_form,
            "count_form": count_form,
        },
        form=failed,
        personal=True,
    )


@permission_required("initiatives.view_initiative", get_object=initiative_or_404)
def assessments(request, pk, obj):
    """The autonomy reviews: a table, a chart, and a one-line verdict; staff add a new review."""
    can_change = request.user.has_perm("initiatives.change_initiative", obj)
    form = forms.AssessmentForm(request.POST or None, initial={"assessed_on": timezone.localdate()})
    if request.method == "POST":
        if not can_change:
            return refuse(request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.assess_autonomy(obj, by=request.user, **data)
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, _("Verifica registrata."))
                return redirect("initiatives:assessments", obj.pk)
    rows = queries.assessments_of(obj)
    return render_page(
        request,
        "initiatives/assessments.html",
        {
            "initiative": obj,
            "assessments": rows,
            "trend": TREND_LABELS.get(queries.autonomy_trend(rows)),
            "form": form if can_change else None,
        },
        form if can_change else None,
    )


@permission_required("initiatives.view_initiative", get_object=initiative_or_404)
def assessment_chart(request, pk, obj):
    png = charts.autonomy_chart(queries.assessments_of(obj), _("Autonomia (0–12) a ogni verifica"))
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=60"
    return response
