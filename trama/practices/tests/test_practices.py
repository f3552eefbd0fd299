"""Practice sheets: who writes, reads, reviews and publishes them, the search, and the publication check."""

import pytest
from django.urls import reverse

from trama.collective import services as collective_services
from trama.market import services as market_services
from trama.people.models import Role
from trama.practices.models import Practice
from trama.privacy.models import AuditEntry
from trama.testing import STIGMA
from trama.themes.models import Theme

pytestmark = pytest.mark.django_db
S = Practice.Status


def _form(neighbourhood, **fields):
    return {"title": "Compiti insieme", "what_we_did": "Un pomeriggio a settimana, in biblioteca.", "neighbourhoods": [neighbourhood.pk], **fields}


def test_a_worker_writes_a_sheet_of_her_neighbourhood_as_a_draft(client, worker, neighbourhood):
    client.force_login(worker)
    response = client.post(reverse("practices:create"), _form(neighbourhood))
    practice = Practice.objects.get()
    assert response.status_code == 302
    assert (practice.status, practice.written_by, list(practice.neighbourhoods.all())) == (S.DRAFT, worker, [neighbourhood])


def test_a_worker_may_not_write_for_another_neighbourhood(client, worker, other_neighbourhood):
    client.force_login(worker)
    response = client.post(reverse("practices:create"), _form(other_neighbourhood))
    assert response.status_code == 400
    assert "scegline una dall" in response.content.decode()
    assert not Practice.objects.exists()


def test_a_partner_writes_in_the_name_of_her_organisation_only(client, partner, organisation, other_organisation, neighbourhood):
    client.force_login(partner)
    refused = client.post(reverse("practices:create"), _form(neighbourhood, organisation=other_organisation.pk))
    assert refused.status_code == 400
    assert not Practice.objects.exists()
    missing = client.post(reverse("practices:create"), _form(neighbourhood))
    assert missing.status_code == 400
    assert client.post(reverse("practices:create"), _form(neighbourhood, organisation=organisation.pk)).status_code == 302
    assert Practice.objects.get().organisation == organisation


@pytest.mark.parametrize("role", [Role.ANTENNA, Role.CITIZEN])
def test_antennas_and_citizens_neither_list_nor_write(client, users, role, neighbourhood):
    client.force_login(users[role])
    assert client.get(reverse("practices:list")).status_code == 403
    assert client.post(reverse("practices:create"), _form(neighbourhood)).status_code == 403
    assert not Practice.objects.exists()


def test_bad_input_is_refused_with_a_message_and_nothing_stored(client, worker, neighbourhood):
    client.force_login(worker)
    for bad in (
        _form(neighbourhood, title="x" * 161),
        _form(neighbourhood, what_we_did="parola " * 700),
        _form(neighbourhood, neighbourhoods=["nonsense"]),
        _form(neighbourhood, themes=[999999]),
        _form(neighbourhood, what_we_did=""),
    ):
        response = client.post(reverse("practices:create"), bad)
        assert response.status_code == 400, bad
        assert 'role="alert"' in response.content.decode()
    assert not Practice.objects.exists()


