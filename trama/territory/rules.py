import rules

from trama.access import in_my_neighbourhoods, is_coordinator, is_worker, same_city


@rules.predicate
def is_public_place(user, place):
    return place is None or place.is_public


rules.add_perm("territory.view_map", rules.always_allow)
rules.add_perm("territory.view_neighbourhood", rules.always_allow)
rules.add_perm("territory.view_place", is_public_place | is_coordinator | is_worker)
rules.add_perm("territory.add_place", is_coordinator | is_worker)
rules.add_perm("territory.change_place", (is_coordinator & same_city) | (is_worker & in_my_neighbourhoods))
