"""Closing a signal from its page, as the server runs it: no transaction around the request.

The suite's other tests run inside one transaction, which hid that `close_signal` locked the signal's
row outside any: PostgreSQL refuses `select_for_update` in autocommit, so the close answered 500.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from trama.attention import services
from trama.attention.models import Signal

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_worker_closes_a_signal_and_its_followers_together(client, worker, make_signal):
    signal, follower = make_signal(), make_signal(text="La signora del terzo piano non esce")
    services.plan_outreach(by=worker, signal=signal, assigned_to=worker, method="phone", due_date=timezone.localdate())
    services.triage(follower, by=worker, outcome=Signal.Outcome.MERGED, merge_with=signal)
    client.force_login(worker)
    response = client.post(reverse("attention:signal_close", args=[signal.pk]))
    assert response.status_code == 302
    assert set(Signal.objects.values_list("status", flat=True)) == {Signal.Status.CLOSED}
