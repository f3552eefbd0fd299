"""Actions on text items, themes and tags: keeping the items in step with their sources, running
discovery, and what people do with the themes (name, merge, split, retire, link, tag)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min, Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from trama.extensions import text_sources

from . import engine
from .models import LIVE, SUGGEST_CONFIDENCE, TEXT_LIMIT, DiscoveryRun, Tag, TextItem, Theme, ThemeEvent

if TYPE_CHECKING:
    from typing_extensions import TypeIs

    from trama.people.models import User
    from trama.territory.models import City, Neighbourhood

    from .models import TraditionalCategory

# An embedding, or a stack of them (one a row).
Vectors = npt.NDArray[np.float32]
# A text item's fields copied from its record (city, text, neighbourhood, person, when written): values of several types.
ItemFields = dict[str, Any]

# Cosine similarity between a new cluster's centre and a theme's centre above which a new run
# has found that theme again. Measured on the labelled evaluation set (data/eval_it.jsonl) with
# multilingual-e5-small: centres of two halves of the same theme are >= 0.990 alike, centres of
# different themes <= 0.979. Raw e5 vectors are all fairly alike, hence the high figures.
MATCH_THRESHOLD = 0.985
# Tag confidence: a softmax over the item's similarity to each theme's centre, this sharp. Item to
# own-centre similarity is typically 0.92 against 0.91 for the nearest other theme.
CONFIDENCE_TEMPERATURE = 0.01
# A new item gets a suggested tag when its nearest theme wins with at least SUGGEST_CONFIDENCE
# (models.py: "media" in words) and its similarity to that centre is at least SUGGEST_MIN_SIMILARITY.
__all__ = ["SUGGEST_CONFIDENCE"]
SUGGEST_MIN_SIMILARITY = 0.85
DEFAULT_PERIOD_DAYS = 183
MAX_REQUESTED_THEMES = engine.MAX_THEMES
EMBED_BATCH = 256


def embed_on_save() -> bool:
    return getattr(settings, "TRAMA_THEMES_EMBED_ON_SAVE", True)


def to_bytes(vector: Vectors | Sequence[float]) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def _unit(vector: Vectors) -> Vectors:
    norm = np.linalg.norm(vector)
    return vector / norm if norm else vector


# -- text items ------------------------------------------------------------------------------


def _usable(fields: ItemFields | None) -> TypeIs[ItemFields]:
    return fields is not None and bool((fields["text"] or "").strip())


def sync_item(source: str, record: Model) -> TextItem | None:
    """Create, update or delete the text item copying `record` (a need, signal or encounter).

    Returns the item when it exists afterwards, else None. An item whose text changed loses its
    embedding and its engine tags' reason to be, so the embedding is recomputed (in the background,
    when TRAMA_THEMES_EMBED_ON_SAVE is on).
    """
    fields = text_sources.get(source).fields_of(record)
    if not _usable(fields):
        TextItem.objects.filter(source=source, source_id=record.pk).delete()
        return None
    fields["text"] = fields["text"][:TEXT_LIMIT]
    item = TextItem.objects.filter(source=source, source_id=record.pk).first()
    if item is None:
        item = TextItem.objects.create(source=source, source_id=record.pk, **fields)
        changed = True
    else:
        if all(getattr(item, name) == value for name, value in fields.items()):
            return item  # e.g. a need whose status changed: nothing the themes app reads
        changed = item.text != fields["text"]
        for name, value in fields.items():
            setattr(item, name, value)
        if changed:
            item.embedding, item.embedded_at = None, None
        item.save()
    if changed and embed_on_save():
        from .tasks import embed_item

        pk = item.pk
        transaction.on_commit(lambda: embed_item.enqueue(pk))
    return item


def forget_item(source: str, source_id: int) -> None:
    """Delete the copy of a record that no longer exists (its tags go with it)."""
    TextItem.objects.filter(source=source, source_id=source_id).delete()


def sync_text_items(city: City) -> tuple[int, int, int]:
    """Bring the city's text items in line with its needs, signals and encounters, in bulk.

    For records written with bulk_create (which sends no signals), e.g. by `generate_city`.
    Creates missing items, updates changed ones (a changed text loses its embedding), deletes
    items whose record is gone, blank or anonymised. Returns (created, updated, deleted).
    """
    created = updated = deleted = 0
    for source, text_source in text_sources.items():
        records = text_source.model._default_manager.filter(**{text_source.in_city: city})
        copies = {r.pk: text_source.fields_of(r, city.pk) for r in records.iterator(chunk_size=2000)}
        wanted = {pk: f for pk, f in copies.items() if _usable(f)}
        existing = {item.source_id: item for item in TextItem.objects.filter(city=city, source=source).defer("embedding")}
        gone = [item.pk for source_id, item in existing.items() if source_id not in wanted]
        deleted += TextItem.objects.filter(pk__in=gone).delete()[1].get("themes.TextItem", 0)
        new, changed = [], []
        for pk, fields in wanted.items():
            fields["text"] = fields["text"][:TEXT_LIMIT]
            item = existing.get(pk)
            if item is None:
                new.append(TextItem(source=source, source_id=pk, **fields))
                continue
            if all(getattr(item, name) == value for name, value in fields.items()):
                continue
            if item.text != fields["text"]:
                item.embedding, item.embedded_at = None, None
            for name, value in fields.items():
                setattr(item, name, value)
            changed.append(item)
        TextItem.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
        TextItem.objects.bulk_update(
            changed, ["city_id", "text", "neighbourhood_id", "person_id", "written_at", "embedding", "embedded_at"], batch_size=500
        )
        created += len(new)
        updated += len(changed)
    from .queries import forget_theme_figures  # bulk writes send no signal

    forget_theme_figures()
    return created, updated, deleted


def embed_items(items: Iterable[TextItem], progress: Callable[[float], object] | None = None) -> int:
    """Compute and store the embedding of each item that has none; returns how many were computed."""
    missing = [item for item in items if item.embedding is None]
    for start in range(0, len(missing), EMBED_BATCH):
        batch = missing[start : start + EMBED_BATCH]
        vectors = engine.embed([item.text for item in batch])
        now = timezone.now()
        for item, vector in zip(batch, vectors):
            item.embedding, item.embedded_at = to_bytes(vector), now
        TextItem.objects.bulk_update(batch, ["embedding", "embedded_at"])
        if progress:
            progress(min(start + EMBED_BATCH, len(missing)) / len(missing))
    return len(missing)


def _confidences(vector: Vectors, centroids: Vectors) -> tuple[Vectors, Vectors]:
    """Cosine similarity of `vector` to each centre, and the softmax confidence of each."""
    similarities = centroids @ vector
    weights = np.exp((similarities - similarities.max()) / CONFIDENCE_TEMPERATURE)
    return similarities, weights / weights.sum()


def suggest_tags(item: TextItem) -> Tag | None:
    """Suggest the live theme whose centre is nearest the item's embedding, when it is near enough.

    Never re-adds a tag that exists already (rejected or not). Returns the new Tag or None.
    """
    vector = item.vector()
    if vector is None:
        return None
    themes = [t for t in Theme.objects.filter(city_id=item.city_id, status__in=LIVE).exclude(centroid=None).order_by("pk")]
    if not themes:
        return None
    similarities, confidence = _confidences(_unit(vector), np.vstack([t.centroid_vector() for t in themes]))
    best = int(np.argmax(confidence))
    if confidence[best] < SUGGEST_CONFIDENCE or similarities[best] < SUGGEST_MIN_SIMILARITY:
        return None
    tag, created = Tag.objects.get_or_create(
        item=item, theme=themes[best], defaults={"origin": Tag.Origin.SUGGESTED, "confidence": round(float(confidence[best]), 3)}
    )
    return tag if created else None


# -- discovery -------------------------------------------------------------------------------


def start_run(
    *,
    city: City,
    by: User,
    since: date | None = None,
    until: date | None = None,
    requested_themes: int | None = None,
    seed: int = 1,
    neighbourhoods: Iterable[Neighbourhood] = (),
) -> DiscoveryRun:
    """Record a discovery run and queue it; a worker's run covers only the given neighbourhoods."""
    if since and until and since > until:
        raise ValidationError({"until": _("La data di fine viene prima di quella di inizio.")})
    if requested_themes is not None and not 2 <= requested_themes <= MAX_REQUESTED_THEMES:
        raise ValidationError({"requested_themes": _("Il numero di temi va da 2 a %(max)d.") % {"max": MAX_REQUESTED_THEMES}})
    today = timezone.localdate()
    run = DiscoveryRun.objects.create(
        city=city,
        requested_by=by,
        since=since or today - timedelta(days=DEFAULT_PERIOD_DAYS),
        until=until or today,
        requested_themes=requested_themes,
        seed=seed,
    )
    run.neighbourhoods.set(neighbourhoods)
    from .tasks import discover_themes

    discover_themes.enqueue(run.pk)
    return run


