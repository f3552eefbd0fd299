"""Reads of insights: the areas a user compares, the dashboard, the open data."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trama.access import neighbourhood_scope
from trama.attention.queries import signals_by_quarter
from trama.collective.queries import groups_by_quarter, meetings_by_quarter
from trama.initiatives.queries import initiatives_of_organisations, public_initiatives_by_quarter
from trama.market.queries import needs_by_quarter, offers_by_quarter, offers_visible_to
from trama.people.queries import people_reached_by_quarter, public_organisations, public_services
from trama.privacy.disclosure import protect
from trama.privacy.suppression import suppress_table, threshold_for
from trama.territory.queries import neighbourhoods_of, public_places

from . import figures, indicators, periods
from .indicators import Area

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from trama.access import Viewer
    from trama.aggregates import QuarterCounts
    from trama.territory.models import City, Neighbourhood

    from .figures import Figures
    from .indicators import Indicator, Value
    from .periods import Period

    # The dashboard: per goal, its label and each indicator with its value in every area.
    Dashboard = list[tuple[str, StrOrPromise, list[tuple[Indicator, list[tuple[Area, Value]]]]]]


def _population(neighbourhoods: Sequence[Neighbourhood]) -> int | None:
    values = [n.population for n in neighbourhoods]
    return sum(values) if values and None not in values else None  # type: ignore[arg-type]  # no None in them


def _union(key: str, label: str, neighbourhoods: Sequence[Neighbourhood]) -> Area:
    return Area(key, label, frozenset(n.pk for n in neighbourhoods), _population(neighbourhoods))


def areas_for(user: Viewer, city: City | None) -> list[Area]:
    """What `user` compares: for a coordinator each pilot neighbourhood, the rest of the
    city (the non-pilot ones together) and the whole city; for a worker their own
    neighbourhoods and, if more than one, their sum."""
    return areas_of_scope(city, neighbourhood_scope(user))


def areas_of_scope(city: City | None, scope: frozenset[int] | None) -> list[Area]:
    """`areas_for` an account whose neighbourhood scope is `scope` (None: the whole city)."""
    neighbourhoods = list(neighbourhoods_of(city))
    if scope is not None:
        mine = [n for n in neighbourhoods if n.pk in scope]
        areas = [Area(f"q{n.pk}", n.name, frozenset([n.pk]), n.population, n.is_pilot) for n in mine]
        return areas + ([_union("mine", _("I tuoi quartieri"), mine)] if len(mine) > 1 else [])
    pilots = [n for n in neighbourhoods if n.is_pilot]
    rest = [n for n in neighbourhoods if not n.is_pilot]
    areas = [Area(f"q{n.pk}", n.name, frozenset([n.pk]), n.population, True) for n in pilots]
    if pilots and rest:
        areas.append(_union("rest", _("Resto della città"), rest))
    if neighbourhoods:
        areas.append(_union("city", _("Tutta la città"), neighbourhoods))
    return areas


def dashboard(city: City | None, period: Period, areas: Sequence[Area], only: Iterable[str] | None = None) -> Dashboard:
    """Per goal, each indicator with its value in every area: [(goal, label, [(indicator, [(area, Value)])])]."""
    return dashboard_and_time(city, period, areas, only)[0]


def figures_refreshing(city: City | None, period: Period, areas: Sequence[Area]) -> bool:
    """Whether the dashboard's figures of `areas` are being computed again by the worker (figures.is_refreshing)."""
    return figures.is_refreshing(city, period, areas)


def dashboard_and_time(city: City | None, period: Period, areas: Sequence[Area], only: Iterable[str] | None = None) -> tuple[Dashboard, Figures]:
    """`dashboard()`, and when its figures were computed (figures.Figures: computed_at, refreshing)."""
    chosen = [i for i in indicators.REGISTRY.values() if only is None or i.key in only]
    stored = figures.figures(chosen, city, period, areas)
    results = stored.values
    out: Dashboard = []
    for goal, label, items in indicators.by_goal():
        rows = [(item, [(area, results[item.key][area.key]) for area in areas]) for item in items if item.key in results]
        if rows:
            out.append((goal, label, rows))
    return out, stored


def trend(
    city: City | None, item: Indicator, period: Period, areas: Sequence[Area], today: date | None = None
) -> tuple[list[Period], list[tuple[Area, list[Value]]]]:
    """`item` month by month over the months of `period`'s trend (periods.trend_months):
    (months, [(area, [Value per month])]). Past months come from the cache when they can."""
    months = periods.trend_months(period, today)
    per_month = [figures.evaluate([item], city, month, areas)[item.key] for month in months]
    return months, [(area, [values[area.key] for values in per_month]) for area in areas]


