"""The indicators of groups, meetings, initiatives, participation and themes, on fixed data with the
expected values worked out by hand in the comments (first quarter of 2025, unless said otherwise)."""

from datetime import date

import pytest

from trama.collective.models import Decision, Meeting
from trama.initiatives.models import Initiative
from trama.insights import figures, indicators, periods
from trama.insights.queries import areas_for
from trama.market import services as market
from trama.people.models import Role
from trama.themes.models import Theme, TraditionalCategory

pytestmark = pytest.mark.django_db
Q1_2025 = periods.Period("quarter", 2025, 1)
AREAS = ("Borgo Alto", "Resto della città", "Tutta la città")
S = Initiative.Stage


@pytest.fixture
def areas(users, city, neighbourhood, other_neighbourhood):
    return areas_for(users[Role.COORDINATOR], city)


def get(key, city, areas, period=Q1_2025):
    result = figures.evaluate([indicators.REGISTRY[key]], city, period, areas)[key]
    return {area.label: result[area.key] for area in areas}


def numbers(result):
    return [result[name].value for name in AREAS]


@pytest.fixture
def initiatives(make_initiative, make_object, neighbourhood, other_neighbourhood):
    homework, meal = make_object("Compiti insieme"), make_object("Pranzo condiviso")
    alto, basso = neighbourhood, other_neighbourhood
    return {
        # In both neighbourhoods; autonomous on 10 March 2025.
        "i1": make_initiative(
            [alto, basso],
            date(2024, 12, 1),
            [(S.INCUBATION, date(2025, 1, 10)), (S.ACCOMPANIED, date(2025, 2, 10)), (S.AUTONOMOUS, date(2025, 3, 10))],
            obj=homework,
        ),
        # Still an idea, never moved.
        "i2": make_initiative([alto], date(2025, 1, 5), obj=meal),
        # Autonomous in 2024, ended in May 2025: at the end of the first quarter it was autonomous.
        "i3": make_initiative(
            [basso],
            date(2024, 6, 1),
            [(S.INCUBATION, date(2024, 7, 1)), (S.ACCOMPANIED, date(2024, 8, 1)), (S.AUTONOMOUS, date(2024, 9, 1)), (S.ENDED, date(2025, 5, 1))],
        ),
        # Born after the quarter.
        "i4": make_initiative([alto], date(2025, 4, 10)),
    }


def test_initiatives_by_stage_count_each_initiative_once_per_area(city, areas, initiatives):
    result = get("g1_initiatives", city, areas)
    # Alto: i1 (autonomous), i2 (idea); rest: i1, i3 (both autonomous); city: i1, i2, i3, not i1 twice.
    assert numbers(result) == [2, 2, 3]
    assert dict(result["Borgo Alto"].breakdown) == {"idea": 1, "incubazione": 0, "accompagnata": 0, "autonoma": 1, "conclusa": 0}
    assert dict(result["Tutta la città"].breakdown)["autonoma"] == 2
    # At the end of 2024 i1 was still an idea and i3 autonomous; i2 did not exist.
    end_2024 = get("g1_initiatives", city, areas, periods.Period("year", 2024))
    assert numbers(end_2024) == [1, 2, 2]
    assert dict(end_2024["Tutta la città"].breakdown) == {"idea": 1, "incubazione": 0, "accompagnata": 0, "autonoma": 1, "conclusa": 0}


def test_initiatives_that_reached_autonomy_in_the_period(city, areas, initiatives):
    assert numbers(get("g1_autonomous", city, areas)) == [1, 1, 1]  # i1, in both of its neighbourhoods
    assert numbers(get("g1_autonomous", city, areas, periods.Period("year", 2024))) == [0, 1, 1]  # i3


def test_participants_by_intervention_object_and_first_contact_through_an_activity(
    city, areas, initiatives, make_person, other_neighbourhood, take_part
):
    q1, q2, q3, q4 = (make_person(name=name) for name in ("Q1", "Q2", "Q3", "Q4"))
    take_part(initiatives["i1"], q1, date(2025, 1, 10), first_contact=True)
    take_part(initiatives["i2"], q1, date(2025, 2, 1))
    take_part(initiatives["i2"], q2, date(2024, 5, 1), left=date(2024, 12, 1))  # had left before the quarter
    take_part(initiatives["i3"], q3, date(2024, 10, 1), first_contact=True)  # first contact before the quarter
    take_part(initiatives["i2"], q4, date(2025, 3, 15), first_contact=True)

    participants = get("g5_participants", city, areas)
    # Alto: q1 (i1, i2) and q4 (i2); rest: q1 (i1) and q3 (i3); city: q1, q3, q4.
    assert numbers(participants) == [2, 2, 3]
    assert dict(participants["Borgo Alto"].breakdown) == {"Compiti insieme": 1, "Pranzo condiviso": 2, "senza oggetto di intervento": 0}
    assert dict(participants["Tutta la città"].breakdown) == {"Compiti insieme": 1, "Pranzo condiviso": 2, "senza oggetto di intervento": 1}
    assert participants["Borgo Alto"].per_1000 == pytest.approx(2 * 1000 / 12000)

    first = get("g5_first_contact", city, areas)
    # q1 through i1 (both neighbourhoods), q4 through i2 (Alto); q3's first contact was in 2024.
    assert numbers(first) == [2, 1, 2]
    assert dict(first["Resto della città"].breakdown) == {"Compiti insieme": 1, "Pranzo condiviso": 0, "senza oggetto di intervento": 0}


