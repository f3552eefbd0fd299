"""Who may open each market URL (walked by tests/test_permissions.py)."""

from datetime import date

from django.urls import reverse

from trama.market import services
from trama.people.models import Consent, Role
from trama.people.services import register_person
from trama.testing import ANY_METHOD, COORDINATOR_ONLY, PUBLIC, STAFF, everyone, only, url

GIVERS = only(Role.COORDINATOR, Role.WORKER, Role.PARTNER, Role.CITIZEN)
ASKERS = only(Role.COORDINATOR, Role.WORKER, Role.CITIZEN)
# The public sees only open offers of organisations: one of a person is for its owner and staff.
OWN_OFFER = only(Role.COORDINATOR, Role.WORKER, Role.CITIZEN)
ORG_OFFER_EDIT = only(Role.COORDINATOR, Role.WORKER, Role.PARTNER)

EXPECTED = {
    "market:offers": (lambda o: reverse("market:offers"), ANY_METHOD(PUBLIC)),
    "market:offer_create": (
        lambda o: reverse("market:offer_create") + f"?persona={o['person'].pk}",
        ANY_METHOD(only(Role.COORDINATOR, Role.WORKER, Role.PARTNER, Role.CITIZEN)),
    ),
    "market:offer": (lambda o: reverse("market:offer", args=[o["offer"].pk]), ANY_METHOD(PUBLIC)),
    "market:offer#of-a-person": (
        lambda o: reverse("market:offer", args=[o["own_offer"].pk]),
        ANY_METHOD(only(Role.COORDINATOR, Role.WORKER, Role.CITIZEN)),
    ),
    "market:offer_edit": (
        lambda o: reverse("market:offer_edit", args=[o["offer"].pk]),
        ANY_METHOD(only(Role.COORDINATOR, Role.WORKER, Role.PARTNER)),
    ),
    "market:offer_status": (
        lambda o: reverse("market:offer_status", args=[o["offer"].pk]),
        {"POST": only(Role.COORDINATOR, Role.WORKER, Role.PARTNER)},
    ),
    "market:needs": (lambda o: reverse("market:needs"), ANY_METHOD(only(Role.COORDINATOR, Role.WORKER, Role.CITIZEN))),
    "market:need_create": (
        lambda o: reverse("market:need_create") + f"?persona={o['person'].pk}",
        ANY_METHOD(only(Role.COORDINATOR, Role.WORKER, Role.CITIZEN)),
    ),
    "market:need": (lambda o: reverse("market:need", args=[o["need"].pk]), ANY_METHOD(only(Role.COORDINATOR, Role.WORKER, Role.CITIZEN))),
    "market:need#elsewhere": (lambda o: reverse("market:need", args=[o["need_elsewhere"].pk]), ANY_METHOD(COORDINATOR_ONLY)),
    "market:propose": (lambda o: reverse("market:propose", args=[o["need"].pk]), {"POST": everyone("denied")}),
    "market:need_status": (url("market:need_status", "need"), {"POST": only(Role.COORDINATOR, Role.WORKER, Role.CITIZEN)}),
    "market:need_status#of-another": (url("market:need_status", "other_need"), {"POST": STAFF}),
    "market:need_status#elsewhere": (url("market:need_status", "need_elsewhere"), {"POST": COORDINATOR_ONLY}),
    "market:matches": (lambda o: reverse("market:matches"), ANY_METHOD(only(Role.COORDINATOR, Role.WORKER, Role.PARTNER, Role.CITIZEN))),
    "market:match": (
        lambda o: reverse("market:match", args=[o["match"].pk]),
        ANY_METHOD(only(Role.COORDINATOR, Role.WORKER, Role.PARTNER, Role.CITIZEN)),
    ),
    "market:match_answer": (
        lambda o: reverse("market:match_answer", args=[o["match"].pk]),
        {"POST": only(Role.COORDINATOR, Role.WORKER, Role.PARTNER, Role.CITIZEN)},
    ),
    # The partner's organisation answers "match" with its offer: she follows it up and records what it gave.
    "market:match_step": (lambda o: reverse("market:match_step", args=[o["match"].pk]), {"POST": only(Role.COORDINATOR, Role.WORKER, Role.PARTNER)}),
    "market:match_step#of-another-org-offer": (url("market:match_step", "match_of_another_org_offer"), {"POST": STAFF}),
    "market:match_contribution#of-another-org-offer": (url("market:match_contribution", "match_of_another_org_offer"), ANY_METHOD(STAFF)),
    "market:match_feedback": (
        lambda o: reverse("market:match_feedback", args=[o["match"].pk]),
        {"POST": only(Role.COORDINATOR, Role.WORKER, Role.PARTNER, Role.CITIZEN)},
    ),
    "market:match_contribution": (
        lambda o: reverse("market:match_contribution", args=[o["match"].pk]),
        ANY_METHOD(only(Role.COORDINATOR, Role.WORKER, Role.PARTNER)),
    ),
    "market:ledger": (lambda o: reverse("market:ledger"), ANY_METHOD(STAFF)),
    "market:rates": (lambda o: reverse("market:rates"), ANY_METHOD(COORDINATOR_ONLY)),
    "market:public_counts": (lambda o: reverse("market:public_counts"), ANY_METHOD(PUBLIC)),
    "market:door_need": (lambda o: reverse("market:door_need"), ANY_METHOD(PUBLIC)),
    "market:door_offer": (lambda o: reverse("market:door_offer"), ANY_METHOD(PUBLIC)),
    "market:draft": (lambda o: reverse("market:draft"), ANY_METHOD(PUBLIC)),
    "market:draft_discard": (lambda o: reverse("market:draft_discard"), {"POST": PUBLIC}),
    "api-market-offers": (
        lambda o: reverse("api-market-offers"),
        {"GET": PUBLIC, "POST": only(Role.COORDINATOR, Role.WORKER, Role.PARTNER, Role.CITIZEN)},
    ),
    "api-market-offer": (
        lambda o: reverse("api-market-offer", args=[o["offer"].pk]),
        {"GET": PUBLIC, "PUT": only(Role.COORDINATOR, Role.WORKER, Role.PARTNER), "PATCH": only(Role.COORDINATOR, Role.WORKER, Role.PARTNER)},
    ),
    "api-market-offer#of-a-person": (
        lambda o: reverse("api-market-offer", args=[o["own_offer"].pk]),
        {
            "GET": only(Role.COORDINATOR, Role.WORKER, Role.CITIZEN),
            "PUT": only(Role.COORDINATOR, Role.WORKER, Role.CITIZEN),
            "PATCH": only(Role.COORDINATOR, Role.WORKER, Role.CITIZEN),
        },
    ),
    "api-market-offer-status": (
        lambda o: reverse("api-market-offer-status", args=[o["offer"].pk]),
        {"POST": only(Role.COORDINATOR, Role.WORKER, Role.PARTNER)},
    ),
    "api-market-needs": (
        lambda o: reverse("api-market-needs"),
        {"GET": only(Role.COORDINATOR, Role.WORKER, Role.CITIZEN), "POST": only(Role.COORDINATOR, Role.WORKER, Role.CITIZEN)},
    ),
    "api-market-need": (
        lambda o: reverse("api-market-need", args=[o["need"].pk]),
        {
            "GET": only(Role.COORDINATOR, Role.WORKER, Role.CITIZEN),
            "PUT": only(Role.COORDINATOR, Role.WORKER, Role.CITIZEN),
            "PATCH": only(Role.COORDINATOR, Role.WORKER, Role.CITIZEN),
        },
    ),
    "api-market-need#elsewhere": (
        lambda o: reverse("api-market-need", args=[o["need_elsewhere"].pk]),
        {"GET": COORDINATOR_ONLY, "PUT": COORDINATOR_ONLY, "PATCH": COORDINATOR_ONLY},
    ),
    "api-market-need-status": (
        lambda o: reverse("api-market-need-status", args=[o["need"].pk]),
        {"POST": only(Role.COORDINATOR, Role.WORKER, Role.CITIZEN)},
    ),
    "api-market-need-candidates": (lambda o: reverse("api-market-need-candidates", args=[o["need"].pk]), {"GET": STAFF}),
    "api-market-matches": (
        lambda o: reverse("api-market-matches"),
        {"GET": only(Role.COORDINATOR, Role.WORKER, Role.PARTNER, Role.CITIZEN), "POST": STAFF},
    ),
    "api-market-match": (
        lambda o: reverse("api-market-match", args=[o["match"].pk]),
        {"GET": only(Role.COORDINATOR, Role.WORKER, Role.PARTNER, Role.CITIZEN)},
    ),
    "api-market-match-answer": (
        lambda o: reverse("api-market-match-answer", args=[o["match"].pk]),
        {"POST": only(Role.COORDINATOR, Role.WORKER, Role.PARTNER, Role.CITIZEN)},
    ),
    "api-market-match-start": (lambda o: reverse("api-market-match-start", args=[o["match"].pk]), {"POST": STAFF}),
    "api-market-match-follow-up": (lambda o: reverse("api-market-match-follow-up", args=[o["match"].pk]), {"POST": STAFF}),
    "api-market-match-complete": (lambda o: reverse("api-market-match-complete", args=[o["match"].pk]), {"POST": STAFF}),
    "api-market-match-cancel": (lambda o: reverse("api-market-match-cancel", args=[o["match"].pk]), {"POST": STAFF}),
    "api-market-match-feedback": (
        lambda o: reverse("api-market-match-feedback", args=[o["match"].pk]),
        {"POST": only(Role.COORDINATOR, Role.WORKER, Role.PARTNER, Role.CITIZEN)},
    ),
    "api-market-contributions": (lambda o: reverse("api-market-contributions"), {"GET": STAFF, "POST": STAFF}),
    "api-market-ledger": (lambda o: reverse("api-market-ledger"), {"GET": STAFF}),
    # Someone else's records, in the worker's neighbourhood.
    "market:need#of-another": (url("market:need", "other_need"), ANY_METHOD(STAFF)),
    "api-market-need#of-another": (url("api-market-need", "other_need"), {"GET": STAFF, "PUT": STAFF, "PATCH": STAFF}),
    "market:match#of-another-org-offer": (url("market:match", "match_of_another_org_offer"), ANY_METHOD(STAFF)),
    "api-market-match#of-another-org-offer": (url("api-market-match", "match_of_another_org_offer"), STAFF),
    "market:match#of-another-person-offer": (url("market:match", "match_of_another_person_offer"), ANY_METHOD(STAFF)),
    "api-market-match#of-another-person-offer": (url("api-market-match", "match_of_another_person_offer"), STAFF),
    "market:match#of-own-offer": (url("market:match", "match_of_own_offer"), ANY_METHOD(only(Role.COORDINATOR, Role.WORKER, Role.CITIZEN))),
    "market:match#elsewhere": (url("market:match", "match_elsewhere"), ANY_METHOD(COORDINATOR_ONLY)),
    "api-market-match#elsewhere": (url("api-market-match", "match_elsewhere"), COORDINATOR_ONLY),
    "market:match#other-city": (url("market:match", "match_far"), ANY_METHOD(everyone("denied"))),
    "market:match_answer#of-another-org-offer": (
        url("market:match_answer", "match_of_another_org_offer"),
        {"POST": STAFF},
        {"POST": lambda o: {"side": "need", "answer": "yes"}},
    ),
    # Brokerage across neighbourhoods: a worker's match must hold both sides in scope.
    "api-market-matches#offer-elsewhere": (
        url("api-market-matches"),
        {"GET": GIVERS, "POST": COORDINATOR_ONLY},
        {"POST": lambda o: {"need": o["other_need"].pk, "offer": o["offer_elsewhere"].pk}},
    ),
    "market:propose#offer-elsewhere": (
        url("market:propose", "other_need"),
        {"POST": COORDINATOR_ONLY},
        {"POST": lambda o: {"offer": o["offer_elsewhere"].pk}},
    ),
    "api-market-match-answer#across": (
        url("api-market-match-answer", "match_across"),
        {"POST": COORDINATOR_ONLY},
        {"POST": lambda o: {"side": "offer", "accept": True}},
    ),
    "market:match_answer#across": (
        url("market:match_answer", "match_across"),
        {"POST": COORDINATOR_ONLY},
        {"POST": lambda o: {"side": "offer", "answer": "yes"}},
    ),
    "api-market-match-start#across": (url("api-market-match-start", "match_across"), {"POST": COORDINATOR_ONLY}, {"POST": lambda o: {}}),
    # Answers of the other kinds (issue 17): an activity of the need's neighbourhood, a group of another one.
    "market:propose#activity": (
        url("market:propose", "need"),
        {"POST": only(Role.COORDINATOR, Role.WORKER)},
        {"POST": lambda o: {"kind": "activity", "id": o["bread_activity"].pk}},
    ),
    "market:propose#group-elsewhere": (
        url("market:propose", "need"),
        # The worker may broker the need but not see the group: refused as an unknown answer, nothing stored.
        {"POST": {**COORDINATOR_ONLY, Role.WORKER: 400}},
        {"POST": lambda o: {"kind": "group", "id": o["bread_group_elsewhere"].pk}},
    ),
    "market:match#activity": (url("market:match", "match_to_activity"), ANY_METHOD(ASKERS)),
    "market:match_answer#activity": (
        url("market:match_answer", "match_to_activity"),
        {"POST": ASKERS},
        {"POST": lambda o: {"side": "need", "answer": "yes"}},
    ),
}


