"""Organisations: the staff's list, profile, services and members; a referent keeps her own organisation's profile."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from trama import extensions
from trama.permissions import permission_required
from trama.privacy import audit
from trama.shortcuts import page_of, render_page
from trama.territory.queries import city_of

from . import services
from .forms import ColleagueInvitationForm, MembershipForm, MergeForm, OrganisationForm, OrganisationSearchForm, ServiceForm
from .models import Membership, Organisation, Service, User
from .rules import ORGANISATIONS_TO_CHANGE


@require_http_methods(["GET"])
@permission_required("people.add_organisation")
def organisation_list(request):
    """The organisations the coordinator's city (the worker's neighbourhoods) works with, searchable."""
    form = OrganisationSearchForm(request.GET or None)
    organisations = ORGANISATIONS_TO_CHANGE.visible_to(request.user).order_by("name", "pk")
    q = ""
    if form.is_valid():
        q = form.cleaned_data["q"].strip()
        if q:
            organisations = organisations.filter(Q(name__icontains=q) | Q(tax_code__iexact=q) | Q(vat_number=q))
        if form.cleaned_data["sector"]:
            organisations = organisations.filter(sector=form.cleaned_data["sector"])
    page = page_of(request, organisations, 25)
    return render(request, "people/organisations.html", {"form": form, "page": page, "searched": bool(q or form.data.get("sector"))})


@require_http_methods(["GET", "POST"])
@permission_required("people.add_organisation")
def organisation_create(request):
    form = OrganisationForm(request.POST or None, city=city_of(request.user))
    if request.method == "POST" and form.is_valid():
        organisation = services.save_organisation(request, form)
        messages.success(request, _("Organizzazione registrata."))
        return redirect(organisation)
    return render_page(request, "people/organisation_form.html", {"form": form}, form)


def _organisation(request, pk):
    return get_object_or_404(Organisation.objects.select_related("city"), pk=pk)


@require_http_methods(["GET"])
@permission_required("people.view_organisation", get_object=_organisation)
def organisation_detail(request, pk, obj):
    memberships = list(obj.memberships.select_related("account").order_by("-role", "account__username"))
    for membership in memberships:
        membership.organisation = obj  # one organisation: its access is asked once, not once per member
        membership.can_unlink = request.user.has_perm("people.unlink_member", membership)
    # The members are accounts: naming them is a read of each, kept in the log as one page.
    audit.record_page(request, User, [m.account_id for m in memberships], "membri dell'organizzazione")
    context = {
        "organisation": obj,
        "memberships": memberships,
        "services": obj.services.select_related("place"),
        "neighbourhoods": obj.neighbourhoods.all(),
        "can_change": request.user.has_perm("people.change_organisation", obj),
        "can_manage_members": request.user.has_perm("people.manage_members", obj),
        "can_invite": request.user.has_perm("people.invite_colleague", obj),
        "can_merge": request.user.has_perm("people.merge_organisations", obj),
    }
    return render_page(request, "people/organisation_detail.html", context, personal=bool(memberships))


@require_http_methods(["GET", "POST"])
@permission_required("people.change_organisation", get_object=_organisation)
def organisation_edit(request, pk, obj):
    # Where it works decides which workers keep it: that is the staff's to say, not the referent's.
    staff = request.user.has_perm("people.add_organisation")
    form = OrganisationForm(request.POST or None, instance=obj, city=obj.city, with_neighbourhoods=staff)
    if request.method == "POST" and form.is_valid():
        services.save_organisation(request, form)
        messages.success(request, _("Organizzazione aggiornata."))
        return redirect(obj)
    return render_page(request, "people/organisation_form.html", {"form": form, "organisation": obj}, form)


@require_http_methods(["GET", "POST"])
@permission_required("people.change_organisation", get_object=_organisation)
def service_create(request, pk, obj):
    form = ServiceForm(request.POST or None, city=obj.city, instance=Service(organisation=obj))
    if request.method == "POST" and form.is_valid():
        service = form.save()
        audit.record_change(request, service, audit.Action.CREATE, reason="servizio dell'organizzazione")
        messages.success(request, _("Servizio aggiunto."))
        return redirect(obj)
    return render_page(request, "people/service_form.html", {"form": form, "organisation": obj}, form)


def _service(request, pk):
    return get_object_or_404(Service.objects.select_related("organisation__city"), pk=pk)


@require_http_methods(["GET", "POST"])
@permission_required("people.change_organisation", get_object=_service)
def service_edit(request, pk, obj):
    form = ServiceForm(request.POST or None, city=obj.organisation.city, instance=obj)
    if request.method == "POST" and form.is_valid():
        form.save()
        audit.record_change(request, obj, reason="servizio dell'organizzazione")
        messages.success(request, _("Servizio aggiornato."))
        return redirect(obj.organisation)
    context = {"form": form, "organisation": obj.organisation, "service": obj}
    return render_page(request, "people/service_form.html", context, form)


@require_http_methods(["GET", "POST"])
@permission_required("people.change_organisation", get_object=_service)
def service_delete(request, pk, obj):
    if request.method == "POST":
        audit.record_change(request, obj, audit.Action.DELETE, reason="servizio dell'organizzazione")
        obj.delete()
        messages.success(request, _("Servizio tolto."))
        return redirect(obj.organisation)
    return render(request, "people/service_delete.html", {"service": obj, "organisation": obj.organisation})


@require_http_methods(["GET", "POST"])
@permission_required("people.manage_members", get_object=_organisation)
def member_link(request, pk, obj):
    form = MembershipForm(request.POST or None, city=obj.city)
    if request.method == "POST" and form.is_valid():
        membership = services.link_member(request, obj, form.cleaned_data["account"], form.cleaned_data["role"])
        messages.success(
            request,
            _("%(account)s è collegato all'organizzazione come %(role)s.")
            % {"account": membership.account, "role": membership.get_role_display().lower()},
        )
        return redirect(obj)
    return render_page(request, "people/member_link.html", {"form": form, "organisation": obj}, form)


@require_http_methods(["GET", "POST"])
@permission_required("people.invite_colleague", get_object=_organisation)
def member_invite(request, pk, obj):
    """Invite someone new into the organisation: its referent invites colleagues as members, the staff who keep it
    choose the role. The account is a partner of the organisation's city, with the e-mailed link of every invitation."""
    staff = request.user.has_perm("people.manage_members", obj)
    form = ColleagueInvitationForm(request.POST or None, organisation=obj, with_role=staff)
    if request.method == "POST" and form.is_valid():
        membership = services.invite_colleague(request, obj, form)
        messages.success(
            request,
            _("%(name)s è nell'organizzazione come %(role)s. L'e-mail di invito a %(email)s è in coda e parte tra pochi istanti.")
            % {"name": membership.account.first_name, "role": membership.get_role_display().lower(), "email": membership.account.email},
        )
        return redirect(obj)
    return render_page(request, "people/member_invite.html", {"form": form, "organisation": obj, "staff": staff}, form)


