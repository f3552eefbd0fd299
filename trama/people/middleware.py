import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.translation import gettext as _

LOGIN_AT = "trama_login_at"
SEEN_AT = "trama_seen_at"


class SessionLimitsMiddleware:
    """Ends a session after SESSION_IDLE_SECONDS without requests or SESSION_MAX_SECONDS in all."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            login_at = session.get(LOGIN_AT, now)
            seen_at = session.get(SEEN_AT, now)
            if now - seen_at > settings.SESSION_IDLE_SECONDS or now - login_at > settings.SESSION_MAX_SECONDS:
                logout(request)
                messages.info(request, _("La sessione è scaduta: accedi di nuovo."))
            else:
                session[LOGIN_AT] = login_at
                session[SEEN_AT] = now
        return self.get_response(request)
