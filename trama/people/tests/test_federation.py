"""The OpenID Federation of SPID and CIE: Trama's entity configuration, and sign-in only through a provider's valid
trust chain, against a local trust anchor (and an intermediate) and the local provider, all on loopback."""

import json
import logging
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from trama.people import federation
from trama.people.federation import PolicyError, apply_policy, merge_policies
from trama.people.models import Role
from trama.people.tests.oidc_provider import LocalAuthority, LocalProvider, _generated, public, trama_keys
from trama.people.tests.test_digital_identity import CLIENT_ID, RETURN, begin, configure, dance, linked, signed_in

L1, L2, L3 = (f"https://www.spid.gov.it/SpidL{n}" for n in (1, 2, 3))
UNTRUSTED = "faccia parte della federazione"
PEC = "protocollo@pec.comune.example.it"


@pytest.fixture(scope="module")
def keys():
    return trama_keys()


def trama_federation_keys():
    return {"keys": [_generated("trama-fed", "sig", "RS256").as_dict(private=True)]}


def configure_federation(settings, tmp_path, anchors):
    keys_file, anchors_file = tmp_path / "federation-keys.json", tmp_path / "anchors.json"
    keys_file.write_text(json.dumps(trama_federation_keys()))
    anchors_file.write_text(json.dumps({a.entity_id: a.public_keys() for a in anchors}))
    settings.TRAMA_FEDERATION_KEYS_FILE = str(keys_file)
    settings.TRAMA_FEDERATION_TRUST_ANCHORS_FILE = str(anchors_file)
    settings.TRAMA_FEDERATION_CONTACTS = [PEC]


@pytest.fixture
def world(settings, tmp_path, keys, city):
    """A provider registered directly with the trust anchor Trama trusts."""
    with LocalAuthority() as anchor, LocalProvider(CLIENT_ID, keys, [RETURN()]) as op:
        configure(settings, tmp_path, keys, op.issuer)
        configure_federation(settings, tmp_path, [anchor])
        op.authority_hints = [anchor.entity_id]
        anchor.register(op.issuer, op.federation_key)
        yield SimpleNamespace(anchor=anchor, op=op)


def refused(client, caplog, reason):
    """The sign-in is refused at its start, with the Italian message and a log line naming the reason."""
    with caplog.at_level(logging.WARNING, logger="trama.people.federation"):
        response = client.get(reverse("identity_start", args=["provider-di-prova"]))
    assert response.status_code == 502, response.content
    assert UNTRUSTED in response.text and "accedi con nome e password" in response.text
    assert any("trust chain" in r.getMessage() and reason in r.getMessage() for r in caplog.records), caplog.text
    assert signed_in(client) is None


# -- Trama's entity configuration ----------------------------------------------------------------


@pytest.mark.django_db
def test_without_the_federation_there_is_no_entity_configuration(client, settings, tmp_path, keys, city):
    assert client.get("/.well-known/openid-federation").status_code == 404
    configure(settings, tmp_path, keys, "https://op.example.org")  # OpenID Connect alone: still none
    assert client.get("/.well-known/openid-federation").status_code == 404


@pytest.mark.django_db
def test_the_entity_configuration_is_signed_with_the_federation_key(client, world, keys, settings):
    response = client.get("/.well-known/openid-federation")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/entity-statement+jwt"
    token = response.content.decode()
    federation_public = KeySet.import_key_set(public(trama_federation_keys()))
    decoded = jwt.decode(token, federation_public, algorithms=["RS256"])
    assert decoded.header["typ"] == "entity-statement+jwt"
    with pytest.raises(JoseError):  # not with the OpenID Connect keys: they are apart
        jwt.decode(token, KeySet.import_key_set(public(keys)), algorithms=["RS256"])
    claims = decoded.claims
    assert claims["iss"] == claims["sub"] == CLIENT_ID
    assert claims["exp"] > claims["iat"]
    assert claims["jwks"] == public(trama_federation_keys())
    assert claims["authority_hints"] == [world.anchor.entity_id]
    assert "trust_marks" not in claims


