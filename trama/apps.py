from django.apps import AppConfig
from django.db.backends.signals import connection_created


def keep_sqlite_private(sender, connection, **kwargs):
    """Whatever created the SQLite file (migrate, the test runner, restore), it stays 0600."""
    if connection.vendor == "sqlite":
        from trama.private_files import private_sqlite

        private_sqlite(connection.settings_dict["NAME"])


class TramaConfig(AppConfig):
    name = "trama"
    label = "trama"
    verbose_name = "Trama"

    def ready(self):
        connection_created.connect(keep_sqlite_private, dispatch_uid="trama.keep_sqlite_private")
