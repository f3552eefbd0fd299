import hmac
import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trama import extensions
from trama.permissions import permission_required
from trama.privacy import audit
from trama.shortcuts import page_of

from . import push, queries, services
from .forms import DeliveryFilterForm, MarkReadForm, PreferencesForm
from .models import Delivery, Kind, Notification, UnreachableAddress
from .sms import normalise_number
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
    push_on = push.enabled()
    form = PreferencesForm(
        request.POST or None,
        wanted=queries.email_wanted(request.user),
        sms_kinds=sms_kinds,
        number=number,
        quiet=queries.quiet_hours_of(request.user),
        push_kinds=queries.push_wanted(request.user) if push_on else None,
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            services.set_email_preferences(request.user, form.wanted())
            services.set_sms(request.user, form.cleaned_data["sms_number"], form.sms_kinds())
            if push_on:
                services.set_push(request.user, form.push_kinds())
            services.set_quiet_hours(request.user, form.cleaned_data["quiet_starts"], form.cleaned_data["quiet_ends"])
        messages.success(request, _("Preferenze salvate."))
        return redirect("notifications:preferences")
    context = {
        "form": form,
        "push_on": push_on,
        "vapid_public_key": settings.TRAMA_VAPID_PUBLIC_KEY if push_on else "",
        "phones": list(queries.push_subscriptions_of(request.user)) if push_on else [],
    }
    return render(request, "notifications/preferences.html", context, status=400 if form.errors else 200)


@require_POST
@permission_required("notifications.list_notifications")
def push_subscribe(request):
    """The preferences page's script: keep this browser's push subscription (JSON, as PushSubscription.toJSON()
    gives it) for the signed-in account. Anything else → 400 with the reason, nothing stored."""
    if not push.enabled():
        return JsonResponse({"error": _("Gli avvisi sul telefono non sono attivi su questo Trama.")}, status=400)
    if len(request.body) > 4096:
        return JsonResponse({"error": str(push.SUBSCRIPTION_ERROR)}, status=400)
    try:
        data = json.loads(request.body)
        cleaned = push.clean_subscription(data)
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"error": str(push.SUBSCRIPTION_ERROR)}, status=400)
    except ValidationError as error:
        return JsonResponse({"error": error.messages[0]}, status=400)
    phone = services.subscribe_push(request.user, **cleaned, user_agent=push.user_agent_label(request.headers.get("User-Agent")))
    return JsonResponse({"id": phone.pk, "message": _("Fatto: gli avvisi arriveranno su questo telefono.")}, status=201)


@require_POST
@permission_required("notifications.list_notifications")
def push_unsubscribe(request, pk):
    """Forget one of the signed-in account's browsers (another's, or none: 404, nothing changed)."""
    phone = get_object_or_404(queries.push_subscriptions_of(request.user), pk=pk)
    services.unsubscribe_push(phone)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"message": _("Gli avvisi non arriveranno più su questo telefono.")})
    messages.success(request, _("Gli avvisi non arriveranno più su quel dispositivo."))
    return redirect("notifications:preferences")


@require_GET
def service_worker(request):
    """The service worker, from the site's root so that its scope covers every page (a script under /static/ could
    only control /static/). Public and personal to nobody: it shows what a push says and opens its link, and runs
    the parts other apps registered."""
    # Other apps add their part (trama.extensions.service_worker_parts): one worker, one scope, push kept working.
    context = {"fallback": _("C'è una novità su Trama: apri l'app"), "parts": extensions.panels(extensions.service_worker_parts)}
    response = render(request, "notifications/sw.js", context, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


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


@require_POST
@permission_required("notifications.list_notifications")
def confirm_address(request):
    """The signed-in person says her own address (or number) is right: messages go to it again."""
    channel = request.POST.get("canale", "")
    if channel not in UnreachableAddress.Channel.values:
        messages.error(request, _("Non è chiaro quale indirizzo confermi: riprova dalla pagina delle notifiche."))
        return render(request, "notifications/list.html", {"page": page_of(request, queries.notifications_of(request.user), size=20)}, status=400)
    if services.confirm_address(request.user, channel):
        messages.success(request, _("Grazie: proveremo di nuovo a scriverti a quell'indirizzo."))
    return redirect("notifications:list")


# A provider's bounce notice, posted by its servers: no cookie nor CSRF token, the shared secret
# (TRAMA_BOUNCE_WEBHOOK_SECRET, sent as "Authorization: Bearer …") is the authority. Exempt here only.
@csrf_exempt
@require_POST
def bounce(request):
    """Body: {"email": "…"} or {"number": "+39…"}, and optionally "reason" (a code). 200 with how many accounts
    were marked (0 when no active account has the address: dropped and logged); 403 with a wrong or no secret;
    400 when the body is not such an object."""
    secret = settings.TRAMA_BOUNCE_WEBHOOK_SECRET
    given = request.headers.get("Authorization", "").removeprefix("Bearer ")
    if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
        return JsonResponse({"errore": _("Segreto mancante o sbagliato.")}, status=403)
    try:
        notice = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"errore": _("Il corpo non è JSON valido.")}, status=400)
    try:
        email, number, reason = _bounce_fields(notice)
    except ValidationError as error:
        return JsonResponse({"errore": error.messages[0]}, status=400)
    return JsonResponse({"segnati": services.record_bounce(email=email, number=number, reason=reason)})


def _bounce_fields(notice):
    if not isinstance(notice, dict) or len([key for key in ("email", "number") if notice.get(key)]) != 1:
        raise ValidationError(_('Serve un oggetto JSON con "email" oppure "number" (uno solo).'))
    reason = notice.get("reason", "")
    if not isinstance(reason, str) or not all(isinstance(notice.get(key, ""), str) for key in ("email", "number")):
        raise ValidationError(_('"email", "number" e "reason" devono essere testi.'))
    email = notice.get("email", "").strip()
    if email:
        validate_email(email)
        return email, "", reason[:200]
    return "", normalise_number(notice["number"]), reason[:200]
