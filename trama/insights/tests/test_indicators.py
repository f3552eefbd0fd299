from datetime import date
from decimal import Decimal

import pytest

from trama.attention import services as attention
from trama.attention.models import Antenna
from trama.insights import figures, indicators, periods
from trama.insights.queries import areas_for
from trama.market import services as market
from trama.people.models import Organisation, Person, Role

from .conftest import at

pytestmark = pytest.mark.django_db
Q1_2025 = periods.Period("quarter", 2025, 1)


@pytest.fixture
def coordinator(users):
    return users[Role.COORDINATOR]


def values(key, city, period, areas):
    return figures.evaluate([indicators.REGISTRY[key]], city, period, areas)[key]


def by_name(result, areas):
    return {area.label: result[area.key] for area in areas}


def test_every_indicator_has_a_goal_a_name_a_definition_and_a_unit():
    assert {i.goal for i in indicators.REGISTRY.values()} == set(indicators.GOALS)
    for item in indicators.REGISTRY.values():
        assert item.name and item.definition and item.unit in indicators.UNITS


def test_areas_compare_pilots_with_the_rest_of_the_city(coordinator, city, neighbourhood, other_neighbourhood, make_neighbourhood):
    third = make_neighbourhood("Borgo Nuovo", population=1000)
    areas = areas_for(coordinator, city)
    assert [a.label for a in areas] == ["Borgo Alto", "Resto della città", "Tutta la città"]
    assert areas[1].ids == {other_neighbourhood.pk, third.pk} and areas[1].population == 10000
    assert areas[2].population == 22000


def test_a_worker_compares_only_their_own_neighbourhoods(worker, city, neighbourhood, other_neighbourhood):
    assert [a.label for a in areas_for(worker, city)] == ["Borgo Alto"]


def test_ledger_indicators_by_area_and_sector(
    coordinator, city, neighbourhood, other_neighbourhood, make_neighbourhood, make_organisation, make_person, give
):
    third = make_neighbourhood("Borgo Nuovo", population=1000)
    ponte = make_organisation()
    comune = make_organisation("Ufficio di piano", Organisation.Sector.PUBLIC)
    bottega = make_organisation("Bottega", Organisation.Sector.BUSINESS)
    give("hours", 10, organisation=ponte)  # 160 euros at the default rate
    give("euros", 100, organisation=comune)
    give("hours", 2, where=other_neighbourhood, person=make_person(other_neighbourhood))  # 32 euros
    give("goods", 1, where=third, organisation=bottega, declared_value=Decimal("50"))
    give("hours", 99, on=date(2025, 5, 1), organisation=ponte)  # another quarter
    areas = areas_for(coordinator, city)

    value = by_name(values("g1_value", city, Q1_2025, areas), areas)
    assert value["Borgo Alto"].value == Decimal("260") and value["Resto della città"].value == Decimal("82")
    assert value["Tutta la città"].value == Decimal("342")
    assert value["Borgo Alto"].per_1000 == pytest.approx(260 * 1000 / 12000)
    assert dict(value["Tutta la città"].breakdown) == {
        "Pubblico": Decimal("100"),
        "Terzo settore": Decimal("160"),
        "Cittadini": Decimal("32"),
        "Imprese": Decimal("50"),
    }

    hours = by_name(values("g1_hours", city, Q1_2025, areas), areas)
    assert (hours["Borgo Alto"].value, hours["Resto della città"].value) == (Decimal("10"), Decimal("2"))
    assert by_name(values("g1_money", city, Q1_2025, areas), areas)["Borgo Alto"].value == Decimal("100")
    assert by_name(values("g1_goods", city, Q1_2025, areas), areas)["Resto della città"].value == Decimal("50")
    assert by_name(values("g1_space", city, Q1_2025, areas), areas)["Tutta la città"].value == 0

    non_public = by_name(values("g1_non_public", city, Q1_2025, areas), areas)
    assert non_public["Borgo Alto"].value == pytest.approx(160 / 260)
    assert non_public["Tutta la città"].value == pytest.approx(242 / 342)

    collaborators = by_name(values("g2_collaborators", city, Q1_2025, areas), areas)
    assert [collaborators[k].value for k in ("Borgo Alto", "Resto della città", "Tutta la città")] == [2, 2, 4]


def test_a_share_over_no_records_in_an_area_is_no_data_not_zero(coordinator, city, neighbourhood, other_neighbourhood, make_organisation, give):
    give("euros", 100, organisation=make_organisation())
    areas = areas_for(coordinator, city)
    result = by_name(values("g1_non_public", city, Q1_2025, areas), areas)
    assert result["Borgo Alto"].value == 1.0
    assert result["Resto della città"].value is None and result["Resto della città"].reason


def test_share_of_people_who_both_give_and_receive(coordinator, city, neighbourhood, other_neighbourhood, make_person, worker):
    both, receives = make_person(name="Anna"), make_person(name="Bruno")
    make_person(name="Carla")  # neither: not counted
    market.record_offer(
        person=both, organisation=None, kind="time", title="Leggo il giornale a chi non vede", neighbourhoods=[neighbourhood], by=worker
    )
    for person in (both, receives):
        market.record_need(person=person, text="Una mano con la spesa", neighbourhood=neighbourhood, urgency="low", by=worker)
    areas = areas_for(coordinator, city)
    result = by_name(values("g2_two_sided", city, periods.current(), areas), areas)
    assert result["Borgo Alto"].value == 0.5
    assert result["Resto della città"].value is None


