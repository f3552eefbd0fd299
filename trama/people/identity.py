"""SPID and CIE sign-in: Trama as an OpenID Connect relying party with the Italian profile's parameters.

What the SPID/CIE OpenID Connect profile asks of a relying party, and where it is done here:
- the authorisation request travels as a request object signed with Trama's key (`request`), carrying state,
  nonce, PKCE's S256 challenge, `acr_values`, the claims asked (the fiscal number first) and `prompt=consent login`;
- the token request is authenticated by a client assertion signed with the same key (`private_key_jwt`, authlib's
  `PrivateKeyJWT`) and carries PKCE's verifier;
- the ID token's signature is checked against the keys the provider publishes, with its issuer, audience, expiry,
  nonce and level (`acr`);
- the user information comes as a JWT signed by the provider and encrypted for Trama (a JWE around a JWS): it is
  decrypted with Trama's key, its signature checked, its subject must be the ID token's.
Where the provider's metadata and keys come from: with the OpenID Federation configured (`federation.py`), from the
provider's trust chain up to a configured trust anchor, after the federation's metadata policy; without it (a test
set-up, or a provider registered through an intermediary), from the issuer's `.well-known/openid-configuration`.

Nothing else is fetched: no request leaves Trama except towards a configured issuer, its superiors in the federation
and the endpoints they publish.
"""

import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

import requests
from authlib.integrations.base_client import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from joserfc import jwe, jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from stdnum.it import codicefiscale

from . import federation

FISCAL_NUMBER = "https://attributes.eid.gov.it/fiscal_number"
CLAIMS = {"userinfo": {"given_name": None, "family_name": None, "email": None, FISCAL_NUMBER: {"essential": True}}}
SIGNING_ALGORITHMS = ["RS256", "RS512", "ES256", "PS256"]
ENCRYPTION_ALGORITHMS = ["RSA-OAEP", "RSA-OAEP-256", "A128CBC-HS256", "A256CBC-HS512", "A128GCM", "A256GCM"]
FLOW = "identity_flow"
PENDING = "identity_pending"
# A sign-in started and not finished within ten minutes is abandoned, like the second factor's wait.
FLOW_SECONDS = 600
TIMEOUT = 10
METADATA_SECONDS = 3600
LEEWAY = 60

FAILED = _("L'accesso con l'identità digitale non è riuscito. Riprova, oppure accedi con nome e password.")
EXPIRED = _("La richiesta di accesso non è valida o è scaduta: riprova dall'inizio.")
UNREACHABLE = _("Il fornitore dell'identità digitale non risponde in questo momento. Riprova tra qualche minuto.")
CANCELLED = _("L'accesso è stato annullato o rifiutato dal fornitore dell'identità digitale.")
UNTRUSTED = _(
    "Non possiamo verificare in questo momento che il fornitore dell'identità digitale faccia parte della federazione "
    "SPID/CIE, e per sicurezza l'accesso non è possibile. Riprova più tardi, oppure accedi con nome e password."
)
NO_FISCAL_CODE = _("Il fornitore non ha comunicato un codice fiscale valido: non possiamo riconoscerti.")


class IdentityError(Exception):
    """Why a sign-in was refused: an Italian message for the person and the HTTP status of the page that says it."""

    def __init__(self, message, status=400):
        super().__init__(str(message))
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Provider:
    key: str
    kind: str  # "spid" or "cie"
    name: str
    issuer: str


@dataclass(frozen=True)
class Identity:
    """What a finished sign-in tells Trama: who (by the fiscal code's digest), through which kind, and the names and
    e-mail the person may keep when she registers."""

    fiscal_code_digest: str
    kind: str
    given_name: str
    family_name: str
    email: str