@pytest.fixture
def collective(make_group, make_meeting, make_person, neighbourhood, other_neighbourhood, users):
    alto, basso = neighbourhood, other_neighbourhood
    p1, p2, p4, p5 = (make_person(name=n) for n in ("P1", "P2", "P4", "P5"))
    p3, p6 = make_person(basso, name="P3"), make_person(basso, name="P6")
    g_a = make_group(alto, date(2025, 1, 15), members=[p1, p2])
    g_b = make_group(alto, date(2024, 11, 1), members=[p4])
    g_c = make_group(basso, date(2025, 3, 10), members=[p3])
    make_meeting(alto, date(2025, 2, 1), g_a, attendees=[p1, p2])
    make_meeting(alto, date(2025, 3, 1), g_a, attendees=[p1], count=5)
    make_meeting(alto, date(2024, 12, 1), g_b, count=4)  # before the quarter
    make_meeting(basso, date(2025, 3, 20), g_c, attendees=[p3])
    table = make_meeting(basso, date(2025, 2, 10), kind=Meeting.Kind.TABLE, count=12)
    make_meeting(alto, date(2025, 5, 1), g_a, attendees=[p1])  # after the quarter
    g_b.became_initiative()
    type(g_b).objects.filter(pk=g_b.pk).update(status_changed_at=indicators.timezone.make_aware(indicators.timezone.datetime(2025, 2, 20, 10)))

    worker = users[Role.COORDINATOR]  # records in both neighbourhoods

    def need(person, where):
        made = market.record_need(person=person, text="Una mano", neighbourhood=where, urgency="low", by=worker)
        type(made).objects.filter(pk=made.pk).update(created_at=indicators.timezone.make_aware(indicators.timezone.datetime(2025, 2, 15, 10)))
        return made

    need(p1, alto)  # p1 is in g_a, which met in the quarter: linked
    need(p4, alto)  # p4 is in g_b, which did not meet in the quarter: not linked
    from_table = need(p5, alto)  # p5 is in no group, but a table decided it: linked
    Decision.objects.create(meeting=table, text="Chiedere una mano per la spesa", need=from_table)
    need(p3, basso)  # p3 is in g_c, which met on 20 March: linked
    need(p6, basso)  # not linked
    return table


def test_groups_formed_active_and_become_initiatives(city, areas, collective):
    assert numbers(get("g4_groups_formed", city, areas)) == [1, 1, 2]  # g_a; g_c
    active = get("g4_groups", city, areas)
    assert numbers(active) == [1, 1, 2]  # g_a met twice, g_c once; g_b not in the quarter
    assert active["Borgo Alto"].per_1000 == pytest.approx(1000 / 12000)
    assert numbers(get("g4_group_initiatives", city, areas)) == [1, 0, 1]  # g_b, on 20 February


def test_meetings_held_and_attendance(city, areas, collective):
    meetings = get("g4_meetings", city, areas)
    assert numbers(meetings) == [2, 2, 4]
    assert dict(meetings["Resto della città"].breakdown) == {"incontro di gruppo": 1, "tavolo di quartiere": 1, "assemblea di comunità": 0}
    attendance = get("g4_attendance", city, areas)
    # Alto: 2 named; then 1 named of 5 counted -> 5. Basso: 1 named; the table's 12 counted. City: 7 + 13.
    assert numbers(attendance) == [7, 13, 20]
    assert dict(attendance["Tutta la città"].breakdown) == {"presenti con il nome": 4, "presenti contati senza nome": 16}


def test_needs_taken_into_a_group(city, areas, collective):
    # Alto: p1 and p5 of p1, p4, p5; Basso: p3 of p3, p6.
    assert numbers(get("g4_needs_in_groups", city, areas)) == [pytest.approx(2 / 3), 0.5, pytest.approx(3 / 5)]


def test_named_themes_and_the_share_of_items_outside_the_traditional_categories(
    city, areas, make_theme, make_item, neighbourhood, other_neighbourhood
):
    elderly = TraditionalCategory.objects.create(code="anziani-prova", name="Anziani")
    t1 = make_theme("Solitudine degli anziani", categories=[elderly])
    t2 = make_theme("Lavoro povero")  # no category: outside
    t3 = make_theme("Case fredde", status=Theme.Status.CANDIDATE, categories=[elderly], outside=True)  # marked outside
    t4 = make_theme("Vecchio tema", status=Theme.Status.RETIRED)
    t5 = make_theme("Spesa", categories=[elderly])
    alto, basso = neighbourhood, other_neighbourhood
    make_item(alto, date(2025, 2, 1), [t1])  # inside
    make_item(alto, date(2025, 2, 2), [t2])  # outside
    make_item(alto, date(2025, 3, 1), [t2, t1])  # one theme inside: inside
    make_item(basso, date(2025, 1, 5), [t3])  # outside
    make_item(basso, date(2025, 2, 5), [t4])  # only a retired theme: not counted
    make_item(basso, date(2025, 2, 6), [t2], rejected=[t5])  # the rejected tag does not count: outside
    make_item(alto, date(2025, 5, 1), [t2])  # after the quarter

    # Alto: 1 of 3; Basso: 2 of 2; city: 3 of 5.
    assert numbers(get("g6_outside", city, areas)) == [pytest.approx(1 / 3), 1.0, pytest.approx(3 / 5)]
    # Named themes with a text of the quarter: Alto t1, t2; Basso t2 (t3 candidate, t4 retired, t5 rejected); city t1, t2.
    assert numbers(get("g6_themes", city, areas)) == [2, 1, 2]


def test_no_records_of_a_kind_is_no_data_and_none_in_the_period_is_zero(city, areas, initiatives):
    for key in ("g4_groups", "g4_meetings", "g4_needs_in_groups", "g5_participants", "g6_themes", "g6_outside"):
        assert all(v.value is None and v.reason for v in get(key, city, areas).values()), key
    assert numbers(get("g1_autonomous", city, areas, periods.Period("year", 2023))) == [0, 0, 0]
