from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .periods import parse


class Report(models.Model):
    """A report of the indicators for one period, built in the background (see tasks.build_report)."""

    class Kind(models.TextChoices):
        PDF = "pdf", _("PDF")
        XLSX = "xlsx", _("Foglio di calcolo (XLSX)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("in coda")
        RUNNING = "running", _("in preparazione")
        DONE = "done", _("pronto")
        FAILED = "failed", _("non riuscito")

    city = models.ForeignKey("territory.City", on_delete=models.CASCADE, related_name="reports", verbose_name=_("città"))
    period = models.CharField(_("periodo"), max_length=7)  # Period.param: "2025", "2025-T1", "2025-03"
    kind = models.CharField(_("formato"), max_length=4, choices=Kind.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("richiesto da"))
    status = models.CharField(_("stato"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("avanzamento"), default=0)
    content = models.BinaryField(_("file"), null=True, blank=True, editable=False)
    error = models.TextField(_("errore"), blank=True)
    created_at = models.DateTimeField(_("creato il"), auto_now_add=True)
    finished_at = models.DateTimeField(_("terminato il"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("rapporto")
        verbose_name_plural = _("rapporti")

    def __str__(self):
        return f"{self.period} {self.kind}"

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def period_label(self):
        """The period as people read it ("1° trimestre 2025"), not its code."""
        return parse(self.period).label

    @property
    def filename(self):
        return f"indicatori-{self.period}.{self.kind}"

    @property
    def content_type(self):
        if self.kind == self.Kind.PDF:
            return "application/pdf"
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class StoredFigures(models.Model):
    """One indicator's values for one period and set of areas, as last computed (see figures.py).

    Opening the dashboard reads these; the worker recomputes them when a record they may read
    has changed, and those of the open period at least every `figures.MAX_AGE`. Aggregates
    only: no row says anything about one person, and they are shown only to those whose
    scope the areas are (the key holds the areas' neighbourhoods).
    """

    city = models.ForeignKey("territory.City", on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=7)
    language = models.CharField(max_length=8)
    indicator = models.CharField(max_length=40)
    areas = models.CharField(max_length=16)  # a digest of the areas' keys, neighbourhoods and populations
    values = models.JSONField()
    computed_at = models.DateTimeField()
    seen_change = models.DateTimeField(null=True, blank=True)  # the latest SourceChange when computing began
    refresh_asked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("valori calcolati di un indicatore")
        constraints = [
            models.UniqueConstraint(fields=["city", "period", "language", "areas", "indicator"], name="stored_figures_key"),
        ]


class SourceChange(models.Model):
    """That a record the indicators read was saved or deleted, and when: one row per change,
    appended (never updated, so concurrent writers do not wait on one another)."""

    at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("modifica di una fonte degli indicatori")
