import pytest
from django.urls import reverse

from trama.territory.models import Place
from trama.tests.qr_reader import qr_in_pdf

pytestmark = pytest.mark.django_db


def test_the_poster_of_a_published_activity_carries_a_qr_code_to_its_page(client, settings, initiative, neighbourhood):
    settings.TRAMA_SITE_URL = "https://trama.example"
    Place.objects.create(neighbourhood=neighbourhood, name="Punto", kind=Place.Kind.COMMUNITY_POINT, phone="0521 111111")
    response = client.get(reverse("initiatives:public_poster", args=[initiative.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert qr_in_pdf(response.content) == "https://trama.example" + reverse("initiatives:public", args=[initiative.pk])


def test_an_unpublished_activity_has_no_poster(client, make_initiative, worker):
    hidden = make_initiative("Riservata", stage="accompanied", is_public=False)
    client.force_login(worker)
    assert client.get(reverse("initiatives:public_poster", args=[hidden.pk])).status_code == 404