def _membership(request, pk):
    return get_object_or_404(Membership.objects.select_related("organisation__city", "account"), pk=pk)


@require_http_methods(["GET", "POST"])
@permission_required("people.unlink_member", get_object=_membership)
def member_unlink(request, pk, obj):
    if request.method == "POST":
        if request.POST.get("confirm") != "on":
            messages.error(request, _("Per scollegare l'account spunta la conferma."))
            return render(request, "people/member_unlink.html", {"membership": obj}, status=400)
        services.unlink_member(request, obj)
        messages.success(request, _("%(account)s non fa più parte dell'organizzazione.") % {"account": obj.account})
        return redirect(obj.organisation)
    audit.record_read(request, obj.account, reason="scollegamento dall'organizzazione")
    return render(request, "people/member_unlink.html", {"membership": obj})


@require_http_methods(["GET", "POST"])
@permission_required("people.merge_organisations", get_object=_organisation)
def organisation_merge(request, pk, obj):
    """Choose the duplicate (GET), read what moves, confirm (POST): its records join this one and it goes."""
    form = MergeForm((request.POST if request.method == "POST" else request.GET) or None, keep=obj)
    context = {"form": form, "organisation": obj}
    if form.is_bound and form.is_valid():
        duplicate = context["duplicate"] = form.cleaned_data["duplicate"]
        context["moves"], context["conflicts"] = services.merge_preview(obj, duplicate)
        if request.method == "POST" and not context["conflicts"]:
            if request.POST.get("confirm") != "on":
                form.add_error(None, _("Per unire le due organizzazioni spunta la conferma."))
            else:
                try:
                    services.merge_organisations(request, obj, duplicate)
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(request, _("«%(duplicate)s» è stata unita a «%(keep)s».") % {"duplicate": duplicate.name, "keep": obj.name})
                    return redirect(obj)
    failed = request.method == "POST" or form.errors
    return render(request, "people/organisation_merge.html", context, status=400 if failed else 200)


@require_http_methods(["GET"])
def organisation_public(request, pk):
    """What an organisation offers, where and in which initiatives, for everyone: only when it agreed to it.

    No one is named (not its members, not who uses its services), and without the agreement the page does
    not exist for anyone: staff have the organisation's own page."""
    organisation = get_object_or_404(Organisation.objects.select_related("city"), pk=pk, public_page_agreed=True)
    context = {
        "organisation": organisation,
        "services": organisation.services.select_related("place").order_by("name", "pk"),
        "places": organisation.managed_places.filter(is_public=True).select_related("neighbourhood").order_by("name"),
        "neighbourhoods": organisation.neighbourhoods.all(),
        "panels": extensions.panels(extensions.organisation_panels),  # the initiatives it takes part in
    }
    return render(request, "people/organisation_public.html", context)