def neighbourhood_areas(user: Viewer, city: City | None) -> list[Area]:
    """Each neighbourhood `user` may see on its own, for the map: the whole city for a coordinator,
    their own neighbourhoods for a worker."""
    return neighbourhood_areas_of_scope(city, neighbourhood_scope(user))


def neighbourhood_areas_of_scope(city: City | None, scope: frozenset[int] | None) -> list[Area]:
    """`neighbourhood_areas` of an account whose neighbourhood scope is `scope` (None: the whole city)."""
    neighbourhoods = list(neighbourhoods_of(city))
    if scope is not None:
        neighbourhoods = [n for n in neighbourhoods if n.pk in scope]
    return [Area(f"q{n.pk}", n.name, frozenset([n.pk]), n.population, n.is_pilot) for n in neighbourhoods]


def map_rows(city: City | None, item: Indicator, period: Period, areas: Sequence[Area]) -> list[tuple[Area, int, Value, float | None]]:
    """[(area, neighbourhood id, Value, number the map colours by)] of `item` in each neighbourhood area."""
    values = figures.evaluate([item], city, period, areas)[item.key] if areas else {}
    return [(area, min(area.ids), values[area.key], item.plotted(values[area.key])) for area in areas]


# -- open data -----------------------------------------------------------------------------

QUARTERS = [gettext_lazy("1° trimestre"), gettext_lazy("2° trimestre"), gettext_lazy("3° trimestre"), gettext_lazy("4° trimestre")]


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    return (
        timezone.make_aware(datetime.combine(datetime(year, 1, 1), time.min)),
        timezone.make_aware(datetime.combine(datetime(year + 1, 1, 1), time.min)),
    )


OPEN_MEASURES: list[tuple[str, StrOrPromise, StrOrPromise, Callable[[City | None, datetime, datetime], QuarterCounts]]] = [
    (
        "segnalazioni",
        gettext_lazy("Segnalazioni delle antenne"),
        gettext_lazy("Segnalazioni arrivate, per quartiere e trimestre."),
        signals_by_quarter,
    ),
    ("richieste", gettext_lazy("Richieste di aiuto"), gettext_lazy("Richieste registrate nel mercato sociale."), needs_by_quarter),
    (
        "offerte",
        gettext_lazy("Offerte"),
        gettext_lazy("Offerte registrate; un'offerta che serve più quartieri conta in ciascuno."),
        offers_by_quarter,
    ),
    (
        "persone_raggiunte",
        gettext_lazy("Persone raggiunte dalla rete"),
        gettext_lazy("Persone conosciute grazie a un'antenna o a un'uscita."),
        people_reached_by_quarter,
    ),
    ("gruppi", gettext_lazy("Gruppi nati"), gettext_lazy("Gruppi convocati, per quartiere e trimestre di nascita."), groups_by_quarter),
    (
        "incontri",
        gettext_lazy("Incontri tenuti"),
        gettext_lazy("Incontri di gruppo, tavoli di quartiere e assemblee, per quartiere e trimestre."),
        meetings_by_quarter,
    ),
    (
        "iniziative",
        gettext_lazy("Iniziative pubbliche"),
        gettext_lazy(
            "Iniziative oggi nel catalogo pubblico, per trimestre di nascita; un'iniziativa di più quartieri conta "
            "in ciascuno, e il totale è la somma dei quartieri."
        ),
        public_initiatives_by_quarter,
    ),
]


def open_counts(city: City | None, year: int) -> list[dict[str, Any]]:
    """The open-data tables of `year`: for each measure, neighbourhoods by quarter with the
    totals of rows and columns, every count 1-9 hidden and enough others hidden that no
    hidden count can be worked out from the totals (one query per measure).

    Returns [{key, label, definition, columns, rows: [(name, [Cell])]}]; the last row
    and the last column are the totals.
    """
    neighbourhoods = list(neighbourhoods_of(city))
    since, until = _year_bounds(year)
    tables = []
    for key, label, definition, counts_of in OPEN_MEASURES:
        counts = counts_of(city, since, until)
        grid = [[counts.get((n.pk, q), 0) for q in (1, 2, 3, 4)] for n in neighbourhoods]
        grid = [row + [sum(row)] for row in grid]
        grid.append([sum(column) for column in zip(*grid)] if grid else [0] * 5)
        cells = protect(suppress_table(grid, threshold_for(city)))
        names = [n.name for n in neighbourhoods] + [_("Totale città")]
        tables.append(
            {
                "key": key,
                "label": label,
                "definition": definition,
                "columns": [str(q) for q in QUARTERS] + [_("Anno")],
                "rows": list(zip(names, cells)),
            }
        )
    return tables


