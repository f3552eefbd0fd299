"""The programme's indicators: one registry, each goal of DESIGN.md §1 measured per area and period.

An indicator is computed for several *areas* at once (a neighbourhood, the pilot
neighbourhoods one by one, the rest of the city...) with aggregate queries, so a page
costs a fixed number of queries whatever the number of records. When its source holds
no record yet it says so: a value of None with the reason, never a misleading zero.
The figures are stored and kept fresh by `figures.py`; this module only computes them.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trama.attention.models import Antenna, Attendance, Signal
from trama.attention.queries import signal_metrics
from trama.collective.models import Decision, Group, Meeting, Membership
from trama.formats import euro
from trama.initiatives.models import Initiative, InterventionObject, Participation, StageTransition
from trama.market.models import Contribution, Need, Offer, Sector
from trama.people.models import Person
from trama.themes.models import LIVE, Tag, TextItem, Theme
from trama.themes.queries import inside_a_category

GOALS = {
    "G1": gettext_lazy("Nuove risorse"),
    "G2": gettext_lazy("Collaboratori, non utenti"),
    "G3": gettext_lazy("Andare verso"),
    "G4": gettext_lazy("Dall'io al noi"),
    "G5": gettext_lazy("Oggetti di intervento"),
    "G6": gettext_lazy("Nomi nuovi per problemi nuovi"),
}

UNITS = {
    "count": gettext_lazy("numero"),
    "people": gettext_lazy("persone"),
    "hours": gettext_lazy("ore"),
    "eur": gettext_lazy("euro"),
    "share": gettext_lazy("percentuale"),
    "days": gettext_lazy("giorni"),
    "ratio": gettext_lazy("segnalazioni per antenna"),
}


@dataclass(frozen=True)
class Area:
    """Where an indicator is computed: one neighbourhood or the union of several."""

    key: str
    label: str
    ids: frozenset
    population: int | None = None
    is_pilot: bool = False


@dataclass(frozen=True)
class Value:
    value: object = None  # int, Decimal or float; None when there is no data
    reason: str = ""  # why there is no value
    per_1000: float | None = None
    breakdown: tuple = ()  # (label, number) pairs, e.g. by sector

    @property
    def has_data(self):
        return self.value is not None


@dataclass
class Context:
    """What an evaluation shares between indicators: city, period and the rows already read."""

    city: object
    period: object
    areas: list
    memo: dict = field(default_factory=dict)

    def once(self, key, compute):
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]


@dataclass(frozen=True)
class Indicator:
    key: str
    goal: str
    name: str
    definition: str
    unit: str
    compute: object  # function(Context) -> {area key: Value}
    per_1000: bool = False

    @property
    def unit_label(self):
        return UNITS[self.unit]

    def plotted(self, value):
        """The number a trend or a map shows of a Value: the rate per 1,000 residents when the indicator
        has one (so that areas of different size compare), a share as a percentage, else the value;
        None without data."""
        if not value.has_data:
            return None
        if self.per_1000:
            return value.per_1000
        number = float(value.value)
        return number * 100 if self.unit == "share" else number

    @property
    def plotted_label(self):
        if self.per_1000:
            return _("per 1.000 residenti")
        return _("percentuale") if self.unit == "share" else str(self.unit_label)

    def display(self, number):
        """The number as people read it, in the active language's format."""
        if number is None:
            return _("nessun dato ancora")
        if self.unit == "share":
            return f"{number_format(round(number * 100, 1), 1)} %"
        if self.unit == "eur":
            return euro(number)
        if self.unit in ("days", "ratio"):
            return number_format(round(number, 1), 1)
        if self.unit == "hours":
            return number_format(Decimal(number).quantize(Decimal("0.1")), 1, force_grouping=True)
        return number_format(number, 0, force_grouping=True)


REGISTRY = {}


def indicator(key, goal, name, definition, unit, per_1000=False):
    def register(compute):
        REGISTRY[key] = Indicator(key, goal, name, definition, unit, compute, per_1000)
        return compute

    return register


