import rules

from trama.access import is_coordinator

rules.add_perm("privacy.view_audit", is_coordinator)
# Anyone signed in may ask for a copy of their own data and fetch the copies they asked for;
# staff ask for a person's through people.view_person (the person in their scope).
rules.add_perm("privacy.export_own_data", rules.is_authenticated & rules.is_active)


@rules.predicate
def follows_erasure(user, erasure):
    """Who recorded the request, or a coordinator who may decide it (asked without one: anyone signed in)."""
    from .erasure import may_follow

    return erasure is None or may_follow(user, erasure)


@rules.predicate
def decides_erasure(user, erasure):
    from .erasure import may_decide

    return erasure is None or may_decide(user, erasure.person)


# Anyone signed in may ask for their own data to be erased, from their profile; staff record the
# request of a person in their scope through people.view_person. Coordinators decide.
rules.add_perm("privacy.erase_own_data", rules.is_authenticated & rules.is_active)
rules.add_perm("privacy.follow_erasure", rules.is_authenticated & rules.is_active & follows_erasure)
rules.add_perm("privacy.decide_erasure", is_coordinator & decides_erasure)

# Anyone signed in may correct their own data from their profile (the fields the registry lets the person
# correct); staff correct the data of a person in their scope through people.view_person, each row as
# its own app's change permission allows (privacy.rectification).
rules.add_perm("privacy.rectify_own_data", rules.is_authenticated & rules.is_active)
