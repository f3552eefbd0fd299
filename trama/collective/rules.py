"""Who may do what with suggestions, groups and meetings, for views, API and services alike."""

import rules
from django.db.models import Q

from trama.access import WORKER, Scope, in_city, in_neighbourhoods, is_citizen, is_coordinator, is_worker, role_of


def _member(user, prefix=""):
    return Q(**{f"{prefix}memberships__person__account": user, f"{prefix}memberships__left_at__isnull": True})


# Suggestions: coordinators see them (neighbourhood, size, purpose, key phrases); who the people
# are is for the workers of the suggestion's neighbourhood only.
SUGGESTIONS = Scope("collective.Suggestion", name="suggestions", coordinator=in_city, worker=in_neighbourhoods)
SUGGESTION_PEOPLE = Scope("collective.Suggestion", name="suggestion_people", worker=in_neighbourhoods)

GROUPS = Scope(
    "collective.Group",
    name="groups",
    distinct=True,
    coordinator=in_city,
    worker=in_neighbourhoods,
    citizen=_member,
)


def groups_by_place(user):
    """GROUPS for a worker, in the answers' index's terms: the neighbourhood ids whose groups she sees;
    None for any other role (the rule reads the rows). Kept next to GROUPS, which it must say the same as."""
    return user.neighbourhood_ids() if role_of(user) == WORKER else None


GROUPS_TO_CHANGE = Scope("collective.Group", name="groups_to_change", coordinator=in_city, worker=in_neighbourhoods)

# Meetings in full (attendance, minutes) are for staff in scope; a citizen reads the meetings of the
# groups they belong to (title, when, where), as anyone reads the public ones.
MEETINGS = Scope("collective.Meeting", name="meetings", coordinator=in_city, worker=in_neighbourhoods)
MEETINGS_OF_MY_GROUPS = Scope(
    "collective.Meeting",
    name="meetings_of_my_groups",
    distinct=True,
    citizen=lambda user: _member(user, "group__"),
)

rules.add_perm("collective.list_suggestions", is_coordinator | is_worker)
SUGGESTIONS.grant("collective.view_suggestion")
SUGGESTION_PEOPLE.grant("collective.view_suggestion_people")
SUGGESTION_PEOPLE.grant("collective.decide_suggestion")
rules.add_perm("collective.refresh_suggestions", is_coordinator | is_worker)

rules.add_perm("collective.list_groups", is_coordinator | is_worker | is_citizen)
GROUPS.grant("collective.view_group")
rules.add_perm("collective.add_group", is_coordinator | is_worker)
GROUPS_TO_CHANGE.grant("collective.change_group")

rules.add_perm("collective.view_calendar", is_coordinator | is_worker)
MEETINGS.grant("collective.view_meeting")
rules.add_perm("collective.add_meeting", is_coordinator | is_worker)
MEETINGS.grant("collective.change_meeting")
# The API's meetings: anyone reads public ones (no personal data); the views narrow the rest.
rules.add_perm("collective.read_meetings", rules.always_allow)
