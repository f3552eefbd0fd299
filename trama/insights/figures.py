"""The indicators' figures, stored: opening the dashboard reads them, the worker computes them.

`evaluate()` returns each indicator's values for a period and a set of areas from
`StoredFigures`. A figure never stored is computed on the spot and stored (the first look at a
period, "cold"). A stored figure is recomputed in the background (`tasks.refresh_figures`) when
a record the indicators read has changed since its computation began (every save and
deletion of those records appends a `SourceChange`; a change stamped before that and committed
after it is caught by MAX_AGE in the open period) or, for the open period, when it is older than
MAX_AGE (what bulk writes and the passing of days change); meanwhile the page shows the
stored one and says when it was computed. The worker also prepares the open periods' figures of every
account's set of areas ahead of anyone looking (`prepare`, on a schedule: `manage.py prepare_figures`),
so that opening the dashboard reads them. Figures of a closed period stay as they are until
one of their records changes: a late entry shows up, nothing else recomputes them.

The figures are aggregates keyed by the areas' neighbourhoods: a worker's set of areas is not a
coordinator's, so each reads only the figures of the areas their scope gives them.
"""

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db.models import F, Max
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import get_language

from .indicators import REGISTRY, Area, Value, compute, is_closed
from .models import SourceChange, StoredFigures

# The open period's figures are recomputed at least this often.
MAX_AGE = timedelta(minutes=15)
# A refresh asked for and not yet done is asked again after this long (a worker may have died).
ASK_AGAIN = timedelta(minutes=2)
# Changes older than this are forgotten (the latest one is always kept).
KEEP_CHANGES = timedelta(days=1)

# The apps whose records the indicators read, and the other models they read.
SOURCE_APPS = {"attention", "collective", "initiatives", "market", "themes"}
SOURCE_MODELS = {"people.Person", "people.Organisation", "territory.Neighbourhood"}


@dataclass
class Figures:
    values: dict  # {indicator key: {area key: Value}}
    computed_at: object  # when the oldest of them was computed
    refreshing: bool  # a newer computation has been asked for
    version: str = ""  # changes whenever any of them, or the areas, change: the key of what is drawn from them


def evaluate(indicators, city, period, areas):
    """{indicator key: {area key: Value}}: the stored figures, kept fresh (see the module's docstring)."""
    return figures(indicators, city, period, areas).values


def figures(indicators, city, period, areas):
    now = timezone.now()
    if city is None or not areas:
        return Figures(compute(indicators, city, period, areas), now, False)
    key = _key(city, period, areas)
    wanted = [item.key for item in indicators]
    stored = {row.indicator: row for row in StoredFigures.objects.filter(**key, indicator__in=wanted)}
    values = {key_: _decode(row.values) for key_, row in stored.items()}
    missing = [item for item in indicators if item.key not in stored]
    changed = last_change()  # read before computing: a change made meanwhile leaves the new figures stale
    if missing:
        fresh = compute(missing, city, period, areas)
        _store(key, fresh, now, changed)
        values.update(fresh)
    stale = _stale(list(stored.values()), period, now, changed)
    if stale:
        StoredFigures.objects.filter(pk__in=[row.pk for row in stale]).update(refresh_asked_at=now)
        from .tasks import refresh_figures

        refresh_figures.enqueue(city.pk, period.param, key["language"], _areas_as_json(areas), [row.indicator for row in stale])
        # With an immediate task backend (the tests) they are recomputed already: read them again.
        for row in StoredFigures.objects.filter(pk__in=[row.pk for row in stale]):
            stored[row.indicator] = row
            values[row.indicator] = _decode(row.values)
    times = [row.computed_at for row in stored.values()] + ([now] if missing else [])
    refreshing = any(row.refresh_asked_at is not None and row.refresh_asked_at >= row.computed_at for row in stored.values())
    stamps = sorted((k, row.computed_at.isoformat()) for k, row in stored.items()) + [(item.key, now.isoformat()) for item in missing]
    labels = [str(area.label) for area in areas]
    version = hashlib.sha256(f"{key['areas']}|{labels}|{period.param}|{key['language']}|{stamps}".encode()).hexdigest()[:24]
    return Figures({item.key: values[item.key] for item in indicators}, min(times), refreshing, version)


def is_refreshing(city, period, areas):
    """Whether a recomputation asked for (by `figures`) of these areas' stored figures is still to be done."""
    if city is None or not areas:
        return False
    return StoredFigures.objects.filter(**_key(city, period, areas), refresh_asked_at__gte=F("computed_at")).exists()


