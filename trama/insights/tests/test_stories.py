"""Stories of change and participatory reviews: consent, pseudonymisation, who sees them, and the report."""

import pytest
from django.urls import reverse
from django.utils import timezone

from trama.collective.models import Meeting
from trama.insights import reports, services, stories
from trama.insights.models import Report, Review, Story
from trama.insights.periods import parse
from trama.insights.tasks import build_report
from trama.people.models import Organisation, Role
from trama.privacy.models import AuditEntry
from trama.testing import STIGMA, pdf_text

pytestmark = pytest.mark.django_db
CREATE = reverse("insights:story_create")
LIST = reverse("insights:stories")


def _form(hood, **changes):
    data = {
        "neighbourhood": hood.pk,
        "title": "Dal pane e latte al pranzo insieme",
        "what_changed": "Comprava solo pane e latte; ora pranza con altri al punto di comunità due volte a settimana.",
        "for_whom": "una signora che vive sola",
        "why_it_matters": "Non chiede più di segnare e ha ripreso a uscire.",
        "goals": ["G3", "G4"],
        "consent_form": "oral",
        "consent": "on",
    }
    return {**data, **changes}


@pytest.fixture
def partner(users, city):
    organisation = Organisation.objects.create(city=city, name="Farmacia del Borgo", sector="business")
    organisation.members.add(users[Role.PARTNER], through_defaults={"role": "referent"})
    return users[Role.PARTNER]


def _story(neighbourhood, by, organisation=None, **fields):
    data = {
        "title": "Una storia",
        "what_changed": "Qualcosa è cambiato.",
        "for_whom": "un vicino",
        "why_it_matters": "Conta.",
        "goals": ["G3"],
        "consent_form": Story.ConsentForm.WRITTEN,
        "consent_at": timezone.now(),
    }
    return Story.objects.create(city=neighbourhood.city, neighbourhood=neighbourhood, author=by, organisation=organisation, **{**data, **fields})


def test_a_worker_records_a_story_with_consent(client, users, neighbourhood):
    client.force_login(users[Role.WORKER])
    page = client.get(CREATE).content.decode()
    assert 'data-testid="identifying-warning"' in page and "Non scrivere nomi" in page
    response = client.post(CREATE, _form(neighbourhood))
    story = Story.objects.get()
    assert response.status_code == 302 and response.url == reverse("insights:story", args=[story.pk])
    assert story.consent_form == "oral" and story.consent_at is not None and story.author == users[Role.WORKER]
    assert story.goals == ["G3", "G4"] and story.organisation is None
    assert AuditEntry.objects.filter(action="create", object_type="insights.story", object_id=str(story.pk)).exists()


def test_without_consent_nothing_is_recorded(client, users, neighbourhood):
    client.force_login(users[Role.WORKER])
    data = _form(neighbourhood)
    del data["consent"]
    response = client.post(CREATE, data)
    assert response.status_code == 400 and "Senza il consenso della persona" in response.content.decode()
    assert not Story.objects.exists()


@pytest.mark.parametrize(
    ("field", "text", "what"),
    [
        ("what_changed", "Chiamatela al 333 123 4567 se serve.", "un numero di telefono"),
        ("what_changed", "Il suo numero è +39 0521 234567.", "un numero di telefono"),
        ("why_it_matters", "Scrive a maria.rossi@example.org ogni giorno.", "un indirizzo e-mail"),
        ("for_whom", "la signora RSSMRA80A41G337Z", "un codice fiscale"),
        ("title", "La storia di Gino", "il nome della persona (Gino)"),
        ("for_whom", "il signor gino bianchi", "il nome della persona (Bianchi, gino)"),
    ],
)
def test_obvious_personal_details_are_refused(client, users, neighbourhood, make_person, field, text, what):
    person = make_person(where=neighbourhood, name="Gino")
    person.last_name = "Bianchi"
    person.save(update_fields=["last_name"])
    client.force_login(users[Role.WORKER])
    response = client.post(CREATE, _form(neighbourhood, person=person.pk, **{field: text}))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Togli i dati che fanno riconoscere la persona" in page
    assert what.split(" (")[0] in page
    assert not Story.objects.exists()


