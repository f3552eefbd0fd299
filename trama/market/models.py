"""The social market: offers, needs, brokered matches and the ledger of contributions."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from trama.formats import euro
from trama.formats import quantity as format_quantity
from trama.wording import reverse_id

TEXT_LIMIT = 4000
TITLE_LIMIT = 150
MAX_CAPACITY = 1000


class TransitionError(ValidationError):
    """A state change that the state machine does not allow."""


class Weekday(models.IntegerChoices):
    MONDAY = 1, _("lunedì")
    TUESDAY = 2, _("martedì")
    WEDNESDAY = 4, _("mercoledì")
    THURSDAY = 8, _("giovedì")
    FRIDAY = 16, _("venerdì")
    SATURDAY = 32, _("sabato")
    SUNDAY = 64, _("domenica")


class Slot(models.IntegerChoices):
    MORNING = 1, _("mattina")
    AFTERNOON = 2, _("pomeriggio")
    EVENING = 4, _("sera")


def bit_labels(mask, choices):
    """The labels of the bits set in `mask` (empty mask: none, which reads as 'any')."""
    return [label for value, label in choices.choices if mask & value]


class WhenMixin(models.Model):
    """Days of the week and times of day as bit masks; 0 means 'any'."""

    days = models.PositiveSmallIntegerField(_("giorni"), default=0, validators=[MaxValueValidator(127)])
    slots = models.PositiveSmallIntegerField(_("fasce orarie"), default=0, validators=[MaxValueValidator(7)])

    class Meta:
        abstract = True

    def day_labels(self):
        return bit_labels(self.days, Weekday)

    def slot_labels(self):
        return bit_labels(self.slots, Slot)


class MeaningMixin:
    """A record whose text gets a meaning vector (market.meaning): `meaning_text` is what is embedded,
    from MEANING_FIELDS, into `embedding` and `embedding_model`; MEANING_TASK names the task that does it.
    Other apps' answers (groups, activities) use it too, saving with `save_meaning_aware`.

    The text as loaded is remembered; saving a new record or a changed text empties the stored vector
    and, when TRAMA_MARKET_EMBED_ON_SAVE is on, asks the task worker for a new one after the commit."""

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        if not instance.get_deferred_fields().intersection(cls.MEANING_FIELDS):
            instance._meaning_text_at_load = instance.meaning_text
        return instance


def save_meaning_aware(instance, save, args, kwargs):
    update_fields = kwargs.get("update_fields")
    writes_text = update_fields is None or bool(set(update_fields) & set(instance.MEANING_FIELDS))
    if instance._state.adding:
        changed = True
    elif not hasattr(instance, "_meaning_text_at_load"):
        # Loaded without its text: only a save that names the text fields writes one.
        changed = update_fields is not None and writes_text
    else:
        changed = writes_text and instance.meaning_text != instance._meaning_text_at_load
    if changed:
        instance.embedding, instance.embedding_model = None, ""
        if update_fields is not None:
            kwargs["update_fields"] = set(update_fields) | {"embedding", "embedding_model"}
    save(*args, **kwargs)
    if not instance.get_deferred_fields().intersection(instance.MEANING_FIELDS):
        instance._meaning_text_at_load = instance.meaning_text
    if changed:
        from . import meaning

        if meaning.embed_on_save():
            task, pk = import_string(instance.MEANING_TASK), instance.pk
            transaction.on_commit(lambda: task.enqueue(pk))


class Channel(models.TextChoices):
    """How a need or an offer reached the programme: written by the person herself on the site, or written down by a
    worker from a paper card or form, a phone call or a word in person (the indicators count them apart). Empty: not
    recorded (records made before it was asked, imported lists, what a group decided)."""

    WEB = "web", _("dal sito, da sé")
    CARD = "card", _("su carta")
    PHONE = "phone", _("al telefono")
    IN_PERSON = "in_person", _("di persona")


# What a worker may record on someone's behalf, and the indicators count as reaching beyond the site.
RECORDED_CHANNELS = (Channel.CARD, Channel.PHONE, Channel.IN_PERSON)


class Offer(MeaningMixin, WhenMixin):
    """What a person or an organisation gives: time, skills, space, goods, money, know-how."""

    class Kind(models.TextChoices):
        TIME = "time", _("Tempo")
        SKILL = "skill", _("Competenze")
        SPACE = "space", _("Spazi")
        GOODS = "goods", _("Beni")
        MONEY = "money", _("Denaro")
        KNOWHOW = "knowhow", _("Saper fare")

    class Status(models.TextChoices):
        OPEN = "open", _("Aperta")
        PAUSED = "paused", _("In pausa")
        EXHAUSTED = "exhausted", _("Esaurita")
        WITHDRAWN = "withdrawn", _("Ritirata")

    city = models.ForeignKey("territory.City", on_delete=models.PROTECT, related_name="+", verbose_name=_("città"))
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="offers", verbose_name=_("persona"))
    organisation = models.ForeignKey(
        "people.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="offers",
        verbose_name=_("organizzazione"),
    )
    kind = models.CharField(_("che cosa offre"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("titolo"), max_length=TITLE_LIMIT)
    description = models.TextField(_("descrizione"), max_length=TEXT_LIMIT, blank=True)
    neighbourhoods = models.ManyToManyField("territory.Neighbourhood", related_name="market_offers", verbose_name=_("quartieri serviti"))
    available_from = models.DateField(_("disponibile dal"), null=True, blank=True)
    available_until = models.DateField(_("disponibile fino al"), null=True, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("quante volte si può abbinare"), default=1, validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)]
    )
    taken = models.PositiveSmallIntegerField(_("abbinamenti in corso o conclusi"), default=0)
    status = models.CharField(_("stato"), max_length=10, choices=Status.choices, default=Status.OPEN)
    channel = models.CharField(_("come è arrivata"), max_length=10, choices=Channel.choices, blank=True, default="")
    # Stemmed words of title and description, kept by save(): the ranking index reads them.
    search_tokens = models.TextField(editable=False, blank=True)
    # What the text means (market.meaning): computed by the task worker after the text changes, empty until then.
    embedding = models.BinaryField(null=True, blank=True, editable=False)
    embedding_model = models.CharField(max_length=60, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("offerta")
        verbose_name_plural = _("offerte")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["city", "status", "kind", "-created_at"], name="offer_list"),
            models.Index(fields=["city", "updated_at"], name="offer_changes"),
            models.Index(fields=["organisation", "status"], name="offer_by_org"),
            models.Index(fields=["person", "status"], name="offer_by_person"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=True, organisation__isnull=False) | models.Q(person__isnull=False, organisation__isnull=True),
                name="offer_has_one_giver",
            ),
            models.CheckConstraint(condition=models.Q(taken__lte=models.F("capacity")), name="offer_taken_within_capacity"),
        ]

    def __str__(self):
        return self.title

    MEANING_FIELDS = ("title", "description")
    MEANING_TASK = "trama.market.tasks.embed_offer"

    @property
    def meaning_text(self):
        return f"{self.title}\n{self.description}".strip()

    def get_absolute_url(self):
        return reverse_id("market:offer", self.pk)

    @property
    def giver(self):
        return self.organisation or self.person

    @property
    def remaining(self):
        return max(self.capacity - self.taken, 0)

    @property
    def is_public(self):
        return self.status == self.Status.OPEN and self.organisation_id is not None

    def clean(self):
        if self.available_from and self.available_until and self.available_until < self.available_from:
            raise ValidationError({"available_until": _("La data di fine viene prima della data di inizio.")})

    def save(self, *args, **kwargs):
        from trama.text import stem_text

        self.search_tokens = stem_text(f"{self.title} {self.description}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = set(kwargs["update_fields"]) | {"search_tokens", "updated_at"}
        save_meaning_aware(self, super().save, args, kwargs)

    def take_unit(self):
        """Reserve one unit of capacity (call with the row locked); the last one exhausts the offer."""
        if self.status != self.Status.OPEN or self.remaining <= 0:
            raise TransitionError(_("Questa offerta non ha più disponibilità."), code="exhausted")
        self.taken += 1
        if self.remaining == 0:
            self.status = self.Status.EXHAUSTED

    def release_unit(self):
        """Give back a unit reserved by a match that did not go ahead."""
        if self.taken > 0:
            self.taken -= 1
        if self.status == self.Status.EXHAUSTED and self.remaining > 0:
            self.status = self.Status.OPEN

    def set_capacity(self, capacity):
        """Change how many times the offer can be matched, keeping the units already taken."""
        if capacity < self.taken:
            raise ValidationError(
                {"capacity": _("Questa offerta ha già %(taken)d abbinamenti accettati: la capacità non può essere minore.") % {"taken": self.taken}},
                code="below_taken",
            )
        self.capacity = capacity
        if self.status == self.Status.OPEN and self.remaining == 0:
            self.status = self.Status.EXHAUSTED
        elif self.status == self.Status.EXHAUSTED and self.remaining > 0:
            self.status = self.Status.OPEN

    def set_status(self, status):
        allowed = {
            self.Status.OPEN: {self.Status.PAUSED, self.Status.WITHDRAWN},
            self.Status.PAUSED: {self.Status.OPEN, self.Status.WITHDRAWN},
            self.Status.EXHAUSTED: {self.Status.WITHDRAWN},
            self.Status.WITHDRAWN: set(),
        }
        if status not in allowed[self.status]:
            raise TransitionError(
                _("Non si può passare da «%(from)s» a «%(to)s».") % {"from": self.get_status_display(), "to": self.Status(status).label}
            )
        self.status = status


class OfferDeletions(models.Model):
    """How many offers of a city have been deleted, ever: the ranking index's cue to rebuild.

    The index notices new and changed offers by their `updated_at` and highest id (two indexed
    maxima); a deletion leaves no trace there, and counting the city's offers to notice one would
    read them all. Kept by a `post_delete` receiver (signals.py). Keyed by the city's id, not a
    foreign key: deleting a city deletes its offers, and their receiver must not trip over it.
    """

    city_id = models.BigIntegerField(primary_key=True)
    count = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("conteggio delle offerte cancellate")


class AnswerChanges(models.Model):
    """How many times the records behind one source of answers (activities, groups, services: see
    market.answers.register_source) have been saved or deleted, ever: the answers' index's cue to re-read
    them. Those models belong to other apps and keep no `updated_at` of their own; a `post_save` and
    `post_delete` receiver of each registered model adds one, and so does storing a meaning vector
    (tasks._store), in the writing transaction. One row a source, not a city: they change rarely.
    """

    source = models.CharField(max_length=40, primary_key=True)
    count = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("conteggio delle modifiche alle risposte")


class Need(MeaningMixin, WhenMixin):
    """What a person needs, in their own words."""

    class Urgency(models.TextChoices):
        LOW = "low", _("Può aspettare")
        MEDIUM = "medium", _("Entro qualche settimana")
        HIGH = "high", _("Presto")

    class Status(models.TextChoices):
        OPEN = "open", _("Aperta")
        BROKERING = "brokering", _("In abbinamento")
        MET = "met", _("Soddisfatta")
        WITHDRAWN = "withdrawn", _("Ritirata")

    city = models.ForeignKey("territory.City", on_delete=models.PROTECT, related_name="+", verbose_name=_("città"))
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="needs", verbose_name=_("persona"))
    text = models.TextField(_("con le sue parole"), max_length=TEXT_LIMIT)
    neighbourhood = models.ForeignKey("territory.Neighbourhood", on_delete=models.PROTECT, related_name="market_needs", verbose_name=_("quartiere"))
    urgency = models.CharField(_("quando serve"), max_length=10, choices=Urgency.choices, default=Urgency.MEDIUM)
    kind = models.CharField(_("che tipo di aiuto"), max_length=10, choices=Offer.Kind.choices, blank=True)
    status = models.CharField(_("stato"), max_length=10, choices=Status.choices, default=Status.OPEN)
    channel = models.CharField(_("come è arrivata"), max_length=10, choices=Channel.choices, blank=True, default="")
    search_tokens = models.TextField(editable=False, blank=True)
    # What the text means (market.meaning): computed by the task worker after the text changes, empty until then.
    embedding = models.BinaryField(null=True, blank=True, editable=False)
    embedding_model = models.CharField(max_length=60, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("richiesta")
        verbose_name_plural = _("richieste")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["neighbourhood", "status", "-created_at"], name="need_list"),
            models.Index(fields=["city", "status", "-created_at"], name="need_city_list"),
            models.Index(fields=["person", "status"], name="need_by_person"),
        ]

    def __str__(self):
        return self.text[:60]

    MEANING_FIELDS = ("text",)
    MEANING_TASK = "trama.market.tasks.embed_need"

    @property
    def meaning_text(self):
        return self.text

    def get_absolute_url(self):
        return reverse("market:need", args=[self.pk])

    def save(self, *args, **kwargs):
        from trama.text import stem_text

        self.search_tokens = stem_text(self.text)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = set(kwargs["update_fields"]) | {"search_tokens", "updated_at"}
        save_meaning_aware(self, super().save, args, kwargs)

    @property
    def is_active(self):
        return self.status in (self.Status.OPEN, self.Status.BROKERING)

    def set_status(self, status):
        """A change of status by hand. 'In abbinamento' belongs to the matches: it comes and goes with them."""
        allowed = {
            self.Status.OPEN: {self.Status.MET, self.Status.WITHDRAWN},
            self.Status.BROKERING: set(),
            self.Status.MET: set(),
            self.Status.WITHDRAWN: {self.Status.OPEN},
        }
        if status not in allowed[self.status]:
            message = _("Non si può passare da «%(from)s» a «%(to)s».") % {"from": self.get_status_display(), "to": self.Status(status).label}
            if self.status == self.Status.BROKERING:
                message = _("La richiesta ha abbinamenti in corso: chiudili prima di cambiarne lo stato.")
            raise TransitionError(message, code="transition")
        self.status = status


class Match(models.Model):
    """A worker's proposal that an answer meets a need, followed until it is done.

    The answer is an offer (`offer`) or, for the other kinds, an activity, a group or a service of
    another app, kept by its id (`answer_id`) and title (`answer_title`): the market depends on
    none of those apps (answers.py). Exactly one of the two is set (constraint below).
    """

    class Kind(models.TextChoices):
        OFFER = "offer", _("Offerta")
        ACTIVITY = "activity", _("Attività")
        GROUP = "group", _("Gruppo")
        SERVICE = "service", _("Servizio")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposto")
        ACCEPTED = "accepted", _("Accettato")
        IN_PROGRESS = "in_progress", _("In corso")
        DONE = "done", _("Concluso")
        DECLINED = "declined", _("Rifiutato")
        CANCELLED = "cancelled", _("Annullato")

    class Answer(models.TextChoices):
        PENDING = "pending", _("In attesa")
        YES = "yes", _("Sì")
        NO = "no", _("No")

    class Side(models.TextChoices):
        NEED = "need", _("Chi riceve")
        OFFER = "offer", _("Chi offre")

    ACTIVE = (Status.PROPOSED, Status.ACCEPTED, Status.IN_PROGRESS)
    HOLDS_CAPACITY = (Status.ACCEPTED, Status.IN_PROGRESS, Status.DONE)

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="matches", verbose_name=_("richiesta"))
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, null=True, blank=True, related_name="matches", verbose_name=_("offerta"))
    kind = models.CharField(_("tipo di risposta"), max_length=10, choices=Kind.choices, default=Kind.OFFER)
    answer_id = models.PositiveBigIntegerField(_("risposta"), null=True, blank=True)
    answer_title = models.CharField(_("titolo della risposta"), max_length=200, blank=True)
    status = models.CharField(_("stato"), max_length=12, choices=Status.choices, default=Status.PROPOSED)
    score = models.FloatField(_("punteggio"), default=0)
    reasons = models.JSONField(_("perché questa offerta"), default=list, blank=True)
    need_answer = models.CharField(_("risposta di chi riceve"), max_length=8, choices=Answer.choices, default=Answer.PENDING)
    offer_answer = models.CharField(_("risposta di chi offre"), max_length=8, choices=Answer.choices, default=Answer.PENDING)
    follow_up_on = models.DateField(_("data di verifica"), null=True, blank=True)
    outcome = models.TextField(_("esito"), max_length=1000, blank=True)
    need_feedback = models.CharField(_("commento di chi riceve"), max_length=500, blank=True)
    offer_feedback = models.CharField(_("commento di chi offre"), max_length=500, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("abbinamento")
        verbose_name_plural = _("abbinamenti")
        ordering = ["-proposed_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "follow_up_on"], name="match_follow_up"),
            models.Index(fields=["offer", "status"], name="match_by_offer"),
            models.Index(fields=["need", "status"], name="match_by_need"),
            models.Index(fields=["-proposed_at"], name="match_recent"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["need", "offer"],
                condition=models.Q(status__in=["proposed", "accepted", "in_progress"]),
                name="match_one_active_per_pair",
            ),
            models.UniqueConstraint(
                fields=["need", "kind", "answer_id"],
                condition=models.Q(status__in=["proposed", "accepted", "in_progress"], answer_id__isnull=False),
                name="match_one_active_per_answer",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="offer", offer__isnull=False, answer_id__isnull=True)
                | (~models.Q(kind="offer") & models.Q(offer__isnull=True, answer_id__isnull=False)),
                name="match_has_one_answer",
            ),
        ]

    def __str__(self):
        return f"{self.need} ↔ {self.answer_name}"

    @property
    def is_offer(self):
        return self.offer_id is not None

    @property
    def answer_name(self):
        """What was proposed, as the pages name it: the offer's title or the other answer's."""
        return self.offer.title if self.offer_id else self.answer_title

    def get_absolute_url(self):
        return reverse("market:match", args=[self.pk])

    @property
    def is_active(self):
        return self.status in self.ACTIVE

    def _require(self, *states):
        if self.status not in states:
            raise TransitionError(
                _("L'abbinamento è «%(status)s»: questa azione non è possibile.") % {"status": self.get_status_display()},
                code="transition",
            )

    def answer(self, side, yes):
        """Record one side's answer; returns True when this answer completes the acceptance."""
        self._require(self.Status.PROPOSED)
        value = self.Answer.YES if yes else self.Answer.NO
        if side == self.Side.NEED:
            self.need_answer = value
        else:
            self.offer_answer = value
        if not yes:
            self.status = self.Status.DECLINED
            self.closed_at = timezone.now()
            return False
        if self.need_answer == self.Answer.YES and self.offer_answer == self.Answer.YES:
            self.status = self.Status.ACCEPTED
            return True
        return False

    def start(self):
        self._require(self.Status.ACCEPTED)
        self.status = self.Status.IN_PROGRESS

    def complete(self, outcome):
        self._require(self.Status.ACCEPTED, self.Status.IN_PROGRESS)
        self.status = self.Status.DONE
        self.outcome = outcome
        self.closed_at = timezone.now()

    def cancel(self):
        """Returns True when the match was holding a unit of the offer's capacity."""
        self._require(*self.ACTIVE)
        held = self.status in self.HOLDS_CAPACITY
        self.status = self.Status.CANCELLED
        self.closed_at = timezone.now()
        return held


