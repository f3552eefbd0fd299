"""The public offers list is kept for visitors who are not signed in (trama.shortcuts.public_cache):
read back until an offer of the city changes, then drawn again at once; never read by, nor written
for, a signed-in account, whose list holds what only its scope may see."""

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trama.market import services
from trama.people.models import Role
from trama.privacy.models import AuditEntry

pytestmark = pytest.mark.django_db

URL = reverse("market:offers")


@pytest.fixture(autouse=True)
def public_city(settings, city):
    settings.TRAMA_CITY = city.slug


def test_a_new_offer_shows_at_once_to_the_public(client, make_offer):
    make_offer("Ripetizioni di matematica")
    assert "Ripetizioni di matematica" in client.get(URL).content.decode()
    make_offer("Passeggiate in compagnia")
    page = client.get(URL).content.decode()
    assert "Passeggiate in compagnia" in page and "Ripetizioni di matematica" in page


def test_a_withdrawn_or_deleted_offer_leaves_the_public_list_at_once(client, make_offer, users):
    withdrawn = make_offer("Ripetizioni di matematica")
    deleted = make_offer("Passeggiate in compagnia")
    page = client.get(URL).content.decode()
    assert "Ripetizioni di matematica" in page and "Passeggiate in compagnia" in page
    services.set_offer_status(withdrawn, "withdrawn", by=users[Role.COORDINATOR])
    assert "Ripetizioni di matematica" not in client.get(URL).content.decode()
    deleted.delete()
    assert "Passeggiate in compagnia" not in client.get(URL).content.decode()


def test_an_unchanged_list_is_read_back_not_drawn_again(client, make_offer):
    make_offer("Ripetizioni di matematica")
    first = client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(URL)
    assert again.content.decode().split("<main")[1].split("</main>")[0] == first.content.decode().split("<main")[1].split("</main>")[0]
    # Only the offers' stamp (one statement: the newest change and the deletion counter): no offer is listed, nothing counted.
    assert len(queries) == 1, [q["sql"] for q in queries.captured_queries]
    assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)


def test_each_search_and_page_is_kept_apart(client, make_offer):
    make_offer("Ripetizioni di matematica")
    make_offer("Passeggiate in compagnia")
    client.get(URL)
    searched = client.get(URL, {"q": "passeggiate"}).content.decode()
    assert "Passeggiate in compagnia" in searched and "Ripetizioni di matematica" not in searched
    assert "Ripetizioni di matematica" in client.get(URL).content.decode()


def test_a_signed_in_account_never_reads_the_public_copy_nor_leaves_its_own(client, make_offer, make_person, users):
    """A worker sees the offers of people of her neighbourhoods, the public only organisations' offers."""
    make_offer("Offerta di un'associazione")
    make_offer("Offerta di una persona", person=make_person())
    worker = users[Role.WORKER]

    client.force_login(worker)
    audited = AuditEntry.objects.count()
    assert "Offerta di una persona" in client.get(URL).content.decode()
    assert AuditEntry.objects.count() > audited  # the person's offer was read, and the read written down
    client.logout()

    public = client.get(URL).content.decode()
    assert "Offerta di un&#x27;associazione" in public and "Offerta di una persona" not in public

    client.force_login(worker)
    audited = AuditEntry.objects.count()
    assert "Offerta di una persona" in client.get(URL).content.decode()
    assert AuditEntry.objects.count() > audited  # drawn for her again, not read from the public copy


def test_the_language_of_the_visitor_is_kept_apart(client, make_offer):
    make_offer("Ripetizioni di matematica")
    assert "Il mercato sociale: che cosa si offre" in client.get(URL).content.decode()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(URL).content.decode()
    assert "The social market: what is on offer" in english and "Il mercato sociale" not in english


def test_a_public_page_is_not_kept_when_the_delay_is_zero(client, make_offer, settings):
    settings.TRAMA_PUBLIC_CACHE_SECONDS = 0
    make_offer("Ripetizioni di matematica")
    client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        client.get(URL)
    assert any('"market_offer"."title"' in q["sql"] for q in queries.captured_queries)
