"""The world of tests/test_audit_reads.py: every URL with who may GET it, and fixtures where each personal list
shows exactly the records the audit test names.

This is the permission walk's earlier, GET-only shape, kept for the audit test (whose expected page ids are
written against these fixtures); tests/test_permissions.py is the walk of access. A URL missing here fails
tests/test_audit_reads.py::test_every_url_of_the_walk_is_in_the_audit_world, so the two cannot drift apart.

Original docstring:

A URL that is not declared in EXPECTED fails `test_every_url_is_declared`: a new
page or endpoint must say who may use it before it lands.

Expectations per role: "ok" (served), "denied" (403, 401, or for anonymous
visitors a redirect to the login page), or an HTTP status code where the answer
is the same for everyone (405 for POST-only URLs answered to a GET).
"""

import pytest
from axes.models import AccessAttempt
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from trama.people.models import Consent, Membership, Organisation, Role, Service
from trama.people.services import register_person
from trama.territory.models import Place
from trama.testing import ANON, COORDINATOR_ONLY, PUBLIC, SIGNED_IN, STAFF, everyone, only


def app_modules():
    """The apps' declarations for this world, one module per app beside this one."""
    from . import attention, collective, imports, initiatives, insights, market, notifications, practices, privacy, themes

    return [attention, collective, imports, initiatives, insights, market, notifications, practices, privacy, themes]


# name -> (how to build the URL from the fixtures, expectations for GET)
# The walk's partner is the referent of `kept_organisation`, which works in the worker's neighbourhood.
KEEPERS = only(Role.COORDINATOR, Role.WORKER, Role.PARTNER)

