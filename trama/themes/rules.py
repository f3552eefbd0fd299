"""Who may do what with themes, for views and API alike.

Theme pages show example texts people wrote: they are for staff only (coordinators in their
city, workers with examples and exact counts from their own neighbourhoods).
"""

import rules

from trama.access import in_my_neighbourhoods, is_coordinator, is_worker, is_staff_role, same_city


@rules.predicate
def run_in_my_scope(user, run):
    """A worker follows the runs they started or that read only their neighbourhoods."""
    if run is None:
        return True
    if run.requested_by_id == user.pk:
        return True
    hoods = set(run.neighbourhoods.values_list("pk", flat=True))
    return bool(hoods) and hoods <= set(user.neighbourhood_ids())


staff_of_the_city = is_staff_role & same_city

rules.add_perm("themes.list_themes", is_staff_role)
rules.add_perm("themes.view_theme", staff_of_the_city)
rules.add_perm("themes.change_theme", staff_of_the_city)
rules.add_perm("themes.run_discovery", is_staff_role)
rules.add_perm("themes.view_run", (is_coordinator & same_city) | (is_worker & same_city & run_in_my_scope))
rules.add_perm("themes.view_item", (is_coordinator & same_city) | (is_worker & in_my_neighbourhoods))
rules.add_perm("themes.tag_item", (is_coordinator & same_city) | (is_worker & in_my_neighbourhoods))
