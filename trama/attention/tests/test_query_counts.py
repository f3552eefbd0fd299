"""Every list page of attention reads a fixed number of queries, whatever the rows it shows."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from trama.attention import services
from trama.attention.models import Antenna, Encounter, OutreachTask, Signal, TrainingModule, TrainingSession
from trama.people.models import Role
from trama.testing import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


@pytest.fixture
def grow(city, users, neighbourhood, antenna, make_user, make_signal):
    """Adds `n` rows to each attention list: signals (open and closed), outreach, encounters, antennas, modules, trainings."""
    worker = users[Role.WORKER]
    profile = Antenna.objects.get(account=antenna)
    made = {"n": 0}

    def grow(n):
        for _ in range(n):
            i = made["n"] = made["n"] + 1
            signal = make_signal(text=f"Non la vedo da giorni {i}")
            closed = make_signal(text=f"Chiusa {i}")
            services.triage(closed, by=worker, outcome=Signal.Outcome.NO_ACTION, note="niente")
            services.plan_outreach(
                by=worker,
                signal=signal,
                assigned_to=make_user(Role.WORKER, [neighbourhood]),
                method=OutreachTask.Method.PHONE,
                due_date=timezone.localdate() + timedelta(days=i),
            )
            services.record_encounter(
                by=make_user(Role.WORKER, [neighbourhood]),
                neighbourhood=neighbourhood,
                setting=Encounter.Setting.STREET,
                happened_at=timezone.now(),
                notes=f"Incontro {i}",
                signal=signal,
            )
            other = Antenna.objects.create(account=make_user(Role.ANTENNA, [neighbourhood]), kind=Antenna.Kind.SHOP)
            module = TrainingModule.objects.create(city=city, title=f"Modulo {i}", content="x", duration_minutes=60)
            session = TrainingSession.objects.create(module=module, starts_at=timezone.now(), location="Sala")
            services.record_attendance(session, [profile, other], by=users[Role.COORDINATOR])

    return grow


PAGES = [
    (Role.ANTENNA, "attention:my_signals", ""),
    (Role.WORKER, "attention:queue", ""),
    (Role.WORKER, "attention:queue", "?stato=closed"),
    (Role.COORDINATOR, "attention:queue", "?stato=all"),
    (Role.WORKER, "attention:outreach_list", ""),
    (Role.COORDINATOR, "attention:outreach_list", ""),
    (Role.WORKER, "attention:encounters", ""),
    (Role.COORDINATOR, "attention:encounters", ""),
    (Role.WORKER, "attention:antennas", ""),
    (Role.COORDINATOR, "attention:antennas", ""),
    (Role.ANTENNA, "attention:modules", ""),
    (Role.COORDINATOR, "attention:modules", ""),
    (Role.COORDINATOR, "attention:coverage", ""),
]


@pytest.mark.parametrize("role, name, query", PAGES)
def test_attention_list_pages_read_as_many_queries_for_twenty_rows_as_for_two(client, users, grow, role, name, query):
    client.force_login(users[role])
    assert_queries_do_not_grow(client, reverse(name) + query, grow)
