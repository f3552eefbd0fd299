"""Writing, reviewing and publishing practice sheets; the bodies' members, meetings and decisions.

Every function takes the acting account and refuses work outside its scope (rules.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from trama.access import is_coordinator, is_partner, works_in
from trama.collective import services as collective
from trama.collective.models import Decision, Meeting, Membership
from trama.initiatives.models import Initiative, Participation
from trama.people.models import Organisation, Person

from . import checks
from .models import Body, BodyMeeting, DecisionLink, Mandate, Practice
from .rules import BODIES_TO_CHANGE, BODIES_TO_MEET, PRACTICES_TO_CHANGE, PRACTICES_TO_REVIEW

if TYPE_CHECKING:
    from trama.access import User

S = Practice.Status
ModelT = TypeVar("ModelT", bound=Model)


def _validated(obj: ModelT) -> ModelT:
    obj.full_clean()
    return obj


# -- practice sheets ---------------------------------------------------------------------------


def _check_author(practice: Practice, by: User, neighbourhood_ids: Iterable[int]) -> None:
    if is_partner(by):
        if practice.organisation_id is None or not Organisation.objects.filter(pk=practice.organisation_id, members=by).exists():
            raise PermissionDenied(_("Una scheda scritta da un partner porta il nome della sua organizzazione."))
        return
    if not is_coordinator(by) and not all(works_in(by, pk) for pk in neighbourhood_ids):
        raise PermissionDenied(_("Puoi raccontare pratiche solo dei quartieri che ti sono assegnati."))


@transaction.atomic
def save_practice(practice: Practice, *, by: User, neighbourhoods: Iterable, themes: Iterable = ()) -> Practice:
    """Create or update a sheet with its neighbourhoods and themes; a published sheet stays free of personal data."""
    neighbourhoods = list(neighbourhoods)
    if not neighbourhoods:
        raise ValidationError({"neighbourhoods": _("Indica almeno un quartiere in cui la pratica si è svolta.")})
    if any(n.city_id != practice.city_id for n in neighbourhoods):
        raise ValidationError({"neighbourhoods": _("I quartieri devono essere della tua città.")})
    if practice.pk is not None:
        PRACTICES_TO_CHANGE.require(by, Practice.objects.get(pk=practice.pk))
    else:
        practice.written_by = by
    _check_author(practice, by, [n.pk for n in neighbourhoods])
    _validated(practice)
    if practice.status == S.PUBLISHED:
        found = publication_problems(practice)
        if found:
            raise ValidationError(_("La scheda è pubblica e non può contenere dati personali: %(why)s.") % {"why": "; ".join(found)})
    practice.save()
    practice.neighbourhoods.set(neighbourhoods)
    practice.themes.set(list(themes))
    return practice


def names_linked_to(practice: Practice) -> list[str]:
    """The names of the people linked to where the sheet comes from: its group's members and meetings' attendees,
    its initiative's participants (read as plain values, to check a text, not to show)."""
    people = Q(pk__in=[])
    if practice.group_id:
        people |= Q(pk__in=Membership.objects.filter(group_id=practice.group_id).values("person_id"))
        people |= Q(pk__in=Meeting.attendees.through.objects.filter(meeting__group_id=practice.group_id).values("person_id"))
    if practice.initiative_id:
        people |= Q(pk__in=Participation.objects.filter(initiative_id=practice.initiative_id).values("person_id"))
    names = []
    for row in Person.objects.filter(people).values_list("display_name", "first_name", "last_name"):
        names += [n for n in row if n]
    return names


def publication_problems(practice: Practice) -> list[str]:
    return checks.problems(practice.text, names_linked_to(practice))


def _move(practice: Practice, allowed: Iterable[str], to: str, **fields: object) -> Practice:
    if practice.status not in allowed:
        raise ValidationError(_("La scheda è «%(status)s»: questo passaggio non è possibile.") % {"status": practice.get_status_display()})
    practice.status = to
    for name, value in fields.items():
        setattr(practice, name, value)
    practice.save(update_fields=["status", "updated_at", *fields])
    return practice


def submit(practice: Practice, *, by: User) -> Practice:
    """The author sends the sheet to a coordinator's review."""
    PRACTICES_TO_CHANGE.require(by, practice)
    return _move(practice, [S.DRAFT], S.REVIEW, review_note="")


def approve(practice: Practice, *, by: User, note: str = "") -> Practice:
    PRACTICES_TO_REVIEW.require(by, practice)
    return _move(practice, [S.REVIEW], S.APPROVED, reviewed_by=by, review_note=note.strip()[:500])


def send_back(practice: Practice, *, by: User, note: str = "") -> Practice:
    """Back to a draft, with what to change; a published sheet leaves the public pages."""
    PRACTICES_TO_REVIEW.require(by, practice)
    if not note.strip():
        raise ValidationError(_("Scrivi che cosa va cambiato: chi ha scritto la scheda lo leggerà."))
    return _move(practice, [S.REVIEW, S.APPROVED, S.PUBLISHED], S.DRAFT, reviewed_by=by, review_note=note.strip()[:500], published_at=None)


