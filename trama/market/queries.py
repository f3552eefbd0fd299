"""Reads of the market reused by views, API and insights."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import numpy.typing as npt
from django.db import connection, connections, router
from django.db.models import Count, Field, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import TruncMonth, TruncQuarter, TruncYear
from django.utils.text import capfirst
from django.utils.translation import ngettext

from trama import embeddings
from trama.access import COORDINATOR, role_of
from trama.aggregates import Presence, count_by_quarter
from trama.people.models import Person
from trama.privacy.suppression import suppress_counts, threshold_for
from trama.territory.models import Neighbourhood
from trama.territory.queries import adjacent_neighbourhoods
from trama.text import shared_words
from trama.wording import gettext as _

from . import meaning
from .index import KIND_CODES, index_for
from .models import RECORDED_CHANNELS, Contribution, Match, Need, Offer, Sector, Slot, Weekday, bit_labels
from .rules import CONTRIBUTIONS, MATCHES, NEEDS, OFFERS, open_offers_by_place

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from trama.access import User, Viewer
    from trama.aggregates import QuarterCounts
    from trama.territory.models import City

    from .index import OfferIndex


def offers_visible_to(user: Viewer) -> QuerySet[Offer]:
    """Offers `user` may see (rules.OFFERS): the public sees only open offers of organisations."""
    return OFFERS.visible_to(user)


def needs_visible_to(user: Viewer) -> QuerySet[Need]:
    """Needs are never public: coordinators in their city, workers in their neighbourhoods, citizens their own."""
    return NEEDS.visible_to(user)


def matches_visible_to(user: Viewer) -> QuerySet[Match]:
    return MATCHES.visible_to(user)


def contributions_visible_to(user: Viewer) -> QuerySet[Contribution]:
    return CONTRIBUTIONS.visible_to(user)


def _full_text(queryset: QuerySet[Any], text: str | None, fields: Sequence[str], config: str = "italian") -> QuerySet[Any]:
    # Any: offers or needs (annotate() loses the model for the type checker anyway).
    """PostgreSQL full-text search in Italian where available, a plain icontains elsewhere."""
    text = (text or "").strip()[:100]
    if not text:
        return queryset
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        vector = SearchVector(*fields, config=config)
        return queryset.annotate(_search=vector).filter(_search=SearchQuery(text, config=config, search_type="websearch"))
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__icontains": text})
    return queryset.filter(condition)


def search_offers(
    queryset: QuerySet[Offer],
    *,
    q: str | None = "",
    neighbourhood: Neighbourhood | int | None = None,
    kind: str = "",
    status: str = "",
    who: str = "",
) -> QuerySet[Offer]:
    """Filter offers by words, neighbourhood, kind, status and who offers ('organisations' or 'people')."""
    if who:
        queryset = queryset.filter(organisation__isnull=who == "people")
    if neighbourhood:
        queryset = queryset.filter(neighbourhoods=neighbourhood)
    if kind:
        queryset = queryset.filter(kind=kind)
    if status:
        queryset = queryset.filter(status=status)
    return _full_text(queryset, q, ["title", "description"])


def search_needs(
    queryset: QuerySet[Need], *, q: str | None = "", neighbourhood: Neighbourhood | int | None = None, urgency: str = "", status: str = ""
) -> QuerySet[Need]:
    if neighbourhood:
        queryset = queryset.filter(neighbourhood=neighbourhood)
    if urgency:
        queryset = queryset.filter(urgency=urgency)
    if status:
        queryset = queryset.filter(status=status)
    return _full_text(queryset, q, ["text"])


# Weights of the ranking: what the text says counts most, then where, when and what kind.
WEIGHTS = {"text": 0.55, "place": 0.2, "time": 0.15, "kind": 0.1}
# The least text similarity (cosine of TF-IDF over stems) that makes an offer an answer at all: place,
# time and kind only add to it, never stand in for it. Tuned on the demo city (docs/architecture.md,
# "Brokerage"): its right answers score 0.277 and more, the wrong ones that share one common word
# ("aiuto") 0.185 or less; 0.22 is about halfway.
MIN_TEXT = 0.22
# Offers whose matches ended well rank a little higher: OUTCOME_STEP a match, at most OUTCOME_CAP,
# so a popular offer never outranks a clearly better answer.
OUTCOME_STEP = 0.02
OUTCOME_CAP = 0.06
# Meaning (market.meaning: cosine of the texts' e5 vectors reduced to 128 dimensions), where both the
# need and the offer have a vector: the text part is then WORDS_WEIGHT × words + the rest × meaning, and an
# offer sharing no words qualifies when its meaning similarity is at least MIN_MEANING. Both chosen on the
# development half of the brokerage evaluation set (bench/fit_meaning.py, docs/benchmarks.md): the
# reduced vectors are centred, so their cosines spread from about -0.2 to 0.9 and weigh more than the raw
# e5 cosines (all near 0.85) did in the benchmark's own mix.
WORDS_WEIGHT = 0.65
MIN_MEANING = 0.21
# The stopping rule: where the need has a meaning vector, a list stands only when at least one of its
# answers means much the same as the need (meaning similarity at least MIN_BEST_MEANING); otherwise
# nothing is proposed, rather than answers that only share a word. Chosen on the development half of
# the brokerage set (bench/fit_stopping.py): a floor under every answer's score cost more than it gained
# at any height; this one silences 2 of the 8 development needs with no answer at no cost. On the
# held-out half it silences none of its 8 and 6.7 % of the needs with an answer (docs/benchmarks.md).
MIN_BEST_MEANING = 0.37


class Candidate:
    """An offer for a need, its score and parts, and why (its reasons and the one line they make). With
    `later` (a function returning the reasons and the line), they are written when first read: a list of
    every kind explains only the offers it shows (market.answers.ranked_answers)."""

    def __init__(
        self,
        offer: Offer,
        score: float,
        parts: dict[str, Any],
        reasons: list[str] | None = None,
        explanation: str = "",
        later: Callable[[], tuple[list[str], str]] | None = None,
    ) -> None:
        self.offer, self.score, self.parts = offer, score, parts
        self._reasons, self._explanation = reasons if reasons is not None else [], explanation
        self._later = later

    def _told(self) -> None:
        if self._later is not None:
            later, self._later = self._later, None
            self._reasons, self._explanation = later()

    @property
    def reasons(self) -> list[str]:
        self._told()
        return self._reasons

    @property
    def explanation(self) -> str:
        self._told()
        return self._explanation

    def __repr__(self) -> str:
        return f"Candidate(offer={self.offer.pk}, score={self.score:.4f})"


def ranked_offers(
    need: Need, limit: int = 10, adjacent: set[int] | None = None, for_user: Viewer | None = None, stop: bool = True
) -> list[Candidate]:
    """Open offers that could answer `need`, best first, each with the reasons for its place.

    With `for_user`, only offers that account may see (rules.OFFERS): a worker is never shown,
    nor can propose, a person's offer outside their neighbourhoods.

    Never the person's own offers, nor an offer already declined for this need. An offer must share
    words with the need (words similarity, TF-IDF over Italian stems, at least MIN_TEXT) or, when both
    have a meaning vector, mean much the same (meaning similarity at least MIN_MEANING); then score =
    0.55 text similarity (WORDS_WEIGHT words + the rest meaning when both have a vector, else the words
    alone) + 0.2 place (same neighbourhood 1, adjacent 0.5) + 0.15 days and
    times overlap + 0.1 kind, plus OUTCOME_STEP for each of the offer's matches that ended well, up
    to OUTCOME_CAP. When the need has a meaning vector and no qualifying offer's meaning reaches
    MIN_BEST_MEANING (the stopping rule), the list is empty. A need in a script the embedder does not
    know (not_understood) is answered by place and kind alone. `stop=False` leaves that to a caller that
    applies it to a longer list (market.answers.ranked_answers, offers and the other kinds together). An empty list means nothing fits: nothing
    is padded in.
    """
    index = index_for(need.city_id)
    n = len(index.ids)
    if n == 0:
        return []
    adjacent = adjacent_neighbourhoods(need.neighbourhood) if adjacent is None else adjacent
    words = index.text_scores(need.search_tokens)
    need_vector = meaning.from_bytes(need.embedding, need.embedding_model)
    if need_vector is not None:
        similar = index.meaning_scores(need_vector)
        mixed = WORDS_WEIGHT * words + (1 - WORDS_WEIGHT) * np.maximum(similar, 0)
        # An offer the worker has not embedded yet is ranked by its words alone.
        text = np.where(index.has_vector, mixed, words).astype(np.float32)
        by_meaning = index.has_vector & (similar >= MIN_MEANING)
    else:
        similar = np.zeros(n, dtype=np.float32)
        text, by_meaning = words, np.zeros(n, dtype=np.bool_)
    place = index.place_scores(need.neighbourhood_id, adjacent)
    when = index.time_scores(need.days, need.slots)
    kind = (index.kind == KIND_CODES[need.kind]).astype(np.float32) if need.kind else np.zeros(n, dtype=np.float32)
    total = WEIGHTS["text"] * text + WEIGHTS["place"] * place + WEIGHTS["time"] * when + WEIGHTS["kind"] * kind
    if not_understood(need):
        # Written in a script the embedder does not know (nor do the offers' words): the text cannot say
        # anything, so the offers serving the place, of the kind asked if one was.
        fits = (place > 0) & (kind > 0) if need.kind else place > 0
    else:
        fits = (words >= MIN_TEXT) | by_meaning
    eligible = index.open_mask() & fits & (index.person != need.person_id)
    if for_user is not None:
        eligible &= _visible_mask(index, for_user, need.city_id)
    if stop and need_vector is not None and not list_stands(similar[eligible & index.has_vector]):
        return []
    total = np.where(eligible, total, -1.0)
    k = min(limit * 3, n)  # a few spare, in case some were declined for this need or are no longer open
    top: Any = np.argpartition(-total, k - 1)[:k] if k < n else np.arange(n)  # Any: an array of positions, then a list
    top = [int(i) for i in top[np.argsort(-total[top], kind="stable")] if total[i] >= 0]
    if not top:
        return []
    reach = top + _within_outcome_reach(total, top, limit)
    declined, done = _history(need, [int(index.ids[i]) for i in reach])
    bonus = {i: min(OUTCOME_STEP * done.get(int(index.ids[i]), 0), OUTCOME_CAP) for i in reach}
    if done or declined:  # stable: without outcomes, the order above
        top = sorted((i for i in reach if int(index.ids[i]) not in declined), key=lambda i: -(total[i] + bonus[i]))[:k]
    out: list[Candidate] = []
    by_id: dict[int, Offer] = {}
    for n, i in enumerate(top):
        if n % limit == 0:
            # The winners are read `limit` at a time: usually one read of as many offers as will be shown;
            # the spares only when some of them have closed since the index last looked.
            batch = [int(index.ids[j]) for j in top[n : n + limit]]
            # No order (by id, in the order above); the statement compiled once (_read_offers).
            by_id = {o.pk: o for o in _read_offers(batch)}
        offer = by_id.get(int(index.ids[i]))
        if offer is None or offer.status != Offer.Status.OPEN or offer.remaining <= 0:
            continue
        parts = {
            "text": float(text[i]),
            "words": float(words[i]),
            "meaning": float(similar[i]) if index.has_vector[i] else 0.0,
            "place": float(place[i]),
            "time": float(when[i]),
            "kind": float(kind[i]),
            "outcome": float(bonus[i]),
            "embedded": bool(index.has_vector[i]) and need_vector is not None,
        }
        out.append(Candidate(offer, float(total[i] + bonus[i]), parts, later=_why(need, offer, parts, done.get(offer.pk, 0), index.rarity)))
        if len(out) == limit:
            break
    return out


class _Compiled:
    """A queryset's statement compiled once, run again with other values of its parameters: the rows become
    model instances as the queryset would make them (select_related included), without Django building the
    query each time. For statements read on every ranking, whose shape never changes."""

    def __init__(self, queryset: QuerySet[Any]) -> None:
        from django.db.models.query import get_related_populators

        self.db = queryset.db
        self.compiler = queryset.query.get_compiler(using=self.db)
        sql, params = self.compiler.as_sql()
        self.sql, self.params = sql, tuple(params)
        select, klass_info = self.compiler.select, self.compiler.klass_info
        assert klass_info is not None and not self.compiler.annotation_col_map
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [f[0].target.attname for f in select[self.start : self.end]]
        self.related_populators = get_related_populators(klass_info, select, self.db)  # type: ignore[call-arg]  # Django 5.2: no fetch mode yet

    def run(self, params: Sequence[Any]) -> list[Any]:
        with self.compiler.connection.cursor() as cursor:
            cursor.execute(self.sql, list(params))
            rows = cursor.fetchall()
        out = []
        for row in self.compiler.results_iter([rows]):
            obj = self.model.from_db(self.db, self.init_list, row[self.start : self.end])
            for populator in self.related_populators:
                populator.populate(row, obj)
            out.append(obj)
        return out


# The winners' statement per (database connection, number of ids): usually one (a list's ten).
_offers_read: dict[tuple[int, int], _Compiled] = {}


def _read_offers(pks: list[int]) -> list[Offer]:
    """The offers of `pks` with their organisation and person, in no order: what
    Offer.objects.filter(pk__in=pks).select_related("organisation", "person").order_by() reads, from a
    statement compiled once for this many ids (Django built it on every ranking: half the read's CPU)."""
    if not pks:
        return []
    db = router.db_for_read(Offer)
    # The connection of this thread (Django keeps one per thread): a compiled statement holds it.
    key = (id(connections[db]), len(pks))
    compiled = _offers_read.get(key)
    # The very connection, not one of a finished thread whose id Python gave again to this one's.
    if compiled is not None and compiled.compiler.connection is not connections[db]:
        compiled = None
    if compiled is None:
        # Placeholder values, all different (Django would merge equal ones): the parameters are the ids alone.
        compiled = _Compiled(Offer.objects.filter(pk__in=range(1, len(pks) + 1)).select_related("organisation", "person").order_by())
        if compiled.params != tuple(range(1, len(pks) + 1)) or compiled.db != db:
            return list(Offer.objects.filter(pk__in=pks).select_related("organisation", "person").order_by())
        if len(_offers_read) >= 64:
            _offers_read.clear()
        _offers_read[key] = compiled
    return compiled.run(pks)


def _why(need: Need, offer: Offer, parts: dict[str, Any], ended_well: int, weight: Callable[[str], float]) -> Callable[[], tuple[list[str], str]]:
    """The reasons for `offer` and their line, written when first read (Candidate)."""

    def later() -> tuple[list[str], str]:
        fragments = explain(need, offer, parts, ended_well, weight=weight)
        return [capfirst(f) + "." for f in fragments], capfirst("; ".join(fragments)) + "."

    return later


def not_understood(need: Need) -> bool:
    """Whether the need is written mostly in a script the embedder does not know (trama.embeddings.covers):
    the worker gives it no vector, the offers' Italian words cannot meet it, and ranked_offers answers it
    by place and kind alone; the need's page says so."""
    return any(c.isalpha() for c in need.text) and not embeddings.covers(need.text)


def list_stands(similarities: npt.NDArray[np.floating[Any]]) -> bool:
    """The stopping rule: whether a list whose embedded answers have these meaning similarities to the
    need may stand (none of them embedded yet: the words decide alone)."""
    return len(similarities) == 0 or float(similarities.max()) >= MIN_BEST_MEANING


def _within_outcome_reach(total: npt.NDArray[np.floating[Any]], top: list[int], limit: int) -> list[int]:
    """Rows left out of `top` whose outcome bonus could still lift them into it (the best few)."""
    floor = total[top[-1]]
    reach = np.setdiff1d(np.flatnonzero(total >= max(floor - OUTCOME_CAP, 0)), top, assume_unique=True)
    if len(reach) > limit * 2:
        reach = reach[np.argsort(-total[reach], kind="stable")[: limit * 2]]
    return [int(i) for i in reach]


def _history(need: Need, offer_ids: list[int]) -> tuple[set[int], dict[int, int]]:
    """In one read: the offers declined for `need` ({ids}) and how many matches of each of `offer_ids`
    were concluded ({offer id: count}, only those with some). Written once as SQL (as index.offers_stamp):
    every ranking reads it, and Django building the query (an OR and fifty ids) cost three times what the
    database takes to answer it."""
    declined: set[int]
    done: dict[int, int]
    declined, done = set(), {}
    with connection.cursor() as cursor:
        cursor.execute(_history_sql(len(offer_ids)), [need.pk, Match.Status.DECLINED.value, *offer_ids, Match.Status.DONE.value])
        rows = cursor.fetchall()
    for offer_id, status in rows:
        if status == Match.Status.DECLINED and offer_id in offer_ids:
            declined.add(offer_id)
        elif status == Match.Status.DONE:
            done[offer_id] = done.get(offer_id, 0) + 1
    return declined, done


def _history_sql(n: int) -> str:
    """The statement of _history for `n` offer ids: the need's declined matches and the offers' concluded ones."""
    q = connection.ops.quote_name

    def col(name: str) -> str:
        field = Match._meta.get_field(name)
        assert isinstance(field, Field) and field.column is not None
        return q(field.column)

    offers = f"{col('offer')} IN ({', '.join(['%s'] * n)})" if n else "1 = 0"
    return (
        f"SELECT {col('offer')}, {col('status')} FROM {q(Match._meta.db_table)}"
        f" WHERE ({col('need')} = %s AND {col('status')} = %s) OR ({offers} AND {col('status')} = %s)"
    )


def _visible_mask(index: OfferIndex, user: Viewer, city_id: int) -> npt.NDArray[np.bool_]:
    """Which open offers of the index `user` may see: all of them for a coordinator of the city; for a
    worker, as rules.OFFERS says, an organisation's or one serving her neighbourhoods, from the index's
    own columns (no list of ids read); for the other roles (their own offers), from the rule's rows."""
    if role_of(user) == COORDINATOR and cast("User", user).city_id in (None, city_id):
        return np.ones(len(index.ids), dtype=bool)
    by_place = open_offers_by_place(user)
    if by_place is not None:
        organisations, neighbourhood_ids = by_place
        mask = index.serving_mask(neighbourhood_ids)
        return mask | index.organisation if organisations else mask
    visible = OFFERS.visible_to(user).filter(city_id=city_id, status=Offer.Status.OPEN).values_list("pk", flat=True)
    return np.isin(index.ids, np.fromiter(visible, dtype=index.ids.dtype))


def _either(labels: Iterable[StrOrPromise]) -> str:
    names = [str(label) for label in labels]
    return names[0] if len(names) == 1 else _("%(some)s o %(last)s") % {"some": ", ".join(names[:-1]), "last": names[-1]}


def _when_both(need: Need, offer: Offer) -> str:
    """The days and times the need asks for that the offer covers, as people say them ("sabato di mattina");
    empty when the need asks for none, or the offer misses its days or its times."""
    days, slots = need.days & (offer.days or need.days), need.slots & (offer.slots or need.slots)
    if (need.days and not days) or (need.slots and not slots):
        return ""
    said = []
    if days:
        said.append(_either(bit_labels(days, Weekday)))
    if slots:
        said.append(_("di %(slot)s") % {"slot": _either(bit_labels(slots, Slot))})
    return " ".join(said)


def meaning_carries(parts: dict[str, float]) -> bool:
    """Whether the meaning made this offer an answer: similar enough, and the words alone would not have
    qualified it or weigh less than the meaning in its score."""
    similar, words = parts.get("meaning", 0.0), parts.get("words", parts.get("text", 0.0))
    return similar >= MIN_MEANING and (words < MIN_TEXT or (1 - WORDS_WEIGHT) * similar >= WORDS_WEIGHT * words)


def explain(need: Need, offer: Offer, parts: dict[str, float], ended_well: int = 0, weight: Callable[[str], float] | None = None) -> list[str]:
    """Why this offer, in short Italian phrases a worker can read aloud (joined into one line by the caller):
    up to three of the words the person wrote that the offer shares (the rarest, by `weight`), the place,
    the days and times both give, the kind, and how often the offer already helped someone well."""
    reasons = []
    common = shared_words(offer.search_tokens.split(), need.text, limit=3, weight=weight)
    if common:
        reasons.append(_("parole in comune: %(words)s") % {"words": ", ".join(common)})
    if meaning_carries(parts):
        reasons.append(_("significato simile"))
    if parts["place"] >= 1:
        reasons.append(_("serve lo stesso quartiere"))
    elif parts["place"] > 0:
        reasons.append(_("serve un quartiere vicino"))
    when = _when_both(need, offer)
    if when:
        reasons.append(_("disponibile %(when)s, come serve") % {"when": when})
    if parts["kind"] > 0:
        reasons.append(_("è il tipo di aiuto cercato (%(kind)s)") % {"kind": offer.get_kind_display()})
    if ended_well:
        reasons.append(ngettext("ha già aiutato bene un'altra persona", "ha già aiutato bene altre %(n)d persone", ended_well) % {"n": ended_well})
    return reasons


# -- the ledger ----------------------------------------------------------------------------

PERIODS = {"month": TruncMonth, "quarter": TruncQuarter, "year": TruncYear}


def ledger_totals(
    *,
    city: City | None = None,
    by: Iterable[str] = ("sector",),
    period: str | None = None,
    start: date | None = None,
    end: date | None = None,
    neighbourhoods: Iterable[Neighbourhood] | Iterable[int] | QuerySet[Neighbourhood] | None = None,
) -> list[dict[str, Any]]:
    """Totals of the contributions ledger: euros, hours and count, grouped by any of
    'sector', 'neighbourhood', 'kind' and, with `period` ('month', 'quarter', 'year'), by period.

    Returns a list of dicts: the grouping keys plus value_eur (Decimal), hours (Decimal)
    and contributions (int), ordered by the keys. The evidence of new resources generated.
    Grouped by neighbourhood, a row carries `neighbourhood_id` and the name as `neighbourhood`:
    rows are grouped by id, so two neighbourhoods with the same name never merge.
    """
    qs = Contribution.objects.all()
    if city is not None:
        qs = qs.filter(city=city)
    if start is not None:
        qs = qs.filter(on__gte=start)
    if end is not None:
        qs = qs.filter(on__lte=end)
    if neighbourhoods is not None:
        qs = qs.filter(neighbourhood__in=neighbourhoods)
    columns = {"sector": ["sector"], "neighbourhood": ["neighbourhood__name", "neighbourhood_id"], "kind": ["kind"]}
    keys = [column for k in by for column in columns[k]]
    if period:
        qs = qs.annotate(period=PERIODS[period]("on"))
        keys.append("period")
    rows = (
        qs.values(*keys)
        .annotate(
            value_eur=Sum("value_eur"),
            hours=Sum("quantity", filter=Q(kind=Contribution.Kind.HOURS)),
            contributions=Count("pk"),
        )
        .order_by(*keys)
    )
    return [
        {
            **{("neighbourhood" if k == "neighbourhood__name" else k): row[k] for k in keys},
            "value_eur": row["value_eur"] or Decimal("0"),
            "hours": row["hours"] or Decimal("0"),
            "contributions": row["contributions"],
        }
        for row in rows
    ]


def time_bank_balance(person: Person) -> dict[str, Decimal]:
    """Hours `person` gave and hours they received (through matches answering their needs)."""
    given = Contribution.objects.filter(person=person, kind=Contribution.Kind.HOURS).aggregate(h=Sum("quantity"))["h"]
    received = Contribution.objects.filter(match__need__person=person, kind=Contribution.Kind.HOURS).aggregate(h=Sum("quantity"))["h"]
    given, received = given or Decimal("0"), received or Decimal("0")
    return {"given": given, "received": received, "balance": given - received}


def reciprocity(person: Person) -> dict[str, Any]:
    """Both sides of one person: what they give and what they receive."""
    return {
        "offers": list(person.offers.order_by("-created_at")[:20]),
        "needs": list(person.needs.select_related("neighbourhood").order_by("-created_at")[:20]),
        "balance": time_bank_balance(person),
    }


def activity_of(person: Person) -> dict[str, Any]:
    """A citizen's own side of the market, for their "La mia attività" page: their offers and needs, the
    matches on either side, the contributions recorded in their name and the hours given and received.
    Nothing here labels the person: no themes, no categories, no signals."""
    matches = Match.objects.filter(Q(need__person=person) | Q(offer__person=person)).select_related("need", "offer").order_by("-proposed_at", "-pk")
    return {
        "offers": list(person.offers.order_by("-created_at")[:50]),
        "needs": list(person.needs.order_by("-created_at")[:50]),
        "matches": list(matches[:50]),
        "contributions": list(Contribution.objects.filter(person=person).order_by("-on", "-pk")[:50]),
        "hours": time_bank_balance(person),
    }


def public_counts(city: City) -> dict[str, Any]:
    """Anonymised counts for the public, small counts hidden: open offers by kind (label -> Cell) and needs met
    by neighbourhood, one row per neighbourhood of the city in name order: `neighbourhood_id`, the name as
    `neighbourhood` and the `needs_met` Cell. Rows are grouped by id, so two neighbourhoods with the same name never merge.
    """
    offers = dict(Offer.objects.filter(city=city, status=Offer.Status.OPEN).values_list("kind").annotate(n=Count("pk")).order_by())
    offers = {str(label): offers.get(kind, 0) for kind, label in Offer.Kind.choices}
    met = dict(Need.objects.filter(city=city, status=Need.Status.MET).values_list("neighbourhood_id").annotate(n=Count("pk")).order_by())
    neighbourhoods = list(Neighbourhood.objects.filter(city=city).order_by("name", "pk").values_list("pk", "name"))
    threshold = threshold_for(city)
    cells = suppress_counts({pk: met.get(pk, 0) for pk, _ in neighbourhoods}, threshold)
    return {
        "offers_by_kind": suppress_counts(offers, threshold),
        "needs_met_by_neighbourhood": [{"neighbourhood_id": pk, "neighbourhood": name, "needs_met": cells[pk]} for pk, name in neighbourhoods],
    }


def accepted_not_started(before: datetime) -> QuerySet[Match]:
    """Matches accepted (or last changed while accepted) before `before` and not started since, with the worker
    who proposed them. The match keeps no date of acceptance: its last change stands for it."""
    return Match.objects.filter(status=Match.Status.ACCEPTED, updated_at__lt=before).select_related("proposed_by").order_by("pk")


def follow_ups_on(days: Iterable[date]) -> QuerySet[Match]:
    """Active matches whose follow-up falls on one of `days` (dates), with the worker who proposed them."""
    return Match.objects.filter(status__in=Match.ACTIVE, follow_up_on__in=list(days)).select_related("proposed_by").order_by("pk")


def offers_ending_between(first: date, last: date) -> QuerySet[Offer]:
    """Offers still open or paused whose availability ends from `first` to `last` (dates, both included), with
    what finding their owners needs (the person's account, the organisation's members)."""
    return (
        Offer.objects.filter(status__in=[Offer.Status.OPEN, Offer.Status.PAUSED], available_until__gte=first, available_until__lte=last)
        .select_related("person__account")
        .prefetch_related("organisation__members")
        .order_by("available_until", "pk")
    )


# -- figures for insights: plain aggregates per neighbourhood, no one named ----------------

# What the figures of the ledger are broken down by; insights reads them here, not in the models.
ContributionKind = Contribution.Kind
SECTORS = Sector


@Presence
def has_requests(city: City | None) -> list[QuerySet[Any]]:
    """Whether `city` has had any need or any person's offer (without them the count of those on paper is "no data")."""
    return [Need.objects.filter(city=city), Offer.objects.filter(city=city, person__isnull=False)]


def requests_recorded_per_neighbourhood(city: City | None, since: datetime, until: datetime) -> dict[int, int]:
    """{neighbourhood id: needs and people's offers} that arrived from `since` (included) to `until` (excluded) on
    paper, by phone or in person, written down by a worker (two queries): a need counts in its neighbourhood, an
    offer in its person's."""
    recorded = [c.value for c in RECORDED_CHANNELS]
    per: dict[int, int] = defaultdict(int)
    needs = Need.objects.filter(city=city, channel__in=recorded, created_at__gte=since, created_at__lt=until)
    for neighbourhood, n in needs.values_list("neighbourhood_id").annotate(n=Count("pk")).order_by():
        per[neighbourhood] += n
    offers = Offer.objects.filter(city=city, person__isnull=False, channel__in=recorded, created_at__gte=since, created_at__lt=until)
    for neighbourhood, n in offers.values_list("person__neighbourhood_id").annotate(n=Count("pk")).order_by():
        per[neighbourhood] += n
    return dict(per)


@Presence
def has_contributions(city: City | None) -> list[QuerySet[Any]]:
    """Whether `city`'s ledger has any contribution yet (an empty ledger is "no data", not zero)."""
    return [Contribution.objects.filter(city=city)]


def ledger_of_period(city: City | None, start: date, end: date, neighbourhood_ids: Iterable[int]) -> list[dict[str, Any]]:
    """The ledger of the days from `start` (included) to `end` (excluded) in the given neighbourhoods,
    by neighbourhood id, kind and sector: [{neighbourhood_id, kind, sector, value_eur, hours, ...}]
    (`ledger_totals`, one query)."""
    return ledger_totals(
        city=city, by=("neighbourhood", "kind", "sector"), start=start, end=end - timedelta(days=1), neighbourhoods=neighbourhood_ids
    )


def contributors_per_neighbourhood(city: City | None, start: date, end: date, neighbourhood_ids: Iterable[int]) -> dict[int, set[tuple[str, int]]]:
    """{neighbourhood id: {("p", person id) or ("o", organisation id)}}: who gave at least one contribution
    from `start` (included) to `end` (excluded) days, one query. A contributor since erased is no one."""
    givers = (
        Contribution.objects.filter(city=city, on__gte=start, on__lt=end, neighbourhood__in=neighbourhood_ids)
        .values_list("neighbourhood_id", "person_id", "organisation_id")
        .distinct()
    )
    per: defaultdict[int, set[tuple[str, int]]] = defaultdict(set)
    for n, person, organisation in givers:
        if person or organisation:
            per[n].add(("p", person) if person else ("o", organisation))
    return dict(per)


def people_giving_and_receiving(city: City | None, until: datetime, neighbourhood_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    """{neighbourhood id: (people with an offer or a need, people with both)} among the people of `city`
    in those neighbourhoods, counting what they had made before `until` (one query: who gave and who
    asked, each person once per side, counted here; a count over the people with two EXISTS each cost
    PostgreSQL a JIT compilation of 100 ms at 200,000 residents)."""
    ids = list(neighbourhood_ids)
    sides = [
        model.objects.filter(person__city=city, person__neighbourhood__in=ids, created_at__lt=until)
        .annotate(side=Value(side, output_field=IntegerField()))
        .values_list("person_id", "person__neighbourhood_id", "side")
        .distinct()
        .order_by()
        for side, model in ((0, Offer), (1, Need))
    ]
    found: dict[tuple[int, int], set[int]] = defaultdict(set)
    for person, neighbourhood, side in sides[0].union(sides[1], all=True):
        found[(neighbourhood, person)].add(side)
    out: dict[int, tuple[int, int]] = {}
    for (neighbourhood, _person), which in found.items():
        either, both = out.get(neighbourhood, (0, 0))
        out[neighbourhood] = (either + 1, both + (len(which) == 2))
    return out


def needs_made_between(city: City | None, since: datetime, until: datetime, neighbourhood_ids: Iterable[int]) -> QuerySet[Need]:
    """The needs of `city` registered from `since` (included) to `until` (excluded) in those
    neighbourhoods: a queryset, for the figures of the apps above (collective's needs in groups)."""
    return Need.objects.filter(city=city, neighbourhood__in=neighbourhood_ids, created_at__gte=since, created_at__lt=until)


def needs_by_quarter(city: City | None, since: datetime, until: datetime) -> QuarterCounts:
    """{(neighbourhood id, quarter): needs} registered between `since` and `until` (open data, one query)."""
    return count_by_quarter(Need.objects.filter(city=city, created_at__gte=since, created_at__lt=until), "neighbourhood_id", "created_at")


def offers_by_quarter(city: City | None, since: datetime, until: datetime) -> QuarterCounts:
    """{(neighbourhood id, quarter): offers} registered between `since` and `until`; an offer serving
    several neighbourhoods counts in each (open data, one query)."""
    return count_by_quarter(Offer.objects.filter(city=city, created_at__gte=since, created_at__lt=until), "neighbourhoods", "created_at")
