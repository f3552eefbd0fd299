"""A discovery run whose worker is killed leaves the themes as they were, and the next worker completes it once:
no theme proposed twice, no tag twice, the names people gave kept. Real worker processes (background/tests/workers.py)."""

import signal

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from trama.testing import wait_for
from trama.themes import services
from trama.themes.models import DiscoveryRun, Tag, TextItem, Theme, ThemeEvent
from trama.themes.tasks import discover_themes


def themes_as_they_are():
    return sorted(Theme.objects.values_list("pk", "name", "status", "suggested_name"))


@pytest.mark.django_db(transaction=True)
def test_a_discovery_whose_worker_is_killed_leaves_the_themes_intact_and_completes_once(workers, coordinator, corpus, run_for, city):
    first, _run = run_for(coordinator, themes=3)
    services.name_theme(first[0], "Bollette e casa", by=coordinator)
    before = themes_as_they_are()
    tags = Tag.objects.count()
    TextItem.objects.update(embedding=None, embedded_at=None)  # the next run computes them again: it takes a while
    today = timezone.localdate()
    run = DiscoveryRun.objects.create(
        city=city, requested_by=coordinator, requested_themes=3, since=today - timezone.timedelta(days=183), until=today
    )
    discover_themes.enqueue(run.pk)

    first_worker = workers("first")
    wait_for(lambda: DiscoveryRun.objects.get(pk=run.pk).status == DiscoveryRun.Status.RUNNING, "the first worker starts the discovery")
    first_worker.send_signal(signal.SIGKILL)
    first_worker.wait(timeout=5)
    assert DiscoveryRun.objects.get(pk=run.pk).status == DiscoveryRun.Status.RUNNING
    assert themes_as_they_are() == before and not ThemeEvent.objects.filter(action=ThemeEvent.Action.MATCHED).exists()

    workers("second")
    wait_for(lambda: DiscoveryRun.objects.get(pk=run.pk).is_finished, "the next worker completes the discovery")

    run.refresh_from_db()
    assert (run.status, run.theme_count) == (DiscoveryRun.Status.DONE, 3)
    assert DBTaskResult.objects.get(task_path=discover_themes.module_path).worker_ids == ["first", "second"]
    assert [pk for pk, *_rest in themes_as_they_are()] == [pk for pk, *_rest in before]  # the same three, none twice
    assert Theme.objects.get(pk=first[0].pk).name == "Bollette e casa"
    assert ThemeEvent.objects.filter(action=ThemeEvent.Action.MATCHED).count() == 3  # each found again once
    assert Tag.objects.count() == tags == TextItem.objects.count()
