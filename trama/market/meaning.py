"""What offers and needs mean: their e5 vectors (`trama.embeddings`) reduced to 128 dimensions.

The reduction is fixed and kept in the repository (`data/meaning_projection.npz`): the mean and the
first 128 principal components of the e5 vectors of the 605 answers of the brokerage evaluation pool
(`bench/fit_meaning.py` fits it; docs/benchmarks.md says what it keeps). A third of the floats makes
the cosine against 100,000 offers about a third as dear, with almost no loss of quality on the
development half. Vectors are stored as float16 (256 bytes a text) with MODEL_TAG; a vector with
another tag (an older projection) counts as missing and is computed again.

Embedding is the task worker's job (`tasks.embed_offer`, `tasks.embed_need`), queued after the
commit that changed a text, when TRAMA_MARKET_EMBED_ON_SAVE is on.
"""

from functools import cache
from pathlib import Path

import numpy as np
from django.conf import settings

from trama import embeddings

PROJECTION = Path(__file__).resolve().parent / "data" / "meaning_projection.npz"
DIMENSIONS = 128
MODEL_TAG = f"{embeddings.MODEL}/pca{DIMENSIONS}-v1"


# The models whose records carry a meaning vector ({model: whether storing one bumps updated_at}):
# offers and needs here, groups and activities registered by their apps (market may not import them).
_embedded = {}


def register(model, touch=False):
    """`model` (with market.models.MeaningMixin) gets meaning vectors; `touch`: storing one bumps
    `updated_at`, for a ranking index that re-reads what changed (offers)."""
    _embedded[model] = touch


def embedded_models():
    """{model: touch} of every model with meaning vectors, in registration order."""
    return dict(_embedded)


def embed_on_save():
    return getattr(settings, "TRAMA_MARKET_EMBED_ON_SAVE", True)


@cache
def _projection():
    with np.load(PROJECTION) as stored:
        return stored["mean"].astype(np.float32), np.ascontiguousarray(stored["components"].T.astype(np.float32))


def forget_projection():
    _projection.cache_clear()


def project(vectors):
    """e5 vectors (n × 384, or one) to unit-length vectors of DIMENSIONS floats."""
    mean, components = _projection()
    reduced = (np.asarray(vectors, dtype=np.float32) - mean) @ components
    return vector_of(reduced)


def vector_of(vectors):
    vectors = np.asarray(vectors, dtype=np.float32)
    norm = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.where(norm > 0, norm, 1)


def vectors_for(texts):
    """One reduced unit vector per text (n × DIMENSIONS float32)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return project(embeddings.embed(list(texts)))


def to_bytes(vector):
    return np.asarray(vector, dtype=np.float16).tobytes()


def from_bytes(data, tag):
    """The stored vector as float32, or None when missing or made with another model or projection."""
    if data is None or tag != MODEL_TAG:
        return None
    vector = np.frombuffer(bytes(data), dtype=np.float16)
    return vector.astype(np.float32) if vector.shape == (DIMENSIONS,) else None
