"""A need's text stays as written; the worker of its neighbourhood sees which language it seems to be in."""

import pytest
from django.urls import reverse

from trama.people.models import Role

ROMANIAN = "Am nevoie de cineva care să mă ajute cu cumpărăturile, sunt singură"


def test_the_worker_of_the_neighbourhood_sees_the_need_as_written_with_its_language(client, worker, make_need):
    need = make_need(text=ROMANIAN)
    client.force_login(worker)
    page = client.get(reverse("market:need", args=[need.pk])).content.decode()
    assert ROMANIAN in page
    assert 'data-testid="text-language">lingua: romeno</span>' in page


def test_the_hint_is_in_the_workers_language(client, worker, make_need):
    need = make_need(text=ROMANIAN)
    client.force_login(worker)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert 'data-testid="text-language">language: Romanian</span>' in client.get(reverse("market:need", args=[need.pk])).content.decode()


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
def test_a_worker_of_another_neighbourhood_sees_neither_need_nor_hint(client, make_user, other_neighbourhood, make_need, method):
    need = make_need(text=ROMANIAN)
    client.force_login(make_user(Role.WORKER, [other_neighbourhood]))
    response = getattr(client, method)(reverse("market:need", args=[need.pk]))
    assert response.status_code in (403, 404, 405)
    assert ROMANIAN not in response.content.decode() and "lingua: romeno" not in response.content.decode()
