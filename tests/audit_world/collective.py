"""Who may open each collective URL (walked by tests/test_permissions.py)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from trama.collective import services
from trama.collective.models import Meeting, Suggestion
from trama.people.models import Role
from trama.testing import COORDINATOR_ONLY, PUBLIC, STAFF, everyone, only

WORKER_ONLY = only(Role.WORKER)
MEMBERS = only(Role.COORDINATOR, Role.WORKER, Role.CITIZEN)
NOBODY = everyone("denied")


def url(name, key=None, query=""):
    return lambda o: reverse(name, args=[o[key].pk] if key else []) + query


EXPECTED = {
    "collective:groups": (url("collective:groups"), MEMBERS),
    "collective:group_create": (url("collective:group_create"), STAFF),
    # The citizen is a member of this group.
    "collective:group": (url("collective:group", "group"), MEMBERS),
    "collective:group#elsewhere": (url("collective:group", "group_elsewhere"), COORDINATOR_ONLY),
    "collective:group_edit": (url("collective:group_edit", "group"), STAFF),
    "collective:group_edit#elsewhere": (url("collective:group_edit", "group_elsewhere"), COORDINATOR_ONLY),
    "collective:group_status": (url("collective:group_status", "group", "?azione=close"), STAFF),
    "collective:member_add": (url("collective:member_add", "group"), STAFF),
    "collective:member_remove": (lambda o: reverse("collective:member_remove", args=[o["group"].pk, o["member"].pk]), STAFF),
    "collective:suggestions": (url("collective:suggestions"), STAFF),
    "collective:suggestions_refresh": (url("collective:suggestions_refresh"), everyone(405)),
    "collective:suggestion": (url("collective:suggestion", "suggestion"), STAFF),
    "collective:suggestion#elsewhere": (url("collective:suggestion", "suggestion_elsewhere"), COORDINATOR_ONLY),
    "collective:suggestion_dismiss": (url("collective:suggestion_dismiss", "suggestion"), WORKER_ONLY),
    "collective:suggestion_convene": (url("collective:suggestion_convene", "suggestion"), WORKER_ONLY),
    "collective:suggestion_convene#elsewhere": (url("collective:suggestion_convene", "suggestion_elsewhere"), NOBODY),
    "collective:meeting_create": (url("collective:meeting_create"), STAFF),
    "collective:meeting_create#for-a-group": (
        url("collective:meeting_create", query="?gruppo=0"),
        {**STAFF, Role.COORDINATOR: 404, Role.WORKER: 404},
    ),
    "collective:meeting": (url("collective:meeting", "meeting"), STAFF),
    "collective:meeting#elsewhere": (url("collective:meeting", "meeting_elsewhere"), COORDINATOR_ONLY),
    "collective:meeting_edit": (url("collective:meeting_edit", "meeting"), STAFF),
    "collective:meeting_record": (url("collective:meeting_record", "meeting"), STAFF),
    "collective:decision_add": (url("collective:decision_add", "meeting"), everyone(405)),
    "collective:decision_done": (url("collective:decision_done", "decision"), everyone(405)),
    "collective:decision_market": (url("collective:decision_market", "decision"), STAFF),
    "collective:calendar": (url("collective:calendar"), STAFF),
    "collective:public_calendar": (url("collective:public_calendar"), PUBLIC),
    "collective:public_meeting": (url("collective:public_meeting", "public_meeting"), PUBLIC),
    "collective:public_meeting#not-public": (url("collective:public_meeting", "meeting"), everyone(404)),
    "collective:public_ical": (url("collective:public_ical"), PUBLIC),
    # API
    "api-collective-groups": (url("api-collective-groups"), MEMBERS),
    "api-collective-group": (url("api-collective-group", "group"), MEMBERS),
    "api-collective-group#elsewhere": (url("api-collective-group", "group_elsewhere"), {**COORDINATOR_ONLY, Role.WORKER: 404, Role.CITIZEN: 404}),
    "api-collective-meetings": (url("api-collective-meetings"), PUBLIC),
    "api-collective-meeting": (url("api-collective-meeting", "public_meeting"), PUBLIC),
    # A group's own meeting: staff in scope and the group's members.
    "api-collective-meeting#not-public": (url("api-collective-meeting", "meeting"), MEMBERS),
    "api-collective-suggestions": (url("api-collective-suggestions"), STAFF),
}


def make_objects(request, objects):
    users = request.getfixturevalue("users")
    neighbourhood = request.getfixturevalue("neighbourhood")
    elsewhere = request.getfixturevalue("other_neighbourhood")
    worker, citizen = users[Role.WORKER], users[Role.CITIZEN]
    city = neighbourhood.city
    objects["group"] = services.create_group(city=city, neighbourhood=neighbourhood, name="Spesa insieme", purpose="La spesa", by=worker)
    objects["group_elsewhere"] = services.create_group(
        city=city, neighbourhood=elsewhere, name="Altrove", purpose="Altro", by=users[Role.COORDINATOR]
    )
    member = objects["person"]
    member.account = citizen
    member.save(update_fields=["account"])
    services.add_member(objects["group"], member, by=worker, consent=True)
    objects["member"] = member
    objects["suggestion"] = Suggestion.objects.create(city=city, neighbourhood=neighbourhood, signature="a" * 64, size=5, purpose="La spesa")
    objects["suggestion_elsewhere"] = Suggestion.objects.create(city=city, neighbourhood=elsewhere, signature="b" * 64, size=5, purpose="Altro")
    soon = timezone.now() + timedelta(days=3)
    objects["meeting"] = services.save_meeting(Meeting(group=objects["group"], title="Primo incontro", starts_at=soon), by=worker)
    objects["meeting_elsewhere"] = services.save_meeting(
        Meeting(group=objects["group_elsewhere"], title="Altro incontro", starts_at=soon), by=users[Role.COORDINATOR]
    )
    objects["public_meeting"] = services.save_meeting(
        Meeting(
            city=city,
            neighbourhood=neighbourhood,
            kind=Meeting.Kind.TABLE,
            title="Tavolo di quartiere",
            starts_at=soon,
            is_public=True,
            place=objects["place"],
        ),
        by=worker,
    )
    objects["decision"] = services.add_decision(objects["meeting"], by=worker, text="Chiedere la sala", owner=worker)
