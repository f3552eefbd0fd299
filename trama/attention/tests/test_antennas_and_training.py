import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from trama.attention import services
from trama.attention.models import Antenna, TrainingModule, TrainingSession
from trama.attention.queries import training_coverage
from trama.attention.services import ANTENNA_NEWS
from trama.notifications.models import EmailMode
from trama.notifications.queries import email_wanted
from trama.people.models import Role, User

pytestmark = pytest.mark.django_db

ONBOARD = reverse("attention:antenna_onboard")


def onboarding(neighbourhood, **overrides):
    return {
        "first_name": "Franca",
        "last_name": "Farmacista",
        "email": "franca@example.org",
        "neighbourhoods": [neighbourhood.pk],
        "kind": "pharmacy",
        "email_updates": "on",
        **overrides,
    }


def test_a_worker_onboards_an_antenna_with_an_invitation_link(client, worker, neighbourhood, django_capture_on_commit_callbacks):
    client.force_login(worker)
    response = client.post(ONBOARD, onboarding(neighbourhood))
    assert response.status_code == 302
    antenna = Antenna.objects.get()
    account = antenna.account
    assert (account.role, account.has_usable_password(), account.invited_by) == (Role.ANTENNA, False, worker)
    assert list(account.neighbourhoods.all()) == [neighbourhood]
    assert (antenna.kind, antenna.onboarded_by) == ("pharmacy", worker)
    # Asked for e-mails: the news of her signals comes by e-mail, as her notification preferences say.
    wanted = email_wanted(account)
    assert [wanted[kind] for kind in ANTENNA_NEWS.values()] == [EmailMode.NOW] * 3
    assert len(mail.outbox) == 1 and "/account/invito/" in mail.outbox[0].body


def test_an_antenna_onboarded_without_e_mails_keeps_the_defaults(client, worker, neighbourhood):
    client.force_login(worker)
    assert client.post(ONBOARD, onboarding(neighbourhood, email_updates="")).status_code == 302
    wanted = email_wanted(Antenna.objects.get().account)
    assert [wanted[kind] for kind in ANTENNA_NEWS.values()] == [EmailMode.NEVER] * 3


def test_a_worker_cannot_onboard_an_antenna_outside_their_neighbourhoods(client, worker, other_neighbourhood):
    client.force_login(worker)
    response = client.post(ONBOARD, onboarding(other_neighbourhood))
    assert response.status_code == 400 and "quartieri che ti sono assegnati" in response.content.decode()
    assert not User.objects.filter(email="franca@example.org").exists()


def test_a_module_session_and_attendance_show_on_the_antennas_page(client, worker, antenna, city):
    client.force_login(worker)
    response = client.post(
        reverse("attention:module_create"), {"title": "Accorgersi", "content": "Riga uno\n\n<script>x</script>", "duration_minutes": 90}
    )
    module = TrainingModule.objects.get()
    assert response.status_code == 302 and module.city == city
    page = client.get(reverse("attention:module", args=[module.pk])).content.decode()
    assert "<script>x" not in page and "&lt;script&gt;" in page
    response = client.post(reverse("attention:session_create", args=[module.pk]), {"starts_at": "2025-05-06T18:00", "location": "Sala civica"})
    session = TrainingSession.objects.get()
    assert response.status_code == 302
    client.post(reverse("attention:attendance", args=[session.pk]), {"antennas": [antenna.antenna.pk]})
    client.force_login(antenna)
    assert "Accorgersi" in client.get(reverse("attention:modules")).content.decode().split("Formazione frequentata")[1]


@pytest.mark.parametrize("starts_at", ["2025-02-30T18:00", "1850-01-01T10:00", ""])
def test_a_training_session_with_an_impossible_date_is_refused(client, worker, city, starts_at):
    module = TrainingModule.objects.create(city=city, title="Accorgersi", content="x", duration_minutes=60)
    client.force_login(worker)
    response = client.post(reverse("attention:session_create", args=[module.pk]), {"starts_at": starts_at, "location": "Sala"})
    assert response.status_code == 400 and not TrainingSession.objects.exists()


def test_coverage_counts_trained_antennas_and_hides_small_counts_outside_the_workers_scope(
    users, make_user, neighbourhood, other_neighbourhood, city
):
    session = TrainingSession.objects.create(
        module=TrainingModule.objects.create(city=city, title="A", content="x", duration_minutes=60), starts_at=timezone.now(), location="Sala"
    )
    for where in (neighbourhood, other_neighbourhood):
        antenna = Antenna.objects.create(account=make_user(Role.ANTENNA, [where]), kind=Antenna.Kind.SHOP)
        services.record_attendance(session, [antenna], by=users[Role.COORDINATOR])
    Antenna.objects.create(account=make_user(Role.ANTENNA, [neighbourhood]), kind=Antenna.Kind.SHOP)  # not trained
    shop = list(Antenna.Kind).index(Antenna.Kind.SHOP)

    def shops(user):
        return {n.name: str(cells[shop]) for n, cells in training_coverage(user)[1]}

    assert shops(users[Role.COORDINATOR]) == {"Borgo Alto": "1", "Borgo Basso": "1"}
    assert shops(users[Role.WORKER]) == {"Borgo Alto": "1", "Borgo Basso": "riservato"}
