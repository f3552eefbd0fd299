from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit entry."""


class AuditQuerySet(models.QuerySet):
    """Bulk writes are refused too; on PostgreSQL a trigger also refuses any other path."""

    def update(self, **kwargs):
        raise AppendOnlyError("Audit entries are append-only.")

    def delete(self):
        raise AppendOnlyError("Audit entries are append-only.")


class AuditEntry(models.Model):
    """One read, change or refused access of personal data. Never updated, never deleted."""

    class Action(models.TextChoices):
        READ = "read", _("lettura")
        CREATE = "create", _("creazione")
        UPDATE = "update", _("modifica")
        DELETE = "delete", _("cancellazione")
        DENIED = "denied", _("accesso negato")
        LOGIN = "login", _("accesso")
        LOGIN_FAILED = "login_failed", _("accesso fallito")
        RESTORE = "restore", _("ripristino da backup")
        EXPORT = "export", _("esportazione dei dati")
        ERASURE = "erasure", _("cancellazione dei dati (diritto all'oblio)")

    at = models.DateTimeField(_("quando (UTC)"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        # DO_NOTHING without a constraint: deleting an account must not rewrite its audit trail.
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("chi"),
    )
    actor_label = models.CharField(_("chi (al momento)"), max_length=150, blank=True)
    action = models.CharField(_("azione"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("tipo di dato"), max_length=100, blank=True)
    object_id = models.CharField(_("identificativo"), max_length=64, blank=True)
    reason = models.CharField(_("perché"), max_length=300, blank=True)
    path = models.CharField(_("indirizzo richiesto"), max_length=300, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("voce del registro accessi")
        verbose_name_plural = _("registro accessi")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"]), models.Index(fields=["actor", "at"])]

    @property
    def object_label(self):
        """What was read or changed as people call it ("iniziativa", "segnalazione"), not its model's code."""
        try:
            return apps.get_model(self.object_type)._meta.verbose_name
        except (LookupError, ValueError):
            return self.object_type

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries are append-only.")


class DataExport(models.Model):
    """A person's complete record (JSON and PDF in one ZIP), built in the background for one requester.

    The file is handed over once, to the account that asked, until `expires_at`; then it is gone.
    The link carries `token`, so an export cannot be reached by counting ids.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("in coda")
        RUNNING = "running", _("in preparazione")
        DONE = "done", _("pronto")
        FAILED = "failed", _("non riuscito")
        DELIVERED = "delivered", _("consegnato")
        EXPIRED = "expired", _("scaduto")

    token = models.CharField(max_length=64, unique=True, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+", verbose_name=_("persona"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("richiesto da"))
    status = models.CharField(_("stato"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("avanzamento"), default=0)
    content = models.BinaryField(_("file"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("richiesto il"), auto_now_add=True)
    finished_at = models.DateTimeField(_("pronto il"), null=True, blank=True)
    expires_at = models.DateTimeField(_("scaricabile fino al"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("scaricato il"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("esportazione dei dati personali")
        verbose_name_plural = _("esportazioni dei dati personali")
        indexes = [models.Index(fields=["requested_by", "status"])]

    def __str__(self):
        return f"{self.person_id} {self.created_at:%Y-%m-%d}"

    @property
    def is_finished(self):
        return self.status not in (self.Status.QUEUED, self.Status.RUNNING)

    def downloadable(self, now):
        return self.status == self.Status.DONE and self.content is not None and self.expires_at is not None and now < self.expires_at

    @property
    def filename(self):
        return f"dati-personali-{self.person_id}.zip"


class ErasureRequest(models.Model):
    """A person's request that their data be erased (GDPR art. 17), in two steps.

    A worker in scope records it, or the person asks from their profile (`PENDING`); a
    coordinator confirms it (`CONFIRMED`, then `RUNNING` while the background task erases, then
    `DONE`) or refuses it with the reason (`REFUSED`: a legal obligation to keep the data). One
    request at a time per person: the database refuses a second open one.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("in attesa di conferma")
        CONFIRMED = "confirmed", _("confermata, in coda")
        RUNNING = "running", _("cancellazione in corso")
        DONE = "done", _("dati cancellati")
        REFUSED = "refused", _("rifiutata")
        FAILED = "failed", _("non riuscita, da riprovare")

    OPEN = (Status.PENDING, Status.CONFIRMED, Status.RUNNING, Status.FAILED)
    REASON_LENGTH = 500

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+", verbose_name=_("persona"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("registrata da")
    )
    requested_at = models.DateTimeField(_("richiesta il"), auto_now_add=True)
    reason = models.CharField(_("note sulla richiesta"), max_length=REASON_LENGTH, blank=True)
    status = models.CharField(_("stato"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("decisa da")
    )
    decided_at = models.DateTimeField(_("decisa il"), null=True, blank=True)
    refusal_reason = models.CharField(_("motivo del rifiuto"), max_length=REASON_LENGTH, blank=True)
    done_at = models.DateTimeField(_("eseguita il"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("richiesta di cancellazione dei dati")
        verbose_name_plural = _("richieste di cancellazione dei dati")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status__in=["pending", "confirmed", "running", "failed"]),
                name="erasure_one_open_request_per_person",
            ),
        ]
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self):
        return f"{self.person_id} {self.requested_at:%Y-%m-%d}"

    @property
    def is_open(self):
        return self.status in self.OPEN

    @property
    def is_working(self):
        """The page keeps asking how far it has got while this is true."""
        return self.status in (self.Status.CONFIRMED, self.Status.RUNNING)


class Rectification(models.Model):
    """A correction of a person's data (GDPR art. 16): who made it, when, why, and which fields it changed.

    The values themselves, old or new, are never copied here nor in the audit log: the rows hold the
    new ones. The reason is kept here, not in the append-only audit log, because it is free text
    that may name someone, and must go when the person's data is erased.
    """

    REASON_LENGTH = 300

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+", verbose_name=_("persona"))
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("fatta da")
    )
    made_at = models.DateTimeField(_("fatta il"), auto_now_add=True)
    reason = models.CharField(_("motivo della rettifica"), max_length=REASON_LENGTH)
    # "app.model.field" of each field changed, e.g. "people.person.phone"; never a value.
    fields = models.JSONField(_("dati rettificati"), default=list)

    class Meta:
        ordering = ["-made_at", "-pk"]
        verbose_name = _("rettifica dei dati personali")
        verbose_name_plural = _("rettifiche dei dati personali")
        indexes = [models.Index(fields=["person", "made_at"])]

    def __str__(self):
        return f"{self.person_id} {self.made_at:%Y-%m-%d}"

    @staticmethod
    def field_label(name):
        """ "people.person.phone" -> "telefono (persona)": a field changed, as the form labelled it."""
        model_label, field = name.rsplit(".", 1)
        try:
            meta = apps.get_model(model_label)._meta
            return f"{meta.get_field(field).verbose_name} ({meta.verbose_name})"
        except LookupError:
            return name

    def field_labels(self):
        return list(dict.fromkeys(self.field_label(name) for name in self.fields))
