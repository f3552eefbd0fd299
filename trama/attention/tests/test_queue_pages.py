"""The signal queue and the encounter log are read by keyset pages: every row once, in order, at any depth."""

import pytest
from django.urls import reverse

from trama.attention.models import Signal

pytestmark = pytest.mark.django_db


def walk(client, path):
    rows, url = [], path
    while url:
        page = client.get(url).context["page"]
        rows += [row.pk for row in page.object_list]
        url = page.next_url and path.split("?")[0] + page.next_url
    return rows


def test_the_queue_pages_through_every_signal_once_most_urgent_first(client, worker, make_signal):
    for i in range(60):
        make_signal(text=f"Segnalazione {i}", urgency=list(Signal.Urgency)[i % 3])
    client.force_login(worker)
    seen = walk(client, reverse("attention:queue") + "?stato=all")
    assert seen == list(Signal.objects.order_by("-urgency", "-created_at", "-pk").values_list("pk", flat=True))


def test_the_status_filter_is_kept_by_the_next_link(client, worker, make_signal):
    for i in range(30):
        make_signal(text=f"Segnalazione {i}")
    client.force_login(worker)
    page = client.get(reverse("attention:queue"), {"stato": "closed"}).context["page"]
    assert not page.has_next
    page = client.get(reverse("attention:queue"), {"stato": "all"}).context["page"]
    assert "stato=all" in page.next_url


def test_a_tampered_cursor_is_refused_with_a_400_not_a_500(client, worker, make_signal):
    for i in range(30):
        make_signal(text=f"Segnalazione {i}")
    client.force_login(worker)
    next_url = client.get(reverse("attention:encounters")).context["page"].next_url
    assert next_url is None  # no encounters yet: one page
    page = client.get(reverse("attention:queue")).context["page"]
    tampered = page.next_url.replace("cursore=", "cursore=x")
    response = client.get(reverse("attention:queue") + tampered)
    assert response.status_code == 400 and "segnalibro" in response.content.decode()
