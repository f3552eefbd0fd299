"""Small factories for the initiatives app's tests."""

import pytest

from trama.initiatives import services
from trama.initiatives.models import Initiative, InterventionObject, Partner
from trama.people.models import Organisation
from trama.territory.models import Place


@pytest.fixture
def other_organisation(city):
    return Organisation.objects.create(city=city, name="Bottega di via Roma", sector=Organisation.Sector.BUSINESS)


@pytest.fixture
def activity(city):
    return InterventionObject.objects.create(
        city=city,
        name="Pranzo condiviso",
        slug="pranzo-condiviso",
        description="Si cucina e si mangia insieme.",
        purpose="Stare insieme a tavola.",
        wording_guidance="Presenta l'attività, non le persone a cui si rivolge.",
    )


@pytest.fixture
def place(neighbourhood):
    return Place.objects.create(neighbourhood=neighbourhood, name="Sala civica", kind=Place.Kind.CIVIC_CENTRE, address="Via Po 1")


@pytest.fixture
def make_initiative(city, neighbourhood, coordinator):
    def make(name="Pranzo della domenica", stage="idea", where=None, is_public=False, **fields):
        initiative = services.create_initiative(
            city=city,
            by=coordinator,
            origin=fields.pop("origin", Initiative.Origin.WORKER),
            neighbourhoods=where or [neighbourhood],
            name=name,
            description=fields.pop("description", "Un pranzo aperto a tutti, una domenica al mese."),
            is_public=is_public,
            **fields,
        )
        path = ["incubation", "accompanied", "autonomous"]
        if stage == "ended":
            services.move_initiative(initiative, "ended", "Fine", by=coordinator)
        elif stage != "idea":
            for step in path[: path.index(stage) + 1]:
                services.move_initiative(initiative, step, "Avanti", by=coordinator)
        return initiative

    return make


@pytest.fixture
def initiative(make_initiative, activity, place):
    return make_initiative(
        stage="accompanied",
        is_public=True,
        intervention_object=activity,
        place=place,
        when="Ogni domenica alle 12",
        how_to_join="Basta presentarsi",
        contact_email="pranzo@example.org",
    )


@pytest.fixture
def partner(initiative, organisation, coordinator):
    return services.add_partner(initiative, organisation=organisation, role=Partner.Role.HOST, by=coordinator)
