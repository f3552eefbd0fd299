"""Signing in with a second factor, managing it, and lifting lockouts."""

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from trama.permissions import permission_required

from . import lockouts, second_factor
from .forms import AppCodeForm, RecoveryCodeForm
from .views import _account

WRONG_APP_CODE = gettext_lazy("Codice non corretto o già usato. Controlla che l'ora del telefono sia esatta e usa il codice che l'app mostra ora.")


def _next(request, default="home"):
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return url
    return default


def verify(request):
    """The second step of signing in: a code from the app or a recovery code.

    Reached after the right password (the account waits in the session, not yet signed
    in), or by a signed-in session of an account with a second factor that has not given
    a code yet. Wrong codes count towards the same lockout as wrong passwords.
    """
    signed_in = request.user.is_authenticated
    user = request.user if signed_in else second_factor.awaiting(request)
    if user is None:
        if second_factor.PENDING in request.session:
            second_factor.forget_pending(request)
            messages.info(request, _("Il tempo per inserire il codice è scaduto: accedi di nuovo."))
        return redirect("login")
    if signed_in and (request.user.is_verified() or not second_factor.has_second_factor(user)):
        return redirect(_next(request))

    app_form = AppCodeForm(request.POST if "code" in request.POST else None)
    recovery_form = RecoveryCodeForm(request.POST if "recovery_code" in request.POST else None, auto_id="recupero_%s")
    form = app_form if app_form.is_bound else recovery_form if recovery_form.is_bound else None
    if request.method == "POST" and form is not None:
        credentials = {"username": user.get_username()}
        if not AxesProxyHandler.is_allowed(request, credentials):
            return _locked_out(request, credentials)
        if form.is_valid():
            code = form.cleaned_data.get("code") or form.cleaned_data["recovery_code"]
            field = "code" if form is app_form else "recovery_code"
            device = second_factor.device_for(user, code)
            if device is not None and second_factor.is_throttled(device):
                form.add_error(field, _("Troppi codici sbagliati di seguito: attendi qualche secondo e riprova."))
            elif device is not None and (device := second_factor.verify(user, code)):
                if signed_in:
                    otp_login(request, device)
                    return redirect(_next(request))
                return redirect(second_factor.complete_sign_in(request, user, device))
            else:
                user_login_failed.send(sender=__name__, credentials=credentials, request=request)
                if getattr(request, "axes_locked_out", False):
                    return _locked_out(request, credentials)
                form.add_error(field, WRONG_APP_CODE if form is app_form else _("Codice di recupero non corretto o già usato."))
    context = {"app_form": app_form, "recovery_form": recovery_form, "next": _next(request, ""), "account": user}
    return render(request, "registration/second_factor_verify.html", context, status=400 if form is not None and form.errors else 200)


def _locked_out(request, credentials):
    """End what was started (the waiting account, or the unverified session) and show axes' lockout page."""
    second_factor.forget_pending(request)
    if request.user.is_authenticated:
        logout(request)
    return get_lockout_response(request, None, credentials)


@permission_required("people.change_own_account")
def manage(request):
    """The account's second factor: enrol an app (secret, QR code, first code), or see and manage it."""
    user = request.user
    if second_factor.has_second_factor(user):
        context = {"device": second_factor.app_device(user), "remaining": second_factor.remaining_recovery_codes(user)}
        return render(request, "people/second_factor.html", context)
    device = second_factor.device_to_confirm(user)
    form = AppCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = second_factor.confirm(request, device, form.cleaned_data["code"])
        if codes is not None:
            return _show_recovery_codes(request, codes, enrolled=True)
        form.add_error("code", WRONG_APP_CODE)
    context = {
        "form": form,
        "secret": second_factor.secret_of(device),
        "uri": device.config_url,
        "qr_code": second_factor.qr_code_svg(device),
    }
    return render(request, "people/second_factor_enrol.html", context, status=400 if form.errors else 200)


def _show_recovery_codes(request, codes, enrolled=False):
    # Rendered in the answer to the POST, never stored in the session: shown once.
    response = render(request, "people/second_factor_codes.html", {"codes": codes, "enrolled": enrolled})
    response.personal_data = True
    return response


@require_POST
@permission_required("people.change_own_account")
def new_recovery_codes(request):
    if not second_factor.has_second_factor(request.user):
        return redirect("people:second_factor")
    return _show_recovery_codes(request, second_factor.new_recovery_codes(request.user))


@require_POST
@permission_required("people.change_own_account")
def remove(request):
    if request.user.requires_second_factor:
        raise PermissionDenied
    if request.POST.get("confirm") != "on":
        messages.error(request, _("Per togliere la verifica in due passaggi spunta la conferma."))
        return redirect("people:second_factor")
    second_factor.remove(request.user)
    messages.success(request, _("Verifica in due passaggi tolta: per accedere basta di nuovo la password."))
    return redirect("people:profile")


@require_POST
@permission_required("people.manage_accounts", get_object=_account)
def reset(request, pk, obj):
    """A coordinator takes away another account's second factor (a lost phone)."""
    if obj == request.user:
        messages.error(request, _("Non puoi azzerare la verifica in due passaggi del tuo stesso account."))
    elif request.POST.get("confirm") != "on":
        messages.error(request, _("Per azzerare la verifica in due passaggi spunta la conferma."))
    else:
        second_factor.reset(request, obj)
        messages.success(request, _("Verifica in due passaggi azzerata: al prossimo accesso l'account ne attiverà una nuova."))
    return redirect("people:account", pk=obj.pk)


@permission_required("people.manage_accounts")
def lockout_list(request):
    """Who cannot sign in now after repeated failures, from which address."""
    context = {"lockouts": lockouts.current_lockouts(), "limit": settings.AXES_FAILURE_LIMIT}
    response = render(request, "people/lockouts.html", context)
    response.personal_data = True
    return response


@permission_required("people.manage_accounts")
def lockout_unlock(request, pk):
    """Lift one lockout: a page asking to confirm, then the POST that does it."""
    lockout = lockouts.lockout_of(get_object_or_404(AccessAttempt, pk=pk))
    if lockout is None:
        messages.info(request, _("Questo blocco non è più in vigore."))
        return redirect("people:lockouts")
    if request.method == "POST":
        lockouts.unlock(request, lockout)
        messages.success(request, _("Accesso sbloccato per %(username)s.") % {"username": lockout["username"]})
        return redirect("people:lockouts")
    response = render(request, "people/lockout_unlock.html", {"lockout": lockout})
    response.personal_data = True
    return response
