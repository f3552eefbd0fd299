"""Small factories for the themes app's tests."""

import itertools

import pytest
from django.utils import timezone

from trama.themes.demo import ARCHIVE
from trama.themes.models import DiscoveryRun, Tag, TextItem, Theme

_ids = itertools.count(1)
LONELINESS, BILLS, DIGITAL = ARCHIVE[:12], ARCHIVE[12:24], ARCHIVE[24:36]


@pytest.fixture
def make_item(city, neighbourhood):
    def make(text="Cerco compagnia la domenica", where=None, days_ago=10, person=None, **kwargs):
        return TextItem.objects.create(
            city=city,
            source=kwargs.pop("source", TextItem.Source.IMPORT),
            source_id=kwargs.pop("source_id", next(_ids)),
            text=text,
            neighbourhood=where or neighbourhood,
            person=person,
            written_at=timezone.now() - timezone.timedelta(days=days_ago),
            **kwargs,
        )

    return make


@pytest.fixture
def corpus(make_item, neighbourhood, other_neighbourhood):
    """36 texts on three clearly different topics, over both neighbourhoods and five months."""
    items = []
    for n, text in enumerate(LONELINESS + BILLS + DIGITAL):
        items.append(make_item(text, where=neighbourhood if n % 2 else other_neighbourhood, days_ago=5 + (n * 13) % 150))
    return items


@pytest.fixture
def run_for(city):
    def run(by, seed=1, themes=None, neighbourhoods=()):
        from trama.themes import services

        today = timezone.localdate()
        record = DiscoveryRun.objects.create(
            city=city, requested_by=by, seed=seed, requested_themes=themes, since=today - timezone.timedelta(days=183), until=today
        )
        record.neighbourhoods.set(neighbourhoods)
        return services.run_discovery(record), record

    return run


@pytest.fixture
def make_theme(city):
    def make(items=(), name="", status=Theme.Status.CANDIDATE, **kwargs):
        theme = Theme.objects.create(
            city=kwargs.pop("city", city), name=name, status=status, suggested_name=kwargs.pop("suggested_name", "spesa, pane"), **kwargs
        )
        for item in items:
            Tag.objects.create(item=item, theme=theme, origin=Tag.Origin.ENGINE, confidence=0.9)
        return theme

    return make
