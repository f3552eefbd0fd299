from django.urls import include, path

urlpatterns = [
    path("", include("trama.people.api")),
    path("", include("trama.territory.api")),
    path("", include("trama.market.api")),
    path("", include("trama.attention.api")),
    path("", include("trama.themes.api")),
    path("", include("trama.collective.api")),
    path("", include("trama.initiatives.api")),
]
