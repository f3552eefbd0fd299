"""The settings read the environment and are safe for production."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, env):
    base = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "TRAMA_HTTPS", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120)


def test_deploy_check_passes_with_production_variables(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "trama.comune.example",
            "TRAMA_VAR_DIR": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_fails_in_debug_mode(tmp_path):
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env={"DEBUG": "1", "TRAMA_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "DEBUG" in result.stdout + result.stderr


def test_secret_key_is_generated_once_into_var_when_absent(tmp_path):
    env = {"TRAMA_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "trama.settings"}
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code], cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True
    )
    second = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code], cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True
    )
    key = (tmp_path / "secret_key").read_text().strip()
    assert first.stdout.strip() == second.stdout.strip() == key
    assert len(key) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_security_headers_on_every_page(client, db):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_missing_page_gets_the_italian_error_page_without_details(client, db):
    response = client.get("/non-esiste/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Pagina non trovata" in body
    assert "Traceback" not in body and "urlpatterns" not in body


def test_italian_is_the_default_whatever_the_browser_asks(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "it"
    assert '<html lang="it" dir="ltr">' in response.content.decode()


def test_the_language_switch_sets_english_and_back(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert client.get("/")["Content-Language"] == "en"
    client.post("/i18n/setlang/", {"language": "it", "next": "/"})
    assert client.get("/")["Content-Language"] == "it"


def test_an_unknown_language_falls_back_to_italian(client, db):
    client.cookies["django_language"] = "xx"
    assert client.get("/")["Content-Language"] == "it"


def test_production_hashes_passwords_with_argon2id_at_the_owasp_minimum():
    from trama import settings as production

    assert production.PASSWORD_HASHERS[0] == "trama.people.hashers.Argon2Hasher"
    from django.contrib.auth.hashers import Argon2PasswordHasher

    from trama.people.hashers import Argon2Hasher

    hasher = Argon2Hasher()
    encoded = hasher.encode("una-password-qualsiasi", hasher.salt())
    # argon2$argon2id$v=19$m=19456,t=2,p=1$salt$hash: the parameters travel with the hash.
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert hasher.verify("una-password-qualsiasi", encoded) and not hasher.verify("un'altra", encoded)
    assert not hasher.must_update(encoded)
    # A hash made with Django's heavier defaults still signs in, and is rewritten at that sign-in.
    old = Argon2PasswordHasher().encode("una-password-qualsiasi", hasher.salt())
    assert hasher.verify("una-password-qualsiasi", old) and hasher.must_update(old)


def test_permissions_policy_refuses_every_powerful_feature_on_every_response(client, db):
    """Pages, errors, the API and static files alike; the map does not locate the visitor, so geolocation is refused too."""
    for url in ["/", "/non-esiste/", "/api/v1/", "/static/trama/trama.css"]:
        policy = client.get(url)["Permissions-Policy"]
        for feature in ["camera", "microphone", "geolocation", "payment", "usb"]:
            assert f"{feature}=()" in policy, (url, feature)
