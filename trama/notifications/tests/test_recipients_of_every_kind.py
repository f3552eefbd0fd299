"""Every kind of notification, set off by the code that really sends it: who hears it, and who must not.

One scenario per kind (`SCENARIOS`, checked to cover `Kind` whole). Each builds what the event needs in one
city with two neighbourhoods, sets the event off through the owning app's service or the daily reminders, and
returns who must hear it; the test then checks that exactly they did. Each scenario also names who a careless
rule would tell (the actor, a worker of the other neighbourhood, another citizen, a partner of another
organisation, a member who is not a partner): the exact equality already leaves them out, the second assertion
says why they are there.
"""

from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

import pytest
from django.core import mail
from django.utils import timezone

from trama.attention import services as attention
from trama.attention.models import Antenna, Enrolment, Signal, TrainingModule, TrainingSession
from trama.collective import services as collective
from trama.collective.models import Meeting
from trama.initiatives import services as initiatives
from trama.initiatives.models import Agreement, Initiative
from trama.insights import reports
from trama.insights.models import Report
from trama.insights.tasks import build_report
from trama.market import services as market
from trama.market.answers import OLD_NEED_DAYS
from trama.market.models import Match, Need
from trama.notifications.models import MESSAGES, Kind, Notification
from trama.notifications.tasks import send_pending_emails, send_reminders
from trama.people.models import Organisation, Role
from trama.privacy import erasure, exports

pytestmark = pytest.mark.django_db

TODAY = date(2026, 5, 20)
SHOPPING = [
    "Non riesco a portare a casa la spesa, è troppo pesante per me",
    "Mi servirebbe aiuto per portare la spesa pesante fino al terzo piano",
    "Da sola non ce la faccio più a fare la spesa e portarla a casa",
    "Cerco qualcuno che mi aiuti a portare la spesa pesante",
    "La spesa è pesante e non ho la macchina per portarla a casa",
    "Aiuto a fare la spesa: le borse sono pesanti da portare",
]
# Words of the records behind the events: none may reach an e-mail.
PRIVATE = ("Anna", "Bruno", "spesa", "quarto piano", "Pranzo")


@pytest.fixture
def w(city, neighbourhood, other_neighbourhood, make_user, make_person, users, organisation):
    """The world: staff of both neighbourhoods, two antennas, three citizens with their records, two organisations."""
    other_organisation = Organisation.objects.create(city=city, name="Bottega di via Roma", sector=Organisation.Sector.BUSINESS)
    other_partner = make_user(Role.PARTNER)
    other_organisation.members.add(other_partner)
    # A citizen member of the partner organisation: a member, but not in the partner role.
    member_not_partner = make_user(Role.CITIZEN)
    organisation.members.add(member_not_partner)
    antenna, other_antenna = users[Role.ANTENNA], make_user(Role.ANTENNA, [neighbourhood])
    for account in (antenna, other_antenna):
        Antenna.objects.create(account=account, kind=Antenna.Kind.PHARMACY)
    citizen, giver, stranger = make_user(Role.CITIZEN), make_user(Role.CITIZEN), make_user(Role.CITIZEN)
    return SimpleNamespace(
        city=city,
        nb=neighbourhood,
        coordinator=users[Role.COORDINATOR],
        worker=users[Role.WORKER],
        other_worker=make_user(Role.WORKER, [other_neighbourhood]),
        partner=users[Role.PARTNER],
        other_partner=other_partner,
        member_not_partner=member_not_partner,
        organisation=organisation,
        antenna=antenna,
        other_antenna=other_antenna,
        citizen=citizen,
        anna=make_person(name="Anna", account=citizen),
        giver=giver,
        bruno=make_person(name="Bruno", account=giver),
        stranger=stranger,
        stranger_person=make_person(name="Carla", account=stranger),
    )


# -- helpers: the records the events are about --------------------------------------------------


def _need(w, text="Mi servirebbe qualcuno che mi accompagni a fare la spesa", person=None):
    return market.record_need(person=person or w.anna, text=text, neighbourhood=w.nb, urgency="medium", by=w.coordinator)


