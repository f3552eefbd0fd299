"""Reads of suggestions, groups and meetings reused by views, API, tasks and insights.

How a suggestion is found: trama/collective/suggestions.py.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from trama.aggregates import Presence, count_by_quarter, count_per_area, during, on_day
from trama.market.queries import needs_made_between
from trama.territory.models import Neighbourhood

from .models import Decision, Group, Meeting, Membership, Suggestion, SuggestionRefresh
from .rules import GROUPS, MEETINGS, MEETINGS_OF_MY_GROUPS, SUGGESTION_PEOPLE, SUGGESTIONS

if TYPE_CHECKING:
    from trama.access import Viewer
    from trama.aggregates import AreaCounts, Areas, QuarterCounts
    from trama.people.models import Person, User
    from trama.territory.models import City
    from trama.themes.models import Theme

# -- who sees what ------------------------------------------------------------------------


def suggestions_visible_to(user: Viewer, status: str = Suggestion.Status.OPEN) -> QuerySet[Suggestion]:
    """Suggestions for staff in scope (open ones by default), biggest first. Constant queries."""
    suggestions = SUGGESTIONS.visible_to(user).select_related("neighbourhood", "theme").defer("neighbourhood__boundary")
    if status:
        suggestions = suggestions.filter(status=status)
    return suggestions.order_by("-size", "-created_at", "-pk")


def refresh_of_city(city: City | None, pk: str | None) -> SuggestionRefresh | None:
    """The refresh of `city`'s suggestions numbered `pk` (as written in the page's address), or None: counts of
    suggestions, no personal data, shown to the staff of the same city who list them."""
    if city is None or not str(pk or "").isdigit():
        return None
    return SuggestionRefresh.objects.filter(city=city, pk=int(pk)).first()  # type: ignore[arg-type]  # digits, checked above


def may_see_people_of(user: Viewer, suggestion: Suggestion) -> bool:
    """Who is behind a suggestion is for the workers of its neighbourhood only."""
    return SUGGESTION_PEOPLE.allows(user, suggestion)


@dataclass
class SituationRow:
    source: str
    id: int
    text: str
    neighbourhood: Neighbourhood
    person: Person | None
    visible: bool


def situations_of(suggestion: Suggestion, user: Viewer) -> list[SituationRow]:
    """The situations behind `suggestion` as a worker reads them: text and person only in their scope.

    Three queries whatever the size. Situations closed since the refresh are left out.
    """
    from trama.attention.models import Encounter, Signal
    from trama.market.models import Need

    ids: defaultdict[str, list[int]] = defaultdict(list)
    for item in suggestion.items:
        ids[item["source"]].append(item["id"])
    rows = []
    sources = (
        ("need", Need.objects.filter(pk__in=ids["need"]), "text"),
        ("signal", Signal.objects.filter(pk__in=ids["signal"]), "text"),
        ("encounter", Encounter.objects.filter(pk__in=ids["encounter"]), "notes"),
    )
    scope = user.neighbourhood_ids() if user.is_authenticated else frozenset()
    for source, queryset, text_field in sources:
        if not ids[source]:
            continue
        for obj in queryset.select_related("person", "neighbourhood").order_by("pk"):
            rows.append(SituationRow(source, obj.pk, getattr(obj, text_field), obj.neighbourhood, obj.person, obj.neighbourhood_id in scope))
    return rows


def invitable_people(suggestion: Suggestion, user: Viewer) -> list[Person]:
    """The people of a suggestion a worker may invite: registered, in the worker's neighbourhoods."""
    seen, out = set(), []
    for row in situations_of(suggestion, user):
        if row.visible and row.person is not None and row.person.anonymised_at is None and row.person.pk not in seen:
            seen.add(row.person.pk)
            out.append(row.person)
    return sorted(out, key=lambda p: (p.display_name, p.pk))


def groups_visible_to(user: Viewer) -> QuerySet[Group]:
    """Workers: their neighbourhoods; coordinators: their city; citizens: the groups they belong to."""
    return GROUPS.visible_to(user).select_related("neighbourhood").defer("neighbourhood__boundary")


def group_list(user: Viewer, status: str = "") -> QuerySet[Group]:
    """The groups page: one query for the rows (members and next meeting counted inline)."""
    groups = groups_visible_to(user)
    if status:
        groups = groups.filter(status=status)
    return groups.annotate(
        member_count=Count("memberships", filter=Q(memberships__left_at__isnull=True), distinct=True),
        meeting_count=Count("meetings", distinct=True),
    ).order_by("-created_at", "-pk")


def current_members(group: Group) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(group=group, left_at__isnull=True)
        .select_related("person", "consent_recorded_by")
        .order_by("person__display_name", "pk")
    )


def meetings_visible_to(user: Viewer) -> QuerySet[Meeting]:
    """Meetings staff may open in full (attendance, minutes): their neighbourhoods or their city."""
    return MEETINGS.visible_to(user).select_related("neighbourhood", "place", "group").defer("neighbourhood__boundary")


