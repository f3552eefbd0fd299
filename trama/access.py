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

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar, cast

import rules
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    # The account model (settings.AUTH_USER_MODEL), named here so that apps below people can annotate with it.
    # Not imported from people, not even for the type checker (tests/test_import_direction.py: this module
    # imports no app): `_User` is django-stubs' placeholder, which its plugin reads as AUTH_USER_MODEL.
    from django.contrib.auth.models import _User as User
    from django.http import HttpRequest

    # Whoever asks: an account or a visitor.
    Viewer = User | AnonymousUser

    class AccountRequest(HttpRequest):
        """A request from a signed-in account: what the services acting for one take."""

        user: User


ModelT = TypeVar("ModelT", bound=Model)

COORDINATOR = "coordinator"
WORKER = "worker"
PARTNER = "partner"
ANTENNA = "antenna"
CITIZEN = "citizen"
ANONYMOUS = "anonymous"
ROLES = (COORDINATOR, WORKER, PARTNER, ANTENNA, CITIZEN)


def role_of(user: Viewer | None) -> str | None:
    """The role that decides what `user` sees: "anonymous" for visitors, None for a disabled account."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    if not user.is_active:
        return None
    return user.role


def _has_role(role: str) -> rules.Predicate:
    @rules.predicate(name=f"is_{role}")
    def predicate(user: Viewer | None) -> bool:
        return role_of(user) == role

    return predicate


is_coordinator = _has_role(COORDINATOR)
is_worker = _has_role(WORKER)
is_partner = _has_role(PARTNER)
is_antenna = _has_role(ANTENNA)
is_citizen = _has_role(CITIZEN)
is_staff_role = is_coordinator | is_worker


def in_city(user: User, field: str = "city") -> Q:
    """A coordinator's scope: the rows of their city (all rows for a coordinator without a city)."""
    return Q(**{f"{field}_id": user.city_id}) if user.city_id else Q()


def in_neighbourhoods(user: User, field: str = "neighbourhood") -> Q:
    """A worker's scope: the rows in the neighbourhoods assigned to them."""
    return Q(**{f"{field}__in": user.neighbourhood_ids()})


def neighbourhood_scope(user: Viewer) -> frozenset[int] | None:
    """The neighbourhood ids whose personal data `user` works with, or None for the whole city (coordinators)."""
    return None if role_of(user) == COORDINATOR else user.neighbourhood_ids() if user.is_authenticated else frozenset()


def works_in(user: Viewer | None, neighbourhood: Model | int | None) -> bool:
    """May `user` record or act on personal data in `neighbourhood` (a Neighbourhood or its id)?

    Coordinators in their city, workers in their own neighbourhoods; nobody else. The one answer
    to "a worker records only in their own neighbourhoods", for forms, API and services alike.
    """
    role = role_of(user)
    if neighbourhood is None or role not in (COORDINATOR, WORKER):
        return False
    account = cast("User", user)  # a coordinator or a worker: an account
    if role == WORKER:
        return getattr(neighbourhood, "pk", neighbourhood) in account.neighbourhood_ids()
    if not account.city_id:
        return True
    city_id = getattr(neighbourhood, "city_id", None)
    if city_id is None:
        # The plugin expects an id for pk; Django takes the object too.
        neighbourhoods = apps.get_model("territory", "Neighbourhood").objects.filter(pk=neighbourhood)  # type: ignore[misc]
        city_id = neighbourhoods.values_list("city_id", flat=True).first()
    return city_id == account.city_id


