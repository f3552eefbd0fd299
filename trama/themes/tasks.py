import logging

from django.utils import timezone
from django_tasks import task

from . import services
from .models import DiscoveryRun, TextItem

log = logging.getLogger(__name__)


@task()
def embed_item(item_id):
    """Compute a saved item's embedding once, then suggest the theme it is nearest to."""
    item = TextItem.objects.filter(pk=item_id).first()
    if item is None:
        return None
    services.embed_items([item])
    tag = services.suggest_tags(item)
    return tag.theme_id if tag else None


@task()
def discover_themes(run_id):
    """Run one discovery run, saying how far it has got in `progress` (0-100) as it goes."""
    run = DiscoveryRun.objects.filter(pk=run_id).first()
    if run is None or run.status != DiscoveryRun.Status.QUEUED:
        return None
    try:
        return len(services.run_discovery(run))
    except Exception as error:  # the page must say it failed rather than wait for ever
        log.exception("Discovery run %s failed", run_id)
        DiscoveryRun.objects.filter(pk=run_id).update(
            status=DiscoveryRun.Status.FAILED, error=str(error)[:500], finished_at=timezone.now()
        )
        return None
