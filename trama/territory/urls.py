from django.urls import path

from . import views

app_name = "territory"
urlpatterns = [
    path("mappa/", views.map_page, name="map"),
    path("luoghi/<int:pk>/", views.place_detail, name="place"),
]
