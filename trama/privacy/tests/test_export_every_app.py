"""A person with data in every app: their copy holds every declared row, with every declared field."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from trama.attention.models import Antenna, Attendance, Encounter, OutreachTask, Signal, TrainingModule, TrainingSession
from trama.collective.models import Decision, Group, Meeting, Membership, Suggestion
from trama.initiatives.models import Agreement, AgreementParty, Initiative, Participation
from trama.market.models import Contribution, Match, Need, Offer
from trama.people.models import ApiToken, Role
from trama.privacy import audit, exports
from trama.privacy.models import DataExport
from trama.privacy.registry import registry
from trama.themes.models import Tag, TextItem, Theme

pytestmark = pytest.mark.django_db


def first(choices):
    return choices.values[0]


@pytest.fixture
def everywhere(make_person, make_user, city, neighbourhood, worker, organisation):
    """Gino, a citizen who is also an antenna, with a row in every model the registry declares."""
    account = make_user(Role.CITIZEN)
    gino = make_person(name="Gino Bianchi", account=account)
    hood = {"city": city, "neighbourhood": neighbourhood}
    organisation.members.add(account)
    ApiToken.issue(account, "telefono")
    TOTPDevice.objects.create(user=account, name="app")
    StaticDevice.objects.create(user=account, name="codici")
    need = Need.objects.create(person=gino, text="Cerco compagnia", **hood)
    offer = Offer.objects.create(city=city, person=gino, kind=first(Offer.Kind), title="Ripetizioni", description="Matematica")
    other_need = Need.objects.create(person=make_person(name="Lia"), text="Aiuto compiti", **hood)
    Match.objects.create(need=other_need, offer=offer, outcome="Bene")
    Contribution.objects.create(kind=first(Contribution.Kind), quantity=2, value_eur=30, person=gino, sector="third_sector",
                                on=date(2026, 1, 10), note="Due ore", **hood)
    antenna = Antenna.objects.create(account=account, kind=first(Antenna.Kind))
    module = TrainingModule.objects.create(city=city, title="Ascolto", content="…", duration_minutes=60)
    session = TrainingSession.objects.create(module=module, starts_at=timezone.now(), location="Sala civica")
    Attendance.objects.create(session=session, antenna=antenna)
    signal = Signal.objects.create(person=gino, text="Sembra solo", sent_by=make_user(Role.ANTENNA), **hood)
    OutreachTask.objects.create(neighbourhood=neighbourhood, signal=signal, assigned_to=worker, method=first(OutreachTask.Method),
                                due_date=date(2026, 2, 1), plan="Passare al mercato")
    Encounter.objects.create(neighbourhood=neighbourhood, worker=worker, person=gino, setting=first(Encounter.Setting),
                             happened_at=timezone.now(), notes="Parlato a lungo")
    item = TextItem.objects.filter(person=gino).first() or TextItem.objects.create(
        city=city, source=first(TextItem.Source), source_id=need.pk, text=need.text, person=gino, written_at=timezone.now())
    theme = Theme.objects.create(city=city, name="Solitudine")
    Tag.objects.create(item=item, theme=theme, origin=first(Tag.Origin))
    suggestion = Suggestion.objects.create(size=3, purpose="Un gruppo di cammino", signature="s1", **hood)
    suggestion.people.add(gino)
    group = Group.objects.create(name="Camminate", purpose="Camminare insieme", **hood)
    Membership.objects.create(group=group, person=gino)
    meeting = Meeting.objects.create(group=group, kind=first(Meeting.Kind), title="Primo incontro", starts_at=timezone.now(), **hood)
    meeting.attendees.add(gino)
    Decision.objects.create(meeting=meeting, text="Porta la mappa", owner=account)
    initiative = Initiative.objects.create(city=city, name="Orto", description="Un orto")
    Participation.objects.create(initiative=initiative, person=gino)
    agreement = Agreement.objects.create(city=city, kind=first(Agreement.Kind), title="Patto dell'orto", starts_on=date(2026, 3, 1))
    AgreementParty.objects.create(agreement=agreement, name="Gino Bianchi", commitments="Annaffiare")
    audit.record(account, audit.Action.LOGIN)
    DataExport.objects.create(person=gino, requested_by=account, token="gia-chiesta", status=DataExport.Status.DELIVERED,
                              delivered_at=timezone.now() - timedelta(days=1))
    return gino


def test_every_declared_model_has_a_row_of_the_person_in_the_record(everywhere):
    record = exports.record_of(everywhere)
    empty = [s["model"] for s in record["sections"] if not s["rows"]]
    assert empty == []
    for section in record["sections"]:
        declaration = registry.declarations[section["model"]]
        expected = {f.name for f in declaration.exported_fields()}
        assert all(set(row) == expected for row in section["rows"]), section["model"]
        assert not (set(declaration.hidden) | set(declaration.withheld)) & set(section["rows"][0]), section["model"]
        assert section["withheld"] == list(declaration.withheld)


def test_the_readable_copy_is_built_for_a_person_with_data_everywhere(everywhere):
    record = exports.record_of(everywhere)
    pdf = exports.build_pdf(record, everywhere)
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
