"""Small factories for the insights tests: records made through their own apps' services, or with the ORM
at fixed dates for the apps whose services insights does not need (collective, initiatives, themes)."""

import functools
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from trama.attention import services as attention
from trama.attention.models import Antenna, TrainingModule, TrainingSession
from trama.collective.models import Group, Meeting, Membership
from trama.initiatives.models import Initiative, InterventionObject, Participation, StageTransition
from trama.market import services as market
from trama.people.models import Organisation, Person, Role
from trama.themes.models import Tag, TextItem, Theme


def at(day, hour=10):
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def make_person(make_person):
    """The shared factory, but people come on their own (channel SELF) unless told otherwise: the channel is counted."""
    return functools.partial(make_person, channel=Person.Channel.SELF)


@pytest.fixture
def make_organisation(city):
    def make(name="Associazione Il Ponte", sector=Organisation.Sector.THIRD_SECTOR, **kwargs):
        return Organisation.objects.create(city=city, name=name, sector=sector, **kwargs)

    return make


@pytest.fixture
def give(coordinator, neighbourhood):
    """Record a contribution in the ledger (through the market's service)."""

    def make(kind="hours", quantity=1, on=date(2025, 2, 15), where=None, person=None, organisation=None, **kwargs):
        return market.record_contribution(
            kind=kind,
            quantity=Decimal(str(quantity)),
            on=on,
            neighbourhood=where or neighbourhood,
            by=coordinator,
            person=person,
            organisation=organisation,
            **kwargs,
        )

    return make


@pytest.fixture
def make_antenna(make_user, city, worker):
    """An antenna account with its profile, active since 2024 (and trained then, if asked)."""
    module = {}

    def make(where, kind=Antenna.Kind.PHARMACY, trained=False, active=True):
        account = make_user(Role.ANTENNA, [where])
        antenna = Antenna.objects.create(account=account, kind=kind, active=active)
        # Since 2024; one made inactive has never been active (Antenna.deactivated_at).
        Antenna.objects.filter(pk=antenna.pk).update(created_at=at(date(2024, 6, 1)), deactivated_at=None if active else at(date(2024, 6, 1)))
        if trained:
            if "m" not in module:
                module["m"] = TrainingModule.objects.create(city=city, title="Accorgersi", content="Testo", duration_minutes=60)
                module["s"] = TrainingSession.objects.create(module=module["m"], starts_at=at(date(2024, 9, 1)), location="Sala")
            attention.record_attendance(module["s"], [antenna], by=worker)
        return antenna

    return make


@pytest.fixture
def send_signal():
    def make(antenna, where, day=date(2025, 2, 10), text="Non la vedo da giorni"):
        return attention.send_signal(by=antenna.account, neighbourhood=where, text=text, created_at=at(day))

    return make


# -- rows of the collective, initiatives and themes apps, made with the ORM at fixed dates ------


@pytest.fixture
def make_initiative(city):
    """An initiative in `where`, created on `created`, through the given stages: [(stage, day)]."""

    def make(where, created=date(2024, 12, 1), moves=(), obj=None, name="Iniziativa", public=False):
        initiative = Initiative.objects.create(
            city=city, name=name, description="Che cosa si fa", origin="worker", intervention_object=obj, is_public=public
        )
        initiative.neighbourhoods.set(where)
        stage = Initiative.Stage.IDEA
        for to, day in moves:
            StageTransition.objects.create(initiative=initiative, from_stage=stage, to_stage=to, reason="Verifica", at=at(day))
            stage = to
        Initiative.objects.filter(pk=initiative.pk).update(stage=stage, created_at=at(created))
        return initiative

    return make


@pytest.fixture
def make_object(city):
    def make(name):
        return InterventionObject.objects.create(city=city, name=name, slug=name.lower().replace(" ", "-"), description=name)

    return make


@pytest.fixture
def take_part():
    def make(initiative, person, joined, left=None, first_contact=False):
        return Participation.objects.create(
            initiative=initiative, person=person, joined_at=at(joined), left_at=at(left) if left else None, first_contact=first_contact
        )

    return make


@pytest.fixture
def make_group(city):
    def make(where, created=date(2025, 1, 15), members=(), name="Gruppo"):
        group = Group.objects.create(city=city, neighbourhood=where, name=name, purpose="Stare insieme")
        Group.objects.filter(pk=group.pk).update(created_at=at(created))
        for person in members:
            Membership.objects.create(group=group, person=person, joined_at=at(created))
        return group

    return make


@pytest.fixture
def make_meeting(city):
    def make(where, day, group=None, kind=Meeting.Kind.GROUP, attendees=(), count=None):
        meeting = Meeting.objects.create(
            city=city, neighbourhood=where, group=group, kind=kind, title="Incontro", starts_at=at(day), attendance_count=count
        )
        meeting.attendees.set(attendees)
        return meeting

    return make


@pytest.fixture
def make_item(city):
    """A text item of `where` written on `day`, tagged with `themes` (and with `rejected` themes set aside)."""
    sequence = iter(range(1, 10**6))

    def make(where, day, themes=(), rejected=()):
        item = TextItem.objects.create(
            city=city, source=TextItem.Source.IMPORT, source_id=next(sequence), text="Testo", neighbourhood=where, written_at=at(day)
        )
        for theme in themes:
            Tag.objects.create(item=item, theme=theme, origin=Tag.Origin.PERSON)
        for theme in rejected:
            Tag.objects.create(item=item, theme=theme, origin=Tag.Origin.ENGINE, rejected=True)
        return item

    return make


@pytest.fixture
def make_theme(city):
    def make(name, status=Theme.Status.NAMED, categories=(), outside=False):
        theme = Theme.objects.create(city=city, name=name, status=status, outside_categories=outside)
        theme.categories.set(categories)
        return theme

    return make
