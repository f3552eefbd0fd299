"""Answers of four kinds for a need: offers, activities, groups and services, ranked together.

The market ranks offers itself (queries.ranked_offers). The other kinds belong to apps the market
must not import (collective and initiatives sit above it, docs/architecture.md): each of them
registers a provider here from its AppConfig.ready(). A provider reads its own app through its own
queries and scope rules, scores with the helpers below (the same words and place as offers, the
same least relevance), and enrols the person when a match to one of its answers is accepted.
Services belong to the people app, below the market, and are read here directly.
"""

import math
from collections import Counter, namedtuple
from dataclasses import dataclass

import numpy as np
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy

from trama.people.queries import SERVICE_ROW, service_rows
from trama.territory.queries import adjacent_neighbourhoods
from trama.text import shared_words, stems
from trama.wording import gettext as _
from trama.wording import reverse_id

from . import meaning
from .index import index_for, one_look, source_index_for
from .models import AnswerChanges, Match
from .queries import MIN_BEST_MEANING, MIN_MEANING, MIN_TEXT, WORDS_WEIGHT, list_stands, meaning_carries, ranked_offers

# The labels the need page and the API show for each kind.
LABELS = {
    Match.Kind.OFFER: gettext_lazy("Offerta"),
    Match.Kind.ACTIVITY: gettext_lazy("Attività"),
    Match.Kind.GROUP: gettext_lazy("Gruppo"),
    Match.Kind.SERVICE: gettext_lazy("Servizio"),
}
# Other kinds: words first, then place, as for offers; no time nor kind of help to compare.
WEIGHTS = {"text": 0.55, "place": 0.2}
# One scale for all kinds: added to the score of an answer of each kind before the kinds are ranked
# together (offers are the reference). Offers add time (0.15) and kind (0.1) to text and place, which the
# other kinds have nothing to compare; without a shift they crowd the others out of the first five.
# Fitted on the development half of the brokerage evaluation set (bench/fit_kinds.py, docs/benchmarks.md):
# more than the 0.15 a need naming no day gives every offer for time, as the judged activities, groups and
# services answer a need at least as often as an offer does. On the held-out half it lifts nDCG@10 more
# than MRR@5, and less than on the development half it was fitted on.
KIND_SHIFT = {Match.Kind.ACTIVITY: 0.2, Match.Kind.GROUP: 0.2, Match.Kind.SERVICE: 0.3}
# A list reads the best few candidates of a kind: candidates() puts only about this many in order, and a
# cursor orders the rest when it gets to them (a stable sort of thousands of scores is most of a kind's cost).
ORDERED_FIRST = 64


class Answer:
    """One answer to a need: what it is, why it fits (`reasons`, and the one line `explanation` they make),
    where to read it (`url`), and one line on when and where (`detail`: an activity's days and place, a
    service's hours) or who runs it; `offer`, for offers (templates and API show it as before).

    With `later` (a function returning {field: value} for any of reasons, explanation, url, detail), those
    are written when first read: a list of every kind ranks many answers and shows ten, and only those ten
    are explained."""

    def __init__(self, kind, target_id, title, score, parts, reasons=None, explanation="", url="", detail="", offer=None, later=None):
        self.kind, self.target_id, self.title, self.score, self.parts, self.offer = kind, target_id, title, score, parts, offer
        self._told = {"reasons": reasons if reasons is not None else [], "explanation": explanation, "url": url, "detail": detail}
        self._later = later

    def _tell(self, name):
        if self._later is not None:
            later, self._later = self._later, None
            self._told.update(later())
        return self._told[name]

    reasons = property(lambda self: self._tell("reasons"))
    explanation = property(lambda self: self._tell("explanation"))
    url = property(lambda self: self._tell("url"))
    detail = property(lambda self: self._tell("detail"))

    @property
    def label(self):
        return LABELS[self.kind]

    def __repr__(self):
        return f"Answer({self.kind}, {self.target_id}, {self.title!r}, score={self.score:.4f})"


