"""Every URL of the project, walked as every role, against a declared expectation.

A URL that is not declared in EXPECTED fails `test_every_url_is_declared`: a new
page or endpoint must say who may use it before it lands.

Expectations per role: "ok" (served), "denied" (403, 401, or for anonymous
visitors a redirect to the login page), or an HTTP status code where the answer
is the same for everyone (405 for POST-only URLs answered to a GET).
"""

import importlib

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from trama.people.models import Consent, Role, User
from trama.people.services import register_person
from trama.territory.models import Place
from trama.testing import ANON, COORDINATOR_ONLY, PUBLIC, ROLES, SIGNED_IN, STAFF, everyone


def app_modules():
    """Each app's own declarations, from trama/<app>/tests/url_permissions.py."""
    modules = []
    for config in apps.get_app_configs():
        if config.name.startswith("trama."):
            try:
                modules.append(importlib.import_module(f"{config.name}.tests.url_permissions"))
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.tests.url_permissions":
                    raise
    return modules


# name -> (how to build the URL from the fixtures, expectations for GET)
EXPECTED = {
    "home": (lambda o: reverse("home"), PUBLIC),
    "health": (lambda o: reverse("health"), PUBLIC),
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
    "territory:place": (lambda o: reverse("territory:place", args=[o["place"].pk]), PUBLIC),
    "territory:place#hidden": (lambda o: reverse("territory:place", args=[o["hidden_place"].pk]), STAFF),
    "api-neighbourhoods": (lambda o: reverse("api-neighbourhoods"), PUBLIC),
    "api-neighbourhood": (lambda o: reverse("api-neighbourhood", args=[o["place"].neighbourhood_id]), PUBLIC),
    "api-places": (lambda o: reverse("api-places"), PUBLIC),
    "api-place": (lambda o: reverse("api-place", args=[o["place"].pk]), PUBLIC),
    "api-place#hidden": (lambda o: reverse("api-place", args=[o["hidden_place"].pk]), STAFF),
    "api-places-geojson": (lambda o: reverse("api-places-geojson"), PUBLIC),
    "api-schema": (lambda o: reverse("api-schema"), PUBLIC),
    "api-docs": (lambda o: reverse("api-docs"), PUBLIC),
    "api-token": (lambda o: reverse("api-token"), everyone(405)),
}

for _module in app_modules():
    EXPECTED.update(_module.EXPECTED)

# URLs that belong to libraries and are walked by their own rules.
LIBRARY_NAMESPACES = {"admin"}


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


def test_every_url_is_declared():
    declared = {name.split("#")[0] for name in EXPECTED}
    missing = project_url_names() - declared
    assert not missing, f"URLs without a declared permission expectation: {sorted(missing)}"
    stale = declared - project_url_names()
    assert not stale, f"Declared URLs that no longer exist: {sorted(stale)}"


@pytest.fixture
def objects(request, users, neighbourhood, other_neighbourhood, make_user):
    def person(where):
        return register_person(
            by=users[Role.COORDINATOR], neighbourhood=where, display_name="Gino", channel="outreach",
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


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES, ids=str)
def test_every_url_answers_each_role_as_declared(client, users, objects, role):
    if role != ANON:
        client.force_login(users[role])
    wrong = {}
    for name, (build, expectations) in EXPECTED.items():
        url = build(objects)
        got = outcome(client.get(url))
        if got != expectations[role]:
            wrong[name] = (url, expectations[role], got)
    assert not wrong, f"as {role}: {wrong}"


@pytest.mark.django_db
def test_admin_is_closed_to_every_programme_role(client, users):
    for role, user in users.items():
        client.force_login(user)
        response = client.get("/admin/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"], role


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES, ids=str)
def test_only_coordinators_may_disable_an_account(client, users, objects, role):
    if role != ANON:
        client.force_login(users[role])
    target = objects["account"]
    client.post(reverse("people:account_set_active", args=[target.pk]), {"active": "0", "confirm": "on"})
    target.refresh_from_db()
    assert target.is_active is (role != Role.COORDINATOR)
    assert User.objects.filter(pk=target.pk).exists()
