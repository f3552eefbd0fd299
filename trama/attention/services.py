"""Actions of the attention network that change more than one record.

Views, API and tasks call these; each one runs in a transaction, and the
signal it changes is locked first, so two workers triaging the same signal
cannot both win.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from trama.access import is_worker, require, works_in
from trama.extensions import encounter_records
from trama.notifications.models import EmailMode, Kind
from trama.notifications.services import notify, set_email_for_accounts
from trama.people.models import Person
from trama.people.queries import staff_of_city
from trama.people.rules import PEOPLE
from trama.people.services import invite, register_person
from trama.people.tasks import send_email
from trama.privacy import audit

from .models import Antenna, AntennaApplication, Attendance, Encounter, Enrolment, LessonDone, ModuleCompleted, OutreachTask, Signal, TrainingSession
from .rules import APPLICATIONS, OUTREACH, SIGNALS
from .training import OnlineModule

if TYPE_CHECKING:
    from trama.access import AccountRequest
    from trama.people.models import User
    from trama.territory.models import City, Neighbourhood

    from .forms import AntennaOnboardingForm

logger = logging.getLogger(__name__)


def onboard_antenna(request: AccountRequest, form: AntennaOnboardingForm) -> Antenna:
    """Create the antenna's account and profile and e-mail the invitation link; when she wants the news of her
    signals by e-mail, her notification preferences say so (the only e-mails she gets about them)."""
    with transaction.atomic():
        user = invite(request, form)
        antenna = Antenna.objects.create(
            account=user,
            kind=form.cleaned_data["kind"],
            organisation=form.cleaned_data.get("organisation"),
            onboarded_by=request.user,
        )
        if form.cleaned_data.get("email_updates"):
            set_email_for_accounts([user], ANTENNA_NEWS.values(), EmailMode.NOW)
    return antenna


class KeyOfAnotherSignal(PermissionDenied):
    """The phone's key of a signal names a signal another account sent: nothing is stored, nothing is told of it."""


def send_signal(*, by: User, neighbourhood: Neighbourhood, **fields: Any) -> Signal:
    """Store a signal from antenna `by` (the form or serializer has checked the neighbourhood); see `send_signal_once`."""
    return send_signal_once(by=by, neighbourhood=neighbourhood, **fields)[0]


@transaction.atomic
def send_signal_once(*, by: User, neighbourhood: Neighbourhood, client_key: UUID | None = None, **fields: Any) -> tuple[Signal, bool]:
    """Store a signal from antenna `by` once per `client_key` (the key her phone chose when she wrote it): the signal
    and True, or, when that key came before, the signal it brought and False. A key of another account's signal
    raises `KeyOfAnotherSignal`.

    One transaction: the signal, what its save sets off in other apps (the text copy for themes, the
    indicators' change rows; on commit, a refresh of collective's group suggestions: the receivers are
    listed in docs/architecture.md, "Side effects of a save") and its audit entry are stored together
    or not at all."""
    require(by, "attention.send_signal")
    if client_key is not None and (earlier := _sent_with_key(by, client_key)) is not None:
        return earlier, False
    try:
        with transaction.atomic():
            signal = Signal.objects.create(city_id=neighbourhood.city_id, neighbourhood=neighbourhood, sent_by=by, client_key=client_key, **fields)
    except IntegrityError:
        # The same key arrived twice at once (the queue sent from two tabs, a double tap): the unique column let one
        # INSERT through; this one answers with it.
        earlier = _sent_with_key(by, client_key) if client_key is not None else None
        if earlier is None:
            raise
        return earlier, False
    audit.record(by, audit.Action.CREATE, signal, reason="segnalazione inviata")
    return signal, True


def _sent_with_key(by: User, client_key: UUID) -> Signal | None:
    earlier = Signal.objects.filter(client_key=client_key).first()
    if earlier is not None and earlier.sent_by_id != by.pk:
        raise KeyOfAnotherSignal(_("Questa segnalazione non può essere accettata: ricaricala dal modulo e inviala di nuovo."))
    return earlier


@transaction.atomic
def record_signal(*, by: User, neighbourhood: Neighbourhood, channel: str, **fields: Any) -> Signal:
    """Store a signal a worker (or coordinator) writes down for someone who used paper, the phone or a word in
    person: no antenna sent it (`sent_by` stays empty, the audit entry says who wrote it), the channel says how it
    came. Only in `by`'s neighbourhoods; the same side effects as `send_signal`."""
    if not works_in(by, neighbourhood):
        raise PermissionDenied(_("Puoi registrare segnalazioni solo nei quartieri che ti sono assegnati."))
    if channel not in Signal.RECORDED_CHANNELS:
        raise ValidationError({"channel": _("Scegli come è arrivata: cartolina, telefono o di persona.")})
    signal = Signal.objects.create(city_id=neighbourhood.city_id, neighbourhood=neighbourhood, channel=channel, **fields)
    audit.record(by, audit.Action.CREATE, signal, reason="segnalazione registrata per conto di qualcuno")
    return signal


