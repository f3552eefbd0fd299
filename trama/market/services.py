"""Actions on the market: each validates, writes, audits and returns what it made."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from trama.access import PARTNER, is_citizen, is_staff_role, role_of, works_in
from trama.notifications.models import Kind
from trama.notifications.services import notify
from trama.people.rules import is_member_of, may_record_for, may_speak_for
from trama.privacy import audit

from .models import Channel, Contribution, Match, Need, Offer, Rate, Sector
from .rules import (
    MATCHES_TO_ANSWER,
    MATCHES_TO_FOLLOW,
    MATCHES_TO_MANAGE,
    NEEDS,
    NEEDS_TO_BROKER,
    OFFERS,
    OFFERS_TO_CHANGE,
    parties_of,
    sides_for,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from trama.access import Viewer
    from trama.people.models import Organisation, Person, User
    from trama.territory.models import City, Neighbourhood

ModelT = TypeVar("ModelT", bound=Model)
# A draft from a public door as the session keeps it: JSON ("side", "data", "at").
Draft = dict[str, Any]


def _tell_parties(match: Match, kind: str, by: User) -> None:
    """Notify the match's parties (rules.parties_of) but `by`, who made the change: the bell says only
    that there is news about a match of theirs, the page shows what they may see."""
    parties = [user for user in parties_of(match) if user.pk != by.pk]
    notify(kind, parties, url=reverse("market:match", args=[match.pk]), key=f"{kind}:{match.pk}")


# Defaults for the rates when a coordinator has not set them (overridable in settings).
DEFAULT_RATES = {
    Rate.Kind.VOLUNTEER_HOUR: Decimal("16.00"),
    Rate.Kind.SPACE_SQM_HOUR: Decimal("0.25"),
    Rate.Kind.GOODS_ITEM: Decimal("10.00"),
}

ORGANISATION_SECTOR = {
    "public": Sector.PUBLIC,
    "school": Sector.PUBLIC,
    "third_sector": Sector.THIRD_SECTOR,
    "informal": Sector.THIRD_SECTOR,
    "faith": Sector.THIRD_SECTOR,
    "business": Sector.BUSINESS,
}


def _validated(obj: ModelT, exclude: Iterable[str] = ()) -> ModelT:
    obj.full_clean(exclude=list(exclude) + ["search_tokens"], validate_constraints=False)
    return obj


def record_need(
    *,
    person: Person,
    text: str,
    neighbourhood: Neighbourhood,
    urgency: str,
    by: Viewer | None,
    kind: str = "",
    days: int = 0,
    slots: int = 0,
    channel: str = "",
) -> Need:
    """Record what `person` needs, in their own words; audited. Raises ValidationError on bad input.

    Staff record for people in their scope, in their neighbourhoods; anyone else only for themself.
    """
    if not may_record_for(by, person, neighbourhood):
        raise PermissionDenied(_("Puoi registrare richieste solo nei quartieri che ti sono assegnati."))
    return _save_need(
        person=person, text=text, neighbourhood=neighbourhood, urgency=urgency, by=by, kind=kind, days=days, slots=slots, channel=channel
    )


@transaction.atomic  # the need, what its save sets off (text copy, change rows) and its audit entry: all or nothing
def _channel(channel: str, by: Viewer | None) -> str:
    """How a need or an offer arrived: as the worker recorded it; written by anyone else, on the site."""
    if channel:
        return channel
    return "" if by is not None and is_staff_role(by) else Channel.WEB


def _save_need(
    *,
    person: Person,
    text: str,
    neighbourhood: Neighbourhood,
    urgency: str,
    by: Viewer | None,
    kind: str = "",
    days: int = 0,
    slots: int = 0,
    channel: str = "",
) -> Need:
    need = Need(
        city_id=neighbourhood.city_id,
        person=person,
        text=(text or "").strip(),
        neighbourhood=neighbourhood,
        urgency=urgency,
        kind=kind or "",
        days=days or 0,
        slots=slots or 0,
        channel=_channel(channel, by),
        created_by=by if by is not None and by.is_authenticated else None,
    )
    _validated(need)
    need.save()
    audit.record(by, audit.Action.CREATE, need, reason="richiesta registrata")
    return need


@transaction.atomic
def record_offer(
    *,
    person: Person | None = None,
    kind: str,
    title: str,
    description: str = "",
    neighbourhoods: Iterable[Neighbourhood],
    by: Viewer | None,
    organisation: Organisation | None = None,
    capacity: int = 1,
    days: int = 0,
    slots: int = 0,
    available_from: date | None = None,
    available_until: date | None = None,
    channel: str = "",
) -> Offer:
    """Record what a person (or an organisation) offers, in the given neighbourhoods; audited.

    Staff record for people in their scope; a person for themself; members for their organisation.
    """
    neighbourhoods = list(neighbourhoods)
    if person is not None and not may_record_for(by, person, neighbourhoods[0] if neighbourhoods else None):
        raise PermissionDenied(_("Puoi registrare offerte solo per persone dei quartieri che ti sono assegnati."))
    if organisation is not None and not may_speak_for(by, organisation):
        raise PermissionDenied(_("Puoi registrare offerte solo per la tua organizzazione."))
    return _save_offer(
        person=person,
        kind=kind,
        title=title,
        description=description,
        neighbourhoods=neighbourhoods,
        by=by,
        organisation=organisation,
        capacity=capacity,
        days=days,
        slots=slots,
        available_from=available_from,
        available_until=available_until,
        channel=channel,
    )


def _save_offer(
    *,
    person: Person | None = None,
    kind: str,
    title: str,
    description: str = "",
    neighbourhoods: list[Neighbourhood],
    by: Viewer | None,
    organisation: Organisation | None = None,
    capacity: int = 1,
    days: int = 0,
    slots: int = 0,
    available_from: date | None = None,
    available_until: date | None = None,
    channel: str = "",
) -> Offer:
    if not neighbourhoods:
        raise ValidationError({"neighbourhoods": _("Indica almeno un quartiere.")})
    if (person is None) == (organisation is None):
        raise ValidationError(_("Un'offerta è di una persona o di un'organizzazione."))
    offer = Offer(
        city_id=neighbourhoods[0].city_id,
        person=person,
        organisation=organisation,
        kind=kind,
        title=(title or "").strip(),
        description=(description or "").strip(),
        capacity=capacity,
        days=days or 0,
        slots=slots or 0,
        available_from=available_from,
        available_until=available_until,
        channel=_channel(channel, by),
        created_by=by if by is not None and by.is_authenticated else None,
    )
    _validated(offer)
    offer.save()
    offer.neighbourhoods.set(neighbourhoods)
    audit.record(by, audit.Action.CREATE, offer, reason="offerta registrata")
    return offer


@transaction.atomic
def update_offer(offer: Offer, *, by: User, neighbourhoods: Iterable[Neighbourhood] | None = None, **fields: Any) -> Offer:
    """Change an offer's fields (and neighbourhoods); the ranking index sees it through updated_at.

    The row is locked and only the given fields are written, so an edit cannot undo an
    acceptance that took a unit meanwhile; a capacity below the units taken is refused.
    """
    OFFERS_TO_CHANGE.require(by, offer)
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    capacity = fields.pop("capacity", offer.capacity)
    for name, value in fields.items():
        setattr(offer, name, value)
    offer.set_capacity(capacity)
    _validated(offer)
    offer.save(update_fields=[*fields, "capacity", "status"])
    if neighbourhoods is not None:
        offer.neighbourhoods.set(neighbourhoods)
    audit.record(by, audit.Action.UPDATE, offer, reason="offerta modificata")
    return offer


def set_offer_status(offer: Offer, status: str, *, by: User) -> Offer:
    OFFERS_TO_CHANGE.require(by, offer)
    with transaction.atomic():
        offer = Offer.objects.select_for_update().get(pk=offer.pk)
        offer.set_status(status)
        offer.save(update_fields=["status"])
    audit.record(by, audit.Action.UPDATE, offer, reason=f"offerta: {audit.label_of(offer, 'status')}")
    return offer


@transaction.atomic
def update_need(need: Need, *, by: User, **fields: Any) -> Need:
    """Change a need's words, urgency, kind or times; only those fields are written. Audited."""
    NEEDS.require(by, need)
    need = Need.objects.select_for_update().get(pk=need.pk)
    for name, value in fields.items():
        setattr(need, name, value.strip() if name == "text" else value)
    _validated(need)
    need.save(update_fields=list(fields))
    audit.record(by, audit.Action.UPDATE, need, reason="richiesta modificata")
    return need


