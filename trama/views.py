import sys

from django.db import connection
from django.http import Http404, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from rest_framework import exceptions

from trama.market.models import Rate
from trama.market.queries import activity_of
from trama.market.services import rate_for
from trama.people.models import Role
from trama.people.services import person_for_account
from trama.permissions import permission_required
from trama.privacy import audit
from trama.privacy.retention import overview as retention_overview
from trama.privacy.suppression import threshold_for
from trama.shortcuts import public_cache
from trama.territory.queries import city_of, current_city, neighbourhoods_for_settings
from trama.themes.queries import traditional_categories
from trama.unavailable import is_disk_full, is_unavailable, unavailable_response


def home(request):
    """The public home, or the signed-in role's own home: what that role does next."""
    user = request.user
    city = current_city()
    if not user.is_authenticated:
        return render(request, "home/public.html", {"city": city, "public_cache": public_cache(city)})
    context = {"city": city, "neighbourhoods": user.neighbourhoods.all() if user.is_scoped else None}
    template = {
        Role.COORDINATOR: "home/coordinator.html",
        Role.WORKER: "home/worker.html",
        Role.PARTNER: "home/partner.html",
        Role.ANTENNA: "home/antenna.html",
    }.get(user.role, "home/citizen.html")
    return render(request, template, context)


# "In parole semplici": each public door's easy version (its template under easy/) and the door it stands for.
EASY_DOORS = {
    "home": "home",
    "cerco-una-mano": "market:door_need",
    "offro-una-mano": "market:door_offer",
    "attivita": "initiatives:catalogue",
    "calendario": "collective:public_calendar",
    "registrazione": "people:register",
    "segnala": "attention:signal_create",
}


def easy(request, door):
    """A public door in easy reading: short sentences, one idea a line, pictograms; public, for everyone."""
    if door not in EASY_DOORS:
        raise Http404
    return render(request, f"easy/{door}.html", {"ordinary_url": reverse(EASY_DOORS[door])})


@permission_required("market.see_own_activity")
def my_activity(request):
    """A citizen's own side, in words: what they offer and ask, their matches and contributions, the hours
    they gave and received, the groups and activities they joined. Never a label about themselves."""
    person = person_for_account(request.user)
    activity = activity_of(person) if person is not None else None
    if person is not None:
        audit.record_read(request, person, reason="la mia attività")
    return render(request, "home/my_activity.html", {"person": person, "activity": activity})


@require_GET
@permission_required("territory.manage_city")
def city_settings(request):
    """The coordinator's settings page for the city: each setting shown where it is kept, with a link to change
    what may be changed (neighbourhoods, the small-count threshold, the contribution rates); the retention schedule
    and the traditional categories are shown, not changed here (they are the same for the whole deployment).
    Nothing of it is personal data."""
    city = city_of(request.user)
    if city is None:
        raise Http404
    context = {
        "city": city,
        "neighbourhoods": neighbourhoods_for_settings(city),
        "threshold": threshold_for(city),
        "rates": [(label, rate_for(city, kind)) for kind, label in Rate.Kind.choices],
        "retention": retention_overview(),
        "categories": traditional_categories(),
    }
    return render(request, "home/city_settings.html", context)


@never_cache
def health(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _api_error(request, error):
    """Under /api/ an error is JSON in the API's shape, {"detail": "…"}, even when no API view answered
    (an id that is not a number, an address that does not exist): clients never get an HTML page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(error.default_detail)}, status=error.status_code)
    return None


def bad_request(request, exception=None):
    return _api_error(request, exceptions.ParseError) or render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    return _api_error(request, exceptions.PermissionDenied) or render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return _api_error(request, exceptions.NotFound) or render(request, "errors/404.html", status=404)


def server_error(request):
    # An error raised by a middleware rather than a view (a session saved on a locked SQLite, an audit
    # entry on a lost connection) lands here: it is still "riprova tra poco".
    error = sys.exc_info()[1]
    if error is not None and is_disk_full(error):  # an upload read by the CSRF check, before any view
        return unavailable_response(request, disk_full=True)
    if error is not None and is_unavailable(error):
        return unavailable_response(request)
    return _api_error(request, exceptions.APIException) or HttpResponseServerError(loader.get_template("errors/500.html").render())
