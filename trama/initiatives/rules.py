"""Who may do what with intervention objects, initiatives and agreements, for views, API and services alike.

Workers act on initiatives and agreements of their neighbourhoods, coordinators on their city;
partner members on the initiatives where their organisation is a partner; citizens on the
initiatives they joined. The public catalogue is open to everyone.
"""

import rules
from django.db.models import Q

from trama.access import WORKER, Scope, in_city, is_citizen, is_coordinator, is_partner, is_worker, role_of

PUBLIC_STAGES = ("incubation", "accompanied", "autonomous")


def _mine(user, prefix=""):
    return Q(**{f"{prefix}neighbourhoods__in": user.neighbourhood_ids()})


def _partner(user, prefix=""):
    return Q(**{f"{prefix}partners__organisation__members": user})


# The partner roles that run an initiative with the staff, not only support it (a host or a funder does not edit it).
CO_MANAGING_ROLES = ("promoter", "co_manager")


def _co_managing(user):
    # One Q, so both conditions hold on the same partner row.
    return Q(partners__organisation__members=user, partners__role__in=CO_MANAGING_ROLES)


def _taking_part(user, prefix=""):
    return Q(**{f"{prefix}participations__person__account": user, f"{prefix}participations__left_at__isnull": True})


INITIATIVES = Scope(
    "initiatives.Initiative",
    name="initiatives",
    distinct=True,
    coordinator=in_city,
    worker=_mine,
    partner=_partner,
    citizen=_taking_part,
)
# Changing an initiative and seeing who takes part: staff in scope.


def initiatives_by_place(user):
    """INITIATIVES for a worker, in the answers' index's terms: the neighbourhood ids whose initiatives
    she sees; None for any other role (the rule reads the rows). Kept next to INITIATIVES."""
    return user.neighbourhood_ids() if role_of(user) == WORKER else None


INITIATIVES_TO_CHANGE = Scope("initiatives.Initiative", name="initiatives_to_change", distinct=True, coordinator=in_city, worker=_mine)
# Keeping an initiative's description, commitments, milestones and participants' count up to date: staff in
# scope and the members of an organisation that promotes or co-manages it. Stage, partners and people stay with staff.
INITIATIVES_TO_CO_MANAGE = Scope(
    "initiatives.Initiative",
    name="initiatives_to_co_manage",
    distinct=True,
    coordinator=in_city,
    worker=_mine,
    partner=_co_managing,
)
# A citizen joins an initiative that is public and running.
INITIATIVES_TO_JOIN = Scope(
    "initiatives.Initiative",
    name="initiatives_to_join",
    citizen=lambda user: Q(is_public=True, stage__in=PUBLIC_STAGES),
)
COMMITMENTS_TO_CHANGE = Scope(
    "initiatives.Commitment",
    name="commitments_to_change",
    distinct=True,
    coordinator=lambda user: in_city(user, "initiative__city"),
    worker=lambda user: _mine(user, "initiative__"),
    partner=lambda user: Q(partner__organisation__members=user),
)

OBJECTS = Scope("initiatives.InterventionObject", name="intervention_objects", coordinator=in_city, worker=lambda user: Q(city_id=user.city_id))
OBJECTS_TO_MANAGE = Scope("initiatives.InterventionObject", name="intervention_objects_to_manage", coordinator=in_city)

AGREEMENTS = Scope(
    "initiatives.Agreement",
    name="agreements",
    distinct=True,
    coordinator=in_city,
    worker=lambda user: _mine(user) | _mine(user, "initiative__"),
    # A partner reads the agreements their organisation is party to ("I nostri patti"), and only those.
    partner=lambda user: Q(parties__organisation__members=user),
)
# The signed document stays with staff (it carries signatures and private persons' details): partners read the terms.
AGREEMENT_DOCUMENTS = Scope(
    "initiatives.Agreement",
    name="agreement_documents",
    distinct=True,
    coordinator=in_city,
    worker=lambda user: _mine(user) | _mine(user, "initiative__"),
)
AGREEMENTS_TO_MANAGE = Scope("initiatives.Agreement", name="agreements_to_manage", coordinator=in_city)

# Catalogue of intervention objects: staff read it (with its wording guidance), coordinators keep it.
rules.add_perm("initiatives.list_objects", is_coordinator | is_worker)
OBJECTS.grant("initiatives.view_object")
OBJECTS_TO_MANAGE.grant("initiatives.manage_objects")

# Initiatives.
rules.add_perm("initiatives.view_catalogue", rules.always_allow)
rules.add_perm("initiatives.list_initiatives", is_coordinator | is_worker | is_partner | is_citizen)
INITIATIVES.grant("initiatives.view_initiative")
rules.add_perm("initiatives.add_initiative", is_coordinator | is_worker)
INITIATIVES_TO_CHANGE.grant("initiatives.change_initiative")
INITIATIVES_TO_CHANGE.grant("initiatives.view_participants")
INITIATIVES_TO_CO_MANAGE.grant("initiatives.co_manage_initiative")
rules.add_perm("initiatives.propose_initiative", is_partner | is_citizen)
INITIATIVES_TO_JOIN.grant("initiatives.join")
COMMITMENTS_TO_CHANGE.grant("initiatives.change_commitment")

# Agreements: coordinators write them; workers read those of their neighbourhoods.
rules.add_perm("initiatives.list_agreements", is_coordinator | is_worker)
rules.add_perm("initiatives.list_our_agreements", is_partner)
AGREEMENTS.grant("initiatives.view_agreement")
AGREEMENT_DOCUMENTS.grant("initiatives.view_agreement_document")
AGREEMENTS_TO_MANAGE.grant("initiatives.manage_agreements")
