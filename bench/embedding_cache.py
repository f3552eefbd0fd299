"""e5 embeddings for the benches, cached by text hash in var/cache/ so repeated runs do not embed again."""

import hashlib

import numpy as np
from devsets import ROOT

CACHE = ROOT / "var" / "cache" / "e5_query_embeddings.npz"


def _key(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def embed(texts):
    """One unit-length row per text, as `engine.embed` gives; only texts never seen are embedded."""
    from trama.themes import engine

    cached = {}
    if CACHE.exists():
        with np.load(CACHE) as stored:
            cached = dict(zip(stored["keys"], stored["vectors"]))
    keys = [_key(t) for t in texts]
    missing = sorted({k: t for k, t in zip(keys, texts) if k not in cached}.items())
    if missing:
        vectors = engine.embed([t for _, t in missing])
        cached.update((k, v) for (k, _), v in zip(missing, vectors))
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        names = sorted(cached)
        tmp = CACHE.with_suffix(".tmp.npz")
        np.savez(tmp, keys=np.array(names), vectors=np.vstack([cached[k] for k in names]))
        tmp.replace(CACHE)
    return np.vstack([cached[k] for k in keys]).astype(np.float32)