@pytest.mark.django_db
def test_the_relying_party_metadata_has_what_the_italian_profile_asks(client, world, keys, city):
    claims = jwt.decode(client.get("/.well-known/openid-federation").content.decode(), KeySet.import_key_set(public(trama_federation_keys()))).claims
    entity = claims["metadata"]["federation_entity"]
    assert entity["organization_name"] == city.name and entity["contacts"] == [PEC]
    assert entity["homepage_uri"] == "http://testserver/" and entity["policy_uri"] == "http://testserver" + reverse("privacy:notice")
    rp = claims["metadata"]["openid_relying_party"]
    assert rp["client_id"] == CLIENT_ID and rp["client_registration_types"] == ["automatic"]
    assert rp["redirect_uris"] == [RETURN()] and rp["response_types"] == ["code"] and rp["grant_types"] == ["authorization_code"]
    assert rp["token_endpoint_auth_method"] == "private_key_jwt"
    assert rp["id_token_signed_response_alg"] == rp["userinfo_signed_response_alg"] == "RS256"
    assert rp["userinfo_encrypted_response_alg"] == "RSA-OAEP-256" and rp["userinfo_encrypted_response_enc"] == "A256CBC-HS512"
    assert rp["organization_name"] == city.name and rp["contacts"] == [PEC]
    # The OpenID Connect keys, public parts only: the one to sign and the one to encrypt for Trama.
    assert rp["jwks"] == public(keys)
    assert not any(private in key for key in rp["jwks"]["keys"] for private in ("d", "p", "q"))


@pytest.mark.django_db
def test_authority_hints_trust_marks_and_names_are_configurable(client, world, settings, tmp_path):
    marks = tmp_path / "marks.json"
    marks.write_text(json.dumps([{"id": "https://registry.example.org/openid_relying_party/public/", "trust_mark": "eyJ.a.b"}]))
    settings.TRAMA_FEDERATION_TRUST_MARKS_FILE = str(marks)
    settings.TRAMA_FEDERATION_AUTHORITY_HINTS = ["https://aggregatore.example.org"]
    settings.TRAMA_FEDERATION_ORGANISATION = "Comune di Prova"
    settings.TRAMA_FEDERATION_LOGO_URI = "https://trama.example.org/static/logo.svg"
    claims = jwt.decode(client.get("/.well-known/openid-federation").content.decode(), KeySet.import_key_set(public(trama_federation_keys()))).claims
    assert claims["trust_marks"] == [{"id": "https://registry.example.org/openid_relying_party/public/", "trust_mark": "eyJ.a.b"}]
    assert claims["authority_hints"] == ["https://aggregatore.example.org"]
    assert claims["metadata"]["federation_entity"]["organization_name"] == "Comune di Prova"
    assert claims["metadata"]["openid_relying_party"]["logo_uri"] == "https://trama.example.org/static/logo.svg"


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_entity_configuration_answers_get_only(client, world, method):
    assert getattr(client, method)("/.well-known/openid-federation").status_code == 405


@pytest.mark.django_db
def test_unreadable_federation_keys_are_a_503_not_a_500(client, world, settings, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    settings.TRAMA_FEDERATION_KEYS_FILE = str(broken)
    response = client.get("/.well-known/openid-federation")
    assert response.status_code == 503 and "federazione" in response.text


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.WORKER, Role.PARTNER, Role.ANTENNA, Role.CITIZEN])
def test_the_entity_configuration_is_the_same_public_document_for_everyone(client, world, make_user, role):
    signed = Client()
    user = make_user(role)
    signed.force_login(user)
    response = signed.get("/.well-known/openid-federation")
    assert response.status_code == 200 and response["Content-Type"] == "application/entity-statement+jwt"

    def read(content):
        claims = jwt.decode(content.decode(), KeySet.import_key_set(public(trama_federation_keys()))).claims
        return {k: v for k, v in claims.items() if k not in ("iat", "exp")}

    assert read(response.content) == read(client.get("/.well-known/openid-federation").content)
    assert user.username not in response.content.decode()


# -- sign-in through the trust chain -------------------------------------------------------------


@pytest.mark.django_db
def test_a_good_chain_signs_in(client, world, make_user):
    maria = make_user(Role.CITIZEN)
    linked(maria)
    response = dance(client, world.op)
    assert response.status_code == 302 and signed_in(client) == str(maria.pk)
    assert world.anchor.fetches == 1


@pytest.mark.django_db
def test_the_chain_is_kept_until_it_expires(client, world, make_user):
    world.anchor.lifetime = 600  # the anchor's statement expires first: the chain with it
    linked(make_user(Role.CITIZEN))
    dance(client, world.op)
    Client().get(reverse("identity_start", args=["provider-di-prova"]))
    assert world.anchor.fetches == 1  # the second sign-in used the chain already resolved
    chain = federation.chain(world.op.issuer)
    assert chain.anchor == world.anchor.entity_id
    leaf = jwt.decode(world.op.entity_configuration(), KeySet.import_key_set(public({"keys": [world.op.federation_key.as_dict()]})))
    assert leaf.claims["exp"] - chain.expires_at > 2000


