from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.db.models import Q
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from trama import extensions
from trama.permissions import permission_required
from trama.privacy import audit
from trama.shortcuts import page_of
from trama.territory.queries import city_of, current_city

from . import identity, second_factor, services
from .forms import (
    AccountSearchForm,
    ApiTokenForm,
    InvitationForm,
    LoginForm,
    RegistrationForm,
    TramaPasswordChangeForm,
    TramaSetPasswordForm,
)
from .models import DigitalIdentity, Person, User
from .queries import people_visible_to, search_people


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "identity_providers": identity.buttons()}

    def form_valid(self, form):
        # With a second factor the password alone signs no one in: the code comes next.
        user = form.get_user()
        if second_factor.has_second_factor(user):
            second_factor.await_code(self.request, user, self.get_success_url())
            return redirect("second_factor_verify")
        return super().form_valid(form)


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = TramaPasswordChangeForm
    success_url = reverse_lazy("people:profile")

    def form_valid(self, form):
        messages.success(self.request, _("Password cambiata. Le altre sessioni aperte sono state chiuse."))
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = TramaSetPasswordForm
    success_url = reverse_lazy("password_reset_complete")

    def get_user(self, uidb64):
        # A link mailed before the account was disabled must not open it again.
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None


class InvitationView(PasswordResetConfirmView):
    """The invited person chooses a password and is signed in."""

    template_name = "people/invitation_accept.html"
    post_reset_login = True
    post_reset_login_backend = "trama.people.backends.AccountBackend"
    success_url = reverse_lazy("home")
    title = gettext_lazy("Benvenuta, benvenuto in Trama")

    def form_valid(self, form):
        messages.success(self.request, _("Password scelta: il tuo account è attivo."))
        return super().form_valid(form)


