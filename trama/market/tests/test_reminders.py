"""A match accepted and not started for TRAMA_MATCH_START_REMINDER_DAYS: the worker who follows it is reminded, once."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from trama.market import services
from trama.market.models import Match
from trama.notifications.models import Kind, Notification
from trama.notifications.tasks import send_reminders
from trama.people.models import Role

pytestmark = pytest.mark.django_db

TODAY = date(2026, 5, 20)


@pytest.fixture
def accepted(users, make_need, make_offer):
    match = services.propose_match(need=make_need(), offer=make_offer(), by=users[Role.WORKER])
    Match.objects.filter(pk=match.pk).update(status=Match.Status.ACCEPTED)
    return match


def _accepted_on(match, day):
    Match.objects.filter(pk=match.pk).update(
        updated_at=datetime.combine(day, datetime.min.time(), tzinfo=ZoneInfo("Europe/Rome")) + timedelta(hours=10)
    )


def reminded():
    return list(Notification.objects.filter(kind=Kind.MATCH_NOT_STARTED).values_list("recipient", "url", "key"))


def test_the_worker_who_follows_it_is_reminded_once_however_often_the_task_runs(users, accepted, settings):
    settings.TRAMA_MATCH_START_REMINDER_DAYS = 7
    _accepted_on(accepted, TODAY - timedelta(days=7))
    assert send_reminders.call(TODAY.isoformat()) == 1
    assert send_reminders.call(TODAY.isoformat()) == 0
    assert send_reminders.call((TODAY + timedelta(days=1)).isoformat()) == 0
    assert reminded() == [(users[Role.WORKER].pk, f"/mercato/abbinamenti/{accepted.pk}/", f"match_not_started:{accepted.pk}:{TODAY}")]


def test_not_before_the_days_have_passed(accepted, settings):
    settings.TRAMA_MATCH_START_REMINDER_DAYS = 7
    _accepted_on(accepted, TODAY - timedelta(days=6))
    assert send_reminders.call(TODAY.isoformat()) == 0


@pytest.mark.parametrize("status", [Match.Status.PROPOSED, Match.Status.IN_PROGRESS, Match.Status.DONE, Match.Status.CANCELLED])
def test_a_match_not_waiting_to_start_is_not_reminded(accepted, status):
    Match.objects.filter(pk=accepted.pk).update(status=status)
    _accepted_on(accepted, TODAY - timedelta(days=30))
    assert send_reminders.call(TODAY.isoformat()) == 0


def test_the_sides_and_a_worker_moved_elsewhere_hear_nothing(users, accepted, other_neighbourhood):
    _accepted_on(accepted, TODAY - timedelta(days=30))
    users[Role.WORKER].neighbourhoods.set([other_neighbourhood])
    assert send_reminders.call(TODAY.isoformat()) == 0 and reminded() == []
