"""The suggestion engine: groups of people in similar situations, proposed to the workers.

The situations read are the open needs of the market, the open signals of the attention
network and the notes of the encounters of the last `ENCOUNTER_WINDOW_DAYS` days of a city.
Two situations are *similar* when the themes app tagged them with the same live theme
(candidate or named; rejected tags do not count; each situation takes its best tag) or when
the cosine of their TF-IDF vectors over Italian stems (`trama.text.Analyzer`, as themes reads them; single
stems) reaches `SIMILARITY_THRESHOLD`.

Groups are built as stars: the situation with the most similar ones is the centre, and the
group is the centre plus its similar situations, so every member resembles the centre (no
chains of "A like B like C"). Neighbourhoods are mixed only when every pair of them is the
same or adjacent (`adjacent_neighbourhoods`): around the centre's neighbourhood, the adjacent
ones are added biggest first when adjacent to all those already in.

The size is the number of distinct people. A situation without a person (an anonymous signal,
an encounter with no one registered) counts as one situation of its own: it is a person the
programme met, even if they cannot be invited until a worker reaches them (an encounter about
an anonymous signal is the same situation as the signal). A suggestion needs `group_threshold()`
of them (setting TRAMA_GROUP_THRESHOLD, default 5).

The similar pairs are never all listed (`_BlockedSimilarity`): a theme makes all its situations similar,
so their pairs grow with the square of the city, while the stars only need, per centre, how many free
people its theme's blocks (theme × same or adjacent neighbourhood) hold and which situations its text
resembles outside its theme. The exact way (`exact=True`) is kept as the reference: the tests and
bench/bench_suggestions.py check that both propose the same groups.
"""

from __future__ import annotations

import hashlib
import heapq
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from trama.territory.models import Neighbourhood

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from trama.territory.models import City
    from trama.text import Analyzer
    from trama.themes.models import Theme

    from .models import Suggestion

    Ints = npt.NDArray[np.int_]

# A scipy CSR matrix of TF-IDF rows (one a situation): neither scipy nor scikit-learn has type information.
SparseMatrix = Any
# {neighbourhood id: the ids of it and its adjacent neighbourhoods}
Adjacency = dict[int, set[int]]

DEFAULT_GROUP_THRESHOLD = 5
# Cosine over TF-IDF of stems: 0.3 joins "non riesco a portare a casa la spesa" and "cerco
# qualcuno che mi aiuti a portare la spesa pesante" (0.6), keeps them apart from "aiuto con i
# compiti di matematica" (0.1-0.25); see trama/collective/tests/test_suggestions.py.
SIMILARITY_THRESHOLD = 0.3
ENCOUNTER_WINDOW_DAYS = 180
KEY_PHRASES = 5
# A group takes its theme's name only when at least this share of its situations really belong to the
# theme: tagged with it by a person, or tagged with it (by the engine or on arrival) and writing a word
# of the name it would be shown with. Otherwise the group is named from its own key phrases. A theme
# tags by meaning and may gather texts that share a few words with it (the demo's heavy shopping
# tagged «bolletta, pagare»): a proposal titled with words none of its people wrote reads as a mistake.
THEME_AGREEMENT = 0.5


def group_threshold() -> int:
    return max(2, int(getattr(settings, "TRAMA_GROUP_THRESHOLD", DEFAULT_GROUP_THRESHOLD)))


@dataclass
class Situation:
    source: str  # "need", "signal" or "encounter"
    id: int
    neighbourhood_id: int
    person_id: int | None
    text: str
    key: str  # who it is about: "person:<id>", or the situation itself when no one is known
    theme_id: int | None = None
    theme_by_person: bool = False  # its best tag was set by a person


@dataclass
class Candidate:
    neighbourhood_id: int
    keys: set
    situations: list
    theme_id: int | None = None
    key_phrases: list = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.keys)

    @property
    def signature(self) -> str:
        return signature_of(self.keys)

    @property
    def person_ids(self) -> list[int]:
        return sorted({s.person_id for s in self.situations if s.person_id is not None})


def signature_of(keys: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(sorted(keys)).encode()).hexdigest()


