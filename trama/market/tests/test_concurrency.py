import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from trama.market import services
from trama.market.models import Match, Offer
from trama.people.models import Role


@pytest.mark.django_db(transaction=True)
def test_two_workers_accepting_the_last_unit_at_once_cannot_both_succeed(users, make_need, make_offer):
    if connection.vendor != "postgresql":
        pytest.skip("Row locks (SELECT ... FOR UPDATE) need PostgreSQL; SQLite serialises every writer anyway.")
    worker = users[Role.WORKER]
    offer = make_offer(capacity=1)
    matches = [services.propose_match(need=make_need(), offer=offer, by=worker) for _ in range(2)]
    for match in matches:
        services.answer_match(match, side="need", yes=True, by=worker)
    barrier = threading.Barrier(2)
    results = [None, None]

    def accept(n):
        try:
            barrier.wait()
            services.answer_match(matches[n], side="offer", yes=True, by=worker)
            results[n] = "accepted"
        except ValidationError:
            results[n] = "refused"
        except Exception as error:  # reported with the thread's number
            results[n] = repr(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == ["accepted", "refused"]
    offer.refresh_from_db()
    assert (offer.taken, offer.status) == (1, Offer.Status.EXHAUSTED)
    assert Match.objects.filter(status=Match.Status.ACCEPTED).count() == 1