@rules.predicate
def same_city(user: User, obj: Model | None) -> bool:
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

    registry: list[Scope] = []

    def __init__(
        self,
        model: str | type[Model],
        *,
        name: str = "",
        distinct: bool = False,
        anonymous: Callable[[AnonymousUser], Q] | None = None,
        coordinator: Callable[[User], Q] | None = None,
        worker: Callable[[User], Q] | None = None,
        partner: Callable[[User], Q] | None = None,
        antenna: Callable[[User], Q] | None = None,
        citizen: Callable[[User], Q] | None = None,
    ) -> None:
        self._model = model
        self.name = name
        self.distinct = distinct
        self._predicate: rules.Predicate | None = None
        self.permissions: list[str] = []
        # Any: each role's rule takes its own kind of user (a visitor for "anonymous", an account otherwise).
        self.by_role: dict[str | None, Callable[[Any], Q] | None] = {
            ANONYMOUS: anonymous,
            COORDINATOR: coordinator,
            WORKER: worker,
            PARTNER: partner,
            ANTENNA: antenna,
            CITIZEN: citizen,
        }
        Scope.registry.append(self)

    def __repr__(self) -> str:
        return f"<Scope {self.name or self._model}>"

    @property
    def model(self) -> type[Model]:
        if isinstance(self._model, str):
            self._model = apps.get_model(self._model)
        return self._model

    def condition(self, user: Viewer | None) -> Q | None:
        """The Q selecting what `user` may see, or None when they may see nothing of this model."""
        rule = self.by_role.get(role_of(user))
        return None if rule is None else rule(user)

    def visible_to(self, user: Viewer | None, queryset: QuerySet[Any] | None = None) -> QuerySet[Any]:
        """The rows `user` may see, as a queryset (of `queryset` when given)."""
        # QuerySet[Any]: a scope names its model as a string, so the callers' annotations give the model.

        rows = self.model._default_manager.all() if queryset is None else queryset
        condition = self.condition(user)
        if condition is None:
            return rows.none()
        rows = rows.filter(condition)
        return rows.distinct() if self.distinct and condition else rows

    def allows(self, user: Viewer | None, obj: Model | None = None) -> bool:
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

    def _subject(self, obj: Model) -> Model:
        """`obj` itself, or the object of this scope's model it belongs to (a milestone's initiative, a
        meeting's group): the one foreign key of `obj` to the model. Anything else is a programming error."""
        if isinstance(obj, self.model):
            return obj
        links = [f for f in obj._meta.concrete_fields if f.is_relation and f.many_to_one and f.related_model is self.model]
        if len(links) != 1:
            raise TypeError(f"{self!r} cannot judge a {type(obj).__name__}")
        return getattr(obj, links[0].name)

    def allowed_among(self, user: Viewer | None, objects: Iterable[ModelT]) -> list[ModelT]:
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
    def predicate(self) -> rules.Predicate:
        """The django-rules predicate of this scope (one object, so tests can tell which permission uses it)."""
        if self._predicate is None:
            scope = self

            @rules.predicate(name=f"in_scope_{self.name or id(self)}")
            def predicate(user: Viewer | None, obj: Model | None = None) -> bool:
                return scope.allows(user, obj)

            predicate.scope = scope
            self._predicate = predicate
        return self._predicate

    def grant(self, *perms: str) -> None:
        """Register each of `perms` with django-rules as this scope's predicate, and remember it.

        `user.has_perm(perm, obj)` is then `allows(user, obj)`. The property test of tests/test_access.py
        checks every permission a scope granted against `visible_to`, whatever rule ends up registered
        under that name, so a rule swapped in later cannot quietly disagree with the lists.
        """
        for perm in perms:
            rules.add_perm(perm, self.predicate)
            self.permissions.append(perm)

    def require(self, user: Viewer | None, obj: Model | None, message: str = "") -> None:
        """Raise PermissionDenied unless `user` may act on `obj`: what services call before they write."""
        if not self.allows(user, obj):
            raise PermissionDenied(message or "Fuori dal tuo ambito.")


def require(user: Viewer | None, perm: str, obj: Model | None = None, message: str = "") -> None:
    """Raise PermissionDenied unless `user` has `perm` (on `obj`): the check services make themselves."""
    if user is None or not user.has_perm(perm, obj):
        raise PermissionDenied(message or "Non hai il permesso per questa azione.")
