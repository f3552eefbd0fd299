"""Intervention objects as answers (issue 17, step 2): an object is open to participants where it runs.
Run by an activity, its words are the activity's; run by a group, it brings the group to the need with
the group's next meeting (when and where), even when the group's own words would not; once in the list,
whichever way it came; only what the worker may see; and proposing it enrols through the group."""

from datetime import timedelta

import pytest
from django.utils import timezone

from trama.collective import services as collective
from trama.collective.models import Meeting, Membership
from trama.initiatives.models import GroupActivity, Initiative, InterventionObject
from trama.market import services
from trama.market.answers import ranked_answers
from trama.market.models import Match
from trama.people.models import Role
from trama.territory.models import Place

from .test_answers import _client, _propose, make_activity

pytestmark = pytest.mark.django_db

NEED = "Cerco un orto dove coltivare pomodori e insalata"


def make_object(city, slug="orti", active=True):
    return InterventionObject.objects.create(
        city=city,
        slug=slug,
        name="Orti condivisi",
        description="Si coltivano insieme pomodori, insalata e zucchine in un orto del quartiere",
        purpose="Stare all'aria aperta e conoscere i vicini",
        active=active,
    )


def run_by_group(coordinator, city, where, obj, meeting=True):
    # The group's own words ("Amici di via Bixio", "ci vediamo il sabato") share nothing with the need.
    group = collective.create_group(city=city, neighbourhood=where, name="Amici di via Bixio", purpose="Ci vediamo il sabato", by=coordinator)
    GroupActivity.objects.create(group=group, intervention_object=obj)
    if meeting:
        place = Place.objects.create(neighbourhood=where, name="Orto di via Bixio")
        Meeting.objects.create(city=city, neighbourhood=where, group=group, title="Semina", starts_at=timezone.now() + timedelta(days=3), place=place)
    return group


def test_an_object_run_by_a_group_brings_the_group_with_its_next_meeting(users, coordinator, city, neighbourhood, make_need):
    group = run_by_group(coordinator, city, neighbourhood, make_object(city))
    need = make_need(text=NEED)
    answers = ranked_answers(need, for_user=users[Role.WORKER])
    assert [(a.kind, a.target_id) for a in answers] == [("group", group.pk)]
    answer = answers[0]
    assert str(answer.label) == "Gruppo" and "Orti condivisi" in answer.detail and "Orto di via Bixio" in answer.detail
    assert "l'attività «Orti condivisi» del gruppo" in answer.explanation and "prossimo incontro" in answer.explanation
    assert "a Orto di via Bixio" in answer.explanation


def test_an_object_run_by_an_activity_answers_with_the_activity(users, coordinator, city, neighbourhood, make_need):
    activity = make_activity(coordinator, city, neighbourhood, name="Il sabato al parco", description="Ritrovo del sabato mattina")
    Initiative.objects.filter(pk=activity.pk).update(intervention_object=make_object(city))
    answers = ranked_answers(make_need(text=NEED), for_user=users[Role.WORKER])
    assert [(a.kind, a.target_id) for a in answers] == [("activity", activity.pk)]
    assert "il martedì alle 12.30" in answers[0].detail and "Circolo di" in answers[0].detail


def test_a_group_reached_both_ways_is_listed_once(users, coordinator, city, neighbourhood, make_need):
    group = run_by_group(coordinator, city, neighbourhood, make_object(city))
    collective.update_group(group, by=coordinator, purpose="Coltivare insieme pomodori nell'orto")
    answers = ranked_answers(make_need(text=NEED), for_user=users[Role.WORKER])
    assert [(a.kind, a.target_id) for a in answers] == [("group", group.pk)]


def test_an_unused_or_retired_object_or_one_out_of_scope_is_no_answer(users, coordinator, city, neighbourhood, other_neighbourhood, make_need):
    make_object(city, slug="solo")  # run by nothing: nowhere to go
    run_by_group(coordinator, city, neighbourhood, make_object(city, slug="vecchio", active=False))
    far_group = run_by_group(coordinator, city, other_neighbourhood, make_object(city, slug="lontano"))
    need = make_need(text=NEED)
    assert ranked_answers(need, for_user=users[Role.WORKER]) == []
    # The coordinator of the city sees the group of the other neighbourhood, not the retired object's.
    assert [(a.kind, a.target_id) for a in ranked_answers(need, for_user=coordinator)] == [("group", far_group.pk)]


def test_a_member_is_not_offered_her_own_group_again(users, coordinator, city, neighbourhood, make_person, make_need):
    group = run_by_group(coordinator, city, neighbourhood, make_object(city))
    person = make_person(name="Walter")
    Membership.objects.create(group=group, person=person)
    assert ranked_answers(make_need(text=NEED, person=person), for_user=users[Role.WORKER]) == []


def test_proposed_through_its_object_the_group_enrols_the_person_on_yes(users, coordinator, city, neighbourhood, make_person, make_need):
    group = run_by_group(coordinator, city, neighbourhood, make_object(city))
    need = make_need(text=NEED, person=make_person(name="Walter", account=users[Role.CITIZEN]))
    assert _propose(_client(users[Role.WORKER]), need, "group", group.pk).status_code == 302
    match = Match.objects.get(need=need, kind="group", answer_id=group.pk)
    assert "L'attività «Orti condivisi» del gruppo." in match.reasons
    services.answer_match(match, side="need", yes=True, by=users[Role.CITIZEN])
    assert Membership.objects.filter(group=group, person=need.person, left_at__isnull=True).count() == 1
