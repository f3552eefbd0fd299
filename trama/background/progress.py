"""One way for a page to follow work it left to the task worker: the same words, the same polling, everywhere.

A view builds a `TaskProgress` (with `progress_of` from the record that tracks the work) and renders the page,
which includes "includes/task_progress.html"; the same view (or a small one) answers the page's polling with
`render_progress`, the include alone. While the work is queued or running the block asks again every 2 seconds
and says "in coda" or "in corso, N %"; once done it says "fatto" and shows the app's result (`result_template`),
once failed "non riuscito: <reason>" with a way to try again. It never says "fatto" before the record says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .queries import Attempt, attempt_of

if TYPE_CHECKING:
    from django.db.models import Model
    from django_stubs_ext import StrOrPromise
    from django_tasks.base import Task

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
# The statuses most tracking records use, as the four states; a record with others passes its own mapping.
STATES = {"queued": QUEUED, "running": RUNNING, "done": DONE, "failed": FAILED}


@dataclass(frozen=True)
class TaskProgress:
    """What includes/task_progress.html shows (its comment describes each field)."""

    element_id: str
    poll_url: str
    state: str
    label: StrOrPromise
    percent: int | None = None
    reason: StrOrPromise = ""
    retry_url: str = ""
    retry_post: bool = False
    result_template: str = ""
    attempt: Attempt | None = None

    @property
    def polling(self) -> bool:
        return self.state in (QUEUED, RUNNING)


def progress_of(
    record: Model,
    *,
    element_id: str,
    poll_url: str,
    label: StrOrPromise,
    failure: StrOrPromise,
    task: Task[..., Any] | None = None,
    task_args: tuple[Any, ...] = (),
    states: Mapping[str, str] = STATES,
    retry_url: str = "",
    retry_post: bool = False,
    result_template: str = "",
) -> TaskProgress:
    """The progress of the work tracked by `record` (its `status`, mapped by `states`, and its `progress` in % if it
    has one). `failure` is why it failed in the app's words, replaced by the task queue's own reason when it knows
    one (`task` run with `task_args`, background.queries.attempt_of)."""
    state = states[record.status]
    attempt = attempt_of(task, *task_args) if task is not None else None
    percent = getattr(record, "progress", None)
    reason = attempt.reason if attempt is not None and attempt.failed else failure
    return TaskProgress(
        element_id=element_id,
        poll_url=poll_url,
        state=state,
        label=label,
        percent=percent if state == RUNNING else None,
        reason=reason if state == FAILED else "",
        retry_url=retry_url,
        retry_post=retry_post,
        result_template=result_template,
        attempt=attempt,
    )


def render_progress(request: HttpRequest, progress: TaskProgress, context: Mapping[str, Any] | None = None) -> HttpResponse:
    """The answer to the page's polling: the include alone, with `context` for the result template."""
    return render(request, "includes/task_progress.html", {**(context or {}), "progress": progress})