def by_goal():
    """The indicators grouped by goal, in the order of DESIGN.md."""
    return [(goal, label, [i for i in REGISTRY.values() if i.goal == goal]) for goal, label in GOALS.items()]


def is_closed(period, today=None):
    """A period is closed once its last day has passed."""
    return period.end <= (today or timezone.localdate())


def in_order():
    """Every indicator, goal by goal."""
    return [item for _goal, _label, items in by_goal() for item in items]


def compute(indicators, city, period, areas):
    """{indicator key: {area key: Value}}, computed now from the records (no stored figures:
    `trama.insights.figures.evaluate` keeps them)."""
    ctx = Context(city, period, areas)
    results = {}
    for item in indicators:
        values = item.compute(ctx)
        if item.per_1000:
            values = {area.key: _with_rate(values[area.key], area.population) for area in areas}
        results[item.key] = values
    return results


def _with_rate(value, population):
    if value.value is None or not population:
        return value
    return Value(value.value, value.reason, float(value.value) * 1000 / population, value.breakdown)


def no_data(ctx, reason):
    return {area.key: Value(None, str(reason)) for area in ctx.areas}


def _sum_over(areas, per_neighbourhood, zero=0):
    return {area.key: sum((per_neighbourhood.get(n, zero) for n in area.ids), zero) for area in areas}


def _share(ctx, numerators, denominators, empty_reason):
    out = {}
    for area in ctx.areas:
        num, den = numerators[area.key], denominators[area.key]
        out[area.key] = Value(num / den) if den else Value(None, empty_reason)
    return out


def _all_ids(ctx):
    return sorted(set().union(*(area.ids for area in ctx.areas))) if ctx.areas else []


# -- sources: read once per evaluation ---------------------------------------------------

def _has_any(ctx, model, **filters):
    return ctx.once(("exists", model._meta.label), lambda: model.objects.filter(**filters).exists())


def _ledger(ctx):
    """The period's ledger by neighbourhood id, kind and sector: [{neighbourhood, kind, sector, value_eur, hours}]
    (one query; grouped by id, not by name, so that two neighbourhoods of a city never merge)."""
    def read():
        rows = (
            Contribution.objects.filter(city=ctx.city, on__gte=ctx.period.start, on__lt=ctx.period.end,
                                        neighbourhood__in=_all_ids(ctx))
            .values("neighbourhood_id", "kind", "sector")
            .annotate(value_eur=Sum("value_eur"), hours=Sum("quantity", filter=Q(kind=Contribution.Kind.HOURS)))
            .order_by()
        )
        return [{"neighbourhood": row["neighbourhood_id"], "kind": row["kind"], "sector": row["sector"],
                 "value_eur": row["value_eur"] or Decimal(0), "hours": row["hours"] or Decimal(0)} for row in rows]

    return ctx.once("ledger", read)


def _ledger_by(ctx, value_of, kind=None):
    """{area: (total, [(sector label, total)])} of one quantity of the ledger, optionally of one kind."""
    if not _has_any(ctx, Contribution, city=ctx.city):
        return None
    per = defaultdict(lambda: defaultdict(Decimal))
    for row in _ledger(ctx):
        if kind is None or row["kind"] == kind:
            per[row["neighbourhood"]][row["sector"]] += value_of(row)
    out = {}
    for area in ctx.areas:
        sectors = defaultdict(Decimal)
        for n in area.ids:
            for sector, amount in per.get(n, {}).items():
                sectors[sector] += amount
        breakdown = tuple((str(label), sectors.get(value, Decimal(0))) for value, label in Sector.choices)
        out[area.key] = Value(sum(sectors.values(), Decimal(0)), breakdown=breakdown)
    return out


def _ledger_indicator(value_of, kind=None):
    def compute(ctx):
        values = _ledger_by(ctx, value_of, kind)
        return values if values is not None else no_data(ctx, _("Nessun contributo ancora nel registro delle risorse."))

    return compute


