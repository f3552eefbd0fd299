"""Who may open each attention URL (walked by tests/test_permissions.py)."""

from django.urls import reverse
from django.utils import timezone

from trama.attention import services
from trama.attention.models import Antenna, AntennaApplication, Attendance, ModuleCompleted, TrainingModule, TrainingSession
from trama.people.models import Role
from trama.testing import PUBLIC, ROLES, STAFF, everyone, only

ANTENNA_ONLY = only(Role.ANTENNA)
TRAINING = only(Role.COORDINATOR, Role.WORKER, Role.ANTENNA)
# POST-only: staff are told the method is wrong, everyone else is refused first.
STAFF_POST = {role: (405 if role in (Role.COORDINATOR, Role.WORKER) else "denied") for role in ROLES}
NOBODY = everyone("denied")


def url(name, key=None):
    return lambda o: reverse(name, args=[o[key].pk] if key else [])


EXPECTED = {
    "attention:signal_create": (url("attention:signal_create"), ANTENNA_ONLY),
    "attention:signal_from_phone": (url("attention:signal_from_phone"), everyone(405)),
    "attention:phone_key": (url("attention:phone_key"), ANTENNA_ONLY),
    "attention:manifest": (url("attention:manifest"), PUBLIC),
    # The stand-in the phone keeps for when it has no connection: none of her signals in it.
    "attention:my_signals#copy": (lambda o: reverse("attention:my_signals") + "?copia=1", ANTENNA_ONLY),
    "attention:my_signals": (url("attention:my_signals"), ANTENNA_ONLY),
    "attention:my_signal": (url("attention:my_signal", "signal"), ANTENNA_ONLY),
    "attention:my_signal#of-another-antenna": (url("attention:my_signal", "signal_of_another_antenna"), NOBODY),
    "attention:queue": (url("attention:queue"), STAFF),
    "attention:signal_record": (url("attention:signal_record"), STAFF),
    "attention:signal": (url("attention:signal", "signal"), STAFF),
    "attention:signal#elsewhere": (url("attention:signal", "signal_elsewhere"), only(Role.COORDINATOR)),
    "attention:signal_triage": (url("attention:signal_triage", "signal"), STAFF),
    "attention:signal_triage#elsewhere": (url("attention:signal_triage", "signal_elsewhere"), only(Role.COORDINATOR)),
    "attention:signal_outreach": (url("attention:signal_outreach", "signal"), STAFF),
    "attention:signal_close": (url("attention:signal_close", "signal"), everyone(405)),
    "attention:outreach_list": (url("attention:outreach_list"), STAFF),
    "attention:outreach": (url("attention:outreach", "outreach"), STAFF),
    "attention:encounters": (url("attention:encounters"), STAFF),
    "attention:encounter_create": (url("attention:encounter_create"), STAFF),
    "attention:encounter_create#from-signal": (lambda o: reverse("attention:encounter_create") + f"?segnalazione={o['signal'].pk}", STAFF),
    "attention:encounter_create#from-signal-elsewhere": (
        lambda o: reverse("attention:encounter_create") + f"?segnalazione={o['signal_elsewhere'].pk}",
        only(Role.COORDINATOR),
    ),
    "attention:encounter": (url("attention:encounter", "encounter"), STAFF),
    "attention:antennas": (url("attention:antennas"), STAFF),
    "attention:antenna_onboard": (url("attention:antenna_onboard"), STAFF),
    "attention:antenna": (url("attention:antenna", "antenna"), STAFF),
    "attention:antenna_card": (url("attention:antenna_card", "antenna"), STAFF),
    "attention:modules": (url("attention:modules"), TRAINING),
    "attention:module_create": (url("attention:module_create"), STAFF),
    "attention:module": (url("attention:module", "module"), TRAINING),
    "attention:session_create": (url("attention:session_create", "module"), STAFF),
    "attention:attendance": (url("attention:attendance", "session"), STAFF),
    "attention:session_enrol": (url("attention:session_enrol", "session"), ANTENNA_ONLY),
    "attention:session_enrol#far": (url("attention:session_enrol", "session"), NOBODY),
    "attention:attendance_certificate": (url("attention:attendance_certificate", "attendance"), TRAINING),
    "attention:attendance_certificate#elsewhere": (url("attention:attendance_certificate", "attendance_elsewhere"), only(Role.COORDINATOR)),
    "attention:attendance_certificate#far": (url("attention:attendance_certificate", "attendance_elsewhere"), only(Role.COORDINATOR)),
    "attention:online_certificate": (url("attention:online_certificate", "completion"), TRAINING),
    "attention:online_certificate#elsewhere": (url("attention:online_certificate", "completion_elsewhere"), only(Role.COORDINATOR)),
    "attention:coverage": (url("attention:coverage"), STAFF),
    # API
    "api-attention-signals": (url("api-attention-signals"), STAFF),
    "api-attention-my-signals": (url("api-attention-my-signals"), ANTENNA_ONLY),
    "api-attention-signal": (url("api-attention-signal", "signal"), STAFF),
    "api-attention-signal#elsewhere": (url("api-attention-signal", "signal_elsewhere"), only(Role.COORDINATOR)),
    "api-attention-signal-triage": (url("api-attention-signal-triage", "signal"), STAFF_POST),
    "api-attention-outreach-list": (url("api-attention-outreach-list"), STAFF),
    "api-attention-outreach": (url("api-attention-outreach", "outreach"), STAFF),
    "api-attention-outreach-result": (url("api-attention-outreach-result", "outreach"), STAFF_POST),
    "api-attention-encounters": (url("api-attention-encounters"), STAFF),
    "api-attention-encounter": (url("api-attention-encounter", "encounter"), STAFF),
    "attention:become_antenna": (url("attention:become_antenna"), PUBLIC),
    "attention:applications": (url("attention:applications"), STAFF),
    "attention:application": (url("attention:application", "application"), STAFF),
    "attention:application_accept": (url("attention:application_accept", "application"), STAFF),
    "attention:application_decline": (url("attention:application_decline", "application"), STAFF_POST),
    "attention:online_module": (lambda o: reverse("attention:online_module", args=["accorgersi"]), TRAINING),
    "attention:online_lesson": (lambda o: reverse("attention:online_lesson", args=["accorgersi", 1]), TRAINING),
}


