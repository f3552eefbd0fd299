"""Who may use each people URL (walked by tests/test_permissions.py)."""

from django.urls import reverse

from trama.people.models import Role
from trama.testing import ANON, ANY_METHOD, COORDINATOR_ONLY, PUBLIC, SIGNED_IN, STAFF, everyone, only, url

EXPECTED = {
    "people:register": (url("people:register"), ANY_METHOD(PUBLIC)),
    "people:profile": (url("people:profile"), ANY_METHOD(SIGNED_IN)),
    "people:invitation": (lambda o: reverse("people:invitation", args=["MQ", "invalid-token"]), ANY_METHOD(PUBLIC)),
    "people:people": (url("people:people"), ANY_METHOD(STAFF)),
    "people:person": (url("people:person", "person"), ANY_METHOD(STAFF)),
    "people:person#elsewhere": (url("people:person", "person_elsewhere"), ANY_METHOD(COORDINATOR_ONLY)),
    "people:person#other-city": (url("people:person", "person_far"), ANY_METHOD(everyone("denied"))),
    "people:accounts": (url("people:accounts"), ANY_METHOD(COORDINATOR_ONLY)),
    "people:invite": (url("people:invite"), ANY_METHOD(COORDINATOR_ONLY)),
    "people:account": (url("people:account", "account"), ANY_METHOD(COORDINATOR_ONLY)),
    "people:account#other-city": (url("people:account", "far_account"), ANY_METHOD(everyone("denied"))),
    # With a valid body: only a coordinator disables an account; every refusal leaves it as it was.
    "people:account_set_active": (
        url("people:account_set_active", "account"),
        {"POST": COORDINATOR_ONLY},
        {"POST": lambda o: {"active": "0", "confirm": "on"}},
    ),
    "people:account_resend_invitation": (url("people:account_resend_invitation", "account"), {"POST": COORDINATOR_ONLY}),
    "people:person#of-another": (url("people:person", "other_person"), ANY_METHOD(STAFF)),
    "people:log_out_everywhere": (url("people:log_out_everywhere"), {"POST": SIGNED_IN}),
    "people:api_tokens": (url("people:api_tokens"), {"GET": SIGNED_IN, "POST": SIGNED_IN}),
    # Another account's token: not found for everyone, whatever the method.
    "people:api_token_revoke": (url("people:api_token_revoke", "token_of_another"), ANY_METHOD({**everyone(404), ANON: "denied"})),
    # The citizen's own token: the confirmation page, the revocation (then back to the list), nothing else.
    "people:api_token_revoke#own": (
        url("people:api_token_revoke", "own_token"),
        {
            method: {**everyone(404), ANON: "denied", Role.CITIZEN: outcome}
            for method, outcome in (("GET", "ok"), ("POST", "ok"), ("PUT", 405), ("PATCH", 405), ("DELETE", 405))
        },
    ),
    "people:account_second_factor_reset": (url("people:account_second_factor_reset", "account"), {"POST": COORDINATOR_ONLY}),
    "people:second_factor": (url("people:second_factor"), ANY_METHOD(SIGNED_IN)),
    "people:second_factor_codes": (url("people:second_factor_codes"), {"POST": SIGNED_IN}),
    # Required for coordinators and workers: they cannot remove it.
    "people:second_factor_remove": (url("people:second_factor_remove"), {"POST": {**SIGNED_IN, Role.COORDINATOR: "denied", Role.WORKER: "denied"}}),
    "people:lockouts": (url("people:lockouts"), ANY_METHOD(COORDINATOR_ONLY)),
    # SPID and CIE are off in the walk (no provider configured): the three doors are not there for anyone.
    # With providers, trama/people/tests/test_digital_identity.py walks them.
    "identity_start": (lambda o: reverse("identity_start", args=["spid"]), ANY_METHOD(everyone(404))),
    "identity_return": (url("identity_return", query="?state=x&code=y"), ANY_METHOD(everyone(404))),
    "identity_register": (url("identity_register"), ANY_METHOD(everyone(404))),
    # Without the federation's keys there is no entity configuration; trama/people/tests/test_federation.py reads it.
    "openid_federation": (url("openid_federation"), ANY_METHOD(everyone(404))),
    "federation_resolve": (
        url("federation_resolve", query="?sub=https://op.example.org&trust_anchor=https://ta.example.org"),
        ANY_METHOD(everyone(404)),
    ),
    # Only a citizen has an identity to unlink; without the confirmation it changes nothing.
    "people:identity_unlink": (url("people:identity_unlink"), {"POST": only(Role.CITIZEN)}),
    "people:lockout_unlock": (url("people:lockout_unlock", "lockout"), ANY_METHOD(COORDINATOR_ONLY)),
}

