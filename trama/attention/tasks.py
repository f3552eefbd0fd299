from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from trama.background.registry import describe

from .models import OutreachTask, Signal

DEFAULT_RETENTION_DAYS = 365


def retention_days():
    return int(getattr(settings, "TRAMA_SIGNAL_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def anonymise_signals_that_led_to_nothing(now=None):
    """Anonymise signals closed with no contact and no person more than the retention period ago.

    What stays (neighbourhood, dates, urgency, outcome) feeds the indicators and
    names no one. Returns how many signals were anonymised.
    """
    now = now or timezone.now()
    cutoff = now - timezone.timedelta(days=retention_days())
    stale = Signal.objects.filter(
        status=Signal.Status.CLOSED, closed_at__lt=cutoff, first_contact_at__isnull=True, person__isnull=True, anonymised_at__isnull=True
    )
    done = []
    with transaction.atomic():
        for signal in stale.select_for_update():
            signal.anonymise(now)
            signal.save(update_fields=["text", "outcome_note", "place", "age_band", "household", "person_aware", "anonymised_at"])
            done.append(signal.pk)
        OutreachTask.objects.filter(signal__in=done).update(plan="", result="")
    return len(done)


@task()
def anonymise_old_signals():
    """The background task: run `anonymise_signals_that_led_to_nothing` (daily, from the worker's schedule)."""
    return anonymise_signals_that_led_to_nothing()


describe(anonymise_old_signals, _("Anonimizzazione delle segnalazioni scadute"))