def set_need_status(need: Need, status: str, *, by: User) -> Need:
    """Change a need's status by hand, through its state machine (Need.set_status)."""
    NEEDS.require(by, need)
    with transaction.atomic():
        need = Need.objects.select_for_update().get(pk=need.pk)
        need.set_status(status)
        need.save(update_fields=["status"])
    audit.record(by, audit.Action.UPDATE, need, reason=f"richiesta: {audit.label_of(need, 'status')}")
    return need


@transaction.atomic
def propose_match(*, need: Need, offer: Offer, by: User, score: float = 0.0, reasons: Iterable[str] = ()) -> Match:
    """A worker proposes that `offer` answers `need`; the need moves to 'being brokered'.

    `by` must be able to broker the need and to see the offer: a worker cannot reach a person's
    offer outside their neighbourhoods through a match. Never the person's own offer, nor an offer
    already declined for this need (the ranking leaves both out too).
    """
    NEEDS_TO_BROKER.require(by, need, _("Puoi proporre abbinamenti solo nei quartieri che ti sono assegnati."))
    OFFERS.require(by, offer, _("Questa offerta non è tra quelle che puoi vedere."))
    need = Need.objects.select_for_update().get(pk=need.pk)
    if not need.is_active:
        raise ValidationError(_("Questa richiesta non è più aperta."))
    if offer.status != Offer.Status.OPEN or offer.remaining <= 0:
        raise ValidationError(_("Questa offerta non ha più disponibilità."))
    if offer.person_id is not None and offer.person_id == need.person_id:
        raise ValidationError(_("È un'offerta della stessa persona che chiede: non può rispondere alla sua richiesta."))
    before = set(Match.objects.filter(need=need, offer=offer).values_list("status", flat=True))
    if before & set(Match.ACTIVE):
        raise ValidationError(_("Questa offerta è già stata proposta per questa richiesta."))
    if Match.Status.DECLINED in before:
        raise ValidationError(_("Questa offerta è già stata rifiutata per questa richiesta: non si propone di nuovo."))
    match = Match.objects.create(need=need, offer=offer, proposed_by=by, score=score, reasons=list(reasons))
    if need.status == Need.Status.OPEN:
        need.status = Need.Status.BROKERING
        need.save(update_fields=["status"])
    audit.record(by, audit.Action.CREATE, match, reason="abbinamento proposto")
    _tell_parties(match, Kind.MATCH_PROPOSED, by)
    return match


