"""Signing in with SPID or CIE (OpenID Connect), registering after a first sign-in, linking from the profile.

The dance itself is in `identity.py`; these views decide what a finished sign-in opens. With no provider configured
every one of them answers 404, and the sign-in page shows no button.
"""

import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from joserfc.errors import JoseError

from trama.permissions import permission_required
from trama.territory.queries import current_city

from . import federation, identity, second_factor, services
from .forms import DigitalIdentityRegistrationForm
from .identity import IdentityError
from .models import DigitalIdentity
from .signin_views import _next

log = logging.getLogger(__name__)
BACKEND = "trama.people.backends.AccountBackend"
ONLY_CITIZENS = gettext_lazy(
    "L'accesso con SPID o CIE è per i cittadini. Gli account del personale, dei partner e delle antenne "
    "accedono con nome, password e verifica in due passaggi."
)
DISABLED = gettext_lazy("Questo account è disattivato: non è possibile accedere.")


def _configured():
    if not identity.providers():
        raise Http404


def _failed(request, error):
    return render(request, "people/identity_failed.html", {"message": error.message}, status=error.status)


# The longest entity id the resolve endpoint reads: real ones are a site's address.
RESOLVE_MAX_LENGTH = 2048
FEDERATION_UNAVAILABLE = gettext_lazy("Configurazione della federazione non disponibile.")


def _own_configuration(request):
    city = current_city()
    return federation.entity_configuration(
        identity.public_keys(),
        redirect_uri=identity.redirect_uri(request),
        homepage_uri=request.build_absolute_uri("/"),
        policy_uri=request.build_absolute_uri(reverse("privacy:notice")),
        organisation_name=settings.TRAMA_FEDERATION_ORGANISATION or (city.name if city else "Trama"),
        resolve_endpoint=request.build_absolute_uri(reverse("federation_resolve")),
    )


# What signing with the federation key can raise when its files are unreadable.
UNSIGNABLE = (IdentityError, OSError, ValueError, KeyError, TypeError, StopIteration, JoseError)


def entity_configuration(request):
    """Trama's entity configuration in the OpenID Federation (a JWT signed with its federation key), for the
    federation's trust anchor and the providers. 404 while the federation is not configured."""
    if not federation.enabled() or not identity.providers():
        raise Http404
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    try:
        token = _own_configuration(request)
    except UNSIGNABLE as error:
        log.error("The entity configuration cannot be signed: the federation's key or trust marks are unreadable (%s)", error)
        return HttpResponse(FEDERATION_UNAVAILABLE, status=503, content_type="text/plain; charset=utf-8")
    return HttpResponse(token, content_type=federation.CONTENT_TYPE)


def _resolve_error(status, error, description):
    # The error response of OpenID Federation 8.9: a JSON object, `error` a code of the specification.
    return JsonResponse({"error": error, "error_description": str(description)}, status=status)


def resolve_entity(request):
    """Trama's resolve endpoint (OpenID Federation 8.3): the metadata and trust chain of an entity Trama resolves
    itself (itself, and the providers it signs in with) up to the trust anchor asked, signed with its federation key.
    404 while the federation is not configured."""
    if not federation.enabled() or not identity.providers():
        raise Http404
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    subjects, anchors, types = (request.GET.getlist(name) for name in ("sub", "trust_anchor", "entity_type"))
    if len(subjects) != 1 or len(anchors) != 1:
        return _resolve_error(400, "invalid_request", _("Indicare una sola volta sia «sub» sia «trust_anchor»."))
    if any(len(value) > RESOLVE_MAX_LENGTH for value in (*subjects, *anchors, *types)) or len(types) > 8:
        return _resolve_error(400, "invalid_request", _("Un parametro è troppo lungo o ripetuto troppe volte."))
    if not all(federation.secure_url(value) and value.isprintable() for value in (*subjects, *anchors)):
        return _resolve_error(400, "invalid_request", _("«sub» e «trust_anchor» devono essere indirizzi HTTPS."))
    subject, anchor = subjects[0].rstrip("/"), anchors[0].rstrip("/")
    try:
        known_anchors = federation.trust_anchors()
    except federation.ChainError as error:
        log.error("The resolve endpoint cannot read the trust anchors: %s", error)
        return _resolve_error(503, "temporarily_unavailable", FEDERATION_UNAVAILABLE)
    if anchor not in known_anchors:
        return _resolve_error(404, "invalid_trust_anchor", _("Trama non riconosce questa trust anchor."))
    own = settings.TRAMA_OIDC_CLIENT_ID.rstrip("/")
    if subject == own:
        entity_type, leaf = federation.RELYING_PARTY, (lambda: _own_configuration(request))
    elif subject in {p.issuer for p in identity.providers()}:
        entity_type, leaf = federation.PROVIDER, None
    else:
        return _resolve_error(404, "invalid_subject", _("Trama risolve soltanto se stessa e i provider con cui fa accedere."))
    if types and entity_type not in types:
        return _resolve_error(404, "not_found", _("Questa entità non ha metadati del tipo richiesto."))
    try:
        found = federation.chain(subject, anchor=anchor, entity_type=entity_type, leaf=leaf)
    except federation.ChainError:
        return _resolve_error(400, "invalid_trust_chain", _("La catena di fiducia di questa entità non è valida ora."))
    except UNSIGNABLE as error:  # Trama's own configuration could not be signed
        log.error("Trama's entity configuration cannot be signed to resolve it (%s)", error)
        return _resolve_error(503, "temporarily_unavailable", FEDERATION_UNAVAILABLE)
    try:
        token = federation.resolve_response(found, issuer=settings.TRAMA_OIDC_CLIENT_ID)
    except UNSIGNABLE as error:
        log.error("The resolve response cannot be signed: the federation's key is unreadable (%s)", error)
        return _resolve_error(503, "temporarily_unavailable", FEDERATION_UNAVAILABLE)
    return HttpResponse(token, content_type=federation.RESOLVE_CONTENT_TYPE)