def open_situations(city: City, now: datetime | None = None) -> list[Situation]:
    """The situations of `city` suggestions are made of: open needs, open signals, recent encounter notes."""
    from trama.attention.models import Encounter, Signal
    from trama.market.models import Need

    now = now or timezone.now()
    live_person = Q(person__isnull=True) | Q(person__anonymised_at__isnull=True)
    out = []
    needs = Need.objects.filter(city=city, status__in=[Need.Status.OPEN, Need.Status.BROKERING], person__anonymised_at__isnull=True)
    for pk, nb, person, text in needs.values_list("pk", "neighbourhood_id", "person_id", "text").order_by("pk"):
        out.append(Situation("need", pk, nb, person, text, f"person:{person}"))
    signals = Signal.objects.filter(city=city, status__in=Signal.OPEN, anonymised_at__isnull=True, merged_into__isnull=True).filter(live_person)
    for pk, nb, person, text in signals.values_list("pk", "neighbourhood_id", "person_id", "text").order_by("pk"):
        out.append(Situation("signal", pk, nb, person, text, f"person:{person}" if person else f"signal:{pk}"))
    encounters = (
        Encounter.objects.filter(neighbourhood__city=city, happened_at__gte=now - timedelta(days=ENCOUNTER_WINDOW_DAYS))
        .exclude(notes="")
        .filter(live_person)
    )
    for pk, nb, person, signal, text in encounters.values_list("pk", "neighbourhood_id", "person_id", "signal_id", "notes").order_by("pk"):
        key = f"person:{person}" if person else (f"signal:{signal}" if signal else f"encounter:{pk}")
        out.append(Situation("encounter", pk, nb, person, text, key))
    return out


def _best_themes(city: City, situations: list[Situation]) -> None:
    """Each situation's best live theme: a person's tag first, then the engine's most confident."""
    from trama.themes.models import Tag, Theme

    wanted = {(s.source, s.id) for s in situations}
    best: dict[tuple[str, int], tuple[tuple[bool, float, int], int]] = {}
    tags = Tag.objects.filter(
        item__city=city,
        rejected=False,
        theme__status__in=[Theme.Status.CANDIDATE, Theme.Status.NAMED],
        item__source__in=["need", "signal", "encounter"],
    ).values_list("item__source", "item__source_id", "theme_id", "origin", "confidence")
    for source, source_id, theme_id, origin, confidence in tags:
        ref = (source, source_id)
        if ref not in wanted:
            continue
        rank = (origin == Tag.Origin.PERSON, confidence or 0.0, -theme_id)
        if ref not in best or rank > best[ref][0]:
            best[ref] = (rank, theme_id)
    for s in situations:
        rank, s.theme_id = best.get((s.source, s.id), ((False, 0.0, 0), None))
        s.theme_by_person = rank[0]


def _theme_words(theme_ids: Iterable[int]) -> dict[int, set[str]]:
    """The stems of the name each theme is shown with (a person's name, else the suggested one)."""
    from trama.text import content_words, folded_stem
    from trama.themes.models import Theme

    return {theme.pk: {folded_stem(w) for w in content_words(theme.label)} for theme in Theme.objects.filter(pk__in=set(theme_ids))}


def theme_agreement(chosen: Sequence[Situation], theme_id: int, theme_words: set[str]) -> float:
    """The share of `chosen` that belongs to the theme: tagged with it by a person, or tagged with it and
    writing at least one word (stem) of the theme's name."""
    from trama.text import content_words, folded_stem

    def belongs(s: Situation) -> bool:
        if s.theme_id != theme_id:
            return False
        return s.theme_by_person or bool(theme_words & {folded_stem(w) for w in content_words(s.text)})

    return sum(belongs(s) for s in chosen) / len(chosen) if chosen else 0.0