@transaction.atomic
def propose_answer(*, need: Need, kind: str, target_id: int, by: User) -> Match:
    """A worker proposes an activity, a group or a service (answers.py) for `need`.

    The answer must be one the worker may see and that fits the need (its provider says so, with
    the score and the reasons); the person is the only side to answer: the other is taken as yes.
    Accepting it enrols her (answer_match). Raises ValidationError for an unknown kind or an answer
    that is not among those she may propose.
    """
    from .answers import answer_for

    NEEDS_TO_BROKER.require(by, need, _("Puoi proporre abbinamenti solo nei quartieri che ti sono assegnati."))
    if kind not in Match.Kind.values or kind == Match.Kind.OFFER:
        raise ValidationError(_("Tipo di risposta sconosciuto."))
    need = Need.objects.select_for_update().get(pk=need.pk)
    if not need.is_active:
        raise ValidationError(_("Questa richiesta non è più aperta."))
    answer = answer_for(need, kind, target_id, by)
    if answer is None:
        raise ValidationError(_("Questa risposta non è tra quelle che puoi proporre per questa richiesta."))
    before = set(Match.objects.filter(need=need, kind=kind, answer_id=target_id).values_list("status", flat=True))
    if before & set(Match.ACTIVE):
        raise ValidationError(_("Questa risposta è già stata proposta per questa richiesta."))
    if Match.Status.DECLINED in before:
        raise ValidationError(_("Questa risposta è già stata rifiutata per questa richiesta: non si propone di nuovo."))
    match = Match.objects.create(
        need=need,
        kind=kind,
        answer_id=target_id,
        answer_title=answer.title[:200],
        offer_answer=Match.Answer.YES,
        proposed_by=by,
        score=answer.score,
        reasons=list(answer.reasons),
    )
    if need.status == Need.Status.OPEN:
        need.status = Need.Status.BROKERING
        need.save(update_fields=["status"])
    audit.record(by, audit.Action.CREATE, match, reason="abbinamento proposto")
    _tell_parties(match, Kind.MATCH_PROPOSED, by)
    return match


