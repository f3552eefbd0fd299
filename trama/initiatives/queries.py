"""Reads of initiatives, the catalogue and agreements, reused by views, API and insights."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import BigIntegerField, Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from trama.aggregates import Presence, count_by_quarter, count_per_area, count_per_area_and_group, during
from trama.market.models import Contribution
from trama.territory.models import Neighbourhood

from .models import Agreement, AgreementParty, AutonomyAssessment, Initiative, InterventionObject, Milestone, Participation, Partner, StageTransition
from .rules import AGREEMENTS, INITIATIVES, PUBLIC_STAGES

if TYPE_CHECKING:
    from trama.access import Viewer
    from trama.aggregates import AreaCounts, Areas, QuarterCounts
    from trama.people.models import Person, User
    from trama.territory.models import City

    from .models import Commitment


def public_initiatives(
    city: City | None, neighbourhood: Neighbourhood | None = None, intervention_object: InterventionObject | None = None
) -> QuerySet[Initiative]:
    """Initiatives anyone may see: published, and between incubation and autonomy."""
    initiatives = Initiative.objects.filter(city=city, is_public=True, stage__in=PUBLIC_STAGES)
    if neighbourhood is not None:
        initiatives = initiatives.filter(neighbourhoods=neighbourhood)
    if intervention_object is not None:
        initiatives = initiatives.filter(intervention_object=intervention_object)
    return (
        initiatives.select_related("intervention_object", "place", "place__neighbourhood")
        .defer("place__neighbourhood__boundary")
        .prefetch_related("neighbourhoods")
        .order_by("name", "pk")
        .distinct()
    )


def initiatives_visible_to(user: Viewer) -> QuerySet[Initiative]:
    """The initiatives `user` may open as a member of the programme (not the public catalogue): rules.INITIATIVES."""
    return INITIATIVES.visible_to(user)


def initiatives_list(queryset: QuerySet[Initiative]) -> QuerySet[Initiative]:
    """The rows of an initiatives list, with what a row shows fetched once for the page."""
    return (
        queryset.select_related("intervention_object", "lead_worker")
        .prefetch_related("neighbourhoods")
        .annotate(people=Count("participations", filter=Q(participations__left_at__isnull=True), distinct=True))
        .order_by("name", "pk")
    )


def joined_by(user: User) -> QuerySet[Initiative]:
    """The initiatives a citizen takes part in."""
    return (
        Initiative.objects.filter(participations__person__account=user, participations__left_at__isnull=True)
        .select_related("place")
        .order_by("name")
        .distinct()
    )


def initiatives_of_person(person: Person) -> QuerySet[Participation]:
    return Participation.objects.filter(person=person, left_at__isnull=True).select_related("initiative").order_by("-joined_at")


def objects_of(city: City | None, active_only: bool = False) -> QuerySet[InterventionObject]:
    objects = InterventionObject.objects.filter(city=city)
    if active_only:
        objects = objects.filter(active=True)
    return objects.annotate(uses=Count("initiatives", distinct=True)).order_by("name")


def agreements_visible_to(user: Viewer) -> QuerySet[Agreement]:
    return AGREEMENTS.visible_to(user)


def public_pacts(city: City, *, search: str = "", neighbourhood: Neighbourhood | None = None, status: str = "") -> QuerySet[Agreement]:
    """The register of the patti di collaborazione of `city`, as municipalities publish them: every pact
    past its draft, newest first, with its neighbourhoods and its organisations as parties (never a
    private person's name: the template shows organisations only)."""
    pacts = Agreement.objects.filter(city=city, kind=Agreement.Kind.PACT).exclude(status=Agreement.Status.DRAFT)
    if search:
        pacts = pacts.filter(Q(title__icontains=search) | Q(subject__icontains=search))
    if neighbourhood is not None:
        pacts = pacts.filter(neighbourhoods=neighbourhood)
    if status:
        pacts = pacts.filter(status=status)
    return (
        pacts.distinct()
        .prefetch_related("neighbourhoods", Prefetch("parties", queryset=AgreementParty.objects.select_related("organisation")))
        .order_by("-starts_on", "title", "pk")
    )


def pacts_by_neighbourhood(city: City) -> list[dict[str, Any]]:
    """How many pacts of the public register each neighbourhood of `city` has (`neighbourhood`, `pacts`), in name order.

    These count pacts, not people, so no small count needs suppressing (privacy.suppression is for counts
    of people); and a pact carries no hardship label, so none can show here."""
    links = Agreement.neighbourhoods.through.objects.filter(
        agreement__city=city, agreement__kind=Agreement.Kind.PACT, neighbourhood__city=city
    ).exclude(agreement__status=Agreement.Status.DRAFT)
    counts = dict(links.values_list("neighbourhood_id").annotate(n=Count("agreement_id", distinct=True)).order_by())
    return [{"neighbourhood": n, "pacts": counts.get(n.pk, 0)} for n in Neighbourhood.objects.filter(city=city).order_by("name", "pk")]


def our_agreements(user: User) -> QuerySet[Agreement]:
    """The agreements a partner's organisations are party to, those ending soonest first (renewal comes next)."""
    return (
        AGREEMENTS.visible_to(user)
        .select_related("initiative", "renewal")
        .prefetch_related("neighbourhoods", Prefetch("parties", queryset=AgreementParty.objects.select_related("organisation")))
        .order_by(F("ends_on").asc(nulls_last=True), "title", "pk")
    )


def commitments_with_fulfilment(initiative: Initiative) -> list[Commitment]:
    """Each commitment of the initiative with `given` (the quantity in the ledger for the initiative,
    from the partner's organisation, of the commitment's kind), `given_amount` (the same as people say it)
    and `given_value` (euros, any kind)."""
    commitments = list(initiative.commitments.select_related("partner", "partner__organisation").order_by("due_date", "pk"))
    rows = (
        Contribution.objects.filter(initiative_id=initiative.pk)
        .values("organisation_id", "kind")
        .annotate(quantity=Sum("quantity"), value=Sum("value_eur"))
    )
    by_org_kind: dict[tuple[int | None, str], Decimal]
    value_by_org: dict[int | None, Decimal]
    by_org_kind, value_by_org = {}, {}
    for row in rows:
        by_org_kind[(row["organisation_id"], row["kind"])] = row["quantity"]
        value_by_org[row["organisation_id"]] = value_by_org.get(row["organisation_id"], Decimal(0)) + row["value"]
    for commitment in commitments:
        organisation_id = commitment.partner.organisation_id
        if commitment.kind:
            commitment.given = by_org_kind.get((organisation_id, commitment.kind), Decimal(0))
        else:
            commitment.given = sum((q for (o, _k), q in by_org_kind.items() if o == organisation_id), Decimal(0))
        commitment.given_amount = Contribution.amount_of(commitment.kind, commitment.given)
        commitment.given_value = value_by_org.get(organisation_id, Decimal(0))
        commitment.fulfilled = bool(commitment.quantity) and commitment.given >= commitment.quantity  # type: ignore[operator]  # a quantity: bool() above
        commitment.share = min(100, int(commitment.given * 100 / commitment.quantity)) if commitment.quantity else None
    return commitments


def partners_with_ledger_links(initiative: Initiative) -> set[int]:
    """Ids of the initiative's partners whose commitments have contributions in the ledger (from the
    partner's organisation for this initiative): removing one would cut those contributions off
    from the commitments they fulfil. One query."""
    given = Contribution.objects.filter(initiative_id=initiative.pk).values("organisation_id")
    return set(
        Partner.objects.filter(initiative=initiative, commitments__isnull=False, organisation_id__in=given).values_list("pk", flat=True).distinct()
    )


def contributions_to(initiative: Initiative) -> QuerySet[Contribution]:
    return Contribution.objects.filter(initiative_id=initiative.pk).select_related("organisation").order_by("-on", "-pk")


TREND_STEP = 1  # a change of at least one point of the 0–12 score counts as a move


def autonomy_trend(assessments: Iterable[AutonomyAssessment]) -> str | None:
    """ "up", "steady" or "down" from the last two assessments (oldest first); None with fewer than two."""
    ordered = list(assessments)
    if len(ordered) < 2:
        return None
    change = ordered[-1].score - ordered[-2].score
    if change >= TREND_STEP:
        return "up"
    if change <= -TREND_STEP:
        return "down"
    return "steady"


def assessments_of(initiative: Initiative) -> list[AutonomyAssessment]:
    return list(AutonomyAssessment.objects.filter(initiative=initiative).order_by("assessed_on", "pk"))


def agreements_ending_between(first: date, last: date) -> QuerySet[Agreement]:
    """Agreements in force whose end falls from `first` to `last` (dates, both included)."""
    return Agreement.objects.filter(status=Agreement.Status.ACTIVE, ends_on__gte=first, ends_on__lte=last).order_by("ends_on", "pk")


def milestones_due_between(first: date, last: date) -> QuerySet[Milestone]:
    """Milestones not reached whose date falls from `first` to `last` (dates, both included), with their
    initiative and the members of its partners' organisations."""
    return (
        Milestone.objects.filter(reached_on__isnull=True, due_date__gte=first, due_date__lte=last)
        .select_related("initiative")
        .prefetch_related("initiative__partners__organisation__members")
        .order_by("due_date", "pk")
    )


def initiatives_of_organisations(city: City | None) -> list[Initiative]:
    """The public initiatives of `city` that an organisation proposed or promotes, each with that
    organisation's id as `organisation_id` (the proposer, else the first promoter or co-manager);
    those without one are left out."""
    if city is None:
        return []
    promoter = (
        Partner.objects.filter(initiative=OuterRef("pk"), role__in=(Partner.Role.PROMOTER, Partner.Role.CO_MANAGER))
        .order_by("pk")
        .values("organisation_id")[:1]
    )
    return list(
        public_initiatives(city)
        .annotate(organisation_id=Coalesce("origin_organisation_id", Subquery(promoter), output_field=BigIntegerField()))
        .filter(organisation_id__isnull=False)
    )


# -- figures for insights: plain aggregates per area, no one named ---------------------------
# Areas are {key: neighbourhood ids}; an initiative of several neighbourhoods counts in each, and
# once in an area that holds several.

InitiativeStage = Initiative.Stage


@Presence
def has_initiatives(city: City | None) -> list[QuerySet[Any]]:
    """Whether `city` has any initiative yet (without one, their figures are "no data", not zero)."""
    return [Initiative.objects.filter(city=city)]


@Presence
def has_participations(city: City | None) -> list[QuerySet[Any]]:
    return [Participation.objects.filter(initiative__city=city)]


def _stage_at(until: datetime) -> Coalesce:
    """The stage an initiative was in just before `until`: the last move before it, or else the stage
    it was created in (the first move's start), or else its stage now."""
    moves = StageTransition.objects.filter(initiative=OuterRef("pk"))
    last = moves.filter(at__lt=until).order_by("-at", "-pk").values("to_stage")[:1]
    first = moves.order_by("at", "pk").values("from_stage")[:1]
    return Coalesce(Subquery(last), Subquery(first), F("stage"))


def initiatives_by_stage(city: City | None, until: datetime, areas: Areas) -> tuple[AreaCounts, dict[str, AreaCounts]]:
    """({area key: initiatives registered before `until`}, {stage then: {area key: initiatives}}) (one query)."""
    initiatives = Initiative.objects.filter(city=city, created_at__lt=until).annotate(stage_then=_stage_at(until))
    return count_per_area_and_group(initiatives, "neighbourhoods", areas, by="stage_then")


def initiatives_become_autonomous(city: City | None, since: datetime, until: datetime, areas: Areas) -> AreaCounts:
    """{area key: initiatives that moved to the autonomous stage from `since` to `until`} (one query)."""
    reached = Initiative.objects.filter(
        city=city,
        transitions__to_stage=Initiative.Stage.AUTONOMOUS,
        transitions__at__gte=since,
        transitions__at__lt=until,
    )
    return count_per_area(reached, "neighbourhoods", areas).get(None, {})


def intervention_object_names(city: City | None) -> list[tuple[int, str]]:
    """[(intervention object id, name)] of `city`, by name (one query)."""
    return list(InterventionObject.objects.filter(city=city).order_by("name", "pk").values_list("pk", "name"))


def participants(
    city: City | None, since: datetime, until: datetime, areas: Areas, first_contact: bool = False
) -> tuple[AreaCounts, dict[int | None, AreaCounts]]:
    """({area key: people}, {intervention object id or None: {area key: people}}): the distinct people who
    took part in an initiative of the area from `since` to `until`, in total and by the initiative's
    intervention object, in the initiative's neighbourhoods. With `first_contact`, only those whose first
    contact with the programme was joining an initiative in the period (one query)."""
    if first_contact:
        taking_part = Participation.objects.filter(initiative__city=city, first_contact=True, joined_at__gte=since, joined_at__lt=until)
    else:
        taking_part = Participation.objects.filter(during("joined_at", "left_at", since, until), initiative__city=city)
    path = "initiative__neighbourhoods"
    return count_per_area_and_group(taking_part, path, areas, counted="person", by="initiative__intervention_object")


def public_initiatives_by_quarter(city: City | None, since: datetime, until: datetime) -> QuarterCounts:
    """{(neighbourhood id, quarter of birth): initiatives} of the public catalogue born between `since` and
    `until`; one of several neighbourhoods counts in each (open data, one query)."""
    public = Initiative.objects.filter(city=city, is_public=True, stage__in=PUBLIC_STAGES, created_at__gte=since, created_at__lt=until)
    return count_by_quarter(public, "neighbourhoods", "created_at")
