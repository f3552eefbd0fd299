"""The second factor of an account: an authenticator app (TOTP) and single-use recovery codes.

Built on django-otp: one TOTPDevice per account (unconfirmed until the first code
from the app is given back) and one StaticDevice holding the recovery codes. A session
is verified once a code was accepted in it (`django_otp.login`).
"""

import base64
import re
import time

import segno
from django.contrib.auth import login
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from trama.privacy import audit

RECOVERY_CODES = 10
TOTP_CODE = re.compile(r"\d{6}")
# django-otp's recovery codes: 5 random bytes in lower-case base32.
RECOVERY_CODE = re.compile(r"[a-z2-7]{8}")

PENDING = "trama_second_factor_pending"
# Between the password and the code: after this long the password is asked again.
PENDING_SECONDS = 5 * 60


def normalise(code):
    """A code as typed, without spaces or dashes, in lower case."""
    return re.sub(r"[\s-]", "", code).lower()


def has_second_factor(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def app_device(user):
    """The account's confirmed authenticator app, or None."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def device_to_confirm(user):
    """The app the account is enrolling: the same secret on every visit until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="app", confirmed=False)


def secret_of(device):
    """The secret in base32, in groups of four, as a person types it into an app."""
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device):
    """The otpauth:// URI of the device as an inline SVG QR code, drawn here: nothing leaves the server."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=4, border=4, dark="#000", light="#fff", svgclass="qr-code", title=_("Codice QR da inquadrare con l'app")
    )


def remaining_recovery_codes(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def is_throttled(device):
    """django-otp makes each wrong code wait longer before the next one is checked."""
    allowed, _info = device.verify_is_allowed()
    return not allowed


def device_for(user, code):
    """The device a well-formed code is meant for: the app for 6 digits, the recovery codes otherwise."""
    model = TOTPDevice if TOTP_CODE.fullmatch(code) else StaticDevice
    return model.objects.filter(user=user, confirmed=True).first()


def verify(user, code):
    """The device that accepts `code` (a recovery code is spent), or None."""
    device = device_for(user, code)
    if device is None:
        return None
    return verify_token(user, device.persistent_id, code)


@transaction.atomic
def confirm(request, device, code):
    """Confirm the app being enrolled with its first code; return the new recovery codes, or None.

    The session that confirmed it counts as verified.
    """
    if not device.verify_token(code):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    codes = new_recovery_codes(device.user)
    otp_login(request, device)
    audit.record(request.user, audit.Action.UPDATE, device.user, path=request.path, reason="secondo fattore attivato")
    return codes


@transaction.atomic
def new_recovery_codes(user):
    """Replace the account's recovery codes with RECOVERY_CODES new ones and return them (shown once)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = []
    while len(codes) < RECOVERY_CODES:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return [f"{code[:4]}-{code[4:]}" for code in codes]


def remove(user):
    """Take the second factor away: the app and the recovery codes."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def reset(request, account):
    """A coordinator takes away another account's second factor (a lost phone); audited."""
    remove(account)
    audit.record_change(request, account, reason="secondo fattore azzerato")


def await_code(request, user, next_url):
    """The password was right: remember who signed in, not yet signed in, until the code is given."""
    request.session.cycle_key()
    request.session[PENDING] = {"user": user.pk, "backend": user.backend, "next": next_url, "at": time.time()}


def awaiting(request):
    """The account whose password was given in this session and is waiting for its code, or None."""
    from .models import User

    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        return None
    return User.objects.filter(pk=pending["user"], is_active=True).first()


def forget_pending(request):
    request.session.pop(PENDING, None)


def complete_sign_in(request, user, device):
    """The code was right: sign the waiting account in, verified by `device`; return where to go next."""
    pending = request.session.pop(PENDING)
    user.otp_device = device  # django-otp stores it in the session on login
    login(request, user, backend=pending["backend"])
    return pending["next"]