def _locked(signal: Signal) -> Signal:
    return Signal.objects.select_for_update().get(pk=signal.pk)


def _save_signal(signal: Signal, by: User, reason: str) -> None:
    signal.save()
    audit.record(by, audit.Action.UPDATE, signal, reason=reason)
    _tell_antenna_status(signal)


# What the antenna hears, in the words of her list (Signal.ANTENNA_LABELS), when her signal reaches a status.
ANTENNA_NEWS: dict[str, Kind] = {
    Signal.Status.TAKEN_UP: Kind.SIGNAL_TAKEN_UP,
    Signal.Status.CONTACTED: Kind.SIGNAL_CONTACTED,
    Signal.Status.CLOSED: Kind.SIGNAL_CLOSED,
}


def _tell_antenna_status(signal: Signal) -> None:
    """Notify the antenna who sent `signal` of the status it is in (once per status: the key says which).

    Only she hears it (SIGNALS_SENT: an antenna sees her own signals, nobody else's), and only that
    the status changed: her page shows the rest."""
    if signal.sent_by_id and signal.status in ANTENNA_NEWS:
        notify(
            ANTENNA_NEWS[signal.status],
            [signal.sent_by],
            url=reverse("attention:my_signal", args=[signal.pk]),
            key=f"{ANTENNA_NEWS[signal.status]}:{signal.pk}",
        )


@transaction.atomic
def triage(signal: Signal, *, by: User, outcome: str, note: str = "", merge_with: Signal | None = None, person: Person | None = None) -> Signal:
    """Decide what a new signal needs (other than an outreach: see `plan_outreach`).

    MERGED joins it to `merge_with`, PERSON links it to someone already known,
    NO_ACTION and REFERRED close it with `note` as the reason. `by` must have the signal (and the
    signal merged with, and the person linked) in scope.
    """
    SIGNALS.require(by, signal)
    if merge_with is not None:
        SIGNALS.require(by, merge_with)
    if person is not None:
        PEOPLE.require(by, person)
    signal = _locked(signal)
    now = timezone.now()
    if outcome == Signal.Outcome.MERGED:
        signal.merge_into(_locked(merge_with), by, now)  # type: ignore[arg-type]  # TriageForm requires it for MERGED
    elif outcome == Signal.Outcome.PERSON:
        signal.take_up(by, Signal.Outcome.PERSON, now)
        signal.person = person
        signal.outcome_note = note
    elif outcome in (Signal.Outcome.NO_ACTION, Signal.Outcome.REFERRED):
        signal.close_at_triage(by, outcome, note, now)
    else:
        raise ValidationError({"outcome": _("Esito non valido.")})
    _save_signal(signal, by, f"triage: {outcome}")
    return signal


@transaction.atomic
def plan_outreach(
    *,
    by: User,
    signal: Signal | None = None,
    neighbourhood: Neighbourhood | None = None,
    assigned_to: User,
    method: str,
    due_date: date,
    plan: str = "",
) -> OutreachTask:
    """Plan going towards someone; a signal it answers is taken up by whoever goes.

    Only in `by`'s scope: the signal's, or the neighbourhood's when there is no signal.
    """
    if signal is not None:
        SIGNALS.require(by, signal)
    elif not works_in(by, neighbourhood):
        raise PermissionDenied(_("Puoi programmare uscite solo nei quartieri che ti sono assegnati."))
    if signal is not None:
        signal = _locked(signal)
        signal.assigned_to = assigned_to
        signal.take_up(by, Signal.Outcome.OUTREACH)
        _save_signal(signal, by, "uscita programmata")
        neighbourhood = signal.neighbourhood
    task = OutreachTask.objects.create(  # type: ignore[misc]  # a neighbourhood: the signal's, or one works_in accepted
        neighbourhood=neighbourhood,
        signal=signal,
        assigned_to=assigned_to,
        method=method,
        due_date=due_date,
        plan=plan,
        created_by=by,
    )
    audit.record(by, audit.Action.CREATE, task, reason="uscita programmata")
    return task


