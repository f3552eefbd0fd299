from django.urls import path

from . import views

app_name = "market"
urlpatterns = [
    path("offerte/", views.offer_list, name="offers"),
    path("offerte/nuova/", views.offer_create, name="offer_create"),
    path("offerte/<int:pk>/", views.offer_detail, name="offer"),
    path("offerte/<int:pk>/modifica/", views.offer_edit, name="offer_edit"),
    path("offerte/<int:pk>/stato/", views.offer_status, name="offer_status"),
    path("richieste/", views.need_list, name="needs"),
    path("richieste/nuova/", views.need_create, name="need_create"),
    path("richieste/<int:pk>/", views.need_detail, name="need"),
    path("richieste/<int:pk>/proponi/", views.propose, name="propose"),
    path("richieste/<int:pk>/stato/", views.need_status, name="need_status"),
    path("abbinamenti/", views.match_list, name="matches"),
    path("abbinamenti/<int:pk>/", views.match_detail, name="match"),
    path("abbinamenti/<int:pk>/risposta/", views.match_answer, name="match_answer"),
    path("abbinamenti/<int:pk>/avanzamento/", views.match_step, name="match_step"),
    path("abbinamenti/<int:pk>/commento/", views.match_feedback, name="match_feedback"),
    path("abbinamenti/<int:pk>/contributo/", views.match_contribution, name="match_contribution"),
    path("contributi/", views.ledger, name="ledger"),
    path("tariffe/", views.rates, name="rates"),
    path("numeri/", views.public_counts_view, name="public_counts"),
    path("cerco-una-mano/", views.door_need, name="door_need"),
    path("offro-una-mano/", views.door_offer, name="door_offer"),
    path("bozza/", views.draft, name="draft"),
    path("bozza/elimina/", views.draft_discard, name="draft_discard"),
]
