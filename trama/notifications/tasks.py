import json
import logging
import smtplib
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Exists, F, Min, OuterRef
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from trama.background.registry import describe

from . import push, sms
from .models import Delivery, PushSubscription, QuietHours, SmsNumber, UnreachableAddress
from .unsubscribe import DIGEST, link_for

log = logging.getLogger(__name__)


def _lease():
    """How long a claimed delivery is left to its worker before another may take it again (a worker that
    died after claiming it): TRAMA_NOTIFICATION_LEASE_SECONDS, longer than any mail server's timeout."""
    return timedelta(seconds=settings.TRAMA_NOTIFICATION_LEASE_SECONDS)


BATCH = 100


@task()
def send_pending_emails():
    """Send every e-mail delivery that is due, each at most once; returns how many were sent.

    A delivery is claimed by one conditional UPDATE (still pending, still due → one more attempt and a
    lease (_lease)), so two workers never both take it, on SQLite as on PostgreSQL, and no lock is held
    while the mail server answers. Sent → `sent`, never picked again; an account disabled or erased
    meanwhile → `dropped` (logged); a failure → tried again after a back-off doubling each time, `failed`
    after TRAMA_NOTIFICATION_MAX_ATTEMPTS. Pending deliveries left for later get a task of their own,
    run when the first is due (on a backend that can defer).
    """
    sent = _drain(Delivery.Channel.EMAIL, lambda due: sum(_send_one(pk) for pk in due))
    _schedule_retry(send_pending_emails, Delivery.Channel.EMAIL)
    return sent


def _claim(pk, now):
    return (
        Delivery.objects.filter(pk=pk, status=Delivery.Status.PENDING, next_attempt_at__lte=now).update(
            attempts=F("attempts") + 1, next_attempt_at=now + _lease()
        )
        == 1
    )


def _send_one(pk):
    now = timezone.now()
    if not _claim(pk, now):
        return 0  # another worker has it, or it was sent meanwhile
    delivery = (
        Delivery.objects.select_related("notification__recipient")
        .annotate(unreachable=Exists(_unreachable_email(OuterRef("notification__recipient"), OuterRef("notification__recipient__email"))))
        .filter(pk=pk)
        .first()
    )
    if delivery is None:
        return 0  # its notification was erased meanwhile
    notification, account = delivery.notification, delivery.notification.recipient
    if not account.is_active or not account.email:
        Delivery.objects.filter(pk=pk, status=Delivery.Status.PENDING).update(status=Delivery.Status.DROPPED)
        log.info("Notification e-mail %s dropped: the account is disabled or has no address", pk)
        return 0
    if delivery.unreachable:
        Delivery.objects.filter(pk=pk, status=Delivery.Status.PENDING).update(status=Delivery.Status.DROPPED)
        log.info("Notification e-mail %s dropped: the address does not receive", pk)
        return 0
    try:
        _email_of(notification, account).send()
    except Exception as error:  # the mail server refused or was unreachable: try again later
        quiet = QuietHours.objects.filter(account=account).first()
        delivery.attempt_failed(error, timezone.now(), settings.TRAMA_NOTIFICATION_MAX_ATTEMPTS, quiet)
        if code := _refused_for_good(error):
            delivery.status, delivery.last_error = Delivery.Status.FAILED, f"{type(error).__name__} {code}"
            _mark_unreachable(account, UnreachableAddress.Channel.EMAIL, account.email, delivery.last_error)
        Delivery.objects.filter(pk=pk, status=Delivery.Status.PENDING).update(
            status=delivery.status, next_attempt_at=delivery.next_attempt_at, last_error=delivery.last_error
        )
        log.warning("Notification e-mail %s failed (attempt %s): %s", pk, delivery.attempts, delivery.last_error)
        return 0
    Delivery.objects.filter(pk=pk).update(status=Delivery.Status.SENT, sent_at=timezone.now(), last_error="")
    return 1


