"""Actions on initiatives and agreements that touch several objects (or other apps), audited."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from trama.access import COORDINATOR, WORKER, role_of, works_in
from trama.market import services as market
from trama.people.rules import PEOPLE, is_member_of
from trama.people.services import person_for_account
from trama.privacy import audit

from .models import (
    Agreement,
    AgreementParty,
    AutonomyAssessment,
    Commitment,
    GroupActivity,
    Initiative,
    Milestone,
    Participation,
    Partner,
)
from .queries import partners_with_ledger_links
from .rules import (
    AGREEMENTS_TO_MANAGE,
    COMMITMENTS_TO_CHANGE,
    INITIATIVES,
    INITIATIVES_TO_CHANGE,
    INITIATIVES_TO_CO_MANAGE,
    PUBLIC_STAGES,
)

if TYPE_CHECKING:
    from django.core.files import File

    from trama.collective.models import Decision, Group
    from trama.market.models import Contribution
    from trama.people.models import Organisation, Person, User
    from trama.territory.models import City, Neighbourhood, Place
    from trama.themes.models import Theme

    from .models import InterventionObject

# The public initiative a visitor chose to join before signing in, kept in their session.
JOIN_SESSION_KEY = "initiatives_join"

INITIATIVE_FIELDS = (
    "name",
    "description",
    "intervention_object",
    "when",
    "place",
    "how_to_join",
    "contact_email",
    "is_public",
    "participant_count",
    "lead_worker",
)

# What a co-managing partner keeps up to date; the rest (name, neighbourhoods, publication, lead worker…) stays with staff.
CO_MANAGED_FIELDS = ("description", "when", "how_to_join", "participant_count")

PROPOSAL_ORIGINS = (Initiative.Origin.PARTNER, Initiative.Origin.CITIZEN)


def _require_neighbourhoods(by: User, neighbourhoods: Iterable[Neighbourhood]) -> None:
    if not all(works_in(by, n) for n in neighbourhoods):
        raise PermissionDenied(_("Puoi scegliere solo i quartieri che ti sono assegnati."))


def _check_place(place: Place | None, neighbourhoods: Iterable[Neighbourhood]) -> None:
    if place is not None and place.neighbourhood_id not in {n.pk for n in neighbourhoods}:
        raise ValidationError({"place": _("Il luogo deve trovarsi in uno dei quartieri dell'iniziativa.")})


@transaction.atomic
def create_initiative(
    *,
    city: City,
    by: User,
    origin: str,
    neighbourhoods: Iterable[Neighbourhood],
    themes: Iterable[Theme] = (),
    origin_group: Group | None = None,
    origin_decision: Decision | None = None,
    origin_organisation: Organisation | None = None,
    **fields: Any,
) -> Initiative:
    """A new initiative at the `idea` stage, in the given neighbourhoods of `city`.

    Staff create them in their scope (a worker in their own neighbourhoods); a partner or a citizen
    only proposes one, as an idea of their own origin, for staff to review.
    """
    neighbourhoods = list(neighbourhoods)
    if not neighbourhoods:
        raise ValidationError({"neighbourhoods": _("Scegli almeno un quartiere.")})
    if role_of(by) in (COORDINATOR, WORKER):
        _require_neighbourhoods(by, neighbourhoods)
    elif not (by.has_perm("initiatives.propose_initiative") and origin in PROPOSAL_ORIGINS):
        raise PermissionDenied(_("Puoi solo proporre un'iniziativa."))
    if any(n.city_id != city.pk for n in neighbourhoods):
        raise ValidationError({"neighbourhoods": _("I quartieri devono essere della città dell'iniziativa.")})
    _check_place(fields.get("place"), neighbourhoods)
    initiative = Initiative(
        city=city,
        origin=origin,
        origin_group=origin_group,
        origin_decision=origin_decision,
        origin_organisation=origin_organisation,
        created_by=by if by is not None and by.is_authenticated else None,
        **{k: v for k, v in fields.items() if k in INITIATIVE_FIELDS},
    )
    initiative.full_clean(exclude=["neighbourhoods", "themes"])
    initiative.save()
    initiative.neighbourhoods.set(neighbourhoods)
    initiative.themes.set(themes)
    audit.record(by, audit.Action.CREATE, initiative, reason="iniziativa creata")
    return initiative


@transaction.atomic
def propose_initiative(
    *,
    city: City,
    by: User,
    neighbourhood: Neighbourhood,
    name: str,
    description: str,
    intervention_object: InterventionObject | None = None,
    organisation: Organisation | None = None,
) -> Initiative:
    """A citizen's or a partner's proposal: an idea the staff of the neighbourhood review.

    A partner proposes in the name of an organisation they belong to, which becomes its promoter;
    a citizen takes part in what they proposed.
    """
    if not by.has_perm("initiatives.propose_initiative"):
        raise PermissionDenied(_("Puoi solo proporre un'iniziativa."))
    if organisation is not None and not is_member_of(by, organisation):
        raise PermissionDenied(_("Puoi proporre solo a nome della tua organizzazione."))
    origin = Initiative.Origin.PARTNER if organisation is not None else Initiative.Origin.CITIZEN
    initiative = create_initiative(
        city=city,
        by=by,
        origin=origin,
        neighbourhoods=[neighbourhood],
        name=name,
        description=description,
        intervention_object=intervention_object,
        origin_organisation=organisation,
    )
    if organisation is not None:
        _add_partner(initiative, organisation=organisation, role=Partner.Role.PROMOTER, by=by)
    else:
        _add_participant(initiative, person=person_for_account(by, neighbourhood), by=by)
    return initiative


@transaction.atomic
def initiative_from_group(group: Group, *, by: User, **fields: Any) -> Initiative:
    """The group becomes an initiative: its neighbourhood, themes and intervention object carry over."""
    activity = GroupActivity.objects.filter(group=group).select_related("intervention_object").first()
    if activity is not None and not fields.get("intervention_object"):
        fields["intervention_object"] = activity.intervention_object
    fields.setdefault("name", group.name)
    fields.setdefault("description", group.purpose)
    fields.pop("neighbourhoods", None)
    themes = fields.pop("themes", None)
    initiative = create_initiative(
        city=group.city,
        by=by,
        origin=Initiative.Origin.GROUP,
        origin_group=group,
        neighbourhoods=[group.neighbourhood],
        themes=list(group.themes.all()) if themes is None else themes,
        **fields,
    )
    group.became_initiative()
    return initiative


@transaction.atomic
def initiative_from_decision(decision: Decision, *, by: User, **fields: Any) -> Initiative:
    """A meeting decided to start something: the initiative remembers the decision (and the group, if any)."""
    meeting = decision.meeting
    group = meeting.group
    fields.pop("neighbourhoods", None)
    fields.setdefault("name", decision.text[:160])
    fields.setdefault("description", decision.text)
    if group is not None and group.status in (group.Status.FORMING, group.Status.ACTIVE):
        initiative = initiative_from_group(group, by=by, **fields)
        initiative.origin_decision = decision
        initiative.save(update_fields=["origin_decision"])
        return initiative
    return create_initiative(
        city=meeting.city,
        by=by,
        origin=Initiative.Origin.GROUP if group else Initiative.Origin.WORKER,
        origin_group=group,
        origin_decision=decision,
        neighbourhoods=[meeting.neighbourhood],
        themes=fields.pop("themes", None) or (list(group.themes.all()) if group else []),
        **fields,
    )


def update_initiative(
    initiative: Initiative, *, by: User, neighbourhoods: Iterable[Neighbourhood] | None = None, themes: Iterable[Theme] | None = None, **fields: Any
) -> Initiative:
    """Change the initiative's fields: staff in scope any of them, a co-managing partner only CO_MANAGED_FIELDS."""
    INITIATIVES_TO_CO_MANAGE.require(by, initiative)
    if not INITIATIVES_TO_CHANGE.allows(by, initiative):
        beyond = set(fields) - set(CO_MANAGED_FIELDS)
        if beyond or neighbourhoods is not None or themes is not None:
            raise PermissionDenied(_("Come partner puoi modificare la descrizione, i tempi, come partecipare e il numero di partecipanti."))
    if neighbourhoods is not None:
        added = set(neighbourhoods) - set(initiative.neighbourhoods.all())
        _require_neighbourhoods(by, added)
    neighbourhoods = list(neighbourhoods) if neighbourhoods is not None else list(initiative.neighbourhoods.all())
    if not neighbourhoods:
        raise ValidationError({"neighbourhoods": _("Scegli almeno un quartiere.")})
    _check_place(fields.get("place", initiative.place), neighbourhoods)
    for name, value in fields.items():
        if name in INITIATIVE_FIELDS:
            setattr(initiative, name, value)
    with transaction.atomic():
        initiative.full_clean(exclude=["neighbourhoods", "themes"])
        initiative.save()
        initiative.neighbourhoods.set(neighbourhoods)
        if themes is not None:
            initiative.themes.set(themes)
    audit.record(by, audit.Action.UPDATE, initiative, reason="iniziativa modificata")
    return initiative


