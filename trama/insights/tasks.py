import logging

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from django_tasks import task

from trama.background.registry import describe
from trama.notifications.models import Kind
from trama.notifications.services import notify

from . import figures, periods, reports
from .models import Report

log = logging.getLogger(__name__)


def _update(report_id, **fields):
    Report.objects.filter(pk=report_id).update(**fields)


@task()
def build_report(report_id):
    """Build one report, saying how far it has got in `progress` (0-100) as it goes."""
    report = Report.objects.select_related("city").get(pk=report_id)
    if report.is_finished:
        return  # run again after its worker stopped once the report was stored: nothing left to do
    _update(report_id, status=Report.Status.RUNNING, progress=1)
    try:
        with override("it"):
            period = periods.parse(report.period)
            # Reading the numbers is most of the work for a workbook; drawing is half of a PDF.
            share = 90 if report.kind == Report.Kind.XLSX else 50
            data = reports.collect(report.city, period, lambda done: _update(report_id, progress=max(1, int(done * share))))
            if report.kind == Report.Kind.XLSX:
                content = reports.build_xlsx(data)
            else:
                content = reports.build_pdf(data, lambda done: _update(report_id, progress=share + int(done * 45)))
        # Storing the file can fail too (a full disk): one UPDATE, so the file is kept whole or not at all.
        _update(report_id, status=Report.Status.DONE, progress=100, content=content, finished_at=timezone.now())
    except Exception as error:  # the page must say it failed rather than wait for ever
        log.exception("Report %s failed", report_id)
        _update(report_id, status=Report.Status.FAILED, error=str(error)[:500], finished_at=timezone.now())
        return
    _tell_requester(report)


def _tell_requester(report):
    # Only the account that asked, and only while it may still open the report (insights.view_report).
    requester = report.requested_by
    if requester is not None and requester.has_perm("insights.view_report", report):
        notify(Kind.REPORT_READY, [requester], url=reverse("insights:report", args=[report.pk]), key=f"{Kind.REPORT_READY}:{report.pk}")


def _report_abandoned(report_id, reason):
    # Not a report stored just before its worker stopped (the task itself was not yet marked done).
    Report.objects.filter(pk=report_id, status__in=[Report.Status.QUEUED, Report.Status.RUNNING]).update(
        status=Report.Status.FAILED, error=reason, finished_at=timezone.now()
    )


describe(build_report, _("Rapporto degli indicatori"), abandoned=_report_abandoned)


@task()
def refresh_figures(city_id, period, language, areas, keys):
    """Compute again the stored figures that `figures.evaluate` found out of date. Running it twice
    stores the same figures twice: harmless."""
    from trama.territory.models import City

    city = City.objects.filter(pk=city_id).first()
    if city is None:
        return
    with override(language or "it"):
        figures.recompute(city, periods.parse(period), figures.areas_from_json(areas), keys)
    figures.forget_old_changes()


# Given up, it leaves the figures as they were: the next look at them asks again (figures.ASK_AGAIN).
describe(refresh_figures, _("Aggiornamento degli indicatori"))


@task()
def prepare_figures(city_id=None):
    """The open periods' figures of every set of areas an account of the city compares, stored ahead of
    the first look (on a schedule, `manage.py prepare_figures`): see `services.prepare_open_figures`."""
    from .services import prepare_open_figures

    prepare_open_figures(city_id)
    figures.forget_old_changes()


describe(prepare_figures, _("Preparazione degli indicatori"))
