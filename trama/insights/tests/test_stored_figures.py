"""Stored figures (figures.py): the dashboard reads them, a change shows within the stated delay,
and each scope reads only the figures of its own areas."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from trama.insights import figures, indicators, periods
from trama.insights.models import SourceChange, StoredFigures
from trama.insights.queries import areas_for
from trama.people.models import Role

pytestmark = pytest.mark.django_db
URL = reverse("insights:dashboard")
QUEUED_ONLY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
HOURS = indicators.REGISTRY["g1_hours"]


@pytest.fixture
def coordinator(client, users, neighbourhood, other_neighbourhood):
    client.force_login(users[Role.COORDINATOR])
    return users[Role.COORDINATOR]


def hours_in(response, area_key="city"):
    """The hours given in `area_key`, as the view computed them and as the page shows them (the cards
    are kept drawn: they must be drawn again when a figure changes)."""
    import re

    for _goal, _label, rows in response.context["goals"]:
        for item, values in rows:
            if item.key == HOURS.key:
                by_key = {area.key: (area, value.value) for area, value in values}
                if area_key not in by_key:
                    return None
                area, value = by_key[area_key]
                table = response.content.decode().split('data-testid="table-g1_hours"', 1)[1].split("</table>", 1)[0]
                shown = re.search(r'<th scope="row">' + re.escape(str(area.label)) + r"</th>\s*<td>([^<]*)</td>", table)
                assert shown and shown.group(1).strip() == HOURS.display(value), (shown, value)
                return value
    raise AssertionError("g1_hours is not on the page")


def test_stored_figures_are_the_computed_ones_for_every_indicator(city, users, neighbourhood, other_neighbourhood, give, make_organisation):
    give("hours", 12, organisation=make_organisation())
    give("euros", 40, organisation=make_organisation(name="Bottega"), on=timezone.localdate())
    areas = areas_for(users[Role.COORDINATOR], city)
    items = list(indicators.REGISTRY.values())
    for period in [periods.parse("2025-T1"), periods.current()]:
        computed = indicators.compute(items, city, period, areas)
        assert figures.evaluate(items, city, period, areas) == computed  # the first look stores them
        assert StoredFigures.objects.filter(period=period.param).count() == len(items)
        assert figures.evaluate(items, city, period, areas) == computed  # read back: Decimals, breakdowns, reasons


def test_a_new_contribution_shows_on_the_next_look_at_the_current_period(client, coordinator, give, make_organisation):
    today = timezone.localdate()
    give("hours", 3, organisation=make_organisation(), on=today)
    assert hours_in(client.get(URL)) == 3
    give("hours", 4, organisation=make_organisation(name="Bottega"), on=today)
    assert hours_in(client.get(URL)) == 7


def test_a_late_entry_in_a_closed_period_shows_up(client, coordinator, give, make_organisation):
    give("hours", 3, organisation=make_organisation())  # 15 February 2025
    assert hours_in(client.get(URL, {"periodo": "2025-T1"})) == 3
    give("hours", 5, organisation=make_organisation(name="Bottega"))
    assert hours_in(client.get(URL, {"periodo": "2025-T1"})) == 8


def test_with_a_worker_the_page_shows_the_stored_figures_says_when_and_that_an_update_is_coming(client, coordinator, give, make_organisation):
    from django_tasks import default_task_backend

    today = timezone.localdate()
    give("hours", 3, organisation=make_organisation(), on=today)
    first = client.get(URL)
    assert hours_in(first) == 3 and 'data-testid="figures-time"' in first.content.decode()
    give("hours", 4, organisation=make_organisation(name="Bottega"), on=today)
    with override_settings(TASKS=QUEUED_ONLY):
        waiting = client.get(URL)
        assert hours_in(waiting) == 3  # read, not computed: the worker has not run yet
        assert "Aggiornamento dei valori: in corso." in waiting.content.decode()
        assert f'hx-get="{reverse("insights:figures_progress")}"' in waiting.content.decode()
        assert "Aggiornamento dei valori: in corso." in client.get(reverse("insights:figures_progress")).content.decode()
        queued = list(default_task_backend.results)  # the dashboard's areas and the map's neighbourhoods
        assert queued and {r.task.name for r in queued} == {"refresh_figures"}
        client.get(URL)
        assert len(default_task_backend.results) == len(queued)  # asked once, not at every look
        for result in queued:
            result.task.call(*result.args, **result.kwargs)  # what the worker does
        polled = client.get(reverse("insights:figures_progress")).content.decode()
        assert "Aggiornamento dei valori: fatto." in polled and "hx-get" not in polled and 'href="/indicatori/"' in polled
    done = client.get(URL)
    assert hours_in(done) == 7 and "Aggiornamento dei valori" not in done.content.decode()


def test_the_open_period_is_recomputed_when_older_than_its_stated_age_even_without_a_noted_change(client, coordinator, give, make_organisation):
    from trama.market.models import Contribution

    today = timezone.localdate()
    give("hours", 3, organisation=make_organisation(), on=today)
    assert hours_in(client.get(URL)) == 3
    Contribution.objects.update(quantity=9)  # a bulk write: no signal, no SourceChange
    assert hours_in(client.get(URL)) == 3
    StoredFigures.objects.update(computed_at=timezone.now() - figures.MAX_AGE - timedelta(seconds=1))
    assert hours_in(client.get(URL)) == 9


def test_a_worker_reads_the_figures_of_their_own_neighbourhoods_never_the_coordinator_s(
    client, coordinator, users, neighbourhood, other_neighbourhood, give, make_organisation
):
    give("hours", 3, organisation=make_organisation(), where=neighbourhood)
    give("hours", 5, organisation=make_organisation(name="Bottega"), where=other_neighbourhood)
    assert hours_in(client.get(URL, {"periodo": "2025-T1"})) == 8  # the coordinator's whole city, stored
    client.force_login(users[Role.WORKER])  # a worker of `neighbourhood` only
    page = client.get(URL, {"periodo": "2025-T1"})
    assert [area.label for area in page.context["areas"]] == [neighbourhood.name]
    assert hours_in(page, f"q{neighbourhood.pk}") == 3 and hours_in(page, "city") is None
    assert other_neighbourhood.name not in page.content.decode()
    mine, theirs = (figures._digest(areas_for(user, coordinator.city)) for user in (users[Role.WORKER], coordinator))
    assert mine != theirs and StoredFigures.objects.filter(areas=mine).exists()


def test_old_changes_are_forgotten_but_the_latest_is_kept():
    SourceChange.objects.all().delete()
    now = timezone.now()
    SourceChange.objects.bulk_create([SourceChange(at=now - timedelta(days=3)), SourceChange(at=now - timedelta(days=2))])
    figures.forget_old_changes(now)
    assert list(SourceChange.objects.values_list("at", flat=True)) == [now - timedelta(days=2)]
    SourceChange.objects.create(at=now)
    figures.forget_old_changes(now)
    assert list(SourceChange.objects.values_list("at", flat=True)) == [now]
