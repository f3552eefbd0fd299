"""The in-memory ranking index of a city's offers: a TF-IDF matrix over stemmed words and a matrix of
meaning vectors (market.meaning, 128 floats a row, zeros and `has_vector` False until the worker has
computed it), with each
offer's status, kind, days, times, neighbourhoods and person (so her own offers can be left out
of her needs' answers).

Built once per process from `Offer.search_tokens` (stems stored on every save).
Before each use two indexed reads take the city's latest `updated_at` and highest id
and its count of deleted offers (`OfferDeletions`; counting the offers themselves would
read them all): if anything changed, only the offers
updated since the last look are re-read, vectorised with the fitted vocabulary
and appended (their old rows are marked dead). The vocabulary and IDF are
refitted from scratch when more than a fifth of the rows are dead or new since
the fit, an offer was deleted, or the index is older than MAX_AGE_SECONDS (so an
update whose transaction committed long after it was stamped is picked up within
that time). Neighbourhood M2M changes bump `updated_at`
(see signals.py), so they are seen too.
"""

import sys
import threading
import time
from contextlib import contextmanager
from datetime import UTC, timedelta

import numpy as np
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from . import meaning
from .models import Offer, OfferDeletions

STATUS_CODES = {status: n for n, status in enumerate(Offer.Status.values)}
KIND_CODES = {kind: n for n, kind in enumerate(Offer.Kind.values)}
_BYTES = np.arange(256, dtype=np.uint8)  # every value of a day or time-of-day bit set (time_scores)
REFIT_SHARE = 0.2
# Place scores kept per (neighbourhood, adjacent ones) until the index changes: a city has tens of
# neighbourhoods, 100,000 offers make 0.4 MB an entry.
PLACE_CACHE_SIZE = 64
# Rows of headroom, besides a fifth, in the arrays a rebuild allocates.
GROWTH_ROWS = 1024
UPDATE_MARGIN_SECONDS = 2
# A full rebuild at least this often bounds what a slow committer could make the index miss.
MAX_AGE_SECONDS = 15 * 60

_lock = threading.Lock()
_indexes = {}


def _split(text):
    return text.split()


def offers_stamp(city):
    """(latest updated_at, offers deleted so far) of a city's offers, in one statement of two index
    probes: the newest row of the `offer_changes` index and the city's deletion counter. No count and
    no aggregate (SQLite answers one MAX from the index, but two in one SELECT by reading every offer of
    the city); written once as SQL, so a check costs no query building. A new or changed offer moves the
    first, a deleted one the second."""
    city_id = getattr(city, "pk", city)
    with connection.cursor() as cursor:
        cursor.execute(_stamp_sql(), [city_id, city_id])
        latest, deleted = cursor.fetchone()
    return _offers_stamp(latest, deleted)


def _offers_stamp(latest, deleted):
    if isinstance(latest, str):  # SQLite may hand a datetime back as text
        latest = parse_datetime(latest)
    if settings.USE_TZ and latest is not None and timezone.is_naive(latest):
        latest = timezone.make_aware(latest, UTC)  # SQLite stores UTC without saying so
    return (latest, deleted or 0)


def _stamp_sql():
    q = connection.ops.quote_name
    offers, deletions = q(Offer._meta.db_table), q(OfferDeletions._meta.db_table)
    return (
        f"SELECT (SELECT {q('updated_at')} FROM {offers} WHERE {q('city_id')} = %s ORDER BY {q('updated_at')} DESC LIMIT 1),"
        f" (SELECT {q('count')} FROM {deletions} WHERE {q('city_id')} = %s)"
    )


def all_stamps(city, names):
    """offers_stamp(city) and source_stamp(name) of every source in `names`, in one statement of index
    probes (the offers' two and one primary-key probe of each source's counter): a list of every kind
    looks once, not once per source and per use of an index."""
    from .models import AnswerChanges

    city_id = getattr(city, "pk", city)
    names = list(names)
    q = connection.ops.quote_name
    counter = f"(SELECT {q('count')} FROM {q(AnswerChanges._meta.db_table)} WHERE {q('source')} = %s)"
    sql = ", ".join([_stamp_sql().removeprefix("SELECT "), *[counter] * len(names)])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql}", [city_id, city_id, *names])
        latest, deleted, *counts = cursor.fetchone()
    return _offers_stamp(latest, deleted), {name: count or 0 for name, count in zip(names, counts, strict=True)}