def _unreachable_email(account, email):
    """The rows saying that `account`'s address `email` does not receive (an address changed since is not concerned)."""
    address = email.lower() if isinstance(email, str) else Lower(email)  # a value, or the outer query's column
    return UnreachableAddress.objects.filter(account=account, channel=UnreachableAddress.Channel.EMAIL, address=address)


def _refused_for_good(error):
    """The mail server's code when it refused the address itself for good (a 5xx for every recipient), else None.

    Only Django's SMTP sending says so at send time: a bounce that comes later reaches the webhook (views.bounce)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused) and error.recipients:
        codes = [code for code, _message in error.recipients.values()]
        if all(500 <= code < 600 for code in codes):
            return codes[0]
    return None


def _mark_unreachable(account, channel, address, reason):
    from .services import mark_unreachable

    mark_unreachable(account, channel, address, reason)


def _email_of(notification, account):
    """The e-mail: the kind in generic words, the link, and how to stop this kind, in the programme's language."""
    unsubscribe = link_for(account, notification.kind)
    with translation.override(settings.LANGUAGE_CODE):
        subject = gettext("Trama: c'è una novità per te")
        body = render_to_string(
            "notifications/email/notification.txt",
            {
                "message": notification.message,
                "link": settings.TRAMA_SITE_URL.rstrip("/") + notification.url,
                "kind": notification.get_kind_display(),
                "unsubscribe": unsubscribe,
            },
        )
    return EmailMessage(subject, body, None, [account.email], headers=_unsubscribe_headers(unsubscribe))


def _unsubscribe_headers(link):
    # RFC 8058: the mail client offers its own "unsubscribe" button and POSTs to the link, in one click.
    return {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _drain(channel, send):
    """Hand `send` the due pending deliveries of `channel`, BATCH at a time in the order they fell due,
    until none is due or the channel's rate (`_rate_of`) is used up for this minute; returns the sum of what
    `send` returned (how many were sent). What the rate holds back stays pending and due: the next run
    (`_schedule_retry`, queued for when the minute allows more) takes it, so none is lost."""
    sent = 0
    budget = _budget(channel, timezone.now())
    while budget is None or budget > 0:
        size = BATCH if budget is None else min(BATCH, budget)
        due = list(
            Delivery.objects.filter(channel=channel, status=Delivery.Status.PENDING, next_attempt_at__lte=timezone.now())
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:size]
        )
        if not due:
            return sent
        sent += send(due)
        if budget is not None:
            # Every one handed over counts, sent or not: a refused attempt reached the provider too.
            budget -= len(due)
    return sent


# The providers' limits are per minute: so is the window counted here.
RATE_WINDOW = timedelta(minutes=1)


def _rate_of(channel):
    """How many deliveries of `channel` may go to the provider per minute (TRAMA_<CHANNEL>_RATE_PER_MINUTE); 0: no limit."""
    return getattr(settings, f"TRAMA_{channel.upper()}_RATE_PER_MINUTE", 0)


def _budget(channel, now):
    """How many more deliveries of `channel` may be sent in the minute ending `now` (None: no limit).

    Counted from the deliveries sent in that minute, by any worker: the count is read once per run, so two
    workers running at the same moment may together exceed it by at most one run's worth."""
    rate = _rate_of(channel)
    if not rate:
        return None
    recent = Delivery.objects.filter(channel=channel, status=Delivery.Status.SENT, sent_at__gt=now - RATE_WINDOW).count()
    return max(rate - recent, 0)


def _schedule_retry(task, channel):
    backend = task.get_backend()
    if not backend.supports_defer:
        return
    now = timezone.now()
    first = Delivery.objects.filter(channel=channel, status=Delivery.Status.PENDING).aggregate(at=Min("next_attempt_at"))["at"]
    if first is None:
        return
    if first <= now and _budget(channel, now) == 0:
        # Held back by the rate: run again when the oldest send of the minute leaves it.
        oldest = Delivery.objects.filter(channel=channel, status=Delivery.Status.SENT, sent_at__gt=now - RATE_WINDOW).aggregate(at=Min("sent_at"))[
            "at"
        ]
        first = (oldest or now) + RATE_WINDOW
    task.using(run_after=max(first, now)).enqueue()