def make_objects(request, objects):
    users = request.getfixturevalue("users")
    make_user = request.getfixturevalue("make_user")
    neighbourhood = request.getfixturevalue("neighbourhood")
    elsewhere = request.getfixturevalue("other_neighbourhood")
    antenna_user = users[Role.ANTENNA]
    other_antenna = make_user(Role.ANTENNA, [elsewhere])
    worker = users[Role.WORKER]
    objects["antenna"] = Antenna.objects.create(account=antenna_user, kind=Antenna.Kind.SHOP)
    objects["application"] = AntennaApplication.objects.create(
        city=neighbourhood.city, neighbourhood=neighbourhood, name="Franca", kind="shop", email="f@example.org", consent_at=timezone.now()
    )
    objects["signal"] = services.send_signal(by=antenna_user, neighbourhood=neighbourhood, text="Non esce più di casa")
    objects["signal_elsewhere"] = services.send_signal(by=other_antenna, neighbourhood=elsewhere, text="Sembra sola")
    objects["signal_of_another_antenna"] = objects["signal_elsewhere"]
    objects["outreach"] = services.plan_outreach(
        by=worker, signal=objects["signal"], assigned_to=worker, method="phone", due_date=timezone.localdate()
    )
    objects["encounter"] = services.record_encounter(
        by=worker, neighbourhood=neighbourhood, setting="street", happened_at=timezone.now(), notes="Due chiacchiere"
    )
    objects["module"] = TrainingModule.objects.create(city=neighbourhood.city, title="Accorgersi", content="Testo", duration_minutes=60)
    objects["session"] = TrainingSession.objects.create(module=objects["module"], starts_at=timezone.now(), location="Sala civica")
    objects["attendance"] = Attendance.objects.create(session=objects["session"], antenna=objects["antenna"], recorded_by=worker)
    antenna_elsewhere = Antenna.objects.create(account=other_antenna, kind=Antenna.Kind.PHARMACY)
    objects["attendance_elsewhere"] = Attendance.objects.create(session=objects["session"], antenna=antenna_elsewhere, recorded_by=worker)
    objects["completion"] = ModuleCompleted.objects.create(account=antenna_user, module="accorgersi")
    objects["completion_elsewhere"] = ModuleCompleted.objects.create(account=other_antenna, module="accorgersi")
