"""The batch command's vector cache (`discover_themes --cache FILE`): reuse across runs, the same
result with and without it, and every file that is not a cache of ours refused with a message,
leaving the input, the outputs and the file itself untouched."""

import json
import os
import zipfile
from pathlib import Path

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from trama.embeddings import DIMENSIONS, MODEL, embed
from trama.themes import engine, vector_cache

EVAL_SET = Path(__file__).resolve().parents[1] / "data" / "eval_it.jsonl"
SUMMARY_LINE = "Vettori: {hits} letti dalla cache, {computed} calcolati; la cache ne contiene {total}."


def rows(count=30):
    lines = EVAL_SET.read_text(encoding="utf-8").splitlines()[:count]
    return [{"id": r["id"], "text": r["text"]} for r in map(json.loads, lines)]


@pytest.fixture
def files(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows()), encoding="utf-8")
    return source, tmp_path / "out.jsonl", tmp_path / "vettori.npz"


def discover(source, output, *options):
    call_command("discover_themes", "--input", str(source), "--output", str(output), "--themes", "3", "--seed", "4", *options)
    return output.read_text(encoding="utf-8")


def entries(cache):
    with np.load(cache, allow_pickle=False) as stored:
        return len(stored["keys"])


def test_a_second_run_embeds_nothing_and_gives_the_same_themes(files, capsys):
    source, output, cache = files
    without = discover(source, output)
    first = discover(source, output, "--cache", str(cache))
    assert SUMMARY_LINE.format(hits=0, computed=30, total=30) in capsys.readouterr().out
    assert entries(cache) == 30
    written = cache.read_bytes()

    second = discover(source, output, "--cache", str(cache))
    assert SUMMARY_LINE.format(hits=30, computed=0, total=30) in capsys.readouterr().out
    assert cache.read_bytes() == written  # nothing new: the file is not rewritten
    assert without == first == second


def test_new_texts_are_added_to_the_cache_and_only_they_are_embedded(files, tmp_path, capsys):
    source, output, cache = files
    discover(source, output, "--cache", str(cache))
    more = tmp_path / "more.jsonl"
    more.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows(36)), encoding="utf-8")
    capsys.readouterr()
    discover(more, output, "--cache", str(cache))
    assert SUMMARY_LINE.format(hits=30, computed=6, total=36) in capsys.readouterr().out
    assert entries(cache) == 36


def test_the_cache_holds_hashes_and_the_exact_floats_not_the_texts(files):
    source, output, cache = files
    discover(source, output, "--cache", str(cache))
    texts = [r["text"] for r in rows()]
    content = cache.read_bytes()
    assert not any(t.encode("utf-8") in content for t in texts)
    with np.load(cache, allow_pickle=False) as stored:
        assert str(stored["model"]) == MODEL
        vectors = dict(zip(stored["keys"].tolist(), stored["vectors"]))
    computed = embed(texts)
    assert all(np.array_equal(vectors[vector_cache.text_key(t)], computed[i]) for i, t in enumerate(texts))


def test_repeated_texts_are_embedded_once_with_the_same_result():
    texts = [r["text"] for r in rows(40)] * 3
    seen = []

    def counting(batch):
        seen.extend(batch)
        return embed(batch)

    # max_embedded below the count: a sample is embedded and the rest themed from its words.
    with_counting = engine.discover(texts, n_themes=3, seed=2, max_embedded=90, embedder=counting)
    assert len(seen) == len(set(seen)) <= 40
    default = engine.discover(texts, n_themes=3, seed=2, max_embedded=90)
    assert np.array_equal(with_counting.labels, default.labels)
    assert [t.name for t in with_counting.themes] == [t.name for t in default.themes]


def save_npz(path, **arrays):
    with path.open("wb") as handle:
        np.savez(handle, **arrays)


def valid_arrays(count=3, **changes):
    arrays = {
        "format": np.array(vector_cache.FORMAT),
        "model": np.array(MODEL),
        "keys": np.array([vector_cache.text_key(str(i)) for i in range(count)]),
        "vectors": np.ones((count, DIMENSIONS), dtype=np.float32) / np.sqrt(DIMENSIONS),
    }
    arrays.update(changes)
    return arrays


def refused(files, cache_content, message):
    """The command refuses the cache with `message`; input, output and the cache are unchanged."""
    source, output, cache = files
    if cache_content is not None:
        cache.write_bytes(cache_content)
    output.write_text("risultato precedente\n", encoding="utf-8")
    before = source.read_bytes(), cache.read_bytes() if cache.exists() else None
    with pytest.raises(CommandError, match=message):
        discover(source, output, "--cache", str(cache))
    assert (source.read_bytes(), cache.read_bytes() if cache.exists() else None) == before
    assert output.read_text(encoding="utf-8") == "risultato precedente\n"


