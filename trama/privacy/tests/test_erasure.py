"""Erasure of a person's data (GDPR art. 17): asked, confirmed, carried out in one transaction, and gone from every table."""

import dataclasses
import json

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import connection, models
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from trama.collective.models import Suggestion
from trama.insights import indicators, periods
from trama.insights.reports import areas_of
from trama.market.models import Match
from trama.people.models import ApiToken, Person, Role
from trama.privacy import erasure, exports
from trama.privacy.models import AuditEntry, ErasureRequest
from trama.privacy.registry import Erase, registry
from trama.privacy.tasks import run_erasure
from trama.territory.models import City

from .conftest import FIRST_NAME, FULL_NAME, LAST_NAME, MARKERS, PSEUDONYM

pytestmark = pytest.mark.django_db

CLOSED = periods.Period("year", 2025)
# Every indicator of a closed period stays the same through an erasure: the themes' copies of the
# person's texts are emptied and unlinked, not deleted (their tags are the counts); an erased antenna's
# profile stays, inactive since the erasure (Antenna.deactivated_at), so ended periods still count her.


def indicators_of(city, period):
    """Every indicator's numbers per area, computed afresh (the cache of closed periods left out)."""
    ctx = indicators.Context(city, period, areas_of(city))
    return {key: {area: value.value for area, value in item.compute(ctx).items()} for key, item in indicators.REGISTRY.items()}


