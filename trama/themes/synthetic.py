"""Themes' part of the synthetic city (`manage.py generate_city`, orchestrated by trama/synthetic.py).

The text items of needs, signals and encounters, one discovery run and the themes it found, named
and linked to the traditional categories, and the texts' tags. Each function takes the city's
generator `gen` (trama.synthetic.CityGenerator), on which the market's and attention's parts have
noted which phrase bank each text was written from (`gen.theme_of`, by model label and id). It
leaves the themes by phrase bank in `gen.themes`, for the apps above to link what answers them.
"""

from datetime import datetime, time, timedelta

from django.apps import apps
from django.utils.translation import gettext as _

from trama.extensions import text_sources

from . import categories
from .models import DiscoveryRun, Tag, TextItem, Theme, ThemeEvent, TraditionalCategory
from .services import sync_text_items
from .synthetic_phrases import THEMES

# The themes discovery found and the team named, one per phrase bank: (name in people's words,
# key phrases as the engine shows them, traditional categories it touches, outside all of them).
# One is left undecided (no category, not marked outside), as happens while the team discusses it.
NAMED_THEMES = {
    "solitudine": ("Soli in casa", ["sola", "compagnia", "due chiacchiere", "sera", "amici"], [], True),
    "digitale": ("Il telefono e lo SPID non li so usare", ["spid", "smartphone", "computer", "app", "prenotare le visite"], [], True),
    "casa_bollette": (
        "Bollette e affitto che non si riesce a pagare",
        ["bollette", "sfratto", "affitto", "casa popolare", "bonus"],
        ["poverta_adulti", "poverta"],
        False,
    ),
    "compiti": (
        "Compiti senza nessuno che aiuti",
        ["compiti", "matematica", "doposcuola", "ripetizioni", "inglese"],
        ["famiglia_minori", "infanzia_famiglia"],
        False,
    ),
    "caregiver": (
        "Chi assiste non ha mai respiro",
        ["assiste", "malato", "qualche ora", "alzheimer", "sollievo"],
        ["anziani", "disabili", "disabilita"],
        False,
    ),
    "lavoro": ("Rimasti senza lavoro", ["lavoro", "curriculum", "disoccupato", "licenziata", "colloquio"], ["poverta_adulti"], False),
    "trasporti": ("Nessuno che accompagni alle visite", ["passaggio", "visite in ospedale", "accompagni", "autobus", "macchina"], [], False),
    "cibo": (
        "A fine mese non c'è da mangiare",
        ["spesa", "pacchi alimentari", "fine del mese", "emporio solidale", "pasti"],
        ["poverta_adulti", "poverta"],
        False,
    ),
    "lingua": (
        "L'italiano degli uffici e della scuola",
        ["italiano", "permesso di soggiorno", "corso", "tradurre", "documenti"],
        ["immigrati"],
        False,
    ),
    "giovani": ("Ragazzi chiusi in camera", ["ragazzi", "figlio", "esce più di casa", "bullismo", "scuola"], [], True),
    "salute": ("Medicine, cadute e visite saltate", ["medicine", "caduta", "visite", "farmaci", "medico"], ["anziani"], False),
}
DISCOVERY_DAYS_BEFORE_END = 30  # the one discovery run; texts written after it were tagged on arrival
UNTAGGED_SHARE = 0.05  # texts no theme fits well enough
PERSON_TAG_SHARE = 0.02  # texts a worker tagged by hand
TAG_CONFIDENCE = (0.6, 0.95)

# Models whose dates the generator sets itself (their auto_now/auto_now_add set aside while it writes).
DATED = [DiscoveryRun, Theme, Tag]


def delete_synthetic(accounts):
    """Remove what an earlier run made here: the themes (with their tags and events) and runs of synthetic accounts."""
    Theme.objects.filter(named_by__in=accounts).delete()
    DiscoveryRun.objects.filter(requested_by__in=accounts).delete()


def make_text_items(gen):
    """The themes app's copy of the texts (needs, signals, encounter notes), as its signals would have made it."""
    gen.counts[_("testi per i temi")] = sync_text_items(gen.city)[0]
    gen.log(f"{_('testi per i temi')}: {gen.counts[_('testi per i temi')]}")


