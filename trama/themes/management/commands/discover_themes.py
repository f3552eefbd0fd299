"""Batch theme discovery over a JSON Lines archive, for analysts: no database needed."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from trama.embeddings import embed
from trama.themes import engine
from trama.themes.vector_cache import CacheError, VectorCache

MAX_TEXT_CHARS = 20_000
MAX_REPORTED_LINES = 50


class Command(BaseCommand):
    # A batch job over files, with no database and no web page: the system checks would import every
    # app's URLs and views (a second or more of start-up) to check what this command never uses.
    requires_system_checks: list[str] = []
    help = _(
        "Scopre i temi in un file JSONL (un oggetto per riga con 'id' e 'text') e scrive il tema "
        "di ogni testo; con --summary anche nome, frasi chiave, dimensione ed esempi di ogni tema."
    )

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, help=_("file JSONL da leggere"))
        parser.add_argument("--output", required=True, help=_("file JSONL da scrivere: id e tema"))
        parser.add_argument("--summary", help=_("file JSON con la descrizione dei temi"))
        parser.add_argument("--themes", type=int, help=_("numero di temi; senza, lo sceglie il motore"))
        parser.add_argument("--seed", type=int, default=0, help=_("seme: stesso input e seme, stesso risultato"))
        parser.add_argument(
            "--cache",
            help=_(
                "file dei vettori dei testi, tenuto tra un'esecuzione e l'altra: i testi già visti non si "
                "ricalcolano (creato se manca; contiene solo impronte dei testi, non i testi)"
            ),
        )

    def handle(self, *args, **options):
        if options["themes"] is not None and options["themes"] < 1:
            raise CommandError(_("--themes deve essere almeno 1."))
        cache = self.open_cache(options["cache"])
        ids, texts, skipped = self.read_items(Path(options["input"]))
        if not texts:
            raise CommandError(_("Nessun testo valido in %(path)s.") % {"path": options["input"]})
        if options["themes"] is not None and options["themes"] > len(texts):
            raise CommandError(_("--themes=%(k)d è più del numero di testi validi (%(n)d).") % {"k": options["themes"], "n": len(texts)})

        embedder = cache.embedder(embed) if cache else None
        result = engine.discover(texts, n_themes=options["themes"], seed=options["seed"], embedder=embedder)
        if cache:
            # Saved before the outputs: if it cannot be written, no output claims a finished run.
            try:
                cache.save()
            except CacheError as error:
                raise CommandError(str(error)) from error
        names = [theme_identifier(t.theme) for t in result.themes]

        lines = (json.dumps({"id": i, "theme": names[label]}, ensure_ascii=False) for i, label in zip(ids, result.labels))
        self.write(options["output"], "\n".join(lines) + "\n")
        if options["summary"]:
            # A bare list, as the batch interface promises; run details go to stdout.
            summary = [
                {
                    "theme": names[t.theme],
                    "name": t.name,
                    "key_phrases": t.key_phrases,
                    "size": t.size,
                    "examples": [ids[i] for i in t.examples],
                }
                for t in result.themes
            ]
            self.write(options["summary"], json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
        self.stdout.write(_("%(n)d testi, %(k)d temi, %(s)d righe saltate.") % {"n": len(texts), "k": len(result.themes), "s": skipped})
        if cache:
            self.stdout.write(
                _("Vettori: %(hits)d letti dalla cache, %(computed)d calcolati; la cache ne contiene %(total)d.")
                % {"hits": cache.hits, "computed": cache.computed, "total": len(cache.vectors)}
            )

    def open_cache(self, path):
        if not path:
            return None
        try:
            return VectorCache(path)
        except CacheError as error:
            raise CommandError(str(error)) from error

    def read_items(self, path):
        """Valid (id, text) pairs in file order; every rejected line is reported on stderr."""
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise CommandError(_("Impossibile leggere %(path)s: %(error)s") % {"path": path, "error": error.strerror}) from error
        if b"\0" in raw[:8192]:
            raise CommandError(_("%(path)s non è un file di testo JSONL.") % {"path": path})

        ids, texts, seen, problems = [], [], set(), []
        for number, line in enumerate(raw.splitlines(), start=1):
            if not line.strip():
                continue
            item, problem = parse_line(line, seen)
            if problem:
                problems.append((number, problem))
                continue
            seen.add(item[0])
            ids.append(item[0])
            texts.append(item[1])
        for number, problem in problems[:MAX_REPORTED_LINES]:
            self.stderr.write(_("riga %(n)d: %(problem)s; saltata.") % {"n": number, "problem": problem})
        if len(problems) > MAX_REPORTED_LINES:
            self.stderr.write(_("… e altre %(n)d righe saltate.") % {"n": len(problems) - MAX_REPORTED_LINES})
        return ids, texts, len(problems)

    def write(self, path, content):
        try:
            Path(path).write_text(content, encoding="utf-8")
        except OSError as error:
            raise CommandError(_("Impossibile scrivere %(path)s: %(error)s") % {"path": path, "error": error.strerror}) from error


def parse_line(line, seen_ids):
    """(id, text) from one JSONL line, or (None, the reason it cannot be used)."""
    try:
        item = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError:
        return None, _("non è testo UTF-8")
    except json.JSONDecodeError as error:
        return None, _("JSON non valido (%(error)s)") % {"error": error.msg}
    if not isinstance(item, dict):
        return None, _("non è un oggetto JSON")
    for field in ("id", "text"):
        if field not in item:
            return None, _('manca il campo "%(field)s"') % {"field": field}
    identifier, text = item["id"], item["text"]
    if isinstance(identifier, bool) or not isinstance(identifier, (str, int)) or identifier == "":
        return None, _('"id" deve essere una stringa o un numero intero')
    if not isinstance(text, str):
        return None, _('"text" deve essere una stringa')
    if not text.strip():
        return None, _('"text" è vuoto')
    if len(text) > MAX_TEXT_CHARS:
        return None, _('"text" è troppo lungo (%(n)d caratteri, al massimo %(max)d)') % {
            "n": len(text),
            "max": MAX_TEXT_CHARS,
        }
    if identifier in seen_ids:
        return None, _('id "%(id)s" ripetuto') % {"id": identifier}
    return (identifier, text), None


def theme_identifier(number):
    return f"T{number + 1:02d}"