def _take(match: Match, by: User) -> None:
    """What an accepted match takes: a unit of its offer, or, for an activity or a group, the person's
    place in it (the owning app enrols her, through the provider it registered)."""
    if match.offer_id:
        offer = Offer.objects.select_for_update().get(pk=match.offer_id)
        offer.take_unit()
        offer.save(update_fields=["taken", "status"])
        return
    from .answers import provider

    registered = provider(match.kind)
    if registered is not None and registered.enrol is not None:
        registered.enrol(match, by)


# The log says who answered in words (it is kept in Italian, like every reason).
SIDE_IN_THE_LOG = {"need": "di chi chiede", "offer": "di chi offre"}
# What the parties hear when an answer settles a match (one side's yes alone settles nothing).
ANSWERED: dict[str, Kind] = {Match.Status.ACCEPTED: Kind.MATCH_ACCEPTED, Match.Status.DECLINED: Kind.MATCH_DECLINED}


def answer_match(match: Match, *, side: str, yes: bool, by: User) -> Match:
    """One side accepts or declines. When both have accepted, a unit of the offer is taken.

    The offer row is locked (select_for_update) so two acceptances racing for the
    last unit cannot both succeed: the second sees no capacity and is refused.
    `by` answers only for a side that is theirs (rules.sides_for).
    """
    MATCHES_TO_ANSWER.require(by, match)
    if side not in sides_for(by, match):
        raise PermissionDenied(_("Non puoi rispondere per questa parte."))
    with transaction.atomic():
        match = Match.objects.select_for_update().get(pk=match.pk)
        completes = match.answer(side, yes)
        if completes:
            _take(match, by)
        match.save()
        if not yes:
            _reopen_need_if_idle(match.need_id)
        if match.status in ANSWERED:
            _tell_parties(match, ANSWERED[match.status], by)
    audit.record(by, audit.Action.UPDATE, match, reason=f"risposta {SIDE_IN_THE_LOG[side]}: {'sì' if yes else 'no'}")
    return match


def _reopen_need_if_idle(need_id: int) -> None:
    need = Need.objects.select_for_update().get(pk=need_id)
    if need.status == Need.Status.BROKERING and not need.matches.filter(status__in=Match.ACTIVE).exists():
        need.status = Need.Status.OPEN
        need.save(update_fields=["status"])


def start_match(match: Match, *, by: User, follow_up_on: date | None = None) -> Match:
    MATCHES_TO_FOLLOW.require(by, match)
    match.start()
    if follow_up_on:
        match.follow_up_on = follow_up_on
    match.save()
    audit.record(by, audit.Action.UPDATE, match, reason="abbinamento avviato")
    _tell_parties(match, Kind.MATCH_STARTED, by)
    return match


def set_follow_up(match: Match, follow_up_on: date | None, *, by: User) -> Match:
    MATCHES_TO_FOLLOW.require(by, match)
    if not match.is_active:
        raise ValidationError(_("L'abbinamento è chiuso: non serve una verifica."))
    match.follow_up_on = follow_up_on
    match.save(update_fields=["follow_up_on", "updated_at"])
    audit.record(by, audit.Action.UPDATE, match, reason="verifica fissata")
    return match


@transaction.atomic
def complete_match(match: Match, *, outcome: str, by: User) -> Match:
    """The match is done: the need is met."""
    MATCHES_TO_MANAGE.require(by, match)
    match = Match.objects.select_for_update().get(pk=match.pk)
    match.complete(outcome)
    match.save()
    need = match.need
    need.status = Need.Status.MET
    need.save(update_fields=["status"])
    audit.record(by, audit.Action.UPDATE, match, reason="abbinamento concluso")
    _tell_parties(match, Kind.MATCH_DONE, by)
    return match


