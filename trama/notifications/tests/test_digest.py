"""The daily digest: one e-mail per account for all its digest items, sent once however often the task runs."""

import re

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.test import Client

from trama.notifications.models import Delivery, EmailMode, Kind, Preference
from trama.notifications.services import notify, set_email_preferences
from trama.notifications.tasks import send_digests, send_pending_emails
from trama.people.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen(users):
    set_email_preferences(users[Role.CITIZEN], {Kind.MATCH_PROPOSED: EmailMode.DIGEST, Kind.MATCH_DONE: EmailMode.DIGEST})
    return users[Role.CITIZEN]


def _news(citizen, n=3, kind=Kind.MATCH_PROPOSED):
    for i in range(n):
        notify(kind, [citizen], url=f"/mercato/abbinamenti/{i}/", key=f"{kind}:{i}")


def test_digest_items_wait_for_the_digest_not_the_outbox(citizen):
    _news(citizen)
    assert set(Delivery.objects.values_list("channel", flat=True)) == {Delivery.Channel.DIGEST}
    assert send_pending_emails.call() == 0 and mail.outbox == []


def test_one_email_per_account_with_every_item_and_its_link(citizen, users, settings):
    settings.TRAMA_SITE_URL = "https://trama.example.org"
    worker = users[Role.WORKER]
    set_email_preferences(worker, {Kind.MATCH_PROPOSED: EmailMode.DIGEST})
    _news(citizen, 2)
    _news(citizen, 1, kind=Kind.MATCH_DONE)
    notify(Kind.MATCH_PROPOSED, [worker], url="/w/", key="w")
    assert send_digests.call() == 2
    by_address = {m.to[0]: m for m in mail.outbox}
    body = by_address[citizen.email].body
    assert body.count("C'è una novità su un tuo abbinamento") == 3
    assert all(f"https://trama.example.org/mercato/abbinamenti/{i}/" in body for i in range(2))
    assert by_address[citizen.email].subject == "Trama: il riepilogo delle novità per te"
    assert "/w/" not in body and "/w/" in by_address[worker.email].body
    assert by_address[citizen.email].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_running_twice_sends_once(citizen):
    _news(citizen)
    assert send_digests.call() == 1
    assert send_digests.call() == 0
    assert len(mail.outbox) == 1
    assert set(Delivery.objects.values_list("status", "attempts")) == {(Delivery.Status.SENT, 1)}


def test_what_arrives_after_a_digest_goes_in_the_next_one(citizen):
    _news(citizen, 1)
    send_digests.call()
    notify(Kind.MATCH_DONE, [citizen], url="/later/", key="later")
    send_digests.call()
    assert len(mail.outbox) == 2 and "/later/" in mail.outbox[1].body and "/later/" not in mail.outbox[0].body


def test_items_leased_by_another_worker_are_left_to_it(citizen):
    from datetime import timedelta

    from django.utils import timezone

    _news(citizen)
    Delivery.objects.update(next_attempt_at=timezone.now() + timedelta(minutes=5), attempts=1)
    assert send_digests.call() == 0 and mail.outbox == []


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("refused someone@example.org")


def test_a_failed_digest_is_tried_again_later_whole_and_sent_once(citizen, settings):
    from django.utils import timezone

    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    _news(citizen, 2)
    assert send_digests.call() == 0
    assert set(Delivery.objects.values_list("status", "attempts", "last_error")) == {(Delivery.Status.PENDING, 1, "ConnectionRefusedError")}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Delivery.objects.update(next_attempt_at=timezone.now())
    assert send_digests.call() == 1 and send_digests.call() == 0
    assert len(mail.outbox) == 1 and mail.outbox[0].body.count("C'è una novità") == 2


def test_a_disabled_account_gets_no_digest(citizen, caplog):
    caplog.set_level("INFO", logger="trama.notifications")
    _news(citizen)
    citizen.is_active = False
    citizen.save()
    assert send_digests.call() == 0 and mail.outbox == []
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.DROPPED}
    assert "digest of 3 items dropped" in caplog.text


def test_an_urgent_event_is_not_kept_for_the_digest(citizen):
    notify(Kind.MATCH_PROPOSED, [citizen], url="/a/", key="k", urgent=True)
    assert send_pending_emails.call() == 1


def test_the_digests_link_stops_the_digest_and_what_it_held(citizen):
    notify(Kind.MATCH_ACCEPTED, [citizen], url="/now/", key="now")  # at once, by default: not stopped
    _news(citizen, 1)
    send_digests.call()
    link = re.search(r"/notifiche/disiscriviti/\S+/", mail.outbox[-1].body).group(0)
    _news(citizen, 1, kind=Kind.MATCH_DONE)
    response = Client(enforce_csrf_checks=True).post(link, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "riepilogo giornaliero" in response.content.decode()
    modes = {p.kind: p.mode for p in Preference.objects.filter(account=citizen)}
    assert modes == {Kind.MATCH_PROPOSED: EmailMode.NEVER, Kind.MATCH_DONE: EmailMode.NEVER}
    assert Delivery.objects.get(notification__kind=Kind.MATCH_DONE).status == Delivery.Status.DROPPED
    assert Delivery.objects.get(notification__kind=Kind.MATCH_ACCEPTED).status == Delivery.Status.PENDING


def test_the_command_sends_or_queues_the_digests(citizen, capsys):
    _news(citizen)
    call_command("send_digests")
    assert "Riepiloghi inviati: 1." in capsys.readouterr().out and len(mail.outbox) == 1


def test_a_digest_run_killed_midway_then_restarted_sends_each_digest_exactly_once(users, make_user, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from trama.notifications import tasks
    from trama.notifications.tests.test_sending import WorkerKilled, _killing_backend_after, _patched_message

    accounts = [make_user(Role.CITIZEN) for _ in range(4)]
    for n, account in enumerate(accounts):
        set_email_preferences(account, {Kind.MATCH_PROPOSED: EmailMode.DIGEST})
        _news_of(account, n)
    monkeypatch.setattr(tasks, "EmailMessage", _patched_message(_killing_backend_after(2)))
    with pytest.raises(WorkerKilled):
        send_digests.call()
    monkeypatch.undo()
    assert send_digests.call() == 1  # the third account's items are still leased to the dead worker
    later = timezone.now() + timedelta(minutes=11)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert send_digests.call() == 1 and send_digests.call() == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(a.email for a in accounts)


def _news_of(account, n):
    for i in range(2):
        notify(Kind.MATCH_PROPOSED, [account], url=f"/m/{n}/{i}/", key=f"m:{n}:{i}")


def test_a_failed_digest_is_queued_to_run_again_when_due_and_new_items_are_not(citizen, settings):
    """On the database backend (which can defer) a failure queues its own retry; the day's new items wait for the daily run."""
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    _news(citizen, 1)
    Delivery.objects.update(next_attempt_at=timezone.now() + timedelta(hours=3))  # held by quiet hours, never tried
    send_digests.call()
    assert not DBTaskResult.objects.filter(task_path=send_digests.module_path).exists()
    Delivery.objects.update(status=Delivery.Status.SENT)
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    _news(citizen, 1, kind=Kind.MATCH_DONE)
    send_digests.call()
    failed = Delivery.objects.get(notification__kind=Kind.MATCH_DONE)
    assert DBTaskResult.objects.get(task_path=send_digests.module_path).run_after == failed.next_attempt_at
