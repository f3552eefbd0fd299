from django.shortcuts import get_object_or_404, render

from trama.permissions import permission_required

from .models import Place
from .queries import current_city, neighbourhoods_of, public_places


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


def _place(request, pk):
    return get_object_or_404(Place.objects.select_related("neighbourhood__city"), pk=pk)


@permission_required("territory.view_place", get_object=_place)
def place_detail(request, pk, obj):
    return render(request, "territory/place_detail.html", {"place": obj, "city": obj.neighbourhood.city})
