"""G1 New resources: the ledger of contributions, and initiatives accompanied to autonomy."""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trama.initiatives.queries import InitiativeStage, has_initiatives, initiatives_become_autonomous, initiatives_by_stage
from trama.market.queries import SECTORS, ContributionKind

from . import (
    NO_INITIATIVES,
    Value,
    _areas,
    _counts,
    _has_any,
    _ledger_by,
    _ledger_indicator,
    _with_breakdown,
    indicator,
    no_data,
)

indicator(
    "g1_value",
    "G1",
    gettext_lazy("Valore delle nuove risorse"),
    gettext_lazy("Valore in euro di tutti i contributi del registro (ore, beni, spazi, denaro) nel periodo, per settore."),
    "eur",
    per_1000=True,
)(_ledger_indicator(lambda row: row["value_eur"]))

indicator(
    "g1_hours",
    "G1",
    gettext_lazy("Ore di tempo donate"),
    gettext_lazy("Ore di tempo registrate come contributi nel periodo, per settore di chi le ha date."),
    "hours",
    per_1000=True,
)(_ledger_indicator(lambda row: row["hours"], ContributionKind.HOURS))

indicator(
    "g1_goods",
    "G1",
    gettext_lazy("Beni donati"),
    gettext_lazy("Valore in euro dei beni donati nel periodo (dichiarato o secondo la tariffa), per settore."),
    "eur",
)(_ledger_indicator(lambda row: row["value_eur"], ContributionKind.GOODS))

indicator(
    "g1_space",
    "G1",
    gettext_lazy("Spazi messi a disposizione"),
    gettext_lazy("Valore in euro delle ore d'uso di spazi nel periodo (superficie per ore per la tariffa), per settore."),
    "eur",
)(_ledger_indicator(lambda row: row["value_eur"], ContributionKind.SPACE_HOURS))

indicator(
    "g1_money",
    "G1",
    gettext_lazy("Denaro donato"),
    gettext_lazy("Euro donati nel periodo, per settore di chi li ha dati."),
    "eur",
)(_ledger_indicator(lambda row: row["value_eur"], ContributionKind.EUROS))


@indicator(
    "g1_non_public",
    "G1",
    gettext_lazy("Quota da fonti non pubbliche"),
    gettext_lazy("Parte del valore dei contributi del periodo data da cittadini, terzo settore e imprese, non dall'ente pubblico."),
    "share",
)
def g1_non_public(ctx):
    values = _ledger_by(ctx, lambda row: row["value_eur"])
    if values is None:
        return no_data(ctx, _("Nessun contributo ancora nel registro delle risorse."))
    public = str(SECTORS.PUBLIC.label)
    out = {}
    for key, value in values.items():
        public_part = dict(value.breakdown).get(public, Decimal(0))
        out[key] = Value(float((value.value - public_part) / value.value)) if value.value else Value(None, _("Nessun contributo nel periodo."))
    return out


@indicator(
    "g1_initiatives",
    "G1",
    gettext_lazy("Iniziative per fase"),
    gettext_lazy(
        "Iniziative registrate alla fine del periodo, per la fase in cui erano allora (dall'idea alla conclusione); "
        "un'iniziativa di più quartieri conta in ciascuno, e una volta sola nella città."
    ),
    "count",
)
def g1_initiatives(ctx):
    if not _has_any(ctx, has_initiatives):
        return no_data(ctx, NO_INITIATIVES)
    totals, stages = initiatives_by_stage(ctx.city, ctx.period.until, _areas(ctx))
    return _with_breakdown(ctx, totals, stages, InitiativeStage.choices)


@indicator(
    "g1_autonomous",
    "G1",
    gettext_lazy("Iniziative arrivate all'autonomia"),
    gettext_lazy(
        "Iniziative accompagnate che nel periodo sono passate alla fase «autonoma»; un'iniziativa di più quartieri "
        "conta in ciascuno, e una volta sola nella città."
    ),
    "count",
)
def g1_autonomous(ctx):
    if not _has_any(ctx, has_initiatives):
        return no_data(ctx, NO_INITIATIVES)
    return _counts(ctx, initiatives_become_autonomous(ctx.city, ctx.period.since, ctx.period.until, _areas(ctx)))
