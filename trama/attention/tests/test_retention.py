from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from trama.attention import services
from trama.attention.models import Signal
from trama.attention.tasks import anonymise_old_signals, anonymise_signals_that_led_to_nothing

pytestmark = pytest.mark.django_db


def closed_days_ago(signal, days):
    Signal.objects.filter(pk=signal.pk).update(closed_at=timezone.now() - timedelta(days=days))
    signal.refresh_from_db()
    return signal


@pytest.fixture
def led_to_nothing(worker, make_signal):
    return closed_days_ago(services.triage(make_signal(text="Testo da dimenticare", age_band="80_plus"), by=worker, outcome="no_action", note="Nulla"), 400)


def test_signals_that_led_to_nothing_are_anonymised_after_the_retention_period(led_to_nothing):
    assert anonymise_signals_that_led_to_nothing() == 1
    led_to_nothing.refresh_from_db()
    assert (led_to_nothing.text, led_to_nothing.outcome_note, led_to_nothing.age_band) == ("", "", "")
    assert led_to_nothing.anonymised_at is not None
    # What the indicators need stays.
    assert (led_to_nothing.outcome, led_to_nothing.neighbourhood_id) == ("no_action", led_to_nothing.neighbourhood_id)
    assert anonymise_signals_that_led_to_nothing() == 0


def test_recent_signals_and_those_that_led_to_contact_are_kept(worker, make_signal, neighbourhood):
    recent = closed_days_ago(services.triage(make_signal(), by=worker, outcome="no_action", note="Nulla"), 10)
    met = make_signal()
    services.record_encounter(by=worker, neighbourhood=neighbourhood, setting="home", happened_at=timezone.now(), signal=met)
    met = closed_days_ago(services.close_signal(met, by=worker), 400)
    assert anonymise_signals_that_led_to_nothing() == 0
    for signal in (recent, met):
        signal.refresh_from_db()
        assert signal.text and signal.anonymised_at is None


def test_the_retention_period_is_configurable(settings, led_to_nothing):
    settings.TRAMA_SIGNAL_RETENTION_DAYS = 500
    assert anonymise_signals_that_led_to_nothing() == 0
    settings.TRAMA_SIGNAL_RETENTION_DAYS = 30
    assert anonymise_signals_that_led_to_nothing() == 1


def test_the_task_and_the_command_run_the_anonymisation(led_to_nothing, capsys):
    anonymise_old_signals.enqueue()
    led_to_nothing.refresh_from_db()
    assert led_to_nothing.anonymised_at is not None
    call_command("anonymise_signals")
    assert "0 segnalazioni anonimizzate" in capsys.readouterr().out
