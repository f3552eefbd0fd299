"""Retention: every declared row kept past its time limit is anonymised or deleted, every night.

What "past its time limit" means is declared next to each model, in its app's personal_data.py
(`Expiry`: the date the clock runs from, which rows have ended, what becomes of them); how many
months is the declaration's `months`, which a deployment may change in `TRAMA_RETENTION_MONTHS`
({"market.Need": 36, "attention.Signal:contatto": 30}, checked when Trama starts). Two more
things expire on the same schedule: the files of personal-data copies nobody downloaded in
time, and the task queue's finished results (`trama.background.pruning.prune_results`).

`apply_retention(dry_run=True)` counts without changing anything; otherwise each rule acts in its
own transactions (batches of rows), and every model it changed gets one audit entry with the count
and the date (no row ids, no names). A second run finds nothing: a rule only picks rows it has not yet acted on.
"""

import calendar
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trama.background.pruning import prune_results

from . import audit
from .erasure import blank_value
from .registry import Erase, registry

log = logging.getLogger(__name__)

# The database refuses to delete audit entries younger than this (migration 0008): the log of who
# read what cannot be shortened by a setting.
AUDIT_LABEL = "privacy.AuditEntry"
AUDIT_FLOOR_MONTHS = 60
ACTOR_LABEL = "conservazione"
BATCH = 500


@dataclass(frozen=True)
class Rule:
    """One expiry of one declaration, with the months it runs for in this deployment."""

    key: str
    declaration: object
    expiry: object
    months: int

    @property
    def model(self):
        return self.declaration.model

    @property
    def erase(self):
        return self.expiry.erase or self.declaration.erase

    @property
    def anonymises(self):
        return self.erase.kind == Erase.ANONYMISE

    def cutoff(self, now):
        """Rows whose clock is before this moment have been kept long enough."""
        return months_before(now, self.months)

    def expired(self, now):
        """The rows of this rule past their time limit that it has not acted on yet."""
        field = self.model._meta.get_field(self.expiry.clock)
        cutoff = self.cutoff(now)
        if not isinstance(field, models.DateTimeField):
            cutoff = timezone.localdate(cutoff)
        ended = self.expiry.ended() if callable(self.expiry.ended) else self.expiry.ended
        rows = self.model._default_manager.filter(ended, **{f"{self.expiry.clock}__lt": cutoff})
        return rows.filter(self.pending()).order_by()

    def pending(self):
        if self.expiry.pending is not None:
            return self.expiry.pending
        if self.erase.kind == Erase.DELETE:
            return models.Q()
        condition = models.Q()
        for name in self.erase.blank:
            condition |= _not_blank(self.model._meta.get_field(name))
        for name in self.erase.unlink:
            condition |= models.Q(**{f"{name}__isnull": False})
        return condition

    def apply(self, pks, now):
        """Act on those of the rows `pks` that are still expired, in one transaction; returns how many changed."""
        with transaction.atomic():
            rows = self.expired(now).filter(pk__in=pks)
            if self.expiry.function:
                return import_string(self.expiry.function)(rows, now)
            if self.erase.kind == Erase.DELETE:
                return rows.delete()[1].get(self.model._meta.label, 0)
            changes = {name: blank_value(self.model._meta.get_field(name)) for name in self.erase.blank}
            changes.update({name: None for name in self.erase.unlink})
            return rows.update(**changes)


def _not_blank(field):
    empty = blank_value(field)
    if empty is None:
        return models.Q(**{f"{field.name}__isnull": False})
    return ~models.Q(**{field.name: empty})


@dataclass(frozen=True)
class Outcome:
    """What a run did (or, in a dry run, would do) to one model: no row ids, no names."""

    key: str
    what: str  # the rows, as people call them ("richieste")
    action: str  # "anonymise" or "delete"
    count: int
    before: object  # the rows' clock was before this moment


