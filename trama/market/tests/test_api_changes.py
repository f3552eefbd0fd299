"""Editing offers and needs, changing their status and following matches up, through the API."""

from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from trama.market import services
from trama.market.models import Match, Need, Offer
from trama.people.models import Organisation, Role
from trama.privacy.models import AuditEntry
from trama.territory.models import City, Neighbourhood
from trama.testing import ANON, ROLES

pytestmark = pytest.mark.django_db

HUGE = "x" * 100_000
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def api(users):
    def as_role(role):
        client = APIClient()
        if role != ANON:
            client.force_authenticate(users[role] if isinstance(role, str) else role)
        return client

    return as_role


@pytest.fixture
def citizen_person(make_person, users):
    return make_person(account=users[Role.CITIZEN])


@pytest.fixture
def accepted_match(users, make_need, make_offer, citizen_person):
    match = services.propose_match(need=make_need(person=citizen_person), offer=make_offer(), by=users[Role.WORKER])
    services.answer_match(match, side="need", yes=True, by=users[Role.WORKER])
    return services.answer_match(match, side="offer", yes=True, by=users[Role.WORKER])


@pytest.fixture
def stranger_worker(make_user, other_neighbourhood):
    return make_user(Role.WORKER, [other_neighbourhood])


def stored(obj):
    """Everything stored about `obj` (and how many audit entries exist), to prove a refusal changed nothing."""
    obj.refresh_from_db()
    data = {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}
    if isinstance(obj, Offer):
        data["neighbourhoods"] = sorted(obj.neighbourhoods.values_list("pk", flat=True))
    if isinstance(obj, Match):
        data["need"], data["offer"] = stored(obj.need), stored(obj.offer)
    return data, AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE).count()


def assert_refused(response, allowed_codes=(401, 403)):
    assert response.status_code in allowed_codes, (response.status_code, response.content[:300])


def audited(obj, reason):
    return AuditEntry.objects.filter(
        action=AuditEntry.Action.UPDATE,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        reason__contains=reason,
    ).exists()


# -- offers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES, ids=str)
def test_only_the_roles_of_the_edit_page_may_edit_an_organisations_offer(api, make_offer, role):
    offer = make_offer("Sala riunioni")
    before = stored(offer)
    response = api(role).patch(reverse("api-market-offer", args=[offer.pk]), {"title": "Sala grande"}, format="json")
    if role in (Role.COORDINATOR, Role.WORKER, Role.PARTNER):
        assert response.status_code == 200, response.data
        offer.refresh_from_db()
        assert offer.title == response.json()["title"] == "Sala grande"
        assert audited(offer, "offerta modificata")
    else:
        assert_refused(response)
        assert stored(offer) == before


def test_a_citizen_edits_their_own_offer_and_not_anothers(api, make_offer, make_person, citizen_person):
    own, other = make_offer(person=citizen_person), make_offer(person=make_person(name="Lia"))
    assert api(Role.CITIZEN).patch(reverse("api-market-offer", args=[own.pk]), {"capacity": 3}, format="json").status_code == 200
    before = stored(other)
    assert_refused(api(Role.CITIZEN).patch(reverse("api-market-offer", args=[other.pk]), {"capacity": 3}, format="json"))
    assert stored(other) == before


def test_a_worker_of_another_neighbourhood_cannot_edit_or_pause_an_offer(api, make_offer, stranger_worker):
    offer = make_offer()
    before = stored(offer)
    assert api(stranger_worker).patch(reverse("api-market-offer", args=[offer.pk]), {"title": "Mia"}, format="json").status_code == 403
    assert api(stranger_worker).post(reverse("api-market-offer-status", args=[offer.pk]), {"status": "paused"}, format="json").status_code == 403
    assert stored(offer) == before


