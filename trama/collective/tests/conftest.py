"""Small factories for the collective app's tests."""

import pytest

from trama.collective import services
from trama.market import services as market
from trama.people.models import Role
from trama.territory.models import Place

SHOPPING = [
    "Non riesco a portare a casa la spesa, è troppo pesante per me",
    "Mi servirebbe aiuto per portare la spesa pesante fino al terzo piano",
    "Da sola non ce la faccio più a fare la spesa e portarla a casa",
    "Cerco qualcuno che mi aiuti a portare la spesa pesante",
    "La spesa è pesante e non ho la macchina per portarla a casa",
    "Aiuto a fare la spesa: le borse sono pesanti da portare",
    "Portare la spesa su per le scale è diventato difficile",
]
HOMEWORK = [
    "Mio figlio ha bisogno di aiuto con i compiti di matematica",
    "Cerco qualcuno per i compiti di matematica di mia figlia",
]


def box(west, south=44.80, size=0.01):
    """A square boundary: boxes `size` apart touch, boxes further apart do not."""
    east, north = west + size, south + size
    return {"type": "Polygon", "coordinates": [[[west, south], [east, south], [east, north], [west, north], [west, south]]]}


@pytest.fixture
def row(make_neighbourhood):
    """Three neighbourhoods in a row: west touches middle, middle touches east, west and east do not touch."""
    return (
        make_neighbourhood("Ovest", boundary=box(10.30)),
        make_neighbourhood("Centro", boundary=box(10.31)),
        make_neighbourhood("Est", boundary=box(10.32)),
    )


@pytest.fixture
def make_need(users, neighbourhood, make_person):
    def make(text=SHOPPING[0], where=None, person=None):
        where = where or neighbourhood
        return market.record_need(
            person=person or make_person(where),
            text=text,
            neighbourhood=where,
            urgency="medium",
            by=users[Role.COORDINATOR],
        )

    return make


@pytest.fixture
def shopping_suggestion(city, neighbourhood, make_need):
    """Six people of `neighbourhood` who cannot carry their shopping home: one open suggestion."""
    for text in SHOPPING[:6]:
        make_need(text)
    services.refresh_suggestions(city)
    from trama.collective.models import Suggestion

    return Suggestion.objects.get(city=city, status=Suggestion.Status.OPEN)


@pytest.fixture
def make_group(users, neighbourhood):
    def make(name="Spesa insieme", where=None, status=None):
        where = where or neighbourhood
        group = services.create_group(
            city=where.city,
            neighbourhood=where,
            name=name,
            purpose="Fare la spesa insieme",
            by=users[Role.COORDINATOR],
            facilitator=users[Role.WORKER],
        )
        if status == "active":
            group.activate()
        return group

    return make


@pytest.fixture
def place(neighbourhood):
    return Place.objects.create(neighbourhood=neighbourhood, name="Centro civico", kind=Place.Kind.COMMUNITY_POINT, address="Via Roma 1")