EXPECTED = {
    "home": (lambda o: reverse("home"), PUBLIC),
    "service_worker": (lambda o: reverse("service_worker"), PUBLIC),
    "my_activity": (lambda o: reverse("my_activity"), only(Role.CITIZEN)),
    "health": (lambda o: reverse("health"), PUBLIC),
    "easy": (lambda o: reverse("easy", args=["cerco-una-mano"]), PUBLIC),
    "set_language": (lambda o: reverse("set_language"), PUBLIC),
    "login": (lambda o: reverse("login"), PUBLIC),
    "logout": (lambda o: reverse("logout"), everyone(405)),
    "password_change": (lambda o: reverse("password_change"), SIGNED_IN),
    "password_change_done": (lambda o: reverse("password_change_done"), SIGNED_IN),
    "password_reset": (lambda o: reverse("password_reset"), PUBLIC),
    "password_reset_done": (lambda o: reverse("password_reset_done"), PUBLIC),
    "password_reset_confirm": (lambda o: reverse("password_reset_confirm", args=["MQ", "set-password"]), PUBLIC),
    "password_reset_complete": (lambda o: reverse("password_reset_complete"), PUBLIC),
    "people:register": (lambda o: reverse("people:register"), PUBLIC),
    "people:profile": (lambda o: reverse("people:profile"), SIGNED_IN),
    "people:log_out_everywhere": (lambda o: reverse("people:log_out_everywhere"), everyone(405)),
    "people:identity_unlink": (lambda o: reverse("people:identity_unlink"), everyone(405)),
    # SPID and CIE sign-in: off in this world (no provider configured), so not there for anyone; they read no one's
    # record (the sign-in finds an account by its fiscal code's digest, as the password sign-in by its username).
    "identity_start": (lambda o: reverse("identity_start", args=["spid"]), everyone(404)),
    "identity_return": (lambda o: reverse("identity_return"), everyone(404)),
    "identity_register": (lambda o: reverse("identity_register"), everyone(404)),
    # The federation's entity configuration and resolve endpoint: off here too; they publish Trama's and the
    # providers' metadata, no one's record.
    "openid_federation": (lambda o: reverse("openid_federation"), everyone(404)),
    "federation_resolve": (lambda o: reverse("federation_resolve"), everyone(404)),
    "people:api_tokens": (lambda o: reverse("people:api_tokens"), SIGNED_IN),
    "people:api_token_revoke": (lambda o: reverse("people:api_token_revoke", args=[999999]), {**everyone(404), ANON: "denied"}),
    "people:invitation": (lambda o: reverse("people:invitation", args=["MQ", "invalid-token"]), PUBLIC),
    "people:people": (lambda o: reverse("people:people"), STAFF),
    "people:person": (lambda o: reverse("people:person", args=[o["person"].pk]), STAFF),
    "people:person#elsewhere": (lambda o: reverse("people:person", args=[o["person_elsewhere"].pk]), COORDINATOR_ONLY),
    "people:accounts": (lambda o: reverse("people:accounts"), COORDINATOR_ONLY),
    "people:invite": (lambda o: reverse("people:invite"), COORDINATOR_ONLY),
    "people:account": (lambda o: reverse("people:account", args=[o["account"].pk]), COORDINATOR_ONLY),
    "people:account_set_active": (lambda o: reverse("people:account_set_active", args=[o["account"].pk]), everyone(405)),
    "people:account_resend_invitation": (lambda o: reverse("people:account_resend_invitation", args=[o["account"].pk]), everyone(405)),
    "people:account_second_factor_reset": (lambda o: reverse("people:account_second_factor_reset", args=[o["account"].pk]), everyone(405)),
    "people:second_factor": (lambda o: reverse("people:second_factor"), SIGNED_IN),
    "people:second_factor_codes": (lambda o: reverse("people:second_factor_codes"), everyone(405)),
    "people:second_factor_remove": (lambda o: reverse("people:second_factor_remove"), everyone(405)),
    "people:lockouts": (lambda o: reverse("people:lockouts"), COORDINATOR_ONLY),
    "people:lockout_unlock": (lambda o: reverse("people:lockout_unlock", args=[o["lockout"].pk]), COORDINATOR_ONLY),
    "second_factor_verify": (lambda o: reverse("second_factor_verify"), SIGNED_IN),
    "privacy:notice": (lambda o: reverse("privacy:notice"), PUBLIC),
    "privacy:audit": (lambda o: reverse("privacy:audit"), COORDINATOR_ONLY),
    "territory:map": (lambda o: reverse("territory:map"), PUBLIC),
    "territory:place_create": (lambda o: reverse("territory:place_create"), STAFF),
    "territory:places": (lambda o: reverse("territory:places"), STAFF),
    "territory:place_edit": (lambda o: reverse("territory:place_edit", args=[o["place"].pk]), STAFF),
    "organisations:list": (lambda o: reverse("organisations:list"), STAFF),
    "organisations:create": (lambda o: reverse("organisations:create"), STAFF),
    "organisations:detail": (lambda o: reverse("organisations:detail", args=[o["kept_organisation"].pk]), KEEPERS),
    "organisations:public": (lambda o: reverse("organisations:public", args=[o["kept_organisation"].pk]), PUBLIC),
    "organisations:edit": (lambda o: reverse("organisations:edit", args=[o["kept_organisation"].pk]), KEEPERS),
    "organisations:merge": (lambda o: reverse("organisations:merge", args=[o["kept_organisation"].pk]), COORDINATOR_ONLY),
    "organisations:service_create": (lambda o: reverse("organisations:service_create", args=[o["kept_organisation"].pk]), KEEPERS),
    "organisations:service_edit": (lambda o: reverse("organisations:service_edit", args=[o["kept_service"].pk]), KEEPERS),
    "organisations:service_delete": (lambda o: reverse("organisations:service_delete", args=[o["kept_service"].pk]), KEEPERS),
    "organisations:member_link": (lambda o: reverse("organisations:member_link", args=[o["kept_organisation"].pk]), STAFF),
    "organisations:member_unlink": (lambda o: reverse("organisations:member_unlink", args=[o["kept_membership"].pk]), STAFF),
    # A form for someone new: it shows nobody's data.
    "organisations:member_invite": (lambda o: reverse("organisations:member_invite", args=[o["kept_organisation"].pk]), KEEPERS),
    "territory:place": (lambda o: reverse("territory:place", args=[o["place"].pk]), PUBLIC),
    "territory:place#hidden": (lambda o: reverse("territory:place", args=[o["hidden_place"].pk]), STAFF),
    "territory:place_poster": (lambda o: reverse("territory:place_poster", args=[o["place"].pk]), STAFF),
    # The city's settings: no personal data (neighbourhoods, a threshold, rates, the retention schedule).
    "city_settings": (lambda o: reverse("city_settings"), COORDINATOR_ONLY),
    "territory:neighbourhood_edit": (lambda o: reverse("territory:neighbourhood_edit", args=[o["place"].neighbourhood_id]), COORDINATOR_ONLY),
    "territory:small_count_threshold": (lambda o: reverse("territory:small_count_threshold"), COORDINATOR_ONLY),
    "api-neighbourhoods": (lambda o: reverse("api-neighbourhoods"), PUBLIC),
    "api-neighbourhood": (lambda o: reverse("api-neighbourhood", args=[o["place"].neighbourhood_id]), PUBLIC),
    "api-places": (lambda o: reverse("api-places"), PUBLIC),
    "api-place": (lambda o: reverse("api-place", args=[o["place"].pk]), PUBLIC),
    "api-place#hidden": (lambda o: reverse("api-place", args=[o["hidden_place"].pk]), STAFF),
    "api-places-geojson": (lambda o: reverse("api-places-geojson"), PUBLIC),
    "api-schema": (lambda o: reverse("api-schema"), PUBLIC),
    "api-docs": (lambda o: reverse("api-docs"), PUBLIC),
    "background:troubled_tasks": (lambda o: reverse("background:troubled_tasks"), COORDINATOR_ONLY),
    "api-token": (lambda o: reverse("api-token"), everyone(405)),
}

