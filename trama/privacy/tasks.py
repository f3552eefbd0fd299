import logging

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from django_tasks import task

from trama.background.registry import describe

from . import exports
from .models import DataExport, ErasureRequest
from .signals import export_ready

log = logging.getLogger(__name__)


def _update(export_id, **fields):
    DataExport.objects.filter(pk=export_id).update(**fields)


@task()
def build_export(export_id):
    """Build one person's record (JSON and PDF in a ZIP), saying how far it has got in `progress` (0-100)."""
    export = DataExport.objects.select_related("person").get(pk=export_id)
    if export.status not in (DataExport.Status.QUEUED, DataExport.Status.RUNNING):
        # Run again after its worker stopped once the copy was ready: it may have been downloaded
        # already, and goes out once.
        return
    _update(export_id, status=DataExport.Status.RUNNING, progress=1)
    try:
        with override("it"):
            record = exports.record_of(export.person, lambda done: _update(export_id, progress=max(1, int(done * 50))))
            pdf = exports.build_pdf(record, export.person, lambda done: _update(export_id, progress=50 + int(done * 45)))
            content = exports.build_zip(exports.to_json(record), pdf)
        # Storing the file can fail too (a full disk): one UPDATE, so the file is kept whole or not at all.
        now = timezone.now()
        _update(export_id, status=DataExport.Status.DONE, progress=100, content=content, finished_at=now, expires_at=now + exports.lifetime())
    except Exception:  # the page must say it failed rather than wait for ever
        log.exception("Data export %s failed", export_id)
        _update(export_id, status=DataExport.Status.FAILED, finished_at=timezone.now())
        return
    export_ready.send(sender=DataExport, export=export)


def _export_abandoned(export_id, reason):
    # Not a copy stored (or already downloaded) just before its worker stopped.
    DataExport.objects.filter(pk=export_id, status__in=[DataExport.Status.QUEUED, DataExport.Status.RUNNING]).update(
        status=DataExport.Status.FAILED, finished_at=timezone.now()
    )


describe(build_export, _("Copia dei dati di una persona"), abandoned=_export_abandoned)


@task()
def run_erasure(erasure_id):
    """Carry out a confirmed erasure (see erasure.carry_out); the page reads the request's status.

    Running it twice is harmless: the second run finds the request done and does nothing.
    """
    from . import erasure

    ErasureRequest.objects.filter(pk=erasure_id, status=ErasureRequest.Status.CONFIRMED).update(status=ErasureRequest.Status.RUNNING)
    try:
        erasure.carry_out(erasure_id)
    except Exception:  # everything was rolled back: the page says so, and a coordinator may try again
        log.exception("Erasure %s failed", erasure_id)
        ErasureRequest.objects.filter(pk=erasure_id, status=ErasureRequest.Status.RUNNING).update(status=ErasureRequest.Status.FAILED)


def _erasure_abandoned(erasure_id, reason):
    # Its transaction died with the worker: nothing was erased; the page offers to queue it again.
    ErasureRequest.objects.filter(pk=erasure_id, status=ErasureRequest.Status.RUNNING).update(status=ErasureRequest.Status.FAILED)


describe(run_erasure, _("Cancellazione dei dati di una persona"), abandoned=_erasure_abandoned)


@task()
def apply_retention():
    """Anonymise or delete every declared row past its time limit (privacy.retention), nightly.

    Running it twice is harmless: each rule picks only rows it has not acted on yet, so the second run finds nothing.
    """
    from . import retention

    return sum(outcome.count for outcome in retention.apply_retention())


describe(apply_retention, _("Conservazione: dati scaduti resi anonimi o cancellati"))
