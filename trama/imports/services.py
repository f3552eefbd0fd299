"""Preview, confirm and undo an import of an existing list."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import tablib
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from trama.access import neighbourhood_scope
from trama.privacy import audit

from . import files, hsds
from .models import Change, ExternalId, Import
from .resources import COLUMN_OF, RESOURCES, ListResource

if TYPE_CHECKING:
    from import_export.results import Result

    from trama.people.models import User
    from trama.territory.models import City

OUTCOME = {"new": "new", "update": "update", "skip": "same", "invalid": "error", "error": "error"}
CHUNK = 500


def _rows(data: bytes, name: str, kind: str) -> tuple[tablib.Dataset, list[int]]:
    """The file's non-empty rows as a Dataset, and the line of the file each comes from (the header is line 1)."""
    read = files.read(name, data)
    missing = [c for c in RESOURCES[kind].required if c not in read.headers]
    if missing:
        raise files.Refused(
            _("Mancano le colonne: %(missing)s. La prima riga deve avere: %(required)s.")
            % {"missing": ", ".join(missing), "required": ", ".join(RESOURCES[kind].required)}
        )
    dataset = tablib.Dataset(headers=read.headers)
    lines = []
    for number, row in enumerate(read, start=2):
        if any(str(v or "").strip() for v in row):
            dataset.append(row)
            lines.append(number)
    if not lines:
        raise files.Refused(_("Il file non contiene righe da importare."))
    return dataset, lines


def _messages(row_result: Any) -> list[str]:
    if row_result.validation_error is not None:
        error = row_result.validation_error
        if hasattr(error, "error_dict"):
            return [f"{COLUMN_OF.get(field, field)}: {message}" for field, messages in error.message_dict.items() for message in messages]
        return list(error.messages)
    return [_("Errore imprevisto: %(error)s") % {"error": str(e.error)[:200]} for e in row_result.errors]


def _report(result: Result, dataset: tablib.Dataset, lines: list[int], resource: ListResource, offset: int = 0) -> list[dict[str, Any]]:
    rows = []
    for index, row_result in enumerate(result.rows):
        row = dict(zip(dataset.headers, dataset[index], strict=False))
        outcome = OUTCOME[row_result.import_type]
        rows.append(
            {
                "line": lines[offset + index],
                "outcome": outcome,
                # Quoted without control characters: the report is stored (PostgreSQL's JSON refuses NUL).
                "label": files.quotable(resource.label(row)),
                "messages": [files.quotable(m) for m in _messages(row_result)] if outcome == "error" else [],
            }
        )
    return rows


def _count(rows: list[dict[str, Any]]) -> dict[str, int]:
    counts = dict.fromkeys(("new", "update", "same", "error"), 0)
    for row in rows:
        counts[row["outcome"]] += 1
    return counts


def _resource(kind: str, city: City, by: User, run: Import | None = None) -> ListResource:
    return RESOURCES[kind](city=city, by=by, scope=neighbourhood_scope(by), run=run)


def check(*, kind: str, name: str, data: bytes) -> int:
    """Read the file as a whole (size, encoding, columns, rows, zip bomb) and return how many rows it has.

    Done in the request, before anything is stored: a file that cannot be read is refused at once
    (`files.Refused`), and only a readable one is left to the worker for its row-by-row preview.
    """
    if kind == Import.Kind.HSDS:
        return hsds.check(name, data)
    _dataset, lines = _rows(data, name, kind)
    return len(lines)


def start_preview(*, kind: str, name: str, data: bytes, city: City, by: User) -> Import:
    """Check the file, store it and queue its preview (tasks.preview_import); nothing of the file is written.

    `files.Refused` when the file cannot be read as a whole: then nothing is stored.
    """
    from .tasks import preview_import

    check(kind=kind, name=name, data=data)
    run = Import.objects.create(city=city, kind=kind, filename=name[:200], requested_by=by, content=data, status=Import.Status.ANALYSING)
    # In the request's transaction: the database queue's row is committed with the record, or neither is.
    preview_import.enqueue(run.pk)
    return run


