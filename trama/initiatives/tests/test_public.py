import pytest
from django.urls import reverse

from trama.initiatives import services
from trama.initiatives.models import Participation
from trama.people.models import Person, Role
from trama.testing import STIGMA, assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


def _public_pages(client, initiative):
    return [
        client.get(url)
        for url in (
            reverse("initiatives:catalogue"),
            reverse("initiatives:public", args=[initiative.pk]),
            reverse("initiatives:join", args=[initiative.pk]),
            reverse("home"),
        )
    ]


def test_the_catalogue_shows_only_published_initiatives_between_incubation_and_autonomy(client, make_initiative):
    make_initiative("Visibile", stage="incubation", is_public=True)
    make_initiative("Autonoma", stage="autonomous", is_public=True)
    make_initiative("Solo un'idea", stage="idea", is_public=True)
    make_initiative("Riservata", stage="accompanied", is_public=False)
    make_initiative("Finita", stage="ended", is_public=True)
    page = client.get(reverse("initiatives:catalogue")).content.decode()
    assert "Visibile" in page and "Autonoma" in page
    assert "Solo un" not in page and "Riservata" not in page and "Finita" not in page


def test_an_unpublished_initiative_has_no_public_page(client, make_initiative):
    hidden = make_initiative("Riservata", stage="accompanied", is_public=False)
    assert client.get(reverse("initiatives:public", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("initiatives:join", args=[hidden.pk])).status_code == 404


def test_the_catalogue_filters_by_neighbourhood_and_activity_and_has_an_empty_state(
    client, make_initiative, neighbourhood, other_neighbourhood, activity
):
    make_initiative("Qui", stage="incubation", is_public=True, intervention_object=activity)
    make_initiative("Là", stage="incubation", is_public=True, where=[other_neighbourhood])
    page = client.get(reverse("initiatives:catalogue"), {"quartiere": neighbourhood.pk}).content.decode()
    assert "Qui" in page and "Là" not in page
    page = client.get(reverse("initiatives:catalogue"), {"attivita": activity.pk, "quartiere": other_neighbourhood.pk}).content.decode()
    assert "Per ora non ci sono attività aperte" in page
    assert client.get(reverse("initiatives:catalogue"), {"quartiere": "<script>", "pagina": "-4"}).status_code == 200


def test_public_pages_show_no_stigmatising_words_and_no_personal_data(client, initiative, partner, make_person, users, worker):
    gino = make_person(name="Gino Bellavista")
    services.add_participant(initiative, person=gino, by=worker)
    services.assess_autonomy(
        initiative,
        by=worker,
        assessed_on=initiative.created_at.date(),
        own_leadership=1,
        own_resources=1,
        own_decisions=1,
        ties=1,
        note="Gino Bellavista guida il gruppo",
    )
    for response in _public_pages(client, initiative):
        text = response.content.decode()
        assert response.status_code == 200
        assert not STIGMA.search(text), STIGMA.search(text)
        assert "Gino" not in text and "Bellavista" not in text and worker.username not in text
    public = client.get(reverse("initiatives:public", args=[initiative.pk])).content.decode()
    assert "Sala civica" in public and "Ogni domenica alle 12" in public and "pranzo@example.org" in public


def test_a_visitor_is_asked_to_sign_in_and_the_choice_waits_on_their_home(client, initiative, users):
    response = client.get(reverse("initiatives:join", args=[initiative.pk]))
    assert "Accedi" in response.content.decode() and not Participation.objects.exists()
    citizen = users[Role.CITIZEN]
    client.force_login(citizen)
    # Logging in keeps the session's data (the session key rotates).
    home = client.get(reverse("home")).content.decode()
    assert "Conferma la partecipazione" in home


def test_a_citizen_joins_and_sees_the_initiative_on_their_home(client, initiative, users, neighbourhood):
    citizen = users[Role.CITIZEN]
    client.force_login(citizen)
    assert client.get(reverse("initiatives:join", args=[initiative.pk])).status_code == 200
    response = client.post(reverse("initiatives:join", args=[initiative.pk]), follow=True)
    assert "Partecipi a «Pranzo della domenica»" in response.content.decode()
    participation = Participation.objects.get()
    assert participation.person.account == citizen and participation.first_contact
    assert participation.person.neighbourhood == neighbourhood
    assert "Pranzo della domenica" in client.get(reverse("home")).content.decode()
    assert client.get(reverse("initiatives:detail", args=[initiative.pk])).status_code == 200
    client.post(reverse("initiatives:join", args=[initiative.pk]))
    assert Participation.objects.count() == 1


def test_joining_after_earlier_activity_is_not_a_first_contact(client, initiative, users, make_person):
    from trama.market import services as market

    citizen = users[Role.CITIZEN]
    person = make_person(name="Anna", account=citizen)
    market.record_need(person=person, text="Una mano con la spesa", neighbourhood=person.neighbourhood, urgency="low", by=citizen)
    client.force_login(citizen)
    client.post(reverse("initiatives:join", args=[initiative.pk]))
    assert Participation.objects.get().first_contact is False
    assert Person.objects.count() == 1


def test_staff_accounts_do_not_join_from_the_catalogue(client, initiative, worker):
    client.force_login(worker)
    response = client.post(reverse("initiatives:join", args=[initiative.pk]))
    assert response.status_code == 200 and not Participation.objects.exists()


def test_catalogue_queries_do_not_grow_with_rows(client, make_initiative, activity, place, neighbourhood, other_neighbourhood, settings):
    settings.TRAMA_PUBLIC_CACHE_SECONDS = 0  # what drawing the page costs, not reading it back (trama.shortcuts.public_cache)
    made = []

    def add(n):
        # The later initiatives are in two neighbourhoods: more rows of every kind the cards show.
        where = [neighbourhood, other_neighbourhood] if made else [neighbourhood]
        for _ in range(n):
            made.append(
                make_initiative(f"Iniziativa {len(made)}", stage="incubation", is_public=True, intervention_object=activity, place=place, where=where)
            )

    assert_queries_do_not_grow(client, reverse("initiatives:catalogue"), add)
    assert client.get(reverse("initiatives:catalogue")).content.decode().count('class="card-title h5"') == 20


def test_the_public_catalogue_shows_a_change_within_its_stated_delay(client, make_initiative, settings):
    """Kept for visitors not signed in for TRAMA_PUBLIC_CACHE_SECONDS (trama.shortcuts.public_cache)."""
    import time

    settings.TRAMA_PUBLIC_CACHE_SECONDS = 1
    make_initiative("Visibile", stage="incubation", is_public=True)
    assert "Visibile" in client.get(reverse("initiatives:catalogue")).content.decode()
    make_initiative("Appena pubblicata", stage="incubation", is_public=True)
    assert "Appena pubblicata" not in client.get(reverse("initiatives:catalogue")).content.decode()  # the kept copy
    time.sleep(1.1)
    assert "Appena pubblicata" in client.get(reverse("initiatives:catalogue")).content.decode()


def test_a_citizen_signed_in_never_reads_the_public_copy(client, make_initiative, users, settings):
    make_initiative("Visibile", stage="incubation", is_public=True)
    client.get(reverse("initiatives:catalogue"))  # kept for the public
    make_initiative("Appena pubblicata", stage="incubation", is_public=True)
    client.force_login(users[Role.CITIZEN])
    assert "Appena pubblicata" in client.get(reverse("initiatives:catalogue")).content.decode()
