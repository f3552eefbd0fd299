from django.urls import path

from . import views

app_name = "attention"
urlpatterns = [
    path("segnala/", views.signal_create, name="signal_create"),
    path("mie-segnalazioni/", views.my_signals, name="my_signals"),
    path("mie-segnalazioni/<int:pk>/", views.my_signal, name="my_signal"),
    path("segnalazioni/", views.queue, name="queue"),
    path("segnalazioni/registra/", views.signal_record, name="signal_record"),
    path("segnalazioni/<int:pk>/", views.signal_detail, name="signal"),
    path("segnalazioni/<int:pk>/esito/", views.signal_triage, name="signal_triage"),
    path("segnalazioni/<int:pk>/uscita/", views.signal_outreach, name="signal_outreach"),
    path("segnalazioni/<int:pk>/chiudi/", views.signal_close, name="signal_close"),
    path("uscite/", views.outreach_list, name="outreach_list"),
    path("uscite/<int:pk>/", views.outreach_detail, name="outreach"),
    path("incontri/", views.encounter_list, name="encounters"),
    path("incontri/nuovo/", views.encounter_create, name="encounter_create"),
    path("incontri/<int:pk>/", views.encounter_detail, name="encounter"),
    path("antenne/", views.antenna_list, name="antennas"),
    path("antenne/nuova/", views.antenna_onboard, name="antenna_onboard"),
    path("antenne/<int:pk>/", views.antenna_detail, name="antenna"),
    path("antenne/<int:pk>/cartolina.pdf", views.antenna_card, name="antenna_card"),
    path("formazione/", views.module_list, name="modules"),
    path("formazione/nuovo/", views.module_create, name="module_create"),
    path("formazione/<int:pk>/", views.module_detail, name="module"),
    path("formazione/<int:pk>/incontro/", views.session_create, name="session_create"),
    path("formazione/incontri/<int:pk>/presenze/", views.attendance, name="attendance"),
    path("copertura/", views.coverage, name="coverage"),
    path("formazione/online/<slug:slug>/", views.online_module_detail, name="online_module"),
    path("formazione/online/<slug:slug>/<int:number>/", views.online_lesson, name="online_lesson"),
    path("diventa-antenna/", views.become_antenna, name="become_antenna"),
    path("candidature/", views.application_list, name="applications"),
    path("candidature/<int:pk>/", views.application_detail, name="application"),
    path("candidature/<int:pk>/accetta/", views.application_accept, name="application_accept"),
    path("candidature/<int:pk>/rifiuta/", views.application_decline, name="application_decline"),
]
