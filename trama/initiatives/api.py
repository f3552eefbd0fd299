"""The initiatives API: the catalogue of activities, initiatives (public fields for everyone, the
rest for those who follow them) and agreements, with the same rules as the pages."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from trama.access import works_in
from trama.api import choice, refused
from trama.territory.models import Neighbourhood
from trama.territory.queries import city_of

from . import queries, services
from .models import Agreement, Initiative, InterventionObject


def _int_param(request, name):
    value = request.query_params.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else None


class InterventionObjectSerializer(serializers.ModelSerializer):
    name = serializers.CharField(max_length=120)
    slug = serializers.SlugField(max_length=80)
    description = serializers.CharField(max_length=4000)
    purpose = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    wording_guidance = serializers.CharField(max_length=2000, required=False, allow_blank=True)

    class Meta:
        model = InterventionObject
        fields = ["id", "name", "slug", "description", "purpose", "wording_guidance", "active"]
        read_only_fields = ["active"]


class InterventionObjectList(generics.ListCreateAPIView):
    serializer_class = InterventionObjectSerializer
    permission_required = {"*": "initiatives.list_objects", "POST": "initiatives.manage_objects"}

    def get_queryset(self):
        return InterventionObject.objects.filter(city=city_of(self.request.user)).order_by("name", "pk")

    def perform_create(self, serializer):
        city = city_of(self.request.user)
        if InterventionObject.objects.filter(city=city, slug=serializer.validated_data["slug"]).exists():
            raise serializers.ValidationError({"slug": _("Questo identificativo è già in uso nel catalogo.")})
        serializer.save(city=city)


class InterventionObjectDetail(generics.RetrieveAPIView):
    serializer_class = InterventionObjectSerializer
    permission_required = "initiatives.view_object"
    queryset = InterventionObject.objects.all()


class PublicInitiativeSerializer(serializers.ModelSerializer):
    """What anyone may know of a public initiative: the activity, never the people."""

    intervention_object = serializers.CharField(source="intervention_object.name", default=None, allow_null=True, read_only=True)
    neighbourhoods = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    place = serializers.CharField(source="place.name", default=None, allow_null=True, read_only=True)
    stage = choice(Initiative.Stage.choices, read_only=True)

    class Meta:
        model = Initiative
        fields = ["id", "name", "description", "intervention_object", "neighbourhoods", "place", "when", "how_to_join", "contact_email", "stage"]


class PublicInitiativeList(generics.ListAPIView):
    serializer_class = PublicInitiativeSerializer
    permission_required = "initiatives.view_catalogue"

    @extend_schema(parameters=[OpenApiParameter("neighbourhood", int), OpenApiParameter("intervention_object", int)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        city = city_of(self.request.user)
        neighbourhood = Neighbourhood.objects.filter(pk=_int_param(self.request, "neighbourhood") or 0, city=city).first()
        obj = InterventionObject.objects.filter(pk=_int_param(self.request, "intervention_object") or 0, city=city).first()
        if self.request.query_params.get("neighbourhood") and neighbourhood is None:
            return Initiative.objects.none()
        if self.request.query_params.get("intervention_object") and obj is None:
            return Initiative.objects.none()
        return queries.public_initiatives(city, neighbourhood, obj)


class PublicInitiativeDetail(generics.RetrieveAPIView):
    serializer_class = PublicInitiativeSerializer
    permission_required = "initiatives.view_catalogue"

    def get_object(self):
        initiative = get_object_or_404(Initiative.objects.select_related("intervention_object", "place"), pk=self.kwargs["pk"])
        if not (initiative.is_public and initiative.stage in queries.PUBLIC_STAGES):
            raise Http404
        return initiative


class InitiativeSerializer(serializers.ModelSerializer):
    name = serializers.CharField(max_length=160)
    description = serializers.CharField(max_length=4000)
    how_to_join = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    when = serializers.CharField(max_length=200, required=False, allow_blank=True)
    stage = choice(Initiative.Stage.choices, read_only=True)
    origin = choice(Initiative.Origin.choices, read_only=True)
    participant_count = serializers.IntegerField(min_value=0, max_value=100000, required=False, allow_null=True)
    neighbourhoods = serializers.PrimaryKeyRelatedField(many=True, queryset=Neighbourhood.objects.all())

    class Meta:
        model = Initiative
        fields = [
            "id",
            "name",
            "description",
            "intervention_object",
            "neighbourhoods",
            "origin",
            "stage",
            "stage_changed_at",
            "when",
            "place",
            "how_to_join",
            "contact_email",
            "is_public",
            "participant_count",
            "lead_worker",
            "created_at",
        ]
        read_only_fields = ["origin", "stage", "stage_changed_at", "created_at", "lead_worker"]

    def validate_neighbourhoods(self, value):
        if not value:
            raise serializers.ValidationError(_("Indica almeno un quartiere."))
        user = self.context["request"].user
        if not all(works_in(user, n) for n in value):
            raise serializers.ValidationError(_("Puoi indicare solo i quartieri che ti sono assegnati."))
        return value

    def validate_intervention_object(self, value):
        if value is not None and value.city_id != city_of(self.context["request"].user).pk:
            raise serializers.ValidationError(_("Scegli un'attività del catalogo della tua città."))
        return value


class InitiativeList(generics.ListCreateAPIView):
    """The initiatives the account follows (staff: their scope; partners: their organisation's; citizens: joined)."""

    serializer_class = InitiativeSerializer
    permission_required = {"*": "initiatives.list_initiatives", "POST": "initiatives.add_initiative"}

    def get_queryset(self):
        return queries.initiatives_visible_to(self.request.user).prefetch_related("neighbourhoods").order_by("name", "pk")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        try:
            serializer.instance = services.create_initiative(
                city=city_of(self.request.user),
                by=self.request.user,
                origin=Initiative.Origin.WORKER,
                neighbourhoods=data.pop("neighbourhoods"),
                lead_worker=self.request.user,
                **data,
            )
        except ValidationError as error:
            raise refused(error) from error


class InitiativeDetail(generics.RetrieveUpdateAPIView):
    serializer_class = InitiativeSerializer
    permission_required = {"*": "initiatives.view_initiative", "PUT": "initiatives.change_initiative", "PATCH": "initiatives.change_initiative"}
    queryset = Initiative.objects.prefetch_related("neighbourhoods")

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        try:
            serializer.instance = services.update_initiative(serializer.instance, by=self.request.user, **data)
        except ValidationError as error:
            raise refused(error) from error


class MoveSerializer(serializers.Serializer):
    stage = choice(Initiative.Stage.choices)
    reason = serializers.CharField(max_length=500)


class InitiativeMove(APIView):
    # Reading is refused by method (405); the change is checked against the initiative itself.
    permission_required = {"*": "initiatives.view_catalogue", "POST": "initiatives.change_initiative"}

    @extend_schema(request=MoveSerializer, responses={200: InitiativeSerializer}, summary=_("Cambia la fase di un'iniziativa"))
    def post(self, request, pk):
        initiative = get_object_or_404(Initiative, pk=pk)
        self.check_object_permissions(request, initiative)
        serializer = MoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            initiative = services.move_initiative(initiative, by=request.user, **serializer.validated_data)
        except ValidationError as error:
            raise refused(error, "stage") from error
        return Response(InitiativeSerializer(initiative, context={"request": request}).data)


class AgreementSerializer(serializers.ModelSerializer):
    kind = choice(Agreement.Kind.choices)
    status = choice(Agreement.Status.choices, read_only=True)
    parties = serializers.SerializerMethodField()
    has_document = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = [
            "id",
            "kind",
            "title",
            "subject",
            "initiative",
            "neighbourhoods",
            "starts_on",
            "ends_on",
            "status",
            "renewed_from",
            "parties",
            "has_document",
        ]

    def get_parties(self, agreement) -> list[dict]:
        return [{"organisation": p.organisation_id, "name": str(p), "commitments": p.commitments} for p in agreement.parties.all()]

    def get_has_document(self, agreement) -> bool:
        return bool(agreement.document)


class AgreementList(generics.ListAPIView):
    serializer_class = AgreementSerializer
    permission_required = "initiatives.list_agreements"

    def get_queryset(self):
        return (
            queries.agreements_visible_to(self.request.user)
            .prefetch_related("neighbourhoods", "parties", "parties__organisation")
            .order_by("-starts_on", "pk")
        )


class AgreementDetail(generics.RetrieveAPIView):
    serializer_class = AgreementSerializer
    permission_required = "initiatives.view_agreement"
    queryset = Agreement.objects.prefetch_related("neighbourhoods", "parties", "parties__organisation")


urlpatterns = [
    path("initiatives/objects/", InterventionObjectList.as_view(), name="api-initiatives-objects"),
    path("initiatives/objects/<int:pk>/", InterventionObjectDetail.as_view(), name="api-initiatives-object"),
    path("initiatives/public/", PublicInitiativeList.as_view(), name="api-initiatives-public"),
    path("initiatives/public/<int:pk>/", PublicInitiativeDetail.as_view(), name="api-initiatives-public-one"),
    path("initiatives/", InitiativeList.as_view(), name="api-initiatives"),
    path("initiatives/<int:pk>/", InitiativeDetail.as_view(), name="api-initiative"),
    path("initiatives/<int:pk>/move/", InitiativeMove.as_view(), name="api-initiative-move"),
    path("initiatives/agreements/", AgreementList.as_view(), name="api-initiatives-agreements"),
    path("initiatives/agreements/<int:pk>/", AgreementDetail.as_view(), name="api-initiatives-agreement"),
]