@pytest.mark.django_db
def test_the_chain_expires_with_its_anchors_configuration(world):
    world.anchor.configuration_lifetime = 300
    chain = federation.chain(world.op.issuer)
    leaf = jwt.decode(world.op.entity_configuration(), KeySet.import_key_set(public({"keys": [world.op.federation_key.as_dict()]})))
    assert leaf.claims["exp"] - chain.expires_at > 3000


@pytest.mark.django_db
def test_a_chain_through_an_intermediate_signs_in(client, settings, tmp_path, keys, city, make_user):
    maria = make_user(Role.CITIZEN)
    linked(maria)
    with LocalAuthority() as anchor, LocalAuthority("intermediate") as intermediate, LocalProvider(CLIENT_ID, keys, [RETURN()]) as op:
        configure(settings, tmp_path, keys, op.issuer)
        configure_federation(settings, tmp_path, [anchor])
        op.authority_hints = ["https://nobody.invalid", intermediate.entity_id]  # a dead hint is skipped
        intermediate.authority_hints = [anchor.entity_id]
        intermediate.register(op.issuer, op.federation_key, metadata_policy={"acr_values_supported": {"subset_of": [L2, L3]}})
        anchor.register(intermediate.entity_id, intermediate.key, metadata_policy={"acr_values_supported": {"subset_of": [L1, L2]}})
        dance(client, op)
        assert signed_in(client) == str(maria.pk)
        # Both superiors' policies hold: only the level both allow is left.
        assert federation.chain(op.issuer).metadata["acr_values_supported"] == [L2]


@pytest.mark.django_db
def test_the_policy_shapes_the_metadata_used(client, world, make_user):
    world.anchor.register(
        world.op.issuer,
        world.op.federation_key,
        metadata_policy={
            "acr_values_supported": {"subset_of": [L2, L3]},
            "token_endpoint_auth_methods_supported": {"value": ["private_key_jwt"], "essential": True},
            "code_challenge_methods_supported": {"superset_of": ["S256"]},
            "op_name": {"default": "Provider di prova"},
            "scopes_supported": {"add": ["openid"]},
        },
    )
    metadata = federation.chain(world.op.issuer).metadata
    assert metadata["acr_values_supported"] == [L2, L3]
    assert metadata["op_name"] == "Provider di prova" and metadata["scopes_supported"] == ["openid"]
    linked(make_user(Role.CITIZEN))
    assert dance(client, world.op).status_code == 302 and signed_in(client)


@pytest.mark.django_db
def test_the_superiors_metadata_overrides_the_providers(world):
    world.anchor.register(world.op.issuer, world.op.federation_key, metadata={"op_name": "Nome dato dall'ancora"})
    assert federation.chain(world.op.issuer).metadata["op_name"] == "Nome dato dall'ancora"


@pytest.mark.django_db
def test_an_expired_statement_refuses_sign_in(client, world, caplog):
    world.anchor.tamper = "expired"
    refused(client, caplog, "expired")


@pytest.mark.django_db
def test_an_expired_entity_configuration_refuses_sign_in(client, world, caplog):
    world.op.statement_tamper = "expired"
    refused(client, caplog, "expired")


@pytest.mark.django_db
def test_a_statement_with_a_wrong_signature_refuses_sign_in(client, world, caplog):
    world.anchor.tamper = "forged"
    refused(client, caplog, "bad signature")


@pytest.mark.django_db
def test_a_provider_whose_own_configuration_is_forged_is_refused(client, world, caplog):
    world.op.statement_tamper = "forged"
    refused(client, caplog, "bad signature")


@pytest.mark.django_db
def test_keys_the_anchor_did_not_vouch_for_are_refused(client, world, caplog):
    # The anchor vouches for another key than the one the provider signs its configuration with.
    world.anchor.register(world.op.issuer, world.anchor.key)
    refused(client, caplog, "bad signature")


