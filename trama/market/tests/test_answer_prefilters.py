"""The answers' index narrows a worker's candidates by place before the app's own rule reads them
(`by_place` of each source, market.answers.Source): it must never leave out a row the rule lets her see,
and should leave out every row it does not. Checked against the rules themselves, for groups, the
intervention objects run by groups and activities, with workers of one, two and no neighbourhoods and a
coordinator, in a world with rows in her neighbourhoods, in others and shared between both."""

import pytest

from trama.collective import services as collective
from trama.collective.models import Group
from trama.collective.rules import GROUPS
from trama.initiatives.models import GroupActivity, InterventionObject
from trama.initiatives.rules import INITIATIVES
from trama.market.answers import _sources
from trama.market.index import source_index_for
from trama.people.models import Role

from .test_answers import make_activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(coordinator, city, neighbourhood, other_neighbourhood, make_neighbourhood):
    third = make_neighbourhood("Terzo")
    places = {"here": neighbourhood, "there": other_neighbourhood, "third": third}
    groups = {
        name: collective.create_group(city=city, neighbourhood=nb, name=f"Pranzi insieme ({name})", purpose="Pranzare in compagnia", by=coordinator)
        for name, nb in places.items()
    }
    obj = InterventionObject.objects.create(city=city, name="Orto condiviso", slug="orto", description="Un orto da coltivare insieme")
    for group in groups.values():
        GroupActivity.objects.create(group=group, intervention_object=obj)
    activities = {
        "here": make_activity(coordinator, city, neighbourhood),
        "there": make_activity(coordinator, city, other_neighbourhood),
        "third": make_activity(coordinator, city, third),
    }
    shared = make_activity(coordinator, city, third, name="Pranzo di quartiere")
    shared.neighbourhoods.add(neighbourhood)
    activities["shared"] = shared
    return {"places": places, "groups": groups, "activities": activities}


def kept_by_place(source_name, user, city):
    """The rows of the source the index keeps for `user` before any rule is asked."""
    source = _sources[source_name]
    rows = source_index_for(source, city.pk)
    within = source.by_place(user)
    if within is None:
        return set(rows.ids.tolist()), set(rows.ids.tolist())
    return set(rows.ids[rows.serving_mask(within)].tolist()), set(rows.ids.tolist())


def viewers(users, make_user, world, coordinator):
    places = world["places"]
    return {
        "worker here": users[Role.WORKER],
        "worker there": make_user(Role.WORKER, [places["there"]]),
        "worker there and third": make_user(Role.WORKER, [places["there"], places["third"]]),
        "worker of no neighbourhood": make_user(Role.WORKER, []),
        "coordinator": coordinator,
    }


def test_the_groups_index_keeps_what_the_groups_rule_lets_each_viewer_see(users, make_user, city, world, coordinator):
    for who, user in viewers(users, make_user, world, coordinator).items():
        kept, rows = kept_by_place("group", user, city)
        by_rule = set(GROUPS.visible_to(user).filter(pk__in=rows).values_list("pk", flat=True))
        assert kept == by_rule, who
    assert kept_by_place("group", users[Role.WORKER], city)[0] == {world["groups"]["here"].pk}  # the world holds what she may not see


def test_the_index_of_objects_run_by_groups_keeps_what_the_groups_rule_lets_each_viewer_see(users, make_user, city, world, coordinator):
    for who, user in viewers(users, make_user, world, coordinator).items():
        kept, rows = kept_by_place("object_group", user, city)
        visible_groups = GROUPS.visible_to(user).values("pk")
        by_rule = set(GroupActivity.objects.filter(pk__in=rows, group__in=visible_groups).values_list("pk", flat=True))
        assert kept == by_rule, who
    here = GroupActivity.objects.get(group=world["groups"]["here"]).pk
    assert kept_by_place("object_group", users[Role.WORKER], city)[0] == {here}


def test_the_activities_index_keeps_what_the_initiatives_rule_lets_each_viewer_see(users, make_user, city, world, coordinator):
    for who, user in viewers(users, make_user, world, coordinator).items():
        kept, rows = kept_by_place("activity", user, city)
        by_rule = set(INITIATIVES.visible_to(user).filter(pk__in=rows).values_list("pk", flat=True))
        assert kept == by_rule, who
    activities = world["activities"]
    assert kept_by_place("activity", users[Role.WORKER], city)[0] == {activities["here"].pk, activities["shared"].pk}


def test_a_group_closed_leaves_the_rows_of_the_index(users, city, world):
    group = world["groups"]["here"]
    Group.objects.filter(pk=group.pk).update(status=Group.Status.CLOSED)
    group.refresh_from_db()
    group.save()  # a save tells the index to re-read
    assert group.pk not in kept_by_place("group", users[Role.WORKER], city)[1]
