"""Small factories for the insights tests: records made through their own apps' services."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from trama.attention import services as attention
from trama.attention.models import Antenna, TrainingModule, TrainingSession
from trama.market import services as market
from trama.people.models import Consent, Organisation, Person, Role
from trama.people.services import register_person

def at(day, hour=10):
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def worker(users):
    return users[Role.WORKER]


@pytest.fixture
def make_person(worker, neighbourhood):
    def make(where=None, name="Gino", channel=Person.Channel.SELF, known=None):
        return register_person(
            by=worker, neighbourhood=where or neighbourhood, display_name=name, channel=channel,
            known_to_services=known, consents=[Consent.Purpose.REGISTRATION],
        )

    return make


@pytest.fixture
def make_organisation(city):
    def make(name="Associazione Il Ponte", sector=Organisation.Sector.THIRD_SECTOR, **kwargs):
        return Organisation.objects.create(city=city, name=name, sector=sector, **kwargs)

    return make


@pytest.fixture
def give(worker, neighbourhood):
    """Record a contribution in the ledger (through the market's service)."""
    def make(kind="hours", quantity=1, on=date(2025, 2, 15), where=None, person=None, organisation=None, **kwargs):
        return market.record_contribution(
            kind=kind, quantity=Decimal(str(quantity)), on=on, neighbourhood=where or neighbourhood, by=worker,
            person=person, organisation=organisation, **kwargs,
        )

    return make


@pytest.fixture
def make_antenna(make_user, city, worker):
    """An antenna account with its profile, active since 2024 (and trained then, if asked)."""
    module = {}

    def make(where, kind=Antenna.Kind.PHARMACY, trained=False, active=True):
        account = make_user(Role.ANTENNA, [where])
        antenna = Antenna.objects.create(account=account, kind=kind, active=active)
        Antenna.objects.filter(pk=antenna.pk).update(created_at=at(date(2024, 6, 1)))
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
