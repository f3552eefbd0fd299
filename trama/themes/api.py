"""The themes API: themes, the tags of an item, and discovery runs, with the same rules as the pages."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from trama.access import neighbourhood_scope
from trama.api import refused
from trama.privacy import audit
from trama.territory.queries import city_of

from . import queries, services
from .models import LIVE, DiscoveryRun, Tag, TextItem, Theme
from .rules import RUNS


def _choice_text(choices):
    """A read-only choice as plain text listing its values: Trama's choice sets share names
    ("status") across apps, and spectacular would name every enum after its field."""
    return serializers.CharField(read_only=True, help_text=", ".join(value for value, _label in choices))


class ThemeSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)
    status = _choice_text(Theme.Status.choices)
    size = serializers.SerializerMethodField(help_text=_("Testi del tema; null quando il numero è riservato (da 1 a 9)"))
    categories = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")

    class Meta:
        model = Theme
        fields = [
            "id",
            "label",
            "name",
            "suggested_name",
            "status",
            "description",
            "key_phrases",
            "size",
            "categories",
            "outside_categories",
            "first_seen",
            "last_seen",
            "merged_into",
            "split_from",
            "named_at",
        ]
        read_only_fields = fields

    def get_size(self, theme) -> int | None:
        size = getattr(theme, "size", None)
        if size is None:
            size = queries.items_of(theme).count()
        shown = queries.visible_size(self.context["request"].user, size)
        return int(shown) if shown.isdigit() else None


class ThemeList(generics.ListAPIView):
    """The live themes of the user's city: named first, then candidates."""

    permission_required = "themes.list_themes"
    serializer_class = ThemeSerializer

    def get_queryset(self):
        city = city_of(self.request.user)
        statuses = LIVE
        if self.request.query_params.get("archive") == "1":
            statuses = (Theme.Status.MERGED, Theme.Status.RETIRED)
        return queries.themes_of(city, statuses).prefetch_related("categories") if city else Theme.objects.none()


class ThemeDetail(generics.RetrieveAPIView):
    permission_required = "themes.view_theme"
    serializer_class = ThemeSerializer
    queryset = Theme.objects.prefetch_related("categories")


class TagSerializer(serializers.ModelSerializer):
    theme_label = serializers.CharField(source="theme.label", read_only=True)
    origin = _choice_text(Tag.Origin.choices)

    class Meta:
        model = Tag
        fields = ["theme", "theme_label", "origin", "confidence", "rejected", "created_at"]
        read_only_fields = ["theme_label", "origin", "confidence", "rejected", "created_at"]


class NewTagSerializer(serializers.Serializer):
    theme = serializers.IntegerField(min_value=1, max_value=2**62, help_text=_("Id di un tema attivo della città del testo"))


def _item(view, request, pk):
    item = get_object_or_404(TextItem, pk=pk)
    view.check_object_permissions(request, item)
    return item


class ItemTags(APIView):
    """GET: the item's themes (suggested ones with their confidence, rejected ones marked).
    POST {"theme": id}: a person tags the item (a rejected tag is accepted again)."""

    permission_required = {"GET": "themes.view_item", "POST": "themes.tag_item"}

    @extend_schema(responses=TagSerializer(many=True))
    def get(self, request, pk):
        item = _item(self, request, pk)
        audit.record_read(request, item, reason="API temi di un testo")
        tags = item.tags.select_related("theme").order_by("rejected", "-confidence", "pk")
        return Response(TagSerializer(tags, many=True).data)

    @extend_schema(request=NewTagSerializer, responses=TagSerializer)
    def post(self, request, pk):
        item = _item(self, request, pk)
        incoming = NewTagSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        theme = Theme.objects.filter(pk=incoming.validated_data["theme"], city_id=item.city_id, status__in=LIVE).first()
        if theme is None:
            raise serializers.ValidationError({"theme": [_("Nessun tema attivo con questo id nella città del testo.")]})
        tag = services.add_tag(item, theme, by=request.user)
        return Response(TagSerializer(tag).data, status=status.HTTP_201_CREATED)


