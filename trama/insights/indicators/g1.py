"""G1 New resources: the ledger of contributions, and initiatives accompanied to autonomy."""

from decimal import Decimal

from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trama.initiatives.models import Initiative, StageTransition
from trama.market.models import Contribution, Sector

from . import (
    NO_INITIATIVES,
    Value,
    _counts,
    _has_any,
    _ledger_by,
    _ledger_indicator,
    _per_area,
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
)(_ledger_indicator(lambda row: row["hours"], Contribution.Kind.HOURS))

indicator(
    "g1_goods",
    "G1",
    gettext_lazy("Beni donati"),
    gettext_lazy("Valore in euro dei beni donati nel periodo (dichiarato o secondo la tariffa), per settore."),
    "eur",
)(_ledger_indicator(lambda row: row["value_eur"], Contribution.Kind.GOODS))

indicator(
    "g1_space",
    "G1",
    gettext_lazy("Spazi messi a disposizione"),
    gettext_lazy("Valore in euro delle ore d'uso di spazi nel periodo (superficie per ore per la tariffa), per settore."),
    "eur",
)(_ledger_indicator(lambda row: row["value_eur"], Contribution.Kind.SPACE_HOURS))

indicator(
    "g1_money",
    "G1",
    gettext_lazy("Denaro donato"),
    gettext_lazy("Euro donati nel periodo, per settore di chi li ha dati."),
    "eur",
)(_ledger_indicator(lambda row: row["value_eur"], Contribution.Kind.EUROS))


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
    public = str(Sector.PUBLIC.label)
    out = {}
    for key, value in values.items():
        public_part = dict(value.breakdown).get(public, Decimal(0))
        out[key] = Value(float((value.value - public_part) / value.value)) if value.value else Value(None, _("Nessun contributo nel periodo."))
    return out


def _stage_at_end(ctx):
    """The stage an initiative was in at the end of the period: the last move before it, or
    else the stage it was created in (the first move's start), or else its stage now."""
    moves = StageTransition.objects.filter(initiative=OuterRef("pk"))
    last = moves.filter(at__lt=ctx.period.until).order_by("-at", "-pk").values("to_stage")[:1]
    first = moves.order_by("at", "pk").values("from_stage")[:1]
    return Coalesce(Subquery(last), Subquery(first), F("stage"))


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
    if not _has_any(ctx, Initiative, city=ctx.city):
        return no_data(ctx, NO_INITIATIVES)
    initiatives = Initiative.objects.filter(city=ctx.city, created_at__lt=ctx.period.until).annotate(stage_then=_stage_at_end(ctx))
    totals = _per_area(ctx, initiatives, "neighbourhoods")
    stages = _per_area(ctx, initiatives, "neighbourhoods", by="stage_then")
    return _with_breakdown(ctx, totals, stages, Initiative.Stage.choices)


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
    if not _has_any(ctx, Initiative, city=ctx.city):
        return no_data(ctx, NO_INITIATIVES)
    reached = Initiative.objects.filter(
        city=ctx.city,
        transitions__to_stage=Initiative.Stage.AUTONOMOUS,
        transitions__at__gte=ctx.period.since,
        transitions__at__lt=ctx.period.until,
    )
    return _counts(ctx, _per_area(ctx, reached, "neighbourhoods"))
