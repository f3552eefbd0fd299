from django.urls import path

from . import views

app_name = "territory"
urlpatterns = [
    path("mappa/", views.map_page, name="map"),
    path("luoghi/", views.place_list, name="places"),
    path("luoghi/nuovo/", views.place_create, name="place_create"),
    path("luoghi/<int:pk>/", views.place_detail, name="place"),
    path("luoghi/<int:pk>/modifica/", views.place_edit, name="place_edit"),
    path("luoghi/<int:pk>/manifesto.pdf", views.place_poster, name="place_poster"),
    path("quartieri/<int:pk>/modifica/", views.neighbourhood_edit, name="neighbourhood_edit"),
    path("soglia-dei-conteggi/", views.small_count_threshold, name="small_count_threshold"),
]