@transaction.atomic
def finish_outreach(task: OutreachTask, *, by: User, status: str, result: str) -> OutreachTask:
    """Record how an outreach went; an outreach that reached no one leaves its signal taken up."""
    OUTREACH.require(by, task)
    task = OutreachTask.objects.select_for_update().get(pk=task.pk)
    task.finish(status, result)
    task.save()
    audit.record(by, audit.Action.UPDATE, task, reason="esito uscita")
    return task


def contact_happened(signal: Signal, *, now: datetime | None = None) -> Signal:
    """The person behind `signal` was met: the signal and those merged into it tell their antennas."""
    now = now or timezone.now()
    signal = _locked(signal)
    if signal.status == Signal.Status.CLOSED:
        return signal
    was = signal.status
    signal.mark_contacted(now)
    signal.save()
    followers = list(Signal.objects.select_for_update().filter(merged_into=signal).exclude(status=Signal.Status.CLOSED))
    for follower in followers:
        before = follower.status
        follower.follow(signal, now)
        follower.save()
        if before != Signal.Status.CONTACTED:
            _tell_antenna_status(follower)
    if was != Signal.Status.CONTACTED:
        _tell_antenna_status(signal)
    return signal


@transaction.atomic
def erase_antennas(antennas: Iterable[Antenna], person: Person) -> None:
    """An erased person is no longer an antenna: her profile stays, with `deactivated_at` now, so that the
    indicators of periods already ended still count her (the account itself is disabled and renamed by
    people's erasure, and its notification preferences erased by the notifications app's declaration)."""
    for antenna in antennas:
        antenna.active = False
        antenna.save(update_fields=["active"])


@transaction.atomic
def close_signal(signal: Signal, *, by: User) -> Signal:
    SIGNALS.require(by, signal)
    signal = _locked(signal)
    signal.close()
    _save_signal(signal, by, "segnalazione chiusa")
    followers = list(Signal.objects.filter(merged_into=signal).exclude(status=Signal.Status.CLOSED).select_related("sent_by"))
    Signal.objects.filter(pk__in=[f.pk for f in followers]).update(
        status=Signal.Status.CLOSED, closed_at=signal.closed_at, status_changed_at=signal.closed_at
    )
    for follower in followers:
        follower.status = Signal.Status.CLOSED
        _tell_antenna_status(follower)
    return signal


@transaction.atomic
def record_encounter(
    *,
    by: User,
    neighbourhood: Neighbourhood,
    setting: str,
    happened_at: datetime,
    notes: str = "",
    signal: Signal | None = None,
    outreach: OutreachTask | None = None,
    person: Person | None = None,
    new_person: dict[str, Any] | None = None,
    need_text: str = "",
    need_urgency: str = "medium",
    offer_text: str = "",
    offer_kind: str = "time",
) -> Encounter:
    """Log a meeting with someone, with everything that came out of it, in one step.

    `new_person` (a dict with display_name, channel, known_to_services, consents)
    registers the person pseudonymously. What the person needs and could offer
    goes to the app registered for it in `trama.extensions.encounter_records` (the market's
    `record_need`/`record_offer`); when none is, it is kept in the notes. A signal or outreach it answers records the contact.
    Raises ValidationError (and stores nothing) on bad input, PermissionDenied outside `by`'s scope
    (the neighbourhood, the signal or outreach answered, the person met).
    """
    if not works_in(by, neighbourhood):
        raise PermissionDenied(_("Puoi registrare incontri solo nei quartieri che ti sono assegnati."))
    if signal is not None:
        SIGNALS.require(by, signal)
    if outreach is not None:
        OUTREACH.require(by, outreach)
    if person is not None:
        PEOPLE.require(by, person)
    if new_person:
        person = register_person(by=by, neighbourhood=neighbourhood, **new_person)
    notes = notes.strip()
    kept = []
    # How what the person needs or offers reached the programme (the market's Channel, counted by the indicators):
    # a call is a call, every other encounter is a word in person.
    channel = "phone" if setting == Encounter.Setting.PHONE else "in_person"
    if need_text.strip():
        record_need = encounter_records.get("need") if person is not None else None
        if record_need is None:
            kept.append(_("Ha bisogno di: %(text)s") % {"text": need_text.strip()})
        else:
            record_need(person=person, text=need_text.strip(), neighbourhood=neighbourhood, urgency=need_urgency, by=by, channel=channel)
    if offer_text.strip():
        record_offer = encounter_records.get("offer") if person is not None else None
        if record_offer is None:
            kept.append(_("Potrebbe offrire: %(text)s") % {"text": offer_text.strip()})
        else:
            title = offer_text.strip().splitlines()[0][:80]
            record_offer(
                person=person,
                kind=offer_kind,
                title=title,
                description=offer_text.strip(),
                neighbourhoods=[neighbourhood],
                by=by,
                channel=channel,
            )
    if kept:
        notes = "\n\n".join([notes, *kept]).strip()
    if outreach is not None:
        signal = signal or outreach.signal
    encounter = Encounter.objects.create(
        neighbourhood=neighbourhood,
        worker=by,
        person=person,
        signal=signal,
        outreach=outreach,
        setting=setting,
        happened_at=happened_at,
        notes=notes,
    )
    audit.record(by, audit.Action.CREATE, encounter, reason="incontro registrato")
    if outreach is not None and outreach.status == OutreachTask.Status.PLANNED:
        finish_outreach(outreach, by=by, status=OutreachTask.Status.DONE, result=_("Incontro registrato."))
    if signal is not None:
        if person is not None and signal.person_id is None:
            Signal.objects.filter(pk=signal.pk).update(person=person)
        contact_happened(signal, now=happened_at if happened_at <= timezone.now() else None)
    return encounter


