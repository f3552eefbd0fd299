"""Text items follow needs, signals and encounters; embeddings are computed once, in the background."""

import pytest
from django.core.management import call_command

from trama.attention import services as attention
from trama.attention.models import Encounter, Signal
from trama.market import services as market
from trama.market.models import Need
from trama.people.models import Role
from trama.themes import services
from trama.themes.models import Tag, TextItem

pytestmark = pytest.mark.django_db


def test_a_need_is_copied_with_its_person_neighbourhood_and_date(make_person, worker, neighbourhood):
    person = make_person()
    need = market.record_need(person=person, text="Cerco qualcuno per la spesa", neighbourhood=neighbourhood, urgency="low", by=worker)
    item = TextItem.objects.get(source=TextItem.Source.NEED, source_id=need.pk)
    assert (item.text, item.person, item.neighbourhood, item.written_at) == (need.text, person, neighbourhood, need.created_at)
    assert item.city_id == need.city_id and item.embedding is None


def test_a_changed_need_updates_its_item_and_a_deleted_one_removes_it(make_person, worker, neighbourhood):
    need = market.record_need(person=make_person(), text="Prima", neighbourhood=neighbourhood, urgency="low", by=worker)
    need.text = "Dopo"
    need.save()
    assert TextItem.objects.get(source="need", source_id=need.pk).text == "Dopo"
    pk = need.pk
    need.delete()
    assert not TextItem.objects.filter(source="need", source_id=pk).exists()


def test_a_signal_has_no_person_until_linked_and_its_item_goes_when_anonymised(users, neighbourhood, make_person):
    signal = attention.send_signal(by=users[Role.ANTENNA], neighbourhood=neighbourhood, text="Il signore non esce più di casa")
    item = TextItem.objects.get(source="signal", source_id=signal.pk)
    assert item.person is None
    person = make_person()
    signal.person = person
    signal.save()
    item.refresh_from_db()
    assert item.person == person
    signal.anonymise()
    signal.save()
    assert not TextItem.objects.filter(source="signal", source_id=signal.pk).exists()


def test_encounter_notes_become_an_item_and_blank_notes_none(worker, neighbourhood):
    with_notes = Encounter.objects.create(neighbourhood=neighbourhood, worker=worker, setting="home", notes="Parla di solitudine")
    blank = Encounter.objects.create(neighbourhood=neighbourhood, worker=worker, setting="home", notes="")
    assert TextItem.objects.get(source="encounter", source_id=with_notes.pk).city_id == neighbourhood.city_id
    assert not TextItem.objects.filter(source="encounter", source_id=blank.pk).exists()


def test_sync_text_items_catches_up_with_bulk_created_records(city, neighbourhood, worker, make_person, users):
    person = make_person()
    Need.objects.bulk_create([Need(city=city, person=person, text=f"Bisogno {n}", neighbourhood=neighbourhood) for n in range(3)])
    Signal.objects.bulk_create([Signal(city=city, neighbourhood=neighbourhood, sent_by=users[Role.ANTENNA], text="Visto")])
    Encounter.objects.bulk_create([Encounter(neighbourhood=neighbourhood, worker=worker, setting="home", notes="Note")])
    stale = TextItem.objects.create(city=city, source="need", source_id=999_999, text="Non c'è più")

    assert services.sync_text_items(city) == (5, 0, 1)
    assert not TextItem.objects.filter(pk=stale.pk).exists()
    Need.objects.filter(text="Bisogno 0").update(text="Cambiato")
    assert services.sync_text_items(city) == (0, 1, 0)
    assert services.sync_text_items(city) == (0, 0, 0)


def test_sync_text_items_command_reports_what_it_did(city, neighbourhood, worker, capsys):
    Encounter.objects.bulk_create([Encounter(neighbourhood=neighbourhood, worker=worker, setting="home", notes="Note")])
    call_command("sync_text_items", "--city", city.slug)
    assert "1 testi aggiunti" in capsys.readouterr().out


def test_with_embedding_on_save_a_new_need_gets_its_vector_and_a_suggested_theme(
    settings, make_person, worker, neighbourhood, corpus, run_for, django_capture_on_commit_callbacks
):
    run_for(worker)
    settings.TRAMA_THEMES_EMBED_ON_SAVE = True
    with django_capture_on_commit_callbacks(execute=True):
        need = market.record_need(
            person=make_person(),
            text="Mi arriva una bolletta del gas altissima e non so come pagarla",
            neighbourhood=neighbourhood,
            urgency="low",
            by=worker,
        )
    item = TextItem.objects.get(source="need", source_id=need.pk)
    assert item.vector().shape == (384,) and item.embedded_at is not None
    tag = Tag.objects.get(item=item)
    assert tag.origin == Tag.Origin.SUGGESTED and tag.confidence >= services.SUGGEST_CONFIDENCE
    assert "bollett" in " ".join(tag.theme.key_phrases)


def test_without_embedding_on_save_nothing_is_embedded(make_person, worker, neighbourhood, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        market.record_need(person=make_person(), text="Cerco aiuto", neighbourhood=neighbourhood, urgency="low", by=worker)
    assert TextItem.objects.get().embedding is None
