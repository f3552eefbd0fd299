import pytest

from .push_fixtures import Browser, switch_push_on


@pytest.fixture
def vapid(settings):
    """Web push switched on with a VAPID key pair of this test's own; the public key."""
    return switch_push_on(settings)


@pytest.fixture
def browser():
    """A browser that subscribes: its keys, and the subscription it gives."""
    return Browser()
