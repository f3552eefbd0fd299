"""initiatives' daily reminders (registered with notifications.reminders in InitiativesConfig.ready())."""

from datetime import timedelta

from trama.notifications.models import Kind
from trama.notifications.reminders import Reminder
from trama.people.queries import staff_of_city

from .queries import agreements_ending_between, milestones_due_between
from .rules import AGREEMENTS, INITIATIVES

NOTICE_DAYS = 30
# How many days before a milestone's date its partners hear of it.
MILESTONE_NOTICE_DAYS = 7


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


def milestones_due(today):
    """A milestone not reached, due within MILESTONE_NOTICE_DAYS: the members of the initiative's partner
    organisations hear once per date, each only while INITIATIVES lets them see the initiative."""
    for milestone in milestones_due_between(today, today + timedelta(days=MILESTONE_NOTICE_DAYS)):
        initiative = milestone.initiative
        members = {user.pk: user for partner in initiative.partners.all() for user in partner.organisation.members.all() if user.is_active}
        recipients = tuple(user for user in members.values() if INITIATIVES.allows(user, initiative))
        if recipients:
            yield Reminder(Kind.MILESTONE_DUE, recipients, initiative.get_absolute_url(), f"milestone_due:{milestone.pk}:{milestone.due_date}")
