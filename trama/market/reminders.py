"""market's daily reminders (registered with notifications.reminders in MarketConfig.ready())."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from trama.notifications.models import Kind
from trama.notifications.reminders import Reminder

from .queries import accepted_not_started, follow_ups_on, offers_ending_between
from .rules import MATCHES, owners_of

# How many days before an offer's availability ends its owners hear that it is about to.
OFFER_NOTICE_DAYS = 7
# How far back an ended offer is still news (a reminder task that did not run for a few days catches up).
OFFER_ENDED_DAYS = 7


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


def follow_ups_due(today):
    """A match's follow-up tomorrow or today: the worker who proposed it (and follows it) hears the day before
    and on the day, each once, while MATCHES still lets them see it."""
    for match in follow_ups_on([today, today + timedelta(days=1)]):
        worker = match.proposed_by
        if worker is None or not worker.is_active or not MATCHES.allows(worker, match):
            continue
        when = "day" if match.follow_up_on == today else "before"
        key = f"follow_up_due:{match.pk}:{match.follow_up_on}:{when}"
        yield Reminder(Kind.FOLLOW_UP_DUE, (worker,), match.get_absolute_url(), key)


def offers_expiring(today):
    """An open or paused offer whose availability ends within OFFER_NOTICE_DAYS, or ended in the last
    OFFER_ENDED_DAYS: its owners (rules.owners_of) hear once that it is about to end and once that it has,
    per end date (moving the date is news again)."""
    first, last = today - timedelta(days=OFFER_ENDED_DAYS), today + timedelta(days=OFFER_NOTICE_DAYS)
    for offer in offers_ending_between(first, last):
        owners = tuple(owners_of(offer))
        if not owners:
            continue
        kind = Kind.OFFER_EXPIRED if offer.available_until < today else Kind.OFFER_EXPIRING
        yield Reminder(kind, owners, offer.get_absolute_url(), f"{kind}:{offer.pk}:{offer.available_until}")