def _tfidf(texts: list[str]) -> tuple[SparseMatrix | None, Sequence[str], Analyzer]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    from trama.text import Analyzer

    analyzer = Analyzer()
    # Single stems only: in texts of a line or two, bigrams are rare and only dilute the cosine.
    vectorizer = TfidfVectorizer(analyzer=lambda text: [t for t in analyzer.terms(text) if " " not in t], sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # nothing but stop words
        return None, [], analyzer
    return matrix.tocsr(), vectorizer.get_feature_names_out(), analyzer


def _adjacency(neighbourhood_ids: Iterable[int]) -> Adjacency:
    from trama.territory.queries import adjacent_neighbourhoods

    out = {}
    for n in Neighbourhood.objects.with_boundary().filter(pk__in=neighbourhood_ids):
        out[n.pk] = adjacent_neighbourhoods(n) | {n.pk}
    return out


def suggestion_candidates(city: City, threshold: int | None = None, now: datetime | None = None, exact: bool = False) -> list[Candidate]:
    """The groups of similar situations of `city` with at least `threshold` people, biggest first.

    By default the similar situations are found in blocks (`_BlockedSimilarity`), which keeps the
    work about linear in the number of situations; `exact=True` lists every similar pair first
    (`_ExactSimilarity`, quadratic), kept to check the blocks against it (tests and
    bench/bench_suggestions.py).
    """
    threshold = group_threshold() if threshold is None else threshold
    situations = open_situations(city, now)
    if not situations:
        return []
    _best_themes(city, situations)
    matrix, vocabulary, analyzer = _tfidf([s.text for s in situations])
    adjacency = _adjacency({s.neighbourhood_id for s in situations})
    similarity = (_ExactSimilarity if exact else _BlockedSimilarity)(situations, matrix, adjacency)
    theme_words = _theme_words(s.theme_id for s in situations if s.theme_id is not None)
    candidates = [
        _describe(members, situations, matrix, vocabulary, analyzer, theme_words) for members in _stars(situations, similarity, adjacency, threshold)
    ]
    candidates.sort(key=lambda c: (-c.size, c.signature))
    return candidates


def _stars(situations: list[Situation], similarity: _ExactSimilarity | _BlockedSimilarity, adjacency: Adjacency, threshold: int) -> list[list[int]]:
    """The members (indices) of each star of at least `threshold` people, in the order they are taken."""

    def compatible(a: int, b: int) -> bool:
        return b in adjacency.get(a, {a})

    def star(centre: int) -> list[int]:
        """The centre and its free similar situations, neighbourhoods pairwise same or adjacent."""
        home = situations[centre].neighbourhood_id
        members = similarity.free_similar(centre) + [centre]
        per_nb: defaultdict[int, set[str]] = defaultdict(set)
        for j in members:
            per_nb[situations[j].neighbourhood_id].add(situations[j].key)
        chosen = [home]
        for nb in sorted(per_nb, key=lambda n: (-len(per_nb[n]), n)):
            if nb != home and all(compatible(nb, other) for other in chosen):
                chosen.append(nb)
        return [j for j in members if situations[j].neighbourhood_id in chosen]

    # Lazy greedy: the centre reaching the most people first (the lowest index among equals). The heap
    # holds upper bounds of the reaches (they only shrink as situations are taken), so a popped centre
    # whose reach is still what the heap said is the best one left.
    heap = [(-bound, i) for i, bound in enumerate(similarity.bounds())]
    heapq.heapify(heap)
    stars = []
    while heap:
        negative, centre = heapq.heappop(heap)
        if -negative < threshold:
            break
        if not similarity.is_free(centre):
            continue
        current = similarity.reach(centre)
        if current != -negative:
            heapq.heappush(heap, (-current, centre))
            continue
        members = star(centre)
        if len({situations[j].key for j in members}) < threshold:
            continue
        similarity.take(members)
        stars.append(members)
    return stars


class _ExactSimilarity:
    """Every similar pair listed up front: same live theme, or TF-IDF cosine at least SIMILARITY_THRESHOLD,
    between same or adjacent neighbourhoods. Quadratic in the number of situations (a theme alone joins
    all its situations pairwise); kept as the reference the blocks are checked against."""

    def __init__(self, situations: list[Situation], matrix: SparseMatrix | None, adjacency: Adjacency) -> None:
        self.situations = situations
        similar: defaultdict[int, set[int]] = defaultdict(set)
        if matrix is not None:
            cosine = (matrix @ matrix.T).tocoo()
            for i, j, value in zip(cosine.row, cosine.col, cosine.data):
                if i != j and value >= SIMILARITY_THRESHOLD:
                    similar[i].add(j)
        by_theme: defaultdict[int, set[int]] = defaultdict(set)
        for i, s in enumerate(situations):
            if s.theme_id is not None:
                by_theme[s.theme_id].add(i)
        for members in by_theme.values():
            for i in members:
                similar[i] |= members - {i}
        for i in list(similar):
            near = adjacency.get(situations[i].neighbourhood_id, {situations[i].neighbourhood_id})
            similar[i] = {j for j in similar[i] if situations[j].neighbourhood_id in near}
        self.similar = similar
        self.free = set(range(len(situations)))

    def is_free(self, i: int) -> bool:
        return i in self.free

    def bounds(self) -> list[int]:
        return [self.reach(i) for i in range(len(self.situations))]

    def free_similar(self, i: int) -> list[int]:
        return [j for j in sorted(self.similar[i]) if j in self.free]

    def reach(self, i: int) -> int:
        """How many distinct people a star around `i` could hold now (an upper bound of its size)."""
        return len({self.situations[j].key for j in self.similar[i] if j in self.free} | {self.situations[i].key})

    def take(self, members: Iterable[int]) -> None:
        self.free -= set(members)


class _BlockedSimilarity:
    """The same similarity as `_ExactSimilarity` without listing the pairs a theme makes.

    Situations sharing a live theme are all similar to each other: instead of their pairs, the free
    situations are kept per (theme, neighbourhood) block with a count of the people in each, so a
    reach is a sum over the blocks of the same or adjacent neighbourhoods (corrected for the few
    people with situations in several of them). Only the pairs the theme does not already give are
    computed from the texts: cosines per neighbourhood against its same or adjacent neighbourhoods,
    vectorised, keeping for each situation its `SIMILAR_TEXTS_KEPT` nearest. That cap is the one
    approximation: a situation with more similar texts outside its theme than the cap loses the
    least similar of them (bench/bench_suggestions.py measures how often the proposals then differ
    from the exact ones). The cosines themselves are still computed for every pair of situations that
    may be grouped (a sparse product, in C): the one part that still grows with the square of the city,
    a few seconds at a million residents (docs/benchmarks.md).
    """

    def __init__(self, situations: list[Situation], matrix: SparseMatrix | None, adjacency: Adjacency) -> None:
        import numpy as np

        self.situations = situations
        index = {nb: n for n, nb in enumerate(sorted({s.neighbourhood_id for s in situations}))}
        keys = {key: k for k, key in enumerate(sorted({s.key for s in situations}))}
        themes: dict[int | None, int] = {t: n for n, t in enumerate(sorted({s.theme_id for s in situations if s.theme_id is not None}))}
        self.nb = np.array([index[s.neighbourhood_id] for s in situations])
        self.kid = np.array([keys[s.key] for s in situations])
        self.theme = np.array([themes.get(s.theme_id, -1) for s in situations])
        self.near = np.zeros((len(index), len(index)), dtype=bool)  # [home, other]: may they be grouped
        for nb, n in index.items():
            self.near[n, [index[other] for other in adjacency.get(nb, {nb}) if other in index]] = True
        self.near_list = [np.flatnonzero(row).tolist() for row in self.near]
        self.free = np.ones(len(situations), dtype=bool)
        self.blocks: defaultdict[tuple[int, int], set[int]] = defaultdict(set)  # (theme, neighbourhood) -> free situations
        self.people: defaultdict[tuple[int, int], Counter[int]] = defaultdict(Counter)  # (theme, neighbourhood) -> key -> free situations
        self.places: defaultdict[tuple[int, int], Counter[int]] = defaultdict(Counter)  # (theme, key) -> neighbourhood -> free situations
        # [theme, key]: the one neighbourhood of the key's free situations of the theme; -1 none, -2 several.
        self.where = np.full((len(themes), len(keys)), -1)
        self.spread: defaultdict[int, set[int]] = defaultdict(set)  # theme -> keys with free situations in several neighbourhoods (where -2)
        for i in np.flatnonzero(self.theme >= 0).tolist():
            t, nb, k = int(self.theme[i]), int(self.nb[i]), int(self.kid[i])
            self.blocks[t, nb].add(i)
            self.people[t, nb][k] += 1
            self.places[t, k][nb] += 1
            self.where[t, k] = nb if len(self.places[t, k]) == 1 else -2
            if self.where[t, k] == -2:
                self.spread[t].add(k)
        self.indptr, self.indices = _similar_texts(matrix, self.nb, self.theme, self.near)

    def is_free(self, i: int) -> bool:
        return bool(self.free[i])

    def bounds(self) -> list[int]:
        """An upper bound of every reach, at once: the people of the theme's blocks around (a person in several
        neighbourhoods counted in each), plus one per similar text, plus one."""
        import numpy as np

        around = np.zeros((max(1, self.where.shape[0]), len(self.near)), dtype=int)  # [theme, home]
        for (t, nb), people in self.people.items():
            around[t, self.near[:, nb]] += len(people)
        themed = np.where(self.theme >= 0, around[np.maximum(self.theme, 0), self.nb], 0)
        return (themed + np.diff(self.indptr) + 1).tolist()

    def _texts(self, i: int) -> Ints:
        texts = self.indices[self.indptr[i] : self.indptr[i + 1]]
        return texts[self.free[texts]]

    def free_similar(self, i: int) -> list[int]:
        t, home = int(self.theme[i]), int(self.nb[i])
        out = set(self._texts(i).tolist())
        if t >= 0:
            for nb in self.near_list[home]:
                out |= self.blocks.get((t, nb), set())
        out.discard(i)
        return sorted(out)

    def reach(self, i: int) -> int:
        """How many distinct people a star around `i` could hold now (an upper bound of its size)."""
        import numpy as np

        t, home = int(self.theme[i]), int(self.nb[i])
        keys = np.unique(np.append(self.kid[self._texts(i)], self.kid[i]))
        if t < 0:
            return len(keys)
        near = self.near[home]
        count = sum(len(self.people[t, nb]) for nb in self.near_list[home] if (t, nb) in self.people)
        where = self.where[t, keys]
        for k in keys[where == -2].tolist():  # rare: a person in several neighbourhoods, met also through texts
            count += not any(near[nb] for nb in self.places[t, k])
        for k in self.spread[t]:  # counted once per neighbourhood above
            count -= max(0, sum(1 for nb in self.places[t, k] if near[nb]) - 1)
        # People met through a similar text count once, also when the theme's blocks already hold them.
        return count + int(np.count_nonzero((where == -1) | ((where >= 0) & ~near[np.maximum(where, 0)])))

    def take(self, members: Iterable[int]) -> None:
        for j in members:
            if not self.free[j]:
                continue
            self.free[j] = False
            t, nb, k = int(self.theme[j]), int(self.nb[j]), int(self.kid[j])
            if t < 0:
                continue
            self.blocks[t, nb].discard(j)
            people, places = self.people[t, nb], self.places[t, k]
            people[k] -= 1
            if not people[k]:
                del people[k]
            places[nb] -= 1
            if not places[nb]:
                del places[nb]
            self.where[t, k] = next(iter(places)) if len(places) == 1 else (-1 if not places else -2)
            if len(places) < 2:
                self.spread[t].discard(k)


# How many similar texts outside its theme each situation keeps (the nearest): a bound on the memory per
# situation, far above what the synthetic cities reach (297 at most at 200,000 residents, 1,653 at 1,000,000).
# Reached, it changes proposals: at 1,000,000 residents a bound of 500 left only 46 of 184 exact ones whole.
SIMILAR_TEXTS_KEPT = 5000
ROWS_PER_PRODUCT = 1000


def _similar_texts(matrix: SparseMatrix | None, nb: Ints, theme: Ints, near: npt.NDArray[np.bool_]) -> tuple[Ints, Ints]:
    """For each situation, its nearest texts (cosine at least SIMILARITY_THRESHOLD, at most SIMILAR_TEXTS_KEPT) in
    the same or adjacent neighbourhoods, leaving out those sharing its theme (already similar), as the
    (indptr, indices) of a sparse matrix: situation i's texts are indices[indptr[i]:indptr[i + 1]]."""
    import numpy as np

    found_i, found_j = [np.zeros(0, dtype=int)], [np.zeros(0, dtype=int)]
    for home in range(len(near) if matrix is not None else 0):
        rows, columns = np.flatnonzero(nb == home), np.flatnonzero(near[home][nb])
        right = matrix[columns].T.tocsr()  # type: ignore[index]  # no neighbourhood is walked without a matrix
        for start in range(0, len(rows), ROWS_PER_PRODUCT):
            chunk = rows[start : start + ROWS_PER_PRODUCT]
            product = matrix[chunk] @ right  # type: ignore[index]
            product.data[product.data < SIMILARITY_THRESHOLD] = 0
            product.eliminate_zeros()
            product = product.tocoo()
            i, j, value = chunk[product.row], columns[product.col], product.data
            keep = (i != j) & ((theme[i] != theme[j]) | (theme[i] < 0))
            i, j, value = i[keep], j[keep], value[keep]
            order = np.lexsort((j, -value, i))  # per situation, the most similar first
            i, j = i[order], j[order]
            starts = np.flatnonzero(np.r_[True, i[1:] != i[:-1]]) if len(i) else np.zeros(0, dtype=int)
            rank = np.arange(len(i)) - np.repeat(starts, np.diff(np.r_[starts, len(i)]))
            found_i.append(i[rank < SIMILAR_TEXTS_KEPT])
            found_j.append(j[rank < SIMILAR_TEXTS_KEPT])
    i, j = np.concatenate(found_i), np.concatenate(found_j)
    order = np.argsort(i, kind="stable")
    return np.r_[0, np.cumsum(np.bincount(i, minlength=len(nb)))], j[order]


def _describe(
    members: list[int],
    situations: list[Situation],
    matrix: SparseMatrix | None,
    vocabulary: Sequence[str],
    analyzer: Analyzer,
    theme_words: dict[int, set[str]] | None = None,
) -> Candidate:
    chosen = [situations[j] for j in members]
    keys_per_nb: defaultdict[int, set[str]] = defaultdict(set)
    for s in chosen:
        keys_per_nb[s.neighbourhood_id].add(s.key)
    neighbourhood_id = min(keys_per_nb, key=lambda n: (-len(keys_per_nb[n]), n))
    themes = Counter(s.theme_id for s in chosen if s.theme_id is not None)
    theme_id = None
    if themes:
        top, count = min(themes.items(), key=lambda kv: (-kv[1], kv[0]))
        if count * 2 >= len(chosen) and theme_agreement(chosen, top, (theme_words or {}).get(top, set())) >= THEME_AGREEMENT:
            theme_id = top
    phrases: list[str] = []
    if matrix is not None:
        weights = matrix[members].sum(axis=0).A1
        # Terms shared by at least two situations, heaviest first; a real word for each.
        presence = (matrix[members] > 0).sum(axis=0).A1
        order = sorted((i for i in range(len(weights)) if presence[i] >= 2), key=lambda i: (-weights[i], vocabulary[i]))
        seen = set()
        for i in order:
            phrase = analyzer.surface(vocabulary[i])
            if phrase in seen or any(phrase in p for p in phrases):
                continue
            seen.add(phrase)
            phrases.append(phrase)
            if len(phrases) == KEY_PHRASES:
                break
    return Candidate(neighbourhood_id, {s.key for s in chosen}, chosen, theme_id, phrases)


def suggested_purpose(theme: Theme | None, key_phrases: Sequence[str]) -> str:
    if theme is not None:
        return _("Incontrarsi intorno a «%(theme)s»") % {"theme": theme.label}
    if key_phrases:
        return _("Incontrarsi intorno a: %(phrases)s") % {"phrases": ", ".join(key_phrases[:3])}
    return _("Incontrarsi tra persone con una situazione simile")


def suggestion_keys(suggestion: Suggestion) -> set[str]:

    return {item["key"] for item in suggestion.items}
