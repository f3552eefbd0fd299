"""Actions of the collective app: refresh and decide suggestions, convene and run groups, meetings."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from trama.access import works_in
from trama.notifications.models import Kind
from trama.notifications.services import notify
from trama.people.models import Consent
from trama.people.queries import staff_of_city
from trama.people.rules import PEOPLE
from trama.people.services import record_consent
from trama.privacy import audit
from trama.privacy.registry import scrub_names
from trama.territory.models import City

from .models import Decision, Group, Meeting, Membership, Suggestion, SuggestionRefresh, TransitionError
from .queries import participants_of
from .rules import GROUPS, GROUPS_TO_CHANGE, MEETINGS, SUGGESTION_PEOPLE
from .suggestions import group_threshold, suggested_purpose, suggestion_candidates, suggestion_keys

if TYPE_CHECKING:
    from trama.people.models import Person, User
    from trama.territory.models import Neighbourhood
    from trama.themes.models import Theme

ModelT = TypeVar("ModelT", bound=Model)

log = logging.getLogger(__name__)

# A candidate that mostly repeats a dismissed or convened suggestion comes back only when at
# least `group_threshold()` people are new to it (see `_already_decided`).


def _already_decided(keys: AbstractSet[str], decided: Iterable[AbstractSet[str]], threshold: int) -> bool:
    """True when a decided suggestion holds at least half of `keys` and fewer than `threshold` are new."""
    for other in decided:
        shared = len(keys & other)
        if shared and shared * 2 >= len(keys) and len(keys - other) < threshold:
            return True
    return False


def run_refresh(refresh_id: int) -> tuple[int, int, int] | None:
    """Run a refresh asked for from the suggestions' page, writing on its record that it runs, then what it
    found (or that it failed: the page must not wait for ever). Returns (created, updated, deleted), or None.
    A refresh left RUNNING by a worker that stopped is run again (refresh_suggestions is one transaction)."""
    if not SuggestionRefresh.objects.filter(pk=refresh_id, status__in=[SuggestionRefresh.Status.QUEUED, SuggestionRefresh.Status.RUNNING]).update(
        status=SuggestionRefresh.Status.RUNNING
    ):
        return None
    refresh = SuggestionRefresh.objects.select_related("city").get(pk=refresh_id)
    try:
        created, updated, deleted = refresh_suggestions(refresh.city)
    except Exception:
        log.exception("Refresh %s of the suggestions failed", refresh_id)
        SuggestionRefresh.objects.filter(pk=refresh_id).update(status=SuggestionRefresh.Status.FAILED, finished_at=timezone.now())
        return None
    SuggestionRefresh.objects.filter(pk=refresh_id).update(
        status=SuggestionRefresh.Status.DONE, created=created, updated=updated, deleted=deleted, finished_at=timezone.now()
    )
    return created, updated, deleted


@transaction.atomic
def refresh_suggestions(city: City, now: datetime | None = None) -> tuple[int, int, int]:
    """Bring the open suggestions of `city` up to date with its open needs, signals and encounters.

    Open suggestions still found are updated, new ones created, those no longer found deleted.
    A dismissed or convened suggestion is never proposed again (same signature), nor is one that
    mostly repeats it (see `_already_decided`). Returns (created, updated, deleted).
    """
    from trama.themes.models import Theme

    # One refresh per city at a time (the task may run on several workers).
    City.objects.select_for_update().filter(pk=city.pk).first()
    threshold = group_threshold()
    candidates = suggestion_candidates(city, threshold, now)
    existing = {s.signature: s for s in Suggestion.objects.filter(city=city)}
    decided = [suggestion_keys(s) for s in existing.values() if s.status != Suggestion.Status.OPEN]
    themes = Theme.objects.in_bulk({c.theme_id for c in candidates if c.theme_id})
    created = updated = 0
    kept, new = set(), []
    for candidate in candidates:
        signature = candidate.signature
        current = existing.get(signature)
        if current is not None and current.status != Suggestion.Status.OPEN:
            continue
        if current is None and _already_decided(candidate.keys, decided, threshold):
            continue
        theme = themes.get(candidate.theme_id)
        fields = {
            "neighbourhood_id": candidate.neighbourhood_id,
            "theme": theme,
            "size": candidate.size,
            "purpose": suggested_purpose(theme, candidate.key_phrases)[:300],
            "key_phrases": candidate.key_phrases,
            "items": [{"source": s.source, "id": s.id, "key": s.key} for s in candidate.situations],
        }
        if current is None:
            current = Suggestion.objects.create(city=city, signature=signature, **fields)
            new.append(current)
            created += 1
        else:
            for name, value in fields.items():
                setattr(current, name, value)
            current.save()
            updated += 1
        current.people.set(candidate.person_ids)
        kept.add(current.pk)
    stale = Suggestion.objects.filter(city=city, status=Suggestion.Status.OPEN).exclude(pk__in=kept)
    deleted = stale.delete()[1].get(Suggestion._meta.label, 0)
    _tell_new_suggestions(city, new)
    return created, updated, deleted


def _tell_new_suggestions(city: City, suggestions: Sequence[Suggestion]) -> None:
    """Each new suggestion is told to the workers who may see who is behind it (SUGGESTION_PEOPLE: those of its
    neighbourhood). The key is its signature, the set of people: the same suggestion found again after it went
    stale is not news."""
    if not suggestions:
        return
    staff = list(staff_of_city(city.pk))
    for suggestion in suggestions:
        workers = [user for user in staff if SUGGESTION_PEOPLE.allows(user, suggestion)]
        url = reverse("collective:suggestion", args=[suggestion.pk])
        notify(Kind.GROUP_PROPOSED, workers, url=url, key=f"{Kind.GROUP_PROPOSED}:{suggestion.signature}")


def _decide(suggestion: Suggestion, status: str, by: User, reason: str = "") -> None:
    if suggestion.status != Suggestion.Status.OPEN:
        raise TransitionError(_("Questa proposta è già stata valutata."))
    suggestion.status = status
    suggestion.dismissed_reason = reason
    suggestion.decided_by = by
    suggestion.decided_at = timezone.now()
    suggestion.save(update_fields=["status", "dismissed_reason", "decided_by", "decided_at", "updated_at"])


@transaction.atomic
def dismiss_suggestion(suggestion: Suggestion, *, reason: str, by: User) -> Suggestion:
    """Set a suggestion aside with the reason; it will not be proposed again."""
    SUGGESTION_PEOPLE.require(by, suggestion)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Scrivi perché la proposta non va avanti.")})
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    _decide(suggestion, Suggestion.Status.DISMISSED, by, reason[:500])
    return suggestion


def _validated(obj: ModelT) -> ModelT:
    obj.full_clean()
    return obj


@transaction.atomic
def create_group(
    *,
    city: City,
    neighbourhood: Neighbourhood,
    name: str,
    purpose: str,
    by: User,
    themes: Iterable[Theme] = (),
    suggestion: Suggestion | None = None,
    facilitator: User | None = None,
) -> Group:
    """A new group in forming status, facilitated by `by` unless someone else is named."""
    if not works_in(by, neighbourhood):
        raise PermissionDenied(_("Puoi creare gruppi solo nei quartieri che ti sono assegnati."))
    group = _validated(
        Group(
            city=city,
            neighbourhood=neighbourhood,
            name=(name or "").strip(),
            purpose=(purpose or "").strip(),
            facilitator=facilitator or by,
            suggestion=suggestion,
            created_by=by,
        )
    )
    group.save()
    if themes:
        group.themes.set(themes)
    audit.record(by, audit.Action.CREATE, group, reason="gruppo creato")
    return group


@transaction.atomic
def convene_group(suggestion: Suggestion, *, name: str, purpose: str, by: User, members: Iterable[Person] = (), consent: bool = False) -> Group:
    """Turn an open suggestion into a group in formation, with the people who agreed to join.

    `members` must come from the suggestion's people the worker may see; they are added only
    when `consent` is true (the worker ticked that they agreed). The suggestion is marked
    convened and will not be proposed again.
    """
    SUGGESTION_PEOPLE.require(by, suggestion)
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.status != Suggestion.Status.OPEN:
        raise TransitionError(_("Questa proposta è già stata valutata."))
    if members and not consent:
        raise ValidationError({"consent": _("Aggiungi le persone solo dopo aver raccolto il loro consenso.")})
    group = create_group(
        city=suggestion.city,
        neighbourhood=suggestion.neighbourhood,
        name=name,
        purpose=purpose,
        by=by,
        themes=[suggestion.theme] if suggestion.theme_id else (),  # type: ignore[list-item]  # a theme when theme_id is set
        suggestion=suggestion,
    )
    _decide(suggestion, Suggestion.Status.CONVENED, by)
    for person in members:
        add_member(group, person, by=by, consent=True)
    return group


@transaction.atomic
def add_member(group: Group, person: Person, *, by: User, consent: bool) -> Membership:
    """Add `person` to `group` with their consent (recorded by `by`), giving them the groups consent if missing."""
    GROUPS_TO_CHANGE.require(by, group)
    PEOPLE.require(by, person)
    if not consent:
        raise ValidationError({"consent": _("Una persona entra nel gruppo solo con il suo consenso.")})
    return _add_member(group, person, by=by)


@transaction.atomic
def join_from_match(group: Group, person: Person, *, by: User) -> Membership:
    """`person` accepted a worker's proposal (a market match) to join `group`: her yes is her consent.

    `by` is the person herself, or staff who may see both her and the group answering for her.
    Joining twice changes nothing: one membership, one consent.
    """
    own = person.account_id is not None and person.account_id == by.pk
    if not own and not (GROUPS.allows(by, group) and PEOPLE.allows(by, person)):
        raise PermissionDenied(_("Non puoi iscrivere questa persona a questo gruppo."))
    return _add_member(group, person, by=by)


def _add_member(group: Group, person: Person, *, by: User) -> Membership:
    if group.status not in (Group.Status.FORMING, Group.Status.ACTIVE):
        raise TransitionError(_("Il gruppo è «%(status)s»: non si aggiungono persone.") % {"status": group.get_status_display()})
    if person.city_id != group.city_id or person.anonymised_at is not None:
        raise ValidationError({"person": _("Questa persona non può essere aggiunta al gruppo.")})
    membership, created = Membership.objects.get_or_create(
        group=group,
        person=person,
        defaults={"consent_recorded_by": by},
    )
    if not created and membership.left_at is not None:
        membership.left_at = None
        membership.joined_at = timezone.now()
        membership.consent_recorded_by = by
        membership.save(update_fields=["left_at", "joined_at", "consent_recorded_by"])
    record_consent(person, Consent.Purpose.GROUPS, by=by)
    audit.record(by, audit.Action.UPDATE, person, reason=f"entra nel gruppo {group.pk}")
    return membership


@transaction.atomic
def remove_member(group: Group, person: Person, *, by: User) -> bool:
    """The person leaves the group; the membership is kept with the date they left."""
    GROUPS_TO_CHANGE.require(by, group)
    updated = Membership.objects.filter(group=group, person=person, left_at__isnull=True).update(left_at=timezone.now())
    if updated:
        audit.record(by, audit.Action.UPDATE, person, reason=f"esce dal gruppo {group.pk}")
    return bool(updated)


def update_group(group: Group, *, by: User, **fields: Any) -> Group:
    GROUPS_TO_CHANGE.require(by, group)
    for name, value in fields.items():
        setattr(group, name, value.strip() if isinstance(value, str) else value)
    _validated(group).save(update_fields=list(fields))
    audit.record(by, audit.Action.UPDATE, group, reason="gruppo modificato")
    return group


@transaction.atomic
def change_group_status(group: Group, action: str, *, by: User, note: str = "") -> Group:
    """activate, close (with a note) or became_initiative, through the group's state machine."""
    GROUPS_TO_CHANGE.require(by, group)
    group = Group.objects.select_for_update().get(pk=group.pk)
    if action == "activate":
        group.activate()
    elif action == "close":
        note = (note or "").strip()
        if not note:
            raise ValidationError({"note": _("Scrivi in breve perché il gruppo si chiude.")})
        group.close(note[:500])
    elif action == "became_initiative":
        group.became_initiative()
    else:
        raise ValidationError(_("Azione non valida."))
    audit.record(by, audit.Action.UPDATE, group, reason=f"stato: {audit.label_of(group, 'status')}")
    return group


