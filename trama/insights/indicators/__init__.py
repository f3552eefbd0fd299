"""The programme's indicators: one registry, each goal of DESIGN.md §1 measured per area and period.

An indicator is computed for several *areas* at once (a neighbourhood, the pilot
neighbourhoods one by one, the rest of the city...) with aggregate queries, so a page
costs a fixed number of queries whatever the number of records. When its source holds
no record yet it says so: a value of None with the reason, never a misleading zero.
The figures are stored and kept fresh by `figures.py`; this module only computes them.

This package holds the registry, areas and values, and the sources the goals share; each goal's
indicators are in its own module (g1.py … g6.py), imported at the end to register them.
The numbers come from the apps that own the records, through their `queries.py` (plain counts and
sums per neighbourhood or per area, see `trama.aggregates`): insights composes them, it never reads
another app's tables (trama/insights/tests/test_sources.py).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trama.aggregates import any_records, counted_in_database
from trama.attention.queries import (
    active_antennas,
    has_antennas,
    has_signals,
    signal_metrics,
    signal_metrics_per_area,
    signals_of_period,
    signals_per_channel,
    signals_per_neighbourhood,
    waits_to_first_contact,
)
from trama.collective.queries import has_groups, has_meetings
from trama.formats import euro
from trama.initiatives.queries import has_initiatives, has_participations
from trama.market.queries import SECTORS, has_contributions, has_requests, ledger_of_period
from trama.people.queries import has_people, people_first_met
from trama.themes.queries import has_tags

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
    # Each source read once for every indicator and area that needs it (a signal's table in one grouped
    # query, not two per area); False: the reference path the tests compare against, each source asked as
    # each indicator used to ask it (compute(..., batched=False)).
    batched: bool = True
    indicators: tuple = ()  # those computed together

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


def compute(indicators, city, period, areas, batched=True):
    """{indicator key: {area key: Value}}, computed now from the records (no stored figures:
    `trama.insights.figures.evaluate` keeps them). `batched=False` is the reference path of the tests:
    each source asked as each indicator used to ask it, the counts per area made by the database; the
    values are the same (trama/insights/tests/test_batched_sources.py)."""
    if not batched:
        with counted_in_database():
            return _compute(Context(city, period, areas, batched=False), indicators)
    # Without a city the signals' sources filter differently (no city, not "no city"): the reference path.
    return _compute(Context(city, period, areas, batched=city is not None, indicators=tuple(indicators)), indicators)


def _compute(ctx, indicators):
    results = {}
    for item in indicators:
        values = item.compute(ctx)
        if item.per_1000:
            values = {area.key: _with_rate(values[area.key], area.population) for area in ctx.areas}
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


# -- sources: each app's figures (its queries.py), read once per evaluation ------------------


def _has_any(ctx, has):
    """`has(city)`, one of the apps' "is there any record yet" questions, asked once per evaluation; batched,
    when more than one indicator is computed, every question of PRESENCES in one query at the first."""
    if ctx.batched and len(ctx.indicators) > 1 and has in PRESENCES:
        return ctx.once("presences", lambda: any_records(PRESENCES, ctx.city))[has]
    return ctx.once(("exists", has.__module__, has.__name__), lambda: has(ctx.city))


def _areas(ctx):
    """The areas as the apps' queries take them: {area key: neighbourhood ids}."""
    return {area.key: area.ids for area in ctx.areas}


def _ledger(ctx):
    """The period's ledger by neighbourhood id, kind and sector (one query; grouped by id, not by name,
    so that two neighbourhoods of a city never merge)."""
    return ctx.once("ledger", lambda: ledger_of_period(ctx.city, ctx.period.start, ctx.period.end, _all_ids(ctx)))


def _ledger_by(ctx, value_of, kind=None):
    """{area: (total, [(sector label, total)])} of one quantity of the ledger, optionally of one kind."""
    if not _has_any(ctx, has_contributions):
        return None
    per = defaultdict(lambda: defaultdict(Decimal))
    for row in _ledger(ctx):
        if kind is None or row["kind"] == kind:
            per[row["neighbourhood_id"]][row["sector"]] += value_of(row)
    out = {}
    for area in ctx.areas:
        sectors = defaultdict(Decimal)
        for n in area.ids:
            for sector, amount in per.get(n, {}).items():
                sectors[sector] += amount
        breakdown = tuple((str(label), sectors.get(value, Decimal(0))) for value, label in SECTORS.choices)
        out[area.key] = Value(sum(sectors.values(), Decimal(0)), breakdown=breakdown)
    return out