def recompute(city, period, areas, keys, now=None):
    """Compute `keys` again and store them (the worker's side of `evaluate`)."""
    key = _key(city, period, areas)
    seen = last_change()
    _store(key, compute([REGISTRY[k] for k in keys if k in REGISTRY], city, period, areas), now or timezone.now(), seen)


def prepare(city, period, areas, keys=None, now=None):
    """Store every indicator of these areas that is missing or out of date (as `figures` judges it), so
    that the next look reads them (the worker's schedule: `tasks.prepare_figures`). The names of what
    was computed; nothing when all were fresh."""
    if city is None or not areas:
        return []
    now = now or timezone.now()
    key = _key(city, period, areas)
    stored = [row for row in StoredFigures.objects.filter(**key) if row.indicator in (keys or REGISTRY)]
    changed = last_change()
    have = {row.indicator for row in stored}
    wanted = [k for k in (keys or REGISTRY) if k in REGISTRY]
    stale = {row.indicator for row in _stale(stored, period, now, changed)}
    todo = [k for k in wanted if k not in have or k in stale]
    if todo:
        _store(key, compute([REGISTRY[k] for k in todo], city, period, areas), now, changed)
    return todo


def forget():
    """Every stored figure: the next look computes them again."""
    StoredFigures.objects.all().delete()


def last_change():
    return SourceChange.objects.aggregate(last=Max("at"))["last"]


def _stale(rows, period, now, changed):
    """The rows to recompute, given the latest SourceChange `changed`."""
    if not rows:
        return []
    open_period = not is_closed(period)
    out = []
    for row in rows:
        if row.refresh_asked_at is not None and row.refresh_asked_at >= row.computed_at and now - row.refresh_asked_at < ASK_AGAIN:
            continue  # asked for already, the worker has not got to it yet
        newer = changed is not None and (row.seen_change is None or changed > row.seen_change)
        if newer or (open_period and now - row.computed_at > MAX_AGE):
            out.append(row)
    return out


def _store(key, results, now, seen):
    rows = [
        StoredFigures(**key, indicator=indicator, values=_encode(values), computed_at=now, seen_change=seen, refresh_asked_at=None)
        for indicator, values in results.items()
    ]
    StoredFigures.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["city", "period", "language", "areas", "indicator"],
        update_fields=["values", "computed_at", "seen_change", "refresh_asked_at"],
    )


def _key(city, period, areas):
    """What identifies stored figures, but for the indicator."""
    return {"city": city, "period": period.param, "language": get_language() or "", "areas": _digest(areas)}


def _digest(areas):
    signature = ";".join(f"{a.key}={','.join(map(str, sorted(a.ids)))}@{a.population}" for a in areas)
    return hashlib.sha256(signature.encode()).hexdigest()[:16]


def _areas_as_json(areas):
    return [{"key": a.key, "label": str(a.label), "ids": sorted(a.ids), "population": a.population, "is_pilot": a.is_pilot} for a in areas]


def areas_from_json(data):
    return [Area(a["key"], a["label"], frozenset(a["ids"]), a["population"], a["is_pilot"]) for a in data]


# -- values as JSON: Decimals kept exact, tuples given back as tuples ------------------------


def _number(x):
    return {"decimal": str(x)} if isinstance(x, Decimal) else x


def _unnumber(x):
    return Decimal(x["decimal"]) if isinstance(x, dict) else x


def _encode(values):
    return {area: [_number(v.value), str(v.reason), v.per_1000, [[str(label), _number(n)] for label, n in v.breakdown]] for area, v in values.items()}


def _decode(data):
    return {
        area: Value(_unnumber(value), reason, per_1000, tuple((label, _unnumber(n)) for label, n in breakdown))
        for area, (value, reason, per_1000, breakdown) in data.items()
    }


# -- what changes the figures -------------------------------------------------------------


def _is_source(sender):
    if sender.__module__ == "__fake__":  # a migration's historical model: the table may not exist yet
        return False
    return sender._meta.app_label in SOURCE_APPS or sender._meta.label in SOURCE_MODELS


def note_change(sender, **kwargs):
    """A record the indicators read was saved or deleted: append when, in the same transaction."""
    if _is_source(sender):
        SourceChange.objects.create(at=timezone.now())


def forget_old_changes(now=None):
    latest = SourceChange.objects.order_by("-at").values_list("pk", flat=True).first()
    SourceChange.objects.filter(at__lt=(now or timezone.now()) - KEEP_CHANGES).exclude(pk=latest).delete()


def connect():
    post_save.connect(note_change, dispatch_uid="insights-figures-save")
    post_delete.connect(note_change, dispatch_uid="insights-figures-delete")
