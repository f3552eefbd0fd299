"""market's daily reminders (registered with notifications.reminders in MarketConfig.ready())."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from trama.notifications.models import Kind
from trama.notifications.reminders import Reminder

from .queries import accepted_not_started
from .rules import MATCHES


def matches_not_started(today):
    """A match accepted TRAMA_MATCH_START_REMINDER_DAYS days ago or more and not started: the worker who
    proposed it (and follows it) hears once, while MATCHES still lets them see it."""
    days = settings.TRAMA_MATCH_START_REMINDER_DAYS
    start_of_day = datetime.combine(today - timedelta(days=days - 1), time.min, tzinfo=timezone.get_default_timezone())
    for match in accepted_not_started(start_of_day):
        worker = match.proposed_by
        if worker is None or not worker.is_active or not MATCHES.allows(worker, match):
            continue
        due_on = timezone.localdate(match.updated_at) + timedelta(days=days)
        yield Reminder(Kind.MATCH_NOT_STARTED, (worker,), match.get_absolute_url(), f"match_not_started:{match.pk}:{due_on}")