@never_cache
def start(request, key):
    """Send the browser to the provider's sign-in page. Signed in, the citizen links her identity to her account."""
    p = identity.provider(key)
    if p is None:
        raise Http404
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    link_to = None
    if request.user.is_authenticated:
        if not request.user.has_perm("people.use_digital_identity"):
            raise PermissionDenied(ONLY_CITIZENS)
        link_to = request.user.pk
    try:
        return redirect(identity.start(request, p, next_url=_next(request, ""), link_to=link_to))
    except IdentityError as error:
        return _failed(request, error)


@never_cache
def finish(request):
    """Where the provider sends the browser back: the state must be this session's, the tokens the provider's."""
    _configured()
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    try:
        flow, p = identity.pending_flow(request, request.GET.get("state"))
        if request.GET.get("error"):
            raise IdentityError(identity.CANCELLED)
        found = identity.finish(request, flow, p, request.GET.get("code"))
    except IdentityError as error:
        return _failed(request, error)
    if flow["link_to"]:
        return _link(request, flow, found)
    return _sign_in(request, flow, found)


def _sign_in(request, flow, found):
    linked = DigitalIdentity.objects.select_related("account").filter(fiscal_code_digest=found.fiscal_code_digest).first()
    if linked is None:
        request.session.cycle_key()
        request.session[identity.PENDING] = {
            "digest": found.fiscal_code_digest,
            "kind": found.kind,
            "first_name": found.given_name,
            "email": found.email,
            "next": flow["next"],
            "at": time.time(),
        }
        return redirect("identity_register")
    account = linked.account
    if not account.is_active:
        return _failed(request, IdentityError(DISABLED, status=403))
    if not account.has_perm("people.use_digital_identity"):
        return _failed(request, IdentityError(ONLY_CITIZENS, status=403))
    services.record_identity_use(linked, found.kind)
    account.backend = BACKEND
    next_url = flow["next"] or "home"
    if second_factor.has_second_factor(account):
        second_factor.await_code(request, account, next_url)
        return redirect("second_factor_verify")
    login(request, account, backend=BACKEND)
    return redirect(next_url)


def _link(request, flow, found):
    if not request.user.is_authenticated or request.user.pk != flow["link_to"]:
        return _failed(request, IdentityError(identity.EXPIRED))
    try:
        services.link_digital_identity(request.user, found.fiscal_code_digest, found.kind)
    except PermissionDenied:
        return _failed(request, IdentityError(ONLY_CITIZENS, status=403))
    except ValidationError as error:
        return _failed(request, IdentityError(error.messages[0], status=409))
    messages.success(request, _("Fatto: da ora puoi entrare anche con la tua identità digitale."))
    return redirect("people:profile")


@never_cache
def register(request):
    """The first sign-in of someone Trama does not know: the registration's questions and consent, then her account."""
    _configured()
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    pending = request.session.get(identity.PENDING)
    if not pending or time.time() - pending["at"] > identity.FLOW_SECONDS:
        request.session.pop(identity.PENDING, None)
        messages.info(request, _("Il tempo per completare la registrazione è scaduto: entra di nuovo con SPID o CIE."))
        return redirect("login")
    if request.user.is_authenticated:
        return redirect("home")
    initial = {"first_name": pending["first_name"], "email": pending["email"]}
    form = DigitalIdentityRegistrationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.register_with_digital_identity(form, pending["digest"], pending["kind"], current_city())
        except ValidationError as error:
            request.session.pop(identity.PENDING, None)
            return _failed(request, IdentityError(error.messages[0], status=409))
        request.session.pop(identity.PENDING, None)
        login(request, user, backend=BACKEND)
        messages.success(request, _("Benvenuta, benvenuto! Il tuo account è pronto."))
        return redirect(pending["next"] or "home")
    kind = dict(DigitalIdentity.Kind.choices).get(pending["kind"], "SPID")
    return render(request, "people/identity_register.html", {"form": form, "kind": kind}, status=400 if form.errors else 200)


@require_POST
@permission_required("people.use_digital_identity")
def unlink(request):
    """Stop signing in with SPID or CIE: the link, and the fiscal code's digest with it, are deleted."""
    if request.POST.get("confirm") != "on":
        messages.error(request, _("Per scollegare l'identità digitale spunta la conferma."))
        return redirect("people:profile")
    if not request.user.has_usable_password():
        messages.error(request, _("Prima di scollegare SPID o CIE scegli una password con «Hai dimenticato la password?», o non potrai più entrare."))
        return redirect("people:profile")
    if services.unlink_digital_identity(request.user):
        messages.success(request, _("Identità digitale scollegata: Trama non conserva più l'impronta del tuo codice fiscale."))
    return redirect("people:profile")
