"""OpenID Federation 1.0 for SPID and CIE: Trama's entity configuration, and the trust chain of each provider.

The Italian SPID/CIE OpenID Connect rules put every party in a federation. Trama, a relying party:
- publishes its *entity configuration* at `/.well-known/openid-federation`: a JWT it signs with its federation key
  (not the OpenID Connect keys, which it lists in its relying party metadata), with `authority_hints` (the superiors
  that registered it) and the `trust_marks` they issued;
- trusts a provider only through a *trust chain*: the provider's own entity configuration, then, from each of its
  superiors up to a configured trust anchor, the statement that superior signs about it (read from its fetch
  endpoint). Each statement must be signed by the keys its superior vouches for (the anchor's keys are configured
  out of band, never taken from the network), be unexpired, and name the right issuer and subject. The superiors'
  metadata policies are merged, top down, and applied to the provider's metadata: what results (endpoints, keys)
  is what the sign-in uses, kept until the chain's first expiry.

Anything wrong (an unreachable superior, an expired or forged statement, a policy the metadata breaks, a provider
no anchor knows) raises ChainError with the reason, for the log; the person is told only that the provider cannot be
trusted now.
"""

import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.cache import cache
from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

log = logging.getLogger(__name__)

WELL_KNOWN = "/.well-known/openid-federation"
STATEMENT_TYPE = "entity-statement+jwt"
CONTENT_TYPE = "application/entity-statement+jwt"
RESOLVE_TYPE = "resolve-response+jwt"
RESOLVE_CONTENT_TYPE = "application/resolve-response+jwt"
ALGORITHMS = ["RS256", "RS512", "ES256", "PS256"]
PROVIDER = "openid_provider"
RELYING_PARTY = "openid_relying_party"
# A superior's superior's superior: the Italian federations have one or two levels; more is refused, and so is a loop.
MAX_DEPTH = 4
MAX_HINTS = 8
MAX_BYTES = 200_000
TIMEOUT = 10
LEEWAY = 60
# The policy operators of the specification, in the order they apply.
OPERATORS = ("value", "add", "default", "one_of", "subset_of", "superset_of", "essential")


class ChainError(Exception):
    """Why a provider's trust chain was refused (English, for the log)."""


@dataclass(frozen=True)
class Chain:
    subject: str
    anchor: str
    metadata: dict[str, Any]
    expires_at: int
    # The statements as signed, for whoever asks Trama to resolve the entity: the subject's configuration, each
    # superior's statement about the one below, the anchor's configuration (OpenID Federation 4.1).
    statements: tuple[str, ...] = ()
    entity_type: str = PROVIDER


def enabled():
    """The federation is used when Trama has a federation key and knows at least one trust anchor."""
    return bool(settings.TRAMA_OIDC_CLIENT_ID and settings.TRAMA_FEDERATION_KEYS_FILE and settings.TRAMA_FEDERATION_TRUST_ANCHORS_FILE)


def secure_url(url):
    """HTTPS, or loopback (the test federation): nothing of the federation comes over plain HTTP from elsewhere."""
    if not isinstance(url, str):
        return False
    try:
        parts = urlsplit(url)
        parts.hostname  # noqa: B018 (it raises on a malformed address)
    except ValueError:
        return False
    return parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost", "::1"))


def _read_json(path):
    return json.loads(Path(path).read_text())


def federation_keys():
    """Trama's private federation key set (it signs the entity configuration only)."""
    return KeySet.import_key_set(_read_json(settings.TRAMA_FEDERATION_KEYS_FILE))


def trust_anchors():
    """The configured trust anchors: entity id → its public keys, as agreed with the federation (never fetched)."""
    try:
        found = _read_json(settings.TRAMA_FEDERATION_TRUST_ANCHORS_FILE)
        return {str(entity).rstrip("/"): KeySet.import_key_set(keys) for entity, keys in found.items()}
    except (OSError, ValueError, AttributeError, JoseError) as error:
        raise ChainError(f"trust anchors file unreadable: {error}") from error


def trust_marks():
    """The trust marks the federation issued to Trama (a JSON list of {"id", "trust_mark"}), or none."""
    if not settings.TRAMA_FEDERATION_TRUST_MARKS_FILE:
        return []
    found = _read_json(settings.TRAMA_FEDERATION_TRUST_MARKS_FILE)
    return [{"id": str(m["id"]), "trust_mark": str(m["trust_mark"])} for m in found]


