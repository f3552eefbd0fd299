"""The one way the other apps tell people something: `notify`.

What a notification may say is fixed by its kind (models.MESSAGES): the kind in generic words and
the page to open. Callers pass no text, so no name, need or signal can reach a bell or an e-mail.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import time
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import push
from .models import (
    EMAIL_BY_DEFAULT,
    PUSH_BY_DEFAULT,
    Delivery,
    EmailMode,
    Kind,
    Notification,
    Preference,
    PushSubscription,
    QuietHours,
    SmsNumber,
    UnreachableAddress,
)
from .queries import add_unread, forget_unreachable, unread_count
from .unsubscribe import DIGEST

if TYPE_CHECKING:
    from trama.access import User

log = logging.getLogger(__name__)


def notify(kind: str, recipients: Iterable[User | None], *, url: str, key: str, urgent: bool = False) -> list[Notification]:
    """Tell each of `recipients` (accounts) that an event of `kind` happened, pointing at `url` (a path).

    Who is entitled to hear is the caller's rule, not this app's: the calling app decides from its
    own rules.py (who may see the record behind `url`) and passes only those accounts. `url` is
    opened after sign-in, where the page's access rules apply again.

    `key` names the event ("match-proposed:42"): an account is told of one key once, however many
    times the caller calls (a retried task, a double click). For each new notification an e-mail
    delivery is queued when the account has an address and wants that kind by e-mail; the sending
    task is enqueued when the transaction commits, so a rolled-back change announces nothing.
    Inactive accounts (disabled, or erased since the caller found them) are skipped and logged. Returns the
    notifications created.

    An SMS delivery is queued too when the account gave a number (SmsNumber) and wants that kind by SMS, and a
    push delivery when push is configured (push.enabled), the account subscribed a browser (PushSubscription) and
    wants that kind by push (Preference.push, by default PUSH_BY_DEFAULT).

    An e-mail, an SMS or a push is held until the end of the account's quiet hours (QuietHours, by default 21:00–08:00)
    unless `urgent`. No kind is urgent in itself: urgency is the caller's to say for one event
    (none says it yet: the antenna's news and the reminders can all wait for the morning).
    """
    kind = Kind(kind)
    # A new name, not `recipients` again: the list holds accounts only (no None), and says so to the type checker.
    users = [user for user in recipients if user is not None]
    accounts = {user.pk: user for user in users if user.is_active}
    if len(accounts) < len({user.pk for user in users}):
        # Disabled or erased since the caller found them: dropped, and said so (the key names no one).
        log.info("Notification %s not told to %s disabled accounts", key, len({user.pk for user in users} - set(accounts)))
    if not accounts:
        return []
    already = set(Notification.objects.filter(key=key, recipient_id__in=accounts).values_list("recipient_id", flat=True))
    chosen = {p.account_id: p for p in Preference.objects.filter(account_id__in=accounts, kind=kind)}
    quiet = {q.account_id: q for q in QuietHours.objects.filter(account_id__in=accounts)}
    # Read only when someone wants this kind by SMS: the common case costs no query.
    wants_sms = [pk for pk, p in chosen.items() if p.sms]
    numbers = set(SmsNumber.objects.filter(account_id__in=wants_sms).values_list("account_id", flat=True)) if wants_sms else set()
    # The same for push: read only when push is on and someone wants this kind by push (by default for some kinds).
    wants_push = [pk for pk in accounts if (chosen[pk].wants_push if pk in chosen else kind in PUSH_BY_DEFAULT)] if push.enabled() else []
    phones = set(PushSubscription.objects.filter(account_id__in=wants_push).values_list("account_id", flat=True)) if wants_push else set()
    default_quiet = QuietHours.default()
    created, deliveries = [], []
    now = timezone.now()
    for pk, user in accounts.items():
        if pk in already:
            continue
        try:
            with transaction.atomic():
                notification = Notification.objects.create(recipient=user, kind=kind, url=url, key=key, created_at=now)
        except IntegrityError:  # the same event, told at the same moment by another process
            continue
        created.append(notification)
        preference = chosen.get(pk)
        if user.email and (preference.email if preference else kind in EMAIL_BY_DEFAULT):
            # An urgent event is never kept for the digest, nor held by quiet hours.
            channel = Delivery.Channel.DIGEST if preference and preference.digest and not urgent else Delivery.Channel.EMAIL
            due = now if urgent else quiet.get(pk, default_quiet).release(now)
            deliveries.append(Delivery(notification=notification, channel=channel, urgent=urgent, next_attempt_at=due))
        if pk in numbers:
            due = now if urgent else quiet.get(pk, default_quiet).release(now)
            deliveries.append(Delivery(notification=notification, channel=Delivery.Channel.SMS, urgent=urgent, next_attempt_at=due))
        if pk in phones:
            due = now if urgent else quiet.get(pk, default_quiet).release(now)
            deliveries.append(Delivery(notification=notification, channel=Delivery.Channel.PUSH, urgent=urgent, next_attempt_at=due))
    Delivery.objects.bulk_create(deliveries)
    told = [n.recipient_id for n in created]
    transaction.on_commit(lambda: add_unread(told))
    if any(d.channel == Delivery.Channel.EMAIL for d in deliveries):
        from .tasks import send_pending_emails

        transaction.on_commit(send_pending_emails.enqueue)
    if any(d.channel == Delivery.Channel.SMS for d in deliveries):
        from .tasks import send_pending_sms

        transaction.on_commit(send_pending_sms.enqueue)
    if any(d.channel == Delivery.Channel.PUSH for d in deliveries):
        from .tasks import send_pending_push

        transaction.on_commit(send_pending_push.enqueue)
    return created


def mark_read(user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark `user`'s notifications as read: those of `notification_ids`, or all. Returns how many changed.

    Only the account's own rows are touched, whatever ids are given.
    """
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        rows = rows.filter(pk__in=notification_ids)
    changed = rows.update(read_at=timezone.now())
    if changed:
        transaction.on_commit(lambda: unread_count(user, fresh=True))
    return changed


def set_email_preferences(user: User, wanted: Mapping[str, str]) -> None:
    """Store how `user` wants each kind by e-mail (`wanted`: {kind: EmailMode}); a kind left out keeps its setting.

    E-mails already queued keep the channel they were queued for."""
    with transaction.atomic():
        for kind, mode in wanted.items():
            Preference.objects.update_or_create(account=user, kind=Kind(kind), defaults=Preference.fields_of(mode))


def set_email_for_accounts(accounts: Sequence[User], kinds: Iterable[str], mode: str) -> None:
    """Store the same EmailMode for each of `kinds` of each of `accounts` in one go (an antenna onboarded with
    e-mail wanted, the synthetic city), replacing what they had chosen for those kinds."""
    kinds = [Kind(kind) for kind in kinds]
    fields = Preference.fields_of(mode)
    with transaction.atomic():
        Preference.objects.filter(account__in=accounts, kind__in=kinds).delete()
        Preference.objects.bulk_create([Preference(account=account, kind=kind, **fields) for account in accounts for kind in kinds])


def set_sms(user: User, number: str, kinds: Iterable[str]) -> None:
    """Store `user`'s mobile number for notifications (E.164, or "" to give none) and the kinds wanted by SMS.

    Without a number no SMS is queued whatever the kinds; SMS already queued are dropped when the number is
    taken away or the kind no longer wanted, so none goes to a number its owner withdrew."""
    kinds = {Kind(kind) for kind in kinds}
    with transaction.atomic():
        if number:
            SmsNumber.objects.update_or_create(account=user, defaults={"number": number})
        else:
            SmsNumber.objects.filter(account=user).delete()
        for kind in Kind:
            Preference.objects.update_or_create(
                account=user, kind=kind, defaults={"sms": kind in kinds}, create_defaults=_default_fields(kind) | {"sms": kind in kinds}
            )
        queued = Delivery.objects.filter(notification__recipient=user, channel=Delivery.Channel.SMS, status=Delivery.Status.PENDING)
        if number:
            queued = queued.exclude(notification__kind__in=kinds)
        queued.update(status=Delivery.Status.DROPPED)


def set_push(user: User, kinds: Iterable[str]) -> None:
    """Store the kinds `user` wants as a push on her subscribed browsers (the others not); push already queued for a
    kind no longer wanted is dropped."""
    kinds = {Kind(kind) for kind in kinds}
    with transaction.atomic():
        for kind in Kind:
            Preference.objects.update_or_create(
                account=user, kind=kind, defaults={"push": kind in kinds}, create_defaults=_default_fields(kind) | {"push": kind in kinds}
            )
        Delivery.objects.filter(notification__recipient=user, channel=Delivery.Channel.PUSH, status=Delivery.Status.PENDING).exclude(
            notification__kind__in=kinds
        ).update(status=Delivery.Status.DROPPED)


def subscribe_push(user: User, endpoint: str, p256dh: str, auth: str, user_agent: str) -> PushSubscription:
    """Keep the browser subscription `user` gave (push.clean_subscription checked it); the same browser again
    updates its keys rather than adding a second one."""
    subscription, _created = PushSubscription.objects.update_or_create(
        account=user, endpoint=endpoint, defaults={"p256dh": p256dh, "auth": auth, "user_agent": user_agent, "failures": 0}
    )
    return subscription


def unsubscribe_push(subscription: PushSubscription) -> None:
    """Forget a browser; when it was the account's last one, the push already queued for it is dropped."""
    with transaction.atomic():
        subscription.delete()
        if not PushSubscription.objects.filter(account_id=subscription.account_id).exists():
            Delivery.objects.filter(
                notification__recipient_id=subscription.account_id, channel=Delivery.Channel.PUSH, status=Delivery.Status.PENDING
            ).update(status=Delivery.Status.DROPPED)


def _default_fields(kind: str) -> dict[str, bool]:
    return Preference.fields_of(EmailMode.NOW if kind in EMAIL_BY_DEFAULT else EmailMode.NEVER)


def unsubscribe(account: User, kind: str) -> None:
    """Stop e-mails of `kind` to `account` (the bell keeps showing them), or with DIGEST the daily digest: every
    kind the account gets in it. Deliveries already queued for what stops are dropped."""
    with transaction.atomic():
        if kind == DIGEST:
            kinds = list(Preference.objects.filter(account=account, email=True, digest=True).values_list("kind", flat=True))
            queued = Delivery.objects.filter(channel=Delivery.Channel.DIGEST)
        else:
            kinds, queued = [Kind(kind)], Delivery.objects.filter(notification__kind=kind)
        for each in kinds:
            Preference.objects.update_or_create(account=account, kind=each, defaults=Preference.fields_of(EmailMode.NEVER))
        queued.filter(notification__recipient=account, status=Delivery.Status.PENDING).update(status=Delivery.Status.DROPPED)


def set_quiet_hours(user: User, starts: time, ends: time) -> None:
    """Store when `user` wants no e-mail, SMS nor push (equal times: never quiet). Pending deliveries keep their time."""
    QuietHours.objects.update_or_create(account=user, defaults={"starts": starts, "ends": ends})


def mark_unreachable(account: User, channel: str, address: str, reason: str = "") -> None:
    """Record that `account`'s `address` (e-mail) or number (SMS) does not receive, for the reason `reason` (a code,
    never the server's message): nothing more is sent to it on that `channel` and the person sees it in the
    interface, until her address or number is another one or she confirms it (`confirm_address`)."""
    channel = UnreachableAddress.Channel(channel)
    address = address.lower() if channel == UnreachableAddress.Channel.EMAIL else address
    UnreachableAddress.objects.update_or_create(
        account=account, channel=channel, defaults={"address": address, "since": timezone.now(), "reason": reason[:200]}
    )
    log.info("Notification %s address of account %s marked as not receiving: %s", channel, account.pk, reason)
    forget_unreachable(account.pk)


def confirm_address(user: User, channel: str) -> bool:
    """`user` says her address (or number) on `channel` is right after all: messages go to it again. Returns
    whether it had been marked."""
    deleted, _rows = UnreachableAddress.objects.filter(account=user, channel=UnreachableAddress.Channel(channel)).delete()
    forget_unreachable(user.pk)
    return bool(deleted)


def record_bounce(*, email: str = "", number: str = "", reason: str = "") -> int:
    """A provider's notice that `email` or `number` (E.164) bounced for good: mark it for each active account
    whose own it is; returns how many. An address no active account has (erased or disabled meanwhile, or
    changed) is dropped and logged, without the address."""
    Account = get_user_model()
    if email:
        channel = UnreachableAddress.Channel.EMAIL
        accounts = list(Account.objects.filter(email__iexact=email, is_active=True))
        address = email
    else:
        channel = UnreachableAddress.Channel.SMS
        owners = SmsNumber.objects.filter(number=number, account__is_active=True).values_list("account_id", flat=True)
        accounts = list(Account.objects.filter(pk__in=owners))
        address = number
    if not accounts:
        log.info("Bounce notice (%s) dropped: no active account has that address", channel)
        return 0
    with transaction.atomic():
        for account in accounts:
            mark_unreachable(account, channel, account.email if email else address, reason)
    return len(accounts)
