"""Journey 4, answers of other kinds (issue 17): among the answers to a need a worker finds an activity and a
group nearby, each labelled and explained, and proposes both; the person, signed in, accepts the activity and
joins the group: her yes enrols her, with her consent, once."""

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from trama.collective.models import Membership
from trama.collective.services import create_group
from trama.initiatives.models import Initiative, Participation
from trama.initiatives.services import create_initiative
from trama.market import services
from trama.market.models import Match
from trama.people.models import Consent, Person, Role
from trama.people.services import register_person
from trama.territory.models import Place

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_worker_proposes_an_activity_and_a_group_and_the_person_joins_both(page, phone, users, neighbourhood, city):
    worker, coordinator, citizen = users[Role.WORKER], users[Role.COORDINATOR], users[Role.CITIZEN]
    place = Place.objects.create(neighbourhood=neighbourhood, name="Circolo Il Ponte")
    activity = create_initiative(
        city=city,
        by=coordinator,
        origin="worker",
        neighbourhoods=[neighbourhood],
        name="Pranzo condiviso",
        description="Si pranza in compagnia, ognuno porta qualcosa",
        when="il martedì alle 12.30",
        place=place,
        is_public=True,
    )
    Initiative.objects.filter(pk=activity.pk).update(stage="accompanied")
    group = create_group(city=city, neighbourhood=neighbourhood, name="Pranzi insieme", purpose="Pranzare in compagnia la domenica", by=coordinator)
    walter = register_person(
        by=worker, neighbourhood=neighbourhood, display_name="Walter", channel=Person.Channel.OUTREACH, consents=[Consent.Purpose.REGISTRATION]
    )
    walter.account = citizen
    walter.save(update_fields=["account"])
    need = services.record_need(
        person=walter, text="Vorrei pranzare in compagnia qualche volta, mangio sempre da solo", neighbourhood=neighbourhood, urgency="low", by=worker
    )

    log_in(page, worker.username, PASSWORD)
    for kind, title in (("activity", "Pranzo condiviso"), ("group", "Pranzi insieme")):
        page.goto(f"/mercato/richieste/{need.pk}/")
        answer = page.get_by_test_id(f"answer-{kind}")
        expect(answer).to_contain_text(title)
        expect(answer.get_by_test_id("answer-kind")).to_have_text("Attività" if kind == "activity" else "Gruppo")
        expect(answer.get_by_test_id("explanation")).to_contain_text("Parole in comune:")
        answer.get_by_role("button", name="Proponi").click()
        expect(page.get_by_test_id("match-answer")).to_have_text(title)
        expect(page.get_by_test_id("match-status")).to_have_text("Proposto")
    page.get_by_role("button", name="Esci").click()

    matches = {m.kind: m for m in Match.objects.filter(need=need)}
    # The person answers on her phone.
    log_in(phone, citizen.username, PASSWORD)
    for kind in ("activity", "group"):
        phone.goto(f"/mercato/abbinamenti/{matches[kind].pk}/")
        phone.get_by_test_id("accept-need").click()
        expect(phone.get_by_test_id("match-status")).to_have_text("Accettato")

    assert Participation.objects.filter(initiative=activity, person=walter, left_at__isnull=True).count() == 1
    membership = Membership.objects.get(group=group, person=walter)
    assert membership.left_at is None and membership.consent_recorded_by == citizen
    assert walter.consents.filter(purpose=Consent.Purpose.GROUPS, withdrawn_at__isnull=True).count() == 1