def make_objects(o):
    users = o["users"]
    hood, elsewhere, far = o["neighbourhood"], o["other_neighbourhood"], o["far_neighbourhood"]
    worker, coordinator = users[Role.WORKER], users[Role.COORDINATOR]

    def offer(title, where, by=coordinator, **giver):
        return services.record_offer(kind="time", title=title, description="", neighbourhoods=[where], by=by, capacity=5, **giver)

    def need(person, text, by=coordinator):
        return services.record_need(person=person, text=text, neighbourhood=person.neighbourhood, urgency="low", by=by)

    o["offer"] = offer("Pane del giorno prima", hood, organisation=o["organisation"])
    o["other_org_offer"] = offer("Attrezzi da prestare", hood, organisation=o["other_organisation"])
    o["own_offer"] = offer("Ripeto matematica", hood, person=o["person"])
    # A third person of the neighbourhood: a match never pairs a person's need with her own offer.
    third = register_person(by=worker, neighbourhood=hood, display_name="Rina", channel="outreach", consents=[Consent.Purpose.REGISTRATION])
    o["offer_of_another"] = offer("Stiro camicie", hood, person=third)
    o["offer_elsewhere"] = offer("Accompagno in auto", elsewhere, person=o["person_elsewhere"])
    # What `ride_need` may be offered: it shares its words, in the worker's neighbourhood.
    o["ride_offer"] = offer("Passaggi in auto per le visite", hood, organisation=o["organisation"])
    o["offer_far"] = offer("Cucino", far, by=o["far_coordinator"], person=o["person_far"])
    o["need"] = need(o["person"], "Cerco pane")
    o["other_need"] = need(o["other_person"], "Cerco compagnia la sera")
    o["need_elsewhere"] = need(o["person_elsewhere"], "Un passaggio dal medico")
    o["need_far"] = need(o["person_far"], "Una spesa", by=o["far_coordinator"])
    o["brokered_need"] = need(o["other_person"], "Cerco chi mi aiuti con le bollette")
    # Its words match the offer of a person of another neighbourhood: a candidate, were scope ignored.
    o["ride_need"] = need(o["other_person"], "Cerco chi mi accompagna in auto")
    propose = lambda n, f: services.propose_match(need=n, offer=f, by=coordinator)  # noqa: E731
    # The citizen's need answered by the partner's organisation: both see it.
    o["match"] = propose(o["need"], o["offer"])
    # Another person's need answered by another organisation: the citizen is on neither side.
    o["match_of_another_org_offer"] = propose(o["other_need"], o["other_org_offer"])
    # Another person's need answered by a third person's offer.
    o["match_of_another_person_offer"] = propose(o["other_need"], o["offer_of_another"])
    # Another person's need answered by the citizen's own offer: the citizen is the giving side.
    o["match_of_own_offer"] = propose(o["other_need"], o["own_offer"])
    neighbour_elsewhere = register_person(
        by=coordinator, neighbourhood=elsewhere, display_name="Bea", channel="outreach", consents=[Consent.Purpose.REGISTRATION]
    )
    o["match_elsewhere"] = propose(o["need_elsewhere"], offer("Porto la spesa", elsewhere, person=neighbour_elsewhere))
    neighbour_far = register_person(
        by=o["far_coordinator"], neighbourhood=far, display_name="Teo", channel="outreach", consents=[Consent.Purpose.REGISTRATION]
    )
    o["match_far"] = services.propose_match(
        need=o["need_far"], offer=offer("Porto la spesa", far, by=o["far_coordinator"], person=neighbour_far), by=o["far_coordinator"]
    )
    # A need of the worker's neighbourhood answered by an offer of a person elsewhere.
    o["match_across"] = propose(o["brokered_need"], o["offer_elsewhere"])
    # An activity open to participants where the citizen's need is, a group forming in another neighbourhood:
    # both share the words of "Cerco pane".
    from trama.collective.services import create_group
    from trama.initiatives.models import Initiative
    from trama.initiatives.services import create_initiative

    o["bread_activity"] = create_initiative(
        city=o["city"], by=coordinator, origin="worker", neighbourhoods=[hood], name="Pane di comunità", description="Si fa il pane", is_public=True
    )
    Initiative.objects.filter(pk=o["bread_activity"].pk).update(stage="accompanied")
    o["bread_group_elsewhere"] = create_group(city=o["city"], neighbourhood=elsewhere, name="Pane insieme", purpose="Fare il pane", by=coordinator)
    o["match_to_activity"] = services.propose_answer(need=o["need"], kind="activity", target_id=o["bread_activity"].pk, by=coordinator)
    o["contribution"] = services.record_contribution(
        kind="hours",
        quantity=2,
        on=date.today(),
        neighbourhood=hood,
        by=worker,
        organisation=o["organisation"],
        match=o["match"],
    )
