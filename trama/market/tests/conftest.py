"""Small factories for the market's tests."""

import pytest

from trama.market import services
from trama.people.models import Organisation, Role, Service
from trama.people.rules import ORGANISATIONS
from trama.territory.models import City, Neighbourhood, Place


@pytest.fixture
def make_offer(users, neighbourhood, organisation):
    def make(title="Accompagno a fare la spesa", description="", kind="time", where=None, person=None, **kwargs):
        return services.record_offer(
            person=person,
            organisation=None if person else kwargs.pop("organisation", organisation),
            kind=kind,
            title=title,
            description=description,
            neighbourhoods=where or [neighbourhood],
            by=users[Role.COORDINATOR],
            **kwargs,
        )

    return make


@pytest.fixture
def make_need(users, neighbourhood, make_person):
    def make(text="Mi servirebbe qualcuno che mi accompagni a fare la spesa", person=None, where=None, **kwargs):
        where = where or neighbourhood
        return services.record_need(
            person=person or make_person(where),
            text=text,
            neighbourhood=where,
            urgency=kwargs.pop("urgency", "medium"),
            by=users[Role.COORDINATOR],
            **kwargs,
        )

    return make


@pytest.fixture
def services_everywhere(city, neighbourhood, other_neighbourhood, make_neighbourhood, organisation):
    """A service of the same words for each kind of organisation a worker may or may not see: working in
    her neighbourhood, in another, in both, in none yet (anyone's), and one of another city."""
    third = make_neighbourhood("Terzo")
    far = City.objects.create(name="Altrove", slug="altrove", centre_lat=45.0, centre_lon=9.0)
    there = Neighbourhood.objects.create(city=far, name="Centro", slug="altrove-centro")
    place = Place.objects.create(neighbourhood=neighbourhood, name="Punto di comunità")

    def service(org, where, in_city=city, at=place):
        if org is None:
            name = f"Associazione {Organisation.objects.count()}"
            org = Organisation.objects.create(city=in_city, name=name, sector=Organisation.Sector.THIRD_SECTOR)
            org.neighbourhoods.set(where)
        return Service.objects.create(organisation=org, name="Pranzo solidale", description="Un pranzo caldo in compagnia", place=at)

    organisation.neighbourhoods.set([other_neighbourhood])
    return {
        "here": service(None, [neighbourhood]),
        "other": service(organisation, [other_neighbourhood]),  # the partner's own organisation
        "both": service(None, [third, neighbourhood]),
        "third": service(None, [third]),
        "anywhere": service(None, []),
        "far": service(None, [there], in_city=far, at=Place.objects.create(neighbourhood=there, name="Sala")),
    }


@pytest.fixture
def services_by_rule():
    """The ids of the city's services `user` may see, straight from rules.ORGANISATIONS (the scope of their
    organisation's profile; without a user, all of the city's): what the market's faster reads must agree with."""

    def ids(user, city_id):
        organisations = Organisation.objects.filter(city_id=city_id) if user is None else ORGANISATIONS.visible_to(user).filter(city_id=city_id)
        return set(Service.objects.filter(organisation__in=organisations.values_list("pk", flat=True)).values_list("pk", flat=True))

    return ids
