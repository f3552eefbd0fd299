"""The bell, the list, marking as read and the preferences: each account its own, hostile input refused."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from trama.notifications.models import Kind, Notification, Preference
from trama.notifications.services import notify
from trama.people.models import Role

pytestmark = pytest.mark.django_db

QUIET = {"quiet_starts": "21:00", "quiet_ends": "08:00"}


@pytest.fixture
def citizen(users):
    return users[Role.CITIZEN]


@pytest.fixture
def theirs(users):
    """A notification of another account."""
    return notify(Kind.SIGNAL_TAKEN_UP, [users[Role.ANTENNA]], url="/attenzione/mie-segnalazioni/1/", key="s:1")[0]


def _mine(citizen, n=1):
    return [notify(Kind.MATCH_PROPOSED, [citizen], url=f"/mercato/abbinamenti/{i}/", key=f"m:{i}")[0] for i in range(n)]


def test_the_list_shows_only_the_accounts_own_newest_first(client, citizen, theirs):
    first, second = _mine(citizen, 2)
    Notification.objects.filter(pk=first.pk).update(created_at=timezone.now() - timezone.timedelta(hours=1))
    client.force_login(citizen)
    page = client.get(reverse("notifications:list")).content.decode()
    assert page.index(reverse("notifications:open", args=[second.pk])) < page.index(reverse("notifications:open", args=[first.pk]))
    assert reverse("notifications:open", args=[theirs.pk]) not in page
    assert "una novità su un tuo abbinamento: apri Trama per vederla." in page


def test_an_empty_list_says_so(client, citizen):
    client.force_login(citizen)
    assert "Non hai notifiche." in client.get(reverse("notifications:list")).content.decode()


def test_the_list_is_paginated(client, citizen):
    _mine(citizen, 25)
    client.force_login(citizen)
    page = client.get(reverse("notifications:list")).content.decode()
    assert len(re.findall(r'href="/notifiche/\d+/"', page)) == 20
    assert "Pagina 1 di 2" in page


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(client, citizen):
    notification = _mine(citizen)[0]
    client.force_login(citizen)
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302 and response["Location"] == "/mercato/abbinamenti/0/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_another_accounts_notification_answers_404_and_stays_unread(client, citizen, theirs):
    client.force_login(citizen)
    assert client.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notifications:mark_read"), {"id": [theirs.pk]}).status_code == 302
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_read_takes_the_ids_given_or_all(client, citizen, theirs):
    first, second, third = _mine(citizen, 3)
    client.force_login(citizen)
    client.post(reverse("notifications:mark_read"), {"id": [first.pk]})
    assert set(Notification.objects.filter(read_at__isnull=True).values_list("pk", flat=True)) == {second.pk, third.pk, theirs.pk}
    client.post(reverse("notifications:mark_read"))
    assert list(Notification.objects.filter(read_at__isnull=True).values_list("pk", flat=True)) == [theirs.pk]


@pytest.mark.parametrize("bad", ["abc", "-1", "1.5", "１２", "9" * 30, ""])
def test_malformed_ids_are_refused_with_a_message_and_nothing_changes(client, citizen, bad):
    notification = _mine(citizen)[0]
    client.force_login(citizen)
    response = client.post(reverse("notifications:mark_read"), {"id": [notification.pk, bad]})
    assert response.status_code == 400
    assert "Le notifiche indicate non sono valide." in response.content.decode()
    notification.refresh_from_db()
    assert notification.read_at is None


def test_marking_read_is_post_only(client, citizen):
    client.force_login(citizen)
    assert client.get(reverse("notifications:mark_read")).status_code == 405


def test_marking_read_needs_the_csrf_token(citizen):
    from django.test import Client

    notification = _mine(citizen)[0]
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    assert client.post(reverse("notifications:mark_read")).status_code == 403
    notification.refresh_from_db()
    assert notification.read_at is None


def _selected(page, kind):
    select = re.search(rf'<select name="{kind}".*?</select>', page, re.S).group(0)
    return re.search(r'<option value="(\w+)"\s+selected', select).group(1)


def test_preferences_choose_now_digest_or_never_per_kind(client, citizen):
    client.force_login(citizen)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert (_selected(page, "match_proposed"), _selected(page, "signal_closed")) == ("now", "never")
    modes = {kind.value: "now" for kind in Kind} | {"signal_closed": "digest", "match_proposed": "never"}
    response = client.post(reverse("notifications:preferences"), {**modes, **QUIET})
    assert response.status_code == 302
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert (_selected(page, "match_proposed"), _selected(page, "signal_closed")) == ("never", "digest")
    stored = {p.kind: (p.email, p.digest) for p in Preference.objects.filter(account=citizen)}
    assert stored[Kind.SIGNAL_CLOSED] == (True, True) and stored[Kind.MATCH_PROPOSED] == (False, False)


@pytest.mark.parametrize("bad", ["sometimes", "", "NOW", "now ", "true", "x" * 5000, "digest\x00"])
def test_an_unknown_mode_is_refused_with_a_message_and_nothing_changes(client, citizen, bad):
    client.force_login(citizen)
    modes = {kind.value: "digest" for kind in Kind} | {"signal_closed": bad}
    response = client.post(reverse("notifications:preferences"), {**modes, **QUIET})
    assert response.status_code == 400
    assert "Scegli tra subito, riepilogo giornaliero e mai." in response.content.decode()
    assert not Preference.objects.exists()


def test_preferences_are_the_accounts_own(client, citizen, users):
    client.force_login(citizen)
    modes = {kind.value: "digest" for kind in Kind}
    assert client.post(reverse("notifications:preferences"), {**modes, **QUIET}).status_code == 302
    assert Preference.objects.filter(account=citizen).count() == len(Kind)
    assert not Preference.objects.filter(account=users[Role.ANTENNA]).exists()


def test_the_bell_shows_the_unread_count_with_its_label(client, citizen):
    _mine(citizen, 2)
    client.force_login(citizen)
    page = client.get(reverse("home")).content.decode()
    assert 'aria-label="Notifiche: 2 da leggere"' in page


def test_the_bell_is_for_signed_in_accounts_only(client, city, settings):
    settings.TRAMA_CITY = city.slug
    assert 'data-testid="notification-bell"' not in client.get(reverse("home")).content.decode()


def _bell_and_reads(client):
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("notifications:preferences")).content.decode()
    label = re.search(r'aria-label="(Notifiche: \d+ da leggere)"', page).group(1)
    return label, len([q for q in queries.captured_queries if "notifications_notification" in q["sql"]])


def test_the_bell_is_counted_at_sign_in_and_kept_through_changes_here(client, citizen, django_capture_on_commit_callbacks):
    """The layout reads no notifications while the count is kept (trama/tests/test_fixed_cost.py for the
    whole layout); notifying or marking as read in this process shows on the next page, still without a read."""
    _mine(citizen)
    client.force_login(citizen)
    assert _bell_and_reads(client) == ("Notifiche: 1 da leggere", 0)
    with django_capture_on_commit_callbacks(execute=True):
        notify(Kind.MATCH_DONE, [citizen], url="/a/", key="done:1")
    assert _bell_and_reads(client) == ("Notifiche: 2 da leggere", 0)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("notifications:mark_read"))
    assert _bell_and_reads(client) == ("Notifiche: 0 da leggere", 0)


def test_the_bell_is_counted_again_once_its_delay_is_over(client, citizen):
    from django.core.cache import cache

    client.force_login(citizen)
    _mine(citizen)  # by another process: this one's count is not told
    assert _bell_and_reads(client) == ("Notifiche: 0 da leggere", 0)
    cache.delete(f"notifications:unread:{citizen.pk}")  # what the delay's end does
    assert _bell_and_reads(client) == ("Notifiche: 1 da leggere", 1)