def providers():
    """The configured providers, SPID's first; empty when Trama has no client id or no keys (the feature is off)."""
    if not settings.TRAMA_OIDC_CLIENT_ID or not settings.TRAMA_OIDC_KEYS_FILE:
        return []
    found = []
    for entry in settings.TRAMA_OIDC_PROVIDERS:
        key = "cie" if entry["kind"] == "cie" else slugify(entry["name"]) or "spid"
        found.append(Provider(key=key, kind=entry["kind"], name=entry["name"], issuer=entry["issuer"].rstrip("/")))
    return found


def buttons():
    """The providers by kind, for the sign-in and profile pages; empty when the feature is off."""
    found = providers()
    if not found:
        return {}
    return {"spid": [p for p in found if p.kind == "spid"], "cie": [p for p in found if p.kind == "cie"]}


def provider(key):
    return next((p for p in providers() if p.key == key), None)


def fiscal_code_digest(fiscal_code):
    """A keyed digest of a fiscal code: the same code gives the same digest, and the digest gives back nothing."""
    key = settings.TRAMA_FISCAL_CODE_KEY or hmac.new(settings.SECRET_KEY.encode(), b"trama fiscal code", hashlib.sha256).hexdigest()
    return hmac.new(key.encode(), fiscal_code.encode(), hashlib.sha256).hexdigest()


def normalise_fiscal_code(value):
    """The fiscal code in a SPID/CIE claim ("TINIT-RSSMRA85T10A562S"), compact and upper case, or None if invalid."""
    if not isinstance(value, str):
        return None
    value = value.strip().upper()
    if value.startswith("TINIT-"):
        value = value[len("TINIT-") :]
    return value if codicefiscale.is_valid(value) else None


def _keys():
    """Trama's private keys: one to sign (`use: sig`), one to decrypt (`use: enc`)."""
    try:
        return KeySet.import_key_set(json.loads(Path(settings.TRAMA_OIDC_KEYS_FILE).read_text()))
    except (OSError, ValueError, JoseError) as error:
        raise IdentityError(FAILED, status=503) from error


def public_keys():
    """Trama's OpenID Connect keys without their private parts (for its relying party metadata)."""
    return KeySet.import_key_set({"keys": [key.as_dict(private=False) for key in _keys().keys]})


def _key_for(use):
    keys = _keys()
    for key in keys.keys:
        if key.get("use") == use:
            return key
    raise IdentityError(FAILED, status=503)


def _get_json(url):
    try:
        response = requests.get(url, timeout=TIMEOUT)
        response.raise_for_status()
        return response.json()
    except (requests.RequestException, ValueError) as error:
        raise IdentityError(UNREACHABLE, status=502) from error


# HTTPS, or loopback (the test provider): metadata and keys never come over plain HTTP from elsewhere.
_secure = federation.secure_url
ENDPOINTS = ("authorization_endpoint", "token_endpoint", "userinfo_endpoint")


def _usable(found, p, keys_inline=False):
    return (
        isinstance(found, dict)
        and str(found.get("issuer", "")).rstrip("/") == p.issuer
        and all(isinstance(found.get(name), str) and _secure(found[name]) for name in ENDPOINTS)
        and ((keys_inline and isinstance(found.get("jwks"), dict)) or _secure(found.get("jwks_uri")))
    )


def _chain_metadata(p, refresh=False):
    """The provider's metadata as its trust chain gives it (the chain is kept until its first expiry)."""
    try:
        found = federation.chain(p.issuer, refresh=refresh).metadata
    except federation.ChainError as error:
        raise IdentityError(UNTRUSTED, status=502) from error
    if not _usable(found, p, keys_inline=True):
        federation.log.warning("SPID/CIE sign-in refused: the metadata of %s lacks an endpoint or its keys", p.issuer)
        raise IdentityError(UNTRUSTED, status=502)
    return found


