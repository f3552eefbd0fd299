"""Who may see how the background tasks went: coordinators (the tasks hold no one's data, only record ids)."""

import rules

from trama.access import is_coordinator

rules.add_perm("background.view_tasks", is_coordinator)