def _offer(w, person=None, organisation=None, **fields):
    return market.record_offer(
        person=person,
        organisation=organisation,
        kind="time",
        title="Accompagno a fare la spesa",
        description="",
        neighbourhoods=[w.nb],
        by=w.coordinator,
        **fields,
    )


def _proposed(w, organisation=False):
    offer = _offer(w, organisation=w.organisation) if organisation else _offer(w, person=w.bruno)
    return market.propose_match(need=_need(w), offer=offer, by=w.worker)


def _accepted(w, organisation=False):
    match = _proposed(w, organisation)
    market.answer_match(match, side=Match.Side.NEED, yes=True, by=w.citizen)
    market.answer_match(match, side=Match.Side.OFFER, yes=True, by=w.partner if organisation else w.giver)
    return Match.objects.get(pk=match.pk)


def _remind(day=TODAY):
    send_reminders.call(day.isoformat())


def _group_with_anna(w):
    group = collective.create_group(
        city=w.city, neighbourhood=w.nb, name="Spesa insieme", purpose="Fare la spesa insieme", by=w.coordinator, facilitator=w.worker
    )
    collective.add_member(group, w.anna, by=w.coordinator, consent=True)
    return group


def _meeting(w, group, starts_at):
    return collective.save_meeting(Meeting(group=group, title="Primo incontro", starts_at=starts_at), by=w.coordinator)


def _initiative_with_partner(w):
    initiative = initiatives.create_initiative(
        city=w.city, by=w.coordinator, origin=Initiative.Origin.WORKER, neighbourhoods=[w.nb], name="Pranzo della domenica", description="Un pranzo."
    )
    initiatives.add_partner(initiative, organisation=w.organisation, role="host", by=w.coordinator)
    return initiative


# -- one scenario per kind: set the event off, return (who must hear, who a careless rule would tell) -------


def match_proposed(w):
    _proposed(w)
    return {w.citizen, w.giver}, {w.worker, w.other_worker, w.stranger, w.partner}


def match_accepted(w):
    _accepted(w)
    # The offering citizen's yes settled it: she knows.
    return {w.citizen, w.worker}, {w.giver, w.other_worker, w.stranger}


def match_declined(w):
    match = _proposed(w)
    market.answer_match(match, side=Match.Side.OFFER, yes=False, by=w.giver)
    return {w.citizen, w.worker}, {w.giver, w.other_worker, w.stranger}


def match_started(w):
    market.start_match(_accepted(w, organisation=True), by=w.worker)
    return {w.citizen, w.partner}, {w.worker, w.other_partner, w.member_not_partner, w.stranger}


def match_done(w):
    match = _accepted(w, organisation=True)
    market.start_match(match, by=w.worker)
    market.complete_match(Match.objects.get(pk=match.pk), outcome="Fatto", by=w.worker)
    return {w.citizen, w.partner}, {w.worker, w.other_partner, w.member_not_partner, w.stranger}


def _signal(w):
    attention.send_signal(by=w.other_antenna, neighbourhood=w.nb, text="Un'altra situazione", urgency=Signal.Urgency.MEDIUM)
    return attention.send_signal(by=w.antenna, neighbourhood=w.nb, text="Signora sola al quarto piano", urgency=Signal.Urgency.MEDIUM)


def _outreach(w, signal):
    return attention.plan_outreach(by=w.worker, signal=signal, assigned_to=w.worker, method="phone", due_date=timezone.localdate())


def signal_taken_up(w):
    _outreach(w, _signal(w))
    return {w.antenna}, {w.other_antenna, w.worker, w.other_worker, w.coordinator}


def signal_contacted(w):
    signal = _signal(w)
    _outreach(w, signal)
    attention.record_encounter(by=w.worker, neighbourhood=w.nb, setting="home", happened_at=timezone.now(), signal=signal)
    return {w.antenna}, {w.other_antenna, w.worker, w.other_worker}


def signal_closed(w):
    attention.triage(_signal(w), by=w.worker, outcome="referred", note="Servizio sociale")
    return {w.antenna}, {w.other_antenna, w.worker, w.other_worker}


def export_ready(w):
    exports.request_export(w.worker, w.anna)
    return {w.worker}, {w.citizen, w.coordinator, w.other_worker}