def run_items(run: DiscoveryRun) -> QuerySet[TextItem]:
    """The items a run reads: its city and period, and its neighbourhoods when it has some."""
    items = TextItem.objects.filter(city_id=run.city_id).exclude(text="")
    if run.since:
        items = items.filter(written_at__date__gte=run.since)
    if run.until:
        items = items.filter(written_at__date__lte=run.until)
    neighbourhoods = list(run.neighbourhoods.values_list("pk", flat=True))
    if neighbourhoods:
        items = items.filter(neighbourhood_id__in=neighbourhoods)
    return items.order_by("pk")


def _progress(run: DiscoveryRun, value: float) -> None:
    run.progress = max(run.progress, min(100, int(value)))
    DiscoveryRun.objects.filter(pk=run.pk).update(progress=run.progress)


def run_discovery(run: DiscoveryRun) -> list[Theme]:
    """Run the engine over the run's items and record what it found.

    Missing embeddings are computed and stored first. The engine starts from the themes the items are
    in now (`previous_outcome`), so a run after a few new texts moves few items. Each cluster is matched to the live (or
    retired) theme whose centre is most alike (MATCH_THRESHOLD), best pairs first and one to one;
    a matched theme keeps its name and people's work and gets a MATCHED event, a retired one is
    not proposed again; every other cluster becomes a candidate theme. Items get engine tags with
    their confidence, except where a tag exists already (a rejected tag is never put back), and lose
    the engine tags this run no longer gives them on the themes it found again.
    Same items and seed give the same result.
    """
    DiscoveryRun.objects.filter(pk=run.pk).update(status=DiscoveryRun.Status.RUNNING, progress=1)
    run.status, run.progress = DiscoveryRun.Status.RUNNING, 1
    items = list(run_items(run))
    embed_items(items, progress=lambda done: _progress(run, 1 + done * 49))
    _progress(run, 50)
    found = []
    if len(items) >= 2:
        requested = min(run.requested_themes, len(items)) if run.requested_themes else None
        vectors = np.vstack([item.vector() for item in items])
        # Started from the themes the items are in now; the engine uses that start only when this run has
        # as many themes (asked for, or its own choice): the previous count never sets this run's number.
        result = engine.discover(
            [item.text for item in items], n_themes=requested, seed=run.seed, embeddings=vectors, previous=previous_outcome(run, items)
        )
        _progress(run, 80)
    # What a run found and its being done are written together: a run interrupted before (its worker
    # killed) has recorded nothing and is run again whole by the next worker; one interrupted after is done.
    with transaction.atomic():
        if len(items) >= 2:
            found = _record_themes(run, items, vectors, result)
        DiscoveryRun.objects.filter(pk=run.pk).update(
            status=DiscoveryRun.Status.DONE, progress=100, item_count=len(items), theme_count=len(found), finished_at=timezone.now()
        )
    run.refresh_from_db()
    return found


