"""Agreements (pacts of collaboration, co-design): list, page, writing, status, renewal, the signed document."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trama.permissions import permission_required
from trama.privacy import audit
from trama.shortcuts import form_errors_from, page_of, render_page
from trama.territory.queries import city_of

from .. import forms, queries, services
from ..models import Agreement, AgreementParty, Initiative
from .common import PAGE_SIZE, error_text

# -- agreements --------------------------------------------------------------------------------


@permission_required("initiatives.list_agreements")
def agreement_list(request):
    status = request.GET.get("stato", "")
    agreements = (
        queries.agreements_visible_to(request.user)
        .select_related("initiative")
        .prefetch_related(
            "neighbourhoods",
            Prefetch("parties", queryset=AgreementParty.objects.select_related("organisation")),
        )
    )
    if status in Agreement.Status.values:
        agreements = agreements.filter(status=status)
    page = page_of(request, agreements.order_by("-starts_on", "title", "pk"), PAGE_SIZE)
    return render_page(
        request,
        "initiatives/agreements.html",
        {
            "page": page,
            "status": status,
            "statuses": Agreement.Status.choices,
            "can_manage": request.user.has_perm("initiatives.manage_agreements"),
        },
    )


@permission_required("initiatives.list_our_agreements")
def our_agreements(request):
    """A partner's "I nostri patti": the agreements their organisations are party to, those to renew first."""
    agreements = list(queries.our_agreements(request.user))
    today = timezone.localdate()
    for agreement in agreements:
        agreement.days_left = (agreement.ends_on - today).days if agreement.ends_on else None
    return render_page(request, "initiatives/our_agreements.html", {"agreements": agreements})


def pact_register(request):
    """The public register of the patti di collaborazione (no login): parties that are organisations, object,
    neighbourhoods, dates and status; searchable, paginated, with the count of pacts by neighbourhood."""
    city = city_of(request.user)
    form = forms.PactRegisterForm(request.GET or None, city=city)
    data = form.cleaned_data if form.is_valid() else {}
    pacts = queries.public_pacts(city, search=data.get("cerca", ""), neighbourhood=data.get("quartiere"), status=data.get("stato", ""))
    page = page_of(request, pacts, PAGE_SIZE)
    page.object_list = list(page.object_list)
    for pact in page.object_list:
        parties = list(pact.parties.all())
        pact.organisations = [party.organisation for party in parties if party.organisation_id]
        pact.has_citizens = any(not party.organisation_id for party in parties)
    return render_page(
        request,
        "initiatives/pact_register.html",
        {"form": form, "page": page, "by_neighbourhood": queries.pacts_by_neighbourhood(city)},
        form,
    )


def _agreement(request, pk):
    return get_object_or_404(
        Agreement.objects.select_related("initiative", "renewed_from").prefetch_related("neighbourhoods"),
        pk=pk,
    )


@permission_required("initiatives.view_agreement", get_object=_agreement)
def agreement_detail(request, pk, obj):
    return render_page(
        request,
        "initiatives/agreement_detail.html",
        {
            "agreement": obj,
            "parties": obj.parties.select_related("organisation"),
            "can_manage": request.user.has_perm("initiatives.manage_agreements", obj),
            "moves": services.AGREEMENT_MOVES[obj.status],
            "renewal": getattr(obj, "renewal", None),
            "renew_form": forms.RenewForm(initial={"starts_on": obj.ends_on or timezone.localdate()}),
        },
    )


def _save_agreement(request, agreement):
    city = agreement.city if agreement.pk else city_of(request.user)
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    form = forms.AgreementForm(data, files, instance=agreement, city=city)
    initial = (
        [{"organisation": p.organisation_id, "name": p.name, "commitments": p.commitments} for p in agreement.parties.all()] if agreement.pk else []
    )
    parties = forms.PartyFormSet(data, initial=initial, prefix="parti", form_kwargs={"city": city})
    if request.method == "POST":
        valid = [form.is_valid(), parties.is_valid()]  # both, so both show their errors
        if not valid[1]:
            form.add_error(None, _("Controlla le parti dell'accordo: ogni parte ha bisogno di chi è e di che cosa si impegna a fare."))
    if request.method == "POST" and all(valid):
        agreement = form.instance
        try:
            services.save_agreement(agreement, by=request.user, neighbourhoods=form.cleaned_data["neighbourhoods"], parties=parties.parties())
            if form.cleaned_data.get("document"):
                services.attach_document(agreement, form.cleaned_data["document"], by=request.user)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Accordo salvato."))
            return redirect("initiatives:agreement", agreement.pk)
    return render_page(
        request,
        "initiatives/agreement_form.html",
        {
            "form": form,
            "parties": parties,
            "agreement": agreement if agreement.pk else None,
        },
        form,
    )


@permission_required("initiatives.manage_agreements")
def agreement_create(request):
    initial_initiative = request.GET.get("iniziativa")
    agreement = Agreement(city=city_of(request.user), starts_on=timezone.localdate())
    if initial_initiative and initial_initiative.isdigit():
        agreement.initiative = Initiative.objects.filter(pk=initial_initiative, city=agreement.city).first()
    return _save_agreement(request, agreement)


@permission_required("initiatives.manage_agreements", get_object=_agreement)
def agreement_edit(request, pk, obj):
    return _save_agreement(request, obj)


@require_POST
@permission_required("initiatives.manage_agreements", get_object=_agreement)
def agreement_status(request, pk, obj):
    status = request.POST.get("status", "")
    if status not in Agreement.Status.values:
        messages.error(request, _("Stato non valido."))
    elif status == Agreement.Status.TERMINATED and not request.POST.get("confirm"):
        messages.error(request, _("Per chiudere l'accordo prima della scadenza spunta la conferma."))
    else:
        try:
            services.set_agreement_status(obj, status, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Stato dell'accordo aggiornato."))
    return redirect("initiatives:agreement", obj.pk)


@require_POST
@permission_required("initiatives.manage_agreements", get_object=_agreement)
def agreement_renew(request, pk, obj):
    form = forms.RenewForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_text(form))
        return redirect("initiatives:agreement", obj.pk)
    try:
        renewal = services.renew_agreement(obj, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("initiatives:agreement", obj.pk)
    messages.success(request, _("Rinnovo creato: controllalo e mettilo in vigore."))
    return redirect("initiatives:agreement", renewal.pk)


@permission_required("initiatives.view_agreement_document", get_object=_agreement)
def agreement_document(request, pk, obj):
    """The signed PDF, to staff only, always as a download (never from a public media URL)."""
    if not obj.document:
        raise Http404
    audit.record_read(request, obj, reason="documento dell'accordo")
    response = FileResponse(obj.document.open("rb"), as_attachment=True, filename=f"accordo-{obj.pk}.pdf", content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
