"""Practice sheets (what we did, with whom, what it took, what worked, what we would change) and the
programme's bodies (the steering group and the neighbourhood tables) with their members' mandates.

A body's meetings and decisions are collective's `Meeting` and `Decision`: `BodyMeeting` says which
body a meeting belongs to, `DecisionLink` what a decision changed and whom it concerns.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trama.market.models import MeaningMixin, save_meaning_aware

TEXT_LIMIT = 4000


class Practice(MeaningMixin, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("bozza")
        REVIEW = "review", _("in revisione")
        APPROVED = "approved", _("approvata")
        PUBLISHED = "published", _("pubblicata")

    city = models.ForeignKey("territory.City", on_delete=models.PROTECT, related_name="+", verbose_name=_("città"))
    neighbourhoods = models.ManyToManyField("territory.Neighbourhood", related_name="+", verbose_name=_("quartieri"))
    themes = models.ManyToManyField("themes.Theme", blank=True, related_name="+", verbose_name=_("temi"))
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("nata dall'iniziativa")
    )
    group = models.ForeignKey(
        "collective.Group", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("nata dal gruppo")
    )
    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("organizzazione che la racconta")
    )
    title = models.CharField(_("titolo"), max_length=160)
    what_we_did = models.TextField(_("che cosa abbiamo fatto"), max_length=TEXT_LIMIT)
    with_whom = models.TextField(_("con chi"), max_length=TEXT_LIMIT, blank=True)
    what_it_took = models.TextField(_("che cosa è servito"), max_length=TEXT_LIMIT, blank=True)
    what_worked = models.TextField(_("che cosa ha funzionato"), max_length=TEXT_LIMIT, blank=True)
    what_we_would_change = models.TextField(_("che cosa cambieremmo"), max_length=TEXT_LIMIT, blank=True)
    status = models.CharField(_("stato"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    review_note = models.CharField(_("nota di revisione"), max_length=500, blank=True)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    published_at = models.DateTimeField(_("pubblicata il"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # What the sheet means (market.meaning), to answer "who has done something like this?" from a need.
    embedding = models.BinaryField(null=True, blank=True, editable=False)
    embedding_model = models.CharField(max_length=60, blank=True, editable=False)

    MEANING_FIELDS = ("title", "what_we_did", "what_worked")
    MEANING_TASK = "trama.practices.tasks.embed_practice"
    TEXT_FIELDS = ("title", "what_we_did", "with_whom", "what_it_took", "what_worked", "what_we_would_change")

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["city", "status"])]
        verbose_name = _("scheda di pratica")
        verbose_name_plural = _("schede di pratica")

    def __str__(self):
        return self.title

    @property
    def meaning_text(self):
        return f"{self.title}\n{self.what_we_did}\n{self.what_worked}".strip()

    @property
    def text(self):
        return "\n".join(getattr(self, f) for f in self.TEXT_FIELDS)

    def save(self, *args, **kwargs):
        save_meaning_aware(self, super().save, args, kwargs)


class Body(models.Model):
    """A body of the programme's shared governance."""

    class Kind(models.TextChoices):
        STEERING = "steering", _("cabina di regia")
        TABLE = "table", _("tavolo di quartiere")

    city = models.ForeignKey("territory.City", on_delete=models.PROTECT, related_name="+", verbose_name=_("città"))
    kind = models.CharField(_("tipo"), max_length=10, choices=Kind.choices)
    neighbourhood = models.ForeignKey(
        "territory.Neighbourhood", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("quartiere")
    )
    name = models.CharField(_("nome"), max_length=120)
    remit = models.TextField(_("di che cosa si occupa"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("organismo")
        verbose_name_plural = _("organismi")

    def __str__(self):
        return self.name

    def clean(self):
        if self.kind == self.Kind.TABLE and not self.neighbourhood_id:
            raise ValidationError({"neighbourhood": _("Un tavolo di quartiere ha bisogno del suo quartiere.")})
        if self.kind == self.Kind.STEERING and self.neighbourhood_id:
            raise ValidationError({"neighbourhood": _("La cabina di regia è di tutta la città: non ha un quartiere.")})
        if self.neighbourhood_id and self.city_id and self.neighbourhood.city_id != self.city_id:
            raise ValidationError({"neighbourhood": _("Il quartiere non è di questa città.")})


class Mandate(models.Model):
    """Who sits in a body, for whom and for how long."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="mandates")
    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("organizzazione rappresentata")
    )
    represents_municipality = models.BooleanField(_("rappresenta il Comune"), default=False)
    role = models.CharField(_("ruolo nell'organismo"), max_length=120)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("account della persona")
    )
    member_name = models.CharField(_("nome della persona"), max_length=120, blank=True)
    starts_on = models.DateField(_("dal"))
    ends_on = models.DateField(_("al"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["ends_on", "role", "pk"]
        verbose_name = _("mandato")
        verbose_name_plural = _("mandati")

    def __str__(self):
        return self.role

    @property
    def who(self):
        return self.member_name or (self.member.get_full_name() or self.member.username if self.member_id else "")

    @property
    def represented(self):
        if self.represents_municipality:
            return _("Comune")
        return self.organisation.name if self.organisation_id else ""

    @property
    def current(self):
        return self.ends_on is None or self.ends_on >= timezone.localdate()

    def clean(self):
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("La fine del mandato deve venire dopo il suo inizio.")})
        if not self.organisation_id and not self.represents_municipality:
            raise ValidationError({"organisation": _("Indica l'organizzazione rappresentata, o che rappresenta il Comune.")})
        if self.organisation_id and self.represents_municipality:
            raise ValidationError({"organisation": _("Un mandato rappresenta il Comune o un'organizzazione, non entrambi.")})


class BodyMeeting(models.Model):
    """A meeting (collective's) held by a body."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="meetings")
    meeting = models.OneToOneField("collective.Meeting", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("incontro di un organismo")
        verbose_name_plural = _("incontri degli organismi")


class DecisionLink(models.Model):
    """What a decision (collective's) of a body changed, whom it concerns and who answers for it, by organisation and role."""

    decision = models.OneToOneField("collective.Decision", on_delete=models.CASCADE, related_name="+")
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="decisions")
    practice = models.ForeignKey(
        Practice, on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions", verbose_name=_("scheda di pratica")
    )
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("iniziativa")
    )
    target = models.CharField(_("obiettivo o indicatore toccato"), max_length=200, blank=True)
    concerns = models.ManyToManyField("people.Organisation", blank=True, related_name="+", verbose_name=_("organizzazioni interessate"))
    responsible_organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("organizzazione responsabile")
    )
    responsible_role = models.CharField(_("ruolo responsabile"), max_length=120, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("collegamento di una decisione")
        verbose_name_plural = _("collegamenti delle decisioni")