def record_attendance(session: TrainingSession, antennas: Iterable[Antenna], *, by: User) -> None:
    """Mark who attended a training session (recording someone twice changes nothing)."""
    existing = set(session.attendances.values_list("antenna_id", flat=True))
    Attendance.objects.bulk_create([Attendance(session=session, antenna=a, recorded_by=by) for a in antennas if a.pk not in existing])


@transaction.atomic
def enrol(session: TrainingSession, antenna: Antenna, *, now: datetime | None = None) -> Enrolment:
    """The antenna puts her own name down for an in-person session of her city, before it starts and while
    there are places (enrolling twice changes nothing). The session is locked first, so that two antennas
    cannot both take the last place."""
    now = now or timezone.now()
    session = TrainingSession.objects.select_for_update().select_related("module").get(pk=session.pk)
    if session.module.city_id != antenna.account.city_id:
        raise PermissionDenied
    existing = Enrolment.objects.filter(session=session, antenna=antenna).first()
    if existing is not None:
        return existing
    if not antenna.active:
        raise ValidationError(_("Il tuo profilo di antenna è sospeso: chiedi a chi lavora nel tuo quartiere."))
    if session.starts_at <= now:
        raise ValidationError(_("L'incontro è già iniziato: non ci si può più iscrivere."))
    if session.capacity is not None and session.enrolments.count() >= session.capacity:
        raise ValidationError(_("I posti di questo incontro sono esauriti."))
    return Enrolment.objects.create(session=session, antenna=antenna, enrolled_at=now)


@transaction.atomic
def cancel_enrolment(session: TrainingSession, antenna: Antenna, *, now: datetime | None = None) -> bool:
    """The antenna takes her name back, until the session starts; True when there was something to take back."""
    now = now or timezone.now()
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if session.starts_at <= now:
        raise ValidationError(_("L'incontro è già iniziato: l'iscrizione non si può più annullare."))
    deleted, _rows = Enrolment.objects.filter(session=session, antenna=antenna).delete()
    return bool(deleted)


def registration_channel(signal: Signal | None = None, outreach: OutreachTask | None = None) -> str:
    """How the programme first reached a person met through this encounter."""
    if signal is not None or (outreach is not None and outreach.signal_id):
        return Person.Channel.ANTENNA
    return Person.Channel.OUTREACH


def anonymise_expired_signals(signals: QuerySet[Signal], now: datetime) -> int:
    """Retention (privacy.retention): keep of each signal only what the indicators need, and empty its outreach
    plans; returns how many signals were anonymised. The caller holds the transaction."""
    done = []
    for signal in signals.select_for_update():
        signal.anonymise(now)
        signal.save(update_fields=["text", "outcome_note", "place", "age_band", "household", "person_aware", "anonymised_at"])
        done.append(signal.pk)
    OutreachTask.objects.filter(signal__in=done).update(plan="", result="")
    return len(done)


# Applications to become an antenna -----------------------------------------------------------

APPLICATIONS_PER_HOUR = 3


def application_source(address: str) -> str:
    """A keyed hash of the address an application came from: enough to count, not to find anyone."""
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def too_many_applications(source: str, now: datetime | None = None) -> bool:
    """Whether `source` already sent APPLICATIONS_PER_HOUR applications in the last hour (the public page's brake)."""
    since = (now or timezone.now()) - timedelta(hours=1)
    return AntennaApplication.objects.filter(source=source, created_at__gte=since).count() >= APPLICATIONS_PER_HOUR


