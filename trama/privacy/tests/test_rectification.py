"""Rectification of a person's data (GDPR art. 16): the declared fields, by whom, validated, saved at once and audited."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from trama.market.models import Need, Offer
from trama.people.models import Consent, Person, Role
from trama.privacy import audit, rectification
from trama.privacy.models import AuditEntry, Rectification
from trama.privacy.registry import registry
from trama.territory.models import City
from trama.text import stem_text

from .conftest import MARKERS

pytestmark = pytest.mark.django_db

REASON = "Numero cambiato, lo ha detto al telefono"


@pytest.fixture
def lia(make_person, users, neighbourhood, city):
    """Lia, a citizen of the worker's neighbourhood who allows her names and contacts to be kept; a need and an offer."""
    person = make_person(name="Lia", account=users[Role.CITIZEN])
    Consent.objects.create(person=person, purpose=Consent.Purpose.IDENTIFYING)
    Person.objects.filter(pk=person.pk).update(first_name="Lia", last_name="Russo", phone="0521 111111", email="lia@example.org")
    person.refresh_from_db()
    Need.objects.create(person=person, city=city, neighbourhood=neighbourhood, text="Cerco compagnia per la spesa")
    offer = Offer.objects.create(city=city, person=person, kind=Offer.Kind.SKILL, title="Ripetizioni", description="Matematica per le medie")
    offer.neighbourhoods.add(neighbourhood)
    return person


def staff_url(person):
    return reverse("privacy:rectify_person", args=[person.pk])


def mine_url():
    return reverse("privacy:rectify_mine")


def current(person):
    """Every value a rectification could touch: the person's row, their needs and offers."""
    return (
        list(Person.objects.filter(pk=person.pk).values()),
        list(Need.objects.filter(person=person).values("pk", "text", "search_tokens", "neighbourhood_id", "status")),
        list(Offer.objects.filter(person=person).values("pk", "title", "description", "status", "capacity")),
    )


def body(person, **changes):
    """What the page posts for `person` as staff see it, with `changes` ({field name: value}) applied."""
    need, offer = Need.objects.get(person=person), Offer.objects.get(person=person)
    data = {
        f"people.person-{person.pk}-display_name": person.display_name,
        f"people.person-{person.pk}-first_name": person.first_name,
        f"people.person-{person.pk}-last_name": person.last_name,
        f"people.person-{person.pk}-phone": person.phone,
        f"people.person-{person.pk}-email": person.email,
        f"people.person-{person.pk}-known_to_services": "unknown",
        f"market.need-{need.pk}-text": need.text,
        f"market.offer-{offer.pk}-title": offer.title,
        f"market.offer-{offer.pk}-description": offer.description,
        "reason": REASON,
    }
    data.update(changes)
    return data


def changes_audited(since=0):
    return list(AuditEntry.objects.filter(pk__gt=since, action=AuditEntry.Action.UPDATE).order_by("pk"))


def last_entry():
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


# -- the declaration --------------------------------------------------------------------------------


def test_the_registry_reports_a_rectifiable_field_that_is_not_there_or_not_editable():
    from trama.privacy.registry import Erase, Registry

    mine = Registry()
    mine.declare(
        "market.Need",
        subject=["person"],
        purpose="p",
        basis="b",
        retention="r",
        erase=Erase.delete(),
        seen_by="s",
        texts=["text", "search_tokens"],
        actors=["created_by"],
        hidden=["search_tokens"],
        rectifiable=["text", "diary", "person", "search_tokens"],
        rectifiable_by_person=["text", "urgency"],
    )
    assert [p for p in mine.problems([]) if p.startswith("market.Need:")] == [
        "market.Need: declares 'diary' rectifiable, which is not a field",
        "market.Need: declares 'person' rectifiable, which is not an editable value of the person's own",
        "market.Need: declares 'search_tokens' rectifiable, which is not an editable value of the person's own",
        "market.Need: lets the person correct 'urgency', which is not among its rectifiable fields",
    ]