@transaction.atomic
def move_initiative(initiative: Initiative, stage: str, reason: str, *, by: User) -> Initiative:
    """Move along the lifecycle with a reason; the dated transition is kept."""
    INITIATIVES_TO_CHANGE.require(by, initiative)
    locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
    transition = locked.move_to(stage, reason, by=by)
    initiative.stage, initiative.stage_changed_at = locked.stage, locked.stage_changed_at
    stages = f"{audit.label_of(transition, 'from_stage')} → {audit.label_of(transition, 'to_stage')}"
    audit.record(by, audit.Action.UPDATE, initiative, reason=f"fase: {stages}")
    return initiative


def add_partner(initiative: Initiative, *, organisation: Organisation, role: str, by: User) -> Partner:
    INITIATIVES_TO_CHANGE.require(by, initiative)
    return _add_partner(initiative, organisation=organisation, role=role, by=by)


def _add_partner(initiative: Initiative, *, organisation: Organisation, role: str, by: User) -> Partner:
    if organisation.city_id != initiative.city_id:
        raise ValidationError({"organisation": _("La realtà deve essere della città dell'iniziativa.")})
    if Partner.objects.filter(initiative=initiative, organisation=organisation, role=role).exists():
        raise ValidationError({"role": _("Questa realtà ha già questo ruolo nell'iniziativa.")})
    partner = Partner.objects.create(initiative=initiative, organisation=organisation, role=role)
    audit.record(by, audit.Action.CREATE, partner, reason="partner aggiunto")
    return partner


