"""What every API view shares: the permission rule and clear errors."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, permissions


class RulePermission(permissions.BasePermission):
    """Asks the same `rules` permission as the views.

    A view declares `permission_required` (a name, or a dict from HTTP method to
    name); object-level checks pass the object to the same rule.
    """

    def _perm(self, request, view):
        perm = getattr(view, "permission_required", None)
        if isinstance(perm, dict):
            return perm.get(request.method, perm.get("*"))
        return perm

    def has_permission(self, request, view):
        perm = self._perm(request, view)
        if perm is None:
            return False
        return request.user.has_perm(perm)

    def has_object_permission(self, request, view, obj):
        perm = self._perm(request, view)
        return perm is not None and request.user.has_perm(perm, obj)


def exception_handler(exc, context):
    """DRF's handler, plus Django's own validation errors as 400 instead of 500."""
    from rest_framework.views import exception_handler as drf_exception_handler  # DRF imports this module

    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("Risorsa non trovata.")
    return drf_exception_handler(exc, context)
