"""What every API view shares: the permission rule, clear errors, choice fields, and the audit of every read of
personal records."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, permissions, serializers
from rest_framework.response import Response
from rest_framework.settings import api_settings

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
        exc = refused(exc, field=None)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("Risorsa non trovata.")
    return drf_exception_handler(exc, context)


def refused(error, field=api_settings.NON_FIELD_ERRORS_KEY):
    """Django's ValidationError (from a service or a model) as DRF's, which answers 400.

    Messages tied to fields keep their fields; the others go under `field` (by default DRF's
    "non_field_errors"), or, with `field=None`, make the body a plain list of messages.
    """
    if hasattr(error, "error_dict"):
        return exceptions.ValidationError(error.message_dict)
    return exceptions.ValidationError(error.messages if field is None else {field: error.messages})


def choice(choices, **kwargs):
    """A choice field documented by a pattern: Trama's choice sets share names ("kind", "status") across
    apps, and spectacular would name every enum after its field and warn about the collisions."""

    values = [value for value, _label in choices]
    pattern = "^(" + "|".join(values) + ")$"

    @extend_schema_field({"type": "string", "pattern": pattern, "description": ", ".join(values)})
    class Field(serializers.ChoiceField):
        pass

    return Field(choices=choices, **kwargs)


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
