"""The collective API (read-only): groups, meetings and suggestions, under the same rules as the pages.

Public meetings are readable without an account and show no personal data (title, when,
where, kind, agenda). Who is behind a suggestion is given only to the workers of its
neighbourhood, and each such read is audited.
"""

from datetime import datetime, time

from django.db.models import Q, prefetch_related_objects
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.exceptions import NotAuthenticated, PermissionDenied, ValidationError
from rest_framework.response import Response

from trama.people.rules import PEOPLE
from trama.privacy import audit

from . import ical, queries
from .models import Decision, Group, Meeting, Suggestion
from .rules import SUGGESTION_PEOPLE


class GroupSerializer(serializers.ModelSerializer):
    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Group
        fields = ["id", "name", "purpose", "neighbourhood", "status", "created_at", "member_count"]


class MemberSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="person_id")
    display_name = serializers.CharField(source="person.display_name")
    joined_at = serializers.DateTimeField()


class GroupDetailSerializer(GroupSerializer):
    members = serializers.SerializerMethodField()

    class Meta(GroupSerializer.Meta):
        fields = GroupSerializer.Meta.fields + ["themes", "suggestion", "closing_note", "members"]

    @extend_schema_field(MemberSerializer(many=True, allow_null=True))
    def get_members(self, group):
        members = self.context.get("members")
        return MemberSerializer(members, many=True).data if members is not None else None


class PublicMeetingSerializer(serializers.ModelSerializer):
    """What anyone may read of a meeting: no names, no minutes."""

    where = serializers.SerializerMethodField()
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "kind", "kind_label", "title", "starts_at", "ends_at", "neighbourhood", "where", "is_public", "agenda"]

    def get_where(self, meeting) -> str:
        return ical.where(meeting)


class DecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Decision
        fields = ["id", "text", "owner", "owner_name", "due_date", "done_at", "need", "offer"]


class MeetingSerializer(PublicMeetingSerializer):
    """A meeting as staff in scope read it: attendance, minutes and decisions."""

    decisions = DecisionSerializer(many=True, read_only=True)

    class Meta(PublicMeetingSerializer.Meta):
        fields = PublicMeetingSerializer.Meta.fields + ["group", "place", "attendance_count", "attendees", "minutes", "decisions"]


class SuggestionPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()


class SuggestionSerializer(serializers.ModelSerializer):
    people = serializers.SerializerMethodField()

    class Meta:
        model = Suggestion
        fields = ["id", "neighbourhood", "theme", "size", "purpose", "key_phrases", "status", "created_at", "people"]

    def get_people(self, suggestion) -> list[dict] | None:
        visible = self.context.get("people", {}).get(suggestion.pk)
        return SuggestionPersonSerializer(visible, many=True).data if visible is not None else None


class GroupList(generics.ListAPIView):
    """Workers: their neighbourhoods' groups; coordinators: the city's; citizens: their own."""

    permission_required = "collective.list_groups"
    serializer_class = GroupSerializer

    def get_queryset(self):
        status = self.request.query_params.get("status", "")
        if status and status not in Group.Status.values:
            raise ValidationError({"status": "Stato non valido."})
        return queries.group_list(self.request.user, status)

    @extend_schema(parameters=[OpenApiParameter("status", str, description="forming, active, initiative, closed")])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class GroupDetail(generics.RetrieveAPIView):
    """One group; staff in scope also read its members (an audited read)."""

    permission_required = "collective.view_group"
    serializer_class = GroupDetailSerializer

    def get_queryset(self):
        return queries.group_list(self.request.user) if self.request.user.has_perm("collective.list_groups") else Group.objects.none()

    def retrieve(self, request, *args, **kwargs):
        group = self.get_object()
        members = None
        if request.user.has_perm("collective.change_group", group):
            members = list(queries.current_members(group))
            audit.record_read(request, group, reason="membri del gruppo (API)")
        return Response(GroupDetailSerializer(group, context={"request": request, "members": members}).data)


def _parse_day(value, name):
    if not value:
        return None
    try:
        day = datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise ValidationError({name: "Data non valida: usa il formato AAAA-MM-GG."}) from None
    if not 2000 <= day.year <= 2100:
        raise ValidationError({name: "Data non valida: usa il formato AAAA-MM-GG."})
    return timezone.make_aware(datetime.combine(day, time.min))


