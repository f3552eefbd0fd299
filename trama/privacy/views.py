from django.shortcuts import render

from trama.permissions import permission_required
from trama.shortcuts import keyset_page
from trama.territory.queries import current_city

from .models import AuditEntry

AUDIT_PAGE_SIZE = 50


def notice(request):
    return render(request, "privacy/notice.html", {"city": current_city()})


@permission_required("privacy.view_audit")
def audit_log(request):
    # The log only grows: keyset pages cost the same at any depth.
    page = keyset_page(request, AuditEntry.objects.all(), ["-at", "-pk"], AUDIT_PAGE_SIZE)
    return render(request, "privacy/audit_log.html", {"page": page})
