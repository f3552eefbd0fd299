"""What Trama tells people: a notification per event and recipient, and its outbox per channel.

A notification says only what kind of thing happened and where to look (`url`): the detail is
on that page, behind sign-in and the page's own access rules. Nothing about anyone is written here.
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    MATCH_PROPOSED = "match_proposed", _("Nuovo abbinamento proposto")
    MATCH_ACCEPTED = "match_accepted", _("Abbinamento accettato")
    MATCH_DECLINED = "match_declined", _("Abbinamento rifiutato")
    MATCH_STARTED = "match_started", _("Abbinamento avviato")
    MATCH_DONE = "match_done", _("Abbinamento concluso")
    SIGNAL_TAKEN_UP = "signal_taken_up", _("Segnalazione presa in carico")
    SIGNAL_CONTACTED = "signal_contacted", _("Segnalazione: contatto avvenuto")
    SIGNAL_CLOSED = "signal_closed", _("Segnalazione chiusa")
    EXPORT_READY = "export_ready", _("Copia dei dati pronta")
    REPORT_READY = "report_ready", _("Rapporto pronto")
    MATCH_NOT_STARTED = "match_not_started", _("Abbinamento accettato ma non avviato")
    MEETING_TOMORROW = "meeting_tomorrow", _("Incontro domani")
    AGREEMENT_EXPIRING = "agreement_expiring", _("Accordo in scadenza")
    FOLLOW_UP_DUE = "follow_up_due", _("Verifica di un abbinamento in scadenza")
    MINUTES_PUBLISHED = "minutes_published", _("Verbale di un incontro scritto")
    MILESTONE_DUE = "milestone_due", _("Traguardo di un'iniziativa in scadenza")
    OFFER_EXPIRING = "offer_expiring", _("Offerta in scadenza")
    OFFER_EXPIRED = "offer_expired", _("Offerta scaduta")
    GROUP_PROPOSED = "group_proposed", _("Nuova proposta di gruppo")
    ERASURE_CONFIRMED = "erasure_confirmed", _("Cancellazione dei dati confermata")
    ANTENNA_APPLICATION = "antenna_application", _("Nuova candidatura di antenna")
    STRONG_ANSWER = "strong_answer", _("Una risposta forte per una richiesta che aspetta")
    TRAINING_TOMORROW = "training_tomorrow", _("Incontro di formazione domani")


# What the bell and the e-mail say, by kind: the kind in generic words, never who or what.
MATCH_NEWS = _("C'è una novità su un tuo abbinamento: apri Trama per vederla.")
MESSAGES = {
    Kind.MATCH_PROPOSED: MATCH_NEWS,
    Kind.MATCH_ACCEPTED: MATCH_NEWS,
    Kind.MATCH_DECLINED: MATCH_NEWS,
    Kind.MATCH_STARTED: MATCH_NEWS,
    Kind.MATCH_DONE: MATCH_NEWS,
    Kind.SIGNAL_TAKEN_UP: _("La tua segnalazione è stata presa in carico: apri Trama per vederla."),
    Kind.SIGNAL_CONTACTED: _("Per la tua segnalazione c'è stato un contatto: apri Trama per vederla."),
    Kind.SIGNAL_CLOSED: _("La tua segnalazione è stata chiusa: apri Trama per vederla."),
    Kind.EXPORT_READY: _("La copia dei dati che hai chiesto è pronta: apri Trama per scaricarla."),
    Kind.REPORT_READY: _("Il rapporto che hai chiesto è pronto: apri Trama per scaricarlo."),
    Kind.MATCH_NOT_STARTED: _("Un abbinamento che segui è stato accettato ma non è ancora avviato: apri Trama per vederlo."),
    Kind.MEETING_TOMORROW: _("Domani c'è un incontro a cui partecipi: apri Trama per vederlo."),
    Kind.AGREEMENT_EXPIRING: _("Un accordo del tuo territorio scade tra meno di 30 giorni: apri Trama per vederlo."),
    Kind.FOLLOW_UP_DUE: _("È il momento di verificare un abbinamento che segui: apri Trama per vederlo."),
    Kind.MINUTES_PUBLISHED: _("È stato scritto il verbale di un incontro a cui partecipi: apri Trama per leggerlo."),
    Kind.MILESTONE_DUE: _("Un traguardo di un'iniziativa a cui partecipi è in scadenza: apri Trama per vederlo."),
    Kind.OFFER_EXPIRING: _("Un'offerta che curi scade tra pochi giorni: apri Trama per rinnovarla o chiuderla."),
    Kind.OFFER_EXPIRED: _("Un'offerta che curi è scaduta: apri Trama per rinnovarla o chiuderla."),
    Kind.GROUP_PROPOSED: _("C'è una nuova proposta di gruppo in un quartiere che segui: apri Trama per vederla."),
    Kind.ERASURE_CONFIRMED: _("La richiesta di cancellazione dei dati che hai registrato è stata confermata: apri Trama per seguirla."),
    Kind.ANTENNA_APPLICATION: _("Qualcuno si è candidato come antenna in un quartiere che segui: apri Trama per valutarlo."),
    Kind.TRAINING_TOMORROW: _("Domani c'è un incontro di formazione a cui partecipi: apri Trama per vedere dove e quando."),
    Kind.STRONG_ANSWER: _("Una nuova offerta risponde bene a una richiesta che aspetta da settimane nel tuo quartiere: apri Trama per vederla."),
}

# E-mail is wanted by default for what needs an answer, a download or is a reminder (a reminder seen only on
# opening Trama reminds nobody); the rest waits in the bell.
EMAIL_BY_DEFAULT = {
    Kind.MATCH_PROPOSED,
    Kind.MATCH_ACCEPTED,
    Kind.MATCH_DECLINED,
    Kind.MATCH_STARTED,
    Kind.MATCH_DONE,
    Kind.EXPORT_READY,
    Kind.REPORT_READY,
    Kind.MATCH_NOT_STARTED,
    Kind.MEETING_TOMORROW,
    Kind.TRAINING_TOMORROW,
    Kind.AGREEMENT_EXPIRING,
    Kind.FOLLOW_UP_DUE,
    Kind.MILESTONE_DUE,
    Kind.OFFER_EXPIRING,
    Kind.OFFER_EXPIRED,
    Kind.ERASURE_CONFIRMED,
    Kind.ANTENNA_APPLICATION,
}

# Web push is offered by default, once the person has subscribed a phone, for what the antenna waits to hear on it.
PUSH_BY_DEFAULT = {Kind.SIGNAL_TAKEN_UP}


class EmailMode(models.TextChoices):
    """How an account wants one kind by e-mail."""

    NOW = "now", _("subito")
    DIGEST = "digest", _("riepilogo giornaliero")
    NEVER = "never", _("mai")


class Notification(models.Model):
    """One event told to one account; `key` names the event, so it is never told twice."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("destinatario"))
    kind = models.CharField(_("tipo"), max_length=32, choices=Kind.choices)
    url = models.CharField(_("pagina"), max_length=200)
    key = models.CharField(_("evento"), max_length=100)
    created_at = models.DateTimeField(_("arrivata il"), default=timezone.now)
    read_at = models.DateTimeField(_("letta il"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notifica")
        verbose_name_plural = _("notifiche")
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="one_notification_per_event")]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self):
        return f"{self.kind} → {self.recipient_id}"

    @property
    def message(self):
        return MESSAGES[self.kind]