@task()
def send_pending_sms():
    """Send every SMS delivery that is due through TRAMA_SMS_BACKEND (sms.py), each at most once; returns how many
    were sent.

    As send_pending_emails: each delivery claimed by one conditional UPDATE with a lease; sent → `sent`; the
    account disabled or erased, or its number taken away meanwhile → `dropped` (logged); a provider that cannot
    take it now → tried again after the back-off (and the quiet hours, unless urgent), `failed` after
    TRAMA_NOTIFICATION_MAX_ATTEMPTS; a provider that refuses it for good (sms.SmsRefused: a 4xx) → `failed`
    at once, as trying again would only be refused again.
    """

    def send(due):
        backend = sms.get_backend()
        return sum(_send_one_sms(pk, backend) for pk in due)

    sent = _drain(Delivery.Channel.SMS, send)
    _schedule_retry(send_pending_sms, Delivery.Channel.SMS)
    return sent


def _send_one_sms(pk, backend):
    now = timezone.now()
    if not _claim(pk, now):
        return 0
    delivery = Delivery.objects.select_related("notification__recipient").filter(pk=pk).first()
    if delivery is None:
        return 0
    notification, account = delivery.notification, delivery.notification.recipient
    number = SmsNumber.objects.filter(account=account).values_list("number", flat=True).first()
    if not account.is_active or not number:
        Delivery.objects.filter(pk=pk, status=Delivery.Status.PENDING).update(status=Delivery.Status.DROPPED)
        log.info("Notification SMS %s dropped: the account is disabled or has no number", pk)
        return 0
    if UnreachableAddress.objects.filter(account=account, channel=UnreachableAddress.Channel.SMS, address=number).exists():
        Delivery.objects.filter(pk=pk, status=Delivery.Status.PENDING).update(status=Delivery.Status.DROPPED)
        log.info("Notification SMS %s dropped: the number does not receive", pk)
        return 0
    try:
        backend.send(number, _sms_text(notification))
    except Exception as error:
        quiet = QuietHours.objects.filter(account=account).first()
        delivery.attempt_failed(error, timezone.now(), settings.TRAMA_NOTIFICATION_MAX_ATTEMPTS, quiet)
        if isinstance(error, sms.SmsRefused):
            delivery.status = Delivery.Status.FAILED
        if isinstance(error, sms.SmsInvalidNumber):
            _mark_unreachable(account, UnreachableAddress.Channel.SMS, number, delivery.last_error)
        Delivery.objects.filter(pk=pk, status=Delivery.Status.PENDING).update(
            status=delivery.status, next_attempt_at=delivery.next_attempt_at, last_error=delivery.last_error
        )
        log.warning("Notification SMS %s failed (attempt %s): %s", pk, delivery.attempts, delivery.last_error)
        return 0
    Delivery.objects.filter(pk=pk).update(status=Delivery.Status.SENT, sent_at=timezone.now(), last_error="")
    return 1


def _sms_text(notification):
    """The kind in generic words and the link, in the programme's language: nothing about anyone."""
    with translation.override(settings.LANGUAGE_CODE):
        return f"Trama: {notification.message} {settings.TRAMA_SITE_URL.rstrip('/')}{notification.url}"


@task()
def send_pending_push():
    """Send every push delivery that is due to each browser its account subscribed (push.py), each at most once;
    returns how many were sent.

    As send_pending_sms: claimed by one conditional UPDATE with a lease; the account disabled, or no browser left
    → `dropped`; sent when one browser's push service took it. A service that no longer knows a browser (404,
    410) has that subscription deleted; one busy or down (429, 5xx, no answer), when no other browser took it →
    tried again after the back-off (and the quiet hours, unless urgent); other refusals → `failed` at once.
    """
    sent = _drain(Delivery.Channel.PUSH, lambda due: sum(_send_one_push(pk) for pk in due))
    _schedule_retry(send_pending_push, Delivery.Channel.PUSH)
    return sent


