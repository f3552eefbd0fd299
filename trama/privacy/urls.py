from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("informativa/", views.notice, name="notice"),
    path("registro/", views.audit_log, name="audit"),
    path("persone/<int:pk>/copia-dei-dati/", views.export_person, name="export_person"),
    path("i-miei-dati/copia/", views.export_mine, name="export_mine"),
    path("copie/<str:token>/", views.export, name="export"),
    path("copie/<str:token>/scarica/", views.export_download, name="export_download"),
    path("persone/<int:pk>/cancellazione/", views.erasure_person, name="erasure_person"),
    path("i-miei-dati/cancellazione/", views.erasure_mine, name="erasure_mine"),
    path("persone/<int:pk>/rettifica/", views.rectify_person, name="rectify_person"),
    path("i-miei-dati/rettifica/", views.rectify_mine, name="rectify_mine"),
    path("cancellazioni/", views.erasures, name="erasures"),
    path("cancellazioni/<int:pk>/", views.erasure_detail, name="erasure"),
    path("cancellazioni/<int:pk>/decisione/", views.erasure_decide, name="erasure_decide"),
]
