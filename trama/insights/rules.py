"""Who may see the programme's indicators: coordinators for their city, workers for their
own neighbourhoods. The open data is public and needs no rule."""

import rules
from django.db.models import Q

from trama.access import Scope, in_city, in_neighbourhoods, is_partner
from trama.people.rules import is_coordinator, is_worker

rules.add_perm("insights.view_dashboard", is_coordinator | is_worker)


@rules.predicate
def report_of_my_city(user, report):
    """The report was made for the user's city (asked first without a report: True then)."""
    if report is None:
        return True
    if user.city_id is None:
        from trama.territory.queries import current_city

        city = current_city()
        return city is not None and report.city_id == city.pk
    return report.city_id == user.city_id


rules.add_perm("insights.request_report", is_coordinator)
rules.add_perm("insights.view_report", is_coordinator & report_of_my_city)


# Targets and baselines of the indicators: coordinators set them for their city; workers read those of their
# neighbourhoods and of the whole city (whose figures they read with small counts hidden, see views.targets).
def _targets_of_my_neighbourhoods(user):
    return Q(neighbourhood__in=user.neighbourhood_ids()) | Q(neighbourhood__isnull=True, city_id=user.city_id)


TARGETS = Scope("insights.Target", name="targets", coordinator=in_city, worker=_targets_of_my_neighbourhoods)
TARGETS.grant("insights.view_target")
TARGETS_TO_CHANGE = Scope("insights.Target", name="targets_to_change", coordinator=in_city)
TARGETS_TO_CHANGE.grant("insights.change_target")


# Stories of change: the staff of the story's neighbourhood (coordinators in their city), and the members of
# the organisation of the partner who wrote it. Never antennas, citizens or the public.
STORIES = Scope(
    "insights.Story",
    name="stories",
    distinct=True,
    coordinator=in_city,
    worker=in_neighbourhoods,
    partner=lambda user: Q(organisation__members=user),
)
STORIES.grant("insights.view_story", "insights.withdraw_story")
rules.add_perm("insights.list_stories", is_coordinator | is_worker | is_partner)
rules.add_perm("insights.add_story", is_coordinator | is_worker | is_partner)

# Participatory reviews: the staff of the neighbourhood whose table met (the stories they select are theirs too).
REVIEWS = Scope("insights.Review", name="reviews", coordinator=in_city, worker=in_neighbourhoods)
REVIEWS.grant("insights.view_review")
rules.add_perm("insights.list_reviews", is_coordinator | is_worker)
rules.add_perm("insights.add_review", is_coordinator | is_worker)
