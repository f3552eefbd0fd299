"""From "I" to "we": suggestions to convene people with similar situations, the groups
they form, and the meetings of groups, neighbourhood tables and assemblies."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trama.market.models import MeaningMixin, save_meaning_aware

TEXT_LIMIT = 8000


class TransitionError(ValidationError):
    """A change of status the object's state does not allow."""


class Suggestion(models.Model):
    """ "N people with a similar situation in this neighbourhood: convene a group?"

    Computed from open needs, signals and encounter notes; `signature` identifies the set of
    people so the same suggestion is not proposed again after it was dismissed or used.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("da valutare")
        DISMISSED = "dismissed", _("scartata")
        CONVENED = "convened", _("gruppo convocato")

    city = models.ForeignKey("territory.City", on_delete=models.CASCADE, related_name="+", verbose_name=_("città"))
    neighbourhood = models.ForeignKey("territory.Neighbourhood", on_delete=models.CASCADE, related_name="+", verbose_name=_("quartiere"))
    theme = models.ForeignKey("themes.Theme", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("tema"))
    signature = models.CharField(max_length=64, editable=False)
    size = models.PositiveSmallIntegerField(_("persone"))
    purpose = models.CharField(_("scopo suggerito"), max_length=300, blank=True)
    key_phrases = models.JSONField(_("espressioni in comune"), default=list, blank=True)
    # The situations behind it, as [source, id] pairs ("need", "signal", "encounter"): what a
    # worker of the neighbourhood reads, and how people without a record are counted.
    items = models.JSONField(_("situazioni"), default=list, blank=True, editable=False)
    people = models.ManyToManyField("people.Person", related_name="+", blank=True, verbose_name=_("persone"))
    status = models.CharField(_("stato"), max_length=10, choices=Status.choices, default=Status.OPEN)
    dismissed_reason = models.CharField(_("motivo"), max_length=500, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-size", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["city", "signature"], name="collective_suggestion_unique")]
        indexes = [models.Index(fields=["neighbourhood", "status"]), models.Index(fields=["city", "status"])]
        verbose_name = _("proposta di gruppo")
        verbose_name_plural = _("proposte di gruppo")

    def __str__(self):
        return f"{self.neighbourhood}: {self.size}"


class SuggestionRefresh(models.Model):
    """A refresh of a city's suggestions asked for from their page: the page says it is queued or running
    until the worker has done it, then what it found. (The refreshes that follow saves run on their own.)"""

    class Status(models.TextChoices):
        QUEUED = "queued", _("in coda")
        RUNNING = "running", _("in corso")
        DONE = "done", _("fatto")
        FAILED = "failed", _("non riuscito")

    city = models.ForeignKey("territory.City", on_delete=models.CASCADE, related_name="+", verbose_name=_("città"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(_("stato"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    created = models.PositiveIntegerField(_("proposte nuove"), default=0)
    updated = models.PositiveIntegerField(_("proposte aggiornate"), default=0)
    deleted = models.PositiveIntegerField(_("proposte tolte"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("aggiornamento delle proposte")
        verbose_name_plural = _("aggiornamenti delle proposte")

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)


class Group(MeaningMixin, models.Model):
    class Status(models.TextChoices):
        FORMING = "forming", _("in formazione")
        ACTIVE = "active", _("attivo")
        INITIATIVE = "initiative", _("diventato iniziativa")
        CLOSED = "closed", _("concluso")

    city = models.ForeignKey("territory.City", on_delete=models.PROTECT, related_name="+", verbose_name=_("città"))
    neighbourhood = models.ForeignKey("territory.Neighbourhood", on_delete=models.PROTECT, related_name="+", verbose_name=_("quartiere"))
    name = models.CharField(_("nome scelto dal gruppo"), max_length=120)
    purpose = models.TextField(_("scopo"), max_length=2000)
    themes = models.ManyToManyField("themes.Theme", blank=True, related_name="+", verbose_name=_("temi"))
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("facilitatore")
    )
    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.SET_NULL, null=True, blank=True, related_name="groups", verbose_name=_("nata dalla proposta")
    )
    members = models.ManyToManyField("people.Person", through="Membership", related_name="+", blank=True)
    status = models.CharField(_("stato"), max_length=12, choices=Status.choices, default=Status.FORMING)
    status_changed_at = models.DateTimeField(default=timezone.now)
    closing_note = models.CharField(_("nota di chiusura"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # What the name and purpose mean (market.meaning), for proposing the group to needs: computed by the
    # task worker after they change, empty until then.
    embedding = models.BinaryField(null=True, blank=True, editable=False)
    embedding_model = models.CharField(max_length=60, blank=True, editable=False)

    MEANING_FIELDS = ("name", "purpose")
    MEANING_TASK = "trama.collective.tasks.embed_group"

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["neighbourhood", "status"]), models.Index(fields=["city", "created_at"])]
        verbose_name = _("gruppo")
        verbose_name_plural = _("gruppi")

    def __str__(self):
        return self.name

    @property
    def meaning_text(self):
        return f"{self.name}\n{self.purpose}".strip()

    def save(self, *args, **kwargs):
        save_meaning_aware(self, super().save, args, kwargs)

    def _move(self, allowed_from, to, note=""):
        if self.status not in allowed_from:
            raise TransitionError(_("Il gruppo è «%(status)s»: questo passaggio non è possibile.") % {"status": self.get_status_display()})
        self.status, self.status_changed_at = to, timezone.now()
        if note:
            self.closing_note = note
        self.save(update_fields=["status", "status_changed_at", "closing_note"])

    def activate(self):
        self._move({self.Status.FORMING}, self.Status.ACTIVE)

    def became_initiative(self):
        self._move({self.Status.FORMING, self.Status.ACTIVE}, self.Status.INITIATIVE)

    def close(self, note=""):
        self._move({self.Status.FORMING, self.Status.ACTIVE}, self.Status.CLOSED, note)


class Membership(models.Model):
    """A person in a group; only with their consent, recorded by whom and when."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="group_memberships")
    consent_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "person"], name="collective_membership_unique")]
        verbose_name = _("partecipazione al gruppo")
        verbose_name_plural = _("partecipazioni ai gruppi")


