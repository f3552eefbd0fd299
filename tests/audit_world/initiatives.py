"""Who may open each initiatives URL (walked by tests/test_permissions.py)."""

from datetime import date

from django.core.files.base import ContentFile
from django.urls import reverse

from trama.initiatives import services
from trama.initiatives.models import Agreement, Initiative, InterventionObject, Partner
from trama.market.services import record_need
from trama.people.models import Consent, Organisation, Role
from trama.people.services import person_for_account, register_person
from trama.testing import COORDINATOR_ONLY, PUBLIC, STAFF, everyone, only

FOLLOWERS = only(Role.COORDINATOR, Role.WORKER, Role.PARTNER, Role.CITIZEN)
PROPOSERS = only(Role.PARTNER, Role.CITIZEN)
COMMITTED = only(Role.COORDINATOR, Role.WORKER, Role.PARTNER)


def _url(name, key=None, suffix=""):
    return lambda o: reverse(name, args=[o[key].pk] if key else []) + suffix


EXPECTED = {
    "initiatives:list": (_url("initiatives:list"), FOLLOWERS),
    "initiatives:create": (_url("initiatives:create"), STAFF),
    "initiatives:propose": (_url("initiatives:propose"), PROPOSERS),
    "initiatives:detail": (_url("initiatives:detail", "initiative"), FOLLOWERS),
    "initiatives:detail#elsewhere": (_url("initiatives:detail", "initiative_elsewhere"), COORDINATOR_ONLY),
    "initiatives:edit": (_url("initiatives:edit", "initiative"), STAFF),
    "initiatives:edit#elsewhere": (_url("initiatives:edit", "initiative_elsewhere"), COORDINATOR_ONLY),
    "initiatives:move": (_url("initiatives:move", "initiative"), STAFF),
    "initiatives:partner_add": (_url("initiatives:partner_add", "initiative"), everyone(405)),
    "initiatives:commitment_add": (_url("initiatives:commitment_add", "initiative"), everyone(405)),
    "initiatives:milestone_add": (_url("initiatives:milestone_add", "initiative"), everyone(405)),
    "initiatives:participants": (_url("initiatives:participants", "initiative"), STAFF),
    "initiatives:participants#elsewhere": (_url("initiatives:participants", "initiative_elsewhere"), COORDINATOR_ONLY),
    "initiatives:assessments": (_url("initiatives:assessments", "initiative"), FOLLOWERS),
    "initiatives:assessment_chart": (_url("initiatives:assessment_chart", "initiative"), FOLLOWERS),
    "initiatives:commitment_edit": (_url("initiatives:commitment_edit", "commitment"), COMMITTED),
    "initiatives:commitment_contribution": (_url("initiatives:commitment_contribution", "commitment"), COMMITTED),
    "initiatives:milestone_reached": (_url("initiatives:milestone_reached", "milestone"), everyone(405)),
    "initiatives:milestone_remove": (_url("initiatives:milestone_remove", "milestone"), STAFF),
    "initiatives:milestone_remove#elsewhere": (_url("initiatives:milestone_remove", "milestone_elsewhere"), COORDINATOR_ONLY),
    "initiatives:partner_remove": (_url("initiatives:partner_remove", "partner"), STAFF),
    "initiatives:partner_remove#elsewhere": (_url("initiatives:partner_remove", "partner_elsewhere"), COORDINATOR_ONLY),
    "initiatives:group_activity": (lambda o: reverse("initiatives:group_activity", args=[999999]), everyone(405)),
    "initiatives:catalogue": (_url("initiatives:catalogue"), PUBLIC),
    "initiatives:public": (_url("initiatives:public", "initiative"), PUBLIC),
    "initiatives:public_poster": (_url("initiatives:public_poster", "initiative"), PUBLIC),
    "initiatives:public#not-published": (_url("initiatives:public", "initiative_elsewhere"), everyone(404)),
    "initiatives:join": (_url("initiatives:join", "initiative"), PUBLIC),
    "initiatives:objects": (_url("initiatives:objects"), STAFF),
    "initiatives:object_create": (_url("initiatives:object_create"), COORDINATOR_ONLY),
    "initiatives:object": (_url("initiatives:object", "intervention_object"), STAFF),
    "initiatives:object_edit": (_url("initiatives:object_edit", "intervention_object"), COORDINATOR_ONLY),
    "initiatives:object_active": (_url("initiatives:object_active", "intervention_object"), everyone(405)),
    "initiatives:agreements": (_url("initiatives:agreements"), STAFF),
    "initiatives:agreement_create": (_url("initiatives:agreement_create"), COORDINATOR_ONLY),
    "initiatives:agreement": (_url("initiatives:agreement", "agreement"), STAFF),
    "initiatives:agreement#elsewhere": (_url("initiatives:agreement", "agreement_elsewhere"), COORDINATOR_ONLY),
    "initiatives:agreement_edit": (_url("initiatives:agreement_edit", "agreement"), COORDINATOR_ONLY),
    "initiatives:agreement_status": (_url("initiatives:agreement_status", "agreement"), everyone(405)),
    "initiatives:agreement_renew": (_url("initiatives:agreement_renew", "agreement"), everyone(405)),
    "initiatives:agreement_document": (_url("initiatives:agreement_document", "agreement"), STAFF),
    "initiatives:agreement_document#elsewhere": (_url("initiatives:agreement_document", "agreement_elsewhere"), COORDINATOR_ONLY),
    # API
    "api-initiatives-objects": (_url("api-initiatives-objects"), STAFF),
    "api-initiatives-object": (_url("api-initiatives-object", "intervention_object"), STAFF),
    "api-initiatives-public": (_url("api-initiatives-public"), PUBLIC),
    "api-initiatives-public-one": (_url("api-initiatives-public-one", "initiative"), PUBLIC),
    "api-initiatives-public-one#not-published": (_url("api-initiatives-public-one", "initiative_elsewhere"), everyone(404)),
    "api-initiatives": (_url("api-initiatives"), FOLLOWERS),
    "api-initiative": (_url("api-initiative", "initiative"), FOLLOWERS),
    "api-initiative#elsewhere": (_url("api-initiative", "initiative_elsewhere"), COORDINATOR_ONLY),
    "api-initiative-move": (_url("api-initiative-move", "initiative"), everyone(405)),
    "api-initiatives-agreements": (_url("api-initiatives-agreements"), STAFF),
    "api-initiatives-agreement": (_url("api-initiatives-agreement", "agreement"), STAFF),
    "api-initiatives-agreement#elsewhere": (_url("api-initiatives-agreement", "agreement_elsewhere"), COORDINATOR_ONLY),
    "initiatives:our_agreements": (lambda o: reverse("initiatives:our_agreements"), only(Role.PARTNER)),
    "initiatives:pact_register": (lambda o: reverse("initiatives:pact_register"), PUBLIC),
}


