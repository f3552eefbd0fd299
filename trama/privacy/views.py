from django.shortcuts import render

from trama.permissions import permission_required
from trama.shortcuts import page_of
from trama.territory.queries import current_city

from .models import AuditEntry


def notice(request):
    return render(request, "privacy/notice.html", {"city": current_city()})


@permission_required("privacy.view_audit")
def audit_log(request):
    entries = AuditEntry.objects.all()
    page = page_of(request, entries, 50)
    return render(request, "privacy/audit_log.html", {"page": page})
