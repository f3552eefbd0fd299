"""What the initiatives' views share."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from ..models import Initiative

PAGE_SIZE = 20
TREND_LABELS = {"up": _("in crescita"), "steady": _("stabile"), "down": _("in calo")}


def error_text(form):
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def initiative_or_404(request, pk):
    return get_object_or_404(
        Initiative.objects.select_related("intervention_object", "place", "lead_worker", "origin_group", "origin_organisation").prefetch_related(
            "neighbourhoods", "themes"
        ),
        pk=pk,
    )


def group_url(group):
    return reverse("collective:group", args=[group.pk])