def public_meetings(city: City | None) -> QuerySet[Meeting]:
    """Meetings anyone may read: only title, when, where and kind are shown of them."""
    return (
        Meeting.objects.filter(city=city, is_public=True)
        .select_related("neighbourhood", "place")
        .defer("neighbourhood__boundary")
        .order_by("starts_at", "pk")
    )


def meetings_for_citizen(user: Viewer) -> QuerySet[Meeting]:
    """The meetings of the groups a citizen belongs to."""
    return MEETINGS_OF_MY_GROUPS.visible_to(user).select_related("neighbourhood", "place", "group").defer("neighbourhood__boundary")


def upcoming(meetings: QuerySet[Meeting], now: datetime | None = None, limit: int = 5) -> list[Meeting]:
    now = now or timezone.now()
    return list(meetings.filter(starts_at__gte=now).order_by("starts_at", "pk")[:limit])


def decisions_of(meeting: Meeting) -> QuerySet[Decision]:
    return Decision.objects.filter(meeting=meeting).select_related("owner", "need", "offer").order_by("due_date", "pk")


# -- calendar -----------------------------------------------------------------------------


def parse_month(value: str | None, today: date | None = None) -> date:
    """A "YYYY-MM" string as the first day of that month; today's month when missing or malformed."""
    today = today or timezone.localdate()
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return date(year, month, 1)
    except (TypeError, ValueError):
        pass
    return today.replace(day=1)


def month_bounds(first: date) -> tuple[datetime, datetime, date]:
    """The aware datetimes starting this month and the next, in the local time zone."""
    last_day = calendar.monthrange(first.year, first.month)[1]
    following = first + timedelta(days=last_day)
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(first, datetime.min.time()), tz),
        timezone.make_aware(datetime.combine(following, datetime.min.time()), tz),
        following,
    )


def month_of(meetings: QuerySet[Meeting], first: date) -> tuple[list[tuple[date, list[Meeting]]], date, date]:
    """The meetings of the month starting `first`, grouped by local day: [(day, [meetings])]."""
    start, end, following = month_bounds(first)
    days: defaultdict[date, list[Meeting]] = defaultdict(list)
    for meeting in meetings.filter(starts_at__gte=start, starts_at__lt=end).order_by("starts_at", "pk"):
        days[timezone.localtime(meeting.starts_at).date()].append(meeting)
    previous = (first - timedelta(days=1)).replace(day=1)
    return sorted(days.items()), previous, following


def groups_of_theme(theme: Theme) -> QuerySet[Group]:
    """Groups linked to a theme (directly, or born from a suggestion about it); no personal data."""
    return (
        Group.objects.filter(Q(themes=theme) | Q(suggestion__theme=theme))
        .distinct()
        .select_related("neighbourhood")
        .defer("neighbourhood__boundary")
        .annotate(member_count=Count("memberships", filter=Q(memberships__left_at__isnull=True), distinct=True))
        .order_by("-created_at")
    )


def open_suggestion_count(user: Viewer) -> int:
    return suggestions_visible_to(user).count()


def meetings_on(day: date) -> QuerySet[Meeting]:
    """Group meetings starting on `day` (a date in the city's time zone), with their group's facilitator."""
    return Meeting.objects.filter(on_day("starts_at", day), group__isnull=False).select_related("group__facilitator").order_by("starts_at", "pk")


def participants_of(meeting: Meeting) -> list[User]:
    """The active accounts expected at a group meeting: its group's current members who have an account, and
    its facilitator. (Tables and assemblies have no list of participants before they meet: only who came.)"""
    group = cast("Group", meeting.group)  # a group meeting
    members = [
        m.person.account
        for m in Membership.objects.filter(group_id=group.pk, left_at__isnull=True).select_related("person__account")
        if m.person.account_id
    ]
    unique = {user.pk: user for user in [*members, group.facilitator] if user is not None and user.is_active}

    return list(unique.values())


# -- figures for insights: plain aggregates per neighbourhood or area, no one named --------

MeetingKind = Meeting.Kind
# The neighbourhood's own meetings, which G4 counts: not the programme's steering group (practices' governance).
COMMUNITY_MEETING_KINDS = tuple((kind, label) for kind, label in Meeting.Kind.choices if kind != Meeting.Kind.STEERING)


@Presence
def has_groups(city: City | None) -> list[QuerySet[Any]]:
    """Whether `city` has any group yet (without one, the groups' figures are "no data", not zero)."""
    return [Group.objects.filter(city=city)]


@Presence
def has_meetings(city: City | None) -> list[QuerySet[Any]]:
    return [Meeting.objects.filter(city=city)]


