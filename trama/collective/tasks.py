from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from trama.background.registry import describe
from trama.territory.models import City

# Saves of needs, signals and encounters come in bursts: one refresh per city per window.
DEBOUNCE_SECONDS = 30


@task()
def refresh_suggestions_of_city(city_id, refresh_id=None):
    """Recompute the open suggestions of one city (see services.refresh_suggestions); with `refresh_id`, the
    refresh someone asked for from the page, which reads how it went on that record (services.run_refresh)."""
    from .services import refresh_suggestions, run_refresh

    if refresh_id is not None:
        result = run_refresh(refresh_id)
        return list(result) if result else None
    city = City.objects.filter(pk=city_id).first()
    if city is None:
        return None
    return list(refresh_suggestions(city))


def schedule_refresh(city_id):
    """Enqueue a refresh of `city_id`'s suggestions, at most once per window when the backend can defer.

    The task runs at the end of the window, so it sees every save made during it.
    """
    if city_id is None:
        return
    refresh = refresh_suggestions_of_city
    if refresh.get_backend().supports_defer:
        if not cache.add(f"collective:refresh:{city_id}", 1, DEBOUNCE_SECONDS):
            return
        refresh = refresh.using(run_after=timezone.now() + timezone.timedelta(seconds=DEBOUNCE_SECONDS))
    refresh.enqueue(city_id)


def _refresh_abandoned(city_id, refresh_id=None, *, reason):
    from .models import SuggestionRefresh

    if refresh_id is not None:
        SuggestionRefresh.objects.filter(pk=refresh_id).exclude(status=SuggestionRefresh.Status.DONE).update(
            status=SuggestionRefresh.Status.FAILED, finished_at=timezone.now()
        )


describe(refresh_suggestions_of_city, _("Aggiornamento delle proposte di gruppo"), abandoned=_refresh_abandoned)


@task()
def embed_group(group_id):
    """Compute what a group's name and purpose mean, for proposing it to needs (market.meaning)."""
    from trama.market.tasks import embed_record

    from .models import Group

    return embed_record(Group, group_id)


describe(embed_group, _("Calcolo del significato di un gruppo"))
