from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("anteprima/", views.upload, name="upload"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/avanzamento/", views.progress, name="progress"),
    path("<int:pk>/conferma/", views.confirm, name="confirm"),
    path("<int:pk>/annulla/", views.undo, name="undo"),
]