def metadata(p):
    """The provider's metadata: from its trust chain in the federation, or else from its issuer's discovery document
    (kept an hour)."""
    if not _secure(p.issuer):
        raise IdentityError(FAILED, status=503)
    if federation.enabled():
        return _chain_metadata(p)
    cache_key = f"identity:metadata:{p.issuer}"
    found = cache.get(cache_key)
    if found is None:
        found = _get_json(f"{p.issuer}/.well-known/openid-configuration")
        if not _usable(found, p):
            raise IdentityError(FAILED, status=502)
        cache.set(cache_key, found, METADATA_SECONDS)
    return found


def _provider_keys(p, refresh=False):
    if federation.enabled():
        # A key the chain does not list sends Trama back up the chain once: the provider may have rotated it.
        found = _chain_metadata(p, refresh=refresh)
        if "jwks" in found:
            try:
                return KeySet.import_key_set(found["jwks"])
            except (ValueError, TypeError, JoseError) as error:
                raise IdentityError(UNTRUSTED, status=502) from error
    cache_key = f"identity:jwks:{p.issuer}"
    found = None if refresh else cache.get(cache_key)
    if found is None:
        found = _get_json(metadata(p)["jwks_uri"])
        cache.set(cache_key, found, METADATA_SECONDS)
    try:
        return KeySet.import_key_set(found)
    except (ValueError, JoseError) as error:
        raise IdentityError(FAILED, status=502) from error


def _verify(p, token):
    """The claims of a JWT signed by the provider; its keys are read again once if the key is unknown (a rotation)."""
    for refresh in (False, True):
        try:
            return jwt.decode(token, _provider_keys(p, refresh=refresh), algorithms=SIGNING_ALGORITHMS).claims
        except (JoseError, ValueError) as error:
            if refresh:
                raise IdentityError(FAILED) from error
    raise AssertionError("unreachable")


def redirect_uri(request):
    return request.build_absolute_uri(reverse("identity_return"))


def start(request, p, next_url="", link_to=None):
    """The address of the provider's sign-in page for this session, with the flow's secrets kept in the session."""
    meta = metadata(p)
    client_id = settings.TRAMA_OIDC_CLIENT_ID
    state, nonce, verifier = secrets.token_urlsafe(32), secrets.token_urlsafe(32), secrets.token_urlsafe(48)
    challenge = create_s256_code_challenge(verifier)
    now = int(time.time())
    signing_key = _key_for("sig")
    request_object = {
        "iss": client_id,
        "sub": client_id,
        "aud": [p.issuer, meta["authorization_endpoint"]],
        "iat": now,
        "exp": now + FLOW_SECONDS,
        "jti": secrets.token_urlsafe(16),
        "client_id": client_id,
        "response_type": "code",
        "scope": "openid",
        "redirect_uri": redirect_uri(request),
        "state": state,
        "nonce": nonce,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "acr_values": settings.TRAMA_OIDC_ACR,
        "prompt": "consent login",
        "claims": CLAIMS,
    }
    signed = jwt.encode({"alg": "RS256", "kid": signing_key.kid}, request_object, signing_key)
    # One sign-in at a time per session: a new one replaces the one left half-way.
    request.session[FLOW] = {
        "state": state,
        "nonce": nonce,
        "verifier": verifier,
        "provider": p.key,
        "next": next_url,
        "link_to": link_to,
        "at": now,
    }
    session = OAuth2Session(client_id, scope="openid", redirect_uri=redirect_uri(request), code_challenge_method="S256")
    url, _state = session.create_authorization_url(
        meta["authorization_endpoint"],
        state=state,
        code_verifier=verifier,
        request=signed,
    )
    return url


def pending_flow(request, state):
    """The sign-in this session started with `state`, taken out of the session (a state serves once), or an error."""
    flow = request.session.pop(FLOW, None)
    if not flow or not isinstance(state, str) or not hmac.compare_digest(flow["state"], state):
        raise IdentityError(EXPIRED)
    if time.time() - flow["at"] > FLOW_SECONDS:
        raise IdentityError(EXPIRED)
    p = provider(flow["provider"])
    if p is None:
        raise IdentityError(EXPIRED)
    return flow, p