def save_meeting(meeting: Meeting, *, by: User) -> Meeting:
    """Create or update a meeting (validated by the model); group meetings take the group's place in the city.

    `by` must have the meeting (as stored) and the group or neighbourhood it is moved to in scope.
    """
    if meeting.pk is not None:
        MEETINGS.require(by, Meeting.objects.get(pk=meeting.pk))
    if meeting.group_id:
        GROUPS_TO_CHANGE.require(by, meeting.group)
    elif not works_in(by, meeting.neighbourhood_id):
        raise PermissionDenied(_("Puoi fissare incontri solo nei quartieri che ti sono assegnati."))
    if meeting.group_id:
        group = cast("Group", meeting.group)  # group_id is set
        meeting.city_id, meeting.neighbourhood_id, meeting.kind = group.city_id, group.neighbourhood_id, Meeting.Kind.GROUP

    if meeting.pk is None:
        meeting.created_by = by
    _validated(meeting).save()
    return meeting


@transaction.atomic
def record_attendance(
    meeting: Meeting, *, by: User, attendees: Sequence[Person] | None = None, attendance_count: int | None = None, minutes: str | None = None
) -> Meeting:
    """Who came (members ticked) or how many (open events), and the minutes."""
    MEETINGS.require(by, meeting)
    fields = []
    if attendance_count is not None or meeting.attendance_count is not None:
        meeting.attendance_count = attendance_count
        fields.append("attendance_count")
    first_minutes = False
    if minutes is not None:
        first_minutes = not meeting.minutes and bool(minutes.strip())
        meeting.minutes = minutes.strip()
        fields.append("minutes")
    if fields:
        _validated(meeting).save(update_fields=fields)
    if first_minutes:
        _tell_minutes_written(meeting, by)
    if attendees is not None:
        meeting.attendees.set(attendees)
        if attendees:
            audit.record(by, audit.Action.UPDATE, meeting, reason="presenze: " + ",".join(str(p.pk) for p in attendees)[:250])
    return meeting


