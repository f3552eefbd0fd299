"""Emergent themes: text items from needs, signals, encounters and imports, the themes the
discovery engine proposes and people name, and the tags that link the two."""

import numpy as np
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TEXT_LIMIT = 8000
# A tag's confidence (the softmax of the item's closeness to each theme, services._confidences) told in
# words: "alta" from SURE_CONFIDENCE, "media" from SUGGEST_CONFIDENCE, below it "bassa". A new item gets
# a suggested theme only from SUGGEST_CONFIDENCE ("media"), and the item's page says so.
SUGGEST_CONFIDENCE = 0.5
SURE_CONFIDENCE = 0.8


def confidence_words(value):
    """A confidence (0-1) in Italian words: alta, media, bassa; "" when there is none."""
    if value is None:
        return ""
    if value >= SURE_CONFIDENCE:
        return _("alta")
    if value >= SUGGEST_CONFIDENCE:
        return _("media")
    return _("bassa")


class TraditionalCategory(models.Model):
    """One of the administration's traditional user areas (elderly, minors and families…)."""

    code = models.SlugField(_("codice"), max_length=60, unique=True)
    name = models.CharField(_("nome"), max_length=120)
    description = models.TextField(_("descrizione"), blank=True, max_length=2000)

    class Meta:
        ordering = ["name"]
        verbose_name = _("categoria tradizionale")
        verbose_name_plural = _("categorie tradizionali")

    def __str__(self):
        return self.name


