"""A match's news reaches its parties (the two sides and the worker who proposed it), and no one else.

Who hears is decided by the market's own rules (rules.parties_of over MATCHES); the notification and
its e-mail say only that there is news about a match, never whose or about what.
"""

import pytest
from django.core import mail
from django.forms.models import model_to_dict
from django.urls import reverse

from trama.market import services
from trama.market.models import Match
from trama.notifications.models import Kind, Notification
from trama.people.models import Role

pytestmark = pytest.mark.django_db

MARKER = "zq7 ho bisogno di aiuto con la terapia"


@pytest.fixture
def citizen(users):
    return users[Role.CITIZEN]


@pytest.fixture
def match(users, citizen, make_need, make_offer, make_person, django_capture_on_commit_callbacks):
    need = make_need(text=MARKER, person=make_person(name="Gino Rossi", account=citizen))
    with django_capture_on_commit_callbacks(execute=True):
        return services.propose_match(need=need, offer=make_offer(), by=users[Role.WORKER])


def told(kind):
    return set(Notification.objects.filter(kind=kind).values_list("recipient", flat=True))


def test_a_proposed_match_reaches_both_sides_not_the_worker_who_proposed_it(users, citizen, match, make_user, other_neighbourhood):
    assert told(Kind.MATCH_PROPOSED) == {citizen.pk, users[Role.PARTNER].pk}
    notification = Notification.objects.get(recipient=citizen)
    assert notification.url == reverse("market:match", args=[match.pk]) and notification.key == f"match_proposed:{match.pk}"
    assert sorted(m.to[0] for m in mail.outbox) == sorted([citizen.email, users[Role.PARTNER].email])


def test_nobody_else_hears_of_a_match(users, match):
    others = [users[Role.COORDINATOR], users[Role.ANTENNA]]
    assert not Notification.objects.filter(recipient__in=others).exists()


def test_an_acceptance_reaches_the_other_side_and_the_worker(users, citizen, match, django_capture_on_commit_callbacks):
    services.answer_match(match, side="need", yes=True, by=citizen)
    assert not told(Kind.MATCH_ACCEPTED)  # one side's yes settles nothing
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_match(match, side="offer", yes=True, by=users[Role.PARTNER])
    assert told(Kind.MATCH_ACCEPTED) == {citizen.pk, users[Role.WORKER].pk}


def test_a_refusal_reaches_the_other_side_and_the_worker(users, citizen, match):
    services.answer_match(match, side="offer", yes=False, by=users[Role.PARTNER])
    assert told(Kind.MATCH_DECLINED) == {citizen.pk, users[Role.WORKER].pk}


def test_starting_and_closing_reach_both_sides(users, citizen, match):
    worker = users[Role.WORKER]
    services.answer_match(match, side="need", yes=True, by=worker)
    match = services.answer_match(match, side="offer", yes=True, by=worker)
    services.start_match(match, by=worker)
    services.complete_match(Match.objects.get(pk=match.pk), outcome="Fatto", by=worker)
    assert told(Kind.MATCH_STARTED) == told(Kind.MATCH_DONE) == {citizen.pk, users[Role.PARTNER].pk}


def test_a_worker_moved_to_another_neighbourhood_hears_nothing_more(users, citizen, match, other_neighbourhood):
    worker = users[Role.WORKER]
    worker.neighbourhoods.set([other_neighbourhood])
    services.answer_match(match, side="offer", yes=False, by=users[Role.PARTNER])
    assert told(Kind.MATCH_DECLINED) == {citizen.pk}


def test_a_member_of_the_organisation_who_may_not_see_its_matches_hears_nothing(users, match, organisation, make_user):
    member = make_user(Role.CITIZEN)
    organisation.members.add(member)
    services.answer_match(match, side="need", yes=False, by=users[Role.CITIZEN])
    assert told(Kind.MATCH_DECLINED) == {users[Role.WORKER].pk, users[Role.PARTNER].pk}  # not `member`


def test_a_persons_offer_reaches_that_persons_account(users, citizen, make_need, make_offer, make_person, make_user):
    giver = make_user(Role.CITIZEN)
    offer = make_offer(person=make_person(name="Lia", account=giver))
    need = make_need(person=make_person(account=citizen))
    services.propose_match(need=need, offer=offer, by=users[Role.WORKER])
    assert told(Kind.MATCH_PROPOSED) == {citizen.pk, giver.pk}


def test_the_same_event_again_tells_no_one_twice(users, match, django_capture_on_commit_callbacks):
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        services._tell_parties(match, Kind.MATCH_PROPOSED, users[Role.WORKER])
    assert Notification.objects.count() == 2 and len(mail.outbox) == sent


def test_no_name_nor_need_reaches_a_notification_or_an_email(users, citizen, match, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_match(match, side="need", yes=True, by=citizen)
        match = services.answer_match(match, side="offer", yes=True, by=users[Role.PARTNER])
        services.start_match(match, by=users[Role.WORKER])
    assert len(mail.outbox) >= 5
    written = [str(model_to_dict(n)) for n in Notification.objects.all()]
    written += [m.subject + m.body for m in mail.outbox]
    for text in written:
        for private in (MARKER, "terapia", "Gino", "Rossi", "Associazione Il Ponte", "spesa"):
            assert private not in text
