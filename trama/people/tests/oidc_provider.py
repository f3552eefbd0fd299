"""A small SPID/CIE-like OpenID Connect provider on loopback, for the tests: keys generated at start, nothing fetched.

It checks what a real provider of the Italian profile checks of Trama (a signed request object with PKCE's S256
challenge, nonce, state and acr_values; a token request authenticated by a signed client assertion with PKCE's
verifier) and answers as one does (an ID token signed with its key, user information signed and then encrypted for
Trama). `tamper` makes it misbehave the way a test needs: an expired or forged ID token, another nonce, another
audience, forged or unencrypted user information.

For the OpenID Federation it also publishes its entity configuration (signed with a federation key of its own), and
`LocalAuthority` plays a trust anchor or an intermediate: its entity configuration, and a fetch endpoint that signs a
subordinate statement (keys, metadata policy) about each entity registered with it. `tamper` on either makes a
statement expired or forged.
"""

import base64
import functools
import hashlib
import html
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import requests
from joserfc import jwe, jwt
from joserfc.jwk import KeySet, RSAKey

from trama.people.identity import FISCAL_NUMBER

MARIA = {
    "given_name": "Maria",
    "family_name": "Rossi",
    "email": "maria.rossi@example.org",
    FISCAL_NUMBER: "TINIT-RSSMRA85T10A562S",
}


@functools.cache
def _generated(name, use, alg):
    # Generated once per test process: RSA keys take a while on a busy machine, and no test needs its own.
    return RSAKey.generate_key(2048, parameters={"kid": name, "use": use, "alg": alg})


def trama_keys():
    """Trama's private key set, generated for the tests: one key to sign, one to decrypt."""
    sign = _generated("trama-sig", "sig", "RS256")
    encrypt = _generated("trama-enc", "enc", "RSA-OAEP-256")
    return {"keys": [sign.as_dict(private=True), encrypt.as_dict(private=True)]}


def public(key_set):
    return {"keys": [{k: v for k, v in key.items() if k not in ("d", "p", "q", "dp", "dq", "qi")} for key in key_set["keys"]]}


class _Loopback:
    """A server of the test's own on a free loopback port, answering from a thread inside a `with`."""

    def _serve(self, handler):
        """Bind the server; its address, which is the entity's identifier."""
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