# Organisations: staff keep those of their scope (a worker, those working in her neighbourhood), the partner of the
# walk is the referent of `organisation`; `other_organisation` works in the other neighbourhood, `far_organisation`
# in the other city.
KEEPERS = only(Role.COORDINATOR, Role.WORKER, Role.PARTNER)
DENIED = everyone("denied")
EXPECTED.update(
    {
        "organisations:list": (url("organisations:list"), {"GET": STAFF}),
        "organisations:create": (
            url("organisations:create"),
            {"GET": STAFF, "POST": STAFF},
            {"POST": lambda o: {"name": "Nuova realtà", "sector": "third_sector"}},
        ),
        "organisations:detail": (url("organisations:detail", "organisation"), {"GET": KEEPERS}),
        "organisations:detail#elsewhere": (url("organisations:detail", "other_organisation"), {"GET": COORDINATOR_ONLY}),
        "organisations:detail#other-city": (url("organisations:detail", "far_organisation"), {"GET": DENIED}),
        "organisations:public": (url("organisations:public", "organisation"), {"GET": PUBLIC}),
        "organisations:public#not-agreed": (url("organisations:public", "other_organisation"), {"GET": everyone(404)}),
        "organisations:edit": (
            url("organisations:edit", "organisation"),
            {"GET": KEEPERS, "POST": KEEPERS},
            {"POST": lambda o: {"name": "Bottega solidale", "sector": "business"}},
        ),
        "organisations:edit#elsewhere": (
            url("organisations:edit", "other_organisation"),
            {"GET": COORDINATOR_ONLY, "POST": COORDINATOR_ONLY},
            {"POST": lambda o: {"name": "Presa da altri", "sector": "business"}},
        ),
        "organisations:edit#other-city": (
            url("organisations:edit", "far_organisation"),
            {"GET": DENIED, "POST": DENIED},
            {"POST": lambda o: {"name": "Presa da altri", "sector": "business"}},
        ),
        "organisations:merge": (
            url("organisations:merge", "organisation"),
            {"GET": COORDINATOR_ONLY, "POST": COORDINATOR_ONLY},
            {"POST": lambda o: {"duplicate": o["other_organisation"].pk, "confirm": "on"}},
        ),
        "organisations:merge#other-city": (
            url("organisations:merge", "far_organisation"),
            {"GET": DENIED, "POST": DENIED},
            {"POST": lambda o: {"duplicate": o["organisation"].pk, "confirm": "on"}},
        ),
        "organisations:service_create": (
            url("organisations:service_create", "organisation"),
            {"GET": KEEPERS, "POST": KEEPERS},
            {"POST": lambda o: {"name": "Sportello"}},
        ),
        "organisations:service_create#elsewhere": (
            url("organisations:service_create", "other_organisation"),
            {"GET": COORDINATOR_ONLY, "POST": COORDINATOR_ONLY},
            {"POST": lambda o: {"name": "Sportello"}},
        ),
        "organisations:service_edit": (
            url("organisations:service_edit", "service"),
            {"GET": KEEPERS, "POST": KEEPERS},
            {"POST": lambda o: {"name": "Sportello cambiato"}},
        ),
        "organisations:service_edit#elsewhere": (
            url("organisations:service_edit", "other_service"),
            {"GET": COORDINATOR_ONLY, "POST": COORDINATOR_ONLY},
            {"POST": lambda o: {"name": "Sportello cambiato"}},
        ),
        "organisations:service_delete": (url("organisations:service_delete", "service"), {"GET": KEEPERS, "POST": KEEPERS}),
        "organisations:service_delete#elsewhere": (
            url("organisations:service_delete", "other_service"),
            {"GET": COORDINATOR_ONLY, "POST": COORDINATOR_ONLY},
        ),
        "organisations:member_link": (
            url("organisations:member_link", "organisation"),
            {"GET": STAFF, "POST": STAFF},
            {"POST": lambda o: {"account": "altro-partner", "role": "member"}},
        ),
        "organisations:member_link#elsewhere": (
            url("organisations:member_link", "other_organisation"),
            {"GET": COORDINATOR_ONLY, "POST": COORDINATOR_ONLY},
            {"POST": lambda o: {"account": "partner", "role": "referent"}},
        ),
        # A referent invites colleagues into her own organisation (as members); staff who keep it, with a role.
        "organisations:member_invite": (
            url("organisations:member_invite", "organisation"),
            {"GET": KEEPERS, "POST": KEEPERS},
            {"POST": lambda o: {"first_name": "Nuova", "last_name": "Collega", "email": "nuova.collega@example.org"}},
        ),
        "organisations:member_invite#elsewhere": (
            url("organisations:member_invite", "other_organisation"),
            {"GET": COORDINATOR_ONLY, "POST": COORDINATOR_ONLY},
            {"POST": lambda o: {"first_name": "Altra", "email": "altra.collega@example.org"}},
        ),
        "organisations:member_invite#other-city": (
            url("organisations:member_invite", "far_organisation"),
            {"GET": DENIED, "POST": DENIED},
            {"POST": lambda o: {"first_name": "Lontana", "email": "lontana@example.org"}},
        ),
        # A referent unlinks the members of her own organisation, not herself (`membership`, below) nor a referent.
        "organisations:member_unlink#colleague": (
            url("organisations:member_unlink", "colleague_membership"),
            {"GET": KEEPERS, "POST": KEEPERS},
            {"POST": lambda o: {"confirm": "on"}},
        ),
        "organisations:member_unlink": (
            url("organisations:member_unlink", "membership"),
            {"GET": STAFF, "POST": STAFF},
            {"POST": lambda o: {"confirm": "on"}},
        ),
        "organisations:member_unlink#elsewhere": (
            url("organisations:member_unlink", "other_membership"),
            {"GET": COORDINATOR_ONLY, "POST": COORDINATOR_ONLY},
            {"POST": lambda o: {"confirm": "on"}},
        ),
    }
)


