"""Who may open each attention URL (walked by tests/test_permissions.py)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from trama.attention import services
from trama.attention.models import Antenna, AntennaApplication, Attendance, ModuleCompleted, TrainingModule, TrainingSession
from trama.people.models import Role
from trama.testing import ANY_METHOD, COORDINATOR_ONLY, PUBLIC, ROLES, STAFF, everyone, only, url

ANTENNA_ONLY = only(Role.ANTENNA)
TRAINING = only(Role.COORDINATOR, Role.WORKER, Role.ANTENNA)
# POST-only: staff are told the method is wrong, everyone else is refused first.
STAFF_POST = {role: (405 if role in (Role.COORDINATOR, Role.WORKER) else "denied") for role in ROLES}
NOBODY = everyone("denied")


EXPECTED = {
    "attention:signal_create": (url("attention:signal_create"), ANY_METHOD(only(Role.ANTENNA))),
    # The antenna's phone (issue 18): a signal it kept with no connection (JSON; POST only), the secret of its
    # encryption key (GET only), the web app manifest (public: browsers fetch it without cookies).
    "attention:signal_from_phone": (url("attention:signal_from_phone"), {"POST": ANTENNA_ONLY}),
    "attention:phone_key": (url("attention:phone_key"), {"GET": ANTENNA_ONLY}),
    "attention:manifest": (url("attention:manifest"), {"GET": PUBLIC}),
    "attention:my_signals": (url("attention:my_signals"), ANY_METHOD(only(Role.ANTENNA))),
    "attention:my_signal": (url("attention:my_signal", "signal"), ANY_METHOD(only(Role.ANTENNA))),
    "attention:my_signal#of-another-antenna": (url("attention:my_signal", "signal_of_another_antenna"), ANY_METHOD(everyone("denied"))),
    "attention:queue": (url("attention:queue"), ANY_METHOD(STAFF)),
    # Quick entry of a paper card or a phone call: staff, in their neighbourhoods (the worker's is `neighbourhood`).
    "attention:signal_record": (
        url("attention:signal_record"),
        ANY_METHOD(STAFF),
        {"POST": lambda o: {"channel": "card", "text": "Cartolina: vive solo", "neighbourhood": o["neighbourhood"].pk}},
    ),
    "attention:signal": (url("attention:signal", "signal"), ANY_METHOD(STAFF)),
    "attention:signal#elsewhere": (url("attention:signal", "signal_elsewhere"), ANY_METHOD(COORDINATOR_ONLY)),
    "attention:signal_triage": (url("attention:signal_triage", "signal"), ANY_METHOD(STAFF)),
    "attention:signal_triage#elsewhere": (url("attention:signal_triage", "signal_elsewhere"), ANY_METHOD(COORDINATOR_ONLY)),
    "attention:signal_outreach": (url("attention:signal_outreach", "signal"), ANY_METHOD(STAFF)),
    "attention:signal_close": (url("attention:signal_close", "signal"), {"POST": STAFF}),
    "attention:outreach_list": (url("attention:outreach_list"), ANY_METHOD(STAFF)),
    "attention:outreach": (url("attention:outreach", "outreach"), ANY_METHOD(STAFF)),
    "attention:encounters": (url("attention:encounters"), ANY_METHOD(STAFF)),
    "attention:encounter_create": (url("attention:encounter_create"), ANY_METHOD(STAFF)),
    "attention:encounter_create#from-signal": (
        lambda o: reverse("attention:encounter_create") + f"?segnalazione={o['signal'].pk}",
        ANY_METHOD(STAFF),
    ),
    "attention:encounter_create#from-signal-elsewhere": (
        lambda o: reverse("attention:encounter_create") + f"?segnalazione={o['signal_elsewhere'].pk}",
        ANY_METHOD(COORDINATOR_ONLY),
    ),
    "attention:encounter": (url("attention:encounter", "encounter"), ANY_METHOD(STAFF)),
    "attention:antennas": (url("attention:antennas"), ANY_METHOD(STAFF)),
    "attention:antenna_onboard": (url("attention:antenna_onboard"), ANY_METHOD(STAFF)),
    "attention:antenna": (url("attention:antenna", "antenna"), ANY_METHOD(STAFF)),
    # The A6 card of an antenna: staff who may see her (workers of her neighbourhoods, the city's coordinators).
    "attention:antenna_card": (url("attention:antenna_card", "antenna"), {"GET": STAFF}),
    "attention:antenna_card#elsewhere": (url("attention:antenna_card", "antenna_elsewhere"), {"GET": COORDINATOR_ONLY}),
    "attention:antenna_card#other-city": (url("attention:antenna_card", "far_antenna"), {"GET": everyone("denied")}),
    "attention:modules": (url("attention:modules"), ANY_METHOD(only(Role.COORDINATOR, Role.WORKER, Role.ANTENNA))),
    "attention:module_create": (url("attention:module_create"), ANY_METHOD(STAFF)),
    "attention:module": (url("attention:module", "module"), ANY_METHOD(only(Role.COORDINATOR, Role.WORKER, Role.ANTENNA))),
    "attention:session_create": (url("attention:session_create", "module"), ANY_METHOD(STAFF)),
    "attention:attendance": (url("attention:attendance", "session"), ANY_METHOD(STAFF)),
    # Enrolment: an antenna, for herself, on a session of her city; a session of another city is not found.
    "attention:session_enrol": (url("attention:session_enrol", "session_to_come"), {"POST": ANTENNA_ONLY}, {"POST": lambda o: {"azione": "iscrivi"}}),
    "attention:session_enrol#far": (url("attention:session_enrol", "session_far"), {"POST": NOBODY}, {"POST": lambda o: {"azione": "iscrivi"}}),
    # Certificates: the antenna's own; staff of her neighbourhood and coordinators of her city; no one else's.
    "attention:attendance_certificate": (url("attention:attendance_certificate", "attendance"), {"GET": TRAINING}),
    "attention:attendance_certificate#elsewhere": (
        url("attention:attendance_certificate", "attendance_elsewhere"),
        {"GET": only(Role.COORDINATOR)},
    ),
    "attention:attendance_certificate#far": (url("attention:attendance_certificate", "attendance_far"), {"GET": NOBODY}),
    "attention:online_certificate": (url("attention:online_certificate", "completion"), {"GET": TRAINING}),
    "attention:online_certificate#elsewhere": (url("attention:online_certificate", "completion_elsewhere"), {"GET": only(Role.COORDINATOR)}),
    "attention:coverage": (url("attention:coverage"), ANY_METHOD(STAFF)),
    "attention:become_antenna": (url("attention:become_antenna"), ANY_METHOD(PUBLIC)),
    "attention:applications": (url("attention:applications"), ANY_METHOD(STAFF)),
    "attention:application": (url("attention:application", "application"), ANY_METHOD(STAFF)),
    "attention:application#elsewhere": (url("attention:application", "application_elsewhere"), ANY_METHOD(COORDINATOR_ONLY)),
    "attention:application#other-city": (url("attention:application", "application_far"), ANY_METHOD(everyone("denied"))),
    "attention:application_accept": (url("attention:application_accept", "application"), ANY_METHOD(STAFF)),
    "attention:application_accept#elsewhere": (url("attention:application_accept", "application_elsewhere"), ANY_METHOD(COORDINATOR_ONLY)),
    "attention:application_decline": (url("attention:application_decline", "application"), {"POST": STAFF}),
    "attention:application_decline#elsewhere": (url("attention:application_decline", "application_elsewhere"), {"POST": COORDINATOR_ONLY}),
    "attention:online_module": (lambda o: reverse("attention:online_module", args=["accorgersi"]), ANY_METHOD(TRAINING)),
    "attention:online_module#unknown": (lambda o: reverse("attention:online_module", args=["nessuno"]), ANY_METHOD(NOBODY)),
    "attention:online_lesson": (lambda o: reverse("attention:online_lesson", args=["accorgersi", 1]), ANY_METHOD(TRAINING)),
    "attention:online_lesson#unknown": (lambda o: reverse("attention:online_lesson", args=["accorgersi", 99]), ANY_METHOD(NOBODY)),
    "api-attention-signals": (
        url("api-attention-signals"),
        {"GET": STAFF, "POST": only(Role.ANTENNA), "PUT": everyone("denied"), "PATCH": everyone("denied"), "DELETE": everyone("denied")},
    ),
    "api-attention-my-signals": (url("api-attention-my-signals"), {"GET": only(Role.ANTENNA)}),
    "api-attention-signal": (url("api-attention-signal", "signal"), {"GET": STAFF}),
    "api-attention-signal#elsewhere": (url("api-attention-signal", "signal_elsewhere"), {"GET": COORDINATOR_ONLY}),
    "api-attention-signal-triage": (url("api-attention-signal-triage", "signal"), {"POST": STAFF}),
    "api-attention-outreach-list": (
        url("api-attention-outreach-list"),
        {"GET": STAFF, "POST": STAFF, "PUT": everyone("denied"), "PATCH": everyone("denied"), "DELETE": everyone("denied")},
    ),
    "api-attention-outreach": (url("api-attention-outreach", "outreach"), {"GET": STAFF}),
    "api-attention-outreach-result": (url("api-attention-outreach-result", "outreach"), {"POST": STAFF}),
    "api-attention-encounters": (
        url("api-attention-encounters"),
        {"GET": STAFF, "POST": STAFF, "PUT": everyone("denied"), "PATCH": everyone("denied"), "DELETE": everyone("denied")},
    ),
    "api-attention-encounter": (url("api-attention-encounter", "encounter"), {"GET": STAFF}),
    "attention:signal#of-another-antenna": (url("attention:signal", "signal_of_another_antenna"), ANY_METHOD(STAFF)),
    "api-attention-signal#of-another-antenna": (url("api-attention-signal", "signal_of_another_antenna"), STAFF),
    "attention:signal#other-city": (url("attention:signal", "signal_far"), ANY_METHOD(everyone("denied"))),
    "attention:encounter#elsewhere": (url("attention:encounter", "encounter_elsewhere"), ANY_METHOD(COORDINATOR_ONLY)),
    "api-attention-encounter#elsewhere": (url("api-attention-encounter", "encounter_elsewhere"), COORDINATOR_ONLY),
    "attention:outreach#elsewhere": (url("attention:outreach", "outreach_elsewhere"), ANY_METHOD(COORDINATOR_ONLY)),
}


def make_objects(o):
    users = o["users"]
    hood, elsewhere, far = o["neighbourhood"], o["other_neighbourhood"], o["far_neighbourhood"]
    worker, antenna = users[Role.WORKER], users[Role.ANTENNA]
    now = timezone.now()
    o["antenna"] = Antenna.objects.create(account=antenna, kind=Antenna.Kind.SHOP)
    o["antenna_elsewhere"] = Antenna.objects.create(account=o["other_antenna"], kind=Antenna.Kind.PHARMACY)
    Antenna.objects.create(account=o["same_hood_antenna"], kind=Antenna.Kind.OTHER)
    far_antenna = o["far_antenna"] = Antenna.objects.create(
        account=_far_antenna_account(o),
        kind=Antenna.Kind.SHOP,
    )
    o["signal"] = services.send_signal(by=antenna, neighbourhood=hood, text="Non esce più di casa")
    # Another antenna's signal in the worker's own neighbourhood: the worker reads it, the antenna does not.
    o["signal_of_another_antenna"] = services.send_signal(by=o["same_hood_antenna"], neighbourhood=hood, text="Ha perso il lavoro")
    o["signal_elsewhere"] = services.send_signal(by=o["other_antenna"], neighbourhood=elsewhere, text="Sembra sola")
    o["signal_far"] = services.send_signal(by=far_antenna.account, neighbourhood=far, text="Non paga l'affitto")
    o["outreach"] = services.plan_outreach(by=worker, signal=o["signal"], assigned_to=worker, method="phone", due_date=now.date())
    o["outreach_elsewhere"] = services.plan_outreach(
        by=o["other_worker"],
        signal=o["signal_elsewhere"],
        assigned_to=o["other_worker"],
        method="visit",
        due_date=now.date(),
    )
    o["encounter"] = services.record_encounter(
        by=worker, neighbourhood=hood, setting="street", happened_at=now, notes="Due chiacchiere", person=o["other_person"]
    )
    o["encounter_elsewhere"] = services.record_encounter(
        by=o["other_worker"], neighbourhood=elsewhere, setting="home", happened_at=now, notes="Casa fredda", person=o["person_elsewhere"]
    )
    o["encounter_far"] = services.record_encounter(by=o["far_worker"], neighbourhood=far, setting="street", happened_at=now, notes="Lontano")
    o["module"] = TrainingModule.objects.create(city=hood.city, title="Accorgersi", content="Testo", duration_minutes=60)
    o["session"] = TrainingSession.objects.create(module=o["module"], starts_at=now, location="Sala civica")
    consent = now
    o["application"] = AntennaApplication.objects.create(
        city=hood.city, neighbourhood=hood, name="Franca", kind="shop", email="f@example.org", consent_at=consent
    )
    o["application_elsewhere"] = AntennaApplication.objects.create(
        city=elsewhere.city, neighbourhood=elsewhere, name="Gina", kind="pharmacy", phone="333 1234567", consent_at=consent
    )
    o["application_far"] = AntennaApplication.objects.create(
        city=far.city, neighbourhood=far, name="Lina", kind="shop", phone="333 7654321", consent_at=consent
    )
    o["module_far"] = TrainingModule.objects.create(city=far.city, title="Altrove", content="Testo", duration_minutes=30)
    o["session_far"] = TrainingSession.objects.create(module=o["module_far"], starts_at=now + timedelta(days=3), location="Sala lontana")
    o["session_to_come"] = TrainingSession.objects.create(module=o["module"], starts_at=now + timedelta(days=3), location="Sala civica")
    o["attendance"] = Attendance.objects.create(session=o["session"], antenna=o["antenna"], recorded_by=worker)
    o["attendance_elsewhere"] = Attendance.objects.create(session=o["session"], antenna=o["antenna_elsewhere"], recorded_by=worker)
    o["attendance_far"] = Attendance.objects.create(session=o["session_far"], antenna=far_antenna, recorded_by=o["far_worker"])
    o["completion"] = ModuleCompleted.objects.create(account=antenna, module="accorgersi")
    o["completion_elsewhere"] = ModuleCompleted.objects.create(account=o["other_antenna"], module="accorgersi")


def _far_antenna_account(o):
    from trama.people.models import User

    user = User.objects.create_user(username="antenna-lontana", password=None, role=Role.ANTENNA, city=o["other_city"])
    user.neighbourhoods.set([o["far_neighbourhood"]])
    return user
