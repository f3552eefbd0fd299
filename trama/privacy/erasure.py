"""Erasure of a person's data (GDPR art. 17): a request in two steps, and one executor.

`request_erasure` records the request (a worker or coordinator for a person in their scope, or
the person from their own profile); a coordinator in scope `confirm`s it or `refuse`s it with the
reason. Once confirmed, `tasks.run_erasure` calls `carry_out`, which runs `erase_person`: in ONE
transaction it walks the registry of personal data and applies each declaration's `Erase` to the
person's rows, so a process killed halfway leaves nothing partial.

Every erasure done is also written to a ledger outside the database (`TRAMA_ERASURE_LEDGER`, one
JSON line per erasure: the pseudonymous id and the date, no name), which `manage.py restore`
re-applies: a backup taken before an erasure must not bring the data back.
"""

import json
import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from trama.access import COORDINATOR, role_of
from trama.private_files import private_dir, private_file

from . import audit
from .exports import may_export, person_model
from .models import ErasureRequest
from .registry import PERSON, Erase, _user_label, registry, scrub_names
from .signals import erasure_confirmed

REQUEST_REASON = "richiesta di cancellazione dei dati (art. 17 GDPR)"
CONFIRM_REASON = "cancellazione dei dati confermata (art. 17 GDPR)"
REFUSE_REASON = "cancellazione dei dati rifiutata (art. 17 GDPR)"
ERASED_REASON = "dati cancellati (art. 17 GDPR)"
REAPPLIED_REASON = "cancellazione riapplicata dopo il ripristino di un backup (art. 17 GDPR)"


# -- who may ask and decide -----------------------------------------------------------------------


def may_request_erasure(user, person):
    """Who may ask for `person`'s erasure: the same as for a copy of their data (staff in scope, or themself)."""
    return may_export(user, person)


def may_decide(user, person):
    """Only a coordinator, for a person in their city, confirms or refuses an erasure."""
    return role_of(user) == COORDINATOR and user.has_perm("people.view_person", person)


def may_follow(user, erasure):
    """Who may see a request and how far it has got: who recorded it, and whoever may decide it."""
    return bool(user.is_authenticated and (erasure.requested_by_id == user.pk or may_decide(user, erasure.person)))


def open_request_of(person):
    return ErasureRequest.objects.filter(person=person, status__in=ErasureRequest.OPEN).first()


def _already_open():
    return ValidationError(
        _("C'è già una richiesta di cancellazione aperta per questa persona: si attende la decisione del coordinamento."), code="already_open"
    )


def request_erasure(user, person, reason="", path=""):
    """Record that `person` asks for their data to be erased; refuse anyone out of scope (PermissionDenied)
    and a second request while one is open (ValidationError, with the sentence to show)."""
    if not may_request_erasure(user, person):
        raise PermissionDenied(_("Non puoi chiedere la cancellazione dei dati di questa persona."))
    reason = (reason or "").strip()
    if len(reason) > ErasureRequest.REASON_LENGTH:
        raise ValidationError(_("Le note possono essere lunghe al massimo %(n)d caratteri.") % {"n": ErasureRequest.REASON_LENGTH}, code="too_long")
    if person.anonymised_at is not None:
        raise ValidationError(_("I dati di questa persona sono già stati cancellati."), code="already_erased")
    if open_request_of(person) is not None:
        raise _already_open()
    try:
        with transaction.atomic():
            erasure = ErasureRequest.objects.create(person=person, requested_by=user, reason=reason)
    except IntegrityError:  # another request got in first: the database keeps one open per person
        raise _already_open() from None
    audit.record(user, audit.Action.ERASURE, erasure, reason=REQUEST_REASON, path=path)
    return erasure


def confirm(user, erasure, path=""):
    """A coordinator confirms the request: the erasure is queued for the background worker.

    A request whose erasure failed may be confirmed again (the retry), and so may one still
    queued or running (its worker may have been stopped halfway): running it twice is harmless.
    """
    from .tasks import run_erasure

    _decide(user, erasure, ErasureRequest.Status.CONFIRMED, path=path)
    erasure_confirmed.send(sender=ErasureRequest, erasure=erasure, by=user)
    transaction.on_commit(lambda: run_erasure.enqueue(erasure.pk))
    return erasure


def refuse(user, erasure, refusal_reason, path=""):
    """A coordinator refuses the request, saying why (a legal obligation to keep the data, for instance)."""
    refusal_reason = (refusal_reason or "").strip()
    if not refusal_reason:
        raise ValidationError(_("Per rifiutare la cancellazione scrivi il motivo (per esempio un obbligo di legge)."), code="reason_needed")
    if len(refusal_reason) > ErasureRequest.REASON_LENGTH:
        raise ValidationError(_("Il motivo può essere lungo al massimo %(n)d caratteri.") % {"n": ErasureRequest.REASON_LENGTH}, code="too_long")
    return _decide(user, erasure, ErasureRequest.Status.REFUSED, refusal_reason=refusal_reason, path=path)


