"""The engine that proposes to convene a group from similar situations."""

import pytest
from django.test import override_settings

from trama.attention.models import Signal
from trama.collective import services
from trama.collective.models import Suggestion
from trama.collective.suggestions import suggestion_candidates
from trama.people.models import Role
from trama.themes.models import Tag, TextItem, Theme

from .conftest import HOMEWORK, SHOPPING

pytestmark = pytest.mark.django_db


def item_of(need):
    """The themes app's copy of a need (it may already have made it when the need was saved)."""
    item, _ = TextItem.objects.get_or_create(
        source="need",
        source_id=need.pk,
        defaults={"city_id": need.city_id, "text": need.text, "neighbourhood_id": need.neighbourhood_id, "person_id": need.person_id},
    )
    return item


def open_suggestions(city):
    return list(Suggestion.objects.filter(city=city, status=Suggestion.Status.OPEN))


def test_six_people_with_similar_needs_make_one_suggestion(city, neighbourhood, make_need):
    needs = [make_need(text) for text in SHOPPING[:6]] + [make_need(text) for text in HOMEWORK]
    services.refresh_suggestions(city)
    [suggestion] = open_suggestions(city)
    assert suggestion.neighbourhood == neighbourhood
    assert suggestion.size == 6
    assert set(suggestion.people.values_list("pk", flat=True)) == {n.person_id for n in needs[:6]}
    assert "spesa" in suggestion.key_phrases
    assert "spesa" in suggestion.purpose


def test_fewer_people_than_the_threshold_make_no_suggestion(city, make_need):
    for text in SHOPPING[:4]:
        make_need(text)
    services.refresh_suggestions(city)
    assert open_suggestions(city) == []


@override_settings(TRAMA_GROUP_THRESHOLD=3)
def test_the_threshold_is_a_setting(city, make_need):
    for text in SHOPPING[:4]:
        make_need(text)
    services.refresh_suggestions(city)
    assert len(open_suggestions(city)) == 1


def test_two_needs_of_one_person_count_once(city, make_need, make_person):
    gino = make_person()
    make_need(SHOPPING[0], person=gino)
    make_need(SHOPPING[1], person=gino)
    for text in SHOPPING[2:5]:
        make_need(text)
    services.refresh_suggestions(city)
    assert open_suggestions(city) == []  # four people, not five


def test_anonymous_signals_count_as_situations_but_are_not_people(city, neighbourhood, users, make_need):
    for text in SHOPPING[:4]:
        make_need(text)
    Signal.objects.create(city=city, neighbourhood=neighbourhood, text=SHOPPING[4], sent_by=users[Role.ANTENNA])
    services.refresh_suggestions(city)
    [suggestion] = open_suggestions(city)
    assert suggestion.size == 5
    assert suggestion.people.count() == 4


def test_non_adjacent_neighbourhoods_are_never_mixed(city, row, make_need):
    west, middle, east = row
    for text in SHOPPING[:3]:
        make_need(text, where=west)
    for text in SHOPPING[3:6]:
        make_need(text, where=east)
    services.refresh_suggestions(city)
    assert open_suggestions(city) == []  # three and three, across town


def test_adjacent_neighbourhoods_may_be_mixed_but_every_pair_touches(city, row, make_need):
    west, middle, east = row
    needs = [make_need(SHOPPING[0], where=west), make_need(SHOPPING[1], where=west)]
    needs += [make_need(SHOPPING[2], where=middle), make_need(SHOPPING[3], where=middle), make_need(SHOPPING[4], where=middle)]
    needs += [make_need(SHOPPING[5], where=east), make_need(SHOPPING[6], where=east)]
    services.refresh_suggestions(city)
    from trama.territory.queries import adjacent_neighbourhoods

    suggestions = open_suggestions(city)
    assert suggestions
    by_need = {n.pk: n.neighbourhood_id for n in needs}
    for suggestion in suggestions:
        places = {by_need[item["id"]] for item in suggestion.items}
        for a in places:
            for b in places:
                assert a == b or b in adjacent_neighbourhoods(type(west).objects.get(pk=a))
        assert {west.pk, east.pk} - places  # never both ends of the row


def test_a_shared_theme_makes_situations_similar(city, neighbourhood, make_need):
    theme = Theme.objects.create(city=city, status=Theme.Status.NAMED, name="Solitudine dopo la pensione")
    texts = [
        "Mi sento sola la sera",
        "Vorrei qualcuno con cui fare due chiacchiere",
        "Da quando sono in pensione non vedo nessuno",
        "Le giornate sono lunghe",
        "Mi piacerebbe uscire ogni tanto",
    ]
    for text in texts:
        need = make_need(text)
        item = item_of(need)
        Tag.objects.create(item=item, theme=theme, origin=Tag.Origin.PERSON)
    services.refresh_suggestions(city)
    [suggestion] = open_suggestions(city)
    assert suggestion.theme == theme
    assert "Solitudine dopo la pensione" in suggestion.purpose


def test_rejected_tags_and_retired_themes_do_not_join_situations(city, neighbourhood, make_need):
    retired = Theme.objects.create(city=city, status=Theme.Status.RETIRED, name="Vecchio tema")
    named = Theme.objects.create(city=city, status=Theme.Status.NAMED, name="Altro tema")
    texts = ["Uno", "Due tre", "Quattro cinque", "Sei sette", "Otto nove"]
    for i, text in enumerate(texts):
        need = make_need(f"{text} {i}")
        item = item_of(need)
        Tag.objects.create(item=item, theme=retired if i % 2 else named, origin=Tag.Origin.ENGINE, rejected=not i % 2)
    assert suggestion_candidates(city) == []


def test_a_dismissed_suggestion_does_not_come_back(city, shopping_suggestion, users, make_need):
    services.dismiss_suggestion(shopping_suggestion, reason="Li seguiamo già uno per uno", by=users[Role.WORKER])
    services.refresh_suggestions(city)
    assert open_suggestions(city) == []
    make_need(SHOPPING[6])  # one more person: still mostly the same group
    services.refresh_suggestions(city)
    assert open_suggestions(city) == []


def test_a_convened_suggestion_does_not_come_back(city, shopping_suggestion, users):
    services.convene_group(shopping_suggestion, name="Spesa insieme", purpose="Fare la spesa insieme", by=users[Role.WORKER])
    services.refresh_suggestions(city)
    assert open_suggestions(city) == []


def test_refresh_keeps_a_suggestion_and_drops_it_when_the_needs_are_met(city, shopping_suggestion, users):
    services.refresh_suggestions(city)
    assert open_suggestions(city) == [shopping_suggestion]
    from trama.market.models import Need

    Need.objects.filter(city=city).update(status=Need.Status.MET)
    assert services.refresh_suggestions(city) == (0, 0, 1)
    assert open_suggestions(city) == []


def test_dismissing_needs_a_reason(shopping_suggestion, users):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.dismiss_suggestion(shopping_suggestion, reason="  ", by=users[Role.WORKER])
    shopping_suggestion.refresh_from_db()
    assert shopping_suggestion.status == Suggestion.Status.OPEN


def test_saving_a_need_schedules_a_refresh(city, make_need, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for text in SHOPPING[:5]:
            make_need(text)
    assert len(open_suggestions(city)) == 1


def test_the_command_refreshes_every_city(city, make_need):
    from django.core.management import call_command

    for text in SHOPPING[:5]:
        make_need(text)
    call_command("refresh_suggestions", verbosity=0)
    assert len(open_suggestions(city)) == 1
