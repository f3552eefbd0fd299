"""The API's front door: a token from username, password and, when the account has one, a second-factor code."""

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import match_token, user_has_device
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from trama.privacy import audit

from .forms import PASSWORD_MAX_LENGTH
from .models import ApiToken


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label=gettext_lazy("Nome per accedere"), max_length=150)
    password = serializers.CharField(label=gettext_lazy("Password"), max_length=PASSWORD_MAX_LENGTH, trim_whitespace=False, write_only=True)
    otp = serializers.CharField(
        label=gettext_lazy("Codice della verifica in due passaggi"),
        max_length=16,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("Obbligatorio se l'account ha la verifica in due passaggi."),
    )
    name = serializers.CharField(
        label=gettext_lazy("Nome del token"),
        max_length=100,
        required=False,
        default="API",
        help_text=gettext_lazy("Per riconoscerlo nella pagina «Token API» del profilo."),
    )


class IssuedTokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=gettext_lazy("La chiave: mostrata solo ora, conservala."))
    name = serializers.CharField()
    expires_at = serializers.DateTimeField()
    idle_seconds = serializers.IntegerField(help_text=gettext_lazy("Il token scade anche dopo tanti secondi senza richieste."))


def _locked_out():
    return Response(
        {"detail": _("Accesso temporaneamente bloccato dopo troppi tentativi non riusciti. Riprova più tardi.")},
        status=status.HTTP_429_TOO_MANY_REQUESTS,
    )


def _refused(field, message):
    return Response({field: [message]}, status=status.HTTP_400_BAD_REQUEST)


class IssueToken(APIView):
    authentication_classes = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: IssuedTokenSerializer, 400: OpenApiTypes.OBJECT, 429: OpenApiTypes.OBJECT},
        auth=[],
        summary=gettext_lazy("Crea un token API (la chiave è mostrata una sola volta)"),
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        username = data["username"]
        # The same lockout as the sign-in form (django-axes, per username and address).
        if AxesProxyHandler.is_locked(request, {"username": username}):
            return _locked_out()
        account = authenticate(request, username=username, password=data["password"])
        if getattr(request, "axes_locked_out", False):
            return _locked_out()
        if account is None:
            return _refused("non_field_errors", _("Nome per accedere o password non corretti. Controlla e riprova."))
        if user_has_device(account):
            if not data.get("otp"):
                return _refused("otp", _("Questo account ha la verifica in due passaggi: scrivi il codice in «otp»."))
            if match_token(account, data["otp"]) is None:
                # A wrong code counts as a failed sign-in, so codes cannot be guessed without limit.
                user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)
                return _refused("otp", _("Codice della verifica in due passaggi non valido."))
        AxesProxyHandler.reset_attempts(ip_address=request.axes_ip_address, username=username)
        with transaction.atomic():  # a token and its audit entry, or neither (a connection lost in between)
            token, key = ApiToken.issue(account, data["name"])
            audit.record(account, audit.Action.CREATE, token, reason="token API", path=request.path)
        return Response(
            IssuedTokenSerializer(
                {"token": key, "name": token.name, "expires_at": token.expires_at, "idle_seconds": settings.TRAMA_API_TOKEN_IDLE_SECONDS}
            ).data
        )


urlpatterns = [
    path("token/", IssueToken.as_view(), name="api-token"),
]