def finish(request, flow, p, code):
    """Exchange the code for tokens, check them, read who signed in. Raises IdentityError with the reason."""
    if not code or not isinstance(code, str) or len(code) > 2048:
        raise IdentityError(EXPIRED)
    meta = metadata(p)
    client_id = settings.TRAMA_OIDC_CLIENT_ID
    signing_key = _key_for("sig")
    session = OAuth2Session(client_id, signing_key, token_endpoint_auth_method="private_key_jwt")
    session.register_client_auth_method(PrivateKeyJWT(meta["token_endpoint"], headers={"kid": signing_key.kid}))
    try:
        token = session.fetch_token(
            meta["token_endpoint"],
            grant_type="authorization_code",
            code=code,
            redirect_uri=redirect_uri(request),
            code_verifier=flow["verifier"],
            timeout=TIMEOUT,
        )
    except requests.RequestException as error:
        raise IdentityError(UNREACHABLE, status=502) from error
    except (OAuthError, ValueError, KeyError) as error:  # the provider refused the code, or answered nonsense
        raise IdentityError(FAILED) from error
    id_token, access_token = token.get("id_token"), token.get("access_token")
    if not id_token or not access_token:
        raise IdentityError(FAILED)
    claims = _verify(p, id_token)
    _check_id_token(claims, p, client_id, flow["nonce"])
    info = _userinfo(p, meta, access_token)
    if info.get("sub") != claims["sub"]:
        raise IdentityError(FAILED)
    fiscal_code = normalise_fiscal_code(info.get(FISCAL_NUMBER))
    if fiscal_code is None:
        raise IdentityError(NO_FISCAL_CODE)
    return Identity(
        fiscal_code_digest=fiscal_code_digest(fiscal_code),
        kind=p.kind,
        given_name=str(info.get("given_name") or "")[:80],
        family_name=str(info.get("family_name") or "")[:80],
        email=str(info.get("email") or "")[:254],
    )


def _check_id_token(claims, p, client_id, nonce):
    registry = jwt.JWTClaimsRegistry(
        leeway=LEEWAY,
        iss={"essential": True, "value": p.issuer},
        sub={"essential": True},
        exp={"essential": True},
        iat={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    try:
        registry.validate(claims)
    except JoseError as error:
        raise IdentityError(FAILED) from error
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if client_id not in audiences:
        raise IdentityError(FAILED)
    if claims.get("acr") and claims["acr"] not in acceptable_levels():
        raise IdentityError(FAILED)


def acceptable_levels():
    """The level asked and the ones above it: a provider may answer with a stronger one, never a weaker one."""
    levels = ["https://www.spid.gov.it/SpidL1", "https://www.spid.gov.it/SpidL2", "https://www.spid.gov.it/SpidL3"]
    asked = settings.TRAMA_OIDC_ACR
    return levels[levels.index(asked) :] if asked in levels else [asked]


def _userinfo(p, meta, access_token):
    try:
        response = requests.get(meta["userinfo_endpoint"], headers={"Authorization": f"Bearer {access_token}"}, timeout=TIMEOUT)
        response.raise_for_status()
    except requests.RequestException as error:
        raise IdentityError(UNREACHABLE, status=502) from error
    token = response.text.strip()
    # The profile requires the answer signed and encrypted: a plain JSON answer is refused.
    if token.count(".") == 4:
        try:
            token = jwe.decrypt_compact(token, _keys(), algorithms=ENCRYPTION_ALGORITHMS).plaintext.decode()
        except (JoseError, ValueError, UnicodeDecodeError) as error:
            raise IdentityError(FAILED) from error
    if token.count(".") != 2:
        raise IdentityError(FAILED)
    claims = _verify(p, token)
    if claims.get("iss", "").rstrip("/") != p.issuer:
        raise IdentityError(FAILED)
    return claims
