"""The daily reminders: what the apps register is told once per key, by notify's rules (e-mail, quiet hours)."""

from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command

from trama.notifications import reminders
from trama.notifications.models import Kind, Notification
from trama.notifications.reminders import Reminder
from trama.notifications.tasks import send_pending_emails, send_reminders
from trama.people.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def source(users, monkeypatch):
    monkeypatch.setattr(reminders, "_sources", [])
    days = []

    def due(today):
        days.append(today)
        yield Reminder(Kind.MEETING_TOMORROW, (users[Role.CITIZEN],), "/a/", f"meeting_tomorrow:1:{today}")

    reminders.register(due)
    reminders.register(due)  # registered once
    return days


def test_each_reminder_is_told_once_and_sent_by_email(source, users):
    assert send_reminders.call("2026-05-20") == 1
    assert send_reminders.call("2026-05-20") == 0
    assert source == [date(2026, 5, 20)] * 2
    assert Notification.objects.get().recipient == users[Role.CITIZEN]
    send_pending_emails.call()
    assert len(mail.outbox) == 1 and "Domani c'è un incontro a cui partecipi" in mail.outbox[0].body


def test_today_is_the_citys_today_by_default(source, settings):
    from django.utils import timezone

    send_reminders.call()
    assert source == [timezone.localdate()]


def test_the_command_sends_them(source, capsys):
    call_command("send_reminders")
    assert "Promemoria inviati: 1." in capsys.readouterr().out


def test_every_app_with_things_due_registers_its_source():
    names = {f"{s.__module__}.{s.__name__}" for s in reminders._sources}
    assert names == {
        "trama.market.reminders.matches_not_started",
        "trama.market.reminders.follow_ups_due",
        "trama.market.reminders.offers_expiring",
        "trama.initiatives.reminders.milestones_due",
        "trama.collective.reminders.meetings_tomorrow",
        "trama.attention.reminders.training_tomorrow",
        "trama.initiatives.reminders.agreements_expiring",
    }
