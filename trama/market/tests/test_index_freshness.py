"""The ranking index notices every change at the next ranking, in this process and in another (issue 22, step 4).

The freshness check is one statement of two index probes (the newest `updated_at` of the city's offers and
its deletion counter): no count of the offers, and a deletion retires rows without rebuilding the index.
"""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trama.market import index as index_module
from trama.market import services
from trama.market.index import index_for
from trama.market.models import Offer
from trama.market.queries import ranked_offers
from trama.people.models import Person, Role
from trama.territory.models import City, Neighbourhood


def _ranked(need):
    return [c.offer.pk for c in ranked_offers(need)]


@pytest.mark.django_db
def test_the_freshness_check_is_one_statement_with_no_count(make_offer, make_need):
    make_offer("Spesa al mercato", "")
    need = make_need(text="spesa")
    ranked_offers(need)
    built_at = index_for(need.city_id).built_at
    with CaptureQueriesContext(connection) as queries:
        index_for(need.city_id)
    sql = [q["sql"].upper() for q in queries]
    assert len(sql) == 1
    assert "COUNT(" not in sql[0] and "MAX(" not in sql[0]  # an ORDER BY ... LIMIT 1 probe of the index, no aggregate
    assert "MARKET_OFFERDELETIONS" in sql[0]
    assert index_for(need.city_id).built_at == built_at  # nothing changed: nothing rebuilt


@pytest.mark.django_db
def test_a_new_a_changed_and_a_withdrawn_offer_are_seen_by_the_next_ranking(users, make_offer, make_need):
    need = make_need(text="Cerco chi ripara la bicicletta")
    index_for(need.city_id)
    assert _ranked(need) == []
    new = make_offer("Riparo la bicicletta", "in cortile")
    assert _ranked(need) == [new.pk]
    changed = make_offer("Lezioni di chitarra", "")
    assert _ranked(need) == [new.pk]
    services.update_offer(changed, by=users[Role.COORDINATOR], title="Riparo bicicletta e monopattino")
    assert set(_ranked(need)) == {new.pk, changed.pk}
    services.set_offer_status(new, Offer.Status.WITHDRAWN, by=users[Role.COORDINATOR])
    assert _ranked(need) == [changed.pk]


@pytest.mark.django_db
def test_a_deleted_offer_is_retired_without_rebuilding_the_index(make_offer, make_need, monkeypatch):
    # A refit comes after a fifth of the rows changed; one deletion among two offers would be half.
    monkeypatch.setattr(index_module, "REFIT_SHARE", 1.0)
    kept, deleted = make_offer("Spesa al mercato", ""), make_offer("Spesa a domicilio", "")
    need = make_need(text="spesa")
    assert set(_ranked(need)) == {kept.pk, deleted.pk}
    index = index_for(need.city_id)
    built_at, rows = index.built_at, len(index.ids)
    deleted_pk = deleted.pk
    deleted.delete()
    assert _ranked(need) == [kept.pk]
    index = index_for(need.city_id)
    assert index.built_at == built_at and len(index.ids) == rows  # retired in place, not rebuilt
    assert deleted_pk not in index.ids[index.alive].tolist()
    # A bulk delete (one statement for many offers) is counted too.
    Offer.objects.filter(pk=kept.pk).delete()
    assert _ranked(need) == []


@pytest.mark.django_db
def test_another_city_s_offers_never_enter_the_index_nor_its_answers(make_offer, make_need, users):
    here = make_offer("Spesa al mercato", "")
    need = make_need(text="spesa")
    assert _ranked(need) == [here.pk]
    elsewhere = City.objects.create(name="Altra città", slug="altra", centre_lat=45.0, centre_lon=10.0)
    far = Neighbourhood.objects.create(city=elsewhere, name="Centro", slug="centro-altra")
    giver = Person.objects.create(city=elsewhere, neighbourhood=far, display_name="Chi offre altrove")
    theirs = Offer.objects.create(city=elsewhere, person=giver, kind="time", title="Spesa al mercato", description="")
    theirs.neighbourhoods.set([far])
    assert _ranked(need) == [here.pk]
    assert theirs.pk not in index_for(need.city_id).ids.tolist()
    # Their deletions do not disturb this city's index either.
    built_at = index_for(need.city_id).built_at
    theirs.delete()
    assert index_for(need.city_id).built_at == built_at
    assert _ranked(need) == [here.pk]


RANKER = textwrap.dedent(
    """
    import json, sys
    import django
    django.setup()
    from trama.market.models import Need
    from trama.market.queries import ranked_offers
    for line in sys.stdin:
        need = Need.objects.get(pk=int(line))
        print(json.dumps([c.offer.pk for c in ranked_offers(need)]), flush=True)
    """
)


def _database_url():
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(settings['NAME']).resolve()}"
    user = settings.get("USER") or "postgres"
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{settings.get('HOST') or '127.0.0.1'}:{settings.get('PORT') or 5432}/{settings['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_another_process_sees_each_change_at_its_next_ranking(users, make_offer, make_need):
    if (
        connection.vendor == "sqlite"
        and connection.settings_dict["NAME"] in ("", ":memory:")
        or "mode=memory" in str(connection.settings_dict["NAME"])
    ):
        pytest.skip("An in-memory test database cannot be opened by another process.")
    need = make_need(text="Cerco chi ripara la bicicletta")
    first = make_offer("Riparo la bicicletta", "")
    environ = {**os.environ, "DATABASE_URL": _database_url(), "DJANGO_SETTINGS_MODULE": "trama.settings"}
    environ.pop("TRAMA_TEST_DATABASE_NAME", None)
    other = subprocess.Popen(
        [sys.executable, "-c", RANKER],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=environ,
        cwd=Path(__file__).resolve().parents[3],
    )

    def ranked_there():
        other.stdin.write(f"{need.pk}\n")
        other.stdin.flush()
        return json.loads(other.stdout.readline())

    try:
        assert ranked_there() == [first.pk]  # its index is built
        second = make_offer("Ripariamo biciclette insieme", "")
        assert set(ranked_there()) == {first.pk, second.pk}
        services.update_offer(second, by=users[Role.COORDINATOR], title="Lezioni di chitarra")
        assert ranked_there() == [first.pk]
        services.set_offer_status(first, Offer.Status.PAUSED, by=users[Role.COORDINATOR])
        assert ranked_there() == []
        services.set_offer_status(first, Offer.Status.OPEN, by=users[Role.COORDINATOR])
        assert ranked_there() == [first.pk]
        third = make_offer("Riparo bicicletta da corsa", "")
        services.set_offer_status(third, Offer.Status.WITHDRAWN, by=users[Role.COORDINATOR])
        assert ranked_there() == [first.pk]
        Offer.objects.filter(pk=first.pk).delete()
        assert ranked_there() == []
    finally:
        other.stdin.close()
        other.wait(timeout=60)