def test_put_replaces_the_editable_fields_but_not_who_gives(api, make_offer, city, organisation, neighbourhood, other_neighbourhood):
    offer = make_offer()
    elsewhere = Organisation.objects.create(city=city, name="Altra")
    response = api(Role.WORKER).put(
        reverse("api-market-offer", args=[offer.pk]),
        {
            "kind": "space",
            "title": "Cortile",
            "description": "Per le feste",
            "neighbourhoods": [neighbourhood.pk, other_neighbourhood.pk],
            "capacity": 4,
            "days": 3,
            "slots": 1,
            "organisation": elsewhere.pk,
        },
        format="json",
    )
    assert response.status_code == 200, response.data
    offer.refresh_from_db()
    assert (offer.kind, offer.title, offer.capacity, offer.organisation) == ("space", "Cortile", 4, organisation)
    assert set(offer.neighbourhoods.all()) == {neighbourhood, other_neighbourhood}


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"title": "x" * 151}, "title"),
        ({"title": ""}, "title"),
        ({"description": HUGE}, "description"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": 10**6}, "capacity"),
        ({"capacity": "<b>2</b>"}, "capacity"),
        ({"days": 128}, "days"),
        ({"available_until": "2020-01-01"}, "available_until"),
        ({"available_from": "ieri"}, "available_from"),
        ({"neighbourhoods": []}, "neighbourhoods"),
        ({"neighbourhoods": [999999]}, "neighbourhoods"),
        ({"kind": SCRIPT}, "kind"),
    ],
)
def test_a_bad_offer_edit_is_a_400_on_its_field_and_changes_nothing(api, make_offer, payload, field):
    offer = make_offer(available_from=date(2026, 6, 1))
    before = stored(offer)
    response = api(Role.WORKER).patch(reverse("api-market-offer", args=[offer.pk]), payload, format="json")
    assert response.status_code == 400 and field in response.json(), response.content[:300]
    assert stored(offer) == before


def test_an_offer_cannot_move_to_a_neighbourhood_of_another_city(api, make_offer):
    offer = make_offer()
    elsewhere = City.objects.create(name="Altrove", slug="altrove", centre_lat=45, centre_lon=9)
    far = Neighbourhood.objects.create(city=elsewhere, name="Lontano", slug="lontano")
    before = stored(offer)
    response = api(Role.COORDINATOR).patch(reverse("api-market-offer", args=[offer.pk]), {"neighbourhoods": [far.pk]}, format="json")
    assert response.status_code == 400 and "neighbourhoods" in response.json()
    assert stored(offer) == before


def test_a_malformed_body_is_a_400_and_changes_nothing(api, make_offer):
    offer = make_offer()
    before = stored(offer)
    response = api(Role.WORKER).generic("PATCH", reverse("api-market-offer", args=[offer.pk]), "{title: ", content_type="application/json")
    assert response.status_code == 400
    assert stored(offer) == before


