"""The API skeleton: token and session authentication, schema, docs, clear errors."""

import pytest
from django.core.management import call_command

from conftest import PASSWORD
from trama.people.models import ApiToken, Role

pytestmark = pytest.mark.django_db


def test_token_is_issued_for_correct_credentials(client, users):
    worker = users[Role.WORKER]
    response = client.post("/api/v1/token/", {"username": worker.username, "password": PASSWORD})
    assert response.status_code == 200
    assert ApiToken.find(response.json()["token"]).account == worker


def test_token_is_refused_for_wrong_credentials_with_a_message(client, users):
    response = client.post("/api/v1/token/", {"username": users[Role.WORKER].username, "password": "sbagliata"})
    assert response.status_code == 400
    assert response.json()["non_field_errors"]
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("body", ["{not json", '{"username": ' + '"x' * 6000 + '"}', "[]", "null"])
def test_malformed_token_requests_get_400(client, users, body):
    response = client.post("/api/v1/token/", body, content_type="application/json")
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_a_disabled_account_token_stops_working(client, users):
    worker = users[Role.WORKER]
    _token, key = ApiToken.issue(worker, "script")
    worker.is_active = False
    worker.save()
    response = client.get("/api/v1/neighbourhoods/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401


def test_schema_is_served_and_valid_without_warnings(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Trama API"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


def test_docs_load_their_scripts_from_our_own_origin(client):
    body = client.get("/api/docs/").content.decode()
    assert "swagger-ui-bundle.js" in body
    assert "cdn." not in body and "https://" not in body.split("<body")[1]


def test_unknown_api_url_is_a_404(client):
    assert client.get("/api/v1/non-esiste/").status_code == 404


def test_schema_documents_the_token_scheme(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    scheme = schema["components"]["securitySchemes"]["tokenAuth"]
    assert scheme["type"] == "apiKey" and scheme["in"] == "header" and scheme["name"] == "Authorization"
    assert "Token <chiave>" in scheme["description"] and "otp" in scheme["description"]
    assert {"tokenAuth": []} in schema["paths"]["/api/v1/neighbourhoods/"]["get"]["security"]
    issue = schema["paths"]["/api/v1/token/"]["post"]
    assert "security" not in issue  # asking for a token needs no token
    assert issue["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/IssuedToken")


@pytest.mark.parametrize("path", ["/api/v1/market/offers/null,null/", "/api/v1/non-esiste/"])
def test_an_api_address_that_matches_nothing_answers_json_not_a_page(client, db, path):
    response = client.get(path)
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}


def test_the_schema_documents_the_errors_in_the_apis_shape(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    detail = schema["paths"]["/api/v1/market/offers/{id}/"]
    assert {"401", "403", "404"} <= set(detail["get"]["responses"]) and "400" in detail["patch"]["responses"]
    assert detail["get"]["responses"]["404"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail"]
    assert "404" not in schema["paths"]["/api/v1/neighbourhoods/"]["get"]["responses"]


def test_a_services_refusal_keeps_its_fields_or_goes_where_the_caller_says():
    from django.core.exceptions import ValidationError

    from trama.api import refused

    assert refused(ValidationError({"status": ["No."]})).detail == {"status": ["No."]}
    assert refused(ValidationError("No.")).detail == {"non_field_errors": ["No."]}
    assert refused(ValidationError("No."), "stage").detail == {"stage": ["No."]}
    assert refused(ValidationError("No."), field=None).detail == ["No."]


def test_djangos_validation_errors_become_drfs_in_one_place():
    from pathlib import Path

    # The views' counterpart, a service's error put on a form, is trama.shortcuts.form_errors_from.
    root = Path(__file__).resolve().parent.parent
    apis = [p for p in root.rglob("*.py") if "tests" not in p.parts and "rest_framework" in p.read_text()]
    written = [str(p.relative_to(root)) for p in apis if "error_dict" in p.read_text()]
    assert written == ["api.py"]
