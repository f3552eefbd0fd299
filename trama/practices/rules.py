"""Who may do what with practice sheets and the programme's bodies, for views and services alike.

Practice sheets are written to spread: workers read the approved and published ones of the whole city and
every sheet of their neighbourhoods; partners theirs (their organisation's) and the approved and published
ones. Antennas, citizens and the public read the published ones on the public pages. Only a coordinator
reviews. The bodies are institutional: staff and partners of the city read them; who sits in them by name
is for staff; partners read organisations and roles.
"""

import rules
from django.db.models import Q

from trama.access import Scope, in_city, is_coordinator, is_partner, is_worker
from trama.market.rules import NEEDS

SHARED = ("approved", "published")


def _worker_practices(user):
    return in_city(user) & (Q(neighbourhoods__in=user.neighbourhood_ids()) | Q(status__in=SHARED))


def _partner_practices(user):
    return in_city(user) & (Q(organisation__members=user) | Q(status__in=SHARED))


PRACTICES = Scope("practices.Practice", name="practices", distinct=True, coordinator=in_city, worker=_worker_practices, partner=_partner_practices)
# Writing and sending to review: staff of the sheet's neighbourhoods while it is a draft or in review,
# the partner's organisation while it is a draft; a coordinator always (in their city).
PRACTICES_TO_CHANGE = Scope(
    "practices.Practice",
    name="practices_to_change",
    distinct=True,
    coordinator=in_city,
    worker=lambda user: Q(neighbourhoods__in=user.neighbourhood_ids(), status__in=["draft", "review"]),
    partner=lambda user: Q(organisation__members=user, status="draft"),
)
PRACTICES_TO_REVIEW = Scope("practices.Practice", name="practices_to_review", coordinator=in_city)

BODIES = Scope("practices.Body", name="bodies", coordinator=in_city, worker=in_city, partner=in_city)
BODIES_TO_CHANGE = Scope("practices.Body", name="bodies_to_change", coordinator=in_city)
# Holding a meeting of a body and recording its decisions: coordinators; a worker for the tables of their neighbourhoods.
BODIES_TO_MEET = Scope(
    "practices.Body",
    name="bodies_to_meet",
    coordinator=in_city,
    worker=lambda user: Q(kind="table", neighbourhood__in=user.neighbourhood_ids()),
)


def _concerning(user):
    return (
        Q(concerns__members=user)
        | Q(responsible_organisation__members=user)
        | Q(initiative__partners__organisation__members=user)
        | Q(practice__organisation__members=user)
    )


# The decisions of the bodies: staff of the city; a partner those that concern their organisation.
DECISIONS = Scope(
    "practices.DecisionLink",
    name="body_decisions",
    distinct=True,
    coordinator=lambda user: in_city(user, "body__city"),
    worker=lambda user: in_city(user, "body__city"),
    partner=lambda user: in_city(user, "body__city") & _concerning(user),
)

rules.add_perm("practices.list_practices", is_coordinator | is_worker | is_partner)
rules.add_perm("practices.add_practice", is_coordinator | is_worker | is_partner)
PRACTICES.grant("practices.view_practice")
PRACTICES_TO_CHANGE.grant("practices.change_practice")
PRACTICES_TO_REVIEW.grant("practices.review_practice")
# "Who has done something like this?" from a need: staff who may see the need.
rules.add_perm("practices.compare_need", (is_coordinator | is_worker) & NEEDS.predicate)

rules.add_perm("practices.list_bodies", is_coordinator | is_worker | is_partner)
rules.add_perm("practices.add_body", is_coordinator)
BODIES.grant("practices.view_body")
BODIES_TO_CHANGE.grant("practices.change_body")
BODIES_TO_MEET.grant("practices.meet_body")
rules.add_perm("practices.list_decisions", is_coordinator | is_worker | is_partner)
DECISIONS.grant("practices.view_decision")