@pytest.mark.django_db
def test_an_anchor_not_signed_with_its_configured_keys_is_refused(client, world, settings, tmp_path, caplog):
    impostor = tmp_path / "anchors.json"
    impostor.write_text(json.dumps({world.anchor.entity_id: {"keys": [world.op.federation_key.as_dict(private=False)]}}))
    settings.TRAMA_FEDERATION_TRUST_ANCHORS_FILE = str(impostor)
    refused(client, caplog, "bad signature")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "policy",
    [
        {"token_endpoint_auth_methods_supported": {"superset_of": ["client_secret_basic"]}},
        {"response_types_supported": {"one_of": [["id_token"]]}},
        {"op_name": {"essential": True}},
        {"acr_values_supported": {"value": [L1], "subset_of": [L2]}},
    ],
    ids=["superset_of", "one_of", "essential", "value-outside-subset_of"],
)
def test_a_policy_violation_refuses_sign_in(client, world, caplog, policy):
    world.anchor.register(world.op.issuer, world.op.federation_key, metadata_policy=policy)
    refused(client, caplog, "policy")


@pytest.mark.django_db
def test_a_critical_operator_trama_does_not_know_refuses_sign_in(client, world, caplog):
    world.anchor.register(world.op.issuer, world.op.federation_key, metadata_policy={"op_name": {"regexp": "^P"}})
    world.anchor.subordinates[world.op.issuer]["metadata"] = None
    original = world.anchor.fetch

    def fetch(subject):
        claims = jwt.decode(original(subject), KeySet.import_key_set(world.anchor.public_keys())).claims
        claims["metadata_policy_crit"] = ["regexp"]
        return jwt.encode({"alg": "RS256", "kid": world.anchor.key.kid, "typ": "entity-statement+jwt"}, claims, world.anchor.key)

    world.anchor.fetch = fetch
    refused(client, caplog, "critical")


@pytest.mark.django_db
def test_a_provider_the_anchor_does_not_know_is_refused(client, world, caplog):
    world.anchor.subordinates.clear()
    refused(client, caplog, "answered 404")


@pytest.mark.django_db
def test_a_provider_pointing_to_another_federation_is_refused(client, world, caplog):
    with LocalAuthority("elsewhere") as elsewhere:
        elsewhere.register(world.op.issuer, world.op.federation_key)
        world.op.authority_hints = [elsewhere.entity_id]  # a real, self-signed anchor: not one Trama trusts
        refused(client, caplog, "no authority hint leads to a trust anchor")


@pytest.mark.django_db
def test_a_provider_outside_any_federation_is_refused(client, world, caplog):
    world.op.authority_hints = []
    refused(client, caplog, "no authority_hints")


@pytest.mark.django_db
def test_a_loop_of_authorities_is_refused(client, settings, tmp_path, keys, city, caplog):
    with LocalAuthority() as anchor, LocalAuthority("a") as a, LocalAuthority("b") as b, LocalProvider(CLIENT_ID, keys, [RETURN()]) as op:
        configure(settings, tmp_path, keys, op.issuer)
        configure_federation(settings, tmp_path, [anchor])
        op.authority_hints = [a.entity_id]
        a.authority_hints, b.authority_hints = [b.entity_id], [a.entity_id]
        a.register(op.issuer, op.federation_key)
        b.register(a.entity_id, a.key)
        a.register(b.entity_id, b.key)
        refused(client, caplog, "loop")


@pytest.mark.django_db
def test_an_unreachable_provider_configuration_is_refused(client, world, settings, caplog):
    settings.TRAMA_OIDC_PROVIDERS = [{"kind": "spid", "name": "Provider di prova", "issuer": "http://127.0.0.1:9"}]
    refused(client, caplog, "unreachable")


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["non un JWT", "a.b.c", "x" * 300_000], ids=["text", "garbage-jwt", "oversized"])
def test_hostile_statements_are_refused_not_a_500(client, world, caplog, body):
    world.op.entity_configuration = lambda: body
    with caplog.at_level(logging.WARNING, logger="trama.people.federation"):
        response = client.get(reverse("identity_start", args=["provider-di-prova"]))
    assert response.status_code == 502 and UNTRUSTED in response.text


@pytest.mark.django_db
def test_a_key_rotated_after_the_chain_was_read_resolves_it_again(client, world, make_user):
    maria = make_user(Role.CITIZEN)
    linked(maria)
    location = begin(client)  # the chain is resolved and kept with the provider's current key
    old = world.op.key
    world.op.key = _generated("op-sig-2", "sig", "RS256")
    try:
        back = world.op.sign_in(location)
        client.get(back.removeprefix("http://testserver"))
    finally:
        world.op.key = old
    assert signed_in(client) == str(maria.pk)
    assert world.anchor.fetches == 2


