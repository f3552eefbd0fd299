import hashlib
import hmac
import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.it import codicefiscale, iva


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
    city = models.ForeignKey("territory.City", on_delete=models.PROTECT, null=True, blank=True, related_name="accounts", verbose_name=_("città"))
    neighbourhoods = models.ManyToManyField("territory.Neighbourhood", blank=True, related_name="accounts", verbose_name=_("quartieri assegnati"))
    invited_by = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("invitato da"))
    # Kept by people.signals from the account's confirmed authenticator app, so that a request
    # knows whether the session owes a code without asking the devices' table every time.
    second_factor = models.BooleanField(_("verifica in due passaggi attiva"), default=False, editable=False)

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

    def save(self, *args, **kwargs):
        # set_password() keeps the new password in _password until the save; the
        # rehash on sign-in (a hasher upgrade) clears it first, so it does not count.
        password_changed = self._password is not None and not self._state.adding
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        deactivated = not self.is_active and (update_fields is None or "is_active" in update_fields)
        if password_changed or deactivated:
            self.api_tokens.revoke()

    @property
    def requires_second_factor(self):
        return self.role in SECOND_FACTOR_ROLES

    def neighbourhood_ids(self):
        """Ids of the neighbourhoods this account may see personal data in."""
        if not hasattr(self, "_neighbourhood_ids"):
            self._neighbourhood_ids = frozenset(self.neighbourhoods.values_list("pk", flat=True))
        return self._neighbourhood_ids


def validate_tax_code(value):
    """An Italian codice fiscale: 16 characters (a sole trader's) or 11 digits (an entity's)."""
    try:
        codicefiscale.validate(value)
    except StdnumError as error:
        raise ValidationError(
            _("Codice fiscale non valido: deve avere 16 caratteri (persona) o 11 cifre (ente), con il carattere di controllo giusto."),
            code="tax_code",
        ) from error


def validate_vat_number(value):
    try:
        iva.validate(value)
    except StdnumError as error:
        raise ValidationError(_("Partita IVA non valida: 11 cifre, l'ultima di controllo."), code="vat_number") from error


