import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect
from rest_framework.views import APIView

LOGIN_AT = "trama_login_at"
SEEN_AT = "trama_seen_at"
SEEN_WRITE_SECONDS = 60


class SessionLimitsMiddleware:
    """Ends a session after SESSION_IDLE_SECONDS without requests or SESSION_MAX_SECONDS in all.

    "Last seen" is written at most once every SEEN_WRITE_SECONDS, not on every request: a page
    view then reads the session without writing it back (the idle limit is kept to within that
    interval, which is short beside half an hour).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            login_at = session.get(LOGIN_AT)
            seen_at = session.get(SEEN_AT, now)
            if now - seen_at > settings.SESSION_IDLE_SECONDS or now - (login_at or now) > settings.SESSION_MAX_SECONDS:
                logout(request)
                messages.info(request, _("La sessione è scaduta: accedi di nuovo."))
            else:
                if login_at is None:
                    session[LOGIN_AT] = now
                if login_at is None or now - seen_at >= SEEN_WRITE_SECONDS:
                    session[SEEN_AT] = now
        return self.get_response(request)


class SecondFactorMiddleware:
    """Keeps a session that owes its second factor on the one page that settles it.

    An account with a second factor whose session has given no code yet (signed in some
    other way than the sign-in form) is sent to the code step; with
    TRAMA_REQUIRE_SECOND_FACTOR, a coordinator or worker without one is sent to enrol.
    Until then only signing out and a few public pages answer; the API answers 403 in
    JSON, where a redirect would mean nothing to a program.
    """

    ALWAYS_OPEN = {"logout", "privacy:notice", "health", "set_language"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if user.second_factor:  # kept from the devices by people.signals: no query per request
            target, refusal = "second_factor_verify", _("Inserisci il codice di verifica per continuare.")
        elif settings.TRAMA_REQUIRE_SECOND_FACTOR and user.requires_second_factor:
            target, refusal = "people:second_factor", _("Per il tuo ruolo serve la verifica in due passaggi: attivala per continuare.")
        else:
            return None
        name = request.resolver_match.view_name if request.resolver_match else ""
        if name == target or name in self.ALWAYS_OPEN:
            return None
        if _is_api(view_func):
            return JsonResponse({"detail": str(refusal)}, status=403)
        url = reverse(target)
        if request.method == "GET" and target == "second_factor_verify":
            url += "?" + urlencode({"next": request.get_full_path()})
        if request.htmx:
            return HttpResponseClientRedirect(url)
        return redirect(url)


def _is_api(view_func):
    view_class = getattr(view_func, "cls", None)
    return view_class is not None and issubclass(view_class, APIView)
