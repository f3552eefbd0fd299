"""Initiatives for staff, partners and citizens: the list, a page, creating, editing, changing stage, proposing."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from trama.access import is_partner, is_staff_role, neighbourhood_scope, works_in
from trama.collective.models import Decision, Group
from trama.market.models import Need
from trama.permissions import permission_required, refuse
from trama.privacy import audit
from trama.shortcuts import form_errors_from, page_of, render_page
from trama.territory.queries import city_of

from .. import answers, forms, queries, services
from ..models import GroupActivity, Initiative
from ..rules import COMMITMENTS_TO_CHANGE
from .common import PAGE_SIZE, TREND_LABELS, group_url, initiative_or_404

# -- initiatives: staff, partners, citizens ----------------------------------------------------


@permission_required("initiatives.list_initiatives")
def initiative_list(request):
    city = city_of(request.user)
    form = forms.InitiativeFilterForm(request.GET or None, city=city)
    initiatives = queries.initiatives_visible_to(request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["quartiere"]:
            initiatives = initiatives.filter(neighbourhoods=data["quartiere"])
        if data["attivita"]:
            initiatives = initiatives.filter(intervention_object=data["attivita"])
        if data["fase"]:
            initiatives = initiatives.filter(stage=data["fase"])
    page = page_of(request, queries.initiatives_list(initiatives.distinct()), PAGE_SIZE)
    return render_page(
        request,
        "initiatives/initiatives.html",
        {
            "form": form,
            "page": page,
            "can_add": request.user.has_perm("initiatives.add_initiative"),
            "can_propose": request.user.has_perm("initiatives.propose_initiative"),
        },
    )


@permission_required("initiatives.view_initiative", get_object=initiative_or_404)
def initiative_detail(request, pk, obj):
    user = request.user
    can_change = user.has_perm("initiatives.change_initiative", obj)
    can_co_manage = can_change or user.has_perm("initiatives.co_manage_initiative", obj)
    commitments = queries.commitments_with_fulfilment(obj)
    changeable = {c.pk for c in COMMITMENTS_TO_CHANGE.allowed_among(user, commitments)} if not can_change else set()
    for commitment in commitments:
        commitment.can_change = can_change or commitment.pk in changeable
    assessments = queries.assessments_of(obj)
    trend = queries.autonomy_trend(assessments)
    partners = list(obj.partners.select_related("organisation").order_by("organisation__name"))
    if can_change:
        locked = queries.partners_with_ledger_links(obj)
        for partner in partners:
            partner.removable = partner.pk not in locked
    # The other direction: the open needs it could answer, only those this worker may broker, audited.
    needs = answers.needs_it_answers(obj, for_user=user) if is_staff_role(user) else []
    if needs:
        audit.record_page(request, Need, [need.pk for need, _score, _parts in needs], "richieste a cui un'attività potrebbe rispondere")
    return render_page(
        request,
        "initiatives/initiative_detail.html",
        {
            "initiative": obj,
            "needs": needs,
            "can_change": can_change,
            "can_co_manage": can_co_manage,
            "can_see_participants": user.has_perm("initiatives.view_participants", obj),
            "partners": partners,
            "commitments": commitments,
            "milestones": obj.milestones.all(),
            "transitions": obj.transitions.select_related("by"),
            "assessments": assessments,
            "last_assessment": assessments[-1] if assessments else None,
            "trend": TREND_LABELS.get(trend),
            "agreements": obj.agreements.order_by("-starts_on"),
            # The number the initiative declares, else the people registered by name.
            "participants": obj.participant_count if obj.participant_count is not None else obj.participations.filter(left_at__isnull=True).count(),
            "partner_form": forms.PartnerForm(city=obj.city),
            "commitment_form": forms.CommitmentForm(initiative=obj, of=None if can_change else user),
            "milestone_form": forms.MilestoneForm(),
            "is_public_page": obj.is_public and obj.stage in queries.PUBLIC_STAGES,
        },
        personal=bool(needs),
    )


def _group(request, user):
    group = get_object_or_404(Group.objects.select_related("neighbourhood"), pk=request.GET.get("gruppo") or 0)
    if not works_in(user, group.neighbourhood):
        return None
    return group


def _decision(request, user):
    decision = get_object_or_404(
        Decision.objects.select_related("meeting", "meeting__group", "meeting__neighbourhood"),
        pk=request.GET.get("decisione") or 0,
    )
    if not works_in(user, decision.meeting.neighbourhood):
        return None
    return decision


@permission_required("initiatives.add_initiative")
def initiative_create(request):
    """A new initiative by staff: on their own, from a group ("Trasforma in iniziativa") or from a meeting decision."""
    user = request.user
    group = decision = None
    if "gruppo" in request.GET:
        group = _group(request, user)
        if group is None:
            return refuse(request)
        if group.status not in (Group.Status.FORMING, Group.Status.ACTIVE):
            messages.info(request, _("Questo gruppo è già diventato un'iniziativa o si è concluso."))
            return redirect(group_url(group))
    elif "decisione" in request.GET:
        decision = _decision(request, user)
        if decision is None:
            return refuse(request)
        if Initiative.objects.filter(origin_decision=decision).exists():
            messages.info(request, _("Da questa decisione è già nata un'iniziativa."))
            return redirect(Initiative.objects.filter(origin_decision=decision).first().get_absolute_url())
    city = group.city if group else decision.meeting.city if decision else city_of(request.user)
    initial = {}
    if group is not None:
        activity = GroupActivity.objects.filter(group=group).first()
        initial = {
            "name": group.name,
            "description": group.purpose,
            "themes": list(group.themes.all()),
            "intervention_object": activity.intervention_object_id if activity else None,
            "lead_worker": user.pk,
        }
    elif decision is not None:
        initial = {"name": decision.text[:160], "description": decision.text, "lead_worker": user.pk}
    else:
        initial = {"lead_worker": user.pk}
    form = forms.InitiativeForm(
        request.POST or None, city=city, user=user, initial=initial, fixed_neighbourhoods=group is not None or decision is not None
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        themes = data.pop("themes")
        try:
            if decision is not None:
                initiative = services.initiative_from_decision(decision, by=user, themes=themes, **data)
            elif group is not None:
                initiative = services.initiative_from_group(group, by=user, themes=themes, **data)
            else:
                initiative = services.create_initiative(
                    city=city,
                    by=user,
                    origin=Initiative.Origin.WORKER,
                    themes=themes,
                    **data,
                )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Iniziativa creata: è un'idea. Aggiungi partner e impegni, poi falla avanzare."))
            return redirect(initiative.get_absolute_url())
    return render_page(request, "initiatives/initiative_form.html", {"form": form, "group": group, "decision": decision}, form)


@permission_required("initiatives.co_manage_initiative", get_object=initiative_or_404)
def initiative_edit(request, pk, obj):
    """Staff edit every field; a partner whose organisation promotes or co-manages it, what they keep up to date."""
    if request.user.has_perm("initiatives.change_initiative", obj):
        form = forms.InitiativeForm(request.POST or None, instance=obj, city=obj.city, user=request.user)
    else:
        form = forms.CoManagedInitiativeForm(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        # A worker keeps the neighbourhoods outside their scope the initiative already had.
        if "neighbourhoods" in data and neighbourhood_scope(request.user) is not None:
            kept = [n for n in obj.neighbourhoods.all() if not works_in(request.user, n)]
            data["neighbourhoods"] = list(data["neighbourhoods"]) + kept
        try:
            services.update_initiative(obj, by=request.user, **data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Iniziativa aggiornata."))
            return redirect(obj.get_absolute_url())
    return render_page(request, "initiatives/initiative_form.html", {"form": form, "initiative": obj}, form)


@permission_required("initiatives.change_initiative", get_object=initiative_or_404)
def initiative_move(request, pk, obj):
    """Move the initiative to another stage: a reason and an explicit confirmation are required."""
    form = forms.MoveForm(request.POST or None, initiative=obj, initial={"stage": request.GET.get("fase")})
    if not form.fields["stage"].choices:
        messages.info(request, _("L'iniziativa è conclusa: non ci sono altre fasi."))
        return redirect(obj.get_absolute_url())
    if request.method == "POST" and form.is_valid():
        try:
            services.move_initiative(obj, form.cleaned_data["stage"], form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Fase aggiornata."))
            return redirect(obj.get_absolute_url())
    return render_page(request, "initiatives/initiative_move.html", {"form": form, "initiative": obj}, form)


@permission_required("initiatives.propose_initiative")
def propose(request):
    """A citizen's or a partner's proposal: an idea the staff of the neighbourhood review."""
    user = request.user
    city = city_of(request.user)
    organisations = user.organisations.all() if is_partner(user) else None
    if organisations is not None and not organisations.exists():
        messages.error(
            request,
            _(
                "Il tuo account non è ancora collegato a un'organizzazione. Chiedi al coordinamento o all'operatore di "
                "comunità di collegarlo: lo fanno dalla scheda dell'organizzazione, «Collega un account partner»."
            ),
        )
        return redirect("initiatives:list")
    form = forms.ProposalForm(request.POST or None, city=city, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.propose_initiative(
            city=city,
            by=user,
            neighbourhood=data["neighbourhood"],
            name=data["name"],
            description=data["description"],
            intervention_object=data["intervention_object"],
            organisation=data.get("organisation"),
        )
        messages.success(request, _("Grazie! La proposta è arrivata agli operatori del quartiere, che ti ricontatteranno."))
        return redirect("initiatives:list")
    return render_page(request, "initiatives/propose.html", {"form": form}, form)
