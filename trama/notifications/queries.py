"""Reads of the notifications app, for its pages, its bell and its task."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet

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
from .rules import DELIVERIES

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from trama.access import User


def _count_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def unread_count(user: User, fresh: bool = False) -> int:
    """How many notifications `user` has not read, kept in the cache per account.

    The layout shows it on every page, which must not cost a query each (trama/tests/test_fixed_cost.py):
    it is counted at sign-in and then at most once per TRAMA_NOTIFICATION_COUNT_SECONDS (`fresh` counts
    again now). The process that notifies adds to it (`add_unread`) and the one that marks as read counts
    again, so a change shows there on the next page and in the other processes within that delay.
    """
    key = _count_key(user.pk)
    count = None if fresh else cache.get(key)
    if count is None:
        count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        cache.set(key, count, settings.TRAMA_NOTIFICATION_COUNT_SECONDS)
    return count


def add_unread(user_ids: Iterable[int]) -> None:
    """One more unread notification for each of `user_ids`, where their count is kept (else it is counted when shown)."""
    for pk in user_ids:
        try:
            cache.incr(_count_key(pk))
        except ValueError:  # not kept in this process
            pass


def _unreachable_key(user_id: int) -> str:
    return f"notifications:unreachable:{user_id}"


def unreachable_channels(user: User, fresh: bool = False) -> list[str]:
    """The channels ("email", "sms") on which `user`'s own address or number does not receive, kept in the cache
    per account like `unread_count` (the layout's bell shows them on every page)."""
    key = _unreachable_key(user.pk)
    channels = None if fresh else cache.get(key)
    if channels is None:
        channels = []
        for row in UnreachableAddress.objects.filter(account=user).order_by("channel"):
            if row.channel == UnreachableAddress.Channel.EMAIL:
                current = (user.email or "").lower()
            else:
                current = SmsNumber.objects.filter(account=user).values_list("number", flat=True).first() or ""
            # Refused for an address or number she has since changed: no longer hers to check.
            if row.address == current:
                channels.append(row.channel)
        cache.set(key, channels, settings.TRAMA_NOTIFICATION_COUNT_SECONDS)
    return channels


def forget_unreachable(user_id: int) -> None:
    """Count `unreachable_channels` of `user_id` again when next shown (in this process; the others within their delay)."""
    cache.delete(_unreachable_key(user_id))


def notifications_of(user: User) -> QuerySet[Notification]:
    """`user`'s notifications, newest first: an account sees only its own."""
    return Notification.objects.filter(recipient=user)


def email_wanted(user: User) -> dict[str, EmailMode]:
    """{kind: EmailMode} of `user`: their choices over the defaults."""
    wanted: dict[str, EmailMode] = {kind: EmailMode.NOW if kind in EMAIL_BY_DEFAULT else EmailMode.NEVER for kind in Kind}
    wanted.update({p.kind: p.mode for p in Preference.objects.filter(account=user)})
    return wanted


def sms_wanted(user: User) -> tuple[str, set[str]]:
    """`user`'s mobile number for SMS ("" if none) and the kinds they want by SMS."""
    number = SmsNumber.objects.filter(account=user).values_list("number", flat=True).first() or ""
    return number, set(Preference.objects.filter(account=user, sms=True).values_list("kind", flat=True))


def push_wanted(user: User) -> set[str]:
    """The kinds `user` wants as a push: their choices over the defaults (PUSH_BY_DEFAULT)."""
    wanted = {str(kind) for kind in PUSH_BY_DEFAULT}
    for kind, chosen in Preference.objects.filter(account=user, push__isnull=False).values_list("kind", "push"):
        if chosen:
            wanted.add(kind)
        else:
            wanted.discard(kind)
    return wanted


def push_subscriptions_of(user: User) -> QuerySet[PushSubscription]:
    """`user`'s own subscribed browsers, newest first: an account manages only its own."""
    return PushSubscription.objects.filter(account=user)


def quiet_hours_of(user: User) -> QuietHours:
    """`user`'s quiet hours: their choice, or the programme's default (unsaved)."""
    return QuietHours.objects.filter(account=user).first() or QuietHours.default()


def delivery_log(user: User, kind: str = "", channel: str = "", status: str = "") -> QuerySet[Delivery]:
    """The deliveries `user` may see in the log (rules.DELIVERIES), newest first, narrowed by the filters given;
    only what the log shows is read: kind, channel, state, attempts, error, times and the account's name."""
    rows = DELIVERIES.visible_to(user)
    for field, value in (("notification__kind", kind), ("channel", channel), ("status", status)):
        if value:
            rows = rows.filter(**{field: value})
    return (
        rows.select_related("notification__recipient")
        .only(
            "channel",
            "status",
            "attempts",
            "last_error",
            "next_attempt_at",
            "sent_at",
            "notification__kind",
            "notification__created_at",
            "notification__recipient__username",
        )
        .order_by("-notification__created_at", "-pk")
    )


def delivery_counts(user: User) -> dict[tuple[str, str], int]:
    """{(channel, status): how many} of the deliveries `user` may see: the log's summary, per channel."""
    from django.db.models import Count

    rows = DELIVERIES.visible_to(user).order_by().values_list("channel", "status").annotate(n=Count("pk"))
    return {(channel, status): n for channel, status, n in rows}


def delivery_summary(user: User) -> list[tuple[str, StrOrPromise, list[tuple[StrOrPromise, int]]]]:
    """The log's summary: per channel with any delivery, its value, its label and [(status label, how many)] in every status."""
    counts = delivery_counts(user)
    return [
        (channel, label, [(status_label, counts.get((channel, status), 0)) for status, status_label in Delivery.Status.choices])
        for channel, label in Delivery.Channel.choices
        if any(c == channel for c, _ in counts)
    ]
