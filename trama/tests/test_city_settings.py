"""The coordinator's settings page for the city: who may see and change it, what it refuses, what it audits,
and that the small-count threshold it sets is the one the aggregates use."""

import pytest
from django.urls import reverse

from trama.market import services as market
from trama.market.queries import public_counts
from trama.people.models import Role
from trama.privacy.models import AuditEntry
from trama.privacy.suppression import threshold_for
from trama.territory.models import City, Neighbourhood

SETTINGS = reverse("city_settings")
THRESHOLD = reverse("territory:small_count_threshold")


def edit_url(neighbourhood):
    return reverse("territory:neighbourhood_edit", args=[neighbourhood.pk])


@pytest.fixture
def far(make_neighbourhood, make_user):
    """Another city, with its neighbourhood and its coordinator."""
    city = City.objects.create(name="Città lontana", slug="lontana", centre_lat=45.0, centre_lon=9.0)
    return {"city": city, "neighbourhood": make_neighbourhood("Oltre", city=city), "coordinator": make_user(Role.COORDINATOR, city=city)}


def as_user(client, user):
    client.force_login(user)
    return client


def neighbourhood_data(**changes):
    return {"name": "Borgo Alto", "code": "", "population": "12000", "is_pilot": "on", **changes}


# -- the page ----------------------------------------------------------------------------------------------


def test_coordinator_sees_every_setting_of_her_city_in_words(client, coordinator, neighbourhood, other_neighbourhood, far):
    page = as_user(client, coordinator).get(SETTINGS)
    assert page.status_code == 200
    text = page.content.decode()
    for words in (
        "Borgo Alto",
        "Borgo Basso",
        "Soglia dei conteggi piccoli",
        "i conteggi da 1 a 9",
        "Un&#x27;ora di tempo volontario",
        "Conservazione dei dati",
    ):
        assert words in text, words
    assert "Oltre" not in text  # another city's neighbourhood
    assert "market.Need" not in text and "volunteer_hour" not in text  # no internal codes on screen
    assert edit_url(neighbourhood) in text and THRESHOLD in text and reverse("market:rates") in text


def test_the_retention_schedule_shows_the_deployments_months(client, coordinator, settings):
    settings.TRAMA_RETENTION_MONTHS = {"market.Need": 48}
    text = as_user(client, coordinator).get(SETTINGS).content.decode()
    assert "previsti 24" in text and ">48" in text
    # The date each rule runs from, in words: never a field's code ("closed at").
    assert "<td>chiusura</td>" in text and "<td>ultima modifica</td>" in text
    assert " at</td>" not in text


@pytest.mark.parametrize("role", [Role.WORKER, Role.PARTNER, Role.ANTENNA, Role.CITIZEN])
def test_nobody_but_a_coordinator_opens_the_settings(client, users, role):
    assert as_user(client, users[role]).get(SETTINGS).status_code == 403


def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get(SETTINGS)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_settings_page_only_answers_get(client, coordinator):
    assert as_user(client, coordinator).post(SETTINGS).status_code == 405


def test_the_menu_shows_settings_to_coordinators_only(client, coordinator, worker):
    assert SETTINGS in as_user(client, coordinator).get(reverse("home")).content.decode()
    client.logout()
    assert SETTINGS not in as_user(client, worker).get(reverse("home")).content.decode()


# -- neighbourhoods ------------------------------------------------------------------------------------------


def test_coordinator_renames_a_neighbourhood_and_the_change_is_audited(client, coordinator, neighbourhood):
    response = as_user(client, coordinator).post(edit_url(neighbourhood), neighbourhood_data(name="Borgo Alto Nord", code="Q07", population="12500"))
    assert response.status_code == 302
    neighbourhood.refresh_from_db()
    assert (neighbourhood.name, neighbourhood.code, neighbourhood.population) == ("Borgo Alto Nord", "Q07", 12500)
    assert AuditEntry.objects.filter(
        actor=coordinator, action=AuditEntry.Action.UPDATE, object_type="territory.neighbourhood", object_id=str(neighbourhood.pk)
    ).exists()


def test_leaving_the_pilot_asks_for_a_confirmation(client, coordinator, neighbourhood):
    client = as_user(client, coordinator)
    refused = client.post(edit_url(neighbourhood), neighbourhood_data(is_pilot=""))
    assert refused.status_code == 400 and "conferma" in refused.content.decode()
    neighbourhood.refresh_from_db()
    assert neighbourhood.is_pilot
    assert client.post(edit_url(neighbourhood), neighbourhood_data(is_pilot="", confirm="on")).status_code == 302
    neighbourhood.refresh_from_db()
    assert not neighbourhood.is_pilot


