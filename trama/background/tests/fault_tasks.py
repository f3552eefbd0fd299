"""A task for the fault-injection tests: it says it started, takes a while, then writes its one result."""

import os
import time
from pathlib import Path

from django_tasks import task


@task()
def slow_tally(directory, steps):
    """Touch `started-<pid>`, sleep `steps` fifths of a second, then append one line to `done` (once per completion)."""
    path = Path(directory)
    (path / f"started-{os.getpid()}").touch()
    for _ in range(steps):
        time.sleep(0.2)
    with open(path / "done", "a") as done:
        done.write(f"{os.getpid()}\n")
    return steps