@dataclass
class Provider:
    kind: str
    # (need, for_user, limit) -> [Answer], best first, only answers `for_user` may see (None: anyone's).
    rank: object
    # (need, target_id, for_user) -> Answer or None: the one answer, if it fits and `for_user` may see it.
    get: object
    # (match, by) -> None: the person is enrolled (with the consent her acceptance gives), once.
    enrol: object = None


_providers = {}


def register_provider(kind, rank, get, enrol=None):
    """An app offers answers of `kind` (one of Match.Kind but offers) to needs."""
    if kind not in Match.Kind.values or kind == Match.Kind.OFFER:
        raise ValueError(f"unknown kind of answer: {kind}")
    _providers[kind] = Provider(kind, rank, get, enrol)


# More answers of a kind from an app that is not the kind's provider: an intervention object (initiatives)
# reaches a need through the group that runs it (collective's kind). {kind: [(rank, get)]}
_more = {}


def register_more(kind, rank, get):
    """An app adds answers of a registered `kind` that its provider cannot see, with the same (need,
    for_user, limit) -> [Answer] and (need, target_id, for_user) -> Answer | None as a provider; the
    kind's provider still enrols. An answer both give is listed once, with the better score."""
    if kind not in Match.Kind.values or kind == Match.Kind.OFFER:
        raise ValueError(f"unknown kind of answer: {kind}")
    _more.setdefault(kind, []).append((rank, get))


@dataclass
class Source:
    """Where the answers of a kind come from, for the answers' index (index.SourceIndex): `rows(city_id)`
    -> [(pk, text, neighbourhood ids, embedding, embedding model)] of the records that may answer a need
    (open to people: running, forming...), and `fetch(need, pks, for_user)` -> [Answer] of those of `pks`
    that `for_user` may see and the person could join (the app's own scope rules decide, on the few
    read). `models`: those whose saves and deletions change the rows (M2M through models included).
    `by_place(user)` -> the neighbourhood ids whose rows `user` may see, or None: the index leaves the
    others out before the app's rule is asked (a worker's answers are not fetched ten at a time among a
    city's); it must never leave out a row the rule allows. A source whose scope is not the rows' places
    gives each row a sixth field, its scope keys, and `by_place` answers in those keys (services: the
    neighbourhoods of the organisation)."""

    name: str
    kind: str
    rows: object
    fetch: object
    models: tuple = ()
    by_place: object = None


_sources: dict = {}


