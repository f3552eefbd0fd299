import pytest

from trama.themes.demo import ARCHIVE, load_demo
from trama.themes.models import DiscoveryRun, Tag, TextItem, Theme

pytestmark = pytest.mark.django_db


def test_the_demo_proposes_candidate_themes_and_a_second_load_changes_nothing(city, neighbourhood, other_neighbourhood):
    summary = load_demo(city)
    assert TextItem.objects.count() == len(ARCHIVE)
    assert DiscoveryRun.objects.get().status == DiscoveryRun.Status.DONE
    themes = Theme.objects.filter(status=Theme.Status.CANDIDATE).count()
    assert themes >= 2 and str(themes) in summary
    counts = (TextItem.objects.count(), Theme.objects.count(), Tag.objects.count(), DiscoveryRun.objects.count())
    load_demo(city)
    assert (TextItem.objects.count(), Theme.objects.count(), Tag.objects.count(), DiscoveryRun.objects.count()) == counts