def test_the_check_leaves_dates_amounts_and_ordinary_words_alone():
    assert stories.personal_details("Dal 03.04.2024 viene al pranzo: 12 persone, 250 euro, 2 volte a settimana.") == []
    assert stories.personal_details("Una signora ora ha un gruppo di amiche.", names={"Ada"}) == []
    assert stories.personal_details("Ada è venuta.", names={"Ada"}) == ["il nome della persona (Ada)"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "obbligatorio"),
        ({"what_changed": "x" * 2001}, "troppo lungo"),
        ({"goals": ["G9"]}, "Scegli"),
        ({"consent_form": "telepatia"}, "Scegli"),
        ({"neighbourhood": "999999"}, "Scegli un quartiere"),
        ({"title": "<script>alert(1)</script>" + "a" * 200}, "troppo lungo"),
        ({"themes": ["abc"]}, "valore"),
    ],
)
def test_bad_input_is_a_400_and_nothing_stored(client, users, neighbourhood, changes, message):
    client.force_login(users[Role.WORKER])
    response = client.post(CREATE, _form(neighbourhood, **changes))
    page = response.content.decode()
    assert response.status_code == 400 and message in page, page[:3000]
    assert "<script>alert(1)" not in page
    assert not Story.objects.exists()


def test_a_worker_cannot_record_in_another_neighbourhood_nor_link_someone_elsewhere(client, users, neighbourhood, other_neighbourhood, make_person):
    client.force_login(users[Role.WORKER])
    assert client.post(CREATE, _form(other_neighbourhood)).status_code == 400
    elsewhere = make_person(where=other_neighbourhood, name="Lia")
    assert client.post(CREATE, _form(neighbourhood, person=elsewhere.pk)).status_code == 400
    assert not Story.objects.exists()


def test_a_partner_records_a_story_for_their_organisation_without_people(client, partner, other_neighbourhood):
    client.force_login(partner)
    page = client.get(CREATE).content.decode()
    assert 'name="person"' not in page  # partners never pick people's records
    assert client.post(CREATE, _form(other_neighbourhood)).status_code == 302
    story = Story.objects.get()
    assert story.organisation.name == "Farmacia del Borgo" and story.person is None


def test_a_partner_without_an_organisation_is_told_why(client, users, neighbourhood):
    client.force_login(users[Role.PARTNER])
    response = client.post(CREATE, _form(neighbourhood))
    assert response.status_code == 400 and "devi far parte di un&#x27;organizzazione" in response.content.decode()


@pytest.mark.parametrize("role", [Role.ANTENNA, Role.CITIZEN])
def test_antennas_and_citizens_neither_record_nor_read_stories(client, users, neighbourhood, role):
    story = _story(neighbourhood, users[Role.WORKER])
    client.force_login(users[role])
    assert client.post(CREATE, _form(neighbourhood)).status_code == 403
    assert client.get(LIST).status_code == 403
    assert client.get(reverse("insights:story", args=[story.pk])).status_code == 403
    assert Story.objects.count() == 1


def test_who_sees_which_story(client, users, partner, city, neighbourhood, other_neighbourhood, make_user):
    from trama.territory.models import City, Neighbourhood

    ours = _story(neighbourhood, partner, Organisation.objects.get(name="Farmacia del Borgo"), title="Storia della farmacia")
    theirs = _story(neighbourhood, users[Role.WORKER], title="Storia del quartiere")
    elsewhere = _story(other_neighbourhood, users[Role.COORDINATOR], title="Storia di un altro quartiere")
    far_city = City.objects.create(name="Lontana", slug="lontana-s", centre_lat=45, centre_lon=9)
    far = _story(Neighbourhood.objects.create(city=far_city, name="Oltre", slug="oltre-s"), None, title="Storia di un'altra città")
    other_org = Organisation.objects.create(city=city, name="Altra associazione", sector="third_sector")
    other_partner = make_user(Role.PARTNER)
    other_org.members.add(other_partner)
    sees = {
        users[Role.COORDINATOR]: {ours, theirs, elsewhere},
        users[Role.WORKER]: {ours, theirs},
        make_user(Role.WORKER, neighbourhoods=[other_neighbourhood]): {elsewhere},
        partner: {ours},
        other_partner: set(),
    }
    for user, visible in sees.items():
        client.force_login(user)
        listed = client.get(LIST).content.decode()
        for story in (ours, theirs, elsewhere, far):
            status = client.get(reverse("insights:story", args=[story.pk])).status_code
            assert (status == 200) == (story in visible), (user.username, story.title, status)
            assert (story.title in listed) == (story in visible), (user.username, story.title)
        for method in ("post", "put", "patch", "delete"):
            assert getattr(client, method)(reverse("insights:story", args=[ours.pk])).status_code in (403, 404, 405)
    assert Story.objects.count() == 4