def _send_one_push(pk):
    now = timezone.now()
    if not _claim(pk, now):
        return 0
    delivery = Delivery.objects.select_related("notification__recipient").filter(pk=pk).first()
    if delivery is None:
        return 0
    notification, account = delivery.notification, delivery.notification.recipient
    phones = list(PushSubscription.objects.filter(account=account)) if push.enabled() else []
    if not account.is_active or not phones:
        Delivery.objects.filter(pk=pk, status=Delivery.Status.PENDING).update(status=Delivery.Status.DROPPED)
        log.info("Notification push %s dropped: the account is disabled, has no browser or push is off", pk)
        return 0
    payload = _push_payload(notification)
    taken, trouble = False, None
    for phone in phones:
        try:
            push.send(phone, payload, urgent=delivery.urgent)
        except push.PushGone as error:
            phone.delete()  # the browser unsubscribed or the subscription expired: it will not come back
            trouble = trouble or error
            log.info("Push subscription of notification %s deleted: the push service answered %s", pk, error.status_code)
            continue
        except Exception as error:
            PushSubscription.objects.filter(pk=phone.pk).update(failures=F("failures") + 1)
            # One that may work later outweighs a refusal: the delivery is tried again.
            if trouble is None or not isinstance(error, push.PushRefused):
                trouble = error
            continue
        taken = True
        PushSubscription.objects.filter(pk=phone.pk).update(last_success_at=timezone.now(), failures=0)
    if taken:
        Delivery.objects.filter(pk=pk).update(status=Delivery.Status.SENT, sent_at=timezone.now(), last_error="")
        return 1
    delivery.attempt_failed(trouble, timezone.now(), settings.TRAMA_NOTIFICATION_MAX_ATTEMPTS, QuietHours.objects.filter(account=account).first())
    if isinstance(trouble, push.PushRefused | push.PushGone):
        # Refused for good, or every browser gone: trying again would not reach anyone.
        delivery.status = Delivery.Status.FAILED if isinstance(trouble, push.PushRefused) else Delivery.Status.DROPPED
    Delivery.objects.filter(pk=pk, status=Delivery.Status.PENDING).update(
        status=delivery.status, next_attempt_at=delivery.next_attempt_at, last_error=delivery.last_error
    )
    log.warning("Notification push %s failed (attempt %s): %s", pk, delivery.attempts, delivery.last_error)
    return 0


def _push_payload(notification):
    """What the service worker shows: the same generic words for every kind, and the notification's own page on
    Trama (behind sign-in, where it is marked read and leads on): the push service and the lock screen learn nothing."""
    with translation.override(settings.LANGUAGE_CODE):
        body = gettext("C'è una novità su Trama: apri l'app")
    link = settings.TRAMA_SITE_URL.rstrip("/") + reverse("notifications:open", args=[notification.pk])
    return json.dumps({"title": "Trama", "body": body, "url": link}).encode()


@task()
def send_digests():
    """Send each account one e-mail with all its digest deliveries that are due; returns how many e-mails were sent.

    Run daily (`manage.py send_digests --in-background` from cron, docs/deploy.md). An account's items are
    claimed together by one conditional UPDATE that gives them one more attempt and a lease ending at a moment
    of this run's own (`until`), then read back by that moment: two workers never send the same items, and
    running it twice sends once. As in send_pending_emails: sent → `sent`; the account disabled or without an
    address → `dropped` (logged); a failure → tried again after the back-off (and the quiet hours) by a run
    queued for then (on a backend that can defer), `failed` after TRAMA_NOTIFICATION_MAX_ATTEMPTS.
    """
    now = timezone.now()
    accounts = (
        Delivery.objects.filter(channel=Delivery.Channel.DIGEST, status=Delivery.Status.PENDING, next_attempt_at__lte=now)
        .order_by()
        .values_list("notification__recipient_id", flat=True)
        .distinct()
    )
    sent = sum(_send_digest(account_id) for account_id in list(accounts))
    _schedule_digest_retry()
    return sent


