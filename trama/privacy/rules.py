import rules

from trama.access import is_coordinator

rules.add_perm("privacy.view_audit", is_coordinator)
# Anyone signed in may ask for a copy of their own data and fetch the copies they asked for;
# staff ask for a person's through people.view_person (the person in their scope).
rules.add_perm("privacy.export_own_data", rules.is_authenticated & rules.is_active)
