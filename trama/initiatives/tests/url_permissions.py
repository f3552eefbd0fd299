"""Who may open each initiatives URL (walked by tests/test_permissions.py)."""

from datetime import date

from django.core.files.base import ContentFile
from django.urls import reverse

from trama.initiatives import services
from trama.initiatives.models import Agreement, Initiative, InterventionObject, Partner
from trama.people.models import Role
from trama.testing import ANY_METHOD, COORDINATOR_ONLY, PUBLIC, STAFF, everyone, only, url

FOLLOWERS = only(Role.COORDINATOR, Role.WORKER, Role.PARTNER, Role.CITIZEN)
PROPOSERS = only(Role.PARTNER, Role.CITIZEN)
COMMITTED = only(Role.COORDINATOR, Role.WORKER, Role.PARTNER)


def _url(name, key=None, suffix=""):
    return lambda o: reverse(name, args=[o[key].pk] if key else []) + suffix


EXPECTED = {
    "initiatives:list": (_url("initiatives:list"), ANY_METHOD(only(Role.COORDINATOR, Role.WORKER, Role.PARTNER, Role.CITIZEN))),
    "initiatives:create": (_url("initiatives:create"), ANY_METHOD(STAFF)),
    "initiatives:propose": (_url("initiatives:propose"), ANY_METHOD(only(Role.PARTNER, Role.CITIZEN))),
    "initiatives:detail": (_url("initiatives:detail", "initiative"), ANY_METHOD(only(Role.COORDINATOR, Role.WORKER, Role.PARTNER, Role.CITIZEN))),
    "initiatives:detail#elsewhere": (_url("initiatives:detail", "initiative_elsewhere"), ANY_METHOD(COORDINATOR_ONLY)),
    "initiatives:edit": (_url("initiatives:edit", "initiative"), ANY_METHOD(STAFF)),
    "initiatives:edit#elsewhere": (_url("initiatives:edit", "initiative_elsewhere"), ANY_METHOD(COORDINATOR_ONLY)),
    "initiatives:move": (_url("initiatives:move", "initiative"), ANY_METHOD(STAFF)),
    # The partner's organisation co-manages this one: she keeps it up to date, but its stage, partners and people stay with staff.
    "initiatives:edit#co-managed": (_url("initiatives:edit", "initiative_co_managed"), ANY_METHOD(COMMITTED)),
    "initiatives:edit#of-others": (_url("initiatives:edit", "other_initiative"), ANY_METHOD(STAFF)),
    "initiatives:move#co-managed": (_url("initiatives:move", "initiative_co_managed"), ANY_METHOD(STAFF)),
    "initiatives:partner_add#co-managed": (_url("initiatives:partner_add", "initiative_co_managed"), {"POST": STAFF}),
    "initiatives:participants#co-managed": (_url("initiatives:participants", "initiative_co_managed"), ANY_METHOD(STAFF)),
    "initiatives:commitment_add#co-managed": (_url("initiatives:commitment_add", "initiative_co_managed"), {"POST": COMMITTED}),
    "initiatives:milestone_add#co-managed": (_url("initiatives:milestone_add", "initiative_co_managed"), {"POST": COMMITTED}),
    "initiatives:milestone_reached#co-managed": (_url("initiatives:milestone_reached", "milestone_co_managed"), {"POST": COMMITTED}),
    "initiatives:milestone_remove#co-managed": (
        _url("initiatives:milestone_remove", "milestone_co_managed"),
        {"GET": COMMITTED, "POST": COMMITTED},
    ),
    "initiatives:partner_add": (_url("initiatives:partner_add", "initiative"), {"POST": STAFF}),
    "initiatives:commitment_add": (_url("initiatives:commitment_add", "initiative"), {"POST": STAFF}),
    "initiatives:milestone_add": (_url("initiatives:milestone_add", "initiative"), {"POST": STAFF}),
    "initiatives:participants": (_url("initiatives:participants", "initiative"), ANY_METHOD(STAFF)),
    "initiatives:participants#elsewhere": (_url("initiatives:participants", "initiative_elsewhere"), ANY_METHOD(COORDINATOR_ONLY)),
    "initiatives:assessments": (
        _url("initiatives:assessments", "initiative"),
        {
            "GET": only(Role.COORDINATOR, Role.WORKER, Role.PARTNER, Role.CITIZEN),
            "POST": STAFF,
            "PUT": only(Role.COORDINATOR, Role.WORKER, Role.PARTNER, Role.CITIZEN),
            "PATCH": only(Role.COORDINATOR, Role.WORKER, Role.PARTNER, Role.CITIZEN),
            "DELETE": only(Role.COORDINATOR, Role.WORKER, Role.PARTNER, Role.CITIZEN),
        },
    ),
    "initiatives:assessment_chart": (
        _url("initiatives:assessment_chart", "initiative"),
        ANY_METHOD(only(Role.COORDINATOR, Role.WORKER, Role.PARTNER, Role.CITIZEN)),
    ),
    "initiatives:commitment_edit": (_url("initiatives:commitment_edit", "commitment"), ANY_METHOD(only(Role.COORDINATOR, Role.WORKER, Role.PARTNER))),
    "initiatives:commitment_contribution": (
        _url("initiatives:commitment_contribution", "commitment"),
        ANY_METHOD(only(Role.COORDINATOR, Role.WORKER, Role.PARTNER)),
    ),
    "initiatives:milestone_reached": (_url("initiatives:milestone_reached", "milestone"), {"POST": STAFF}),
    "initiatives:milestone_remove": (_url("initiatives:milestone_remove", "milestone"), {"GET": STAFF, "POST": STAFF}),
    "initiatives:milestone_remove#elsewhere": (
        _url("initiatives:milestone_remove", "milestone_elsewhere"),
        {"GET": COORDINATOR_ONLY, "POST": COORDINATOR_ONLY},
    ),
    "initiatives:partner_remove": (_url("initiatives:partner_remove", "partner"), {"GET": STAFF, "POST": STAFF}),
    "initiatives:partner_remove#elsewhere": (
        _url("initiatives:partner_remove", "partner_elsewhere"),
        {"GET": COORDINATOR_ONLY, "POST": COORDINATOR_ONLY},
    ),
    "initiatives:group_activity": (lambda o: reverse("initiatives:group_activity", args=[o["group"].pk]), {"POST": STAFF}),
    "initiatives:catalogue": (_url("initiatives:catalogue"), ANY_METHOD(PUBLIC)),
    "initiatives:public": (_url("initiatives:public", "initiative"), ANY_METHOD(PUBLIC)),
    "initiatives:public#not-published": (_url("initiatives:public", "initiative_elsewhere"), ANY_METHOD(everyone(404))),
    "initiatives:join": (_url("initiatives:join", "initiative"), ANY_METHOD(PUBLIC)),
    "initiatives:objects": (_url("initiatives:objects"), ANY_METHOD(STAFF)),
    "initiatives:object_create": (_url("initiatives:object_create"), ANY_METHOD(COORDINATOR_ONLY)),
    "initiatives:object": (_url("initiatives:object", "intervention_object"), ANY_METHOD(STAFF)),
    "initiatives:object_edit": (_url("initiatives:object_edit", "intervention_object"), ANY_METHOD(COORDINATOR_ONLY)),
    "initiatives:object_active": (_url("initiatives:object_active", "intervention_object"), {"POST": COORDINATOR_ONLY}),
    "initiatives:agreements": (_url("initiatives:agreements"), ANY_METHOD(STAFF)),
    "initiatives:agreement_create": (_url("initiatives:agreement_create"), ANY_METHOD(COORDINATOR_ONLY)),
    # The partner's organisation is party to "agreement": she reads it (not its signed document), not the others.
    "initiatives:agreement": (_url("initiatives:agreement", "agreement"), ANY_METHOD(COMMITTED)),
    "initiatives:agreement#of-others": (_url("initiatives:agreement", "agreement_of_others"), ANY_METHOD(STAFF)),
    "initiatives:agreement_document#of-others": (_url("initiatives:agreement_document", "agreement_of_others"), ANY_METHOD(STAFF)),
    "initiatives:our_agreements": (_url("initiatives:our_agreements"), ANY_METHOD(only(Role.PARTNER))),
    "initiatives:pact_register": (_url("initiatives:pact_register"), ANY_METHOD(PUBLIC)),
    "initiatives:agreement#elsewhere": (_url("initiatives:agreement", "agreement_elsewhere"), ANY_METHOD(COORDINATOR_ONLY)),
    "initiatives:agreement_edit": (_url("initiatives:agreement_edit", "agreement"), ANY_METHOD(COORDINATOR_ONLY)),
    "initiatives:agreement_status": (_url("initiatives:agreement_status", "agreement"), {"POST": COORDINATOR_ONLY}),
    "initiatives:agreement_renew": (_url("initiatives:agreement_renew", "agreement"), {"POST": COORDINATOR_ONLY}),
    # The signed document stays with staff, even for a party's partner.
    "initiatives:agreement_document": (_url("initiatives:agreement_document", "agreement"), ANY_METHOD(STAFF)),
    "initiatives:agreement_document#elsewhere": (_url("initiatives:agreement_document", "agreement_elsewhere"), ANY_METHOD(COORDINATOR_ONLY)),
    "api-initiatives-objects": (_url("api-initiatives-objects"), {"GET": STAFF, "POST": COORDINATOR_ONLY}),
    "api-initiatives-object": (_url("api-initiatives-object", "intervention_object"), {"GET": STAFF}),
    "initiatives:public_poster": (_url("initiatives:public_poster", "initiative"), {"GET": PUBLIC}),
    "initiatives:public_poster#not-published": (_url("initiatives:public_poster", "initiative_elsewhere"), {"GET": everyone(404)}),
    "api-initiatives-public": (_url("api-initiatives-public"), {"GET": PUBLIC}),
    "api-initiatives-public-one": (_url("api-initiatives-public-one", "initiative"), {"GET": PUBLIC}),
    "api-initiatives-public-one#not-published": (_url("api-initiatives-public-one", "initiative_elsewhere"), {"GET": everyone(404)}),
    "api-initiatives": (_url("api-initiatives"), {"GET": only(Role.COORDINATOR, Role.WORKER, Role.PARTNER, Role.CITIZEN), "POST": STAFF}),
    "api-initiative": (
        _url("api-initiative", "initiative"),
        {"GET": only(Role.COORDINATOR, Role.WORKER, Role.PARTNER, Role.CITIZEN), "PUT": STAFF, "PATCH": STAFF},
    ),
    "api-initiative#elsewhere": (
        _url("api-initiative", "initiative_elsewhere"),
        {"GET": COORDINATOR_ONLY, "PUT": COORDINATOR_ONLY, "PATCH": COORDINATOR_ONLY},
    ),
    "api-initiative-move": (_url("api-initiative-move", "initiative"), {"POST": STAFF}),
    "api-initiatives-agreements": (_url("api-initiatives-agreements"), {"GET": STAFF}),
    "api-initiatives-agreement": (_url("api-initiatives-agreement", "agreement"), {"GET": COMMITTED}),
    "api-initiatives-agreement#of-others": (_url("api-initiatives-agreement", "agreement_of_others"), {"GET": STAFF}),
    "api-initiatives-agreement#elsewhere": (_url("api-initiatives-agreement", "agreement_elsewhere"), {"GET": COORDINATOR_ONLY}),
    "initiatives:detail#of-others": (url("initiatives:detail", "other_initiative"), ANY_METHOD(STAFF)),
    "api-initiative#of-others": (url("api-initiative", "other_initiative"), {"GET": STAFF, "PUT": STAFF, "PATCH": STAFF}),
    "initiatives:detail#other-city": (url("initiatives:detail", "initiative_far"), ANY_METHOD(everyone("denied"))),
}


