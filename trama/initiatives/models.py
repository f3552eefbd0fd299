"""Initiatives accompanied from idea to autonomy, the catalogue of non-stigmatising
intervention objects they use as doors, and the agreements that frame them."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trama.market.models import Contribution, MeaningMixin, save_meaning_aware

from .storage import private_storage

TEXT_LIMIT = 8000


class TransitionError(ValidationError):
    """A change of stage the initiative's state does not allow."""


class InterventionObject(models.Model):
    """A bounded, non-stigmatising activity used as a door: people join an activity, not a category."""

    city = models.ForeignKey("territory.City", on_delete=models.CASCADE, related_name="+", verbose_name=_("città"))
    name = models.CharField(_("nome"), max_length=120)
    slug = models.SlugField(_("identificativo"), max_length=80)
    description = models.TextField(_("descrizione"), max_length=4000)
    purpose = models.TextField(_("a che cosa serve"), max_length=2000, blank=True)
    wording_guidance = models.TextField(_("come parlarne"), max_length=2000, blank=True)
    themes = models.ManyToManyField("themes.Theme", blank=True, related_name="+", verbose_name=_("temi a cui risponde di solito"))
    active = models.BooleanField(_("in uso"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["city", "slug"], name="initiatives_object_unique_slug")]
        verbose_name = _("oggetto di intervento")
        verbose_name_plural = _("oggetti di intervento")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("initiatives:object", args=[self.pk])


class GroupActivity(models.Model):
    """The intervention object a group of the collective app uses (kept here: initiatives depends on collective)."""

    group = models.OneToOneField("collective.Group", on_delete=models.CASCADE, related_name="activity")
    intervention_object = models.ForeignKey(InterventionObject, on_delete=models.PROTECT, related_name="group_activities")


class Initiative(MeaningMixin, models.Model):
    class Stage(models.TextChoices):
        IDEA = "idea", _("idea")
        INCUBATION = "incubation", _("incubazione")
        ACCOMPANIED = "accompanied", _("accompagnata")
        AUTONOMOUS = "autonomous", _("autonoma")
        ENDED = "ended", _("conclusa")

    # Each stage and the stages it may move to.
    NEXT = {
        Stage.IDEA: {Stage.INCUBATION, Stage.ENDED},
        Stage.INCUBATION: {Stage.ACCOMPANIED, Stage.ENDED},
        Stage.ACCOMPANIED: {Stage.AUTONOMOUS, Stage.ENDED},
        Stage.AUTONOMOUS: {Stage.ACCOMPANIED, Stage.ENDED},
        Stage.ENDED: set(),
    }

    class Origin(models.TextChoices):
        GROUP = "group", _("un gruppo")
        PARTNER = "partner", _("una realtà del territorio")
        WORKER = "worker", _("un operatore")
        CITIZEN = "citizen", _("una proposta di cittadini")

    city = models.ForeignKey("territory.City", on_delete=models.PROTECT, related_name="+", verbose_name=_("città"))
    name = models.CharField(_("nome"), max_length=160)
    description = models.TextField(_("che cosa si fa"), max_length=4000)
    intervention_object = models.ForeignKey(
        InterventionObject, on_delete=models.PROTECT, null=True, blank=True, related_name="initiatives", verbose_name=_("oggetto di intervento")
    )
    neighbourhoods = models.ManyToManyField("territory.Neighbourhood", related_name="+", verbose_name=_("quartieri"))
    themes = models.ManyToManyField("themes.Theme", blank=True, related_name="+", verbose_name=_("temi"))
    origin = models.CharField(_("nata da"), max_length=10, choices=Origin.choices)
    origin_group = models.ForeignKey(
        "collective.Group", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("gruppo d'origine")
    )
    origin_decision = models.ForeignKey("collective.Decision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    origin_organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("proposta da")
    )
    stage = models.CharField(_("fase"), max_length=12, choices=Stage.choices, default=Stage.IDEA)
    stage_changed_at = models.DateTimeField(default=timezone.now)
    when = models.CharField(_("quando"), max_length=200, blank=True)
    place = models.ForeignKey("territory.Place", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("dove"))
    how_to_join = models.TextField(_("come partecipare"), max_length=2000, blank=True)
    contact_email = models.EmailField(_("e-mail per partecipare"), blank=True)
    is_public = models.BooleanField(_("pubblicata nel catalogo"), default=False)
    participant_count = models.PositiveIntegerField(_("partecipanti (numero)"), null=True, blank=True)
    participants = models.ManyToManyField("people.Person", through="Participation", related_name="+", blank=True)
    lead_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("operatore di riferimento")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # What the name and description mean (market.meaning), for proposing the activity to needs: computed
    # by the task worker after they change, empty until then.
    embedding = models.BinaryField(null=True, blank=True, editable=False)
    embedding_model = models.CharField(max_length=60, blank=True, editable=False)

    MEANING_FIELDS = ("name", "description")
    MEANING_TASK = "trama.initiatives.tasks.embed_initiative"

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["city", "stage"]), models.Index(fields=["is_public", "name"])]
        verbose_name = _("iniziativa")
        verbose_name_plural = _("iniziative")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("initiatives:detail", args=[self.pk])

    @property
    def meaning_text(self):
        return f"{self.name}\n{self.description}".strip()

    def save(self, *args, **kwargs):
        save_meaning_aware(self, super().save, args, kwargs)

    def move_to(self, stage, reason, by=None, now=None):
        """Change stage, recording when, why and by whom; refuses a move the lifecycle does not allow."""
        if stage not in self.NEXT[self.stage]:
            raise TransitionError(
                _("Da «%(old)s» non si può passare a «%(new)s».") % {"old": self.get_stage_display(), "new": self.Stage(stage).label}
            )
        if not reason.strip():
            raise ValidationError({"reason": _("Scrivi il motivo del passaggio.")})
        now = now or timezone.now()
        transition = StageTransition.objects.create(initiative=self, from_stage=self.stage, to_stage=stage, reason=reason.strip(), by=by, at=now)
        self.stage, self.stage_changed_at = stage, now
        self.save(update_fields=["stage", "stage_changed_at", "updated_at"])
        return transition


