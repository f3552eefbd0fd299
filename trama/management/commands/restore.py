"""`manage.py restore FILE`: put a backup made by `manage.py backup` back in place of the current data.

Stop the web processes and task workers first. PostgreSQL: pg_restore --clean --if-exists
drops and recreates every object of the dump (the audit log's append-only trigger refuses
UPDATE and DELETE, not DROP), in one transaction: on error nothing changes. SQLite: the
backup is copied over the database file with the online backup API.
"""

import sqlite3
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _

from trama.private_files import private_sqlite

from .backup import pg_arguments, pg_tool, run, sqlite_copy


class Command(BaseCommand):
    help = _("Ripristina il database da un file di backup (sostituisce tutti i dati attuali).")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("file scritto da manage.py backup"))
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive", help=_("non chiedere conferma"))

    def handle(self, *args, **options):
        source = Path(options["file"])
        if not source.is_file():
            raise CommandError(_("File di backup non trovato: %(file)s") % {"file": source})
        database = connection.settings_dict
        vendor = connection.vendor
        if options["interactive"]:
            answer = input(_("Tutti i dati di %(name)s saranno sostituiti da %(file)s. Scrivi 'si' per continuare: ") % {
                "name": database["NAME"], "file": source})
            if answer.strip().lower() not in ("si", "sì"):
                raise CommandError(_("Ripristino annullato."))
        connection.close()  # this process holds no lock or cached plan on the tables about to be replaced
        if vendor == "postgresql":
            args, env = pg_arguments(database)
            run([pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error",
                 *args, str(source)], env=env)
        elif vendor == "sqlite":
            with open(source, "rb") as head:
                if head.read(16) != b"SQLite format 3\x00":
                    raise CommandError(_("%(file)s non è un backup SQLite.") % {"file": source})
            sqlite_copy(sqlite3.connect(f"file:{source}?mode=ro", uri=True), sqlite3.connect(database["NAME"], timeout=30))
            private_sqlite(database["NAME"])
        else:
            raise CommandError(_("Ripristino possibile solo con PostgreSQL o SQLite, non con %(vendor)s.") % {"vendor": vendor})
        self.stdout.write(_("Ripristinato %(name)s da %(file)s.") % {"name": database["NAME"], "file": source})