def register_source(name, kind, rows, fetch, models=(), by_place=None):
    """An app's records become answers of `kind` ranked from the answers' index: returns the provider's
    (need, for_user, limit) -> [Answer]. Saves and deletions of `models` tell the index to re-read."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    if kind not in Match.Kind.values or kind == Match.Kind.OFFER:
        raise ValueError(f"unknown kind of answer: {kind}")
    source = _sources[name] = Source(name, kind, rows, fetch, tuple(models), by_place)

    def changed(sender, raw=False, action="post_add", **kwargs):
        if not raw and action in ("post_add", "post_remove", "post_clear"):
            touch_source(name)

    for model in source.models:
        if model._meta.auto_created:  # an M2M through model
            m2m_changed.connect(changed, sender=model, weak=False, dispatch_uid=f"answers:{name}:{model._meta.label}")
        else:
            post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"answers:{name}:{model._meta.label}:save")
            post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"answers:{name}:{model._meta.label}:delete")

    def rank(need, for_user, limit):
        return rank_source(source, need, for_user, limit)

    rank.source = source  # type: ignore[attr-defined]  # every_kind reads the index before the app
    return rank


def touch_source(name):
    """One more change to the records of source `name`: the answers' index re-reads them before its next
    ranking (in the writing transaction: a change rolled back is not counted)."""
    from django.db.models import F

    if not AnswerChanges.objects.filter(source=name).update(count=F("count") + 1):
        AnswerChanges.objects.get_or_create(source=name, defaults={"count": 1})


def touch_sources_of(model):
    """Every source whose rows `model` feeds has changed (a meaning vector stored with update())."""
    for source in _sources.values():
        if model in source.models:
            touch_source(source.name)


def candidates(source, need, within=None):
    """The rows of `source` that could answer `need` as (pks, scores, strong: whether the row's meaning
    would let a list stand, queries.list_stands, ordered: how many come first in their final order): the
    rule of scorer() applied to every row at once (words at least MIN_TEXT or meaning at least MIN_MEANING;
    0.55 text + 0.2 place), from the answers' index; with `within`, only rows in those neighbourhoods.
    The first `ordered` rows are the best, best first (ties in the index's order); every later row scores
    less than all of them and keeps the index's order (in_order() puts them in theirs)."""
    offers = index_for(need.city_id)
    rows = source_index_for(source, need.city_id)
    n = len(rows.ids)
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.bool_), 0
    words = rows.word_scores(offers, need.search_tokens)
    need_meaning = meaning.from_bytes(need.embedding, need.embedding_model)
    if need_meaning is not None:
        similar = rows.vectors @ need_meaning
        text = np.where(rows.has_vector, WORDS_WEIGHT * words + (1 - WORDS_WEIGHT) * np.maximum(similar, 0), words)
        fits = (words >= MIN_TEXT) | (rows.has_vector & (similar >= MIN_MEANING))
        strong = rows.has_vector & (similar >= MIN_BEST_MEANING)
    else:
        text, fits, strong = words, words >= MIN_TEXT, np.zeros(n, dtype=np.bool_)
    adjacent = {nb.pk if hasattr(nb, "pk") else nb for nb in adjacent_neighbourhoods(need.neighbourhood)}
    total = WEIGHTS["text"] * text + WEIGHTS["place"] * rows.place_scores(need.neighbourhood_id, adjacent)
    if within is not None:
        fits &= rows.serving_mask(within)
    chosen = np.flatnonzero(fits)
    ordered = len(chosen)
    if ordered > ORDERED_FIRST:
        # Those scoring at least the ORDERED_FIRST-th best (ties included) first, the rest after them.
        scores = total[chosen]
        best = scores >= np.partition(scores, ordered - ORDERED_FIRST)[ordered - ORDERED_FIRST]
        chosen = np.concatenate([chosen[best], chosen[~best]])
        ordered = int(np.count_nonzero(best))
    head = chosen[:ordered]
    chosen[:ordered] = head[np.argsort(-total[head], kind="stable")]
    return rows.ids[chosen], total[chosen], strong[chosen], ordered


def in_order(scores, ordered, *columns):
    """candidates()' rows all best first (ties in the index's order): the rows of `scores` and of the
    other `columns` after the first `ordered` sorted in place by `scores`."""
    if ordered < len(scores):
        order = np.argsort(-scores[ordered:], kind="stable")
        for column in (scores, *columns):
            column[ordered:] = column[ordered:][order]


def rank_source(source, need, for_user, limit):
    """The best `limit` answers of `source` for `need` that `for_user` may see: the index ranks, the app
    reads only the best few through its own scope, a few more while some were not for her."""
    cursor = _Cursor(source, need, for_user)
    while cursor.left() and len(cursor.answers) < limit:
        cursor.read(limit - len(cursor.answers))
    return sorted(cursor.answers, key=lambda a: -a.score)[:limit]


