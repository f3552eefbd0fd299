from django.core.paginator import Paginator
from django.shortcuts import render

from trama.permissions import permission_required
from trama.territory.queries import current_city

from .models import AuditEntry


def notice(request):
    return render(request, "privacy/notice.html", {"city": current_city()})


@permission_required("privacy.view_audit")
def audit_log(request):
    entries = AuditEntry.objects.all()
    page = Paginator(entries, 50).get_page(request.GET.get("pagina"))
    return render(request, "privacy/audit_log.html", {"page": page})