class ItemTag(APIView):
    """GET: one tag of an item. DELETE: reject it (kept, so that no later run puts it back)."""

    permission_required = {"GET": "themes.view_item", "DELETE": "themes.tag_item"}

    def _tag(self, request, pk, theme_pk):
        item = _item(self, request, pk)
        return get_object_or_404(Tag.objects.select_related("theme"), item=item, theme_id=theme_pk)

    @extend_schema(responses=TagSerializer)
    def get(self, request, pk, theme_pk):
        tag = self._tag(request, pk, theme_pk)
        audit.record(
            request.user, audit.Action.READ, object_type="themes.textitem", object_id=tag.item_id, reason="API tema di un testo", path=request.path
        )
        return Response(TagSerializer(tag).data)

    @extend_schema(responses=TagSerializer)
    def delete(self, request, pk, theme_pk):
        tag = services.reject_tag(self._tag(request, pk, theme_pk), by=request.user)
        return Response(TagSerializer(tag).data)


class RunSerializer(serializers.ModelSerializer):
    status = _choice_text(DiscoveryRun.Status.choices)
    since = serializers.DateField(required=False, allow_null=True)
    until = serializers.DateField(required=False, allow_null=True)
    requested_themes = serializers.IntegerField(required=False, allow_null=True, min_value=2, max_value=services.MAX_REQUESTED_THEMES)
    seed = serializers.IntegerField(required=False, min_value=0, max_value=2**31 - 1, default=1)

    class Meta:
        model = DiscoveryRun
        fields = ["id", "since", "until", "requested_themes", "seed", "status", "progress", "item_count", "theme_count", "created_at", "finished_at"]
        read_only_fields = ["id", "status", "progress", "item_count", "theme_count", "created_at", "finished_at"]

    def validate_until(self, value):
        if value and value > timezone.localdate():
            raise serializers.ValidationError(_("La data di fine non può essere nel futuro."))
        return value


class RunList(APIView):
    """GET: recent discovery runs (a worker's own). POST: start one over a period (default: the
    last six months); a worker's run reads only their neighbourhoods."""

    permission_required = "themes.run_discovery"

    @extend_schema(responses=RunSerializer(many=True))
    def get(self, request):
        city = city_of(request.user)
        runs = RUNS.visible_to(request.user).filter(city=city) if city else DiscoveryRun.objects.none()
        return Response(RunSerializer(runs[:50], many=True).data)

    @extend_schema(request=RunSerializer, responses={201: RunSerializer})
    def post(self, request):
        incoming = RunSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        city = city_of(request.user)
        if city is None:
            raise serializers.ValidationError(_("Nessuna città configurata."))
        data = incoming.validated_data
        hoods = [] if neighbourhood_scope(request.user) is None else list(request.user.neighbourhoods.all())
        try:
            run = services.start_run(
                city=city,
                by=request.user,
                since=data.get("since"),
                until=data.get("until"),
                requested_themes=data.get("requested_themes"),
                seed=data.get("seed", 1),
                neighbourhoods=hoods,
            )
        except ValidationError as error:
            raise refused(error, field=None) from error
        run.refresh_from_db()
        return Response(RunSerializer(run).data, status=status.HTTP_201_CREATED)


class RunDetail(generics.RetrieveAPIView):
    """A run's status and progress (0-100)."""

    permission_required = "themes.view_run"
    serializer_class = RunSerializer
    queryset = DiscoveryRun.objects.all()


urlpatterns = [
    path("themes/", ThemeList.as_view(), name="api-themes"),
    path("themes/<int:pk>/", ThemeDetail.as_view(), name="api-theme"),
    path("themes/items/<int:pk>/tags/", ItemTags.as_view(), name="api-themes-item-tags"),
    path("themes/items/<int:pk>/tags/<int:theme_pk>/", ItemTag.as_view(), name="api-themes-item-tag"),
    path("themes/runs/", RunList.as_view(), name="api-themes-runs"),
    path("themes/runs/<int:pk>/", RunDetail.as_view(), name="api-themes-run"),
]
