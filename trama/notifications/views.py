from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trama.permissions import permission_required
from trama.privacy import audit
from trama.shortcuts import page_of

from . import queries, services
from .forms import DeliveryFilterForm, MarkReadForm, PreferencesForm
from .models import Delivery, Kind, Notification
from .unsubscribe import DIGEST, InvalidLink, read_token


@require_GET
@permission_required("notifications.list_notifications")
def notification_list(request):
    page = page_of(request, queries.notifications_of(request.user), size=20)
    return render(request, "notifications/list.html", {"page": page})


@require_GET
@permission_required("notifications.list_notifications")
def notification_open(request, pk):
    """Mark one notification read and go to its page (where that page's own access rules apply)."""
    notification = get_object_or_404(queries.notifications_of(request.user), pk=pk)
    services.mark_read(request.user, [notification.pk])
    if not url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()}):
        return redirect("notifications:list")
    return redirect(notification.url)


@require_POST
@permission_required("notifications.list_notifications")
def mark_read(request):
    form = MarkReadForm(request.POST)
    if not form.is_valid():
        page = page_of(request, queries.notifications_of(request.user), size=20)
        return render(request, "notifications/list.html", {"page": page, "form": form}, status=400)
    changed = services.mark_read(request.user, form.cleaned_data["ids"])
    if changed:
        messages.success(request, _("Notifiche segnate come lette."))
    return redirect("notifications:list")


@require_http_methods(["GET", "POST"])
@permission_required("notifications.list_notifications")
def preferences(request):
    # Always the signed-in account's own: no account is named in the URL or the form, so nobody reaches another's.
    number, sms_kinds = queries.sms_wanted(request.user)
    form = PreferencesForm(
        request.POST or None,
        wanted=queries.email_wanted(request.user),
        sms_kinds=sms_kinds,
        number=number,
        quiet=queries.quiet_hours_of(request.user),
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            services.set_email_preferences(request.user, form.wanted())
            services.set_sms(request.user, form.cleaned_data["sms_number"], form.sms_kinds())
            services.set_quiet_hours(request.user, form.cleaned_data["quiet_starts"], form.cleaned_data["quiet_ends"])
        messages.success(request, _("Preferenze salvate."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form}, status=400 if form.errors else 200)


# RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" to this address without cookies, hence without a
# CSRF token; the signed token in the path is what authorises it. Exempt here only.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """Without sign-in: GET says which e-mails will stop, POST stops them."""
    try:
        account, kind = read_token(token)
    except InvalidLink:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    what = Delivery.Channel.DIGEST.label if kind == DIGEST else Kind(kind).label
    if request.method == "POST":
        if request.POST.get("List-Unsubscribe") != "One-Click":
            return render(request, "notifications/unsubscribe.html", {"what": what, "malformed": True}, status=400)
        services.unsubscribe(account, kind)
        return render(request, "notifications/unsubscribe.html", {"what": what, "done": True})
    return render(request, "notifications/unsubscribe.html", {"what": what})


@require_GET
@permission_required("notifications.view_delivery_log")
def delivery_log(request):
    """Coordinators: how the sending went (kind, channel, state, attempts, error, times, the account's name)."""
    form = DeliveryFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "notifications/delivery_log.html", {"form": form}, status=400)
    filters = form.cleaned_data
    page = page_of(request, queries.delivery_log(request.user, filters["tipo"], filters["canale"], filters["stato"]), size=50)
    # Which account was told what kind of thing, and when, is about that person: the page's rows are recorded.
    audit.record_page(request, Notification, [d.notification_id for d in page.object_list], "registro degli invii")
    summary = queries.delivery_summary(request.user)
    return render(request, "notifications/delivery_log.html", {"form": form, "page": page, "summary": summary})
