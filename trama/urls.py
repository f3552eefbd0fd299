from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views
from .notifications import views as notification_views
from .people import identity_views
from .people import urls as people_urls

urlpatterns = [
    path("", views.home, name="home"),
    path("salute/", views.health, name="health"),
    # The service worker of web push lives at the root, so that its scope is the whole site.
    path("sw.js", notification_views.service_worker, name="service_worker"),
    # SPID and CIE's OpenID Federation reads Trama's entity configuration here (its entity id is the site's address).
    path(".well-known/openid-federation", identity_views.entity_configuration, name="openid_federation"),
    # Its resolve endpoint, advertised in that configuration: the chains Trama resolves, for whoever needs them.
    path("federation/resolve", identity_views.resolve_entity, name="federation_resolve"),
    path("in-parole-semplici/<slug:door>/", views.easy, name="easy"),
    path("la-mia-attivita/", views.my_activity, name="my_activity"),
    path("impostazioni/", views.city_settings, name="city_settings"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("account/", include("trama.people.urls")),
    path("account/", include(people_urls.auth_urlpatterns)),
    path("organizzazioni/", include("trama.people.organisation_urls")),
    path("territorio/", include("trama.territory.urls")),
    path("privacy/", include("trama.privacy.urls")),
    path("mercato/", include("trama.market.urls")),
    path("attenzione/", include("trama.attention.urls")),
    path("temi/", include("trama.themes.urls")),
    path("gruppi/", include("trama.collective.urls")),
    path("iniziative/", include("trama.initiatives.urls")),
    path("pratiche/", include("trama.practices.urls")),
    path("importazioni/", include("trama.imports.urls")),
    path("indicatori/", include("trama.insights.urls")),
    path("notifiche/", include("trama.notifications.urls")),
    path("attivita-in-background/", include("trama.background.urls")),
    path("api/v1/", include("trama.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

handler400 = "trama.views.bad_request"
handler403 = "trama.views.permission_denied"
handler404 = "trama.views.page_not_found"
handler500 = "trama.views.server_error"
