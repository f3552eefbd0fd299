import time

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django_otp.plugins.otp_totp.models import TOTPDevice

from trama.privacy import audit

from .middleware import LOGIN_AT, SEEN_AT
from .models import User


@receiver(user_logged_in)
def start_session_clock(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[LOGIN_AT] = now
        request.session[SEEN_AT] = now
    audit.record(user, audit.Action.LOGIN, user, path=getattr(request, "path", ""))


@receiver(user_login_failed)
def record_failed_login(sender, credentials, request=None, **kwargs):
    # What was typed is never stored (it may be a password typed in the wrong box):
    # only the account it names, when there is one.
    account = User.objects.filter(username=str(credentials.get("username", ""))[:150]).first()
    audit.record(
        None,
        audit.Action.LOGIN_FAILED,
        account,
        reason="" if account else "nome utente sconosciuto",
        path=getattr(request, "path", ""),
    )


@receiver(post_save, sender=TOTPDevice)
@receiver(post_delete, sender=TOTPDevice)
def keep_second_factor_flag(sender, instance, **kwargs):
    """User.second_factor follows the account's confirmed authenticator apps (read by SecondFactorMiddleware)."""
    confirmed = TOTPDevice.objects.filter(user_id=instance.user_id, confirmed=True).exists()
    User.objects.filter(pk=instance.user_id).exclude(second_factor=confirmed).update(second_factor=confirmed)
