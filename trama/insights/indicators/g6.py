"""G6 New names for new problems: reach beyond the mandate, themes and those outside the categories."""

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trama.people.models import Person
from trama.themes.models import LIVE, Tag, TextItem, Theme
from trama.themes.queries import inside_a_category

from . import (
    NO_THEMES,
    _all_ids,
    _counts,
    _has_any,
    _in_period,
    _people_sum,
    _per_area,
    _share,
    _sum_over,
    indicator,
    no_data,
)


@indicator(
    "g6_unknown",
    "G6",
    gettext_lazy("Persone sconosciute ai servizi"),
    gettext_lazy("Tra le persone conosciute nel periodo (per cui lo si sa), quota che al primo contatto non era nota ai servizi sociali."),
    "share",
)
def g6_unknown(ctx):
    if not _has_any(ctx, Person, city=ctx.city):
        return no_data(ctx, _("Nessuna persona ancora registrata."))
    return _share(
        ctx,
        _people_sum(ctx, lambda c, known: known is False),
        _people_sum(ctx, lambda c, known: known is not None),
        _("Nessuna persona del periodo con l'informazione sui servizi."),
    )


@indicator(
    "g6_themes",
    "G6",
    gettext_lazy("Temi emergenti con un nome"),
    gettext_lazy(
        "Temi a cui il gruppo di lavoro ha dato un nome e che hanno almeno un testo del periodo (richiesta, "
        "segnalazione, incontro) nel quartiere; un tema presente in più quartieri conta una volta nella città."
    ),
    "count",
)
def g6_themes(ctx):
    if not _has_any(ctx, Tag, theme__city=ctx.city):
        return no_data(ctx, NO_THEMES)
    tags = Tag.objects.filter(theme__city=ctx.city, theme__status=Theme.Status.NAMED, rejected=False, **_in_period(ctx, "item__written_at"))
    return _counts(ctx, _per_area(ctx, tags, "item__neighbourhood", counted="theme"))


@indicator(
    "g6_outside",
    "G6",
    gettext_lazy("Testi fuori dalle categorie tradizionali"),
    gettext_lazy(
        "Tra i testi del periodo con almeno un tema (proposto o con un nome), quota di quelli i cui temi sono tutti "
        "fuori dalle categorie tradizionali: senza alcuna categoria o segnati «fuori dalle categorie»."
    ),
    "share",
)
def g6_outside(ctx):
    if not _has_any(ctx, Tag, theme__city=ctx.city):
        return no_data(ctx, NO_THEMES)
    live = Tag.objects.filter(item=OuterRef("pk"), rejected=False, theme__status__in=LIVE)
    rows = (
        TextItem.objects.filter(city=ctx.city, neighbourhood__in=_all_ids(ctx), **_in_period(ctx, "written_at"))
        .filter(Exists(live))
        .annotate(inside=inside_a_category())
        .values_list("neighbourhood_id")
        .annotate(tagged=Count("pk"), outside=Count("pk", filter=Q(inside=False)))
        .order_by()
    )
    tagged, outside = {}, {}
    for n, count, out in rows:
        tagged[n], outside[n] = count, out
    return _share(ctx, _sum_over(ctx.areas, outside), _sum_over(ctx.areas, tagged), _("Nessun testo con un tema nel periodo."))
