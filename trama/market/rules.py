"""Who may do what in the market, for views, API, services and exports alike.

Each scope below is the one place where the rows a role may see or act on are declared; the
`*_visible_to` queries and the permissions registered here both come from it.
"""

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
)

from .models import Match, Offer


def _public_offer():
    # What anyone may read of the market: open offers of organisations (no person behind them).
    return Q(status=Offer.Status.OPEN, organisation__isnull=False)


def _mine(user, field="neighbourhoods"):
    return Q(**{f"{field}__in": user.neighbourhood_ids()})


OFFERS = Scope(
    "market.Offer",
    name="offers",
    distinct=True,
    anonymous=lambda user: _public_offer(),
    coordinator=in_city,
    worker=lambda user: _public_offer() | _mine(user),
    partner=lambda user: _public_offer() | Q(organisation__members=user),
    antenna=lambda user: _public_offer(),
    citizen=lambda user: _public_offer() | Q(person__account=user),
)


def open_offers_by_place(user):
    """OFFERS for the open offers a worker may see, said the way the ranking index can read it without a
    list of ids: (True: every organisation's offer, the neighbourhood ids whose offers she sees); None
    for a role whose rule needs the rows themselves (a citizen's own offers, a partner's organisation).
    Kept next to OFFERS, which it must say the same as (test_ranking_scope checks it)."""
    if role_of(user) != WORKER:
        return None
    return True, user.neighbourhood_ids()


OFFERS_TO_CHANGE = Scope(
    "market.Offer",
    name="offers_to_change",
    distinct=True,
    coordinator=in_city,
    worker=_mine,
    partner=lambda user: Q(organisation__members=user),
    citizen=lambda user: Q(person__account=user),
)

NEEDS = Scope(
    "market.Need",
    name="needs",
    coordinator=in_city,
    worker=in_neighbourhoods,
    citizen=lambda user: Q(person__account=user),
)
# Brokering a need (seeing its candidates, proposing matches) is staff work within scope.
NEEDS_TO_BROKER = Scope("market.Need", name="needs_to_broker", coordinator=in_city, worker=in_neighbourhoods)


def _both_sides_mine(user):
    """A worker acts on a match only when both its need and its offer are theirs to see: the need in
    their neighbourhoods, the offer an organisation's or a person's in their neighbourhoods. A match to
    an activity, a group or a service has no other side: the need decides."""
    return _mine(user, "need__neighbourhood") & (Q(offer__isnull=True) | Q(offer__organisation__isnull=False) | _mine(user, "offer__neighbourhoods"))


def _a_side_of(user):
    return Q(need__person__account=user) | Q(offer__person__account=user)


MATCHES = Scope(
    "market.Match",
    name="matches",
    coordinator=lambda user: in_city(user, "need__city"),
    worker=lambda user: _mine(user, "need__neighbourhood"),
    partner=lambda user: Q(offer__organisation__members=user),
    citizen=_a_side_of,
)
MATCHES_TO_ANSWER = Scope(
    "market.Match",
    name="matches_to_answer",
    distinct=True,
    coordinator=lambda user: in_city(user, "need__city"),
    worker=_both_sides_mine,
    partner=lambda user: Q(offer__organisation__members=user),
    citizen=_a_side_of,
)


def sides_for(user, match):
    """The sides of `match` this account may answer for: both for staff who may answer it, else their own."""
    if role_of(user) in (COORDINATOR, WORKER):
        if not MATCHES_TO_ANSWER.allows(user, match):
            return []
        # An activity, a group or a service has no one to answer for it: only the person answers.
        return [Match.Side.NEED, Match.Side.OFFER] if match.offer_id else [Match.Side.NEED]
    sides = []
    if user.is_authenticated and match.need.person.account_id == user.pk:
        sides.append(Match.Side.NEED)
    offer = match.offer
    if (
        offer is not None
        and user.is_authenticated
        and (
            (offer.person_id and offer.person.account_id == user.pk)
            or (offer.organisation_id and offer.organisation.members.filter(pk=user.pk).exists())
        )
    ):
        sides.append(Match.Side.OFFER)
    return sides


def parties_of(match):
    """The accounts that hear of a match's news: the need's person, the offer's person or its
    organisation's members, and the worker who proposed it, each only while it may see the match
    (MATCHES): a worker moved to other neighbourhoods, or a member who is not a partner, hears nothing."""
    candidates = [match.need.person.account, match.proposed_by]
    if match.offer_id and match.offer.person_id:
        candidates.append(match.offer.person.account)
    if match.offer_id and match.offer.organisation_id:
        candidates += list(match.offer.organisation.members.all())
    unique = {user.pk: user for user in candidates if user is not None and user.is_active}
    return [user for user in unique.values() if MATCHES.allows(user, match)]


def owners_of(offer):
    """The accounts that look after an offer: the person's own account, or its organisation's members, each only
    while it may change the offer (OFFERS_TO_CHANGE): a member who is not a partner, or a disabled account, is left out."""
    candidates = [offer.person.account] if offer.person_id else list(offer.organisation.members.all())
    unique = {user.pk: user for user in candidates if user is not None and user.is_active}
    return [user for user in unique.values() if OFFERS_TO_CHANGE.allows(user, offer)]


MATCHES_TO_MANAGE = Scope(
    "market.Match",
    name="matches_to_manage",
    distinct=True,
    coordinator=lambda user: in_city(user, "need__city"),
    worker=_both_sides_mine,
)

# Following a match up (starting it, setting the check date, recording what was given): staff as for managing it,
# and the members of the organisation whose offer answers it. Closing or cancelling it stays with staff.
MATCHES_TO_FOLLOW = Scope(
    "market.Match",
    name="matches_to_follow",
    distinct=True,
    coordinator=lambda user: in_city(user, "need__city"),
    worker=_both_sides_mine,
    partner=lambda user: Q(offer__organisation__members=user),
)

CONTRIBUTIONS = Scope(
    "market.Contribution",
    name="contributions",
    coordinator=in_city,
    worker=in_neighbourhoods,
    partner=lambda user: Q(organisation__members=user),
    citizen=lambda user: Q(person__account=user),
)

rules.add_perm("market.list_offers", rules.always_allow)
OFFERS.grant("market.view_offer")
rules.add_perm("market.add_offer", is_coordinator | is_worker | is_partner | is_citizen)
OFFERS_TO_CHANGE.grant("market.change_offer")

rules.add_perm("market.list_needs", is_coordinator | is_worker | is_citizen)
NEEDS.grant("market.view_need")
rules.add_perm("market.add_need", is_coordinator | is_worker | is_citizen)
NEEDS.grant("market.change_need")
NEEDS_TO_BROKER.grant("market.broker")

rules.add_perm("market.list_matches", is_coordinator | is_worker | is_partner | is_citizen)
MATCHES.grant("market.view_match")
MATCHES_TO_ANSWER.grant("market.answer_match")
MATCHES_TO_MANAGE.grant("market.manage_match")
MATCHES_TO_FOLLOW.grant("market.follow_match")

# A citizen's own side of the market ("La mia attività"): only their own records, so no object to ask about.
rules.add_perm("market.see_own_activity", is_citizen)

rules.add_perm("market.view_ledger", is_coordinator | is_worker)
CONTRIBUTIONS.grant("market.view_contribution")
rules.add_perm("market.add_contribution", is_coordinator | is_worker)
rules.add_perm("market.manage_rates", is_coordinator)

# The public doors are for people without an account and for citizens; staff record for others.
rules.add_perm("market.use_public_door", ~rules.is_authenticated | is_citizen)
