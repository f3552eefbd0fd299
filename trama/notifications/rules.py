"""Who may see which notifications: each account its own, whatever its role."""

import rules
from django.db.models import Q

from trama.access import Scope, in_city, is_coordinator


def _own(user):
    return Q(recipient=user)


NOTIFICATIONS = Scope(
    "notifications.Notification",
    name="notifications",
    coordinator=_own,
    worker=_own,
    partner=_own,
    antenna=_own,
    citizen=_own,
)
NOTIFICATIONS.grant("notifications.view_notification")
rules.add_perm("notifications.list_notifications", rules.is_authenticated)

# The delivery log: coordinators see how sending went for the accounts of their city (kind, channel, state,
# attempts, error class, times, the account's name), never what a notification said nor where it leads.
DELIVERIES = Scope("notifications.Delivery", name="deliveries", coordinator=lambda user: in_city(user, "notification__recipient__city"))
rules.add_perm("notifications.view_delivery_log", is_coordinator)
