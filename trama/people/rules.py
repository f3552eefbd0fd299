"""Who may do what: the predicates every app's rules are built from.

Views use them through `rules.contrib.views.PermissionRequiredMixin` or
`request.user.has_perm`, the API through `trama.api.RulePermission`: one
decision for both.
"""

import rules

from .models import Role


def _has_role(role):
    @rules.predicate(name=f"is_{role}")
    def predicate(user):
        return bool(user and user.is_authenticated and user.is_active and user.role == role)

    return predicate


is_coordinator = _has_role(Role.COORDINATOR)
is_worker = _has_role(Role.WORKER)
is_partner = _has_role(Role.PARTNER)
is_antenna = _has_role(Role.ANTENNA)
is_citizen = _has_role(Role.CITIZEN)
is_staff_role = is_coordinator | is_worker


@rules.predicate
def same_city(user, obj):
    """The object belongs to the coordinator's city (an account or a neighbourhood-bound object)."""
    if obj is None:
        return True
    city_id = getattr(obj, "city_id", None)
    if city_id is None and hasattr(obj, "neighbourhood"):
        city_id = obj.neighbourhood.city_id
    return user.city_id is None or city_id is None or city_id == user.city_id


@rules.predicate
def in_my_neighbourhoods(user, obj):
    """The object lies in one of the neighbourhoods assigned to the user."""
    if obj is None:
        return True
    neighbourhood_id = getattr(obj, "neighbourhood_id", None)
    if neighbourhood_id is None and obj.__class__.__name__ == "Neighbourhood":
        neighbourhood_id = obj.pk
    return neighbourhood_id in user.neighbourhood_ids()


rules.add_perm("people.manage_accounts", is_coordinator)
# Everyone reads their own account at people:profile; account pages are for coordinators.
rules.add_perm("people.view_account", is_coordinator & same_city)
rules.add_perm("people.change_own_account", rules.is_authenticated & rules.is_active)


@rules.predicate
def is_the_person(user, person):
    return person is not None and user.is_authenticated and person.account_id == user.pk


@rules.predicate
def is_member_of(user, organisation):
    """The user belongs to the organisation (or, given an object with `organisation`, to its organisation)."""
    if organisation is None:
        return False
    organisation = getattr(organisation, "organisation", organisation)
    return organisation is not None and user.is_authenticated and organisation.members.filter(pk=user.pk).exists()


# People: workers only in their neighbourhoods, coordinators in their city, and the person themself.
rules.add_perm("people.view_person", (is_coordinator & same_city) | (is_worker & in_my_neighbourhoods) | is_the_person)
rules.add_perm("people.add_person", is_coordinator | is_worker)
rules.add_perm("people.change_person", (is_coordinator & same_city) | (is_worker & in_my_neighbourhoods))
rules.add_perm("people.view_organisation", rules.always_allow)
rules.add_perm("people.change_organisation", (is_coordinator & same_city) | (is_partner & is_member_of))
