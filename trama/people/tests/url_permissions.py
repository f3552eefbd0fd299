"""Who may use each people URL (walked by tests/test_permissions.py)."""

from django.urls import reverse

from trama.testing import ANY_METHOD, COORDINATOR_ONLY, PUBLIC, SIGNED_IN, STAFF, everyone, url

EXPECTED = {
    "people:register": (url("people:register"), ANY_METHOD(PUBLIC)),
    "people:profile": (url("people:profile"), ANY_METHOD(SIGNED_IN)),
    "people:invitation": (lambda o: reverse("people:invitation", args=["MQ", "invalid-token"]), ANY_METHOD(PUBLIC)),
    "people:people": (url("people:people"), ANY_METHOD(STAFF)),
    "people:person": (url("people:person", "person"), ANY_METHOD(STAFF)),
    "people:person#elsewhere": (url("people:person", "person_elsewhere"), ANY_METHOD(COORDINATOR_ONLY)),
    "people:person#other-city": (url("people:person", "person_far"), ANY_METHOD(everyone('denied'))),
    "people:accounts": (url("people:accounts"), ANY_METHOD(COORDINATOR_ONLY)),
    "people:invite": (url("people:invite"), ANY_METHOD(COORDINATOR_ONLY)),
    "people:account": (url("people:account", "account"), ANY_METHOD(COORDINATOR_ONLY)),
    "people:account#other-city": (url("people:account", "far_account"), ANY_METHOD(everyone('denied'))),
    # With a valid body: only a coordinator disables an account; every refusal leaves it as it was.
    "people:account_set_active": (url("people:account_set_active", "account"), {"POST": COORDINATOR_ONLY},
                                  {"POST": lambda o: {"active": "0", "confirm": "on"}}),
    "people:account_resend_invitation": (url("people:account_resend_invitation", "account"), {"POST": COORDINATOR_ONLY}),
    "people:person#of-another": (url("people:person", "other_person"), ANY_METHOD(STAFF)),
}