@pytest.mark.django_db
def test_a_broken_chain_at_the_return_refuses_too(client, world, make_user):
    linked(make_user(Role.CITIZEN))
    location = begin(client)
    world.op.key = _generated("op-sig-3", "sig", "RS256")  # an ID token signed with a key no chain vouches for...
    world.anchor.tamper = "expired"  # ...and the chain read again is expired
    try:
        back = world.op.sign_in(location)
        response = client.get(back.removeprefix("http://testserver"))
    finally:
        world.op.key = _generated("op-sig", "sig", "RS256")
    assert response.status_code == 502 and UNTRUSTED in response.text and signed_in(client) is None


# -- the metadata policy's operators -------------------------------------------------------------


def test_merging_policies_follows_each_operator():
    superior = {
        "a": {"subset_of": [1, 2, 3]},
        "b": {"add": ["x"]},
        "c": {"one_of": ["p", "q"]},
        "d": {"superset_of": ["s"]},
        "e": {"essential": False},
        "f": {"value": "v"},
    }
    subordinate = {
        "a": {"subset_of": [2, 3, 4]},
        "b": {"add": ["y"]},
        "c": {"one_of": ["q", "r"]},
        "d": {"superset_of": ["t"]},
        "e": {"essential": True},
        "f": {"value": "v"},
    }
    merged = merge_policies(superior, subordinate)
    assert merged == {
        "a": {"subset_of": [2, 3]},
        "b": {"add": ["x", "y"]},
        "c": {"one_of": ["q"]},
        "d": {"superset_of": ["s", "t"]},
        "e": {"essential": True},
        "f": {"value": "v"},
    }


@pytest.mark.parametrize(
    "superior, subordinate",
    [
        ({"a": {"value": 1}}, {"a": {"value": 2}}),
        ({"a": {"default": 1}}, {"a": {"default": 2}}),
        ({"a": {"one_of": [1]}}, {"a": {"one_of": [2]}}),
        ({"a": {"subset_of": [1]}}, {"a": {"add": [2]}}),
        ({"a": {"subset_of": "not a list"}}, {"a": {"subset_of": [1]}}),
        ({}, {"a": "not an object"}),
    ],
)
def test_conflicting_policies_cannot_merge(superior, subordinate):
    with pytest.raises(PolicyError):
        merge_policies(superior, subordinate)


def test_applying_a_policy():
    metadata = {"a": [1, 2, 3], "b": ["x"], "c": "q", "d": ["s", "t", "u"], "gone": 1}
    policy = {
        "a": {"subset_of": [2, 3, 4]},
        "b": {"add": ["y"]},
        "c": {"one_of": ["p", "q"]},
        "d": {"superset_of": ["s"]},
        "gone": {"value": None},
        "new": {"default": "n", "essential": True},
        "fixed": {"value": ["f"]},
    }
    assert apply_policy(metadata, policy) == {"a": [2, 3], "b": ["x", "y"], "c": "q", "d": ["s", "t", "u"], "new": "n", "fixed": ["f"]}


@pytest.mark.parametrize(
    "metadata, policy",
    [
        ({"c": "r"}, {"c": {"one_of": ["p", "q"]}}),
        ({"d": ["t"]}, {"d": {"superset_of": ["s"]}}),
        ({}, {"e": {"essential": True}}),
        ({"b": "scalar"}, {"b": {"add": ["y"]}}),
    ],
)
def test_metadata_that_breaks_a_policy_is_refused(metadata, policy):
    with pytest.raises(PolicyError):
        apply_policy(metadata, policy)


def test_identity_keys_writes_a_federation_key_apart(tmp_path):
    import io
    import os

    from django.core.management import CommandError, call_command

    target = tmp_path / "federation-keys.json"
    out = io.StringIO()
    call_command("identity_keys", str(target), "--federation", stdout=out)
    written = json.loads(target.read_text())["keys"]
    assert len(written) == 1 and written[0]["use"] == "sig" and "d" in written[0]
    assert os.stat(target).st_mode & 0o777 == 0o600
    printed = json.loads(out.getvalue())["keys"]
    assert printed[0]["kid"] == written[0]["kid"] and "d" not in printed[0]
    with pytest.raises(CommandError):
        call_command("identity_keys", str(target), "--federation", stdout=io.StringIO())


