from django.contrib.auth import views as auth_views
from django.urls import path

from . import identity_views, signin_views, views

app_name = "people"
urlpatterns = [
    path("registrati/", views.register, name="register"),
    path("profilo/", views.profile, name="profile"),
    path("profilo/esci-ovunque/", views.log_out_everywhere, name="log_out_everywhere"),
    path("profilo/token/", views.api_tokens, name="api_tokens"),
    path("profilo/token/<int:pk>/revoca/", views.api_token_revoke, name="api_token_revoke"),
    path("profilo/verifica-in-due-passaggi/", signin_views.manage, name="second_factor"),
    path("profilo/verifica-in-due-passaggi/codici/", signin_views.new_recovery_codes, name="second_factor_codes"),
    path("profilo/verifica-in-due-passaggi/togli/", signin_views.remove, name="second_factor_remove"),
    path("profilo/identita-digitale/scollega/", identity_views.unlink, name="identity_unlink"),
    path("invito/<uidb64>/<token>/", views.InvitationView.as_view(), name="invitation"),
    path("persone/", views.people_list, name="people"),
    path("persone/<int:pk>/", views.person_detail, name="person"),
    path("gestione/", views.accounts, name="accounts"),
    path("gestione/invita/", views.invite, name="invite"),
    path("gestione/<int:pk>/", views.account_detail, name="account"),
    path("gestione/<int:pk>/stato/", views.account_set_active, name="account_set_active"),
    path("gestione/<int:pk>/invito/", views.account_resend_invitation, name="account_resend_invitation"),
    path("gestione/<int:pk>/verifica-in-due-passaggi/", signin_views.reset, name="account_second_factor_reset"),
    path("gestione/blocchi/", signin_views.lockout_list, name="lockouts"),
    path("gestione/blocchi/<int:pk>/", signin_views.lockout_unlock, name="lockout_unlock"),
]

# Django's auth views keep their own names (login, logout, password_reset...).
auth_urlpatterns = [
    path("accedi/", views.LoginView.as_view(), name="login"),
    path("accedi/codice/", signin_views.verify, name="second_factor_verify"),
    path("accedi/identita-digitale/ritorno/", identity_views.finish, name="identity_return"),
    path("accedi/identita-digitale/registrati/", identity_views.register, name="identity_register"),
    path("accedi/identita-digitale/<slug:key>/", identity_views.start, name="identity_start"),
    path("esci/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/fatto/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("recupero/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("recupero/inviato/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("recupero/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("recupero/fatto/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
