"""Issue 18, step 3: from a phone, a worker prints the poster of her community point and the public catalogue gives
the poster of an activity; each PDF's QR code, decoded, leads to the right door, and the point's phone is on it."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from conftest import PASSWORD
from trama.initiatives import services
from trama.initiatives.models import Initiative
from trama.people.models import Role
from trama.territory.models import Place
from trama.tests.qr_reader import qr_in_pdf

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def downloaded(page, link):
    with page.expect_download() as download:
        link.click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        return download.value.suggested_filename, pdf.read()


def test_the_posters_carry_a_qr_code_to_the_right_door(phone, settings, users, neighbourhood, city):
    settings.TRAMA_SITE_URL = "https://trama.example/"
    point = Place.objects.create(
        neighbourhood=neighbourhood, name="Punto di comunità Pablo", kind=Place.Kind.COMMUNITY_POINT, phone="0521 111111", address="Via Po 1"
    )
    log_in(phone, users[Role.WORKER].username, PASSWORD)
    phone.goto(point.get_absolute_url())
    name, content = downloaded(phone, phone.get_by_role("link", name=re.compile("Stampa il manifesto")))
    assert name.endswith(".pdf") and content.startswith(b"%PDF")
    assert qr_in_pdf(content) == "https://trama.example/"

    # A published activity: anyone, signed in or not, takes its poster from its public page.
    coordinator = users[Role.COORDINATOR]
    initiative = services.create_initiative(
        city=city,
        by=coordinator,
        origin=Initiative.Origin.WORKER,
        neighbourhoods=[neighbourhood],
        name="Pranzo condiviso",
        description="Un pranzo aperto a tutti, una domenica al mese.",
        is_public=True,
        place=point,
        when="Ogni domenica alle 12",
    )
    for step in ("incubation", "accompanied"):
        services.move_initiative(initiative, step, "Avanti", by=coordinator)
    phone.context.clear_cookies()
    phone.goto(reverse("initiatives:public", args=[initiative.pk]))
    expect(phone.get_by_role("heading", name="Pranzo condiviso")).to_be_visible()
    name, content = downloaded(phone, phone.get_by_role("link", name=re.compile("Scarica il manifesto")))
    assert name == f"manifesto-attivita-{initiative.pk}.pdf"
    assert qr_in_pdf(content) == "https://trama.example" + reverse("initiatives:public", args=[initiative.pk])
