import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from trama.attention import services
from trama.attention.models import Encounter
from trama.attention.services import ANTENNA_NEWS
from trama.extensions import encounter_records
from trama.notifications.models import EmailMode
from trama.notifications.services import set_email_for_accounts
from trama.people.models import Person
from trama.privacy import audit
from trama.privacy.models import AuditEntry

pytestmark = pytest.mark.django_db

NEW = reverse("attention:encounter_create")


def now_field():
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


def encounter_form(neighbourhood, **overrides):
    return {"neighbourhood": neighbourhood.pk, "setting": "street", "happened_at": now_field(), "notes": "Due chiacchiere al mercato", **overrides}


def registration(**overrides):
    return {
        "register": "on",
        "display_name": "Nonna Pina",
        "channel": "antenna",
        "known_to_services": "no",
        "consent_registration": "on",
        **overrides,
    }


def test_an_encounter_registers_the_person_pseudonymously_with_consent(client, worker, neighbourhood):
    client.force_login(worker)
    response = client.post(NEW, encounter_form(neighbourhood, **registration(consent_contact="on")))
    assert response.status_code == 302
    person = Person.objects.get()
    assert (person.display_name, person.last_name, person.first_contact_channel, person.known_to_services) == ("Nonna Pina", "", "antenna", False)
    assert person.has_consent("registration") and person.has_consent("contact")
    assert Encounter.objects.get().person == person


def test_nobody_is_registered_without_consent_and_nothing_is_stored(client, worker, neighbourhood):
    client.force_login(worker)
    response = client.post(NEW, encounter_form(neighbourhood, **registration(consent_registration="")))
    assert response.status_code == 400 and "consenso" in response.content.decode()
    assert not Person.objects.exists() and not Encounter.objects.exists()


@pytest.mark.parametrize("when, message", [("2025-13-45T10:00", "Data non valida"), ("2999-01-01T10:00", "futuro")])
def test_an_encounter_at_an_impossible_time_is_refused(client, worker, neighbourhood, when, message):
    client.force_login(worker)
    response = client.post(NEW, encounter_form(neighbourhood, happened_at=when))
    assert response.status_code == 400 and message in " ".join(response.context["form"].errors["happened_at"])
    assert not Encounter.objects.exists()


def test_an_encounter_in_a_neighbourhood_not_assigned_is_refused(client, worker, other_neighbourhood):
    client.force_login(worker)
    assert client.post(NEW, encounter_form(other_neighbourhood)).status_code == 400
    assert not Encounter.objects.exists()


def test_needs_and_offers_reach_the_market_or_stay_in_the_notes(client, worker, neighbourhood):
    client.force_login(worker)
    data = encounter_form(neighbourhood, **registration(), need_text="Una mano con la spesa", offer_text="So cucire")
    assert client.post(NEW, data).status_code == 302
    encounter = Encounter.objects.get()
    market = encounter_records.get("need")
    if market is None:
        assert "Una mano con la spesa" in encounter.notes and "So cucire" in encounter.notes
    else:
        from trama.market.models import Need, Offer

        assert Need.objects.get(person=encounter.person).text == "Una mano con la spesa"
        assert Offer.objects.get(person=encounter.person).description == "So cucire"


def test_without_a_person_needs_and_offers_stay_in_the_notes(worker, neighbourhood):
    encounter = services.record_encounter(
        by=worker, neighbourhood=neighbourhood, setting="phone", happened_at=timezone.now(), need_text="Compagnia", offer_text="Tempo"
    )
    assert "Compagnia" in encounter.notes and "Tempo" in encounter.notes


def _wants_email(antenna):
    set_email_for_accounts([antenna], ANTENNA_NEWS.values(), EmailMode.NOW)


def test_contact_tells_the_antenna_in_one_e_mail_without_any_personal_detail(
    client, worker, antenna, make_signal, neighbourhood, django_capture_on_commit_callbacks
):
    _wants_email(antenna)
    signal = make_signal(text="Signora sola al quarto piano")
    client.force_login(worker)
    with_signal = f"{NEW}?segnalazione={signal.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(with_signal, encounter_form(neighbourhood, notes="Sta male, la figlia è lontana", **registration()))
    assert response.status_code == 302
    signal.refresh_from_db()
    assert signal.status == "contacted" and signal.person.display_name == "Nonna Pina"
    # One channel: the notification's e-mail, once (it used to come twice, this app sending its own).
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [antenna.email] and "c'è stato un contatto" in message.body
    assert reverse("attention:my_signal", args=[signal.pk]) in message.body
    for private in ("Nonna Pina", "figlia", "Signora sola", "Sta male", "quarto piano"):
        assert private not in message.body and private not in message.subject
    client.force_login(antenna)
    page = client.get(reverse("attention:my_signals")).content.decode()
    assert "contatto avvenuto" in page and "Nonna Pina" not in page


def test_an_antenna_that_did_not_opt_in_gets_no_email(worker, antenna, make_signal, neighbourhood, django_capture_on_commit_callbacks):
    signal = make_signal()
    with django_capture_on_commit_callbacks(execute=True):
        services.record_encounter(by=worker, neighbourhood=neighbourhood, setting="home", happened_at=timezone.now(), signal=signal)
    signal.refresh_from_db()
    assert signal.status == "contacted" and mail.outbox == []


def test_recording_the_encounter_of_an_outreach_completes_it(client, worker, make_signal, neighbourhood):
    task = services.plan_outreach(by=worker, signal=make_signal(), assigned_to=worker, method="with_antenna", due_date=timezone.localdate())
    client.force_login(worker)
    assert client.post(f"{NEW}?uscita={task.pk}", encounter_form(neighbourhood)).status_code == 302
    task.refresh_from_db()
    assert task.status == "done" and task.signal.status == "contacted"


def test_reading_an_encounter_is_audited_and_shown_on_the_persons_page(client, worker, neighbourhood):
    client.force_login(worker)
    client.post(NEW, encounter_form(neighbourhood, **registration()))
    encounter = Encounter.objects.get()
    assert client.get(reverse("attention:encounter", args=[encounter.pk])).status_code == 200
    person_page = client.get(reverse("people:person", args=[encounter.person_id])).content.decode()
    assert reverse("attention:encounter", args=[encounter.pk]) in person_page
    reads = AuditEntry.objects.filter(action="read", object_type="attention.encounter")
    assert [audit.ids_named(entry) for entry in reads] == [[str(encounter.pk)], [str(encounter.pk)]]


def test_a_worker_cannot_record_an_encounter_for_a_signal_elsewhere(client, worker, make_user, make_signal, other_neighbourhood, neighbourhood):
    from trama.people.models import Role

    theirs = make_signal(by=make_user(Role.ANTENNA, [other_neighbourhood]), where=other_neighbourhood)
    client.force_login(worker)
    assert client.post(f"{NEW}?segnalazione={theirs.pk}", encounter_form(neighbourhood)).status_code == 403
    theirs.refresh_from_db()
    assert theirs.status == "new"


def test_the_antennas_email_is_in_the_programmes_language_whatever_the_worker_reads(
    client, worker, antenna, make_signal, neighbourhood, django_capture_on_commit_callbacks
):
    _wants_email(antenna)
    signal = make_signal()
    client.force_login(worker)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{NEW}?segnalazione={signal.pk}", encounter_form(neighbourhood, **registration()))
    [message] = mail.outbox
    assert message.subject == "Trama: c'è una novità per te"
    assert "Per la tua segnalazione c'è stato un contatto: apri Trama per vederla." in message.body
