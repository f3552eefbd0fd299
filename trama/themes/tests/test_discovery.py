"""Discovery runs: candidates with key phrases and tags, matched (not re-proposed) on later runs."""

import pytest
from django.urls import reverse

from trama.themes import services
from trama.themes.models import DiscoveryRun, Tag, TextItem, Theme, ThemeEvent

pytestmark = pytest.mark.django_db


def _topic_of(theme):
    phrases = " ".join(theme.key_phrases)
    return "bills" if "bollett" in phrases or "affitt" in phrases else "digital" if "online" in phrases or "spid" in phrases.lower() else "lonely"


def test_a_run_proposes_candidates_with_phrases_first_seen_and_engine_tags(coordinator, corpus, run_for):
    themes, run = run_for(coordinator, themes=3)
    assert run.status == DiscoveryRun.Status.DONE and run.progress == 100
    assert (run.item_count, run.theme_count) == (36, 3)
    assert {t.status for t in themes} == {Theme.Status.CANDIDATE}
    assert {_topic_of(t) for t in themes} == {"bills", "digital", "lonely"}
    for theme in themes:
        assert theme.key_phrases and theme.suggested_name and theme.first_seen <= theme.last_seen
        assert theme.centroid_vector().shape == (384,)
        assert theme.events.get().action == ThemeEvent.Action.PROPOSED
    tags = Tag.objects.filter(origin=Tag.Origin.ENGINE)
    assert tags.count() == 36 and all(0 < t.confidence <= 1 for t in tags)
    assert TextItem.objects.filter(embedding=None).count() == 0  # computed inside the run and kept


def test_the_same_items_and_seed_give_the_same_themes(coordinator, corpus, run_for):
    first, _run = run_for(coordinator, seed=7)
    sizes = sorted(t.tags.count() for t in first)
    Theme.objects.all().delete()
    second, _run = run_for(coordinator, seed=7)
    assert sorted(t.tags.count() for t in second) == sizes
    assert [t.key_phrases for t in first] == [t.key_phrases for t in second]


def test_a_second_run_finds_the_same_themes_again_instead_of_proposing_them(coordinator, corpus, run_for):
    first, _run = run_for(coordinator, themes=3)
    services.name_theme(first[0], "Bollette e casa", by=coordinator)
    second, run = run_for(coordinator, themes=3)
    assert Theme.objects.count() == 3
    assert {t.pk for t in second} == {t.pk for t in first}
    assert ThemeEvent.objects.filter(action=ThemeEvent.Action.MATCHED).count() == 3
    assert Theme.objects.get(pk=first[0].pk).name == "Bollette e casa"
    assert Tag.objects.count() == 36


def test_a_rejected_tag_is_never_put_back_by_a_later_run(coordinator, corpus, run_for):
    first, _run = run_for(coordinator, themes=3)
    tag = Tag.objects.filter(theme=first[0]).first()
    services.reject_tag(tag, by=coordinator)
    run_for(coordinator, themes=3)
    tag.refresh_from_db()
    assert tag.rejected and Tag.objects.filter(item=tag.item, theme=first[0]).count() == 1


def test_a_retired_theme_is_not_proposed_again(coordinator, corpus, run_for):
    first, _run = run_for(coordinator, themes=3)
    services.retire_theme(first[0], by=coordinator)
    second, run = run_for(coordinator, themes=3)
    assert first[0].pk not in {t.pk for t in second}
    assert Theme.objects.filter(status=Theme.Status.CANDIDATE).count() == 2 and run.theme_count == 2


def test_a_workers_run_reads_only_their_neighbourhoods(worker, corpus, run_for, neighbourhood):
    _themes, run = run_for(worker, neighbourhoods=[neighbourhood])
    assert run.item_count == 18
    assert not Tag.objects.exclude(item__neighbourhood=neighbourhood).exists()


def test_a_run_with_too_few_items_finishes_with_no_theme(coordinator, make_item, run_for):
    make_item("Una sola frase")
    themes, run = run_for(coordinator)
    assert themes == [] and run.status == DiscoveryRun.Status.DONE and run.item_count == 1


def test_a_coordinator_starts_a_run_from_the_page_and_sees_its_progress(client, coordinator, corpus):
    client.force_login(coordinator)
    response = client.post(reverse("themes:runs"), {"requested_themes": "3", "seed": "2"})
    run = DiscoveryRun.objects.get()
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    assert run.status == DiscoveryRun.Status.DONE and run.requested_by == coordinator and run.theme_count == 3
    assert not run.neighbourhoods.exists()
    progress = client.get(reverse("themes:run_progress", args=[run.pk])).content.decode()
    assert "Ricerca di temi: fatto." in progress and "hx-get" not in progress
    page = client.get(run.get_absolute_url()).content.decode()
    assert all(t.suggested_name in page for t in Theme.objects.all())


