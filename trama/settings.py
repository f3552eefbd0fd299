"""Trama's settings: one file, driven by environment variables with safe defaults.

Nothing here names a city: the city is data (`TRAMA_CITY` picks the one the
interface opens on).
"""

import os
import secrets
from pathlib import Path

import dj_database_url
import xstatic.pkg.leaflet
from django.core.exceptions import ImproperlyConfigured

from trama.private_files import private_dir, private_file, private_sqlite

BASE_DIR = Path(__file__).resolve().parent.parent
# var/ holds the SQLite database, backups, agreements and secrets: only Trama's user may enter it.
VAR_DIR = private_dir(Path(os.environ.get("TRAMA_VAR_DIR", BASE_DIR / "var")))
# Collected static files are public: a web server may serve them from outside var/ (docs/deploy.md).
STATIC_ROOT = Path(os.environ.get("TRAMA_STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key():
    """SECRET_KEY from the environment, else one generated once into var/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = VAR_DIR / "secret_key"
    if not path.exists():
        private_file(path).write_text(secrets.token_urlsafe(64))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
TRAMA_CITY = os.environ.get("TRAMA_CITY", "parma")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "django_htmx",
    "bootstrap_italia_template",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Before django_tasks_db: its `db_worker` command is the one manage.py runs (with a heartbeat).
    "trama.background",
    "django_tasks",
    "django_tasks_db",
    "trama.privacy",
    "trama.notifications",
    "trama.territory",
    "trama.people",
    "trama.market",
    "trama.attention",
    "trama.themes",
    "trama.collective",
    "trama.imports",
    "trama.initiatives",
    "trama.practices",
    "trama.insights",
    "trama",
]

MIDDLEWARE = [
    "trama.middleware.PermissionsPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "trama.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "trama.people.middleware.SessionLimitsMiddleware",
    "trama.people.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "trama.privacy.middleware.PrivacyMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last, so that process_exception sees the view's error first: a locked or lost database is a 503.
    "trama.unavailable.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "trama.urls"
WSGI_APPLICATION = "trama.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "trama" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "trama.context_processors.trama",
            ],
        },
    },
]

# Database: SQLite under var/ by default, anything dj-database-url reads otherwise.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'trama.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        # A persistent connection that the server dropped (a restart of PostgreSQL) is found out at the
        # start of the next request and replaced, instead of failing it.
        conn_health_checks=True,
    )
}
if os.environ.get("TRAMA_TEST_DATABASE_NAME"):
    # Two test runs against one server (CI jobs, two checkouts) each need a database of their own.
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TRAMA_TEST_DATABASE_NAME"]}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once; IMMEDIATE takes the write
    # lock at BEGIN, so two writers queue on the busy timeout instead of failing
    # with "database is locked" when a read transaction tries to upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        # How long a writer waits for the write lock before "database is locked" (then a 503, see
        # trama/unavailable.py; the task worker waits and tries again).
        "timeout": float(os.environ.get("TRAMA_SQLITE_BUSY_TIMEOUT", 30)),
        "init_command": ("PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"),
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
    # Created private before SQLite creates it with the umask's mode (0644, usually).
    private_sqlite(DATABASES["default"]["NAME"])

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "people.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "trama.people.backends.AccountBackend",
]
PASSWORD_HASHERS = [
    "trama.people.hashers.Argon2Hasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "trama.people.validators.UserAttributeSimilarityValidator"},
    {"NAME": "trama.people.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600

# Sessions: 30 minutes idle, 12 hours at most (SessionLimitsMiddleware).
SESSION_IDLE_SECONDS = int(os.environ.get("SESSION_IDLE_SECONDS", 30 * 60))
SESSION_MAX_SECONDS = int(os.environ.get("SESSION_MAX_SECONDS", 12 * 3600))
SESSION_COOKIE_AGE = SESSION_MAX_SECONDS
# API tokens: the same limits as sessions unless set apart.
TRAMA_API_TOKEN_MAX_SECONDS = int(os.environ.get("TRAMA_API_TOKEN_MAX_SECONDS", SESSION_MAX_SECONDS))
TRAMA_API_TOKEN_IDLE_SECONDS = int(os.environ.get("TRAMA_API_TOKEN_IDLE_SECONDS", SESSION_IDLE_SECONDS))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Lockout after repeated failed logins (per username and address).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Behind a reverse proxy every request comes from the proxy's own address. With
# TRAMA_TRUSTED_PROXY_COUNT proxies in front, each appending to X-Forwarded-For, the
# client is the address the outermost one saw; with 0 (the default) the header, which
# any client can write, is ignored. The lockout above and the API throttle both use it.
TRAMA_TRUSTED_PROXY_COUNT = int(os.environ.get("TRAMA_TRUSTED_PROXY_COUNT", 0))
AXES_CLIENT_IP_CALLABLE = "trama.people.lockouts.client_address"

# Second factor (an authenticator app, with single-use recovery codes). Coordinators and
# workers must enrol before reaching anything else; an account that has a second factor is
# always asked for it, whatever this setting says.
TRAMA_REQUIRE_SECOND_FACTOR = env_bool("TRAMA_REQUIRE_SECOND_FACTOR", True)
OTP_TOTP_ISSUER = "Trama"


# SPID and CIE sign-in for citizens (OpenID Connect, docs/deploy.md "SPID e CIE"). Off unless a provider is
# configured: with none, the sign-in page shows no button and the URLs answer 404.
# TRAMA_SPID_PROVIDERS: "Name|issuer" entries separated by ";" (the SPID identity providers the federation lists);
# TRAMA_CIE_ISSUER: the issuer of CIE id. TRAMA_OIDC_CLIENT_ID: Trama's client id (its entity id in the federation);
# TRAMA_OIDC_KEYS_FILE: a JSON key set with Trama's private keys, one for signing and one for encryption
# (`manage.py identity_keys` writes it).
def _identity_providers():
    providers = []
    for entry in os.environ.get("TRAMA_SPID_PROVIDERS", "").split(";"):
        if "|" in entry:
            name, issuer = (part.strip() for part in entry.split("|", 1))
            providers.append({"kind": "spid", "name": name, "issuer": issuer})
    if os.environ.get("TRAMA_CIE_ISSUER"):
        providers.append({"kind": "cie", "name": "CIE", "issuer": os.environ["TRAMA_CIE_ISSUER"].strip()})
    return providers


TRAMA_OIDC_PROVIDERS = _identity_providers()
TRAMA_OIDC_CLIENT_ID = os.environ.get("TRAMA_OIDC_CLIENT_ID", "")
TRAMA_OIDC_KEYS_FILE = os.environ.get("TRAMA_OIDC_KEYS_FILE", "")
# The level asked of SPID (CIE's own levels use the same names); L2 is the one for personal services.
TRAMA_OIDC_ACR = os.environ.get("TRAMA_OIDC_ACR", "https://www.spid.gov.it/SpidL2")
# OpenID Federation (docs/deploy.md "SPID e CIE"): on when both files are set, and then every provider is trusted only
# through its trust chain. TRAMA_FEDERATION_KEYS_FILE: Trama's private federation key set (`manage.py identity_keys
# --federation` writes it), apart from the OpenID Connect keys. TRAMA_FEDERATION_TRUST_ANCHORS_FILE: a JSON object,
# each trust anchor's entity id → its public key set, as published by the federation (never fetched at run time).
TRAMA_FEDERATION_KEYS_FILE = os.environ.get("TRAMA_FEDERATION_KEYS_FILE", "")
TRAMA_FEDERATION_TRUST_ANCHORS_FILE = os.environ.get("TRAMA_FEDERATION_TRUST_ANCHORS_FILE", "")
# The superiors that registered Trama (entity ids separated by ","); empty: the trust anchors of the file above.
TRAMA_FEDERATION_AUTHORITY_HINTS = [h.strip() for h in os.environ.get("TRAMA_FEDERATION_AUTHORITY_HINTS", "").split(",") if h.strip()]
# The trust marks the federation issued to Trama: a JSON list of {"id": ..., "trust_mark": ...}; empty: none.
TRAMA_FEDERATION_TRUST_MARKS_FILE = os.environ.get("TRAMA_FEDERATION_TRUST_MARKS_FILE", "")
# The municipality in the entity configuration: its name (empty: the city's), its institutional PEC and other
# contacts (separated by ","), the address of its logo in SVG (optional).
TRAMA_FEDERATION_ORGANISATION = os.environ.get("TRAMA_FEDERATION_ORGANISATION", "")
TRAMA_FEDERATION_CONTACTS = [c.strip() for c in os.environ.get("TRAMA_FEDERATION_CONTACTS", "").split(",") if c.strip()]
TRAMA_FEDERATION_LOGO_URI = os.environ.get("TRAMA_FEDERATION_LOGO_URI", "")
# How long the entity configuration Trama signs is valid (seconds; the federation reads it again after).
TRAMA_FEDERATION_STATEMENT_SECONDS = int(os.environ.get("TRAMA_FEDERATION_STATEMENT_SECONDS", "86400"))
# Fiscal codes are kept only as a keyed digest; the key must outlive SECRET_KEY's rotation, or every link is lost.
TRAMA_FISCAL_CODE_KEY = os.environ.get("TRAMA_FISCAL_CODE_KEY", "")

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "trama@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 587 if env_bool("EMAIL_USE_TLS") else 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")

# Internationalisation: Italian first; English and the languages of the pilot neighbourhoods'
# largest foreign communities (docs/languages.md). Source strings are Italian. Each language is
# named in itself, as the language menu shows it (not translated: a reader looks for her own).
LANGUAGE_CODE = "it"
LANGUAGES = [
    ("it", "Italiano"),
    ("en", "English"),
    ("ro", "Română"),
    ("ar", "العربية"),
    ("sq", "Shqip"),
    ("uk", "Українська"),
    ("fr", "Français"),
]
# trama/locale/en is the English catalogue; trama/locale/it only writes Django's names of days and
# months in lower case, as Italian does inside a sentence ("sabato 21 novembre").
LOCALE_PATHS = [BASE_DIR / "trama" / "locale"]
# Dates as Italian style guides write them ("9 dicembre 2026"): see trama/formats.
FORMAT_MODULE_PATH = ["trama.formats"]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# WhiteNoise serves static files; straight from the apps unless collectstatic was run.
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", True)
STATICFILES_DIRS = [BASE_DIR / "trama" / "static", ("leaflet", xstatic.pkg.leaflet.BASE_DIR)]

# Security headers.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Browser features no page uses, refused to every origin (an empty list); "self" would allow our own pages.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
# Served over HTTPS (production) unless DEBUG or TRAMA_HTTPS=0 (local runs, tests).
TRAMA_HTTPS = env_bool("TRAMA_HTTPS", not DEBUG)
if TRAMA_HTTPS:
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Map tiles: the only origin besides our own that pages may load from.
TRAMA_TILE_URL = os.environ.get("TRAMA_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
TRAMA_TILE_ATTRIBUTION = os.environ.get("TRAMA_TILE_ATTRIBUTION", "&copy; OpenStreetMap contributors")


def _origin(url):
    from urllib.parse import urlsplit

    parts = urlsplit(url.replace("{s}", "a"))
    if not parts.scheme or not parts.netloc:
        return None
    host = parts.netloc.replace("a.", "*.", 1) if "{s}" in url else parts.netloc
    return f"{parts.scheme}://{host}"


_TILE_ORIGIN = _origin(TRAMA_TILE_URL)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"] + ([_TILE_ORIGIN] if _TILE_ORIGIN else []),
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Privacy: counts from 1 to (threshold - 1) are hidden outside the workers' scope.
TRAMA_SMALL_COUNT_THRESHOLD = int(os.environ.get("TRAMA_SMALL_COUNT_THRESHOLD", 10))

# The content of public pages (home, offers, catalogue, open data) is kept this long for visitors who
# are not signed in: a change shows there within it (the offers list at once, see trama.shortcuts.public_cache).
TRAMA_PUBLIC_CACHE_SECONDS = int(os.environ.get("TRAMA_PUBLIC_CACHE_SECONDS", 300))
# A theme page's figures over all the theme's texts are kept this long (per theme and scope of who reads): a
# change made through another server process shows within it, one made through the same process at once.
TRAMA_THEME_FIGURES_SECONDS = int(os.environ.get("TRAMA_THEME_FIGURES_SECONDS", 60))


# Retention (manage.py apply_retention, nightly): each kind of personal record is anonymised or deleted
# after the months its app declares (docs/privacy.md); a deployment may change them here, as
# "market.Need=36,attention.Signal=6". Checked when Trama starts (trama/privacy/retention.py).
def _retention_months(text):
    months = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        key, _sep, value = item.partition("=")
        try:
            months[key.strip()] = int(value)
        except ValueError:
            raise ImproperlyConfigured(f"TRAMA_RETENTION_MONTHS: {item!r} is not label=months") from None
    return months


if "TRAMA_SIGNAL_RETENTION_DAYS" in os.environ:
    raise ImproperlyConfigured(
        "TRAMA_SIGNAL_RETENTION_DAYS is replaced by TRAMA_RETENTION_MONTHS "
        "(for instance TRAMA_RETENTION_MONTHS=attention.Signal=12): see docs/deploy.md"
    )
TRAMA_RETENTION_MONTHS = _retention_months(os.environ.get("TRAMA_RETENTION_MONTHS", ""))
# The task queue keeps finished tasks this many days, failed ones longer (trama/background/pruning.py).
TRAMA_TASK_RESULTS_DAYS = int(os.environ.get("TRAMA_TASK_RESULTS_DAYS", 14))
TRAMA_FAILED_TASK_RESULTS_DAYS = int(os.environ.get("TRAMA_FAILED_TASK_RESULTS_DAYS", 60))

# A copy of a person's data (privacy.DataExport) can be downloaded once, for this many hours after it is ready.
TRAMA_PRIVACY_EXPORT_HOURS = int(os.environ.get("TRAMA_PRIVACY_EXPORT_HOURS", 72))

# Notifications (trama.notifications): an e-mail that fails is tried again after this many seconds,
# doubling each time, and given up after this many attempts. The bell's unread count is kept per
# account and process for this many seconds: another process shows a change within it.
TRAMA_NOTIFICATION_RETRY_SECONDS = int(os.environ.get("TRAMA_NOTIFICATION_RETRY_SECONDS", 60))
TRAMA_NOTIFICATION_MAX_ATTEMPTS = int(os.environ.get("TRAMA_NOTIFICATION_MAX_ATTEMPTS", 5))
TRAMA_NOTIFICATION_COUNT_SECONDS = int(os.environ.get("TRAMA_NOTIFICATION_COUNT_SECONDS", 60))
# A delivery taken by a worker is left to it this many seconds before another may take it again (the
# first one died while the provider answered): longer than any mail server's or provider's timeout.
TRAMA_NOTIFICATION_LEASE_SECONDS = float(os.environ.get("TRAMA_NOTIFICATION_LEASE_SECONDS", 600))
# No e-mail between these two times (the city's time zone, TIME_ZONE) unless urgent: each account may change them.
TRAMA_QUIET_HOURS = tuple(os.environ.get("TRAMA_QUIET_HOURS", "21:00-08:00").split("-"))
# Reminders (notifications.tasks.send_reminders): a match accepted and not started for this many days.
TRAMA_MATCH_START_REMINDER_DAYS = int(os.environ.get("TRAMA_MATCH_START_REMINDER_DAYS", 7))
# The unsubscribe link of an e-mail (no sign-in needed) works for this many days.
TRAMA_UNSUBSCRIBE_DAYS = int(os.environ.get("TRAMA_UNSUBSCRIBE_DAYS", 180))
# SMS for notifications (trama/notifications/sms.py): the backend's dotted path. The console one writes to the
# log (development); HttpJsonBackend posts to a provider's JSON API at TRAMA_SMS_URL with the bearer token
# TRAMA_SMS_TOKEN, as TRAMA_SMS_SENDER, waiting at most TRAMA_SMS_TIMEOUT seconds.
TRAMA_SMS_BACKEND = os.environ.get("TRAMA_SMS_BACKEND", "trama.notifications.sms.ConsoleBackend")
TRAMA_SMS_URL = os.environ.get("TRAMA_SMS_URL", "")
TRAMA_SMS_TOKEN = os.environ.get("TRAMA_SMS_TOKEN", "")
TRAMA_SMS_SENDER = os.environ.get("TRAMA_SMS_SENDER", "Trama")
TRAMA_SMS_TIMEOUT = float(os.environ.get("TRAMA_SMS_TIMEOUT", 10))
# Web push for notifications (trama/notifications/push.py): the VAPID key pair (base64url, from
# `manage.py vapid_keys`) and a mailto: contact for the push services. Without them push is not offered.
# A message waits at the push service at most TRAMA_PUSH_TTL seconds for the phone to come online.
TRAMA_VAPID_PRIVATE_KEY = os.environ.get("TRAMA_VAPID_PRIVATE_KEY", "")
TRAMA_VAPID_PUBLIC_KEY = os.environ.get("TRAMA_VAPID_PUBLIC_KEY", "")
TRAMA_VAPID_SUBJECT = os.environ.get("TRAMA_VAPID_SUBJECT", "")
TRAMA_PUSH_TTL = int(os.environ.get("TRAMA_PUSH_TTL", 86400))
TRAMA_PUSH_TIMEOUT = float(os.environ.get("TRAMA_PUSH_TIMEOUT", 10))
# At most this many notifications per minute go to the mail server, and to the SMS provider (their rate limits):
# the rest waits, pending, for the next minute. 0: no limit.
TRAMA_EMAIL_RATE_PER_MINUTE = int(os.environ.get("TRAMA_EMAIL_RATE_PER_MINUTE", 0))
TRAMA_SMS_RATE_PER_MINUTE = int(os.environ.get("TRAMA_SMS_RATE_PER_MINUTE", 0))
# The shared secret a mail or SMS provider sends ("Authorization: Bearer …") with its bounce notices to
# /notifiche/rimbalzi/ (notifications.views.bounce); empty: the endpoint refuses every notice.
TRAMA_BOUNCE_WEBHOOK_SECRET = os.environ.get("TRAMA_BOUNCE_WEBHOOK_SECRET", "")
# The address of the site, for links in e-mails sent by the task worker (which has no request).
TRAMA_SITE_URL = os.environ.get("TRAMA_SITE_URL", "http://localhost:8000")

# The ledger of erasures done (pseudonymous ids and dates, one JSON line each), kept outside the
# database so that `manage.py restore` re-applies them: keep it out of the database's backups.
TRAMA_ERASURE_LEDGER = Path(os.environ.get("TRAMA_ERASURE_LEDGER", VAR_DIR / "erasures.jsonl"))

# Groups: how many people with a similar situation make the system propose to convene one.
TRAMA_GROUP_THRESHOLD = int(os.environ.get("TRAMA_GROUP_THRESHOLD", 5))

# Themes: compute each text item's sentence embedding in the background when it is saved.
TRAMA_THEMES_EMBED_ON_SAVE = os.environ.get("TRAMA_THEMES_EMBED_ON_SAVE", "1") == "1"
# Market: compute each offer's and need's meaning vector in the background when its text changes.
TRAMA_MARKET_EMBED_ON_SAVE = os.environ.get("TRAMA_MARKET_EMBED_ON_SAVE", "1") == "1"

# Background tasks: a database queue and `manage.py db_worker`. Each worker beats every
# TRAMA_TASK_HEARTBEAT_SECONDS; a task running on a worker silent for TRAMA_TASK_STALLED_SECONDS goes
# back to the queue, and is given up after TRAMA_TASK_MAX_ATTEMPTS starts (trama/background/recovery.py).
# The delay must outlast a long SQLite write lock (the busy timeout above), during which beats wait.
TRAMA_TASK_HEARTBEAT_SECONDS = float(os.environ.get("TRAMA_TASK_HEARTBEAT_SECONDS", 10))
TRAMA_TASK_STALLED_SECONDS = float(os.environ.get("TRAMA_TASK_STALLED_SECONDS", 60))
TRAMA_TASK_MAX_ATTEMPTS = int(os.environ.get("TRAMA_TASK_MAX_ATTEMPTS", 3))
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so a refused API call answers 401 with WWW-Authenticate.
        "trama.people.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["trama.api.RulePermission"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "trama.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"anon": "120/minute"},
    "NUM_PROXIES": TRAMA_TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Trama API",
    "DESCRIPTION": "API della piattaforma Trama per il welfare di comunità.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Errors (401, 403, 404, 400) documented on the operations that can answer with them.
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "trama.api_schema.document_errors"],
    # Several apps call a choice field "status" or "kind": each set gets its own name.
    "ENUM_NAME_OVERRIDES": {
        "GroupStatusEnum": "trama.collective.models.Group.Status",
        "SuggestionStatusEnum": "trama.collective.models.Suggestion.Status",
        "MeetingKindEnum": "trama.collective.models.Meeting.Kind",
        "ThemeStatusEnum": "trama.themes.models.Theme.Status",
        "DiscoveryRunStatusEnum": "trama.themes.models.DiscoveryRun.Status",
        "AgreementStatusEnum": "trama.initiatives.models.Agreement.Status",
        "AgreementKindEnum": "trama.initiatives.models.Agreement.Kind",
        "SignalStatusEnum": "trama.attention.models.Signal.Status",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Django's two, the second deleting its temporary file at once when the disk is full (trama/unavailable.py).
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.MemoryFileUploadHandler", "trama.unavailable.TemporaryFileUploadHandler"]