def _public(key_set):
    return {"keys": [key.as_dict(private=False) for key in key_set.keys]}


def authority_hints():
    if settings.TRAMA_FEDERATION_AUTHORITY_HINTS:
        return list(settings.TRAMA_FEDERATION_AUTHORITY_HINTS)
    return list(_read_json(settings.TRAMA_FEDERATION_TRUST_ANCHORS_FILE))


def _signing(keys):
    return next(key for key in keys.keys if key.get("use", "sig") == "sig")


def entity_configuration(oidc_keys, redirect_uri, homepage_uri, policy_uri, organisation_name, resolve_endpoint):
    """Trama's entity configuration, signed with its federation key: the JWT the federation reads."""
    entity = settings.TRAMA_OIDC_CLIENT_ID
    now = int(time.time())
    contacts = list(settings.TRAMA_FEDERATION_CONTACTS)
    federation_entity = {
        "organization_name": organisation_name,
        "homepage_uri": homepage_uri,
        "policy_uri": policy_uri,
        "contacts": contacts,
        "federation_resolve_endpoint": resolve_endpoint,
    }
    if settings.TRAMA_FEDERATION_LOGO_URI:
        federation_entity["logo_uri"] = settings.TRAMA_FEDERATION_LOGO_URI
    relying_party = {
        "client_id": entity,
        "client_registration_types": ["automatic"],
        "application_type": "web",
        "client_name": organisation_name,
        "organization_name": organisation_name,
        "contacts": contacts,
        "redirect_uris": [redirect_uri],
        "response_types": ["code"],
        "grant_types": ["authorization_code"],
        "jwks": _public(oidc_keys),
        "id_token_signed_response_alg": "RS256",
        "userinfo_signed_response_alg": "RS256",
        "userinfo_encrypted_response_alg": "RSA-OAEP-256",
        "userinfo_encrypted_response_enc": "A256CBC-HS512",
        "token_endpoint_auth_method": "private_key_jwt",
        "request_object_signing_alg": "RS256",
    }
    if settings.TRAMA_FEDERATION_LOGO_URI:
        relying_party["logo_uri"] = settings.TRAMA_FEDERATION_LOGO_URI
    keys = federation_keys()
    signing = _signing(keys)
    claims = {
        "iss": entity,
        "sub": entity,
        "iat": now,
        "exp": now + settings.TRAMA_FEDERATION_STATEMENT_SECONDS,
        "jwks": _public(keys),
        "authority_hints": authority_hints(),
        "metadata": {"federation_entity": federation_entity, RELYING_PARTY: relying_party},
    }
    marks = trust_marks()
    if marks:
        claims["trust_marks"] = marks
    return jwt.encode({"alg": "RS256", "kid": signing.kid, "typ": STATEMENT_TYPE}, claims, signing)


# -- reading statements ---------------------------------------------------------------------------


def _get(url, params=None):
    if not secure_url(url):
        raise ChainError(f"not over HTTPS: {url}")
    try:
        response = requests.get(url, params=params, timeout=TIMEOUT, stream=True)
        body = response.raw.read(MAX_BYTES + 1, decode_content=True)
        response.close()
    except requests.RequestException as error:
        raise ChainError(f"{url} unreachable: {error.__class__.__name__}") from error
    if response.status_code != 200:
        raise ChainError(f"{url} answered {response.status_code}")
    if len(body) > MAX_BYTES:
        raise ChainError(f"{url} answered more than {MAX_BYTES} bytes")
    try:
        return body.decode("ascii").strip()
    except UnicodeDecodeError as error:
        raise ChainError(f"{url} answered no JWT") from error


def _unverified(token):
    """A statement's header and claims before its signature is checked (an entity configuration carries its keys)."""
    try:
        found = jws.extract_compact(token.encode())
        claims = json.loads(found.payload)
    except (JoseError, ValueError, TypeError) as error:
        raise ChainError("not a JWT") from error
    if not isinstance(claims, dict):
        raise ChainError("claims are not an object")
    return found.headers(), claims


