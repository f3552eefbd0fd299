from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from trama.people.models import Role
from trama.privacy.models import AuditEntry
from trama.testing import ANON, ROLES

pytestmark = pytest.mark.django_db


def lock(username, address="203.0.113.5", failures=None, agent="Firefox", minutes_ago=0):
    attempt = AccessAttempt.objects.create(
        username=username,
        ip_address=address,
        user_agent=agent,
        failures_since_start=settings.AXES_FAILURE_LIMIT if failures is None else failures,
    )
    AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=timezone.now() - timedelta(minutes=minutes_ago))
    return attempt


def test_the_page_lists_current_lockouts_with_address_time_and_failures(client, coordinator, worker):
    lock(worker.username)
    client.force_login(coordinator)
    response = client.get(reverse("people:lockouts"))
    [row] = response.context["lockouts"]
    assert (row["username"], row["ip_address"], row["failures"]) == (worker.username, "203.0.113.5", settings.AXES_FAILURE_LIMIT)
    page = response.content.decode()
    assert worker.username in page and "203.0.113.5" in page and "Sblocca" in page


def test_failures_below_the_limit_or_past_the_cool_off_are_not_lockouts(client, coordinator):
    lock("quasi", failures=settings.AXES_FAILURE_LIMIT - 1)
    lock("scaduto", minutes_ago=settings.AXES_COOLOFF_TIME * 60 + 1)
    client.force_login(coordinator)
    response = client.get(reverse("people:lockouts"))
    assert response.context["lockouts"] == []
    assert "Nessun accesso è bloccato" in response.content.decode()


def test_failures_from_several_browsers_of_one_address_add_up_as_axes_counts_them(client, coordinator):
    lock("anna", failures=2, agent="Firefox")
    lock("anna", failures=settings.AXES_FAILURE_LIMIT - 2, agent="Chromium")
    client.force_login(coordinator)
    [row] = client.get(reverse("people:lockouts")).context["lockouts"]
    assert row["failures"] == settings.AXES_FAILURE_LIMIT


def test_unlocking_asks_for_confirmation_then_lets_the_person_sign_in(client, coordinator, worker):
    attempt = lock(worker.username, address="127.0.0.1", agent="")
    client.force_login(coordinator)
    url = reverse("people:lockout_unlock", args=[attempt.pk])
    page = client.get(url).content.decode()
    assert "Sblocca l'accesso" in page and worker.username in page
    assert AccessAttempt.objects.exists()
    response = client.post(url)
    assert response.url == reverse("people:lockouts")
    assert not AccessAttempt.objects.exists()
    entry = AuditEntry.objects.get(reason="sblocco dopo tentativi di accesso falliti")
    assert (entry.actor, entry.object_id) == (coordinator, str(worker.pk))
    client.post(reverse("logout"))
    assert client.post(reverse("login"), {"username": worker.username, "password": PASSWORD}).status_code == 302


def test_unlocking_leaves_other_addresses_locked(client, coordinator):
    here, there = lock("anna", address="203.0.113.5"), lock("anna", address="198.51.100.7")
    client.force_login(coordinator)
    client.post(reverse("people:lockout_unlock", args=[here.pk]))
    assert list(AccessAttempt.objects.all()) == [there]


def test_a_lockout_no_longer_in_force_is_said_so(client, coordinator):
    attempt = lock("anna", failures=settings.AXES_FAILURE_LIMIT - 1)
    client.force_login(coordinator)
    response = client.post(reverse("people:lockout_unlock", args=[attempt.pk]), follow=True)
    assert "non è più in vigore" in response.content.decode()


@pytest.mark.parametrize("role", [r for r in ROLES if r != Role.COORDINATOR], ids=str)
def test_only_coordinators_see_and_lift_lockouts(client, users, role):
    attempt = lock("anna")
    if role != ANON:
        client.force_login(users[role])
    unlock = reverse("people:lockout_unlock", args=[attempt.pk])
    for response in (client.get(reverse("people:lockouts")), client.post(reverse("people:lockouts")), client.get(unlock), client.post(unlock)):
        if role == ANON:
            assert response.status_code == 302 and response.url.startswith(reverse("login"))
        else:
            assert response.status_code == 403
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()
