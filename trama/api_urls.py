from django.urls import include, path
from rest_framework.authtoken.views import obtain_auth_token

urlpatterns = [
    path("token/", obtain_auth_token, name="api-token"),
    path("", include("trama.territory.api")),
    path("", include("trama.market.api")),
    path("", include("trama.attention.api")),
    path("", include("trama.themes.api")),
    path("", include("trama.collective.api")),
    path("", include("trama.initiatives.api")),
]
