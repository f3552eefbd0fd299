import pytest
from django.urls import reverse

from trama.people.models import Consent, Person, Role
from trama.people.services import person_for_account, register_person
from trama.privacy.models import AuditEntry

pytestmark = pytest.mark.django_db

REGISTRATION = [Consent.Purpose.REGISTRATION]


def register(by, where, **kwargs):
    kwargs.setdefault("consents", REGISTRATION)
    return register_person(by=by, neighbourhood=where, display_name="Gino", channel=Person.Channel.OUTREACH, **kwargs)


def test_a_chosen_name_and_consent_are_enough_to_register_someone(users, neighbourhood):
    person = register(users[Role.WORKER], neighbourhood, known_to_services=False)
    assert person.display_name == "Gino" and person.last_name == ""
    assert person.has_consent(Consent.Purpose.REGISTRATION)
    assert AuditEntry.objects.filter(action="create", object_id=str(person.pk)).exists()


def test_nobody_is_registered_without_consent(users, neighbourhood):
    with pytest.raises(ValueError):
        register(users[Role.WORKER], neighbourhood, consents=[])
    assert not Person.objects.exists()


def test_identifying_details_are_dropped_without_their_consent(users, neighbourhood):
    person = register(users[Role.WORKER], neighbourhood, last_name="Rossi", phone="333")
    assert (person.last_name, person.phone) == ("", "")
    kept = register(users[Role.WORKER], neighbourhood, last_name="Rossi", consents=REGISTRATION + [Consent.Purpose.IDENTIFYING])
    assert kept.last_name == "Rossi"


def test_reading_a_person_is_audited(client, users, neighbourhood):
    person = register(users[Role.WORKER], neighbourhood)
    client.force_login(users[Role.WORKER])
    response = client.get(reverse("people:person", args=[person.pk]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert AuditEntry.objects.filter(action="read", object_type="people.person", object_id=str(person.pk)).count() == 1


def test_a_worker_does_not_see_people_of_other_neighbourhoods(client, users, neighbourhood, other_neighbourhood):
    mine = register(users[Role.WORKER], neighbourhood)
    theirs = register(users[Role.COORDINATOR], other_neighbourhood)
    theirs.display_name = "Altrove"
    theirs.save()
    client.force_login(users[Role.WORKER])
    body = client.get(reverse("people:people")).content.decode()
    assert mine.display_name in body and "Altrove" not in body
    assert client.get(reverse("people:person", args=[theirs.pk])).status_code == 403
    assert AuditEntry.objects.filter(action="denied", path=reverse("people:person", args=[theirs.pk])).exists()


def test_a_citizen_account_gets_its_person_once(users, neighbourhood):
    citizen = users[Role.CITIZEN]
    first = person_for_account(citizen, neighbourhood)
    assert person_for_account(citizen, neighbourhood) == first
    assert first.first_contact_channel == Person.Channel.SELF and first.account == citizen


def test_a_consent_is_recorded_once_while_in_force_and_again_after_its_withdrawal(users, neighbourhood):
    from django.utils import timezone

    from trama.people.services import record_consent

    worker = users[Role.WORKER]
    person = register(worker, neighbourhood)
    first = record_consent(person, Consent.Purpose.GROUPS, by=worker)
    assert record_consent(person, Consent.Purpose.GROUPS, by=users[Role.COORDINATOR]) == first
    assert first.recorded_by == worker and person.consents.filter(purpose=Consent.Purpose.GROUPS).count() == 1
    Consent.objects.filter(pk=first.pk).update(withdrawn_at=timezone.now())
    again = record_consent(person, Consent.Purpose.GROUPS, by=worker)
    assert again != first and person.has_consent(Consent.Purpose.GROUPS)
