from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/", views.notification_open, name="open"),
    path("segna-come-lette/", views.mark_read, name="mark_read"),
    path("preferenze/", views.preferences, name="preferences"),
    path("invii/", views.delivery_log, name="delivery_log"),
    path("telefono/iscrivi/", views.push_subscribe, name="push_subscribe"),
    path("telefono/<int:pk>/togli/", views.push_unsubscribe, name="push_unsubscribe"),
    path("disiscriviti/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("indirizzo-confermato/", views.confirm_address, name="confirm_address"),
    path("rimbalzi/", views.bounce, name="bounce"),
]
