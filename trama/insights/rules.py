"""Who may see the programme's indicators: coordinators for their city, workers for their
own neighbourhoods. The open data is public and needs no rule."""

import rules

from trama.people.rules import is_coordinator, is_worker

rules.add_perm("insights.view_dashboard", is_coordinator | is_worker)
