"""The attention network: antennas and their training, signals with no name,
triage, outreach and encounters."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

TEXT_LIMIT = 2000


class TransitionError(ValidationError):
    """A state change the object's state does not allow (answered as a 400, never a 500)."""


class Antenna(models.Model):
    """The profile of an antenna account: where they work. (Whether she wants the news of her signals by e-mail is
    her notification preference, kept by the notifications app.)

    The neighbourhoods covered are the account's own (`User.neighbourhoods`), so
    one scope decides both what they may signal and what the rules let them see.
    """

    class Kind(models.TextChoices):
        SHOP = "shop", _("Negozio")
        PHARMACY = "pharmacy", _("Farmacia")
        LOCAL_POLICE = "local_police", _("Polizia locale")
        CONCIERGE = "concierge", _("Portineria")
        PARISH = "parish", _("Parrocchia")
        SCHOOL = "school", _("Scuola")
        GP = "gp", _("Medico di base")
        NEIGHBOUR = "neighbour", _("Vicino di casa")
        OTHER = "other", _("Altro")

    account = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="antenna", verbose_name=_("account"))
    kind = models.CharField(_("tipo di antenna"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    organisation = models.ForeignKey(
        "people.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="antennas",
        verbose_name=_("organizzazione"),
    )
    active = models.BooleanField(_("attiva"), default=True)
    # When the antenna stopped being one (set on save): the indicators of a period that ended before
    # still count her, so a later suspension or erasure does not rewrite closed periods.
    deactivated_at = models.DateTimeField(_("non più attiva dal"), null=True, blank=True, editable=False)
    onboarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("antenna")
        verbose_name_plural = _("antenne")
        ordering = ["account__first_name", "pk"]
        indexes = [models.Index(fields=["kind", "active"])]

    def __str__(self):
        return str(self.account)

    def save(self, *args, **kwargs):
        if self.active:
            self.deactivated_at = None
        elif self.deactivated_at is None:
            self.deactivated_at = timezone.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "active" in update_fields:
            kwargs["update_fields"] = {*update_fields, "deactivated_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("attention:antenna", args=[self.pk])


class TrainingModule(models.Model):
    """A short course in psychosocial attention. The content is plain text, shown with its line breaks."""

    city = models.ForeignKey("territory.City", on_delete=models.CASCADE, related_name="+", verbose_name=_("città"))
    title = models.CharField(_("titolo"), max_length=200)
    content = models.TextField(_("contenuti"), max_length=20000, help_text=_("Testo semplice: gli a capo vengono mantenuti."))
    duration_minutes = models.PositiveSmallIntegerField(_("durata (minuti)"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("modulo formativo")
        verbose_name_plural = _("moduli formativi")
        ordering = ["title"]
        constraints = [models.UniqueConstraint(fields=["city", "title"], name="training_module_unique_title_per_city")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("attention:module", args=[self.pk])


class TrainingSession(models.Model):
    module = models.ForeignKey(TrainingModule, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("modulo"))
    starts_at = models.DateTimeField(_("data e ora"))
    place = models.ForeignKey("territory.Place", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("luogo"))
    location = models.CharField(_("dove (se non è tra i luoghi)"), max_length=200, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("posti"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
        help_text=_("Quante antenne possono iscriversi. Lascia vuoto se i posti non sono limitati."),
    )
    attendees = models.ManyToManyField(Antenna, through="Attendance", related_name="sessions", blank=True)

    class Meta:
        verbose_name = _("incontro di formazione")
        verbose_name_plural = _("incontri di formazione")
        ordering = ["-starts_at"]

    def __str__(self):
        return f"{self.module} · {timezone.localtime(self.starts_at):%d/%m/%Y}"

    @property
    def where(self):
        return self.place.name if self.place_id else self.location


class Attendance(models.Model):
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendances")
    antenna = models.ForeignKey(Antenna, on_delete=models.CASCADE, related_name="attendances")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("presenza")
        verbose_name_plural = _("presenze")
        constraints = [models.UniqueConstraint(fields=["session", "antenna"], name="attendance_once_per_session")]


class Enrolment(models.Model):
    """An antenna put her own name down for an in-person session; she may take it back until it starts.

    Being enrolled is not having attended: attendance is recorded by staff on the day (Attendance)."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("incontro"))
    antenna = models.ForeignKey(Antenna, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("antenna"))
    enrolled_at = models.DateTimeField(_("iscritta il"), default=timezone.now)

    class Meta:
        verbose_name = _("iscrizione a un incontro")
        verbose_name_plural = _("iscrizioni agli incontri")
        constraints = [models.UniqueConstraint(fields=["session", "antenna"], name="enrolment_once_per_session")]


class Signal(models.Model):
    """Something an antenna noticed about someone, with no name.

    new → taken up → contacted → closed; a signal may also be closed at triage
    (no action needed, referred to a service) or merged into another one, whose
    fate it then shares.
    """

    class Urgency(models.IntegerChoices):
        LOW = 1, _("Può aspettare qualche settimana")
        MEDIUM = 2, _("Meglio nei prossimi giorni")
        HIGH = 3, _("Presto, entro un paio di giorni")

    class Status(models.TextChoices):
        NEW = "new", _("Nuova")
        TAKEN_UP = "taken_up", _("Presa in carico")
        CONTACTED = "contacted", _("Contatto avvenuto")
        CLOSED = "closed", _("Chiusa")

    class Outcome(models.TextChoices):
        OUTREACH = "outreach", _("Uscita programmata")
        MERGED = "merged", _("Unita a un'altra segnalazione")
        PERSON = "person", _("Persona già conosciuta")
        NO_ACTION = "no_action", _("Nessuna azione necessaria")
        REFERRED = "referred", _("Inviata a un servizio")

    class AgeBand(models.TextChoices):
        YOUNG = "under_25", _("Giovane (meno di 25 anni)")
        ADULT = "25_64", _("Adulta (25-64 anni)")
        OLDER = "65_79", _("65-79 anni")
        ELDERLY = "80_plus", _("80 anni o più")

    class Household(models.TextChoices):
        ALONE = "alone", _("Vive da sola")
        COUPLE = "couple", _("In coppia")
        CHILDREN = "children", _("Con figli o nipoti")
        OTHERS = "others", _("Con altre persone")

    class Aware(models.TextChoices):
        YES = "yes", _("Sì, lo sa")
        NO = "no", _("No")
        UNSURE = "unsure", _("Non so")

    # What an antenna may know: where their signal stands, never what happened to the person.
    ANTENNA_LABELS = {
        Status.NEW: _("ricevuta"),
        Status.TAKEN_UP: _("presa in carico"),
        Status.CONTACTED: _("contatto avvenuto"),
        Status.CLOSED: _("chiusa"),
    }
    OPEN = (Status.NEW, Status.TAKEN_UP, Status.CONTACTED)

    class Channel(models.TextChoices):
        """How the signal reached the programme: from an antenna's form, or written down by a worker from a paper
        card, a phone call or a word in person (the indicators count them apart)."""

        WEB = "web", _("modulo dell'antenna")
        CARD = "card", _("cartolina")
        PHONE = "phone", _("telefono")
        IN_PERSON = "in_person", _("di persona")

    RECORDED_CHANNELS = (Channel.CARD, Channel.PHONE, Channel.IN_PERSON)

    city = models.ForeignKey("territory.City", on_delete=models.PROTECT, related_name="+", verbose_name=_("città"))
    neighbourhood = models.ForeignKey("territory.Neighbourhood", on_delete=models.PROTECT, related_name="signals", verbose_name=_("quartiere"))
    place = models.ForeignKey("territory.Place", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("luogo"))
    channel = models.CharField(_("arrivata con"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="signals_sent", verbose_name=_("antenna")
    )
    text = models.TextField(_("che cosa hai notato"), max_length=TEXT_LIMIT)
    urgency = models.PositiveSmallIntegerField(_("quanto è urgente"), choices=Urgency.choices, default=Urgency.MEDIUM)
    age_band = models.CharField(_("età approssimativa"), max_length=10, choices=AgeBand.choices, blank=True)
    household = models.CharField(_("con chi vive"), max_length=10, choices=Household.choices, blank=True)
    person_aware = models.CharField(_("la persona sa che chiedi aiuto per lei?"), max_length=10, choices=Aware.choices, default=Aware.UNSURE)
    # Chosen by the antenna's phone when she writes the signal (offline too): a resend of the same signal, after a
    # lost answer or when the queue on the phone is sent again, finds this one instead of storing a second.
    client_key = models.UUIDField(_("chiave del telefono"), null=True, blank=True, unique=True, editable=False)

    status = models.CharField(_("stato"), max_length=12, choices=Status.choices, default=Status.NEW)
    outcome = models.CharField(_("esito del triage"), max_length=12, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("motivo o note"), max_length=TEXT_LIMIT, blank=True)
    merged_into = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged", verbose_name=_("unita a"))
    person = models.ForeignKey("people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="signals", verbose_name=_("persona"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="signals_assigned", verbose_name=_("in carico a")
    )

    created_at = models.DateTimeField(_("arrivata il"), default=timezone.now)
    triaged_at = models.DateTimeField(null=True, blank=True)
    taken_up_at = models.DateTimeField(null=True, blank=True)
    first_contact_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(default=timezone.now)
    antenna_seen_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("segnalazione")
        verbose_name_plural = _("segnalazioni")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The worker's queue: open signals of some neighbourhoods, most urgent and newest first.
            models.Index(fields=["neighbourhood", "status", "-urgency", "-created_at"], name="signal_queue"),
            models.Index(fields=["sent_by", "-created_at"], name="signal_by_antenna"),
            models.Index(fields=["status", "closed_at"], name="signal_retention"),
            models.Index(fields=["city", "created_at"], name="signal_period"),
        ]

    def __str__(self):
        return _("Segnalazione n. %(pk)s") % {"pk": self.pk}

    def get_absolute_url(self):
        return reverse("attention:signal", args=[self.pk])

    EXCERPT_WORDS = 8

    @property
    def excerpt(self):
        """The first words of what was noticed, enough to tell one signal from another in the sender's own list
        ("" once the text is anonymised). Nothing of what happened next is in it."""
        return Truncator(self.text).words(self.EXCERPT_WORDS, truncate="…")

    @property
    def antenna_label(self):
        return self.ANTENNA_LABELS[self.status]

    @property
    def has_news_for_antenna(self):
        return self.status != self.Status.NEW and (self.antenna_seen_at is None or self.antenna_seen_at < self.status_changed_at)

    @property
    def is_open(self):
        return self.status in self.OPEN

    def _set_status(self, status, now):
        self.status = status
        self.status_changed_at = now

    def _require(self, *states):
        if self.status not in states:
            raise TransitionError(_("La segnalazione è già «%(status)s»: questa azione non è più possibile.") % {"status": self.get_status_display()})

    def _triaged(self, by, outcome, now):
        self.outcome = outcome
        self.triaged_at = self.triaged_at or now
        if self.assigned_to_id is None and by is not None:
            self.assigned_to = by

    def take_up(self, by, outcome=Outcome.OUTREACH, now=None):
        """A worker takes the signal on (an outreach is planned, or the person is already known)."""
        self._require(self.Status.NEW, self.Status.TAKEN_UP)
        now = now or timezone.now()
        self._triaged(by, outcome, now)
        self.taken_up_at = self.taken_up_at or now
        if self.status == self.Status.NEW:
            self._set_status(self.Status.TAKEN_UP, now)

    def close_at_triage(self, by, outcome, note, now=None):
        """No action needed, or referred to a service: the signal ends here."""
        self._require(self.Status.NEW, self.Status.TAKEN_UP)
        now = now or timezone.now()
        self._triaged(by, outcome, now)
        self.outcome_note = note
        self.closed_at = now
        self._set_status(self.Status.CLOSED, now)

    def merge_into(self, other, by, now=None):
        """The same situation as `other`: from now on this signal follows it."""
        self._require(self.Status.NEW, self.Status.TAKEN_UP)
        if other.pk == self.pk or other.merged_into_id is not None:
            raise TransitionError(_("Scegli un'altra segnalazione, non unita a sua volta."))
        now = now or timezone.now()
        self._triaged(by, self.Outcome.MERGED, now)
        self.merged_into = other
        self.person_id = other.person_id
        self.follow(other, now)

    def follow(self, other, now):
        """Copy the state of the signal this one was merged into."""
        for field in ("taken_up_at", "first_contact_at", "closed_at"):
            setattr(self, field, getattr(other, field))
        if other.status != self.status:
            self._set_status(other.status if other.status != self.Status.NEW else self.Status.TAKEN_UP, now)
            self.taken_up_at = self.taken_up_at or now

    def mark_contacted(self, now=None):
        """Someone met the person: the antenna will hear that contact happened."""
        self._require(self.Status.NEW, self.Status.TAKEN_UP, self.Status.CONTACTED)
        now = now or timezone.now()
        self.taken_up_at = self.taken_up_at or now
        self.first_contact_at = self.first_contact_at or now
        if self.status != self.Status.CONTACTED:
            self._set_status(self.Status.CONTACTED, now)

    def close(self, now=None):
        self._require(self.Status.TAKEN_UP, self.Status.CONTACTED)
        now = now or timezone.now()
        self.closed_at = now
        self._set_status(self.Status.CLOSED, now)

    def anonymise(self, now=None):
        """Keep only what the indicators need: where, when, how urgent and how it ended."""
        self.text = ""
        self.outcome_note = ""
        self.place = None
        self.age_band = ""
        self.household = ""
        self.person_aware = self.Aware.UNSURE
        self.anonymised_at = now or timezone.now()


class OutreachTask(models.Model):
    """Going towards someone: who goes, how, by when, and how it went."""

    class Method(models.TextChoices):
        WITH_ANTENNA = "with_antenna", _("Visita insieme all'antenna")
        INVITATION = "invitation", _("Invito a un'attività")
        PHONE = "phone", _("Telefonata")
        COMMUNITY_POINT = "community_point", _("Al punto di comunità")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Programmata")
        DONE = "done", _("Fatta: incontro avvenuto")
        NOT_REACHED = "not_reached", _("Fatta: persona non raggiunta")
        CANCELLED = "cancelled", _("Annullata")

    neighbourhood = models.ForeignKey("territory.Neighbourhood", on_delete=models.PROTECT, related_name="+", verbose_name=_("quartiere"))
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, null=True, blank=True, related_name="outreach_tasks", verbose_name=_("segnalazione"))
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="outreach_tasks", verbose_name=_("chi va"))
    method = models.CharField(_("come"), max_length=20, choices=Method.choices)
    due_date = models.DateField(_("entro il"))
    plan = models.TextField(_("note per l'uscita"), max_length=TEXT_LIMIT, blank=True)
    status = models.CharField(_("stato"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    result = models.TextField(_("com'è andata"), max_length=TEXT_LIMIT, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("uscita")
        verbose_name_plural = _("uscite")
        ordering = ["status", "due_date", "pk"]
        indexes = [models.Index(fields=["neighbourhood", "status", "due_date"], name="outreach_agenda")]

    def __str__(self):
        return _("Uscita n. %(pk)s") % {"pk": self.pk}

    def get_absolute_url(self):
        return reverse("attention:outreach", args=[self.pk])

    @property
    def is_overdue(self):
        return self.status == self.Status.PLANNED and self.due_date < timezone.localdate()

    def finish(self, status, result, now=None):
        if self.status != self.Status.PLANNED:
            raise TransitionError(_("Questa uscita ha già un esito."))
        if status == self.Status.PLANNED:
            raise TransitionError(_("Scegli un esito."))
        self.status = status
        self.result = result
        self.done_at = now or timezone.now()


class Encounter(models.Model):
    """A community worker met someone: the log of the programme's presence in the streets."""

    class Setting(models.TextChoices):
        STREET = "street", _("Per strada")
        HOME = "home", _("A casa")
        COMMUNITY_POINT = "community_point", _("Al punto di comunità")
        ACTIVITY = "activity", _("Durante un'attività")
        PHONE = "phone", _("Al telefono")

    neighbourhood = models.ForeignKey("territory.Neighbourhood", on_delete=models.PROTECT, related_name="+", verbose_name=_("quartiere"))
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="encounters", verbose_name=_("operatore"))
    person = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="encounters", verbose_name=_("persona")
    )
    signal = models.ForeignKey(Signal, on_delete=models.SET_NULL, null=True, blank=True, related_name="encounters", verbose_name=_("segnalazione"))
    outreach = models.ForeignKey(OutreachTask, on_delete=models.SET_NULL, null=True, blank=True, related_name="encounters", verbose_name=_("uscita"))
    setting = models.CharField(_("dove"), max_length=20, choices=Setting.choices)
    happened_at = models.DateTimeField(_("quando"), default=timezone.now)
    notes = models.TextField(_("note"), max_length=8000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("incontro")
        verbose_name_plural = _("incontri")
        ordering = ["-happened_at", "-pk"]
        indexes = [
            models.Index(fields=["neighbourhood", "-happened_at"], name="encounter_log"),
            models.Index(fields=["person", "-happened_at"], name="encounter_of_person"),
        ]

    def __str__(self):
        return _("Incontro n. %(pk)s") % {"pk": self.pk}

    def get_absolute_url(self):
        return reverse("attention:encounter", args=[self.pk])


class AntennaApplication(models.Model):
    """Someone who offers to be an antenna, from the public page "Diventa antenna".

    Not yet anyone's account: what she wrote, and her consent to be contacted, stay here until a worker of
    the neighbourhood accepts (her antenna account is then created by invitation, as any antenna's) or
    declines with a reason.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Da valutare")
        ACCEPTED = "accepted", _("Accolta: invito inviato")
        DECLINED = "declined", _("Non accolta")

    city = models.ForeignKey("territory.City", on_delete=models.CASCADE, related_name="+", verbose_name=_("città"))
    neighbourhood = models.ForeignKey("territory.Neighbourhood", on_delete=models.PROTECT, related_name="+", verbose_name=_("quartiere"))
    name = models.CharField(_("nome e cognome"), max_length=120)
    kind = models.CharField(_("tipo di antenna"), max_length=20, choices=Antenna.Kind.choices)
    address = models.CharField(_("indirizzo del negozio o del luogo"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telefono"), max_length=20, blank=True)
    consent_at = models.DateTimeField(_("consenso a essere ricontattata dato il"))
    # A keyed hash of the address the application came from: only to count how many came from it lately.
    source = models.CharField(max_length=64, blank=True, editable=False)
    status = models.CharField(_("stato"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decline_reason = models.TextField(_("motivo"), max_length=TEXT_LIMIT, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("valutata da")
    )
    decided_at = models.DateTimeField(_("valutata il"), null=True, blank=True)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("account di antenna")
    )
    created_at = models.DateTimeField(_("arrivata il"), default=timezone.now)

    class Meta:
        verbose_name = _("candidatura di antenna")
        verbose_name_plural = _("candidature di antenna")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["neighbourhood", "status", "-created_at"], name="antenna_application_queue"),
            models.Index(fields=["source", "created_at"], name="antenna_application_source"),
        ]

    def __str__(self):
        return _("Candidatura n. %(pk)s") % {"pk": self.pk}

    def get_absolute_url(self):
        return reverse("attention:application", args=[self.pk])

    def decide(self, status, by, reason="", account=None, now=None):
        if self.status != self.Status.PENDING:
            raise TransitionError(_("Questa candidatura è già stata valutata."))
        self.status = status
        self.decline_reason = reason
        self.decided_by = by
        self.account = account
        self.decided_at = now or timezone.now()


class LessonDone(models.Model):
    """An account went through one lesson of an online module (the modules are files: see training.py)."""

    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lessons_done", verbose_name=_("account"))
    module = models.CharField(_("modulo"), max_length=60)
    lesson = models.CharField(_("lezione"), max_length=60)
    done_at = models.DateTimeField(_("fatta il"), default=timezone.now)

    class Meta:
        verbose_name = _("lezione seguita")
        verbose_name_plural = _("lezioni seguite")
        constraints = [models.UniqueConstraint(fields=["account", "module", "lesson"], name="lesson_done_once")]


class ModuleCompleted(models.Model):
    """An account completed every lesson of an online module: recorded once, at the first completion."""

    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="modules_completed", verbose_name=_("account"))
    module = models.CharField(_("modulo"), max_length=60)
    completed_at = models.DateTimeField(_("completato il"), default=timezone.now)

    class Meta:
        verbose_name = _("modulo online completato")
        verbose_name_plural = _("moduli online completati")
        constraints = [models.UniqueConstraint(fields=["account", "module"], name="module_completed_once")]
        indexes = [models.Index(fields=["module", "completed_at"], name="module_completed_at")]
