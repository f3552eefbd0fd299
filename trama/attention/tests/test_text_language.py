"""A signal's text stays as written; the worker of its neighbourhood sees which language it seems to be in."""

import pytest
from django.urls import reverse

from trama.people.models import Role
from trama.privacy.models import AuditEntry

ARABIC = "جارتنا المسنّة تعيش وحدها ولا تخرج من البيت منذ أسبوع"


def test_the_worker_of_the_neighbourhood_sees_the_text_as_written_with_its_language(client, worker, make_signal):
    signal = make_signal(text=ARABIC)
    client.force_login(worker)
    page = client.get(reverse("attention:signal", args=[signal.pk])).content.decode()
    assert ARABIC in page
    assert 'data-testid="text-language">lingua: arabo</span>' in page
    assert '<span data-testid="signal-text" dir="auto">' in page
    assert AuditEntry.objects.filter(action="read", object_type="attention.signal", object_id=str(signal.pk)).exists()


def test_an_italian_signal_gets_no_hint(client, worker, make_signal):
    signal = make_signal(text="La signora del terzo piano non esce più da una settimana")
    client.force_login(worker)
    assert "text-language" not in client.get(reverse("attention:signal", args=[signal.pk])).content.decode()


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
def test_a_worker_of_another_neighbourhood_sees_neither_text_nor_hint(client, make_user, other_neighbourhood, make_signal, method):
    signal = make_signal(text=ARABIC)
    client.force_login(make_user(Role.WORKER, [other_neighbourhood]))
    response = getattr(client, method)(reverse("attention:signal", args=[signal.pk]))
    assert response.status_code in (403, 404, 405)
    assert ARABIC not in response.content.decode() and "lingua: arabo" not in response.content.decode()


def test_the_antenna_who_wrote_it_is_shown_no_label_about_her_words(client, antenna, make_signal):
    signal = make_signal(text=ARABIC)
    client.force_login(antenna)
    page = client.get(reverse("attention:my_signal", args=[signal.pk])).content.decode()
    assert "text-language" not in page