# Which of an item's tags says the theme it is in now, best first: a tag of a live theme before one of a
# retired theme, the engine's own before a person's before a suggestion, the newest first.
_STATUS_RANK: dict[str, int] = {Theme.Status.NAMED: 0, Theme.Status.CANDIDATE: 0, Theme.Status.RETIRED: 1}
_ORIGIN_RANK: dict[str, int] = {Tag.Origin.ENGINE: 0, Tag.Origin.PERSON: 1, Tag.Origin.SUGGESTED: 2}


def previous_outcome(run: DiscoveryRun, items: Sequence[TextItem]) -> npt.NDArray[np.int_] | None:
    """The themes the run's `items` (`run_items`) are in now, as the engine's `previous`: one theme
    number an item (0, 1, 2… in the themes' primary-key order), -1 for an item in no theme; None when
    no item is in one (a first run, which so gives what it gave before).

    An item's theme is read from its tags that are not rejected (a person said it does not belong), on
    themes of the run's city that are live or retired. Retired themes count: retiring says a theme is not
    worth showing, not that its texts do not belong together, and their texts keep their tags; without
    them the previous outcome would have one theme fewer than the run asks for after every retirement,
    and the engine would start from scratch. A later run that finds such a group again matches it to the
    retired theme and neither proposes it nor tags with it (`_record_themes`). Merged themes hold no
    tag but rejected ones (merging moves the others onto the survivor), so their texts count in the
    survivor, as people decided; a split theme's tags went to its two parts. An item with several
    tags (a person's beside the engine's, or an engine tag of a theme a later run did not find again)
    is in the theme of its first tag in `_STATUS_RANK`, `_ORIGIN_RANK`, newest order.

    The engine uses this start only when it has as many themes as the run (`engine.discover`), so a run
    that asks for a different number, or whose own choice of the number differs, starts from scratch as
    before: the previous count never forces this run's number of themes.
    """
    positions = {item.pk: position for position, item in enumerate(items)}
    tags = Tag.objects.filter(
        item__in=run_items(run).values("pk"),  # a subquery: a run may read 100,000 items
        rejected=False,
        theme__city_id=run.city_id,
        theme__status__in=LIVE + (Theme.Status.RETIRED,),
    ).values_list("item_id", "theme_id", "theme__status", "origin", "pk")
    best: dict[int, tuple[tuple[int, int, int], int]] = {}
    for item_id, theme_id, status, origin, pk in tags.iterator(chunk_size=5000):
        rank = (_STATUS_RANK[status], _ORIGIN_RANK[origin], -pk)
        if item_id not in best or rank < best[item_id][0]:
            best[item_id] = (rank, theme_id)
    if not best:
        return None
    number = {theme_id: n for n, theme_id in enumerate(sorted({theme_id for _rank, theme_id in best.values()}))}
    outcome = np.full(len(items), -1, dtype=int)
    for item_id, (_rank, theme_id) in best.items():
        if item_id in positions:  # an item written since `items` were read is not in this run
            outcome[positions[item_id]] = number[theme_id]
    return outcome


