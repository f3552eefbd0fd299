"""The registry of personal data accounts for every model that holds some, so the next app cannot forget."""

import pytest
from django.db import models
from django.db.models import Q
from django.test.utils import isolate_apps

from trama.people.models import Person, User
from trama.privacy.registry import Erase, Expiry, Registry, registry, scrub_names


def test_every_model_with_personal_data_is_declared():
    assert registry.problems() == []


def test_every_app_with_personal_data_declares_its_own_part():
    declared = {label.split(".")[0] for label in [*registry.declarations, *registry.exemptions]}
    assert {"privacy", "people", "market", "attention", "themes", "collective", "initiatives"} <= declared


@isolate_apps("trama.privacy")
def test_a_new_model_linking_a_person_fails_until_declared():
    class Diary(models.Model):
        person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")

        class Meta:
            app_label = "privacy"

    assert registry.problems([Diary]) == ["privacy.Diary holds personal data (person) but is not declared in its app's personal_data.py"]


@isolate_apps("trama.privacy")
def test_a_new_model_linking_an_account_or_holding_free_text_fails_until_declared():
    class Note(models.Model):
        author = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
        readers = models.ManyToManyField(User, related_name="+")
        body = models.TextField()
        remark = models.CharField(max_length=500)
        kind = models.CharField(max_length=500, choices=[("a", "a")])  # a choice is not free text

        class Meta:
            app_label = "privacy"

    problems = registry.problems([Note])
    assert problems == ["privacy.Note holds personal data (author, readers, body, remark) but is not declared in its app's personal_data.py"]


@isolate_apps("trama.privacy")
def test_a_link_added_to_a_declared_model_fails_until_named():
    class Visit(models.Model):
        visitor = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
        notes = models.TextField()

        class Meta:
            app_label = "privacy"

    mine = Registry()
    mine.not_about_people("privacy.Visit", actors=["visitor"], reason="only who visited")
    assert mine.problems([Visit]) == ["privacy.Visit.notes is not named in its personal-data declaration"]


def test_a_model_with_neither_links_nor_text_needs_no_declaration():
    from trama.territory.models import City

    assert Registry().problems([City]) == []


def _declare(mine, **changes):
    fields = {"subject": ["person"], "purpose": "p", "basis": "b", "retention": "r", "erase": Erase.delete(), "seen_by": "s"}
    fields.update(changes)
    mine.declare("market.Need", **fields)
    return [p for p in mine.problems([]) if p.startswith("market.Need:")]


def test_a_subject_that_does_not_lead_to_a_person_is_reported():
    assert _declare(Registry(), subject=["neighbourhood"]) == ["market.Need: subject 'neighbourhood' does not lead to people.Person"]


def test_a_field_that_does_not_exist_is_reported():
    assert _declare(Registry(), texts=["diary"]) == ["market.Need: names 'diary', which is not a field"]


def test_erasure_must_be_possible_as_declared():
    assert _declare(Registry(), erase=Erase.anonymise(unlink=["person"])) == ["market.Need: cannot unlink 'person': it is not nullable"]
    assert _declare(Registry(), erase=Erase.anonymise(blank=["urgency", "created_at"])) == [
        "market.Need: cannot blank 'created_at': it is neither blank nor null"
    ]
    assert _declare(Registry(), erase=Erase.remove("person")) == ["market.Need: removes the person from a relation that is not many-to-many"]


def test_purpose_basis_and_retention_are_required():
    assert _declare(Registry(), basis="") == ["market.Need: needs a purpose, a legal basis and a retention period"]


def test_who_may_see_the_rows_is_required():
    assert _declare(Registry(), seen_by="") == ["market.Need: needs to say who may see it (seen_by)"]


def test_a_time_limit_without_an_expiry_rule_fails():
    assert _declare(Registry(), months=24) == ["market.Need: keeps rows for 24 months but has no expiry rule (expires=)"]
    assert _declare(Registry(), expires=Expiry(clock="updated_at")) == ["market.Need: has an expiry rule but no time limit (months=)"]