class Organisation(models.Model):
    """An association, cooperative, parish, school, business or public office taking part."""

    class Sector(models.TextChoices):
        PUBLIC = "public", _("Pubblico")
        THIRD_SECTOR = "third_sector", _("Terzo settore")
        BUSINESS = "business", _("Impresa")
        INFORMAL = "informal", _("Gruppo informale")
        FAITH = "faith", _("Comunità religiosa")
        SCHOOL = "school", _("Scuola")

    class LegalForm(models.TextChoices):
        ASSOCIATION = "association", _("Associazione")
        APS = "aps", _("Associazione di promozione sociale (APS)")
        ODV = "odv", _("Organizzazione di volontariato (ODV)")
        SOCIAL_COOPERATIVE = "social_cooperative", _("Cooperativa sociale")
        SOCIAL_ENTERPRISE = "social_enterprise", _("Impresa sociale")
        FOUNDATION = "foundation", _("Fondazione")
        RELIGIOUS_BODY = "religious_body", _("Ente religioso")
        PUBLIC_BODY = "public_body", _("Ente pubblico")
        COMPANY = "company", _("Società o ditta")
        INFORMAL_GROUP = "informal_group", _("Gruppo informale senza forma giuridica")
        OTHER = "other", _("Altra forma")

    city = models.ForeignKey("territory.City", on_delete=models.PROTECT, related_name="organisations", verbose_name=_("città"))
    name = models.CharField(_("nome"), max_length=200)
    sector = models.CharField(_("settore"), max_length=20, choices=Sector.choices)
    legal_form = models.CharField(_("forma giuridica"), max_length=30, choices=LegalForm.choices, blank=True)
    # Stored compact and upper-case (the form does it), so that the unique constraint sees one spelling.
    tax_code = models.CharField(_("codice fiscale"), max_length=16, blank=True, validators=[validate_tax_code])
    vat_number = models.CharField(_("partita IVA"), max_length=11, blank=True, validators=[validate_vat_number])
    description = models.TextField(_("descrizione"), blank=True, max_length=4000)
    neighbourhoods = models.ManyToManyField(
        "territory.Neighbourhood", blank=True, related_name="organisations", verbose_name=_("quartieri in cui opera")
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telefono"), max_length=30, blank=True)
    address = models.CharField(_("indirizzo"), max_length=200, blank=True)
    website = models.URLField(_("sito web"), blank=True)
    public_page_agreed = models.BooleanField(
        _("ha accettato di avere una pagina pubblica"),
        default=False,
        help_text=_("Solo con il suo accordo Trama mostra a tutti che cosa offre, dove e in quali iniziative."),
    )
    members = models.ManyToManyField(User, blank=True, through="Membership", related_name="organisations", verbose_name=_("membri"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organizzazione")
        verbose_name_plural = _("organizzazioni")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["city", "name"], name="organisation_unique_name_per_city"),
            models.UniqueConstraint(fields=["city", "tax_code"], condition=~models.Q(tax_code=""), name="organisation_unique_tax_code_per_city"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organisations:detail", args=[self.pk])


class Membership(models.Model):
    """An account's place in an organisation: a referent speaks for it and keeps its profile, a member takes part."""

    class Role(models.TextChoices):
        REFERENT = "referent", _("Referente")
        MEMBER = "member", _("Membro")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organizzazione"))
    account = models.ForeignKey(User, on_delete=models.CASCADE, related_name="organisation_memberships", verbose_name=_("account"))
    role = models.CharField(_("ruolo nell'organizzazione"), max_length=20, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        verbose_name = _("appartenenza a un'organizzazione")
        verbose_name_plural = _("appartenenze a organizzazioni")
        ordering = ["organisation", "-role", "pk"]
        constraints = [models.UniqueConstraint(fields=["organisation", "account"], name="membership_once_per_organisation")]

    def __str__(self):
        return f"{self.account} · {self.organisation} ({self.get_role_display()})"


class Service(models.Model):
    """Something an organisation offers to the neighbourhood, with when (HSDS's service, kept simple)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="services", verbose_name=_("organizzazione"))
    name = models.CharField(_("nome"), max_length=200)
    description = models.TextField(_("descrizione"), blank=True, max_length=2000)
    opening_hours = models.CharField(_("orari"), max_length=300, blank=True, help_text=_("Per esempio: lunedì e giovedì 9-12, su appuntamento."))
    place = models.ForeignKey("territory.Place", on_delete=models.SET_NULL, null=True, blank=True, related_name="services", verbose_name=_("luogo"))
    # What the name and description mean (market.meaning), for proposing the service to needs: computed by
    # the task worker after they change (the market hears of the save: it sits above this app), empty until then.
    embedding = models.BinaryField(null=True, blank=True, editable=False)
    embedding_model = models.CharField(max_length=60, blank=True, editable=False)

    MEANING_FIELDS = ("name", "description")
    # Services have no city of their own: the market's embed_missing reaches it through the organisation.
    MEANING_CITY = "organisation__city"

    class Meta:
        verbose_name = _("servizio")
        verbose_name_plural = _("servizi")
        ordering = ["organisation", "name", "pk"]

    def __str__(self):
        return self.name

    @property
    def meaning_text(self):
        return f"{self.name}\n{self.description}".strip()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        if not instance.get_deferred_fields().intersection(cls.MEANING_FIELDS):
            instance._meaning_text_at_load = instance.meaning_text
        return instance

    def save(self, *args, **kwargs):
        """A new service, or a changed name or description, loses its meaning vector (it no longer says
        what the text means); the market queues a new one after the commit (market.signals)."""
        update_fields = kwargs.get("update_fields")
        writes_text = update_fields is None or bool(set(update_fields) & set(self.MEANING_FIELDS))
        at_load = getattr(self, "_meaning_text_at_load", None)
        if self._state.adding or (writes_text and (at_load is None or self.meaning_text != at_load)):
            self.embedding, self.embedding_model = None, ""
            if update_fields is not None:
                kwargs["update_fields"] = set(update_fields) | {"embedding", "embedding_model"}
        super().save(*args, **kwargs)
        if not self.get_deferred_fields().intersection(self.MEANING_FIELDS):
            self._meaning_text_at_load = self.meaning_text


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
    neighbourhood = models.ForeignKey("territory.Neighbourhood", on_delete=models.PROTECT, related_name="people", verbose_name=_("quartiere"))
    display_name = models.CharField(_("nome o soprannome"), max_length=80)
    first_name = models.CharField(_("nome anagrafico"), max_length=80, blank=True)
    last_name = models.CharField(_("cognome"), max_length=80, blank=True)
    phone = models.CharField(_("telefono"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    account = models.OneToOneField(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="person", verbose_name=_("account"))
    first_contact_channel = models.CharField(_("primo contatto"), max_length=20, choices=Channel.choices, default=Channel.SELF)
    known_to_services = models.BooleanField(_("già conosciuta dai servizi sociali al primo contatto"), null=True, blank=True)
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

    IDENTIFYING_FIELDS = ("first_name", "last_name", "phone", "email")

    def has_consent(self, purpose):
        return self.consents.filter(purpose=purpose, withdrawn_at__isnull=True).exists()

    def clean(self):
        # Identifying details are kept only with the person's consent (as registering does): a form
        # correcting a record must not add them without it.
        if self.pk is not None and any(getattr(self, name) for name in self.IDENTIFYING_FIELDS) and not self.has_consent(Consent.Purpose.IDENTIFYING):
            raise ValidationError(
                _(
                    "Nome anagrafico, cognome, telefono ed e-mail si conservano solo con il consenso della persona "
                    "(«%(consent)s»). Senza quel consenso lascia vuoti questi campi."
                )
                % {"consent": Consent.Purpose.IDENTIFYING.label},
                code="identifying_without_consent",
            )


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
    # A consent collected on a paper form before the person was recorded here (an imported list): the form's date.
    collected_on_paper = models.DateField(_("raccolto su carta il"), null=True, blank=True)
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


class ApiTokenQuerySet(models.QuerySet):
    def revoke(self, now=None):
        """Revoke the tokens of this set that are not revoked yet; returns how many."""
        return self.filter(revoked_at__isnull=True).update(revoked_at=now or timezone.now())


class ApiToken(models.Model):
    """A key for the API, owned by one account, that expires and can be revoked.

    The key is `<prefix>.<secret>`: the prefix finds the row, and only the SHA-256
    digest of the secret is stored, so the database never holds a usable key. The
    secret is 256 random bits, so a fast hash is enough (no brute force can reach it).
    """

    PREFIX_LENGTH = 12
    KEY = re.compile(r"([0-9a-f]{12})\.([A-Za-z0-9_-]{43})")
    # last_used_at is written at most this often: no database write on every request.
    TOUCH_EVERY = timedelta(minutes=1)

    class State(models.TextChoices):
        ACTIVE = "active", _("attivo")
        EXPIRED = "expired", _("scaduto")
        IDLE = "idle", _("scaduto per inattività")
        REVOKED = "revoked", _("revocato")

    account = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("account"))
    name = models.CharField(_("nome"), max_length=100)
    prefix = models.CharField(_("prefisso"), max_length=PREFIX_LENGTH, unique=True)
    digest = models.CharField(_("impronta SHA-256 della chiave"), max_length=64)
    created_at = models.DateTimeField(_("creato il"), default=timezone.now)
    last_used_at = models.DateTimeField(_("ultimo uso"), null=True, blank=True)
    expires_at = models.DateTimeField(_("scade il"))
    revoked_at = models.DateTimeField(_("revocato il"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["account", "revoked_at"])]

    def __str__(self):
        return f"{self.name} ({self.prefix})"

    @staticmethod
    def _digest(secret):
        return hashlib.sha256(secret.encode()).hexdigest()

    @classmethod
    def issue(cls, account, name, now=None):
        """Create a token for `account`; returns (token, key). The key exists only in this return value."""
        now = now or timezone.now()
        secret = secrets.token_urlsafe(32)
        while True:
            prefix = secrets.token_hex(cls.PREFIX_LENGTH // 2)
            if not cls.objects.filter(prefix=prefix).exists():
                break
        token = cls.objects.create(
            account=account,
            name=name,
            prefix=prefix,
            digest=cls._digest(secret),
            created_at=now,
            expires_at=now + timedelta(seconds=settings.TRAMA_API_TOKEN_MAX_SECONDS),
        )
        return token, f"{prefix}.{secret}"

    @classmethod
    def find(cls, key):
        """The token whose key is `key`, or None (malformed, unknown or wrong secret).

        The digests are compared in constant time.
        """
        match = cls.KEY.fullmatch(key)
        if match is None:
            return None
        prefix, secret = match.groups()
        token = cls.objects.select_related("account").filter(prefix=prefix).first()
        if token is None or not hmac.compare_digest(token.digest, cls._digest(secret)):
            return None
        return token

    def state(self, now=None):
        now = now or timezone.now()
        if self.revoked_at is not None:
            return self.State.REVOKED
        if now >= self.expires_at:
            return self.State.EXPIRED
        if now - (self.last_used_at or self.created_at) > timedelta(seconds=settings.TRAMA_API_TOKEN_IDLE_SECONDS):
            return self.State.IDLE
        return self.State.ACTIVE

    def touch(self, now=None):
        """Record a use, writing at most once every TOUCH_EVERY."""
        now = now or timezone.now()
        if self.last_used_at is None or now - self.last_used_at >= self.TOUCH_EVERY:
            ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now

    def revoke(self, now=None):
        if self.revoked_at is None:
            self.revoked_at = now or timezone.now()
            ApiToken.objects.filter(pk=self.pk, revoked_at__isnull=True).update(revoked_at=self.revoked_at)


class DigitalIdentity(models.Model):
    """A citizen's account linked to her public digital identity (SPID or CIE), found again by her fiscal code.

    The fiscal code itself is never stored: only a keyed digest of it (`people.identity.fiscal_code_digest`),
    enough to recognise the same person at her next sign-in and useless to read. One identity per account,
    one account per fiscal code."""

    class Kind(models.TextChoices):
        SPID = "spid", "SPID"
        CIE = "cie", "CIE"

    account = models.OneToOneField(User, on_delete=models.CASCADE, related_name="digital_identity", verbose_name=_("account"))
    fiscal_code_digest = models.CharField(_("impronta del codice fiscale"), max_length=64, unique=True, editable=False)
    kind = models.CharField(_("ultimo accesso con"), max_length=4, choices=Kind.choices)
    linked_at = models.DateTimeField(_("collegata il"), default=timezone.now)
    last_used_at = models.DateTimeField(_("ultimo uso"), null=True, blank=True)

    class Meta:
        verbose_name = _("identità digitale")
        verbose_name_plural = _("identità digitali")