@pytest.mark.django_db
@pytest.mark.parametrize(
    "metadata_policy",
    [{"op_name": {"one_of": "not a list", "value": 3}}, {"op_name": ["a list"]}, {"acr_values_supported": {"add": {"an": "object"}}}],
)
def test_a_policy_of_the_wrong_shape_is_refused_not_a_500(client, world, caplog, metadata_policy):
    world.anchor.register(world.op.issuer, world.op.federation_key, metadata_policy=metadata_policy)
    with caplog.at_level(logging.WARNING, logger="trama.people.federation"):
        response = client.get(reverse("identity_start", args=["provider-di-prova"]))
    assert response.status_code == 502 and UNTRUSTED in response.text


@pytest.mark.django_db
def test_metadata_of_the_wrong_shape_is_refused_not_a_500(client, world, caplog):
    world.anchor.register(world.op.issuer, world.op.federation_key, metadata=["not", "an", "object"])
    with caplog.at_level(logging.WARNING, logger="trama.people.federation"):
        response = client.get(reverse("identity_start", args=["provider-di-prova"]))
    assert response.status_code == 502 and UNTRUSTED in response.text


# -- Trama's resolve endpoint --------------------------------------------------------------------

RESOLVE = "/federation/resolve"


def federation_public():
    return KeySet.import_key_set(public(trama_federation_keys()))


def resolved(client, sub, anchor, **extra):
    """Trama's signed answer about `sub`, checked with its federation public key: header and claims."""
    response = client.get(RESOLVE, {"sub": sub, "trust_anchor": anchor, **extra})
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/resolve-response+jwt"
    decoded = jwt.decode(response.content.decode(), federation_public(), algorithms=["RS256"])
    assert decoded.header["typ"] == "resolve-response+jwt"
    return decoded.claims


def signed_by(token, key):
    return jwt.decode(token, KeySet.import_key_set({"keys": [key.as_dict(private=False)]}), algorithms=["RS256"]).claims


def refused_to_resolve(response, status, error):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["error"] == error and body["error_description"]
    return body


@pytest.mark.django_db
def test_the_entity_configuration_advertises_the_resolve_endpoint(client, world):
    claims = jwt.decode(client.get("/.well-known/openid-federation").content.decode(), federation_public()).claims
    assert claims["metadata"]["federation_entity"]["federation_resolve_endpoint"] == "http://testserver" + RESOLVE
    assert reverse("federation_resolve") == RESOLVE


@pytest.mark.django_db
def test_a_provider_is_resolved_with_the_metadata_the_sign_in_uses(client, world):
    world.anchor.register(world.op.issuer, world.op.federation_key, metadata_policy={"acr_values_supported": {"subset_of": [L2, L3]}})
    claims = resolved(client, world.op.issuer, world.anchor.entity_id)
    assert claims["iss"] == CLIENT_ID and claims["sub"] == world.op.issuer
    used = federation.chain(world.op.issuer)
    assert world.anchor.fetches == 1  # the sign-in's chain, resolved once and kept
    assert claims["metadata"] == {"openid_provider": used.metadata}
    assert claims["metadata"]["openid_provider"]["acr_values_supported"] == [L2, L3]
    # The chain as signed: the provider's configuration, the anchor's statement about it, the anchor's configuration.
    leaf, about, top = claims["trust_chain"]
    assert signed_by(leaf, world.op.federation_key)["sub"] == world.op.issuer
    statement = signed_by(about, world.anchor.key)
    assert statement["iss"] == world.anchor.entity_id and statement["sub"] == world.op.issuer
    assert signed_by(top, world.anchor.key)["sub"] == world.anchor.entity_id
    assert claims["iat"] < claims["exp"] <= used.expires_at


@pytest.mark.django_db
def test_the_resolve_answer_expires_with_the_chain(client, world):
    world.anchor.lifetime = 600  # the anchor's statement about the provider expires first
    claims = resolved(client, world.op.issuer, world.anchor.entity_id)
    about = jwt.decode(claims["trust_chain"][1], KeySet.import_key_set(world.anchor.public_keys())).claims
    assert claims["exp"] == about["exp"] and claims["exp"] - claims["iat"] <= 600 + federation.LEEWAY


