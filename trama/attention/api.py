"""The attention API: signals from a mobile client, triage, outreach and encounters.

Input is validated by the same forms as the web pages (one set of rules and
messages); the serializers describe the fields for the schema. Lists carry no
free text: reading a signal's or an encounter's text is one request; every list page and record read is audited.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from trama.api import AuditedList, AuditedRetrieve, refused

from . import services
from .forms import UNKNOWN_CHOICE, EncounterForm, OutreachForm, OutreachResultForm, SignalForm, TriageForm
from .models import Encounter, OutreachTask, Signal
from .queries import encounters_visible_to, outreach_visible_to, signal_queue, signals_sent_by


def _validated_by(form):
    """Run a web form on the API's input; its errors become a 400 with field messages."""
    if not form.is_valid():
        raise serializers.ValidationError({field: [str(e) for e in errors] for field, errors in form.errors.items()})
    return form


def _raw(serializer):
    data = serializer.initial_data
    return data.dict() if hasattr(data, "dict") else dict(data)


class AntennaSignalSerializer(serializers.ModelSerializer):
    """What an antenna may know of their own signal: where it stands, nothing more."""

    status = serializers.CharField(source="antenna_label", read_only=True)

    class Meta:
        model = Signal
        fields = ["id", "created_at", "neighbourhood", "status"]


class SignalCreateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Signal
        fields = ["text", "neighbourhood", "place", "urgency", "age_band", "household", "person_aware"]

    def validate(self, attrs):
        form = _validated_by(SignalForm(data=_raw(self), antenna=self.context["request"].user))
        return form.cleaned_data


class SignalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Signal
        fields = ["id", "created_at", "neighbourhood", "place", "urgency", "age_band", "household", "status", "assigned_to", "outcome"]


class SignalDetailSerializer(serializers.ModelSerializer):
    class Meta:
        model = Signal
        fields = SignalSerializer.Meta.fields + [
            "text",
            "person_aware",
            "outcome_note",
            "merged_into",
            "person",
            "taken_up_at",
            "first_contact_at",
            "closed_at",
        ]


class TriageSerializer(serializers.Serializer):
    # Plain strings in the schema: the enums belong to the model; the form checks the value.
    outcome = serializers.CharField(help_text="merged | person | no_action | referred")
    merge_with = serializers.IntegerField(required=False, allow_null=True)
    person = serializers.IntegerField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True)


class OutreachSerializer(serializers.ModelSerializer):
    # A plain string in the schema: several of Trama's choice sets are called "status".
    status = serializers.CharField(read_only=True, help_text="planned | done | not_reached | cancelled")

    class Meta:
        model = OutreachTask
        fields = ["id", "signal", "neighbourhood", "assigned_to", "method", "due_date", "plan", "status", "result", "done_at"]
        read_only_fields = ["neighbourhood", "status", "result", "done_at"]
        extra_kwargs = {"signal": {"required": True, "allow_null": False}}


class OutreachResultSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="done | not_reached | cancelled")
    result = serializers.CharField(required=False, allow_blank=True)


class EncounterSerializer(serializers.ModelSerializer):
    class Meta:
        model = Encounter
        fields = ["id", "happened_at", "neighbourhood", "setting", "worker", "person", "signal", "outreach"]


class EncounterDetailSerializer(serializers.ModelSerializer):
    class Meta:
        model = Encounter
        fields = EncounterSerializer.Meta.fields + ["notes"]


