"""Schemathesis walks the whole API (every operation of the OpenAPI schema) as a coordinator and as a citizen.

The data is the demo city (`load_demo`: neighbourhoods, places, people, offers, needs, matches,
signals, groups, initiatives, themes), loaded once for the module, so that detail endpoints have
objects to find; each generated case runs in its own savepoint, rolled back after it.
Requests go through the WSGI application with a logged-in session cookie and a CSRF token, as the
browser's API calls do (token authentication is left out: it is being replaced).

For each operation and role Hypothesis generates a bounded number of requests (`MAX_EXAMPLES`,
derandomized: the same requests on every run), valid and invalid, and every response is checked by:
- not_a_server_error: no 5xx;
- status_code_conformance: the status code is one the schema documents for the operation;
- content_type_conformance: the Content-Type is one the schema documents;
- response_schema_conformance: the body matches the documented schema (nullable fields included).
"""

import io
import json

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import Client, override_settings
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import content_type_conformance, not_a_server_error, status_code_conformance
from schemathesis.specs.openapi.checks import response_schema_conformance

from trama.people.models import User

MAX_EXAMPLES = 3  # per operation and role: 142 tests; at 5 they took 6 minutes of CPU on the shared machine
CSRF = "hardeningcsrfsecret0123456789abc"  # a 32-character secret: the cookie and the header carry the same one
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
ROLES = {"coordinator": "coordinatrice", "citizen": "cittadino"}
# The demo is loaded with tasks run at once (its themes and embeddings); the generated requests
# only queue theirs: the contract of an operation that starts work (a discovery run, a report)
# is its answer, and running a discovery over the demo city for every example took most of this
# module's time. The tasks themselves are tested in their apps.
QUEUED_ONLY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

schema = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(public=True))))
schema.app = get_wsgi_application()


@pytest.fixture(scope="module")
def sessions(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo city in an outer transaction, rolled back at the end; {role: session cookie value}."""
    with django_db_blocker.unblock(), override_settings(VAR_DIR=tmp_path_factory.mktemp("var")):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("load_demo", stdout=io.StringIO())
            cookies = {}
            for role, username in ROLES.items():
                client = Client()
                client.force_login(User.objects.get(username=username))
                cookies[role] = client.cookies["sessionid"].value
            with override_settings(TASKS=QUEUED_ONLY):
                yield cookies
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def same_connection():
    """Django closes the database connection around each request; here it must stay inside the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("role", ROLES)
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_every_request_as_documented(case, role, sessions, db, same_connection):
    response = case.call(cookies={"sessionid": sessions[role], "csrftoken": CSRF}, headers={"X-CSRFToken": CSRF})
    case.validate_response(response, checks=CHECKS)