def test_joining_the_pilot_needs_no_confirmation(client, coordinator, other_neighbourhood):
    response = as_user(client, coordinator).post(edit_url(other_neighbourhood), neighbourhood_data(name="Borgo Basso"))
    assert response.status_code == 302
    other_neighbourhood.refresh_from_db()
    assert other_neighbourhood.is_pilot


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"name": "Borgo Basso"}, "si chiama già così"),
        ({"name": "borgo basso"}, "si chiama già così"),
        ({"name": "   "}, "Campo obbligatorio"),
        ({"name": "<script>alert(1)</script>"}, "non può contenere"),
        ({"name": "x" * 500}, "più di 120 caratteri"),
        ({"population": "-5"}, "maggiore o uguale a 0"),
        ({"population": "molti"}, "Inserisci un numero intero"),
        ({"code": "<b>"}, "non può contenere"),
    ],
)
def test_bad_neighbourhood_input_is_refused_in_italian_and_nothing_changes(client, coordinator, neighbourhood, other_neighbourhood, changes, message):
    response = as_user(client, coordinator).post(edit_url(neighbourhood), neighbourhood_data(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    neighbourhood.refresh_from_db()
    assert (neighbourhood.name, neighbourhood.population, neighbourhood.code) == ("Borgo Alto", 12000, "")


@pytest.mark.parametrize("role", [Role.WORKER, Role.PARTNER, Role.ANTENNA, Role.CITIZEN])
def test_nobody_but_a_coordinator_changes_a_neighbourhood(client, users, neighbourhood, role):
    client = as_user(client, users[role])
    assert client.get(edit_url(neighbourhood)).status_code == 403
    assert client.post(edit_url(neighbourhood), neighbourhood_data(name="Preso")).status_code == 403
    neighbourhood.refresh_from_db()
    assert neighbourhood.name == "Borgo Alto"


def test_a_coordinator_does_not_change_another_citys_neighbourhood(client, coordinator, far):
    client = as_user(client, coordinator)
    assert client.get(edit_url(far["neighbourhood"])).status_code in (403, 404)
    assert client.post(edit_url(far["neighbourhood"]), neighbourhood_data(name="Preso")).status_code in (403, 404)
    assert Neighbourhood.objects.get(pk=far["neighbourhood"].pk).name == "Oltre"


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_the_neighbourhood_form_takes_only_get_and_post(client, coordinator, neighbourhood, method):
    assert getattr(as_user(client, coordinator), method)(edit_url(neighbourhood)).status_code == 405
    assert Neighbourhood.objects.filter(pk=neighbourhood.pk).exists()


# -- the small-count threshold ------------------------------------------------------------------------------


def test_coordinator_raises_the_threshold_and_the_aggregates_follow(client, coordinator, city, neighbourhood, organisation):
    for n in range(12):
        market.record_offer(
            person=None, organisation=organisation, kind="time", title=f"Offerta {n}", description="", neighbourhoods=[neighbourhood], by=coordinator
        )
    shown = public_counts(city)["offers_by_kind"]
    assert [cell.value for cell in shown.values() if not cell.hidden and cell.value] == [12]

    response = as_user(client, coordinator).post(THRESHOLD, {"threshold": "15"})
    assert response.status_code == 302
    city.refresh_from_db()
    assert city.small_count_threshold == 15 and threshold_for(city) == 15
    assert all(cell.hidden or not cell.value for cell in public_counts(city)["offers_by_kind"].values())
    entry = AuditEntry.objects.get(actor=coordinator, object_type="territory.city", object_id=str(city.pk))
    assert entry.action == AuditEntry.Action.UPDATE and "10 -> 15" in entry.reason


def test_lowering_the_threshold_asks_for_a_confirmation_and_never_goes_under_ten(client, coordinator, city):
    city.small_count_threshold = 15
    city.save()
    client = as_user(client, coordinator)
    refused = client.post(THRESHOLD, {"threshold": "12"})
    assert refused.status_code == 400 and "conferma" in refused.content.decode()
    city.refresh_from_db()
    assert city.small_count_threshold == 15
    assert client.post(THRESHOLD, {"threshold": "12", "confirm": "on"}).status_code == 302
    city.refresh_from_db()
    assert city.small_count_threshold == 12
    under = client.post(THRESHOLD, {"threshold": "9", "confirm": "on"})
    assert under.status_code == 400 and "non può scendere sotto 10" in under.content.decode()
    city.refresh_from_db()
    assert city.small_count_threshold == 12


def test_the_deployments_threshold_is_the_floor(client, coordinator, city, settings):
    settings.TRAMA_SMALL_COUNT_THRESHOLD = 20
    assert threshold_for(city) == 20
    response = as_user(client, coordinator).post(THRESHOLD, {"threshold": "15"})
    assert response.status_code == 400 and "non può scendere sotto 20" in response.content.decode()
    city.refresh_from_db()
    assert city.small_count_threshold == 10


@pytest.mark.parametrize("value", ["", "dieci", "-1", "0", "1e3", "101", "99999999999999999999", "<script>"])
def test_bad_thresholds_are_refused_and_nothing_changes(client, coordinator, city, value):
    response = as_user(client, coordinator).post(THRESHOLD, {"threshold": value, "confirm": "on"})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    city.refresh_from_db()
    assert city.small_count_threshold == 10
    assert not AuditEntry.objects.filter(object_type="territory.city").exists()


@pytest.mark.parametrize("role", [Role.WORKER, Role.PARTNER, Role.ANTENNA, Role.CITIZEN])
def test_nobody_but_a_coordinator_changes_the_threshold(client, users, city, role):
    client = as_user(client, users[role])
    assert client.get(THRESHOLD).status_code == 403
    assert client.post(THRESHOLD, {"threshold": "50"}).status_code == 403
    city.refresh_from_db()
    assert city.small_count_threshold == 10


def test_a_coordinator_changes_only_her_own_citys_threshold(client, city, far):
    assert as_user(client, far["coordinator"]).post(THRESHOLD, {"threshold": "30"}).status_code == 302
    city.refresh_from_db()
    far["city"].refresh_from_db()
    assert (city.small_count_threshold, far["city"].small_count_threshold) == (10, 30)


def test_a_visitor_cannot_change_the_threshold(client, city):
    response = client.post(THRESHOLD, {"threshold": "50"})
    assert response.status_code == 302 and reverse("login") in response["Location"]
    city.refresh_from_db()
    assert city.small_count_threshold == 10
