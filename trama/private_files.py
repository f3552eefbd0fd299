"""Files that hold personal data (the SQLite database, backups, signed agreements, secrets) are
readable by Trama's own user only: 0600 files in 0700 directories.

Imported by the settings, so it uses nothing from Django.
"""

import os
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path):
    """Create `path` (and missing parents) as a private directory, or make an existing one private."""
    path = Path(path)
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    if path.stat().st_mode & 0o777 != DIR_MODE:
        path.chmod(DIR_MODE)
    return path


def private_file(path):
    """Create `path` empty as a private file if it is missing, or make it private; return it.

    Created with the right mode from the start (never a moment of 0644). An empty file is
    also a valid empty SQLite database.
    """
    path = Path(path)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE))
    if path.stat().st_mode & 0o777 != FILE_MODE:
        path.chmod(FILE_MODE)
    return path


def private_sqlite(name):
    """Make a SQLite database file and its WAL and shared-memory files private (SQLite gives the
    WAL and -shm files it creates the database file's own mode).

    An existing database is never opened, only changed in mode: SQLite's locks are POSIX advisory
    locks, and a process that opens and closes a file loses every lock it held on it, its SQLite
    connections' included. Called on every new connection (trama.apps), an open and close here let
    another process's closing connection believe it was the last one and delete the WAL and the
    shared memory under live connections, after which two writers no longer saw each other's locks
    and the database was corrupted (see sqlite.org/howtocorrupt.html, "posix advisory locks")."""
    if not name or str(name).startswith((":memory:", "file:")) or not Path(name).parent.is_dir():
        return
    database = Path(name)
    if database.exists():
        if database.stat().st_mode & 0o777 != FILE_MODE:
            database.chmod(FILE_MODE)
    else:
        private_file(database)  # created before SQLite creates it: no process holds a lock on it yet
    for suffix in ("-wal", "-shm", "-journal"):
        companion = Path(f"{name}{suffix}")
        if companion.exists():
            companion.chmod(FILE_MODE)
