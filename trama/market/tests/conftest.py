"""Small factories for the market's tests."""

import pytest

from trama.market import services
from trama.people.models import Role


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
