import pytest

from trama.attention.demo import load_demo
from trama.attention.models import Antenna, Attendance, Signal, TrainingModule, TrainingSession
from trama.people.demo import create_demo_accounts
from trama.territory.demo import load_demo_territory

pytestmark = pytest.mark.django_db


def counts():
    return [m.objects.count() for m in (Antenna, TrainingModule, TrainingSession, Attendance, Signal)]


def test_the_demo_loads_training_and_signals_of_the_demo_antenna_and_twice_changes_nothing(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    city = load_demo_territory()
    create_demo_accounts(city)
    summary = load_demo(city)
    assert "\n" not in summary and "segnalazioni" in summary
    first = counts()
    assert first[0] == 1 and first[4] == 3 and first[3] == 1
    antenna = Antenna.objects.get().account
    assert all(s.neighbourhood_id in antenna.neighbourhood_ids() for s in Signal.objects.all())
    load_demo(city)
    assert counts() == first
