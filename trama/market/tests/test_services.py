from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from trama.market import services
from trama.market.models import Contribution, Match, Need, Offer, Rate, Sector
from trama.market.queries import ledger_totals, time_bank_balance
from trama.people.models import Role
from trama.privacy.models import AuditEntry
from trama.territory.models import City

pytestmark = pytest.mark.django_db


def test_record_need_keeps_the_persons_words_and_audits(make_need):
    need = make_need(text="Vorrei compagnia il pomeriggio")
    assert need.text == "Vorrei compagnia il pomeriggio" and need.status == Need.Status.OPEN
    assert "compagn" in need.search_tokens
    assert AuditEntry.objects.filter(action="create", object_type="market.need", object_id=str(need.pk)).exists()


def test_record_offer_of_a_person_in_several_neighbourhoods(users, make_person, neighbourhood, other_neighbourhood):
    person = make_person()
    offer = services.record_offer(
        person=person,
        kind="knowhow",
        title="Insegno a cucinare",
        description="",
        by=users[Role.WORKER],
        neighbourhoods=[neighbourhood, other_neighbourhood],
    )
    assert set(offer.neighbourhoods.all()) == {neighbourhood, other_neighbourhood}
    assert AuditEntry.objects.filter(action="create", object_type="market.offer", object_id=str(offer.pk)).exists()


def test_an_offer_needs_a_neighbourhood(users, make_person):
    with pytest.raises(ValidationError):
        services.record_offer(person=make_person(), kind="time", title="x", description="", neighbourhoods=[], by=users[Role.WORKER])
    assert not Offer.objects.exists()


def test_offer_dates_in_the_wrong_order_are_refused(make_offer):
    with pytest.raises(ValidationError) as error:
        make_offer(available_from=date(2026, 5, 2), available_until=date(2026, 5, 1))
    assert "prima della data di inizio" in str(error.value)
    assert not Offer.objects.exists()


def test_a_match_goes_from_proposed_to_done_and_the_need_is_met(users, make_need, make_offer):
    worker = users[Role.WORKER]
    need, offer = make_need(), make_offer()
    match = services.propose_match(need=need, offer=offer, by=worker)
    need.refresh_from_db()
    assert need.status == Need.Status.BROKERING
    services.answer_match(match, side="need", yes=True, by=worker)
    match = services.answer_match(match, side="offer", yes=True, by=users[Role.PARTNER])
    assert match.status == Match.Status.ACCEPTED
    offer.refresh_from_db()
    assert (offer.taken, offer.status) == (1, Offer.Status.EXHAUSTED)
    services.start_match(match, by=worker, follow_up_on=date.today() + timedelta(days=7))
    services.complete_match(match, outcome="Fatta la spesa ogni sabato", by=worker)
    match.refresh_from_db()
    need.refresh_from_db()
    assert match.status == Match.Status.DONE and need.status == Need.Status.MET


def test_a_declined_match_reopens_the_need(users, make_need, make_offer):
    need = make_need()
    match = services.propose_match(need=need, offer=make_offer(), by=users[Role.WORKER])
    match = services.answer_match(match, side="offer", yes=False, by=users[Role.PARTNER])
    need.refresh_from_db()
    assert match.status == Match.Status.DECLINED and need.status == Need.Status.OPEN


def test_cancelling_an_accepted_match_gives_the_unit_back(users, make_need, make_offer):
    worker = users[Role.WORKER]
    offer = make_offer()
    match = services.propose_match(need=make_need(), offer=offer, by=worker)
    services.answer_match(match, side="need", yes=True, by=worker)
    services.answer_match(match, side="offer", yes=True, by=worker)
    services.cancel_match(match, by=worker)
    offer.refresh_from_db()
    assert (offer.taken, offer.status) == (0, Offer.Status.OPEN)


def test_a_done_match_cannot_be_started_again(users, make_need, make_offer):
    worker = users[Role.WORKER]
    match = services.propose_match(need=make_need(), offer=make_offer(), by=worker)
    with pytest.raises(ValidationError):
        services.start_match(match, by=worker)


def test_an_exhausted_offer_cannot_be_proposed(users, make_need, make_offer):
    worker = users[Role.WORKER]
    offer = make_offer()
    match = services.propose_match(need=make_need(), offer=offer, by=worker)
    services.answer_match(match, side="need", yes=True, by=worker)
    services.answer_match(match, side="offer", yes=True, by=worker)
    with pytest.raises(ValidationError):
        services.propose_match(need=make_need(), offer=Offer.objects.get(pk=offer.pk), by=worker)


def test_contribution_is_valued_with_the_coordinators_rate(users, neighbourhood, organisation, city):
    services.set_rate(city, Rate.Kind.VOLUNTEER_HOUR, Decimal("20"), by=users[Role.COORDINATOR])
    c = services.record_contribution(
        kind="hours", quantity=3, on=date.today(), neighbourhood=neighbourhood, by=users[Role.WORKER], organisation=organisation
    )
    assert c.value_eur == Decimal("60.00") and c.sector == Sector.THIRD_SECTOR


