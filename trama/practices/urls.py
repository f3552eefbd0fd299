from django.urls import path

from . import governance_views, views

app_name = "practices"
urlpatterns = [
    path("", views.practice_list, name="list"),
    path("nuova/", views.practice_create, name="create"),
    path("<int:pk>/", views.practice_detail, name="detail"),
    path("<int:pk>/modifica/", views.practice_edit, name="edit"),
    path("<int:pk>/passaggio/", views.practice_move, name="move"),
    path("simili/bisogno/<int:pk>/", views.similar_to_need, name="similar_to_need"),
    path("pubbliche/", views.public_list, name="public_list"),
    path("pubbliche/<int:pk>/", views.public_detail, name="public_detail"),
    path("organismi/", governance_views.body_list, name="bodies"),
    path("organismi/nuovo/", governance_views.body_create, name="body_create"),
    path("organismi/<int:pk>/", governance_views.body_detail, name="body"),
    path("organismi/<int:pk>/mandati/nuovo/", governance_views.mandate_add, name="mandate_add"),
    path("organismi/<int:pk>/incontri/nuovo/", governance_views.body_meeting, name="body_meeting"),
    path("mandati/<int:pk>/concludi/", governance_views.mandate_end, name="mandate_end"),
    path("decisioni/", governance_views.decision_list, name="decisions"),
    path("decisioni/<int:pk>/collega/", governance_views.decision_link, name="decision_link"),
    path("cabina-di-regia/decisioni/", governance_views.public_decisions, name="public_decisions"),
]
