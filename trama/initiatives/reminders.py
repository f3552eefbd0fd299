"""initiatives' daily reminders (registered with notifications.reminders in InitiativesConfig.ready())."""

from datetime import timedelta

from trama.notifications.models import Kind
from trama.notifications.reminders import Reminder
from trama.people.queries import staff_of_city

from .queries import agreements_ending_between
from .rules import AGREEMENTS

NOTICE_DAYS = 30


def agreements_expiring(today):
    """An agreement in force ending within NOTICE_DAYS: the coordinators of its city and the workers of its
    neighbourhoods (those AGREEMENTS lets see it) hear once per end date (a renewal moving it is news again)."""
    staff = {}
    for agreement in agreements_ending_between(today, today + timedelta(days=NOTICE_DAYS)):
        if agreement.city_id not in staff:
            staff[agreement.city_id] = list(staff_of_city(agreement.city_id))
        recipients = tuple(user for user in staff[agreement.city_id] if AGREEMENTS.allows(user, agreement))
        if recipients:
            yield Reminder(
                Kind.AGREEMENT_EXPIRING, recipients, agreement.get_absolute_url(), f"agreement_expiring:{agreement.pk}:{agreement.ends_on}"
            )
