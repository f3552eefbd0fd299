"""Someone who does not know their neighbourhood is taken in by a community point's neighbourhood."""

import pytest

from trama.territory.models import Neighbourhood, Place
from trama.territory.queries import where_unknown_goes

pytestmark = pytest.mark.django_db


def _point(neighbourhood):
    Place.objects.create(neighbourhood=neighbourhood, name=f"Punto {neighbourhood.name}", kind=Place.Kind.COMMUNITY_POINT)


def test_the_neighbourhood_with_a_community_point_takes_in_who_does_not_know(city, make_neighbourhood):
    make_neighbourhood("Aurora")
    Place.objects.create(neighbourhood=make_neighbourhood("Borgo"), name="Biblioteca", kind=Place.Kind.LIBRARY)
    with_point = make_neighbourhood("Centro")
    _point(with_point)
    assert where_unknown_goes(Neighbourhood.objects.filter(city=city)) == with_point


def test_a_pilot_community_point_comes_before_the_others(city, make_neighbourhood):
    _point(make_neighbourhood("Aurora"))
    pilot = make_neighbourhood("Zeta", is_pilot=True)
    _point(pilot)
    assert where_unknown_goes(Neighbourhood.objects.filter(city=city)) == pilot


def test_with_no_community_point_the_first_neighbourhood_by_name(city, make_neighbourhood):
    make_neighbourhood("Molinetto")
    first = make_neighbourhood("Lubiana")
    assert where_unknown_goes(Neighbourhood.objects.filter(city=city)) == first
    assert where_unknown_goes(Neighbourhood.objects.none()) is None
