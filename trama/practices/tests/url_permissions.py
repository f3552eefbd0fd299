"""Who may open each practices URL (walked by tests/test_permissions.py)."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from trama.collective import services as collective_services
from trama.collective.models import Meeting
from trama.people.models import Role
from trama.practices import services
from trama.practices.models import Body, Mandate, Practice
from trama.testing import ANY_METHOD, COORDINATOR_ONLY, PUBLIC, STAFF, everyone, only, url

C, W, P = Role.COORDINATOR, Role.WORKER, Role.PARTNER
WRITERS = only(C, W, P)
NOBODY = everyone("denied")
# Asked of a decision no body took: those who may hold a body's meetings are told it is not there.
NOT_A_BODYS = {**NOBODY, C: 404, W: 404}

EXPECTED = {
    "practices:list": (url("practices:list"), ANY_METHOD(WRITERS)),
    "practices:create": (url("practices:create"), ANY_METHOD(WRITERS)),
    # A draft of the worker's neighbourhood.
    "practices:detail": (url("practices:detail", "practice"), ANY_METHOD(STAFF)),
    "practices:detail#elsewhere": (url("practices:detail", "practice_elsewhere"), ANY_METHOD(COORDINATOR_ONLY)),
    # Approved elsewhere: shared with the city's workers and partners.
    "practices:detail#shared": (url("practices:detail", "practice_shared"), ANY_METHOD(WRITERS)),
    "practices:detail#of-the-partner": (url("practices:detail", "practice_of_partner"), ANY_METHOD(WRITERS)),
    "practices:detail#other-organisation": (url("practices:detail", "practice_other_organisation"), ANY_METHOD(COORDINATOR_ONLY)),
    "practices:detail#other-city": (url("practices:detail", "practice_far"), ANY_METHOD(NOBODY)),
    "practices:edit": (url("practices:edit", "practice"), ANY_METHOD(STAFF)),
    "practices:edit#elsewhere": (url("practices:edit", "practice_elsewhere"), ANY_METHOD(COORDINATOR_ONLY)),
    "practices:edit#shared": (url("practices:edit", "practice_shared"), ANY_METHOD(COORDINATOR_ONLY)),
    "practices:edit#of-the-partner": (url("practices:edit", "practice_of_partner"), ANY_METHOD(WRITERS)),
    "practices:edit#other-city": (url("practices:edit", "practice_far"), ANY_METHOD(NOBODY)),
    "practices:move": (url("practices:move", "practice"), {"POST": STAFF}),
    "practices:move#submit": (url("practices:move", "practice"), {"POST": STAFF}, {"POST": lambda o: {"azione": "submit"}}),
    "practices:move#publish": (url("practices:move", "practice"), {"POST": {**STAFF, W: "denied"}}, {"POST": lambda o: {"azione": "publish"}}),
    "practices:move#other-city": (url("practices:move", "practice_far"), {"POST": NOBODY}, {"POST": lambda o: {"azione": "unpublish"}}),
    "practices:similar_to_need": (lambda o: reverse("practices:similar_to_need", args=[o["need"].pk]), ANY_METHOD(STAFF)),
    "practices:similar_to_need#elsewhere": (
        lambda o: reverse("practices:similar_to_need", args=[o["need_elsewhere"].pk]),
        ANY_METHOD(COORDINATOR_ONLY),
    ),
    "practices:public_list": (url("practices:public_list"), ANY_METHOD(PUBLIC)),
    "practices:public_detail": (url("practices:public_detail", "practice_published"), ANY_METHOD(PUBLIC)),
    "practices:public_detail#not-published": (url("practices:public_detail", "practice_shared"), ANY_METHOD(everyone(404))),
    "practices:public_detail#other-city": (url("practices:public_detail", "practice_far"), ANY_METHOD(everyone(404))),
    "practices:bodies": (url("practices:bodies"), ANY_METHOD(WRITERS)),
    "practices:body_create": (url("practices:body_create"), ANY_METHOD(COORDINATOR_ONLY)),
    "practices:body": (url("practices:body", "steering_group"), ANY_METHOD(WRITERS)),
    "practices:body#table": (url("practices:body", "table"), ANY_METHOD(WRITERS)),
    "practices:body#other-city": (url("practices:body", "steering_group_far"), ANY_METHOD(NOBODY)),
    "practices:mandate_add": (url("practices:mandate_add", "steering_group"), ANY_METHOD(COORDINATOR_ONLY)),
    "practices:mandate_add#other-city": (url("practices:mandate_add", "steering_group_far"), ANY_METHOD(NOBODY)),
    "practices:mandate_end": (url("practices:mandate_end", "mandate"), {"POST": COORDINATOR_ONLY}),
    "practices:body_meeting": (url("practices:body_meeting", "table"), ANY_METHOD(STAFF)),
    "practices:body_meeting#elsewhere": (url("practices:body_meeting", "table_elsewhere"), ANY_METHOD(COORDINATOR_ONLY)),
    "practices:body_meeting#steering": (url("practices:body_meeting", "steering_group"), ANY_METHOD(COORDINATOR_ONLY)),
    "practices:decisions": (url("practices:decisions"), ANY_METHOD(WRITERS)),
    "practices:decision_link": (url("practices:decision_link", "steering_decision"), ANY_METHOD(COORDINATOR_ONLY)),
    "practices:decision_link#table": (url("practices:decision_link", "table_decision"), ANY_METHOD(STAFF)),
    "practices:decision_link#not-a-bodys": (url("practices:decision_link", "decision"), ANY_METHOD(NOT_A_BODYS)),
    "practices:public_decisions": (url("practices:public_decisions"), ANY_METHOD(PUBLIC)),
}


def practice(o, where, title, status=Practice.Status.DRAFT, organisation=None, by=None):
    """A sheet written straight into its state (the walk reads states; the services' moves have their own tests)."""
    neighbourhood = o[where]
    made = Practice.objects.create(
        city=neighbourhood.city,
        title=title,
        what_we_did="Una merenda in cortile ogni giovedì, con la scuola e la parrocchia.",
        status=status,
        organisation=o[organisation] if organisation else None,
        written_by=by or o["users"][W],
        published_at=timezone.now() if status == Practice.Status.PUBLISHED else None,
    )
    made.neighbourhoods.set([neighbourhood])
    return made


def make_objects(o):
    users = o["users"]
    coordinator, worker = users[C], users[W]
    city = o["city"]
    o["practice"] = practice(o, "neighbourhood", "Merenda in cortile", status=Practice.Status.APPROVED)
    o["practice"].status = Practice.Status.DRAFT
    o["practice"].save(update_fields=["status"])
    o["practice_elsewhere"] = practice(o, "other_neighbourhood", "Orto sul tetto")
    o["practice_shared"] = practice(o, "other_neighbourhood", "Cena condivisa", status=Practice.Status.APPROVED)
    o["practice_of_partner"] = practice(o, "neighbourhood", "Spesa sospesa", organisation="organisation", by=users[P])
    o["practice_other_organisation"] = practice(o, "other_neighbourhood", "Bici riparate", organisation="other_organisation", by=o["other_partner"])
    o["practice_published"] = practice(o, "neighbourhood", "Compiti insieme", status=Practice.Status.PUBLISHED)
    o["practice_far"] = practice(o, "far_neighbourhood", "Lontano", status=Practice.Status.PUBLISHED, by=o["far_worker"])

    o["steering_group"] = services.create_body(Body(city=city, kind=Body.Kind.STEERING, name="Cabina di regia"), by=coordinator)
    o["table"] = services.create_body(
        Body(city=city, kind=Body.Kind.TABLE, neighbourhood=o["neighbourhood"], name="Tavolo di Borgo Alto"), by=coordinator
    )
    o["table_elsewhere"] = services.create_body(
        Body(city=city, kind=Body.Kind.TABLE, neighbourhood=o["other_neighbourhood"], name="Tavolo di Borgo Basso"), by=coordinator
    )
    o["steering_group_far"] = services.create_body(
        Body(city=o["other_city"], kind=Body.Kind.STEERING, name="Cabina lontana"), by=o["far_coordinator"]
    )
    o["mandate"] = services.add_mandate(
        Mandate(body=o["steering_group"], organisation=o["organisation"], role="rappresentante", member=users[P], starts_on=date(2026, 1, 1)),
        by=coordinator,
    )
    soon = timezone.now() + timedelta(days=2)
    steering_meeting = services.hold_meeting(
        o["steering_group"], Meeting(title="Cabina di dicembre", starts_at=soon, neighbourhood=o["neighbourhood"]), by=coordinator
    )
    table_meeting = services.hold_meeting(o["table"], Meeting(title="Tavolo di dicembre", starts_at=soon), by=worker)
    o["steering_decision"] = collective_services.add_decision(
        steering_meeting, by=coordinator, text="Aprire la scheda delle merende a tutti i quartieri"
    )
    services.link_decision(o["steering_decision"], by=coordinator, practice=o["practice_published"], concerns=[o["organisation"]])
    o["table_decision"] = collective_services.add_decision(table_meeting, by=worker, text="Provare la merenda anche il sabato")
