"""The one sanctioned way to empty the audit log on SQLite: the test suite's flush between transactional tests.

The database refuses UPDATE and DELETE on privacy_auditentry (migrations 0002 and 0003). On
PostgreSQL Django's flush empties tables with TRUNCATE, which row triggers do not see; on SQLite
it runs DELETE FROM, which the triggers refuse. `allow_flush_in_tests()`, called by conftest.py
and by nothing else, makes SQLite's flush drop the audit log's triggers, empty the tables and
recreate the triggers exactly as they were, in the single transaction flush runs in: no other
connection ever sees the log unguarded. `manage.py flush` outside the tests is still refused.
"""

AUDIT_TABLE = "privacy_auditentry"


def _flush_keeping_triggers(sql_flush):
    def flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        statements = sql_flush(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        if AUDIT_TABLE not in tables:
            return statements
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s ORDER BY name", [AUDIT_TABLE])
            triggers = cursor.fetchall()
        drop = [f"DROP TRIGGER {self.quote_name(name)}" for name, _sql in triggers]
        return drop + list(statements) + [sql for _name, sql in triggers]

    flush.keeps_audit_triggers = True
    return flush


def allow_flush_in_tests():
    """Let the test suite's flush empty the audit log on SQLite (see the module's docstring)."""
    from django.db import connection

    if connection.vendor != "sqlite":
        return  # PostgreSQL's flush is a TRUNCATE, which the row triggers do not see
    from django.db.backends.sqlite3.operations import DatabaseOperations

    if not getattr(DatabaseOperations.sql_flush, "keeps_audit_triggers", False):
        DatabaseOperations.sql_flush = _flush_keeping_triggers(DatabaseOperations.sql_flush)