class _Cursor:
    """The candidates of one source for one need, read through the app's scope a few at a time."""

    def __init__(self, source, need, for_user):
        self.source, self.need, self.for_user = source, need, for_user
        within = source.by_place(for_user) if source.by_place is not None and for_user is not None else None
        self.pks, self.own, self.strong, self.ordered = candidates(source, need, within)
        self.scores = self.own + KIND_SHIFT.get(source.kind, 0.0)  # on the common scale
        self.at, self.answers = 0, []
        self.batch = 1  # grows while most of what is read is not for her (no query per candidate)

    def left(self):
        return self.at < len(self.pks)

    def _order(self, upto):
        """The candidates before `upto` in their final order (candidates() orders only the best few)."""
        if upto > self.ordered:
            in_order(self.own, self.ordered, self.pks, self.scores, self.strong)
            self.ordered = len(self.pks)

    def next_score(self):
        if not self.left():
            return None
        self._order(self.at + 1)
        return float(self.scores[self.at])

    def read(self, n):
        """Read the next `n` candidates (at least one): those `for_user` may see become answers."""
        n = max(n, self.batch)
        self._order(self.at + n)
        found = self.source.fetch(self.need, [int(pk) for pk in self.pks[self.at : self.at + n]], self.for_user)
        if len(found) * 2 < n:
            self.batch = n * 4
        self.answers += found
        self.at += n


def provider(kind):
    return _providers.get(kind)


def kinds():
    """The kinds of answer on offer now: offers and those registered."""
    return [Match.Kind.OFFER, *[k for k in Match.Kind.values if k in _providers]]


# -- scoring, shared by the providers ---------------------------------------------------------------


def _vector(tokens, idf):
    counts = Counter(tokens)
    vector = {s: (1 + math.log(n)) * idf(s) for s, n in counts.items()}
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {s: v / norm for s, v in vector.items()} if norm else {}


def scorer(need):
    """A function (stems of an answer's words, its neighbourhood ids, its meaning vector or None) ->
    (score, parts), or None when the answer falls below the least relevance: words similarity at least
    MIN_TEXT or, when the need and the answer both have a meaning vector, meaning similarity at least
    MIN_MEANING, as for offers (place never stands in for either).

    Words are weighed as in the offers' index (TF-IDF, sublinear): a stem no offer has counts as the
    rarest. With both vectors the text part is WORDS_WEIGHT × words + the rest × meaning (negatives as
    0), as for offers. Place: 1 for the need's neighbourhood, 0.5 for an adjacent one.
    """
    index = index_for(need.city_id)
    top = float(np.max(index.idf)) if index.matrix is not None and len(index.idf) else 1.0

    def idf(stem):
        return index.rarity(stem) or top

    need_vector = _vector(need.search_tokens.split(), idf)
    adjacent = {n.pk if hasattr(n, "pk") else n for n in adjacent_neighbourhoods(need.neighbourhood)}

    need_meaning = meaning.from_bytes(need.embedding, need.embedding_model)

    def score(tokens, neighbourhood_ids, vector=None):
        answer_vector = _vector(tokens, idf)
        words = sum(v * answer_vector.get(s, 0.0) for s, v in need_vector.items())
        similar, text = None, words
        if need_meaning is not None and vector is not None:
            similar = float(need_meaning @ vector)
            text = WORDS_WEIGHT * words + (1 - WORDS_WEIGHT) * max(similar, 0.0)
        if words < MIN_TEXT and (similar is None or similar < MIN_MEANING):
            return None
        ids = set(neighbourhood_ids)
        place = 1.0 if need.neighbourhood_id in ids else (0.5 if ids & adjacent else 0.0)
        parts = {
            "text": round(text, 4),
            "words": round(words, 4),
            "meaning": round(similar or 0.0, 4),
            "embedded": similar is not None,
            "place": place,
        }
        return WEIGHTS["text"] * text + WEIGHTS["place"] * place, parts

    score.rarity = idf
    return score


def explain(need, kind, text, parts, rarity=None, extra=()):
    """Why this answer, in one line of plain Italian: the shared words, the place, then `extra`."""
    reasons = []
    common = shared_words(need.search_tokens.split(), text, limit=3, weight=rarity)
    if common:
        reasons.append(_("parole in comune: %(words)s") % {"words": ", ".join(common)})
    if meaning_carries(parts):
        reasons.append(_("significato simile"))
    if parts["place"] >= 1:
        reasons.append(_("nello stesso quartiere"))
    elif parts["place"] > 0:
        reasons.append(_("in un quartiere vicino"))
    reasons += [str(e) for e in extra if e]
    return [capfirst(r) + "." for r in reasons], capfirst("; ".join(reasons)) + "."


