from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trama import extensions
from trama.access import is_citizen, is_partner, is_staff_role, neighbourhood_scope, works_in
from trama.people.models import Consent, Person
from trama.people.queries import people_visible_to
from trama.people.services import person_for_account, register_person
from trama.permissions import permission_required, refuse
from trama.privacy import audit
from trama.shortcuts import form_errors_from, keyset_page, page_of, public_cache, render_page
from trama.territory.queries import city_of

from . import forms, services
from .answers import needs_for_offer, ranked_answers
from .index import offers_stamp
from .models import Contribution, Match, Need, Offer, Rate, Sector
from .queries import (
    contributions_visible_to,
    ledger_totals,
    matches_visible_to,
    needs_visible_to,
    not_understood,
    offers_visible_to,
    public_counts,
    ranked_offers,
    search_needs,
    search_offers,
)
from .rules import NEEDS, sides_for

PAGE_SIZE = 25


# -- offers ---------------------------------------------------------------------------------


@permission_required("market.list_offers")
def offer_list(request):
    city = city_of(request.user)
    form = forms.OfferSearchForm(request.GET or None, city=city)
    offers = offers_visible_to(request.user).filter(city=city)
    if form.is_valid():
        offers = search_offers(offers, **{k: form.cleaned_data[k] for k in ("q", "neighbourhood", "kind", "status", "who")})
    offers = offers.select_related("organisation", "person").prefetch_related("neighbourhoods").order_by("-created_at", "-pk")
    if not request.user.is_authenticated:
        # The public sees open offers of organisations only (rules.OFFERS), no personal data: the list
        # is kept for it until an offer of the city changes.
        page = SimpleLazyObject(lambda: page_of(request, offers, PAGE_SIZE))
        return render(request, "market/offers.html", {"form": form, "page": page, "public_cache": public_cache(city, offers_stamp(city))})
    page = page_of(request, offers, PAGE_SIZE)
    # An organisation's offer is not personal data; a person's is.
    audit.record_page(request, Offer, [offer.pk for offer in page.object_list if offer.person_id], "elenco offerte")
    return render(request, "market/offers.html", {"form": form, "page": page})


def _offer(request, pk):
    return get_object_or_404(Offer.objects.select_related("organisation", "person"), pk=pk)


@permission_required("market.view_offer", get_object=_offer)
def offer_detail(request, pk, obj):
    if obj.person_id:
        audit.record_read(request, obj, reason="offerta")
    can_change = request.user.has_perm("market.change_offer", obj)
    matches = matches_visible_to(request.user).filter(offer=obj).select_related("need") if request.user.is_authenticated else []
    # The other direction: the open needs it could answer, only those this worker may broker.
    needs = needs_for_offer(obj, for_user=request.user) if is_staff_role(request.user) and obj.status == Offer.Status.OPEN else []
    if needs:
        audit.record_page(request, Need, [need.pk for need, _score, _parts in needs], "richieste a cui un'offerta potrebbe rispondere")
    return render(
        request,
        "market/offer_detail.html",
        {
            "offer": obj,
            "can_change": can_change,
            "matches": matches,
            "needs": needs,
            "statuses": Offer.Status,
        },
    )


def _organisations(user):
    return user.organisations.all() if is_partner(user) else None


