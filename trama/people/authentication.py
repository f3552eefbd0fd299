"""API authentication by our own tokens: `Authorization: Token <key>`."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .models import ApiToken

KEYWORD = "Token"
# A real header is about 62 characters; anything much longer is refused before any work.
MAX_HEADER_LENGTH = 200


def _refuse(message):
    raise exceptions.AuthenticationFailed(message)


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """Accepts a token that is neither revoked nor expired (absolute or idle) of an active account.

    A request without the `Token` scheme is left to the next authentication class;
    a request with it and anything wrong is refused with 401 and a message that says why.
    """

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        scheme, _sep, key = header.partition(" ")
        if scheme.lower() != KEYWORD.lower():
            return None
        key = key.strip()
        if not key or len(header) > MAX_HEADER_LENGTH or " " in key:
            _refuse(_("Intestazione Authorization non valida: scrivi «Token», uno spazio e la chiave."))
        token = ApiToken.find(key)
        if token is None:
            _refuse(_("Token non valido."))
        now = timezone.now()
        state = token.state(now)
        if state == ApiToken.State.REVOKED:
            _refuse(_("Token revocato: creane uno nuovo."))
        if state == ApiToken.State.EXPIRED:
            _refuse(_("Token scaduto: creane uno nuovo."))
        if state == ApiToken.State.IDLE:
            _refuse(_("Token scaduto per inattività: creane uno nuovo."))
        if not token.account.is_active:
            _refuse(_("Questo account è disattivato."))
        token.touch(now)
        return token.account, token

    def authenticate_header(self, request):
        return KEYWORD


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes ApiTokenAuthentication."""

    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "Intestazione `Authorization: Token <chiave>`. La chiave si ottiene con "
                "`POST /api/v1/token/` (nome utente, password e, se l'account ha la verifica in due passaggi, "
                "il codice in `otp`) o dalla pagina «Token API» del profilo, e viene mostrata una sola volta. "
                f"Scade dopo {settings.TRAMA_API_TOKEN_MAX_SECONDS // 3600} ore dalla creazione o dopo "
                f"{settings.TRAMA_API_TOKEN_IDLE_SECONDS // 60} minuti senza richieste, ed è revocata quando la password "
                "cambia, con «Esci da tutti i dispositivi» o quando l'account è disattivato."
            ),
        }
