from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinatore")
    WORKER = "worker", _("Operatore di comunità")
    PARTNER = "partner", _("Partner")
    ANTENNA = "antenna", _("Antenna")
    CITIZEN = "citizen", _("Cittadino")


# Roles whose work is bound to the neighbourhoods they are assigned to.
SCOPED_ROLES = {Role.WORKER, Role.ANTENNA}
# Roles that read personal data of others: they sign in with a second factor, always.
SECOND_FACTOR_ROLES = {Role.COORDINATOR, Role.WORKER}


class User(AbstractUser):
    """An account: one role, and for workers and antennas a neighbourhood scope."""

    email = models.EmailField(_("e-mail"), unique=True)
    role = models.CharField(_("ruolo"), max_length=20, choices=Role.choices, default=Role.CITIZEN)
    city = models.ForeignKey(
        "territory.City", on_delete=models.PROTECT, null=True, blank=True, related_name="accounts", verbose_name=_("città")
    )
    neighbourhoods = models.ManyToManyField(
        "territory.Neighbourhood", blank=True, related_name="accounts", verbose_name=_("quartieri assegnati")
    )
    invited_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("invitato da")
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("account")
        ordering = ["username"]
        indexes = [models.Index(fields=["role", "is_active"])]

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def is_coordinator(self):
        return self.is_active and self.role == Role.COORDINATOR

    @property
    def is_worker(self):
        return self.is_active and self.role == Role.WORKER

    @property
    def is_scoped(self):
        return self.role in SCOPED_ROLES

    @property
    def requires_second_factor(self):
        return self.role in SECOND_FACTOR_ROLES

    def neighbourhood_ids(self):
        """Ids of the neighbourhoods this account may see personal data in."""
        if not hasattr(self, "_neighbourhood_ids"):
            self._neighbourhood_ids = frozenset(self.neighbourhoods.values_list("pk", flat=True))
        return self._neighbourhood_ids


class Organisation(models.Model):
    """An association, cooperative, parish, school, business or public office taking part."""

    class Sector(models.TextChoices):
        PUBLIC = "public", _("Pubblico")
        THIRD_SECTOR = "third_sector", _("Terzo settore")
        BUSINESS = "business", _("Impresa")
        INFORMAL = "informal", _("Gruppo informale")
        FAITH = "faith", _("Comunità religiosa")
        SCHOOL = "school", _("Scuola")

    city = models.ForeignKey("territory.City", on_delete=models.PROTECT, related_name="organisations", verbose_name=_("città"))
    name = models.CharField(_("nome"), max_length=200)
    sector = models.CharField(_("settore"), max_length=20, choices=Sector.choices)
    description = models.TextField(_("descrizione"), blank=True, max_length=4000)
    neighbourhoods = models.ManyToManyField("territory.Neighbourhood", blank=True, related_name="organisations", verbose_name=_("quartieri in cui opera"))
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("sito web"), blank=True)
    members = models.ManyToManyField(User, blank=True, related_name="organisations", verbose_name=_("membri"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organizzazione")
        verbose_name_plural = _("organizzazioni")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["city", "name"], name="organisation_unique_name_per_city")]

    def __str__(self):
        return self.name


class Person(models.Model):
    """Someone the programme works with: pseudonymous by default.

    Only `display_name` (a chosen name or nickname) is required; identifying
    details are optional, need consent, and every read is audited. A person may
    have an account (a registered citizen) or not (met through outreach).
    """

    class Channel(models.TextChoices):
        SELF = "self", _("Si è presentata da sé")
        ANTENNA = "antenna", _("Segnalazione di un'antenna")
        OUTREACH = "outreach", _("Lavoro di strada / uscita")
        REFERRAL = "referral", _("Invio da un servizio")
        ACTIVITY = "activity", _("Partecipando a un'attività")

    city = models.ForeignKey("territory.City", on_delete=models.PROTECT, related_name="people", verbose_name=_("città"))
    neighbourhood = models.ForeignKey(
        "territory.Neighbourhood", on_delete=models.PROTECT, related_name="people", verbose_name=_("quartiere")
    )
    display_name = models.CharField(_("nome o soprannome"), max_length=80)
    first_name = models.CharField(_("nome anagrafico"), max_length=80, blank=True)
    last_name = models.CharField(_("cognome"), max_length=80, blank=True)
    phone = models.CharField(_("telefono"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    account = models.OneToOneField(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="person", verbose_name=_("account")
    )
    first_contact_channel = models.CharField(_("primo contatto"), max_length=20, choices=Channel.choices, default=Channel.SELF)
    known_to_services = models.BooleanField(
        _("già conosciuta dai servizi sociali al primo contatto"), null=True, blank=True
    )
    first_contact_at = models.DateTimeField(_("data del primo contatto"), auto_now_add=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    anonymised_at = models.DateTimeField(_("anonimizzata il"), null=True, blank=True)

    class Meta:
        verbose_name = _("persona")
        verbose_name_plural = _("persone")
        ordering = ["display_name", "pk"]
        indexes = [
            models.Index(fields=["neighbourhood", "first_contact_at"]),
            models.Index(fields=["first_contact_channel"]),
            # The people list: a worker's neighbourhoods or a coordinator's city, by name.
            models.Index(fields=["neighbourhood", "display_name"], name="person_list"),
            models.Index(fields=["city", "display_name"], name="person_city_list"),
        ]

    def __str__(self):
        return self.display_name

    def has_consent(self, purpose):
        return self.consents.filter(purpose=purpose, withdrawn_at__isnull=True).exists()


class Consent(models.Model):
    """A consent the person gave, for one purpose; withdrawing keeps the record."""

    class Purpose(models.TextChoices):
        REGISTRATION = "registration", _("Essere registrata nel programma")
        CONTACT = "contact", _("Essere ricontattata")
        GROUPS = "groups", _("Essere invitata a gruppi e attività")
        IDENTIFYING = "identifying", _("Conservare nome, cognome e recapiti")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("finalità"), max_length=20, choices=Purpose.choices)
    given_at = models.DateTimeField(_("dato il"), auto_now_add=True)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    withdrawn_at = models.DateTimeField(_("ritirato il"), null=True, blank=True)

    class Meta:
        verbose_name = _("consenso")
        verbose_name_plural = _("consensi")
        ordering = ["-given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "purpose"], condition=models.Q(withdrawn_at__isnull=True), name="consent_one_active_per_purpose"
            )
        ]

    def __str__(self):
        return f"{self.person} · {self.get_purpose_display()}"