def test_reads_are_audited(client, users, neighbourhood):
    story = _story(neighbourhood, users[Role.WORKER])
    client.force_login(users[Role.WORKER])
    client.get(reverse("insights:story", args=[story.pk]))
    assert AuditEntry.objects.filter(action="read", object_type="insights.story", object_id=str(story.pk)).exists()
    client.get(LIST)
    assert AuditEntry.objects.filter(action="read", object_type="insights.story", reason__endswith=f": {story.pk}").exists()


def test_search_and_goal_filter(client, users, neighbourhood):
    _story(neighbourhood, users[Role.WORKER], title="Il pranzo del giovedì", goals=["G4"])
    _story(neighbourhood, users[Role.WORKER], title="Le antenne del mercato", goals=["G2"])
    client.force_login(users[Role.WORKER])
    page = client.get(LIST, {"q": "pranzo"}).content.decode()
    assert "Il pranzo del giovedì" in page and "Le antenne del mercato" not in page
    page = client.get(LIST, {"obiettivo": "G2"}).content.decode()
    assert "Le antenne del mercato" in page and "Il pranzo del giovedì" not in page
    assert "Nessuna storia corrisponde" in client.get(LIST, {"q": "nulla di simile"}).content.decode()
    assert client.get(LIST, {"obiettivo": "<script>"}).status_code == 400


def test_withdrawn_consent_erases_the_story_from_everything(client, users, neighbourhood):
    story = _story(neighbourhood, users[Role.WORKER], title="Storia da ritirare")
    meeting = Meeting.objects.create(city=neighbourhood.city, neighbourhood=neighbourhood, kind="table", title="Tavolo", starts_at=timezone.now())
    review = Review.objects.create(city=neighbourhood.city, neighbourhood=neighbourhood, meeting=meeting, period="2025")
    review.stories.add(story)
    client.force_login(users[Role.WORKER])
    url = reverse("insights:story_withdraw", args=[story.pk])
    assert "Non si può annullare" in client.get(url).content.decode()
    assert client.post(url).status_code == 400 and Story.objects.exists()  # no confirmation, nothing erased
    assert client.post(url, {"conferma": "1"}).status_code == 302
    assert not Story.objects.filter(pk=story.pk).exists()
    assert not review.stories.exists()
    assert "Storia da ritirare" not in client.get(LIST).content.decode()
    assert client.get(reverse("insights:story", args=[story.pk])).status_code == 404
    assert reports.selected_stories(neighbourhood.city, parse("2025")) == [(review, [])]


def test_another_neighbourhoods_worker_cannot_withdraw(client, users, neighbourhood, other_neighbourhood, make_user):
    story = _story(neighbourhood, users[Role.WORKER])
    client.force_login(make_user(Role.WORKER, neighbourhoods=[other_neighbourhood]))
    assert client.post(reverse("insights:story_withdraw", args=[story.pk]), {"conferma": "1"}).status_code == 403
    assert Story.objects.filter(pk=story.pk).exists()


def test_the_erasure_of_the_person_erases_their_stories(users, neighbourhood, make_person):
    from trama.privacy import registry

    person = make_person(where=neighbourhood)
    story = _story(neighbourhood, users[Role.WORKER], person=person)
    declaration = registry.registry.declarations["insights.Story"]
    assert declaration.erase.kind == registry.Erase.DELETE and declaration.subject == ("person",)
    person.delete()  # what erasure does to the record last; the story goes with it
    assert not Story.objects.filter(pk=story.pk).exists()


# -- participatory reviews -------------------------------------------------------------------


