"""Small factories for the market's tests."""

import pytest

from trama.people.models import Consent, Organisation, Person, Role
from trama.people.services import register_person
from trama.market import services


@pytest.fixture
def make_person(users, neighbourhood):
    def make(where=None, name="Gino", account=None):
        person = register_person(
            by=users[Role.WORKER], neighbourhood=where or neighbourhood, display_name=name,
            channel=Person.Channel.OUTREACH, consents=[Consent.Purpose.REGISTRATION],
        )
        if account is not None:
            person.account = account
            person.save(update_fields=["account"])
        return person

    return make


@pytest.fixture
def organisation(city, users):
    org = Organisation.objects.create(city=city, name="Associazione Il Ponte", sector=Organisation.Sector.THIRD_SECTOR)
    org.members.add(users[Role.PARTNER])
    return org


@pytest.fixture
def make_offer(users, neighbourhood, organisation):
    def make(title="Accompagno a fare la spesa", description="", kind="time", where=None, person=None, **kwargs):
        return services.record_offer(
            person=person, organisation=None if person else kwargs.pop("organisation", organisation), kind=kind,
            title=title, description=description, neighbourhoods=where or [neighbourhood], by=users[Role.WORKER], **kwargs,
        )

    return make


@pytest.fixture
def make_need(users, neighbourhood, make_person):
    def make(text="Mi servirebbe qualcuno che mi accompagni a fare la spesa", person=None, where=None, **kwargs):
        where = where or neighbourhood
        return services.record_need(
            person=person or make_person(where), text=text, neighbourhood=where, urgency=kwargs.pop("urgency", "medium"),
            by=users[Role.WORKER], **kwargs,
        )

    return make