def why_partner_stays(partner: Partner) -> str | None:
    """Why the partner cannot be taken off its initiative, or None when it can."""
    if partner.pk in partners_with_ledger_links(partner.initiative):
        return _(
            "«%(name)s» ha impegni per cui sono già registrati contributi nel registro delle risorse: togliendolo, "
            "quei contributi non sarebbero più collegati ai suoi impegni. Non si può togliere."
        ) % {"name": partner.organisation.name}
    return None


@transaction.atomic
def remove_partner(partner: Partner, *, by: User) -> None:
    """Take a partner off its initiative, with its commitments; refused while the ledger has
    contributions towards them (they would lose the commitment they count for)."""
    partner = Partner.objects.select_for_update().select_related("organisation", "initiative").get(pk=partner.pk)
    INITIATIVES_TO_CHANGE.require(by, partner.initiative)
    refusal = why_partner_stays(partner)
    if refusal:
        raise ValidationError(refusal)
    commitments = partner.commitments.count()
    audit.record(
        by,
        audit.Action.DELETE,
        partner,
        reason=f"partner tolto ({partner.organisation.name[:150]}, {audit.label_of(partner, 'role')}, impegni tolti: {commitments})",
    )
    partner.delete()


def add_commitment(
    initiative: Initiative,
    *,
    partner: Partner,
    description: str,
    by: User,
    kind: str = "",
    quantity: Decimal | None = None,
    due_date: date | None = None,
) -> Commitment:
    INITIATIVES_TO_CO_MANAGE.require(by, initiative)
    if partner.initiative_id != initiative.pk:
        raise ValidationError({"partner": _("Scegli un partner di questa iniziativa.")})
    if not INITIATIVES_TO_CHANGE.allows(by, initiative) and not is_member_of(by, partner.organisation):
        raise PermissionDenied(_("Puoi registrare solo gli impegni della tua organizzazione."))
    if quantity is not None and not kind:
        raise ValidationError({"kind": _("Per una quantità indica il tipo di contributo (ore, beni, spazio, euro).")})
    commitment = Commitment.objects.create(
        initiative=initiative,
        partner=partner,
        description=description.strip(),
        kind=kind or "",
        quantity=quantity,
        due_date=due_date,
    )
    audit.record(by, audit.Action.CREATE, commitment, reason="impegno")
    return commitment


