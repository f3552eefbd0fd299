import rules

from trama.access import is_coordinator

rules.add_perm("privacy.view_audit", is_coordinator)
