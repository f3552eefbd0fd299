"""The initiatives panel of an organisation's public page: its public initiatives, never the others."""

import pytest
from django.urls import reverse

from trama.initiatives import services
from trama.initiatives.models import Partner
from trama.people.models import Organisation

pytestmark = pytest.mark.django_db


def test_an_organisations_public_page_lists_its_public_initiatives_only(client, partner, organisation, make_initiative, coordinator):
    draft = make_initiative(name="Idea ancora riservata")
    services.add_partner(draft, organisation=organisation, role=Partner.Role.VOLUNTEERS, by=coordinator)
    Organisation.objects.filter(pk=organisation.pk).update(public_page_agreed=True)
    page = client.get(reverse("organisations:public", args=[organisation.pk])).content.decode()
    assert partner.initiative.name in page and reverse("initiatives:public", args=[partner.initiative.pk]) in page
    assert "Idea ancora riservata" not in page
