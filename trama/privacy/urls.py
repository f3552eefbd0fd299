from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("informativa/", views.notice, name="notice"),
    path("registro/", views.audit_log, name="audit"),
]