def _active_antennas(ctx):
    """[(antenna id, kind, neighbourhood id, trained)] of the antennas active by the end of the period."""
    def read():
        trained = Attendance.objects.filter(antenna=OuterRef("pk"), session__starts_at__lt=ctx.period.until)
        return list(
            Antenna.objects.filter(active=True, created_at__lt=ctx.period.until, account__neighbourhoods__in=_all_ids(ctx))
            .annotate(trained=Exists(trained))
            .values_list("pk", "kind", "account__neighbourhoods", "trained")
        )

    return ctx.once("antennas", read)


def _signals_per_neighbourhood(ctx):
    return ctx.once("signals", lambda: dict(
        Signal.objects.filter(city=ctx.city, merged_into__isnull=True, created_at__gte=ctx.period.since,
                              created_at__lt=ctx.period.until)
        .values_list("neighbourhood_id").annotate(n=Count("pk")).order_by()
    ))


def _people_in_period(ctx):
    """{(neighbourhood id, channel, known_to_services): count} of the people first met in the period."""
    def read():
        rows = (
            Person.objects.filter(city=ctx.city, first_contact_at__gte=ctx.period.since, first_contact_at__lt=ctx.period.until)
            .values_list("neighbourhood_id", "first_contact_channel", "known_to_services").annotate(n=Count("pk")).order_by()
        )
        return {(n, channel, known): count for n, channel, known, count in rows}

    return ctx.once("people", read)


def _people_sum(ctx, keep):
    rows = _people_in_period(ctx)
    per = defaultdict(int)
    for (n, channel, known), count in rows.items():
        if keep(channel, known):
            per[n] += count
    return _sum_over(ctx.areas, per)


def _metrics(ctx):
    """attention's signal_metrics for each area (two queries per area)."""
    return ctx.once("signal_metrics", lambda: {
        area.key: signal_metrics(city=ctx.city, neighbourhoods=area.ids, since=ctx.period.since, until=ctx.period.until)
        for area in ctx.areas
    })


# -- G1 New resources ----------------------------------------------------------------------

indicator(
    "g1_value", "G1", gettext_lazy("Valore delle nuove risorse"),
    gettext_lazy("Valore in euro di tutti i contributi del registro (ore, beni, spazi, denaro) nel periodo, per settore."),
    "eur", per_1000=True,
)(_ledger_indicator(lambda row: row["value_eur"]))

indicator(
    "g1_hours", "G1", gettext_lazy("Ore di tempo donate"),
    gettext_lazy("Ore di tempo registrate come contributi nel periodo, per settore di chi le ha date."),
    "hours", per_1000=True,
)(_ledger_indicator(lambda row: row["hours"], Contribution.Kind.HOURS))

indicator(
    "g1_goods", "G1", gettext_lazy("Beni donati"),
    gettext_lazy("Valore in euro dei beni donati nel periodo (dichiarato o secondo la tariffa), per settore."),
    "eur",
)(_ledger_indicator(lambda row: row["value_eur"], Contribution.Kind.GOODS))

indicator(
    "g1_space", "G1", gettext_lazy("Spazi messi a disposizione"),
    gettext_lazy("Valore in euro delle ore d'uso di spazi nel periodo (superficie per ore per la tariffa), per settore."),
    "eur",
)(_ledger_indicator(lambda row: row["value_eur"], Contribution.Kind.SPACE_HOURS))

indicator(
    "g1_money", "G1", gettext_lazy("Denaro donato"),
    gettext_lazy("Euro donati nel periodo, per settore di chi li ha dati."),
    "eur",
)(_ledger_indicator(lambda row: row["value_eur"], Contribution.Kind.EUROS))