@permission_required("market.add_offer")
def offer_create(request):
    city = city_of(request.user)
    user = request.user
    organisations = _organisations(user)
    if is_partner(user) and not organisations.exists():
        messages.error(
            request,
            _(
                "Il tuo account non è ancora collegato a un'organizzazione. Chiedi al coordinamento o all'operatore di "
                "comunità di collegarlo: lo fanno dalla scheda dell'organizzazione, «Collega un account partner»."
            ),
        )
        return redirect("market:offers")
    person = None
    if is_staff_role(user):
        person = get_object_or_404(people_visible_to(user), pk=request.GET.get("persona") or 0)
    form = forms.OfferForm(request.POST or None, city=city, organisations=organisations, on_behalf=person is not None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if is_citizen(user):
            person = person_for_account(user, data["neighbourhoods"][0])
        try:
            offer = services.record_offer(
                person=person,
                organisation=data.get("organisation"),
                kind=data["kind"],
                title=data["title"],
                description=data["description"],
                neighbourhoods=data["neighbourhoods"],
                by=user,
                capacity=data["capacity"],
                days=data["days"],
                slots=data["slots"],
                available_from=data["available_from"],
                available_until=data["available_until"],
                channel=data.get("channel", ""),
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Offerta registrata. Grazie!"))
            return redirect(offer)
    return render_page(request, "market/offer_form.html", {"form": form, "person": person}, form)


@permission_required("market.change_offer", get_object=_offer)
def offer_edit(request, pk, obj):
    form = forms.OfferForm(request.POST or None, city=obj.city, offer=obj)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        neighbourhoods = data.pop("neighbourhoods")
        data.pop("organisation", None)
        try:
            services.update_offer(obj, by=request.user, neighbourhoods=neighbourhoods, **data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Offerta aggiornata."))
            return redirect(obj)
    return render_page(request, "market/offer_form.html", {"form": form, "offer": obj}, form)


@require_POST
@permission_required("market.change_offer", get_object=_offer)
def offer_status(request, pk, obj):
    status = request.POST.get("status", "")
    if status not in Offer.Status.values:
        messages.error(request, _("Stato non valido."))
    else:
        try:
            services.set_offer_status(obj, status, by=request.user)
            messages.success(request, _("Stato dell'offerta aggiornato."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect(obj)


# -- needs ----------------------------------------------------------------------------------


@permission_required("market.list_needs")
def need_list(request):
    city = city_of(request.user)
    form = forms.NeedSearchForm(request.GET or None, city=city)
    needs = needs_visible_to(request.user)
    if form.is_valid():
        needs = search_needs(needs, **{k: form.cleaned_data[k] for k in ("q", "neighbourhood", "urgency", "status")})
    needs = needs.select_related("person", "neighbourhood").order_by("-created_at", "-pk")
    page = page_of(request, needs, PAGE_SIZE)
    audit.record_page(request, Need, [need.pk for need in page.object_list], "elenco richieste")
    return render_page(request, "market/needs.html", {"form": form, "page": page}, personal=True)


def _need(request, pk):
    return get_object_or_404(Need.objects.select_related("person", "neighbourhood"), pk=pk)


def _own_need(request, pk):
    # Someone else's need is not there at all (404), not only refused: a citizen learns nothing of others' ids.
    return get_object_or_404(NEEDS.visible_to(request.user, Need.objects.select_related("person", "neighbourhood")), pk=pk)


@require_POST
@permission_required("market.change_need", get_object=_own_need)
def need_status(request, pk, obj):
    """Withdraw a need (or open it again); "in abbinamento" comes and goes with its matches."""
    status = request.POST.get("status", "")
    if status not in (Need.Status.WITHDRAWN, Need.Status.OPEN, Need.Status.MET):
        return HttpResponseBadRequest(_("Stato non valido: si può solo ritirare, riaprire o segnare come soddisfatta una richiesta."))
    try:
        services.set_need_status(obj, status, by=request.user)
    except ValidationError as error:
        return HttpResponseBadRequest(" ".join(error.messages))
    messages.success(request, _("Stato della richiesta aggiornato."))
    return redirect(request.POST.get("next") if request.POST.get("next") == reverse("my_activity") else obj.get_absolute_url())


@permission_required("market.view_need", get_object=_need)
def need_detail(request, pk, obj):
    audit.record_read(request, obj, reason="richiesta")
    can_broker = request.user.has_perm("market.broker", obj)
    candidates = ranked_answers(obj, for_user=request.user) if can_broker and obj.is_active else []
    # The page names the people whose offers it proposes: reading them is a read of their records.
    personal = [c.offer.pk for c in candidates if c.offer is not None and c.offer.person_id]
    if personal:
        audit.record_page(request, Offer, personal, "offerte proposte per una richiesta")
    active = obj.matches.filter(status__in=Match.ACTIVE).values_list("kind", "offer_id", "answer_id")
    proposed = {(kind, offer_id or answer_id) for kind, offer_id, answer_id in active}
    return render_page(
        request,
        "market/need_detail.html",
        {
            "need": obj,
            "not_understood": can_broker and obj.is_active and not_understood(obj),
            "can_broker": can_broker,
            "candidates": [(c, (c.kind, c.target_id) in proposed) for c in candidates],
            "matches": obj.matches.select_related("offer", "offer__organisation").order_by("-proposed_at"),
            "panels": extensions.panels(extensions.need_panels),  # e.g. who has done something like this
        },
        personal=True,
    )


@permission_required("market.add_need")
def need_create(request):
    city = city_of(request.user)
    user = request.user
    person = None
    if is_staff_role(user):
        person = get_object_or_404(people_visible_to(user), pk=request.GET.get("persona") or 0)
    initial = {"neighbourhood": person.neighbourhood} if person else {}
    form = forms.NeedForm(request.POST or None, city=city, initial=initial, on_behalf=person is not None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if is_staff_role(user) and not works_in(user, data["neighbourhood"]):
            form.add_error("neighbourhood", _("Puoi registrare richieste solo nei quartieri che ti sono assegnati."))
        else:
            who = person or person_for_account(user, data["neighbourhood"])
            try:
                need = services.record_need(
                    person=who,
                    text=data["text"],
                    neighbourhood=data["neighbourhood"],
                    urgency=data["urgency"],
                    by=user,
                    kind=data["kind"],
                    days=data["days"],
                    slots=data["slots"],
                    channel=data.get("channel", ""),
                )
                if data["give_kind"]:
                    services.record_offer(
                        person=who,
                        kind=data["give_kind"],
                        title=data["give_text"][:150],
                        description=data["give_text"],
                        neighbourhoods=[data["neighbourhood"]],
                        by=user,
                        channel=data.get("channel", ""),
                    )
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, _("Richiesta registrata."))
                return redirect(need)
    return render_page(request, "market/need_form.html", {"form": form, "person": person}, form, personal=True)


@require_POST
@permission_required("market.broker", get_object=_need)
def propose(request, pk, obj):
    """Propose an answer for the need: an offer (`offer`, as before) or an answer of another kind (`kind`, `id`)."""
    kind = request.POST.get("kind") or Match.Kind.OFFER
    if kind not in Match.Kind.values:
        return _bad_answer(request, obj, _("Tipo di risposta sconosciuto."))
    if kind != Match.Kind.OFFER:
        target = request.POST.get("id", "")
        if not target.isdigit() or len(target) > 18:
            return _bad_answer(request, obj, _("Risposta non valida."))
        try:
            match = services.propose_answer(need=obj, kind=kind, target_id=int(target), by=request.user)
        except ValidationError as error:
            return _bad_answer(request, obj, " ".join(error.messages))
        messages.success(request, _("Proposta fatta: ora la persona può accettare."))
        return redirect(match)
    offer = get_object_or_404(Offer, pk=request.POST.get("offer") or 0)
    candidate = next((c for c in ranked_offers(obj, limit=50, for_user=request.user) if c.offer.pk == offer.pk), None)
    try:
        match = services.propose_match(
            need=obj,
            offer=offer,
            by=request.user,
            score=candidate.score if candidate else 0.0,
            reasons=candidate.reasons if candidate else [],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(obj)
    messages.success(request, _("Abbinamento proposto: ora le due parti possono accettare."))
    return redirect(match)


def _bad_answer(request, need, message):
    return render(request, "market/bad_answer.html", {"need": need, "message": message}, status=400)


# -- matches --------------------------------------------------------------------------------


@permission_required("market.list_matches")
def match_list(request):
    status = request.GET.get("stato", "")
    matches = matches_visible_to(request.user).select_related("need", "need__neighbourhood", "offer", "offer__organisation")
    if status in Match.Status.values:
        matches = matches.filter(status=status)
    page = page_of(request, matches.order_by("-proposed_at", "-pk"), PAGE_SIZE)
    audit.record_page(request, Match, [match.pk for match in page.object_list], "elenco abbinamenti")
    return render_page(request, "market/matches.html", {"page": page, "status": status, "statuses": Match.Status.choices}, personal=True)


def _match(request, pk):
    return get_object_or_404(
        Match.objects.select_related("need", "need__person", "need__neighbourhood", "offer", "offer__organisation", "offer__person"),
        pk=pk,
    )


@permission_required("market.view_match", get_object=_match)
def match_detail(request, pk, obj):
    audit.record_read(request, obj, reason="abbinamento")
    can_manage = request.user.has_perm("market.manage_match", obj)
    can_follow = can_manage or request.user.has_perm("market.follow_match", obj)
    return render_page(
        request,
        "market/match_detail.html",
        {
            "match": obj,
            "sides": sides_for(request.user, obj),
            "can_manage": can_manage,
            "can_follow": can_follow,
            "step_form": forms.MatchStepForm(),
            "contribution_form": forms.ContributionForm(initial={"on": timezone.localdate()}),
            "contributions": obj.contributions.select_related("person", "organisation"),
            "can_contribute": request.user.has_perm("market.add_contribution") or (can_follow and is_partner(request.user)),
            "service": _service_of(obj),
        },
        personal=True,
    )


def _service_of(match):
    """For a match to a service, the service as it is now (where and when the person is to go): an
    organisation's services are public data (people's rules); None for the other kinds or one since removed."""
    if match.kind != Match.Kind.SERVICE or match.answer_id is None:
        return None
    from trama.people.models import Service

    return Service.objects.select_related("organisation", "place").filter(pk=match.answer_id).first()


@require_POST
@permission_required("market.answer_match", get_object=_match)
def match_answer(request, pk, obj):
    form = forms.AnswerForm(request.POST)
    if not form.is_valid() or form.cleaned_data["side"] not in sides_for(request.user, obj):
        messages.error(request, _("Risposta non valida."))
        return redirect(obj)
    try:
        services.answer_match(obj, side=form.cleaned_data["side"], yes=form.cleaned_data["answer"] == "yes", by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Risposta registrata."))
    return redirect(obj)


@require_POST
@permission_required("market.follow_match", get_object=_match)
def match_step(request, pk, obj):
    form = forms.MatchStepForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(obj)
    step, data = form.cleaned_data["step"], form.cleaned_data
    if step in ("complete", "cancel") and not request.user.has_perm("market.manage_match", obj):
        # The partner whose offer answers follows the match up; closing it is the worker's, with the person.
        return refuse(request)
    try:
        if step == "start":
            services.start_match(obj, by=request.user, follow_up_on=data["follow_up_on"])
        elif step == "follow_up":
            services.set_follow_up(obj, data["follow_up_on"], by=request.user)
        elif step == "complete":
            services.complete_match(obj, outcome=data["outcome"], by=request.user)
        else:
            services.cancel_match(obj, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Abbinamento aggiornato."))
    return redirect(obj)


@require_POST
@permission_required("market.answer_match", get_object=_match)
def match_feedback(request, pk, obj):
    form = forms.FeedbackForm(request.POST)
    if not form.is_valid() or form.cleaned_data["side"] not in sides_for(request.user, obj):
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors) or _("Commento non valido."))
        return redirect(obj)
    try:
        services.leave_feedback(obj, side=form.cleaned_data["side"], text=form.cleaned_data["text"], by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Grazie del commento."))
    return redirect(obj)


@permission_required("market.follow_match", get_object=_match)
def match_contribution(request, pk, obj):
    """Record what was given through this match: it lands in the ledger. The partner whose offer answers
    records what her organisation gave (record_contribution checks it); staff record either side."""
    staff = request.user.has_perm("market.add_contribution")
    if not (staff or is_partner(request.user)):
        return refuse(request)
    form = forms.ContributionForm(request.POST or None, initial={"on": timezone.localdate()})
    if not staff:
        form.fields["giver"].choices = [("offer", _("Chi offre"))]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["giver"] == "need":
            person, organisation = obj.need.person, None
        elif obj.offer_id is not None:
            person, organisation = obj.offer.person, obj.offer.organisation
        else:
            # An activity, a group or a service has no giver in the market: its app records what it gives.
            person = organisation = None
        try:
            if person is None and organisation is None:
                raise ValidationError({"giver": _("Questa risposta non è un'offerta: qui si registra solo ciò che dà chi riceve.")})
            services.record_contribution(
                kind=data["kind"],
                quantity=data["quantity"],
                on=data["on"],
                neighbourhood=obj.need.neighbourhood,
                by=request.user,
                person=person,
                organisation=organisation,
                match=obj,
                area_sqm=data["area_sqm"],
                declared_value=data["declared_value"],
                note=data["note"],
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Contributo registrato nel registro delle risorse."))
            return redirect(obj)
    return render_page(request, "market/contribution_form.html", {"form": form, "match": obj}, form, personal=True)


# -- ledger and rates -----------------------------------------------------------------------


@permission_required("market.view_ledger")
def ledger(request):
    contributions = contributions_visible_to(request.user).select_related("person", "organisation", "neighbourhood", "match")
    page = keyset_page(request, contributions, ["-on", "-pk"], PAGE_SIZE)
    # An organisation's contribution is not personal data; a person's is.
    audit.record_page(request, Contribution, [c.pk for c in page.object_list if c.person_id], "registro dei contributi")
    scope = neighbourhood_scope(request.user)
    totals = [
        {**row, "sector_label": Sector(row["sector"]).label}
        for row in ledger_totals(city=city_of(request.user), by=("sector",), neighbourhoods=scope)
    ]
    return render_page(request, "market/ledger.html", {"page": page, "totals": totals}, personal=True)


@permission_required("market.manage_rates")
def rates(request):
    city = city_of(request.user)
    current = {kind: services.rate_for(city, kind) for kind in Rate.Kind.values}
    form = forms.RateForm(request.POST or None, rates=current)
    if request.method == "POST" and form.is_valid():
        for kind in Rate.Kind.values:
            if form.cleaned_data[kind] != current[kind]:
                services.set_rate(city, kind, form.cleaned_data[kind], by=request.user)
        messages.success(request, _("Tariffe aggiornate: valgono per i contributi registrati da ora in poi."))
        return redirect("market:rates")
    return render_page(request, "market/rates.html", {"form": form}, form)


# -- public doors ---------------------------------------------------------------------------


def public_counts_view(request):
    return render(request, "market/public_counts.html", {"counts": public_counts(city_of(request.user))})


def _door(request, side):
    if not request.user.has_perm("market.use_public_door"):
        messages.info(request, _("Da operatore registri richieste e offerte dalla scheda della persona."))
        return redirect("market:offers")
    city = city_of(request.user)
    form_class = forms.PublicNeedForm if side == "need" else forms.PublicOfferForm
    form = form_class(request.POST or None, city=city)
    if request.method == "POST" and form.is_valid():
        data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in form.cleaned_data.items()}
        draft = {"side": side, "data": data}
        if request.user.is_authenticated:
            made = services.publish_draft(draft, person=person_for_account(request.user, form.cleaned_data["neighbourhood"]), by=request.user)
            messages.success(request, _("Fatto: è nel mercato."))
            return redirect(made)
        services.save_draft(request.session, side, data)
        return redirect("market:draft")
    template = "market/door_need.html" if side == "need" else "market/door_offer.html"
    return render_page(request, template, {"form": form, "city": city}, form)


def door_need(request):
    return _door(request, "need")


def door_offer(request):
    return _door(request, "offer")


def draft(request):
    """The visitor's draft: register, leave a contact, or let it go."""
    current = services.current_draft(request.session)
    if current is None:
        return render(request, "market/draft_missing.html")
    form = forms.ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        from trama.territory.models import Neighbourhood

        data = form.cleaned_data
        neighbourhood = get_object_or_404(Neighbourhood, pk=current["data"]["neighbourhood"])
        try:
            with transaction.atomic():  # the person only with her need or offer: nobody registered for nothing
                person = register_person(
                    by=None,
                    neighbourhood=neighbourhood,
                    display_name=data["name"],
                    channel=Person.Channel.SELF,
                    consents=[Consent.Purpose.REGISTRATION, Consent.Purpose.CONTACT, Consent.Purpose.IDENTIFYING],
                    phone=data["phone"],
                    email=data["email"],
                )
                services.publish_draft(current, person=person, by=None)
        except ValidationError:
            services.discard_draft(request.session)
            messages.error(request, _("La bozza non è più valida: ricomincia, per favore."))
            return redirect("home")
        services.discard_draft(request.session)
        return render(request, "market/draft_done.html", {"side": current["side"]})
    return render_page(
        request,
        "market/draft.html",
        {
            "draft": current,
            "form": form,
            "next": reverse("market:draft"),
        },
        form,
    )


@require_POST
def draft_discard(request):
    services.discard_draft(request.session)
    messages.info(request, _("Bozza eliminata."))
    return redirect("home")
