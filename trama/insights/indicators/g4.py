"""G4 From "I" to "we": needs in groups, groups, their meetings and attendance."""

from collections import defaultdict

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trama.collective.models import Decision, Group, Meeting, Membership
from trama.market.models import Need

from . import (
    NO_GROUPS,
    NO_MEETINGS,
    Value,
    _all_ids,
    _counts,
    _during_period,
    _has_any,
    _held_by,
    _in_period,
    _per_area,
    _share,
    _sum_over,
    indicator,
    no_data,
)


@indicator(
    "g4_needs_in_groups",
    "G4",
    gettext_lazy("Richieste portate in un gruppo"),
    gettext_lazy(
        "Tra le richieste registrate nel periodo, quota di quelle la cui persona era, nel periodo, in un gruppo "
        "che si è riunito nel periodo, o che sono nate da una decisione di un incontro."
    ),
    "share",
)
def g4_needs_in_groups(ctx):
    if not _has_any(ctx, Group, city=ctx.city):
        return no_data(ctx, NO_GROUPS)
    in_group = Membership.objects.filter(
        _during_period(ctx, "joined_at", "left_at"),
        person=OuterRef("person"),
        group__meetings__starts_at__gte=ctx.period.since,
        group__meetings__starts_at__lt=_held_by(ctx),
    )
    decided = Decision.objects.filter(need=OuterRef("pk"))
    rows = (
        Need.objects.filter(city=ctx.city, neighbourhood__in=_all_ids(ctx), **_in_period(ctx, "created_at"))
        .annotate(linked=ExpressionWrapper(Q(Exists(in_group)) | Q(Exists(decided)), output_field=BooleanField()))
        .values_list("neighbourhood_id")
        .annotate(total=Count("pk"), linked=Count("pk", filter=Q(linked=True)))
        .order_by()
    )
    totals, linked = {}, {}
    for n, total, count in rows:
        totals[n], linked[n] = total, count
    return _share(ctx, _sum_over(ctx.areas, linked), _sum_over(ctx.areas, totals), _("Nessuna richiesta nel periodo."))


@indicator(
    "g4_groups_formed",
    "G4",
    gettext_lazy("Gruppi nati"),
    gettext_lazy("Gruppi convocati nel periodo, nel quartiere del gruppo."),
    "count",
)
def g4_groups_formed(ctx):
    if not _has_any(ctx, Group, city=ctx.city):
        return no_data(ctx, NO_GROUPS)
    formed = Group.objects.filter(city=ctx.city, **_in_period(ctx, "created_at"))
    return _counts(ctx, _per_area(ctx, formed, "neighbourhood"))


@indicator(
    "g4_groups",
    "G4",
    gettext_lazy("Gruppi attivi"),
    gettext_lazy("Gruppi che si sono riuniti almeno una volta nel periodo, nel quartiere del gruppo."),
    "count",
    per_1000=True,
)
def g4_groups(ctx):
    if not _has_any(ctx, Group, city=ctx.city):
        return no_data(ctx, NO_GROUPS)
    met = Group.objects.filter(city=ctx.city, meetings__starts_at__gte=ctx.period.since, meetings__starts_at__lt=_held_by(ctx))
    return _counts(ctx, _per_area(ctx, met, "neighbourhood"))


@indicator(
    "g4_group_initiatives",
    "G4",
    gettext_lazy("Gruppi diventati iniziative"),
    gettext_lazy("Gruppi che nel periodo sono diventati un'iniziativa, nel quartiere del gruppo."),
    "count",
)
def g4_group_initiatives(ctx):
    if not _has_any(ctx, Group, city=ctx.city):
        return no_data(ctx, NO_GROUPS)
    became = Group.objects.filter(city=ctx.city, status=Group.Status.INITIATIVE, **_in_period(ctx, "status_changed_at"))
    return _counts(ctx, _per_area(ctx, became, "neighbourhood"))


def _meetings_held(ctx):
    return Meeting.objects.filter(city=ctx.city, starts_at__gte=ctx.period.since, starts_at__lt=_held_by(ctx))


@indicator(
    "g4_meetings",
    "G4",
    gettext_lazy("Incontri tenuti"),
    gettext_lazy("Incontri di gruppo, tavoli di quartiere e assemblee tenuti nel periodo, per tipo, nel quartiere dell'incontro."),
    "count",
)
def g4_meetings(ctx):
    if not _has_any(ctx, Meeting, city=ctx.city):
        return no_data(ctx, NO_MEETINGS)
    rows = _meetings_held(ctx).values_list("neighbourhood_id", "kind").annotate(n=Count("pk")).order_by()
    per, kinds = defaultdict(int), defaultdict(lambda: defaultdict(int))
    for n, kind, count in rows:
        per[n] += count
        kinds[kind][n] += count
    totals = _sum_over(ctx.areas, per)
    by_kind = {kind: _sum_over(ctx.areas, kinds[kind]) for kind, _label in Meeting.Kind.choices}
    return {
        area.key: Value(totals[area.key], breakdown=tuple((str(label), by_kind[kind][area.key]) for kind, label in Meeting.Kind.choices))
        for area in ctx.areas
    }


@indicator(
    "g4_attendance",
    "G4",
    gettext_lazy("Presenze agli incontri"),
    gettext_lazy(
        "Presenze agli incontri tenuti nel periodo: per ogni incontro il numero dei presenti contati o, se è più "
        "alto, quello dei presenti con il nome (chi viene a tre incontri conta tre volte)."
    ),
    "people",
    per_1000=True,
)
def g4_attendance(ctx):
    if not _has_any(ctx, Meeting, city=ctx.city):
        return no_data(ctx, NO_MEETINGS)
    named = Meeting.attendees.through.objects.filter(meeting_id=OuterRef("pk")).order_by().values("meeting_id").annotate(n=Count("pk")).values("n")
    rows = (
        _meetings_held(ctx)
        .annotate(named=Coalesce(Subquery(named), 0, output_field=IntegerField()))
        .annotate(present=Greatest(F("named"), Coalesce(F("attendance_count"), 0), output_field=IntegerField()))
        .values_list("neighbourhood_id")
        .annotate(named_total=Sum("named"), present_total=Sum("present"))
        .order_by()
    )
    named_per, present_per = {}, {}
    for n, named_total, present_total in rows:
        named_per[n], present_per[n] = named_total or 0, present_total or 0
    named_sums, present_sums = _sum_over(ctx.areas, named_per), _sum_over(ctx.areas, present_per)
    return {
        area.key: Value(
            present_sums[area.key],
            breakdown=(
                (_("presenti con il nome"), named_sums[area.key]),
                (_("presenti contati senza nome"), present_sums[area.key] - named_sums[area.key]),
            ),
        )
        for area in ctx.areas
    }
