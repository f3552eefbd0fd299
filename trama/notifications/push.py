"""Web push for notifications: the subscription a browser gives, and sending to it through its push service.

The server signs each message with its VAPID key pair (TRAMA_VAPID_PRIVATE_KEY, TRAMA_VAPID_PUBLIC_KEY, from
the environment; `manage.py vapid_keys` makes one) and the browser's push service passes it on, encrypted with
the browser's keys (aes128gcm): the service reads neither the text nor the link. Without keys push is not offered.
"""

import base64
import binascii
import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The longest endpoint any push service gives is a few hundred characters; anything much longer is not one.
MAX_ENDPOINT = 1000
MAX_USER_AGENT = 100
SUBSCRIPTION_ERROR = _("Il browser ha dato un'iscrizione agli avvisi non valida: ricarica la pagina e riprova.")
ENDPOINT_ERROR = _("L'indirizzo del servizio di notifica non è valido: deve essere un indirizzo https di al massimo 1000 caratteri.")
KEYS_ERROR = _("Le chiavi dell'iscrizione agli avvisi non sono valide: ricarica la pagina e riprova.")


class PushGone(Exception):
    """The push service no longer knows this subscription (404, 410): it is deleted."""

    def __init__(self, status_code):
        super().__init__(status_code)
        self.status_code = status_code


class PushRefused(Exception):
    """The push service refused this message for good (another 4xx): not tried again."""

    def __init__(self, status_code):
        super().__init__(status_code)
        self.status_code = status_code


class PushUnavailable(Exception):
    """The push service could not take it now (429, 5xx): tried again with the back-off."""

    def __init__(self, status_code):
        super().__init__(status_code)
        self.status_code = status_code


def enabled():
    """Whether push can be offered: the server has its VAPID keys and a contact."""
    return bool(settings.TRAMA_VAPID_PRIVATE_KEY and settings.TRAMA_VAPID_PUBLIC_KEY and settings.TRAMA_VAPID_SUBJECT)


def _b64url(value, length):
    """The bytes of `value` (base64url, padded or not) if they are `length` long, else None."""
    if not isinstance(value, str) or not value.isascii() or len(value) > 2 * length:
        return None
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) == length else None


def clean_subscription(data):
    """{"endpoint", "p256dh", "auth"} from what a browser's PushSubscription.toJSON() gave; ValidationError if
    it is not one: the endpoint an https URL on a named host, p256dh an uncompressed P-256 point (65 bytes),
    auth 16 bytes, both base64url."""
    if not isinstance(data, dict) or not isinstance(data.get("keys"), dict):
        raise ValidationError(SUBSCRIPTION_ERROR, code="invalid")
    endpoint = data.get("endpoint")
    if not isinstance(endpoint, str) or len(endpoint) > MAX_ENDPOINT or not endpoint.isascii() or not endpoint.isprintable():
        raise ValidationError(ENDPOINT_ERROR, code="invalid")
    try:
        parts = urlsplit(endpoint)
        host = parts.hostname or ""
    except ValueError:
        raise ValidationError(ENDPOINT_ERROR, code="invalid") from None
    if parts.scheme != "https" or not host or parts.username or parts.password or _is_internal(host):
        raise ValidationError(ENDPOINT_ERROR, code="invalid")
    p256dh, auth = data["keys"].get("p256dh"), data["keys"].get("auth")
    point = _b64url(p256dh, 65)
    if point is None or point[0] != 4 or _b64url(auth, 16) is None:
        raise ValidationError(KEYS_ERROR, code="invalid")
    return {"endpoint": endpoint, "p256dh": p256dh.rstrip("="), "auth": auth.rstrip("=")}


def _is_internal(host):
    # Push services live on public names: an address or a local name would make the server post to its own network.
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")) or "." not in host:
        return True
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def user_agent_label(header):
    """A short name for the device from its User-Agent ("Android, Chrome"): enough for the person to tell her phones apart."""
    header = header or ""
    system = next((name for token, name in _SYSTEMS if token in header), "")
    browser = next((name for token, name in _BROWSERS if token in header), "")
    return ", ".join(part for part in (system, browser) if part)[:MAX_USER_AGENT] or str(_("browser"))


_SYSTEMS = [("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"), ("Mac OS", "Mac"), ("Linux", "Linux")]
_BROWSERS = [("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Chromium/", "Chromium"), ("Safari/", "Safari")]


def send(subscription, payload, urgent=False):
    """Give `payload` (bytes) to `subscription`'s push service, encrypted for its browser and signed with the VAPID
    key; kept by the service TRAMA_PUSH_TTL seconds if the phone is off. Raises PushGone, PushRefused or
    PushUnavailable by the service's answer; a timeout or no connection goes up as it is (tried again)."""
    from py_vapid import Vapid
    from pywebpush import WebPushException, webpush

    try:
        webpush(
            subscription.info(),
            data=payload,
            vapid_private_key=Vapid.from_string(settings.TRAMA_VAPID_PRIVATE_KEY),
            # A new dict each time: pywebpush writes the audience and expiry into it.
            vapid_claims={"sub": settings.TRAMA_VAPID_SUBJECT},
            content_encoding="aes128gcm",
            ttl=settings.TRAMA_PUSH_TTL,
            timeout=settings.TRAMA_PUSH_TIMEOUT,
            headers={"Urgency": "high" if urgent else "normal"},
        )
    except WebPushException as error:
        status = getattr(error.response, "status_code", None)
        if status is None:
            raise PushUnavailable(0) from None
        if status in (404, 410):
            raise PushGone(status) from None
        if status in (408, 429) or status >= 500:
            raise PushUnavailable(status) from None
        raise PushRefused(status) from None
