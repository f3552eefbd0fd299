"""SMS for notifications: the number a person gives for them, and the backends that send.

The backend is chosen by TRAMA_SMS_BACKEND (a dotted path) and has one method, `send(number, text)`: it
returns when the provider took the message, raises `SmsRefused` when the provider refused it for good
(a wrong number, a bad request: trying again would fail again) and any other exception when it may work
later (the provider down, slow or busy), which the outbox task tries again with its back-off. Web push
(push.py) has the same shape: refused, gone or unavailable by the push service's answer.
"""

import json
import logging
import re
import urllib.error
import urllib.request

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

log = logging.getLogger(__name__)

# What LocmemBackend has sent, as (number, text), like django.core.mail.outbox: for tests.
outbox = []

NUMBER_ERROR = _(
    "Scrivi un numero di cellulare valido: italiano, come 333 1234567 o +39 333 1234567, "
    "oppure di un altro paese con il prefisso internazionale, come +44 7700 900123."
)
# Spaces, dots, dashes, slashes and one pair of brackets are how people write numbers; nothing else is accepted.
_SEPARATORS = re.compile(r"[\s./()-]")
# Italian mobiles (the only Italian numbers that take an SMS): 3 and 8 or 9 more digits.
_ITALIAN_MOBILE = re.compile(r"3\d{8,9}")
# E.164: a country code not starting with 0, at most 15 digits in all.
_E164 = re.compile(r"\+[1-9]\d{6,14}")


def normalise_number(value):
    """The E.164 form ("+393331234567") of a mobile number written as people write it; ValidationError if it is not one.

    Without a country code a number is Italian; an Italian number must be a mobile (a landline takes no SMS).
    """
    compact = _SEPARATORS.sub("", value or "")
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if not compact.startswith("+"):
        compact = "+39" + compact
    if not compact.isascii() or not _E164.fullmatch(compact):
        raise ValidationError(NUMBER_ERROR, code="invalid")
    if compact.startswith("+39") and not _ITALIAN_MOBILE.fullmatch(compact[3:]):
        raise ValidationError(NUMBER_ERROR, code="invalid")
    return compact


class SmsRefused(Exception):
    """The provider refused this message for good: it is not tried again. `status_code` is its HTTP status."""

    def __init__(self, status_code):
        super().__init__(status_code)
        self.status_code = status_code


class SmsInvalidNumber(SmsRefused):
    """The provider said the number cannot receive messages (not a mobile, not in service): it is marked
    (models.UnreachableAddress) and nothing more is sent to it until its owner changes or confirms it."""


class SmsUnavailable(Exception):
    """The provider could not take the message now (its 5xx, 429 or 408): tried again later."""

    def __init__(self, status_code):
        super().__init__(status_code)
        self.status_code = status_code


def get_backend():
    return import_string(settings.TRAMA_SMS_BACKEND)()


class ConsoleBackend:
    """Development: the message goes to the log, with only the number's last three digits."""

    def send(self, number, text):
        log.info("SMS to …%s: %s", number[-3:], text)


class LocmemBackend:
    """Tests: the message is kept in `outbox`."""

    def send(self, number, text):
        outbox.append((number, text))


class HttpJsonBackend:
    """A provider with a JSON HTTP API: POST {"from", "to", "text"} to TRAMA_SMS_URL with the bearer token
    TRAMA_SMS_TOKEN (from the environment). A 2xx is sent; 408, 429 and 5xx, a timeout or no connection are
    tried again later; any other 4xx is refused for good, and one whose JSON body has `"code": "invalid_number"` says
    the number itself cannot receive (SmsInvalidNumber). Neither the number nor the text is logged."""

    def send(self, number, text):
        body = json.dumps({"from": settings.TRAMA_SMS_SENDER, "to": number, "text": text}).encode()
        request = urllib.request.Request(
            settings.TRAMA_SMS_URL,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {settings.TRAMA_SMS_TOKEN}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.TRAMA_SMS_TIMEOUT) as response:
                response.read()
        except urllib.error.HTTPError as error:
            answer = error.read(4096)
            error.close()
            if error.code in (408, 429) or error.code >= 500:
                raise SmsUnavailable(error.code) from None
            if _says_invalid_number(answer):
                raise SmsInvalidNumber(error.code) from None
            raise SmsRefused(error.code) from None
        # A timeout or a refused connection (URLError, TimeoutError, OSError) goes up as it is: tried again later.


def _says_invalid_number(answer):
    try:
        body = json.loads(answer)
    except ValueError:
        return False
    return isinstance(body, dict) and body.get("code") == "invalid_number"
