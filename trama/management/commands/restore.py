"""`manage.py restore FILE`: put a backup made by `manage.py backup` back in place of the current data.

Stop the web processes and task workers first. PostgreSQL: pg_restore --clean --if-exists
drops and recreates every object of the dump (the audit log's append-only trigger refuses
UPDATE and DELETE, not DROP), in one transaction: on error nothing changes. SQLite: the
backup is copied over the database file with the online backup API.

Going back to a backup takes the audit log back too: the entries written since the backup
are gone. So the restore never goes unrecorded: it appends to the restored log who restored
which file (name and SHA-256), and what the log held just before (how many entries, the last
one's id and time), so that the entries lost are visible as a gap.

Going back to a backup must not bring back the data of people erased since it was taken: the
erasures of the ledger kept outside the database (TRAMA_ERASURE_LEDGER, see trama/privacy/erasure.py)
are applied again to everyone the restored database still holds unerased.
"""

import getpass
import hashlib
import sqlite3
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection
from django.utils.translation import gettext as _

from trama.privacy import audit, erasure
from trama.privacy.models import AuditEntry
from trama.private_files import private_sqlite

from .backup import pg_arguments, pg_tool, run, sqlite_copy


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def system_user():
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name and no passwd entry (some containers)
        return "?"


def audit_log_state():
    """(number of entries, last entry or None) of the current database's audit log; (None, None) without one."""
    if AuditEntry._meta.db_table not in connection.introspection.table_names():
        return None, None
    return AuditEntry.objects.count(), AuditEntry.objects.order_by("-pk").only("pk", "at").first()


def skip_ids_up_to(pk):
    """Make the audit log's next id greater than `pk` (the restored sequence may be behind it)."""
    table = AuditEntry._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), GREATEST(%s, (SELECT COALESCE(MAX(id), 0) FROM privacy_auditentry)))", [table, pk]
            )
        else:  # AUTOINCREMENT keeps the highest id given in sqlite_sequence
            cursor.execute("UPDATE sqlite_sequence SET seq = MAX(seq, %s) WHERE name = %s", [pk, table])
            cursor.execute(
                "INSERT INTO sqlite_sequence (name, seq) SELECT %s, %s WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = %s)",
                [table, pk, table],
            )


def describe(count, last):
    if count is None:
        return "nessun registro accessi"
    if last is None:
        return "0 voci"
    return f"{count} voci, l'ultima n. {last.pk} del {last.at:%Y-%m-%dT%H:%M:%SZ}"


class Command(BaseCommand):
    help = _("Ripristina il database da un file di backup (sostituisce tutti i dati attuali).")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("file scritto da manage.py backup"))
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive", help=_("non chiedere conferma"))
        parser.add_argument("--operator", help=_("chi esegue il ripristino, per il registro accessi (predefinito: l'utente di sistema)"))

    def handle(self, *args, **options):
        source = Path(options["file"])
        if not source.is_file():
            raise CommandError(_("File di backup non trovato: %(file)s") % {"file": source})
        database = connection.settings_dict
        vendor = connection.vendor
        if vendor not in ("postgresql", "sqlite"):
            raise CommandError(_("Ripristino possibile solo con PostgreSQL o SQLite, non con %(vendor)s.") % {"vendor": vendor})
        if vendor == "sqlite":
            with open(source, "rb") as head:
                if head.read(16) != b"SQLite format 3\x00":
                    raise CommandError(_("%(file)s non è un backup SQLite.") % {"file": source})
        if options["interactive"]:
            answer = input(
                _("Tutti i dati di %(name)s saranno sostituiti da %(file)s. Scrivi 'si' per continuare: ")
                % {"name": database["NAME"], "file": source}
            )
            if answer.strip().lower() not in ("si", "sì"):
                raise CommandError(_("Ripristino annullato."))
        operator = options["operator"] or system_user()
        checksum = sha256_of(source)
        count, last = audit_log_state()
        connection.close()  # this process holds no lock or cached plan on the tables about to be replaced
        if vendor == "postgresql":
            args, env = pg_arguments(database)
            run(
                [pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error", *args, str(source)],
                env=env,
            )
        else:
            sqlite_copy(sqlite3.connect(f"file:{source}?mode=ro", uri=True), sqlite3.connect(database["NAME"], timeout=30))
            private_sqlite(database["NAME"])
        self.record(operator, source, checksum, count, last)
        self.stdout.write(_("Ripristinato %(name)s da %(file)s.") % {"name": database["NAME"], "file": source})
        self.reapply_erasures(operator)

    def reapply_erasures(self, operator):
        try:
            erased = erasure.reapply_ledger(actor_label=f"{operator} (manage.py restore)")
        except DatabaseError as error:
            raise CommandError(
                _(
                    "Il database è stato ripristinato ma le cancellazioni fatte dopo il backup non sono state riapplicate "
                    "(%(error)s): esegui manage.py migrate e poi manage.py reapply_erasures."
                )
                % {"error": error}
            ) from error
        self.stdout.write(_("Cancellazioni riapplicate dopo il backup: %(n)d.") % {"n": len(erased)})

    def record(self, operator, source, checksum, count, last):
        """Append the restore to the restored audit log.

        Its id comes after every id the log had before the restore: no id is given twice, and the
        ids between the backup's last entry and this one are exactly the entries lost.
        """
        try:
            restored_count, restored_last = audit_log_state()
            if last is not None:
                skip_ids_up_to(last.pk)
            # The file's SHA-256 is the entry's identifier (64 characters, the column's width).
            reason = f"ripristino da {source.name[:80]}; prima: {describe(count, last)}; dal backup: {describe(restored_count, restored_last)}"
            audit.record(
                None,
                audit.Action.RESTORE,
                object_type="database",
                object_id=checksum,
                reason=reason,
                path="manage.py restore",
                actor_label=f"{operator} (manage.py restore)",
            )
        except DatabaseError as error:
            raise CommandError(
                _(
                    "Il database è stato ripristinato ma il ripristino non è stato registrato nel registro accessi (%(error)s): "
                    "esegui manage.py migrate e registralo a mano."
                )
                % {"error": error}
            ) from error
