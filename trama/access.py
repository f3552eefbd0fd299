"""Who may see what: the roles every app's access is built from, and the scope that turns one
declaration into both the list filter and the object check.

This module sits below every app (it imports no app), so `territory` and `privacy` can use the
role predicates without importing `people`. Each app declares its scopes once, in its `rules.py`:

    MATCHES = Scope(
        "market.Match",
        coordinator=lambda user: in_city(user, "need__city"),
        worker=lambda user: Q(need__neighbourhood__in=user.neighbourhood_ids()),
        citizen=lambda user: Q(need__person__account=user) | Q(offer__person__account=user),
    )
    MATCHES.grant("market.view_match")

`MATCHES.visible_to(user)` is the list a view, an API, an export or an indicator shows;
`MATCHES.allows(user, match)` (what `user.has_perm("market.view_match", match)` asks) is true
exactly when the match is in that list, because it asks the database the same question. A role
the scope does not name sees nothing. Every predicate returns a bool, never None: django-rules
reads None as "skip", which once let any citizen read other people's matches.
"""

import rules
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Q

COORDINATOR = "coordinator"
WORKER = "worker"
PARTNER = "partner"
ANTENNA = "antenna"
CITIZEN = "citizen"
ANONYMOUS = "anonymous"
ROLES = (COORDINATOR, WORKER, PARTNER, ANTENNA, CITIZEN)


def role_of(user):
    """The role that decides what `user` sees: "anonymous" for visitors, None for a disabled account."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    if not user.is_active:
        return None
    return user.role


def _has_role(role):
    @rules.predicate(name=f"is_{role}")
    def predicate(user):
        return role_of(user) == role

    return predicate


is_coordinator = _has_role(COORDINATOR)
is_worker = _has_role(WORKER)
is_partner = _has_role(PARTNER)
is_antenna = _has_role(ANTENNA)
is_citizen = _has_role(CITIZEN)
is_staff_role = is_coordinator | is_worker


def in_city(user, field="city"):
    """A coordinator's scope: the rows of their city (all rows for a coordinator without a city)."""
    return Q(**{f"{field}_id": user.city_id}) if user.city_id else Q()


def in_neighbourhoods(user, field="neighbourhood"):
    """A worker's scope: the rows in the neighbourhoods assigned to them."""
    return Q(**{f"{field}__in": user.neighbourhood_ids()})


def neighbourhood_scope(user):
    """The neighbourhood ids whose personal data `user` works with, or None for the whole city (coordinators)."""
    return None if role_of(user) == COORDINATOR else user.neighbourhood_ids() if user.is_authenticated else frozenset()


def works_in(user, neighbourhood):
    """May `user` record or act on personal data in `neighbourhood` (a Neighbourhood or its id)?

    Coordinators in their city, workers in their own neighbourhoods; nobody else. The one answer
    to "a worker records only in their own neighbourhoods", for forms, API and services alike.
    """
    role = role_of(user)
    if neighbourhood is None or role not in (COORDINATOR, WORKER):
        return False
    if role == WORKER:
        return getattr(neighbourhood, "pk", neighbourhood) in user.neighbourhood_ids()
    if not user.city_id:
        return True
    city_id = getattr(neighbourhood, "city_id", None)
    if city_id is None:
        city_id = apps.get_model("territory", "Neighbourhood").objects.filter(pk=neighbourhood).values_list("city_id", flat=True).first()
    return city_id == user.city_id


@rules.predicate
def same_city(user, obj):
    """The object belongs to the user's city (asked without an object: True)."""
    if obj is None:
        return True
    city_id = getattr(obj, "city_id", None)
    if city_id is None and hasattr(obj, "neighbourhood"):
        city_id = obj.neighbourhood.city_id
    return bool(user.city_id is None or city_id is None or city_id == user.city_id)