def _keys_of(claims, who):
    try:
        return KeySet.import_key_set(claims["jwks"])
    except (KeyError, TypeError, ValueError, JoseError) as error:
        raise ChainError(f"{who}: no usable jwks") from error


def _verified(token, keys, issuer, subject, now):
    """The claims of a statement signed with one of `keys`, issued by `issuer` about `subject`, unexpired."""
    header, _claims = _unverified(token)
    if header.get("typ") != STATEMENT_TYPE:
        raise ChainError(f"statement about {subject} by {issuer}: typ is not {STATEMENT_TYPE}")
    try:
        claims = jwt.decode(token, keys, algorithms=ALGORITHMS).claims
    except (JoseError, ValueError) as error:
        raise ChainError(f"statement about {subject} by {issuer}: bad signature") from error
    if str(claims.get("iss", "")).rstrip("/") != issuer or str(claims.get("sub", "")).rstrip("/") != subject:
        raise ChainError(f"statement about {subject} by {issuer}: wrong iss or sub")
    exp, iat = claims.get("exp"), claims.get("iat")
    if not isinstance(exp, int) or not isinstance(iat, int):
        raise ChainError(f"statement about {subject} by {issuer}: no exp or iat")
    if exp <= now:
        raise ChainError(f"statement about {subject} by {issuer}: expired")
    if iat > now + LEEWAY:
        raise ChainError(f"statement about {subject} by {issuer}: issued in the future")
    return claims


def _configuration(entity, now, keys=None, token=None):
    """An entity's configuration, self-signed (or, for an anchor, signed with the keys configured for it); read from
    the entity unless `token` is given."""
    token = token or _get(entity + WELL_KNOWN)
    _header, claims = _unverified(token)
    return _verified(token, keys or _keys_of(claims, entity), entity, entity, now), token


# -- the chain ------------------------------------------------------------------------------------


def resolve(subject, anchor=None, entity_type=PROVIDER, leaf_token=None):
    """The trust chain of `subject` (a provider's entity id) up to a configured anchor (`anchor`, if given), and its
    `entity_type` metadata after the federation's policy; raises ChainError. `leaf_token` is the subject's
    configuration when Trama has it already (its own), otherwise it is read from the subject."""
    subject = subject.rstrip("/")
    anchors = trust_anchors()
    if anchor is not None:
        anchors = {anchor: anchors[anchor]} if anchor in anchors else {}
    if not anchors:
        raise ChainError(f"no trust anchor configured{f' named {anchor}' if anchor else ''}")
    now = int(time.time())
    leaf, leaf_token = _configuration(subject, now, token=leaf_token)
    statements, anchor, expiries, tokens = _climb(subject, leaf, leaf_token, anchors, now, depth=0, seen={subject})
    metadata = leaf.get("metadata", {}).get(entity_type)
    if not isinstance(metadata, dict):
        raise ChainError(f"{subject}: no {entity_type} metadata")
    # The immediate superior may fix some values outright; then the policies, merged from the anchor down.
    override = statements[0].get("metadata", {}).get(entity_type)
    if override is not None:
        if not isinstance(override, dict):
            raise ChainError(f"{subject}: its superior's {entity_type} metadata is not an object")
        metadata = {**metadata, **override}
    policy: dict[str, dict] = {}
    for statement in reversed(statements):
        _check_critical(statement)
        found = statement.get("metadata_policy", {}).get(entity_type, {})
        if not isinstance(found, dict):
            raise ChainError("metadata_policy is not an object")
        try:
            policy = merge_policies(policy, found)
        except PolicyError as error:
            raise ChainError(f"{subject}: the federation's metadata policy is inconsistent: {error}") from error
    try:
        metadata = apply_policy(metadata, policy)
    except PolicyError as error:
        raise ChainError(f"{subject}: metadata breaks the federation's policy: {error}") from error
    # The chain holds until the first of its statements, or of its superiors' configurations, expires.
    expires = min([leaf["exp"], *(s["exp"] for s in statements), *expiries])
    return Chain(subject=subject, anchor=anchor, metadata=metadata, expires_at=expires, statements=(leaf_token, *tokens), entity_type=entity_type)


