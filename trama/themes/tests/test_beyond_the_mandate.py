"""Beyond the mandate on a theme's page: the shares per neighbourhood and for the city, counted by hand on fixed
data, and a page whose queries do not grow with the neighbourhoods or the texts."""

import pytest

from trama.testing import assert_queries_do_not_grow
from trama.themes import queries
from trama.themes.models import Tag, TextItem, Theme, TraditionalCategory

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked_to_a_category(make_theme):
    def make(items=(), **kwargs):
        theme = make_theme(items, **kwargs)
        theme.categories.add(TraditionalCategory.objects.get(code="anziani"))
        return theme

    return make


@pytest.fixture
def city_of_texts(make_theme, make_item, make_person, make_neighbourhood, neighbourhood, other_neighbourhood, linked_to_a_category):
    """A theme with 5 texts in `neighbourhood`, 3 in `other_neighbourhood`, none in a third and 1 without a
    neighbourhood. Its texts are also tagged with other themes, some of which put them inside a category."""
    unknown, known, unsure, wanderer = make_person(known=False), make_person(known=True), make_person(), make_person(known=False)
    a = [make_item(person=unknown), make_item(person=unknown), make_item(person=known), make_item(), make_item(person=wanderer)]
    b = [
        make_item(where=other_neighbourhood, person=wanderer),
        make_item(where=other_neighbourhood, person=unsure),
        make_item(where=other_neighbourhood),
    ]
    nowhere = make_item(person=known)
    TextItem.objects.filter(pk=nowhere.pk).update(neighbourhood=None)
    rejected = make_item(person=unsure)
    theme = make_theme(a + b + [nowhere, rejected], name="Il tema", status=Theme.Status.NAMED)
    Tag.objects.filter(theme=theme, item=rejected).update(rejected=True)

    linked_to_a_category([a[0], b[0]], name="Collegato", status=Theme.Status.NAMED)  # inside
    linked_to_a_category([b[2]])  # a candidate is live: inside
    linked_to_a_category([a[2]], name="Archiviato", status=Theme.Status.RETIRED)  # not live: not inside
    linked_to_a_category([a[4]], name="Fuori", status=Theme.Status.NAMED, outside_categories=True)  # marked outside
    Tag.objects.filter(item=a[3], theme=linked_to_a_category([a[3]], name="Scartato", status=Theme.Status.NAMED)).update(rejected=True)
    make_theme([rejected], name="Senza categorie", status=Theme.Status.NAMED)
    return theme, make_neighbourhood("Terzo")


def test_each_neighbourhood_and_the_city_get_the_shares_counted_by_hand(coordinator, neighbourhood, other_neighbourhood, city_of_texts):
    theme, third = city_of_texts
    rows = {row["neighbourhood"].pk: row for row in queries.by_neighbourhood(coordinator, theme)}
    # 3 people with a value (the unknown one counted once for 2 texts), 2 unknown; 1 text inside a category of 5.
    assert (rows[neighbourhood.pk]["count"], rows[neighbourhood.pk]["shares"]) == (
        5,
        {"items": 5, "people_with_value": 3, "unknown_share": 2 / 3, "outside_share": 4 / 5},
    )
    # The person with texts in both neighbourhoods counts in each; the unsure one counts in neither.
    assert (rows[other_neighbourhood.pk]["count"], rows[other_neighbourhood.pk]["shares"]) == (
        3,
        {"items": 3, "people_with_value": 1, "unknown_share": 1.0, "outside_share": 1 / 3},
    )
    assert (rows[third.pk]["count"], rows[third.pk]["shares"]) == (0, None)
    # The city adds the text without a neighbourhood and counts each person once: unknown, known, wanderer.
    assert queries.city_totals(coordinator, theme) == {
        "items": 9,
        "people_with_value": 3,
        "unknown_share": 2 / 3,
        "outside_share": 6 / 9,
        "cell": None,
    }


def test_the_grouped_figures_are_those_of_each_neighbourhood_alone(neighbourhood, other_neighbourhood, city_of_texts):
    theme, _third = city_of_texts
    items = queries.items_of(theme)
    grouped = queries.beyond_the_mandate_by_neighbourhood(items)
    assert set(grouped) == {neighbourhood.pk, other_neighbourhood.pk, None}
    for pk in (neighbourhood.pk, other_neighbourhood.pk):
        assert grouped[pk] == queries.beyond_the_mandate(items.filter(neighbourhood_id=pk))
    assert grouped[None] == {"items": 1, "people_with_value": 1, "unknown_share": 0.0, "outside_share": 1.0}


def test_a_worker_sees_shares_elsewhere_only_beside_a_count_that_is_shown(
    worker, make_item, make_person, make_theme, make_neighbourhood, other_neighbourhood
):
    unknown = make_person(where=other_neighbourhood, known=False)
    theme = make_theme([make_item(where=other_neighbourhood, person=unknown) for _ in range(10)])
    row = next(r for r in queries.by_neighbourhood(worker, theme) if r["neighbourhood"] == other_neighbourhood)
    assert not row["exact"] and row["count"] == 10
    assert row["shares"] == {"items": 10, "people_with_value": 1, "unknown_share": 1.0, "outside_share": 1.0}

    Tag.objects.create(item=make_item(where=make_neighbourhood("Terzo")), theme=theme, origin=Tag.Origin.ENGINE)
    rows = {r["neighbourhood"].name: r for r in queries.by_neighbourhood(worker, theme)}
    # 1 text is hidden, and so is the other count that would give it away: no share beside either.
    assert [(rows[name]["count"], rows[name]["shares"]) for name in ("Terzo", other_neighbourhood.name)] == [(None, None)] * 2
    totals = queries.city_totals(worker, theme)
    assert (totals["items"], str(totals["cell"]), totals["unknown_share"], totals["outside_share"]) == (11, "11", 1.0, 1.0)


@pytest.mark.parametrize("role", ["coordinator", "worker"])
def test_the_theme_page_reads_as_many_queries_for_many_neighbourhoods_and_texts_as_for_few(
    request, client, role, make_theme, make_item, make_person, make_neighbourhood, neighbourhood, linked_to_a_category
):
    theme = make_theme([make_item()], name="Il tema", status=Theme.Status.NAMED)
    linked = linked_to_a_category(name="Collegato", status=Theme.Status.NAMED)
    user = request.getfixturevalue(role)
    client.force_login(user)

    def grow(count):
        for _ in range(count):
            where = make_neighbourhood()
            user.neighbourhoods.add(where)  # a worker's own: exact counts, and the shares beside them
            person = make_person(where=where, known=False)
            texts = [make_item(where=where, person=person), make_item(where=where), make_item(person=person)]
            for text in texts:
                Tag.objects.create(item=text, theme=theme, origin=Tag.Origin.ENGINE, confidence=0.5)
            Tag.objects.create(item=texts[0], theme=linked, origin=Tag.Origin.ENGINE)

    assert_queries_do_not_grow(client, theme.get_absolute_url(), grow)
    rows = client.get(theme.get_absolute_url()).context["rows"]
    assert len(rows) == 21 and all(row["shares"]["unknown_share"] == 1.0 for row in rows[1:])
