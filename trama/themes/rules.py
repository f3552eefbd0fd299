"""Who may do what with themes, for views, API and services alike.

Theme pages show example texts people wrote: they are for staff only (coordinators in their
city, workers with examples and exact counts from their own neighbourhoods).
"""

import rules
from django.db.models import Q

from trama.access import Scope, in_city, in_neighbourhoods, is_staff_role

from .models import DiscoveryRun


def _run_of_worker(user):
    """A worker follows the runs they started or that read only (some of) their neighbourhoods."""
    through = DiscoveryRun.neighbourhoods.through
    outside = through.objects.exclude(neighbourhood_id__in=user.neighbourhood_ids()).values("discoveryrun_id")
    return in_city(user) & (Q(requested_by=user) | Q(pk__in=through.objects.values("discoveryrun_id")) & ~Q(pk__in=outside))


THEMES = Scope("themes.Theme", name="themes", coordinator=in_city, worker=in_city)
RUNS = Scope("themes.DiscoveryRun", name="runs", coordinator=in_city, worker=_run_of_worker)
ITEMS = Scope("themes.TextItem", name="text_items", coordinator=in_city, worker=in_neighbourhoods)

rules.add_perm("themes.list_themes", is_staff_role)
THEMES.grant("themes.view_theme")
THEMES.grant("themes.change_theme")
rules.add_perm("themes.run_discovery", is_staff_role)
RUNS.grant("themes.view_run")
ITEMS.grant("themes.view_item")
ITEMS.grant("themes.tag_item")