def _tell_minutes_written(meeting: Meeting, by: User) -> None:
    """The minutes of a group meeting were written: its participants (queries.participants_of) hear once, but only
    those who may read them (MEETINGS: staff in scope; a member reads the group's meetings, not their minutes),
    and not `by`, who wrote them."""
    if not meeting.group_id:
        return  # tables and assemblies have no list of participants
    readers = [user for user in participants_of(meeting) if user.pk != by.pk and MEETINGS.allows(user, meeting)]
    notify(Kind.MINUTES_PUBLISHED, readers, url=reverse("collective:meeting", args=[meeting.pk]), key=f"{Kind.MINUTES_PUBLISHED}:{meeting.pk}")


def add_decision(meeting: Meeting, *, by: User, text: str, owner: User | None = None, owner_name: str = "", due_date: date | None = None) -> Decision:
    MEETINGS.require(by, meeting)
    decision = _validated(
        Decision(
            meeting=meeting,
            text=(text or "").strip(),
            owner=owner,
            owner_name=(owner_name or "").strip(),
            due_date=due_date,
        )
    )
    decision.save()
    return decision


def set_decision_done(decision: Decision, done: bool, *, by: User) -> Decision:
    MEETINGS.require(by, decision.meeting)
    decision.done_at = timezone.now() if done else None
    decision.save(update_fields=["done_at"])
    return decision