@indicator(
    "g1_non_public", "G1", gettext_lazy("Quota da fonti non pubbliche"),
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
        out[key] = Value(float((value.value - public_part) / value.value)) if value.value else Value(
            None, _("Nessun contributo nel periodo."))
    return out


# -- G2 Collaborators, not users ---------------------------------------------------------

@indicator(
    "g2_collaborators", "G2", gettext_lazy("Collaboratori attivi"),
    gettext_lazy("Persone e organizzazioni che hanno dato almeno un contributo nel periodo."),
    "count", per_1000=True,
)
def g2_collaborators(ctx):
    if not _has_any(ctx, Contribution, city=ctx.city):
        return no_data(ctx, _("Nessun contributo ancora nel registro delle risorse."))
    givers = (
        Contribution.objects.filter(city=ctx.city, on__gte=ctx.period.start, on__lt=ctx.period.end, neighbourhood__in=_all_ids(ctx))
        .values_list("neighbourhood_id", "person_id", "organisation_id").distinct()
    )
    per = defaultdict(set)
    for n, person, organisation in givers:
        if person or organisation:  # a contributor since erased is no longer anyone to count
            per[n].add(("p", person) if person else ("o", organisation))
    return {area.key: Value(len(set().union(*(per.get(n, set()) for n in area.ids)))) for area in ctx.areas}


@indicator(
    "g2_two_sided", "G2", gettext_lazy("Persone che danno e ricevono"),
    gettext_lazy("Tra le persone con almeno un'offerta o una richiesta fino alla fine del periodo, quota di chi ha entrambe."),
    "share",
)
def g2_two_sided(ctx):
    until = ctx.period.until
    offers = Offer.objects.filter(person=OuterRef("pk"), created_at__lt=until)
    needs = Need.objects.filter(person=OuterRef("pk"), created_at__lt=until)
    rows = (
        Person.objects.filter(city=ctx.city, neighbourhood__in=_all_ids(ctx))
        .annotate(gives=Exists(offers), receives=Exists(needs))
        .filter(Q(gives=True) | Q(receives=True))
        .values_list("neighbourhood_id").annotate(either=Count("pk"), both=Count("pk", filter=Q(gives=True, receives=True)))
        .order_by()
    )
    either, both = {}, {}
    for n, e, b in rows:
        either[n], both[n] = e, b
    if not either and not _has_any(ctx, Person, city=ctx.city):
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
        breakdown = tuple((str(label), len(kinds.get(value, ()))) for value, label in Antenna.Kind.choices)
        out[area.key] = Value(len(set().union(*kinds.values())), breakdown=breakdown)
    return out


@indicator(
    "g2_antennas", "G2", gettext_lazy("Antenne attive"),
    gettext_lazy("Antenne attive alla fine del periodo, per tipo (un'antenna che copre più quartieri conta in ciascuno)."),
    "count", per_1000=True,
)
def g2_antennas(ctx):
    if not _has_any(ctx, Antenna, account__city=ctx.city):
        return no_data(ctx, _("Nessuna antenna ancora registrata."))
    return _antenna_counts(ctx, lambda trained: True)


@indicator(
    "g2_trained_antennas", "G2", gettext_lazy("Antenne formate"),
    gettext_lazy("Antenne attive che alla fine del periodo avevano frequentato almeno un incontro di formazione, per tipo."),
    "count", per_1000=True,
)
def g2_trained_antennas(ctx):
    if not _has_any(ctx, Antenna, account__city=ctx.city):
        return no_data(ctx, _("Nessuna antenna ancora registrata."))
    return _antenna_counts(ctx, lambda trained: trained)


@indicator(
    "g2_signals_per_antenna", "G2", gettext_lazy("Segnalazioni per antenna attiva"),
    gettext_lazy("Segnalazioni arrivate nel periodo divise per il numero di antenne attive."),
    "ratio",
)
def g2_signals_per_antenna(ctx):
    if not _has_any(ctx, Antenna, account__city=ctx.city):
        return no_data(ctx, _("Nessuna antenna ancora registrata."))
    antennas = {key: value.value for key, value in _antenna_counts(ctx, lambda trained: True).items()}
    signals = _sum_over(ctx.areas, _signals_per_neighbourhood(ctx))
    return _share(ctx, signals, antennas, _("Nessuna antenna attiva."))


# -- G3 Going towards -------------------------------------------------------------------

PROACTIVE = {Person.Channel.ANTENNA, Person.Channel.OUTREACH}


def _people_indicator(keep):
    def compute(ctx):
        if not _has_any(ctx, Person, city=ctx.city):
            return no_data(ctx, _("Nessuna persona ancora registrata."))
        return {key: Value(n) for key, n in _people_sum(ctx, keep).items()}

    return compute


indicator(
    "g3_reached", "G3", gettext_lazy("Persone raggiunte dalla rete"),
    gettext_lazy("Persone conosciute nel periodo grazie a una segnalazione di un'antenna o a un'uscita."),
    "people", per_1000=True,
)(_people_indicator(lambda channel, known: channel in PROACTIVE))

indicator(
    "g3_self_referred", "G3", gettext_lazy("Persone arrivate da sé"),
    gettext_lazy("Persone conosciute nel periodo che si sono presentate da sé."),
    "people", per_1000=True,
)(_people_indicator(lambda channel, known: channel == Person.Channel.SELF))


@indicator(
    "g3_share_reached", "G3", gettext_lazy("Quota raggiunta andando verso"),
    gettext_lazy("Tra le persone conosciute nel periodo, quota raggiunta da antenne e uscite invece che presentatasi da sé."),
    "share",
)
def g3_share_reached(ctx):
    if not _has_any(ctx, Person, city=ctx.city):
        return no_data(ctx, _("Nessuna persona ancora registrata."))
    return _share(ctx, _people_sum(ctx, lambda c, k: c in PROACTIVE), _people_sum(ctx, lambda c, k: True),
                  _("Nessuna persona conosciuta nel periodo."))


@indicator(
    "g3_days_to_contact", "G3", gettext_lazy("Giorni dalla segnalazione al primo contatto"),
    gettext_lazy("Mediana dei giorni tra l'arrivo di una segnalazione del periodo e il primo contatto con la persona."),
    "days",
)
def g3_days_to_contact(ctx):
    if not _has_any(ctx, Signal, city=ctx.city):
        return no_data(ctx, _("Nessuna segnalazione ancora."))
    out = {}
    for key, metrics in _metrics(ctx).items():
        wait = metrics["median_to_first_contact"]
        out[key] = Value(wait.total_seconds() / 86400) if wait is not None else Value(
            None, _("Nessuna segnalazione del periodo ha portato a un contatto."))
    return out


@indicator(
    "g3_taken_up", "G3", gettext_lazy("Segnalazioni prese in carico"),
    gettext_lazy("Quota delle segnalazioni del periodo prese in carico da un operatore (uscita, persona già conosciuta o contatto)."),
    "share",
)
def g3_taken_up(ctx):
    if not _has_any(ctx, Signal, city=ctx.city):
        return no_data(ctx, _("Nessuna segnalazione ancora."))
    out = {}
    for key, metrics in _metrics(ctx).items():
        share = metrics["share_taken_up"]
        out[key] = Value(share) if share is not None else Value(None, _("Nessuna segnalazione nel periodo."))
    return out


# -- the collective and the initiatives: counted per area in one query ----------------------

def _per_area(ctx, queryset, path, counted="pk", by=None):
    """{group: {area key: n}}, in one query: for each area, the distinct `counted` among the rows
    whose neighbourhood (reached through `path`) is one of the area's. A record with several
    neighbourhoods counts once in each of them, and once in an area that holds several.
    Without `by` there is one group, None."""
    columns = {f"a{i}": Count(counted, distinct=True, filter=Q(**{f"{path}__in": sorted(area.ids)}))
               for i, area in enumerate(ctx.areas) if area.ids}
    if not columns:
        return {}
    rows = queryset.values(by).annotate(**columns).order_by() if by else [queryset.aggregate(**columns)]
    return {row[by] if by else None: {area.key: row.get(f"a{i}", 0) for i, area in enumerate(ctx.areas)} for row in rows}


def _counts(ctx, groups):
    """{area key: Value} from _per_area's single group."""
    counts = groups.get(None, {})
    return {area.key: Value(counts.get(area.key, 0)) for area in ctx.areas}


def _with_breakdown(ctx, totals, groups, labels):
    """{area key: Value(total, breakdown)}: `labels` is [(group value, label)] in the order to show."""
    return {
        area.key: Value(totals[None][area.key] if None in totals else 0,
                        breakdown=tuple((str(label), groups.get(value, {}).get(area.key, 0)) for value, label in labels))
        for area in ctx.areas
    }


def _in_period(ctx, field):
    return {f"{field}__gte": ctx.period.since, f"{field}__lt": ctx.period.until}


def _during_period(ctx, start, end):
    """Rows that began before the period ended and had not ended before it began."""
    return Q(**{f"{start}__lt": ctx.period.until}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": ctx.period.since}))


def _held_by(ctx):
    """The end of the period, or now if the period is not over: a meeting after it was not held yet."""
    return min(ctx.period.until, timezone.now())


NO_INITIATIVES = gettext_lazy("Nessuna iniziativa ancora registrata.")
NO_GROUPS = gettext_lazy("Nessun gruppo ancora registrato.")
NO_MEETINGS = gettext_lazy("Nessun incontro ancora registrato.")
NO_PARTICIPANTS = gettext_lazy("Nessuna partecipazione alle iniziative ancora registrata.")
NO_THEMES = gettext_lazy("Nessun tema ancora: la ricerca dei temi non è stata fatta o non ha ancora etichettato testi.")


# -- G1 New resources: initiatives ------------------------------------------------------

def _stage_at_end(ctx):
    """The stage an initiative was in at the end of the period: the last move before it, or
    else the stage it was created in (the first move's start), or else its stage now."""
    moves = StageTransition.objects.filter(initiative=OuterRef("pk"))
    last = moves.filter(at__lt=ctx.period.until).order_by("-at", "-pk").values("to_stage")[:1]
    first = moves.order_by("at", "pk").values("from_stage")[:1]
    return Coalesce(Subquery(last), Subquery(first), F("stage"))


@indicator(
    "g1_initiatives", "G1", gettext_lazy("Iniziative per fase"),
    gettext_lazy("Iniziative registrate alla fine del periodo, per la fase in cui erano allora (dall'idea alla conclusione); "
                 "un'iniziativa di più quartieri conta in ciascuno, e una volta sola nella città."),
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
    "g1_autonomous", "G1", gettext_lazy("Iniziative arrivate all'autonomia"),
    gettext_lazy("Iniziative accompagnate che nel periodo sono passate alla fase «autonoma»; un'iniziativa di più quartieri "
                 "conta in ciascuno, e una volta sola nella città."),
    "count",
)
def g1_autonomous(ctx):
    if not _has_any(ctx, Initiative, city=ctx.city):
        return no_data(ctx, NO_INITIATIVES)
    reached = Initiative.objects.filter(
        city=ctx.city, transitions__to_stage=Initiative.Stage.AUTONOMOUS,
        transitions__at__gte=ctx.period.since, transitions__at__lt=ctx.period.until,
    )
    return _counts(ctx, _per_area(ctx, reached, "neighbourhoods"))


# -- G4 From "I" to "we" -----------------------------------------------------------------------

@indicator(
    "g4_needs_in_groups", "G4", gettext_lazy("Richieste portate in un gruppo"),
    gettext_lazy("Tra le richieste registrate nel periodo, quota di quelle la cui persona era, nel periodo, in un gruppo "
                 "che si è riunito nel periodo, o che sono nate da una decisione di un incontro."),
    "share",
)
def g4_needs_in_groups(ctx):
    if not _has_any(ctx, Group, city=ctx.city):
        return no_data(ctx, NO_GROUPS)
    in_group = Membership.objects.filter(
        _during_period(ctx, "joined_at", "left_at"), person=OuterRef("person"),
        group__meetings__starts_at__gte=ctx.period.since, group__meetings__starts_at__lt=_held_by(ctx),
    )
    decided = Decision.objects.filter(need=OuterRef("pk"))
    rows = (
        Need.objects.filter(city=ctx.city, neighbourhood__in=_all_ids(ctx), **_in_period(ctx, "created_at"))
        .annotate(linked=ExpressionWrapper(Q(Exists(in_group)) | Q(Exists(decided)), output_field=BooleanField()))
        .values_list("neighbourhood_id").annotate(total=Count("pk"), linked=Count("pk", filter=Q(linked=True))).order_by()
    )
    totals, linked = {}, {}
    for n, total, count in rows:
        totals[n], linked[n] = total, count
    return _share(ctx, _sum_over(ctx.areas, linked), _sum_over(ctx.areas, totals), _("Nessuna richiesta nel periodo."))


@indicator(
    "g4_groups_formed", "G4", gettext_lazy("Gruppi nati"),
    gettext_lazy("Gruppi convocati nel periodo, nel quartiere del gruppo."),
    "count",
)
def g4_groups_formed(ctx):
    if not _has_any(ctx, Group, city=ctx.city):
        return no_data(ctx, NO_GROUPS)
    formed = Group.objects.filter(city=ctx.city, **_in_period(ctx, "created_at"))
    return _counts(ctx, _per_area(ctx, formed, "neighbourhood"))


@indicator(
    "g4_groups", "G4", gettext_lazy("Gruppi attivi"),
    gettext_lazy("Gruppi che si sono riuniti almeno una volta nel periodo, nel quartiere del gruppo."),
    "count", per_1000=True,
)
def g4_groups(ctx):
    if not _has_any(ctx, Group, city=ctx.city):
        return no_data(ctx, NO_GROUPS)
    met = Group.objects.filter(city=ctx.city, meetings__starts_at__gte=ctx.period.since, meetings__starts_at__lt=_held_by(ctx))
    return _counts(ctx, _per_area(ctx, met, "neighbourhood"))


@indicator(
    "g4_group_initiatives", "G4", gettext_lazy("Gruppi diventati iniziative"),
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
    "g4_meetings", "G4", gettext_lazy("Incontri tenuti"),
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
    return {area.key: Value(totals[area.key], breakdown=tuple(
        (str(label), by_kind[kind][area.key]) for kind, label in Meeting.Kind.choices)) for area in ctx.areas}


@indicator(
    "g4_attendance", "G4", gettext_lazy("Presenze agli incontri"),
    gettext_lazy("Presenze agli incontri tenuti nel periodo: per ogni incontro il numero dei presenti contati o, se è più "
                 "alto, quello dei presenti con il nome (chi viene a tre incontri conta tre volte)."),
    "people", per_1000=True,
)
def g4_attendance(ctx):
    if not _has_any(ctx, Meeting, city=ctx.city):
        return no_data(ctx, NO_MEETINGS)
    named = (Meeting.attendees.through.objects.filter(meeting_id=OuterRef("pk")).order_by()
             .values("meeting_id").annotate(n=Count("pk")).values("n"))
    rows = (
        _meetings_held(ctx).annotate(named=Coalesce(Subquery(named), 0, output_field=IntegerField()))
        .annotate(present=Greatest(F("named"), Coalesce(F("attendance_count"), 0), output_field=IntegerField()))
        .values_list("neighbourhood_id").annotate(named_total=Sum("named"), present_total=Sum("present")).order_by()
    )
    named_per, present_per = {}, {}
    for n, named_total, present_total in rows:
        named_per[n], present_per[n] = named_total or 0, present_total or 0
    named_sums, present_sums = _sum_over(ctx.areas, named_per), _sum_over(ctx.areas, present_per)
    return {area.key: Value(present_sums[area.key], breakdown=(
        (_("presenti con il nome"), named_sums[area.key]),
        (_("presenti contati senza nome"), present_sums[area.key] - named_sums[area.key]),
    )) for area in ctx.areas}


# -- G5 Objects of intervention ----------------------------------------------------------------

def _objects(ctx):
    """[(intervention object id, name)] of the city, with None for initiatives without one (one query)."""
    def read():
        objects = list(InterventionObject.objects.filter(city=ctx.city).order_by("name", "pk").values_list("pk", "name"))
        return objects + [(None, _("senza oggetto di intervento"))]

    return ctx.once("objects", read)


def _participants(ctx, participations):
    """Distinct people per area in total and by intervention object, through the initiatives' neighbourhoods."""
    path = "initiative__neighbourhoods"
    totals = _per_area(ctx, participations, path, counted="person")
    by_object = _per_area(ctx, participations, path, counted="person", by="initiative__intervention_object")
    return _with_breakdown(ctx, totals, by_object, _objects(ctx))


@indicator(
    "g5_participants", "G5", gettext_lazy("Partecipanti agli oggetti di intervento"),
    gettext_lazy("Persone che nel periodo hanno partecipato ad almeno un'iniziativa, per oggetto di intervento (chi partecipa "
                 "a più oggetti conta una volta nel totale e in ciascuno nel dettaglio); nei quartieri dell'iniziativa."),
    "people", per_1000=True,
)
def g5_participants(ctx):
    if not _has_any(ctx, Participation, initiative__city=ctx.city):
        return no_data(ctx, NO_PARTICIPANTS)
    taking_part = Participation.objects.filter(_during_period(ctx, "joined_at", "left_at"), initiative__city=ctx.city)
    return _participants(ctx, taking_part)


@indicator(
    "g5_first_contact", "G5", gettext_lazy("Persone arrivate da un'attività"),
    gettext_lazy("Persone il cui primo contatto con il programma è avvenuto nel periodo partecipando a un'iniziativa, per "
                 "oggetto di intervento; nei quartieri dell'iniziativa."),
    "people", per_1000=True,
)
def g5_first_contact(ctx):
    if not _has_any(ctx, Participation, initiative__city=ctx.city):
        return no_data(ctx, NO_PARTICIPANTS)
    first = Participation.objects.filter(initiative__city=ctx.city, first_contact=True, **_in_period(ctx, "joined_at"))
    return _participants(ctx, first)


# -- G6 New names for new problems --------------------------------------------------------

@indicator(
    "g6_unknown", "G6", gettext_lazy("Persone sconosciute ai servizi"),
    gettext_lazy("Tra le persone conosciute nel periodo (per cui lo si sa), quota che al primo contatto non era nota ai servizi sociali."),
    "share",
)
def g6_unknown(ctx):
    if not _has_any(ctx, Person, city=ctx.city):
        return no_data(ctx, _("Nessuna persona ancora registrata."))
    return _share(ctx, _people_sum(ctx, lambda c, known: known is False), _people_sum(ctx, lambda c, known: known is not None),
                  _("Nessuna persona del periodo con l'informazione sui servizi."))


@indicator(
    "g6_themes", "G6", gettext_lazy("Temi emergenti con un nome"),
    gettext_lazy("Temi a cui il gruppo di lavoro ha dato un nome e che hanno almeno un testo del periodo (richiesta, "
                 "segnalazione, incontro) nel quartiere; un tema presente in più quartieri conta una volta nella città."),
    "count",
)
def g6_themes(ctx):
    if not _has_any(ctx, Tag, theme__city=ctx.city):
        return no_data(ctx, NO_THEMES)
    tags = Tag.objects.filter(theme__city=ctx.city, theme__status=Theme.Status.NAMED, rejected=False,
                              **_in_period(ctx, "item__written_at"))
    return _counts(ctx, _per_area(ctx, tags, "item__neighbourhood", counted="theme"))


@indicator(
    "g6_outside", "G6", gettext_lazy("Testi fuori dalle categorie tradizionali"),
    gettext_lazy("Tra i testi del periodo con almeno un tema (proposto o con un nome), quota di quelli i cui temi sono tutti "
                 "fuori dalle categorie tradizionali: senza alcuna categoria o segnati «fuori dalle categorie»."),
    "share",
)
def g6_outside(ctx):
    if not _has_any(ctx, Tag, theme__city=ctx.city):
        return no_data(ctx, NO_THEMES)
    live = Tag.objects.filter(item=OuterRef("pk"), rejected=False, theme__status__in=LIVE)
    rows = (
        TextItem.objects.filter(city=ctx.city, neighbourhood__in=_all_ids(ctx), **_in_period(ctx, "written_at"))
        .filter(Exists(live)).annotate(inside=inside_a_category())
        .values_list("neighbourhood_id").annotate(tagged=Count("pk"), outside=Count("pk", filter=Q(inside=False))).order_by()
    )
    tagged, outside = {}, {}
    for n, count, out in rows:
        tagged[n], outside[n] = count, out
    return _share(ctx, _sum_over(ctx.areas, outside), _sum_over(ctx.areas, tagged), _("Nessun testo con un tema nel periodo."))
