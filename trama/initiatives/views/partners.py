"""What an initiative's team keeps up to date: partners, commitments and milestones."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from trama.permissions import permission_required
from trama.shortcuts import form_errors_from, render_page

from .. import forms, services
from ..models import Commitment, Milestone, Partner
from .common import error_text, initiative_or_404


@require_POST
@permission_required("initiatives.change_initiative", get_object=initiative_or_404)
def partner_add(request, pk, obj):
    form = forms.PartnerForm(request.POST, city=obj.city)
    if form.is_valid():
        try:
            services.add_partner(obj, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Partner aggiunto."))
    else:
        messages.error(request, error_text(form))
    return redirect(obj.get_absolute_url() + "#partner")


def _partner(request, pk):
    return get_object_or_404(Partner.objects.select_related("initiative", "organisation"), pk=pk)


def _confirm_removal(request, obj, why_it_stays, remove, context):
    """GET: ask to confirm, or say why it cannot be done (`why_it_stays(obj)`); POST: `remove(obj)`,
    whose service checks again under a lock, and go back to the initiative. A refusal answers 409
    on the confirmation page and changes nothing."""
    initiative = obj.initiative
    if request.method == "POST":
        try:
            message = remove(obj)
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            messages.success(request, message)
            return redirect(initiative.get_absolute_url() + context["anchor"])
    else:
        refusal = why_it_stays(obj)
    response = render_page(request, "initiatives/confirm_remove.html", {"initiative": initiative, "refusal": refusal, **context})
    if refusal is not None:
        response.status_code = 409
    return response


@require_http_methods(["GET", "POST"])
@permission_required("initiatives.change_initiative", get_object=_partner)
def partner_remove(request, pk, obj):
    """Take a partner off the initiative (with its commitments), after a confirmation."""

    def remove(partner):
        services.remove_partner(partner, by=request.user)
        return _("Partner tolto: %(name)s.") % {"name": partner.organisation.name}

    return _confirm_removal(
        request,
        obj,
        services.why_partner_stays,
        remove,
        {
            "anchor": "#partner",
            "partner": obj,
            "commitments": obj.commitments.all(),
            "submit": _("Togli il partner %(name)s") % {"name": obj.organisation.name},
        },
    )


@require_POST
@permission_required("initiatives.co_manage_initiative", get_object=initiative_or_404)
def commitment_add(request, pk, obj):
    staff = request.user.has_perm("initiatives.change_initiative", obj)
    form = forms.CommitmentForm(request.POST, initiative=obj, of=None if staff else request.user)
    if form.is_valid():
        try:
            services.add_commitment(obj, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Impegno registrato."))
    else:
        messages.error(request, error_text(form))
    return redirect(obj.get_absolute_url() + "#impegni")


def _commitment(request, pk):
    return get_object_or_404(Commitment.objects.select_related("initiative", "partner", "partner__organisation"), pk=pk)


@permission_required("initiatives.change_commitment", get_object=_commitment)
def commitment_edit(request, pk, obj):
    initial = {"description": obj.description, "kind": obj.kind, "quantity": obj.quantity, "due_date": obj.due_date}
    form = forms.CommitmentForm(request.POST or None, initiative=obj.initiative, fixed_partner=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_commitment(obj, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Impegno aggiornato."))
            return redirect(obj.initiative.get_absolute_url() + "#impegni")
    return render_page(request, "initiatives/commitment_form.html", {"form": form, "commitment": obj}, form)


@permission_required("initiatives.change_commitment", get_object=_commitment)
def commitment_contribution(request, pk, obj):
    """What the partner gave towards the commitment: it lands in the market's ledger with the initiative's id."""
    initial = {"on": timezone.localdate(), "kind": obj.kind or None, "neighbourhood": obj.initiative.neighbourhoods.first()}
    form = forms.ContributionForm(request.POST or None, initiative=obj.initiative, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_commitment_contribution(obj, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Contributo registrato nel registro delle risorse."))
            return redirect(obj.initiative.get_absolute_url() + "#impegni")
    return render_page(request, "initiatives/contribution_form.html", {"form": form, "commitment": obj}, form)


@require_POST
@permission_required("initiatives.co_manage_initiative", get_object=initiative_or_404)
def milestone_add(request, pk, obj):
    form = forms.MilestoneForm(request.POST)
    if form.is_valid():
        services.add_milestone(obj, by=request.user, **form.cleaned_data)
        messages.success(request, _("Traguardo aggiunto."))
    else:
        messages.error(request, error_text(form))
    return redirect(obj.get_absolute_url() + "#traguardi")


def _milestone(request, pk):
    return get_object_or_404(Milestone.objects.select_related("initiative"), pk=pk)


@require_POST
@permission_required("initiatives.co_manage_initiative", get_object=_milestone)
def milestone_reached(request, pk, obj):
    try:
        services.reach_milestone(obj, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Traguardo raggiunto."))
    return redirect(obj.initiative.get_absolute_url() + "#traguardi")


@require_http_methods(["GET", "POST"])
@permission_required("initiatives.co_manage_initiative", get_object=_milestone)
def milestone_remove(request, pk, obj):
    """Take a milestone not yet reached off the initiative, after a confirmation."""

    def remove(milestone):
        services.remove_milestone(milestone, by=request.user)
        return _("Traguardo tolto: %(title)s.") % {"title": milestone.title}

    return _confirm_removal(
        request,
        obj,
        services.why_milestone_stays,
        remove,
        {
            "anchor": "#traguardi",
            "milestone": obj,
            "submit": _("Togli il traguardo %(title)s") % {"title": obj.title},
        },
    )