def _climb(entity, configuration, token, anchors, now, depth, seen):
    """The statements from `entity`'s superior up to an anchor, trying each authority hint in turn; with the anchor,
    the expiry of each superior's configuration, and the chain's statements as signed."""
    hints = configuration.get("authority_hints")
    if not isinstance(hints, list) or not hints:
        raise ChainError(f"{entity}: no authority_hints")
    reasons = []
    for hint in hints[:MAX_HINTS]:
        if not isinstance(hint, str):
            continue
        superior = hint.rstrip("/")
        if superior in seen:
            reasons.append(f"{superior}: loop")
            continue
        try:
            return _through(entity, token, superior, anchors, now, depth, seen | {superior})
        except ChainError as error:
            reasons.append(str(error))
    raise ChainError(f"{entity}: no authority hint leads to a trust anchor ({'; '.join(reasons) or 'none usable'})")


def _through(entity, token, superior, anchors, now, depth, seen):
    is_anchor = superior in anchors
    if not is_anchor and depth + 1 >= MAX_DEPTH:
        raise ChainError(f"{superior}: chain longer than {MAX_DEPTH}")
    above, above_token = _configuration(superior, now, keys=anchors.get(superior))
    superior_keys = anchors[superior] if is_anchor else _keys_of(above, superior)
    fetch = above.get("metadata", {}).get("federation_entity", {}).get("federation_fetch_endpoint")
    if not secure_url(fetch):
        raise ChainError(f"{superior}: no federation_fetch_endpoint over HTTPS")
    statement_token = _get(fetch, {"sub": entity})
    statement = _verified(statement_token, superior_keys, superior, entity, now)
    # The superior vouches for the entity's keys: its own configuration must be signed with one of them.
    _verified(token, _keys_of(statement, f"statement about {entity}"), entity, entity, now)
    if is_anchor:
        return [statement], superior, [above["exp"]], [statement_token, above_token]
    rest, anchor, expiries, tokens = _climb(superior, above, above_token, anchors, now, depth + 1, seen)
    return [statement, *rest], anchor, [above["exp"], *expiries], [statement_token, *tokens]


def _check_critical(statement):
    critical = statement.get("metadata_policy_crit", [])
    if not isinstance(critical, list) or any(op not in OPERATORS for op in critical):
        raise ChainError(f"unknown critical policy operators: {critical}")


def _fresh(found):
    # A chain cached before it kept its statements is resolved again, to have them.
    return found is not None and found.expires_at > time.time() and bool(found.statements)


def chain(subject, refresh=False, anchor=None, entity_type=PROVIDER, leaf=None, refused="SPID/CIE sign-in refused"):
    """The provider's resolved chain, cached until its first statement expires (`refresh` resolves it again).

    The sign-in takes the first anchor an authority hint leads to. The resolve endpoint may ask for a given `anchor`:
    the same chain if it ends there, else one resolved towards it and kept apart; and, for Trama itself, its
    `entity_type` with `leaf`, a function giving its configuration. `refused` begins the log line of a failure."""
    subject = subject.rstrip("/")
    key = f"identity:chain:{subject}" if entity_type == PROVIDER else f"identity:chain:{entity_type}:{subject}"
    if anchor is not None:
        # If no hint led anywhere, none leads to this anchor either: the error of the sign-in's chain is the answer.
        found = chain(subject, refresh=refresh, entity_type=entity_type, leaf=leaf, refused="Resolve refused")
        if found.anchor == anchor:
            return found
        key = f"{key}:{anchor}"
    found = None if refresh else cache.get(key)
    # A chain cached before it kept its statements is resolved again, to have them.
    if found is not None and found.expires_at > time.time() and found.statements:
        return found
    try:
        try:
            found = resolve(subject, anchor=anchor, entity_type=entity_type, leaf_token=leaf() if leaf else None)
        except (TypeError, AttributeError, KeyError, ValueError) as error:
            # A statement of the wrong shape (a list where an object belongs, a string for a list): refused like a bad one.
            raise ChainError(f"malformed statement: {error.__class__.__name__}: {error}") from error
    except ChainError as error:
        log.warning("%s: the trust chain of %s%s is not valid: %s", refused, subject, f" to {anchor}" if anchor else "", error)
        raise
    cache.set(key, found, max(1, found.expires_at - int(time.time())))
    return found


