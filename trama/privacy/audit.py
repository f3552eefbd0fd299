"""Recording reads, changes and refused accesses of personal data."""

from .models import AuditEntry

Action = AuditEntry.Action


def record(actor, action, obj=None, *, reason="", path="", object_type="", object_id="", actor_label=""):
    """Append one entry to the audit log and return it.

    `actor` may be an account, an anonymous user or None; `obj` any model
    instance whose read or change is being recorded. `actor_label` names who
    acted when there is no account (a command run by an operator).
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    authenticated = bool(actor is not None and getattr(actor, "is_authenticated", False))
    return AuditEntry.objects.create(
        actor=actor if authenticated else None,
        actor_label=(actor.get_username() if authenticated else actor_label or "anonimo")[:150],
        action=action,
        object_type=object_type[:100],
        object_id=str(object_id)[:64],
        reason=reason[:300],
        path=path[:300],
    )


def record_read(request, obj, reason=""):
    return record(request.user, Action.READ, obj, reason=reason, path=request.path)


def record_change(request, obj, action=Action.UPDATE, reason=""):
    return record(request.user, action, obj, reason=reason, path=request.path)
