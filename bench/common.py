"""What every benchmark shares: a scratch Django database and the report it writes.

Each bench/bench_*.py is run as a script, so this module is imported as `common`.
"""

import json
import os
import platform
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
sys.path.insert(0, str(ROOT))


def scratch_django(**environ):
    """Set Django up on a fresh SQLite file under a scratch TRAMA_VAR_DIR, or on BENCH_DATABASE_URL."""
    scratch = tempfile.mkdtemp(prefix="trama-bench-")
    os.environ["TRAMA_VAR_DIR"] = scratch
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trama.settings")
    os.environ.setdefault("TRAMA_HTTPS", "0")
    os.environ.update(environ)
    import django

    django.setup()


def git_revision():
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True).stdout
        return rev + ("-dirty" if dirty.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def header(benchmark, database=None):
    """The fields every report starts with: what, when, on which machine, database and revision."""
    fields = {
        "benchmark": benchmark,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}",
        "git_revision": git_revision(),
    }
    if database:
        fields["database"] = database
    return fields


def write_report(name, report):
    """Write var/bench/<name>.json and return its path."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    return path
