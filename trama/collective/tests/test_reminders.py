"""A group meeting tomorrow: its members with an account and its facilitator are reminded, once; nobody else."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from trama.collective.models import Group, Meeting, Membership
from trama.notifications.models import Kind, Notification
from trama.notifications.tasks import send_reminders
from trama.people.models import Role

pytestmark = pytest.mark.django_db

TODAY = date(2026, 5, 20)
ROME = ZoneInfo("Europe/Rome")


@pytest.fixture
def group(city, neighbourhood, users, make_person):
    group = Group.objects.create(city=city, neighbourhood=neighbourhood, name="Camminate", purpose="Camminare", facilitator=users[Role.WORKER])
    Membership.objects.create(group=group, person=make_person(account=users[Role.CITIZEN]))
    Membership.objects.create(group=group, person=make_person(name="Senza account"))
    left = Membership.objects.create(group=group, person=make_person(name="Uscita", account=users[Role.ANTENNA]))
    Membership.objects.filter(pk=left.pk).update(left_at=datetime(2026, 1, 1, tzinfo=ROME))
    return group


def _meeting(group, when, **kwargs):
    return Meeting.objects.create(city=group.city, neighbourhood=group.neighbourhood, group=group, title="Giro al parco", starts_at=when, **kwargs)


def reminded():
    return {(r, url) for r, url in Notification.objects.filter(kind=Kind.MEETING_TOMORROW).values_list("recipient", "url")}


@pytest.mark.parametrize("hour", [0, 9, 23])
def test_members_and_facilitator_hear_of_tomorrows_meeting_once(group, users, hour):
    meeting = _meeting(group, datetime(2026, 5, 21, hour, 30 if hour == 23 else 0, tzinfo=ROME))
    assert send_reminders.call(TODAY.isoformat()) == 2
    assert send_reminders.call(TODAY.isoformat()) == 0
    # Staff to the meeting's page, a member to the group's (the meeting's page is for staff).
    assert reminded() == {(users[Role.WORKER].pk, f"/gruppi/incontri/{meeting.pk}/"), (users[Role.CITIZEN].pk, f"/gruppi/{group.pk}/")}


@pytest.mark.parametrize("when", [datetime(2026, 5, 20, 23, 59, tzinfo=ROME), datetime(2026, 5, 22, 0, 0, tzinfo=ROME)])
def test_a_meeting_not_tomorrow_is_not_reminded(group, when):
    _meeting(group, when)
    assert send_reminders.call(TODAY.isoformat()) == 0


def test_a_table_without_participants_and_other_groups_remind_nobody_else(group, users, city, neighbourhood, make_person, make_user):
    Meeting.objects.create(
        city=city, neighbourhood=neighbourhood, kind=Meeting.Kind.TABLE, title="Tavolo", starts_at=datetime(2026, 5, 21, 18, 0, tzinfo=ROME)
    )
    other = Group.objects.create(city=city, neighbourhood=neighbourhood, name="Altro", purpose="Altro")
    stranger = make_user(Role.CITIZEN)
    Membership.objects.create(group=other, person=make_person(name="Altra", account=stranger))
    _meeting(group, datetime(2026, 5, 21, 18, 0, tzinfo=ROME))
    send_reminders.call(TODAY.isoformat())
    told = set(Notification.objects.values_list("recipient", flat=True))
    assert told == {users[Role.WORKER].pk, users[Role.CITIZEN].pk}
