"""Who may import lists: coordinators for their city, workers for their neighbourhoods (the rows of
other neighbourhoods are errors of the preview). An import is seen and undone by the coordinators of
its city and by the worker who made it."""

import rules

from trama.people.rules import is_coordinator, is_worker
from trama.territory.queries import city_of


@rules.predicate
def import_of_my_city(user, run):
    if run is None:
        return True
    city = city_of(user)
    return city is not None and run.city_id == city.pk


@rules.predicate
def made_it(user, run):
    return run is None or run.requested_by_id == user.pk


rules.add_perm("imports.add_import", is_coordinator | is_worker)
rules.add_perm("imports.view_import", (is_coordinator | is_worker) & import_of_my_city & (is_coordinator | made_it))
rules.add_perm("imports.undo_import", (is_coordinator | is_worker) & import_of_my_city & (is_coordinator | made_it))
