"""Who may do what in the attention network, for views and API alike.

Antennas send signals and see only their own, in words that say nothing about
the person; workers see signals, outreach and encounters of their
neighbourhoods; coordinators those of their city; partners and citizens nothing.
"""

import rules

from trama.access import in_my_neighbourhoods, is_antenna, is_coordinator, is_worker, same_city


@rules.predicate
def antenna_not_suspended(user):
    """An antenna account signals unless its profile was set inactive (no profile yet: active)."""
    profile = getattr(user, "antenna", None) if user.is_authenticated else None
    return profile is None or profile.active


@rules.predicate
def sent_it(user, signal):
    if signal is None:
        return True
    return signal.sent_by_id == user.pk


@rules.predicate
def antenna_in_my_neighbourhoods(user, antenna):
    if antenna is None:
        return True
    return bool(set(antenna.account.neighbourhood_ids()) & user.neighbourhood_ids())


@rules.predicate
def antenna_in_my_city(user, antenna):
    return antenna is None or user.city_id is None or antenna.account.city_id in (None, user.city_id)


in_scope = (is_coordinator & same_city) | (is_worker & in_my_neighbourhoods)
staff = is_coordinator | is_worker

rules.add_perm("attention.send_signal", is_antenna & antenna_not_suspended)
rules.add_perm("attention.view_own_signal", is_antenna & sent_it)
# Signals, outreach and encounters: the same scope for reading and acting.
rules.add_perm("attention.view_signal", in_scope)
rules.add_perm("attention.triage_signal", in_scope)
rules.add_perm("attention.view_outreach", in_scope)
rules.add_perm("attention.change_outreach", in_scope)
rules.add_perm("attention.view_encounter", in_scope)
rules.add_perm("attention.add_encounter", in_scope)
# Antennas: onboarded by workers (in their neighbourhoods, checked by the form) and coordinators.
rules.add_perm("attention.onboard_antenna", staff)
rules.add_perm(
    "attention.view_antenna",
    (is_coordinator & antenna_in_my_city) | (is_worker & antenna_in_my_neighbourhoods),
)
rules.add_perm("attention.view_training", staff | is_antenna)
rules.add_perm("attention.manage_training", staff)
rules.add_perm("attention.view_coverage", staff)