class LocalProvider(_Loopback):
    def __init__(self, client_id, client_keys, redirect_uris):
        self.client_id = client_id
        self.client_keys = KeySet.import_key_set(public(client_keys))
        self.redirect_uris = set(redirect_uris)
        self.key = _generated("op-sig", "sig", "RS256")
        # Another key under the same name: what a forger would sign with.
        self.intruder = RSAKey.import_key(_generated("intruder", "sig", "RS256").as_dict(private=True) | {"kid": "op-sig"})
        self.person = dict(MARIA)
        self.subject = "op-subject-" + secrets.token_hex(4)
        self.tamper = None
        self.refuse = None
        # In the federation: its federation key, the superiors it names, and how to spoil its entity configuration.
        self.federation_key = _generated("op-fed", "sig", "RS256")
        self.federation_intruder = RSAKey.import_key(_generated("intruder", "sig", "RS256").as_dict(private=True) | {"kid": "op-fed"})
        self.authority_hints = []
        self.statement_tamper = None
        self.pending, self.codes, self.tokens = {}, {}, {}
        self.seen_requests = []
        self.issuer = self._serve(_handler(self))

    def metadata(self):
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "acr_values_supported": ["https://www.spid.gov.it/SpidL1", "https://www.spid.gov.it/SpidL2", "https://www.spid.gov.it/SpidL3"],
            "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            "code_challenge_methods_supported": ["S256"],
            "request_parameter_supported": True,
            "userinfo_encryption_alg_values_supported": ["RSA-OAEP-256"],
            "userinfo_encryption_enc_values_supported": ["A256CBC-HS512"],
        }

    def entity_configuration(self):
        provider = self.metadata() | {"jwks": {"keys": [self.key.as_dict(private=False)]}}
        provider.pop("jwks_uri")
        metadata = {"federation_entity": {"organization_name": "Provider di prova"}, "openid_provider": provider}
        key = self.federation_intruder if self.statement_tamper == "forged" else self.federation_key
        return statement(
            key, self.issuer, self.issuer, self.federation_key, self.statement_tamper, authority_hints=self.authority_hints, metadata=metadata
        )

    def sign_in(self, authorize_url):
        """What a browser does at the provider: open its page, consent; the address it is sent back to."""
        page = requests.get(authorize_url, allow_redirects=False, timeout=10)
        if page.status_code == 302:
            return page.headers["Location"]
        assert page.status_code == 200, page.text
        transaction = page.text.split('name="transaction" value="')[1].split('"')[0]
        answer = requests.post(f"{self.issuer}/consent", data={"transaction": transaction}, allow_redirects=False, timeout=10)
        assert answer.status_code == 302, answer.text
        return answer.headers["Location"]

    # -- what the endpoints do --------------------------------------------------------------------

    def authorize(self, query):
        if query.get("client_id") != self.client_id or "request" not in query:
            return 400, "la richiesta non viene da un client registrato"
        try:
            claims = jwt.decode(query["request"], self.client_keys, algorithms=["RS256"]).claims
        except Exception:
            return 400, "request object non firmato da Trama"
        self.seen_requests.append(claims)
        problems = [
            claims.get("iss") != self.client_id,
            claims.get("client_id") != self.client_id,
            self.issuer not in (claims.get("aud") or []),
            claims.get("redirect_uri") not in self.redirect_uris,
            claims.get("response_type") != "code",
            "openid" not in claims.get("scope", "").split(),
            claims.get("code_challenge_method") != "S256",
            not claims.get("code_challenge") or query.get("code_challenge") != claims.get("code_challenge"),
            not claims.get("nonce") or not claims.get("state"),
            not claims.get("acr_values"),
            FISCAL_NUMBER not in claims.get("claims", {}).get("userinfo", {}),
        ]
        if any(problems):
            return 400, f"richiesta non conforme: {problems}"
        if self.refuse:
            return 302, claims["redirect_uri"] + "?" + urlencode({"error": self.refuse, "state": claims["state"]})
        transaction = secrets.token_urlsafe(16)
        self.pending[transaction] = claims
        return 200, transaction

    def consent(self, form):
        claims = self.pending.pop(form.get("transaction", ""), None)
        if claims is None:
            return 400, "transazione sconosciuta"
        code = secrets.token_urlsafe(24)
        self.codes[code] = claims
        return 302, claims["redirect_uri"] + "?" + urlencode({"code": code, "state": claims["state"]})

    def token(self, form):
        claims = self.codes.pop(form.get("code", ""), None)  # a code serves once
        if self.tamper == "refuse_token":
            return 400, {"error": "invalid_grant"}
        if claims is None or form.get("grant_type") != "authorization_code" or form.get("redirect_uri") != claims["redirect_uri"]:
            return 400, {"error": "invalid_grant"}
        if form.get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer":
            return 401, {"error": "invalid_client"}
        try:
            assertion = jwt.decode(form.get("client_assertion", ""), self.client_keys, algorithms=["RS256"]).claims
        except Exception:
            return 401, {"error": "invalid_client"}
        if assertion.get("iss") != self.client_id or assertion.get("sub") != self.client_id or assertion.get("aud") != f"{self.issuer}/token":
            return 401, {"error": "invalid_client"}
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if challenge != claims["code_challenge"]:
            return 400, {"error": "invalid_grant", "error_description": "PKCE"}
        now = int(time.time())
        id_token = {
            "iss": self.issuer,
            "sub": self.subject,
            "aud": [self.client_id],
            "iat": now,
            "exp": now + 300,
            "nonce": claims["nonce"],
            "acr": claims["acr_values"],
        }
        key = self.key
        if self.tamper == "expired":
            id_token.update(iat=now - 7200, exp=now - 3600)
        elif self.tamper == "nonce":
            id_token["nonce"] = "another-nonce"
        elif self.tamper == "audience":
            id_token["aud"] = ["https://another-client.example.org"]
        elif self.tamper == "forged":
            key = self.intruder
        access_token = secrets.token_urlsafe(24)
        self.tokens[access_token] = claims
        signed = jwt.encode({"alg": "RS256", "kid": key.kid}, id_token, key)
        return 200, {"access_token": access_token, "token_type": "Bearer", "expires_in": 300, "id_token": signed}

    def userinfo(self, authorization):
        claims = self.tokens.get(authorization.removeprefix("Bearer "))
        if claims is None:
            return 401, "application/json", json.dumps({"error": "invalid_token"})
        info = {"iss": self.issuer, "sub": self.subject, "aud": self.client_id, **self.person}
        if self.tamper == "plain_userinfo":
            return 200, "application/json", json.dumps(info)
        key = self.intruder if self.tamper == "forged_userinfo" else self.key
        signed = jwt.encode({"alg": "RS256", "kid": key.kid}, info, key)
        encryption_key = next(k for k in self.client_keys.keys if k.get("use") == "enc")
        protected = {"alg": "RSA-OAEP-256", "enc": "A256CBC-HS512", "kid": encryption_key.kid, "cty": "JWT"}
        return 200, "application/jwt", jwe.encrypt_compact(protected, signed, encryption_key, algorithms=["RSA-OAEP-256", "A256CBC-HS512"])


def statement(key, issuer, subject, public_key, tamper=None, lifetime=3600, **claims):
    """A signed entity statement: `public_key`'s public part as its jwks, valid `lifetime` seconds unless `tamper`
    says "expired"."""
    now = int(time.time())
    claims = {"iss": issuer, "sub": subject, "iat": now, "exp": now + lifetime, "jwks": {"keys": [public_key.as_dict(private=False)]}} | claims
    if tamper == "expired":
        claims.update(iat=now - 7200, exp=now - 3600)
    return jwt.encode({"alg": "RS256", "kid": key.kid, "typ": "entity-statement+jwt"}, claims, key)