def test_an_expiry_rule_must_be_one_the_retention_task_can_apply():
    assert _declare(Registry(), months=24, expires=Expiry(clock="text")) == ["market.Need: expiry (main) runs from 'text', which is not a date"]
    assert _declare(Registry(), months=24, expires=Expiry(clock="closed_at")) == [
        "market.Need: expiry (main) runs from 'closed_at', which is not a field"
    ]
    assert _declare(Registry(), months=24, erase=Erase.call("trama.market.services.erase_needs", "…"), expires=Expiry(clock="updated_at")) == [
        "market.Need: expiry (main) must delete, anonymise with blank/unlink, or call a function"
    ]
    assert _declare(Registry(), months=24, expires=Expiry(clock="updated_at", function="trama.market.services.nothing")) == [
        "market.Need: expiry (main) calls 'trama.market.services.nothing', which is not a function",
        "market.Need: expiry (main) calls a function but does not say which rows it still has to act on (pending=)",
    ]
    assert _declare(Registry(), months=24, expires=[Expiry(clock="updated_at"), Expiry(clock="created_at", ended=Q())]) == [
        "market.Need: the first expiry rule has no name, each further one a name of its own"
    ]
    assert _declare(Registry(), months=24, expires=[Expiry(clock="updated_at"), Expiry(name="old", clock="created_at")]) == [
        "market.Need: expiry old needs its own months"
    ]


def test_a_model_cannot_be_declared_twice():
    mine = Registry()
    _declare(mine)
    with pytest.raises(ValueError):
        _declare(mine)


def test_what_is_about_someone_else_is_not_handed_over():
    signal = {f.name for f in registry.declarations["attention.Signal"].exported_fields()}
    assert "sent_by" not in signal and "text" in signal
    assert not {"items", "key_phrases"} & {f.name for f in registry.declarations["collective.Suggestion"].exported_fields()}


def test_secrets_and_derived_copies_are_not_exported():
    exported = {f.name for f in registry.declarations["people.User"].exported_fields()}
    assert "password" not in exported and "email" in exported
    assert "embedding" not in {f.name for f in registry.declarations["themes.TextItem"].exported_fields()}


@pytest.mark.django_db
def test_a_persons_rows_are_found_through_their_links_and_their_name(make_person, make_user, city, neighbourhood):
    from trama.initiatives.models import Agreement, AgreementParty
    from trama.market.models import Need

    account = make_user()
    gino, ada = make_person(name="Gino", account=account), make_person(name="Ada")
    mine = Need.objects.create(city=city, person=gino, neighbourhood=neighbourhood, text="Mi serve una mano")
    Need.objects.create(city=city, person=ada, neighbourhood=neighbourhood, text="Anche a me")
    agreement = Agreement.objects.create(city=city, kind=Agreement.Kind.choices[0][0], title="Patto", starts_on="2026-01-01")
    signed = AgreementParty.objects.create(agreement=agreement, name="gino", commitments="Curare l'aiuola")
    AgreementParty.objects.create(agreement=agreement, name="Ada", commitments="Annaffiare")

    assert list(registry.declarations["market.Need"].rows_of(gino)) == [mine]
    assert list(registry.declarations["people.Person"].rows_of(gino)) == [gino]
    assert list(registry.declarations["people.User"].rows_of(gino)) == [account]
    assert list(registry.declarations["people.User"].rows_of(ada)) == []
    assert list(registry.declarations["initiatives.AgreementParty"].rows_of(gino)) == [signed]


def test_an_erasure_by_a_service_must_name_one_that_exists():
    assert _declare(Registry(), erase=Erase.call("trama.people.services.erase_nobody", "…")) == [
        "market.Need: erases through 'trama.people.services.erase_nobody', which is not a function"
    ]


def test_names_are_looked_for_only_in_declared_texts():
    assert _declare(Registry(), texts=["text"], mentions=["urgency"], erase=Erase.anonymise(scrub=["text", "kind"])) == [
        "market.Need: looks for names in 'urgency', which is not among its texts",
        "market.Need: looks for names in 'kind', which is not among its texts",
    ]


def test_a_text_naming_a_person_makes_the_row_theirs_and_loses_the_name(make_person, city, neighbourhood):
    from trama.collective.models import Meeting

    Person.objects.filter(pk=(gino := make_person(name="Gino")).pk).update(first_name="Luigi", last_name="Bianchi")
    gino.refresh_from_db()
    naming = Meeting.objects.create(
        city=city,
        neighbourhood=neighbourhood,
        kind=Meeting.Kind.TABLE,
        title="Tavolo",
        starts_at="2026-01-10T10:00Z",
        minutes="Luigi bianchi e GINO, poi Ginotto e Luigi.",
    )
    Meeting.objects.create(
        city=city, neighbourhood=neighbourhood, kind=Meeting.Kind.TABLE, title="Altro", starts_at="2026-01-11T10:00Z", minutes="Solo Luigi, un altro."
    )
    assert list(registry.declarations["collective.Meeting"].rows_of(gino)) == [naming]
    # Whole words, any case; a first name alone is someone else's too.
    assert scrub_names(naming.minutes, gino) == "[nome cancellato] e [nome cancellato], poi Ginotto e Luigi."
