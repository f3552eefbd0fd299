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
    WAL and -shm files it creates the database file's own mode)."""
    if not name or str(name).startswith((":memory:", "file:")) or not Path(name).parent.is_dir():
        return
    private_file(name)
    for suffix in ("-wal", "-shm", "-journal"):
        companion = Path(f"{name}{suffix}")
        if companion.exists():
            companion.chmod(FILE_MODE)
