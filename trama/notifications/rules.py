"""Who may see which notifications: each account its own, whatever its role."""

import rules
from django.db.models import Q

from trama.access import Scope


def _own(user):
    return Q(recipient=user)


NOTIFICATIONS = Scope(
    "notifications.Notification", name="notifications",
    coordinator=_own, worker=_own, partner=_own, antenna=_own, citizen=_own,
)
NOTIFICATIONS.grant("notifications.view_notification")
rules.add_perm("notifications.list_notifications", rules.is_authenticated)
