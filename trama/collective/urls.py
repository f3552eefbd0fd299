from django.urls import path

from . import views

app_name = "collective"
urlpatterns = [
    path("", views.group_list, name="groups"),
    path("nuovo/", views.group_create, name="group_create"),
    path("<int:pk>/", views.group_detail, name="group"),
    path("<int:pk>/modifica/", views.group_edit, name="group_edit"),
    path("<int:pk>/stato/", views.group_status, name="group_status"),
    path("<int:pk>/membri/aggiungi/", views.member_add, name="member_add"),
    path("<int:pk>/membri/<int:person_pk>/rimuovi/", views.member_remove, name="member_remove"),
    path("proposte/", views.suggestion_list, name="suggestions"),
    path("proposte/aggiorna/", views.suggestions_refresh, name="suggestions_refresh"),
    path("proposte/<int:pk>/", views.suggestion_detail, name="suggestion"),
    path("proposte/<int:pk>/scarta/", views.suggestion_dismiss, name="suggestion_dismiss"),
    path("proposte/<int:pk>/convoca/", views.suggestion_convene, name="suggestion_convene"),
    path("incontri/nuovo/", views.meeting_create, name="meeting_create"),
    path("incontri/<int:pk>/", views.meeting_detail, name="meeting"),
    path("incontri/<int:pk>/modifica/", views.meeting_edit, name="meeting_edit"),
    path("incontri/<int:pk>/resoconto/", views.meeting_record, name="meeting_record"),
    path("incontri/<int:pk>/decisioni/", views.decision_add, name="decision_add"),
    path("decisioni/<int:pk>/fatta/", views.decision_done, name="decision_done"),
    path("decisioni/<int:pk>/mercato/", views.decision_market, name="decision_market"),
    path("calendario/", views.calendar_view, name="calendar"),
    path("calendario-pubblico/", views.public_calendar, name="public_calendar"),
    path("calendario-pubblico/<int:pk>/", views.public_meeting, name="public_meeting"),
    path("calendario-pubblico.ics", views.public_ical, name="public_ical"),
]