# -- services (people app: below the market, read directly) ---------------------------------------


def _service_answer(need, service, score):
    """The answer a service gives `need`, from its row (people.queries.service_rows, by SERVICE_ROW's names)."""
    tokens = f"{service.name} {service.description}"
    # Words, meaning (the vector people's table keeps, market.tasks.embed_service) and place, as for the other kinds.
    vector = meaning.from_bytes(service.embedding, service.embedding_model)
    result = score(stems(tokens), [service.place_neighbourhood_id] if service.place_id and service.place_neighbourhood_id else [], vector)
    if result is None:
        return None
    total, parts = result

    def later():
        where = service.place_name if service.place_id else ""
        extra = [
            _("presso %(where)s") % {"where": where} if where else "",
            _("orari: %(hours)s") % {"hours": service.opening_hours} if service.opening_hours else "",
        ]
        reasons, line = explain(need, Match.Kind.SERVICE, tokens, parts, score.rarity, extra)
        detail = " · ".join(x for x in (service.organisation_name, where, service.opening_hours) if x)
        return {"reasons": reasons, "explanation": line, "url": reverse_id("organisations:detail", service.organisation_id), "detail": detail}

    return Answer(Match.Kind.SERVICE, service.pk, service.name, total, parts, later=later)


_ServiceRow = namedtuple("_ServiceRow", SERVICE_ROW)


def _read_services(need, pks, for_user):
    """The services among `pks` that `for_user` may see (people.queries.service_rows: the organisations' rule),
    as rows with named columns."""
    return [_ServiceRow._make(row) for row in service_rows(for_user, need.city_id, pks)]


def _service_rows(city_id):
    """The city's services, for the answers' index: words, the place's neighbourhood, meaning, and who may
    see them (the sixth field, people.rules.services_by_place's keys): the neighbourhoods of their
    organisation, or ORGANISATION_ANYWHERE for one that has none yet."""
    from trama.people.models import Organisation, Service
    from trama.people.rules import ORGANISATION_ANYWHERE

    served = {}
    through = Organisation.neighbourhoods.through
    for organisation_id, nb in through.objects.filter(organisation__city_id=city_id).values_list("organisation_id", "neighbourhood_id"):
        served.setdefault(organisation_id, []).append(nb)
    rows = Service.objects.filter(organisation__city_id=city_id).order_by("pk")
    for pk, name, description, nb, embedding, model, organisation_id in rows.values_list(
        "pk", "name", "description", "place__neighbourhood_id", "embedding", "embedding_model", "organisation_id"
    ):
        yield pk, f"{name} {description}", [nb] if nb else [], embedding, model, served.get(organisation_id, [ORGANISATION_ANYWHERE])


def _fetch_services(need, pks, for_user):
    score = scorer(need)
    found = (_service_answer(need, s, score) for s in _read_services(need, pks, for_user))
    return [a for a in found if a is not None]


def _service_models():
    from trama.people.models import Organisation, Service
    from trama.territory.models import Place

    # The organisation's neighbourhoods decide who sees its services (people.rules.ORGANISATIONS).
    return (Service, Place, Organisation.neighbourhoods.through)


def _services_by_place(user):
    from trama.people.rules import services_by_place

    return services_by_place(user)


def get_service(need, target_id, for_user):
    found = _read_services(need, [target_id], for_user)
    return _service_answer(need, found[0], scorer(need)) if found else None


rank_services = register_source("service", Match.Kind.SERVICE, _service_rows, _fetch_services, _service_models(), by_place=_services_by_place)
register_provider(Match.Kind.SERVICE, rank_services, get_service)


