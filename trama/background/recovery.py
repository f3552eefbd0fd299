"""Tasks that survive the crash of their worker.

Every worker writes its `WorkerBeat` every `TRAMA_TASK_HEARTBEAT_SECONDS` and, at each beat, looks for
tasks RUNNING on a worker that has not beaten for `TRAMA_TASK_STALLED_SECONDS`: such a task goes back to
the queue, where any worker takes it again, or, once it has been started `TRAMA_TASK_MAX_ATTEMPTS` times,
is failed with `WorkerLost` as its reason. Every task is written to be run twice without harm
(docs/architecture.md, "Background work").
"""

import logging
import os
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from . import registry
from .models import WorkerBeat

log = logging.getLogger(__name__)


class WorkerLost(Exception):
    """The worker running the task stopped (killed, out of memory, machine down) too many times."""


WORKER_LOST = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"


def heartbeat_seconds():
    return float(getattr(settings, "TRAMA_TASK_HEARTBEAT_SECONDS", 10))


def stalled_seconds():
    return float(getattr(settings, "TRAMA_TASK_STALLED_SECONDS", 60))


def max_attempts():
    return int(getattr(settings, "TRAMA_TASK_MAX_ATTEMPTS", 3))


def beat(worker_id, task_id="", started_at=None, now=None):
    """Record that `worker_id` is alive now, running the task `task_id` ("" between tasks)."""
    now = now or timezone.now()
    fields = {"beat_at": now, "pid": os.getpid(), "task_id": str(task_id)}
    WorkerBeat.objects.update_or_create(worker_id=worker_id, defaults=fields, create_defaults={**fields, "started_at": started_at or now})


def forget(worker_id):
    """A worker that stops cleanly says so: it holds no task any more."""
    WorkerBeat.objects.filter(worker_id=worker_id).delete()


def recover_stalled(now=None):
    """Put back in the queue, or fail for good, every task whose worker stopped beating.

    A task is stalled when it has been RUNNING for longer than the delay and the last worker that took it
    has not beaten within the delay, or beats saying it runs something else (it could not record how the
    task ended: the database was gone at that moment). Each change is a conditional UPDATE on the task's `started_at`, so two
    workers recovering at once, or a worker taking the task again meanwhile, never act twice.
    Returns (requeued ids, failed ids).
    """
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=stalled_seconds())
    running = dict(WorkerBeat.objects.filter(beat_at__gte=cutoff).values_list("worker_id", "task_id"))
    requeued, failed = [], []
    stalled = DBTaskResult.objects.running().filter(started_at__lt=cutoff).only("id", "worker_ids", "started_at", "task_path", "args_kwargs")
    for result in stalled:
        if result.worker_ids and running.get(result.worker_ids[-1]) == str(result.pk):
            continue
        same_run = DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at)
        attempts = len(result.worker_ids)
        declared = registry.described(result.task_path)
        limit = declared.max_attempts if declared and declared.max_attempts else max_attempts()
        if attempts < limit:
            if same_run.update(status=TaskResultStatus.READY):
                log.warning(
                    "Task %s (%s): worker %s stopped, back in the queue (attempt %d of %d)",
                    result.pk,
                    result.task_path,
                    result.worker_ids[-1:],
                    attempts,
                    limit,
                )
                requeued.append(str(result.pk))
            continue
        reason = f"WorkerLost: the worker stopped during each of {attempts} attempts ({', '.join(result.worker_ids)})"
        with transaction.atomic():
            if not same_run.update(
                status=TaskResultStatus.FAILED, finished_at=now, exception_class_path=WORKER_LOST, traceback=reason, return_value=None
            ):
                continue
            if declared and declared.abandoned:
                args, kwargs = result.args_kwargs["args"], result.args_kwargs["kwargs"]
                declared.abandoned(*args, reason=abandoned_reason(attempts), **kwargs)
        log.error("Task %s (%s) given up: %s", result.pk, result.task_path, reason)
        failed.append(str(result.pk))
    return requeued, failed


def abandoned_reason(attempts):
    """Why a task was given up, as people read it (Italian, like every reason kept on a record)."""
    from django.utils.translation import ngettext, override

    with override("it"):
        return ngettext(
            "il lavoro si è interrotto %(n)d volta perché il processo che lo eseguiva si è fermato",
            "il lavoro si è interrotto %(n)d volte perché il processo che lo eseguiva si è fermato",
            attempts,
        ) % {"n": attempts}
