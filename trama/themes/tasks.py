import logging

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from trama.background.registry import describe

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
    # RUNNING: a worker stopped in the middle and the run was given to another (see trama/background).
    if run is None or run.status not in (DiscoveryRun.Status.QUEUED, DiscoveryRun.Status.RUNNING):
        return None
    try:
        return len(services.run_discovery(run))
    except Exception as error:  # the page must say it failed rather than wait for ever
        log.exception("Discovery run %s failed", run_id)
        DiscoveryRun.objects.filter(pk=run_id).update(status=DiscoveryRun.Status.FAILED, error=str(error)[:500], finished_at=timezone.now())
        return None


def _run_abandoned(run_id, reason):
    DiscoveryRun.objects.filter(pk=run_id, status__in=[DiscoveryRun.Status.QUEUED, DiscoveryRun.Status.RUNNING]).update(
        status=DiscoveryRun.Status.FAILED, error=reason, finished_at=timezone.now()
    )


describe(embed_item, _("Calcolo della rappresentazione di un testo"))
describe(discover_themes, _("Ricerca di temi"), abandoned=_run_abandoned)
