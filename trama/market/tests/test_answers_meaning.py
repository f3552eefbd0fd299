"""Meaning for the other kinds of answer (issue 17): groups and activities carry meaning vectors, kept
current by the task worker like offers, and their providers use WORDS_WEIGHT and MIN_MEANING as offers do."""

import io

import pytest
from django.core.management import call_command

from trama.collective import services as collective
from trama.collective.models import Group
from trama.initiatives.models import Initiative
from trama.market import meaning
from trama.market.answers import ranked_answers
from trama.market.models import Need
from trama.people.models import Role

from .test_answers import make_activity

pytestmark = pytest.mark.django_db

LONELY = "Mi sento solo la sera"
# No word (no stem) in common with LONELY; the reduced e5 cosine with it is about 0.57.
CALLS_NAME, CALLS_PURPOSE = "Due chiacchiere al telefono dopo cena", "per chi vive da sé"


@pytest.fixture
def embedding(settings, django_capture_on_commit_callbacks):
    settings.TRAMA_MARKET_EMBED_ON_SAVE = True
    return lambda: django_capture_on_commit_callbacks(execute=True)


def fresh(need):
    return Need.objects.get(pk=need.pk)


def make_calls_group(coordinator, city, neighbourhood):
    return collective.create_group(city=city, neighbourhood=neighbourhood, name=CALLS_NAME, purpose=CALLS_PURPOSE, by=coordinator)


def test_a_group_that_means_the_same_is_proposed_without_a_shared_word(users, embedding, coordinator, city, neighbourhood, make_need):
    with embedding():
        group = make_calls_group(coordinator, city, neighbourhood)
        need = make_need(text=LONELY)
    assert Group.objects.get(pk=group.pk).embedding_model == meaning.MODEL_TAG
    answers = ranked_answers(fresh(need), for_user=users[Role.WORKER])
    assert [(a.kind, a.target_id) for a in answers] == [("group", group.pk)]
    assert answers[0].parts["words"] < 0.22 and answers[0].parts["meaning"] >= 0.37
    assert "significato simile" in answers[0].explanation.lower()
    # Without the need's vector only the words count, and they share none.
    Need.objects.filter(pk=need.pk).update(embedding=None, embedding_model="")
    assert ranked_answers(fresh(need), for_user=users[Role.WORKER]) == []


def test_an_activity_that_means_the_same_is_proposed_without_a_shared_word(users, embedding, coordinator, city, neighbourhood, make_need):
    with embedding():
        activity = make_activity(coordinator, city, neighbourhood, name=CALLS_NAME, description=CALLS_PURPOSE)
        need = make_need(text=LONELY)
    answers = ranked_answers(fresh(need), for_user=users[Role.WORKER])
    assert [(a.kind, a.target_id) for a in answers] == [("activity", activity.pk)]
    Initiative.objects.filter(pk=activity.pk).update(embedding=None, embedding_model="")
    assert ranked_answers(fresh(need), for_user=users[Role.WORKER]) == []


def test_a_group_of_another_neighbourhood_is_not_shown_by_meaning_either(users, embedding, coordinator, city, other_neighbourhood, make_need):
    with embedding():
        make_calls_group(coordinator, city, other_neighbourhood)
        need = make_need(text=LONELY)
    assert ranked_answers(fresh(need), for_user=users[Role.WORKER]) == []


def test_a_changed_purpose_is_embedded_again_and_an_unchanged_one_is_not(embedding, coordinator, city, neighbourhood):
    with embedding():
        group = make_calls_group(coordinator, city, neighbourhood)
    first = bytes(Group.objects.get(pk=group.pk).embedding)
    with embedding():
        collective.update_group(Group.objects.get(pk=group.pk), by=coordinator, status=group.status)
    assert bytes(Group.objects.get(pk=group.pk).embedding) == first
    with embedding():
        collective.update_group(Group.objects.get(pk=group.pk), by=coordinator, purpose="Partite a carte il giovedì")
    changed = Group.objects.get(pk=group.pk)
    assert changed.embedding_model == meaning.MODEL_TAG and bytes(changed.embedding) != first


def test_the_command_embeds_groups_and_activities_written_without_vectors(coordinator, city, neighbourhood):
    group = make_calls_group(coordinator, city, neighbourhood)  # embedding is off in the tests: no vector
    activity = make_activity(coordinator, city, neighbourhood)
    assert Group.objects.get(pk=group.pk).embedding is None
    out = io.StringIO()
    call_command("embed_market", "--city", city.slug, stdout=out)
    assert "gruppi: 1 con" in out.getvalue() and "iniziative: 1 con" in out.getvalue()
    assert Group.objects.get(pk=group.pk).embedding_model == meaning.MODEL_TAG
    assert Initiative.objects.get(pk=activity.pk).embedding_model == meaning.MODEL_TAG
