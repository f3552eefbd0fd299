from django.urls import path

from . import organisation_views as views

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("nuova/", views.organisation_create, name="create"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
    path("<int:pk>/pubblica/", views.organisation_public, name="public"),
    path("<int:pk>/modifica/", views.organisation_edit, name="edit"),
    path("<int:pk>/unisci/", views.organisation_merge, name="merge"),
    path("<int:pk>/servizi/nuovo/", views.service_create, name="service_create"),
    path("servizi/<int:pk>/modifica/", views.service_edit, name="service_edit"),
    path("servizi/<int:pk>/togli/", views.service_delete, name="service_delete"),
    path("<int:pk>/membri/collega/", views.member_link, name="member_link"),
    path("<int:pk>/membri/invita/", views.member_invite, name="member_invite"),
    path("membri/<int:pk>/scollega/", views.member_unlink, name="member_unlink"),
]
