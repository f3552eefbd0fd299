from django.urls import path

from . import views

app_name = "insights"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("aggiornamento/", views.figures_progress, name="figures_progress"),
    path("grafici/<slug:key>.png", views.chart, name="chart"),
    path("grafici/andamento/<slug:key>.png", views.trend_chart, name="trend_chart"),
    path("andamento/<slug:key>/", views.trend, name="trend"),
    path("dati-aperti/", views.open_data, name="open_data"),
    path("dati-aperti/conteggi.csv", views.open_data_csv, name="open_data_csv"),
    path("dati-aperti/luoghi.geojson", views.places, name="places"),
    path("dati-aperti/risorse.json", views.hsds_json, name="hsds_json"),
    path("dati-aperti/risorse-<slug:table>.csv", views.hsds_csv, name="hsds_csv"),
    path("rapporti/", views.reports, name="reports"),
    path("rapporti/nuovo/", views.report_request, name="report_request"),
    path("rapporti/<int:pk>/", views.report, name="report"),
    path("rapporti/<int:pk>/avanzamento/", views.report_progress, name="report_progress"),
    path("rapporti/<int:pk>/scarica/", views.report_download, name="report_download"),
    path("obiettivi/", views.targets_list, name="targets"),
    path("obiettivi/nuovo/", views.target_create, name="target_create"),
    path("obiettivi/<int:pk>/modifica/", views.target_edit, name="target_edit"),
    path("obiettivi/<int:pk>/togli/", views.target_delete, name="target_delete"),
    path("storie/", views.stories, name="stories"),
    path("storie/nuova/", views.story_create, name="story_create"),
    path("storie/<int:pk>/", views.story, name="story"),
    path("storie/<int:pk>/ritira-consenso/", views.story_withdraw, name="story_withdraw"),
    path("revisioni/", views.reviews_list, name="reviews"),
    path("revisioni/nuova/", views.review_create, name="review_create"),
    path("revisioni/<int:pk>/", views.review, name="review"),
]