@pytest.mark.django_db
def test_a_provider_is_resolved_through_an_intermediate(client, settings, tmp_path, keys, city):
    with LocalAuthority() as anchor, LocalAuthority("intermediate") as intermediate, LocalProvider(CLIENT_ID, keys, [RETURN()]) as op:
        configure(settings, tmp_path, keys, op.issuer)
        configure_federation(settings, tmp_path, [anchor])
        op.authority_hints = [intermediate.entity_id]
        intermediate.authority_hints = [anchor.entity_id]
        intermediate.register(op.issuer, op.federation_key, metadata_policy={"acr_values_supported": {"subset_of": [L2, L3]}})
        anchor.register(intermediate.entity_id, intermediate.key, metadata_policy={"acr_values_supported": {"subset_of": [L1, L2]}})
        claims = resolved(client, op.issuer, anchor.entity_id)
        assert claims["metadata"]["openid_provider"]["acr_values_supported"] == [L2]
        leaf, by_intermediate, by_anchor, top = claims["trust_chain"]
        assert signed_by(by_intermediate, intermediate.key)["sub"] == op.issuer
        assert signed_by(by_anchor, anchor.key)["sub"] == intermediate.entity_id
        assert signed_by(top, anchor.key)["iss"] == anchor.entity_id


@pytest.mark.django_db
def test_the_chain_ends_at_the_anchor_asked(client, settings, tmp_path, keys, city):
    with LocalAuthority() as first, LocalAuthority("second") as second, LocalProvider(CLIENT_ID, keys, [RETURN()]) as op:
        configure(settings, tmp_path, keys, op.issuer)
        configure_federation(settings, tmp_path, [first, second])
        op.authority_hints = [first.entity_id, second.entity_id]
        first.register(op.issuer, op.federation_key)
        second.register(op.issuer, op.federation_key, metadata={"op_name": "Visto dalla seconda"})
        assert federation.chain(op.issuer).anchor == first.entity_id  # the sign-in takes the first
        claims = resolved(client, op.issuer, second.entity_id)
        assert signed_by(claims["trust_chain"][-1], second.key)["sub"] == second.entity_id
        assert claims["metadata"]["openid_provider"]["op_name"] == "Visto dalla seconda"
        assert "op_name" not in resolved(client, op.issuer, first.entity_id)["metadata"]["openid_provider"]


@pytest.mark.django_db
def test_trama_resolves_itself_through_its_authority_hints(client, world):
    own = CLIENT_ID.rstrip("/")
    world.anchor.register(own, _generated("trama-fed", "sig", "RS256"))
    claims = resolved(client, CLIENT_ID, world.anchor.entity_id, entity_type="openid_relying_party")
    assert claims["iss"] == CLIENT_ID and claims["sub"] == own
    leaf, about, top = claims["trust_chain"]
    configuration = jwt.decode(leaf, federation_public()).claims
    assert claims["metadata"] == {"openid_relying_party": configuration["metadata"]["openid_relying_party"]}
    assert signed_by(about, world.anchor.key)["sub"] == own and signed_by(top, world.anchor.key)["sub"] == world.anchor.entity_id


@pytest.mark.django_db
def test_trama_not_registered_with_the_anchor_is_an_invalid_chain(client, world):
    response = client.get(RESOLVE, {"sub": CLIENT_ID, "trust_anchor": world.anchor.entity_id})
    refused_to_resolve(response, 400, "invalid_trust_chain")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "",
        "sub={op}",
        "trust_anchor={anchor}",
        "sub={op}&sub={op}&trust_anchor={anchor}",
        "sub={op}&trust_anchor={anchor}&trust_anchor={anchor}",
        "sub=https://" + "a" * 3000 + "&trust_anchor={anchor}",
        "sub={op}&trust_anchor={anchor}&entity_type=" + "x" * 3000,
        "sub={op}&trust_anchor={anchor}" + "&entity_type=openid_provider" * 9,
        "sub=javascript:alert(1)&trust_anchor={anchor}",
        "sub=http://[::1&trust_anchor={anchor}",
        "sub=http://op.example.org&trust_anchor={anchor}",
        "sub={op}%00&trust_anchor={anchor}",
        "sub={op}&trust_anchor=%ff%fe",
        "sub=&trust_anchor=",
    ],
    ids=[
        "none",
        "no-anchor",
        "no-sub",
        "two-subs",
        "two-anchors",
        "oversized-sub",
        "oversized-type",
        "many-types",
        "script",
        "bad-ipv6",
        "plain-http",
        "nul",
        "bad-utf8",
        "empty",
    ],
)
def test_bad_parameters_are_a_400_with_the_reason(client, world, query):
    response = client.get(RESOLVE + "?" + query.format(op=world.op.issuer, anchor=world.anchor.entity_id))
    refused_to_resolve(response, 400, "invalid_request")
    assert world.anchor.fetches == 0