def _ledger_indicator(value_of, kind=None):
    def compute(ctx):
        values = _ledger_by(ctx, value_of, kind)
        return values if values is not None else no_data(ctx, _("Nessun contributo ancora nel registro delle risorse."))

    return compute


def _active_antennas(ctx):
    """[(antenna id, kind, neighbourhood id, trained)] of the antennas active by the end of the period."""
    return ctx.once("antennas", lambda: active_antennas(ctx.period.until, _all_ids(ctx)))


def _signals_of_period(ctx):
    """{(neighbourhood id, channel): (signals, taken up)} of the period (attention's one grouped query)."""
    return ctx.once("signals_of_period", lambda: signals_of_period(ctx.city, ctx.period.since, ctx.period.until))


def _signals_per_neighbourhood(ctx):
    if not ctx.batched:
        return ctx.once("signals", lambda: signals_per_neighbourhood(ctx.city, ctx.period.since, ctx.period.until))
    per = defaultdict(int)
    for (neighbourhood, _channel), (n, _taken_up) in _signals_of_period(ctx).items():
        per[neighbourhood] += n
    return dict(per)


def _signals_per_channel(ctx):
    """{(neighbourhood id, channel): signals} of the period."""
    if not ctx.batched:
        return ctx.once("signals_per_channel", lambda: signals_per_channel(ctx.city, ctx.period.since, ctx.period.until))
    return {key: n for key, (n, _taken_up) in _signals_of_period(ctx).items()}


def _people_in_period(ctx):
    """{(neighbourhood id, channel, known_to_services): count} of the people first met in the period."""
    return ctx.once("people", lambda: people_first_met(ctx.city, ctx.period.since, ctx.period.until))


def _people_sum(ctx, keep):
    rows = _people_in_period(ctx)
    per = defaultdict(int)
    for (n, channel, known), count in rows.items():
        if keep(channel, known):
            per[n] += count
    return _sum_over(ctx.areas, per)


def _metrics(ctx):
    """attention's signal_metrics for each area (two queries in all; two per area on the reference path)."""
    if ctx.batched:
        return ctx.once(
            "signal_metrics",
            lambda: signal_metrics_per_area(
                _signals_of_period(ctx),
                ctx.once("waits", lambda: waits_to_first_contact(ctx.city, ctx.period.since, ctx.period.until)),
                _areas(ctx),
            ),
        )
    return ctx.once(
        "signal_metrics",
        lambda: {
            area.key: signal_metrics(city=ctx.city, neighbourhoods=area.ids, since=ctx.period.since, until=ctx.period.until) for area in ctx.areas
        },
    )


# -- counts per area (the apps count them in one query each, see trama.aggregates) ------------


def _counts(ctx, counts):
    """{area key: Value} from {area key: n}."""
    return {area.key: Value(counts.get(area.key, 0)) for area in ctx.areas}


def _with_breakdown(ctx, totals, groups, labels):
    """{area key: Value(total, breakdown)} from {area key: n} and {group: {area key: n}}: `labels` is
    [(group value, label)] in the order to show."""
    return {
        area.key: Value(
            totals.get(area.key, 0),
            breakdown=tuple((str(label), groups.get(value, {}).get(area.key, 0)) for value, label in labels),
        )
        for area in ctx.areas
    }


def _held_by(ctx):
    """The end of the period, or now if the period is not over: a meeting after it was not held yet."""
    return min(ctx.period.until, timezone.now())


NO_INITIATIVES = gettext_lazy("Nessuna iniziativa ancora registrata.")
NO_GROUPS = gettext_lazy("Nessun gruppo ancora registrato.")
NO_MEETINGS = gettext_lazy("Nessun incontro ancora registrato.")
NO_PARTICIPANTS = gettext_lazy("Nessuna partecipazione alle iniziative ancora registrata.")
NO_THEMES = gettext_lazy("Nessun tema ancora: la ricerca dei temi non è stata fatta o non ha ancora etichettato testi.")


# The indicators, one module per goal; importing them fills REGISTRY, goal by goal.
from . import g1, g2, g3, g4, g5, g6  # noqa: E402, F401

# The apps' "is there any record yet" questions the indicators ask (asked together: `_has_any`).
PRESENCES = (
    has_antennas,
    has_contributions,
    has_groups,
    has_initiatives,
    has_meetings,
    has_participations,
    has_people,
    has_requests,
    has_signals,
    has_tags,
)