class DiscoveryRun(models.Model):
    """One run of the discovery engine over a period's text, with its progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("in coda")
        RUNNING = "running", _("in corso")
        DONE = "done", _("completata")
        FAILED = "failed", _("non riuscita")

    city = models.ForeignKey("territory.City", on_delete=models.CASCADE, related_name="+", verbose_name=_("città"))
    since = models.DateField(_("dal"), null=True, blank=True)
    until = models.DateField(_("al"), null=True, blank=True)
    requested_themes = models.PositiveSmallIntegerField(_("numero di temi"), null=True, blank=True)
    seed = models.PositiveIntegerField(_("seme"), default=1)
    status = models.CharField(_("stato"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("avanzamento (%)"), default=0)
    item_count = models.PositiveIntegerField(_("testi analizzati"), default=0)
    theme_count = models.PositiveSmallIntegerField(_("temi trovati"), default=0)
    error = models.TextField(_("errore"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Empty: the whole city; a worker's run reads only the items of their neighbourhoods.
    neighbourhoods = models.ManyToManyField("territory.Neighbourhood", blank=True, related_name="+", verbose_name=_("quartieri"))
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("ricerca di temi")
        verbose_name_plural = _("ricerche di temi")

    def __str__(self):
        return f"{self.city} {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("themes:run", args=[self.pk])

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)


class Theme(models.Model):
    """A candidate cluster of items, or a theme people named in their own words."""

    class Status(models.TextChoices):
        CANDIDATE = "candidate", _("proposto")
        NAMED = "named", _("con un nome")
        MERGED = "merged", _("unito a un altro")
        RETIRED = "retired", _("archiviato")

    city = models.ForeignKey("territory.City", on_delete=models.CASCADE, related_name="+", verbose_name=_("città"))
    status = models.CharField(_("stato"), max_length=10, choices=Status.choices, default=Status.CANDIDATE)
    name = models.CharField(_("nome"), max_length=120, blank=True)
    suggested_name = models.CharField(_("nome suggerito"), max_length=200, blank=True)
    description = models.TextField(_("descrizione"), max_length=2000, blank=True)
    key_phrases = models.JSONField(_("espressioni chiave"), default=list, blank=True)
    categories = models.ManyToManyField(TraditionalCategory, blank=True, related_name="themes", verbose_name=_("tocca anche le categorie"))
    outside_categories = models.BooleanField(_("fuori dalle categorie tradizionali"), default=False)
    merged_into = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged_themes", verbose_name=_("unito a"))
    split_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="split_themes", verbose_name=_("separato da")
    )
    run = models.ForeignKey(DiscoveryRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="themes")
    # Mean vector of the theme's items, so a later run matches its clusters to existing themes.
    centroid = models.BinaryField(null=True, blank=True, editable=False)
    first_seen = models.DateTimeField(_("visto la prima volta"), null=True, blank=True)
    last_seen = models.DateTimeField(_("visto l'ultima volta"), null=True, blank=True)
    named_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    named_at = models.DateTimeField(_("nominato il"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["status", "name", "suggested_name"]
        indexes = [models.Index(fields=["city", "status"])]
        verbose_name = _("tema")
        verbose_name_plural = _("temi")

    def __str__(self):
        return self.name or self.suggested_name or str(self.pk)

    def get_absolute_url(self):
        return reverse("themes:theme", args=[self.pk])

    @property
    def label(self):
        return str(self)

    @property
    def is_live(self):
        return self.status in LIVE

    def centroid_vector(self):
        return None if self.centroid is None else np.frombuffer(bytes(self.centroid), dtype=np.float32)


LIVE = (Theme.Status.CANDIDATE, Theme.Status.NAMED)


class ThemeEvent(models.Model):
    """The history of a theme: who proposed, named, merged, split, retired or linked it, and when."""

    class Action(models.TextChoices):
        PROPOSED = "proposed", _("proposto dalla ricerca")
        MATCHED = "matched", _("ritrovato da una nuova ricerca")
        NAMED = "named", _("nominato")
        RENAMED = "renamed", _("rinominato")
        MERGED = "merged", _("unito")
        SPLIT = "split", _("separato")
        RETIRED = "retired", _("archiviato")
        LINKED = "linked", _("categorie aggiornate")

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("azione"), max_length=10, choices=Action.choices)
    detail = models.JSONField(default=dict, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("evento del tema")
        verbose_name_plural = _("eventi del tema")


class TextItem(models.Model):
    """A piece of free text the engine reads: a need, a signal, an encounter note or an import.

    The owning app keeps the text; this is the themes app's copy with what it needs
    (neighbourhood, person, date, embedding) so discovery never reads other apps' tables.
    """

    class Source(models.TextChoices):
        NEED = "need", _("richiesta")
        SIGNAL = "signal", _("segnalazione")
        ENCOUNTER = "encounter", _("incontro")
        IMPORT = "import", _("importato")

    city = models.ForeignKey("territory.City", on_delete=models.CASCADE, related_name="+", verbose_name=_("città"))
    source = models.CharField(_("origine"), max_length=10, choices=Source.choices)
    source_id = models.PositiveBigIntegerField(_("identificativo d'origine"))
    text = models.TextField(_("testo"), max_length=TEXT_LIMIT)
    neighbourhood = models.ForeignKey(
        "territory.Neighbourhood", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("quartiere")
    )
    person = models.ForeignKey("people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("persona"))
    written_at = models.DateTimeField(_("scritto il"), default=timezone.now)
    embedding = models.BinaryField(null=True, blank=True, editable=False)
    embedded_at = models.DateTimeField(null=True, blank=True)
    themes = models.ManyToManyField(Theme, through="Tag", related_name="items", blank=True)

    class Meta:
        ordering = ["-written_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["source", "source_id"], name="themes_item_unique_source")]
        indexes = [models.Index(fields=["city", "written_at"]), models.Index(fields=["neighbourhood", "written_at"])]
        verbose_name = _("testo")
        verbose_name_plural = _("testi")

    def __str__(self):
        return f"{self.get_source_display()} {self.source_id}"

    def get_absolute_url(self):
        return reverse("themes:item", args=[self.pk])

    def vector(self):
        return None if self.embedding is None else np.frombuffer(bytes(self.embedding), dtype=np.float32)


class Tag(models.Model):
    """A theme on an item: from the engine (with confidence), suggested on arrival, or set by a person."""

    class Origin(models.TextChoices):
        ENGINE = "engine", _("dalla ricerca")
        SUGGESTED = "suggested", _("suggerito")
        PERSON = "person", _("da una persona")

    item = models.ForeignKey(TextItem, on_delete=models.CASCADE, related_name="tags")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="tags")
    origin = models.CharField(_("origine"), max_length=10, choices=Origin.choices)
    confidence = models.FloatField(_("confidenza"), null=True, blank=True)
    # A person said the tag is wrong: kept so the engine does not put it back.
    rejected = models.BooleanField(_("scartato"), default=False)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "theme"], name="themes_tag_unique")]
        indexes = [models.Index(fields=["theme", "rejected"])]
        verbose_name = _("etichetta")
        verbose_name_plural = _("etichette")

    def __str__(self):
        return f"{self.theme} · {self.item}"