def _match(centroids: Vectors, themes: list[Theme]) -> dict[int, Theme]:
    """Pairs (cluster index, theme) of clusters found again, best similarity first, one to one."""
    if not themes or not len(centroids):
        return {}
    similarity = centroids @ np.vstack([t.centroid_vector() for t in themes]).T
    pairs = sorted(
        ((float(similarity[c, t]), c, t) for c in range(len(centroids)) for t in range(len(themes)) if similarity[c, t] >= MATCH_THRESHOLD),
        key=lambda p: (-p[0], p[1], p[2]),
    )
    matched, used = {}, set()
    for _sim, c, t in pairs:
        if c not in matched and t not in used:
            matched[c] = themes[t]
            used.add(t)
    return matched


@transaction.atomic
def _record_themes(run: DiscoveryRun, items: list[TextItem], vectors: Vectors, result: engine.Discovery) -> list[Theme]:
    units = np.vstack([_unit(v) for v in vectors])
    labels = result.labels
    centroids = np.vstack([_unit(units[labels == t.theme].mean(axis=0)) for t in result.themes])
    known = list(Theme.objects.filter(city_id=run.city_id, status__in=LIVE + (Theme.Status.RETIRED,)).exclude(centroid=None).order_by("pk"))
    matched = _match(centroids, known)
    now = timezone.now()
    themes = []
    for index, found in enumerate(result.themes):
        members = [items[i] for i in np.flatnonzero(labels == found.theme)]
        dates = [m.written_at for m in members]
        detail = {"run": run.pk, "size": found.size, "key_phrases": found.key_phrases}
        theme = matched.get(index)
        if theme is None:
            theme = Theme.objects.create(
                city_id=run.city_id,
                suggested_name=found.name[:200],
                key_phrases=found.key_phrases,
                run=run,
                centroid=to_bytes(centroids[index]),
                first_seen=min(dates),
                last_seen=max(dates),
            )
            ThemeEvent.objects.create(theme=theme, action=ThemeEvent.Action.PROPOSED, detail=detail, by=run.requested_by, at=now)
        else:
            detail["similarity"] = round(float(centroids[index] @ theme.centroid_vector()), 4)
            ThemeEvent.objects.create(theme=theme, action=ThemeEvent.Action.MATCHED, detail=detail, by=run.requested_by, at=now)
            if theme.status == Theme.Status.RETIRED:
                continue  # people said it is not a theme: do not propose it again nor tag with it
            theme.suggested_name, theme.key_phrases, theme.run = found.name[:200], found.key_phrases, run
            theme.save(update_fields=["suggested_name", "key_phrases", "run"])
        themes.append((index, theme))

    live = {index: theme for index, theme in themes}
    # By theme only (a handful of ids), not by item: a run may read 100,000 items.
    existing = {(t.item_id, t.theme_id): t for t in Tag.objects.filter(theme__in=[t.pk for t in live.values()])}
    new, refreshed = [], []
    for position, item in enumerate(items):
        index = next(i for i, t in enumerate(result.themes) if t.theme == labels[position])
        theme = live.get(index)
        if theme is None:
            continue
        _sims, confidence = _confidences(units[position], centroids)
        value = round(float(confidence[index]), 3)
        tag = existing.get((item.pk, theme.pk))
        if tag is None:
            new.append(Tag(item=item, theme=theme, origin=Tag.Origin.ENGINE, confidence=value))
        elif not tag.rejected and tag.origin != Tag.Origin.PERSON:
            tag.origin, tag.confidence = Tag.Origin.ENGINE, value
            refreshed.append(tag)
    Tag.objects.bulk_create(new, batch_size=1000)
    Tag.objects.bulk_update(refreshed, ["origin", "confidence"], batch_size=1000)
    # The engine's own tags it no longer gives, on the themes it found again, for the items of this run:
    # an item the engine moved leaves its old theme instead of staying in both. A person's tag, a
    # rejected one (it keeps the engine from putting it back), a suggestion and the tags of themes this
    # run did not find again are people's or another judgement's, and stay.
    given = {(tag.item_id, tag.theme_id) for tag in [*new, *refreshed]}
    in_run = {item.pk for item in items}
    stale = [
        tag.pk for key, tag in existing.items() if tag.origin == Tag.Origin.ENGINE and not tag.rejected and key not in given and tag.item_id in in_run
    ]
    for start in range(0, len(stale), 1000):
        Tag.objects.filter(pk__in=stale[start : start + 1000]).delete()
    for _index, theme in themes:
        refresh_theme(theme)
    return [theme for _index, theme in themes]


