"""Settings for the test suite: the real ones, with tasks run immediately and no HTTPS redirect."""

import os

os.environ.setdefault("TRAMA_HTTPS", "0")

from .settings import *  # noqa: E402,F403

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
