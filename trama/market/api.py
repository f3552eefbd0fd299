"""The market API: offers, needs, matches and contributions, with the same rules as the pages."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from trama.access import is_citizen, is_partner, neighbourhood_scope, works_in
from trama.api import AuditedList, AuditedRetrieve, choice, refused
from trama.people.queries import people_visible_to
from trama.people.services import person_for_account
from trama.privacy import audit
from trama.territory.models import Neighbourhood

from . import services
from .answers import ranked_answers
from .forms import FEW_WORDS, TEXT_LIMIT, TITLE_LIMIT, has_a_few_words
from .models import MAX_CAPACITY, Contribution, Match, Need, Offer, Sector
from .queries import (
    contributions_visible_to,
    ledger_totals,
    matches_visible_to,
    needs_visible_to,
    offers_visible_to,
    ranked_offers,
    search_needs,
    search_offers,
)

FILTERS = [
    OpenApiParameter("q", str, description=_("Parole da cercare")),
    OpenApiParameter("neighbourhood", int, description=_("Id del quartiere")),
    OpenApiParameter("status", str, description=_("Stato")),
]


def _neighbourhood_param(request):
    value = request.query_params.get("neighbourhood")
    return Neighbourhood.objects.filter(pk=value).first() if value and value.isdigit() else None


class OfferSerializer(serializers.ModelSerializer):
    kind = choice(Offer.Kind.choices)
    status = choice(Offer.Status.choices, read_only=True)
    title = serializers.CharField(max_length=TITLE_LIMIT)
    description = serializers.CharField(max_length=TEXT_LIMIT, required=False, allow_blank=True)
    capacity = serializers.IntegerField(min_value=1, max_value=MAX_CAPACITY, default=1)
    days = serializers.IntegerField(min_value=0, max_value=127, default=0)
    slots = serializers.IntegerField(min_value=0, max_value=7, default=0)
    neighbourhoods = serializers.PrimaryKeyRelatedField(many=True, queryset=Neighbourhood.objects.all())
    person = serializers.IntegerField(required=False, write_only=True, help_text=_("Per operatori: la persona che offre"))
    remaining = serializers.IntegerField(read_only=True)

    class Meta:
        model = Offer
        fields = [
            "id",
            "kind",
            "title",
            "description",
            "neighbourhoods",
            "organisation",
            "person",
            "capacity",
            "remaining",
            "days",
            "slots",
            "available_from",
            "available_until",
            "status",
            "created_at",
        ]
        read_only_fields = ["status", "created_at"]

    def validate_neighbourhoods(self, value):
        if not value:
            raise serializers.ValidationError(_("Indica almeno un quartiere."))
        return value

    def validate(self, attrs):
        # A partial edit is checked against the dates it leaves as they are.
        start = attrs.get("available_from", getattr(self.instance, "available_from", None))
        end = attrs.get("available_until", getattr(self.instance, "available_until", None))
        if start and end and end < start:
            raise serializers.ValidationError({"available_until": _("La data di fine viene prima della data di inizio.")})
        return attrs


class OfferList(AuditedList, generics.ListCreateAPIView):
    serializer_class = OfferSerializer
    permission_required = {"*": "market.list_offers", "POST": "market.add_offer"}
    audit_reason = "elenco offerte (API)"

    def audited_ids(self, rows):
        return [offer.pk for offer in rows if offer.person_id]  # an organisation's offer is not personal data

    @extend_schema(parameters=FILTERS + [OpenApiParameter("kind", str)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        return (
            search_offers(
                offers_visible_to(self.request.user),
                q=params.get("q", ""),
                neighbourhood=_neighbourhood_param(self.request),
                kind=params.get("kind", "") if params.get("kind") in Offer.Kind.values else "",
                status=params.get("status", "") if params.get("status") in Offer.Status.values else "",
            )
            .prefetch_related("neighbourhoods")
            .order_by("-created_at", "-pk")
        )

    def perform_create(self, serializer):
        user, data = self.request.user, dict(serializer.validated_data)
        person_id, organisation = data.pop("person", None), data.pop("organisation", None)
        neighbourhoods = data.pop("neighbourhoods")
        person = None
        if is_partner(user):
            if organisation is None or not organisation.members.filter(pk=user.pk).exists():
                raise PermissionDenied(_("Puoi offrire solo per conto della tua organizzazione."))
        elif is_citizen(user):
            organisation, person = None, person_for_account(user, neighbourhoods[0])
        elif organisation is None:
            person = get_object_or_404(people_visible_to(user), pk=person_id or 0)
        serializer.instance = services.record_offer(
            person=person,
            organisation=organisation,
            neighbourhoods=neighbourhoods,
            by=user,
            **data,
        )


class OfferChangeSerializer(OfferSerializer):
    """The fields of OfferForm as the edit page shows it: who gives stays as it is."""

    person = None

    class Meta(OfferSerializer.Meta):
        fields = [name for name in OfferSerializer.Meta.fields if name != "person"]
        read_only_fields = ["organisation", "status", "created_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if isinstance(self.instance, Offer):  # as the form: the neighbourhoods of the offer's city
            self.fields["neighbourhoods"].child_relation.queryset = Neighbourhood.objects.filter(city_id=self.instance.city_id)


class OfferDetail(AuditedRetrieve, generics.RetrieveUpdateAPIView):
    permission_required = {"*": "market.view_offer", "PUT": "market.change_offer", "PATCH": "market.change_offer"}
    queryset = Offer.objects.prefetch_related("neighbourhoods").select_related("organisation", "person")
    audit_reason = "offerta (API)"

    def audited(self, offer):
        return offer.person_id is not None

    def get_serializer_class(self):
        return OfferChangeSerializer if self.request.method in ("PUT", "PATCH") else OfferSerializer

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.update_offer(
            serializer.instance,
            by=self.request.user,
            neighbourhoods=data.pop("neighbourhoods", None),
            **data,
        )


class OfferStatusSerializer(serializers.Serializer):
    status = choice(Offer.Status.choices)


class OfferStatus(APIView):
    # Reading is refused by method (405); the change is checked against the offer itself.
    permission_required = {"*": "market.list_offers", "POST": "market.change_offer"}

    @extend_schema(request=OfferStatusSerializer, responses={200: OfferSerializer}, summary=_("Cambia lo stato di un'offerta"))
    def post(self, request, pk):
        offer = get_object_or_404(Offer.objects.select_related("organisation", "person"), pk=pk)
        self.check_object_permissions(request, offer)
        serializer = OfferStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            offer = services.set_offer_status(offer, serializer.validated_data["status"], by=request.user)
        except ValidationError as error:
            raise refused(error, "status") from error
        return Response(OfferSerializer(offer).data)


class NeedSerializer(serializers.ModelSerializer):
    urgency = choice(Need.Urgency.choices, default=Need.Urgency.MEDIUM)
    kind = choice(Offer.Kind.choices, required=False, allow_blank=True)
    status = choice(Need.Status.choices, read_only=True)
    text = serializers.CharField(max_length=TEXT_LIMIT, validators=[has_a_few_words], error_messages={"required": FEW_WORDS, "blank": FEW_WORDS})
    person = serializers.IntegerField(source="person_id", required=False, help_text=_("Per operatori: la persona che chiede"))
    days = serializers.IntegerField(min_value=0, max_value=127, default=0)
    slots = serializers.IntegerField(min_value=0, max_value=7, default=0)

    class Meta:
        model = Need
        fields = ["id", "person", "text", "neighbourhood", "urgency", "kind", "days", "slots", "status", "created_at"]
        read_only_fields = ["status", "created_at"]


class NeedList(AuditedList, generics.ListCreateAPIView):
    serializer_class = NeedSerializer
    permission_required = {"*": "market.list_needs", "POST": "market.add_need"}
    audit_reason = "elenco richieste (API)"

    @extend_schema(parameters=FILTERS + [OpenApiParameter("urgency", str)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        return search_needs(
            needs_visible_to(self.request.user),
            q=params.get("q", ""),
            neighbourhood=_neighbourhood_param(self.request),
            urgency=params.get("urgency", "") if params.get("urgency") in Need.Urgency.values else "",
            status=params.get("status", "") if params.get("status") in Need.Status.values else "",
        ).order_by("-created_at", "-pk")

    def perform_create(self, serializer):
        user, data = self.request.user, dict(serializer.validated_data)
        person_id = data.pop("person_id", None)
        if is_citizen(user):
            person = person_for_account(user, data["neighbourhood"])
        else:
            person = get_object_or_404(people_visible_to(user), pk=person_id or 0)
            if not works_in(user, data["neighbourhood"]):
                raise PermissionDenied(_("Puoi registrare richieste solo nei quartieri che ti sono assegnati."))
        serializer.instance = services.record_need(person=person, by=user, **data)


class NeedChangeSerializer(NeedSerializer):
    """What can change in a need: the words, the urgency, the kind and the times; not whose or where."""

    person = serializers.IntegerField(source="person_id", read_only=True)

    class Meta(NeedSerializer.Meta):
        read_only_fields = ["neighbourhood", "status", "created_at"]


class NeedDetail(AuditedRetrieve, generics.RetrieveUpdateAPIView):
    permission_required = {"*": "market.view_need", "PUT": "market.change_need", "PATCH": "market.change_need"}
    queryset = Need.objects.select_related("person", "neighbourhood")
    audit_reason = "richiesta (API)"

    def get_serializer_class(self):
        return NeedChangeSerializer if self.request.method in ("PUT", "PATCH") else NeedSerializer

    def perform_update(self, serializer):
        serializer.instance = services.update_need(serializer.instance, by=self.request.user, **serializer.validated_data)


class NeedStatusSerializer(serializers.Serializer):
    status = choice(Need.Status.choices)


class NeedStatus(APIView):
    # Reading is refused by method (405); the change is checked against the need itself.
    permission_required = {"*": "market.list_offers", "POST": "market.change_need"}

    @extend_schema(request=NeedStatusSerializer, responses={200: NeedSerializer}, summary=_("Cambia lo stato di una richiesta"))
    def post(self, request, pk):
        need = get_object_or_404(Need.objects.select_related("person", "neighbourhood"), pk=pk)
        self.check_object_permissions(request, need)
        serializer = NeedStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            need = services.set_need_status(need, serializer.validated_data["status"], by=request.user)
        except ValidationError as error:
            raise refused(error, "status") from error
        return Response(NeedSerializer(need).data)


class CandidateSerializer(serializers.Serializer):
    offer = OfferSerializer(allow_null=True, help_text=_("L'offerta, per le risposte che sono offerte; null per le altre"))
    kind = choice(Match.Kind.choices, help_text=_("Tipo di risposta: offerta, attività, gruppo o servizio"))
    label = serializers.CharField(help_text=_("Il tipo di risposta, in parole"))
    id = serializers.IntegerField(source="target_id", help_text=_("L'id della risposta nel suo tipo (per proporla)"))
    title = serializers.CharField()
    detail = serializers.CharField(help_text=_("Quando e dove, o chi la offre"))
    score = serializers.FloatField()
    parts = serializers.DictField(child=serializers.FloatField())
    reasons = serializers.ListField(child=serializers.CharField())
    explanation = serializers.CharField(help_text=_("Perché questa offerta, in una riga"))


class NeedCandidates(APIView):
    permission_required = "market.broker"

    @extend_schema(
        responses={200: CandidateSerializer(many=True)},
        summary=_("Risposte candidate per una richiesta (offerte, attività, gruppi, servizi), in ordine"),
    )
    def get(self, request, pk):
        need = get_object_or_404(Need.objects.select_related("neighbourhood"), pk=pk)
        self.check_object_permissions(request, need)
        audit.record_read(request, need, reason="candidati (API)")
        candidates = ranked_answers(need, for_user=request.user)
        personal = [c.offer.pk for c in candidates if c.offer is not None and c.offer.person_id]
        if personal:
            audit.record_page(request, Offer, personal, "offerte proposte per una richiesta (API)")
        return Response(CandidateSerializer(candidates, many=True).data)


class MatchSerializer(serializers.ModelSerializer):
    # Proposing through the API takes an offer, as before (the other kinds: the need page); a match to an
    # activity, a group or a service reads with no offer.
    offer = serializers.PrimaryKeyRelatedField(queryset=Offer.objects.all(), allow_null=True)
    kind = choice(Match.Kind.choices, read_only=True)
    status = choice(Match.Status.choices, read_only=True)
    need_answer = choice(Match.Answer.choices, read_only=True)
    offer_answer = choice(Match.Answer.choices, read_only=True)

    class Meta:
        model = Match
        fields = [
            "id",
            "need",
            "offer",
            "kind",
            "answer_id",
            "answer_title",
            "status",
            "score",
            "reasons",
            "need_answer",
            "offer_answer",
            "follow_up_on",
            "outcome",
            "proposed_at",
        ]
        read_only_fields = [
            "kind",
            "answer_id",
            "answer_title",
            "status",
            "score",
            "reasons",
            "need_answer",
            "offer_answer",
            "follow_up_on",
            "outcome",
            "proposed_at",
        ]


class MatchList(AuditedList, generics.ListCreateAPIView):
    serializer_class = MatchSerializer
    permission_required = {"*": "market.list_matches", "POST": "market.broker"}
    audit_reason = "elenco abbinamenti (API)"

    def get_queryset(self):
        return matches_visible_to(self.request.user).order_by("-proposed_at", "-pk")

    def perform_create(self, serializer):
        need, offer = serializer.validated_data["need"], serializer.validated_data["offer"]
        if offer is None:
            raise serializers.ValidationError({"offer": [_("Indica l'offerta da proporre.")]})
        if not self.request.user.has_perm("market.broker", need):
            raise PermissionDenied(_("Puoi proporre abbinamenti solo nei quartieri che ti sono assegnati."))
        candidate = next((c for c in ranked_offers(need, limit=50, for_user=self.request.user) if c.offer.pk == offer.pk), None)
        serializer.instance = services.propose_match(
            need=need,
            offer=offer,
            by=self.request.user,
            score=candidate.score if candidate else 0.0,
            reasons=candidate.reasons if candidate else [],
        )


class MatchDetail(AuditedRetrieve, generics.RetrieveAPIView):
    serializer_class = MatchSerializer
    permission_required = "market.view_match"
    audit_reason = "abbinamento (API)"
    queryset = Match.objects.select_related("need", "need__person", "offer", "offer__organisation", "offer__person")


class AnswerSerializer(serializers.Serializer):
    side = choice(Match.Side.choices)
    accept = serializers.BooleanField()


class MatchAnswer(APIView):
    # Reading is refused by method (405); answering is checked against the match itself.
    permission_required = {"*": "market.list_offers", "POST": "market.list_matches"}

    @extend_schema(request=AnswerSerializer, responses={200: MatchSerializer}, summary=_("Una parte accetta o rifiuta"))
    def post(self, request, pk):
        match = get_object_or_404(Match.objects.select_related("need__person", "offer__organisation", "offer__person"), pk=pk)
        if not request.user.has_perm("market.answer_match", match):
            raise PermissionDenied()
        serializer = AnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        match = services.answer_match(match, side=serializer.validated_data["side"], yes=serializer.validated_data["accept"], by=request.user)
        return Response(MatchSerializer(match).data)


class MatchStartSerializer(serializers.Serializer):
    follow_up_on = serializers.DateField(required=False, allow_null=True, help_text=_("Data di verifica"))


class MatchFollowUpSerializer(serializers.Serializer):
    follow_up_on = serializers.DateField(help_text=_("Data di verifica"))


class MatchCompleteSerializer(serializers.Serializer):
    outcome = serializers.CharField(max_length=Match._meta.get_field("outcome").max_length, help_text=_("Esito"))


class MatchCancelSerializer(serializers.Serializer):
    pass


class FeedbackSerializer(serializers.Serializer):
    side = choice(Match.Side.choices)
    text = serializers.CharField(max_length=Match._meta.get_field("need_feedback").max_length)


class MatchAction(APIView):
    """One step of a match's follow-up (as the match page's buttons): checked against the match itself."""

    # Reading is refused by method (405).
    permission_required = {"*": "market.list_offers", "POST": "market.manage_match"}
    serializer_class = None

    def act(self, match, data, user):
        raise NotImplementedError

    def post(self, request, pk):
        match = get_object_or_404(
            Match.objects.select_related("need", "need__person", "offer", "offer__organisation", "offer__person"),
            pk=pk,
        )
        self.check_object_permissions(request, match)
        serializer = self.serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            match = self.act(match, serializer.validated_data, request.user)
        except ValidationError as error:
            raise refused(error) from error
        return Response(MatchSerializer(match).data)


def _match_action(serializer, summary):
    return extend_schema(request=serializer, responses={200: MatchSerializer}, summary=summary)


@_match_action(MatchStartSerializer, _("Avvia un abbinamento accettato"))
class MatchStart(MatchAction):
    serializer_class = MatchStartSerializer

    def act(self, match, data, user):
        return services.start_match(match, by=user, follow_up_on=data.get("follow_up_on"))


@_match_action(MatchFollowUpSerializer, _("Fissa la data di verifica"))
class MatchFollowUp(MatchAction):
    serializer_class = MatchFollowUpSerializer

    def act(self, match, data, user):
        return services.set_follow_up(match, data["follow_up_on"], by=user)


@_match_action(MatchCompleteSerializer, _("Concludi un abbinamento con il suo esito"))
class MatchComplete(MatchAction):
    serializer_class = MatchCompleteSerializer

    def act(self, match, data, user):
        return services.complete_match(match, outcome=data["outcome"], by=user)


@_match_action(MatchCancelSerializer, _("Annulla un abbinamento"))
class MatchCancel(MatchAction):
    serializer_class = MatchCancelSerializer

    def act(self, match, data, user):
        return services.cancel_match(match, by=user)


@_match_action(FeedbackSerializer, _("Una parte lascia un commento"))
class MatchFeedback(MatchAction):
    permission_required = {"*": "market.list_offers", "POST": "market.answer_match"}
    serializer_class = FeedbackSerializer

    def act(self, match, data, user):
        return services.leave_feedback(match, side=data["side"], text=data["text"], by=user)


class ContributionSerializer(serializers.ModelSerializer):
    kind = choice(Contribution.Kind.choices)
    sector = choice(Sector.choices, read_only=True)
    quantity = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0)
    on = serializers.DateField()

    class Meta:
        model = Contribution
        fields = [
            "id",
            "kind",
            "quantity",
            "area_sqm",
            "declared_value",
            "value_eur",
            "person",
            "organisation",
            "sector",
            "neighbourhood",
            "on",
            "match",
            "initiative_id",
            "note",
        ]
        read_only_fields = ["value_eur", "sector"]


class ContributionList(AuditedList, generics.ListCreateAPIView):
    serializer_class = ContributionSerializer
    permission_required = {"*": "market.view_ledger", "POST": "market.add_contribution"}
    audit_reason = "registro dei contributi (API)"

    def audited_ids(self, rows):
        return [contribution.pk for contribution in rows if contribution.person_id]  # an organisation's is not personal

    def get_queryset(self):
        return contributions_visible_to(self.request.user).order_by("-on", "-pk")

    def perform_create(self, serializer):
        serializer.instance = services.record_contribution(by=self.request.user, **serializer.validated_data)


class LedgerTotals(APIView):
    permission_required = "market.view_ledger"

    @extend_schema(
        parameters=[
            OpenApiParameter("by", str, description="sector, neighbourhood, kind (comma separated)"),
            OpenApiParameter("period", str, enum=["month", "quarter", "year"]),
        ],
        responses={
            200: inline_serializer(
                "LedgerRow",
                {
                    "sector": serializers.CharField(required=False),
                    "neighbourhood": serializers.CharField(required=False),
                    "neighbourhood_id": serializers.IntegerField(required=False),
                    "kind": serializers.CharField(required=False),
                    "period": serializers.DateField(required=False),
                    "value_eur": serializers.DecimalField(max_digits=14, decimal_places=2),
                    "hours": serializers.DecimalField(max_digits=14, decimal_places=2),
                    "contributions": serializers.IntegerField(),
                },
                many=True,
            )
        },
        summary=_("Totali del registro delle risorse"),
    )
    def get(self, request):
        by = tuple(k for k in request.query_params.get("by", "sector").split(",") if k in ("sector", "neighbourhood", "kind"))
        period = request.query_params.get("period")
        scope = neighbourhood_scope(request.user)
        rows = ledger_totals(
            city=request.user.city, by=by or ("sector",), period=period if period in ("month", "quarter", "year") else None, neighbourhoods=scope
        )
        return Response([{**row, "value_eur": f"{row['value_eur']:.2f}", "hours": f"{row['hours']:.2f}"} for row in rows])


urlpatterns = [
    path("market/offers/", OfferList.as_view(), name="api-market-offers"),
    path("market/offers/<int:pk>/", OfferDetail.as_view(), name="api-market-offer"),
    path("market/offers/<int:pk>/status/", OfferStatus.as_view(), name="api-market-offer-status"),
    path("market/needs/", NeedList.as_view(), name="api-market-needs"),
    path("market/needs/<int:pk>/", NeedDetail.as_view(), name="api-market-need"),
    path("market/needs/<int:pk>/status/", NeedStatus.as_view(), name="api-market-need-status"),
    path("market/needs/<int:pk>/candidates/", NeedCandidates.as_view(), name="api-market-need-candidates"),
    path("market/matches/", MatchList.as_view(), name="api-market-matches"),
    path("market/matches/<int:pk>/", MatchDetail.as_view(), name="api-market-match"),
    path("market/matches/<int:pk>/answer/", MatchAnswer.as_view(), name="api-market-match-answer"),
    path("market/matches/<int:pk>/start/", MatchStart.as_view(), name="api-market-match-start"),
    path("market/matches/<int:pk>/follow-up/", MatchFollowUp.as_view(), name="api-market-match-follow-up"),
    path("market/matches/<int:pk>/complete/", MatchComplete.as_view(), name="api-market-match-complete"),
    path("market/matches/<int:pk>/cancel/", MatchCancel.as_view(), name="api-market-match-cancel"),
    path("market/matches/<int:pk>/feedback/", MatchFeedback.as_view(), name="api-market-match-feedback"),
    path("market/contributions/", ContributionList.as_view(), name="api-market-contributions"),
    path("market/ledger/", LedgerTotals.as_view(), name="api-market-ledger"),
]
