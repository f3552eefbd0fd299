from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trama.insights import figures, periods
from trama.people.models import Person, Role

pytestmark = pytest.mark.django_db
URL = reverse("insights:dashboard")


@pytest.fixture
def coordinator(client, users, neighbourhood, other_neighbourhood):
    client.force_login(users[Role.COORDINATOR])
    return users[Role.COORDINATOR]


def test_coordinator_sees_every_goal_with_definitions_and_the_pilot_comparison(client, coordinator, make_organisation, give):
    give("hours", 12, organisation=make_organisation())
    response = client.get(URL, {"periodo": "2025-T1"})
    page = response.content.decode()
    assert response.status_code == 200
    for goal in ("G1", "G2", "G3", "G4", "G5", "G6"):
        assert f'id="goal-{goal}"' in page
    assert "Ore di tempo registrate come contributi nel periodo" in page  # a definition beside its card
    assert "Resto della città" in page and "Tutta la città" in page
    assert reverse("insights:chart", args=["g1_hours"]) + "?periodo=2025-T1" in page
    assert '<th scope="row">Borgo Alto</th>' in page and "<caption>Ore di tempo donate" in page
    assert "Nessun gruppo ancora registrato." in page


def test_the_default_period_is_the_current_quarter(client, coordinator):
    response = client.get(URL)
    assert response.status_code == 200 and "trimestre" in response.context["period"].label


@pytest.mark.parametrize("value", ["2025-T9", "domani", "<script>alert(1)</script>", "2025-13", "1' OR '1'='1", "9" * 3000, ""])
def test_a_bad_period_is_a_400_with_a_message(client, coordinator, value):
    response = client.get(URL, {"periodo": value})
    assert response.status_code == 400
    assert "Periodo non valido" in response.content.decode() or "L&#x27;anno deve" in response.content.decode()
    assert "<script>alert" not in response.content.decode()


def test_a_worker_sees_only_their_own_neighbourhoods(client, users, neighbourhood, other_neighbourhood, make_organisation, give):
    organisation = make_organisation()
    give("hours", 3, organisation=organisation)
    give("hours", 5, organisation=organisation, where=other_neighbourhood)
    client.force_login(users[Role.WORKER])
    page = client.get(URL, {"periodo": "2025-T1"}).content.decode()
    assert "Borgo Alto" in page and "Borgo Basso" not in page and "Resto della città" not in page


@pytest.mark.parametrize("role", [Role.PARTNER, Role.ANTENNA, Role.CITIZEN])
def test_other_roles_are_refused(client, users, role):
    client.force_login(users[role])
    assert client.get(URL).status_code == 403
    assert client.get(reverse("insights:chart", args=["g1_value"])).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_chart_is_a_png(client, coordinator, make_organisation, give):
    give("hours", 12, organisation=make_organisation())
    response = client.get(reverse("insights:chart", args=["g1_hours"]), {"periodo": "2025-T1"})
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")


def _png_size(png):
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def test_the_page_keeps_the_place_of_each_chart_at_its_drawn_size(client, coordinator, make_organisation, give):
    """A lazy image without a size is 0 px tall until it loads: the page would jump, and one below the fold never loads."""
    give("hours", 12, organisation=make_organisation())
    page = client.get(URL, {"periodo": "2025-T1"}).content.decode()
    png = client.get(reverse("insights:chart", args=["g1_hours"]), {"periodo": "2025-T1"}).content
    width, height = _png_size(png)
    assert f'data-testid="chart-g1_hours" width="{width}" height="{height}"' in page
    trend = client.get(reverse("insights:trend", args=["g1_hours"]), {"periodo": "2025-T1"}, HTTP_HX_REQUEST="true").content.decode()
    width, height = _png_size(client.get(reverse("insights:trend_chart", args=["g1_hours"]), {"periodo": "2025-T1"}).content)
    assert f'data-testid="trend-chart-g1_hours" width="{width}" height="{height}"' in trend


def test_a_chart_without_data_is_still_a_png(client, coordinator):
    response = client.get(reverse("insights:chart", args=["g4_groups"]))
    assert response["Content-Type"] == "image/png"


def test_a_chart_of_an_unknown_indicator_is_a_404_and_a_bad_period_a_400(client, coordinator):
    assert client.get(reverse("insights:chart", args=["nessuno"])).status_code == 404
    assert client.get(reverse("insights:chart", args=["g1_value"]), {"periodo": "x"}).status_code == 400


@pytest.fixture
def add_records(
    neighbourhood,
    other_neighbourhood,
    make_organisation,
    make_person,
    give,
    make_antenna,
    send_signal,
    make_initiative,
    make_object,
    take_part,
    make_group,
    make_meeting,
    make_theme,
    make_item,
    worker,
):
    """`add(n)` records n more of every kind the indicators read, all in the first quarter of 2025."""
    from trama.initiatives.models import Initiative
    from trama.market import services as market

    organisation, obj = make_organisation(), make_object("Compiti insieme")
    both = [neighbourhood, other_neighbourhood]

    def add(n):
        for i in range(n):
            give("hours", 1, organisation=organisation)
            person = make_person(channel=Person.Channel.ANTENNA, known=False, name=f"P{i}")
            send_signal(make_antenna(neighbourhood), neighbourhood, day=date(2025, 2, 1))
            market.record_need(person=person, text="Una mano", neighbourhood=neighbourhood, urgency="low", by=worker)
            initiative = make_initiative(both, date(2025, 1, 2), [(Initiative.Stage.INCUBATION, date(2025, 1, 20))], obj=obj)
            take_part(initiative, person, date(2025, 2, 1), first_contact=True)
            group = make_group(neighbourhood, date(2025, 1, 10), members=[person])
            make_meeting(neighbourhood, date(2025, 2, 3), group, attendees=[person], count=3)
            make_item(neighbourhood, date(2025, 2, 4), [make_theme(f"Tema {i}")])

    return add