class EncounterCreateSerializer(serializers.ModelSerializer):
    """An encounter, and optionally the person's pseudonymous registration, needs and offers."""

    register = serializers.BooleanField(required=False, default=False)
    display_name = serializers.CharField(required=False, allow_blank=True)
    channel = serializers.CharField(required=False, allow_blank=True)
    known_to_services = serializers.ChoiceField(choices=["", "yes", "no"], required=False)
    consent_registration = serializers.BooleanField(required=False, default=False)
    consent_contact = serializers.BooleanField(required=False, default=False)
    consent_groups = serializers.BooleanField(required=False, default=False)
    need_text = serializers.CharField(required=False, allow_blank=True)
    need_urgency = serializers.CharField(required=False, allow_blank=True)
    offer_text = serializers.CharField(required=False, allow_blank=True)
    offer_kind = serializers.CharField(required=False, allow_blank=True)

    class Meta:
        model = Encounter
        fields = [
            "id",
            "neighbourhood",
            "setting",
            "happened_at",
            "notes",
            "signal",
            "outreach",
            "person",
            "register",
            "display_name",
            "channel",
            "known_to_services",
            "consent_registration",
            "consent_contact",
            "consent_groups",
            "need_text",
            "need_urgency",
            "offer_text",
            "offer_kind",
        ]
        read_only_fields = ["id"]

    def validate(self, attrs):
        request = self.context["request"]
        sources = {}
        for name, perm in (("signal", "attention.triage_signal"), ("outreach", "attention.change_outreach")):
            obj = attrs.get(name)
            if obj is not None and not request.user.has_perm(perm, obj):
                raise serializers.ValidationError({name: [str(UNKNOWN_CHOICE)]})
            sources[name] = obj
        data = _raw(self)
        data.setdefault("happened_at", timezone.now().isoformat())
        self.form = _validated_by(EncounterForm(data=data, user=request.user, **sources))
        return attrs


class SignalList(AuditedList, generics.ListCreateAPIView):
    """GET: the worker's queue (no free text). POST: an antenna sends a signal."""

    permission_required = {"GET": "attention.view_signal", "POST": "attention.send_signal"}
    audit_reason = "coda delle segnalazioni (API)"

    def get_serializer_class(self):
        return SignalCreateSerializer if self.request.method == "POST" else SignalSerializer

    def get_queryset(self):
        return signal_queue(self.request.user, self.request.query_params.get("status", "open"))

    @extend_schema(parameters=[OpenApiParameter("status", str, description="open (default), all, new, taken_up, contacted, closed")])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=SignalCreateSerializer, responses={201: AntennaSignalSerializer})
    def post(self, request, *args, **kwargs):
        serializer = SignalCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        signal = services.send_signal(by=request.user, **serializer.validated_data)
        return Response(AntennaSignalSerializer(signal).data, status=status.HTTP_201_CREATED)


class OwnSignalList(AuditedList, generics.ListAPIView):
    """An antenna's own signals and their status."""

    permission_required = "attention.view_own_signal"
    audit_reason = "le proprie segnalazioni (API)"
    serializer_class = AntennaSignalSerializer

    def get_queryset(self):
        return signals_sent_by(self.request.user)


class SignalDetail(AuditedRetrieve, generics.RetrieveAPIView):
    """One signal with its text: an audited read."""

    permission_required = "attention.view_signal"
    serializer_class = SignalDetailSerializer
    queryset = Signal.objects.select_related("neighbourhood").defer("neighbourhood__boundary")
    audit_reason = "segnalazione (API)"


class SignalTriage(generics.GenericAPIView):
    permission_required = {"*": "attention.triage_signal"}
    serializer_class = TriageSerializer
    queryset = Signal.objects.select_related("neighbourhood").defer("neighbourhood__boundary")

    @extend_schema(request=TriageSerializer, responses={200: SignalDetailSerializer})
    def post(self, request, pk):
        signal = self.get_object()
        data = request.data.dict() if hasattr(request.data, "dict") else dict(request.data)
        form = _validated_by(TriageForm(data=data, signal=signal, user=request.user)).cleaned_data
        signal = services.triage(
            signal, by=request.user, outcome=form["outcome"], note=form["note"], merge_with=form["merge_with"], person=form["person"]
        )
        return Response(SignalDetailSerializer(signal).data)


