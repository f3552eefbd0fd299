"""Who may do what in the attention network, for views, API and services alike.

Antennas send signals and see only their own, in words that say nothing about
the person; workers see signals, outreach and encounters of their
neighbourhoods; coordinators those of their city; partners and citizens nothing.
"""

import rules
from django.db.models import Q

from trama.access import Scope, in_city, in_neighbourhoods, is_antenna, is_coordinator, is_worker


@rules.predicate
def antenna_not_suspended(user):
    """An antenna account signals unless its profile was set inactive (no profile yet: active)."""
    profile = getattr(user, "antenna", None) if user.is_authenticated else None
    return profile is None or bool(profile.active)


def _city_of_neighbourhood(user):
    return in_city(user, "neighbourhood__city")


# Signals, outreach and encounters: the same scope for reading and acting.
SIGNALS = Scope("attention.Signal", name="signals", coordinator=_city_of_neighbourhood, worker=in_neighbourhoods)
SIGNALS_SENT = Scope("attention.Signal", name="signals_sent", antenna=lambda user: Q(sent_by=user))
OUTREACH = Scope("attention.OutreachTask", name="outreach", coordinator=_city_of_neighbourhood, worker=in_neighbourhoods)
ENCOUNTERS = Scope("attention.Encounter", name="encounters", coordinator=_city_of_neighbourhood, worker=in_neighbourhoods)
ANTENNAS = Scope(
    "attention.Antenna",
    name="antennas",
    distinct=True,
    coordinator=lambda user: in_city(user, "account__city"),
    worker=lambda user: in_neighbourhoods(user, "account__neighbourhoods"),
)

# Applications to become an antenna: the workers of the neighbourhood chosen, the coordinators of the city.
APPLICATIONS = Scope("attention.AntennaApplication", name="antenna_applications", coordinator=lambda user: in_city(user), worker=in_neighbourhoods)

staff = is_coordinator | is_worker

rules.add_perm("attention.send_signal", is_antenna & antenna_not_suspended)
SIGNALS_SENT.grant("attention.view_own_signal")
SIGNALS.grant("attention.view_signal")
SIGNALS.grant("attention.triage_signal")
OUTREACH.grant("attention.view_outreach")
OUTREACH.grant("attention.change_outreach")
ENCOUNTERS.grant("attention.view_encounter")
ENCOUNTERS.grant("attention.add_encounter")
# Antennas: onboarded by workers (in their neighbourhoods, checked by the form) and coordinators.
rules.add_perm("attention.onboard_antenna", staff)
# Paper cards and phone calls are written down by staff, in their neighbourhoods (checked by the form and the service).
rules.add_perm("attention.record_signal", staff)
ANTENNAS.grant("attention.view_antenna")
rules.add_perm("attention.view_training", staff | is_antenna)
rules.add_perm("attention.manage_training", staff)
rules.add_perm("attention.view_coverage", staff)
APPLICATIONS.grant("attention.review_application")
# The online modules: whoever the training is for (antennas) and whoever accompanies them.
rules.add_perm("attention.follow_training", staff | is_antenna)
# In-person sessions: an antenna (not suspended) enrols herself; the session's city is checked by the service.
rules.add_perm("attention.enrol_training", is_antenna & antenna_not_suspended)

# Certificates: the antenna's own, and those of the antennas staff may see.
ATTENDANCES = Scope(
    "attention.Attendance",
    name="attendances",
    distinct=True,
    coordinator=lambda user: in_city(user, "antenna__account__city"),
    worker=lambda user: in_neighbourhoods(user, "antenna__account__neighbourhoods"),
    antenna=lambda user: Q(antenna__account=user),
)
ATTENDANCES.grant("attention.view_certificate")
COMPLETIONS = Scope(
    "attention.ModuleCompleted",
    name="online_completions",
    distinct=True,
    coordinator=lambda user: in_city(user, "account__city"),
    worker=lambda user: in_neighbourhoods(user, "account__neighbourhoods") | Q(account=user),
    antenna=lambda user: Q(account=user),
)
COMPLETIONS.grant("attention.view_online_certificate")