def report_ready(w, monkeypatch):
    monkeypatch.setattr(reports, "collect", lambda city, period, progress: {})
    monkeypatch.setattr(reports, "build_pdf", lambda data, progress: b"%PDF-")
    report = Report.objects.create(city=w.city, period="2025", kind=Report.Kind.PDF, requested_by=w.coordinator)
    build_report.call(report.pk)
    return {w.coordinator}, {w.worker, w.partner}


def match_not_started(w, settings):
    settings.TRAMA_MATCH_START_REMINDER_DAYS = 7
    match = _accepted(w)
    Match.objects.filter(pk=match.pk).update(updated_at=timezone.make_aware(datetime.combine(TODAY - timedelta(days=8), time(10))))
    _remind()
    return {w.worker}, {w.other_worker, w.citizen, w.giver}


def meeting_tomorrow(w):
    _meeting(w, _group_with_anna(w), timezone.make_aware(datetime.combine(TODAY + timedelta(days=1), time(18))))
    _remind()
    return {w.worker, w.citizen}, {w.stranger, w.other_worker, w.coordinator}


def agreement_expiring(w):
    agreement = Agreement.objects.create(
        city=w.city, kind=Agreement.Kind.PACT, title="Patto", subject="Cura del giardino", starts_on=TODAY - timedelta(days=300),
        ends_on=TODAY + timedelta(days=10), status=Agreement.Status.ACTIVE,
    )  # fmt: skip
    agreement.neighbourhoods.set([w.nb])
    _remind()
    return {w.coordinator, w.worker}, {w.other_worker, w.partner}


def follow_up_due(w):
    match = _accepted(w)
    market.set_follow_up(match, TODAY + timedelta(days=1), by=w.worker)
    _remind(TODAY)  # the day before
    _remind(TODAY + timedelta(days=1))  # on the day
    _remind(TODAY + timedelta(days=1))  # once each
    assert Notification.objects.filter(kind=Kind.FOLLOW_UP_DUE).count() == 2
    return {w.worker}, {w.other_worker, w.citizen, w.giver}


def minutes_published(w):
    meeting = _meeting(w, _group_with_anna(w), timezone.now() - timedelta(hours=2))
    collective.record_attendance(meeting, by=w.coordinator, minutes="Si è parlato della spesa di Anna")
    collective.record_attendance(meeting, by=w.coordinator, minutes="Corretto")  # written again: not news
    # Anna is a participant, but a member does not read minutes (MEETINGS is for staff).
    return {w.worker}, {w.coordinator, w.citizen, w.other_worker, w.stranger}


def milestone_due(w):
    initiative = _initiative_with_partner(w)
    initiatives.add_milestone(initiative, title="Primo pranzo", due_date=TODAY + timedelta(days=3), by=w.coordinator)
    initiatives.add_milestone(initiative, title="Fra due mesi", due_date=TODAY + timedelta(days=60), by=w.coordinator)
    _remind()
    return {w.partner}, {w.other_partner, w.member_not_partner, w.worker, w.coordinator}


def _offers_ending(w, ends):
    _offer(w, person=w.bruno, available_until=ends)
    _offer(w, organisation=w.organisation, available_until=ends)
    _offer(w, person=w.stranger_person, available_until=TODAY + timedelta(days=40))  # not yet
    _remind()


def offer_expiring(w):
    _offers_ending(w, TODAY + timedelta(days=3))
    return {w.giver, w.partner}, {w.stranger, w.member_not_partner, w.other_partner, w.worker, w.coordinator}


def offer_expired(w):
    _offers_ending(w, TODAY - timedelta(days=1))
    return {w.giver, w.partner}, {w.stranger, w.member_not_partner, w.other_partner, w.worker, w.coordinator}


def group_proposed(w, make_person):
    for text in SHOPPING:
        _need(w, text, person=make_person(w.nb, name="Vicina"))
    collective.refresh_suggestions(w.city)
    collective.refresh_suggestions(w.city)  # found again: told once
    return {w.worker}, {w.other_worker, w.coordinator, w.citizen}


def erasure_confirmed(w):
    request = erasure.request_erasure(w.worker, w.anna)
    erasure.confirm(w.coordinator, request)
    return {w.worker}, {w.coordinator, w.citizen, w.other_worker}


