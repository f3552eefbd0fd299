"""The outbox task: every pending e-mail sent exactly once, failures tried again then given up, never lost."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from trama.notifications.models import Delivery, Kind
from trama.notifications.services import notify
from trama.notifications.tasks import send_pending_emails
from trama.people.models import Role

pytestmark = pytest.mark.django_db


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("the server at mail.example.org refused anna@example.org")


def _queued(users, n=1):
    for i in range(n):
        notify(Kind.MATCH_PROPOSED, [users[Role.CITIZEN]], url=f"/mercato/abbinamenti/{i}/", key=f"match_proposed:{i}")
    return Delivery.objects.order_by("pk")


def _make_due(delivery):
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def test_each_pending_email_is_sent_once_across_two_runs(users):
    deliveries = _queued(users, 3)
    assert send_pending_emails.call() == 3
    assert send_pending_emails.call() == 0
    assert len(mail.outbox) == 3
    assert set(deliveries.values_list("status", flat=True)) == {Delivery.Status.SENT}
    assert all(d.sent_at and d.attempts == 1 for d in deliveries)


def test_a_delivery_claimed_by_another_worker_is_left_to_it(users):
    delivery = _queued(users).get()
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() + timedelta(minutes=5), attempts=1)
    assert send_pending_emails.call() == 0 and mail.outbox == []


def test_a_failing_server_is_tried_again_later_then_given_up_never_lost(users, settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    settings.TRAMA_NOTIFICATION_MAX_ATTEMPTS = 3
    delivery = _queued(users).get()
    send_pending_emails.call()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 1)
    assert delivery.next_attempt_at > timezone.now()
    # What failed, never to whom nor what: the exception's message named the address.
    assert delivery.last_error == "ConnectionRefusedError" and "@" not in delivery.last_error
    send_pending_emails.call()  # not due yet: untouched
    delivery.refresh_from_db()
    assert delivery.attempts == 1
    first_wait = delivery.next_attempt_at - timezone.now()
    _make_due(delivery)
    send_pending_emails.call()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 2)
    assert delivery.next_attempt_at - timezone.now() > first_wait  # the wait doubles
    _make_due(delivery)
    send_pending_emails.call()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.FAILED, 3)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _make_due(delivery)
    assert send_pending_emails.call() == 0
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED  # kept, for the record: not silently dropped nor sent


def test_a_failure_then_a_success_sends_it_once(users, settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    delivery = _queued(users).get()
    send_pending_emails.call()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _make_due(delivery)
    send_pending_emails.call()
    send_pending_emails.call()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, len(mail.outbox)) == (Delivery.Status.SENT, 2, 1)


@pytest.mark.parametrize("change", ["disabled", "erased"])
def test_an_account_disabled_or_erased_meanwhile_is_dropped_and_logged(users, make_person, change, caplog):
    from trama.people.services import erase_accounts

    caplog.set_level("INFO", logger="trama.notifications")
    citizen = users[Role.CITIZEN]
    delivery = _queued(users).get()
    if change == "disabled":
        citizen.is_active = False
        citizen.save()
    else:
        erase_accounts([citizen], make_person(account=citizen))
    send_pending_emails.call()
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DROPPED and mail.outbox == []
    assert f"Notification e-mail {delivery.pk} dropped" in caplog.text


def test_the_email_says_only_the_kind_and_the_link(users, settings):
    settings.TRAMA_SITE_URL = "https://trama.example.org/"
    _queued(users)
    send_pending_emails.call()
    message = mail.outbox[0]
    assert message.subject == "Trama: c'è una novità per te"
    assert "C'è una novità su un tuo abbinamento: apri Trama per vederla." in message.body
    assert "https://trama.example.org/mercato/abbinamenti/0/" in message.body


def test_a_failure_left_for_later_is_queued_to_run_when_it_is_due(users, settings):
    """On the database backend (which can defer) the task queues its own next run, so no retry waits for a new event."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    delivery = _queued(users).get()
    send_pending_emails.call()
    delivery.refresh_from_db()
    queued = DBTaskResult.objects.get(task_path=send_pending_emails.module_path)
    assert queued.run_after == delivery.next_attempt_at


class WorkerKilled(BaseException):
    """What a worker killed mid-batch looks like from inside: not an error the task may catch."""


def _killing_backend_after(k):
    class KilledAfter(BaseEmailBackend):
        def send_messages(self, messages):
            if len(mail.outbox) >= k:
                raise WorkerKilled
            mail.outbox.extend(messages)
            return len(messages)

    return KilledAfter


@pytest.mark.parametrize("k", [0, 1, 4])
def test_a_worker_killed_mid_batch_then_restarted_sends_each_email_exactly_once(users, settings, monkeypatch, k):
    from trama.notifications import tasks

    settings.TRAMA_SITE_URL = "http://localhost:8000"
    _queued(users, 5)
    monkeypatch.setattr(tasks, "EmailMessage", _patched_message(_killing_backend_after(k)))
    with pytest.raises(WorkerKilled):
        send_pending_emails.call()
    assert len(mail.outbox) == k
    monkeypatch.undo()
    send_pending_emails.call()  # restarted at once: the one it held is still leased to the dead worker
    assert len(mail.outbox) == 4
    later = timezone.now() + timedelta(minutes=11)
    monkeypatch.setattr(timezone, "now", lambda: later)  # its lease is over
    send_pending_emails.call()
    send_pending_emails.call()
    links = sorted(m.body.split("\n\n")[1] for m in mail.outbox)
    assert links == sorted(f"http://localhost:8000/mercato/abbinamenti/{i}/" for i in range(5))
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.SENT}


def _patched_message(backend_class):
    from django.core.mail import EmailMessage

    class Message(EmailMessage):
        def get_connection(self, fail_silently=False):
            return backend_class()

    return Message
