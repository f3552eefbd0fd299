import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

EVAL_SET = Path(__file__).resolve().parents[1] / "data" / "eval_it.jsonl"


@pytest.fixture
def run(tmp_path, capsys):
    """Runs the command on the given input lines (str or bytes); returns outputs and stderr."""

    def run_command(content, *options):
        source = tmp_path / "in.jsonl"
        if isinstance(content, list):
            content = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in content)
        if isinstance(content, str):
            content = content.encode("utf-8")
        source.write_bytes(content)
        output, summary = tmp_path / "out.jsonl", tmp_path / "summary.json"
        call_command("discover_themes", "--input", str(source), "--output", str(output), "--summary", str(summary), *options)
        lines = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
        return lines, json.loads(summary.read_text(encoding="utf-8")), capsys.readouterr().err

    return run_command


def items(count=30):
    rows = [json.loads(line) for line in EVAL_SET.read_text(encoding="utf-8").splitlines()[:count]]
    return [{"id": r["id"], "text": r["text"]} for r in rows]


def test_every_input_gets_a_theme_and_every_theme_is_summarised(run):
    lines, summary, err = run(items(), "--themes", "3", "--seed", "1")
    assert [line["id"] for line in lines] == [item["id"] for item in items()]
    assert {line["theme"] for line in lines} == {t["theme"] for t in summary}
    assert sum(t["size"] for t in summary) == 30
    for theme in summary:
        assert theme["name"] and theme["key_phrases"]
        assert set(theme["examples"]) <= {line["id"] for line in lines if line["theme"] == theme["theme"]}
    assert err == ""


def test_without_themes_the_engine_chooses_how_many(run):
    _, summary, _ = run(items())
    assert 2 <= len(summary) <= 6


def test_same_seed_gives_the_same_output(run):
    first, _, _ = run(items(), "--themes", "3", "--seed", "5")
    second, _, _ = run(items(), "--themes", "3", "--seed", "5")
    assert first == second


def test_empty_file_is_refused_with_a_message(run):
    with pytest.raises(CommandError, match="Nessun testo valido"):
        run(b"")


def test_binary_file_is_refused_with_a_message(run):
    with pytest.raises(CommandError, match="non è un file di testo"):
        run(bytes(range(256)) * 40)


def test_lines_that_are_not_utf8_are_reported(run):
    content = b"\n".join(json.dumps(i).encode() for i in items(20)) + b"\n\xff\xfe\x80 garbage\n"
    lines, _, err = run(content, "--themes", "2")
    assert len(lines) == 20
    assert "riga 21: non è testo UTF-8; saltata." in err


def test_one_megabyte_line_is_reported_and_skipped(run):
    lines, _, err = run([*items(20), {"id": "big", "text": "parola " * 150_000}], "--themes", "2")
    assert "big" not in {line["id"] for line in lines}
    assert 'riga 21: "text" è troppo lungo' in err


def test_missing_fields_and_invalid_json_are_reported_with_line_numbers(run):
    bad = [{"text": "senza id"}, {"id": "x"}, "{not json", "[1, 2]"]
    lines, _, err = run([*items(20), *bad], "--themes", "2")
    assert len(lines) == 20
    assert 'riga 21: manca il campo "id"' in err
    assert 'riga 22: manca il campo "text"' in err
    assert "riga 23: JSON non valido" in err
    assert "riga 24: non è un oggetto JSON" in err


def test_non_string_text_is_reported(run):
    bad = [{"id": "n", "text": 42}, {"id": "l", "text": ["a"]}, {"id": "z", "text": None}, {"id": "e", "text": "  "}]
    lines, _, err = run([*items(20), *bad], "--themes", "2")
    assert len(lines) == 20
    assert err.count('"text" deve essere una stringa') == 3
    assert 'riga 24: "text" è vuoto' in err


def test_duplicate_ids_keep_the_first_and_report_the_others(run):
    first = items(20)
    lines, _, err = run([*first, {"id": first[0]["id"], "text": "un altro testo"}], "--themes", "2")
    assert [line["id"] for line in lines] == [i["id"] for i in first]
    assert f'riga 21: id "{first[0]["id"]}" ripetuto' in err


def test_more_themes_than_texts_is_refused(run):
    with pytest.raises(CommandError, match="più del numero di testi"):
        run(items(5), "--themes", "10")


def test_missing_input_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="Impossibile leggere"):
        call_command("discover_themes", "--input", str(tmp_path / "nope.jsonl"), "--output", str(tmp_path / "o"))
