"""The territory API: neighbourhoods and places as GeoJSON, places as JSON to list and create."""

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from trama.access import works_in

from .models import Place
from .queries import current_city, neighbourhood_feature, neighbourhoods_geojson, neighbourhoods_of, places_geojson, public_places


class PlaceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Place
        fields = ["id", "name", "kind", "neighbourhood", "address", "description", "lat", "lon", "location_is_approximate", "is_public"]

    def validate_neighbourhood(self, neighbourhood):
        city = current_city()
        if city is None or neighbourhood.city_id != city.pk:
            raise serializers.ValidationError(_("Il quartiere non appartiene a questa città."))
        return neighbourhood

    def validate(self, attrs):
        if (attrs.get("lat") is None) != (attrs.get("lon") is None):
            raise serializers.ValidationError({"lon": _("Latitudine e longitudine vanno date insieme.")})
        return attrs


class NeighbourhoodCollection(APIView):
    permission_required = "territory.view_neighbourhood"

    @extend_schema(
        operation_id="v1_neighbourhoods_list",
        responses={200: OpenApiTypes.OBJECT},
        summary=_("Quartieri della città (GeoJSON FeatureCollection)"),
    )
    def get(self, request):
        return Response(neighbourhoods_geojson(neighbourhoods_of(current_city())))


class NeighbourhoodDetail(APIView):
    permission_required = "territory.view_neighbourhood"

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, summary=_("Un quartiere (GeoJSON Feature)"))
    def get(self, request, pk):
        neighbourhood = get_object_or_404(neighbourhoods_of(current_city()).defer(None), pk=pk)
        self.check_object_permissions(request, neighbourhood)
        return Response(neighbourhood_feature(neighbourhood))


class PlaceList(generics.ListCreateAPIView):
    serializer_class = PlaceSerializer
    permission_required = {"*": "territory.view_place", "POST": "territory.add_place"}

    def get_queryset(self):
        return public_places(current_city())

    def perform_create(self, serializer):
        if not works_in(self.request.user, serializer.validated_data["neighbourhood"]):
            raise PermissionDenied(_("Puoi aggiungere luoghi solo nei quartieri che ti sono assegnati."))
        serializer.save()


class PlaceDetail(generics.RetrieveAPIView):
    serializer_class = PlaceSerializer
    permission_required = "territory.view_place"

    def get_queryset(self):
        return Place.objects.filter(neighbourhood__city=current_city()).select_related("neighbourhood").defer("neighbourhood__boundary")


class PlaceCollection(APIView):
    permission_required = "territory.view_place"

    @extend_schema(
        operation_id="v1_places_geojson",
        responses={200: OpenApiTypes.OBJECT},
        summary=_("Luoghi pubblici (GeoJSON FeatureCollection)"),
    )
    def get(self, request):
        return Response(places_geojson(public_places(current_city())))


urlpatterns = [
    path("neighbourhoods/", NeighbourhoodCollection.as_view(), name="api-neighbourhoods"),
    path("neighbourhoods/<int:pk>/", NeighbourhoodDetail.as_view(), name="api-neighbourhood"),
    path("places/", PlaceList.as_view(), name="api-places"),
    path("places/<int:pk>/", PlaceDetail.as_view(), name="api-place"),
    path("places.geojson", PlaceCollection.as_view(), name="api-places-geojson"),
]