def test_the_registry_reports_rectifiable_fields_of_a_model_nobody_may_change():
    from trama.privacy.registry import Erase, Registry

    mine = Registry()
    mine.declare(
        "privacy.ErasureRequest",
        subject=["person"],
        purpose="p",
        basis="b",
        retention="r",
        erase=Erase.delete(),
        seen_by="s",
        texts=["reason", "refusal_reason"],
        actors=["requested_by", "decided_by"],
        rectifiable=["reason"],
    )
    assert mine.problems([]) == [
        ("privacy.ErasureRequest: declares rectifiable fields, but no rule 'privacy.change_erasurerequest' says who may change a row")
    ]


def test_every_declared_rectifiable_field_is_reachable_by_the_form(everywhere, coordinator, client):
    """Each field the registry declares rectifiable is a control of the staff's form, on every row of the person;
    each field the person may correct is one of the form on their profile."""
    gino = everywhere
    declared = [d for d in registry if d.rectifiable]
    assert {d.label for d in declared} >= {"people.Person", "market.Need", "market.Offer"}
    client.force_login(coordinator)
    response = client.get(staff_url(gino))
    assert response.status_code == 200
    staff_page = response.content.decode()
    TOTPDevice.objects.filter(user=gino.account).delete()  # signed in without the code it would ask for
    client.force_login(gino.account)
    response = client.get(mine_url())
    assert response.status_code == 200
    own_page = response.content.decode()
    for declaration in declared:
        rows = list(rectification.own_rows(declaration, gino))
        assert rows, f"the fixture gives {declaration.label} no row to correct"
        for row in rows:
            prefix = f"{row._meta.label_lower}-{row.pk}"
            for name in declaration.rectifiable:
                assert f'name="{prefix}-{name}"' in staff_page, (prefix, name)
            for name in declaration.rectifiable_by_person:
                assert f'name="{prefix}-{name}"' in own_page, (prefix, name)
            for name in set(declaration.rectifiable) - set(declaration.rectifiable_by_person):
                assert f'name="{prefix}-{name}"' not in own_page, (prefix, name)


# -- what staff and the person correct --------------------------------------------------------------


def test_a_worker_corrects_a_persons_data_in_one_go_and_it_is_audited_by_field_names(lia, worker, client):
    need = Need.objects.get(person=lia)
    client.force_login(worker)
    since = last_entry()
    response = client.post(
        staff_url(lia),
        body(
            lia,
            **{
                f"people.person-{lia.pk}-last_name": "Rossi",
                f"people.person-{lia.pk}-phone": "0521 222222",
                f"market.need-{need.pk}-text": "Cerco compagnia per la spesa del sabato",
            },
        ),
    )
    assert response.status_code == 302
    lia.refresh_from_db()
    need.refresh_from_db()
    assert (lia.last_name, lia.phone, lia.first_name) == ("Rossi", "0521 222222", "Lia")
    assert need.text == "Cerco compagnia per la spesa del sabato" and need.search_tokens == stem_text(need.text)
    done = Rectification.objects.get()
    assert (done.person, done.made_by, done.reason) == (lia, worker, REASON)
    assert done.fields == ["people.person.last_name", "people.person.phone", "market.need.text"]
    entries = changes_audited(since)
    assert [(e.object_type, e.object_id, e.actor_id) for e in entries] == [
        ("people.person", str(lia.pk), worker.pk),
        ("market.need", str(need.pk), worker.pk),
    ]
    assert entries[0].reason == f"rettifica dei dati (art. 16 GDPR) n. {done.pk} della persona {lia.pk}: last_name, phone"
    # Neither the old nor the new values, nor the free-text reason, are in the append-only log.
    for entry in AuditEntry.objects.filter(pk__gt=since):
        for value in ("Russo", "Rossi", "111111", "222222", "sabato", "telefono"):
            assert value not in entry.reason, (entry.reason, value)
    page = client.get(response["Location"]).content.decode()
    assert "Rettifica registrata" in page and "cognome (persona)" in page and REASON in page


def test_the_form_shows_the_persons_data_and_the_read_is_audited(lia, worker, client):
    client.force_login(worker)
    since = last_entry()
    page = client.get(staff_url(lia)).content.decode()
    assert "Russo" in page and "Matematica per le medie" in page and "Motivo della rettifica" in page
    reads = AuditEntry.objects.filter(pk__gt=since, action=AuditEntry.Action.READ)
    need, offer = Need.objects.get(person=lia), Offer.objects.get(person=lia)
    assert sorted((e.object_type, audit.ids_named(e)) for e in reads) == sorted(
        [("people.person", [str(lia.pk)]), ("market.need", [str(need.pk)]), ("market.offer", [str(offer.pk)])]
    )


