from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from trama.pdf import download, poster, site_url
from trama.permissions import permission_required
from trama.privacy import audit
from trama.shortcuts import form_errors_from, page_of, render_page

from .forms import NeighbourhoodSettingsForm, PlaceForm, PlaceSearchForm, ThresholdForm
from .models import SMALL_COUNT_CEILING, Neighbourhood, Place
from .queries import city_of, current_city, neighbourhoods_for, neighbourhoods_of, public_places
from .rules import PLACES
from .services import set_small_count_threshold, small_count_floor


@permission_required("territory.view_map")
def map_page(request):
    city = current_city()
    neighbourhoods = list(neighbourhoods_of(city))
    context = {
        "city": city,
        "neighbourhoods": neighbourhoods,
        "any_approximate": any(n.boundary_is_approximate for n in neighbourhoods),
        "places": public_places(city),
    }
    return render(request, "territory/map.html", context)


@permission_required("territory.list_places")
def place_list(request):
    """Every place of the city for its staff: the public ones and those kept for the work (searchable, a page at a
    time); each editable by who may change it."""
    city = city_of(request.user)
    form = PlaceSearchForm(request.GET or None, city=city)
    places = PLACES.visible_to(request.user).filter(neighbourhood__city=city).select_related("neighbourhood", "managing_organisation")
    searched = False
    if form.is_bound and not form.is_valid():
        places = places.none()
    elif form.is_valid():
        q, neighbourhood, kind = form.cleaned_data["q"].strip(), form.cleaned_data["neighbourhood"], form.cleaned_data["kind"]
        if q:
            places = places.filter(Q(name__icontains=q) | Q(address__icontains=q))
        if neighbourhood is not None:
            places = places.filter(neighbourhood=neighbourhood)
        if kind:
            places = places.filter(kind=kind)
        searched = bool(q or neighbourhood or kind)
    page = page_of(request, places.order_by("name", "pk"), 25)
    changeable = frozenset(neighbourhoods_for(request.user).values_list("pk", flat=True))
    context = {"form": form, "page": page, "searched": searched, "changeable": changeable}
    return render_page(request, "territory/place_list.html", context, form)


def _place(request, pk):
    return get_object_or_404(Place.objects.select_related("neighbourhood__city", "managing_organisation"), pk=pk)


@permission_required("territory.view_place", get_object=_place)
def place_detail(request, pk, obj):
    context = {"place": obj, "city": obj.neighbourhood.city, "can_change": request.user.has_perm("territory.change_place", obj)}
    return render(request, "territory/place_detail.html", context)


def _place_form(request, place=None):
    allowed = frozenset(neighbourhoods_for(request.user).values_list("pk", flat=True))
    city = place.neighbourhood.city if place else city_of(request.user)
    return PlaceForm(request.POST or None, instance=place, city=city, neighbourhoods=allowed)


def _save_place(request, form, created):
    place = form.save()
    # Not personal data: the entry says who changed the community's map, as for organisations.
    audit.record_change(request, place, audit.Action.CREATE if created else audit.Action.UPDATE, reason="luogo")
    if form.found is not None and form.found == place.neighbourhood:
        messages.success(request, _("Luogo salvato, nel quartiere %(name)s trovato dal punto sulla mappa.") % {"name": place.neighbourhood})
    else:
        messages.success(request, _("Luogo salvato, nel quartiere %(name)s.") % {"name": place.neighbourhood})
    return redirect(place)


@require_http_methods(["GET", "POST"])
@permission_required("territory.add_place")
def place_create(request):
    form = _place_form(request)
    if request.method == "POST" and form.is_valid():
        return _save_place(request, form, created=True)
    return render_page(request, "territory/place_form.html", {"form": form, "city": form.city}, form)


@require_http_methods(["GET", "POST"])
@permission_required("territory.change_place", get_object=_place)
def place_edit(request, pk, obj):
    form = _place_form(request, obj)
    if request.method == "POST" and form.is_valid():
        return _save_place(request, form, created=False)
    return render_page(request, "territory/place_form.html", {"form": form, "place": obj, "city": form.city}, form)


@require_safe  # a download: GET (and HEAD) only
@permission_required("territory.print_place_poster", get_object=_place)
def place_poster(request, pk, obj):
    """The A4 poster of a community point: what it is for, where and when, its phone, and a QR code to the public
    home, where both doors ("cerco una mano", "offro una mano") start. Not personal data: no audit entry."""
    if obj.kind != Place.Kind.COMMUNITY_POINT:
        raise Http404
    lines = [
        _("Cerchi una mano? Puoi dare una mano?"),
        _("Qui trovi chi ti ascolta."),
    ]
    if obj.address:
        lines.append(_("Dove: %(address)s") % {"address": obj.address})
    if obj.opening_hours:
        lines.append(_("Quando: %(hours)s") % {"hours": obj.opening_hours})
    lines.append(_("Inquadra il codice con il telefono."))
    pdf = poster(obj.name, lines, site_url(reverse("home")), obj.phone, footer=str(obj.neighbourhood))
    return download(pdf, f"manifesto-punto-{obj.pk}.pdf")


# -- the city's settings (the page itself, which gathers every app's, is trama.views.city_settings) ------------


def _neighbourhood(request, pk):
    return get_object_or_404(Neighbourhood.objects.select_related("city"), pk=pk)


@require_http_methods(["GET", "POST"])
@permission_required("territory.change_neighbourhood", get_object=_neighbourhood)
def neighbourhood_edit(request, pk, obj):
    form = NeighbourhoodSettingsForm(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        neighbourhood = form.save()
        # Not personal data: the entry says who changed the city's settings.
        audit.record_change(request, neighbourhood, reason="impostazioni della città: quartiere")
        messages.success(request, _("Quartiere %(name)s aggiornato.") % {"name": neighbourhood.name})
        return redirect("city_settings")
    return render_page(request, "territory/neighbourhood_form.html", {"form": form, "neighbourhood": obj}, form)


@require_http_methods(["GET", "POST"])
@permission_required("territory.manage_city")
def small_count_threshold(request):
    city = city_of(request.user)
    if city is None:
        raise Http404
    form = ThresholdForm(request.POST or None, current=city.small_count_threshold, floor=small_count_floor(), ceiling=SMALL_COUNT_CEILING)
    if request.method == "POST" and form.is_valid():
        try:
            set_small_count_threshold(city, form.cleaned_data["threshold"], by=request.user)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Soglia aggiornata: i conteggi da 1 a %(last)s sono nascosti.") % {"last": city.small_count_threshold - 1})
            return redirect("city_settings")
    return render_page(request, "territory/threshold_form.html", {"form": form, "city": city, "floor": small_count_floor()}, form)
