"""Reads of the notifications app, for its pages, its bell and its task."""

from django.conf import settings
from django.core.cache import cache

from .models import EMAIL_BY_DEFAULT, Kind, Notification, Preference


def _count_key(user_id):
    return f"notifications:unread:{user_id}"


def unread_count(user):
    """How many notifications `user` has not read, kept in the cache per account.

    The layout shows it on every page, which must not cost a query each (trama/tests/test_fixed_cost.py):
    it is counted at most once per TRAMA_NOTIFICATION_COUNT_SECONDS and forgotten at once, in the process
    that notifies or marks as read (`forget_unread_count`); the others show a change within that delay.
    """
    key = _count_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        cache.set(key, count, settings.TRAMA_NOTIFICATION_COUNT_SECONDS)
    return count


def forget_unread_count(user_ids):
    cache.delete_many([_count_key(pk) for pk in user_ids])


def notifications_of(user):
    """`user`'s notifications, newest first: an account sees only its own."""
    return Notification.objects.filter(recipient=user)


def email_wanted(user):
    """{kind: whether `user` wants it by e-mail}, their choices over the defaults."""
    wanted = {kind: kind in EMAIL_BY_DEFAULT for kind in Kind}
    wanted.update(dict(Preference.objects.filter(account=user).values_list("kind", "email")))
    return wanted