# -- all together -------------------------------------------------------------------------------------


def _offer_answer(candidate):
    offer = candidate.offer

    def later():
        return {
            "reasons": candidate.reasons,
            "explanation": candidate.explanation,
            "url": offer.get_absolute_url(),
            "detail": offer.organisation.name if offer.organisation_id else offer.person.display_name,
        }

    return Answer(Match.Kind.OFFER, offer.pk, offer.title, candidate.score, candidate.parts, offer=offer, later=later)


def ranked_answers(need, limit=10, for_user=None):
    """Offers (ranked_offers), activities, groups and services that could answer `need`, best first,
    each labelled by its kind and explained in one line. Below the least relevance nothing is padded
    in, and the stopping rule (queries.list_stands) holds for the list of all kinds together: when the
    need has a meaning vector and none of the embedded answers means much the same, nothing is
    proposed. An empty list means nothing fits."""
    with one_look(need.city_id, _sources):
        answers = every_kind(need, limit, for_user)
    for answer in answers:
        calibrate(answer)
    answers.sort(key=lambda a: -a.score)
    return answers[:limit]


def every_kind(need, limit, for_user=None, each=False):
    """The answers ranked_answers sorts, on their own kind's scale (uncalibrated), the stopping rule
    applied as to the best `limit` answers of each kind. With `each`, the best `limit` of every kind
    (bench/fit_kinds.py calibrates on them); without, only those that can be among the best `limit` of
    all kinds on the common scale: the indexes rank every kind, and the apps read only the records that
    can be shown (and, when those do not let the list stand, those that could)."""
    answers = [_offer_answer(c) for c in ranked_offers(need, limit=limit, for_user=for_user, stop=False)]
    cursors = []
    for kind in kinds()[1:]:
        ranks = [_providers[kind].rank, *(rank for rank, _get in _more.get(kind, []))]
        if each or not all(hasattr(rank, "source") for rank in ranks):
            answers += _once([a for rank in ranks for a in rank(need, for_user, limit)])
        else:
            cursors += [_Cursor(rank.source, need, for_user) for rank in ranks]
    if cursors:
        read = _read_the_best(answers, cursors, limit)
        if need.embedding is not None and not list_stands(_meanings(answers + read)):
            _read_until_one_stands(cursors, limit)
            read = _once([a for c in cursors for a in c.answers])
        answers += read
    if need.embedding is not None and not list_stands(_meanings(answers)):
        return []
    return answers


def _meanings(answers):
    return np.array([a.parts["meaning"] for a in answers if a.parts.get("embedded")])


def _read_the_best(answers, cursors, limit):
    """Read candidates until none left unread can be among the best `limit` of all kinds (common scale)."""
    while True:
        read = _once([a for c in cursors for a in c.answers])
        shown = sorted([a.score for a in answers] + [a.score + KIND_SHIFT.get(a.kind, 0.0) for a in read], reverse=True)
        floor = shown[limit - 1] if len(shown) >= limit else None
        waiting = [c for c in cursors if c.left() and (floor is None or c.next_score() > floor)]
        if not waiting:
            return read
        for cursor in waiting:
            # No more than could still be shown: of a kind, at most `limit` answers make the list.
            room = limit - len(cursor.answers)
            above = int(np.count_nonzero(cursor.scores[cursor.at :] > floor)) if floor is not None else limit
            cursor.read(max(min(above, room), 1))


def _read_until_one_stands(cursors, limit):
    """The stopping rule looks at the best `limit` answers of each kind: read, in a kind whose unread
    candidates within its best `limit` include one whose meaning would let the list stand, until it does."""
    for cursor in cursors:
        while cursor.left() and len(cursor.answers) < limit and cursor.strong[cursor.at :].any():
            if any(a.parts.get("embedded") and list_stands(np.array([a.parts["meaning"]])) for a in cursor.answers):
                break
            cursor.read(limit - len(cursor.answers))


