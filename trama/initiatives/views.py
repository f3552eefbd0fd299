from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from trama.access import is_citizen, is_partner, neighbourhood_scope, works_in
from trama.collective.models import Decision, Group
from trama.people.queries import people_visible_to
from trama.permissions import permission_required, refuse
from trama.privacy import audit
from trama.shortcuts import form_errors_from, page_of, public_cache, render_page
from trama.territory.queries import city_of

from . import charts, forms, queries, services
from .models import (
    Agreement,
    AgreementParty,
    Commitment,
    GroupActivity,
    Initiative,
    InterventionObject,
    Milestone,
    Participation,
    Partner,
)
from .rules import COMMITMENTS_TO_CHANGE

PAGE_SIZE = 20
JOIN_SESSION_KEY = services.JOIN_SESSION_KEY
TREND_LABELS = {"up": _("in crescita"), "steady": _("stabile"), "down": _("in calo")}


def _errors(form):
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


# -- catalogue of intervention objects ---------------------------------------------------------

@permission_required("initiatives.list_objects")
def object_list(request):
    objects = queries.objects_of(city_of(request.user))
    return render_page(request, "initiatives/objects.html", {
        "objects": objects, "can_manage": request.user.has_perm("initiatives.manage_objects"),
    })


def _object(request, pk):
    return get_object_or_404(InterventionObject.objects.prefetch_related("themes"), pk=pk)


@permission_required("initiatives.view_object", get_object=_object)
def object_detail(request, pk, obj):
    initiatives = queries.initiatives_visible_to(request.user).filter(intervention_object=obj).order_by("name")
    return render_page(request, "initiatives/object_detail.html", {
        "object": obj, "initiatives": initiatives, "can_manage": request.user.has_perm("initiatives.manage_objects", obj),
    })


@permission_required("initiatives.manage_objects")
def object_create(request):
    form = forms.InterventionObjectForm(request.POST or None, city=city_of(request.user))
    if request.method == "POST" and form.is_valid():
        obj = form.save()
        audit.record_change(request, obj, audit.Action.CREATE, reason="oggetto di intervento")
        messages.success(request, _("Attività aggiunta al catalogo."))
        return redirect("initiatives:object", obj.pk)
    return render_page(request, "initiatives/object_form.html", {"form": form}, form)


@permission_required("initiatives.manage_objects", get_object=_object)
def object_edit(request, pk, obj):
    form = forms.InterventionObjectForm(request.POST or None, instance=obj, city=obj.city)
    if request.method == "POST" and form.is_valid():
        form.save()
        audit.record_change(request, obj, reason="oggetto di intervento")
        messages.success(request, _("Attività aggiornata."))
        return redirect("initiatives:object", obj.pk)
    return render_page(request, "initiatives/object_form.html", {"form": form, "object": obj}, form)


@require_POST
@permission_required("initiatives.manage_objects", get_object=_object)
def object_active(request, pk, obj):
    obj.active = request.POST.get("active") == "1"
    obj.save(update_fields=["active"])
    audit.record_change(request, obj, reason="in uso" if obj.active else "non più in uso")
    messages.success(request, _("Attività di nuovo in uso.") if obj.active else _("Attività tolta dal catalogo in uso."))
    return redirect("initiatives:object", obj.pk)


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
    return render_page(request, "initiatives/initiatives.html", {
        "form": form, "page": page, "can_add": request.user.has_perm("initiatives.add_initiative"),
        "can_propose": request.user.has_perm("initiatives.propose_initiative"),
    })


def _initiative(request, pk):
    return get_object_or_404(
        Initiative.objects.select_related("intervention_object", "place", "lead_worker", "origin_group", "origin_organisation")
        .prefetch_related("neighbourhoods", "themes"),
        pk=pk,
    )


@permission_required("initiatives.view_initiative", get_object=_initiative)
def initiative_detail(request, pk, obj):
    user = request.user
    can_change = user.has_perm("initiatives.change_initiative", obj)
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
    return render_page(request, "initiatives/initiative_detail.html", {
        "initiative": obj, "can_change": can_change,
        "can_see_participants": user.has_perm("initiatives.view_participants", obj),
        "partners": partners, "commitments": commitments, "milestones": obj.milestones.all(),
        "transitions": obj.transitions.select_related("by"),
        "assessments": assessments, "last_assessment": assessments[-1] if assessments else None,
        "trend": TREND_LABELS.get(trend), "agreements": obj.agreements.order_by("-starts_on"),
        # The number the initiative declares, else the people registered by name.
        "participants": obj.participant_count if obj.participant_count is not None
        else obj.participations.filter(left_at__isnull=True).count(),
        "partner_form": forms.PartnerForm(city=obj.city), "commitment_form": forms.CommitmentForm(initiative=obj),
        "milestone_form": forms.MilestoneForm(), "is_public_page": obj.is_public and obj.stage in queries.PUBLIC_STAGES,
    })


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