class LocalAuthority(_Loopback):
    """A trust anchor (no authority hints) or an intermediate of the federation, on loopback."""

    def __init__(self, name="anchor"):
        self.key = _generated(f"{name}-fed", "sig", "RS256")
        self.intruder = RSAKey.import_key(_generated("intruder", "sig", "RS256").as_dict(private=True) | {"kid": self.key.kid})
        self.subordinates = {}
        self.authority_hints = []
        self.tamper = None  # "expired" or "forged": the subordinate statements it signs
        self.fetches = 0
        self.lifetime = 3600  # of the statements it signs about its subordinates
        self.configuration_lifetime = 3600  # of its own entity configuration
        self.entity_id = self._serve(_authority_handler(self))

    def public_keys(self):
        return {"keys": [self.key.as_dict(private=False)]}

    def register(self, entity_id, federation_key, metadata_policy=None, metadata=None):
        """Vouch for an entity: its federation key, and the policy its metadata must follow."""
        self.subordinates[entity_id] = {"key": federation_key, "metadata_policy": metadata_policy or {}, "metadata": metadata}

    def entity_configuration(self):
        metadata = {"federation_entity": {"organization_name": "Ancora di prova", "federation_fetch_endpoint": f"{self.entity_id}/fetch"}}
        claims = {"metadata": metadata}
        if self.authority_hints:
            claims["authority_hints"] = self.authority_hints
        return statement(self.key, self.entity_id, self.entity_id, self.key, lifetime=self.configuration_lifetime, **claims)

    def fetch(self, subject):
        self.fetches += 1
        found = self.subordinates.get(subject)
        if found is None:
            return None
        claims = {}
        if found["metadata_policy"]:
            claims["metadata_policy"] = {"openid_provider": found["metadata_policy"]}
        if found["metadata"]:
            claims["metadata"] = {"openid_provider": found["metadata"]}
        key = self.intruder if self.tamper == "forged" else self.key
        return statement(key, self.entity_id, subject, found["key"], self.tamper, self.lifetime, **claims)


def _authority_handler(authority):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _send(self, status, body, content_type="application/entity-statement+jwt"):
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):  # noqa: N802 (http.server's name)
            parts = urlsplit(self.path)
            if parts.path == "/.well-known/openid-federation":
                return self._send(200, authority.entity_configuration())
            if parts.path == "/fetch":
                found = authority.fetch(parse_qs(parts.query).get("sub", [""])[0])
                if found is None:
                    return self._send(404, json.dumps({"error": "not_found"}), "application/json")
                return self._send(200, found)
            return self._send(404, "non trovato", "text/plain; charset=utf-8")

    return Handler


PAGE = """<!doctype html>
<html lang="it"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Provider di prova</title></head>
<body style="font-family: sans-serif; margin: 1rem; color: #1a1a1a; background: #fff">
<main><h1>Provider di identità di prova</h1>
<p>Solo per i test di Trama. Entri come {name}.</p>
<form method="post" action="/consent">
<input type="hidden" name="transaction" value="{transaction}">
<button type="submit" style="background: #0066cc; color: #fff; border: 0; padding: .75rem 1rem; font-size: 1rem">Acconsento ed entro</button>
</form></main></body></html>"""


def _handler(provider):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _send(self, status, body, content_type="text/plain; charset=utf-8", location=None):
            data = body.encode() if isinstance(body, str) else body
            self.send_response(status)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _form(self):
            length = int(self.headers.get("Content-Length", 0))
            return {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}

        def do_GET(self):  # noqa: N802 (http.server's name)
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            if parts.path == "/.well-known/openid-configuration":
                return self._send(200, json.dumps(provider.metadata()), "application/json")
            if parts.path == "/.well-known/openid-federation":
                return self._send(200, provider.entity_configuration(), "application/entity-statement+jwt")
            if parts.path == "/jwks":
                return self._send(200, json.dumps({"keys": [provider.key.as_dict(private=False)]}), "application/json")
            if parts.path == "/authorize":
                status, answer = provider.authorize(query)
                if status == 302:
                    return self._send(302, "", location=answer)
                if status == 200:
                    name = html.escape(f"{provider.person['given_name']} {provider.person['family_name']}")
                    return self._send(200, PAGE.format(name=name, transaction=answer), "text/html; charset=utf-8")
                return self._send(status, answer)
            if parts.path == "/userinfo":
                status, content_type, body = provider.userinfo(self.headers.get("Authorization", ""))
                return self._send(status, body, content_type)
            return self._send(404, "non trovato")

        def do_POST(self):  # noqa: N802
            path = urlsplit(self.path).path
            if path == "/consent":
                status, answer = provider.consent(self._form())
                return self._send(302, "", location=answer) if status == 302 else self._send(status, answer)
            if path == "/token":
                status, answer = provider.token(self._form())
                return self._send(status, json.dumps(answer), "application/json")
            return self._send(404, "non trovato")

    return Handler
