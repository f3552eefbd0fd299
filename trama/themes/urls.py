from django.urls import path

from . import views

app_name = "themes"
urlpatterns = [
    path("", views.theme_list, name="themes"),
    path("<int:pk>/", views.theme_detail, name="theme"),
    path("<int:pk>/grafico.png", views.theme_chart, name="theme_chart"),
    path("<int:pk>/testi/", views.theme_items, name="theme_items"),
    path("<int:pk>/nome/", views.theme_name, name="theme_name"),
    path("<int:pk>/unisci/", views.theme_merge, name="theme_merge"),
    path("<int:pk>/separa/", views.theme_split, name="theme_split"),
    path("<int:pk>/archivia/", views.theme_retire, name="theme_retire"),
    path("<int:pk>/categorie/", views.theme_categories, name="theme_categories"),
    path("testi/<int:pk>/", views.item_detail, name="item"),
    path("testi/<int:pk>/temi/", views.item_tag, name="item_tag"),
    path("testi/<int:pk>/temi/<int:theme_pk>/scarta/", views.item_untag, name="item_untag"),
    path("ricerche/", views.runs, name="runs"),
    path("ricerche/<int:pk>/", views.run_detail, name="run"),
    path("ricerche/<int:pk>/avanzamento/", views.run_progress, name="run_progress"),
]
