"""The public side, no login needed: the catalogue of initiatives, an initiative's page, joining it."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from trama.access import is_citizen
from trama.pdf import download, poster, site_url
from trama.shortcuts import page_of, public_cache, render_page
from trama.territory.queries import city_of, community_point_of

from .. import forms, queries, services
from ..models import Initiative, Participation
from .common import PAGE_SIZE

JOIN_SESSION_KEY = services.JOIN_SESSION_KEY


# -- public side -------------------------------------------------------------------------------


def catalogue(request):
    """Public catalogue of initiatives (no login): filter by neighbourhood and activity."""
    city = city_of(request.user)
    form = forms.CatalogueFilterForm(request.GET or None, city=city)
    neighbourhood = intervention_object = None
    if form.is_valid():
        neighbourhood, intervention_object = form.cleaned_data["quartiere"], form.cleaned_data["attivita"]
    initiatives = queries.public_initiatives(city, neighbourhood, intervention_object)
    # Public content only: for a visitor not signed in it is kept (base.html), and only drawn when it is not.
    page = SimpleLazyObject(lambda: page_of(request, initiatives, PAGE_SIZE))
    return render_page(request, "initiatives/catalogue.html", {"form": form, "page": page, "public_cache": public_cache(city)})


def _public(pk):
    initiative = get_object_or_404(
        Initiative.objects.select_related("intervention_object", "place", "place__neighbourhood").prefetch_related("neighbourhoods"),
        pk=pk,
    )
    if not (initiative.is_public and initiative.stage in queries.PUBLIC_STAGES):
        raise Http404
    return initiative


def public_detail(request, pk):
    initiative = _public(pk)
    joined = False
    if is_citizen(request.user):
        joined = Participation.objects.filter(initiative=initiative, person__account=request.user, left_at__isnull=True).exists()
    return render_page(
        request,
        "initiatives/public_detail.html",
        {
            "initiative": initiative,
            "joined": joined,
            "promoters": initiative.partners.select_related("organisation").order_by("organisation__name"),
        },
    )


@require_safe  # a download: GET (and HEAD) only
def public_poster(request, pk):
    """The A4 poster of a published activity, public like its page: what, when, where, how to join, a QR code to its
    page and the phone of the community point of its place's neighbourhood (or its first)."""
    initiative = _public(pk)
    neighbourhood = initiative.place.neighbourhood if initiative.place else initiative.neighbourhoods.order_by("name", "pk").first()
    point = community_point_of(neighbourhood) if neighbourhood is not None else None
    lines = [str(Truncator(initiative.description).words(40))]
    if initiative.when:
        lines.append(_("Quando: %(when)s") % {"when": initiative.when})
    if initiative.place:
        where = ", ".join(part for part in (initiative.place.name, initiative.place.address) if part)
        lines.append(_("Dove: %(where)s") % {"where": where})
    lines.append(_("Per partecipare inquadra il codice con il telefono."))
    url = site_url(reverse("initiatives:public", args=[initiative.pk]))
    pdf = poster(initiative.name, lines, url, point.phone if point else "", footer=str(neighbourhood or ""))
    return download(pdf, f"manifesto-attivita-{initiative.pk}.pdf")


def join(request, pk):
    """ "Partecipa": anonymous visitors sign in or register first (the choice waits in their session)."""
    initiative = _public(pk)
    user = request.user
    if not user.is_authenticated:
        request.session[JOIN_SESSION_KEY] = initiative.pk
        return render_page(
            request,
            "initiatives/join.html",
            {
                "initiative": initiative,
                "login_url": reverse("login") + "?next=" + request.path,
            },
        )
    if not is_citizen(user):
        return render_page(request, "initiatives/join.html", {"initiative": initiative, "not_a_citizen": True})
    if request.method == "POST":
        participation, created = services.join(initiative, user=user)
        request.session.pop(JOIN_SESSION_KEY, None)
        if created:
            messages.success(request, _("Fatto! Partecipi a «%(name)s»: la trovi nella tua pagina iniziale.") % {"name": initiative.name})
        else:
            messages.info(request, _("Partecipi già a «%(name)s».") % {"name": initiative.name})
        return redirect("initiatives:public", initiative.pk)
    return render_page(request, "initiatives/join.html", {"initiative": initiative})
