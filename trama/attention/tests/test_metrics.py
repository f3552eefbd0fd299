from datetime import UTC, datetime, timedelta

import pytest

from trama.attention.models import Signal
from trama.attention.queries import signal_metrics
from trama.people.models import Role

pytestmark = pytest.mark.django_db

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


@pytest.fixture
def fixed_signals(make_signal, make_user, other_neighbourhood):
    """Five signals in March 2025 plus one in April: fixed times to first contact of 1, 2 and 6 days."""

    def signal(day, contact_after=None, taken_up=False, where=None, **kwargs):
        s = make_signal(where=where, by=make_user(Role.ANTENNA, [where]) if where else None, **kwargs)
        s.created_at = T0 + timedelta(days=day)
        if contact_after is not None or taken_up:
            s.taken_up_at = s.created_at + timedelta(hours=1)
        if contact_after is not None:
            s.first_contact_at = s.created_at + timedelta(days=contact_after)
        s.save()
        return s

    first = signal(0, contact_after=1)
    signal(1, contact_after=2)
    signal(2, taken_up=True)
    signal(3)  # no action
    signal(4, contact_after=6, where=other_neighbourhood)
    Signal.objects.filter(pk=signal(5).pk).update(merged_into=first)  # the same situation: not counted
    signal(40, contact_after=10)  # April
    return first


def test_metrics_give_the_share_taken_up_and_the_median_time_to_first_contact(fixed_signals):
    m = signal_metrics(until=datetime(2025, 4, 1, tzinfo=UTC))
    assert (m["signals"], m["taken_up"], m["contacted"]) == (5, 4, 3)
    assert m["share_taken_up"] == pytest.approx(0.8)
    assert m["median_to_first_contact"] == timedelta(days=2)


def test_metrics_filter_by_neighbourhood_and_period(fixed_signals, neighbourhood, other_neighbourhood):
    mine = signal_metrics(neighbourhoods=[neighbourhood], since=T0, until=datetime(2025, 4, 1, tzinfo=UTC))
    assert (mine["signals"], mine["median_to_first_contact"]) == (4, timedelta(days=1, hours=12))
    april = signal_metrics(since=datetime(2025, 4, 1, tzinfo=UTC))
    assert (april["signals"], april["share_taken_up"], april["median_to_first_contact"]) == (1, 1.0, timedelta(days=10))


def test_metrics_of_no_signals_say_so_instead_of_dividing_by_zero(db, city):
    m = signal_metrics(city=city)
    assert (m["signals"], m["share_taken_up"], m["median_to_first_contact"]) == (0, None, None)