def refresh_theme(theme: Theme) -> None:
    """Recompute a theme's centre and first/last seen from its items (tags not rejected)."""
    items = TextItem.objects.filter(tags__theme=theme, tags__rejected=False)
    span = items.aggregate(first=Min("written_at"), last=Max("written_at"))
    vectors = [v for v in (i.vector() for i in items.only("embedding")) if v is not None]
    if vectors:
        theme.centroid = to_bytes(_unit(np.vstack([_unit(v) for v in vectors]).mean(axis=0)))
    theme.first_seen, theme.last_seen = span["first"], span["last"]
    theme.save(update_fields=["centroid", "first_seen", "last_seen"])


# -- what people do with themes --------------------------------------------------------------


def _require_live(theme: Theme) -> None:
    if not theme.is_live:
        raise ValidationError(_("Questo tema è già stato unito o archiviato: non si può più modificare."))


def _event(theme: Theme, action: str, by: User, **detail: Any) -> ThemeEvent:
    return ThemeEvent.objects.create(theme=theme, action=action, by=by, detail=detail)


@transaction.atomic
def name_theme(theme: Theme, name: str, *, by: User, description: str | None = None) -> Theme:
    """Give a theme a name in people's own words (a candidate becomes named; a named one is renamed)."""
    _require_live(theme)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Scrivi un nome per il tema.")})
    if len(name) > 120:
        raise ValidationError({"name": _("Il nome può avere al massimo 120 caratteri.")})
    taken = Theme.objects.filter(city_id=theme.city_id, status__in=LIVE, name__iexact=name).exclude(pk=theme.pk)
    if taken.exists():
        raise ValidationError({"name": _("C'è già un tema con questo nome: scegline un altro o unisci i due temi.")})
    previous, was_candidate = theme.name, theme.status == Theme.Status.CANDIDATE
    theme.name = name
    if description is not None:
        theme.description = description.strip()
    fields = ["name", "description"]
    if was_candidate:
        theme.status, theme.named_by, theme.named_at = Theme.Status.NAMED, by, timezone.now()
        fields += ["status", "named_by", "named_at"]
    theme.save(update_fields=fields)
    if was_candidate:
        _event(theme, ThemeEvent.Action.NAMED, by, name=name, suggested_name=theme.suggested_name)
    else:
        _event(theme, ThemeEvent.Action.RENAMED, by, name=name, previous=previous)
    return theme