for _module in app_modules():
    EXPECTED.update(_module.EXPECTED)

# URLs that belong to libraries and are walked by their own rules (none since the empty admin went).
LIBRARY_NAMESPACES = set()


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            namespace = entry.namespace
            if namespace in LIBRARY_NAMESPACES:
                continue
            yield from _walk(entry.url_patterns, f"{prefix}{namespace}:" if namespace else prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + entry.name
        elif isinstance(entry, URLPattern):
            yield f"{prefix}<unnamed {entry.pattern}>"


def project_url_names():
    return set(_walk(get_resolver().url_patterns))


@pytest.fixture
def objects(request, users, neighbourhood, other_neighbourhood, make_user):
    def person(where):
        return register_person(
            by=users[Role.COORDINATOR],
            neighbourhood=where,
            display_name="Gino",
            channel="outreach",
            consents=[Consent.Purpose.REGISTRATION],
        )

    objects = {
        "account": make_user(Role.CITIZEN),
        "place": Place.objects.create(neighbourhood=neighbourhood, name="Punto di comunità", kind=Place.Kind.COMMUNITY_POINT),
        "hidden_place": Place.objects.create(neighbourhood=neighbourhood, name="Sede riservata", is_public=False),
        "person": person(neighbourhood),
        "person_elsewhere": person(other_neighbourhood),
        "lockout": AccessAttempt.objects.create(username="bloccato", ip_address="192.0.2.1", failures_since_start=99),
    }
    kept = objects["kept_organisation"] = Organisation.objects.create(
        city=neighbourhood.city, name="Emporio del quartiere", sector="third_sector", public_page_agreed=True
    )
    kept.neighbourhoods.add(neighbourhood)
    objects["kept_membership"] = Membership.objects.create(organisation=kept, account=users[Role.PARTNER], role="referent")
    objects["kept_service"] = Service.objects.create(organisation=kept, name="Spesa sospesa")
    for module in app_modules():
        if hasattr(module, "make_objects"):
            module.make_objects(request, objects)
    return objects


def outcome(response):
    if response.status_code in (401, 403):
        return "denied"
    if response.status_code in (301, 302) and reverse("login") in response.get("Location", ""):
        return "denied"
    if response.status_code < 400:
        return "ok"
    return response.status_code