def test_a_citizen_corrects_her_own_contacts_from_her_profile(lia, users, client):
    client.force_login(users[Role.CITIZEN])
    profile = client.get(reverse("people:profile")).content.decode()
    assert mine_url() in profile
    page = client.get(mine_url()).content.decode()
    assert "Russo" in page and "known_to_services" not in page and "conosciuta" not in page
    data = {f"people.person-{lia.pk}-{name}": getattr(lia, name) for name in ("display_name", "first_name", "last_name", "email")}
    data |= {f"people.person-{lia.pk}-phone": "333 1234567", "reason": "Ho cambiato numero"}
    need, offer = Need.objects.get(person=lia), Offer.objects.get(person=lia)
    data |= {
        f"market.need-{need.pk}-text": need.text,
        f"market.offer-{offer.pk}-title": offer.title,
        f"market.offer-{offer.pk}-description": offer.description,
    }
    response = client.post(mine_url(), data)
    assert response.status_code == 302
    lia.refresh_from_db()
    assert lia.phone == "333 1234567"
    assert Rectification.objects.get().made_by == users[Role.CITIZEN]


def test_a_citizen_cannot_change_what_only_staff_correct(lia, users, client):
    """known_to_services is staff's assessment: posting it from the profile changes nothing."""
    client.force_login(users[Role.CITIZEN])
    response = client.post(
        mine_url(), body(lia, **{f"people.person-{lia.pk}-known_to_services": "true", f"people.person-{lia.pk}-phone": "333 1234567"})
    )
    assert response.status_code == 302
    lia.refresh_from_db()
    assert lia.phone == "333 1234567" and lia.known_to_services is None


def test_fields_not_declared_rectifiable_cannot_be_changed_by_posting_them(lia, make_person, other_neighbourhood, worker, city, client):
    """Mass assignment: the neighbourhood, the account, the erasure date, a need's status, another person's row."""
    lia_elsewhere = make_person(where=other_neighbourhood, name="Ada")
    Need.objects.create(person=lia_elsewhere, city=city, neighbourhood=other_neighbourhood, text="Aiuto compiti")
    other_need = Need.objects.get(person=lia_elsewhere)
    need = Need.objects.get(person=lia)
    before, before_other = current(lia), current(lia_elsewhere)
    client.force_login(worker)
    response = client.post(
        staff_url(lia),
        body(
            lia,
            **{
                f"people.person-{lia.pk}-phone": "0521 999999",
                f"people.person-{lia.pk}-neighbourhood": other_neighbourhood.pk,
                f"people.person-{lia.pk}-account": "",
                f"people.person-{lia.pk}-anonymised_at": "2026-01-01 10:00",
                f"people.person-{lia.pk}-city": City.objects.create(name="Altrove", slug="altrove", centre_lat=1, centre_lon=1).pk,
                f"market.need-{need.pk}-status": Need.Status.WITHDRAWN,
                f"market.need-{need.pk}-neighbourhood": other_neighbourhood.pk,
                f"people.person-{lia_elsewhere.pk}-display_name": "Cambiato",
                f"market.need-{other_need.pk}-text": "Cambiato",
                "made_by": "1",
                "fields": "[]",
            },
        ),
    )
    assert response.status_code == 302
    lia.refresh_from_db()
    assert lia.phone == "0521 999999"
    people, needs, offers = current(lia)
    assert [{**row, "phone": "0521 111111"} for row in people] == before[0] and (needs, offers) == before[1:]
    assert current(lia_elsewhere) == before_other
    assert Rectification.objects.get().fields == ["people.person.phone"]


