"""'Diventa antenna': the public application, its brakes, and the workers' review."""

import pytest
from django.core import mail
from django.urls import reverse

from trama.attention.models import Antenna, AntennaApplication
from trama.attention.services import APPLICATIONS_PER_HOUR
from trama.notifications.models import Kind, Notification
from trama.people.models import Role, User
from trama.privacy.models import AuditEntry
from trama.testing import STIGMA

pytestmark = pytest.mark.django_db

APPLY = reverse("attention:become_antenna")


def application(where, **overrides):
    return {
        "name": "Franca Bianchi",
        "kind": "pharmacy",
        "neighbourhood": where.pk,
        "address": "Via Roma 3",
        "email": "franca@example.org",
        "phone": "",
        "consent": "on",
        **overrides,
    }


@pytest.fixture
def applied(client, neighbourhood, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(APPLY, application(neighbourhood)).status_code == 200
    return AntennaApplication.objects.get()


def test_the_public_home_leads_to_the_page(client, neighbourhood):
    assert APPLY in client.get(reverse("home")).content.decode()
    page = client.get(APPLY).content.decode()
    assert "Diventa antenna" in page and "Borgo Alto" in page
    assert not STIGMA.search(page), STIGMA.search(page)


def test_an_application_is_stored_with_its_consent_and_told_to_the_workers_of_its_neighbourhood_only(
    client, neighbourhood, other_neighbourhood, users, make_user, django_capture_on_commit_callbacks
):
    other_worker = make_user(Role.WORKER, [other_neighbourhood])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(APPLY, application(neighbourhood))
    assert response.status_code == 200 and "ti ricontatterà" in response.content.decode()
    stored = AntennaApplication.objects.get()
    assert (stored.name, stored.kind, stored.neighbourhood, stored.status) == ("Franca Bianchi", "pharmacy", neighbourhood, "pending")
    assert stored.consent_at is not None and stored.source
    told = set(Notification.objects.filter(kind=Kind.ANTENNA_APPLICATION).values_list("recipient", flat=True))
    assert told == {users[Role.WORKER].pk}
    assert other_worker.pk not in told
    assert AuditEntry.objects.filter(object_type="attention.antennaapplication", action="create").exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": "", "kind": "", "email": "", "consent": ""}, "Scrivi come ti chiami."),
        ({"kind": ""}, "Scegli che tipo di antenna saresti."),
        ({"email": "", "phone": ""}, "Lascia almeno un&#x27;e-mail o un telefono."),
        ({"email": "franca@"}, "Scrivi un indirizzo e-mail valido"),
        ({"email": "", "phone": "chiamami"}, "Scrivi il numero con sole cifre"),
        ({"phone": "3" * 30}, "Scrivi il numero con sole cifre"),
        ({"name": "F" * 500}, "al massimo 120 caratteri"),
        ({"address": "V" * 5000}, "al massimo 200 caratteri"),
        ({"name": "<script>alert(1)</script>"}, "non può contenere i caratteri"),
        ({"address": "<b>Via</b> Roma"}, "non può contenere i caratteri"),
        ({"consent": ""}, "ci serve il tuo consenso"),
        ({"kind": "astronaut"}, "Scelta non valida"),
        ({"neighbourhood": "99999"}, "Scelta non valida"),
    ],
)
def test_bad_input_is_answered_in_italian_and_nothing_is_stored(client, neighbourhood, overrides, message):
    response = client.post(APPLY, application(neighbourhood, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "<script>alert" not in response.content.decode()
    assert not AntennaApplication.objects.exists() and not Notification.objects.exists()


def test_an_empty_post_is_refused(client, neighbourhood):
    assert client.post(APPLY, {}).status_code == 400
    assert not AntennaApplication.objects.exists()


def test_a_robot_filling_the_trap_is_thanked_and_nothing_is_stored(client, neighbourhood):
    response = client.post(APPLY, application(neighbourhood, website="http://spam.example"))
    assert response.status_code == 200 and "Grazie" in response.content.decode()
    assert not AntennaApplication.objects.exists()


def test_too_many_applications_from_one_address_are_refused_for_an_hour(client, neighbourhood):
    for n in range(APPLICATIONS_PER_HOUR):
        assert client.post(APPLY, application(neighbourhood, email=f"franca{n}@example.org")).status_code == 200
    response = client.post(APPLY, application(neighbourhood, email="ancora@example.org"))
    assert response.status_code == 429 and "riprova fra un" in response.content.decode()
    assert AntennaApplication.objects.count() == APPLICATIONS_PER_HOUR
    # Another address is not braked by the first one's flood.
    assert client.post(APPLY, application(neighbourhood, email="altra@example.org"), REMOTE_ADDR="10.0.0.9").status_code == 200


def test_a_worker_sees_the_applications_of_her_neighbourhoods_only(client, applied, worker, make_user, other_neighbourhood):
    elsewhere = AntennaApplication.objects.create(
        city=applied.city, neighbourhood=other_neighbourhood, name="Altro Nome", kind="shop", email="x@example.org", consent_at=applied.consent_at
    )
    client.force_login(worker)
    page = client.get(reverse("attention:applications")).content.decode()
    assert "Franca Bianchi" in page and "Altro Nome" not in page
    assert client.get(reverse("attention:application", args=[applied.pk])).status_code == 200
    assert client.get(reverse("attention:application", args=[elsewhere.pk])).status_code == 404
    assert client.get(reverse("attention:application_accept", args=[elsewhere.pk])).status_code == 404
    assert client.post(reverse("attention:application_decline", args=[elsewhere.pk]), {"reason": "No"}).status_code == 404
    assert AntennaApplication.objects.get(pk=elsewhere.pk).status == "pending"


def test_reading_an_application_is_audited(client, applied, worker):
    client.force_login(worker)
    client.get(reverse("attention:application", args=[applied.pk]))
    assert AuditEntry.objects.filter(actor=worker, action="read", object_id=str(applied.pk), object_type="attention.antennaapplication").exists()


def test_accepting_invites_the_antenna_as_any_antenna_is_invited(client, applied, worker, neighbourhood, django_capture_on_commit_callbacks):
    client.force_login(worker)
    form = client.get(reverse("attention:application_accept", args=[applied.pk])).content.decode()
    assert 'value="franca@example.org"' in form and 'value="Franca"' in form
    data = {"first_name": "Franca", "last_name": "Bianchi", "email": "franca@example.org", "neighbourhoods": [neighbourhood.pk], "kind": "pharmacy"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("attention:application_accept", args=[applied.pk]), data)
    assert response.status_code == 302
    antenna = Antenna.objects.get()
    assert (antenna.account.role, antenna.kind, antenna.onboarded_by) == (Role.ANTENNA, "pharmacy", worker)
    applied.refresh_from_db()
    assert (applied.status, applied.account, applied.decided_by) == ("accepted", antenna.account, worker)
    assert any("/account/invito/" in message.body for message in mail.outbox)
    # Accepted once: a second acceptance creates nothing.
    again = client.post(reverse("attention:application_accept", args=[applied.pk]), {**data, "email": "altra@example.org"})
    assert again.status_code == 302 and Antenna.objects.count() == 1


def test_accepting_without_an_e_mail_asks_for_one_and_creates_nothing(client, neighbourhood, worker):
    applied = AntennaApplication.objects.create(
        city=neighbourhood.city, neighbourhood=neighbourhood, name="Gino", kind="concierge", phone="333 1234567", consent_at="2026-01-01T10:00Z"
    )
    client.force_login(worker)
    data = {"first_name": "Gino", "last_name": "", "email": "", "neighbourhoods": [neighbourhood.pk], "kind": "concierge"}
    response = client.post(reverse("attention:application_accept", args=[applied.pk]), data)
    assert response.status_code == 400
    assert not Antenna.objects.exists() and not User.objects.filter(role=Role.ANTENNA, first_name="Gino").exists()
    assert AntennaApplication.objects.get(pk=applied.pk).status == "pending"


def test_declining_needs_a_reason_and_keeps_it(client, applied, worker):
    client.force_login(worker)
    url = reverse("attention:application_decline", args=[applied.pk])
    refused = client.post(url, {"reason": "  "})
    assert refused.status_code == 400 and "Scrivi il motivo" in refused.content.decode()
    assert AntennaApplication.objects.get(pk=applied.pk).status == "pending"
    assert client.post(url, {"reason": "Nel quartiere c'è già un'antenna in questa farmacia."}).status_code == 302
    applied.refresh_from_db()
    assert (applied.status, applied.decided_by) == ("declined", worker)
    assert "già un'antenna" in applied.decline_reason
    assert not Antenna.objects.exists()


REASON = "Vive da sola ed è fragile: meglio di no"


def test_the_declined_applicant_is_told_once_politely_and_without_the_reason(client, applied, worker, django_capture_on_commit_callbacks):
    client.force_login(worker)
    mail.outbox.clear()
    url = reverse("attention:application_decline", args=[applied.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": REASON})
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["franca@example.org"]
    assert "Franca Bianchi" in message.body and "Borgo Alto" in message.body and "non possiamo accoglierla" in message.body
    for word in ("sola", "fragile", "meglio di no"):
        assert word not in message.body and word not in message.subject
    assert not STIGMA.search(message.body), STIGMA.search(message.body)
    # Declining again is refused and tells her nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url, {"reason": "Ancora"})
    assert again.status_code == 400 and len(mail.outbox) == 1
    assert AntennaApplication.objects.get(pk=applied.pk).decline_reason == REASON


def test_a_failed_decline_tells_no_one(client, applied, worker, django_capture_on_commit_callbacks):
    client.force_login(worker)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("attention:application_decline", args=[applied.pk]), {"reason": " "}).status_code == 400
        assert client.get(reverse("attention:application_decline", args=[applied.pk])).status_code == 405
    assert mail.outbox == [] and AntennaApplication.objects.get(pk=applied.pk).status == "pending"


def test_accepting_sends_the_invitation_not_the_decline(client, applied, worker, neighbourhood, django_capture_on_commit_callbacks):
    client.force_login(worker)
    mail.outbox.clear()
    data = {"first_name": "Franca", "last_name": "Bianchi", "email": "franca@example.org", "neighbourhoods": [neighbourhood.pk], "kind": "pharmacy"}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("attention:application_accept", args=[applied.pk]), data).status_code == 302
    assert mail.outbox and all("non possiamo accoglierla" not in m.body for m in mail.outbox)


def test_only_the_declined_applicant_is_told(client, applied, worker, neighbourhood, django_capture_on_commit_callbacks):
    other = AntennaApplication.objects.create(
        city=applied.city, neighbourhood=neighbourhood, name="Rosa Verdi", kind="shop", email="rosa@example.org", consent_at=applied.consent_at
    )
    client.force_login(worker)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("attention:application_decline", args=[applied.pk]), {"reason": "Già coperto"})
    assert [m.to for m in mail.outbox] == [["franca@example.org"]]
    assert AntennaApplication.objects.get(pk=other.pk).status == "pending"


def test_without_an_e_mail_the_worker_is_asked_to_call(client, worker, neighbourhood, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(APPLY, application(neighbourhood, email="", phone="333 1234567"))
    applied = AntennaApplication.objects.get()
    client.force_login(worker)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("attention:application_decline", args=[applied.pk]), {"reason": "Già coperto"}, follow=True)
    assert mail.outbox == []
    assert "avvisala tu al telefono 333 1234567" in response.content.decode()
