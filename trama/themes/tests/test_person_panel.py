"""The themes panel on a person's page: the live themes of their texts, for staff allowed to see them."""

import pytest
from django.urls import reverse

from trama.people.models import Role
from trama.testing import assert_queries_do_not_grow
from trama.themes.models import Tag, Theme
from trama.themes.templatetags.themes_tags import person_themes

pytestmark = pytest.mark.django_db


def _page(client, person):
    return client.get(reverse("people:person", args=[person.pk]))


@pytest.fixture
def gino_with_themes(make_person, make_item, make_theme, other_neighbourhood, coordinator):
    """Gino's texts tagged with a named theme (by the engine and by a person), a candidate, a retired
    theme and a rejected tag; plus another person's text on the named theme."""
    gino = make_person()
    first, second, third = make_item("Cerco compagnia", person=gino), make_item("Sola la sera", person=gino), make_item(person=gino)
    named = make_theme([first], name="Solitudine", status=Theme.Status.NAMED)
    Tag.objects.create(item=second, theme=named, origin=Tag.Origin.PERSON, set_by=coordinator)
    make_theme([make_item(person=make_person())], name="Solitudine", status=Theme.Status.NAMED)  # someone else's
    Tag.objects.create(item=make_item(), theme=named, origin=Tag.Origin.ENGINE)  # a text of nobody
    candidate = make_theme([third], suggested_name="bollette, luce")
    make_theme([first], name="Archiviato", status=Theme.Status.RETIRED)
    Tag.objects.create(item=third, theme=make_theme(name="Scartato", status=Theme.Status.NAMED), origin=Tag.Origin.ENGINE, rejected=True)
    return gino, named, candidate


def test_the_worker_of_the_persons_neighbourhood_sees_the_live_themes_of_their_texts(client, worker, gino_with_themes):
    gino, named, candidate = gino_with_themes
    client.force_login(worker)
    response = _page(client, gino)
    assert response.status_code == 200
    rows = {theme.pk: theme for theme in response.context["themes"]}
    assert set(rows) == {named.pk, candidate.pk}
    assert (rows[named.pk].item_count, rows[named.pk].by_engine, rows[named.pk].by_person) == (2, 1, 1)
    assert (rows[candidate.pk].item_count, rows[candidate.pk].by_engine, rows[candidate.pk].by_person) == (1, 1, 0)
    page = response.content.decode()
    assert f'href="{named.get_absolute_url()}"' in page and f'href="{candidate.get_absolute_url()}"' in page
    assert page.index("Solitudine") < page.index("bollette, luce")  # named themes first
    assert "Suggeriti dalla ricerca" in page and "Messi da una persona" in page
    assert "Archiviato" not in page and "Scartato" not in page


def test_a_coordinator_sees_the_panel_too(client, coordinator, gino_with_themes):
    gino, named, _candidate = gino_with_themes
    client.force_login(coordinator)
    assert named.get_absolute_url() in _page(client, gino).content.decode()


def test_a_worker_counts_only_the_persons_texts_of_their_own_neighbourhoods(client, worker, make_person, make_item, make_theme, other_neighbourhood):
    gino = make_person()
    make_theme([make_item(person=gino), make_item(person=gino, where=other_neighbourhood)], name="Casa", status=Theme.Status.NAMED)
    make_theme([make_item(person=gino, where=other_neighbourhood)], name="Lontano", status=Theme.Status.NAMED)
    client.force_login(worker)
    themes = _page(client, gino).context["themes"]
    assert [(t.name, t.item_count) for t in themes] == [("Casa", 1)]


def test_a_person_without_themes_shows_the_empty_state_in_italian(client, worker, make_person, make_item):
    gino = make_person()
    make_item(person=gino)
    client.force_login(worker)
    page = _page(client, gino).content.decode()
    assert "Temi dei suoi testi" in page and "Nessun tema nei suoi testi, per ora." in page


def test_a_worker_of_another_neighbourhood_gets_no_page_and_no_theme(client, make_user, other_neighbourhood, gino_with_themes):
    gino, named, _candidate = gino_with_themes
    stranger = make_user(Role.WORKER, [other_neighbourhood])
    client.force_login(stranger)
    response = _page(client, gino)
    assert response.status_code == 403 and "Solitudine" not in response.content.decode()
    assert person_themes(stranger, gino) is None


def test_other_roles_get_no_theme_even_for_their_own_record(client, users, gino_with_themes):
    gino, _named, _candidate = gino_with_themes
    gino.account = users[Role.CITIZEN]
    gino.save(update_fields=["account"])
    for role in (Role.PARTNER, Role.ANTENNA, Role.CITIZEN):
        client.force_login(users[role])
        assert "Solitudine" not in _page(client, gino).content.decode()
        assert person_themes(users[role], gino) is None


def test_the_panel_costs_the_same_queries_for_few_themes_or_many(client, worker, make_person, make_item, make_theme):
    gino = make_person()
    client.force_login(worker)

    def grow(count):
        for _ in range(count):
            make_theme([make_item(person=gino), make_item(person=gino)], name="Tema", status=Theme.Status.NAMED)

    assert_queries_do_not_grow(client, reverse("people:person", args=[gino.pk]), grow)
    assert len(_page(client, gino).context["themes"]) == 20