@transaction.atomic
def open_in_market(decision: Decision, *, side: str, person: Person, text: str, by: User, kind: str = "time") -> Decision:
    """A decision opens a need (or an offer) in the market, in the person's name; the decision links to it."""
    from trama.market import services as market

    decision = Decision.objects.select_for_update().select_related("meeting").get(pk=decision.pk)
    if decision.need_id or decision.offer_id:
        raise ValidationError(_("Questa decisione ha già aperto una richiesta o un'offerta."))
    neighbourhood = decision.meeting.neighbourhood
    if side == "need":
        decision.need = market.record_need(person=person, text=text, neighbourhood=neighbourhood, urgency="medium", by=by, kind=kind)
    elif side == "offer":
        decision.offer = market.record_offer(
            person=person,
            kind=kind,
            title=text[:150],
            description=text,
            neighbourhoods=[neighbourhood],
            by=by,
        )
    else:
        raise ValidationError({"side": _("Scegli richiesta oppure offerta.")})
    decision.save(update_fields=["need", "offer"])
    return decision


# -- erasure (called by the privacy app through the registry: collective/personal_data.py) ------


def erase_from_meetings(meetings: QuerySet[Meeting], person: Person) -> None:
    """An erased person's attendance becomes a count, and the agendas and minutes no longer name them.

    `attendance_count` keeps at least the number of people present with a name before the
    person leaves the list, so the meeting's attendance (and the indicators) stay the same.
    """
    for meeting in meetings.prefetch_related("attendees"):
        named = [p.pk for p in meeting.attendees.all()]
        fields = {"agenda": scrub_names(meeting.agenda, person), "minutes": scrub_names(meeting.minutes, person)}
        if person.pk in named:
            fields["attendance_count"] = max(meeting.attendance_count or 0, len(named))
            meeting.attendees.remove(person.pk)
        Meeting.objects.filter(pk=meeting.pk).update(**fields)


