"""Both directions for activities and groups (issue 17, step 4): an activity's page and a group's page show
the open needs they could answer, to the workers who may broker those needs (and only those), audited;
never the needs of their own participants or members, nor a need whose person declined them; nothing
while they are not open to join; nothing to partners, citizens or visitors."""

import pytest
from django.urls import reverse

from trama.collective import services as collective
from trama.collective.models import Group, Membership
from trama.initiatives.models import Initiative, Participation
from trama.market import services
from trama.market.models import Match
from trama.people.models import Role
from trama.privacy.models import AuditEntry

from .test_answers import LUNCH, _client, make_activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(coordinator, city, neighbourhood):
    return make_activity(coordinator, city, neighbourhood)


@pytest.fixture
def group(coordinator, city, neighbourhood):
    return collective.create_group(city=city, neighbourhood=neighbourhood, name="Pranzi insieme", purpose="Pranzare in compagnia", by=coordinator)


def page_of(kind, obj):
    return reverse("initiatives:detail", args=[obj.pk]) if kind == "activity" else reverse("collective:group", args=[obj.pk])


def shown(user, kind, obj):
    response = _client(user).get(page_of(kind, obj))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("kind", ["activity", "group"])
def test_the_worker_sees_the_needs_it_could_answer_and_the_read_is_audited(users, make_need, activity, group, kind):
    obj = activity if kind == "activity" else group
    need = make_need(text=LUNCH)
    unrelated = make_need(text="Mi serve aiuto a compilare il modulo ISEE")
    seen = AuditEntry.objects.count()
    body = shown(users[Role.WORKER], kind, obj)
    assert 'data-testid="needs-it-answers"' in body and reverse("market:need", args=[need.pk]) in body
    assert reverse("market:need", args=[unrelated.pk]) not in body
    entries = [e for e in AuditEntry.objects.order_by("pk")[seen:] if e.object_type == "market.need"]
    assert len(entries) == 1 and str(need.pk) in entries[0].reason and str(unrelated.pk) not in entries[0].reason


@pytest.mark.parametrize("kind", ["activity", "group"])
def test_a_worker_sees_no_need_of_another_neighbourhood_the_coordinator_does(
    users, coordinator, make_need, other_neighbourhood, activity, group, kind
):
    obj = activity if kind == "activity" else group
    far = make_need(text=LUNCH, where=other_neighbourhood)
    assert reverse("market:need", args=[far.pk]) not in shown(users[Role.WORKER], kind, obj)
    assert reverse("market:need", args=[far.pk]) in shown(coordinator, kind, obj)


@pytest.mark.parametrize("kind", ["activity", "group"])
def test_partners_and_citizens_see_no_need(users, make_need, activity, group, kind):
    obj = activity if kind == "activity" else group
    make_need(text=LUNCH)
    seen = AuditEntry.objects.filter(object_type="market.need").count()
    for role in (Role.PARTNER, Role.CITIZEN):
        response = _client(users[role]).get(page_of(kind, obj))
        assert 'data-testid="needs-it-answers"' not in response.content.decode()
    assert AuditEntry.objects.filter(object_type="market.need").count() == seen


def test_a_visitor_sees_the_public_activity_without_needs(client, make_need, activity):
    make_need(text=LUNCH)
    response = client.get(reverse("initiatives:detail", args=[activity.pk]))
    assert 'data-testid="needs-it-answers"' not in response.content.decode()


def test_never_the_needs_of_its_own_people_nor_one_that_declined_it(users, make_person, make_need, activity, group):
    inside = make_person(name="Dentro")
    Participation.objects.create(initiative=activity, person=inside)
    Membership.objects.create(group=group, person=inside)
    theirs = make_need(text=LUNCH, person=inside)
    declining = make_need(text=LUNCH)
    for kind, obj in (("activity", activity), ("group", group)):
        match = services.propose_answer(need=declining, kind=kind, target_id=obj.pk, by=users[Role.WORKER])
        services.answer_match(match, side="need", yes=False, by=users[Role.COORDINATOR])
        assert Match.objects.get(pk=match.pk).status == Match.Status.DECLINED
    for kind, obj in (("activity", activity), ("group", group)):
        body = shown(users[Role.WORKER], kind, obj)
        assert reverse("market:need", args=[theirs.pk]) not in body and reverse("market:need", args=[declining.pk]) not in body


def test_nothing_while_it_is_not_open_to_join(users, make_need, activity, group):
    make_need(text=LUNCH)
    Initiative.objects.filter(pk=activity.pk).update(is_public=False)
    Group.objects.filter(pk=group.pk).update(status=Group.Status.CLOSED)
    assert 'data-testid="needs-it-answers"' not in shown(users[Role.WORKER], "activity", activity)
    assert 'data-testid="needs-it-answers"' not in shown(users[Role.WORKER], "group", group)
