"""`manage.py backup`: a consistent copy of the database, taken while the site runs.

PostgreSQL: pg_dump in custom format (restore with `manage.py restore`, i.e. pg_restore).
SQLite: the online backup API of sqlite3, which copies a consistent snapshot page by page.
"""

import glob
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from trama.private_files import private_dir, private_file


def pg_tool(name):
    """The path of pg_dump/pg_restore: on PATH, else the newest under /usr/lib/postgresql/*/bin (Debian)."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(Path(p).parts[-3]))
    if not candidates:
        raise CommandError(_("%(tool)s non trovato: installa il client di PostgreSQL (pacchetto postgresql-client).") % {"tool": name})
    return candidates[-1]


def pg_arguments(database):
    """Connection options and environment for the PostgreSQL tools, from Django's settings (i.e. DATABASE_URL)."""
    args = ["--dbname", database["NAME"]]
    if database.get("HOST"):
        args += ["--host", database["HOST"]]
    if database.get("PORT"):
        args += ["--port", str(database["PORT"])]
    if database.get("USER"):
        args += ["--username", database["USER"]]
    env = dict(os.environ)
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = database["PASSWORD"]
    return args, env


def sqlite_copy(source, target):
    """Copy the SQLite database of connection `source` into connection `target` with the online
    backup API (a consistent snapshot, page by page), then close both."""
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def run(command, env=None):
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise CommandError(f"{Path(command[0]).name}: {result.stderr.strip() or result.returncode}")
    return result


class Command(BaseCommand):
    help = _("Salva una copia coerente del database (PostgreSQL: pg_dump in formato custom; SQLite: backup online).")

    def add_arguments(self, parser):
        parser.add_argument("--output", help=_("file da scrivere (predefinito: var/backups/trama-<data e ora>.dump o .sqlite3)"))

    def handle(self, *args, **options):
        database = connection.settings_dict
        vendor = connection.vendor
        if vendor not in ("postgresql", "sqlite"):
            raise CommandError(_("Backup possibile solo con PostgreSQL o SQLite, non con %(vendor)s.") % {"vendor": vendor})
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        default = Path(settings.VAR_DIR) / "backups" / f"trama-{stamp}.{'dump' if vendor == 'postgresql' else 'sqlite3'}"
        output = Path(options["output"] or default)
        if options["output"]:
            output.parent.mkdir(parents=True, exist_ok=True)
        else:
            private_dir(output.parent)
        partial = output.with_name(output.name + ".partial")
        # A backup holds personal data: the file is private from its first byte (pg_dump keeps an existing file's mode).
        partial.unlink(missing_ok=True)
        private_file(partial)
        if vendor == "postgresql":
            args, env = pg_arguments(database)
            run([pg_tool("pg_dump"), "--format=custom", "--file", str(partial), *args], env=env)
        else:
            sqlite_copy(sqlite3.connect(database["NAME"]), sqlite3.connect(partial))
        # Only a finished copy gets the final name: a failed run never leaves a half file that looks good.
        partial.replace(output)
        self.stdout.write(str(output))
