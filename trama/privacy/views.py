from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from trama.permissions import permission_required
from trama.shortcuts import keyset_page
from trama.territory.queries import current_city

from . import exports
from .models import AuditEntry, DataExport

AUDIT_PAGE_SIZE = 50


def notice(request):
    return render(request, "privacy/notice.html", {"city": current_city()})


@permission_required("privacy.view_audit")
def audit_log(request):
    # The log only grows: keyset pages cost the same at any depth.
    # The log names accounts by id (audit.pseudonym_of); the page shows today's username beside it.
    page = keyset_page(request, AuditEntry.objects.select_related("actor"), ["-at", "-pk"], AUDIT_PAGE_SIZE)
    return render(request, "privacy/audit_log.html", {"page": page})


# -- a person's copy of their data (art. 15 and 20) --------------------------------------------

def _person(request, pk, **kwargs):
    return get_object_or_404(exports.person_model(), pk=pk)


@require_POST
@permission_required("people.view_person", get_object=_person)
def export_person(request, pk, obj):
    """Staff ask for the record of a person in their scope."""
    export = exports.request_export(request.user, obj, path=request.path)
    return redirect("privacy:export", token=export.token)


@require_POST
@permission_required("privacy.export_own_data")
def export_mine(request):
    """Someone asks for their own record, from their profile."""
    person = exports.person_model().objects.filter(account=request.user).first()
    if person is None:
        raise Http404
    export = exports.request_export(request.user, person, path=request.path)
    return redirect("privacy:export", token=export.token)


def _own_export(request, token):
    # Only the account that asked finds its export: for anyone else the link does not exist.
    return get_object_or_404(DataExport.objects.only(*_EXPORT_STATUS_FIELDS), token=token, requested_by=request.user)


_EXPORT_STATUS_FIELDS = ("token", "person_id", "requested_by_id", "status", "progress", "created_at", "finished_at",
                         "expires_at", "delivered_at")


@never_cache
@require_GET
@permission_required("privacy.export_own_data")
def export(request, token):
    obj = _own_export(request, token)
    template = "privacy/_export_progress.html" if request.htmx else "privacy/export.html"
    return render(request, template, {"export": obj})


@never_cache
@require_GET
@permission_required("privacy.export_own_data")
def export_download(request, token):
    obj = _own_export(request, token)
    content = exports.deliver(obj, request.user, path=request.path)
    if content is None:
        raise Http404
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{obj.filename}"'
    return response