class Delivery(models.Model):
    """The outbox: one notification to be sent on one channel, with how the sending went.

    `last_error` names the failure (the exception's class, the mail server's code), never the message
    nor the address.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("e-mail")
        # One row per notification awaiting the account's daily digest (tasks.send_digests): one e-mail for them all.
        DIGEST = "digest", _("riepilogo giornaliero")
        SMS = "sms", _("SMS")
        PUSH = "push", _("avviso sul telefono")

    class Status(models.TextChoices):
        PENDING = "pending", _("da inviare")
        SENT = "sent", _("inviata")
        FAILED = "failed", _("non riuscita")
        DROPPED = "dropped", _("annullata")

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("notifica"))
    # Urgent deliveries are not held by quiet hours (notify(urgent=True)).
    urgent = models.BooleanField(_("urgente"), default=False)
    channel = models.CharField(_("canale"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("stato"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("tentativi"), default=0)
    next_attempt_at = models.DateTimeField(_("prossimo tentativo"), default=timezone.now)
    sent_at = models.DateTimeField(_("inviata il"), null=True, blank=True)
    last_error = models.CharField(_("ultimo errore"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("invio di una notifica")
        verbose_name_plural = _("invii delle notifiche")
        constraints = [models.UniqueConstraint(fields=["notification", "channel"], name="one_delivery_per_channel")]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due"),
            # How many went out in the last minute, per channel (tasks._budget: the providers' rate limits).
            models.Index(fields=["channel", "status", "sent_at"], name="delivery_sent_recently"),
        ]

    def __str__(self):
        return f"{self.channel} {self.status}"

    def attempt_failed(self, error, now, max_attempts, quiet=None):
        """The attempt counted in `attempts` failed: try again later, waiting longer each time (and after the
        account's `quiet` hours, unless urgent), or give up once `max_attempts` were made."""
        # The exception's class and the server's code (SMTP, or the SMS provider's HTTP status): its message may
        # quote an address.
        code = getattr(error, "smtp_code", "") or getattr(error, "status_code", "")
        self.last_error = " ".join(str(part) for part in (type(error).__name__, code) if part)[:200]
        if self.attempts >= max_attempts:
            self.status = self.Status.FAILED
        else:
            later = now + timedelta(seconds=settings.TRAMA_NOTIFICATION_RETRY_SECONDS * 2 ** (self.attempts - 1))
            self.next_attempt_at = later if self.urgent else (quiet or QuietHours.default()).release(later)


class Preference(models.Model):
    """Whether an account wants e-mail for one kind of notification, at once or in the daily digest, whether an
    SMS and whether a web push; no row means the kind's default (e-mail at once or never, EMAIL_BY_DEFAULT; no SMS;
    push for PUSH_BY_DEFAULT)."""

    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("account"))
    kind = models.CharField(_("tipo"), max_length=32, choices=Kind.choices)
    email = models.BooleanField(_("anche per e-mail"))
    # Only when `email`: in the daily digest rather than at once.
    digest = models.BooleanField(_("nel riepilogo giornaliero"), default=False)
    # Only when the account gave a number (SmsNumber); never in the digest, held by quiet hours like e-mail.
    sms = models.BooleanField(_("anche per SMS"), default=False)
    # Only when the account subscribed a browser (PushSubscription); None means the kind's default (PUSH_BY_DEFAULT),
    # so that a row stored for e-mail or SMS does not turn the antenna's default off.
    push = models.BooleanField(_("anche come avviso sul telefono"), null=True, default=None)

    class Meta:
        verbose_name = _("preferenza di notifica")
        verbose_name_plural = _("preferenze di notifica")
        constraints = [models.UniqueConstraint(fields=["account", "kind"], name="one_preference_per_kind")]

    def __str__(self):
        return f"{self.account_id} {self.kind}"

    @property
    def wants_push(self):
        return self.push if self.push is not None else self.kind in PUSH_BY_DEFAULT

    @property
    def mode(self):
        if not self.email:
            return EmailMode.NEVER
        return EmailMode.DIGEST if self.digest else EmailMode.NOW

    @staticmethod
    def fields_of(mode):
        """The stored fields of an EmailMode."""
        mode = EmailMode(mode)
        return {"email": mode != EmailMode.NEVER, "digest": mode == EmailMode.DIGEST}