def erase_from_suggestions(suggestions: QuerySet[Suggestion], person: Person) -> None:
    """Erasure (privacy.erasure): the person leaves every suggestion she was in, with her situations and the
    words drawn from them (key phrases may come from her texts alone); its size, neighbourhood, purpose and
    outcome stay, for the others and the indicators. An open suggestion is found again at the next refresh."""
    key = f"person:{person.pk}"
    for suggestion in suggestions.distinct():
        suggestion.people.remove(person)
        Suggestion.objects.filter(pk=suggestion.pk).update(items=[item for item in suggestion.items if item.get("key") != key], key_phrases=[])


def anonymise_expired_suggestions(suggestions: QuerySet[Suggestion], now: datetime) -> int:
    """Retention (privacy.retention): a suggestion decided long ago keeps its size, neighbourhood and outcome,
    not who was in it nor the words drawn from their situations; returns how many."""
    for suggestion in suggestions.distinct():
        suggestion.people.clear()
    return suggestions.update(purpose="", dismissed_reason="", key_phrases=[], items=[])


def anonymise_expired_meetings(meetings: QuerySet[Meeting], now: datetime) -> int:
    """Retention (privacy.retention): a meeting held long ago keeps how many attended, not who, nor its agenda
    and minutes; returns how many. The attendance indicator reads `attendance_count` for the people not named."""
    count = 0
    for meeting in meetings.distinct().prefetch_related("attendees"):
        named = len(meeting.attendees.all())
        Meeting.objects.filter(pk=meeting.pk).update(agenda="", minutes="", attendance_count=max(meeting.attendance_count or 0, named))
        meeting.attendees.clear()
        count += 1
    return count