def update_commitment(commitment: Commitment, *, by: User, **fields: Any) -> Commitment:
    COMMITMENTS_TO_CHANGE.require(by, commitment)
    if fields.get("quantity") is not None and not fields.get("kind", commitment.kind):
        raise ValidationError({"kind": _("Per una quantità indica il tipo di contributo (ore, beni, spazio, euro).")})
    for name in ("description", "kind", "quantity", "due_date"):
        if name in fields:
            setattr(commitment, name, fields[name] if fields[name] is not None or name != "kind" else "")
    commitment.save()
    audit.record(by, audit.Action.UPDATE, commitment, reason="impegno modificato")
    return commitment


def record_commitment_contribution(
    commitment: Commitment,
    *,
    by: User,
    neighbourhood: Neighbourhood,
    kind: str,
    quantity: Decimal | int | float | str,
    on: date,
    area_sqm: Decimal | int | None = None,
    declared_value: Decimal | int | None = None,
    note: str = "",
) -> Contribution:
    """What the partner gave towards its commitment, in the market's ledger (carrying the initiative's id)."""
    COMMITMENTS_TO_CHANGE.require(by, commitment)
    initiative = commitment.initiative
    if neighbourhood.pk not in set(initiative.neighbourhoods.values_list("pk", flat=True)):
        raise ValidationError({"neighbourhood": _("Scegli uno dei quartieri dell'iniziativa.")})
    return market.record_contribution(
        kind=kind,
        quantity=quantity,
        on=on,
        neighbourhood=neighbourhood,
        by=by,
        organisation=commitment.partner.organisation,
        area_sqm=area_sqm,
        declared_value=declared_value,
        initiative_id=initiative.pk,
        note=note or commitment.description[:300],
    )


def add_milestone(initiative: Initiative, *, title: str, due_date: date | None = None, by: User) -> Milestone:
    INITIATIVES_TO_CO_MANAGE.require(by, initiative)
    milestone = Milestone.objects.create(initiative=initiative, title=title.strip(), due_date=due_date)
    audit.record(by, audit.Action.CREATE, milestone, reason="traguardo")
    return milestone


def reach_milestone(milestone: Milestone, *, by: User, on: date | None = None) -> Milestone:
    INITIATIVES_TO_CO_MANAGE.require(by, milestone.initiative)
    if milestone.reached_on is not None:
        raise ValidationError(_("Questo traguardo è già stato raggiunto."))
    milestone.reached_on = on or timezone.localdate()
    milestone.save(update_fields=["reached_on"])
    audit.record(by, audit.Action.UPDATE, milestone, reason="traguardo raggiunto")
    return milestone


def why_milestone_stays(milestone: Milestone) -> str | None:
    """Why the milestone cannot be taken off its initiative, or None when it can."""
    if milestone.reached_on is not None:
        return _("Il traguardo «%(title)s» è stato raggiunto il %(on)s: resta nella storia dell'iniziativa e non si può togliere.") % {
            "title": milestone.title,
            "on": date_format(milestone.reached_on, "SHORT_DATE_FORMAT"),
        }
    return None


@transaction.atomic
def remove_milestone(milestone: Milestone, *, by: User) -> None:
    """Take a milestone off its initiative; a reached one stays, as part of the initiative's history."""
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    INITIATIVES_TO_CO_MANAGE.require(by, milestone.initiative)
    refusal = why_milestone_stays(milestone)
    if refusal:
        raise ValidationError(refusal)
    audit.record(by, audit.Action.DELETE, milestone, reason=f"traguardo tolto ({milestone.title[:200]})")
    milestone.delete()


def assess_autonomy(initiative: Initiative, *, by: User, assessed_on: date, note: str = "", **items: int) -> AutonomyAssessment:
    """Record one review of how far the initiative stands on its own (four items, 0–3 each)."""
    INITIATIVES_TO_CHANGE.require(by, initiative)
    if assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": _("La data della verifica non può essere nel futuro.")})
    assessment = AutonomyAssessment(
        initiative=initiative, assessed_on=assessed_on, note=note.strip(), assessed_by=by, **{item: items[item] for item in AutonomyAssessment.ITEMS}
    )
    assessment.full_clean()
    assessment.save()
    audit.record(by, audit.Action.CREATE, assessment, reason="verifica di autonomia")
    return assessment


