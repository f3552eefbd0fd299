"""A theme page's figures kept for a while (queries._kept): a change through this process shows at the next
look, one that sent no signal (as one made through another server process) once the kept figures expire
(TRAMA_THEME_FIGURES_SECONDS), and an account never reads what was counted for another's scope."""

import pytest
from django.core.cache import cache

from trama.people.models import Role
from trama.themes.models import Tag, TextItem, Theme

pytestmark = pytest.mark.django_db


def figures_of(page):
    """What the page shows of the theme's size: the months, the city's total and each neighbourhood's count."""
    ctx = page.context
    return sum(n for _month, n in ctx["months"]), ctx["totals"]["items"], {row["neighbourhood"].name: row["count"] for row in ctx["rows"]}


@pytest.fixture
def theme(make_theme, make_item, neighbourhood, other_neighbourhood):
    items = [make_item(where=neighbourhood) for _ in range(3)] + [make_item(where=other_neighbourhood) for _ in range(12)]
    return make_theme(items, name="Solitudine", status=Theme.Status.NAMED)


def test_a_new_tag_shows_at_the_next_look(client, coordinator, theme, make_item, neighbourhood, other_neighbourhood):
    client.force_login(coordinator)
    url = theme.get_absolute_url()
    assert figures_of(client.get(url)) == (15, 15, {neighbourhood.name: 3, other_neighbourhood.name: 12})
    Tag.objects.create(item=make_item(where=neighbourhood), theme=theme, origin=Tag.Origin.PERSON)
    assert figures_of(client.get(url)) == (16, 16, {neighbourhood.name: 4, other_neighbourhood.name: 12})
    Tag.objects.filter(theme=theme, item__neighbourhood=other_neighbourhood).first().delete()
    assert figures_of(client.get(url)) == (15, 15, {neighbourhood.name: 4, other_neighbourhood.name: 11})


def test_a_change_without_a_signal_shows_once_the_kept_figures_expire(client, coordinator, theme, neighbourhood, other_neighbourhood, settings):
    client.force_login(coordinator)
    url = theme.get_absolute_url()
    assert figures_of(client.get(url))[1] == 15
    Tag.objects.filter(theme=theme, item__neighbourhood=neighbourhood).update(rejected=True)  # a bulk write: no signal
    assert figures_of(client.get(url))[1] == 15  # kept
    cache.clear()  # the delay has passed: the kept figures are gone
    assert figures_of(client.get(url)) == (12, 12, {neighbourhood.name: 0, other_neighbourhood.name: 12})
    settings.TRAMA_THEME_FIGURES_SECONDS = 0  # nothing kept: every look counts
    TextItem.objects.filter(neighbourhood=other_neighbourhood).update(neighbourhood=neighbourhood)
    assert figures_of(client.get(url)) == (12, 12, {neighbourhood.name: 12, other_neighbourhood.name: 0})


def test_a_worker_never_reads_the_months_counted_for_the_coordinator_nor_the_other_way(
    client, users, theme, neighbourhood, other_neighbourhood, make_user
):
    url = theme.get_absolute_url()
    client.force_login(users[Role.COORDINATOR])
    assert figures_of(client.get(url))[0] == 15  # the whole city, now kept
    client.force_login(users[Role.WORKER])  # a worker of `neighbourhood` only
    months, total, rows = figures_of(client.get(url))
    assert months == 3  # their own texts, not the city's 15
    assert total == 15 and rows == {neighbourhood.name: 3, other_neighbourhood.name: 12}  # a total of 12 or more is shown
    other_worker = make_user(Role.WORKER, [other_neighbourhood])
    client.force_login(other_worker)
    assert figures_of(client.get(url))[0] == 12
    client.force_login(users[Role.COORDINATOR])
    assert figures_of(client.get(url))[0] == 15


def test_a_theme_of_another_city_is_not_read_by_this_city_s_accounts(client, users, theme, make_theme):
    from trama.territory.models import City

    elsewhere = City.objects.create(name="Altra città", slug="altra", centre_lat=45.0, centre_lon=9.0)
    other = make_theme([], name="Altrove", status=Theme.Status.NAMED, city=elsewhere)
    for role in (Role.COORDINATOR, Role.WORKER):
        client.force_login(users[role])
        assert client.get(theme.get_absolute_url()).status_code == 200
        assert client.get(other.get_absolute_url()).status_code in (403, 404)
