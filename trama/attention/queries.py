"""Reads of the attention network reused by views, API and insights."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from statistics import median
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from trama.access import is_antenna, neighbourhood_scope
from trama.aggregates import Presence, count_by_quarter, on_day
from trama.privacy.suppression import suppress_table, threshold_for
from trama.territory.models import Neighbourhood

from .models import Antenna, Attendance, Enrolment, Signal, TrainingSession
from .rules import ANTENNAS, ENCOUNTERS, OUTREACH, SIGNALS, SIGNALS_SENT
from .training import introductory_module

if TYPE_CHECKING:
    from trama.access import Viewer
    from trama.aggregates import Areas, QuarterCounts
    from trama.people.models import User
    from trama.privacy.suppression import Cell
    from trama.territory.models import City

    from .models import Encounter, OutreachTask


def signals_visible_to(user: Viewer) -> QuerySet[Signal]:
    return SIGNALS.visible_to(user)


def signal_queue(user: Viewer, status: str = "open") -> QuerySet[Signal]:
    """The signals a worker triages: open ones by default, most urgent and newest first.

    `status` is "open", "all" or one Signal.Status. A fixed number of queries
    whatever the number of rows.
    """
    signals = signals_visible_to(user).select_related("neighbourhood", "place", "assigned_to").defer("neighbourhood__boundary")
    if status == "open":
        signals = signals.filter(status__in=Signal.OPEN)
    elif status in Signal.Status.values:
        signals = signals.filter(status=status)
    return signals.order_by("-urgency", "-created_at", "-pk")


def signals_sent_by(user: Viewer) -> QuerySet[Signal]:
    """An antenna's own signals, newest first: what they may know is only their status."""
    return SIGNALS_SENT.visible_to(user).select_related("neighbourhood").defer("neighbourhood__boundary").order_by("-created_at", "-pk")


def merge_candidates(signal: Signal) -> QuerySet[Signal]:
    """Other signals of the same neighbourhood a new one could be the same situation as."""
    return (
        Signal.objects.filter(neighbourhood_id=signal.neighbourhood_id, merged_into__isnull=True, status__in=Signal.OPEN)
        .exclude(pk=signal.pk)
        .order_by("-created_at")
    )


def outreach_visible_to(user: Viewer) -> QuerySet[OutreachTask]:
    return OUTREACH.visible_to(user).select_related("neighbourhood", "assigned_to", "signal").defer("neighbourhood__boundary")


def encounters_visible_to(user: Viewer) -> QuerySet[Encounter]:
    return ENCOUNTERS.visible_to(user).select_related("neighbourhood", "worker", "person").defer("neighbourhood__boundary")


def antennas_visible_to(user: Viewer) -> QuerySet[Antenna]:
    return ANTENNAS.visible_to(user).select_related("account", "organisation")


