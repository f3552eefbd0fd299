"""A worker writes down a signal that came on a paper card, by phone or in person."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from trama.attention import services
from trama.attention.models import Signal
from trama.people.models import Role
from trama.privacy.models import AuditEntry

pytestmark = pytest.mark.django_db

URL = reverse("attention:signal_record")


def test_a_worker_records_a_phone_call_in_her_neighbourhood(client, worker, neighbourhood):
    client.force_login(worker)
    response = client.post(URL, {"channel": "phone", "text": "Ha chiamato la vicina: non esce da giorni", "neighbourhood": neighbourhood.pk})
    signal = Signal.objects.get()
    assert response.status_code == 302 and response["Location"] == signal.get_absolute_url()
    assert (signal.channel, signal.neighbourhood, signal.sent_by) == ("phone", neighbourhood, None)
    assert AuditEntry.objects.filter(actor=worker, action="create", object_id=str(signal.pk)).exists()


def test_a_signal_from_the_antennas_form_is_counted_as_such(antenna, neighbourhood):
    signal = services.send_signal(by=antenna, neighbourhood=neighbourhood, text="Non la vedo")
    assert signal.channel == Signal.Channel.WEB


def test_a_worker_cannot_record_in_another_neighbourhood(client, worker, other_neighbourhood):
    client.force_login(worker)
    response = client.post(URL, {"channel": "card", "text": "Cartolina", "neighbourhood": other_neighbourhood.pk})
    assert response.status_code == 400
    assert "Puoi scegliere solo uno dei quartieri che ti sono assegnati." in response.content.decode()
    assert not Signal.objects.exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"channel": "web", "text": "x"}, "Scelta non valida"),
        ({"channel": "fax", "text": "x"}, "Scelta non valida"),
        ({"text": "x"}, "Scegli come è arrivata"),
        ({"channel": "card", "text": ""}, "Scrivi in poche parole"),
        ({"channel": "card", "text": "x" * 2001}, "Il testo è troppo lungo"),
        ({"channel": "card", "text": "x", "urgency": "99"}, "Scelta non valida"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_stored(client, worker, neighbourhood, data, message):
    client.force_login(worker)
    response = client.post(URL, {"neighbourhood": neighbourhood.pk, **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Signal.objects.exists()


def test_the_service_refuses_out_of_scope_and_the_web_channel(users, worker, other_neighbourhood, neighbourhood):
    with pytest.raises(PermissionDenied):
        services.record_signal(by=worker, neighbourhood=other_neighbourhood, channel="card", text="x")
    with pytest.raises(PermissionDenied):
        services.record_signal(by=users[Role.ANTENNA], neighbourhood=neighbourhood, channel="card", text="x")
    with pytest.raises(ValidationError):
        services.record_signal(by=worker, neighbourhood=neighbourhood, channel="web", text="x")
    assert not Signal.objects.exists()


@pytest.mark.parametrize("role", [Role.ANTENNA, Role.CITIZEN, Role.PARTNER])
def test_only_staff_may_open_the_quick_entry(client, users, role, neighbourhood):
    client.force_login(users[role])
    for method in ("get", "post"):
        response = getattr(client, method)(URL, {"channel": "card", "text": "x", "neighbourhood": neighbourhood.pk})
        assert response.status_code == 403
    assert not Signal.objects.exists()
