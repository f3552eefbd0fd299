"""Who may do what in the market, for views and API alike."""

import rules

from trama.people.rules import is_citizen, is_coordinator, is_partner, is_worker, same_city


def _person_of(obj):
    return getattr(obj, "person", None)


@rules.predicate
def is_public_offer(user, offer):
    return offer is None or offer.is_public


@rules.predicate
def owns_offer(user, offer):
    if offer is None:
        return True
    person = offer.person
    return person is not None and person.account_id == user.pk


@rules.predicate
def offer_of_my_organisation(user, offer):
    if offer is None:
        return True
    offer = getattr(offer, "offer", offer)  # a match stands for its offer
    return offer.organisation_id is not None and offer.organisation.members.filter(pk=user.pk).exists()


@rules.predicate
def offer_in_my_neighbourhoods(user, offer):
    if offer is None:
        return True
    return bool(set(offer.neighbourhoods.values_list("pk", flat=True)) & set(user.neighbourhood_ids()))


@rules.predicate
def need_in_my_neighbourhoods(user, obj):
    """A need (or a match, through its need) lies in one of the user's neighbourhoods."""
    if obj is None:
        return True
    need = getattr(obj, "need", obj)
    return need.neighbourhood_id in user.neighbourhood_ids()


@rules.predicate
def owns_need(user, obj):
    if obj is None:
        return True
    need = getattr(obj, "need", obj)
    return need.person.account_id == user.pk


@rules.predicate
def is_a_side_of_match(user, match):
    if match is None:
        return True
    return match.need.person.account_id == user.pk or (match.offer.person_id and match.offer.person.account_id == user.pk)


@rules.predicate
def match_in_my_city(user, match):
    return match is None or same_city(user, match.need)


@rules.predicate
def contribution_in_my_neighbourhoods(user, contribution):
    return contribution is None or contribution.neighbourhood_id in user.neighbourhood_ids()


staff_in_scope = (is_coordinator & same_city) | (is_worker & need_in_my_neighbourhoods)

rules.add_perm("market.list_offers", rules.always_allow)
rules.add_perm(
    "market.view_offer",
    is_public_offer | (is_coordinator & same_city) | (is_worker & offer_in_my_neighbourhoods)
    | (is_partner & offer_of_my_organisation) | (is_citizen & owns_offer),
)
rules.add_perm("market.add_offer", is_coordinator | is_worker | is_partner | is_citizen)
rules.add_perm(
    "market.change_offer",
    (is_coordinator & same_city) | (is_worker & offer_in_my_neighbourhoods) | (is_partner & offer_of_my_organisation)
    | (is_citizen & owns_offer),
)

rules.add_perm("market.list_needs", is_coordinator | is_worker | is_citizen)
rules.add_perm("market.view_need", staff_in_scope | (is_citizen & owns_need))
rules.add_perm("market.add_need", is_coordinator | is_worker | is_citizen)
rules.add_perm("market.change_need", staff_in_scope | (is_citizen & owns_need))
rules.add_perm("market.broker", staff_in_scope)

rules.add_perm("market.list_matches", is_coordinator | is_worker | is_partner | is_citizen)
rules.add_perm(
    "market.view_match",
    (is_coordinator & match_in_my_city) | (is_worker & need_in_my_neighbourhoods)
    | (is_partner & offer_of_my_organisation) | (is_citizen & is_a_side_of_match),
)
rules.add_perm(
    "market.answer_match",
    (is_coordinator & match_in_my_city) | (is_worker & need_in_my_neighbourhoods)
    | (is_partner & offer_of_my_organisation) | (is_citizen & is_a_side_of_match),
)
rules.add_perm("market.manage_match", (is_coordinator & match_in_my_city) | (is_worker & need_in_my_neighbourhoods))

rules.add_perm("market.view_ledger", is_coordinator | is_worker)
rules.add_perm(
    "market.view_contribution",
    (is_coordinator & same_city) | (is_worker & contribution_in_my_neighbourhoods),
)
rules.add_perm("market.add_contribution", is_coordinator | is_worker)
rules.add_perm("market.manage_rates", is_coordinator)

# The public doors are for people without an account and for citizens; staff record for others.
rules.add_perm("market.use_public_door", ~rules.is_authenticated | is_citizen)
