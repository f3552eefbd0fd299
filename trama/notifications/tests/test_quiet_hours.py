"""Quiet hours: an e-mail that falls in them waits for their end (the city's time zone), unless urgent."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone

from trama.notifications.models import Delivery, Kind, QuietHours
from trama.notifications.services import notify, set_quiet_hours
from trama.notifications.tasks import send_pending_emails
from trama.people.models import Role

pytestmark = pytest.mark.django_db

ROME = ZoneInfo("Europe/Rome")


def at(*args):
    return datetime(*args, tzinfo=ROME)


@pytest.fixture(autouse=True)
def programme_quiet_hours(settings):
    settings.TIME_ZONE = "Europe/Rome"
    settings.TRAMA_QUIET_HOURS = ("21:00", "08:00")


@pytest.fixture
def clock(monkeypatch):
    """Sets what timezone.now() answers, for notify and the sending task alike."""

    def set_to(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_to


@pytest.mark.parametrize(
    ("when", "released"),
    [
        (at(2026, 5, 4, 22, 30), at(2026, 5, 5, 8, 0)),
        (at(2026, 5, 4, 21, 0), at(2026, 5, 5, 8, 0)),
        (at(2026, 5, 5, 7, 59), at(2026, 5, 5, 8, 0)),
        (at(2026, 5, 5, 0, 0), at(2026, 5, 5, 8, 0)),
        (at(2026, 5, 5, 8, 0), at(2026, 5, 5, 8, 0)),
        (at(2026, 5, 5, 20, 59), at(2026, 5, 5, 20, 59)),
        # The night the clocks go back: 08:00 is CET (+01:00), not the CEST of the evening before.
        (at(2026, 10, 24, 23, 0), datetime(2026, 10, 25, 7, 0, tzinfo=ZoneInfo("UTC"))),
    ],
)
def test_the_default_quiet_hours_hold_until_eight_in_the_citys_time(when, released):
    assert QuietHours.default().release(when) == released


def test_quiet_hours_within_one_day_and_none_at_all():
    afternoon = QuietHours(starts=time(13, 0), ends=time(15, 0))
    assert afternoon.release(at(2026, 5, 5, 14, 0)) == at(2026, 5, 5, 15, 0)
    assert afternoon.release(at(2026, 5, 5, 22, 0)) == at(2026, 5, 5, 22, 0)
    never = QuietHours(starts=time(0, 0), ends=time(0, 0))
    assert never.release(at(2026, 5, 5, 3, 0)) == at(2026, 5, 5, 3, 0)


def test_an_email_at_night_waits_for_the_morning(users, clock):
    citizen = users[Role.CITIZEN]
    clock(at(2026, 5, 4, 23, 0))
    notify(Kind.MATCH_PROPOSED, [citizen], url="/a/", key="k")
    assert Delivery.objects.get().next_attempt_at == at(2026, 5, 5, 8, 0)
    assert send_pending_emails.call() == 0 and mail.outbox == []
    clock(at(2026, 5, 5, 8, 0))
    assert send_pending_emails.call() == 1 and len(mail.outbox) == 1


def test_an_urgent_email_is_not_held(users, clock):
    clock(at(2026, 5, 4, 23, 0))
    notify(Kind.MATCH_PROPOSED, [users[Role.CITIZEN]], url="/a/", key="k", urgent=True)
    assert send_pending_emails.call() == 1


def test_each_account_keeps_its_own_quiet_hours(users, clock):
    night_owl, citizen = users[Role.WORKER], users[Role.CITIZEN]
    set_quiet_hours(night_owl, time(0, 0), time(0, 0))
    clock(at(2026, 5, 4, 23, 0))
    notify(Kind.MATCH_PROPOSED, [night_owl, citizen], url="/a/", key="k")
    send_pending_emails.call()
    assert [m.to for m in mail.outbox] == [[night_owl.email]]


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError


def test_a_retry_that_would_fall_at_night_waits_for_the_morning(users, clock, settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    clock(at(2026, 5, 4, 20, 59, 30))
    notify(Kind.MATCH_PROPOSED, [users[Role.CITIZEN]], url="/a/", key="k")
    send_pending_emails.call()
    delivery = Delivery.objects.get()
    assert (delivery.attempts, delivery.next_attempt_at) == (1, at(2026, 5, 5, 8, 0))


def test_the_preferences_page_sets_the_quiet_hours(client, users):
    citizen = users[Role.CITIZEN]
    client.force_login(citizen)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert 'name="quiet_starts" value="21:00"' in page and 'name="quiet_ends" value="08:00"' in page
    modes = {kind.value: "now" for kind in Kind}
    response = client.post(reverse("notifications:preferences"), {**modes, "quiet_starts": "22:30", "quiet_ends": "07:00"})
    assert response.status_code == 302
    quiet = QuietHours.objects.get(account=citizen)
    assert (quiet.starts, quiet.ends) == (time(22, 30), time(7, 0))


@pytest.mark.parametrize(
    "bad",
    [
        {"quiet_starts": "25:00", "quiet_ends": "07:00"},
        {"quiet_starts": "22:00", "quiet_ends": "ieri"},
        {"quiet_starts": "", "quiet_ends": "07:00"},
        {"quiet_ends": "07:00"},
        {"quiet_starts": "22:00:00:00", "quiet_ends": "07:00"},
        {"quiet_starts": "9" * 5000, "quiet_ends": "07:00"},
        {"quiet_starts": "２２:００", "quiet_ends": "07:00"},
        {"quiet_starts": "22:00\x00", "quiet_ends": "07:00"},
    ],
)
def test_hostile_quiet_hours_are_refused_with_a_message_and_nothing_changes(client, users, bad):
    citizen = users[Role.CITIZEN]
    client.force_login(citizen)
    modes = {kind.value: "now" for kind in Kind}
    response = client.post(reverse("notifications:preferences"), {**modes, **bad})
    assert response.status_code == 400
    assert "Scrivi un orario come 21:00." in response.content.decode()
    assert not QuietHours.objects.exists()
    assert not citizen.notifications.exists()
    from trama.notifications.models import Preference

    assert not Preference.objects.exists()
