from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

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
    assert "Il modulo esiste ma questo indicatore non è ancora collegato." in page


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


def test_a_chart_without_data_is_still_a_png(client, coordinator):
    response = client.get(reverse("insights:chart", args=["g4_groups"]))
    assert response["Content-Type"] == "image/png"


def test_a_chart_of_an_unknown_indicator_is_a_404_and_a_bad_period_a_400(client, coordinator):
    assert client.get(reverse("insights:chart", args=["nessuno"])).status_code == 404
    assert client.get(reverse("insights:chart", args=["g1_value"]), {"periodo": "x"}).status_code == 400


def test_queries_do_not_grow_with_the_records(client, coordinator, neighbourhood, make_organisation, make_person, give,
                                              make_antenna, send_signal):
    organisation = make_organisation()

    def add(n):
        for i in range(n):
            give("hours", 1, organisation=organisation)
            make_person(channel=Person.Channel.ANTENNA, known=False, name=f"P{i}")
            send_signal(make_antenna(neighbourhood), neighbourhood, day=date(2025, 2, 1))

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, {"periodo": "2025-T1"}).status_code == 200
        return len(queries)

    add(1)
    few = count()
    add(6)
    assert count() == few