def calibrate(answer):
    """Put `answer` on the common scale of all kinds: its kind's shift (KIND_SHIFT) added to its score,
    once; the score on its own kind's scale stays in parts["own_scale"]."""
    if "own_scale" not in answer.parts:
        answer.parts["own_scale"] = answer.score
        answer.score += KIND_SHIFT.get(answer.kind, 0.0)
    return answer


def _once(answers):
    """Each answer once (the same group reached by its own words and by its activity's), the best score kept."""
    best = {}
    for answer in answers:
        key = (answer.kind, answer.target_id)
        if key not in best or answer.score > best[key].score:
            best[key] = answer
    return list(best.values())


def answer_for(need, kind, target_id, for_user):
    """The answer of `kind` and id for `need` that `for_user` may see and propose, or None."""
    if kind == Match.Kind.OFFER:
        return next((_offer_answer(c) for c in ranked_offers(need, limit=50, for_user=for_user) if c.offer.pk == target_id), None)
    registered = provider(kind)
    if registered is None:
        return None
    found = [a for a in [registered.get(need, target_id, for_user), *(get(need, target_id, for_user) for _rank, get in _more.get(kind, []))] if a]
    return calibrate(max(found, key=lambda a: a.score)) if found else None


# -- the other direction: the open needs an offer could answer ---------------------------------------

# A need waiting at least this long, met by a new offer that words and meaning both say fits (a strong
# answer), is worth telling the workers of its neighbourhood about.
OLD_NEED_DAYS = 14


def _open_needs(city_id, for_user):
    """The open needs of the city that `for_user` may broker (rules.NEEDS_TO_BROKER; None: all)."""
    from .models import Need
    from .rules import NEEDS_TO_BROKER

    needs = Need.objects.filter(city_id=city_id, status__in=[Need.Status.OPEN, Need.Status.BROKERING])
    if for_user is not None:
        needs = needs.filter(pk__in=NEEDS_TO_BROKER.visible_to(for_user).values("pk"))
    return needs


def _rank_needs(needs, city_id, tokens, vector, serving, limit):
    """`needs` that an answer with these stems, meaning vector and neighbourhoods could answer, best first,
    as (need, score, parts): the rule of ranked_offers read the other way (see needs_for_offer)."""
    index = index_for(city_id)
    top = max((float(x) for x in index.vectorizer.idf_), default=1.0) if index.matrix is not None else 1.0

    def idf(stem):
        return index.rarity(stem) or top

    answer_words = _vector(tokens, idf)
    served = {n.pk if hasattr(n, "pk") else n for n in serving}
    near = set()
    for neighbourhood in serving:
        near |= {n.pk if hasattr(n, "pk") else n for n in adjacent_neighbourhoods(neighbourhood)}
    scored = []
    # Scored from their columns; only the needs shown are loaded as records (the pages audit those).
    rows = needs.values_list("pk", "search_tokens", "embedding", "embedding_model", "neighbourhood_id")
    for pk, search_tokens, embedding, embedding_model, neighbourhood_id in rows:
        need_words = _vector(search_tokens.split(), idf)
        words = sum(v * need_words.get(s, 0.0) for s, v in answer_words.items())
        need_meaning = meaning.from_bytes(embedding, embedding_model)
        similar = float(vector @ need_meaning) if vector is not None and need_meaning is not None else None
        if words < MIN_TEXT and (similar is None or similar < MIN_MEANING):
            continue
        text = words if similar is None else WORDS_WEIGHT * words + (1 - WORDS_WEIGHT) * max(similar, 0.0)
        place = 1.0 if neighbourhood_id in served else (0.5 if neighbourhood_id in near else 0.0)
        parts = {"text": text, "words": words, "meaning": similar or 0.0, "embedded": similar is not None, "place": place}
        scored.append((pk, WEIGHTS["text"] * text + WEIGHTS["place"] * place, parts))
    scored.sort(key=lambda item: (-item[1], item[0]))
    scored = scored[:limit]
    shown = needs.model.objects.select_related("neighbourhood").in_bulk([pk for pk, _score, _parts in scored])
    return [(shown[pk], score, parts) for pk, score, parts in scored if pk in shown]


