"""The audit log is read by keyset pages: fixed queries at any depth, hostile cursors refused with a 400."""

import pytest
from django.urls import reverse

from trama.people.models import Role
from trama.privacy import audit
from trama.privacy.models import AuditEntry
from trama.testing import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator_client(client, users):
    client.force_login(users[Role.COORDINATOR])
    return client


def grow(users, n):
    for i in range(n):
        audit.record(users[Role.WORKER], audit.Action.READ, object_type="people.person", object_id=str(i), reason="prova")


def test_the_audit_log_reads_as_many_queries_for_many_entries_as_for_few(coordinator_client, users):
    assert_queries_do_not_grow(coordinator_client, reverse("privacy:audit"), lambda n: grow(users, n), more=120)


def test_following_the_next_links_walks_every_entry_once_and_back(coordinator_client, users):
    grow(users, 120)
    total = AuditEntry.objects.count()
    seen, url, pages = [], reverse("privacy:audit"), []
    while url:
        page = coordinator_client.get(url).context["page"]
        pages.append(page)
        seen += [e.pk for e in page.object_list]
        url = page.next_url and reverse("privacy:audit") + page.next_url
    # Browsing adds no entries (the log is not a personal record): each entry once, newest first.
    assert len(seen) == len(set(seen)) == total
    assert seen == list(AuditEntry.objects.order_by("-at", "-pk").values_list("pk", flat=True))
    back = coordinator_client.get(reverse("privacy:audit") + pages[-1].previous_url).context["page"]
    assert [e.pk for e in back.object_list] == [e.pk for e in pages[-2].object_list]


@pytest.mark.parametrize("cursor", ["nonsense", "a" * 5000, "eyJkIjoibiJ9:1abc:def", "' OR 1=1 --"])
def test_a_hostile_cursor_gets_a_400_with_a_clear_message(coordinator_client, users, cursor):
    grow(users, 3)
    response = coordinator_client.get(reverse("privacy:audit"), {"cursore": cursor})
    assert response.status_code == 400
    assert "segnalibro della pagina non è valido" in response.content.decode()
