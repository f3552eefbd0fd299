"""One source of who may see what: each app's scopes (trama.access.Scope), checked across the project.

- every permission registered with django-rules answers a boolean, never None, at every leaf;
- for random cities and random accounts of every role, the list a scope yields (`visible_to`)
  holds exactly the objects the registered permission allows one by one (`user.has_perm`), so
  lists, exports and object pages cannot disagree;
- the services refuse out-of-scope work whatever view, task or command calls them.
"""

import random

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from trama import synthetic
from trama.access import ROLES, Scope
from trama.people.models import Organisation, Person, Role, User
from trama.territory.demo import load_demo_territory


def _scopes_by_permission():
    """Permission name -> the scope that granted it (`Scope.grant`), whatever rule is registered under it now."""
    return {perm: scope for scope in Scope.registry for perm in scope.permissions}


def _leaves(predicate, seen=None):
    """The predicates a registered rule is combined from (django-rules keeps them in closures)."""
    seen = set() if seen is None else seen
    if id(predicate) in seen:
        return []
    seen.add(id(predicate))
    children = [cell.cell_contents for cell in (predicate.fn.__closure__ or ()) if isinstance(cell.cell_contents, rules.Predicate)]
    if not children:
        return [predicate]
    return [leaf for child in children for leaf in _leaves(child, seen)]


def test_every_personal_data_model_has_a_scope():
    scoped = {scope.model._meta.label for scope in Scope.registry}
    expected = {
        "people.Person",
        "market.Offer",
        "market.Need",
        "market.Match",
        "market.Contribution",
        "attention.Signal",
        "attention.OutreachTask",
        "attention.Encounter",
        "attention.Antenna",
        "collective.Suggestion",
        "collective.Group",
        "collective.Meeting",
        "initiatives.Initiative",
        "initiatives.Agreement",
        "themes.TextItem",
        "themes.DiscoveryRun",
    }
    assert expected <= scoped, f"personal-data models without a scope: {sorted(expected - scoped)}"


@pytest.mark.django_db
def test_every_registered_predicate_answers_a_boolean_for_every_role(make_user, users, neighbourhood):
    accounts = [AnonymousUser(), *(make_user(role, [neighbourhood]) for role in ROLES)]
    disabled = make_user(Role.CITIZEN)
    disabled.is_active = False
    accounts.append(disabled)
    someone = Person.objects.create(city=neighbourhood.city, neighbourhood=neighbourhood, display_name="Lia")
    organisation = Organisation.objects.create(city=neighbourhood.city, name="Il Ponte", sector="third_sector")
    non_booleans = []
    for name, rule in sorted(rules.permissions.permissions.items()):
        for leaf in _leaves(rule):
            scope = getattr(leaf, "scope", None)
            samples = [None]
            if scope is not None and scope.model._default_manager.exists():
                samples.append(scope.model._default_manager.first())
            elif scope is None and leaf.num_args >= 2:
                samples += [someone, organisation, neighbourhood]
            for user in accounts:
                for obj in samples:
                    try:
                        answer = leaf.fn(user, obj) if leaf.num_args >= 2 else leaf.fn(*([user] if leaf.num_args else []))
                    except AttributeError:
                        continue  # a sample of another model than the predicate reads
                    if not isinstance(answer, bool):
                        non_booleans.append((name, leaf.name, getattr(user, "role", "anonymous"), type(obj).__name__, answer))
    assert not non_booleans, non_booleans
    assert _scopes_by_permission(), "no permission is decided by a scope: the registry is not wired"


# -- the property: list filter == object check, for random data and every role ------------------------

SAMPLE = 25  # objects checked one by one per (scope, account): as many inside the list as outside


def _random_accounts(city, rnd):
    """One account per role with random scope: neighbourhoods, organisations, a person, signals sent."""
    hoods = list(city.neighbourhoods.order_by("pk"))
    organisations = list(Organisation.objects.filter(city=city).order_by("pk"))
    people = list(Person.objects.filter(city=city, account__isnull=True).order_by("pk")[:200])
    accounts = [AnonymousUser()]
    for role in ROLES:
        user = User.objects.create_user(username=f"prop-{role}-{rnd.random()}", email=f"{role}{rnd.random()}@example.org", role=role, city=city)
        user.neighbourhoods.set(rnd.sample(hoods, rnd.randint(0, min(3, len(hoods)))))
        if role == Role.PARTNER and organisations:
            for organisation in rnd.sample(organisations, rnd.randint(1, min(2, len(organisations)))):
                organisation.members.add(user)
        if role == Role.CITIZEN and people:
            Person.objects.filter(pk=rnd.choice(people).pk).update(account=user)
        accounts.append(User.objects.get(pk=user.pk))
    # An antenna of the synthetic city, with the signals it really sent.
    sender = User.objects.filter(role=Role.ANTENNA, city=city, signals_sent__isnull=False).first()
    if sender is not None:
        accounts.append(sender)
    # A coordinator of another city sees nothing of this one.
    accounts.append(
        User.objects.create_user(
            username=f"prop-elsewhere-{rnd.random()}", email=f"e{rnd.random()}@example.org", role=Role.COORDINATOR, city=load_other_city()
        )
    )
    return accounts


def load_other_city():
    from trama.territory.models import City

    return City.objects.get_or_create(slug="altrove", defaults={"name": "Altrove", "centre_lat": 45.0, "centre_lon": 9.0})[0]


class ListFilterEqualsObjectCheck(TestCase):
    @settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(seed=st.integers(min_value=0, max_value=10**6))
    def test_list_filter_and_object_check_agree_for_every_role(self, seed):
        city = load_demo_territory()
        synthetic.generate_city(city, residents=1000, years=1, seed=seed)
        rnd = random.Random(seed)
        accounts = _random_accounts(city, rnd)
        disagreements = []
        for perm, scope in sorted(_scopes_by_permission().items()):
            every = list(scope.model._default_manager.order_by("pk").values_list("pk", flat=True))
            for user in accounts:
                visible = set(scope.visible_to(user).values_list("pk", flat=True))
                assert visible <= set(every)
                inside = rnd.sample(sorted(visible), min(SAMPLE, len(visible)))
                outside = rnd.sample([pk for pk in every if pk not in visible], min(SAMPLE, len(every) - len(visible)))
                for obj in scope.model._default_manager.filter(pk__in=inside + outside):
                    if user.has_perm(perm, obj) != (obj.pk in visible):
                        disagreements.append((perm, getattr(user, "role", "anonymous"), obj.pk, obj.pk in visible))
        assert not disagreements, disagreements[:20]