def needs_for_offer(offer, for_user=None, limit=10):
    """The open needs of the offer's city that it could answer, best first, as (need, score, parts):
    only needs `for_user` may broker (rules.NEEDS_TO_BROKER; None: all), never its own person's, never
    one that declined it. The same rule as ranked_offers read the other way: words (TF-IDF weights of
    the offers' index) at least MIN_TEXT, or meaning at least MIN_MEANING where both have a vector,
    text = WORDS_WEIGHT × words + the rest × meaning, plus the place (the need's neighbourhood among
    the offer's: 1, adjacent: 0.5). Needs are read, not indexed: a city has hundreds open, not 100,000."""
    needs = _open_needs(offer.city_id, for_user)
    if offer.person_id:
        needs = needs.exclude(person_id=offer.person_id)
    declined = Match.objects.filter(offer=offer, status=Match.Status.DECLINED).values("need_id")
    needs = needs.exclude(pk__in=declined)
    vector = meaning.from_bytes(offer.embedding, offer.embedding_model)
    return _rank_needs(needs, offer.city_id, offer.search_tokens.split(), vector, list(offer.neighbourhoods.all()), limit)


def needs_for_answer(kind, target_id, *, city_id, text, vector, neighbourhoods, people=(), for_user=None, limit=10):
    """The open needs an activity, a group or a service (`kind`, `target_id`) could answer, best first, as
    (need, score, parts), by the same rule as needs_for_offer: its `text` (name and description) and
    meaning `vector` (or None) against each need's, plus its `neighbourhoods`. Only needs `for_user` may
    broker (None: all); never the needs of `people` (already in it: its members, its participants), nor
    one whose person declined it. The app that owns the answer calls it (collective, initiatives)."""
    needs = _open_needs(city_id, for_user).exclude(person_id__in=list(people))
    declined = Match.objects.filter(kind=kind, answer_id=target_id, status=Match.Status.DECLINED).values("need_id")
    return _rank_needs(needs.exclude(pk__in=declined), city_id, stems(text), vector, list(neighbourhoods), limit)


def is_strong(parts):
    """Words and meaning both say the answer fits: shared words (MIN_TEXT) and a meaning as close as the
    stopping rule asks of the best answer of a list (MIN_BEST_MEANING)."""
    return parts["embedded"] and parts["words"] >= MIN_TEXT and parts["meaning"] >= MIN_BEST_MEANING


def tell_old_needs_of_strong_offer(offer, now=None):
    """Tell the workers of each need waiting for OLD_NEED_DAYS or more that the new `offer` answers it
    strongly (is_strong): the task that embeds the offer calls it, never a request. Recipients: the
    workers of the need's neighbourhood (who may broker it). Once per need and offer (the key)."""
    from datetime import timedelta

    from django.utils import timezone

    from trama.access import WORKER, role_of, works_in
    from trama.notifications.models import Kind
    from trama.notifications.services import notify
    from trama.people.queries import staff_of_city

    since = (now or timezone.now()) - timedelta(days=OLD_NEED_DAYS)
    strong = [need for need, _score, parts in needs_for_offer(offer, limit=50) if need.created_at <= since and is_strong(parts)]
    if not strong:
        return 0
    staff = [user for user in staff_of_city(offer.city_id) if role_of(user) == WORKER]
    told = 0
    for need in strong:
        workers = [user for user in staff if works_in(user, need.neighbourhood_id)]
        told += len(notify(Kind.STRONG_ANSWER, workers, url=need.get_absolute_url(), key=f"{Kind.STRONG_ANSWER}:{need.pk}:{offer.pk}"))
    return told