@pytest.mark.django_db
def test_an_unknown_trust_anchor_is_a_404(client, world):
    with LocalAuthority("elsewhere") as elsewhere:
        elsewhere.register(world.op.issuer, world.op.federation_key)
        response = client.get(RESOLVE, {"sub": world.op.issuer, "trust_anchor": elsewhere.entity_id})
        refused_to_resolve(response, 404, "invalid_trust_anchor")
        assert elsewhere.fetches == 0 and world.anchor.fetches == 0


@pytest.mark.django_db
@pytest.mark.parametrize("sub", ["https://another-provider.example.org", "http://127.0.0.1:9", "https://trama.example.org/oidc/rp/other"])
def test_an_entity_trama_does_not_resolve_is_a_404(client, world, sub):
    response = client.get(RESOLVE, {"sub": sub, "trust_anchor": world.anchor.entity_id})
    body = refused_to_resolve(response, 404, "invalid_subject")
    assert "provider" in body["error_description"]
    assert world.anchor.fetches == 0


@pytest.mark.django_db
def test_an_entity_type_the_subject_has_not_is_a_404(client, world):
    response = client.get(RESOLVE, {"sub": world.op.issuer, "trust_anchor": world.anchor.entity_id, "entity_type": "openid_relying_party"})
    refused_to_resolve(response, 404, "not_found")
    claims = resolved(client, world.op.issuer, world.anchor.entity_id, entity_type="openid_provider")
    assert list(claims["metadata"]) == ["openid_provider"]


@pytest.mark.django_db
@pytest.mark.parametrize(("tamper", "reason"), [("forged", "bad signature"), ("expired", "expired")])
def test_a_broken_chain_is_an_invalid_trust_chain_not_a_500(client, world, caplog, tamper, reason):
    world.anchor.tamper = tamper
    with caplog.at_level(logging.WARNING, logger="trama.people.federation"):
        response = client.get(RESOLVE, {"sub": world.op.issuer, "trust_anchor": world.anchor.entity_id})
    refused_to_resolve(response, 400, "invalid_trust_chain")
    assert any(r.getMessage().startswith("Resolve refused: the trust chain") and reason in r.getMessage() for r in caplog.records), caplog.text


@pytest.mark.django_db
def test_a_hostile_provider_configuration_is_an_invalid_trust_chain(client, world):
    world.op.entity_configuration = lambda: "x" * 300_000
    refused_to_resolve(client.get(RESOLVE, {"sub": world.op.issuer, "trust_anchor": world.anchor.entity_id}), 400, "invalid_trust_chain")


@pytest.mark.django_db
def test_unreadable_federation_keys_make_the_resolve_a_503_not_a_500(client, world, settings, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    settings.TRAMA_FEDERATION_KEYS_FILE = str(broken)
    response = client.get(RESOLVE, {"sub": world.op.issuer, "trust_anchor": world.anchor.entity_id})
    refused_to_resolve(response, 503, "temporarily_unavailable")


@pytest.mark.django_db
def test_trama_unable_to_sign_its_own_configuration_is_a_503_not_a_500(client, world, settings, tmp_path):
    world.anchor.register(CLIENT_ID.rstrip("/"), _generated("trama-fed", "sig", "RS256"))
    broken = tmp_path / "broken-oidc.json"
    broken.write_text("{not json")
    settings.TRAMA_OIDC_KEYS_FILE = str(broken)
    response = client.get(RESOLVE, {"sub": CLIENT_ID, "trust_anchor": world.anchor.entity_id})
    refused_to_resolve(response, 503, "temporarily_unavailable")


@pytest.mark.django_db
def test_without_the_federation_there_is_no_resolve_endpoint(client, settings, tmp_path, keys, city):
    query = {"sub": "https://op.example.org", "trust_anchor": "https://ta.example.org"}
    assert client.get(RESOLVE, query).status_code == 404
    configure(settings, tmp_path, keys, "https://op.example.org")  # OpenID Connect alone: still none
    assert client.get(RESOLVE, query).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "head", "options"])
def test_the_resolve_endpoint_answers_get_only(client, world, method):
    query = f"?sub={world.op.issuer}&trust_anchor={world.anchor.entity_id}"
    assert getattr(client, method)(RESOLVE + query).status_code == 405
    assert world.anchor.fetches == 0


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.WORKER, Role.PARTNER, Role.ANTENNA, Role.CITIZEN])
def test_the_resolve_answer_is_the_same_for_everyone(client, world, make_user, role):
    signed = Client()
    signed.force_login(make_user(role))
    claims = resolved(signed, world.op.issuer, world.anchor.entity_id)
    assert claims["metadata"] == resolved(client, world.op.issuer, world.anchor.entity_id)["metadata"]
