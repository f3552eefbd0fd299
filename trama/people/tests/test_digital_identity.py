"""SPID and CIE sign-in against the local test provider: the whole dance, and every way it must fail."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from trama.people.identity import fiscal_code_digest
from trama.people.models import DigitalIdentity, Person, Role, User
from trama.people.tests.oidc_provider import MARIA, LocalProvider, trama_keys
from trama.privacy.erasure import erase_person

CLIENT_ID = "https://trama.example.org/oidc/rp/"
MARIA_DIGEST_OF = "RSSMRA85T10A562S"


@pytest.fixture(scope="module")
def keys():
    return trama_keys()


def configure(settings, tmp_path, keys, issuer):
    path = tmp_path / "trama-keys.json"
    path.write_text(json.dumps(keys))
    settings.TRAMA_OIDC_CLIENT_ID = CLIENT_ID
    settings.TRAMA_OIDC_KEYS_FILE = str(path)
    settings.TRAMA_OIDC_PROVIDERS = [
        {"kind": "spid", "name": "Provider di prova", "issuer": issuer},
        {"kind": "cie", "name": "CIE", "issuer": issuer},
    ]


@pytest.fixture
def provider(settings, tmp_path, keys, city):
    with LocalProvider(CLIENT_ID, keys, [RETURN()]) as p:
        configure(settings, tmp_path, keys, p.issuer)
        yield p


def RETURN():  # noqa: N802 (reads as the constant it is)
    return "http://testserver" + reverse("identity_return")


def begin(client, key="provider-di-prova", query=""):
    response = client.get(reverse("identity_start", args=[key]) + query)
    assert response.status_code == 302, response.content
    return response["Location"]


def dance(client, provider, key="provider-di-prova"):
    """Start at Trama, sign in at the provider, come back: Trama's answer."""
    back = provider.sign_in(begin(client, key))
    assert back.startswith(RETURN())
    return client.get(back.removeprefix("http://testserver"))


def signed_in(client):
    return client.session.get(SESSION_KEY)


def linked(account):
    return DigitalIdentity.objects.create(account=account, fiscal_code_digest=fiscal_code_digest(MARIA_DIGEST_OF), kind="spid")


# -- off by default ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_without_providers_there_are_no_buttons_and_no_doors(client, city):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert "Entra con SPID" not in page.text and "Entra con CIE" not in page.text
    assert client.get(reverse("identity_start", args=["provider-di-prova"])).status_code == 404
    assert client.get(reverse("identity_return") + "?state=a&code=b").status_code == 404
    assert client.get(reverse("identity_register")).status_code == 404


@pytest.mark.django_db
def test_without_trama_keys_the_buttons_stay_hidden(client, settings, city):
    settings.TRAMA_OIDC_CLIENT_ID = CLIENT_ID
    settings.TRAMA_OIDC_PROVIDERS = [{"kind": "spid", "name": "Provider di prova", "issuer": "https://op.example.org"}]
    settings.TRAMA_OIDC_KEYS_FILE = ""
    assert "Entra con SPID" not in client.get(reverse("login")).text


# -- the dance -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_sign_in_page_shows_both_buttons(client, provider):
    page = client.get(reverse("login")).text
    assert "Entra con SPID" in page and "Entra con CIE" in page and "Provider di prova" in page


@pytest.mark.django_db
def test_the_request_carries_the_italian_profiles_parameters(client, provider):
    location = begin(client)
    query = parse_qs(urlsplit(location).query)
    assert query["code_challenge_method"] == ["S256"] and "request" in query
    sent = provider.seen_requests  # the provider verified the request object's signature with Trama's key
    provider.sign_in(location)
    request_object = sent[-1]
    assert request_object["acr_values"] == "https://www.spid.gov.it/SpidL2"
    assert request_object["prompt"] == "consent login"
    assert request_object["code_challenge"] == query["code_challenge"][0]
    assert "https://attributes.eid.gov.it/fiscal_number" in request_object["claims"]["userinfo"]


@pytest.mark.django_db
def test_a_known_identity_signs_in_her_own_account(client, provider, make_user):
    maria = make_user(Role.CITIZEN)
    linked(maria)
    make_user(Role.CITIZEN, email=MARIA["email"])  # the same e-mail on another account opens nothing
    response = dance(client, provider)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert signed_in(client) == str(maria.pk)
    assert DigitalIdentity.objects.get(account=maria).last_used_at is not None


