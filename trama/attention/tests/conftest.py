import pytest

from trama.attention import services
from trama.attention.models import Antenna, Signal
from trama.people.models import Role


@pytest.fixture
def antenna(users):
    """The antenna account of `users`, with its profile (a pharmacy in `neighbourhood`)."""
    Antenna.objects.create(account=users[Role.ANTENNA], kind=Antenna.Kind.PHARMACY)
    return users[Role.ANTENNA]


@pytest.fixture
def make_signal(antenna, neighbourhood):
    def make(by=None, where=None, text="Non la vedo da giorni", urgency=Signal.Urgency.MEDIUM, **kwargs):
        return services.send_signal(by=by or antenna, neighbourhood=where or neighbourhood, text=text, urgency=urgency, **kwargs)

    return make
