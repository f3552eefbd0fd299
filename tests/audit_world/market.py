"""Who may open each market URL (walked by tests/test_permissions.py)."""

from datetime import date

from django.urls import reverse

from trama.market import services
from trama.people.models import Organisation, Role
from trama.testing import COORDINATOR_ONLY, PUBLIC, STAFF, everyone, only

GIVERS = only(Role.COORDINATOR, Role.WORKER, Role.PARTNER, Role.CITIZEN)
ASKERS = only(Role.COORDINATOR, Role.WORKER, Role.CITIZEN)
# The public sees only open offers of organisations: one of a person is for its owner and staff.
OWN_OFFER = only(Role.COORDINATOR, Role.WORKER, Role.CITIZEN)
ORG_OFFER_EDIT = only(Role.COORDINATOR, Role.WORKER, Role.PARTNER)

EXPECTED = {
    "market:offers": (lambda o: reverse("market:offers"), PUBLIC),
    "market:offer_create": (lambda o: reverse("market:offer_create") + f"?persona={o['person'].pk}", GIVERS),
    "market:offer": (lambda o: reverse("market:offer", args=[o["offer"].pk]), PUBLIC),
    "market:offer#of-a-person": (lambda o: reverse("market:offer", args=[o["own_offer"].pk]), OWN_OFFER),
    "market:offer_edit": (lambda o: reverse("market:offer_edit", args=[o["offer"].pk]), ORG_OFFER_EDIT),
    "market:offer_status": (lambda o: reverse("market:offer_status", args=[o["offer"].pk]), everyone(405)),
    "market:needs": (lambda o: reverse("market:needs"), ASKERS),
    "market:need_create": (lambda o: reverse("market:need_create") + f"?persona={o['person'].pk}", ASKERS),
    "market:need": (lambda o: reverse("market:need", args=[o["need"].pk]), ASKERS),
    "market:need#elsewhere": (lambda o: reverse("market:need", args=[o["need_elsewhere"].pk]), COORDINATOR_ONLY),
    "market:propose": (lambda o: reverse("market:propose", args=[o["need"].pk]), everyone(405)),
    "market:matches": (lambda o: reverse("market:matches"), GIVERS),
    "market:match": (lambda o: reverse("market:match", args=[o["match"].pk]), GIVERS),
    "market:match_answer": (lambda o: reverse("market:match_answer", args=[o["match"].pk]), everyone(405)),
    "market:match_step": (lambda o: reverse("market:match_step", args=[o["match"].pk]), everyone(405)),
    "market:match_feedback": (lambda o: reverse("market:match_feedback", args=[o["match"].pk]), everyone(405)),
    "market:match_contribution": (lambda o: reverse("market:match_contribution", args=[o["match"].pk]), STAFF),
    "market:ledger": (lambda o: reverse("market:ledger"), STAFF),
    "market:rates": (lambda o: reverse("market:rates"), COORDINATOR_ONLY),
    "market:public_counts": (lambda o: reverse("market:public_counts"), PUBLIC),
    "market:door_need": (lambda o: reverse("market:door_need"), PUBLIC),
    "market:door_offer": (lambda o: reverse("market:door_offer"), PUBLIC),
    "market:draft": (lambda o: reverse("market:draft"), PUBLIC),
    "market:draft_discard": (lambda o: reverse("market:draft_discard"), everyone(405)),
    # API
    "api-market-offers": (lambda o: reverse("api-market-offers"), PUBLIC),
    "api-market-offer": (lambda o: reverse("api-market-offer", args=[o["offer"].pk]), PUBLIC),
    "api-market-offer#of-a-person": (lambda o: reverse("api-market-offer", args=[o["own_offer"].pk]), OWN_OFFER),
    "api-market-offer-status": (lambda o: reverse("api-market-offer-status", args=[o["offer"].pk]), everyone(405)),
    "api-market-needs": (lambda o: reverse("api-market-needs"), ASKERS),
    "api-market-need": (lambda o: reverse("api-market-need", args=[o["need"].pk]), ASKERS),
    "api-market-need#elsewhere": (lambda o: reverse("api-market-need", args=[o["need_elsewhere"].pk]), COORDINATOR_ONLY),
    "api-market-need-status": (lambda o: reverse("api-market-need-status", args=[o["need"].pk]), everyone(405)),
    "api-market-need-candidates": (lambda o: reverse("api-market-need-candidates", args=[o["need"].pk]), STAFF),
    "api-market-matches": (lambda o: reverse("api-market-matches"), GIVERS),
    "api-market-match": (lambda o: reverse("api-market-match", args=[o["match"].pk]), GIVERS),
    "api-market-match-answer": (lambda o: reverse("api-market-match-answer", args=[o["match"].pk]), everyone(405)),
    "api-market-match-start": (lambda o: reverse("api-market-match-start", args=[o["match"].pk]), everyone(405)),
    "api-market-match-follow-up": (lambda o: reverse("api-market-match-follow-up", args=[o["match"].pk]), everyone(405)),
    "api-market-match-complete": (lambda o: reverse("api-market-match-complete", args=[o["match"].pk]), everyone(405)),
    "api-market-match-cancel": (lambda o: reverse("api-market-match-cancel", args=[o["match"].pk]), everyone(405)),
    "api-market-match-feedback": (lambda o: reverse("api-market-match-feedback", args=[o["match"].pk]), everyone(405)),
    "api-market-contributions": (lambda o: reverse("api-market-contributions"), STAFF),
    "api-market-ledger": (lambda o: reverse("api-market-ledger"), STAFF),
    "market:need_status": (lambda o: reverse("market:need_status", args=[o["need"].pk]), everyone(405)),
}


def make_objects(request, objects):
    users = request.getfixturevalue("users")
    neighbourhood = request.getfixturevalue("neighbourhood")
    worker, citizen = users[Role.WORKER], users[Role.CITIZEN]
    organisation = Organisation.objects.create(city=neighbourhood.city, name="Bottega solidale", sector="business")
    organisation.members.add(users[Role.PARTNER])
    citizen_person = objects["person"]
    citizen_person.account = citizen
    citizen_person.save(update_fields=["account"])
    objects["offer"] = services.record_offer(
        organisation=organisation,
        kind="goods",
        title="Pane del giorno prima",
        description="",
        neighbourhoods=[neighbourhood],
        by=worker,
    )
    objects["own_offer"] = services.record_offer(
        person=citizen_person,
        kind="skill",
        title="Ripeto matematica",
        description="",
        neighbourhoods=[neighbourhood],
        by=worker,
        capacity=2,
    )
    objects["need"] = services.record_need(person=citizen_person, text="Cerco pane", neighbourhood=neighbourhood, urgency="low", by=worker)
    objects["need_elsewhere"] = services.record_need(
        person=objects["person_elsewhere"],
        text="Un passaggio",
        neighbourhood=objects["person_elsewhere"].neighbourhood,
        urgency="low",
        by=users[Role.COORDINATOR],
    )
    objects["match"] = services.propose_match(need=objects["need"], offer=objects["offer"], by=worker)
    services.record_contribution(
        kind="hours",
        quantity=2,
        on=date.today(),
        neighbourhood=neighbourhood,
        by=worker,
        organisation=organisation,
        match=objects["match"],
    )
