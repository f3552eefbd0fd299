"""G2 Collaborators, not users: people on both sides, antennas and their signals."""

from collections import defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trama.attention.queries import AntennaKind, has_antennas
from trama.market.queries import contributors_per_neighbourhood, has_contributions, people_giving_and_receiving
from trama.people.queries import has_people

from . import (
    Value,
    _active_antennas,
    _all_ids,
    _has_any,
    _share,
    _signals_per_neighbourhood,
    _sum_over,
    indicator,
    no_data,
)


@indicator(
    "g2_collaborators",
    "G2",
    gettext_lazy("Collaboratori attivi"),
    gettext_lazy("Persone e organizzazioni che hanno dato almeno un contributo nel periodo."),
    "count",
    per_1000=True,
)
def g2_collaborators(ctx):
    if not _has_any(ctx, has_contributions):
        return no_data(ctx, _("Nessun contributo ancora nel registro delle risorse."))
    per = contributors_per_neighbourhood(ctx.city, ctx.period.start, ctx.period.end, _all_ids(ctx))
    return {area.key: Value(len(set().union(*(per.get(n, set()) for n in area.ids)))) for area in ctx.areas}


@indicator(
    "g2_two_sided",
    "G2",
    gettext_lazy("Persone che danno e ricevono"),
    gettext_lazy("Tra le persone con almeno un'offerta o una richiesta fino alla fine del periodo, quota di chi ha entrambe."),
    "share",
)
def g2_two_sided(ctx):
    rows = people_giving_and_receiving(ctx.city, ctx.period.until, _all_ids(ctx))
    either = {n: e for n, (e, _b) in rows.items()}
    both = {n: b for n, (_e, b) in rows.items()}
    if not either and not _has_any(ctx, has_people):
        return no_data(ctx, _("Nessuna persona ancora registrata."))
    return _share(ctx, _sum_over(ctx.areas, both), _sum_over(ctx.areas, either), _("Nessuna offerta o richiesta di persone."))


def _antenna_counts(ctx, keep):
    per = defaultdict(lambda: defaultdict(set))
    for pk, kind, n, trained in _active_antennas(ctx):
        if keep(trained):
            per[n][kind].add(pk)
    out = {}
    for area in ctx.areas:
        kinds = defaultdict(set)
        for n in area.ids:
            for kind, pks in per.get(n, {}).items():
                kinds[kind] |= pks
        breakdown = tuple((str(label), len(kinds.get(value, ()))) for value, label in AntennaKind.choices)
        out[area.key] = Value(len(set().union(*kinds.values())), breakdown=breakdown)
    return out


@indicator(
    "g2_antennas",
    "G2",
    gettext_lazy("Antenne attive"),
    gettext_lazy("Antenne attive alla fine del periodo, per tipo (un'antenna che copre più quartieri conta in ciascuno)."),
    "count",
    per_1000=True,
)
def g2_antennas(ctx):
    if not _has_any(ctx, has_antennas):
        return no_data(ctx, _("Nessuna antenna ancora registrata."))
    return _antenna_counts(ctx, lambda trained: True)


@indicator(
    "g2_trained_antennas",
    "G2",
    gettext_lazy("Antenne formate"),
    gettext_lazy("Antenne attive che alla fine del periodo avevano frequentato almeno un incontro di formazione, per tipo."),
    "count",
    per_1000=True,
)
def g2_trained_antennas(ctx):
    if not _has_any(ctx, has_antennas):
        return no_data(ctx, _("Nessuna antenna ancora registrata."))
    return _antenna_counts(ctx, lambda trained: trained)


@indicator(
    "g2_signals_per_antenna",
    "G2",
    gettext_lazy("Segnalazioni per antenna attiva"),
    gettext_lazy("Segnalazioni arrivate nel periodo divise per il numero di antenne attive."),
    "ratio",
)
def g2_signals_per_antenna(ctx):
    if not _has_any(ctx, has_antennas):
        return no_data(ctx, _("Nessuna antenna ancora registrata."))
    antennas = {key: value.value for key, value in _antenna_counts(ctx, lambda trained: True).items()}
    signals = _sum_over(ctx.areas, _signals_per_neighbourhood(ctx))
    return _share(ctx, signals, antennas, _("Nessuna antenna attiva."))