def _readable_meetings(user):
    """Public meetings of the city, plus those staff may open in full and citizens' own groups' ones."""
    from trama.territory.queries import city_of

    city = city_of(user)
    readable = Q(city=city, is_public=True) if city else Q(is_public=True)
    if user.is_authenticated and user.has_perm("collective.view_calendar"):
        readable |= Q(pk__in=queries.meetings_visible_to(user).values("pk"))
    elif user.is_authenticated:
        readable |= Q(pk__in=queries.meetings_for_citizen(user).values("pk"))
    return Meeting.objects.filter(readable).select_related("neighbourhood", "place").defer("neighbourhood__boundary")


class MeetingList(generics.ListAPIView):
    """Meetings from `since` (default: today) to `until`: public ones for everyone, more for staff and members."""

    permission_required = "collective.read_meetings"
    serializer_class = PublicMeetingSerializer

    def get_queryset(self):
        params = self.request.query_params
        since = _parse_day(params.get("since"), "since") or timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
        until = _parse_day(params.get("until"), "until")
        meetings = _readable_meetings(self.request.user).filter(starts_at__gte=since)
        if until:
            meetings = meetings.filter(starts_at__lt=until)
        return meetings.order_by("starts_at", "pk")

    @extend_schema(
        parameters=[
            OpenApiParameter("since", str, description="AAAA-MM-GG (default: today)"),
            OpenApiParameter("until", str, description="AAAA-MM-GG"),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class MeetingDetail(generics.RetrieveAPIView):
    """A public meeting for anyone; staff in scope read attendance, minutes and decisions."""

    permission_required = "collective.read_meetings"
    serializer_class = MeetingSerializer
    queryset = Meeting.objects.select_related("neighbourhood", "place", "group").defer("neighbourhood__boundary")

    def retrieve(self, request, *args, **kwargs):
        meeting = self.get_object()
        user = request.user
        if user.has_perm("collective.view_meeting", meeting):
            meeting = Meeting.objects.prefetch_related("decisions", "attendees").select_related("neighbourhood", "place").get(pk=meeting.pk)
            if meeting.attendees.exists():
                audit.record_read(request, meeting, reason="presenze dell'incontro (API)")
            return Response(MeetingSerializer(meeting).data)
        if meeting.is_public or _readable_meetings(user).filter(pk=meeting.pk).exists():
            return Response(PublicMeetingSerializer(meeting).data)
        raise NotAuthenticated() if not user.is_authenticated else PermissionDenied()


class SuggestionList(generics.ListAPIView):
    """Open suggestions (or `status`) for staff; `people` is given only to the workers of the neighbourhood."""

    permission_required = "collective.list_suggestions"
    serializer_class = SuggestionSerializer

    def get_queryset(self):
        status = self.request.query_params.get("status", Suggestion.Status.OPEN)
        if status not in Suggestion.Status.values:
            raise ValidationError({"status": "Stato non valido."})
        return queries.suggestions_visible_to(self.request.user, status)

    @extend_schema(parameters=[OpenApiParameter("status", str, description="open (default), dismissed, convened")])
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        shown = SUGGESTION_PEOPLE.allowed_among(request.user, page)
        prefetch_related_objects(shown, "people")  # only where they may be given: nobody else's are loaded
        everyone = [p for suggestion in shown for p in suggestion.people.all() if p.anonymised_at is None]
        visible = {p.pk for p in PEOPLE.allowed_among(request.user, everyone)}
        people = {
            suggestion.pk: [{"id": p.pk, "display_name": p.display_name} for p in suggestion.people.all() if p.pk in visible] for suggestion in shown
        }
        # One entry per page read: the suggestions whose people were given.
        audit.record_page(request, Suggestion, list(people), "persone delle proposte (API)")
        data = SuggestionSerializer(page, many=True, context={"request": request, "people": people}).data
        return self.get_paginated_response(data)


urlpatterns = [
    path("collective/groups/", GroupList.as_view(), name="api-collective-groups"),
    path("collective/groups/<int:pk>/", GroupDetail.as_view(), name="api-collective-group"),
    path("collective/meetings/", MeetingList.as_view(), name="api-collective-meetings"),
    path("collective/meetings/<int:pk>/", MeetingDetail.as_view(), name="api-collective-meeting"),
    path("collective/suggestions/", SuggestionList.as_view(), name="api-collective-suggestions"),
]