def publish(practice: Practice, *, by: User) -> Practice:
    """An approved sheet goes on the public pages, only when it holds no personal data."""
    PRACTICES_TO_REVIEW.require(by, practice)
    found = publication_problems(practice)
    if found:
        raise ValidationError(_("La scheda non può andare sulle pagine pubbliche: %(why)s.") % {"why": "; ".join(found)})
    return _move(practice, [S.APPROVED], S.PUBLISHED, reviewed_by=by, published_at=timezone.now())


def unpublish(practice: Practice, *, by: User) -> Practice:
    PRACTICES_TO_REVIEW.require(by, practice)
    return _move(practice, [S.PUBLISHED], S.APPROVED, published_at=None)


# -- bodies ------------------------------------------------------------------------------------


def create_body(body: Body, *, by: User) -> Body:
    if not is_coordinator(by) or (by.city_id and body.city_id != by.city_id):
        raise PermissionDenied(_("Solo il coordinamento della città istituisce gli organismi."))
    _validated(body).save()
    return body


def add_mandate(mandate: Mandate, *, by: User) -> Mandate:
    BODIES_TO_CHANGE.require(by, mandate.body)
    if mandate.organisation is not None and mandate.organisation.city_id != mandate.body.city_id:
        raise ValidationError({"organisation": _("L'organizzazione non è di questa città.")})
    _validated(mandate).save()
    return mandate


def end_mandate(mandate: Mandate, *, by: User, on: date | None = None) -> Mandate:
    BODIES_TO_CHANGE.require(by, mandate.body)
    on = on or timezone.localdate()
    if mandate.ends_on and mandate.ends_on <= on:
        raise ValidationError(_("Questo mandato è già concluso."))
    if on < mandate.starts_on:
        raise ValidationError(_("La fine del mandato deve venire dopo il suo inizio."))
    mandate.ends_on = on
    mandate.save(update_fields=["ends_on"])
    return mandate


@transaction.atomic
def hold_meeting(body: Body, meeting: Meeting, *, by: User) -> Meeting:
    """A meeting of the body, kept by collective as every other meeting (agenda, minutes, decisions)."""
    BODIES_TO_MEET.require(by, body)
    meeting.group = None
    meeting.city_id = body.city_id
    if body.kind == Body.Kind.TABLE and body.neighbourhood is not None:
        meeting.neighbourhood, meeting.kind = body.neighbourhood, Meeting.Kind.TABLE
    else:
        meeting.kind = Meeting.Kind.STEERING
    collective.save_meeting(meeting, by=by)
    BodyMeeting.objects.create(body=body, meeting=meeting)
    return meeting


def body_of(meeting: Meeting) -> Body | None:
    link = BodyMeeting.objects.filter(meeting=meeting).select_related("body").first()
    return link.body if link else None


def decision_problems(decision: Decision, body: Body) -> list[str]:
    """Why a decision of the steering group may not go on its public page (names of members and attendees, contacts…)."""
    names = [
        n
        for row in Person.objects.filter(pk__in=decision.meeting.attendees.values("pk")).values_list("display_name", "first_name", "last_name")
        for n in row
        if n
    ]
    names += [m.member_name for m in body.mandates.all() if m.member_name]
    names += [n for n in (decision.owner_name,) if n]
    return checks.problems(decision.text, names)


@transaction.atomic
def link_decision(
    decision: Decision,
    *,
    by: User,
    practice: Practice | None = None,
    initiative: Initiative | None = None,
    target: str = "",
    concerns: Iterable[Organisation] = (),
    responsible_organisation: Organisation | None = None,
    responsible_role: str = "",
) -> DecisionLink:
    """Say what a body's decision changed, whom it concerns and which organisation answers for it."""
    body = body_of(decision.meeting)
    if body is None:
        raise ValidationError(_("Questa decisione non è di un organismo del programma."))
    BODIES_TO_MEET.require(by, body)
    concerns = list(concerns)
    for org in [*concerns, responsible_organisation]:
        if org is not None and org.city_id != body.city_id:
            raise ValidationError(_("Le organizzazioni devono essere di questa città."))
    for linked in (practice, initiative):
        if linked is not None and linked.city_id != body.city_id:
            raise ValidationError(_("Si può collegare solo ciò che è di questa città."))
    link, _created = DecisionLink.objects.get_or_create(decision=decision, defaults={"body": body})
    link.body, link.practice, link.initiative = body, practice, initiative
    link.target, link.responsible_organisation, link.responsible_role = target.strip(), responsible_organisation, responsible_role.strip()
    _validated(link).save()
    link.concerns.set(concerns)
    return link