class Scope:
    """The rows of one model each role may see (or act on), declared once.

    Each role maps to a function of the user returning a Q over the model (Q() for every row);
    a role not named gets nothing. `distinct` is for conditions that cross a many-valued relation.
    """

    registry = []

    def __init__(self, model, *, name="", distinct=False, anonymous=None, coordinator=None, worker=None, partner=None, antenna=None, citizen=None):
        self._model = model
        self.name = name
        self.distinct = distinct
        self._predicate = None
        self.permissions = []
        self.by_role = {ANONYMOUS: anonymous, COORDINATOR: coordinator, WORKER: worker, PARTNER: partner, ANTENNA: antenna, CITIZEN: citizen}
        Scope.registry.append(self)

    def __repr__(self):
        return f"<Scope {self.name or self._model}>"

    @property
    def model(self):
        if isinstance(self._model, str):
            self._model = apps.get_model(self._model)
        return self._model

    def condition(self, user):
        """The Q selecting what `user` may see, or None when they may see nothing of this model."""
        rule = self.by_role.get(role_of(user))
        return None if rule is None else rule(user)

    def visible_to(self, user, queryset=None):
        """The rows `user` may see, as a queryset (of `queryset` when given)."""
        rows = self.model._default_manager.all() if queryset is None else queryset
        condition = self.condition(user)
        if condition is None:
            return rows.none()
        rows = rows.filter(condition)
        return rows.distinct() if self.distinct and condition else rows

    def allows(self, user, obj=None):
        """Is `obj` among the rows `user` may see? Without an object: may `user` see any such row?

        One query per (user, object), remembered on the object for the rest of the request.
        """
        condition = self.condition(user)
        if condition is None:
            return False
        if obj is None:
            return True
        obj = self._subject(obj)
        if not condition:
            return True
        if obj.pk is None:
            return False
        cache = obj.__dict__.setdefault("_access_cache", {})
        key = (id(self), getattr(user, "pk", None))
        if key not in cache:
            cache[key] = self.model._default_manager.filter(condition, pk=obj.pk).exists()
        return cache[key]

    def _subject(self, obj):
        """`obj` itself, or the object of this scope's model it belongs to (a milestone's initiative, a
        meeting's group): the one foreign key of `obj` to the model. Anything else is a programming error."""
        if isinstance(obj, self.model):
            return obj
        links = [f for f in obj._meta.concrete_fields if f.is_relation and f.many_to_one and f.related_model is self.model]
        if len(links) != 1:
            raise TypeError(f"{self!r} cannot judge a {type(obj).__name__}")
        return getattr(obj, links[0].name)

    def allowed_among(self, user, objects):
        """The objects of `objects` that `user` may see, in one query whatever their number (for lists)."""
        objects = list(objects)
        condition = self.condition(user)
        if condition is None:
            allowed = set()
        elif not condition:
            allowed = {obj.pk for obj in objects}
        else:
            pks = [obj.pk for obj in objects if obj.pk is not None]
            allowed = set(self.model._default_manager.filter(condition, pk__in=pks).values_list("pk", flat=True)) if pks else set()
        key = (id(self), getattr(user, "pk", None))
        for obj in objects:
            obj.__dict__.setdefault("_access_cache", {})[key] = obj.pk in allowed
        return [obj for obj in objects if obj.pk in allowed]

    @property
    def predicate(self):
        """The django-rules predicate of this scope (one object, so tests can tell which permission uses it)."""
        if self._predicate is None:
            scope = self

            @rules.predicate(name=f"in_scope_{self.name or id(self)}")
            def predicate(user, obj=None):
                return scope.allows(user, obj)

            predicate.scope = scope
            self._predicate = predicate
        return self._predicate

    def grant(self, *perms):
        """Register each of `perms` with django-rules as this scope's predicate, and remember it.

        `user.has_perm(perm, obj)` is then `allows(user, obj)`. The property test of tests/test_access.py
        checks every permission a scope granted against `visible_to`, whatever rule ends up registered
        under that name, so a rule swapped in later cannot quietly disagree with the lists.
        """
        for perm in perms:
            rules.add_perm(perm, self.predicate)
            self.permissions.append(perm)

    def require(self, user, obj, message=""):
        """Raise PermissionDenied unless `user` may act on `obj`: what services call before they write."""
        if not self.allows(user, obj):
            raise PermissionDenied(message or "Fuori dal tuo ambito.")


def require(user, perm, obj=None, message=""):
    """Raise PermissionDenied unless `user` has `perm` (on `obj`): the check services make themselves."""
    if user is None or not user.has_perm(perm, obj):
        raise PermissionDenied(message or "Non hai il permesso per questa azione.")
