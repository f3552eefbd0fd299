"""collective's daily reminders (registered with notifications.reminders in CollectiveConfig.ready())."""

from datetime import timedelta

from django.urls import reverse

from trama.notifications.models import Kind
from trama.notifications.reminders import Reminder

from .queries import meetings_on, participants_of
from .rules import GROUPS, MEETINGS


def meetings_tomorrow(today):
    """A group meeting tomorrow: each participant with an account hears once, pointed at what they may open
    (staff in scope: the meeting; a member: the group's page, which lists its meetings)."""
    tomorrow = today + timedelta(days=1)
    for meeting in meetings_on(tomorrow):
        staff, members = [], []
        for user in participants_of(meeting):
            if MEETINGS.allows(user, meeting):
                staff.append(user)
            elif GROUPS.allows(user, meeting.group):
                members.append(user)
        key = f"meeting_tomorrow:{meeting.pk}:{tomorrow}"
        if staff:
            yield Reminder(Kind.MEETING_TOMORROW, tuple(staff), reverse("collective:meeting", args=[meeting.pk]), key)
        if members:
            yield Reminder(Kind.MEETING_TOMORROW, tuple(members), reverse("collective:group", args=[meeting.group_id]), key)
