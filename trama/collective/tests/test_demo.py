import pytest
from django.utils import timezone

from trama.collective.demo import load_demo
from trama.collective.models import Group, Meeting, Suggestion
from trama.people.demo import create_demo_accounts
from trama.people.models import User
from trama.territory.demo import load_demo_territory

pytestmark = pytest.mark.django_db


def counts():
    return [Suggestion.objects.count(), Group.objects.count(), Meeting.objects.count()]


def test_the_demo_loads_twice_without_changing_anything():
    from trama.market.demo import load_demo as load_market

    city = load_demo_territory()
    create_demo_accounts(city)
    load_market(city)
    first = load_demo(city)
    before = counts()
    assert load_demo(city) == first
    assert counts() == before
    worker = User.objects.get(username="operatore")
    suggestion = Suggestion.objects.get(status=Suggestion.Status.OPEN)
    assert suggestion.neighbourhood_id in worker.neighbourhood_ids() and suggestion.size >= 5
    group = Group.objects.get(status=Group.Status.ACTIVE)
    past = group.meetings.get()
    assert past.starts_at < timezone.now() and past.minutes and past.decisions.exists()
    table = Meeting.objects.get(kind=Meeting.Kind.TABLE)
    assert table.is_public and table.starts_at > timezone.now()
