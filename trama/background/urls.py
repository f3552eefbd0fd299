from django.urls import path

from . import views

app_name = "background"
urlpatterns = [
    path("", views.troubled_tasks, name="troubled_tasks"),
]