@transaction.atomic
def merge_themes(survivor: Theme, other: Theme, *, by: User) -> Theme:
    """Move `other`'s items onto `survivor`; `other` becomes MERGED into it.

    A tag the survivor already has (rejected or not) wins over the moved one; rejected tags of
    `other` stay on it, so its history keeps what people refused.
    """
    if survivor.pk == other.pk:
        raise ValidationError({"other": _("Scegli un tema diverso da questo.")})
    if survivor.city_id != other.city_id:
        raise ValidationError({"other": _("Si possono unire solo temi della stessa città.")})
    _require_live(survivor)
    _require_live(other)
    taken = Tag.objects.filter(theme=survivor).values("item_id")
    moving = Tag.objects.filter(theme=other, rejected=False)
    moved = moving.exclude(item_id__in=taken).update(theme=survivor)
    moving.filter(item_id__in=taken).delete()
    survivor.categories.add(*other.categories.all())
    other.status, other.merged_into = Theme.Status.MERGED, survivor
    other.save(update_fields=["status", "merged_into"])
    _event(other, ThemeEvent.Action.MERGED, by, into=survivor.pk, into_name=survivor.label)
    _event(survivor, ThemeEvent.Action.MERGED, by, absorbed=other.pk, absorbed_name=other.label, items=moved)
    refresh_theme(survivor)
    return survivor


