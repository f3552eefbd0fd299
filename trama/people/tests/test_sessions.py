import time

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from trama.people.middleware import LOGIN_AT, SEEN_AT, SEEN_WRITE_SECONDS
from trama.people.models import ApiToken, Role

pytestmark = pytest.mark.django_db


def signed_in(client):
    return "_auth_user_id" in client.session


def shift_session_clock(client, key, seconds_ago):
    session = client.session
    session[key] = time.time() - seconds_ago
    session.save()


def test_session_survives_activity_within_idle_limit(client, make_user, log_in):
    log_in(client, make_user().username)
    shift_session_clock(client, SEEN_AT, 29 * 60)
    assert client.get(reverse("people:profile")).status_code == 200


def test_session_ends_after_thirty_idle_minutes(client, make_user, log_in):
    log_in(client, make_user().username)
    shift_session_clock(client, SEEN_AT, 31 * 60)
    response = client.get(reverse("people:profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not signed_in(client)


def test_session_ends_after_twelve_hours_even_if_active(client, make_user, log_in):
    log_in(client, make_user().username)
    shift_session_clock(client, LOGIN_AT, 12 * 3600 + 60)
    client.get(reverse("home"))
    assert not signed_in(client)


def test_expired_session_tells_the_user_why(client, make_user, log_in):
    log_in(client, make_user().username)
    shift_session_clock(client, SEEN_AT, 31 * 60)
    response = client.get(reverse("home"), follow=True)
    assert "La sessione è scaduta" in response.content.decode()


def _session_writes(client, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in queries if "django_session" in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT")]


def test_a_page_view_writes_last_seen_at_most_once_a_minute(client, make_user, log_in):
    log_in(client, make_user().username)
    path = reverse("people:profile")
    shift_session_clock(client, SEEN_AT, 10)
    before = client.session[SEEN_AT]
    assert _session_writes(client, path) == [], "a request ten seconds after the last write rewrote the session"
    assert client.session[SEEN_AT] == before
    shift_session_clock(client, SEEN_AT, SEEN_WRITE_SECONDS + 1)
    assert _session_writes(client, path), "a request a minute after the last write must record it"
    assert time.time() - client.session[SEEN_AT] < 5


def test_activity_keeps_the_session_alive_beyond_the_idle_limit(client, make_user, log_in):
    """A request every 50 seconds for 31 minutes (the clocks moved back instead of waiting): the session lives."""
    log_in(client, make_user().username)
    for _step in range(31 * 60 // 50):
        session = client.session
        session[SEEN_AT] -= 50
        session[LOGIN_AT] -= 50
        session.save()
        assert client.get(reverse("people:profile")).status_code == 200
    assert signed_in(client)


def test_idle_limit_follows_the_setting(client, make_user, log_in, settings):
    settings.SESSION_IDLE_SECONDS = 60
    log_in(client, make_user().username)
    shift_session_clock(client, SEEN_AT, 61)
    client.get(reverse("home"))
    assert not signed_in(client)


def test_password_change_ends_other_sessions_and_keeps_this_one(make_user, log_in):
    user = make_user()
    here, elsewhere = Client(), Client()
    log_in(here, user.username)
    log_in(elsewhere, user.username)
    new = "Un-altra-password-lunga-2027"
    response = here.post(reverse("password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert response.status_code == 302
    assert here.get(reverse("people:profile")).status_code == 200
    assert elsewhere.get(reverse("people:profile")).status_code == 302
    assert not signed_in(elsewhere)


def disable(client, account, confirm=True):
    data = {"active": "0", **({"confirm": "on"} if confirm else {})}
    return client.post(reverse("people:account_set_active", args=[account.pk]), data)


def test_disabling_an_account_ends_its_sessions_and_revokes_its_tokens(client, users, log_in):
    worker = users[Role.WORKER]
    token, _key = ApiToken.issue(worker, "script")
    worker_client = Client()
    log_in(worker_client, worker.username)
    client.force_login(users[Role.COORDINATOR])
    assert disable(client, worker).status_code == 302
    worker.refresh_from_db()
    assert not worker.is_active
    token.refresh_from_db()
    assert token.state() == ApiToken.State.REVOKED
    assert worker_client.get(reverse("people:profile")).status_code == 302
    assert not signed_in(worker_client)


def test_reenabling_an_account_does_not_revive_its_old_sessions(client, users, log_in):
    worker = users[Role.WORKER]
    worker_client = Client()
    log_in(worker_client, worker.username)
    client.force_login(users[Role.COORDINATOR])
    disable(client, worker)
    client.post(reverse("people:account_set_active", args=[worker.pk]), {"active": "1"})
    worker.refresh_from_db()
    assert worker.is_active
    assert worker_client.get(reverse("people:profile")).status_code == 302


def test_disabling_without_confirmation_changes_nothing(client, users, log_in):
    worker = users[Role.WORKER]
    token, _key = ApiToken.issue(worker, "script")
    worker_client = Client()
    log_in(worker_client, worker.username)
    client.force_login(users[Role.COORDINATOR])
    response = disable(client, worker, confirm=False)
    assert response.status_code == 302
    worker.refresh_from_db()
    assert worker.is_active
    token.refresh_from_db()
    assert token.state() == ApiToken.State.ACTIVE
    assert worker_client.get(reverse("people:profile")).status_code == 200


def test_a_coordinator_cannot_disable_themselves(client, users):
    coordinator = users[Role.COORDINATOR]
    client.force_login(coordinator)
    disable(client, coordinator)
    coordinator.refresh_from_db()
    assert coordinator.is_active


def test_only_coordinators_may_disable_accounts(client, users):
    client.force_login(users[Role.WORKER])
    assert disable(client, users[Role.CITIZEN]).status_code == 403
    users[Role.CITIZEN].refresh_from_db()
    assert users[Role.CITIZEN].is_active