# One look at the stamps for many uses of the indexes (market.answers.ranked_answers: one list of every
# kind). Per thread: {"city": id, "offers": stamp, "sources": {name: count}, "fresh": {index keys}}.
_look = threading.local()


@contextmanager
def one_look(city, names):
    """Within, the offers' index and the indexes of the sources `names` of `city` are brought up to date at
    most once, from one read of all their stamps (all_stamps) taken on entering: what is saved meanwhile
    is seen by the next look. Nested looks use the outer one."""
    if getattr(_look, "state", None) is not None:
        yield
        return
    city_id = getattr(city, "pk", city)
    offers, sources = all_stamps(city_id, names)
    _look.state = {"city": city_id, "offers": offers, "sources": sources, "fresh": set()}
    try:
        yield
    finally:
        _look.state = None


def _looked(city_id):
    state = getattr(_look, "state", None)
    return state if state is not None and state["city"] == city_id else None


class OfferIndex:
    # The row arrays, views of the used rows of their buffers (set by _expose).
    ids: np.ndarray
    alive: np.ndarray
    status: np.ndarray
    kind: np.ndarray
    days: np.ndarray
    slots: np.ndarray
    person: np.ndarray
    organisation: np.ndarray  # whether an organisation offers it (anyone may see its open offers)
    vectors: np.ndarray
    has_vector: np.ndarray
    places: np.ndarray

    def __init__(self, city_id):
        self.city_id = city_id
        self._places_cache: dict = {}
        self.stamp = None
        self.built_at = None

    # -- building -------------------------------------------------------------------------
    def _rows(self, queryset):
        rows = list(
            queryset.values_list(
                "pk", "search_tokens", "status", "kind", "days", "slots", "updated_at", "person_id", "embedding", "embedding_model", "organisation_id"
            )
        )
        through = Offer.neighbourhoods.through
        ids = [r[0] for r in rows]
        places = {}
        for start in range(0, len(ids), 20000):
            chunk = ids[start : start + 20000]
            for offer_id, nb_id in through.objects.filter(offer_id__in=chunk).values_list("offer_id", "neighbourhood_id"):
                places.setdefault(offer_id, []).append(nb_id)
        return rows, places

    def _columns_for(self, nb_ids):
        for nb in nb_ids:
            if nb not in self.nb_col:
                self.nb_col[nb] = len(self.nb_col)
        return [self.nb_col[nb] for nb in nb_ids]

    def _arrays(self, rows, places):
        n = len(rows)
        status = np.fromiter((STATUS_CODES[r[2]] for r in rows), dtype=np.int8, count=n)
        kind = np.fromiter((KIND_CODES[r[3]] for r in rows), dtype=np.int8, count=n)
        days = np.fromiter((r[4] for r in rows), dtype=np.uint8, count=n)
        slots = np.fromiter((r[5] for r in rows), dtype=np.uint8, count=n)
        person = np.fromiter((r[7] or 0 for r in rows), dtype=np.int64, count=n)
        organisation = np.fromiter((r[10] is not None for r in rows), dtype=np.bool_, count=n)
        vectors = np.zeros((n, meaning.DIMENSIONS), dtype=np.float32)
        has_vector = np.zeros(n, dtype=np.bool_)
        for i, r in enumerate(rows):
            vector = meaning.from_bytes(r[8], r[9])
            if vector is not None:
                vectors[i], has_vector[i] = vector, True
        coo_rows, coo_cols = [], []
        for i, r in enumerate(rows):
            for col in self._columns_for(places.get(r[0], ())):
                coo_rows.append(i)
                coo_cols.append(col)
        return status, kind, days, slots, (person, organisation), (vectors, has_vector), (coo_rows, coo_cols)

    def _nb_matrix(self, n, coo):
        """Which neighbourhoods each row serves: a dense boolean matrix, one column a neighbourhood, stored
        column by column, so a neighbourhood's rows are one contiguous read (a city has tens of
        neighbourhoods: 100,000 offers × 13 is 1.3 MB)."""
        rows, cols = coo
        out = np.zeros((n, max(len(self.nb_col), 1)), dtype=np.bool_, order="F")
        out[rows, cols] = True
        return out

    def rebuild(self):
        self.built_at = time.monotonic()
        self._places_cache = {}
        rows, places = self._rows(Offer.objects.filter(city_id=self.city_id).order_by("pk"))
        self.vectorizer = TfidfVectorizer(analyzer=_split, sublinear_tf=True, dtype=np.float32)
        docs = [r[1] for r in rows]
        self.matrix = self.vectorizer.fit_transform(docs).tocsc() if rows else None
        self._appended = None  # the TF-IDF rows of offers added or changed since the fit
        self.idf = np.asarray(self.vectorizer.idf_, dtype=np.float32) if rows else np.zeros(0, dtype=np.float32)
        self.nb_col = {}
        status, kind, days, slots, (person, organisation), (vectors, has_vector), coo = self._arrays(rows, places)
        n = len(rows)
        ids = np.array([r[0] for r in rows], dtype=np.int64)
        arrays = {"status": status, "kind": kind, "days": days, "slots": slots, "person": person, "organisation": organisation, "vectors": vectors}
        arrays |= {"has_vector": has_vector, "places": self._nb_matrix(n, coo), "ids": ids, "alive": np.ones(n, dtype=np.bool_)}
        # Room for the rows a refit allows (REFIT_SHARE), so that folding in a change copies nothing.
        self._buffers = {name: _buffer(array, n + int(n * REFIT_SHARE) + GROWTH_ROWS) for name, array in arrays.items()}
        self._rows_used = n
        self._expose()
        self.row_of = {r[0]: i for i, r in enumerate(rows)}
        self.seen = {r[0]: r[6] for r in rows}
        self.fitted_rows = n
        self.extra_rows = 0

    def _expose(self):
        """The public row arrays (ids, alive, status, vectors, places...) as views of the used rows."""
        for name, buffer in self._buffers.items():
            setattr(self, name, buffer[: self._rows_used])

    def _append(self, arrays):
        """Write new rows after the used ones, growing a buffer by a quarter only when it is full."""
        n, m = self._rows_used, len(arrays["ids"])
        for name, array in arrays.items():
            buffer = self._buffers[name]
            wider = array.ndim == 2 and array.shape[1] > buffer.shape[1]
            if n + m > len(buffer) or wider:
                grown = _buffer(buffer[:n], max(n + m, len(buffer) + len(buffer) // 4), array.shape[1] if wider else None)
                self._buffers[name] = buffer = grown
            if array.ndim == 2:
                buffer[n : n + m, : array.shape[1]] = array
            else:
                buffer[n : n + m] = array
        self._rows_used = n + m
        self._expose()

    def update(self, since):
        """Re-read offers updated at or after `since`, append them, retire their old rows."""
        rows, places = self._rows(Offer.objects.filter(city_id=self.city_id, updated_at__gte=since).order_by("pk"))
        # Rows re-read only because of the margin are already indexed as they are.
        rows = [r for r in rows if self.seen.get(r[0]) != r[6]]
        if not rows:
            return
        self._places_cache = {}
        if self.matrix is None:
            self.rebuild()
            return
        for r in rows:
            old = self.row_of.get(r[0])
            if old is not None:
                self.alive[old] = False
        base = len(self.ids)
        new_matrix = self.vectorizer.transform([r[1] for r in rows]).tocsc()
        # The fitted matrix stays as it is; the new rows go to a small one of their own (copying the
        # fitted one for every change cost 40 ms at 100,000 offers).
        self._appended = new_matrix if self._appended is None else sparse.vstack([self._appended, new_matrix], format="csc")
        status, kind, days, slots, (person, organisation), (vectors, has_vector), coo = self._arrays(rows, places)
        ids = np.array([r[0] for r in rows], dtype=np.int64)
        arrays = {"status": status, "kind": kind, "days": days, "slots": slots, "person": person, "organisation": organisation, "vectors": vectors}
        arrays |= {"has_vector": has_vector, "places": self._nb_matrix(len(rows), coo), "ids": ids, "alive": np.ones(len(rows), dtype=np.bool_)}
        self._append(arrays)
        for i, r in enumerate(rows):
            self.row_of[r[0]] = base + i
            self.seen[r[0]] = r[6]
        self.extra_rows += len(rows)

    def memory_bytes(self):
        """What the index holds, in bytes: {part: bytes} for its arrays as allocated (headroom
        included), its TF-IDF matrices, and an estimate of its Python dictionaries (ids to rows and to
        their last change, neighbourhood columns, vocabulary)."""
        out = {name: int(buffer.nbytes) for name, buffer in getattr(self, "_buffers", {}).items()}
        for name, matrix in (("tfidf", self.matrix), ("tfidf_appended", getattr(self, "_appended", None))):
            if matrix is not None:
                out[name] = int(matrix.data.nbytes + matrix.indices.nbytes + matrix.indptr.nbytes)
        dicts = [self.row_of, self.seen, self.nb_col, self.vectorizer.vocabulary_] if self.matrix is not None else []
        out["dictionaries"] = sum(sys.getsizeof(d) + sum(sys.getsizeof(k) + sys.getsizeof(v) for k, v in d.items()) for d in dicts)
        return out

    # -- freshness ------------------------------------------------------------------------
    def current_stamp(self):
        """(latest updated_at, offers deleted so far): equal stamps, nothing to re-read."""
        return offers_stamp(self.city_id)

    def drop_deleted(self):
        """Retire the rows of offers no longer in the database: one read of the city's offer ids
        (an index-only scan), no refit. Called when the deletion counter moved."""
        present = np.fromiter(Offer.objects.filter(city_id=self.city_id).values_list("pk", flat=True).order_by(), dtype=np.int64)
        gone = self.alive & ~np.isin(self.ids, present)
        for offer_id in self.ids[gone].tolist():
            self.seen.pop(offer_id, None)
        self.alive &= ~gone
        self._places_cache = {}
        self.extra_rows += int(np.count_nonzero(gone))

    def refresh(self, stamp=None):
        """Bring the index up to date with `stamp` (read now when not given)."""
        if stamp is None:
            stamp = self.current_stamp()
        elif self.stamp is not None and None not in (stamp[0], self.stamp[0]) and stamp[0] <= self.stamp[0] and stamp[1] <= self.stamp[1]:
            return self  # another thread brought it further since this look's read
        if stamp == self.stamp:
            return self
        too_old = self.built_at is None or time.monotonic() - self.built_at > MAX_AGE_SECONDS
        if too_old or self.stamp is None or self.stamp[0] is None or stamp[0] is None:
            self.rebuild()
        else:
            if stamp[1] != self.stamp[1]:
                self.drop_deleted()
            # A margin for transactions that committed after a later one was seen.
            self.update(self.stamp[0] - timedelta(seconds=UPDATE_MARGIN_SECONDS))
            if self.extra_rows > REFIT_SHARE * max(self.fitted_rows, 1):
                self.rebuild()
        self.stamp = stamp
        return self

    # -- scoring --------------------------------------------------------------------------
    def text_scores(self, tokens):
        """Cosine similarity of every row with the need's stems (0 for unknown words): the need's vector
        weighed as the vectorizer would (sublinear tf × idf, unit length), without its per-call checks."""
        n = len(self.ids)
        if self.matrix is None or not tokens:
            return np.zeros(n, dtype=np.float32)
        counts: dict[int, int] = {}
        for stem in _split(tokens):
            column = self.vectorizer.vocabulary_.get(stem)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        if not counts:
            return np.zeros(n, dtype=np.float32)
        cols = np.fromiter(counts, dtype=np.intp, count=len(counts))
        weights = (np.log(np.fromiter(counts.values(), dtype=np.float32, count=len(counts))) + np.float32(1)) * self.idf[cols]
        weights /= np.sqrt(np.dot(weights, weights))
        scores = np.asarray(self.matrix[:, cols] @ weights, dtype=np.float32).ravel()
        if self._appended is not None:
            scores = np.concatenate([scores, np.asarray(self._appended[:, cols] @ weights, dtype=np.float32).ravel()])
        return scores

    def meaning_scores(self, vector):
        """Cosine of every row's meaning vector with the need's (0 for rows without a vector yet)."""
        if vector is None or len(self.ids) == 0:
            return np.zeros(len(self.ids), dtype=np.float32)
        return self.vectors @ vector

    def rarity(self, stem):
        """The stem's inverse document frequency (0 for a stem no offer has): rarer words say more."""
        column = self.vectorizer.vocabulary_.get(stem) if self.matrix is not None else None
        return 0.0 if column is None else float(self.vectorizer.idf_[column])

    def place_scores(self, same, adjacent):
        """1 for offers serving the need's neighbourhood, 0.5 for adjacent ones, else 0 (read-only: the
        array is kept for the next need of the same place until the index changes)."""
        key = (same, frozenset(adjacent))
        cached = self._places_cache.get(key)
        if cached is not None:
            return cached
        n = len(self.ids)
        out = np.zeros(n, dtype=np.float32)
        for nb in adjacent:
            if nb in self.nb_col:
                out[self.places[:, self.nb_col[nb]]] = 0.5
        if same in self.nb_col:
            out[self.places[:, self.nb_col[same]]] = 1.0
        out.flags.writeable = False
        if len(self._places_cache) >= PLACE_CACHE_SIZE:
            self._places_cache.clear()
        self._places_cache[key] = out
        return out

    def time_scores(self, days, slots):
        """Share of the need's days and times the offer covers (1 when either side says 'any')."""

        def overlap(offer_bits, need_bits):
            if not need_bits:
                return np.ones(len(offer_bits), dtype=np.float32)
            # One value per possible byte of the offer's, then looked up for every offer.
            covered = np.bitwise_count(_BYTES & np.uint8(need_bits)).astype(np.float32) / bin(need_bits).count("1")
            covered[0] = 1.0
            return covered[offer_bits]

        return 0.6 * overlap(self.days, days) + 0.4 * overlap(self.slots, slots)

    def serving_mask(self, neighbourhood_ids):
        """Rows of offers serving any of `neighbourhood_ids` (a worker's scope), from the columns."""
        out = np.zeros(len(self.ids), dtype=np.bool_)
        for nb in neighbourhood_ids:
            column = self.nb_col.get(nb)
            if column is not None:
                out |= self.places[:, column]
        return out

    def open_mask(self):
        return self.alive & (self.status == STATUS_CODES[Offer.Status.OPEN])


def _buffer(array, rows, width=None):
    """A zeroed array of `rows` rows (and `width` columns, for a matrix wider than `array`) holding
    `array` in its first ones; a boolean matrix is stored column by column, as the places are read."""
    shape = (rows, *(array.shape[1:] if width is None else (width,)))
    out = np.zeros(shape, dtype=array.dtype, order="F" if array.ndim == 2 and array.dtype == np.bool_ else "C")
    if array.ndim == 2:
        out[: len(array), : array.shape[1]] = array
    else:
        out[: len(array)] = array
    return out


def index_for(city_id):
    """The up-to-date index of `city_id`'s offers for this process and database."""
    key = (connection.alias, connection.settings_dict.get("NAME"), city_id)
    with _lock:
        index = _indexes.get(key)
        if index is None:
            index = _indexes[key] = OfferIndex(city_id)
        look = _looked(city_id)
        if look is None:
            return index.refresh()
        if key not in look["fresh"]:
            index.refresh(look["offers"])
            look["fresh"].add(key)
        return index


def forget_indexes():
    with _lock:
        _indexes.clear()
        _sources.clear()


# -- the other kinds of answer -----------------------------------------------------------------------
# Activities, groups and services belong to apps above the market; each registers a source of rows
# (market.answers.register_source). Their records keep no `updated_at`: a counter per source
# (AnswerChanges, kept by receivers of their saves and deletions) says when to re-read them. They are
# thousands, not 100,000, and change rarely: a change re-reads the source's rows of the city (stems of
# an unchanged text are kept, so a re-read costs the query and the arrays, not the stemming).


def source_stamp(name):
    """How many changes the source `name` has seen (0 before the first): one read of its counter row."""
    from .models import AnswerChanges

    return AnswerChanges.objects.filter(source=name).values_list("count", flat=True).first() or 0


class SourceIndex:
    """The rows of one source of answers (activities, groups...) of one city, scored as offers are: words
    weighed by the offers' index IDF (a stem no offer has counts as the rarest, as market.answers.scorer
    does), meaning vectors, neighbourhoods. Only the city's rows are read: another city's never enter."""

    ids: np.ndarray

    def __init__(self, source, city_id):
        self.source = source
        self.city_id = city_id
        self.stamp = None
        self.built_at = None
        self._stems: dict = {}  # pk -> (text, stems): a re-read stems only what changed
        self._norms_for = None
        self._places_cache: dict = {}

    def refresh(self, stamp=None):
        """Re-read the rows when the source's counter is not `stamp` (read now when not given), or too old."""
        if stamp is None:
            stamp = source_stamp(self.source.name)
        elif self.stamp is not None and stamp < self.stamp:
            stamp = self.stamp  # another thread brought it further since this look's read
        too_old = self.built_at is None or time.monotonic() - self.built_at > MAX_AGE_SECONDS
        if stamp != self.stamp or too_old:
            self.rebuild()
            self.stamp = stamp
        return self

    def rebuild(self):
        from trama.text import stems

        self.built_at = time.monotonic()
        rows = list(self.source.rows(self.city_id))
        cache = {}
        docs = []
        for pk, text, *_rest in rows:
            known = self._stems.get(pk)
            cache[pk] = known if known is not None and known[0] == text else (text, stems(text))
            docs.append(cache[pk][1])
        self._stems = cache
        self.vocabulary: dict[str, int] = {}
        data, indices, indptr = [], [], [0]
        for doc in docs:
            counts: dict[int, int] = {}
            for stem in doc:
                column = self.vocabulary.setdefault(stem, len(self.vocabulary))
                counts[column] = counts.get(column, 0) + 1
            indices.extend(counts)
            data.extend(1.0 + np.log(np.fromiter(counts.values(), dtype=np.float32, count=len(counts))))
            indptr.append(len(indices))
        n = len(rows)
        self.tf = sparse.csr_matrix(
            (np.asarray(data, dtype=np.float32), np.asarray(indices, dtype=np.int32), np.asarray(indptr, dtype=np.int64)),
            shape=(n, max(len(self.vocabulary), 1)),
        ).tocsc()
        self.ids = np.array([r[0] for r in rows], dtype=np.int64)
        self.vectors = np.zeros((n, meaning.DIMENSIONS), dtype=np.float32)
        self.has_vector = np.zeros(n, dtype=np.bool_)
        for i, r in enumerate(rows):
            vector = meaning.from_bytes(r[3], r[4])
            if vector is not None:
                self.vectors[i], self.has_vector[i] = vector, True
        self.nb_col, self.places = _columns([r[2] for r in rows])
        # Who may see a row, when the source says it otherwise than by the row's places (a service: the
        # neighbourhoods of its organisation, Source.rows' sixth field): the keys `by_place` returns.
        # Otherwise the places say it, and the same columns serve.
        if any(len(r) > 5 for r in rows):
            self.scope_col, self.scopes = _columns([r[5] if len(r) > 5 else r[2] for r in rows])
        else:
            self.scope_col, self.scopes = self.nb_col, self.places
        self._norms_for = None
        self._places_cache = {}

    def weights(self, offers):
        """(IDF of each stem of this index, as the offers' index weighs it; the rarest IDF) and each row's
        norm under those weights, recomputed only when the offers' index refits its vocabulary."""
        fitted = offers.vectorizer if offers.matrix is not None else None
        if self._norms_for is None or self._norms_for[0] is not fitted:
            top = float(np.max(offers.idf)) if fitted is not None and len(offers.idf) else 1.0
            idf = np.full(max(len(self.vocabulary), 1), top, dtype=np.float32)
            if fitted is not None:
                for stem, column in self.vocabulary.items():
                    known = fitted.vocabulary_.get(stem)
                    if known is not None and offers.idf[known]:
                        idf[column] = offers.idf[known]
            norms = np.sqrt(np.asarray(self.tf.multiply(self.tf) @ (idf * idf), dtype=np.float32).ravel())
            self._norms_for = (fitted, idf, top, np.where(norms > 0, norms, 1).astype(np.float32))
        return self._norms_for[1:]

    def word_scores(self, offers, tokens):
        """Cosine of each row's stems with the need's, both weighed by the offers' IDF (sublinear tf)."""
        n = len(self.ids)
        idf, top, norms = self.weights(offers)
        counts: dict[str, int] = {}
        for stem in _split(tokens or ""):
            counts[stem] = counts.get(stem, 0) + 1
        if not counts or n == 0:
            return np.zeros(n, dtype=np.float32)

        def weight(stem):
            column = offers.vectorizer.vocabulary_.get(stem) if offers.matrix is not None else None
            return float(offers.idf[column]) if column is not None and offers.idf[column] else top

        need = {stem: (1 + np.log(c)) * weight(stem) for stem, c in counts.items()}
        norm = float(np.sqrt(sum(v * v for v in need.values())))
        cols, values = [], []
        for stem, v in need.items():
            column = self.vocabulary.get(stem)
            if column is not None:
                cols.append(column)
                values.append(v / norm * idf[column])
        if not cols:
            return np.zeros(n, dtype=np.float32)
        scores = np.asarray(self.tf[:, cols] @ np.asarray(values, dtype=np.float32), dtype=np.float32).ravel()
        return scores / norms

    def place_scores(self, same, adjacent):
        """1 for rows in the need's neighbourhood, 0.5 for an adjacent one, else 0 (kept per place)."""
        key = (same, frozenset(adjacent))
        cached = self._places_cache.get(key)
        if cached is None:
            cached = np.zeros(len(self.ids), dtype=np.float32)
            for nb in adjacent:
                if nb in self.nb_col:
                    cached[self.places[:, self.nb_col[nb]]] = 0.5
            if same in self.nb_col:
                cached[self.places[:, self.nb_col[same]]] = 1.0
            if len(self._places_cache) >= PLACE_CACHE_SIZE:
                self._places_cache.clear()
            self._places_cache[key] = cached
        return cached

    def serving_mask(self, keys):
        """Rows any of `keys` (a worker's scope, Source.by_place: neighbourhood ids, or the source's own
        scope keys) lets her see, from the scope columns."""
        out = np.zeros(len(self.ids), dtype=np.bool_)
        for key in keys:
            column = self.scope_col.get(key)
            if column is not None:
                out |= self.scopes[:, column]
        return out

    def memory_bytes(self):
        arrays = (self.ids, self.vectors, self.has_vector, self.places) + ((self.scopes,) if self.scopes is not self.places else ())
        tf = self.tf.data.nbytes + self.tf.indices.nbytes + self.tf.indptr.nbytes
        vocabulary = sys.getsizeof(self.vocabulary) + sum(sys.getsizeof(k) + 28 for k in self.vocabulary)
        return {"arrays": int(sum(a.nbytes for a in arrays)), "tf": int(tf), "dictionaries": int(vocabulary)}


_sources: dict = {}


def _columns(keys_of_rows):
    """({key: column}, a boolean matrix of a row per entry and a column per key, column-major): which of the
    keys each row holds (its neighbourhoods, or who may see it)."""
    column_of: dict = {}
    coo_rows, coo_cols = [], []
    for i, keys in enumerate(keys_of_rows):
        for key in keys:
            coo_rows.append(i)
            coo_cols.append(column_of.setdefault(key, len(column_of)))
    matrix = np.zeros((len(keys_of_rows), max(len(column_of), 1)), dtype=np.bool_, order="F")
    matrix[coo_rows, coo_cols] = True
    return column_of, matrix


def source_index_for(source, city_id):
    """The up-to-date index of `source`'s rows of `city_id` for this process and database."""
    key = (connection.alias, connection.settings_dict.get("NAME"), source.name, city_id)
    with _lock:
        index = _sources.get(key)
        if index is None:
            index = _sources[key] = SourceIndex(source, city_id)
        look = _looked(city_id)
        if look is None or source.name not in look["sources"]:
            return index.refresh()
        if key not in look["fresh"]:
            index.refresh(look["sources"][source.name])
            look["fresh"].add(key)
        return index
