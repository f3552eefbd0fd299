import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from trama.attention import services
from trama.attention.models import Encounter, OutreachTask, Signal
from trama.people.models import Role
from trama.privacy.models import AuditEntry

pytestmark = pytest.mark.django_db

SIGNALS = reverse("api-attention-signals")


@pytest.fixture
def api():
    return APIClient()


def test_an_antenna_sends_a_signal_from_a_mobile_client(api, antenna, neighbourhood):
    api.force_authenticate(antenna)
    response = api.post(SIGNALS, {"text": "Non esce più", "neighbourhood": neighbourhood.pk, "urgency": 3}, format="json")
    assert response.status_code == 201 and response.json()["status"] == "ricevuta"
    assert Signal.objects.get().sent_by == antenna
    mine = api.get(reverse("api-attention-my-signals")).json()["results"]
    assert [s["status"] for s in mine] == ["ricevuta"] and "text" not in mine[0]


@pytest.mark.parametrize(
    "payload, field",
    [({"text": ""}, "text"), ({"text": "x" * 50_000}, "text"), ({"urgency": "molto"}, "urgency"), ({"neighbourhood": "abc"}, "neighbourhood")],
)
def test_bad_signals_from_the_api_get_a_400_with_field_messages(api, antenna, neighbourhood, payload, field):
    api.force_authenticate(antenna)
    response = api.post(SIGNALS, {"text": "Non esce più", "neighbourhood": neighbourhood.pk, **payload}, format="json")
    assert response.status_code == 400 and field in response.json()
    assert not Signal.objects.exists()


def test_the_api_refuses_a_signal_for_a_neighbourhood_the_antenna_does_not_cover(api, antenna, other_neighbourhood):
    api.force_authenticate(antenna)
    response = api.post(SIGNALS, {"text": "Non esce più", "neighbourhood": other_neighbourhood.pk}, format="json")
    assert response.status_code == 400 and "quartieri" in response.json()["neighbourhood"][0]


def test_workers_cannot_send_signals_and_antennas_cannot_read_the_queue(api, antenna, worker, neighbourhood):
    api.force_authenticate(worker)
    assert api.post(SIGNALS, {"text": "x", "neighbourhood": neighbourhood.pk}, format="json").status_code == 403
    api.force_authenticate(antenna)
    assert api.get(SIGNALS).status_code == 403


def test_an_antenna_cannot_read_another_antennas_signal_through_the_api(api, antenna, make_user, make_signal, neighbourhood):
    theirs = make_signal(by=make_user(Role.ANTENNA, [neighbourhood]))
    api.force_authenticate(antenna)
    assert api.get(reverse("api-attention-signal", args=[theirs.pk])).status_code == 403


def test_a_worker_triages_plans_outreach_and_records_the_encounter_through_the_api(api, worker, make_signal, neighbourhood):
    signal, duplicate = make_signal(), make_signal()
    api.force_authenticate(worker)
    queue = api.get(SIGNALS).json()["results"]
    assert {s["id"] for s in queue} == {signal.pk, duplicate.pk} and "text" not in queue[0]
    detail = api.get(reverse("api-attention-signal", args=[signal.pk])).json()
    assert detail["text"] == signal.text
    assert AuditEntry.objects.filter(action="read", object_type="attention.signal", object_id=str(signal.pk)).exists()
    merged = api.post(reverse("api-attention-signal-triage", args=[duplicate.pk]), {"outcome": "merged", "merge_with": signal.pk}, format="json")
    assert merged.status_code == 200 and merged.json()["merged_into"] == signal.pk
    due = (timezone.localdate() + timezone.timedelta(days=2)).isoformat()
    outreach = api.post(
        reverse("api-attention-outreach-list"), {"signal": signal.pk, "assigned_to": worker.pk, "method": "phone", "due_date": due}, format="json"
    )
    assert outreach.status_code == 201, outreach.json()
    encounter = api.post(
        reverse("api-attention-encounters"),
        {
            "neighbourhood": neighbourhood.pk,
            "setting": "phone",
            "outreach": outreach.json()["id"],
            "register": True,
            "display_name": "Ada",
            "channel": "antenna",
            "consent_registration": True,
            "need_text": "Compagnia",
        },
        format="json",
    )
    assert encounter.status_code == 201, encounter.json()
    signal.refresh_from_db()
    assert signal.status == "contacted" and signal.person.display_name == "Ada"
    assert OutreachTask.objects.get().status == "done"
    assert api.get(reverse("api-attention-encounter", args=[encounter.json()["id"]])).json()["notes"] is not None


@pytest.mark.parametrize(
    "payload, field",
    [({"outcome": "forse"}, "outcome"), ({"outcome": "no_action"}, "note"), ({"outcome": "merged", "merge_with": 999999}, "merge_with")],
)
def test_bad_triage_through_the_api_is_a_400(api, worker, make_signal, payload, field):
    signal = make_signal()
    api.force_authenticate(worker)
    response = api.post(reverse("api-attention-signal-triage", args=[signal.pk]), payload, format="json")
    assert response.status_code == 400 and field in response.json()
    signal.refresh_from_db()
    assert signal.status == "new"


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"happened_at": "2025-02-30T10:00"}, "happened_at"),
        ({"setting": "luna"}, "setting"),
        ({"register": True, "display_name": "Ada"}, "consent_registration"),
        ({"notes": "x" * 50_000}, "notes"),
    ],
)
def test_bad_encounters_through_the_api_are_a_400(api, worker, neighbourhood, payload, field):
    api.force_authenticate(worker)
    response = api.post(reverse("api-attention-encounters"), {"neighbourhood": neighbourhood.pk, "setting": "street", **payload}, format="json")
    assert response.status_code == 400 and field in response.json()
    assert not Encounter.objects.exists()


def test_an_outreach_with_an_impossible_date_through_the_api_is_a_400(api, worker, make_signal):
    signal = make_signal()
    api.force_authenticate(worker)
    response = api.post(
        reverse("api-attention-outreach-list"),
        {"signal": signal.pk, "assigned_to": worker.pk, "method": "phone", "due_date": "2025-02-30"},
        format="json",
    )
    assert response.status_code == 400 and "due_date" in response.json()


def test_the_outreach_result_through_the_api(api, worker, make_signal):
    task = services.plan_outreach(by=worker, signal=make_signal(), assigned_to=worker, method="phone", due_date=timezone.localdate())
    api.force_authenticate(worker)
    url = reverse("api-attention-outreach-result", args=[task.pk])
    assert api.post(url, {"status": "planned"}, format="json").status_code == 400
    assert api.post(url, {"status": "not_reached", "result": "Nessuno"}, format="json").status_code == 200
    assert api.post(url, {"status": "done"}, format="json").status_code == 400
