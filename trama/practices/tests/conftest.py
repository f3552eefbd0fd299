import pytest

from trama.people.models import Organisation, Role
from trama.practices.models import Practice


@pytest.fixture
def partner(users):
    return users[Role.PARTNER]


@pytest.fixture
def make_practice(city, neighbourhood, worker):
    def make(title="Merenda in cortile", status=Practice.Status.DRAFT, where=None, themes=(), **fields):
        practice = Practice.objects.create(
            city=fields.pop("city", city),
            title=title,
            what_we_did=fields.pop("what_we_did", "Ogni giovedì una merenda in cortile, con la scuola e la parrocchia."),
            status=status,
            written_by=fields.pop("written_by", worker),
            **fields,
        )
        practice.neighbourhoods.set(where or [neighbourhood])
        practice.themes.set(themes)
        return practice

    return make


@pytest.fixture
def other_organisation(city, make_user):
    org = Organisation.objects.create(city=city, name="Bottega di via Roma", sector=Organisation.Sector.BUSINESS)
    org.members.add(make_user(Role.PARTNER))
    return org