def npz_bytes(tmp_path, **arrays):
    path = tmp_path / "scratch.npz"
    save_npz(path, **arrays)
    content = path.read_bytes()
    path.unlink()
    return content


@pytest.mark.parametrize(
    "content",
    [b"", b"non sono una cache\n", bytes(range(256)) * 50, b"PK\x03\x04" + b"\0" * 100],
    ids=["empty", "text", "binary", "broken-zip"],
)
def test_a_file_that_is_not_an_archive_is_refused(files, content):
    refused(files, content, "non è una cache di vettori di Trama leggibile")


def test_a_truncated_cache_is_refused(files, tmp_path):
    content = npz_bytes(tmp_path, **valid_arrays(50))
    refused(files, content[: len(content) // 2], "non si può usare")


def test_an_archive_of_other_arrays_is_refused(files, tmp_path):
    refused(files, npz_bytes(tmp_path, weights=np.zeros(3)), "non è una cache di vettori di Trama")


def test_vectors_of_another_model_are_not_reused(files, tmp_path):
    refused(files, npz_bytes(tmp_path, **valid_arrays(model=np.array("all-MiniLM-L6-v2"))), "altro modello \\(all-MiniLM-L6-v2")


@pytest.mark.parametrize(
    "changes",
    [
        {"vectors": np.ones((3, 7), dtype=np.float32)},
        {"vectors": np.ones((3, DIMENSIONS), dtype=np.float64)},
        {"vectors": np.full((3, DIMENSIONS), np.nan, dtype=np.float32)},
        {"keys": np.array(["corta", "b", "c"])},
        {"keys": np.arange(3)},
    ],
    ids=["dimensions", "float64", "nan", "short-keys", "numeric-keys"],
)
def test_a_cache_with_the_wrong_content_is_refused(files, tmp_path, changes):
    refused(files, npz_bytes(tmp_path, **valid_arrays(**changes)), "il contenuto non è quello")


def test_pickled_objects_are_never_loaded(files, tmp_path):
    hostile = valid_arrays(keys=np.array([os.system, "x", "y"], dtype=object))
    refused(files, npz_bytes(tmp_path, **hostile), "non si può usare")


def test_an_oversized_cache_is_refused_before_it_is_read(files, tmp_path, monkeypatch):
    monkeypatch.setattr(vector_cache, "MAX_BYTES", 4096)
    refused(files, npz_bytes(tmp_path, **valid_arrays(20)), "più grande di")


def test_an_archive_whose_content_claims_to_be_huge_is_refused(files, tmp_path, monkeypatch):
    # A small compressed member that would unpack to more than the limit (a zip bomb).
    content = tmp_path / "bomb.npz"
    with zipfile.ZipFile(content, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in ("format.npy", "model.npy", "keys.npy"):
            archive.writestr(name, b"x")
        archive.writestr("vectors.npy", b"\0" * 200_000)
    monkeypatch.setattr(vector_cache, "MAX_BYTES", 100_000)
    refused(files, content.read_bytes(), "più grande di")


def test_a_cache_in_a_missing_folder_or_a_folder_itself_is_refused(files):
    source, output, _cache = files
    for path, message in ((source.parent / "manca" / "v.npz", "non esiste"), (source.parent, "è una cartella")):
        with pytest.raises(CommandError, match=message):
            discover(source, output, "--cache", str(path))
    assert not output.exists()
    assert not (source.parent / "manca").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes in any folder")
def test_a_cache_in_a_folder_that_cannot_be_written_is_refused(files, tmp_path):
    source, output, _cache = files
    locked = tmp_path / "bloccata"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(CommandError, match="mancano i permessi"):
            discover(source, output, "--cache", str(locked / "v.npz"))
    finally:
        locked.chmod(0o700)
    assert not output.exists()
    assert list(locked.iterdir()) == []


def test_a_cache_that_cannot_be_written_at_the_end_leaves_no_output(files, monkeypatch):
    """The folder disappears during the run (or the disk fills): a clear error, and no output file
    claiming a finished run."""
    source, output, cache = files
    original = vector_cache.VectorCache.save

    def save_into_a_removed_folder(self):
        self.path = self.path.parent / "rimossa" / self.path.name
        return original(self)

    monkeypatch.setattr(vector_cache.VectorCache, "save", save_into_a_removed_folder)
    with pytest.raises(CommandError, match="Impossibile scrivere il file di cache"):
        discover(source, output, "--cache", str(cache))
    assert not output.exists()
    assert not cache.exists()
    assert [p.name for p in cache.parent.iterdir()] == ["in.jsonl"]