def had_earlier_activity(person: Person) -> bool:
    """Anything the person did with the programme before: needs, offers, groups, other activities."""
    return person.needs.exists() or person.offers.exists() or person.group_memberships.exists() or person.initiative_participations.exists()


@transaction.atomic
def join(initiative: Initiative, *, user: User, neighbourhood: Neighbourhood | None = None) -> tuple[Participation, bool]:
    """A citizen takes part in a public initiative. The Participation records whether the activity
    was the person's first contact with the programme (G5: an activity as a door)."""
    if not user.has_perm("initiatives.join", initiative):
        raise ValidationError(_("Questa attività non accoglie nuove adesioni."))
    known = person_for_account(user)
    # An initiative has at least one neighbourhood (creating and updating one require it): a person is found or made.
    person = cast("Person", known or person_for_account(user, neighbourhood or initiative.neighbourhoods.order_by("name").first()))
    existing = Participation.objects.filter(initiative=initiative, person=person).first()
    if existing is not None:
        if existing.left_at is not None:
            existing.left_at = None
            existing.save(update_fields=["left_at"])
        return existing, False
    first_contact = known is None or not had_earlier_activity(person)
    participation = Participation.objects.create(initiative=initiative, person=person, first_contact=first_contact)
    audit.record(user, audit.Action.CREATE, participation, reason="adesione a un'iniziativa")
    return participation, True


def add_participant(initiative: Initiative, *, person: Person, by: User) -> Participation:
    """Staff add someone who takes part (with the person's consent, confirmed by the worker)."""
    INITIATIVES_TO_CHANGE.require(by, initiative)
    PEOPLE.require(by, person)
    return _add_participant(initiative, person=person, by=by)


@transaction.atomic
def join_from_match(initiative: Initiative, person: Person, *, by: User) -> Participation:
    """`person` accepted a worker's proposal (a market match) to take part in `initiative`: her yes is
    her consent. `by` is the person herself, or staff who may see both her and the initiative.
    Only an initiative open to participants (public, running); joining twice changes nothing."""
    own = person.account_id is not None and person.account_id == by.pk
    if not own and not (INITIATIVES.allows(by, initiative) and PEOPLE.allows(by, person)):
        raise PermissionDenied(_("Non puoi iscrivere questa persona a questa attività."))
    if not (initiative.is_public and initiative.stage in PUBLIC_STAGES):
        raise ValidationError(_("Questa attività non accoglie nuove adesioni."))
    return _add_participant(initiative, person=person, by=by)


def _add_participant(initiative: Initiative, *, person: Person, by: User) -> Participation:
    if person.city_id != initiative.city_id:
        raise ValidationError(_("La persona deve essere della città dell'iniziativa."))
    participation, created = Participation.objects.get_or_create(
        initiative=initiative,
        person=person,
        defaults={"first_contact": not had_earlier_activity(person)},
    )
    if not created and participation.left_at is not None:
        participation.left_at = None
        participation.save(update_fields=["left_at"])
    audit.record(by, audit.Action.CREATE, participation, reason="partecipante aggiunto con consenso")
    return participation


def remove_participant(participation: Participation, *, by: User) -> None:
    INITIATIVES_TO_CHANGE.require(by, participation.initiative)
    participation.left_at = timezone.now()
    participation.save(update_fields=["left_at"])
    audit.record(by, audit.Action.UPDATE, participation, reason="partecipante uscito")


# -- agreements -------------------------------------------------------------------------------


