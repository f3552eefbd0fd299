import time

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

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
