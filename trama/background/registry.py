"""What the apps tell the task machinery about their own tasks: a name people read, and what to do when
a task is given up for good after its worker stopped `TRAMA_TASK_MAX_ATTEMPTS` times (the task's own error
handling never ran, so the record a page waits on must be told here)."""

from dataclasses import dataclass

from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Described:
    label: str
    abandoned: object = None  # called with the task's arguments and the reason, or None
    max_attempts: int | None = None  # None: TRAMA_TASK_MAX_ATTEMPTS


_described = {}


def describe(task, label, abandoned=None, max_attempts=None):
    """Declare `task` (a django-tasks Task) with its `label`, its `abandoned(*args, reason=…, **kwargs)` hook and,
    for a task that must not run twice, how many times it may be started (1: never again after a crash)."""
    _described[task.module_path] = Described(label, abandoned, max_attempts)


def described(task_path):
    """The declaration of the task at `task_path`, importing its module so that it registers; None if unknown."""
    if task_path not in _described:
        try:
            import_string(task_path)
        except ImportError:
            return None
    return _described.get(task_path)