@pytest.mark.django_db
def test_cie_signs_in_the_same_person(client, provider, make_user):
    maria = make_user(Role.CITIZEN)
    linked(maria)
    dance(client, provider, key="cie")
    assert signed_in(client) == str(maria.pk)
    assert DigitalIdentity.objects.get(account=maria).kind == "cie"


@pytest.mark.django_db
def test_the_next_page_is_kept_across_the_dance(client, provider, make_user):
    linked(make_user(Role.CITIZEN))
    back = provider.sign_in(begin(client, query="?next=/profilo/"))
    assert client.get(back.removeprefix("http://testserver"))["Location"] == "/profilo/"


@pytest.mark.django_db
def test_a_first_sign_in_registers_a_citizen_with_the_registrations_consent(client, provider):
    response = dance(client, provider)
    assert response["Location"] == reverse("identity_register")
    assert signed_in(client) is None
    page = client.get(reverse("identity_register"))
    assert page.status_code == 200 and 'value="Maria"' in page.text and MARIA["email"] in page.text
    assert "RSSMRA85T10A562S" not in page.text

    refused = client.post(reverse("identity_register"), {"first_name": "Maria", "email": MARIA["email"], "username": "maria"})
    assert refused.status_code == 400 and "informativa" in refused.text.lower()
    assert not User.objects.filter(username="maria").exists()

    done = client.post(reverse("identity_register"), {"first_name": "Maria", "email": MARIA["email"], "username": "maria", "privacy": "on"})
    assert done.status_code == 302
    maria = User.objects.get(username="maria")
    assert maria.role == Role.CITIZEN and not maria.is_staff and not maria.has_usable_password()
    assert signed_in(client) == str(maria.pk)
    identity = DigitalIdentity.objects.get(account=maria)
    assert identity.fiscal_code_digest == fiscal_code_digest("RSSMRA85T10A562S") != "RSSMRA85T10A562S"
    # The next sign-in finds her.
    client.logout()
    dance(client, provider)
    assert signed_in(client) == str(maria.pk)


@pytest.mark.django_db
def test_registration_cannot_take_an_existing_accounts_email(client, provider, make_user):
    worker = make_user(Role.WORKER, email=MARIA["email"])
    dance(client, provider)
    refused = client.post(reverse("identity_register"), {"first_name": "Maria", "email": MARIA["email"], "username": "maria", "privacy": "on"})
    assert refused.status_code == 400 and "Esiste già un account con questa e-mail" in refused.text
    assert signed_in(client) is None and not DigitalIdentity.objects.exists()
    worker.refresh_from_db()
    assert worker.has_usable_password()


@pytest.mark.django_db
def test_registration_without_a_finished_sign_in_goes_back_to_the_login(client, provider):
    response = client.post(reverse("identity_register"), {"first_name": "Eva", "email": "eva@example.org", "username": "eva", "privacy": "on"})
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert not User.objects.filter(username="eva").exists()


# -- refusals ------------------------------------------------------------------------------------


def assert_refused(response, status=400, words=""):
    assert response.status_code == status, response.content
    assert words in response.text
    assert response.wsgi_request.user.is_anonymous


@pytest.mark.django_db
def test_a_state_that_is_not_this_sessions_is_refused(client, provider, make_user):
    linked(make_user(Role.CITIZEN))
    back = provider.sign_in(begin(client))
    forged = back.replace("state=", "state=x")
    assert_refused(client.get(forged.removeprefix("http://testserver")), words="non è valida o è scaduta")
    assert signed_in(client) is None


@pytest.mark.django_db
def test_a_return_in_another_browser_is_refused(client, provider, make_user):
    linked(make_user(Role.CITIZEN))
    back = provider.sign_in(begin(client))
    other = Client()
    assert_refused(other.get(back.removeprefix("http://testserver")), words="non è valida o è scaduta")


@pytest.mark.django_db
def test_a_state_serves_once(client, provider, make_user):
    linked(make_user(Role.CITIZEN))
    back = provider.sign_in(begin(client)).removeprefix("http://testserver")
    assert client.get(back).status_code == 302
    client.logout()
    assert_refused(client.get(back), words="non è valida o è scaduta")


