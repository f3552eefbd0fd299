"""A person with data in every app, shared by the tests of the copy (art. 15) and of the erasure (art. 17).

Every text written about them carries a marker of its own (MARKERS), so a test can look for it in
every table; their rows are dated in 2025, a closed period, so its indicators can be compared.
"""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from trama.attention.models import (
    Antenna,
    AntennaApplication,
    Attendance,
    Encounter,
    Enrolment,
    LessonDone,
    ModuleCompleted,
    OutreachTask,
    Signal,
    TrainingModule,
    TrainingSession,
)
from trama.collective.models import Decision, Group, Meeting, Membership, Suggestion
from trama.imports.models import Change, Import
from trama.initiatives.models import Agreement, AgreementParty, Initiative, Participation
from trama.insights.models import Story
from trama.market.models import Contribution, Match, Need, Offer
from trama.notifications.models import Kind, Notification, Preference, PushSubscription, QuietHours, SmsNumber, UnreachableAddress
from trama.people.models import ApiToken, DigitalIdentity, Person, Role
from trama.practices.models import Body, Mandate
from trama.privacy import audit
from trama.privacy.models import DataExport, ErasureRequest, Rectification
from trama.themes.models import Tag, TextItem, Theme

PSEUDONYM = "Ginozq"
FIRST_NAME, LAST_NAME = "Luigizq", "Bianchizq"
FULL_NAME = f"{FIRST_NAME} {LAST_NAME}"
# One marker per text about the person: none may be left anywhere once they are erased.
MARKERS = {
    "need": "zqneed cerco compagnia",
    "offer_title": "zqoffertitle ripetizioni",
    "offer": "zqoffer matematica",
    "outcome": "zqoutcome bene",
    "reasons": "zqreasons matematica",
    "feedback": "zqfeedback grazie",
    "contribution": "zqcontribution due ore",
    "signal": "zqsignal sembra solo",
    "outcome_note": "zqoutcomenote preso in carico",
    "plan": "zqplan passare al mercato",
    "result": "zqresult trovato",
    "encounter": "zqencounter parlato a lungo",
    "commitments": "zqcommitments annaffiare",
    "erasure_reason": "zqerasure chiesta al telefono",
    "rectification_reason": "zqrectification cognome scritto male",
    "story": "zqstory ha ripreso a uscire",
}
IN_2025 = timezone.make_aware(datetime(2025, 5, 10, 10, 0))


def first(choices):
    return choices.values[0]


