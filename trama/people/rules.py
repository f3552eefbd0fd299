"""Who may do what with accounts, people and organisations, for views and API alike."""

import rules
from django.db.models import Q

from trama.access import (
    COORDINATOR,
    WORKER,
    Scope,
    in_city,
    in_neighbourhoods,
    is_citizen,
    is_coordinator,
    is_partner,
    is_worker,
    role_of,
    same_city,
    works_in,
)

# A person's record, as staff keep it: workers only in their neighbourhoods, coordinators in their
# city. A person reads their own data from their profile, not from the staff's record page.
PEOPLE = Scope("people.Person", name="people", coordinator=in_city, worker=in_neighbourhoods)


def may_record_for(user, person, neighbourhood=None):
    """May `user` record something about `person` (placed in `neighbourhood`)?

    Staff: the person is in their scope and so is the neighbourhood; anyone else: only for themself.
    """
    if person is None or user is None:
        return False
    if role_of(user) in (COORDINATOR, WORKER):
        return PEOPLE.allows(user, person) and (neighbourhood is None or works_in(user, neighbourhood))
    return bool(user.is_authenticated and user.is_active and person.account_id == user.pk)


def may_speak_for(user, organisation):
    """May `user` record something in the name of `organisation`? Its members, and staff."""
    if organisation is None or user is None or not user.is_authenticated or not user.is_active:
        return False
    return role_of(user) in (COORDINATOR, WORKER) or organisation.members.filter(pk=user.pk).exists()


@rules.predicate
def is_member_of(user, organisation):
    """The user belongs to the organisation (or, given an object with `organisation`, to its organisation)."""
    if organisation is None:
        return False
    organisation = getattr(organisation, "organisation", organisation)
    return bool(organisation is not None and user.is_authenticated and organisation.members.filter(pk=user.pk).exists())


rules.add_perm("people.manage_accounts", is_coordinator)
# Everyone reads their own account at people:profile; account pages are for coordinators.
rules.add_perm("people.view_account", is_coordinator & same_city)
rules.add_perm("people.change_own_account", rules.is_authenticated & rules.is_active)

PEOPLE.grant("people.view_person")
rules.add_perm("people.add_person", is_coordinator | is_worker)
PEOPLE.grant("people.change_person")


def _organisations_of_worker(user):
    # An organisation working in one of the worker's neighbourhoods, or one that has none yet (just registered).
    return in_city(user) & (Q(neighbourhoods__in=user.neighbourhood_ids()) | Q(neighbourhoods__isnull=True))


# The answers' index's key for an organisation that works in no neighbourhood yet (services_by_place).
ORGANISATION_ANYWHERE = "anywhere"


def services_by_place(user):
    """ORGANISATIONS for a worker, in the answers' index's terms (market.answers, services): the keys of the
    organisations whose services she sees, her neighbourhood ids and ORGANISATION_ANYWHERE (one that has
    none yet); None for any other role (the rule reads the rows). Kept next to ORGANISATIONS, which it must
    say the same as (market's test_answers_index checks it)."""
    return [*user.neighbourhood_ids(), ORGANISATION_ANYWHERE] if role_of(user) == WORKER else None


def _organisation_kept_by(user):
    from .models import Membership

    return Q(memberships__account=user, memberships__role=Membership.Role.REFERENT)


# Organisations are not personal records, but their members are accounts: staff keep the organisations they
# work with, a partner who is a referent keeps her own. The same scope decides their profile, services and members.
ORGANISATIONS = Scope(
    "people.Organisation",
    name="organisations",
    distinct=True,
    coordinator=in_city,
    worker=_organisations_of_worker,
    partner=lambda user: Q(memberships__account=user),
)
ORGANISATIONS_TO_CHANGE = Scope(
    "people.Organisation",
    name="organisations_to_change",
    distinct=True,
    coordinator=in_city,
    worker=_organisations_of_worker,
    partner=_organisation_kept_by,
)
ORGANISATIONS.grant("people.view_organisation")
ORGANISATIONS_TO_CHANGE.grant("people.change_organisation")
rules.add_perm("people.add_organisation", is_coordinator | is_worker)
# Linking existing accounts and naming referents is the staff's. A referent invites new colleagues into her
# own organisation (as members: `services.invite_colleague`) and unlinks its members, never a referent nor herself.
rules.add_perm("people.manage_members", (is_coordinator | is_worker) & ORGANISATIONS_TO_CHANGE.predicate)
rules.add_perm("people.invite_colleague", ORGANISATIONS_TO_CHANGE.predicate)


@rules.predicate
def is_colleague_member(user, membership):
    """The membership is a plain member's, and not the user's own (asked without one: True, as `same_city`)."""
    from .models import Membership

    if membership is None:
        return True
    return bool(membership.role == Membership.Role.MEMBER and membership.account_id != user.pk)


rules.add_perm(
    "people.unlink_member",
    ((is_coordinator | is_worker) & ORGANISATIONS_TO_CHANGE.predicate) | (is_partner & ORGANISATIONS_TO_CHANGE.predicate & is_colleague_member),
)
# Merging moves other people's records (offers, agreements) between organisations: the coordination's decision.
rules.add_perm("people.merge_organisations", is_coordinator & ORGANISATIONS_TO_CHANGE.predicate)


@rules.predicate
def has_no_admin_rights(user):
    return not (user.is_staff or user.is_superuser)


# SPID and CIE sign in citizens only. The staff, partners and antennas sign in with their password (and second
# factor), so an identity whose fiscal code matches can never open, or be linked to, one of their accounts.
rules.add_perm("people.use_digital_identity", is_citizen & has_no_admin_rights)