def test_capacity_cannot_drop_below_the_units_already_taken(api, users, make_need, make_offer):
    offer = make_offer(capacity=3)
    for _ in range(2):
        match = services.propose_match(need=make_need(), offer=offer, by=users[Role.WORKER])
        services.answer_match(match, side="need", yes=True, by=users[Role.WORKER])
        services.answer_match(match, side="offer", yes=True, by=users[Role.WORKER])
    before = stored(offer)
    response = api(Role.WORKER).patch(reverse("api-market-offer", args=[offer.pk]), {"capacity": 1}, format="json")
    assert response.status_code == 400
    assert response.json()["capacity"] == ["Questa offerta ha già 2 abbinamenti accettati: la capacità non può essere minore."]
    assert stored(offer) == before
    response = api(Role.WORKER).patch(reverse("api-market-offer", args=[offer.pk]), {"capacity": 2}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "exhausted"


def test_raising_the_capacity_of_an_exhausted_offer_reopens_it(api, accepted_match):
    offer = accepted_match.offer
    offer.refresh_from_db()
    assert offer.status == Offer.Status.EXHAUSTED
    response = api(Role.PARTNER).patch(reverse("api-market-offer", args=[offer.pk]), {"capacity": 2}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "open" and response.json()["remaining"] == 1


@pytest.mark.parametrize("role", ROLES, ids=str)
def test_only_the_roles_of_the_offer_page_may_pause_an_offer(api, make_offer, role):
    offer = make_offer()
    before = stored(offer)
    response = api(role).post(reverse("api-market-offer-status", args=[offer.pk]), {"status": "paused"}, format="json")
    if role in (Role.COORDINATOR, Role.WORKER, Role.PARTNER):
        assert response.status_code == 200 and response.json()["status"] == "paused"
        assert audited(offer, "offerta: In pausa")  # the label, never the stored code
    else:
        assert_refused(response)
        assert stored(offer) == before


@pytest.mark.parametrize(
    "start, payload, field",
    [
        ("withdrawn", {"status": "open"}, "status"),
        ("open", {"status": "exhausted"}, "status"),
        ("open", {"status": SCRIPT}, "status"),
        ("open", {"status": ""}, "status"),
        ("open", {}, "status"),
    ],
)
def test_an_impossible_offer_status_is_a_400_in_italian(api, users, make_offer, start, payload, field):
    offer = make_offer()
    if start != "open":
        services.set_offer_status(offer, start, by=users[Role.WORKER])
    before = stored(offer)
    response = api(Role.WORKER).post(reverse("api-market-offer-status", args=[offer.pk]), payload, format="json")
    assert response.status_code == 400 and response.json()[field]
    assert stored(offer) == before


def test_the_transition_message_names_both_states(api, users, make_offer):
    offer = make_offer()
    services.set_offer_status(offer, "withdrawn", by=users[Role.WORKER])
    response = api(Role.WORKER).post(reverse("api-market-offer-status", args=[offer.pk]), {"status": "open"}, format="json")
    assert response.json()["status"] == ["Non si può passare da «Ritirata» a «Aperta»."]


# -- needs ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES, ids=str)
def test_only_staff_in_scope_and_the_owner_may_edit_a_need(api, make_need, citizen_person, role):
    need = make_need(person=citizen_person)
    before = stored(need)
    response = api(role).patch(reverse("api-market-need", args=[need.pk]), {"text": "Spesa il martedì", "urgency": "high"}, format="json")
    if role in (Role.COORDINATOR, Role.WORKER, Role.CITIZEN):
        assert response.status_code == 200, response.data
        need.refresh_from_db()
        assert (need.text, need.urgency) == ("Spesa il martedì", "high")
        assert audited(need, "richiesta modificata")
    else:
        assert_refused(response)
        assert stored(need) == before


def test_a_citizen_cannot_edit_someone_elses_need(api, make_need):
    need = make_need()
    before = stored(need)
    assert_refused(api(Role.CITIZEN).patch(reverse("api-market-need", args=[need.pk]), {"text": "Mia"}, format="json"))
    assert stored(need) == before


def test_a_worker_of_another_neighbourhood_cannot_edit_or_withdraw_a_need(api, make_need, stranger_worker):
    need = make_need()
    before = stored(need)
    assert api(stranger_worker).patch(reverse("api-market-need", args=[need.pk]), {"text": "Mia"}, format="json").status_code == 403
    assert api(stranger_worker).post(reverse("api-market-need-status", args=[need.pk]), {"status": "withdrawn"}, format="json").status_code == 403
    assert stored(need) == before


def test_editing_a_need_keeps_whose_and_where_it_is(api, make_need, make_person, other_neighbourhood):
    need = make_need()
    person, where = need.person_id, need.neighbourhood_id
    response = api(Role.COORDINATOR).patch(
        reverse("api-market-need", args=[need.pk]),
        {
            "text": "Nuovo testo",
            "person": make_person(name="Altro").pk,
            "neighbourhood": other_neighbourhood.pk,
        },
        format="json",
    )
    assert response.status_code == 200
    need.refresh_from_db()
    assert (need.text, need.person_id, need.neighbourhood_id) == ("Nuovo testo", person, where)


def test_a_script_in_a_need_is_kept_as_plain_words(api, make_need):
    # As on creation: free text is stored as typed and escaped wherever it is shown.
    need = make_need()
    response = api(Role.WORKER).patch(reverse("api-market-need", args=[need.pk]), {"text": SCRIPT}, format="json")
    assert response.status_code == 200 and response.json()["text"] == SCRIPT


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"text": HUGE}, "text"),
        ({"text": "   "}, "text"),
        ({"urgency": SCRIPT}, "urgency"),
        ({"kind": "weapons"}, "kind"),
        ({"days": 128}, "days"),
        ({"slots": -1}, "slots"),
        ({"slots": "<i>1</i>"}, "slots"),
    ],
)
def test_a_bad_need_edit_is_a_400_on_its_field_and_changes_nothing(api, make_need, payload, field):
    need = make_need()
    before = stored(need)
    response = api(Role.WORKER).patch(reverse("api-market-need", args=[need.pk]), payload, format="json")
    assert response.status_code == 400 and field in response.json(), response.content[:300]
    assert stored(need) == before


@pytest.mark.parametrize("role", ROLES, ids=str)
def test_only_staff_in_scope_and_the_owner_may_withdraw_a_need(api, make_need, citizen_person, role):
    need = make_need(person=citizen_person)
    before = stored(need)
    response = api(role).post(reverse("api-market-need-status", args=[need.pk]), {"status": "withdrawn"}, format="json")
    if role in (Role.COORDINATOR, Role.WORKER, Role.CITIZEN):
        assert response.status_code == 200 and response.json()["status"] == "withdrawn"
        assert audited(need, "richiesta: Ritirata")
    else:
        assert_refused(response)
        assert stored(need) == before