@transaction.atomic
def save_agreement(agreement: Agreement, *, by: User, neighbourhoods: Iterable[Neighbourhood], parties: Iterable[dict[str, Any]]) -> Agreement:
    """Create or update an agreement with its parties (`parties`: dicts with organisation, name, commitments).

    Agreements are the coordinators' work, in their city.
    """
    if agreement.pk is not None:
        AGREEMENTS_TO_MANAGE.require(by, Agreement.objects.get(pk=agreement.pk))
    if role_of(by) != COORDINATOR or by.city_id not in (None, agreement.city_id):
        raise PermissionDenied(_("Gli accordi sono scritti dal coordinamento della città."))
    if agreement.initiative_id and agreement.initiative.city_id != agreement.city_id:  # type: ignore[union-attr]  # initiative_id is set
        raise ValidationError({"initiative": _("L'iniziativa deve essere della stessa città.")})
    if any(n.city_id != agreement.city_id for n in neighbourhoods):
        raise ValidationError({"neighbourhoods": _("I quartieri devono essere della città dell'accordo.")})
    for party in parties:
        organisation = party.get("organisation")
        if organisation is not None and organisation.city_id != agreement.city_id:
            raise ValidationError(_("Le realtà dell'accordo devono essere della stessa città."))
    created = agreement.pk is None
    if created:
        agreement.created_by = by
    agreement.full_clean(exclude=["neighbourhoods", "document"])
    agreement.save()
    agreement.neighbourhoods.set(neighbourhoods)
    agreement.parties.all().delete()
    AgreementParty.objects.bulk_create(
        AgreementParty(
            agreement=agreement, organisation=p.get("organisation"), name=(p.get("name") or "").strip(), commitments=p["commitments"].strip()
        )
        for p in parties
    )
    audit.record(by, audit.Action.CREATE if created else audit.Action.UPDATE, agreement, reason="accordo")
    return agreement


AGREEMENT_MOVES: dict[str, set[str]] = {
    Agreement.Status.DRAFT: {Agreement.Status.ACTIVE, Agreement.Status.TERMINATED},
    Agreement.Status.ACTIVE: {Agreement.Status.EXPIRED, Agreement.Status.TERMINATED},
    Agreement.Status.EXPIRED: set(),
    Agreement.Status.TERMINATED: set(),
}


def set_agreement_status(agreement: Agreement, status: str, *, by: User) -> Agreement:
    AGREEMENTS_TO_MANAGE.require(by, agreement)
    if status not in AGREEMENT_MOVES[agreement.status]:
        raise ValidationError(
            _("Da «%(old)s» non si può passare a «%(new)s».") % {"old": agreement.get_status_display(), "new": Agreement.Status(status).label}
        )
    if status == Agreement.Status.ACTIVE and not agreement.parties.exists():
        raise ValidationError(_("Un accordo entra in vigore solo con almeno una parte."))
    agreement.status = status
    agreement.save(update_fields=["status"])
    audit.record(by, audit.Action.UPDATE, agreement, reason=f"stato dell'accordo: {audit.label_of(agreement, 'status')}")
    return agreement


@transaction.atomic
def renew_agreement(agreement: Agreement, *, by: User, starts_on: date, ends_on: date | None = None) -> Agreement:
    """A new agreement in preparation continuing `agreement`, with the same subject, neighbourhoods and parties."""
    AGREEMENTS_TO_MANAGE.require(by, agreement)
    if hasattr(agreement, "renewal"):
        raise ValidationError(_("Questo accordo è già stato rinnovato."))
    if agreement.status == Agreement.Status.DRAFT:
        raise ValidationError(_("Un accordo ancora in preparazione non si rinnova: modificalo."))
    renewal = Agreement(
        city=agreement.city,
        kind=agreement.kind,
        title=agreement.title,
        subject=agreement.subject,
        initiative=agreement.initiative,
        starts_on=starts_on,
        ends_on=ends_on,
        renewed_from=agreement,
    )
    parties = [{"organisation": p.organisation, "name": p.name, "commitments": p.commitments} for p in agreement.parties.all()]
    return save_agreement(renewal, by=by, neighbourhoods=list(agreement.neighbourhoods.all()), parties=parties)


def attach_document(agreement: Agreement, upload: File, *, by: User) -> Agreement:
    """Keep the signed PDF (already checked by `forms.check_pdf`), replacing an earlier one."""
    AGREEMENTS_TO_MANAGE.require(by, agreement)
    old = agreement.document.name if agreement.document else ""
    agreement.document.save(f"accordo-{agreement.pk}.pdf", upload, save=True)
    if old and old != agreement.document.name:
        agreement.document.storage.delete(old)
    audit.record(by, audit.Action.UPDATE, agreement, reason="documento dell'accordo caricato")
    return agreement