def test_a_worker_corrects_only_the_rows_of_her_neighbourhoods(lia, worker, other_neighbourhood, city, client):
    """The person is in her neighbourhood, one of their needs is placed in another: that need is not hers to change."""
    data = body(lia, **{f"people.person-{lia.pk}-phone": "0521 999999"})
    far_need = Need.objects.create(person=lia, city=city, neighbourhood=other_neighbourhood, text="Aiuto in un altro quartiere")
    client.force_login(worker)
    page = client.get(staff_url(lia)).content.decode()
    assert f"market.need-{far_need.pk}-text" not in page and "Aiuto in un altro quartiere" not in page
    data[f"market.need-{far_need.pk}-text"] = "Cambiato"
    assert client.post(staff_url(lia), data).status_code == 302
    far_need.refresh_from_db()
    assert far_need.text == "Aiuto in un altro quartiere"
    assert Rectification.objects.get().fields == ["people.person.phone"]


# -- who may not ---------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
def test_nobody_out_of_scope_reaches_the_form_and_nothing_changes(method, lia, make_person, make_user, users, other_neighbourhood, client):
    elsewhere = make_person(where=other_neighbourhood, name="Ugo")
    far_city = City.objects.create(name="Lontana", slug="lontana", centre_lat=45, centre_lon=9)
    far_coordinator = make_user(Role.COORDINATOR, city=far_city)
    cases = [
        (users[Role.WORKER], elsewhere),  # a worker, out of her neighbourhoods
        (users[Role.CITIZEN], elsewhere),  # a citizen, on another person's page
        (make_user(Role.CITIZEN), lia),  # another citizen, on Lia's
        (users[Role.PARTNER], lia),
        (users[Role.ANTENNA], lia),  # an antenna of Lia's own neighbourhood
        (far_coordinator, lia),
        (None, lia),
    ]
    before = (current(lia), current(elsewhere), Rectification.objects.count())
    for user, person in cases:
        client.logout()
        if user is not None:
            client.force_login(user)
        data = {f"people.person-{person.pk}-display_name": "Cambiato", f"people.person-{person.pk}-phone": "1", "reason": "x"}
        response = getattr(client, method)(staff_url(person), data)
        if user is None:
            assert response.status_code == 405 or (response.status_code == 302 and "/accedi/" in response["Location"]), method
        else:
            assert response.status_code in (403, 404, 405), (user.role, method, response.status_code)
    assert (current(lia), current(elsewhere), Rectification.objects.count()) == before
    assert not changes_audited()


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_account_without_a_record_of_its_own_has_nothing_to_correct(method, users, client):
    for role in (Role.WORKER, Role.PARTNER, Role.ANTENNA):
        client.force_login(users[role])
        assert getattr(client, method)(mine_url(), {"reason": "x"}).status_code == 404, role
    client.logout()
    assert "/accedi/" in getattr(client, method)(mine_url())["Location"]


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_other_methods_are_refused_even_in_scope(method, lia, worker, users, client):
    before = current(lia)
    for user, url in ((worker, staff_url(lia)), (users[Role.CITIZEN], mine_url())):
        client.force_login(user)
        assert getattr(client, method)(url, body(lia, **{f"people.person-{lia.pk}-phone": "1"})).status_code == 405
    assert current(lia) == before


# -- bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("display_name", "", "Campo obbligatorio."),
        ("display_name", "x" * 81, "non contenga più di 80 caratteri (ne ha 81)"),
        ("email", "non-una-email", "indirizzo email valido"),
        ("phone", "1" * 31, "non contenga più di 30 caratteri (ne ha 31)"),
        ("first_name", "Lia\x00", "I caratteri null non sono ammessi."),
    ],
)
def test_invalid_values_are_refused_with_a_message_and_nothing_changes(field, value, message, lia, worker, client):
    before, since = current(lia), last_entry()
    client.force_login(worker)
    changes = {f"people.person-{lia.pk}-phone": "0521 999999", f"people.person-{lia.pk}-{field}": value}
    response = client.post(staff_url(lia), body(lia, **changes))
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and "Nessun dato è stato cambiato" in page
    assert current(lia) == before and not Rectification.objects.exists() and not changes_audited(since)


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "Scrivi il motivo della rettifica."),
        ("   ", "Scrivi il motivo della rettifica."),
        ("x" * 301, "Al massimo 300 caratteri (ne hai scritti 301)."),
    ],
)
def test_the_reason_is_required_and_short(reason, message, lia, worker, client):
    before = current(lia)
    client.force_login(worker)
    response = client.post(staff_url(lia), body(lia, reason=reason, **{f"people.person-{lia.pk}-phone": "0521 999999"}))
    assert response.status_code == 400 and message in response.content.decode()
    assert current(lia) == before and not Rectification.objects.exists()


