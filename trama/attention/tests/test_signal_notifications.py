"""The antenna hears when her signal is taken up, when contact happens and when it is closed: she alone,
in the words of her list, and never what the signal or the encounter said."""

import pytest
from django.core import mail
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from trama.attention import services
from trama.attention.models import Antenna
from trama.notifications.models import Kind, Notification
from trama.notifications.services import set_email_preferences
from trama.people.models import Role

pytestmark = pytest.mark.django_db

MARKER = "zq9 signora sola al quarto piano"


@pytest.fixture
def other_antenna(make_user, neighbourhood):
    account = make_user(Role.ANTENNA, [neighbourhood])
    Antenna.objects.create(account=account, kind=Antenna.Kind.SHOP)
    return account


def kinds_of(user):
    return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("kind", flat=True))


def _outreach(worker, signal):
    return services.plan_outreach(by=worker, signal=signal, assigned_to=worker, method="phone", due_date=timezone.localdate())


def test_the_antenna_hears_each_step_of_her_signal(worker, antenna, other_antenna, make_signal, neighbourhood):
    signal = make_signal(text=MARKER)
    make_signal(by=other_antenna)
    _outreach(worker, signal)
    services.record_encounter(by=worker, neighbourhood=neighbourhood, setting="home", happened_at=timezone.now(), signal=signal)
    services.close_signal(signal, by=worker)
    assert kinds_of(antenna) == [Kind.SIGNAL_TAKEN_UP, Kind.SIGNAL_CONTACTED, Kind.SIGNAL_CLOSED]
    assert set(Notification.objects.values_list("url", flat=True)) == {reverse("attention:my_signal", args=[signal.pk])}


def test_another_antenna_and_the_staff_hear_nothing(worker, users, antenna, other_antenna, make_signal):
    _outreach(worker, make_signal())
    assert not Notification.objects.exclude(recipient=antenna).exists()


def test_a_signal_closed_at_triage_is_told_closed(worker, antenna, make_signal):
    services.triage(make_signal(), by=worker, outcome="referred", note="Servizio sociale")
    assert kinds_of(antenna) == [Kind.SIGNAL_CLOSED]


def test_the_antenna_of_a_merged_signal_hears_what_happens_to_it(worker, antenna, other_antenna, make_signal, neighbourhood):
    first, second = make_signal(), make_signal(by=other_antenna)
    _outreach(worker, first)
    services.triage(second, by=worker, outcome="merged", merge_with=first)
    services.record_encounter(by=worker, neighbourhood=neighbourhood, setting="home", happened_at=timezone.now(), signal=first)
    services.close_signal(first, by=worker)
    assert kinds_of(other_antenna) == [Kind.SIGNAL_TAKEN_UP, Kind.SIGNAL_CONTACTED, Kind.SIGNAL_CLOSED]
    assert Notification.objects.get(recipient=other_antenna, kind=Kind.SIGNAL_CLOSED).url == reverse("attention:my_signal", args=[second.pk])


def test_a_step_told_twice_is_one_notification(worker, antenna, make_signal):
    signal = _outreach(worker, make_signal()).signal
    services._tell_antenna_status(signal)
    assert kinds_of(antenna) == [Kind.SIGNAL_TAKEN_UP]


def test_nothing_of_the_signal_reaches_a_notification_or_an_email(worker, antenna, make_signal, neighbourhood, django_capture_on_commit_callbacks):
    set_email_preferences(antenna, {kind: "now" for kind in (Kind.SIGNAL_TAKEN_UP, Kind.SIGNAL_CONTACTED, Kind.SIGNAL_CLOSED)})
    signal = make_signal(text=MARKER)
    with django_capture_on_commit_callbacks(execute=True):
        _outreach(worker, signal)
        services.record_encounter(
            by=worker, neighbourhood=neighbourhood, setting="home", happened_at=timezone.now(), signal=signal, notes="Sta male zq9"
        )
        services.close_signal(signal, by=worker)
    assert len(mail.outbox) == 3 and all(m.to == [antenna.email] for m in mail.outbox)
    written = [str(model_to_dict(n)) for n in Notification.objects.all()] + [m.subject + m.body for m in mail.outbox]
    for text in written:
        assert "zq9" not in text and "quarto piano" not in text
