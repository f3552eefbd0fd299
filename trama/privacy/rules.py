import rules

from trama.people.rules import is_coordinator

rules.add_perm("privacy.view_audit", is_coordinator)
