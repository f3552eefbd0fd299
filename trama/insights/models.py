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


class Target(models.Model):
    """Where an indicator should get to in one year, in one neighbourhood or in the whole city (no neighbourhood),
    and where it started from: the baseline entered with its source, or else the first year with data (targets.py).

    Numbers are kept as the indicator computes them (a share as a fraction 0-1, euro, hours...); the form takes a
    share as a percentage. Aggregates only, set by a coordinator: nothing about a person.
    """

    city = models.ForeignKey("territory.City", on_delete=models.CASCADE, related_name="+", verbose_name=_("città"))
    neighbourhood = models.ForeignKey(
        "territory.Neighbourhood", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("quartiere")
    )
    indicator = models.CharField(_("indicatore"), max_length=40)
    year = models.PositiveSmallIntegerField(_("anno"))
    baseline = models.DecimalField(_("punto di partenza"), max_digits=16, decimal_places=4, null=True, blank=True)
    baseline_source = models.CharField(_("fonte del punto di partenza"), max_length=300, blank=True)
    target = models.DecimalField(_("obiettivo"), max_digits=16, decimal_places=4)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("fissato da"))
    updated_at = models.DateTimeField(_("aggiornato il"), auto_now=True)

    class Meta:
        ordering = ["-year", "indicator", "neighbourhood__name", "pk"]
        verbose_name = _("obiettivo di un indicatore")
        verbose_name_plural = _("obiettivi degli indicatori")
        constraints = [
            models.UniqueConstraint(fields=["city", "neighbourhood", "indicator", "year"], name="target_once_per_area_and_year"),
            models.UniqueConstraint(
                fields=["city", "indicator", "year"], condition=models.Q(neighbourhood__isnull=True), name="target_once_per_city_and_year"
            ),
        ]

    def __str__(self):
        return f"{self.indicator} {self.year}"

    @property
    def area_key(self):
        """The key of the dashboard's area this target is about ("q12", or "city")."""
        return f"q{self.neighbourhood_id}" if self.neighbourhood_id else "city"


class Story(models.Model):
    """A story of change (Most Significant Change): what changed, for whom, why it matters, told by a worker or a
    partner with the consent of the person it is about, and pseudonymised (no name, nothing that identifies:
    `stories.personal_details` refuses what it can recognise).

    Seen by the staff of its neighbourhood and by the organisation of the partner who wrote it. When the person
    withdraws their consent the story is erased (deleted), and with it its selection in any review.
    """

    class ConsentForm(models.TextChoices):
        ORAL = "oral", _("a voce, a chi ha raccolto la storia")
        WRITTEN = "written", _("per iscritto, con il modulo firmato")

    city = models.ForeignKey("territory.City", on_delete=models.CASCADE, related_name="+", verbose_name=_("città"))
    neighbourhood = models.ForeignKey("territory.Neighbourhood", on_delete=models.PROTECT, related_name="+", verbose_name=_("quartiere"))
    title = models.CharField(_("titolo"), max_length=120)
    what_changed = models.TextField(_("che cosa è cambiato"), max_length=2000)
    for_whom = models.CharField(_("per chi"), max_length=200)
    why_it_matters = models.TextField(_("perché è importante"), max_length=2000)
    goals = models.JSONField(_("obiettivi del programma"), default=list, blank=True)
    themes = models.ManyToManyField("themes.Theme", blank=True, related_name="+", verbose_name=_("temi"))
    initiatives = models.ManyToManyField("initiatives.Initiative", blank=True, related_name="+", verbose_name=_("iniziative"))
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("persona (non mostrata)")
    )
    consent_form = models.CharField(_("consenso dato"), max_length=8, choices=ConsentForm.choices)
    consent_at = models.DateTimeField(_("consenso registrato il"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("raccolta da"))
    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("organizzazione")
    )
    created_at = models.DateTimeField(_("scritta il"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["neighbourhood", "created_at"])]
        verbose_name = _("storia di cambiamento")
        verbose_name_plural = _("storie di cambiamento")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("insights:story", args=[self.pk])

    @property
    def goal_labels(self):
        from .indicators import GOALS

        return [f"{goal} · {GOALS[goal]}" for goal in self.goals if goal in GOALS]


class Review(models.Model):
    """A participatory review: a neighbourhood table meets (a collective Meeting of kind "table", where its
    agenda, minutes, attendance and decisions are kept), comments on the figures of a period and selects the
    most significant stories of change, which the report then shows beside the numbers."""

    city = models.ForeignKey("territory.City", on_delete=models.CASCADE, related_name="+", verbose_name=_("città"))
    neighbourhood = models.ForeignKey("territory.Neighbourhood", on_delete=models.PROTECT, related_name="+", verbose_name=_("quartiere"))
    meeting = models.OneToOneField("collective.Meeting", on_delete=models.CASCADE, related_name="+", verbose_name=_("incontro del tavolo"))
    period = models.CharField(_("periodo dei numeri discussi"), max_length=7)
    comments = models.TextField(_("commenti sui numeri"), max_length=4000, blank=True)
    stories = models.ManyToManyField(Story, blank=True, related_name="reviews", verbose_name=_("storie scelte"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("revisione partecipata")
        verbose_name_plural = _("revisioni partecipate")

    def __str__(self):
        return f"{self.neighbourhood_id} {self.period}"

    @property
    def period_label(self):
        return parse(self.period).label
