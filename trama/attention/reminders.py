"""attention's daily reminders (registered with notifications.reminders in AttentionConfig.ready())."""

from datetime import timedelta

from django.urls import reverse

from trama.notifications.models import Kind
from trama.notifications.reminders import Reminder

from .queries import enrolled_accounts, sessions_on


def training_tomorrow(today):
    """An in-person training session tomorrow: each antenna who enrolled hears once, pointed at the module's page
    (which says where and when)."""
    tomorrow = today + timedelta(days=1)
    for session in sessions_on(tomorrow):
        accounts = tuple(enrolled_accounts(session))
        if accounts:
            url = reverse("attention:module", args=[session.module_id])
            yield Reminder(Kind.TRAINING_TOMORROW, accounts, url, f"training_tomorrow:{session.pk}:{tomorrow}")