@transaction.atomic
def cancel_match(match: Match, *, by: User) -> Match:
    """Cancel; a unit the match held goes back to the offer."""
    MATCHES_TO_MANAGE.require(by, match)
    match = Match.objects.select_for_update().get(pk=match.pk)
    if match.cancel() and match.offer_id:
        offer = Offer.objects.select_for_update().get(pk=match.offer_id)
        offer.release_unit()
        offer.save(update_fields=["taken", "status"])
    match.save()
    _reopen_need_if_idle(match.need_id)
    audit.record(by, audit.Action.UPDATE, match, reason="abbinamento annullato")
    return match


def leave_feedback(match: Match, *, side: str, text: str, by: User) -> Match:
    MATCHES_TO_ANSWER.require(by, match)
    if side not in sides_for(by, match):
        raise PermissionDenied(_("Non puoi commentare per questa parte."))
    if match.status not in (Match.Status.IN_PROGRESS, Match.Status.DONE, Match.Status.ACCEPTED):
        raise ValidationError(_("Si può lasciare un commento solo a un abbinamento accettato."))
    field = "need_feedback" if side == Match.Side.NEED else "offer_feedback"
    setattr(match, field, text.strip())
    _validated(match)
    match.save(update_fields=[field, "updated_at"])
    audit.record(by, audit.Action.UPDATE, match, reason="commento")
    return match


def rate_for(city: City, kind: str) -> Decimal:
    """The euro value of one unit of `kind` in `city`: the coordinator's rate, else the default."""
    rate = Rate.objects.filter(city=city, kind=kind).only("euros").first()
    if rate is not None:
        return rate.euros
    defaults = {**DEFAULT_RATES, **getattr(settings, "TRAMA_MARKET_RATES", {})}
    return Decimal(str(defaults[kind]))


def set_rate(city: City, kind: str, euros: Decimal, *, by: User) -> Rate:
    rate, _created = Rate.objects.get_or_create(city=city, kind=kind, defaults={"euros": euros, "updated_by": by})
    rate.euros = euros
    rate.updated_by = by
    _validated(rate)
    rate.save()
    audit.record(by, audit.Action.UPDATE, rate, reason="tariffa")
    return rate


def value_of(city: City, kind: str, quantity: Decimal, area_sqm: Decimal | int | None = None, declared_value: Decimal | int | None = None) -> Decimal:
    value: Decimal | int
    if kind == Contribution.Kind.HOURS:
        value = quantity * rate_for(city, Rate.Kind.VOLUNTEER_HOUR)
    elif kind == Contribution.Kind.SPACE_HOURS:
        value = quantity * (area_sqm or 0) * rate_for(city, Rate.Kind.SPACE_SQM_HOUR)
    elif kind == Contribution.Kind.GOODS:
        value = declared_value if declared_value is not None else quantity * rate_for(city, Rate.Kind.GOODS_ITEM)
    else:
        value = quantity
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def sector_of(person: Person | None = None, organisation: Organisation | None = None) -> str:
    if organisation is not None:
        return ORGANISATION_SECTOR.get(organisation.sector, Sector.THIRD_SECTOR)
    return Sector.CITIZEN


