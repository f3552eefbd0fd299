"""G6 New names for new problems: reach beyond the mandate, themes and those outside the categories."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trama.market.queries import has_requests, requests_recorded_per_neighbourhood
from trama.people.queries import has_people
from trama.themes.queries import has_tags, named_themes, texts_outside_categories

from . import (
    NO_THEMES,
    Value,
    _all_ids,
    _areas,
    _counts,
    _has_any,
    _people_sum,
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
    if not _has_any(ctx, has_people):
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
    if not _has_any(ctx, has_tags):
        return no_data(ctx, NO_THEMES)
    return _counts(ctx, named_themes(ctx.city, ctx.period.since, ctx.period.until, _areas(ctx)))


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
    if not _has_any(ctx, has_tags):
        return no_data(ctx, NO_THEMES)
    rows = texts_outside_categories(ctx.city, ctx.period.since, ctx.period.until, _all_ids(ctx))
    tagged = {n: count for n, (count, _out) in rows.items()}
    outside = {n: out for n, (_count, out) in rows.items()}
    return _share(ctx, _sum_over(ctx.areas, outside), _sum_over(ctx.areas, tagged), _("Nessun testo con un tema nel periodo."))


@indicator(
    "g6_requests_on_paper",
    "G6",
    gettext_lazy("Richieste e offerte su carta, al telefono o di persona"),
    gettext_lazy(
        "Richieste e offerte di persone arrivate nel periodo con una cartolina o un modulo di carta, una telefonata o di "
        "persona, registrate da un operatore per conto di chi non usa il sito."
    ),
    "count",
)
def g6_requests_on_paper(ctx):
    if not _has_any(ctx, has_requests):
        return no_data(ctx, _("Nessuna richiesta o offerta ancora."))
    per = ctx.once("requests_recorded", lambda: requests_recorded_per_neighbourhood(ctx.city, ctx.period.since, ctx.period.until))
    return {key: Value(n) for key, n in _sum_over(ctx.areas, per).items()}