class Meeting(models.Model):
    class Kind(models.TextChoices):
        GROUP = "group", _("incontro di gruppo")
        TABLE = "table", _("tavolo di quartiere")
        ASSEMBLY = "assembly", _("assemblea di comunità")
        STEERING = "steering", _("cabina di regia")

    city = models.ForeignKey("territory.City", on_delete=models.PROTECT, related_name="+", verbose_name=_("città"))
    neighbourhood = models.ForeignKey("territory.Neighbourhood", on_delete=models.PROTECT, related_name="+", verbose_name=_("quartiere"))
    group = models.ForeignKey(Group, on_delete=models.CASCADE, null=True, blank=True, related_name="meetings", verbose_name=_("gruppo"))
    kind = models.CharField(_("tipo"), max_length=10, choices=Kind.choices, default=Kind.GROUP)
    title = models.CharField(_("titolo"), max_length=200)
    starts_at = models.DateTimeField(_("inizio"))
    ends_at = models.DateTimeField(_("fine"), null=True, blank=True)
    place = models.ForeignKey("territory.Place", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("luogo"))
    is_public = models.BooleanField(_("aperto al pubblico"), default=False)
    agenda = models.TextField(_("ordine del giorno"), max_length=TEXT_LIMIT, blank=True)
    minutes = models.TextField(_("verbale"), max_length=TEXT_LIMIT * 4, blank=True)
    attendees = models.ManyToManyField("people.Person", blank=True, related_name="+", verbose_name=_("presenti"))
    # For open events where names are not taken: how many came.
    attendance_count = models.PositiveIntegerField(_("numero di presenti"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["neighbourhood", "starts_at"]),
            models.Index(fields=["is_public", "starts_at"]),
            models.Index(fields=["group", "starts_at"]),
        ]
        verbose_name = _("incontro")
        verbose_name_plural = _("incontri")

    def __str__(self):
        return self.title

    def clean(self):
        if self.ends_at and self.starts_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("La fine deve venire dopo l'inizio.")})
        if self.kind == self.Kind.GROUP and not self.group_id:
            raise ValidationError({"group": _("Un incontro di gruppo ha bisogno del suo gruppo.")})


class Decision(models.Model):
    """Something a meeting decided, who takes care of it and by when; it may open a need or an offer."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.CharField(_("decisione"), max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("chi se ne occupa")
    )
    owner_name = models.CharField(_("chi se ne occupa (se non ha un account)"), max_length=120, blank=True)
    due_date = models.DateField(_("entro il"), null=True, blank=True)
    done_at = models.DateTimeField(_("fatto il"), null=True, blank=True)
    need = models.ForeignKey("market.Need", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    offer = models.ForeignKey("market.Offer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("decisione")
        verbose_name_plural = _("decisioni")

    def __str__(self):
        return self.text