def record_contribution(
    *,
    kind: str,
    quantity: Decimal | int | float | str,
    on: date,
    neighbourhood: Neighbourhood,
    by: User,
    person: Person | None = None,
    organisation: Organisation | None = None,
    match: Match | None = None,
    area_sqm: Decimal | int | None = None,
    declared_value: Decimal | int | None = None,
    initiative_id: int | None = None,
    note: str = "",
) -> Contribution:
    """Add a contribution to the ledger, valued with the city's rates; audited.

    The contributor is a person or an organisation; its sector is kept with the
    contribution, so later changes to the organisation do not rewrite history.
    """
    # Staff record in their neighbourhoods; a partner's member records what their organisation gave.
    if not (works_in(by, neighbourhood) or (person is None and role_of(by) == PARTNER and is_member_of(by, organisation))):
        raise PermissionDenied(_("Puoi registrare contributi solo nei quartieri che ti sono assegnati."))
    if (person is None) == (organisation is None):
        raise ValidationError(_("Indica chi ha dato il contributo: una persona o un'organizzazione."))
    quantity = Decimal(str(quantity))
    errors = {}
    if quantity <= 0:
        errors["quantity"] = _("La quantità deve essere maggiore di zero.")
    elif quantity > Contribution.LIMITS[kind]:
        errors["quantity"] = _("La quantità supera il limite ragionevole (%(limit)s): controlla.") % {"limit": Contribution.LIMITS[kind]}
    if kind == Contribution.Kind.SPACE_HOURS and not area_sqm:
        errors["area_sqm"] = _("Per uno spazio indica la superficie in metri quadri.")
    if area_sqm is not None and not (0 < Decimal(str(area_sqm)) <= 100000):
        errors["area_sqm"] = _("La superficie deve essere tra 0 e 100.000 m².")
    if declared_value is not None and not (0 <= Decimal(str(declared_value)) <= 100000):
        errors["declared_value"] = _("Il valore dichiarato deve essere tra 0 e 100.000 euro.")
    if on > timezone.localdate():
        errors["on"] = _("La data di un contributo non può essere nel futuro.")
    if errors:
        raise ValidationError(errors)
    city = neighbourhood.city
    contribution = Contribution(
        city=city,
        kind=kind,
        quantity=quantity,
        area_sqm=area_sqm,
        declared_value=declared_value,
        value_eur=value_of(city, kind, quantity, area_sqm, declared_value),
        person=person,
        organisation=organisation,
        sector=sector_of(person, organisation),
        neighbourhood=neighbourhood,
        on=on,
        match=match,
        initiative_id=initiative_id,
        note=(note or "").strip(),
        recorded_by=by,
    )
    _validated(contribution)
    contribution.save()
    audit.record(by, audit.Action.CREATE, contribution, reason="contributo registrato")
    return contribution


# Drafts from the public doors: kept in the visitor's session until they register or leave a contact.
DRAFT_SESSION_KEY = "market_draft"
DRAFT_HOURS = 24


def save_draft(session: SessionBase, side: str, data: dict[str, Any]) -> None:
    """Keep what a visitor wrote at a public door, bound to their browser session."""
    session[DRAFT_SESSION_KEY] = {"side": side, "data": data, "at": timezone.now().isoformat()}


def current_draft(session: SessionBase) -> Draft | None:
    """The visitor's draft, or None when there is none or it has expired (then it is dropped)."""
    draft = session.get(DRAFT_SESSION_KEY)
    if not draft:
        return None
    from datetime import datetime, timedelta

    saved_at = datetime.fromisoformat(draft["at"])
    if timezone.now() - saved_at > timedelta(hours=DRAFT_HOURS):
        session.pop(DRAFT_SESSION_KEY, None)
        return None
    return draft


def discard_draft(session: SessionBase) -> None:
    session.pop(DRAFT_SESSION_KEY, None)


@transaction.atomic
def publish_draft(draft: Draft, *, person: Person, by: Viewer | None) -> Need | Offer:
    """Turn a public-door draft into a need or an offer of `person`.

    The draft is the visitor's own, kept in their session: `person` is the one they just registered
    (or their own account's), so no scope check applies here.
    """
    from trama.territory.models import Neighbourhood

    data = draft["data"]
    neighbourhood = Neighbourhood.objects.get(pk=data["neighbourhood"])
    if draft["side"] == "need":
        need = _save_need(
            person=person,
            text=data["text"],
            neighbourhood=neighbourhood,
            urgency=data.get("urgency") or "medium",
            by=by,
        )
        if data.get("give_text"):
            _save_offer(
                person=person,
                kind=data.get("give_kind") or Offer.Kind.TIME,
                title=data["give_text"][:150],
                description=data["give_text"],
                neighbourhoods=[neighbourhood],
                by=by,
            )
        return need
    return _save_offer(
        person=person,
        kind=data["kind"],
        title=data["title"],
        description=data.get("description", ""),
        neighbourhoods=[neighbourhood],
        by=by,
        days=data.get("days", 0),
        slots=data.get("slots", 0),
    )


