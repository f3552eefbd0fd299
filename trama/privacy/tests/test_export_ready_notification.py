"""A copy of someone's data, once ready, is announced to the account that asked for it, and to nobody else."""

import pytest
from django.core import mail
from django.urls import reverse

from trama.market.models import Need
from trama.notifications.models import Kind, Notification
from trama.people.models import Role
from trama.privacy import exports

pytestmark = pytest.mark.django_db

MARKER = "Cerco compagnia per la spesa zq81"


@pytest.fixture
def gino(make_person, users, city, neighbourhood):
    person = make_person(name="Gino", account=users[Role.CITIZEN])
    Need.objects.create(city=city, person=person, neighbourhood=neighbourhood, text=MARKER)
    return person


def test_the_requester_hears_that_the_copy_is_ready_and_the_person_does_not(coordinator, users, gino, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        export = exports.request_export(coordinator, gino)
    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind) == (coordinator, Kind.EXPORT_READY)
    assert notification.url == reverse("privacy:export", args=[export.token])
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert "Gino" not in mail.outbox[0].body and MARKER not in mail.outbox[0].body


def test_a_citizen_asking_for_her_own_copy_hears_it(users, gino):
    exports.request_export(users[Role.CITIZEN], gino)
    assert list(Notification.objects.values_list("recipient", "kind")) == [(users[Role.CITIZEN].pk, Kind.EXPORT_READY)]


def test_a_failed_copy_announces_nothing(monkeypatch, coordinator, gino):
    monkeypatch.setattr(exports, "build_pdf", lambda *args, **kwargs: 1 / 0)
    exports.request_export(coordinator, gino)
    assert not Notification.objects.exists()