def resolve_response(found, issuer):
    """The answer of Trama's resolve endpoint (OpenID Federation 8.3): `found`'s metadata and trust chain, signed with
    Trama's federation key, valid no longer than the chain."""
    now = int(time.time())
    signing = _signing(federation_keys())
    claims = {
        "iss": issuer,
        "sub": found.subject,
        "iat": now,
        "exp": min(found.expires_at, now + settings.TRAMA_FEDERATION_STATEMENT_SECONDS),
        "metadata": {found.entity_type: found.metadata},
        "trust_chain": list(found.statements),
    }
    return jwt.encode({"alg": "RS256", "kid": signing.kid, "typ": RESOLVE_TYPE}, claims, signing)


# -- metadata policy ------------------------------------------------------------------------------


class PolicyError(ChainError):
    pass


def _as_list(value, operator, name):
    if not isinstance(value, list):
        raise PolicyError(f"{name}: {operator} is not a list")
    return value


def _union(a, b):
    return list(a) + [v for v in b if v not in a]


def _intersection(a, b):
    return [v for v in a if v in b]


def merge_policies(superior, subordinate):
    """The policy of a superior combined with its subordinate's, parameter by parameter (OpenID Federation 6.1.3)."""
    merged = {name: dict(ops) for name, ops in superior.items()}
    for name, ops in subordinate.items():
        if not isinstance(ops, dict):
            raise PolicyError(f"{name}: policy is not an object")
        into = merged.setdefault(name, {})
        for op, value in ops.items():
            if op not in into:
                into[op] = value
            elif op in ("value", "default"):
                if into[op] != value:
                    raise PolicyError(f"{name}: two different {op}")
            elif op in ("add", "superset_of"):
                into[op] = _union(_as_list(into[op], op, name), _as_list(value, op, name))
            elif op in ("one_of", "subset_of"):
                into[op] = _intersection(_as_list(into[op], op, name), _as_list(value, op, name))
                if op == "one_of" and not into[op]:
                    raise PolicyError(f"{name}: one_of has nothing in common")
            elif op == "essential":
                into[op] = bool(into[op]) or bool(value)
        _consistent(name, into)
    return merged


def _consistent(name, ops):
    value = ops.get("value")
    values = value if isinstance(value, list) else [value]
    if value is not None:
        if "one_of" in ops and value not in ops["one_of"]:
            raise PolicyError(f"{name}: value outside one_of")
        if "subset_of" in ops and not all(v in ops["subset_of"] for v in values):
            raise PolicyError(f"{name}: value outside subset_of")
        if "superset_of" in ops and not all(v in values for v in ops["superset_of"]):
            raise PolicyError(f"{name}: value without superset_of")
    if "add" in ops and "subset_of" in ops and not all(v in ops["subset_of"] for v in ops["add"]):
        raise PolicyError(f"{name}: add outside subset_of")
    if "subset_of" in ops and "superset_of" in ops and not all(v in ops["subset_of"] for v in ops["superset_of"]):
        raise PolicyError(f"{name}: superset_of outside subset_of")


def apply_policy(metadata, policy):
    """The metadata after the policy: raises PolicyError if it cannot satisfy it."""
    result = dict(metadata)
    for name, ops in policy.items():
        if "value" in ops:
            if ops["value"] is None:
                result.pop(name, None)
            else:
                result[name] = ops["value"]
        if "add" in ops:
            present = result.get(name, [])
            result[name] = _union(_as_list(present, "add", name), _as_list(ops["add"], "add", name))
        if "default" in ops and name not in result:
            result[name] = ops["default"]
        if "one_of" in ops and name in result and result[name] not in _as_list(ops["one_of"], "one_of", name):
            raise PolicyError(f"{name}: {result[name]!r} is not one of {ops['one_of']}")
        if "subset_of" in ops and name in result:
            allowed = _as_list(ops["subset_of"], "subset_of", name)
            present = result[name]
            if isinstance(present, list):
                result[name] = _intersection(present, allowed)
            elif present not in allowed:
                result.pop(name)
        if "superset_of" in ops and name in result:
            present = result[name] if isinstance(result[name], list) else [result[name]]
            missing = [v for v in _as_list(ops["superset_of"], "superset_of", name) if v not in present]
            if missing:
                raise PolicyError(f"{name}: lacks {missing}")
        if ops.get("essential") and name not in result:
            raise PolicyError(f"{name}: essential and absent")
    return result
