"""Issue 18, step 3: a worker writes down a need or an offer that came on paper, by phone or in person, and says how;
what people write themselves on the site is marked so; the indicators count them apart (insights' tests)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from trama.attention import services as attention
from trama.market import services
from trama.market.models import RECORDED_CHANNELS, Channel, Need, Offer
from trama.people.models import Role

pytestmark = pytest.mark.django_db


def test_a_worker_records_a_need_from_a_paper_card_with_what_the_person_could_give(client, worker, make_person, neighbourhood):
    person = make_person()
    client.force_login(worker)
    url = reverse("market:need_create") + f"?persona={person.pk}"
    page = client.get(url).content.decode()
    assert 'name="channel"' in page and "Come è arrivata" in page
    response = client.post(
        url,
        {"text": "Qualcuno per la spesa il giovedì", "neighbourhood": neighbourhood.pk, "urgency": "low", "channel": "card",
         "give_kind": "skill", "give_text": "Aggiusto biciclette"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Need.objects.get().channel == "card" and Offer.objects.get().channel == "card"


def test_a_worker_records_an_offer_from_a_phone_call(client, worker, make_person, neighbourhood):
    person = make_person()
    client.force_login(worker)
    response = client.post(
        reverse("market:offer_create") + f"?persona={person.pk}",
        {"kind": "time", "title": "Compagnia la sera", "neighbourhoods": [neighbourhood.pk], "capacity": 1, "channel": "phone"},
    )
    assert response.status_code == 302 and Offer.objects.get().channel == "phone"


@pytest.mark.parametrize("channel", ["fax", "web", "<script>", "x" * 5000])
def test_a_channel_outside_the_list_is_refused_and_nothing_is_stored(client, worker, make_person, neighbourhood, channel):
    person = make_person()
    client.force_login(worker)
    response = client.post(
        reverse("market:need_create") + f"?persona={person.pk}",
        {"text": "Qualcuno per la spesa", "neighbourhood": neighbourhood.pk, "urgency": "low", "channel": channel},
    )
    assert response.status_code == 400
    assert "Scegli come è arrivata dall&#x27;elenco." in response.content.decode()
    assert not Need.objects.exists()


def test_what_people_write_themselves_is_marked_as_from_the_site(client, users, neighbourhood, make_person):
    citizen = users[Role.CITIZEN]
    client.force_login(citizen)
    page = client.get(reverse("market:need_create")).content.decode()
    assert 'name="channel"' not in page  # she is not asked how her own words reached us
    response = client.post(
        reverse("market:need_create"), {"text": "Un passaggio dal medico", "neighbourhood": neighbourhood.pk, "urgency": "low", "channel": "card"}
    )
    assert response.status_code == 302 and Need.objects.get().channel == "web"
    draft = {"side": "offer", "data": {"kind": "time", "title": "Leggo ad alta voce", "neighbourhood": neighbourhood.pk}}
    assert services.publish_draft(draft, person=make_person(), by=None).channel == "web"


# -- the encounter (attention's "incontro") records the channel of what comes out of it ------------------------


def _encounter(neighbourhood, setting, **extra):
    return {
        "neighbourhood": neighbourhood.pk,
        "setting": setting,
        "happened_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "register": "on",
        "display_name": "Nonna Pina",
        "channel": "antenna",
        "known_to_services": "no",
        "consent_registration": "on",
        "need_text": "Una mano con la spesa",
        "offer_text": "So cucire",
        **extra,
    }


@pytest.mark.parametrize(
    "setting, channel",
    [("phone", "phone"), ("street", "in_person"), ("home", "in_person"), ("community_point", "in_person"), ("activity", "in_person")],
)
def test_an_encounter_records_how_its_need_and_offer_arrived(client, worker, neighbourhood, setting, channel):
    client.force_login(worker)
    assert client.post(reverse("attention:encounter_create"), _encounter(neighbourhood, setting)).status_code == 302
    need, offer = Need.objects.get(), Offer.objects.get()
    assert need.channel == offer.channel == channel
    assert Channel(channel) in RECORDED_CHANNELS  # counted by the indicators as reaching beyond the site


def test_an_encounter_with_an_existing_person_records_the_channel_too(worker, make_person, neighbourhood):
    person = make_person(where=neighbourhood)
    attention.record_encounter(
        by=worker, neighbourhood=neighbourhood, setting="phone", happened_at=timezone.now(), person=person, need_text="Compagnia"
    )
    assert Need.objects.get(person=person).channel == "phone"


@pytest.mark.parametrize("role", ["worker_elsewhere", "partner", "antenna", "citizen", "anonymous"])
def test_nobody_else_records_an_encounter_and_nothing_reaches_the_market(client, users, make_user, other_neighbourhood, neighbourhood, role):
    if role == "worker_elsewhere":
        client.force_login(make_user(Role.WORKER, neighbourhoods=[other_neighbourhood]))
    elif role != "anonymous":
        client.force_login(users[Role(role)])
    response = client.post(reverse("attention:encounter_create"), _encounter(neighbourhood, "phone"))
    assert response.status_code == {"worker_elsewhere": 400, "anonymous": 302}.get(role, 403)
    assert not Need.objects.exists() and not Offer.objects.exists()