class Rate(models.Model):
    """What one unit of a contribution is worth, in euros: editable by coordinators."""

    class Kind(models.TextChoices):
        VOLUNTEER_HOUR = "volunteer_hour", _("Un'ora di tempo volontario")
        SPACE_SQM_HOUR = "space_sqm_hour", _("Un metro quadro di spazio per un'ora")
        GOODS_ITEM = "goods_item", _("Un bene donato (se non se ne dichiara il valore)")

    city = models.ForeignKey("territory.City", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("unità"), max_length=20, choices=Kind.choices)
    euros = models.DecimalField(
        _("valore in euro"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("10000"))],
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("tariffa")
        verbose_name_plural = _("tariffe")
        ordering = ["kind"]
        constraints = [models.UniqueConstraint(fields=["city", "kind"], name="rate_one_per_kind_per_city")]

    def __str__(self):
        return f"{self.get_kind_display()}: {euro(self.euros)}"


class Sector(models.TextChoices):
    """The four sectors the ledger counts new resources by."""

    PUBLIC = "public", _("Pubblico")
    THIRD_SECTOR = "third_sector", _("Terzo settore")
    CITIZEN = "citizen", _("Cittadini")
    BUSINESS = "business", _("Imprese")


class Contribution(models.Model):
    """One contribution to the market: the evidence of new resources generated."""

    class Kind(models.TextChoices):
        HOURS = "hours", _("Ore di tempo")
        GOODS = "goods", _("Beni")
        SPACE_HOURS = "space_hours", _("Ore di uso di uno spazio")
        EUROS = "euros", _("Euro")

    # Sane limits per unit: above these a typing mistake is far likelier than a gift.
    LIMITS: dict[str, Decimal] = {
        Kind.HOURS: Decimal("1000"),
        Kind.GOODS: Decimal("10000"),
        Kind.SPACE_HOURS: Decimal("2000"),
        Kind.EUROS: Decimal("100000"),
    }

    city = models.ForeignKey("territory.City", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("tipo di contributo"), max_length=12, choices=Kind.choices)
    quantity = models.DecimalField(_("quantità"), max_digits=10, decimal_places=2)
    area_sqm = models.DecimalField(_("superficie (m²)"), max_digits=8, decimal_places=1, null=True, blank=True)
    declared_value = models.DecimalField(_("valore dichiarato (€)"), max_digits=10, decimal_places=2, null=True, blank=True)
    value_eur = models.DecimalField(_("valore (€)"), max_digits=12, decimal_places=2, default=0)
    person = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="contributions", verbose_name=_("persona")
    )
    organisation = models.ForeignKey(
        "people.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("organizzazione"),
    )
    sector = models.CharField(_("settore"), max_length=12, choices=Sector.choices)
    neighbourhood = models.ForeignKey(
        "territory.Neighbourhood", on_delete=models.PROTECT, related_name="market_contributions", verbose_name=_("quartiere")
    )
    on = models.DateField(_("data"))
    match = models.ForeignKey(Match, on_delete=models.SET_NULL, null=True, blank=True, related_name="contributions", verbose_name=_("abbinamento"))
    # The initiatives app depends on the market, never the reverse: it records its own id here.
    initiative_id = models.PositiveIntegerField(_("iniziativa"), null=True, blank=True)
    note = models.CharField(_("nota"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contributo")
        verbose_name_plural = _("contributi")
        ordering = ["-on", "-pk"]
        indexes = [
            models.Index(fields=["city", "-on"], name="contribution_ledger"),
            models.Index(fields=["sector", "on"], name="contribution_sector"),
            models.Index(fields=["neighbourhood", "on"], name="contribution_place"),
            models.Index(fields=["person", "kind"], name="contribution_person"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="contribution_positive_quantity"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.quantity}"

    @staticmethod
    def amount_of(kind, quantity):
        """`quantity` of a `kind` of contribution as people say it: "80 ore", "€ 300,00", "60 ore di uno spazio",
        "12 beni"; the number alone without a kind."""
        if kind == Contribution.Kind.EUROS:
            return euro(quantity)
        words = {
            Contribution.Kind.HOURS: lambda n: ngettext("%(n)s ora", "%(n)s ore", n),
            Contribution.Kind.SPACE_HOURS: lambda n: ngettext("%(n)s ora di uno spazio", "%(n)s ore di uno spazio", n),
            Contribution.Kind.GOODS: lambda n: ngettext("%(n)s bene", "%(n)s beni", n),
        }.get(kind)
        number = format_quantity(quantity)
        return words(1 if quantity == 1 else 2) % {"n": number} if words else number

    @property
    def amount(self):
        return self.amount_of(self.kind, self.quantity)

    @property
    def contributor(self):
        return self.organisation or self.person
