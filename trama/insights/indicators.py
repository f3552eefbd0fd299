"""The programme's indicators: one registry, each goal of DESIGN.md §1 measured per area and period.

An indicator is computed for several *areas* at once (a neighbourhood, the pilot
neighbourhoods one by one, the rest of the city...), so a page costs a fixed number
of queries whatever the number of records. When its source does not exist yet (an
app still to be written, or no record ever entered) it says so: a value of None with
the reason, never a misleading zero.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.apps import apps
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trama.attention.models import Antenna, Attendance, Signal
from trama.attention.queries import signal_metrics
from trama.market.models import Contribution, Need, Offer, Sector
from trama.market.queries import ledger_totals
from trama.people.models import Person

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

    def display(self, number):
        """The number as people read it, in the active language's format."""
        if number is None:
            return _("nessun dato ancora")
        if self.unit == "share":
            return f"{number_format(round(number * 100, 1), 1)} %"
        if self.unit == "eur":
            return f"€ {number_format(Decimal(number).quantize(Decimal('1')), 0, force_grouping=True)}"
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


def evaluate(indicators, city, period, areas):
    """{indicator key: {area key: Value}} for the given indicators, areas and period."""
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
    return {area.key: Value(None, reason) for area in ctx.areas}


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
    """Ledger totals by neighbourhood, kind and sector for the period (one query)."""
    # ledger_totals names the neighbourhood (unique in a city) and takes an inclusive end.
    return ctx.once("ledger", lambda: ledger_totals(
        city=ctx.city, by=("neighbourhood", "kind", "sector"), start=ctx.period.start,
        end=ctx.period.end - timedelta(days=1), neighbourhoods=_all_ids(ctx),
    ))


def _neighbourhood_names(ctx):
    from trama.territory.models import Neighbourhood

    return ctx.once("names", lambda: dict(Neighbourhood.objects.filter(pk__in=_all_ids(ctx)).values_list("name", "pk")))


def _ledger_by(ctx, value_of, kind=None):
    """{area: (total, [(sector label, total)])} of one quantity of the ledger, optionally of one kind."""
    if not _has_any(ctx, Contribution, city=ctx.city):
        return None
    ids = _neighbourhood_names(ctx)
    per = defaultdict(lambda: defaultdict(Decimal))
    for row in _ledger(ctx):
        if kind is None or row["kind"] == kind:
            per[ids.get(row["neighbourhood"])][row["sector"]] += value_of(row)
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


# -- G4, G5: the apps that will hold these records do not exist yet --------------------

def _needs_app(label, reason):
    def compute(ctx):
        if not apps.is_installed(f"trama.{label}"):
            return no_data(ctx, reason)
        return no_data(ctx, _("Il modulo esiste ma questo indicatore non è ancora collegato."))

    return compute


indicator(
    "g4_groups", "G4", gettext_lazy("Gruppi attivi"),
    gettext_lazy("Gruppi nati da bisogni simili che si sono riuniti almeno una volta nel periodo."),
    "count", per_1000=True,
)(_needs_app("collective", gettext_lazy("Nessun dato ancora: il modulo dei gruppi non è ancora attivo.")))

indicator(
    "g4_group_initiatives", "G4", gettext_lazy("Gruppi diventati iniziative"),
    gettext_lazy("Gruppi che nel periodo sono diventati un'iniziativa."),
    "count",
)(_needs_app("collective", gettext_lazy("Nessun dato ancora: il modulo dei gruppi non è ancora attivo.")))

indicator(
    "g5_participants", "G5", gettext_lazy("Partecipanti agli oggetti di intervento"),
    gettext_lazy("Persone che nel periodo hanno partecipato ad almeno un'attività del catalogo degli oggetti di intervento."),
    "people", per_1000=True,
)(_needs_app("initiatives", gettext_lazy("Nessun dato ancora: il catalogo degli oggetti di intervento non è ancora attivo.")))

indicator(
    "g5_autonomous", "G5", gettext_lazy("Iniziative arrivate all'autonomia"),
    gettext_lazy("Iniziative accompagnate che nel periodo sono diventate autonome."),
    "count",
)(_needs_app("initiatives", gettext_lazy("Nessun dato ancora: il modulo delle iniziative non è ancora attivo.")))


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
    gettext_lazy("Temi scoperti dai testi e nominati dal gruppo di lavoro, attivi nel periodo."),
    "count",
)
def g6_themes(ctx):
    try:
        apps.get_model("themes", "Theme")
    except LookupError:
        return no_data(ctx, _("Nessun dato ancora: i temi emergenti non sono ancora registrati."))
    return no_data(ctx, _("I temi esistono ma questo indicatore non è ancora collegato."))
