"""A database that is busy or gone answers "riprova tra poco" (503 with Retry-After), not a 500.

On SQLite a writer that waited the whole busy timeout for another's write lock gets "database is
locked"; on PostgreSQL a restart of the server breaks the connections in use. Both are brief: the
request is refused as a whole (its transaction, if any, rolled back) and the next one works, since
Django drops a connection that failed and `CONN_HEALTH_CHECKS` checks a persistent one before reuse.
"""

import logging

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 10


def is_unavailable(error):
    """True for the database errors that mean "busy or gone, try again", not a bug."""
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    if connection.vendor == "sqlite":
        message = str(error).lower()
        return "locked" in message or "busy" in message
    return True


def unavailable_response(request):
    """The 503 for `request`: JSON in the API's shape under /api/, else a page that reads nothing from the database."""
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": _("Il sistema è occupato, riprova tra poco.")}, status=503)
    else:
        page = loader.get_template("errors/503.html").render({"retry_after": RETRY_AFTER_SECONDS})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turns a busy or lost database in a view into the 503 (trama.views.server_error does the same for
    the other middleware, whose errors never reach this one)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_unavailable(exception):
            log.warning("Database unavailable for %s %s: %s", request.method, request.path, exception)
            return unavailable_response(request)
        return None