class SmsNumber(models.Model):
    """The mobile number an account gave for notifications by SMS, in E.164 ("+393331234567").

    Kept here, given by the person herself on her preferences page, rather than read from her record in
    people: a number recorded to get in touch with someone was not given to receive messages from Trama."""

    account = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("account"))
    number = models.CharField(_("cellulare"), max_length=16)

    class Meta:
        verbose_name = _("cellulare per le notifiche")
        verbose_name_plural = _("cellulari per le notifiche")

    def __str__(self):
        return f"{self.account_id} …{self.number[-3:]}"


class PushSubscription(models.Model):
    """A browser (the antenna's phone) that accepted web push for this account: where its push service takes
    messages (`endpoint`) and the keys they are encrypted with (`p256dh`, `auth`), as the browser gave them.

    Given by the person herself from her preferences page; a push service that says the endpoint is gone (404,
    410) deletes it. `failures` counts refusals since the last success."""

    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("account"))
    endpoint = models.URLField(_("indirizzo del servizio di notifica"), max_length=1000)
    p256dh = models.CharField(_("chiave pubblica del browser"), max_length=100)
    auth = models.CharField(_("segreto del browser"), max_length=30)
    user_agent = models.CharField(_("dispositivo"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("aggiunto il"), default=timezone.now)
    last_success_at = models.DateTimeField(_("ultimo invio riuscito"), null=True, blank=True)
    failures = models.PositiveSmallIntegerField(_("invii rifiutati"), default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("telefono per gli avvisi")
        verbose_name_plural = _("telefoni per gli avvisi")
        constraints = [models.UniqueConstraint(fields=["account", "endpoint"], name="one_subscription_per_browser")]

    def __str__(self):
        return f"{self.account_id} {self.user_agent}"

    def info(self):
        """What pywebpush takes as `subscription_info`."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class QuietHours(models.Model):
    """When an account wants no e-mail, SMS nor push: from `starts` to `ends` (across midnight when `starts` is later), in the
    city's time zone (TIME_ZONE: the programme serves one city). No row means the programme's default
    (TRAMA_QUIET_HOURS, 21:00–08:00); `starts` equal to `ends` means no quiet hours."""

    account = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("account"))
    starts = models.TimeField(_("dalle"))
    ends = models.TimeField(_("alle"))

    class Meta:
        verbose_name = _("ore di quiete")
        verbose_name_plural = _("ore di quiete")

    def __str__(self):
        return f"{self.account_id} {self.starts:%H:%M}–{self.ends:%H:%M}"

    @classmethod
    def default(cls):
        starts, ends = (time.fromisoformat(value) for value in settings.TRAMA_QUIET_HOURS)
        return cls(starts=starts, ends=ends)

    def release(self, when):
        """`when` if it falls outside the quiet hours, else the moment they end (an aware datetime)."""
        if self.starts == self.ends:
            return when
        local = timezone.localtime(when, timezone.get_default_timezone())
        moment = local.time()
        if self.starts < self.ends:
            quiet = self.starts <= moment < self.ends
        else:
            quiet = moment >= self.starts or moment < self.ends
        if not quiet:
            return when
        day = local.date() if moment < self.ends else local.date() + timedelta(days=1)
        return datetime.combine(day, self.ends, tzinfo=local.tzinfo)


class UnreachableAddress(models.Model):
    """An account's e-mail address or SMS number that its provider said cannot receive (a permanent refusal at
    sending, or a bounce notice to the webhook): nothing more is sent to it, and the person is told in the
    interface. It stops counting as soon as the account's address or number is another one (she changed it), or
    when she says it is right (`services.confirm_address`)."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("e-mail")
        SMS = "sms", _("SMS")

    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("account"))
    channel = models.CharField(_("canale"), max_length=10, choices=Channel.choices)
    # The address or number refused, to know when the account's is another one: the refusal was about this one.
    address = models.CharField(_("indirizzo o numero"), max_length=254)
    since = models.DateTimeField(_("dal"), default=timezone.now)
    # The server's code ("550", "SmsInvalidNumber 422"), never its message (it may quote the address).
    reason = models.CharField(_("motivo"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("indirizzo che non riceve")
        verbose_name_plural = _("indirizzi che non ricevono")
        constraints = [models.UniqueConstraint(fields=["account", "channel"], name="one_unreachable_address_per_channel")]

    def __str__(self):
        return f"{self.account_id} {self.channel}"
