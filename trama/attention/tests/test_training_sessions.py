"""In-person training (issue 19, step 1): antennas enrol themselves, hear the day before, and get a certificate."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from trama.attention.models import Antenna, Attendance, Enrolment, ModuleCompleted, TrainingModule, TrainingSession
from trama.notifications.models import Kind, Notification
from trama.notifications.tasks import send_reminders
from trama.people.models import Role
from trama.privacy.models import AuditEntry
from trama.testing import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def module(city):
    return TrainingModule.objects.create(city=city, title="Accorgersi in farmacia", content="Testo", duration_minutes=90)


@pytest.fixture
def session(module):
    return TrainingSession.objects.create(module=module, starts_at=timezone.now() + timedelta(days=3), location="Sala civica")


def enrol(client, session, action="iscrivi"):
    return client.post(reverse("attention:session_enrol", args=[session.pk]), {"azione": action})


def test_an_antenna_enrols_once_then_takes_her_name_back(client, antenna, session):
    client.force_login(antenna)
    assert enrol(client, session).status_code == 302
    assert enrol(client, session).status_code == 302
    assert list(Enrolment.objects.values_list("antenna__account", flat=True)) == [antenna.pk]
    page = client.get(reverse("attention:module", args=[session.module_id])).content.decode()
    assert "Iscrizione fatta" in page and "Annulla l'iscrizione" in page
    assert enrol(client, session, "annulla").status_code == 302
    assert not Enrolment.objects.exists()
    assert "Mi iscrivo" in client.get(reverse("attention:modules")).content.decode()


def test_no_enrolment_once_the_session_started_nor_beyond_its_places(client, antenna, session, make_user, neighbourhood):
    session.capacity = 1
    session.save()
    other = make_user(Role.ANTENNA, [neighbourhood])
    Enrolment.objects.create(session=session, antenna=Antenna.objects.create(account=other, kind=Antenna.Kind.SHOP))
    client.force_login(antenna)
    response = enrol(client, session)
    assert response.status_code == 400 and "posti di questo incontro sono esauriti" in response.content.decode()
    assert Enrolment.objects.count() == 1

    session.capacity = None
    session.starts_at = timezone.now() - timedelta(minutes=5)
    session.save()
    response = enrol(client, session)
    assert response.status_code == 400 and "già iniziato" in response.content.decode()
    Enrolment.objects.create(session=session, antenna=antenna.antenna)
    response = enrol(client, session, "annulla")
    assert response.status_code == 400 and "non si può più annullare" in response.content.decode()
    assert Enrolment.objects.count() == 2


@pytest.mark.parametrize("body", [{}, {"azione": "cancella-tutto"}, {"azione": "iscrivi" * 5000}, {"azione": "<script>x</script>"}])
def test_a_malformed_enrolment_is_refused_with_a_message_and_changes_nothing(client, antenna, session, body):
    client.force_login(antenna)
    response = client.post(reverse("attention:session_enrol", args=[session.pk]), body)
    assert response.status_code == 400
    assert "Scegli se iscriverti o annullare l&#x27;iscrizione." in response.content.decode()
    assert "<script>x" not in response.content.decode()
    assert not Enrolment.objects.exists()


def test_only_an_active_antenna_enrols_and_only_in_her_city(client, users, antenna, session, make_user, make_neighbourhood):
    from trama.territory.models import City

    for role in (Role.COORDINATOR, Role.WORKER, Role.PARTNER, Role.CITIZEN):
        client.force_login(users[role])
        assert enrol(client, session).status_code == 403, role
    client.logout()
    assert enrol(client, session).status_code == 302 and not Enrolment.objects.exists()  # to the login page

    client.force_login(antenna)
    assert client.get(reverse("attention:session_enrol", args=[session.pk])).status_code == 405
    far_city = City.objects.create(name="Altrove", slug="altrove", centre_lat=45.0, centre_lon=9.0)
    far_module = TrainingModule.objects.create(city=far_city, title="Altro", content="x", duration_minutes=30)
    far_session = TrainingSession.objects.create(module=far_module, starts_at=session.starts_at, location="Lontano")
    assert enrol(client, far_session).status_code == 404

    antenna.antenna.active = False
    antenna.antenna.save()
    assert enrol(client, session).status_code == 403
    assert not Enrolment.objects.exists()


def test_the_day_before_each_enrolled_antenna_hears_once(antenna, session, make_user, neighbourhood):
    suspended = Antenna.objects.create(account=make_user(Role.ANTENNA, [neighbourhood]), kind=Antenna.Kind.SHOP)
    not_enrolled = make_user(Role.ANTENNA, [neighbourhood])
    Antenna.objects.create(account=not_enrolled, kind=Antenna.Kind.SHOP)
    Enrolment.objects.create(session=session, antenna=antenna.antenna)
    Enrolment.objects.create(session=session, antenna=suspended)
    suspended.active = False
    suspended.save()
    day_before = timezone.localtime(session.starts_at).date() - timedelta(days=1)

    send_reminders.call(day_before.isoformat())
    send_reminders.call(day_before.isoformat())
    send_reminders.call((day_before - timedelta(days=1)).isoformat())

    reminders = Notification.objects.filter(kind=Kind.TRAINING_TOMORROW)
    assert [(n.recipient_id, n.url) for n in reminders] == [(antenna.pk, reverse("attention:module", args=[session.module_id]))]


def test_the_certificate_of_a_session_attended(client, worker, antenna, session, users):
    session.starts_at = timezone.now() - timedelta(days=1)
    session.save()
    attendance = Attendance.objects.create(session=session, antenna=antenna.antenna, recorded_by=worker)
    client.force_login(antenna)
    listing = client.get(reverse("attention:modules")).content.decode()
    url = reverse("attention:attendance_certificate", args=[attendance.pk])
    assert url in listing
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Attestato di partecipazione" in text and str(antenna) in text
    assert "Accorgersi in farmacia" in text and "Sala civica" in text and "90 minuti" in text
    assert timezone.localtime(session.starts_at).strftime("%d/%m/%Y") in text
    assert AuditEntry.objects.filter(actor=antenna, object_type="attention.attendance", object_id=str(attendance.pk)).exists()
    assert client.get(url).content == response.content  # the same record prints the same file

    client.force_login(worker)
    assert client.get(url).status_code == 200
    for role in (Role.PARTNER, Role.CITIZEN):
        client.force_login(users[role])
        assert client.get(url).status_code in (403, 404), role


def test_no_one_reads_another_antennas_certificate(client, worker, antenna, session, make_user, other_neighbourhood):
    stranger = make_user(Role.ANTENNA, [other_neighbourhood])
    theirs = Attendance.objects.create(session=session, antenna=Antenna.objects.create(account=stranger, kind=Antenna.Kind.SHOP))
    url = reverse("attention:attendance_certificate", args=[theirs.pk])
    for reader in (antenna, worker):  # another antenna; a worker of another neighbourhood
        client.force_login(reader)
        assert client.get(url).status_code in (403, 404)
    completion = ModuleCompleted.objects.create(account=stranger, module="accorgersi")
    client.force_login(antenna)
    assert client.get(reverse("attention:online_certificate", args=[completion.pk])).status_code in (403, 404)


def test_the_certificate_of_an_online_module_completed(client, antenna):
    completion = ModuleCompleted.objects.create(account=antenna, module="accorgersi")
    client.force_login(antenna)
    url = reverse("attention:online_certificate", args=[completion.pk])
    assert url in client.get(reverse("attention:modules")).content.decode()
    text = pdf_text(client.get(url).content)
    assert "ha completato il modulo di formazione online" in text and str(antenna) in text


def test_the_attendance_page_names_those_enrolled_in_the_workers_neighbourhoods_only(
    client, worker, antenna, session, make_user, other_neighbourhood
):
    stranger = make_user(Role.ANTENNA, [other_neighbourhood], first_name="Zelinda", last_name="Lontana")
    Enrolment.objects.create(session=session, antenna=Antenna.objects.create(account=stranger, kind=Antenna.Kind.SHOP))
    Enrolment.objects.create(session=session, antenna=antenna.antenna)
    client.force_login(worker)
    page = client.get(reverse("attention:attendance", args=[session.pk])).content.decode()
    assert str(antenna) in page.split('data-testid="enrolled"')[1]
    assert "Zelinda" not in page


@pytest.mark.parametrize("capacity", ["0", "501", "-3", "tanti"])
def test_a_session_with_impossible_places_is_refused(client, worker, module, capacity):
    client.force_login(worker)
    response = client.post(
        reverse("attention:session_create", args=[module.pk]), {"starts_at": "2026-05-06T18:00", "location": "Sala", "capacity": capacity}
    )
    assert response.status_code == 400 and not TrainingSession.objects.exists()