class StageTransition(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="transitions")
    from_stage = models.CharField(_("da"), max_length=12, choices=Initiative.Stage.choices)
    to_stage = models.CharField(_("a"), max_length=12, choices=Initiative.Stage.choices)
    reason = models.CharField(_("motivo"), max_length=500)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["to_stage", "at"])]
        verbose_name = _("passaggio di fase")
        verbose_name_plural = _("passaggi di fase")


class Participation(models.Model):
    """A person taking part in an initiative, with consent."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="participations")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="initiative_participations")
    # True when the person's first contact with the programme came through this activity (G5).
    first_contact = models.BooleanField(_("primo contatto tramite l'attività"), default=False)
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["initiative", "person"], name="initiatives_participation_unique")]


class Partner(models.Model):
    class Role(models.TextChoices):
        PROMOTER = "promoter", _("promotore")
        CO_MANAGER = "co_manager", _("co-gestore")
        HOST = "host", _("ospita")
        FUNDER = "funder", _("finanziatore")
        VOLUNTEERS = "volunteers", _("gruppo di volontari")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey("people.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("realtà"))
    role = models.CharField(_("ruolo"), max_length=12, choices=Role.choices)
    since = models.DateField(_("dal"), default=timezone.localdate)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["initiative", "organisation", "role"], name="initiatives_partner_unique")]
        verbose_name = _("partner")
        verbose_name_plural = _("partner")

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display()})"


class Commitment(models.Model):
    """What a partner promises to bring; contributions in the market's ledger that carry the
    initiative and the partner's organisation count towards it."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="commitments")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("partner"))
    description = models.CharField(_("impegno"), max_length=300)
    kind = models.CharField(_("tipo di contributo"), max_length=12, blank=True, choices=Contribution.Kind.choices)
    quantity = models.DecimalField(_("quantità promessa"), max_digits=10, decimal_places=2, null=True, blank=True)
    due_date = models.DateField(_("entro il"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # Set by queries.commitments_with_fulfilment for the pages that show how far a commitment is kept.
    given: Decimal
    given_amount: str
    given_value: Decimal
    fulfilled: bool
    share: int | None

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("impegno")
        verbose_name_plural = _("impegni")

    def __str__(self):
        return self.description

    @property
    def promised(self):
        """What the partner promised, as people say it ("80 ore", "€ 300,00"); "" when no quantity was promised."""
        return Contribution.amount_of(self.kind, self.quantity) if self.quantity else ""


class Milestone(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("traguardo"), max_length=200)
    due_date = models.DateField(_("previsto per"), null=True, blank=True)
    reached_on = models.DateField(_("raggiunto il"), null=True, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("traguardo")
        verbose_name_plural = _("traguardi")

    def __str__(self):
        return self.title


class AutonomyAssessment(models.Model):
    """At each review, how far the initiative stands on its own: four items scored 0–3."""

    SCALE = [MaxValueValidator(3)]
    ITEMS = ("own_leadership", "own_resources", "own_decisions", "ties")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField(_("data della verifica"), default=timezone.localdate)
    own_leadership = models.PositiveSmallIntegerField(_("ha una guida propria"), validators=SCALE)
    own_resources = models.PositiveSmallIntegerField(_("ha risorse proprie"), validators=SCALE)
    own_decisions = models.PositiveSmallIntegerField(_("decide da sola"), validators=SCALE)
    ties = models.PositiveSmallIntegerField(_("ha legami con altre realtà"), validators=SCALE)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assessed_on", "pk"]
        verbose_name = _("verifica di autonomia")
        verbose_name_plural = _("verifiche di autonomia")

    @property
    def score(self):
        """0–12: the sum of the four items."""
        return sum(getattr(self, item) for item in self.ITEMS)


class Agreement(models.Model):
    class Kind(models.TextChoices):
        PACT = "pact", _("patto di collaborazione")
        CO_DESIGN = "co_design", _("accordo di co-progettazione (art. 55 CTS)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("in preparazione")
        ACTIVE = "active", _("in vigore")
        EXPIRED = "expired", _("scaduto")
        TERMINATED = "terminated", _("chiuso prima della scadenza")

    city = models.ForeignKey("territory.City", on_delete=models.PROTECT, related_name="+", verbose_name=_("città"))
    kind = models.CharField(_("tipo"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("titolo"), max_length=200)
    subject = models.TextField(_("oggetto"), max_length=4000)
    initiative = models.ForeignKey(
        Initiative, on_delete=models.SET_NULL, null=True, blank=True, related_name="agreements", verbose_name=_("iniziativa")
    )
    neighbourhoods = models.ManyToManyField("territory.Neighbourhood", blank=True, related_name="+", verbose_name=_("quartieri"))
    starts_on = models.DateField(_("inizio"))
    ends_on = models.DateField(_("fine"), null=True, blank=True)
    status = models.CharField(_("stato"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    renewed_from = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="renewal", verbose_name=_("rinnovo di")
    )
    document = models.FileField(_("documento firmato (PDF)"), upload_to="agreements/%Y/", storage=private_storage, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "title"]
        indexes = [models.Index(fields=["city", "status"])]
        verbose_name = _("accordo")
        verbose_name_plural = _("accordi")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("initiatives:agreement", args=[self.pk])

    def clean(self):
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("La fine non può venire prima dell'inizio.")})


class AgreementParty(models.Model):
    """One party to an agreement (the municipality, an organisation, or citizens by name) and its commitments."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("realtà")
    )
    name = models.CharField(_("nome (se non è una realtà registrata)"), max_length=200, blank=True)
    commitments = models.TextField(_("si impegna a"), max_length=4000)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("parte dell'accordo")
        verbose_name_plural = _("parti dell'accordo")

    def __str__(self):
        return str(self.organisation) if self.organisation_id else self.name