def make_objects(o):
    users = o["users"]
    hood, elsewhere, far = o["neighbourhood"], o["other_neighbourhood"], o["far_neighbourhood"]
    city, coordinator = hood.city, users[Role.COORDINATOR]
    o["intervention_object"] = InterventionObject.objects.create(
        city=city,
        name="Pranzo condiviso",
        slug="pranzo-condiviso",
        description="Si cucina e si mangia insieme.",
    )
    o["intervention_object_far"] = InterventionObject.objects.create(
        city=far.city,
        name="Orto condiviso",
        slug="orto-condiviso",
        description="Si coltiva insieme.",
    )

    def initiative(where, name, by=coordinator, **kwargs):
        return services.create_initiative(
            city=where.city, by=by, origin=Initiative.Origin.WORKER, neighbourhoods=[where], name=name, description=name, **kwargs
        )

    # The partner's organisation hosts it, the citizen takes part, the public sees it.
    o["initiative"] = initiative(hood, "Pranzo della domenica", is_public=True, intervention_object=o["intervention_object"])
    services.move_initiative(o["initiative"], "incubation", "Si parte", by=coordinator)
    o["partner"] = services.add_partner(o["initiative"], organisation=o["organisation"], role=Partner.Role.HOST, by=coordinator)
    o["commitment"] = services.add_commitment(
        o["initiative"], partner=o["partner"], description="La sala", kind="space_hours", quantity=10, by=coordinator
    )
    o["milestone"] = services.add_milestone(o["initiative"], title="Primo pranzo", by=coordinator)
    services.join(o["initiative"], user=users[Role.CITIZEN], neighbourhood=hood)
    # In the worker's neighbourhood, with another organisation and without the citizen; not published.
    o["other_initiative"] = initiative(hood, "Doposcuola")
    o["other_partner_row"] = services.add_partner(
        o["other_initiative"], organisation=o["other_organisation"], role=Partner.Role.VOLUNTEERS, by=coordinator
    )
    o["other_commitment"] = services.add_commitment(
        o["other_initiative"], partner=o["other_partner_row"], description="Libri", kind="goods", quantity=3, by=coordinator
    )
    # Co-managed by the partner's organisation (the initiative above it only hosts it).
    o["initiative_co_managed"] = initiative(hood, "Merenda in cortile")
    services.add_partner(o["initiative_co_managed"], organisation=o["organisation"], role=Partner.Role.CO_MANAGER, by=coordinator)
    o["milestone_co_managed"] = services.add_milestone(o["initiative_co_managed"], title="Prima merenda", by=coordinator)
    o["initiative_elsewhere"] = initiative(elsewhere, "Orto")
    o["partner_elsewhere"] = services.add_partner(
        o["initiative_elsewhere"], organisation=o["other_organisation"], role=Partner.Role.VOLUNTEERS, by=coordinator
    )
    o["milestone_elsewhere"] = services.add_milestone(o["initiative_elsewhere"], title="Prima semina", by=coordinator)
    o["initiative_far"] = initiative(far, "Lontana", by=o["far_coordinator"])

    def agreement(where, title, by, parties):
        made = services.save_agreement(
            Agreement(city=where.city, kind=Agreement.Kind.PACT, title=title, subject=title, starts_on=date.today()),
            by=by,
            neighbourhoods=[where],
            parties=parties,
        )
        made.document.save("patto.pdf", ContentFile(b"%PDF-1.4\n%test\n"), save=True)
        return made

    o["agreement"] = agreement(hood, "Patto per la sala", coordinator, [{"organisation": o["organisation"], "commitments": "Apre"}])
    o["agreement_of_others"] = agreement(hood, "Patto per i libri", coordinator, [{"organisation": o["other_organisation"], "commitments": "Presta"}])
    o["agreement_elsewhere"] = agreement(elsewhere, "Patto per l'orto", coordinator, [{"name": "Vicini", "commitments": "Innaffia"}])
    o["agreement_far"] = agreement(far, "Patto lontano", o["far_coordinator"], [{"name": "Lontani", "commitments": "Pulisce"}])
