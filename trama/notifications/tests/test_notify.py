"""`notify`: one notification per account and event, an e-mail queued only for those who want and can get one."""

import pytest
from django.core import mail
from django.db import transaction

from trama.notifications.models import Delivery, EmailMode, Kind, Notification
from trama.notifications.services import notify, set_email_preferences
from trama.people.models import Role

pytestmark = pytest.mark.django_db


def test_the_same_event_twice_makes_one_notification_and_one_email(users, django_capture_on_commit_callbacks):
    citizen = users[Role.CITIZEN]
    with django_capture_on_commit_callbacks(execute=True):
        notify(Kind.MATCH_PROPOSED, [citizen], url="/mercato/abbinamenti/1/", key="match_proposed:1")
    with django_capture_on_commit_callbacks(execute=True):
        again = notify(Kind.MATCH_PROPOSED, [citizen, citizen], url="/mercato/abbinamenti/1/", key="match_proposed:1")
    assert again == []
    assert Notification.objects.filter(recipient=citizen).count() == 1
    assert Delivery.objects.count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [citizen.email]


def test_another_event_is_another_notification(users):
    citizen = users[Role.CITIZEN]
    notify(Kind.MATCH_PROPOSED, [citizen], url="/a/", key="match_proposed:1")
    notify(Kind.MATCH_PROPOSED, [citizen], url="/a/", key="match_proposed:2")
    assert Notification.objects.filter(recipient=citizen).count() == 2


def test_an_account_without_an_address_gets_the_bell_but_no_email(make_user):
    citizen = make_user(Role.CITIZEN, email="")
    notify(Kind.MATCH_ACCEPTED, [citizen], url="/a/", key="k")
    assert Notification.objects.filter(recipient=citizen).exists()
    assert not Delivery.objects.exists()


def test_email_follows_the_kinds_default_and_the_accounts_choice(users):
    antenna, citizen = users[Role.ANTENNA], users[Role.CITIZEN]
    notify(Kind.SIGNAL_TAKEN_UP, [antenna], url="/a/", key="signal:1")  # off by default
    assert not Delivery.objects.exists()
    set_email_preferences(antenna, {Kind.SIGNAL_CLOSED: EmailMode.NOW})
    set_email_preferences(citizen, {Kind.MATCH_DONE: EmailMode.NEVER})
    notify(Kind.SIGNAL_CLOSED, [antenna], url="/a/", key="signal:2")
    notify(Kind.MATCH_DONE, [citizen], url="/a/", key="match:3")
    assert list(Delivery.objects.values_list("notification__recipient", flat=True)) == [antenna.pk]


def test_a_disabled_account_is_not_notified_and_it_is_logged(users, caplog):
    citizen = users[Role.CITIZEN]
    citizen.is_active = False
    citizen.save()
    with caplog.at_level("INFO", logger="trama.notifications.services"):
        assert notify(Kind.MATCH_DONE, [citizen, None], url="/a/", key="match_done:7") == []
    assert not Notification.objects.exists()
    assert "Notification match_done:7 not told to 1 disabled accounts" in caplog.text


def test_a_change_rolled_back_sends_nothing(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            notify(Kind.MATCH_DONE, [users[Role.CITIZEN]], url="/a/", key="k")
            raise RuntimeError
    assert not Notification.objects.exists() and mail.outbox == []