@transaction.atomic
def apply_to_be_antenna(*, city: City, neighbourhood: Neighbourhood, source: str = "", **fields: Any) -> AntennaApplication:
    """Store an application from the public page (the form has checked the fields and the consent) and tell the
    workers of its neighbourhood; the consent to be contacted is recorded with it, at this moment."""
    now = timezone.now()
    application = AntennaApplication.objects.create(city=city, neighbourhood=neighbourhood, source=source, consent_at=now, created_at=now, **fields)
    audit.record(None, audit.Action.CREATE, application, reason="candidatura di antenna")
    workers = [user for user in staff_of_city(city.pk) if is_worker(user) and APPLICATIONS.allows(user, application)]
    notify(Kind.ANTENNA_APPLICATION, workers, url=application.get_absolute_url(), key=f"{Kind.ANTENNA_APPLICATION}:{application.pk}")
    return application


def _locked_application(application: AntennaApplication, by: User) -> AntennaApplication:
    APPLICATIONS.require(by, application)
    return AntennaApplication.objects.select_for_update().get(pk=application.pk)


@transaction.atomic
def accept_application(request: AccountRequest, application: AntennaApplication, form: AntennaOnboardingForm) -> Antenna:
    """Accept an application: her antenna account is created and invited as any antenna's (`onboard_antenna`)."""
    application = _locked_application(application, request.user)
    application.decide(AntennaApplication.Status.ACCEPTED, request.user)  # raises if already decided
    antenna = onboard_antenna(request, form)
    application.account = antenna.account
    application.save()
    audit.record(request.user, audit.Action.UPDATE, application, reason="candidatura accolta")
    return antenna


@transaction.atomic
def decline_application(application: AntennaApplication, *, by: User, reason: str) -> AntennaApplication:
    """Decline an application, with the reason (kept for whoever reads it next, never sent by Trama), and tell
    the applicant politely by the e-mail she gave, once the decision is committed; without an e-mail the
    worker calls her (the page says so)."""
    application = _locked_application(application, by)
    application.decide(AntennaApplication.Status.DECLINED, by, reason=reason)  # raises if already decided: told once
    application.save()
    audit.record(by, audit.Action.UPDATE, application, reason="candidatura non accolta")
    if application.email:
        transaction.on_commit(lambda: _tell_declined(application))
    return application


def _tell_declined(application: AntennaApplication) -> None:
    # She has no account: e-mailed as invitations are (people's send_email), in the programme's language.
    # The reason stays with the workers: it may name her shop, her street or someone else.
    with translation.override(settings.LANGUAGE_CODE):
        subject = str(_("La tua candidatura come antenna"))
        body = render_to_string(
            "attention/email/application_declined.txt",
            {"name": application.name, "neighbourhood": application.neighbourhood.name, "city": application.city.name},
        )
    send_email.enqueue(subject, body, [application.email])


# Online training ------------------------------------------------------------------------------


@transaction.atomic
def complete_lesson(account: User, module: OnlineModule, number: int) -> bool:
    """Record that `account` went through lesson `number` of `module` (once), and the module as completed (once)
    when it was the last lesson missing. Returns whether the module is now complete."""
    lesson = module.lessons[number - 1]
    LessonDone.objects.get_or_create(account=account, module=module.slug, lesson=lesson.slug)
    done = set(LessonDone.objects.filter(account=account, module=module.slug).values_list("lesson", flat=True))
    if not {item.slug for item in module.lessons} <= done:
        return False
    ModuleCompleted.objects.get_or_create(account=account, module=module.slug)
    return True


# Antennas read from an imported list --------------------------------------------------------------


@transaction.atomic
def save_imported_application(application: AntennaApplication, *, by: User, created: bool) -> AntennaApplication:
    """Save an application read from an imported list of antennas (validated by the import, in the importer's scope).

    It waits as any application from the public page does: a worker of its neighbourhood accepts it (the antenna's
    account is then invited as any antenna's, `accept_application`) or declines it. Audited.
    """
    application.save(force_insert=created)
    audit.record(by, audit.Action.CREATE if created else audit.Action.UPDATE, application, reason="importazione")
    return application


def delete_imported_application(application: AntennaApplication, *, by: User) -> None:
    """Delete an application an import created, when that import is undone; audited.

    Raises ProtectedError when it has been decided meanwhile (an account may have been invited): it is left.
    """
    from django.db.models import ProtectedError

    if application.status != AntennaApplication.Status.PENDING:
        raise ProtectedError(_("La candidatura è già stata valutata."), set())
    with transaction.atomic():
        audit.record(by, audit.Action.DELETE, application, reason="importazione annullata")
        application.delete()
