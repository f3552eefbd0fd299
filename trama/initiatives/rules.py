"""Who may do what with intervention objects, initiatives and agreements, for views and API alike.

Workers act on initiatives and agreements of their neighbourhoods, coordinators on their city;
partner members on the initiatives where their organisation is a partner; citizens on the
initiatives they joined. The public catalogue is open to everyone.
"""

import rules

from trama.access import is_citizen, is_coordinator, is_partner, is_worker, same_city

PUBLIC_STAGES = ("incubation", "accompanied", "autonomous")


def _initiative_of(obj):
    """An initiative, or the initiative a partner, commitment, milestone or assessment belongs to."""
    return obj if obj.__class__.__name__ == "Initiative" else obj.initiative


def _neighbourhood_ids(obj):
    cache = getattr(obj, "_prefetched_objects_cache", {})
    if "neighbourhoods" in cache:
        return {n.pk for n in cache["neighbourhoods"]}
    return set(obj.neighbourhoods.values_list("pk", flat=True))


@rules.predicate
def is_public_initiative(user, initiative):
    if initiative is None:
        return True
    return initiative.is_public and initiative.stage in PUBLIC_STAGES


@rules.predicate
def initiative_in_my_neighbourhoods(user, obj):
    if obj is None:
        return True
    return bool(_neighbourhood_ids(_initiative_of(obj)) & set(user.neighbourhood_ids()))


@rules.predicate
def initiative_in_my_city(user, obj):
    return obj is None or same_city(user, _initiative_of(obj))


@rules.predicate
def partner_of_initiative(user, obj):
    """The user's organisation is a partner of the initiative (of `obj`)."""
    if obj is None:
        return True
    from .models import Partner

    return Partner.objects.filter(initiative=_initiative_of(obj), organisation__members=user).exists()


@rules.predicate
def commitment_of_my_organisation(user, commitment):
    if commitment is None:
        return True
    return commitment.partner.organisation.members.filter(pk=user.pk).exists()


@rules.predicate
def takes_part(user, obj):
    if obj is None:
        return True
    from .models import Participation

    return Participation.objects.filter(initiative=_initiative_of(obj), person__account=user, left_at__isnull=True).exists()


@rules.predicate
def agreement_in_my_neighbourhoods(user, agreement):
    if agreement is None:
        return True
    mine = set(user.neighbourhood_ids())
    if _neighbourhood_ids(agreement) & mine:
        return True
    return agreement.initiative_id is not None and bool(_neighbourhood_ids(agreement.initiative) & mine)


staff_in_scope = (is_coordinator & initiative_in_my_city) | (is_worker & initiative_in_my_neighbourhoods)

# Catalogue of intervention objects: staff read it (with its wording guidance), coordinators keep it.
rules.add_perm("initiatives.list_objects", is_coordinator | is_worker)
rules.add_perm("initiatives.view_object", (is_coordinator | is_worker) & same_city)
rules.add_perm("initiatives.manage_objects", is_coordinator & same_city)

# Initiatives.
rules.add_perm("initiatives.view_catalogue", rules.always_allow)
rules.add_perm("initiatives.list_initiatives", is_coordinator | is_worker | is_partner | is_citizen)
rules.add_perm(
    "initiatives.view_initiative",
    staff_in_scope | (is_partner & partner_of_initiative) | (is_citizen & takes_part),
)
rules.add_perm("initiatives.add_initiative", is_coordinator | is_worker)
rules.add_perm("initiatives.change_initiative", staff_in_scope)
rules.add_perm("initiatives.view_participants", staff_in_scope)
rules.add_perm("initiatives.propose_initiative", is_partner | is_citizen)
rules.add_perm("initiatives.join", is_citizen & is_public_initiative)
rules.add_perm(
    "initiatives.change_commitment",
    (is_coordinator & initiative_in_my_city) | (is_worker & initiative_in_my_neighbourhoods)
    | (is_partner & commitment_of_my_organisation),
)

# Agreements: coordinators write them; workers read those of their neighbourhoods.
rules.add_perm("initiatives.list_agreements", is_coordinator | is_worker)
rules.add_perm(
    "initiatives.view_agreement", (is_coordinator & same_city) | (is_worker & agreement_in_my_neighbourhoods)
)
rules.add_perm("initiatives.manage_agreements", is_coordinator & same_city)
