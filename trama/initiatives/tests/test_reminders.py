"""An agreement in force ending within 30 days: the coordinators of its city and the workers of its
neighbourhoods are reminded, once per end date; nobody else."""

from datetime import date, timedelta

import pytest

from trama.initiatives.models import Agreement
from trama.notifications.models import Kind, Notification
from trama.notifications.tasks import send_reminders
from trama.people.models import Role

pytestmark = pytest.mark.django_db

TODAY = date(2026, 5, 20)


@pytest.fixture
def agreement(city, neighbourhood):
    agreement = Agreement.objects.create(
        city=city,
        kind=Agreement.Kind.PACT,
        title="Patto dell'orto",
        subject="Orto",
        starts_on=date(2025, 6, 1),
        ends_on=TODAY + timedelta(days=30),
        status=Agreement.Status.ACTIVE,
    )
    agreement.neighbourhoods.add(neighbourhood)
    return agreement


def reminded():
    return set(Notification.objects.filter(kind=Kind.AGREEMENT_EXPIRING).values_list("recipient", flat=True))


def test_coordinators_and_the_workers_of_its_neighbourhood_are_reminded_once(agreement, users, make_user, other_neighbourhood):
    elsewhere = make_user(Role.WORKER, [other_neighbourhood])
    assert send_reminders.call(TODAY.isoformat()) == 2
    assert send_reminders.call((TODAY + timedelta(days=1)).isoformat()) == 0
    assert reminded() == {users[Role.COORDINATOR].pk, users[Role.WORKER].pk}
    assert elsewhere.pk not in reminded()
    assert set(Notification.objects.values_list("url", flat=True)) == {f"/iniziative/accordi/{agreement.pk}/"}


def test_a_coordinator_of_another_city_hears_nothing(agreement, make_user):
    from trama.territory.models import City

    other = City.objects.create(name="Altra", slug="altra", centre_lat=45.0, centre_lon=9.0)
    stranger = make_user(Role.COORDINATOR, city=other)
    send_reminders.call(TODAY.isoformat())
    assert stranger.pk not in reminded()


@pytest.mark.parametrize(
    ("ends_in", "status"),
    [(31, Agreement.Status.ACTIVE), (-1, Agreement.Status.ACTIVE), (10, Agreement.Status.DRAFT), (10, Agreement.Status.TERMINATED)],
)
def test_not_in_force_or_not_ending_soon_is_not_reminded(agreement, users, ends_in, status):
    Agreement.objects.filter(pk=agreement.pk).update(ends_on=TODAY + timedelta(days=ends_in), status=status)
    assert send_reminders.call(TODAY.isoformat()) == 0


def test_a_new_end_date_is_news_again(agreement, users):
    assert send_reminders.call(TODAY.isoformat()) == 2
    Agreement.objects.filter(pk=agreement.pk).update(ends_on=TODAY + timedelta(days=20))
    assert send_reminders.call(TODAY.isoformat()) == 2