def test_queries_do_not_grow_with_the_records(client, coordinator, add_records):
    def count():
        figures.forget()  # figures are stored: measure the full computation each time
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, {"periodo": "2025-T1", "indicatore": "g5_participants"}).status_code == 200
        return len(queries)

    add_records(2)
    few = count()
    add_records(18)
    assert count() == few


def test_the_trend_costs_the_same_whatever_the_records(client, coordinator, add_records):
    def count():
        figures.forget()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("insights:trend", args=["g4_attendance"]), {"periodo": "2025"}).status_code == 200
        return len(queries)

    add_records(2)
    few = count()
    add_records(18)
    assert count() == few


def test_opening_the_dashboard_again_reads_the_stored_figures_of_any_period(client, coordinator, add_records):
    add_records(2)

    def count(period):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, {"periodo": period}).status_code == 200
        return len(queries)

    for period in ["2025-T1", periods.current().param]:
        first = count(period)
        assert count(period) < first - 20  # about fifty queries of the indicators become one read


def test_the_map_table_gives_the_chosen_indicator_in_every_neighbourhood(
    client, coordinator, neighbourhood, other_neighbourhood, make_organisation, give
):
    give("hours", 12, organisation=make_organisation())
    response = client.get(URL, {"periodo": "2025-T1", "indicatore": "g1_hours"})
    page = response.content.decode()
    assert response.context["map_item"].key == "g1_hours"
    rows = {area.label: number for area, _pk, _value, number in response.context["map_rows"]}
    assert rows == {"Borgo Alto": pytest.approx(1.0), "Borgo Basso": pytest.approx(0.0)}  # per 1,000 residents
    assert f'data-neighbourhood="{neighbourhood.pk}" data-value="1.000000"' in page
    assert 'id="mappa-indicatori"' in page and "insights/choropleth.js" in page and "<caption>Ore di tempo donate" in page
    assert '<option value="g1_hours" selected>' in page


def test_a_worker_s_map_has_only_their_neighbourhoods(client, users, neighbourhood, other_neighbourhood):
    client.force_login(users[Role.WORKER])
    response = client.get(URL, {"periodo": "2025-T1"})
    assert [area.label for area, *_rest in response.context["map_rows"]] == ["Borgo Alto"]


@pytest.mark.parametrize("value", ["nessuno", "<script>", "g1_value' --", "x" * 3000])
def test_an_unknown_indicator_for_the_map_is_a_400(client, coordinator, value):
    response = client.get(URL, {"indicatore": value})
    assert response.status_code == 400 and "Indicatore non valido" in response.content.decode()


def test_the_trend_is_a_fragment_for_htmx_and_a_page_otherwise(client, coordinator, make_organisation, give):
    organisation = make_organisation()
    give("hours", 12, on=date(2025, 2, 15), organisation=organisation)
    give("hours", 3, on=date(2024, 11, 2), organisation=organisation)
    url = reverse("insights:trend", args=["g1_hours"])
    fragment = client.get(url, {"periodo": "2025-T1"}, headers={"HX-Request": "true"})
    body = fragment.content.decode()
    assert "<html" not in body and 'data-testid="trend-table-g1_hours"' in body
    assert [m.param for m in fragment.context["months"]][0] == "2024-04" and fragment.context["months"][-1].param == "2025-03"
    cells = {month.param: [v.value for _a, v in values] for month, values in fragment.context["table"]}
    assert cells["2025-02"] == [12, 0, 12] and cells["2024-11"] == [3, 0, 3] and cells["2025-01"] == [0, 0, 0]
    assert reverse("insights:trend_chart", args=["g1_hours"]) + "?periodo=2025-T1" in body
    page = client.get(url, {"periodo": "2025-T1"}).content.decode()
    assert "<html" in page and "<h2" in page and "Ore di tempo registrate come contributi" in page


def test_the_dashboard_loads_each_trend_when_its_card_is_seen(client, coordinator, make_organisation, give):
    give("hours", 12, organisation=make_organisation())
    page = client.get(URL, {"periodo": "2025-T1"}).content.decode()
    trend = reverse("insights:trend", args=["g1_hours"]) + "?periodo=2025-T1"
    assert f'hx-get="{trend}" hx-trigger="intersect once"' in page
    assert f'<a href="{trend}">' in page  # without scripts, a link to the same trend


def test_a_trend_chart_is_a_png_and_refuses_bad_input(client, coordinator, make_organisation, give):
    give("hours", 12, organisation=make_organisation())
    response = client.get(reverse("insights:trend_chart", args=["g1_hours"]), {"periodo": "2025"})
    assert response["Content-Type"] == "image/png" and response.content.startswith(b"\x89PNG")
    assert client.get(reverse("insights:trend_chart", args=["g4_groups"])).status_code == 200  # no data: still a picture
    assert client.get(reverse("insights:trend_chart", args=["nessuno"])).status_code == 404
    assert client.get(reverse("insights:trend", args=["g1_hours"]), {"periodo": "2025-T7"}).status_code == 400