def make_objects(request, objects):
    users = request.getfixturevalue("users")
    neighbourhood = request.getfixturevalue("neighbourhood")
    elsewhere = request.getfixturevalue("other_neighbourhood")
    city, coordinator = neighbourhood.city, users[Role.COORDINATOR]
    organisation = Organisation.objects.create(city=city, name="Circolo del quartiere", sector="third_sector")
    organisation.members.add(users[Role.PARTNER])
    objects["intervention_object"] = InterventionObject.objects.create(
        city=city,
        name="Pranzo condiviso",
        slug="pranzo-condiviso",
        description="Si cucina e si mangia insieme.",
    )
    initiative = services.create_initiative(
        city=city,
        by=coordinator,
        origin=Initiative.Origin.WORKER,
        neighbourhoods=[neighbourhood],
        name="Pranzo della domenica",
        description="Un pranzo aperto a tutti.",
        is_public=True,
        intervention_object=objects["intervention_object"],
    )
    services.move_initiative(initiative, "incubation", "Si parte", by=coordinator)
    partner = services.add_partner(initiative, organisation=organisation, role=Partner.Role.HOST, by=coordinator)
    objects["commitment"] = services.add_commitment(
        initiative, partner=partner, description="La sala", kind="space_hours", quantity=10, by=coordinator
    )
    objects["milestone"] = services.add_milestone(initiative, title="Primo pranzo", by=coordinator)
    services.join(initiative, user=users[Role.CITIZEN], neighbourhood=neighbourhood)
    objects["initiative"] = initiative
    # An open need the activity could answer, of the other neighbourhood: its page shows it to the
    # coordinator (who may broker it), not to the worker of this neighbourhood (whose lists stay as they are).
    objects["need_for_activity"] = record_need(
        person=register_person(
            by=coordinator, neighbourhood=elsewhere, display_name="Ada", channel="outreach", consents=[Consent.Purpose.REGISTRATION]
        ),
        text="Vorrei un pranzo condiviso la domenica",
        neighbourhood=elsewhere,
        urgency="low",
        by=coordinator,
    )
    objects["partner"] = partner
    objects["initiative_elsewhere"] = services.create_initiative(
        city=city,
        by=coordinator,
        origin=Initiative.Origin.WORKER,
        neighbourhoods=[elsewhere],
        name="Orto",
        description="Un orto.",
    )
    # An organisation the partner account is not a member of, so the initiative stays out of its sight.
    gardeners = Organisation.objects.create(city=city, name="Amici dell'orto", sector="third_sector")
    objects["partner_elsewhere"] = services.add_partner(
        objects["initiative_elsewhere"], organisation=gardeners, role=Partner.Role.VOLUNTEERS, by=coordinator
    )
    objects["milestone_elsewhere"] = services.add_milestone(objects["initiative_elsewhere"], title="Prima semina", by=coordinator)
    agreement = services.save_agreement(
        Agreement(city=city, kind=Agreement.Kind.PACT, title="Patto per la sala", subject="Uso della sala", starts_on=date.today()),
        by=coordinator,
        neighbourhoods=[neighbourhood],
        parties=[{"organisation": organisation, "commitments": "Apre la sala"}],
    )
    agreement.document.save("patto.pdf", ContentFile(b"%PDF-1.4\n%test\n"), save=True)
    objects["agreement"] = agreement
    agreement_elsewhere = services.save_agreement(
        Agreement(city=city, kind=Agreement.Kind.PACT, title="Patto per l'orto", subject="Cura dell'orto", starts_on=date.today()),
        by=coordinator,
        neighbourhoods=[elsewhere],
        parties=[{"name": "Vicini dell'orto", "commitments": "Innaffiare"}],
    )
    agreement_elsewhere.document.save("orto.pdf", ContentFile(b"%PDF-1.4\n%test\n"), save=True)
    objects["agreement_elsewhere"] = agreement_elsewhere
    person_for_account(users[Role.CITIZEN], neighbourhood)