@pytest.mark.django_db
@pytest.mark.parametrize("tamper", ["nonce", "expired", "forged", "audience", "forged_userinfo", "plain_userinfo", "refuse_token"])
def test_a_token_that_does_not_hold_is_refused(client, provider, make_user, tamper):
    linked(make_user(Role.CITIZEN))
    provider.tamper = tamper
    assert_refused(dance(client, provider), words="non è riuscito")
    assert signed_in(client) is None


@pytest.mark.django_db
def test_the_providers_refusal_is_said_plainly(client, provider):
    provider.refuse = "access_denied"
    assert_refused(dance(client, provider), words="annullato o rifiutato")


@pytest.mark.django_db
def test_a_missing_fiscal_code_is_refused(client, provider):
    provider.person = {**MARIA, "https://attributes.eid.gov.it/fiscal_number": "TINIT-NONVALIDO"}
    assert_refused(dance(client, provider), words="codice fiscale valido")
    assert not User.objects.filter(email=MARIA["email"]).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "?state=", "?code=abc", "?state=%00&code=" + "x" * 5000, "?state=a&state=b&code=c", "?error=access_denied"])
def test_malformed_returns_get_a_clear_400(client, provider, query):
    begin(client)
    assert_refused(client.get(reverse("identity_return") + query), words="non è valida o è scaduta")


@pytest.mark.django_db
def test_an_unreachable_provider_is_a_502_with_a_message(client, settings, tmp_path, keys, city):
    configure(settings, tmp_path, keys, "http://127.0.0.1:9")
    response = client.get(reverse("identity_start", args=["provider-di-prova"]))
    assert response.status_code == 502 and "non risponde" in response.text


@pytest.mark.django_db
def test_a_provider_over_plain_http_elsewhere_is_refused(client, settings, tmp_path, keys, city):
    configure(settings, tmp_path, keys, "http://op.example.org")
    assert client.get(reverse("identity_start", args=["provider-di-prova"])).status_code == 503


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.WORKER, Role.PARTNER, Role.ANTENNA])
def test_an_account_that_is_not_a_citizens_is_never_opened_by_spid(client, provider, make_user, role):
    """The rule: SPID and CIE open citizens' accounts only. Even linked (say, a citizen later made a worker), the
    staff's account is not opened by a matching fiscal code: it signs in with its password and second factor."""
    account = make_user(role)
    linked(account)
    assert_refused(dance(client, provider), status=403, words="per i cittadini")
    assert signed_in(client) is None


@pytest.mark.django_db
def test_a_citizen_with_admin_rights_is_not_opened_either(client, provider, make_user):
    linked(make_user(Role.CITIZEN, is_staff=True))
    assert_refused(dance(client, provider), status=403, words="per i cittadini")


@pytest.mark.django_db
def test_a_disabled_account_is_refused(client, provider, make_user):
    linked(make_user(Role.CITIZEN, is_active=False))
    assert_refused(dance(client, provider), status=403, words="disattivato")


@pytest.mark.django_db
def test_a_second_factor_is_still_asked(client, provider, make_user):
    maria = make_user(Role.CITIZEN)
    linked(maria)
    TOTPDevice.objects.create(user=maria, name="app", confirmed=True)
    response = dance(client, provider)
    assert response["Location"] == reverse("second_factor_verify")
    assert signed_in(client) is None


# -- linking from the profile --------------------------------------------------------------------


@pytest.mark.django_db
def test_a_citizen_links_her_identity_from_the_profile(client, provider, make_user, log_in):
    maria = make_user(Role.CITIZEN)
    log_in(client, maria.username)
    assert "Collega SPID" in client.get(reverse("people:profile")).text
    response = dance(client, provider)
    assert response["Location"] == reverse("people:profile")
    assert DigitalIdentity.objects.get(account=maria).fiscal_code_digest == fiscal_code_digest(MARIA_DIGEST_OF)
    assert "Scollega" in client.get(reverse("people:profile")).text
    client.logout()
    dance(client, provider)
    assert signed_in(client) == str(maria.pk)


