"""Retention (privacy.retention): every declared kind of row goes when it has been kept long enough, not a day sooner.

Each rule is tried on a row of the `everywhere` person (conftest.py): backdated to a day past its
limit it is anonymised or deleted; a day inside its limit, or still active however old, it stays
exactly as it was.
"""

from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from trama.insights import periods
from trama.privacy import audit, retention
from trama.privacy.models import AuditEntry, DataExport
from trama.privacy.registry import Erase
from trama.privacy.tasks import apply_retention

from .conftest import IN_2025
from .test_erasure import indicators_of

pytestmark = pytest.mark.django_db

# What makes the row of each rule "ended" (so that it may expire), and what keeps it active (so that it
# never does). None: every row of the model may expire (an encounter, an audit entry, a contribution).
ENDED = {
    "privacy.AuditEntry": None,
    "privacy.DataExport": {"status": DataExport.Status.DELIVERED},
    "privacy.ErasureRequest": {"status": "done"},
    "privacy.Rectification": None,
    "notifications.Notification": None,
    "market.Offer": {"status": "withdrawn"},
    "market.Need": {"status": "met"},
    "market.Match": {"status": "done"},
    "market.Contribution": None,
    "attention.Signal": {"status": "closed", "person": None, "first_contact_at": None},
    "attention.Signal:contatto": {"status": "closed"},
    "attention.OutreachTask": {"status": "done"},
    "attention.Encounter": None,
    "attention.AntennaApplication": None,
    "themes.TextItem": {"source": "import"},  # not the copy of a need still open
    "themes.Tag": lambda person: {"set_by_id": person.account_id},  # confirmed by someone: the link to go
    "collective.Suggestion": {"status": "dismissed", "dismissed_reason": "Non è il momento"},
    "collective.Meeting": None,
    "collective.Decision": None,
    "imports.Change": None,  # the log of a list about people
    "practices.Mandate": None,  # its clock is the mandate's end: a mandate with an end has ended
}
ACTIVE = {
    "privacy.DataExport": {"status": DataExport.Status.QUEUED},
    "privacy.ErasureRequest": {"status": "pending"},
    "market.Offer": {"status": "open"},
    "market.Need": {"status": "open"},
    "market.Match": {"status": "in_progress"},
    "attention.Signal": {"status": "new", "person": None, "first_contact_at": None},
    "attention.Signal:contatto": {"status": "contacted"},
    "attention.OutreachTask": {"status": "planned"},
    "collective.Suggestion": {"status": "open"},
    "themes.TextItem": {},  # the copy of a need still open
}
RULES = sorted(retention.keys())


def test_every_retention_rule_is_tried_here():
    assert set(ENDED) == set(RULES)


def rule_of(key):
    return next(rule for rule in retention.schedule() if rule.key == key)


def backdated_row(rule, moment, state, everywhere):
    """A row of `rule`'s model about `everywhere`, in `state`, its clock at `moment`."""
    model, clock = rule.model, rule.expiry.clock
    state = state(everywhere) if callable(state) else state
    if model is AuditEntry:  # append-only: written at that moment rather than changed
        with mock.patch("django.utils.timezone.now", return_value=moment):
            return audit.record(None, audit.Action.READ, everywhere, reason="prova")
    row = rule.declaration.rows_of(everywhere).first()
    field = model._meta.get_field(clock)
    value = moment if field.get_internal_type() == "DateTimeField" else timezone.localdate(moment)
    model._default_manager.filter(pk=row.pk).update(**{clock: value}, **(state or {}))
    return model._default_manager.get(pk=row.pk)


def still_there(rule, row):
    """The row as it is now, if it still holds what the rule would take away; else None."""
    return rule.model._default_manager.filter(rule.pending(), pk=row.pk).first()


@pytest.mark.parametrize("key", RULES)
def test_a_row_a_day_past_its_limit_goes(key, everywhere):
    rule = rule_of(key)
    row = backdated_row(rule, rule.cutoff(timezone.now()) - timedelta(days=1), ENDED[key], everywhere)
    assert still_there(rule, row) is not None  # it holds something to take away

    outcome = {o.key: o for o in retention.apply_retention()}[key]

    assert outcome.count >= 1 and still_there(rule, row) is None
    if rule.erase.kind == Erase.ANONYMISE:
        assert rule.model._default_manager.filter(pk=row.pk).exists()  # kept, for the indicators
    else:
        assert not rule.model._default_manager.filter(pk=row.pk).exists()


@pytest.mark.parametrize("key", RULES)
def test_a_row_a_day_inside_its_limit_stays_as_it_was(key, everywhere):
    rule = rule_of(key)
    row = backdated_row(rule, rule.cutoff(timezone.now()) + timedelta(days=1), ENDED[key], everywhere)
    retention.apply_retention()
    assert model_to_dict(still_there(rule, row)) == model_to_dict(row)


@pytest.mark.parametrize("key", sorted(ACTIVE))
def test_a_row_still_active_stays_however_old(key, everywhere):
    rule = rule_of(key)
    row = backdated_row(rule, rule.cutoff(timezone.now()) - timedelta(days=400), ACTIVE[key], everywhere)
    retention.apply_retention()
    assert model_to_dict(still_there(rule, row)) == model_to_dict(row)


def end_everything(everywhere):
    """Every row of `everywhere` ended, in 2025 (the signal as one that led to contact: it names the person)."""
    for key, state in ENDED.items():
        rule = rule_of(key)
        if key in ("attention.Signal", "privacy.AuditEntry", "themes.TextItem"):  # the items end with their needs
            continue
        state = state(everywhere) if callable(state) else (state or {})
        rows = rule.model._default_manager.filter(pk__in=rule.declaration.rows_of(everywhere))
        rows.filter(**{f"{rule.expiry.clock}__isnull": True}).update(**{rule.expiry.clock: IN_2025})
        rows.update(**state)


