"""What every API view shares: the permission rule, clear errors, and the audit of every read of personal records."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, permissions
from rest_framework.response import Response

from trama.privacy import audit


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


class AuditedRetrieve:
    """A retrieve endpoint of a personal record: every read is recorded (`audit_reason` says which page)."""

    audit_reason = ""

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        if self.audited(obj):
            audit.record_read(request, obj, reason=self.audit_reason)
        return Response(self.get_serializer(obj).data)

    def audited(self, obj):
        """Is `obj` a personal record? (An organisation's offer is not.)"""
        return True


class AuditedList:
    """A list endpoint of personal records: one entry per page read, naming the ids it gives.

    `audited_ids(rows)` says which rows of the page are personal records (all of them unless
    overridden); the page is the one the paginator cut, so the entry names exactly what was sent.
    """

    audit_reason = ""

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        rows = list(queryset) if page is None else page
        audit.record_page(self.request, queryset.model, self.audited_ids(rows), self.audit_reason)
        return page

    def audited_ids(self, rows):
        return [row.pk for row in rows]
