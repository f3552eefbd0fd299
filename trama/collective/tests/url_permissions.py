"""Who may open each collective URL (walked by tests/test_permissions.py)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from trama.collective import services
from trama.collective.models import Meeting, Suggestion
from trama.people.models import Role
from trama.testing import ANY_METHOD, COORDINATOR_ONLY, PUBLIC, STAFF, everyone, only, url

WORKER_ONLY = only(Role.WORKER)
MEMBERS = only(Role.COORDINATOR, Role.WORKER, Role.CITIZEN)
NOBODY = everyone("denied")


EXPECTED = {
    "collective:groups": (url("collective:groups"), ANY_METHOD(only(Role.COORDINATOR, Role.WORKER, Role.CITIZEN))),
    "collective:group_create": (url("collective:group_create"), ANY_METHOD(STAFF)),
    "collective:group": (url("collective:group", "group"), ANY_METHOD(only(Role.COORDINATOR, Role.WORKER, Role.CITIZEN))),
    "collective:group#elsewhere": (url("collective:group", "group_elsewhere"), ANY_METHOD(COORDINATOR_ONLY)),
    "collective:group_edit": (url("collective:group_edit", "group"), ANY_METHOD(STAFF)),
    "collective:group_edit#elsewhere": (url("collective:group_edit", "group_elsewhere"), ANY_METHOD(COORDINATOR_ONLY)),
    "collective:group_status": (url("collective:group_status", "group", "?azione=close"), ANY_METHOD(STAFF)),
    "collective:member_add": (url("collective:member_add", "group"), ANY_METHOD(STAFF)),
    "collective:member_remove": (lambda o: reverse("collective:member_remove", args=[o["group"].pk, o["member"].pk]), ANY_METHOD(STAFF)),
    "collective:suggestions": (url("collective:suggestions"), ANY_METHOD(STAFF)),
    "collective:suggestions_refresh": (url("collective:suggestions_refresh"), {"POST": STAFF}),
    "collective:suggestion": (url("collective:suggestion", "suggestion"), ANY_METHOD(STAFF)),
    "collective:suggestion#elsewhere": (url("collective:suggestion", "suggestion_elsewhere"), ANY_METHOD(COORDINATOR_ONLY)),
    "collective:suggestion_dismiss": (url("collective:suggestion_dismiss", "suggestion"), ANY_METHOD(only(Role.WORKER))),
    "collective:suggestion_convene": (url("collective:suggestion_convene", "suggestion"), ANY_METHOD(only(Role.WORKER))),
    "collective:suggestion_convene#elsewhere": (url("collective:suggestion_convene", "suggestion_elsewhere"), ANY_METHOD(everyone("denied"))),
    "collective:meeting_create": (url("collective:meeting_create"), ANY_METHOD(STAFF)),
    "collective:meeting_create#for-a-group": (url("collective:meeting_create", query="?gruppo=0"), ANY_METHOD(everyone("denied"))),
    "collective:meeting": (url("collective:meeting", "meeting"), ANY_METHOD(STAFF)),
    "collective:meeting#elsewhere": (url("collective:meeting", "meeting_elsewhere"), ANY_METHOD(COORDINATOR_ONLY)),
    "collective:meeting_edit": (url("collective:meeting_edit", "meeting"), ANY_METHOD(STAFF)),
    "collective:meeting_record": (url("collective:meeting_record", "meeting"), ANY_METHOD(STAFF)),
    "collective:decision_add": (url("collective:decision_add", "meeting"), {"POST": STAFF}),
    "collective:decision_done": (url("collective:decision_done", "decision"), {"POST": STAFF}),
    "collective:decision_market": (url("collective:decision_market", "decision"), ANY_METHOD(STAFF)),
    "collective:calendar": (url("collective:calendar"), ANY_METHOD(STAFF)),
    "collective:public_calendar": (url("collective:public_calendar"), ANY_METHOD(PUBLIC)),
    "collective:public_meeting": (url("collective:public_meeting", "public_meeting"), ANY_METHOD(PUBLIC)),
    "collective:public_meeting#not-public": (url("collective:public_meeting", "meeting"), ANY_METHOD(everyone(404))),
    "collective:public_ical": (url("collective:public_ical"), ANY_METHOD(PUBLIC)),
    "api-collective-groups": (url("api-collective-groups"), {"GET": only(Role.COORDINATOR, Role.WORKER, Role.CITIZEN)}),
    "api-collective-group": (url("api-collective-group", "group"), {"GET": only(Role.COORDINATOR, Role.WORKER, Role.CITIZEN)}),
    "api-collective-group#elsewhere": (url("api-collective-group", "group_elsewhere"), {"GET": COORDINATOR_ONLY}),
    "api-collective-meetings": (url("api-collective-meetings"), {"GET": PUBLIC}),
    "api-collective-meeting": (url("api-collective-meeting", "public_meeting"), {"GET": PUBLIC}),
    "api-collective-meeting#not-public": (url("api-collective-meeting", "meeting"), {"GET": only(Role.COORDINATOR, Role.WORKER, Role.CITIZEN)}),
    "api-collective-suggestions": (url("api-collective-suggestions"), {"GET": STAFF}),
    "collective:group#of-others": (url("collective:group", "other_group"), ANY_METHOD(STAFF)),
    "api-collective-group#of-others": (url("api-collective-group", "other_group"), STAFF),
    "collective:group#other-city": (url("collective:group", "group_far"), ANY_METHOD(everyone("denied"))),
}


def make_objects(o):
    users = o["users"]
    hood, elsewhere, far = o["neighbourhood"], o["other_neighbourhood"], o["far_neighbourhood"]
    worker, coordinator = users[Role.WORKER], users[Role.COORDINATOR]
    city = hood.city
    group = lambda where, name, by=coordinator: services.create_group(  # noqa: E731
        city=where.city, neighbourhood=where, name=name, purpose=name, by=by
    )
    o["group"] = group(hood, "Spesa insieme")
    services.add_member(o["group"], o["person"], by=worker, consent=True)
    o["member"] = o["person"]
    # A group of the worker's neighbourhood the citizen is not a member of.
    o["other_group"] = group(hood, "Cena del giovedì")
    services.add_member(o["other_group"], o["other_person"], by=worker, consent=True)
    o["group_elsewhere"] = group(elsewhere, "Altrove")
    services.add_member(o["group_elsewhere"], o["person_elsewhere"], by=coordinator, consent=True)
    o["group_far"] = group(far, "Lontano", by=o["far_coordinator"])
    o["suggestion"] = Suggestion.objects.create(city=city, neighbourhood=hood, signature="a" * 64, size=5, purpose="La spesa")
    o["suggestion_elsewhere"] = Suggestion.objects.create(city=city, neighbourhood=elsewhere, signature="b" * 64, size=5, purpose="Altro")
    o["suggestion_far"] = Suggestion.objects.create(city=far.city, neighbourhood=far, signature="c" * 64, size=5, purpose="Lontano")
    soon = timezone.now() + timedelta(days=3)
    meeting = lambda g, title, by=worker: services.save_meeting(Meeting(group=g, title=title, starts_at=soon), by=by)  # noqa: E731
    o["meeting"] = meeting(o["group"], "Primo incontro")
    o["other_meeting"] = meeting(o["other_group"], "Incontro del giovedì")
    o["meeting_elsewhere"] = meeting(o["group_elsewhere"], "Altro incontro", by=coordinator)
    o["meeting_far"] = meeting(o["group_far"], "Incontro lontano", by=o["far_coordinator"])
    o["public_meeting"] = services.save_meeting(
        Meeting(
            city=city,
            neighbourhood=hood,
            kind=Meeting.Kind.TABLE,
            title="Tavolo di quartiere",
            starts_at=soon,
            is_public=True,
            place=o["place"],
        ),
        by=worker,
    )
    o["decision"] = services.add_decision(o["meeting"], by=worker, text="Chiedere la sala", owner=worker)
    o["decision_elsewhere"] = services.add_decision(o["meeting_elsewhere"], by=coordinator, text="Chiedere il cortile")