def test_antennas_by_kind_trained_and_signals_per_antenna(coordinator, city, neighbourhood, other_neighbourhood, make_antenna, send_signal):
    pharmacy = make_antenna(neighbourhood, Antenna.Kind.PHARMACY, trained=True)
    make_antenna(neighbourhood, Antenna.Kind.SHOP)
    make_antenna(neighbourhood, Antenna.Kind.SHOP, active=False)
    elsewhere = make_antenna(other_neighbourhood, Antenna.Kind.LOCAL_POLICE)
    for _i in range(3):
        send_signal(pharmacy, neighbourhood)
    send_signal(elsewhere, other_neighbourhood)
    send_signal(elsewhere, other_neighbourhood, day=date(2025, 6, 1))  # another quarter
    areas = areas_for(coordinator, city)

    active = by_name(values("g2_antennas", city, Q1_2025, areas), areas)
    assert [active[k].value for k in ("Borgo Alto", "Resto della città", "Tutta la città")] == [2, 1, 3]
    kinds = dict(active["Borgo Alto"].breakdown)
    assert kinds["Farmacia"] == 1 and kinds["Negozio"] == 1 and kinds["Polizia locale"] == 0
    assert active["Borgo Alto"].per_1000 == pytest.approx(2 / 12)
    trained = by_name(values("g2_trained_antennas", city, Q1_2025, areas), areas)
    assert [trained[k].value for k in ("Borgo Alto", "Resto della città")] == [1, 0]
    ratio = by_name(values("g2_signals_per_antenna", city, Q1_2025, areas), areas)
    assert ratio["Borgo Alto"].value == 1.5 and ratio["Tutta la città"].value == pytest.approx(4 / 3)


def test_antennas_created_after_the_period_do_not_count(coordinator, city, neighbourhood, make_antenna):
    make_antenna(neighbourhood)
    areas = areas_for(coordinator, city)
    before = values("g2_antennas", city, periods.Period("year", 2023), areas)
    assert before[areas[0].key].value == 0


def test_an_antenna_that_stops_still_counts_in_the_periods_that_ended_before(coordinator, city, neighbourhood, make_antenna):
    """Antenna.deactivated_at: suspending (or erasing) an antenna does not rewrite a closed period."""
    antenna = make_antenna(neighbourhood)
    antenna.active = False
    antenna.save(update_fields=["active"])
    antenna.refresh_from_db()
    assert antenna.deactivated_at is not None
    areas = areas_for(coordinator, city)
    assert values("g2_antennas", city, periods.Period("year", 2025), areas)[areas[0].key].value == 1
    assert values("g2_antennas", city, periods.current("year"), areas)[areas[0].key].value == 0
    antenna.deactivated_at = at(date(2025, 3, 1))  # stopped during 2025 (saved: the stored figures hear of it)
    antenna.save(update_fields=["deactivated_at"])
    assert values("g2_antennas", city, periods.Period("year", 2025), areas)[areas[0].key].value == 0
    assert values("g2_antennas", city, periods.Period("year", 2024), areas)[areas[0].key].value == 1


def test_time_to_first_contact_and_share_taken_up(coordinator, city, neighbourhood, other_neighbourhood, make_antenna, send_signal, worker):
    antenna = make_antenna(neighbourhood)
    slow, quick, dropped = (send_signal(antenna, neighbourhood) for _i in range(3))
    attention.contact_happened(slow, now=at(date(2025, 2, 13)))
    attention.contact_happened(quick, now=at(date(2025, 2, 11)))
    attention.triage(dropped, by=worker, outcome="no_action", note="Già seguita da un parente")
    areas = areas_for(coordinator, city)
    days = by_name(values("g3_days_to_contact", city, Q1_2025, areas), areas)
    assert days["Borgo Alto"].value == pytest.approx(2.0)
    assert days["Resto della città"].value is None and days["Resto della città"].reason
    taken = by_name(values("g3_taken_up", city, Q1_2025, areas), areas)
    assert taken["Borgo Alto"].value == pytest.approx(2 / 3)


def test_people_reached_by_the_network_and_unknown_to_the_services(coordinator, city, neighbourhood, other_neighbourhood, make_person):
    make_person(channel=Person.Channel.ANTENNA, known=False)
    make_person(channel=Person.Channel.ANTENNA, known=True)
    make_person(channel=Person.Channel.OUTREACH, known=False)
    make_person(channel=Person.Channel.SELF)
    make_person(other_neighbourhood, channel=Person.Channel.SELF, known=False)
    areas = areas_for(coordinator, city)
    period = periods.current()

    def get(key):
        result = by_name(values(key, city, period, areas), areas)
        return [result[k].value for k in ("Borgo Alto", "Resto della città", "Tutta la città")]

    assert get("g3_reached") == [3, 0, 3]
    assert get("g3_self_referred") == [1, 1, 2]
    assert get("g3_share_reached") == [pytest.approx(3 / 4), 0, pytest.approx(3 / 5)]
    assert get("g6_unknown") == [pytest.approx(2 / 3), 1, pytest.approx(3 / 4)]
    assert values("g3_reached", city, periods.Period("year", 2024), areas)[areas[0].key].value == 0