def register(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        user.city = current_city()
        user.save(update_fields=["city"])
        login(request, user, backend="trama.people.backends.AccountBackend")
        messages.success(request, _("Benvenuta, benvenuto! Il tuo account è pronto."))
        return redirect("home")
    return render(request, "people/register.html", {"form": form}, status=400 if form.errors else 200)


@permission_required("people.change_own_account")
def profile(request):
    context = {
        "account": request.user,
        "has_second_factor": second_factor.has_second_factor(request.user),
        "memberships": request.user.organisation_memberships.select_related("organisation"),
        "digital_identity": DigitalIdentity.objects.filter(account=request.user).first(),
        "may_use_digital_identity": request.user.has_perm("people.use_digital_identity"),
        "identity_providers": identity.buttons(),
        "linking": True,
    }
    return render(request, "people/profile.html", context)


@require_POST
@permission_required("people.change_own_account")
def log_out_everywhere(request):
    if request.POST.get("confirm") != "on":
        messages.error(request, _("Per uscire da tutti i dispositivi spunta la conferma."))
        return redirect("people:profile")
    services.log_out_everywhere(request)
    messages.success(request, _("Le altre sessioni sono state chiuse e tutti i tuoi token API revocati: resta aperta solo questa."))
    return redirect("people:profile")


# The key of a new token is shown in the answer to the POST and nowhere else, never cached.
@never_cache
@require_http_methods(["GET", "POST"])
@permission_required("people.change_own_account")
def api_tokens(request):
    """The account's own API tokens: list, and create one by name."""
    form = ApiTokenForm(request.POST or None)
    created = key = None
    if request.method == "POST" and form.is_valid():
        created, key = services.create_api_token(request, form.cleaned_data["name"])
        form = ApiTokenForm()
    page = page_of(request, request.user.api_tokens.all(), 25)
    now = timezone.now()
    context = {
        "form": form,
        "page": page,
        "created": created,
        "key": key,
        "max_lifetime": timeuntil(now + timedelta(seconds=settings.TRAMA_API_TOKEN_MAX_SECONDS), now),
        "idle_limit": timeuntil(now + timedelta(seconds=settings.TRAMA_API_TOKEN_IDLE_SECONDS), now),
    }
    return render(request, "people/api_tokens.html", context, status=400 if form.errors else 200)


@never_cache
@permission_required("people.change_own_account")
def api_token_revoke(request, pk):
    # Looked up among the account's own tokens before anything else: anyone else's is a 404, whatever the method.
    token = get_object_or_404(request.user.api_tokens, pk=pk)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if request.method == "POST":
        services.revoke_api_token(request, token)
        messages.success(request, _("Token «%(name)s» revocato.") % {"name": token.name})
        return redirect("people:api_tokens")
    return render(request, "people/api_token_revoke.html", {"token": token})


@permission_required("people.manage_accounts")
def accounts(request):
    form = AccountSearchForm(request.GET or None)
    users = User.objects.order_by("username")
    city = request.user.city
    if city:
        users = users.filter(Q(city=city) | Q(city__isnull=True))
    if form.is_valid():
        q = form.cleaned_data["q"]
        if q:
            users = users.filter(Q(username__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q) | Q(email__icontains=q))
        if form.cleaned_data["role"]:
            users = users.filter(role=form.cleaned_data["role"])
    page = page_of(request, users, 25)
    return render(request, "people/accounts.html", {"form": form, "page": page})


@permission_required("people.manage_accounts")
def invite(request):
    form = InvitationForm(request.POST or None, city=city_of(request.user))
    if request.method == "POST" and form.is_valid():
        user = services.invite(request, form)
        # The e-mail leaves through the task worker: say it is on its way, not that it arrived.
        messages.success(request, _("Account creato. L'e-mail di invito a %(email)s è in coda e parte tra pochi istanti.") % {"email": user.email})
        return redirect("people:account", pk=user.pk)
    return render(request, "people/invite.html", {"form": form}, status=400 if form.errors else 200)


def _account(request, pk):
    return get_object_or_404(User, pk=pk)


@permission_required("people.view_account", get_object=_account)
def account_detail(request, pk, obj):
    audit.record_read(request, obj, reason="scheda account")
    context = {"account": obj, "neighbourhoods": obj.neighbourhoods.all(), "has_second_factor": second_factor.has_second_factor(obj)}
    response = render(request, "people/account_detail.html", context)
    response.personal_data = True
    return response


@require_POST
@permission_required("people.manage_accounts", get_object=_account)
def account_set_active(request, pk, obj):
    if obj == request.user:
        messages.error(request, _("Non puoi disattivare il tuo stesso account."))
        return redirect("people:account", pk=obj.pk)
    active = request.POST.get("active") == "1"
    if not active and request.POST.get("confirm") != "on":
        messages.error(request, _("Per disattivare l'account spunta la conferma."))
        return redirect("people:account", pk=obj.pk)
    services.set_active(request, obj, active)
    messages.success(request, _("Account riattivato.") if active else _("Account disattivato: le sue sessioni sono chiuse."))
    return redirect("people:account", pk=obj.pk)


@require_POST
@permission_required("people.manage_accounts", get_object=_account)
def account_resend_invitation(request, pk, obj):
    if not obj.is_active or obj.has_usable_password():
        messages.error(request, _("L'invito si può rinviare solo a un account attivo che non ha ancora scelto la password."))
        return redirect("people:account", pk=obj.pk)
    services.send_invitation(request, obj)
    audit.record_change(request, obj, reason="invito rinviato")
    messages.success(request, _("Nuova e-mail di invito a %(email)s in coda: parte tra pochi istanti.") % {"email": obj.email})
    return redirect("people:account", pk=obj.pk)


@permission_required("people.add_person")
def people_list(request):
    """The people of the worker's neighbourhoods (the coordinator's city), searchable."""
    q = request.GET.get("q", "")[:100]
    people = search_people(people_visible_to(request.user).select_related("neighbourhood").defer("neighbourhood__boundary"), q)
    page = page_of(request, people.order_by("display_name", "pk"), 25)
    audit.record_page(request, Person, [person.pk for person in page.object_list], "elenco persone")
    response = render(request, "people/people.html", {"page": page, "q": q})
    response.personal_data = True
    return response


def _person(request, pk):
    return get_object_or_404(Person.objects.select_related("neighbourhood", "account"), pk=pk)


@permission_required("people.view_person", get_object=_person)
def person_detail(request, pk, obj):
    """One person's record: audited on every read."""
    audit.record_read(request, obj, reason="scheda persona")
    # The other apps' sections (needs and offers, encounters, themes, groups, initiatives, data rights)
    # come from `trama.extensions.person_panels`, where each app registers its own.
    context = {"person": obj, "consents": obj.consents.all(), "panels": extensions.panels(extensions.person_panels)}
    response = render(request, "people/person_detail.html", context)
    response.personal_data = True
    return response