def test_hostile_text_is_shown_as_text(client, worker, neighbourhood):
    client.force_login(worker)
    client.post(reverse("practices:create"), _form(neighbourhood, title="<script>alert(1)</script>"))
    page = client.get(reverse("practices:detail", args=[Practice.objects.get().pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_who_sees_which_sheet(client, users, make_user, make_practice, neighbourhood, other_neighbourhood, organisation, other_organisation, city):
    from trama.territory.models import City, Neighbourhood

    draft_here = make_practice("Qui in bozza")
    draft_there = make_practice("Altrove in bozza", where=[other_neighbourhood])
    shared_there = make_practice("Altrove approvata", status=S.APPROVED, where=[other_neighbourhood])
    ours = make_practice("Della bottega", where=[other_neighbourhood], organisation=organisation)
    theirs = make_practice("Della rete", where=[other_neighbourhood], organisation=other_organisation)
    far_city = City.objects.create(name="Lontana", slug="lontana", centre_lat=45, centre_lon=9)
    far = make_practice("Lontano", status=S.PUBLISHED, where=[Neighbourhood.objects.create(city=far_city, name="Oltre", slug="oltre")], city=far_city)
    everything = {draft_here, draft_there, shared_there, ours, theirs}
    expected = {
        Role.COORDINATOR: everything,
        Role.WORKER: {draft_here, shared_there},
        Role.PARTNER: {shared_there, ours},
    }
    for role, visible in expected.items():
        client.force_login(users[role])
        page = client.get(reverse("practices:list")).content.decode()
        assert {p for p in [*everything, far] if p.title in page} == visible, role
        for practice in [*everything, far]:
            status = client.get(reverse("practices:detail", args=[practice.pk])).status_code
            assert status == (200 if practice in visible else 403), (role, practice.title, status)
    other_worker = make_user(Role.WORKER, [other_neighbourhood])
    client.force_login(other_worker)
    assert client.get(reverse("practices:detail", args=[draft_here.pk])).status_code == 403
    far_coordinator = make_user(Role.COORDINATOR, city=far_city)
    client.force_login(far_coordinator)
    assert client.get(reverse("practices:detail", args=[draft_here.pk])).status_code == 403


def test_review_and_publication(client, worker, coordinator, make_practice):
    practice = make_practice()
    client.force_login(worker)
    move = reverse("practices:move", args=[practice.pk])
    assert client.post(move, {"azione": "submit"}).status_code == 302
    assert client.post(move, {"azione": "approve"}).status_code == 403
    practice.refresh_from_db()
    assert practice.status == S.REVIEW
    client.force_login(coordinator)
    assert client.post(move, {"azione": "publish"}).status_code == 400  # not approved yet
    assert client.post(move, {"azione": "approve", "nota": "Chiara"}).status_code == 302
    assert client.post(move, {"azione": "publish"}).status_code == 302
    practice.refresh_from_db()
    assert (practice.status, practice.reviewed_by) == (S.PUBLISHED, coordinator)
    client.logout()
    assert practice.title in client.get(reverse("practices:public_list")).content.decode()
    assert client.get(reverse("practices:public_detail", args=[practice.pk])).status_code == 200


def test_sending_back_needs_a_note_and_takes_the_sheet_off_the_public_pages(client, coordinator, make_practice):
    practice = make_practice(status=S.PUBLISHED)
    client.force_login(coordinator)
    move = reverse("practices:move", args=[practice.pk])
    assert client.post(move, {"azione": "send_back"}).status_code == 400
    assert client.post(move, {"azione": "send_back", "nota": "Togliete il nome del bar"}).status_code == 302
    practice.refresh_from_db()
    assert (practice.status, practice.review_note) == (S.DRAFT, "Togliete il nome del bar")
    client.logout()
    assert client.get(reverse("practices:public_detail", args=[practice.pk])).status_code == 404


@pytest.mark.parametrize(
    "text, reason",
    [
        ("Per partecipare chiamate il 333 1234567.", "numero di telefono"),
        ("Scrivete a merenda@example.org per venire.", "indirizzo e-mail"),
        ("Iscritta con il codice RSSMRA85T10A562S.", "codice fiscale"),
        ("Gino ha portato la torta ogni volta.", "nomina persone coinvolte: Gino"),
        ("Una merenda per i poveri del quartiere.", "etichettano le persone"),
    ],
)
def test_a_sheet_holding_personal_data_is_not_published(client, coordinator, worker, make_practice, make_person, neighbourhood, text, reason):
    group = collective_services.create_group(city=neighbourhood.city, neighbourhood=neighbourhood, name="Merende", purpose="Merende", by=worker)
    collective_services.add_member(group, make_person(name="Gino"), by=worker, consent=True)
    practice = make_practice(status=S.APPROVED, group=group, what_worked=text)
    client.force_login(coordinator)
    detail = client.get(reverse("practices:detail", args=[practice.pk])).content.decode()
    assert reason in detail  # the reviewer is told before trying
    response = client.post(reverse("practices:move", args=[practice.pk]), {"azione": "publish"})
    assert response.status_code == 400
    assert reason in response.content.decode()
    practice.refresh_from_db()
    assert practice.status == S.APPROVED


def test_a_published_sheet_cannot_be_edited_into_personal_data(client, coordinator, make_practice, neighbourhood):
    practice = make_practice(status=S.PUBLISHED)
    client.force_login(coordinator)
    response = client.post(reverse("practices:edit", args=[practice.pk]), _form(neighbourhood, what_worked="Info al 0521 234567"))
    assert response.status_code == 400
    practice.refresh_from_db()
    assert practice.what_worked == ""


def test_search_by_words_theme_and_neighbourhood_paginated(client, coordinator, make_practice, neighbourhood, other_neighbourhood, city):
    theme = Theme.objects.create(city=city, status=Theme.Status.NAMED, name="Solitudine")
    make_practice("Merenda in cortile", themes=[theme])
    make_practice("Orto condiviso", where=[other_neighbourhood], what_we_did="Zappare insieme")
    for n in range(22):
        make_practice(f"Scheda numero {n}", what_we_did="Altro")
    client.force_login(coordinator)
    url = reverse("practices:list")

    def titles(query):
        page = client.get(url, query).content.decode()
        return {t for t in ("Merenda in cortile", "Orto condiviso", "Scheda numero 3") if t in page}

    assert titles({"cerca": "zappare insieme"}) == {"Orto condiviso"}
    assert titles({"tema": theme.pk}) == {"Merenda in cortile"}
    assert titles({"quartiere": other_neighbourhood.pk}) == {"Orto condiviso"}
    assert "Pagina 1 di 2" in client.get(url).content.decode()
    assert client.get(url, {"pagina": "999"}).status_code == 200
    for bad in ({"tema": "abc"}, {"quartiere": 999999}, {"cerca": "x" * 201}, {"stato": "segreto"}):
        response = client.get(url, bad)
        assert response.status_code == 400, bad
        assert "Merenda in cortile" not in response.content.decode()


def test_public_pages_show_only_published_sheets_without_labels(client, make_practice):
    published = make_practice("Compiti insieme", status=S.PUBLISHED)
    approved = make_practice("Ancora interna", status=S.APPROVED)
    page = client.get(reverse("practices:public_list")).content.decode()
    assert published.title in page and approved.title not in page
    detail = client.get(reverse("practices:public_detail", args=[published.pk])).content.decode()
    assert not STIGMA.search(page + detail)
    assert client.get(reverse("practices:public_detail", args=[approved.pk])).status_code == 404
    assert client.get(reverse("practices:public_list"), {"tema": "abc"}).status_code == 400


def test_who_has_done_something_similar_from_a_theme(client, users, make_user, make_practice, neighbourhood, other_neighbourhood, city):
    theme = Theme.objects.create(city=city, status=Theme.Status.NAMED, name="Compiti")
    tagged = make_practice("Doposcuola in parrocchia", themes=[theme], status=S.APPROVED, where=[other_neighbourhood])
    near = make_practice("Compiti insieme in biblioteca", status=S.APPROVED, where=[other_neighbourhood])
    hidden = make_practice("Compiti di quartiere in bozza", where=[other_neighbourhood], themes=[theme])
    client.force_login(users[Role.WORKER])
    page = client.get(reverse("themes:theme", args=[theme.pk])).content.decode()
    assert "Chi ha già fatto qualcosa di simile?" in page
    assert tagged.title in page and near.title in page
    assert hidden.title not in page  # a draft of another neighbourhood
    client.force_login(users[Role.COORDINATOR])
    assert hidden.title in client.get(reverse("themes:theme", args=[theme.pk])).content.decode()


def test_who_has_done_something_similar_from_a_need(client, worker, make_person, make_practice, neighbourhood, other_neighbourhood):
    need = market_services.record_need(
        person=make_person(),
        text="Cerco qualcuno che aiuti mio figlio con i compiti di matematica",
        neighbourhood=neighbourhood,
        urgency="low",
        by=worker,
    )
    close = make_practice("Compiti di matematica insieme", what_we_did="Aiuto con i compiti di matematica, in biblioteca.", status=S.APPROVED)
    far = make_practice("Orto condiviso", what_we_did="Zappare e seminare insieme.", status=S.APPROVED)
    draft_elsewhere = make_practice("Compiti di matematica altrove", what_we_did="Compiti di matematica.", where=[other_neighbourhood])
    client.force_login(worker)
    # The need's page leads there (a panel practices gives the market's page).
    assert reverse("practices:similar_to_need", args=[need.pk]) in client.get(reverse("market:need", args=[need.pk])).content.decode()
    response = client.get(reverse("practices:similar_to_need", args=[need.pk]))
    page = response.content.decode()
    assert close.title in page and far.title not in page and draft_elsewhere.title not in page
    assert "parole in comune" in page.lower()
    assert AuditEntry.objects.filter(object_type="market.need", object_id=str(need.pk), action="read").exists()
