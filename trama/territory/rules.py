"""Who may do what with the map and its places. Places are community assets, not personal data;
those not public (a reserved seat, say) are for staff only. The city's settings (its neighbourhoods,
the small-count threshold) are its coordinators'."""

import rules
from django.db.models import Q

from trama.access import Scope, in_city, in_neighbourhoods, is_coordinator, is_worker


def _public(user):
    return Q(is_public=True)


PLACES = Scope(
    "territory.Place",
    name="places",
    anonymous=_public,
    coordinator=lambda user: Q(),
    worker=lambda user: Q(),
    partner=_public,
    antenna=_public,
    citizen=_public,
)
PLACES_TO_CHANGE = Scope(
    "territory.Place",
    name="places_to_change",
    coordinator=lambda user: in_city(user, "neighbourhood__city"),
    worker=in_neighbourhoods,
)

NEIGHBOURHOODS_TO_CHANGE = Scope(
    "territory.Neighbourhood",
    name="neighbourhoods_to_change",
    coordinator=lambda user: in_city(user),
)

rules.add_perm("territory.view_map", rules.always_allow)
rules.add_perm("territory.view_neighbourhood", rules.always_allow)
PLACES.grant("territory.view_place")
rules.add_perm("territory.add_place", is_coordinator | is_worker)
rules.add_perm("territory.list_places", is_coordinator | is_worker)
PLACES_TO_CHANGE.grant("territory.change_place")
# Posters are printed by who looks after the place: workers for their neighbourhoods, coordinators for the city.
PLACES_TO_CHANGE.grant("territory.print_place_poster")
# The settings page of the city and what it changes: coordinators, in their own city.
rules.add_perm("territory.manage_city", is_coordinator)
NEIGHBOURHOODS_TO_CHANGE.grant("territory.change_neighbourhood")
