"""Recording reads, changes and refused accesses of personal data.

Every read of a personal record is recorded (DESIGN.md §5): a record page with `record_read`,
a page of a list with `record_page` (one entry naming the ids shown, however many rows), an API
list through `trama.api.AuditedList` and an API object through `trama.api.AuditedRetrieve`.
Refused accesses are recorded by `middleware.PrivacyMiddleware`.

An antenna reading back her own signals is recorded too: the signal describes someone else,
and the log answers "who was shown what about this person", whoever wrote it.
"""

from django.conf import settings
from django.utils import translation

from .models import AuditEntry

Action = AuditEntry.Action

REASON_LENGTH = AuditEntry._meta.get_field("reason").max_length


def _entry(actor, action, obj=None, *, reason="", path="", object_type="", object_id="", actor_label=""):
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    authenticated = bool(actor is not None and getattr(actor, "is_authenticated", False))
    return AuditEntry(
        actor=actor if authenticated else None,
        actor_label=(pseudonym_of(actor) if authenticated else actor_label or "anonimo")[:150],
        action=action,
        object_type=object_type[:100],
        object_id=str(object_id)[:64],
        reason=reason[:REASON_LENGTH],
        path=path[:300],
    )


def pseudonym_of(account):
    """How the log names an account: by its id, never its username. The log is never rewritten, and an
    account whose person's data is erased must leave only this id and the fact of the erasure behind."""
    return f"account-{account.pk}"


def label_of(obj, field):
    """The label of `obj`'s choice `field` in the programme's language: a reason names a status by its label,
    never its stored code, and the log is written in one language whichever the person acting reads."""
    with translation.override(settings.LANGUAGE_CODE):
        return getattr(obj, f"get_{field}_display")()


def record(actor, action, obj=None, *, reason="", path="", object_type="", object_id="", actor_label=""):
    """Append one entry to the audit log and return it.

    `actor` may be an account, an anonymous user or None; `obj` any model
    instance whose read or change is being recorded. `actor_label` names who
    acted when there is no account (a command run by an operator).
    """
    entry = _entry(actor, action, obj, reason=reason, path=path, object_type=object_type, object_id=object_id, actor_label=actor_label)
    entry.save()
    return entry


def record_many(actor, action, objs, *, reason=""):
    """One entry per object, as `record` would write them, in one INSERT (a chunk of an imported list)."""
    return AuditEntry.objects.bulk_create([_entry(actor, action, obj, reason=reason) for obj in objs])


def record_read(request, obj, reason=""):
    return record(request.user, Action.READ, obj, reason=reason, path=request.path)


def record_change(request, obj, action=Action.UPDATE, reason=""):
    return record(request.user, action, obj, reason=reason, path=request.path)


def _label(object_type):
    return object_type if isinstance(object_type, str) else object_type._meta.label_lower


def record_page(request, object_type, ids, reason):
    """Record the read of one page of a list of personal records: `reason: id,id,…`, the ids shown.

    `object_type` is a model (or its "app.model" label). Nothing is written for an empty page.
    The ids never get cut off: when they do not fit one entry's reason they go on in further
    entries, all written by one INSERT, so a page costs one query whatever its length.
    """
    ids = [str(pk) for pk in dict.fromkeys(ids) if pk is not None]
    if not ids:
        return []
    prefix = f"{reason}: "
    room = REASON_LENGTH - len(prefix)
    chunks, chunk = [], []
    for pk in ids:
        if chunk and len(",".join(chunk + [pk])) > room:
            chunks.append(chunk)
            chunk = []
        chunk.append(pk)
    chunks.append(chunk)
    label = _label(object_type)
    return AuditEntry.objects.bulk_create(
        [_entry(request.user, Action.READ, reason=prefix + ",".join(chunk), path=request.path, object_type=label) for chunk in chunks]
    )


def ids_named(entry):
    """The ids of the records an entry is about: its object, or the ids of the page it records."""
    if entry.object_id:
        return [entry.object_id]
    _reason, _sep, ids = entry.reason.rpartition(": ")
    return [pk for pk in ids.split(",") if pk.isdigit()]


def drop_expired(entries, now):
    """Retention (privacy.retention): delete audit entries past their time limit; returns how many.

    The model refuses deletion by any ordinary path; this is the one that goes around it, and the database
    still refuses it for entries younger than `retention.AUDIT_FLOOR_MONTHS` (migration 0008).
    """
    return entries._raw_delete(entries.db)