class OutreachList(AuditedList, generics.ListCreateAPIView):
    permission_required = {"GET": "attention.view_outreach", "POST": "attention.change_outreach"}
    serializer_class = OutreachSerializer
    audit_reason = "elenco uscite (API)"

    def get_queryset(self):
        return outreach_visible_to(self.request.user).order_by("status", "due_date", "pk")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        signal = serializer.validated_data["signal"]
        if not request.user.has_perm("attention.triage_signal", signal):
            raise PermissionDenied()
        data = {k: v for k, v in _raw(serializer).items() if k != "signal"}
        form = _validated_by(OutreachForm(data=data, neighbourhood=signal.neighbourhood, user=request.user))
        task = services.plan_outreach(by=request.user, signal=signal, **form.cleaned_data)
        return Response(OutreachSerializer(task).data, status=status.HTTP_201_CREATED)


class OutreachDetail(AuditedRetrieve, generics.RetrieveAPIView):
    permission_required = "attention.view_outreach"
    serializer_class = OutreachSerializer
    queryset = OutreachTask.objects.all()
    audit_reason = "uscita (API)"


class OutreachResult(generics.GenericAPIView):
    permission_required = {"*": "attention.change_outreach"}
    serializer_class = OutreachResultSerializer
    queryset = OutreachTask.objects.all()

    @extend_schema(request=OutreachResultSerializer, responses={200: OutreachSerializer})
    def post(self, request, pk):
        task = self.get_object()
        data = request.data.dict() if hasattr(request.data, "dict") else dict(request.data)
        form = _validated_by(OutreachResultForm(data=data))
        task = services.finish_outreach(task, by=request.user, **form.cleaned_data)
        return Response(OutreachSerializer(task).data)


class EncounterList(AuditedList, generics.ListCreateAPIView):
    """GET: the encounter log (no notes). POST: record an encounter, with registration, need and offer."""

    permission_required = {"GET": "attention.view_encounter", "POST": "attention.add_encounter"}
    audit_reason = "elenco incontri (API)"

    def get_serializer_class(self):
        return EncounterCreateSerializer if self.request.method == "POST" else EncounterSerializer

    def get_queryset(self):
        return encounters_visible_to(self.request.user)

    @extend_schema(request=EncounterCreateSerializer, responses={201: EncounterDetailSerializer})
    def post(self, request, *args, **kwargs):
        serializer = EncounterCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        try:
            encounter = services.record_encounter(by=request.user, **serializer.form.service_arguments())
        except DjangoValidationError as error:
            raise refused(error) from error
        return Response(EncounterDetailSerializer(encounter).data, status=status.HTTP_201_CREATED)


class EncounterDetail(AuditedRetrieve, generics.RetrieveAPIView):
    """One encounter with its notes: an audited read."""

    permission_required = "attention.view_encounter"
    serializer_class = EncounterDetailSerializer
    queryset = Encounter.objects.all()
    audit_reason = "incontro (API)"


urlpatterns = [
    path("attention/signals/", SignalList.as_view(), name="api-attention-signals"),
    path("attention/signals/mine/", OwnSignalList.as_view(), name="api-attention-my-signals"),
    path("attention/signals/<int:pk>/", SignalDetail.as_view(), name="api-attention-signal"),
    path("attention/signals/<int:pk>/triage/", SignalTriage.as_view(), name="api-attention-signal-triage"),
    path("attention/outreach/", OutreachList.as_view(), name="api-attention-outreach-list"),
    path("attention/outreach/<int:pk>/", OutreachDetail.as_view(), name="api-attention-outreach"),
    path("attention/outreach/<int:pk>/result/", OutreachResult.as_view(), name="api-attention-outreach-result"),
    path("attention/encounters/", EncounterList.as_view(), name="api-attention-encounters"),
    path("attention/encounters/<int:pk>/", EncounterDetail.as_view(), name="api-attention-encounter"),
]
