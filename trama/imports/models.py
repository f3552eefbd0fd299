"""An import of an existing list: what the preview found, and the log that lets it be undone as a whole."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Import(models.Model):
    """One uploaded file, from its preview to its confirmation (a background task) and, maybe, its undoing."""

    class Kind(models.TextChoices):
        ORGANISATIONS = "organisations", _("Organizzazioni")
        PLACES = "places", _("Luoghi")
        # People and what they bring (people_resources.py): pseudonymous, with the consent collected on paper.
        PEOPLE = "people", _("Persone")
        OFFERS = "offers", _("Offerte delle persone")
        NEEDS = "needs", _("Richieste delle persone")
        ANTENNAS = "antennas", _("Antenne (candidature da valutare)")
        HSDS = "hsds", _("Elenco di servizi HSDS (organizzazioni, servizi, luoghi)")

    class Status(models.TextChoices):
        # The preview, computed by the worker (preview_import): the file is read, nothing of it is written.
        ANALYSING = "analysing", _("Anteprima in preparazione")
        PREVIEW_FAILED = "preview_failed", _("Anteprima non riuscita")
        PREVIEW = "preview", _("Anteprima")
        # The confirmed import (run_import).
        QUEUED = "queued", _("In coda")
        RUNNING = "running", _("In corso")
        DONE = "done", _("Completata")
        FAILED = "failed", _("Non riuscita")
        # Undoing it as a whole (undo_import).
        UNDOING = "undoing", _("Annullamento in corso")
        UNDO_FAILED = "undo_failed", _("Annullamento non riuscito")
        UNDONE = "undone", _("Annullata")

    city = models.ForeignKey("territory.City", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("che cosa"), max_length=20, choices=Kind.choices)
    filename = models.CharField(_("file"), max_length=200)
    # The file as uploaded (within the size limit): the confirmed import reads it again, as the preview did.
    content = models.BinaryField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(_("stato"), max_length=16, choices=Status.choices, default=Status.ANALYSING)
    progress = models.PositiveSmallIntegerField(default=0)
    # [{"line": 2, "outcome": "new", "label": "…", "messages": ["…"]}, …] as the preview saw the file.
    rows = models.JSONField(default=list)
    counts = models.JSONField(default=dict)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # What undoing could not put back (a record other records now point at), in words.
    undo_notes = models.JSONField(default=list)

    class Meta:
        verbose_name = _("importazione")
        verbose_name_plural = _("importazioni")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.filename}"

    def get_absolute_url(self):
        return reverse("imports:detail", args=[self.pk])

    @property
    def has_errors(self):
        return self.counts.get("error", 0) > 0

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED, self.Status.UNDONE, self.Status.PREVIEW_FAILED)

    @property
    def phase(self):
        """Which piece of work the page follows: "preview", "import" or "undo"."""
        if self.status in (self.Status.ANALYSING, self.Status.PREVIEW_FAILED, self.Status.PREVIEW):
            return "preview"
        if self.status in (self.Status.UNDOING, self.Status.UNDO_FAILED, self.Status.UNDONE):
            return "undo"
        return "import"

    @property
    def can_confirm(self):
        return self.status == self.Status.PREVIEW and not self.has_errors and (self.counts.get("new", 0) + self.counts.get("update", 0)) > 0


class ExternalId(models.Model):
    """The id a record has in the list it came from: importing the same list again finds it and changes nothing."""

    city = models.ForeignKey("territory.City", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Import.Kind.choices)
    external_id = models.CharField(max_length=100)
    object_id = models.PositiveBigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["city", "kind", "external_id"], name="imports_one_record_per_external_id")]


class Change(models.Model):
    """One record an import created or updated, with the values it had before: undoing reads these."""

    class Action(models.TextChoices):
        CREATED = "created", _("creato")
        UPDATED = "updated", _("aggiornato")

    run = models.ForeignKey(Import, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(max_length=10, choices=Action.choices)
    # Whose record it is, for a list about people (a person, her offer or need): the values kept to undo
    # are hers, so her copy and her erasure reach them (imports/personal_data.py).
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    object_id = models.PositiveBigIntegerField()
    external_id = models.CharField(max_length=100)
    previous = models.JSONField(default=dict)
    # What the import wrote: a record changed again since is left as it is by undoing.
    written = models.JSONField(default=dict)
