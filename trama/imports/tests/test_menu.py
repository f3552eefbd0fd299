"""The menu leads to the imports for those who may use them (coordinators and workers), and for no one else."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from trama.people.models import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "role, shown",
    [(Role.COORDINATOR, True), (Role.WORKER, True), (Role.PARTNER, False), (Role.ANTENNA, False), (Role.CITIZEN, False)],
)
def test_the_menu_link_to_the_imports(client, make_user, neighbourhood, role, shown):
    cache.clear()
    client.force_login(make_user(role, [neighbourhood]))
    page = client.get(reverse("home")).content.decode()
    link = f'href="{reverse("imports:index")}" data-testid="nav-imports"><span>Importa elenchi</span>'
    assert (link in page) is shown


def test_anonymous_visitors_see_no_link_to_the_imports(client):
    cache.clear()
    assert reverse("imports:index") not in client.get(reverse("home")).content.decode()
