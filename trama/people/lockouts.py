"""Where a sign-in comes from, and the lockouts that repeated failures put on it.

django-axes counts failed sign-ins per username and client address
(`AXES_LOCKOUT_PARAMETERS`); this module tells it the real client address and
lets a coordinator see and lift the lockouts in force.
"""

import ipaddress
from datetime import timedelta

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Min, Sum
from django.utils import timezone

from trama.privacy import audit

from .models import User


def _valid(address):
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_address(request):
    """The client's address: REMOTE_ADDR, or behind N trusted proxies the one the outermost proxy saw.

    Each proxy appends the address it was reached from to X-Forwarded-For, so with N
    of them the client is the N-th entry from the right; entries further left were
    written by the client itself and are never believed.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRAMA_TRUSTED_PROXY_COUNT
    forwarded = [entry for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()]
    if count <= 0 or not forwarded:
        return remote
    return _valid(forwarded[-min(count, len(forwarded))]) or remote


def _cool_off():
    return timedelta(hours=settings.AXES_COOLOFF_TIME)


def current_lockouts():
    """The username and address pairs locked out now, most recent first.

    Each row: username, ip_address, failures, last (the last failure, from which the
    cool-off runs), until (when the lockout ends by itself) and attempt_id (one of its attempts,
    to name it in a URL). Failures are summed over the browsers used, as axes counts them.
    """
    rows = (
        AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - _cool_off())
        .values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"), attempt_id=Min("id"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last")
    )
    return [{**row, "until": row["last"] + _cool_off()} for row in rows]


def lockout_of(attempt):
    """The current lockout `attempt` belongs to, or None if it is not locked out (any more)."""
    for lockout in current_lockouts():
        if (lockout["username"], lockout["ip_address"]) == (attempt.username, attempt.ip_address):
            return lockout
    return None


def unlock(request, lockout):
    """Lift a lockout: forget the failures of that username from that address, and audit it."""
    AxesProxyHandler.reset_attempts(username=lockout["username"], ip_address=lockout["ip_address"])
    account = User.objects.filter(username=lockout["username"]).first()
    audit.record(
        request.user,
        audit.Action.UPDATE,
        account,
        path=request.path,
        reason="sblocco dopo tentativi di accesso falliti",
        object_type="" if account else "axes.accessattempt",
        object_id="" if account else str(lockout["attempt_id"]),
    )