def group_url(group):
    return reverse("collective:group", args=[group.pk])


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
        initial = {"name": group.name, "description": group.purpose, "themes": list(group.themes.all()),
                   "intervention_object": activity.intervention_object_id if activity else None, "lead_worker": user.pk}
    elif decision is not None:
        initial = {"name": decision.text[:160], "description": decision.text, "lead_worker": user.pk}
    else:
        initial = {"lead_worker": user.pk}
    form = forms.InitiativeForm(request.POST or None, city=city, user=user, initial=initial,
                                fixed_neighbourhoods=group is not None or decision is not None)
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
                    city=city, by=user, origin=Initiative.Origin.WORKER, themes=themes, **data,
                )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Iniziativa creata: è un'idea. Aggiungi partner e impegni, poi falla avanzare."))
            return redirect(initiative.get_absolute_url())
    return render_page(request, "initiatives/initiative_form.html", {"form": form, "group": group, "decision": decision}, form)


@permission_required("initiatives.change_initiative", get_object=_initiative)
def initiative_edit(request, pk, obj):
    form = forms.InitiativeForm(request.POST or None, instance=obj, city=obj.city, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        # A worker keeps the neighbourhoods outside their scope the initiative already had.
        if neighbourhood_scope(request.user) is not None:
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


@permission_required("initiatives.change_initiative", get_object=_initiative)
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
        messages.error(request, _("Il tuo account non è ancora collegato a un'organizzazione: chiedilo al coordinamento."))
        return redirect("initiatives:list")
    form = forms.ProposalForm(request.POST or None, city=city, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.propose_initiative(
            city=city, by=user, neighbourhood=data["neighbourhood"], name=data["name"], description=data["description"],
            intervention_object=data["intervention_object"], organisation=data.get("organisation"),
        )
        messages.success(request, _("Grazie! La proposta è arrivata agli operatori del quartiere, che ti ricontatteranno."))
        return redirect("initiatives:list")
    return render_page(request, "initiatives/propose.html", {"form": form}, form)


@require_POST
@permission_required("initiatives.change_initiative", get_object=_initiative)
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
        messages.error(request, _errors(form))
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

    return _confirm_removal(request, obj, services.why_partner_stays, remove, {
        "anchor": "#partner", "partner": obj, "commitments": obj.commitments.all(),
        "submit": _("Togli il partner %(name)s") % {"name": obj.organisation.name},
    })


@require_POST
@permission_required("initiatives.change_initiative", get_object=_initiative)
def commitment_add(request, pk, obj):
    form = forms.CommitmentForm(request.POST, initiative=obj)
    if form.is_valid():
        try:
            services.add_commitment(obj, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Impegno registrato."))
    else:
        messages.error(request, _errors(form))
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
@permission_required("initiatives.change_initiative", get_object=_initiative)
def milestone_add(request, pk, obj):
    form = forms.MilestoneForm(request.POST)
    if form.is_valid():
        services.add_milestone(obj, by=request.user, **form.cleaned_data)
        messages.success(request, _("Traguardo aggiunto."))
    else:
        messages.error(request, _errors(form))
    return redirect(obj.get_absolute_url() + "#traguardi")


def _milestone(request, pk):
    return get_object_or_404(Milestone.objects.select_related("initiative"), pk=pk)


@require_POST
@permission_required("initiatives.change_initiative", get_object=_milestone)
def milestone_reached(request, pk, obj):
    try:
        services.reach_milestone(obj, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Traguardo raggiunto."))
    return redirect(obj.initiative.get_absolute_url() + "#traguardi")


@require_http_methods(["GET", "POST"])
@permission_required("initiatives.change_initiative", get_object=_milestone)
def milestone_remove(request, pk, obj):
    """Take a milestone not yet reached off the initiative, after a confirmation."""
    def remove(milestone):
        services.remove_milestone(milestone, by=request.user)
        return _("Traguardo tolto: %(title)s.") % {"title": milestone.title}

    return _confirm_removal(request, obj, services.why_milestone_stays, remove, {
        "anchor": "#traguardi", "milestone": obj, "submit": _("Togli il traguardo %(title)s") % {"title": obj.title},
    })


@permission_required("initiatives.view_participants", get_object=_initiative)
def participants(request, pk, obj):
    """Who takes part: a count, and the people named with their consent (staff in scope only)."""
    user = request.user
    people = people_visible_to(user).filter(city=obj.city).order_by("display_name")
    add_form = forms.ParticipantForm(request.POST if request.POST.get("action") == "add" else None, people=people)
    count_form = forms.ParticipantCountForm(
        request.POST if request.POST.get("action") == "count" else None, initial={"participant_count": obj.participant_count},
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
    return render_page(request, "initiatives/participants.html", {
        "initiative": obj, "named": named, "others": len(rows) - len(named),
        "add_form": add_form, "count_form": count_form,
    }, form=failed, personal=True)


@permission_required("initiatives.view_initiative", get_object=_initiative)
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
    return render_page(request, "initiatives/assessments.html", {
        "initiative": obj, "assessments": rows, "trend": TREND_LABELS.get(queries.autonomy_trend(rows)),
        "form": form if can_change else None,
    }, form if can_change else None)


@permission_required("initiatives.view_initiative", get_object=_initiative)
def assessment_chart(request, pk, obj):
    png = charts.autonomy_chart(queries.assessments_of(obj), _("Autonomia (0–12) a ogni verifica"))
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=60"
    return response


# -- the group panel: the activity a group uses -------------------------------------------------

@require_POST
@permission_required("initiatives.add_initiative")
def group_activity(request, group_pk):
    group = get_object_or_404(Group.objects.select_related("neighbourhood"), pk=group_pk)
    if not works_in(request.user, group.neighbourhood):
        return refuse(request)
    obj = InterventionObject.objects.filter(city=group.city, active=True, pk=request.POST.get("intervention_object") or 0).first()
    if obj is None:
        GroupActivity.objects.filter(group=group).delete()
        messages.info(request, _("Il gruppo non usa più un'attività del catalogo."))
    else:
        GroupActivity.objects.update_or_create(group=group, defaults={"intervention_object": obj})
        messages.success(request, _("Attività del gruppo: %(name)s.") % {"name": obj.name})
    return redirect(group_url(group))


# -- public side -------------------------------------------------------------------------------

def catalogue(request):
    """Public catalogue of initiatives (no login): filter by neighbourhood and activity."""
    city = city_of(request.user)
    form = forms.CatalogueFilterForm(request.GET or None, city=city)
    neighbourhood = intervention_object = None
    if form.is_valid():
        neighbourhood, intervention_object = form.cleaned_data["quartiere"], form.cleaned_data["attivita"]
    initiatives = queries.public_initiatives(city, neighbourhood, intervention_object)
    # Public content only: for a visitor not signed in it is kept (base.html), and only drawn when it is not.
    page = SimpleLazyObject(lambda: page_of(request, initiatives, PAGE_SIZE))
    return render_page(request, "initiatives/catalogue.html", {"form": form, "page": page, "public_cache": public_cache(request, city)})


def _public(pk):
    initiative = get_object_or_404(
        Initiative.objects.select_related("intervention_object", "place", "place__neighbourhood").prefetch_related("neighbourhoods"),
        pk=pk,
    )
    if not (initiative.is_public and initiative.stage in queries.PUBLIC_STAGES):
        raise Http404
    return initiative


def public_detail(request, pk):
    initiative = _public(pk)
    joined = False
    if is_citizen(request.user):
        joined = Participation.objects.filter(initiative=initiative, person__account=request.user, left_at__isnull=True).exists()
    return render_page(request, "initiatives/public_detail.html", {
        "initiative": initiative, "joined": joined,
        "promoters": initiative.partners.select_related("organisation").order_by("organisation__name"),
    })


def join(request, pk):
    """"Partecipa": anonymous visitors sign in or register first (the choice waits in their session)."""
    initiative = _public(pk)
    user = request.user
    if not user.is_authenticated:
        request.session[JOIN_SESSION_KEY] = initiative.pk
        return render_page(request, "initiatives/join.html", {
            "initiative": initiative, "login_url": reverse("login") + "?next=" + request.path,
        })
    if not is_citizen(user):
        return render_page(request, "initiatives/join.html", {"initiative": initiative, "not_a_citizen": True})
    if request.method == "POST":
        participation, created = services.join(initiative, user=user)
        request.session.pop(JOIN_SESSION_KEY, None)
        if created:
            messages.success(request, _("Fatto! Partecipi a «%(name)s»: la trovi nella tua pagina iniziale.") % {"name": initiative.name})
        else:
            messages.info(request, _("Partecipi già a «%(name)s».") % {"name": initiative.name})
        return redirect("initiatives:public", initiative.pk)
    return render_page(request, "initiatives/join.html", {"initiative": initiative})


# -- agreements --------------------------------------------------------------------------------

@permission_required("initiatives.list_agreements")
def agreement_list(request):
    status = request.GET.get("stato", "")
    agreements = queries.agreements_visible_to(request.user).select_related("initiative").prefetch_related(
        "neighbourhoods", Prefetch("parties", queryset=AgreementParty.objects.select_related("organisation")),
    )
    if status in Agreement.Status.values:
        agreements = agreements.filter(status=status)
    page = page_of(request, agreements.order_by("-starts_on", "title", "pk"), PAGE_SIZE)
    return render_page(request, "initiatives/agreements.html", {
        "page": page, "status": status, "statuses": Agreement.Status.choices,
        "can_manage": request.user.has_perm("initiatives.manage_agreements"),
    })


def _agreement(request, pk):
    return get_object_or_404(
        Agreement.objects.select_related("initiative", "renewed_from").prefetch_related("neighbourhoods"), pk=pk,
    )


@permission_required("initiatives.view_agreement", get_object=_agreement)
def agreement_detail(request, pk, obj):
    return render_page(request, "initiatives/agreement_detail.html", {
        "agreement": obj, "parties": obj.parties.select_related("organisation"),
        "can_manage": request.user.has_perm("initiatives.manage_agreements", obj),
        "moves": services.AGREEMENT_MOVES[obj.status], "renewal": getattr(obj, "renewal", None),
        "renew_form": forms.RenewForm(initial={"starts_on": obj.ends_on or timezone.localdate()}),
    })


def _save_agreement(request, agreement):
    city = agreement.city if agreement.pk else city_of(request.user)
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    form = forms.AgreementForm(data, files, instance=agreement, city=city)
    initial = [{"organisation": p.organisation_id, "name": p.name, "commitments": p.commitments}
               for p in agreement.parties.all()] if agreement.pk else []
    parties = forms.PartyFormSet(data, initial=initial, prefix="parti", form_kwargs={"city": city})
    if request.method == "POST":
        valid = [form.is_valid(), parties.is_valid()]  # both, so both show their errors
        if not valid[1]:
            form.add_error(None, _("Controlla le parti dell'accordo: ogni parte ha bisogno di chi è e di che cosa si impegna a fare."))
    if request.method == "POST" and all(valid):
        agreement = form.instance
        try:
            services.save_agreement(agreement, by=request.user, neighbourhoods=form.cleaned_data["neighbourhoods"],
                                    parties=parties.parties())
            if form.cleaned_data.get("document"):
                services.attach_document(agreement, form.cleaned_data["document"], by=request.user)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Accordo salvato."))
            return redirect("initiatives:agreement", agreement.pk)
    return render_page(request, "initiatives/agreement_form.html", {
        "form": form, "parties": parties, "agreement": agreement if agreement.pk else None,
    }, form)


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
        messages.error(request, _errors(form))
        return redirect("initiatives:agreement", obj.pk)
    try:
        renewal = services.renew_agreement(obj, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("initiatives:agreement", obj.pk)
    messages.success(request, _("Rinnovo creato: controllalo e mettilo in vigore."))
    return redirect("initiatives:agreement", renewal.pk)


@permission_required("initiatives.view_agreement", get_object=_agreement)
def agreement_document(request, pk, obj):
    """The signed PDF, to staff only, always as a download (never from a public media URL)."""
    if not obj.document:
        raise Http404
    audit.record_read(request, obj, reason="documento dell'accordo")
    response = FileResponse(obj.document.open("rb"), as_attachment=True, filename=f"accordo-{obj.pk}.pdf",
                            content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