def signal_metrics(
    *,
    city: City | None = None,
    neighbourhoods: Iterable[Neighbourhood | int] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> dict[str, Any]:
    """How the attention network answers: the share of signals taken up and the time to first contact.

    Signals merged into another are left out (they are the same situation).
    `taken_up` counts the signals a worker took on (an outreach was planned, the
    person was already known, or contact happened); one closed as needing no
    action or referred elsewhere is not taken up. `median_to_first_contact` is a
    timedelta over the signals that led to contact, None if none did. Filters:
    `city`, `neighbourhoods` (iterable of neighbourhoods or ids), and the period
    `since` <= created_at < `until`.
    """
    signals = Signal.objects.filter(merged_into__isnull=True)
    if city is not None:
        signals = signals.filter(city=city)
    if neighbourhoods is not None:
        signals = signals.filter(neighbourhood__in=list(neighbourhoods))
    if since is not None:
        signals = signals.filter(created_at__gte=since)
    if until is not None:
        signals = signals.filter(created_at__lt=until)
    counts = signals.aggregate(total=Count("pk"), taken_up=Count("pk", filter=Q(taken_up_at__isnull=False)))
    contacted = signals.filter(first_contact_at__isnull=False).values_list("created_at", "first_contact_at")
    waits = [contact - sent for sent, contact in contacted]  # type: ignore[operator]  # first_contact_at is set on these
    return _metrics(counts["total"], counts["taken_up"], waits)


def _metrics(total: int, taken_up: int, waits: list[timedelta]) -> dict[str, Any]:
    return {
        "signals": total,
        "taken_up": taken_up,
        "contacted": len(waits),
        "share_taken_up": taken_up / total if total else None,
        # typeshed allows only numbers; the median of timedeltas works (they add and divide).
        "median_to_first_contact": median(waits) if waits else None,  # type: ignore[type-var]
    }


def waits_to_first_contact(city: City | None, since: datetime, until: datetime) -> dict[int, list[timedelta]]:
    """{neighbourhood id: [time from arrival to first contact]} of the signals arrived from `since` (included) to
    `until` (excluded) that led to a contact, those merged into another left out (one query)."""
    contacted = (
        Signal.objects.filter(city=city, merged_into__isnull=True, created_at__gte=since, created_at__lt=until, first_contact_at__isnull=False)
        .values_list("neighbourhood_id", "created_at", "first_contact_at")
        .order_by()
    )
    waits: dict[int, list[timedelta]] = {}
    for neighbourhood, sent, contact in contacted:
        waits.setdefault(neighbourhood, []).append(contact - sent)  # type: ignore[operator]  # first_contact_at is set on these
    return waits


def signal_metrics_per_area(
    counts: dict[tuple[int, str], tuple[int, int]], waits: dict[int, list[timedelta]], areas: Areas
) -> dict[str, dict[str, Any]]:
    """{area key: `signal_metrics` of the area's neighbourhoods} from the period's `signals_of_period` and
    `waits_to_first_contact` (no query: every area from the same two)."""
    out = {}
    for key, ids in areas.items():
        total = sum(n for (neighbourhood, _channel), (n, _taken) in counts.items() if neighbourhood in ids)
        taken_up = sum(taken for (neighbourhood, _channel), (_n, taken) in counts.items() if neighbourhood in ids)
        out[key] = _metrics(total, taken_up, [wait for neighbourhood in ids for wait in waits.get(neighbourhood, ())])
    return out


def signals_of_period(city: City | None, since: datetime, until: datetime) -> dict[tuple[int, str], tuple[int, int]]:
    """{(neighbourhood id, channel): (signals, signals taken up)} arrived from `since` (included) to `until`
    (excluded), those merged into another left out (one query): what `signals_per_neighbourhood`,
    `signals_per_channel` and `signal_metrics` count, for every neighbourhood at once."""
    rows = (
        Signal.objects.filter(city=city, merged_into__isnull=True, created_at__gte=since, created_at__lt=until)
        .values_list("neighbourhood_id", "channel")
        .annotate(n=Count("pk"), taken_up=Count("pk", filter=Q(taken_up_at__isnull=False)))
        .order_by()
    )
    return {(neighbourhood, channel): (n, taken_up) for neighbourhood, channel, n, taken_up in rows}


CoverageRows = list[tuple[Neighbourhood, list["Cell"]]]


def training_coverage(user: User) -> tuple[list[Antenna.Kind], CoverageRows]:
    """Trained antennas (at least one session attended) per neighbourhood and kind.

    Returns (kinds, rows) where each row is (neighbourhood, [Cell per kind]).
    A worker sees the counts of their own neighbourhoods in full and those of
    the others with small counts suppressed; a coordinator sees the city in full.
    """
    return _coverage(user, Antenna.objects.filter(attendances__isnull=False))


def online_completions(user: User, module: str) -> tuple[list[Antenna.Kind], CoverageRows]:
    """Active antennas who completed the online module `module`, per neighbourhood and kind, suppressed as
    `training_coverage` is (the same table, counted from the completions recorded by `complete_lesson`)."""
    return _coverage(user, Antenna.objects.filter(account__modules_completed__module=module))


def _coverage(user: User, antennas: QuerySet[Antenna]) -> tuple[list[Antenna.Kind], CoverageRows]:
    city = user.city
    neighbourhoods = list(Neighbourhood.objects.filter(city=city).order_by("name")) if city else list(Neighbourhood.objects.order_by("name"))
    kinds = list(Antenna.Kind)
    counts: dict[tuple[int, str], int] = {}
    counted = (
        antennas.filter(active=True, account__neighbourhoods__in=neighbourhoods)
        .values("account__neighbourhoods", "kind")
        .annotate(n=Count("pk", distinct=True))
    )
    for row in counted:
        counts[(row["account__neighbourhoods"], row["kind"])] = row["n"]

    def table(part: list[Neighbourhood], in_scope: bool) -> CoverageRows:
        grid = suppress_table([[counts.get((n.pk, k.value), 0) for k in kinds] for n in part], threshold_for(city), in_scope=in_scope)
        return list(zip(part, grid))

    mine = neighbourhood_scope(user)
    if mine is None:
        return kinds, table(neighbourhoods, True)
    return kinds, table([n for n in neighbourhoods if n.pk in mine], True) + table([n for n in neighbourhoods if n.pk not in mine], False)


def upcoming_sessions(city_id: int | None, now: datetime, module_id: int | None = None, limit: int = 30) -> list[TrainingSession]:
    """The next in-person sessions of a city (of one module when given), each with `enrolled` (how many put their
    name down) and `places_left` (None when places are not limited)."""
    sessions = TrainingSession.objects.filter(starts_at__gt=now).select_related("module", "place").annotate(enrolled=Count("enrolments"))
    if city_id:
        sessions = sessions.filter(module__city_id=city_id)
    if module_id:
        sessions = sessions.filter(module_id=module_id)
    rows: list[Any] = list(sessions.order_by("starts_at", "pk")[:limit])
    for session in rows:
        session.places_left = None if session.capacity is None else max(session.capacity - session.enrolled, 0)
    return rows


def enrolled_sessions(antenna: Antenna | None) -> set[int]:
    """The sessions `antenna` put her name down for."""
    return set(antenna.enrolments.values_list("session_id", flat=True)) if antenna is not None else set()


def enrolled_names(session: TrainingSession, antennas: QuerySet[Antenna]) -> list[str]:
    """Who enrolled for `session` among `antennas` (those the staff marking attendance may see)."""
    rows = Enrolment.objects.filter(session=session, antenna__in=antennas).select_related("antenna__account").order_by("enrolled_at", "pk")
    return [str(row.antenna) for row in rows]


def sessions_on(day: date) -> QuerySet[TrainingSession]:
    """In-person sessions starting on `day` (a date in the city's time zone)."""
    return TrainingSession.objects.filter(on_day("starts_at", day)).order_by("starts_at", "pk")


def enrolled_accounts(session: TrainingSession) -> list[User]:
    """The accounts of the active antennas enrolled for `session` whose account is active: who a reminder reaches."""
    rows = Enrolment.objects.filter(session=session, antenna__active=True, antenna__account__is_active=True).select_related("antenna__account")
    return [row.antenna.account for row in rows.order_by("pk")]


def introduction_pending(user: Viewer) -> bool:
    """Whether an antenna has not completed the introductory online module yet (offered before her first signal)."""
    if not is_antenna(user):
        return False
    return not cast("User", user).modules_completed.filter(module=introductory_module().slug).exists()


# -- figures for insights: plain aggregates per neighbourhood, no one named ----------------

AntennaKind = Antenna.Kind


@Presence
def has_antennas(city: City | None) -> list[QuerySet[Any]]:
    """Whether `city` has had any antenna (without one, the antennas' figures are "no data", not zero)."""
    return [Antenna.objects.filter(account__city=city)]


@Presence
def has_signals(city: City | None) -> list[QuerySet[Any]]:
    return [Signal.objects.filter(city=city)]


def active_antennas(until: datetime, neighbourhood_ids: Iterable[int]) -> list[tuple[int, str, int, bool]]:
    """[(antenna id, kind, neighbourhood id, trained)] of the antennas active just before `until` in those
    neighbourhoods, one row per neighbourhood an antenna covers; trained: had attended a training
    session by then (one query)."""
    trained = Attendance.objects.filter(antenna=OuterRef("pk"), session__starts_at__lt=until)
    return list(
        # Active then: still active, or stopped after `until` (a suspension or an erasure since does
        # not rewrite a closed period).
        Antenna.objects.filter(Q(active=True) | Q(deactivated_at__gte=until), created_at__lt=until, account__neighbourhoods__in=neighbourhood_ids)
        .annotate(trained=Exists(trained))
        .values_list("pk", "kind", "account__neighbourhoods", "trained")
    )


def signals_per_neighbourhood(city: City | None, since: datetime, until: datetime) -> dict[int, int]:
    """{neighbourhood id: signals} arrived from `since` (included) to `until` (excluded), those merged into
    another left out (one query)."""
    return dict(
        Signal.objects.filter(city=city, merged_into__isnull=True, created_at__gte=since, created_at__lt=until)
        .values_list("neighbourhood_id")
        .annotate(n=Count("pk"))
        .order_by()
    )


# The channels of signals a worker wrote down for someone (paper card, phone, in person), for insights.
RECORDED_CHANNELS: tuple[str, ...] = tuple(Signal.RECORDED_CHANNELS)


def signals_per_channel(city: City | None, since: datetime, until: datetime) -> dict[tuple[int, str], int]:
    """{(neighbourhood id, channel): signals} arrived from `since` (included) to `until` (excluded), those merged
    into another left out (one query): how many came on paper, by phone or in person rather than from an antenna."""
    rows = (
        Signal.objects.filter(city=city, merged_into__isnull=True, created_at__gte=since, created_at__lt=until)
        .values_list("neighbourhood_id", "channel")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(neighbourhood, channel): n for neighbourhood, channel, n in rows}


def signals_by_quarter(city: City | None, since: datetime, until: datetime) -> QuarterCounts:
    """{(neighbourhood id, quarter): signals} arrived between `since` and `until` (open data, one query)."""
    return count_by_quarter(Signal.objects.filter(city=city, created_at__gte=since, created_at__lt=until), "neighbourhood_id", "created_at")