def antenna_application(w):
    attention.apply_to_be_antenna(city=w.city, neighbourhood=w.nb, name="Franca", kind="pharmacy", address="", email="franca@example.org", phone="")
    # Only the workers of the neighbourhood chosen review it: not the coordinator, nor anyone outside the staff.
    return {w.worker}, {w.other_worker, w.coordinator, w.partner, w.antenna, w.citizen}


def training_tomorrow(w):
    module = TrainingModule.objects.create(city=w.city, title="Accorgersi", content="x", duration_minutes=60)
    session = TrainingSession.objects.create(
        module=module, starts_at=timezone.make_aware(datetime.combine(TODAY + timedelta(days=1), time(18))), location="Sala civica"
    )
    Enrolment.objects.create(session=session, antenna=w.antenna.antenna)
    _remind()
    # Only who enrolled: not the other antenna of the neighbourhood, nor the staff who run the session.
    return {w.antenna}, {w.other_antenna, w.worker, w.coordinator}


def strong_answer(w, settings):
    settings.TRAMA_MARKET_EMBED_ON_SAVE = True  # the notice comes from the task that embeds the new offer
    need = _need(w)
    Need.objects.filter(pk=need.pk).update(created_at=timezone.now() - timedelta(days=OLD_NEED_DAYS + 1))
    _offer(w, organisation=w.organisation)
    return {w.worker}, {w.other_worker, w.coordinator, w.citizen, w.partner}


SCENARIOS = {
    Kind.MATCH_PROPOSED: match_proposed,
    Kind.MATCH_ACCEPTED: match_accepted,
    Kind.MATCH_DECLINED: match_declined,
    Kind.MATCH_STARTED: match_started,
    Kind.MATCH_DONE: match_done,
    Kind.SIGNAL_TAKEN_UP: signal_taken_up,
    Kind.SIGNAL_CONTACTED: signal_contacted,
    Kind.SIGNAL_CLOSED: signal_closed,
    Kind.EXPORT_READY: export_ready,
    Kind.REPORT_READY: report_ready,
    Kind.MATCH_NOT_STARTED: match_not_started,
    Kind.MEETING_TOMORROW: meeting_tomorrow,
    Kind.AGREEMENT_EXPIRING: agreement_expiring,
    Kind.FOLLOW_UP_DUE: follow_up_due,
    Kind.MINUTES_PUBLISHED: minutes_published,
    Kind.MILESTONE_DUE: milestone_due,
    Kind.OFFER_EXPIRING: offer_expiring,
    Kind.OFFER_EXPIRED: offer_expired,
    Kind.GROUP_PROPOSED: group_proposed,
    Kind.ERASURE_CONFIRMED: erasure_confirmed,
    Kind.ANTENNA_APPLICATION: antenna_application,
    Kind.STRONG_ANSWER: strong_answer,
    Kind.TRAINING_TOMORROW: training_tomorrow,
}


def test_every_kind_has_its_scenario():
    assert set(SCENARIOS) == set(Kind)


@pytest.mark.parametrize("kind", list(SCENARIOS), ids=str)
def test_who_hears_and_who_must_not(kind, w, request, django_capture_on_commit_callbacks):
    scenario = SCENARIOS[kind]
    extra = {name: request.getfixturevalue(name) for name in scenario.__code__.co_varnames[1 : scenario.__code__.co_argcount]}
    with django_capture_on_commit_callbacks(execute=True):
        expected, tempted = scenario(w, **extra)
    told = set(Notification.objects.filter(kind=kind).values_list("recipient", flat=True))
    assert told == {user.pk for user in expected}
    assert not told & {user.pk for user in tempted}
    assert not {user.pk for user in expected} & {user.pk for user in tempted}


@pytest.mark.parametrize("kind", list(SCENARIOS), ids=str)
def test_what_it_says_is_generic(kind):
    assert "apri Trama" in str(MESSAGES[kind])


def test_the_e_mails_say_nothing_of_the_records(w, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        offer_expiring(w)
        minutes_published(w)
        signal_closed(w)
    send_pending_emails.call()
    assert mail.outbox
    for message in mail.outbox:
        for private in PRIVATE:
            assert private not in message.body and private not in message.subject