def compute_preview(run: Import, progress: Callable[[int], None] = lambda done: None) -> None:
    """Say, row by row, what importing the file would do, 500 rows at a time; nothing of the file is written.

    A preview with errors cannot be confirmed: its file is dropped (it is fixed and uploaded again),
    its report is kept to be read.
    """
    if run.kind == Import.Kind.HSDS:
        return hsds.compute_preview(run, progress)
    assert run.requested_by is not None
    dataset, lines = _rows(bytes(run.content), run.filename, run.kind)
    resource = _resource(run.kind, run.city, run.requested_by)
    rows: list[dict[str, Any]] = []
    for start in range(0, len(dataset), CHUNK):
        chunk = tablib.Dataset(*dataset[start : start + CHUNK], headers=dataset.headers)
        result = resource.import_data(chunk, dry_run=True, raise_errors=False, collect_failed_rows=True, line_of=lambda i, s=start: lines[s + i - 1])
        rows += _report(result, chunk, lines, resource, offset=start)
        progress(min(99, (start + len(chunk)) * 100 // len(dataset)))
    run.rows, run.counts = rows, _count(rows)
    if run.has_errors:
        run.content = b""


def preview(*, kind: str, name: str, data: bytes, city: City, by: User) -> Import:
    """Check, store and preview a file at once (what the worker does after the upload): for scripts and tests."""
    run = Import.objects.create(city=city, kind=kind, filename=name[:200], requested_by=by, content=data, status=Import.Status.ANALYSING)
    compute_preview(run)
    run.status = Import.Status.PREVIEW
    run.save()
    return run


def confirm(run: Import) -> None:
    """Queue the confirmed import (see tasks.run_import)."""
    from .tasks import run_import

    Import.objects.filter(pk=run.pk, status=Import.Status.PREVIEW).update(status=Import.Status.QUEUED)
    run_import.enqueue(run.pk)


def execute(run: Import, progress: Callable[[int], None] = lambda done: None) -> None:
    """Import the file of a confirmed preview, 500 rows per transaction, logging every change.

    A row that has become invalid since the preview (someone registered the same tax code
    meanwhile) stops the import, and what it had written is undone: the file is imported whole or
    not at all.
    """
    if run.kind == Import.Kind.HSDS:
        return hsds.execute(run, progress)
    assert run.requested_by is not None
    dataset, lines = _rows(bytes(run.content), run.filename, run.kind)
    resource = _resource(run.kind, run.city, run.requested_by, run=run)
    rows: list[dict[str, Any]] = []
    for start in range(0, len(dataset), CHUNK):
        chunk = tablib.Dataset(*dataset[start : start + CHUNK], headers=dataset.headers)
        # One transaction per chunk and none per row: a row in error rolls the whole chunk back.
        with transaction.atomic():
            result = resource.import_data(
                chunk, dry_run=False, raise_errors=False, use_transactions=False, line_of=lambda i, s=start: lines[s + i - 1]
            )
            report = _report(result, chunk, lines, resource, offset=start)
            failed = next((row for row in report if row["outcome"] == "error"), None)
            if failed is None and result.base_errors:  # the chunk as a whole (its records, its log) could not be saved
                failed = {"line": lines[start], "messages": [str(result.base_errors[0].error)[:300]]}
            if failed is not None:
                transaction.set_rollback(True)
        if failed is not None:
            undo(run, by=run.requested_by)
            _forget_personal_file(run)
            raise ValueError(
                _("La riga %(line)d non è più valida (%(why)s): niente è stato importato. Prepara una nuova anteprima.")
                % {"line": failed["line"], "why": "; ".join(failed["messages"])}
            )
        rows += report
        progress(min(99, (start + len(chunk)) * 100 // len(dataset)))
    run.rows, run.counts = rows, _count(rows)
    _forget_personal_file(run)


def _forget_personal_file(run: Import) -> None:
    """A list about people is not kept once imported (or refused): the records and the log are what stays."""
    from .people_resources import PERSONAL_KINDS

    if run.kind in PERSONAL_KINDS:
        run.content = b""
        Import.objects.filter(pk=run.pk).update(content=b"")


def log_expired(run: Import) -> bool:
    """A list about people imported longer ago than its log is kept (imports.Change in the registry): the values
    to put back are gone, so it can no longer be undone."""
    from trama.privacy import retention

    from .people_resources import PERSONAL_KINDS

    if run.kind not in PERSONAL_KINDS:
        return False
    rule = next(rule for rule in retention.schedule() if rule.key == "imports.Change")
    return run.created_at < rule.cutoff(timezone.now())


def start_undo(run: Import, *, by: User) -> bool:
    """Queue the undoing of a completed import (tasks.undo_import); False if it is not completed (any more)."""
    from .tasks import undo_import

    undoable = [Import.Status.DONE, Import.Status.UNDO_FAILED]
    if log_expired(run):
        return False
    if not Import.objects.filter(pk=run.pk, status__in=undoable).update(status=Import.Status.UNDOING, undone_by=by, progress=0):
        return False
    undo_import.enqueue(run.pk)
    return True


def undo(run: Import, *, by: User) -> list[str]:
    """Undo an import as a whole: delete what it created, put back the values it replaced.

    What cannot be undone is left and said: a created record other records now depend on (an offer
    of the organisation, for instance), and a record changed again after the import (undoing would
    lose that change). The audit log keeps its entries: it records that the import happened.
    """
    resource = None if run.kind == Import.Kind.HSDS else _resource(run.kind, run.city, by)
    notes = []
    with transaction.atomic():
        for change in run.changes.order_by("-pk").iterator():
            # A directory (HSDS) holds organisations, places and services: each change says which.
            records: Any = hsds.kind_of_change(change) if resource is None else resource
            instance = records.model.objects.filter(pk=change.object_id).first()
            if instance is None:
                continue
            if records.snapshot(instance) != change.written:
                notes.append(
                    _("«%(name)s» (id esterno %(id)s) è stato modificato dopo l'importazione: lasciato com'è.")
                    % {"name": instance, "id": change.external_id}
                )
                continue
            if change.action == Change.Action.UPDATED:
                if resource is None:
                    records.restore(instance, change.previous, by)
                else:
                    resource.restore(instance, change.previous)
                continue
            try:
                if resource is None:
                    records.delete(instance, by=by)
                else:
                    resource.delete(instance)
            except (ProtectedError, RestrictedError):
                notes.append(
                    _("«%(name)s» (id esterno %(id)s) è ora usato da altri record: non è stato cancellato.")
                    % {"name": instance, "id": change.external_id}
                )
                continue
            ExternalId.objects.filter(city=run.city, kind=run.kind, external_id=change.external_id, object_id=change.object_id).delete()
        Import.objects.filter(pk=run.pk).update(status=Import.Status.UNDONE, undone_at=timezone.now(), undone_by=by, undo_notes=notes)
        audit.record(by, audit.Action.DELETE, run, reason="importazione annullata")
    return notes
