"""A need answered by an activity or a group (issue 17: a match without an offer) counts where the
indicators already look: the person takes part in the activity (G5) and her need was carried into a group
that met (G4); nothing counts before she accepts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from trama.collective.models import Meeting
from trama.collective.services import create_group
from trama.initiatives.models import Initiative
from trama.initiatives.services import create_initiative
from trama.insights import figures, indicators, periods
from trama.insights.queries import areas_for
from trama.market import services as market
from trama.market.models import Match
from trama.people.models import Role

pytestmark = pytest.mark.django_db


def _figure(key, city, coordinator):
    areas = areas_for(coordinator, city)
    result = figures.evaluate([indicators.REGISTRY[key]], city, periods.default(), areas)[key]
    return {area.label: result[area.key].value for area in areas}


def test_an_accepted_activity_and_group_count_as_taking_part_and_as_a_need_in_a_group(users, city, neighbourhood, make_person):
    coordinator = users[Role.COORDINATOR]
    activity = create_initiative(
        city=city,
        by=coordinator,
        origin="worker",
        neighbourhoods=[neighbourhood],
        name="Pranzo condiviso",
        description="Pranzo in compagnia",
        is_public=True,
    )
    Initiative.objects.filter(pk=activity.pk).update(stage="accompanied")
    group = create_group(city=city, neighbourhood=neighbourhood, name="Pranzi insieme", purpose="Pranzare in compagnia", by=coordinator)
    Meeting.objects.create(city=city, neighbourhood=neighbourhood, group=group, title="Primo pranzo", starts_at=timezone.now() - timedelta(seconds=1))
    person = make_person()
    need = market.record_need(person=person, text="Vorrei pranzare in compagnia", neighbourhood=neighbourhood, urgency="low", by=coordinator)
    for kind, target in (("activity", activity.pk), ("group", group.pk)):
        market.propose_answer(need=need, kind=kind, target_id=target, by=coordinator)

    # Proposed, not accepted: nobody takes part (no participation at all yet: no figure), no need in a group.
    assert _figure("g5_participants", city, coordinator)["Borgo Alto"] in (None, 0)
    assert _figure("g4_needs_in_groups", city, coordinator)["Borgo Alto"] == 0

    for match in Match.objects.filter(need=need):
        market.answer_match(match, side="need", yes=True, by=coordinator)
    assert _figure("g5_participants", city, coordinator)["Borgo Alto"] == 1
    assert _figure("g4_needs_in_groups", city, coordinator)["Borgo Alto"] == 1.0