def needs_in_groups(
    city: City | None, since: datetime, until: datetime, held_by: datetime, neighbourhood_ids: Iterable[int]
) -> dict[int, tuple[int, int]]:
    """{neighbourhood id: (needs, needs linked to a group)} of the needs registered from `since` to `until`:
    linked when the person was, during the period, in a group that met between `since` and `held_by`,
    or when the need came out of a meeting's decision (one query)."""
    in_group = Membership.objects.filter(
        during("joined_at", "left_at", since, until),
        person=OuterRef("person"),
        group__meetings__starts_at__gte=since,
        group__meetings__starts_at__lt=held_by,
    )
    decided = Decision.objects.filter(need=OuterRef("pk"))
    rows = (
        needs_made_between(city, since, until, neighbourhood_ids)
        .annotate(linked=ExpressionWrapper(Q(Exists(in_group)) | Q(Exists(decided)), output_field=BooleanField()))
        .values_list("neighbourhood_id")
        # Counted under a name of its own: `linked` again would redefine the annotation above (the type checker
        # refuses it); the rows are read by position, so the name changes nothing else.
        .annotate(total=Count("pk"), linked_needs=Count("pk", filter=Q(linked=True)))
        .order_by()
    )
    return {n: (total, linked) for n, total, linked in rows}


def groups_formed(city: City | None, since: datetime, until: datetime, areas: Areas) -> AreaCounts:
    """{area key: groups convened from `since` to `until` in the area}, areas {key: neighbourhood ids} (one query)."""
    formed = Group.objects.filter(city=city, created_at__gte=since, created_at__lt=until)
    return count_per_area(formed, "neighbourhood", areas).get(None, {})


def groups_met(city: City | None, since: datetime, held_by: datetime, areas: Areas) -> AreaCounts:
    """{area key: groups of the area that met at least once from `since` to `held_by`} (one query)."""
    met = Group.objects.filter(city=city, meetings__starts_at__gte=since, meetings__starts_at__lt=held_by)
    return count_per_area(met, "neighbourhood", areas).get(None, {})


def groups_become_initiatives(city: City | None, since: datetime, until: datetime, areas: Areas) -> AreaCounts:
    """{area key: groups of the area that became an initiative from `since` to `until`} (one query)."""
    became = Group.objects.filter(city=city, status=Group.Status.INITIATIVE, status_changed_at__gte=since, status_changed_at__lt=until)
    return count_per_area(became, "neighbourhood", areas).get(None, {})


def _meetings_held(city: City | None, since: datetime, held_by: datetime) -> QuerySet[Meeting]:
    """The neighbourhood's meetings held from `since` to `held_by` (the steering group's are governance, not G4's)."""
    return Meeting.objects.filter(city=city, starts_at__gte=since, starts_at__lt=held_by).exclude(kind=Meeting.Kind.STEERING)


def meetings_held(city: City | None, since: datetime, held_by: datetime) -> dict[tuple[int, str], int]:
    """{(neighbourhood id, kind): meetings held from `since` to `held_by`} (one query)."""
    rows = _meetings_held(city, since, held_by).values_list("neighbourhood_id", "kind").annotate(n=Count("pk")).order_by()
    return {(n, kind): count for n, kind, count in rows}


def attendance(city: City | None, since: datetime, held_by: datetime) -> dict[int, tuple[int, int]]:
    """{neighbourhood id: (present by name, present)} over the meetings held from `since` to `held_by`: for
    each meeting, those present are the named attendees or the count taken, whichever is higher (one query)."""
    # django-stubs does not see an annotation in a values() after it (it reads only the model's fields): `n` is there.
    named = Meeting.attendees.through.objects.filter(meeting_id=OuterRef("pk")).order_by().values("meeting_id").annotate(n=Count("pk")).values("n")  # type: ignore[misc]
    rows = (
        _meetings_held(city, since, held_by)
        .annotate(named=Coalesce(Subquery(named), 0, output_field=IntegerField()))
        .annotate(present=Greatest(F("named"), Coalesce(F("attendance_count"), 0), output_field=IntegerField()))
        .values_list("neighbourhood_id")
        .annotate(named_total=Sum("named"), present_total=Sum("present"))
        .order_by()
    )
    return {n: (named_total or 0, present_total or 0) for n, named_total, present_total in rows}


def groups_by_quarter(city: City | None, since: datetime, until: datetime) -> QuarterCounts:
    """{(neighbourhood id, quarter): groups} convened between `since` and `until` (open data, one query)."""
    return count_by_quarter(Group.objects.filter(city=city, created_at__gte=since, created_at__lt=until), "neighbourhood_id", "created_at")


def meetings_by_quarter(city: City | None, since: datetime, until: datetime) -> QuarterCounts:
    """{(neighbourhood id, quarter): meetings} held between `since` and `until`; one still to come has not
    been held (open data, one query)."""
    held = Meeting.objects.filter(city=city, starts_at__gte=since, starts_at__lt=min(until, timezone.now()))
    return count_by_quarter(held, "neighbourhood_id", "starts_at")
