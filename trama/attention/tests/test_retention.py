"""Signals under the retention schedule (privacy.retention): what is kept of them, and when."""

from datetime import timedelta

import pytest
from django.utils import timezone

from trama.attention import services
from trama.attention.models import Signal
from trama.privacy.retention import apply_retention

pytestmark = pytest.mark.django_db


def closed_days_ago(signal, days):
    Signal.objects.filter(pk=signal.pk).update(closed_at=timezone.now() - timedelta(days=days))
    signal.refresh_from_db()
    return signal


def anonymised_signals():
    return sum(o.count for o in apply_retention() if o.key.startswith("attention.Signal"))


@pytest.fixture
def led_to_nothing(worker, make_signal):
    return closed_days_ago(
        services.triage(make_signal(text="Testo da dimenticare", age_band="80_plus"), by=worker, outcome="no_action", note="Nulla"), 400
    )


def test_signals_that_led_to_nothing_are_anonymised_after_the_retention_period(led_to_nothing):
    assert anonymised_signals() == 1
    led_to_nothing.refresh_from_db()
    assert (led_to_nothing.text, led_to_nothing.outcome_note, led_to_nothing.age_band) == ("", "", "")
    assert led_to_nothing.anonymised_at is not None
    # What the indicators need stays.
    assert (led_to_nothing.outcome, led_to_nothing.neighbourhood_id) == ("no_action", led_to_nothing.neighbourhood_id)
    assert anonymised_signals() == 0


def test_recent_signals_and_those_that_led_to_contact_are_kept_longer(worker, make_signal, neighbourhood):
    recent = closed_days_ago(services.triage(make_signal(), by=worker, outcome="no_action", note="Nulla"), 10)
    met = make_signal()
    services.record_encounter(by=worker, neighbourhood=neighbourhood, setting="home", happened_at=timezone.now(), signal=met)
    met = closed_days_ago(services.close_signal(met, by=worker), 400)
    assert anonymised_signals() == 0
    for signal in (recent, met):
        signal.refresh_from_db()
        assert signal.text and signal.anonymised_at is None
    closed_days_ago(met, 800)
    assert anonymised_signals() == 1


def test_the_retention_period_is_configurable(settings, led_to_nothing):
    settings.TRAMA_RETENTION_MONTHS = {"attention.Signal": 14}
    assert anonymised_signals() == 0
    settings.TRAMA_RETENTION_MONTHS = {"attention.Signal": 6}
    assert anonymised_signals() == 1