def test_space_hours_are_valued_by_area_and_default_rate(users, neighbourhood, organisation):
    c = services.record_contribution(
        kind="space_hours",
        quantity=2,
        area_sqm=Decimal("50"),
        on=date.today(),
        neighbourhood=neighbourhood,
        by=users[Role.WORKER],
        organisation=organisation,
    )
    assert c.value_eur == Decimal("25.00")


@pytest.mark.parametrize("quantity", [-2, 0, 5000])
def test_negative_zero_or_absurd_hours_are_refused(users, neighbourhood, organisation, quantity):
    with pytest.raises(ValidationError):
        services.record_contribution(
            kind="hours", quantity=quantity, on=date.today(), neighbourhood=neighbourhood, by=users[Role.WORKER], organisation=organisation
        )
    assert not Contribution.objects.exists()


def test_time_bank_balance_counts_hours_given_and_received(users, make_person, make_need, make_offer, neighbourhood):
    worker = users[Role.WORKER]
    giver, receiver = make_person(name="Dà"), make_person(name="Riceve")
    offer = make_offer(person=giver)
    match = services.propose_match(need=make_need(person=receiver), offer=offer, by=worker)
    services.record_contribution(
        kind="hours", quantity=Decimal("2.5"), on=date.today(), neighbourhood=neighbourhood, by=worker, person=giver, match=match
    )
    assert time_bank_balance(giver) == {"given": Decimal("2.5"), "received": 0, "balance": Decimal("2.5")}
    assert time_bank_balance(receiver)["received"] == Decimal("2.5")


def test_ledger_totals_by_sector_neighbourhood_and_month(users, neighbourhood, other_neighbourhood, organisation, make_person):
    worker = users[Role.COORDINATOR]  # records in both neighbourhoods
    day = date.today().replace(day=1)
    services.record_contribution(kind="hours", quantity=2, on=day, neighbourhood=neighbourhood, by=worker, organisation=organisation)
    services.record_contribution(kind="euros", quantity=100, on=day, neighbourhood=other_neighbourhood, by=worker, person=make_person())
    by_sector = {row["sector"]: row for row in ledger_totals(by=("sector",))}
    assert by_sector[Sector.THIRD_SECTOR]["hours"] == 2 and by_sector[Sector.CITIZEN]["value_eur"] == Decimal("100.00")
    rows = ledger_totals(by=("neighbourhood",), period="month")
    assert {(r["neighbourhood_id"], r["neighbourhood"], r["contributions"]) for r in rows} == {
        (neighbourhood.pk, neighbourhood.name, 1),
        (other_neighbourhood.pk, other_neighbourhood.name, 1),
    }
    assert ledger_totals(start=day + timedelta(days=400)) == []


def test_ledger_totals_keep_apart_two_neighbourhoods_with_the_same_name(make_user, make_neighbourhood, organisation):
    other_city = City.objects.create(name="Altra città", slug="altra", centre_lat=45.0, centre_lon=9.0)
    here, there = make_neighbourhood("San Rocco"), make_neighbourhood("San Rocco", city=other_city)
    renamed = make_neighbourhood("San Rocco")  # a second one of the same city, e.g. after a renaming
    everywhere = make_user(Role.COORDINATOR, city=None)  # a coordinator with no city records in both
    for where, hours in ((here, 2), (there, 3), (renamed, 5)):
        services.record_contribution(kind="hours", quantity=hours, on=date.today(), neighbourhood=where, by=everywhere, organisation=organisation)
    rows = ledger_totals(by=("neighbourhood",))
    assert {(r["neighbourhood_id"], r["neighbourhood"], r["hours"]) for r in rows} == {
        (here.pk, "San Rocco", 2),
        (there.pk, "San Rocco", 3),
        (renamed.pk, "San Rocco", 5),
    }
    assert [r["hours"] for r in ledger_totals(city=here.city, by=("neighbourhood",))] == [2, 5]


def test_a_worker_cannot_record_a_contribution_outside_their_neighbourhoods(users, other_neighbourhood, organisation):
    with pytest.raises(PermissionDenied):
        services.record_contribution(
            kind="hours", quantity=2, on=date.today(), neighbourhood=other_neighbourhood, by=users[Role.WORKER], organisation=organisation
        )
    assert not Contribution.objects.exists()


def test_a_worker_cannot_propose_a_persons_offer_from_another_neighbourhood(users, other_neighbourhood, make_person, make_need, make_offer):
    elsewhere = make_offer(person=make_person(other_neighbourhood), where=[other_neighbourhood])
    with pytest.raises(PermissionDenied):
        services.propose_match(need=make_need(), offer=elsewhere, by=users[Role.WORKER])
    assert not Match.objects.exists()


def test_a_citizen_cannot_answer_for_the_other_side(users, make_user, make_person, make_need, make_offer, neighbourhood):
    citizen = make_user(Role.CITIZEN)
    mine = make_need(person=make_person(neighbourhood, account=citizen))
    match = services.propose_match(need=mine, offer=make_offer(), by=users[Role.WORKER])
    with pytest.raises(PermissionDenied):
        services.answer_match(match, side="offer", yes=True, by=citizen)
    services.answer_match(match, side="need", yes=True, by=citizen)
    assert Match.objects.get(pk=match.pk).need_answer == "yes" and Match.objects.get(pk=match.pk).offer_answer != "yes"
