import pytest
from django.urls import reverse

from trama.attention.models import Antenna
from trama.people.models import Role
from trama.privacy.models import AuditEntry
from trama.territory.models import Place
from trama.tests.qr_reader import qr_in_pdf

pytestmark = pytest.mark.django_db


def test_the_card_of_an_antenna_carries_a_qr_code_to_the_signal_form(client, settings, worker, antenna, neighbourhood):
    settings.TRAMA_SITE_URL = "https://trama.example"
    Place.objects.create(neighbourhood=neighbourhood, name="Punto", kind=Place.Kind.COMMUNITY_POINT, phone="0521 111111")
    profile = Antenna.objects.get(account=antenna)
    client.force_login(worker)
    response = client.get(reverse("attention:antenna_card", args=[profile.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert qr_in_pdf(response.content) == "https://trama.example" + reverse("attention:signal_create")
    assert AuditEntry.objects.filter(actor=worker, reason="cartolina dell'antenna").exists()


def test_an_antenna_cannot_print_her_own_card_nor_a_citizen(client, users, antenna):
    profile = Antenna.objects.get(account=antenna)
    for role in (Role.ANTENNA, Role.CITIZEN, Role.PARTNER):
        client.force_login(users[role])
        assert client.get(reverse("attention:antenna_card", args=[profile.pk])).status_code == 403