def make_objects(o):
    from axes.models import AccessAttempt

    from trama.people.models import ApiToken

    o["lockout"] = AccessAttempt.objects.create(username="bloccato", ip_address="192.0.2.1", failures_since_start=99)
    o["token_of_another"] = ApiToken.issue(o["other_citizen"], name="script")[0]
    o["own_token"] = ApiToken.issue(o["users"][Role.CITIZEN], name="mio script")[0]

    from trama.people.models import Membership, Organisation, Service, User

    o["organisation"].neighbourhoods.add(o["neighbourhood"])
    o["organisation"].public_page_agreed = True
    o["organisation"].save(update_fields=["public_page_agreed"])
    o["other_organisation"].neighbourhoods.add(o["other_neighbourhood"])
    o["far_organisation"] = Organisation.objects.create(city=o["other_city"], name="Lontana", sector="public")
    o["service"] = Service.objects.create(organisation=o["organisation"], name="Spesa sospesa")
    o["other_service"] = Service.objects.create(organisation=o["other_organisation"], name="Orto aperto")
    o["membership"] = Membership.objects.get(organisation=o["organisation"], account=o["users"][Role.PARTNER])
    o["other_membership"] = Membership.objects.get(organisation=o["other_organisation"], account=o["other_partner"])
    colleague = User.objects.create_user(username="collega", email="collega@example.org", role=Role.PARTNER, city=o["city"])
    o["colleague_membership"] = Membership.objects.create(organisation=o["organisation"], account=colleague, role="member")