def texts_everywhere():
    """(table, field, text) for every char, text and JSON value of every table of every installed app."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, (models.CharField, models.TextField, models.JSONField))]
        if not names:
            continue
        for row in model._default_manager.values_list(*names):
            found += [(model._meta.db_table, name, str(value)) for name, value in zip(names, row, strict=True) if value]
    return found


def left_behind(words):
    words = [w.lower() for w in words]
    return [(table, field, text) for table, field, text in texts_everywhere() if any(w in text.lower() for w in words)]


def erase_as(coordinator, person, django_capture_on_commit_callbacks):
    request = ErasureRequest.objects.create(person=person, requested_by=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        erasure.confirm(coordinator, request)
    request.refresh_from_db()
    return request


def test_a_person_with_data_everywhere_is_exported_then_erased_from_every_table(
    everywhere, coordinator, city, client, django_capture_on_commit_callbacks
):
    gino = everywhere
    account = gino.account
    # The copy holds every declared field of every declared model, in the JSON handed over.
    record = json.loads(exports.to_json(exports.record_of(gino)))
    for section in record["sections"]:
        expected = {f.name for f in registry.declarations[section["model"]].exported_fields()}
        assert section["rows"] and all(set(row) == expected for row in section["rows"]), section["model"]
    words = [PSEUDONYM, FIRST_NAME, LAST_NAME, *MARKERS.values()]
    assert {text for _t, _f, text in left_behind(words)}  # the markers are there to be found
    before = indicators_of(city, CLOSED)
    client.force_login(account)
    other_side = Match.objects.get(offer__person=gino)

    request = erase_as(coordinator, gino, django_capture_on_commit_callbacks)

    assert request.status == ErasureRequest.Status.DONE
    assert left_behind(words) == []
    after = indicators_of(city, CLOSED)
    assert after == before
    # A suggestion she was in keeps its size and the others' situations, not hers.
    suggestion = Suggestion.objects.get(signature="s1")
    assert suggestion.size == 3 and suggestion.items == [{"source": "signal", "id": 0, "key": "signal:0"}]
    assert not suggestion.people.exists() and suggestion.key_phrases == []
    assert sum(value is not None for key in before for value in before[key].values()) > 40  # not a world of "no data"
    gino.refresh_from_db()
    account.refresh_from_db()
    assert gino.anonymised_at is not None and gino.display_name == f"cancellata-{gino.pk}"
    assert not account.is_active and not account.has_usable_password()
    assert not ApiToken.objects.filter(account=account).exists()
    assert not TOTPDevice.objects.filter(user=account).exists() and not StaticDevice.objects.filter(user=account).exists()
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(account.pk)]
    # The other side sees the match ended, and nothing says why.
    other_side.refresh_from_db()
    assert other_side.status == Match.Status.CANCELLED and not other_side.outcome and not other_side.offer_feedback
    # The log keeps the pseudonymous id and the fact of the erasure.
    erased = AuditEntry.objects.get(action=AuditEntry.Action.ERASURE, object_type="people.person")
    assert erased.object_id == str(gino.pk) and erased.actor_id == coordinator.pk
    # The ledger outside the database holds the id and the date, no name.
    assert [entry[0] for entry in erasure.ledger_entries()] == [gino.pk]


def test_the_persons_page_says_when_the_data_were_erased(everywhere, coordinator, client, django_capture_on_commit_callbacks):
    erase_as(coordinator, everywhere, django_capture_on_commit_callbacks)
    client.force_login(coordinator)
    page = client.get(reverse("people:person", args=[everywhere.pk])).content.decode()
    assert "Dati cancellati il" in page and PSEUDONYM not in page


def test_meeting_attendance_becomes_a_count_and_minutes_no_longer_name_the_person(everywhere, coordinator, django_capture_on_commit_callbacks):
    from trama.collective.models import Meeting

    attended = Meeting.objects.get(attendees=everywhere)
    erase_as(coordinator, everywhere, django_capture_on_commit_callbacks)
    attended.refresh_from_db()
    assert attended.attendance_count == 1 and not attended.attendees.exists()
    assert "[nome cancellato] propone" in attended.minutes
    assert attended.decisions.get().text == "Porta la mappa: se ne occupa [nome cancellato]"
    table = Meeting.objects.get(title="Tavolo di maggio")
    assert table.agenda == "Il caso di [nome cancellato]" and FULL_NAME.lower() not in table.minutes.lower()


# -- nothing partial --------------------------------------------------------------------------------


def explode(rows, person):
    raise RuntimeError("killed halfway")


def every_row():
    """Each table's rows, but the request's own status and the audit log: what a failed erasure must leave as it was."""
    tables = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table in ("privacy_erasurerequest", "privacy_auditentry"):
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            tables[table] = sorted(map(repr, cursor.fetchall()))
    return tables


def test_an_erasure_interrupted_halfway_leaves_nothing_partial(everywhere, coordinator, monkeypatch, django_capture_on_commit_callbacks):
    # The last declaration to run breaks: every one before it has already done its work.
    last = list(registry)[-1]
    broken = dataclasses.replace(last, erase=Erase.call(f"{__name__}.explode", "breaks"))
    monkeypatch.setitem(registry.declarations, last.label, broken)
    before = every_row()

    request = erase_as(coordinator, everywhere, django_capture_on_commit_callbacks)

    assert request.status == ErasureRequest.Status.FAILED
    assert every_row() == before
    assert erasure.ledger_entries() == []
    everywhere.refresh_from_db()
    assert everywhere.anonymised_at is None and everywhere.display_name == PSEUDONYM


def test_running_the_erasure_twice_is_harmless(everywhere, coordinator, django_capture_on_commit_callbacks):
    request = erase_as(coordinator, everywhere, django_capture_on_commit_callbacks)
    after = every_row()
    run_erasure.enqueue(request.pk)
    assert every_row() == after
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ERASURE, object_type="people.person").count() == 1


def test_an_erasure_left_running_by_a_stopped_worker_can_be_queued_again(everywhere, coordinator, client, django_capture_on_commit_callbacks):
    request = ErasureRequest.objects.create(person=everywhere, requested_by=coordinator, status=ErasureRequest.Status.RUNNING)
    client.force_login(coordinator)
    assert "Rimetti in coda la cancellazione" in client.get(reverse("privacy:erasure", args=[request.pk])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("privacy:erasure_decide", args=[request.pk]), {"decision": "confirm", "confirm": "on"})
    request.refresh_from_db()
    assert request.status == ErasureRequest.Status.DONE
    assert left_behind([PSEUDONYM, *MARKERS.values()]) == []


def test_a_failed_erasure_can_be_confirmed_again(everywhere, coordinator, monkeypatch, django_capture_on_commit_callbacks):
    last = list(registry)[-1]
    monkeypatch.setitem(registry.declarations, last.label, dataclasses.replace(last, erase=Erase.call(f"{__name__}.explode", "")))
    request = erase_as(coordinator, everywhere, django_capture_on_commit_callbacks)
    monkeypatch.setitem(registry.declarations, last.label, last)
    with django_capture_on_commit_callbacks(execute=True):
        erasure.confirm(coordinator, request)
    request.refresh_from_db()
    assert request.status == ErasureRequest.Status.DONE


# -- asking and deciding --------------------------------------------------------------------------


def test_a_worker_records_the_request_and_a_coordinator_confirms_it(make_person, worker, coordinator, client, django_capture_on_commit_callbacks):
    lia = make_person(name="Lia")
    client.force_login(worker)
    response = client.post(reverse("privacy:erasure_person", args=[lia.pk]), {"reason": "Al telefono", "confirm": "on"})
    request = ErasureRequest.objects.get(person=lia)
    assert response.status_code == 302 and request.status == ErasureRequest.Status.PENDING
    assert client.get(reverse("privacy:erasure", args=[request.pk])).status_code == 200

    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy:erasure_decide", args=[request.pk]), {"decision": "confirm", "confirm": "on"})
    assert response.status_code == 302
    lia.refresh_from_db()
    assert lia.anonymised_at is not None
    assert list(AuditEntry.objects.filter(action=AuditEntry.Action.ERASURE).values_list("reason", flat=True).order_by("pk")) == [
        erasure.REQUEST_REASON,
        erasure.CONFIRM_REASON,
        erasure.ERASED_REASON,
    ]


def test_a_citizen_asks_for_her_own_erasure_from_her_profile(make_person, make_user, client):
    citizen = make_user(Role.CITIZEN)
    person = make_person(name="Ada", account=citizen)
    client.force_login(citizen)
    assert "Chiedi la cancellazione dei miei dati" in client.get(reverse("people:profile")).content.decode()
    response = client.post(reverse("privacy:erasure_mine"), {"confirm": "on"})
    assert response.status_code == 302
    assert ErasureRequest.objects.get(person=person).requested_by == citizen


def test_a_second_request_while_one_is_open_is_refused_clearly(make_person, worker, client):
    lia = make_person(name="Lia")
    client.force_login(worker)
    client.post(reverse("privacy:erasure_person", args=[lia.pk]), {"confirm": "on"})
    response = client.post(reverse("privacy:erasure_person", args=[lia.pk]), {"confirm": "on"})
    assert response.status_code == 400  # refused: the page says there is one already, with its link
    assert "già una richiesta di cancellazione aperta" in response.content.decode()
    with pytest.raises(Exception, match="già una richiesta"):
        erasure.request_erasure(worker, lia)
    assert ErasureRequest.objects.filter(person=lia).count() == 1


def test_a_refusal_needs_its_reason(make_person, coordinator, client):
    request = ErasureRequest.objects.create(person=make_person(name="Lia"), requested_by=coordinator)
    client.force_login(coordinator)
    response = client.post(reverse("privacy:erasure_decide", args=[request.pk]), {"decision": "refuse"})
    assert response.status_code == 400 and "scrivi il motivo" in response.content.decode()
    response = client.post(
        reverse("privacy:erasure_decide", args=[request.pk]), {"decision": "refuse", "refusal_reason": "Obbligo di conservazione (art. 17.3.b)"}
    )
    request.refresh_from_db()
    assert response.status_code == 302 and request.status == ErasureRequest.Status.REFUSED
    assert "Obbligo di conservazione" in client.get(reverse("privacy:erasure", args=[request.pk])).content.decode()
    # Whoever asks again reads why the last request was refused.
    assert "Obbligo di conservazione" in client.get(reverse("privacy:erasure_person", args=[request.person_id])).content.decode()


def test_confirming_needs_the_tick(make_person, coordinator, client):
    lia = make_person(name="Lia")
    request = ErasureRequest.objects.create(person=lia, requested_by=coordinator)
    client.force_login(coordinator)
    response = client.post(reverse("privacy:erasure_decide", args=[request.pk]), {"decision": "confirm"})
    assert response.status_code == 400 and "spunta la conferma" in response.content.decode()
    request.refresh_from_db()
    assert request.status == ErasureRequest.Status.PENDING


# -- who may not --------------------------------------------------------------------------------


def snapshot():
    """Every row but what signing in writes (last login, sessions, the sign-in log), and the requests."""
    from trama.people.models import User

    rows = {table: r for table, r in every_row().items() if table not in ("people_user", "django_session") and not table.startswith("axes_")}
    return rows | {
        "requests": sorted(ErasureRequest.objects.values_list("pk", "status")),
        "accounts": sorted(User.objects.values_list("pk", "username", "is_active", "password")),
    }


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
def test_nobody_out_of_scope_asks_or_decides_and_nothing_changes(method, make_person, make_user, users, other_neighbourhood, coordinator, client):
    elsewhere = make_person(where=other_neighbourhood, name="Ugo")
    mine = make_person(name="Lia", account=users[Role.CITIZEN])
    request = ErasureRequest.objects.create(person=elsewhere, requested_by=coordinator)
    far_coordinator = make_user(Role.COORDINATOR, city=City.objects.create(name="Lontana", slug="lontana", centre_lat=45, centre_lon=9))
    body = {"confirm": "on", "decision": "confirm", "reason": "x"}
    cases = [
        (users[Role.CITIZEN], reverse("privacy:erasure_person", args=[elsewhere.pk])),  # a citizen, for another person
        (users[Role.WORKER], reverse("privacy:erasure_person", args=[elsewhere.pk])),  # a worker, out of her neighbourhood
        (users[Role.PARTNER], reverse("privacy:erasure_person", args=[mine.pk])),
        (users[Role.ANTENNA], reverse("privacy:erasure_person", args=[mine.pk])),
        (far_coordinator, reverse("privacy:erasure_person", args=[mine.pk])),
        (users[Role.WORKER], reverse("privacy:erasure_decide", args=[request.pk])),
        (users[Role.CITIZEN], reverse("privacy:erasure_decide", args=[request.pk])),
        (far_coordinator, reverse("privacy:erasure_decide", args=[request.pk])),
        (users[Role.WORKER], reverse("privacy:erasure", args=[request.pk])),
        (users[Role.PARTNER], reverse("privacy:erasures")),
        (None, reverse("privacy:erasure_person", args=[mine.pk])),
        (None, reverse("privacy:erasure_mine")),
        (None, reverse("privacy:erasure_decide", args=[request.pk])),
    ]
    before = snapshot()
    for user, path in cases:
        client.logout()
        if user is not None:
            client.force_login(user)
        response = getattr(client, method)(path, body)
        if user is None:
            assert response.status_code in (302, 405) and (
                response.status_code == 405 or "/accedi/" in response["Location"] or "login" in response["Location"]
            ), (path, method)
        else:
            assert response.status_code in (403, 404, 405), (user.role, path, method, response.status_code)
    assert snapshot() == before
    elsewhere.refresh_from_db()
    assert elsewhere.anonymised_at is None


# -- bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize("pk", ["0", "99999999999999999999999", "1" * 300])
def test_ids_that_do_not_exist_are_a_404(pk, coordinator, client):
    client.force_login(coordinator)
    for path in (f"/privacy/persone/{pk}/cancellazione/", f"/privacy/cancellazioni/{pk}/decisione/"):
        assert client.post(path, {"confirm": "on", "decision": "confirm"}).status_code == 404, path
    for path in (f"/privacy/persone/{pk}/cancellazione/", f"/privacy/cancellazioni/{pk}/"):
        assert client.get(path).status_code == 404, path
    assert not ErasureRequest.objects.exists()


@pytest.mark.parametrize("path", ["/privacy/persone/abc/cancellazione/", "/privacy/cancellazioni/-1/", "/privacy/cancellazioni/1.5/"])
def test_malformed_ids_are_a_404(path, coordinator, client):
    client.force_login(coordinator)
    assert client.get(path).status_code == 404


def test_an_oversized_reason_is_refused_with_a_clear_message(make_person, worker, client):
    lia = make_person(name="Lia")
    client.force_login(worker)
    response = client.post(reverse("privacy:erasure_person", args=[lia.pk]), {"reason": "x" * 501, "confirm": "on"})
    assert response.status_code == 400
    assert "Al massimo 500 caratteri (ne hai scritti 501)" in response.content.decode()
    assert not ErasureRequest.objects.exists()


def test_hostile_text_is_kept_as_text_and_shown_escaped(make_person, worker, client):
    lia = make_person(name="Lia")
    hostile = "<script>alert(1)</script>'; DROP TABLE privacy_auditentry; -- \x00\u202e"
    client.force_login(worker)
    response = client.post(reverse("privacy:erasure_person", args=[lia.pk]), {"reason": hostile, "confirm": "on"})
    assert response.status_code in (302, 400)
    page = (
        client.get(reverse("privacy:erasure", args=[ErasureRequest.objects.get().pk])).content.decode()
        if response.status_code == 302
        else response.content.decode()
    )
    assert "<script>alert(1)</script>" not in page


def test_a_decision_without_a_known_choice_is_refused(make_person, coordinator, client):
    request = ErasureRequest.objects.create(person=make_person(name="Lia"), requested_by=coordinator)
    client.force_login(coordinator)
    for body in ({}, {"decision": "delete-everything"}, {"decision": ["confirm", "refuse"]}, {"refusal_reason": "x" * 10_000}):
        response = client.post(reverse("privacy:erasure_decide", args=[request.pk]), body)
        assert response.status_code == 400, body
    request.refresh_from_db()
    assert request.status == ErasureRequest.Status.PENDING


def test_a_decided_request_cannot_be_decided_again(make_person, coordinator, client, django_capture_on_commit_callbacks):
    request = ErasureRequest.objects.create(person=make_person(name="Lia"), requested_by=coordinator)
    client.force_login(coordinator)
    client.post(reverse("privacy:erasure_decide", args=[request.pk]), {"decision": "refuse", "refusal_reason": "Obbligo di legge"})
    response = client.post(reverse("privacy:erasure_decide", args=[request.pk]), {"decision": "confirm", "confirm": "on"})
    assert response.status_code == 400 and "già stato deciso" in response.content.decode()
    assert Person.objects.get(pk=request.person_id).anonymised_at is None


def test_reapply_erasures_erases_again_whom_the_ledger_names_and_no_one_else(make_person):
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    gino, lia = make_person(name="Gino"), make_person(name="Lia")
    erasure.write_to_ledger(gino.pk, timezone.now())
    erasure.write_to_ledger(999_999, timezone.now())  # someone the database does not hold
    out = StringIO()
    call_command("reapply_erasures", operator="mario.rossi", stdout=out)
    assert "Cancellazioni riapplicate: 1." in out.getvalue()
    gino.refresh_from_db()
    lia.refresh_from_db()
    assert gino.anonymised_at is not None and lia.anonymised_at is None
    assert erasure.ledger_entries()[0][0] == gino.pk and len(erasure.ledger_entries()) == 2  # nothing written twice
