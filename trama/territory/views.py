from django.shortcuts import get_object_or_404, render

from trama.permissions import permission_required

from .models import Place
from .queries import current_city, neighbourhoods_of, public_places


@permission_required("territory.view_map")
def map_page(request):
    city = current_city()
    return render(
        request,
        "territory/map.html",
        {"city": city, "neighbourhoods": neighbourhoods_of(city), "places": public_places(city)},
    )


def _place(request, pk):
    return get_object_or_404(Place.objects.select_related("neighbourhood__city"), pk=pk)


@permission_required("territory.view_place", get_object=_place)
def place_detail(request, pk, obj):
    return render(request, "territory/place_detail.html", {"place": obj, "city": obj.neighbourhood.city})