LATER = timezone.make_aware(timezone.datetime(2031, 1, 1))  # every row of 2025 is past every limit by then


def test_the_indicators_of_closed_periods_do_not_change(everywhere, city):
    end_everything(everywhere)
    before = indicators_of(city, periods.Period("year", 2025))
    outcomes = retention.apply_retention(now=LATER)
    assert sum(o.count for o in outcomes if "." in o.key and ":" not in o.key) >= 10  # it did change rows
    assert indicators_of(city, periods.Period("year", 2025)) == before


def test_a_second_run_finds_nothing(everywhere):
    end_everything(everywhere)
    first = retention.apply_retention(now=LATER)
    assert sum(o.count for o in first) >= 10
    assert [o.count for o in retention.apply_retention(now=LATER)] == [0] * len(first)


def snapshot():
    """Every row of every declared model, as it is."""
    return {rule.key: sorted(map(str, rule.model._default_manager.values_list())) for rule in retention.schedule()}


def test_a_dry_run_says_what_would_go_and_changes_nothing(everywhere):
    end_everything(everywhere)
    before, entries = snapshot(), AuditEntry.objects.count()
    out = StringIO()
    with mock.patch("trama.privacy.retention.timezone.now", return_value=LATER):
        call_command("apply_retention", "--dry-run", stdout=out)
    assert snapshot() == before and AuditEntry.objects.count() == entries
    text = out.getvalue()
    assert "Prova: nulla è stato cambiato" in text
    assert "richieste (market.Need): 1 riga da rendere anonima, con data anteriore al 2029-01-01" in text
    assert "incontri (collective.Meeting): 2 righe da rendere anonime, con data anteriore al 2029-01-01" in text
    assert "registro accessi (privacy.AuditEntry): 0 righe da cancellare, con data anteriore al 2026-01-01" in text


def test_the_command_and_the_task_apply_it_and_audit_each_model_with_counts_only(everywhere):
    end_everything(everywhere)
    out = StringIO()
    with mock.patch("trama.privacy.retention.timezone.now", return_value=LATER):
        call_command("apply_retention", stdout=out)
    assert "incontri (attention.Encounter): 1 riga resa anonima, con data anteriore al 2029-01-01" in out.getvalue()
    entry = AuditEntry.objects.get(object_type="attention.encounter", actor_label=retention.ACTOR_LABEL)
    assert (entry.action, entry.object_id) == (audit.Action.UPDATE, "")
    assert entry.reason == "conservazione: righe anonimizzate 1, anteriori al 2029-01-01"
    entries = AuditEntry.objects.filter(actor_label=retention.ACTOR_LABEL)
    assert entries.count() == len(entries.values("object_type").distinct()) >= 10  # one per model changed
    with mock.patch("trama.privacy.retention.timezone.now", return_value=LATER):
        result = apply_retention.enqueue()  # the immediate backend in tests: it has run, and found nothing left
    assert result.return_value == 0 and entries.count() == len(entries.values("object_type").distinct())


def test_export_files_not_downloaded_in_time_go_on_the_same_schedule(everywhere):
    export = DataExport.objects.filter(person=everywhere).first()
    DataExport.objects.filter(pk=export.pk).update(status=DataExport.Status.DONE, content=b"zip", expires_at=timezone.now() - timedelta(minutes=1))
    outcome = {o.key: o for o in retention.apply_retention()}["privacy.DataExport:file"]
    export.refresh_from_db()
    assert outcome.count == 1 and export.content is None and export.status == DataExport.Status.EXPIRED


def test_months_are_counted_on_the_calendar():
    moment = timezone.make_aware(timezone.datetime(2026, 3, 31, 12))
    assert retention.months_before(moment, 1) == timezone.make_aware(timezone.datetime(2026, 2, 28, 12))
    assert retention.months_before(moment, 24) == timezone.make_aware(timezone.datetime(2024, 3, 31, 12))
    assert retention.months_before(moment, 61) == timezone.make_aware(timezone.datetime(2021, 2, 28, 12))


def test_a_deployment_changes_the_months_and_a_wrong_schedule_stops_the_start(settings):
    settings.TRAMA_RETENTION_MONTHS = {"market.Need": 36}
    assert rule_of("market.Need").months == 36 and rule_of("market.Offer").months == 24
    retention.check_configuration()
    for wrong, said in [
        ({"market.Needs": 36}, "names 'market.Needs', which has no retention rule"),
        ({"market.Need": 0}, "must be a whole number of months above 0"),
        ({"market.Need": "36"}, "must be a whole number of months above 0"),
        ({"privacy.AuditEntry": 24}, "cannot be under 60"),
    ]:
        settings.TRAMA_RETENTION_MONTHS = wrong
        with pytest.raises(ImproperlyConfigured, match=said):
            retention.check_configuration()


def test_the_setting_is_read_from_the_environment():
    from trama.settings import _retention_months

    assert _retention_months("market.Need=36, attention.Signal:contatto=30") == {"market.Need": 36, "attention.Signal:contatto": 30}
    with pytest.raises(ImproperlyConfigured, match="is not label=months"):
        _retention_months("market.Need:36")


def written_at(moment):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        return audit.record(None, audit.Action.READ, object_type="people.person", object_id="1", reason="prova")


@pytest.mark.parametrize("months, refused", [(59, True), (61, False)])
def test_the_database_lets_only_audit_entries_older_than_five_years_go(months, refused):
    entry = written_at(retention.months_before(timezone.now(), months))
    with transaction.atomic():
        if refused:
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("DELETE FROM privacy_auditentry WHERE id = %s", [entry.pk])
        else:
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM privacy_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists() == refused