@pytest.fixture
def everywhere(make_person, make_user, city, neighbourhood, worker, organisation):
    """Gino, a citizen who is also an antenna, with a row in every model the registry declares."""
    account = make_user(Role.CITIZEN, first_name=FIRST_NAME, last_name=LAST_NAME)
    gino = make_person(name=PSEUDONYM, account=account, known=False)
    Person.objects.filter(pk=gino.pk).update(first_name=FIRST_NAME, last_name=LAST_NAME, phone="+39 0521 000000", first_contact_at=IN_2025)
    gino.refresh_from_db()
    hood = {"city": city, "neighbourhood": neighbourhood}
    organisation.members.add(account)
    ApiToken.issue(account, "telefono")
    DigitalIdentity.objects.create(account=account, fiscal_code_digest="f" * 64, kind=first(DigitalIdentity.Kind))
    TOTPDevice.objects.create(user=account, name="app")
    StaticDevice.objects.create(user=account, name="codici")
    need = Need.objects.create(person=gino, text=MARKERS["need"], **hood)
    offer = Offer.objects.create(city=city, person=gino, kind=first(Offer.Kind), title=MARKERS["offer_title"], description=MARKERS["offer"])
    offer.neighbourhoods.add(neighbourhood)
    other_need = Need.objects.create(person=make_person(name="Lia"), text="Aiuto compiti", **hood)
    Match.objects.create(
        need=other_need,
        offer=offer,
        outcome=MARKERS["outcome"],
        offer_feedback=MARKERS["feedback"],
        reasons=[f"Parole in comune: {MARKERS['reasons']}."],
    )
    Contribution.objects.create(
        kind=first(Contribution.Kind),
        quantity=2,
        value_eur=30,
        person=gino,
        sector="third_sector",
        on=date(2025, 5, 10),
        note=MARKERS["contribution"],
        **hood,
    )
    antenna = Antenna.objects.create(account=account, kind=first(Antenna.Kind))
    module = TrainingModule.objects.create(city=city, title="Ascolto", content="…", duration_minutes=60)
    session = TrainingSession.objects.create(module=module, starts_at=IN_2025, location="Sala civica")
    Attendance.objects.create(session=session, antenna=antenna)
    Enrolment.objects.create(session=session, antenna=antenna, enrolled_at=IN_2025)
    # She applied from "Diventa antenna" and was accepted; she followed the online training.
    AntennaApplication.objects.create(
        city=city, neighbourhood=neighbourhood, name=f"{FIRST_NAME} {LAST_NAME}", kind="shop", phone="333 1234567", consent_at=IN_2025,
        created_at=IN_2025, status="accepted", account=account,
    )  # fmt: skip
    LessonDone.objects.create(account=account, module="accorgersi", lesson="antenna")
    ModuleCompleted.objects.create(account=account, module="accorgersi")
    signal = Signal.objects.create(
        person=gino, text=MARKERS["signal"], outcome_note=MARKERS["outcome_note"], sent_by=make_user(Role.ANTENNA), created_at=IN_2025, **hood
    )
    OutreachTask.objects.create(
        neighbourhood=neighbourhood,
        signal=signal,
        assigned_to=worker,
        method=first(OutreachTask.Method),
        due_date=date(2025, 6, 1),
        plan=MARKERS["plan"],
        result=MARKERS["result"],
    )
    Encounter.objects.create(
        neighbourhood=neighbourhood, worker=worker, person=gino, setting=first(Encounter.Setting), happened_at=IN_2025, notes=MARKERS["encounter"]
    )
    item = TextItem.objects.filter(person=gino, source=TextItem.Source.NEED).first() or TextItem.objects.create(
        city=city, source=TextItem.Source.NEED, source_id=need.pk, text=need.text, person=gino
    )
    TextItem.objects.filter(pk=item.pk).update(written_at=IN_2025, neighbourhood=neighbourhood, embedding=b"\x00" * 16)
    theme = Theme.objects.create(city=city, name="Solitudine")
    Tag.objects.create(item=item, theme=theme, origin=first(Tag.Origin))
    suggestion = Suggestion.objects.create(
        size=3,
        purpose="Un gruppo di cammino",
        signature="s1",
        **hood,
        items=[{"source": "need", "id": need.pk, "key": f"person:{gino.pk}"}, {"source": "signal", "id": 0, "key": "signal:0"}],
        key_phrases=[MARKERS["need"]],
    )
    suggestion.people.add(gino)
    group = Group.objects.create(name="Camminate", purpose="Camminare insieme", **hood)
    Membership.objects.create(group=group, person=gino, joined_at=IN_2025)
    meeting = Meeting.objects.create(
        group=group,
        kind=first(Meeting.Kind),
        title="Primo incontro",
        starts_at=IN_2025,
        minutes=f"Presenti in tre. {PSEUDONYM} propone un giro al parco.",
        **hood,
    )
    meeting.attendees.add(gino)
    # A neighbourhood table that names him in its minutes, without him there.
    Meeting.objects.create(
        kind=Meeting.Kind.TABLE,
        title="Tavolo di maggio",
        starts_at=IN_2025 + timedelta(days=3),
        agenda=f"Il caso di {FULL_NAME}",
        minutes=f"Si parla di {FULL_NAME.upper()} e del suo orto.",
        **hood,
    )
    # The meeting's decision is the group's text: only his name is his.
    Decision.objects.create(meeting=meeting, text=f"Porta la mappa: se ne occupa {PSEUDONYM}", owner=account)
    initiative = Initiative.objects.create(city=city, name="Orto", description="Un orto")
    initiative.neighbourhoods.add(neighbourhood)
    Participation.objects.create(initiative=initiative, person=gino, joined_at=IN_2025)
    agreement = Agreement.objects.create(city=city, kind=first(Agreement.Kind), title="Patto dell'orto", starts_on=date(2025, 3, 1))
    AgreementParty.objects.create(agreement=agreement, name=FULL_NAME, commitments=f"{MARKERS['commitments']} ({PSEUDONYM})")
    # A story of change about him, told with his consent; and his mandate on the steering group.
    Story.objects.create(
        city=city, neighbourhood=neighbourhood, title="Di nuovo in piazza", what_changed=MARKERS["story"], for_whom="un vicino",
        why_it_matters="Il quartiere lo ritrova", person=gino, consent_form=first(Story.ConsentForm), consent_at=IN_2025, author=worker,
    )  # fmt: skip
    body = Body.objects.create(city=city, kind=first(Body.Kind), name="Cabina di regia")
    Mandate.objects.create(body=body, member=account, member_name=FULL_NAME, role="Rappresentante dei cittadini", starts_on=date(2025, 1, 1))
    # The time bank's list that brought him in, updated once: the values it replaced are kept to undo it.
    time_bank = Import.objects.create(city=city, kind=Import.Kind.PEOPLE, filename="banca-del-tempo.xlsx", content=b"", requested_by=worker)
    Change.objects.create(
        run=time_bank, action=Change.Action.UPDATED, object_id=gino.pk, external_id="BT-7", person=gino,
        previous={"display_name": PSEUDONYM, "phone": "0521 000000"}, written={"display_name": PSEUDONYM}, created_at=IN_2025,
    )  # fmt: skip
    audit.record(account, audit.Action.LOGIN)
    DataExport.objects.create(
        person=gino, requested_by=account, token="gia-chiesta", status=DataExport.Status.DELIVERED, delivered_at=timezone.now() - timedelta(days=1)
    )
    ErasureRequest.objects.create(
        person=gino,
        requested_by=worker,
        reason=MARKERS["erasure_reason"],
        status=ErasureRequest.Status.REFUSED,
        refusal_reason="Obbligo di legge, poi venuto meno",
    )
    Rectification.objects.create(person=gino, made_by=worker, reason=MARKERS["rectification_reason"], fields=["people.person.last_name"])
    Notification.objects.create(recipient=account, kind=Kind.MATCH_PROPOSED, url="/mercato/abbinamenti/1/", key="match_proposed:1")
    Preference.objects.create(account=account, kind=Kind.SIGNAL_CLOSED, email=True)
    QuietHours.objects.create(account=account, starts=time(22, 0), ends=time(7, 0))
    SmsNumber.objects.create(account=account, number="+393331234567")
    PushSubscription.objects.create(account=account, endpoint="https://push.example.org/send/abc", p256dh="B" + "A" * 86, auth="A" * 22)
    UnreachableAddress.objects.create(account=account, channel=UnreachableAddress.Channel.SMS, address="+393331234567", reason="SmsInvalidNumber 422")
    Need.objects.filter(person=gino).update(created_at=IN_2025)
    Offer.objects.filter(person=gino).update(created_at=IN_2025)
    return gino
