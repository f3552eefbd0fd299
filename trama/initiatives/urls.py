from django.urls import path

from . import views

app_name = "initiatives"
urlpatterns = [
    path("", views.initiative_list, name="list"),
    path("nuova/", views.initiative_create, name="create"),
    path("proponi/", views.propose, name="propose"),
    path("<int:pk>/", views.initiative_detail, name="detail"),
    path("<int:pk>/modifica/", views.initiative_edit, name="edit"),
    path("<int:pk>/fase/", views.initiative_move, name="move"),
    path("<int:pk>/partner/", views.partner_add, name="partner_add"),
    path("<int:pk>/impegni/", views.commitment_add, name="commitment_add"),
    path("<int:pk>/traguardi/", views.milestone_add, name="milestone_add"),
    path("<int:pk>/partecipanti/", views.participants, name="participants"),
    path("<int:pk>/verifiche/", views.assessments, name="assessments"),
    path("<int:pk>/verifiche/grafico.png", views.assessment_chart, name="assessment_chart"),
    path("impegni/<int:pk>/", views.commitment_edit, name="commitment_edit"),
    path("impegni/<int:pk>/contributo/", views.commitment_contribution, name="commitment_contribution"),
    path("traguardi/<int:pk>/raggiunto/", views.milestone_reached, name="milestone_reached"),
    path("traguardi/<int:pk>/togli/", views.milestone_remove, name="milestone_remove"),
    path("partner/<int:pk>/togli/", views.partner_remove, name="partner_remove"),
    path("gruppi/<int:group_pk>/attivita/", views.group_activity, name="group_activity"),
    # The public side: no login needed.
    path("catalogo/", views.catalogue, name="catalogue"),
    path("catalogo/<int:pk>/", views.public_detail, name="public"),
    path("catalogo/<int:pk>/partecipa/", views.join, name="join"),
    path("catalogo/<int:pk>/manifesto.pdf", views.public_poster, name="public_poster"),
    # The catalogue of intervention objects.
    path("attivita/", views.object_list, name="objects"),
    path("attivita/nuova/", views.object_create, name="object_create"),
    path("attivita/<int:pk>/", views.object_detail, name="object"),
    path("attivita/<int:pk>/modifica/", views.object_edit, name="object_edit"),
    path("attivita/<int:pk>/uso/", views.object_active, name="object_active"),
    # Agreements.
    path("accordi/", views.agreement_list, name="agreements"),
    path("accordi/nuovo/", views.agreement_create, name="agreement_create"),
    path("accordi/nostri/", views.our_agreements, name="our_agreements"),
    # The public register of the patti di collaborazione: no login needed.
    path("patti/", views.pact_register, name="pact_register"),
    path("accordi/<int:pk>/", views.agreement_detail, name="agreement"),
    path("accordi/<int:pk>/modifica/", views.agreement_edit, name="agreement_edit"),
    path("accordi/<int:pk>/stato/", views.agreement_status, name="agreement_status"),
    path("accordi/<int:pk>/rinnovo/", views.agreement_renew, name="agreement_renew"),
    path("accordi/<int:pk>/documento/", views.agreement_document, name="agreement_document"),
]