@pytest.mark.django_db
def test_an_identity_opens_one_account_only(client, provider, make_user, log_in):
    linked(make_user(Role.CITIZEN))
    other = make_user(Role.CITIZEN)
    log_in(client, other.username)
    response = dance(client, provider)
    assert response.status_code == 409 and "già collegata a un altro account" in response.text
    assert not DigitalIdentity.objects.filter(account=other).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.WORKER, Role.PARTNER, Role.ANTENNA])
def test_staff_cannot_link_an_identity(client, provider, make_user, log_in, role, settings):
    settings.TRAMA_REQUIRE_SECOND_FACTOR = False
    account = make_user(role)
    log_in(client, account.username)
    assert "Collega SPID" not in client.get(reverse("people:profile")).text
    assert client.get(reverse("identity_start", args=["provider-di-prova"])).status_code == 403
    assert not DigitalIdentity.objects.exists()


@pytest.mark.django_db
def test_unlinking_needs_the_confirmation_and_a_password(client, provider, make_user, log_in):
    maria = make_user(Role.CITIZEN)
    linked(maria)
    log_in(client, maria.username)
    client.post(reverse("people:identity_unlink"))
    assert DigitalIdentity.objects.filter(account=maria).exists()
    client.post(reverse("people:identity_unlink"), {"confirm": "on"})
    assert not DigitalIdentity.objects.filter(account=maria).exists()


@pytest.mark.django_db
def test_unlinking_without_a_password_is_refused(client, provider, make_user):
    maria = make_user(Role.CITIZEN, password=None)
    linked(maria)
    dance(client, provider)
    assert signed_in(client) == str(maria.pk)
    client.post(reverse("people:identity_unlink"), {"confirm": "on"})
    assert DigitalIdentity.objects.filter(account=maria).exists()


# -- privacy -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_fiscal_code_is_never_stored(provider, client):
    dance(client, provider)
    client.post(reverse("identity_register"), {"first_name": "Maria", "email": MARIA["email"], "username": "maria", "privacy": "on"})
    identity = DigitalIdentity.objects.get()
    stored = " ".join(str(getattr(identity, f.attname)) for f in DigitalIdentity._meta.concrete_fields)
    assert "RSSMRA85T10A562S" not in stored.upper()
    assert "RSSMRA85T10A562S" not in json.dumps(dict(client.session.items()), default=str)


@pytest.mark.django_db
def test_erasure_removes_the_identity(make_user, city, neighbourhood):
    maria = make_user(Role.CITIZEN)
    linked(maria)
    person = Person.objects.create(city=city, neighbourhood=neighbourhood, display_name="Maria", account=maria)
    erase_person(person, ledger=False)
    assert not DigitalIdentity.objects.exists()


@pytest.mark.django_db
def test_the_walk_with_providers(client, provider, users, settings, log_in):
    """With providers configured, every method as every role (tests/test_permissions.py walks them switched off):
    visitors and citizens are sent to the provider, everyone else is refused; a return with no sign-in started is a
    400, the registration with none finished leads back to the sign-in page."""
    settings.TRAMA_REQUIRE_SECOND_FACTOR = False
    start = reverse("identity_start", args=["provider-di-prova"])
    back = reverse("identity_return") + "?state=x&code=y"
    register = reverse("identity_register")
    accounts = {"anonymous": None, **users}
    for role, account in accounts.items():
        client.logout()
        if account is not None:
            log_in(client, account.username)
        for method in ("get", "post", "put", "patch", "delete"):
            send = getattr(client, method)
            expected_start = (302 if role in ("anonymous", Role.CITIZEN) else 403) if method == "get" else 405
            answer = send(start)
            assert answer.status_code == expected_start, (role, method, "start")
            if answer.status_code == 302:
                assert answer["Location"].startswith(provider.issuer + "/authorize?")
            assert send(back).status_code == (400 if method == "get" else 405), (role, method, "return")
            answer = send(register)
            if method in ("get", "post"):
                assert answer.status_code == 302 and answer["Location"] == reverse("login"), (role, method, "register")
            else:
                assert answer.status_code == 405, (role, method, "register")
    assert client.get(reverse("identity_start", args=["non-esiste"])).status_code == 404
    assert not User.objects.filter(role=Role.CITIZEN).exclude(pk=users[Role.CITIZEN].pk).exists()
    assert not DigitalIdentity.objects.exists()