def claim_draft(request: HttpRequest, user: User) -> Need | Offer | None:
    """After sign-in: the visitor's draft becomes their need or offer. Returns it, or None."""
    from trama.people.services import person_for_account
    from trama.territory.models import Neighbourhood

    draft = current_draft(request.session)

    if draft is None or not is_citizen(user):
        return None
    neighbourhood = Neighbourhood.objects.filter(pk=draft["data"].get("neighbourhood")).first()
    if neighbourhood is None:
        discard_draft(request.session)
        return None
    person = person_for_account(user, neighbourhood)
    made = publish_draft(draft, person=person, by=user)
    discard_draft(request.session)
    return made


# -- erasure (called by the privacy app through the registry: market/personal_data.py) ----------


def erase_offers(offers: QuerySet[Offer], person: Person) -> None:
    """Empty the words of an erased person's offers and withdraw them; the rows stay for the matches and the ledger."""
    # updated_at moves, so the ranking index (which follows it) forgets the words too.
    offers.update(
        title="", description="", search_tokens="", embedding=None, embedding_model="", status=Offer.Status.WITHDRAWN, updated_at=timezone.now()
    )


def erase_needs(needs: QuerySet[Need], person: Person) -> None:
    """Empty the words of an erased person's needs and withdraw the ones still waiting: no one brokers them any more."""
    needs.filter(status__in=[Need.Status.OPEN, Need.Status.BROKERING]).update(status=Need.Status.WITHDRAWN)
    needs.update(text="", search_tokens="", embedding=None, embedding_model="", updated_at=timezone.now())


def erase_matches(matches: QuerySet[Match], person: Person) -> None:
    """End the active matches of an erased person and empty every match's comments and reasons.

    The other side finds the match «Annullato» on their page, with no reason given; a unit the
    match held goes back to the offer, and the other side's need waits for another offer.
    """
    for match in matches.select_for_update().filter(status__in=Match.ACTIVE):
        if match.cancel() and match.offer_id:
            offer = Offer.objects.select_for_update().get(pk=match.offer_id)
            offer.release_unit()
            offer.save(update_fields=["taken", "status"])
        match.save(update_fields=["status", "closed_at", "updated_at"])
        _reopen_need_if_idle(match.need_id)
    # The reasons name the words the need and the offer have in common: the person's words too.
    matches.update(outcome="", need_feedback="", offer_feedback="", reasons=[])


def anonymise_expired_offers(offers: QuerySet[Offer], now: datetime) -> int:
    """Retention (privacy.retention): empty the words of offers that ended long ago; returns how many.

    The rows stay for the matches and the ledger; updated_at moves, so the ranking index forgets the words too.
    """
    return offers.update(title="", description="", search_tokens="", embedding=None, embedding_model="", updated_at=now)


# -- needs and offers read from an imported list (the imports app validates them and their scope first) ------


@transaction.atomic
def save_imported_need(need: Need, *, by: User, created: bool) -> Need:
    """Save a need read from an imported list (validated by the import, its person in the importer's scope); audited."""
    need.save(force_insert=created)
    audit.record(by, audit.Action.CREATE if created else audit.Action.UPDATE, need, reason="importazione")
    return need


@transaction.atomic
def save_imported_offer(offer: Offer, neighbourhood_ids: Iterable[int], *, by: User, created: bool) -> Offer:
    """Save a person's offer read from an imported list, with its neighbourhoods (validated by the import); audited."""
    offer.save(force_insert=created)
    offer.neighbourhoods.set(list(neighbourhood_ids))
    audit.record(by, audit.Action.CREATE if created else audit.Action.UPDATE, offer, reason="importazione")
    return offer


def delete_imported(record: Need | Offer, *, by: User) -> None:
    """Delete a need or an offer an import created, when that import is undone; audited.

    Raises ProtectedError when a match now involves it: the brokering that followed is kept, and the caller says so.
    """
    from django.db.models import ProtectedError

    if Match.objects.filter(**{"need" if isinstance(record, Need) else "offer": record}).exists():
        raise ProtectedError(_("Il record è già in un abbinamento."), set())
    with transaction.atomic():
        audit.record(by, audit.Action.DELETE, record, reason="importazione annullata")
        record.delete()