def test_every_indicator_says_no_data_yet_when_its_source_is_empty(coordinator, city, neighbourhood, other_neighbourhood):
    areas = areas_for(coordinator, city)
    results = figures.evaluate(list(indicators.REGISTRY.values()), city, periods.current(), areas)
    for key, per_area in results.items():
        for value in per_area.values():
            assert value.value is None and value.reason, key


def test_groups_initiatives_and_themes_have_no_data_yet_even_with_other_records(coordinator, city, neighbourhood, make_person):
    make_person(channel=Person.Channel.ANTENNA, known=False)
    areas = areas_for(coordinator, city)
    for key in (
        "g1_initiatives",
        "g1_autonomous",
        "g4_groups",
        "g4_groups_formed",
        "g4_group_initiatives",
        "g4_meetings",
        "g4_attendance",
        "g4_needs_in_groups",
        "g5_participants",
        "g5_first_contact",
        "g6_themes",
        "g6_outside",
    ):
        value = values(key, city, periods.current(), areas)[areas[0].key]
        assert value.value is None and value.reason, key


def test_display_formats_each_unit():
    assert indicators.REGISTRY["g1_non_public"].display(0.5) == "50,0 %"
    assert indicators.REGISTRY["g1_value"].display(Decimal("1234.4")) == "€\xa01.234,40"
    assert indicators.REGISTRY["g3_days_to_contact"].display(2.25) in ("2,2", "2,3")
    assert indicators.REGISTRY["g2_antennas"].display(None) == "nessun dato ancora"


def test_signals_on_paper_count_cards_calls_and_words_in_person_not_the_antennas_form(
    coordinator, city, neighbourhood, other_neighbourhood, make_antenna, send_signal, worker
):
    send_signal(make_antenna(neighbourhood), neighbourhood)
    for channel in ("card", "phone", "in_person"):
        attention.record_signal(by=worker, neighbourhood=neighbourhood, channel=channel, text="Scritto a mano", created_at=at(date(2025, 2, 10)))
    attention.record_signal(by=coordinator, neighbourhood=other_neighbourhood, channel="card", text="Cartolina", created_at=at(date(2025, 2, 10)))
    attention.record_signal(by=worker, neighbourhood=neighbourhood, channel="phone", text="Più tardi", created_at=at(date(2025, 4, 10)))
    areas = areas_for(coordinator, city)
    counts = by_name(values("g3_signals_on_paper", city, Q1_2025, areas), areas)
    assert [counts[k].value for k in ("Borgo Alto", "Resto della città", "Tutta la città")] == [3, 1, 4]


def test_requests_on_paper_count_what_workers_wrote_down_for_people_not_the_site(
    coordinator, city, neighbourhood, other_neighbourhood, make_person, worker, organisation, users
):
    from trama.market.models import Need, Offer

    gino, rita = make_person(), make_person(where=other_neighbourhood, name="Rita")
    lia = make_person(name="Lia", account=users[Role.CITIZEN])
    made = []
    for channel in ("card", "phone", "in_person"):
        made.append(
            market.record_need(person=gino, text=f"Spesa ({channel})", neighbourhood=neighbourhood, urgency="medium", by=worker, channel=channel)
        )
    made.append(
        market.record_offer(person=rita, kind="time", title="Compagnia", neighbourhoods=[other_neighbourhood], by=coordinator, channel="phone")
    )
    # Not counted: written on the site, an organisation's offer, a worker's record with no channel, another period.
    made.append(market.record_need(person=lia, text="Dal sito", neighbourhood=neighbourhood, urgency="medium", by=users[Role.CITIZEN]))
    made.append(
        market.record_offer(organisation=organisation, kind="space", title="Sala", neighbourhoods=[neighbourhood], by=coordinator, channel="card")
    )
    made.append(market.record_need(person=gino, text="Senza canale", neighbourhood=neighbourhood, urgency="medium", by=worker))
    late = market.record_need(person=gino, text="Più tardi", neighbourhood=neighbourhood, urgency="medium", by=worker, channel="card")
    for record in made:
        type(record).objects.filter(pk=record.pk).update(created_at=at(date(2025, 2, 10)))
    Need.objects.filter(pk=late.pk).update(created_at=at(date(2025, 4, 10)))
    assert Need.objects.get(text="Dal sito").channel == "web" and Need.objects.get(text="Senza canale").channel == ""
    assert Offer.objects.get(title="Sala").channel == "card"
    areas = areas_for(coordinator, city)
    counts = by_name(values("g6_requests_on_paper", city, Q1_2025, areas), areas)
    assert [counts[k].value for k in ("Borgo Alto", "Resto della città", "Tutta la città")] == [3, 1, 4]
