"""The current period's figures prepared by the worker (`manage.py prepare_figures`, services.prepare_open_figures):
the first look of the day reads them, a change still shows on the next look, and each account reads
only the figures of its own areas."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from trama.insights import figures, indicators, periods
from trama.insights.models import StoredFigures
from trama.insights.queries import areas_for, neighbourhood_areas
from trama.insights.services import prepare_open_figures
from trama.people.models import Role
from trama.territory.models import City, Neighbourhood

from .test_stored_figures import hours_in

pytestmark = pytest.mark.django_db
URL = reverse("insights:dashboard")


def stored_for(user, city, areas_of=areas_for):
    key = figures._key(city, periods.default(), areas_of(user, city))
    return StoredFigures.objects.filter(**key)


def test_prepared_figures_are_read_by_the_first_look_not_computed(client, city, users, neighbourhood, other_neighbourhood, give, make_organisation):
    give("hours", 3, organisation=make_organisation(), on=timezone.localdate())
    coordinator = users[Role.COORDINATOR]
    assert not StoredFigures.objects.exists()
    assert prepare_open_figures() == 2  # the coordinators' city and the worker's neighbourhood
    prepared = dict(stored_for(coordinator, city).values_list("indicator", "computed_at"))
    assert set(prepared) == set(indicators.REGISTRY)
    assert stored_for(coordinator, city, neighbourhood_areas).count() == 1  # the map's first indicator
    client.force_login(coordinator)
    assert hours_in(client.get(URL)) == 3
    assert dict(stored_for(coordinator, city).values_list("indicator", "computed_at")) == prepared  # read, not computed again


def test_a_second_run_computes_nothing_new_and_a_change_is_computed_again(city, users, neighbourhood, give, make_organisation):
    coordinator = users[Role.COORDINATOR]
    areas = areas_for(coordinator, city)
    assert figures.prepare(city, periods.default(), areas) == list(indicators.REGISTRY)
    assert figures.prepare(city, periods.default(), areas) == []
    give("hours", 4, organisation=make_organisation(), on=timezone.localdate())  # a SourceChange
    assert figures.prepare(city, periods.default(), areas) == list(indicators.REGISTRY)
    value = figures.evaluate([indicators.REGISTRY["g1_hours"]], city, periods.default(), areas)["g1_hours"]["city"]
    assert value.value == 4


def test_a_change_after_the_preparation_shows_on_the_next_look(client, users, give, make_organisation):
    give("hours", 2, organisation=make_organisation(), on=timezone.localdate())
    prepare_open_figures()
    client.force_login(users[Role.COORDINATOR])
    assert hours_in(client.get(URL)) == 2
    give("hours", 6, organisation=make_organisation(name="Bottega"), on=timezone.localdate())
    assert hours_in(client.get(URL)) == 8


def test_each_account_reads_only_its_own_scope_s_prepared_figures(
    client, city, users, neighbourhood, other_neighbourhood, give, make_organisation, make_user
):
    today = timezone.localdate()
    give("hours", 3, organisation=make_organisation(), where=neighbourhood, on=today)
    give("hours", 5, organisation=make_organisation(name="Bottega"), where=other_neighbourhood, on=today)
    elsewhere = City.objects.create(name="Altra città", slug="altra", centre_lat=45.0, centre_lon=9.0)
    far = Neighbourhood.objects.create(city=elsewhere, name="Borgo Lontano", slug="lontano", population=5000)
    far_worker = make_user(Role.WORKER, [far], city=elsewhere)
    prepare_open_figures()
    worker = users[Role.WORKER]
    client.force_login(worker)
    page = client.get(URL)
    assert hours_in(page, f"q{neighbourhood.pk}") == 3 and hours_in(page, "city") is None
    assert other_neighbourhood.name not in page.content.decode()
    client.force_login(far_worker)
    page = client.get(URL)
    assert [area.label for area in page.context["areas"]] == [far.name]
    assert neighbourhood.name not in page.content.decode() and other_neighbourhood.name not in page.content.decode()
    assert not StoredFigures.objects.filter(city=elsewhere, areas=figures._digest(areas_for(worker, city))).exists()


def test_accounts_that_do_not_see_the_dashboard_or_are_inactive_are_not_prepared(city, users, neighbourhood, other_neighbourhood, make_user):
    users[Role.COORDINATOR].is_active = False
    users[Role.COORDINATOR].save()
    antenna_only = make_user(Role.ANTENNA, [other_neighbourhood])
    assert prepare_open_figures() == 1  # the worker alone
    assert stored_for(users[Role.WORKER], city).exists()
    assert not stored_for(users[Role.COORDINATOR], city).exists()
    assert not stored_for(antenna_only, city).exists()


def test_the_command_prepares_now_or_queues_for_the_worker(city, users, capsys):
    call_command("prepare_figures")
    assert "2 sets of areas prepared" in capsys.readouterr().out
    StoredFigures.objects.all().delete()
    call_command("prepare_figures", "--city", "prova", "--in-background")  # the tests' task backend runs it at once
    assert "queued" in capsys.readouterr().out
    assert stored_for(users[Role.COORDINATOR], city).count() == len(indicators.REGISTRY)
    call_command("prepare_figures", "--city", "nessuna")
    assert "no city nessuna" in capsys.readouterr().err
