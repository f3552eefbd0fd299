"""A partner sees the pacts her organisation is party to; anyone reads the public register of the patti di collaborazione."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from trama.initiatives import services
from trama.initiatives.models import Agreement
from trama.people.models import Role

REGISTER = reverse("initiatives:pact_register")


@pytest.fixture
def make_pact(city, coordinator, neighbourhood):
    def make(title, parties, where=None, status=Agreement.Status.ACTIVE, ends_on=None, kind=Agreement.Kind.PACT):
        pact = services.save_agreement(
            Agreement(city=city, kind=kind, title=title, subject=f"Cura di {title.lower()}", starts_on=date(2026, 1, 10), ends_on=ends_on),
            by=coordinator,
            neighbourhoods=[where or neighbourhood],
            parties=parties,
        )
        Agreement.objects.filter(pk=pact.pk).update(status=status)
        return pact

    return make


def test_a_partner_sees_her_organisations_pacts_with_the_renewal_date(client, users, organisation, other_organisation, make_pact):
    ends = date.today() + timedelta(days=30)
    make_pact("Aiuola di via Po", [{"organisation": organisation, "commitments": "Innaffia"}], ends_on=ends)
    make_pact("Biblioteca di strada", [{"organisation": other_organisation, "commitments": "Presta libri"}])
    client.force_login(users[Role.PARTNER])
    page = client.get(reverse("initiatives:our_agreements")).content.decode()
    assert "Aiuola di via Po" in page and "mancano 30 giorni" in page
    assert "Biblioteca di strada" not in page


def test_a_partner_reads_her_pact_but_not_another_organisations(client, users, organisation, other_organisation, make_pact):
    ours = make_pact("Aiuola di via Po", [{"organisation": organisation, "commitments": "Innaffia"}])
    theirs = make_pact("Biblioteca di strada", [{"organisation": other_organisation, "commitments": "Presta libri"}])
    client.force_login(users[Role.PARTNER])
    assert client.get(reverse("initiatives:agreement", args=[ours.pk])).status_code == 200
    for method in ("get", "post", "put", "patch", "delete"):
        assert getattr(client, method)(reverse("initiatives:agreement", args=[theirs.pk])).status_code == 403
    assert client.post(reverse("initiatives:agreement_status", args=[ours.pk]), {"status": "terminated", "confirm": "on"}).status_code == 403
    ours.refresh_from_db()
    assert ours.status == Agreement.Status.ACTIVE


def test_the_public_register_names_organisations_never_private_persons(client, organisation, make_pact):
    make_pact("Aiuola di via Po", [{"organisation": organisation, "commitments": "Innaffia"}, {"name": "Maria Rossi", "commitments": "Pota"}])
    make_pact("Patto in preparazione", [{"organisation": organisation, "commitments": "x"}], status=Agreement.Status.DRAFT)
    make_pact("Co-progettazione", [{"organisation": organisation, "commitments": "x"}], kind=Agreement.Kind.CO_DESIGN)
    response = client.get(REGISTER)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Aiuola di via Po" in page and organisation.name in page and "cittadine e cittadini attivi" in page
    assert "Maria Rossi" not in page and "Patto in preparazione" not in page and "Co-progettazione" not in page


def test_the_register_is_searchable_and_counts_pacts_by_neighbourhood(client, organisation, make_pact, neighbourhood, other_neighbourhood):
    make_pact("Aiuola di via Po", [{"organisation": organisation, "commitments": "Innaffia"}])
    make_pact("Orto di quartiere", [{"organisation": organisation, "commitments": "Semina"}], where=other_neighbourhood)
    make_pact("Panchine", [{"organisation": organisation, "commitments": "Vernicia"}], where=other_neighbourhood, status=Agreement.Status.EXPIRED)
    page = client.get(REGISTER, {"cerca": "aiuola"}).content.decode()
    assert "Aiuola di via Po" in page and "Orto di quartiere" not in page
    page = client.get(REGISTER, {"quartiere": other_neighbourhood.pk, "stato": "expired"}).content.decode()
    assert "Panchine" in page and "Orto di quartiere" not in page
    counts = client.get(REGISTER).context["by_neighbourhood"]
    assert {row["neighbourhood"].pk: row["pacts"] for row in counts} == {neighbourhood.pk: 1, other_neighbourhood.pk: 2}


def test_the_register_pages_through_many_pacts(client, organisation, make_pact):
    for n in range(25):
        make_pact(f"Patto {n:02d}", [{"organisation": organisation, "commitments": "x"}])
    first, second = client.get(REGISTER), client.get(REGISTER, {"pagina": 2})
    assert len(first.context["page"].object_list) == 20 and len(second.context["page"].object_list) == 5


@pytest.mark.parametrize(
    ("query", "message"),
    [({"cerca": "x" * 5000}, "troppo lungo"), ({"quartiere": "999999"}, "Questo quartiere non c"), ({"stato": "draft"}, "Questo stato non c")],
)
def test_hostile_register_searches_are_refused_in_italian(client, make_pact, organisation, query, message):
    make_pact("Aiuola di via Po", [{"organisation": organisation, "commitments": "Innaffia"}])
    response = client.get(REGISTER, query)
    assert response.status_code == 400 and message in response.content.decode()