def _send_digest(account_id):
    now = timezone.now()
    until = now + _lease()
    mine = Delivery.objects.filter(channel=Delivery.Channel.DIGEST, status=Delivery.Status.PENDING, notification__recipient_id=account_id)
    if not mine.filter(next_attempt_at__lte=now).update(attempts=F("attempts") + 1, next_attempt_at=until):
        return 0  # another worker took them
    claimed = mine.filter(next_attempt_at=until)
    items = list(claimed.select_related("notification__recipient").order_by("notification__created_at", "pk"))
    if not items:
        return 0
    account = items[0].notification.recipient
    if not account.is_active or not account.email:
        claimed.update(status=Delivery.Status.DROPPED)
        log.info("Notification digest of %s items dropped: the account is disabled or has no address", len(items))
        return 0
    if _unreachable_email(account, account.email).exists():
        claimed.update(status=Delivery.Status.DROPPED)
        log.info("Notification digest of %s items dropped: the address does not receive", len(items))
        return 0
    try:
        _digest_of([item.notification for item in items], account).send()
    except Exception as error:  # as in _send_one: try again later
        first = items[0]
        first.attempt_failed(error, timezone.now(), settings.TRAMA_NOTIFICATION_MAX_ATTEMPTS, QuietHours.objects.filter(account=account).first())
        if code := _refused_for_good(error):
            first.status, first.last_error = Delivery.Status.FAILED, f"{type(error).__name__} {code}"
            _mark_unreachable(account, UnreachableAddress.Channel.EMAIL, account.email, first.last_error)
        claimed.update(status=first.status, next_attempt_at=first.next_attempt_at, last_error=first.last_error)
        log.warning("Notification digest of %s items failed (attempt %s): %s", len(items), first.attempts, first.last_error)
        return 0
    claimed.update(status=Delivery.Status.SENT, sent_at=timezone.now(), last_error="")
    return 1


def _schedule_digest_retry():
    # Only items already tried: the day's new items wait for the daily run, not for a run of their own.
    backend = send_digests.get_backend()
    if not backend.supports_defer:
        return
    first = Delivery.objects.filter(channel=Delivery.Channel.DIGEST, status=Delivery.Status.PENDING, attempts__gt=0).aggregate(
        at=Min("next_attempt_at")
    )["at"]
    if first is not None:
        send_digests.using(run_after=max(first, timezone.now())).enqueue()


def _digest_of(notifications, account):
    """One e-mail listing each notification's generic words and link, and how to stop the digest."""
    site = settings.TRAMA_SITE_URL.rstrip("/")
    unsubscribe = link_for(account, DIGEST)
    with translation.override(settings.LANGUAGE_CODE):
        subject = gettext("Trama: il riepilogo delle novità per te")
        body = render_to_string(
            "notifications/email/digest.txt",
            {"items": [{"message": n.message, "link": site + n.url} for n in notifications], "unsubscribe": unsubscribe},
        )
    return EmailMessage(subject, body, None, [account.email], headers=_unsubscribe_headers(unsubscribe))


@task()
def send_reminders(today=None):
    """Tell each registered reminder (reminders.py) to its recipients; returns how many notifications were made.

    Run daily (`manage.py send_reminders --in-background` from cron, docs/deploy.md); `today` (ISO date) defaults
    to the city's today. Each reminder's key names its object and day, so running twice reminds once.
    """
    from .reminders import due
    from .services import notify

    day = date.fromisoformat(today) if today else timezone.localdate()
    return sum(len(notify(r.kind, r.recipients, url=r.url, key=r.key)) for r in due(day))


# Running them twice is harmless: each delivery is claimed before it is sent and marked sent after.
describe(send_pending_emails, _("Invio delle notifiche per e-mail"))
describe(send_pending_sms, _("Invio delle notifiche per SMS"))
describe(send_pending_push, _("Invio delle notifiche come avvisi sul telefono"))
describe(send_digests, _("Invio dei riepiloghi giornalieri delle notifiche"))
describe(send_reminders, _("Promemoria delle scadenze"))
