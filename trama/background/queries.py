"""How the background tasks went, for the pages that wait on one and for the coordinators' list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Func, IntegerField, Q, QuerySet
from django.db.models.sql.compiler import SQLCompiler
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tasks.base import Task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from . import registry
from .recovery import WORKER_LOST, max_attempts

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


STATUS_LABELS = {
    TaskResultStatus.READY: _("in coda"),
    TaskResultStatus.RUNNING: _("in corso"),
    TaskResultStatus.SUCCESSFUL: _("riuscito"),
    TaskResultStatus.FAILED: _("non riuscito"),
}


class JSONArrayLength(Func):
    function = "JSON_ARRAY_LENGTH"
    output_field = IntegerField()

    def as_postgresql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any) -> tuple[str, tuple[Any, ...]]:
        return super().as_sql(compiler, connection, function="JSONB_ARRAY_LENGTH", **extra)


@dataclass
class Attempt:
    """One background task as a page tells it: its state, how many times it was started, why it failed."""

    result: DBTaskResult

    @property
    def attempts(self) -> int:
        return len(self.result.worker_ids)

    @property
    def max_attempts(self) -> int:
        return max_attempts()

    @property
    def label(self) -> StrOrPromise:
        declared = registry.described(self.result.task_path)
        return declared.label if declared else self.result.task_name

    @property
    def status_label(self) -> StrOrPromise:
        return STATUS_LABELS.get(self.result.status, self.result.status)

    @property
    def failed(self) -> bool:
        return self.result.status == TaskResultStatus.FAILED

    @property
    def interrupted(self) -> bool:
        """Started more than once, or back in the queue after a start: a worker stopped while running it."""
        return self.attempts > 1 or (self.attempts == 1 and self.result.status == TaskResultStatus.READY)

    @property
    def reason(self) -> StrOrPromise:
        if not self.failed:
            return ""
        if self.result.exception_class_path == WORKER_LOST:
            return ngettext(
                "il lavoro si è interrotto %(n)d volta perché il processo che lo eseguiva si è fermato",
                "il lavoro si è interrotto %(n)d volte perché il processo che lo eseguiva si è fermato",
                self.attempts,
            ) % {"n": self.attempts}
        return _("errore imprevisto durante il lavoro (i dettagli sono nel registro del server)")


def attempt_of(task: Task[..., Any], *args: Any) -> Attempt | None:
    """The latest run of `task` (a django-tasks Task) enqueued with these positional `args`, or None (also when
    tasks do not go through the database, as in the tests' immediate backend)."""
    if not isinstance(task.get_backend(), DatabaseBackend):
        return None
    results = DBTaskResult.objects.filter(task_path=task.module_path)
    for index, value in enumerate(args):
        results = results.filter(**{f"args_kwargs__args__{index}": value})
    result = results.order_by("-enqueued_at").first()
    return Attempt(result) if result else None


def troubled() -> QuerySet[DBTaskResult]:
    """Tasks that failed or were started more than once, newest first."""
    results = DBTaskResult.objects.annotate(attempts=JSONArrayLength("worker_ids")).filter(
        Q(status=TaskResultStatus.FAILED) | Q(attempts__gt=1) | Q(status=TaskResultStatus.READY, attempts__gt=0)
    )
    return results.order_by("-enqueued_at")
