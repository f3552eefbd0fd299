"""Who may do what with suggestions, groups and meetings, for views and API alike."""

import rules

from trama.access import in_my_neighbourhoods, is_citizen, is_coordinator, is_worker, same_city


@rules.predicate
def is_group_member(user, obj):
    """The citizen's own Person is a current member of the group (or of the meeting's group)."""
    if obj is None:
        return True
    group = getattr(obj, "group", obj) if not hasattr(obj, "memberships") else obj
    if group is None:
        return False
    return group.memberships.filter(person__account=user, left_at__isnull=True).exists()


staff_in_scope = (is_coordinator & same_city) | (is_worker & in_my_neighbourhoods)

# Suggestions: coordinators see them (neighbourhood, size, purpose, key phrases); who the people
# are is for the workers of the suggestion's neighbourhood only.
rules.add_perm("collective.list_suggestions", is_coordinator | is_worker)
rules.add_perm("collective.view_suggestion", staff_in_scope)
rules.add_perm("collective.view_suggestion_people", is_worker & in_my_neighbourhoods)
rules.add_perm("collective.decide_suggestion", is_worker & in_my_neighbourhoods)
rules.add_perm("collective.refresh_suggestions", is_coordinator | is_worker)

rules.add_perm("collective.list_groups", is_coordinator | is_worker | is_citizen)
rules.add_perm("collective.view_group", staff_in_scope | (is_citizen & is_group_member))
rules.add_perm("collective.add_group", is_coordinator | is_worker)
rules.add_perm("collective.change_group", staff_in_scope)

rules.add_perm("collective.view_calendar", is_coordinator | is_worker)
rules.add_perm("collective.view_meeting", staff_in_scope)
rules.add_perm("collective.add_meeting", is_coordinator | is_worker)
rules.add_perm("collective.change_meeting", staff_in_scope)
# The API's meetings: anyone reads public ones (no personal data); the views narrow the rest.
rules.add_perm("collective.read_meetings", rules.always_allow)
