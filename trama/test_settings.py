"""Settings for the test suite: the real ones, with tasks run immediately and no HTTPS redirect."""

import os

os.environ.setdefault("TRAMA_HTTPS", "0")

from .settings import *  # noqa: E402,F403

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A writer gives up on a held write lock in seconds, not 30: the test of the 503 waits that long.
    DATABASES["default"]["OPTIONS"]["timeout"] = 5  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TRAMA_SMS_BACKEND = "trama.notifications.sms.LocmemBackend"
# Argon2 is what production uses (see test_settings.py's check); the suite hashes
# hundreds of fixture passwords, so it uses a fast hasher.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Embedding a text costs a model load and ~20 ms; tests that need it turn it on.
TRAMA_THEMES_EMBED_ON_SAVE = False
TRAMA_MARKET_EMBED_ON_SAVE = False
# About a thousand tests sign in with force_login as coordinators and workers without a
# second factor; the tests of the second factor turn the requirement on.
TRAMA_REQUIRE_SECOND_FACTOR = False
