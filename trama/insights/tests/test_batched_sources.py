"""The indicators computed with their sources batched (every indicator and area from one read of each
source, the counts per area made in Python) give exactly the values of the reference path (each source
asked as each indicator asked it, a filtered COUNT(DISTINCT) per area in the database): on the demo
city and on a synthetic one, for several periods and sets of areas, and the number of queries of a
first look no longer grows with the number of areas."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q
from django.test.utils import CaptureQueriesContext

from trama.insights import indicators, periods
from trama.insights.queries import areas_of_scope, neighbourhood_areas_of_scope
from trama.market.models import Need, Offer
from trama.market.queries import people_giving_and_receiving
from trama.people.models import Person
from trama.territory.models import City
from trama.themes.models import LIVE, Tag, TextItem, Theme
from trama.themes.queries import inside_a_category, texts_outside_categories

pytestmark = pytest.mark.django_db


def _periods():
    quarter, year = periods.current("quarter"), periods.current("year")
    return [quarter, quarter.previous(), quarter.previous().previous(), year, year.previous(), periods.current("month")]


def _area_sets(city):
    ids = sorted(city.neighbourhoods.values_list("pk", flat=True))
    return [
        areas_of_scope(city, None),  # a coordinator: the pilots, the rest, the whole city
        areas_of_scope(city, frozenset(ids[:2])),  # a worker of two neighbourhoods and their sum
        areas_of_scope(city, frozenset(ids[-1:])),  # a worker of one
        neighbourhood_areas_of_scope(city, None),  # the map: every neighbourhood on its own
    ]


def _assert_same_values(city):
    compared = 0
    for period in _periods():
        for areas in _area_sets(city):
            items = list(indicators.REGISTRY.values())
            batched = indicators.compute(items, city, period, areas)
            reference = indicators.compute(items, city, period, areas, batched=False)
            assert batched.keys() == reference.keys()
            for key in reference:
                assert batched[key] == reference[key], (period.param, [a.key for a in areas], key)
                compared += sum(value.has_data for value in reference[key].values())
    return compared


def test_the_batched_sources_give_the_reference_values_on_the_demo_city():
    call_command("load_demo", stdout=StringIO())
    city = City.objects.get()
    assert _assert_same_values(city) > 0


def test_the_batched_sources_give_the_reference_values_on_a_synthetic_city():
    call_command("generate_city", residents=3000, years=2, seed=7, stdout=StringIO())
    city = City.objects.get()
    # Not a comparison of empty figures: most indicators have a value in most periods.
    assert _assert_same_values(city) > 500


def test_each_indicator_alone_gives_what_it_gives_among_the_others():
    """A source shared by several indicators is read once, and sharing it changes nothing."""
    call_command("generate_city", residents=2000, years=1, seed=3, stdout=StringIO())
    city = City.objects.get()
    period, areas = periods.current("quarter"), areas_of_scope(city, None)
    together = indicators.compute(list(indicators.REGISTRY.values()), city, period, areas)
    for item in indicators.REGISTRY.values():
        assert indicators.compute([item], city, period, areas) == {item.key: together[item.key]}, item.key


def _queries(city, period, areas, batched=True):
    with CaptureQueriesContext(connection) as queries:
        indicators.compute(list(indicators.REGISTRY.values()), city, period, areas, batched=batched)
    return len(queries)


def test_a_first_look_costs_the_same_queries_whatever_the_number_of_areas():
    call_command("generate_city", residents=2000, years=1, seed=3, stdout=StringIO())
    city = City.objects.get()
    period = periods.current("quarter")
    one = areas_of_scope(city, frozenset(sorted(city.neighbourhoods.values_list("pk", flat=True))[:1]))
    many = neighbourhood_areas_of_scope(city, None)
    assert len(many) > 5
    assert _queries(city, period, one) == _queries(city, period, many)
    # The reference path asks the signals twice per area: what the batching saved.
    assert _queries(city, period, many, batched=False) >= _queries(city, period, many) + 2 * (len(many) - 1)


def _giving_and_receiving_by_exists(city, until, neighbourhood_ids):
    """The query people_giving_and_receiving made before: two EXISTS per person."""
    offers = Offer.objects.filter(person=OuterRef("pk"), created_at__lt=until)
    needs = Need.objects.filter(person=OuterRef("pk"), created_at__lt=until)
    rows = (
        Person.objects.filter(city=city, neighbourhood__in=neighbourhood_ids)
        .annotate(gives=Exists(offers), receives=Exists(needs))
        .filter(Q(gives=True) | Q(receives=True))
        .values_list("neighbourhood_id")
        .annotate(either=Count("pk"), both=Count("pk", filter=Q(gives=True, receives=True)))
        .order_by()
    )
    return {n: (either, both) for n, either, both in rows}


def test_people_giving_and_receiving_counts_what_the_exists_per_person_counted():
    call_command("generate_city", residents=3000, years=2, seed=5, stdout=StringIO())
    city = City.objects.get()
    ids = sorted(city.neighbourhoods.values_list("pk", flat=True))
    checked = 0
    for period in _periods():
        for some in (ids, ids[:3], ids[-1:]):
            expected = _giving_and_receiving_by_exists(city, period.until, some)
            assert people_giving_and_receiving(city, period.until, some) == expected
            checked += sum(both for _either, both in expected.values())
    assert checked > 0


def _texts_outside_by_exists(city, since, until, neighbourhood_ids):
    """The query texts_outside_categories made before: two EXISTS per text."""
    live = Tag.objects.filter(item=OuterRef("pk"), rejected=False, theme__status__in=LIVE)
    rows = (
        TextItem.objects.filter(city=city, neighbourhood__in=neighbourhood_ids, written_at__gte=since, written_at__lt=until)
        .filter(Exists(live))
        .annotate(inside=inside_a_category())
        .values_list("neighbourhood_id")
        .annotate(tagged=Count("pk"), outside=Count("pk", filter=Q(inside=False)))
        .order_by()
    )
    return {n: (tagged, outside) for n, tagged, outside in rows}


def test_texts_outside_categories_counts_what_the_exists_per_text_counted():
    call_command("generate_city", residents=3000, years=2, seed=5, stdout=StringIO())
    city = City.objects.get()
    # Some themes outside the categories, one live theme without any, one rejected tag: every case counts.
    themes = list(Theme.objects.filter(status__in=LIVE).order_by("pk"))
    themes[0].categories.clear()
    Theme.objects.filter(pk=themes[1].pk).update(outside_categories=True)
    Tag.objects.filter(pk=Tag.objects.filter(theme=themes[2]).order_by("pk").values("pk")[:1]).update(rejected=True)
    ids = sorted(city.neighbourhoods.values_list("pk", flat=True))
    outside = 0
    for period in _periods():
        for some in (ids, ids[:3], ids[-1:]):
            expected = _texts_outside_by_exists(city, period.since, period.until, some)
            assert texts_outside_categories(city, period.since, period.until, some) == expected
            outside += sum(out for _tagged, out in expected.values())
    assert outside > 0