def open_counts_csv_rows(city: City | None, year: int) -> Iterator[list[Any]]:
    """The same tables in long form, one count per line, hidden counts written as such."""
    yield [_("misura"), _("quartiere"), _("anno"), _("periodo"), _("valore")]
    for table in open_counts(city, year):
        for name, cells in table["rows"]:
            for column, cell in zip(table["columns"], cells):
                yield [table["key"], name, year, column, str(cell)]


# -- the directory of community resources as Open Referral HSDS ---------------------------

HSDS_NAMESPACE = uuid.UUID("0f6a1f5e-5b51-4c0e-9a57-7472616d6121")


def _hsds_id(kind: str, pk: int | None) -> str:
    """A stable UUID per record, as HSDS wants, that says nothing about the database."""
    return str(uuid.uuid5(HSDS_NAMESPACE, f"{kind}:{pk}"))


def hsds(city: City | None) -> dict[str, list[dict[str, Any]]]:
    """The public directory as Open Referral HSDS 3.0 tables: organizations (only those that agreed to a
    public page), services (their services with opening hours, their open offers and the public initiatives
    they run, with only what the public pages show), locations (the public places; who runs one is named
    only when it agreed), the schedules of services and places and where each service is given. Never a
    person: offers of individuals are not services, and no participant of an initiative is named. The
    tables read back into Trama through the HSDS import (a place's neighbourhood by name)."""
    organisations = list(public_organisations(city))
    agreed = {o.pk for o in organisations}
    offers = offers_visible_to(AnonymousUser()).filter(city=city, organisation__in=agreed).select_related("organisation").order_by("title", "pk")
    places = list(public_places(city))
    shown_places = {p.pk for p in places}
    services = list(public_services(city))
    initiatives = [
        {
            "id": _hsds_id("initiative", i.pk),
            "organization_id": _hsds_id("organisation", i.organisation_id),  # type: ignore[attr-defined]  # annotated on the query
            "name": i.name,
            "description": i.description,
            "status": "active",
            "category": i.intervention_object.name if i.intervention_object else str(_("iniziativa di comunità")),
            "email": i.contact_email,
            "application_process": i.how_to_join,
        }
        for i in initiatives_of_organisations(city)
        if i.organisation_id in agreed  # type: ignore[attr-defined]
    ]
    return {
        "organizations": [
            {
                "id": _hsds_id("organisation", o.pk),
                "name": o.name,
                "description": o.description or o.name,
                "email": o.email,
                "website": o.website,
                "legal_status": str(o.get_sector_display()),
            }
            for o in organisations
        ],
        "services": [
            {
                "id": _hsds_id("service", s.pk),
                "organization_id": _hsds_id("organisation", s.organisation_id),
                "name": s.name,
                "description": s.description,
                "status": "active",
                "category": str(_("servizio")),
                "email": "",
                "application_process": "",
            }
            for s in services
        ]
        + [
            {
                "id": _hsds_id("offer", s.pk),
                "organization_id": _hsds_id("organisation", s.organisation_id),
                "name": s.title,
                "description": s.description,
                "status": "active",
                "category": str(s.get_kind_display()),
                "email": "",
                "application_process": "",
            }
            for s in offers
        ]
        + initiatives,
        "locations": [
            {
                "id": _hsds_id("place", p.pk),
                "location_type": "physical",
                "organization_id": _hsds_id("organisation", p.managing_organisation_id) if p.managing_organisation_id in agreed else "",
                "name": p.name,
                "description": p.description,
                "latitude": p.lat,
                "longitude": p.lon,
                "address": p.address,
                "neighbourhood": p.neighbourhood.name,
            }
            for p in places
        ],
        "schedules": [
            {"id": _hsds_id("service-hours", s.pk), "service_id": _hsds_id("service", s.pk), "location_id": "", "description": s.opening_hours}
            for s in services
            if s.opening_hours
        ]
        + [
            {"id": _hsds_id("place-hours", p.pk), "service_id": "", "location_id": _hsds_id("place", p.pk), "description": p.opening_hours}
            for p in places
            if p.opening_hours
        ],
        "service_at_locations": [
            {"id": _hsds_id("service-place", s.pk), "service_id": _hsds_id("service", s.pk), "location_id": _hsds_id("place", s.place_id)}
            for s in services
            if s.place_id in shown_places
        ],
    }


HSDS_TABLES = ("organizations", "services", "locations", "schedules", "service_at_locations")
