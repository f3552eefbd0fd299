import pytest
from django.urls import reverse
from django.utils import timezone

from trama.attention import services
from trama.attention.models import OutreachTask, Signal
from trama.attention.queries import signal_queue
from trama.people.models import Consent, Role
from trama.people.services import register_person
from trama.privacy.models import AuditEntry
from trama.testing import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db

QUEUE = reverse("attention:queue")


def test_the_queue_puts_the_most_urgent_and_newest_first(worker, make_signal):
    old_low = make_signal(urgency=Signal.Urgency.LOW)
    urgent = make_signal(urgency=Signal.Urgency.HIGH)
    new_low = make_signal(urgency=Signal.Urgency.LOW)
    assert list(signal_queue(worker)) == [urgent, new_low, old_low]


def test_the_queue_holds_only_the_workers_neighbourhoods(client, worker, make_signal, make_user, other_neighbourhood):
    mine = make_signal()
    theirs = make_signal(by=make_user(Role.ANTENNA, [other_neighbourhood]), where=other_neighbourhood)
    assert list(signal_queue(worker)) == [mine]
    client.force_login(worker)
    assert client.get(reverse("attention:signal", args=[theirs.pk])).status_code == 403


def test_the_queue_highlights_unassigned_signals_and_shows_their_age(client, worker, make_signal):
    make_signal()
    client.force_login(worker)
    page = client.get(QUEUE).content.decode()
    assert 'data-testid="unassigned"' in page and "arrivata" in page


def test_the_queue_page_makes_the_same_number_of_queries_whatever_the_rows(client, worker, make_signal):
    client.force_login(worker)

    def add(n):
        for _ in range(n):
            make_signal(place=None)

    assert_queries_do_not_grow(client, QUEUE, add)


def test_reading_a_signal_is_audited_and_the_queue_shows_no_text(client, worker, make_signal):
    signal = make_signal(text="Testo riservato della segnalazione")
    client.force_login(worker)
    assert "Testo riservato" not in client.get(QUEUE).content.decode()
    assert "Testo riservato" in client.get(reverse("attention:signal", args=[signal.pk])).content.decode()
    assert AuditEntry.objects.filter(action="read", object_type="attention.signal", object_id=str(signal.pk), actor=worker).count() == 1


def test_planning_an_outreach_takes_the_signal_up(client, worker, make_signal):
    signal = make_signal()
    client.force_login(worker)
    due = (timezone.localdate() + timezone.timedelta(days=3)).isoformat()
    response = client.post(
        reverse("attention:signal_outreach", args=[signal.pk]),
        {"assigned_to": worker.pk, "method": "with_antenna", "due_date": due, "plan": "Passo in farmacia giovedì"},
    )
    assert response.status_code == 302
    signal.refresh_from_db()
    assert (signal.status, signal.outcome, signal.assigned_to) == ("taken_up", "outreach", worker)
    assert signal.taken_up_at is not None
    assert OutreachTask.objects.get().method == "with_antenna"


@pytest.mark.parametrize("due, message", [("2025-02-30", "Data non valida"), ("2001-01-01", "passato"), ("", "obbligatorio")])
def test_an_outreach_with_an_impossible_date_is_refused(client, worker, make_signal, due, message):
    signal = make_signal()
    client.force_login(worker)
    response = client.post(reverse("attention:signal_outreach", args=[signal.pk]), {"assigned_to": worker.pk, "method": "phone", "due_date": due})
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["due_date"])
    assert not OutreachTask.objects.exists()
    signal.refresh_from_db()
    assert signal.status == "new"


def test_no_action_needs_a_reason_and_closes_the_signal(client, worker, make_signal):
    signal = make_signal()
    client.force_login(worker)
    url = reverse("attention:signal_triage", args=[signal.pk])
    assert client.post(url, {"outcome": "no_action", "note": ""}).status_code == 400
    assert client.post(url, {"outcome": "no_action", "note": "Già seguita dalla figlia"}).status_code == 302
    signal.refresh_from_db()
    assert (signal.status, signal.outcome, signal.outcome_note) == ("closed", "no_action", "Già seguita dalla figlia")
    assert signal.taken_up_at is None


def test_a_referred_signal_is_closed_with_the_service_it_went_to(worker, make_signal):
    signal = services.triage(make_signal(), by=worker, outcome="referred", note="Servizio anziani")
    assert (signal.status, signal.outcome) == ("closed", "referred")


def test_a_signal_merged_into_another_follows_it_to_contact(worker, make_signal, neighbourhood):
    first, second = make_signal(), make_signal(text="La stessa signora")
    services.plan_outreach(by=worker, signal=first, assigned_to=worker, method="phone", due_date=timezone.localdate())
    services.triage(second, by=worker, outcome="merged", merge_with=first)
    second.refresh_from_db()
    assert (second.status, second.merged_into) == ("taken_up", first)
    services.record_encounter(by=worker, neighbourhood=neighbourhood, setting="home", happened_at=timezone.now(), signal=first)
    second.refresh_from_db()
    assert second.status == "contacted" and second.first_contact_at is not None


def test_linking_a_signal_to_a_known_person_takes_it_up(client, worker, make_signal, neighbourhood):
    person = register_person(by=worker, neighbourhood=neighbourhood, display_name="Gina", channel="outreach", consents=[Consent.Purpose.REGISTRATION])
    signal = make_signal()
    client.force_login(worker)
    assert client.post(reverse("attention:signal_triage", args=[signal.pk]), {"outcome": "person", "person": person.pk}).status_code == 302
    signal.refresh_from_db()
    assert (signal.status, signal.person) == ("taken_up", person)


def test_a_closed_signal_cannot_be_triaged_again(client, worker, make_signal):
    signal = services.triage(make_signal(), by=worker, outcome="no_action", note="Nulla")
    client.force_login(worker)
    response = client.post(reverse("attention:signal_triage", args=[signal.pk]), {"outcome": "referred", "note": "x"})
    assert response.status_code == 400 and "Chiusa" in response.content.decode()


def test_a_worker_cannot_triage_signals_of_other_neighbourhoods(client, worker, make_user, make_signal, other_neighbourhood):
    theirs = make_signal(by=make_user(Role.ANTENNA, [other_neighbourhood]), where=other_neighbourhood)
    client.force_login(worker)
    assert client.post(reverse("attention:signal_triage", args=[theirs.pk]), {"outcome": "no_action", "note": "x"}).status_code == 403
    theirs.refresh_from_db()
    assert theirs.status == "new"


def test_the_outreach_result_is_recorded_once(client, worker, make_signal):
    task = services.plan_outreach(by=worker, signal=make_signal(), assigned_to=worker, method="phone", due_date=timezone.localdate())
    client.force_login(worker)
    url = reverse("attention:outreach", args=[task.pk])
    assert client.post(url, {"status": "not_reached", "result": "Non risponde"}).status_code == 302
    task.refresh_from_db()
    assert (task.status, task.result) == ("not_reached", "Non risponde")
    assert client.post(url, {"status": "done", "result": ""}).status_code == 400