def make_themes(gen):
    """The themes of NAMED_THEMES that have texts, as if one discovery run had found them a month before
    the reference date, a coordinator had named them and linked them to the traditional categories, and
    newer texts had been tagged on arrival; a few tags set by workers, a few texts left without a theme.
    The themes are left on `gen.themes`, by phrase bank."""
    rng, by = gen.rng, gen.coordinators[0]
    items = list(TextItem.objects.filter(city=gen.city).order_by("pk").values_list("pk", "source", "source_id", "written_at", "neighbourhood_id"))
    label_of = {kind: source.model._meta.label_lower for kind, source in text_sources.items()}
    keys = {pk: gen.theme_of.get((label_of.get(source), source_id)) for pk, source, source_id, _w, _n in items}
    found = [key for key in THEMES if key in set(keys.values())]
    if not found:
        return
    ran = datetime.combine(gen.end - timedelta(days=DISCOVERY_DAYS_BEFORE_END), time(9), tzinfo=gen.zone)
    finished = ran + timedelta(minutes=rng.randint(3, 20))
    last_moment = datetime.combine(gen.end, time(19), tzinfo=gen.zone)
    named_at = {key: finished + timedelta(days=rng.uniform(1, 20)) for key in found}
    run = DiscoveryRun(
        city=gen.city,
        since=gen.start,
        until=ran.date(),
        seed=1,
        status=DiscoveryRun.Status.DONE,
        progress=100,
        item_count=sum(1 for _pk, _s, _id, written, _n in items if written.date() <= ran.date()),
        theme_count=len(found),
        requested_by=by,
        created_at=ran,
        finished_at=finished,
    )
    gen.write(DiscoveryRun, [run])

    tags = []
    for pk, _source, _source_id, written, hood in items:
        key = keys[pk]
        draw = rng.random()
        if key is None or draw < UNTAGGED_SHARE:
            continue
        if draw < UNTAGGED_SHARE + PERSON_TAG_SHARE:
            at = min(max(written, named_at[key]) + timedelta(days=rng.uniform(0, 10)), last_moment)
            tag = Tag(item_id=pk, origin=Tag.Origin.PERSON, set_by=rng.choice(gen.workers_of.get(hood) or gen.coordinators), created_at=at)
        elif written < ran:
            tag = Tag(item_id=pk, origin=Tag.Origin.ENGINE, confidence=round(rng.uniform(*TAG_CONFIDENCE), 3), created_at=finished)
        else:
            tag = Tag(item_id=pk, origin=Tag.Origin.SUGGESTED, confidence=round(rng.uniform(*TAG_CONFIDENCE), 3), created_at=written)
        tag.key, tag.written = key, written
        tags.append(tag)

    themes = {}
    for key in found:
        name, phrases, _codes, outside = NAMED_THEMES[key]
        dates = [t.written for t in tags if t.key == key] or [ran]
        themes[key] = Theme(
            city=gen.city,
            status=Theme.Status.NAMED,
            name=name,
            suggested_name=", ".join(phrases[:2]),
            key_phrases=phrases,
            outside_categories=outside,
            run=run,
            first_seen=min(dates),
            last_seen=max(dates),
            named_by=by,
            named_at=named_at[key],
            created_at=finished,
        )
    gen.write(Theme, list(themes.values()), _("temi"))
    for tag in tags:
        tag.theme = themes[tag.key]
    gen.write(Tag, tags, _("etichette"))

    categories = traditional_categories(gen)
    links, events = [], []
    for key, theme in themes.items():
        _name, phrases, codes, outside = NAMED_THEMES[key]
        codes = [code for code in codes if code in categories]
        links += [(theme, categories[code]) for code in codes]
        size = sum(1 for t in tags if t.key == key and t.origin == Tag.Origin.ENGINE)
        # What name_theme and set_categories record, after the run's proposal.
        events.append(
            ThemeEvent(
                theme=theme, action=ThemeEvent.Action.PROPOSED, by=by, at=finished, detail={"run": run.pk, "size": size, "key_phrases": phrases}
            )
        )
        events.append(
            ThemeEvent(
                theme=theme,
                action=ThemeEvent.Action.NAMED,
                by=by,
                at=theme.named_at,
                detail={"name": theme.name, "suggested_name": theme.suggested_name},
            )
        )
        if codes or outside:
            events.append(
                ThemeEvent(
                    theme=theme,
                    action=ThemeEvent.Action.LINKED,
                    by=by,
                    at=theme.named_at + timedelta(hours=2),
                    detail={"categories": codes, "outside": outside},
                )
            )
    gen.link(Theme.categories, links)
    gen.write(ThemeEvent, events, _("eventi del tema"))
    gen.themes = themes


def traditional_categories(gen):
    """The traditional categories by code; loaded as the themes app's migration loads them if the table is empty."""
    if not TraditionalCategory.objects.exists():
        categories.load(apps)
    return {c.code: c for c in TraditionalCategory.objects.all()}
