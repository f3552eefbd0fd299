"""A file of text vectors kept across runs of the batch command (`discover_themes --cache FILE`).

Embedding is most of a batch run's time (about 30 ms of CPU a text); a second run over the same
texts reads their vectors here instead. The file is a NumPy `.npz` archive, read without pickles:
`model` (the embedder's name, so that vectors of another model are never reused), `keys` (the
SHA-256 of each text, never the text itself: the file holds no one's words) and `vectors` (one
float32 row per key, exactly the floats the embedder gave). It is written next to itself and then
renamed, so an interrupted run leaves the previous file whole. A file that is not such an archive,
is truncated, too large or of another model is refused with a message; it is never overwritten.
"""

import hashlib
import os
import tempfile
import zipfile
from pathlib import Path

import numpy as np
from django.utils.translation import gettext as _

from trama.embeddings import DIMENSIONS, MODEL

FORMAT = "trama-vettori-1"
# 1 GiB of content: about 650,000 texts. A larger file is refused rather than read into memory.
MAX_BYTES = 1 << 30
MAX_ENTRIES = MAX_BYTES // (DIMENSIONS * 4 + 64)
_MEMBERS = {"format.npy", "model.npy", "keys.npy", "vectors.npy"}


class CacheError(Exception):
    """The cache file cannot be used; the message says why, in Italian."""


def text_key(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class VectorCache:
    """Vectors by text hash, loaded from `path` (if it exists) and saved back with `save()`."""

    def __init__(self, path):
        self.path = Path(path)
        self.vectors: dict[str, np.ndarray] = {}
        self.loaded = 0
        self.hits = 0
        self.computed = 0
        self._check_writable()
        if self.path.exists():
            self._load()
            self.loaded = len(self.vectors)

    def _refuse(self, reason):
        return CacheError(
            _("Il file di cache %(path)s non si può usare: %(reason)s. Indicate un altro file con --cache o toglietelo.")
            % {"path": self.path, "reason": reason}
        )

    def _check_writable(self):
        if self.path.is_dir():
            raise self._refuse(_("è una cartella"))
        folder = self.path.parent
        if not folder.is_dir():
            raise self._refuse(_("la cartella %(folder)s non esiste") % {"folder": folder})
        if not os.access(folder, os.W_OK | os.X_OK) or (self.path.exists() and not os.access(self.path, os.R_OK)):
            raise self._refuse(_("mancano i permessi per leggerlo o scriverlo"))

    def _load(self):
        try:
            if self.path.stat().st_size > MAX_BYTES:
                raise self._refuse(_("è più grande di %(max)d MB") % {"max": MAX_BYTES >> 20})
            with zipfile.ZipFile(self.path) as archive:
                members = archive.infolist()
                if {m.filename for m in members} != _MEMBERS:
                    raise self._refuse(_("non è una cache di vettori di Trama"))
                if sum(m.file_size for m in members) > MAX_BYTES:
                    raise self._refuse(_("è più grande di %(max)d MB") % {"max": MAX_BYTES >> 20})
            with np.load(self.path, allow_pickle=False) as stored:
                if str(stored["format"]) != FORMAT:
                    raise self._refuse(_("non è una cache di vettori di Trama"))
                model = str(stored["model"])
                keys, vectors = stored["keys"], stored["vectors"]
        except CacheError:
            raise
        except (OSError, ValueError, KeyError, EOFError, MemoryError, zipfile.BadZipFile) as error:
            raise self._refuse(_("non è una cache di vettori di Trama leggibile (file danneggiato o troncato)")) from error
        if model != MODEL:
            raise self._refuse(_("contiene vettori di un altro modello (%(model)s, non %(expected)s)") % {"model": model[:80], "expected": MODEL})
        if (
            keys.ndim != 1
            or keys.dtype.kind != "U"
            or vectors.dtype != np.float32
            or vectors.shape != (len(keys), DIMENSIONS)
            or not all(len(k) == 64 for k in keys)
            or not np.isfinite(vectors).all()
        ):
            raise self._refuse(_("il contenuto non è quello di una cache di vettori di Trama"))
        self.vectors = dict(zip(keys.tolist(), vectors))

    def embedder(self, compute):
        """A function of texts, as `engine.discover(embedder=...)` takes, that computes with `compute`
        only the texts whose vectors are not stored yet, and stores them."""

        def embed(texts):
            keys = [text_key(t) for t in texts]
            missing = {k: t for k, t in zip(keys, texts) if k not in self.vectors}
            self.hits += len(texts) - len(missing)
            if missing:
                fresh = np.asarray(compute(list(missing.values())), dtype=np.float32)
                self.vectors.update(zip(missing, fresh))
                self.computed += len(missing)
            return np.vstack([self.vectors[k] for k in keys]) if keys else np.zeros((0, DIMENSIONS), np.float32)

        return embed

    def save(self):
        """Write the file (through a temporary file renamed over it); nothing written if nothing was computed."""
        if not self.computed:
            return
        keys = list(self.vectors)[-MAX_ENTRIES:]  # the newest, if the file would grow too large
        try:
            descriptor, temporary = tempfile.mkstemp(prefix=".vettori-", suffix=".npz", dir=self.path.parent)
            try:
                with os.fdopen(descriptor, "wb") as handle:
                    np.savez(
                        handle,
                        format=np.array(FORMAT),
                        model=np.array(MODEL),
                        keys=np.array(keys, dtype="<U64"),
                        vectors=np.vstack([self.vectors[k] for k in keys]).astype(np.float32),
                    )
                os.replace(temporary, self.path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError as error:
            raise CacheError(_("Impossibile scrivere il file di cache %(path)s: %(error)s") % {"path": self.path, "error": error.strerror}) from error