@transaction.atomic
def _decide(user, erasure, status, refusal_reason="", path=""):
    if not may_decide(user, erasure.person):
        raise PermissionDenied(_("Solo il coordinamento può decidere su questa richiesta."))
    current = ErasureRequest.objects.select_for_update().get(pk=erasure.pk)
    retry = {ErasureRequest.Status.FAILED, ErasureRequest.Status.CONFIRMED, ErasureRequest.Status.RUNNING}
    allowed = {ErasureRequest.Status.PENDING} | (retry if status == ErasureRequest.Status.CONFIRMED else set())
    if current.status not in allowed:
        raise ValidationError(_("Su questa richiesta è già stato deciso: %(status)s.") % {"status": current.get_status_display()}, code="decided")
    erasure.status, erasure.decided_by, erasure.decided_at = status, user, timezone.now()
    erasure.refusal_reason = refusal_reason
    erasure.save(update_fields=["status", "decided_by", "decided_at", "refusal_reason"])
    reason = CONFIRM_REASON if status == ErasureRequest.Status.CONFIRMED else REFUSE_REASON
    audit.record(user, audit.Action.ERASURE, erasure, reason=reason, path=path)
    return erasure


# -- the executor ---------------------------------------------------------------------------------


def carry_out(erasure_id):
    """Erase the person of a confirmed request and mark it done, in one transaction; harmless when run again.

    The row lock makes a second run wait for the first and then find the request done.
    """
    with transaction.atomic():
        erasure = ErasureRequest.objects.select_for_update(of=("self",)).select_related("person", "decided_by").get(pk=erasure_id)
        if erasure.status not in (ErasureRequest.Status.CONFIRMED, ErasureRequest.Status.RUNNING):
            return False
        erase_person(erasure.person, by=erasure.decided_by)
        ErasureRequest.objects.filter(pk=erasure.pk).update(status=ErasureRequest.Status.DONE, done_at=timezone.now())
    return True


def erase_person(person, *, by=None, actor_label="", reason=ERASED_REASON, ledger=True):
    """Erase or anonymise every declared row about `person`, in one transaction; then record the fact.

    The rows are found first, all of them, while the person's names are still there to look for
    (agreements' parties by name, meeting minutes naming them); then each declaration's `Erase`
    is applied. Any error rolls everything back. The audit log gets one entry naming the person
    by their pseudonymous id; the ledger outside the database gets the id and the date.
    """
    with transaction.atomic():
        before = person_model().objects.select_for_update().get(pk=person.pk)
        found = [(declaration, list(declaration.rows_of(before).values_list("pk", flat=True))) for declaration in registry]
        for declaration, pks in found:
            apply(declaration, declaration.model._default_manager.filter(pk__in=pks), before)
        audit.record(by, audit.Action.ERASURE, object_type=PERSON.lower(), object_id=before.pk, reason=reason, actor_label=actor_label)
        if ledger:
            write_to_ledger(before.pk, timezone.now())
    person.refresh_from_db()
    return person


def apply(declaration, rows, person):
    """What `declaration.erase` says, done to `rows` (a queryset of the declared model) about `person`."""
    erase = declaration.erase
    if erase.kind == Erase.DELETE:
        rows.delete()
    elif erase.kind == Erase.ANONYMISE:
        model = declaration.model
        if erase.scrub:
            for row in rows.only("pk", *erase.scrub):
                changed = {name: scrub_names(getattr(row, name), person) for name in erase.scrub}
                rows.filter(pk=row.pk).update(**changed)
        changes = {name: blank_value(model._meta.get_field(name)) for name in erase.blank}
        changes.update({name: None for name in erase.unlink})
        if changes:
            rows.update(**changes)
    elif erase.kind == Erase.REMOVE:
        for row in rows:
            for relation in erase.unlink:
                manager = getattr(row, relation)
                target = manager.model._meta.label
                if target == PERSON:
                    manager.remove(person.pk)
                elif target == _user_label() and person.account_id:
                    manager.remove(person.account_id)
    elif erase.kind == Erase.CALL:
        import_string(erase.function)(rows, person)


def blank_value(field):
    """What an emptied field holds: null where it may, else an empty text, list or file."""
    if field.null:
        return None
    if isinstance(field, models.JSONField):
        return field.get_default()
    if isinstance(field, models.BinaryField):
        return b""
    return ""


# -- the ledger outside the database, for backups -------------------------------------------------


def ledger_path():
    return Path(settings.TRAMA_ERASURE_LEDGER)


def write_to_ledger(person_id, when):
    """Append one erasure to the ledger: the pseudonymous id and the date, nothing else; on disk before we go on."""
    path = ledger_path()
    private_dir(path.parent)
    private_file(path)
    line = json.dumps({"person": person_id, "erased_at": when.isoformat()}) + "\n"
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(line)
        handle.flush()
        os.fsync(handle.fileno())


def ledger_entries():
    """The erasures of the ledger, oldest first, as (person id, when); lines that cannot be read are skipped."""
    path = ledger_path()
    if not path.exists():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
            entries.append((int(entry["person"]), parse_datetime(entry["erased_at"])))
        except (ValueError, KeyError, TypeError):
            continue
    return entries


def reapply_ledger(actor_label):
    """Erase again everyone of the ledger whose data a restored backup brought back; returns their ids.

    A person the backup does not hold, or holds already erased, is left alone. Their open requests
    are marked done: the erasure they asked for has been carried out.
    """
    erased = []
    for person_id, when in ledger_entries():
        person = person_model().objects.filter(pk=person_id, anonymised_at__isnull=True).first()
        if person is None:
            continue
        with transaction.atomic():
            erase_person(person, actor_label=actor_label, reason=REAPPLIED_REASON, ledger=False)
            ErasureRequest.objects.filter(person_id=person_id, status__in=ErasureRequest.OPEN).update(
                status=ErasureRequest.Status.DONE, done_at=when or timezone.now()
            )
        erased.append(person_id)
    return erased
