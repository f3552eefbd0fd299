"""Who may open each practices URL with GET, over the audit world's fixtures (tests/test_audit_reads.py)."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from trama.collective import services as collective_services
from trama.collective.models import Meeting
from trama.people.models import Role
from trama.practices import services
from trama.practices.models import Body, Mandate, Practice
from trama.testing import COORDINATOR_ONLY, PUBLIC, STAFF, everyone, only

WRITERS = only(Role.COORDINATOR, Role.WORKER, Role.PARTNER)


def _url(name, key=None):
    return lambda o: reverse(name, args=[o[key].pk] if key else [])


EXPECTED = {
    "practices:list": (_url("practices:list"), WRITERS),
    "practices:create": (_url("practices:create"), WRITERS),
    "practices:detail": (_url("practices:detail", "practice"), STAFF),
    "practices:edit": (_url("practices:edit", "practice"), STAFF),
    "practices:move": (_url("practices:move", "practice"), everyone(405)),
    "practices:similar_to_need": (_url("practices:similar_to_need", "need"), STAFF),
    "practices:public_list": (_url("practices:public_list"), PUBLIC),
    "practices:public_detail": (_url("practices:public_detail", "published_practice"), PUBLIC),
    "practices:bodies": (_url("practices:bodies"), WRITERS),
    "practices:body_create": (_url("practices:body_create"), COORDINATOR_ONLY),
    "practices:body": (_url("practices:body", "steering_group"), WRITERS),
    "practices:mandate_add": (_url("practices:mandate_add", "steering_group"), COORDINATOR_ONLY),
    "practices:mandate_end": (_url("practices:mandate_end", "steering_mandate"), everyone(405)),
    "practices:body_meeting": (_url("practices:body_meeting", "steering_group"), COORDINATOR_ONLY),
    "practices:decisions": (_url("practices:decisions"), WRITERS),
    "practices:decision_link": (_url("practices:decision_link", "steering_decision"), COORDINATOR_ONLY),
    "practices:public_decisions": (_url("practices:public_decisions"), PUBLIC),
}


def make_objects(request, objects):
    users = request.getfixturevalue("users")
    neighbourhood = request.getfixturevalue("neighbourhood")
    city, coordinator, worker = neighbourhood.city, users[Role.COORDINATOR], users[Role.WORKER]

    def practice(title, status):
        made = Practice.objects.create(city=city, title=title, what_we_did="Merenda in cortile.", status=status, written_by=worker)
        made.neighbourhoods.set([neighbourhood])
        return made

    objects["practice"] = practice("Merenda in cortile", Practice.Status.DRAFT)
    objects["published_practice"] = practice("Compiti insieme", Practice.Status.PUBLISHED)
    body = objects["steering_group"] = services.create_body(Body(city=city, kind=Body.Kind.STEERING, name="Cabina di regia"), by=coordinator)
    objects["steering_mandate"] = services.add_mandate(
        Mandate(body=body, represents_municipality=True, role="presidenza", member_name="Assessora", starts_on=date(2026, 1, 1)), by=coordinator
    )
    meeting = services.hold_meeting(
        body, Meeting(title="Cabina", starts_at=timezone.now() + timedelta(days=1), neighbourhood=neighbourhood), by=coordinator
    )
    objects["steering_decision"] = collective_services.add_decision(meeting, by=coordinator, text="Aprire le merende a tutti i quartieri")
