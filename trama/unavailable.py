"""A database that is busy or gone answers "riprova tra poco" (503 with Retry-After), not a 500.

On SQLite a writer that waited the whole busy timeout for another's write lock gets "database is
locked"; on PostgreSQL a restart of the server breaks the connections in use. Both are brief: the
request is refused as a whole (its transaction, if any, rolled back) and the next one works, since
Django drops a connection that failed and `CONN_HEALTH_CHECKS` checks a persistent one before reuse.

A full disk (an upload written to a temporary file, a row the database cannot grow for) is refused the
same way, 503, with a page that says so: the request's transaction is rolled back, nothing is kept, and
it lasts until someone makes room, so the page asks to tell the administrator.
"""

import errno
import logging
from contextlib import contextmanager, suppress

from django.core.files import uploadhandler as django_upload_handlers
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 10
# A full disk needs someone to make room: asking again in ten seconds would only fail again.
DISK_FULL_RETRY_AFTER_SECONDS = 300
# PostgreSQL's SQLSTATE for "disk full" (class 53, insufficient resources).
DISK_FULL_SQLSTATE = "53100"


def is_disk_full(error):
    """True when `error` says the disk is full: a file that could not be written, or a database that could not grow."""
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    if not isinstance(error, OperationalError):
        return False
    if connection.vendor == "sqlite":
        return "database or disk is full" in str(error).lower()
    return getattr(error.__cause__, "sqlstate", None) == DISK_FULL_SQLSTATE


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


def unavailable_response(request, disk_full=False):
    """The 503 for `request`: JSON in the API's shape under /api/, else a page that reads nothing from the database;
    `disk_full` says that the disk is full rather than the database busy."""
    retry_after = DISK_FULL_RETRY_AFTER_SECONDS if disk_full else RETRY_AFTER_SECONDS
    if request.path.startswith("/api/"):
        if disk_full:
            detail = _("Lo spazio su disco del server è esaurito: nulla è stato salvato. Avvisa l'amministratore e riprova più tardi.")
        else:
            detail = _("Il sistema è occupato, riprova tra poco.")
        response = JsonResponse({"detail": detail}, status=503)
    else:
        page = loader.get_template("errors/503.html").render({"retry_after": retry_after, "disk_full": disk_full})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turns a busy or lost database, or a full disk, in a view into the 503 (trama.views.server_error does the same for
    the other middleware, whose errors never reach this one)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_disk_full(exception):
            log.error("Disk full for %s %s: %s", request.method, request.path, exception)
            return unavailable_response(request, disk_full=True)
        if is_unavailable(exception):
            log.warning("Database unavailable for %s %s: %s", request.method, request.path, exception)
            return unavailable_response(request)
        return None


class TemporaryFileUploadHandler(django_upload_handlers.TemporaryFileUploadHandler):
    """Django's handler for uploads written to a temporary file, which deletes the file as soon as a write fails
    (a full disk): Django's own leaves it, half-written, to whoever releases the error last."""

    def receive_data_chunk(self, raw_data, start):
        with self._deleted_on_failure():
            return super().receive_data_chunk(raw_data, start)

    def file_complete(self, file_size):
        with self._deleted_on_failure():
            return super().file_complete(file_size)

    @contextmanager
    def _deleted_on_failure(self):
        try:
            yield
        except OSError:
            with suppress(OSError):  # closing flushes what is buffered, which fails again; the file is deleted anyway
                self.file.close()
            raise