def test_a_form_that_changes_nothing_is_refused_clearly(lia, worker, client):
    client.force_login(worker)
    response = client.post(staff_url(lia), body(lia))
    assert response.status_code == 400 and "Non hai cambiato nessun dato" in response.content.decode()
    assert not Rectification.objects.exists()


def test_an_oversized_need_text_is_refused(lia, worker, client):
    need = Need.objects.get(person=lia)
    before = current(lia)
    client.force_login(worker)
    response = client.post(staff_url(lia), body(lia, **{f"market.need-{need.pk}-text": "parola " * 2000}))
    assert response.status_code == 400 and "non contenga più di" in response.content.decode()
    assert current(lia) == before


def test_a_body_too_large_to_read_is_a_400(lia, worker, client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    before = current(lia)
    client.force_login(worker)
    response = client.post(staff_url(lia), body(lia, reason="x" * 20_000))
    assert response.status_code == 400
    assert current(lia) == before


def test_hostile_text_is_kept_as_text_and_shown_escaped(lia, worker, client):
    hostile = "<script>alert(1)</script>'; DROP TABLE people_person; --"
    client.force_login(worker)
    response = client.post(staff_url(lia), body(lia, **{f"people.person-{lia.pk}-display_name": hostile[:80], "reason": hostile}))
    assert response.status_code == 302
    lia.refresh_from_db()
    assert lia.display_name == hostile[:80]
    page = client.get(staff_url(lia)).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_identifying_details_are_not_added_without_the_persons_consent(make_person, worker, client):
    ugo = make_person(name="Ugo")
    client.force_login(worker)
    response = client.post(
        staff_url(ugo), {f"people.person-{ugo.pk}-display_name": "Ugo", f"people.person-{ugo.pk}-last_name": "Verdi", "reason": "Cognome mancante"}
    )
    assert response.status_code == 400 and "solo con il consenso della persona" in response.content.decode()
    ugo.refresh_from_db()
    assert ugo.last_name == "" and not Rectification.objects.exists()


def test_the_data_of_an_erased_person_cannot_be_corrected(lia, worker, client):
    from django.utils import timezone

    Person.objects.filter(pk=lia.pk).update(anonymised_at=timezone.now())
    lia.refresh_from_db()
    before = current(lia)
    client.force_login(worker)
    assert f"people.person-{lia.pk}-phone" not in client.get(staff_url(lia)).content.decode()
    assert client.post(staff_url(lia), body(lia, **{f"people.person-{lia.pk}-phone": "1"})).status_code == 400
    assert current(lia) == before


@pytest.mark.parametrize("pk", ["0", "99999999999999999999999"])
def test_ids_that_do_not_exist_are_a_404(pk, coordinator, client):
    client.force_login(coordinator)
    for method in ("get", "post"):
        assert getattr(client, method)(f"/privacy/persone/{pk}/rettifica/").status_code == 404


def test_an_erasure_takes_the_reasons_words_and_keeps_which_fields_were_corrected(everywhere):
    from trama.privacy.erasure import erase_person

    erase_person(everywhere, ledger=False)
    done = Rectification.objects.get(person=everywhere)
    assert done.reason == "" and done.fields == ["people.person.last_name"]
    assert MARKERS["rectification_reason"] not in str(list(Rectification.objects.values()))


def test_the_form_reads_as_many_queries_for_many_needs_as_for_a_few(lia, worker, client, city, neighbourhood):
    """Who may change each row is asked once per model, not once per row."""
    from trama.testing import assert_queries_do_not_grow

    def grow(total):
        while Need.objects.filter(person=lia).count() < total:
            Need.objects.create(person=lia, city=city, neighbourhood=neighbourhood, text="Testo di prova")

    client.force_login(worker)
    assert_queries_do_not_grow(client, staff_url(lia), grow)