def test_a_withdrawn_need_can_be_reopened(api, users, make_need):
    need = make_need()
    services.set_need_status(need, "withdrawn", by=users[Role.WORKER])
    response = api(Role.WORKER).post(reverse("api-market-need-status", args=[need.pk]), {"status": "open"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "open"


@pytest.mark.parametrize(
    "start, status",
    [
        ("open", "brokering"),
        ("open", "open"),
        ("met", "open"),
        ("withdrawn", "met"),
        ("open", SCRIPT),
    ],
)
def test_an_impossible_need_status_is_a_400_and_changes_nothing(api, users, make_need, start, status):
    need = make_need()
    if start != "open":
        services.set_need_status(need, start, by=users[Role.WORKER])
    before = stored(need)
    response = api(Role.WORKER).post(reverse("api-market-need-status", args=[need.pk]), {"status": status}, format="json")
    assert response.status_code == 400 and response.json()["status"]
    assert stored(need) == before


def test_a_need_being_brokered_changes_status_only_through_its_matches(api, users, make_need, make_offer):
    need = make_need()
    services.propose_match(need=need, offer=make_offer(), by=users[Role.WORKER])
    before = stored(need)
    response = api(Role.WORKER).post(reverse("api-market-need-status", args=[need.pk]), {"status": "withdrawn"}, format="json")
    assert response.status_code == 400
    assert response.json()["status"] == ["La richiesta ha abbinamenti in corso: chiudili prima di cambiarne lo stato."]
    assert stored(need) == before


# -- matches --------------------------------------------------------------------------------

MANAGERS = (Role.COORDINATOR, Role.WORKER)


@pytest.mark.parametrize("role", ROLES, ids=str)
@pytest.mark.parametrize(
    "action, payload, status",
    [
        ("start", {"follow_up_on": "2026-07-01"}, "in_progress"),
        ("follow-up", {"follow_up_on": "2026-07-01"}, "accepted"),
        ("complete", {"outcome": "Spesa fatta ogni martedì"}, "done"),
        ("cancel", {}, "cancelled"),
    ],
)
def test_only_staff_in_scope_move_a_match_on(api, accepted_match, role, action, payload, status):
    before = stored(accepted_match)
    response = api(role).post(reverse(f"api-market-match-{action}", args=[accepted_match.pk]), payload, format="json")
    if role in MANAGERS:
        assert response.status_code == 200, response.data
        accepted_match.refresh_from_db()
        assert accepted_match.status == response.json()["status"] == status
        assert AuditEntry.objects.filter(object_type="market.match", object_id=str(accepted_match.pk)).count() > 0
    else:
        assert_refused(response)
        assert stored(accepted_match) == before


def test_the_follow_up_steps_change_need_and_offer_as_the_page_does(api, accepted_match):
    client = api(Role.WORKER)
    assert client.post(reverse("api-market-match-start", args=[accepted_match.pk]), {}, format="json").status_code == 200
    follow_up = client.post(reverse("api-market-match-follow-up", args=[accepted_match.pk]), {"follow_up_on": "2026-09-01"}, format="json")
    assert follow_up.json()["follow_up_on"] == "2026-09-01"
    done = client.post(reverse("api-market-match-complete", args=[accepted_match.pk]), {"outcome": "Tutto bene"}, format="json").json()
    assert (done["status"], done["outcome"]) == ("done", "Tutto bene")
    accepted_match.need.refresh_from_db()
    assert accepted_match.need.status == Need.Status.MET
    assert audited(accepted_match, "abbinamento concluso")


def test_cancelling_gives_the_unit_back_to_the_offer(api, accepted_match):
    response = api(Role.COORDINATOR).post(reverse("api-market-match-cancel", args=[accepted_match.pk]), format="json")
    assert response.status_code == 200
    offer = Offer.objects.get(pk=accepted_match.offer_id)
    assert (offer.taken, offer.status) == (0, Offer.Status.OPEN)
    assert audited(accepted_match, "abbinamento annullato")


def test_a_worker_of_another_neighbourhood_cannot_move_a_match(api, accepted_match, stranger_worker):
    before = stored(accepted_match)
    for action, payload in [("start", {}), ("follow-up", {"follow_up_on": "2026-07-01"}), ("complete", {"outcome": "x"}), ("cancel", {})]:
        response = api(stranger_worker).post(reverse(f"api-market-match-{action}", args=[accepted_match.pk]), payload, format="json")
        assert response.status_code == 403, action
    assert stored(accepted_match) == before


@pytest.mark.parametrize(
    "action, payload, field",
    [
        ("start", {"follow_up_on": "domani"}, "follow_up_on"),
        ("follow-up", {}, "follow_up_on"),
        ("follow-up", {"follow_up_on": SCRIPT}, "follow_up_on"),
        ("complete", {}, "outcome"),
        ("complete", {"outcome": "  "}, "outcome"),
        ("complete", {"outcome": HUGE}, "outcome"),
    ],
)
def test_a_bad_match_step_is_a_400_on_its_field_and_changes_nothing(api, accepted_match, action, payload, field):
    before = stored(accepted_match)
    response = api(Role.WORKER).post(reverse(f"api-market-match-{action}", args=[accepted_match.pk]), payload, format="json")
    assert response.status_code == 400 and field in response.json(), response.content[:300]
    assert stored(accepted_match) == before


@pytest.mark.parametrize(
    "state, action, payload",
    [
        ("proposed", "start", {}),
        ("proposed", "complete", {"outcome": "Fatto"}),
        ("done", "start", {}),
        ("done", "cancel", {}),
        ("done", "follow-up", {"follow_up_on": "2026-07-01"}),
        ("cancelled", "complete", {"outcome": "Fatto"}),
    ],
)
def test_an_impossible_match_step_is_a_400_in_italian_and_changes_nothing(api, users, make_need, make_offer, state, action, payload):
    match = services.propose_match(need=make_need(), offer=make_offer(), by=users[Role.WORKER])
    if state != "proposed":
        services.answer_match(match, side="need", yes=True, by=users[Role.WORKER])
        services.answer_match(match, side="offer", yes=True, by=users[Role.WORKER])
        (
            services.complete_match(match, outcome="Fatto", by=users[Role.WORKER])
            if state == "done"
            else services.cancel_match(match, by=users[Role.WORKER])
        )
    before = stored(match)
    response = api(Role.WORKER).post(reverse(f"api-market-match-{action}", args=[match.pk]), payload, format="json")
    assert response.status_code == 400
    assert response.json()["non_field_errors"][0].startswith("L'abbinamento ")
    assert stored(match) == before


@pytest.mark.parametrize(
    "role, side, expected",
    [
        (Role.PARTNER, "offer", 200),
        (Role.CITIZEN, "need", 200),
        (Role.WORKER, "need", 200),
        (Role.COORDINATOR, "offer", 200),
        (Role.PARTNER, "need", 403),
        (Role.CITIZEN, "offer", 403),
        (Role.ANTENNA, "need", 403),
        (ANON, "need", 401),
    ],
)
def test_only_a_side_leaves_feedback_for_itself(api, accepted_match, role, side, expected):
    before = stored(accepted_match)
    response = api(role).post(reverse("api-market-match-feedback", args=[accepted_match.pk]), {"side": side, "text": "Gentilissimi"}, format="json")
    if expected == 200:
        assert response.status_code == 200
        accepted_match.refresh_from_db()
        assert getattr(accepted_match, f"{side}_feedback") == "Gentilissimi"
        assert audited(accepted_match, "commento")
    else:
        assert_refused(response)
        assert stored(accepted_match) == before


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"side": "offer", "text": HUGE}, "text"),
        ({"side": "offer", "text": ""}, "text"),
        ({"side": SCRIPT, "text": "Bene"}, "side"),
    ],
)
def test_bad_feedback_is_a_400_and_changes_nothing(api, accepted_match, payload, field):
    before = stored(accepted_match)
    response = api(Role.PARTNER).post(reverse("api-market-match-feedback", args=[accepted_match.pk]), payload, format="json")
    assert response.status_code == 400 and field in response.json()
    assert stored(accepted_match) == before


def test_feedback_on_a_match_not_yet_accepted_is_a_400(api, users, make_need, make_offer):
    match = services.propose_match(need=make_need(), offer=make_offer(), by=users[Role.WORKER])
    before = stored(match)
    response = api(Role.PARTNER).post(reverse("api-market-match-feedback", args=[match.pk]), {"side": "offer", "text": "Bene"}, format="json")
    assert response.status_code == 400 and response.json()["non_field_errors"]
    assert stored(match) == before


@pytest.mark.parametrize(
    "name",
    [
        "api-market-offer-status",
        "api-market-need-status",
        "api-market-match-start",
        "api-market-match-follow-up",
        "api-market-match-complete",
        "api-market-match-cancel",
        "api-market-match-feedback",
    ],
)
def test_the_action_endpoints_answer_only_post(api, make_offer, make_need, accepted_match, name):
    target = {"offer": make_offer(), "need": make_need()}.get(name.split("-")[2], accepted_match)
    assert api(Role.COORDINATOR).get(reverse(name, args=[target.pk])).status_code == 405
