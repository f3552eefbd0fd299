import logging

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from django_tasks import task

from trama.background.registry import describe

from . import files, services
from .models import Import

log = logging.getLogger(__name__)


def _update(import_id, **fields):
    Import.objects.filter(pk=import_id).update(**fields)


@task()
def preview_import(import_id):
    """Compute the preview of an uploaded file, saying how far it has got in `progress` (0-100)."""
    run = Import.objects.select_related("city", "requested_by").filter(pk=import_id, status=Import.Status.ANALYSING).first()
    if run is None:
        return  # started again once it had finished: nothing left to do
    _update(import_id, progress=1)
    try:
        with override("it"):
            services.compute_preview(run, lambda done: _update(import_id, progress=max(1, done)))
    except files.Refused as refusal:
        _update(import_id, status=Import.Status.PREVIEW_FAILED, error=str(refusal), content=b"", finished_at=timezone.now())
        return
    except Exception as error:  # the page must say it failed rather than wait for ever
        log.exception("Preview of import %s failed", import_id)
        _update(import_id, status=Import.Status.PREVIEW_FAILED, error=str(error)[:2000], content=b"", finished_at=timezone.now())
        return
    _update(import_id, status=Import.Status.PREVIEW, progress=100, rows=run.rows, counts=run.counts, content=run.content)


def _preview_abandoned(import_id, reason):
    # Nothing was written: the page says the preview could not be made.
    Import.objects.filter(pk=import_id, status=Import.Status.ANALYSING).update(
        status=Import.Status.PREVIEW_FAILED, error=reason, content=b"", finished_at=timezone.now()
    )


@task()
def run_import(import_id):
    """Import a confirmed file, saying how far it has got in `progress` (0-100) as it goes."""
    run = Import.objects.select_related("city", "requested_by").get(pk=import_id)
    if run.status != Import.Status.QUEUED:
        return  # started again after its worker stopped once it had finished: nothing left to do
    _update(import_id, status=Import.Status.RUNNING, progress=1)
    try:
        with override("it"):
            services.execute(run, lambda done: _update(import_id, progress=max(1, done)))
    except Exception as error:  # the page must say it failed rather than wait for ever
        log.exception("Import %s failed", import_id)
        _update(import_id, status=Import.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now())
        return
    _update(import_id, status=Import.Status.DONE, progress=100, rows=run.rows, counts=run.counts, finished_at=timezone.now())


def _import_abandoned(import_id, reason):
    # What a stopped worker had written is undone, so that the file is imported whole or not at all.
    run = Import.objects.filter(pk=import_id, status__in=[Import.Status.QUEUED, Import.Status.RUNNING]).select_related("requested_by").first()
    if run is None:
        return
    if run.requested_by is not None:
        services.undo(run, by=run.requested_by)
    _update(import_id, status=Import.Status.FAILED, error=reason, finished_at=timezone.now())


@task()
def undo_import(import_id):
    """Undo a completed import as a whole, in one transaction (services.undo)."""
    run = Import.objects.select_related("city", "undone_by", "requested_by").filter(pk=import_id, status=Import.Status.UNDOING).first()
    if run is None:
        return
    by = run.undone_by or run.requested_by
    _update(import_id, progress=1)
    try:
        with override("it"):
            services.undo(run, by=by)
    except Exception as error:  # one transaction: nothing was undone, and the page says so
        log.exception("Undoing import %s failed", import_id)
        _update(import_id, status=Import.Status.UNDO_FAILED, error=str(error)[:2000])


def _undo_abandoned(import_id, reason):
    # The undoing is one transaction: a stopped worker undid nothing.
    _update_if = Import.objects.filter(pk=import_id, status=Import.Status.UNDOING)
    _update_if.update(status=Import.Status.UNDO_FAILED, error=reason)


describe(preview_import, _("Anteprima di un elenco da importare"), abandoned=_preview_abandoned)
# Once: a second start would find half the file written; the hook undoes it instead.
describe(run_import, _("Importazione di un elenco"), abandoned=_import_abandoned, max_attempts=1)
describe(undo_import, _("Annullamento di un'importazione"), abandoned=_undo_abandoned)