def test_a_queued_run_polls_for_its_progress(client, coordinator, city):
    run = DiscoveryRun.objects.create(city=city, requested_by=coordinator)
    client.force_login(coordinator)
    html = client.get(reverse("themes:run_progress", args=[run.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in html and "Ricerca di temi: in coda." in html and "<script" not in html
    assert "Ricerca di temi: fatto." not in html


def test_the_run_page_says_done_only_after_the_worker_has_run(client, coordinator, corpus, settings):
    from django_tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client.force_login(coordinator)
    page_url = client.post(reverse("themes:runs"), {"requested_themes": "3", "seed": "2"})["Location"]
    page = client.get(page_url).content.decode()
    assert "Ricerca di temi: in coda." in page and "Ricerca di temi: fatto." not in page and "run-summary" not in page
    for result in list(default_task_backend.results):
        result.task.call(*result.args, **result.kwargs)
    run = DiscoveryRun.objects.get()
    fragment = client.get(reverse("themes:run_progress", args=[run.pk])).content.decode()
    assert "Ricerca di temi: fatto." in fragment and "run-summary" in fragment and "hx-get" not in fragment


def test_a_failed_run_says_why_and_links_to_a_new_one(client, coordinator, city):
    run = DiscoveryRun.objects.create(city=city, requested_by=coordinator, status=DiscoveryRun.Status.FAILED)
    client.force_login(coordinator)
    html = client.get(reverse("themes:run_progress", args=[run.pk])).content.decode()
    assert "Ricerca di temi: non riuscito: riprova più tardi" in html and f'href="{reverse("themes:runs")}"' in html
    assert "hx-get" not in html


def test_a_workers_run_from_the_page_covers_their_neighbourhoods(client, worker, neighbourhood, make_item):
    make_item("Una frase")
    client.force_login(worker)
    client.post(reverse("themes:runs"), {})
    assert list(DiscoveryRun.objects.get().neighbourhoods.all()) == [neighbourhood]


@pytest.mark.parametrize(
    "data, field",
    [
        ({"requested_themes": "1"}, "requested_themes"),
        ({"requested_themes": "999"}, "requested_themes"),
        ({"requested_themes": "tre"}, "requested_themes"),
        ({"since": "2026-13-45"}, "since"),
        ({"since": "2026-05-01", "until": "2026-01-01"}, "until"),
        ({"until": "2999-01-01"}, "until"),
        ({"seed": "-1"}, "seed"),
        ({"seed": "9" * 40}, "seed"),
    ],
)
def test_a_malformed_run_request_is_refused_with_a_message_and_starts_nothing(client, coordinator, data, field):
    client.force_login(coordinator)
    response = client.post(reverse("themes:runs"), data)
    assert response.status_code == 400 and response.context["form"].errors[field]
    assert not DiscoveryRun.objects.exists()


def test_a_failed_run_says_so(coordinator, city, monkeypatch):
    from trama.themes import tasks

    def boom(run):
        raise RuntimeError("motore rotto")

    monkeypatch.setattr(services, "run_discovery", boom)
    run = DiscoveryRun.objects.create(city=city, requested_by=coordinator)
    tasks.discover_themes.call(run.pk)
    run.refresh_from_db()
    assert run.status == DiscoveryRun.Status.FAILED and "motore rotto" in run.error


def test_above_the_sample_size_stored_vectors_send_the_other_texts_to_the_nearest_theme(corpus):
    from trama.themes import engine
    from trama.themes.tests.conftest import BILLS, DIGITAL, LONELINESS

    texts = LONELINESS + BILLS + DIGITAL
    vectors = engine.embed(texts)
    result = engine.discover(texts, n_themes=3, seed=0, embeddings=vectors, max_embedded=24)
    assert len(result.labels) == 36 and len(result.themes) == 3
    for topic in (LONELINESS, BILLS, DIGITAL):
        labels = [result.labels[texts.index(t)] for t in topic]
        assert max(labels.count(label) for label in set(labels)) >= 7  # most of a topic lands together


def test_a_run_left_running_by_a_worker_that_stopped_is_run_whole_by_the_next_and_only_once(coordinator, corpus, city):
    from django.utils import timezone

    from trama.themes import tasks

    today = timezone.localdate()
    run = DiscoveryRun.objects.create(
        city=city,
        requested_by=coordinator,
        seed=1,
        requested_themes=3,
        progress=37,
        status=DiscoveryRun.Status.RUNNING,
        since=today - timezone.timedelta(days=183),
        until=today,
    )

    tasks.discover_themes.call(run.pk)  # the task, given again to the next worker
    tasks.discover_themes.call(run.pk)  # and once more: the run is done, nothing happens

    run.refresh_from_db()
    assert run.status == DiscoveryRun.Status.DONE and run.theme_count == 3
    assert Theme.objects.count() == 3 and ThemeEvent.objects.count() == 3 and Tag.objects.count() == 36