def test_a_review_is_a_table_meeting_with_comments_and_selected_stories(client, users, neighbourhood, other_neighbourhood):
    chosen = _story(neighbourhood, users[Role.WORKER], title="La più significativa")
    _story(neighbourhood, users[Role.WORKER], title="Un'altra")
    elsewhere = _story(other_neighbourhood, users[Role.COORDINATOR], title="Di un altro quartiere")
    client.force_login(users[Role.WORKER])
    form = client.get(reverse("insights:review_create")).content.decode()
    assert "La più significativa" in form and "Di un altro quartiere" not in form
    data = {
        "neighbourhood": neighbourhood.pk,
        "title": "Revisione di primavera",
        "starts_at": "2025-04-10T18:00",
        "period": "2025-T1",
        "comments": "Le ore donate crescono, le antenne no.",
        "stories": [chosen.pk],
    }
    assert client.post(reverse("insights:review_create"), {**data, "stories": [elsewhere.pk]}).status_code == 400
    response = client.post(reverse("insights:review_create"), data)
    review = Review.objects.get()
    assert response.status_code == 302
    assert review.meeting.kind == Meeting.Kind.TABLE and review.meeting.neighbourhood == neighbourhood
    assert list(review.stories.all()) == [chosen] and review.period == "2025-T1"
    page = client.get(reverse("insights:review", args=[review.pk])).content.decode()
    assert "La più significativa" in page and "Le ore donate crescono" in page
    assert reverse("collective:meeting", args=[review.meeting.pk]) in page


def test_a_review_elsewhere_cannot_be_recorded_or_read(client, users, neighbourhood, other_neighbourhood):
    meeting = Meeting.objects.create(
        city=neighbourhood.city, neighbourhood=other_neighbourhood, kind="table", title="Tavolo", starts_at=timezone.now()
    )
    review = Review.objects.create(city=neighbourhood.city, neighbourhood=other_neighbourhood, meeting=meeting, period="2025")
    client.force_login(users[Role.WORKER])
    assert client.get(reverse("insights:review", args=[review.pk])).status_code == 403
    data = {"neighbourhood": other_neighbourhood.pk, "title": "T", "starts_at": "2025-04-10T18:00", "period": "2025"}
    assert client.post(reverse("insights:review_create"), data).status_code == 400
    assert Review.objects.count() == 1
    client.force_login(users[Role.PARTNER])
    assert client.get(reverse("insights:reviews")).status_code == 403


def test_the_report_shows_the_selected_stories_beside_the_numbers(client, users, city, neighbourhood):
    worker, coordinator = users[Role.WORKER], users[Role.COORDINATOR]
    chosen = services.record_story(
        by=worker,
        neighbourhood=neighbourhood,
        title="Dal pane e latte al pranzo insieme",
        what_changed="Ora pranza con altri al punto di comunità.",
        for_whom="una signora che vive sola",
        why_it_matters="Ha ripreso a uscire.",
        goals=["G4"],
        consent_form="oral",
    )
    services.record_story(
        by=worker,
        neighbourhood=neighbourhood,
        title="Storia non scelta",
        what_changed="x",
        for_whom="y",
        why_it_matters="z",
        goals=[],
        consent_form="oral",
    )
    services.hold_review(
        by=worker,
        neighbourhood=neighbourhood,
        title="Revisione di primavera",
        starts_at=timezone.now(),
        period="2025-T1",
        comments="Le ore donate crescono.",
        stories=[chosen],
    )
    report = Report.objects.create(city=city, period="2025", kind="pdf", requested_by=coordinator)
    build_report.enqueue(report.pk)
    report.refresh_from_db()
    text = pdf_text(bytes(report.content))
    assert "Le storie scelte dai tavoli di quartiere" in text
    assert "Dal pane e latte al pranzo insieme" in text and "Ha ripreso a uscire." in text
    assert "Le ore donate crescono." in text
    assert "Storia non scelta" not in text
    assert "Storie di cambiamento legate a questo obiettivo" in text


def test_no_story_reaches_a_public_page(client, users, neighbourhood):
    _story(neighbourhood, users[Role.WORKER], title="Titolo riservato della storia", what_changed="La signora fragile del terzo piano.")
    client.logout()
    for name in ("home", "insights:open_data", "initiatives:catalogue", "insights:hsds_json", "insights:open_data_csv"):
        page = client.get(reverse(name)).content.decode()
        assert "Titolo riservato della storia" not in page and "terzo piano" not in page, name
        assert not STIGMA.search(page), (name, STIGMA.search(page))
    for name in ("insights:stories", "insights:reviews"):
        assert client.get(reverse(name)).status_code == 302  # to the login page
