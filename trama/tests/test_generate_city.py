from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, ForeignKey, Max, Min

from trama import synthetic
from trama.attention.models import Antenna, Encounter, OutreachTask, Signal
from trama.collective.models import Group, Meeting, Membership
from trama.initiatives.models import (
    Agreement, AgreementParty, AutonomyAssessment, Commitment, Initiative, InterventionObject, Milestone, Participation, Partner,
    StageTransition,
)
from trama.market.models import Contribution, Match, Need, Offer
from trama.people.models import Consent, Organisation, Person, Role, User
from trama.territory.models import City

SMALL = {"residents": 2000, "years": 1}
GENERATED = [
    Organisation, Organisation.neighbourhoods.through, Organisation.members.through, User, User.neighbourhoods.through,
    Antenna, Person, Consent, Offer, Offer.neighbourhoods.through, Need, Match, Contribution, Signal, OutreachTask, Encounter,
    Group, Membership, Meeting, Meeting.attendees.through, InterventionObject, Initiative, Initiative.neighbourhoods.through,
    StageTransition, Partner, Commitment, Milestone, Participation, AutonomyAssessment, Agreement, AgreementParty,
]


def generate(seed=1, **options):
    call_command("generate_city", seed=seed, stdout=StringIO(), **{**SMALL, **options})


def dump():
    """Every generated row, ids counted from each table's first one (a new run gets new ids)."""
    base = {model: model.objects.aggregate(first=Min("pk"))["first"] or 0 for model in GENERATED}

    def relative(model, row):
        out = {}
        for field in model._meta.concrete_fields:
            value = row[field.attname]
            target = field.related_model if isinstance(field, ForeignKey) else (model if field.primary_key else None)
            out[field.name] = value - base[target] if value is not None and target in base else value
        return out

    return {model.__name__: [relative(model, row) for row in model.objects.order_by("pk").values()] for model in GENERATED}


@pytest.mark.django_db
def test_same_seed_gives_the_same_city_and_another_seed_another():
    generate(seed=7)
    first = dump()
    generate(seed=7)
    assert dump() == first
    generate(seed=8)
    assert dump()["Signal"] != first["Signal"]


@pytest.mark.django_db
def test_a_second_run_replaces_the_synthetic_city_instead_of_adding_to_it():
    generate()
    people, signals = Person.objects.count(), Signal.objects.count()
    generate()
    assert (Person.objects.count(), Signal.objects.count()) == (people, signals)


@pytest.mark.django_db
def test_people_engaged_are_two_to_three_percent_of_residents_spread_by_population():
    generate(residents=10_000)
    assert 200 <= Person.objects.count() <= 300
    city = City.objects.get()
    hoods = list(city.neighbourhoods.annotate(n=Count("people")))
    total_population = sum(h.population for h in hoods)
    for hood in hoods:
        assert abs(hood.n - Person.objects.count() * hood.population / total_population) <= 1
    assert all(h.accounts.filter(role=Role.WORKER).exists() and h.accounts.filter(role=Role.ANTENNA).exists() for h in hoods)


@pytest.mark.django_db
def test_every_kind_of_record_is_there_in_sane_proportions():
    generate(residents=10_000)
    people = Person.objects.count()
    assert Organisation.objects.count() == 10
    assert Antenna.objects.count() == 20
    assert Need.objects.count() == 100 and Offer.objects.count() > 30
    assert 0 < Match.objects.count() < 2 * Need.objects.count()
    assert Contribution.objects.exists() and OutreachTask.objects.exists() and Encounter.objects.exists()
    assert Signal.objects.count() == 60
    assert Consent.objects.filter(purpose=Consent.Purpose.REGISTRATION).count() == people
    assert not Offer.objects.filter(taken__gt=0).exclude(matches__status__in=Match.HOLDS_CAPACITY).exists()


@pytest.mark.django_db
def test_dates_are_spread_over_the_years_before_the_reference_date():
    generate(years=2, reference_date="2025-06-30")
    span = Signal.objects.aggregate(first=Min("created_at"), last=Max("created_at"))
    assert span["last"].date() <= date(2025, 6, 30)
    assert span["first"].date() >= date(2023, 6, 30)
    assert span["last"] - span["first"] > timedelta(days=365)


@pytest.mark.django_db
def test_records_are_recognisably_synthetic_and_texts_varied():
    generate()
    assert not synthetic.real_data_exists()
    assert not Person.objects.exclude(display_name__startswith="Persona sintetica ").exists()
    assert not User.objects.exclude(email__endswith="@sintetico.invalid").exists()
    texts = list(Signal.objects.values_list("text", flat=True)) + list(Need.objects.values_list("text", flat=True))
    assert len(set(texts)) > 0.9 * len(texts)


@pytest.mark.django_db
def test_refuses_a_database_with_real_people_unless_forced(neighbourhood):
    real = Person.objects.create(city=neighbourhood.city, neighbourhood=neighbourhood, display_name="Gino")
    with pytest.raises(CommandError, match="offerte reali"):
        generate()
    assert not Signal.objects.exists()
    generate(force=True)
    assert Signal.objects.exists()
    assert Person.objects.filter(pk=real.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("options, message", [
    ({"residents": 0}, "residenti"),
    ({"residents": -5}, "residenti"),
    ({"residents": 10**9}, "residenti"),
    ({"years": 0}, "anni"),
    ({"years": 500}, "anni"),
    ({"reference_date": "ieri"}, "Data di riferimento"),
])
def test_bad_arguments_are_refused_in_italian(options, message):
    with pytest.raises(CommandError, match=message):
        generate(**options)
    assert not Person.objects.exists()
