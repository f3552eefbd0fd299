import pytest

from trama.market.demo import load_demo
from trama.market.models import Contribution, Match, Need, Offer
from trama.people.demo import create_demo_accounts
from trama.territory.demo import load_demo_territory

pytestmark = pytest.mark.django_db


def test_the_demo_loads_twice_without_changing_anything():
    city = load_demo_territory()
    create_demo_accounts(city)
    first = load_demo(city)
    counts = [Offer.objects.count(), Need.objects.count(), Match.objects.count(), Contribution.objects.count()]
    assert load_demo(city) == first
    assert counts == [Offer.objects.count(), Need.objects.count(), Match.objects.count(), Contribution.objects.count()]
    assert counts[2] == 1 and counts[3] == 1
    assert Offer.objects.filter(organisation__members__username="partner").exists()
