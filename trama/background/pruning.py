"""The task queue forgets finished tasks: successful ones after `TRAMA_TASK_RESULTS_DAYS`, failed ones after
`TRAMA_FAILED_TASK_RESULTS_DAYS`, so that coordinators' list at /attivita-in-background/ keeps two months
of failures. Run nightly with the rest of the retention schedule (privacy.retention)."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult


def prune_results(now, dry_run=False):
    """Delete (or, with `dry_run`, count) the finished task results old enough to go; returns how many."""
    done = now - timedelta(days=settings.TRAMA_TASK_RESULTS_DAYS)
    failed = now - timedelta(days=settings.TRAMA_FAILED_TASK_RESULTS_DAYS)
    results = DBTaskResult.objects.finished().filter(
        Q(status=TaskResultStatus.SUCCESSFUL, finished_at__lte=done) | Q(status=TaskResultStatus.FAILED, finished_at__lte=failed)
    )
    if dry_run:
        return results.count()
    return results.delete()[1].get(DBTaskResult._meta.label, 0)
