"""A burst larger than the provider's rate: each run sends at most the rate per minute, the rest waits, none lost."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from trama.notifications import sms
from trama.notifications.models import Delivery, Kind, Notification, SmsNumber
from trama.notifications.tasks import send_pending_emails, send_pending_sms
from trama.people.models import Role

pytestmark = pytest.mark.django_db


def _burst(account, n, channel):
    """`n` due deliveries on `channel` for `account`, written in bulk as a burst of events would leave them."""
    notifications = Notification.objects.bulk_create(
        [Notification(recipient=account, kind=Kind.MATCH_PROPOSED, url=f"/mercato/abbinamenti/{i}/", key=f"burst:{i}") for i in range(n)]
    )
    if not all(n.pk for n in notifications):  # backends that do not return the keys of a bulk insert
        notifications = list(Notification.objects.filter(key__startswith="burst:"))
    Delivery.objects.bulk_create([Delivery(notification=n, channel=channel) for n in notifications])


def _a_minute_passes(channel):
    Delivery.objects.filter(channel=channel, status=Delivery.Status.SENT).update(sent_at=timezone.now() - timedelta(seconds=61))


def test_a_burst_of_500_at_50_a_minute_goes_out_in_ten_runs_each_exactly_once(users, settings):
    settings.TRAMA_EMAIL_RATE_PER_MINUTE = 50
    _burst(users[Role.CITIZEN], 500, Delivery.Channel.EMAIL)
    runs = []
    while Delivery.objects.filter(status=Delivery.Status.PENDING).exists():
        runs.append(send_pending_emails.call())
        # Within the same minute nothing more goes, and what waits is still there, pending and due.
        assert send_pending_emails.call() == 0
        _a_minute_passes(Delivery.Channel.EMAIL)
        assert len(runs) <= 10
    assert runs == [50] * 10
    assert len(mail.outbox) == 500
    links = [message.body.split("/mercato/abbinamenti/")[1].split("/")[0] for message in mail.outbox]
    assert sorted(map(int, links)) == list(range(500))
    assert set(Delivery.objects.values_list("status", "attempts")) == {(Delivery.Status.SENT, 1)}


def test_what_was_sent_in_the_last_minute_counts_against_the_rate(users, settings):
    settings.TRAMA_EMAIL_RATE_PER_MINUTE = 50
    _burst(users[Role.CITIZEN], 60, Delivery.Channel.EMAIL)
    Delivery.objects.filter(pk__in=Delivery.objects.order_by("pk").values("pk")[:45]).update(
        status=Delivery.Status.SENT, sent_at=timezone.now() - timedelta(seconds=30)
    )
    assert send_pending_emails.call() == 5
    assert Delivery.objects.filter(status=Delivery.Status.PENDING).count() == 10


def test_without_a_rate_the_whole_burst_goes_in_one_run(users):
    _burst(users[Role.CITIZEN], 250, Delivery.Channel.EMAIL)
    assert send_pending_emails.call() == 250


def test_sms_are_paced_by_their_own_rate(users, settings):
    settings.TRAMA_SMS_BACKEND = "trama.notifications.sms.LocmemBackend"
    settings.TRAMA_SMS_RATE_PER_MINUTE = 3
    settings.TRAMA_EMAIL_RATE_PER_MINUTE = 1
    citizen = users[Role.CITIZEN]
    SmsNumber.objects.create(account=citizen, number="+393331234567")
    _burst(citizen, 7, Delivery.Channel.SMS)
    assert [send_pending_sms.call(), send_pending_sms.call()] == [3, 0]
    _a_minute_passes(Delivery.Channel.SMS)
    assert send_pending_sms.call() == 3
    _a_minute_passes(Delivery.Channel.SMS)
    assert send_pending_sms.call() == 1
    assert len(sms.outbox) == 7


def test_a_run_held_back_by_the_rate_queues_the_next_for_when_the_minute_allows(users, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TRAMA_EMAIL_RATE_PER_MINUTE = 50
    _burst(users[Role.CITIZEN], 80, Delivery.Channel.EMAIL)
    assert send_pending_emails.call() == 50
    oldest = Delivery.objects.filter(status=Delivery.Status.SENT).order_by("sent_at").first().sent_at
    queued = DBTaskResult.objects.get(task_path=send_pending_emails.module_path)
    assert queued.run_after == oldest + timedelta(minutes=1)