def months_before(moment, months):
    """`moment` moved back by calendar months (the 31st becomes the month's last day when it has fewer)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def keys():
    """Every key `TRAMA_RETENTION_MONTHS` may name, with its declared default."""
    found = {}
    for declaration in registry:
        for expiry in declaration.expires:
            key = f"{declaration.label}:{expiry.name}" if expiry.name else declaration.label
            found[key] = (declaration, expiry, expiry.months or declaration.months)
    return found


def configuration_problems(overrides=None):
    """What is wrong with `TRAMA_RETENTION_MONTHS` (or `overrides`), as sentences; empty when nothing."""
    overrides = getattr(settings, "TRAMA_RETENTION_MONTHS", {}) if overrides is None else overrides
    known = keys()
    problems = []
    for key, months in overrides.items():
        if key not in known:
            problems.append(f"TRAMA_RETENTION_MONTHS names {key!r}, which has no retention rule (known: {', '.join(sorted(known))})")
        elif isinstance(months, bool) or not isinstance(months, int) or months <= 0:
            problems.append(f"TRAMA_RETENTION_MONTHS[{key!r}] must be a whole number of months above 0, not {months!r}")
        elif key == AUDIT_LABEL and months < AUDIT_FLOOR_MONTHS:
            problems.append(f"TRAMA_RETENTION_MONTHS[{key!r}] cannot be under {AUDIT_FLOOR_MONTHS}: the database keeps the audit log that long")
    return problems


def check_configuration():
    """Refuse to start with a retention schedule that names nothing known or no sensible period."""
    problems = configuration_problems()
    if problems:
        raise ImproperlyConfigured("; ".join(problems))


def schedule():
    """The retention rules of this deployment, in the registry's order."""
    overrides = getattr(settings, "TRAMA_RETENTION_MONTHS", {})
    return [Rule(key, declaration, expiry, overrides.get(key, months)) for key, (declaration, expiry, months) in keys().items()]


# Dates whose field has no name of its own (Django would show "closed at"): how a coordinator reads them.
CLOCK_WORDS = {
    "created_at": gettext_lazy("creazione"),
    "updated_at": gettext_lazy("ultima modifica"),
    "closed_at": gettext_lazy("chiusura"),
}


def clock_label(model, clock):
    """The date a rule's time runs from, in words: the field's own name, or for an unnamed one its meaning."""
    field = model._meta.get_field(clock)
    if str(field.verbose_name) == clock.replace("_", " "):
        return CLOCK_WORDS.get(clock, _("data del dato"))
    return field.verbose_name


def overview():
    """The schedule as a coordinator reads it: for each rule what is kept, from which date the time runs, the
    months declared and those of this deployment, and whether the rows are then anonymised or deleted."""
    rows, known = [], keys()
    for rule in schedule():
        model = rule.model
        declared = known[rule.key][2]
        rows.append(
            {
                "data": model._meta.verbose_name_plural,
                "since": clock_label(model, rule.expiry.clock),
                "declared": declared,
                "months": rule.months,
                "changed": rule.months != declared,
                "anonymises": rule.anonymises,
            }
        )
    return rows


def apply_retention(now=None, dry_run=False):
    """Anonymise or delete every row past its time limit; returns an `Outcome` per rule and housekeeping step.

    With `dry_run` nothing changes: the outcomes say what would go.
    """
    now = now or timezone.now()
    outcomes = []
    for rule in schedule():
        pks = list(rule.expired(now).values_list("pk", flat=True).distinct())
        # In batches, each its own transaction: the first night of a large city must not hold a lock for long.
        count = len(pks) if dry_run else sum(rule.apply(pks[i : i + BATCH], now) for i in range(0, len(pks), BATCH))
        outcomes.append(
            Outcome(
                rule.key, str(rule.model._meta.verbose_name_plural), Erase.ANONYMISE if rule.anonymises else Erase.DELETE, count, rule.cutoff(now)
            )
        )
    outcomes.append(_expire_export_files(now, dry_run))
    outcomes.append(_prune_task_results(now, dry_run))
    if not dry_run:
        _record(outcomes)
    return outcomes


def _expire_export_files(now, dry_run):
    from .exports import expire_old
    from .models import DataExport

    if dry_run:
        count = DataExport.objects.filter(status=DataExport.Status.DONE, expires_at__lte=now).count()
    else:
        count = expire_old(now)
    return Outcome("privacy.DataExport:file", _("file delle copie dei dati non scaricati"), Erase.DELETE, count, now)


def _prune_task_results(now, dry_run):
    count = prune_results(now, dry_run=dry_run)
    return Outcome(
        "background.DBTaskResult",
        _("risultati delle attività in background"),
        Erase.DELETE,
        count,
        now - timedelta(days=settings.TRAMA_TASK_RESULTS_DAYS),
    )


def _record(outcomes):
    """One audit entry per model changed, and one log line per run: counts and dates, never a row or a name."""
    for outcome in outcomes:
        if not outcome.count:
            continue
        verb = "anonimizzate" if outcome.action == Erase.ANONYMISE else "cancellate"
        reason = f"conservazione: righe {verb} {outcome.count}, anteriori al {day(outcome.before)}"
        audit.record(
            None,
            audit.Action.UPDATE if outcome.action == Erase.ANONYMISE else audit.Action.DELETE,
            object_type=outcome.key.split(":")[0].lower(),
            reason=reason,
            actor_label=ACTOR_LABEL,
        )
    log.info("Retention: %s", ", ".join(f"{o.key} {o.action} {o.count}" for o in outcomes))


def day(moment):
    """The date a run reports, as YYYY-MM-DD in the local time zone."""
    return timezone.localdate(moment).isoformat() if isinstance(moment, datetime) else moment.isoformat()
