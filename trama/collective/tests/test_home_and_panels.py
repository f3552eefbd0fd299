"""What the collective app adds to the home pages, the person page and the theme page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from trama.collective import services
from trama.collective.models import Meeting
from trama.people.models import Role
from trama.testing import STIGMA

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_table(neighbourhood, users, place):
    return services.save_meeting(
        Meeting(
            city=neighbourhood.city,
            neighbourhood=neighbourhood,
            kind=Meeting.Kind.TABLE,
            title="Tavolo di quartiere",
            starts_at=timezone.now() + timedelta(days=4),
            place=place,
            is_public=True,
        ),
        by=users[Role.WORKER],
    )


def test_the_worker_home_counts_open_suggestions_and_lists_upcoming_meetings(client, users, shopping_suggestion, public_table):
    client.force_login(users[Role.WORKER])
    page = client.get(reverse("home")).content.decode()
    assert "1 proposta di gruppo da valutare" in page and "Tavolo di quartiere" in page


def test_the_coordinator_home_counts_open_suggestions(client, users, shopping_suggestion):
    client.force_login(users[Role.COORDINATOR])
    assert "1 proposta di gruppo da valutare" in client.get(reverse("home")).content.decode()


def test_the_public_home_links_the_public_calendar_without_stigma(client, public_table):
    page = client.get(reverse("home")).content.decode()
    assert reverse("collective:public_calendar") in page and "Tavolo di quartiere" in page
    assert not STIGMA.search(page)


@pytest.mark.parametrize("role", [Role.PARTNER, Role.ANTENNA])
def test_partners_and_antennas_get_no_group_nav(client, users, role):
    client.force_login(users[role])
    assert reverse("collective:groups") not in client.get(reverse("home")).content.decode()


def test_the_theme_panel_lists_linked_groups_for_staff_only(rf, users, city, make_group):
    from django.template.loader import render_to_string

    from trama.themes.models import Theme

    theme = Theme.objects.create(city=city, status=Theme.Status.NAMED, name="Spesa pesante")
    group = make_group("Spesa insieme")
    group.themes.add(theme)
    request = rf.get("/")
    request.user = users[Role.WORKER]
    from django.contrib.auth.context_processors import PermWrapper

    html = render_to_string("collective/_theme_panel.html", {"theme": theme, "request": request, "perms": PermWrapper(request.user)})
    assert "Spesa insieme" in html
    request.user = users[Role.PARTNER]
    html = render_to_string("collective/_theme_panel.html", {"theme": theme, "request": request, "perms": PermWrapper(request.user)})
    assert "Spesa insieme" not in html
