import pytest

from trama.initiatives.demo import load_demo
from trama.initiatives.models import Agreement, Commitment, Initiative, InterventionObject, Partner
from trama.market.demo import load_demo as load_market_demo
from trama.people.demo import create_demo_accounts
from trama.territory.demo import load_demo_territory
from trama.testing import STIGMA

pytestmark = pytest.mark.django_db


def test_the_demo_loads_twice_without_changing_anything(client):
    city = load_demo_territory()
    create_demo_accounts(city)
    load_market_demo(city)
    first = load_demo(city)
    counts = [m.objects.count() for m in (InterventionObject, Initiative, Partner, Commitment, Agreement)]
    assert load_demo(city) == first
    assert counts == [m.objects.count() for m in (InterventionObject, Initiative, Partner, Commitment, Agreement)]
    assert counts[0] >= 8 and counts[1] == 3 and counts[4] == 1
    assert {i.stage for i in Initiative.objects.all()} == {"incubation", "accompanied", "autonomous"}
    assert Agreement.objects.get().document.name == ""
    assert Initiative.objects.filter(partners__organisation__members__username="partner").exists()
    for obj in InterventionObject.objects.all():
        assert not STIGMA.search(f"{obj.name} {obj.description} {obj.purpose}"), obj.name
    page = client.get("/iniziative/catalogo/").content.decode()
    assert page.count('class="card-title h5"') == 3
