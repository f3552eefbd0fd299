"""G4 From "I" to "we": needs in groups, groups, their meetings and attendance."""

from collections import defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trama.collective.queries import (
    COMMUNITY_MEETING_KINDS,
    attendance,
    groups_become_initiatives,
    groups_formed,
    groups_met,
    has_groups,
    has_meetings,
    meetings_held,
    needs_in_groups,
)

from . import (
    NO_GROUPS,
    NO_MEETINGS,
    Value,
    _all_ids,
    _areas,
    _counts,
    _has_any,
    _held_by,
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
    if not _has_any(ctx, has_groups):
        return no_data(ctx, NO_GROUPS)
    rows = needs_in_groups(ctx.city, ctx.period.since, ctx.period.until, _held_by(ctx), _all_ids(ctx))
    totals = {n: total for n, (total, _linked) in rows.items()}
    linked = {n: count for n, (_total, count) in rows.items()}
    return _share(ctx, _sum_over(ctx.areas, linked), _sum_over(ctx.areas, totals), _("Nessuna richiesta nel periodo."))


@indicator(
    "g4_groups_formed",
    "G4",
    gettext_lazy("Gruppi nati"),
    gettext_lazy("Gruppi convocati nel periodo, nel quartiere del gruppo."),
    "count",
)
def g4_groups_formed(ctx):
    if not _has_any(ctx, has_groups):
        return no_data(ctx, NO_GROUPS)
    return _counts(ctx, groups_formed(ctx.city, ctx.period.since, ctx.period.until, _areas(ctx)))


@indicator(
    "g4_groups",
    "G4",
    gettext_lazy("Gruppi attivi"),
    gettext_lazy("Gruppi che si sono riuniti almeno una volta nel periodo, nel quartiere del gruppo."),
    "count",
    per_1000=True,
)
def g4_groups(ctx):
    if not _has_any(ctx, has_groups):
        return no_data(ctx, NO_GROUPS)
    return _counts(ctx, groups_met(ctx.city, ctx.period.since, _held_by(ctx), _areas(ctx)))


@indicator(
    "g4_group_initiatives",
    "G4",
    gettext_lazy("Gruppi diventati iniziative"),
    gettext_lazy("Gruppi che nel periodo sono diventati un'iniziativa, nel quartiere del gruppo."),
    "count",
)
def g4_group_initiatives(ctx):
    if not _has_any(ctx, has_groups):
        return no_data(ctx, NO_GROUPS)
    return _counts(ctx, groups_become_initiatives(ctx.city, ctx.period.since, ctx.period.until, _areas(ctx)))


@indicator(
    "g4_meetings",
    "G4",
    gettext_lazy("Incontri tenuti"),
    gettext_lazy("Incontri di gruppo, tavoli di quartiere e assemblee tenuti nel periodo, per tipo, nel quartiere dell'incontro."),
    "count",
)
def g4_meetings(ctx):
    if not _has_any(ctx, has_meetings):
        return no_data(ctx, NO_MEETINGS)
    per, kinds = defaultdict(int), defaultdict(lambda: defaultdict(int))
    for (n, kind), count in meetings_held(ctx.city, ctx.period.since, _held_by(ctx)).items():
        per[n] += count
        kinds[kind][n] += count
    totals = _sum_over(ctx.areas, per)
    by_kind = {kind: _sum_over(ctx.areas, kinds[kind]) for kind, _label in COMMUNITY_MEETING_KINDS}
    return {
        area.key: Value(totals[area.key], breakdown=tuple((str(label), by_kind[kind][area.key]) for kind, label in COMMUNITY_MEETING_KINDS))
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
    if not _has_any(ctx, has_meetings):
        return no_data(ctx, NO_MEETINGS)
    rows = attendance(ctx.city, ctx.period.since, _held_by(ctx))
    named_per = {n: named for n, (named, _present) in rows.items()}
    present_per = {n: present for n, (_named, present) in rows.items()}
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
