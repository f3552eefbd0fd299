""" "Aggiorna le proposte" says it is queued while it is, and what it found once the worker has done it."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from trama.collective import services
from trama.collective.models import Suggestion, SuggestionRefresh
from trama.people.models import Role

from .conftest import SHOPPING

LIST = reverse("collective:suggestions")
REFRESH = reverse("collective:suggestions_refresh")
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def progress(client, refresh):
    """The fragment the page polls, as HTMX asks for it."""
    return client.get(LIST, {"aggiornamento": refresh.pk}, headers={"HX-Request": "true"}).content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_page_says_queued_until_the_database_worker_has_refreshed_then_what_it_found(client, users, make_need, settings):
    for text in SHOPPING[:5]:
        make_need(text)  # saved before the worker's queue is the database: no suggestion yet
    Suggestion.objects.all().delete()
    settings.TASKS = DATABASE_TASKS
    client.force_login(users[Role.WORKER])

    response = client.post(REFRESH)
    refresh = SuggestionRefresh.objects.get()
    assert response["Location"] == f"{LIST}?aggiornamento={refresh.pk}"
    page = client.get(response["Location"]).content.decode()
    assert "Aggiornamento delle proposte: in coda." in page
    assert "Proposte aggiornate" not in page and "Aggiornamento delle proposte: fatto." not in page  # never "done" before it is
    assert f'hx-get="{LIST}?aggiornamento={refresh.pk}"' in page and 'hx-trigger="every 2s"' in page
    assert not Suggestion.objects.exists()

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    fragment = progress(client, refresh)
    assert "Aggiornamento delle proposte: fatto." in fragment
    assert "Proposte aggiornate." in fragment and "1 nuova," in fragment and "0 aggiornate," in fragment
    assert "hx-get" not in fragment  # finished: the page stops asking
    assert Suggestion.objects.filter(status=Suggestion.Status.OPEN).count() == 1


@pytest.mark.django_db
def test_with_the_immediate_backend_the_result_is_on_the_page_it_lands_on(client, users, make_need):
    for text in SHOPPING[:5]:
        make_need(text)
    client.force_login(users[Role.COORDINATOR])
    page = client.get(client.post(REFRESH)["Location"]).content.decode()
    assert "Proposte aggiornate." in page and "in coda" not in page and "hx-trigger" not in page


@pytest.mark.django_db
def test_a_failed_refresh_says_so(client, users, monkeypatch, city):
    def broken(city, now=None):
        raise RuntimeError("no")

    monkeypatch.setattr(services, "refresh_suggestions", broken)
    client.force_login(users[Role.WORKER])
    client.post(REFRESH)
    refresh = SuggestionRefresh.objects.get()
    assert refresh.status == SuggestionRefresh.Status.FAILED
    fragment = progress(client, refresh)
    assert "Aggiornamento delle proposte: non riuscito: riprova più tardi" in fragment and "hx-get" not in fragment
    assert f'action="{REFRESH}"' in fragment  # tried again in one click


@pytest.mark.django_db
def test_a_refresh_of_another_city_is_not_shown(client, users, make_user, make_neighbourhood):
    from trama.territory.models import City

    elsewhere = City.objects.create(name="Altrove", slug="altrove", centre_lat=45, centre_lon=9)
    theirs = SuggestionRefresh.objects.create(city=elsewhere)
    client.force_login(users[Role.COORDINATOR])
    page = client.get(LIST, {"aggiornamento": theirs.pk}).content.decode()
    assert "refresh-progress" not in page
    assert "refresh-progress" not in client.get(LIST, {"aggiornamento": "x'"}).content.decode()


@pytest.mark.django_db
def test_a_refresh_left_running_by_a_worker_that_stopped_is_run_by_the_next_and_only_once(users, make_need, city):
    from trama.collective import tasks

    for text in SHOPPING[:5]:
        make_need(text)
    Suggestion.objects.all().delete()
    refresh = SuggestionRefresh.objects.create(city=city, requested_by=users[Role.WORKER], status=SuggestionRefresh.Status.RUNNING)

    assert tasks.refresh_suggestions_of_city.call(city.pk, refresh.pk) == [1, 0, 0]
    assert tasks.refresh_suggestions_of_city.call(city.pk, refresh.pk) is None  # done: taken again, nothing happens

    refresh.refresh_from_db()
    assert refresh.status == SuggestionRefresh.Status.DONE and refresh.created == 1
    assert Suggestion.objects.count() == 1
