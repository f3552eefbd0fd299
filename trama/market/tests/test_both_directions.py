"""Both directions (issue 17): an offer's page shows the open needs it could answer, only those the
viewing worker may broker; and a strong new answer for a need waiting for weeks is told, by the task that
embeds the offer, to the workers of the need's neighbourhood."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from trama.market import services
from trama.market.answers import OLD_NEED_DAYS, needs_for_offer
from trama.market.models import Need
from trama.notifications.models import Kind, Notification
from trama.people.models import Role
from trama.privacy.models import AuditEntry

pytestmark = pytest.mark.django_db

SHOPPING_NEED = "Mi serve qualcuno per la spesa"
SHOPPING_OFFER = "Accompagno a fare la spesa"


@pytest.fixture
def embedding(settings, django_capture_on_commit_callbacks):
    settings.TRAMA_MARKET_EMBED_ON_SAVE = True
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_the_offer_page_lists_the_needs_it_could_answer_that_the_worker_may_see(client, users, make_offer, make_need, make_user, other_neighbourhood):
    offer = make_offer(SHOPPING_OFFER, "")
    here = make_need(text=SHOPPING_NEED)
    there = make_need(text="Cerco chi mi porta la spesa il sabato", where=other_neighbourhood)
    unrelated = make_need(text="Lezioni di chitarra per mio figlio")
    client.force_login(users[Role.WORKER])
    body = client.get(reverse("market:offer", args=[offer.pk])).content.decode()
    assert 'data-testid="needs-it-answers"' in body and reverse("market:need", args=[here.pk]) in body
    assert reverse("market:need", args=[there.pk]) not in body and reverse("market:need", args=[unrelated.pk]) not in body
    read = AuditEntry.objects.filter(reason__startswith="richieste a cui un'offerta potrebbe rispondere").values_list("reason", flat=True)
    assert [reason.split(": ")[1] for reason in read] == [str(here.pk)]
    # A worker of the other neighbourhood sees the other need only.
    client.force_login(make_user(Role.WORKER, [other_neighbourhood]))
    body = client.post(reverse("market:offer", args=[offer.pk])).content.decode()
    assert reverse("market:need", args=[there.pk]) in body and reverse("market:need", args=[here.pk]) not in body


@pytest.mark.parametrize("role", [Role.PARTNER, Role.CITIZEN, Role.ANTENNA, None])
def test_nobody_but_staff_sees_needs_on_an_offer_page(client, users, make_offer, make_need, role):
    offer = make_offer(SHOPPING_OFFER, "")
    need = make_need(text=SHOPPING_NEED)
    if role:
        client.force_login(users[role])
    for method in (client.get, client.post):  # the page answers any method alike (tests/test_permissions.py)
        response = method(reverse("market:offer", args=[offer.pk]))
        assert response.status_code == 200 and reverse("market:need", args=[need.pk]) not in response.content.decode()


def test_a_need_that_declined_the_offer_or_its_own_person_s_is_not_listed(users, make_offer, make_need, make_person):
    gianna = make_person(name="Gianna")
    offer = make_offer(SHOPPING_OFFER, "", person=gianna)
    make_need(text=SHOPPING_NEED, person=gianna)
    other = make_need(text=SHOPPING_NEED)
    declining = make_need(text=SHOPPING_NEED)
    assert {need for need, _s, _p in needs_for_offer(offer, for_user=users[Role.WORKER])} == {other, declining}
    match = services.propose_match(need=declining, offer=offer, by=users[Role.WORKER])
    services.answer_match(match, side="need", yes=False, by=users[Role.WORKER])
    assert [need for need, _s, _p in needs_for_offer(offer, for_user=users[Role.WORKER])] == [other]


def test_a_strong_new_offer_for_an_old_need_tells_the_workers_of_its_neighbourhood(
    users, embedding, make_offer, make_need, make_user, other_neighbourhood
):
    elsewhere = make_user(Role.WORKER, [other_neighbourhood])
    with embedding():
        old = make_need(text=SHOPPING_NEED)
        young = make_need(text=SHOPPING_NEED)
    Need.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=OLD_NEED_DAYS + 1))
    with embedding():
        offer = make_offer(SHOPPING_OFFER, "")
    told = Notification.objects.filter(kind=Kind.STRONG_ANSWER)
    assert [(n.recipient_id, n.url) for n in told] == [(users[Role.WORKER].pk, reverse("market:need", args=[old.pk]))]
    assert not told.filter(recipient__in=[elsewhere, users[Role.COORDINATOR]]).exists()
    assert young.pk not in [n.url for n in told]
    # The offer's text saved again (same text, no new vector): nothing more is told.
    with embedding():
        offer.description = "anche il sabato"
        offer.save()
    assert told.count() == 1


def test_a_weak_answer_tells_nobody(users, embedding, make_offer, make_need):
    with embedding():
        old = make_need(text="Cerco un posto per il cane durante le ferie")
    Need.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=OLD_NEED_DAYS + 1))
    with embedding():
        make_offer("Posto in auto per andare al mercato", "")  # shares "posto", means something else
    assert not Notification.objects.filter(kind=Kind.STRONG_ANSWER).exists()