@transaction.atomic
def split_theme(theme: Theme, *, by: User, seed: int = 1) -> list[Theme]:
    """Re-cluster a theme's items in two with the engine: two new candidates (split_from the
    theme) take its tags, and the theme itself is retired. Returns the two new themes."""
    _require_live(theme)
    tags = list(Tag.objects.filter(theme=theme, rejected=False).select_related("item").order_by("item_id"))
    if len(tags) < 4:
        raise ValidationError(_("Servono almeno 4 testi per separare un tema in due."))
    items = [tag.item for tag in tags]
    embed_items(items)
    vectors = np.vstack([item.vector() for item in items])
    result = engine.discover([item.text for item in items], n_themes=2, seed=seed, embeddings=vectors)
    if len(result.themes) < 2:
        raise ValidationError(_("Il motore non trova due gruppi distinti in questo tema."))
    units = np.vstack([_unit(v) for v in vectors])
    centroids = np.vstack([_unit(units[result.labels == t.theme].mean(axis=0)) for t in result.themes])
    parts = []
    for found, centroid in zip(result.themes, centroids):
        part = Theme.objects.create(
            city_id=theme.city_id,
            suggested_name=found.name[:200],
            key_phrases=found.key_phrases,
            run=theme.run,
            centroid=to_bytes(centroid),
            split_from=theme,
        )
        part.categories.set(theme.categories.all())
        parts.append(part)
        _event(part, ThemeEvent.Action.PROPOSED, by, split_from=theme.pk, split_from_name=theme.label, size=found.size)
    for position, tag in enumerate(tags):
        index = next(i for i, t in enumerate(result.themes) if t.theme == result.labels[position])
        _sims, confidence = _confidences(units[position], centroids)
        tag.theme = parts[index]
        if tag.origin != Tag.Origin.PERSON:
            tag.origin, tag.confidence = Tag.Origin.ENGINE, round(float(confidence[index]), 3)
    Tag.objects.bulk_update(tags, ["theme", "origin", "confidence"])
    theme.status = Theme.Status.RETIRED
    theme.save(update_fields=["status"])
    _event(theme, ThemeEvent.Action.SPLIT, by, into=[p.pk for p in parts], into_names=[p.label for p in parts])
    for part in parts:
        refresh_theme(part)
    return parts


@transaction.atomic
def retire_theme(theme: Theme, *, by: User, reason: str = "") -> Theme:
    """Archive a theme: it stops counting and later runs do not propose it again."""
    _require_live(theme)
    theme.status = Theme.Status.RETIRED
    theme.save(update_fields=["status"])
    _event(theme, ThemeEvent.Action.RETIRED, by, reason=reason.strip()[:500])
    return theme


@transaction.atomic
def set_categories(theme: Theme, categories: Iterable[TraditionalCategory], *, outside: bool, by: User) -> Theme:
    """Link a theme to zero or more traditional categories, or mark it outside all of them."""
    _require_live(theme)
    categories = list(categories)
    if outside and categories:
        raise ValidationError(_("Un tema fuori dalle categorie tradizionali non può essere collegato a una di esse."))
    theme.categories.set(categories)
    theme.outside_categories = bool(outside)
    theme.save(update_fields=["outside_categories"])
    _event(theme, ThemeEvent.Action.LINKED, by, categories=[c.code for c in categories], outside=bool(outside))
    return theme


# -- tags ------------------------------------------------------------------------------------


def add_tag(item: TextItem, theme: Theme, *, by: User) -> Tag:
    """A person tags an item with a live theme of its city (a rejected tag is accepted again)."""
    if theme.city_id != item.city_id:
        raise ValidationError({"theme": _("Il tema non è di questa città.")})
    _require_live(theme)
    tag, created = Tag.objects.get_or_create(item=item, theme=theme, defaults={"origin": Tag.Origin.PERSON, "set_by": by})
    if not created:
        tag.origin, tag.rejected, tag.set_by = Tag.Origin.PERSON, False, by
        tag.save(update_fields=["origin", "rejected", "set_by"])
    return tag


def reject_tag(tag: Tag, *, by: User) -> Tag:
    """A person says the theme does not fit the item: the tag stays, rejected, so no run puts it back."""
    tag.rejected, tag.set_by = True, by
    tag.save(update_fields=["rejected", "set_by"])
    return tag
