"""Attention's part of the synthetic city (`manage.py generate_city`, orchestrated by trama/synthetic.py).

The antennas' profiles, their signals with the triage, outreach and encounters that followed, and
the workers' other encounters. Each function takes the city's generator `gen`
(trama.synthetic.CityGenerator), on which the people app's part has left accounts, workers,
antennas and people per neighbourhood; the texts come from its phrase banks (`gen.phrases`).
"""

from datetime import datetime, time, timedelta

from django.utils.translation import gettext as _

from trama.notifications.models import EmailMode
from trama.notifications.services import set_email_for_accounts
from trama.people.models import Role

from .models import Antenna, Encounter, OutreachTask, Signal
from .services import ANTENNA_NEWS

# How many, per 1,000 residents a year.
SIGNALS_PER_1000_YEAR = 6
ENCOUNTERS_PER_1000_YEAR = 20

# Said of any situation: added to some signals so texts vary beyond their theme.
SIGNAL_CLOSERS = [
    "Mi sembra giusto segnalarlo.",
    "Non so se ha parenti in zona.",
    "Passa in negozio quasi ogni giorno.",
    "Mi preoccupa un po'.",
    "Forse è il caso di passare a trovarla.",
    "Non vorrei essere invadente.",
    "Lo conosco da anni, non è mai stato così.",
    "Abita vicino alla chiesa.",
    "",
]
OUTREACH_PLANS = [
    "Passare insieme all'antenna nel negozio e presentarsi.",
    "Telefonare e proporre un incontro al punto di comunità.",
    "Portare l'invito al pranzo della domenica.",
    "Suonare il campanello con la vicina che ha segnalato.",
]
OUTREACH_RESULTS = {
    OutreachTask.Status.DONE: ["Incontro avvenuto, la persona è disponibile a rivederci.", "Parlato a lungo, fissato un nuovo appuntamento."],
    OutreachTask.Status.NOT_REACHED: ["Nessuno in casa, lasciato un biglietto.", "Il telefono squilla a vuoto."],
    OutreachTask.Status.CANCELLED: ["La situazione si è risolta da sola.", "Già seguita da un altro servizio."],
}

# Models whose dates the generator sets itself (their auto_now/auto_now_add set aside while it writes).
DATED = [Antenna, OutreachTask, Encounter]


def delete_synthetic(accounts):
    """Remove what an earlier run made here: the work of these synthetic accounts."""
    Encounter.objects.filter(worker__in=accounts).delete()
    OutreachTask.objects.filter(assigned_to__in=accounts).delete()
    Signal.objects.filter(sent_by__in=accounts).delete()


def make_antennas(gen):
    """The profile of every antenna account, onboarded by a worker of its neighbourhood."""
    rng, scope = gen.rng, gen.staff_scope
    profiles, wanting_email = [], []
    for user, hood in scope:
        if user.role != Role.ANTENNA:
            continue
        # Drawn in the order they always were, so that the same seed makes the same city.
        kind, active = rng.choice(Antenna.Kind.values), rng.random() < 0.9
        organisation = rng.choice(gen.organisations) if rng.random() < 0.3 else None
        if rng.random() < 0.4:
            wanting_email.append(user)
        onboarded_by = rng.choice(gen.workers_of[hood.pk])
        profiles.append(
            Antenna(account=user, kind=kind, active=active, organisation=organisation, onboarded_by=onboarded_by, created_at=user.date_joined)
        )
    gen.write(Antenna, profiles, _("antenne"))
    # Two in five want the news of their signals by e-mail too (their notification preferences).
    set_email_for_accounts(wanting_email, ANTENNA_NEWS.values(), EmailMode.NOW)


def signal_text(gen, theme):
    bank, rng = gen.phrases[theme], gen.rng
    parts = [rng.choice(bank["signal"]) + ".", rng.choice(bank["detail"])]
    if rng.random() < 0.15:
        parts.append(rng.choice(gen.phrases[gen.theme()]["detail"]))
    parts.append(rng.choice(SIGNAL_CLOSERS))
    return gen.roughen(" ".join(dict.fromkeys(p for p in parts if p)))


def make_attention(gen):
    rng, per_thousand = gen.rng, gen.residents / 1000
    # Antennas are already spread by population: each sends as many signals as any other.
    antennas = [(hood, user) for hood in gen.hoods for user in gen.antennas_of[hood.pk]]
    signals, tasks, encounters = [], [], []
    for _i in range(round(per_thousand * SIGNALS_PER_1000_YEAR * gen.years)):
        hood, antenna = rng.choice(antennas)
        theme = gen.theme()
        created = gen.moment(after=antenna.date_joined)
        age = (gen.end - created.date()).days
        worker = rng.choice(gen.workers_of[hood.pk])
        signal = Signal(
            city=gen.city,
            neighbourhood=hood,
            sent_by=antenna,
            text=signal_text(gen, theme),
            place=rng.choice(gen.places[hood.pk]) if hood.pk in gen.places and rng.random() < 0.3 else None,
            urgency=rng.choices(Signal.Urgency.values, [35, 45, 20])[0],
            age_band=rng.choice([""] + Signal.AgeBand.values),
            household=rng.choice([""] + Signal.Household.values),
            person_aware=rng.choice(Signal.Aware.values),
            created_at=created,
            status_changed_at=created,
        )
        signal.theme = theme
        signals.append(signal)
        # How far it went depends on its age: recent ones are still in the queue.
        if age < 3 or (age < 20 and rng.random() < 0.4):
            continue
        triaged = gen.later(created, 0.1, 4) or created
        if rng.random() < 0.2:
            signal.close_at_triage(
                worker, rng.choice([Signal.Outcome.NO_ACTION, Signal.Outcome.REFERRED]), "Già seguita dai servizi sociali.", now=triaged
            )
            continue
        known = rng.random() < 0.2 and gen.people_of[hood.pk]
        signal.take_up(worker, Signal.Outcome.PERSON if known else Signal.Outcome.OUTREACH, now=triaged)
        if known:
            signal.person = rng.choice(gen.people_of[hood.pk])
        else:
            task = outreach(gen, signal, worker, triaged)
            tasks.append(task)
            if task.status != OutreachTask.Status.DONE:
                if task.done_at and (gen.end - task.done_at.date()).days > 60:
                    signal.close(now=task.done_at + timedelta(days=30))
                continue
        contacted = gen.later(triaged, 1, 12)
        if contacted is None:
            continue
        signal.mark_contacted(now=contacted)
        encounter = Encounter(
            neighbourhood=hood,
            worker=worker,
            person=signal.person,
            signal=signal,
            outreach=tasks[-1] if not known else None,
            setting=rng.choice(Encounter.Setting.values),
            happened_at=contacted,
            notes=gen.roughen(rng.choice(gen.phrases[theme]["note"])),
            created_at=contacted,
        )
        encounter.theme = theme
        encounters.append(encounter)
        closed = gen.later(contacted, 5, 90)
        if closed is not None and rng.random() < 0.85:
            signal.close(now=closed)

    gen.write(Signal, signals, _("segnalazioni"))
    # Some signals about known people were the same situation as an earlier one of their neighbourhood.
    merged, last_of_hood = [], {}
    for signal in signals:
        earlier = last_of_hood.get(signal.neighbourhood_id)
        if earlier is not None and signal.outcome == Signal.Outcome.PERSON and rng.random() < 0.3:
            signal.merged_into, signal.outcome, signal.person = earlier, Signal.Outcome.MERGED, earlier.person
            signal.follow(earlier, signal.status_changed_at)
            merged.append(signal)
        last_of_hood[signal.neighbourhood_id] = signal
    Signal.objects.bulk_update(
        merged,
        [
            "merged_into",
            "outcome",
            "person",
            "status",
            "status_changed_at",
            "taken_up_at",
            "first_contact_at",
            "closed_at",
        ],
        batch_size=gen.BATCH,
    )
    gen.write(OutreachTask, tasks, _("uscite"))

    for _i in range(round(per_thousand * ENCOUNTERS_PER_1000_YEAR * gen.years)):
        hood = rng.choices(gen.hoods, gen.weights)[0]
        person = rng.choice(gen.people_of[hood.pk]) if gen.people_of[hood.pk] and rng.random() < 0.7 else None
        happened = gen.moment(after=person.first_contact_at if person else None)
        encounter = Encounter(
            neighbourhood=hood,
            worker=rng.choice(gen.workers_of[hood.pk]),
            person=person,
            setting=rng.choice(Encounter.Setting.values),
            happened_at=happened,
            created_at=happened,
        )
        encounter.theme = gen.theme()
        encounter.notes = gen.roughen(rng.choice(gen.phrases[encounter.theme]["note"]))
        encounters.append(encounter)
    gen.write(Encounter, encounters, _("incontri"))
    gen.theme_of.update(((Signal._meta.label_lower, s.pk), s.theme) for s in signals)
    gen.theme_of.update(((Encounter._meta.label_lower, e.pk), e.theme) for e in encounters)


def outreach(gen, signal, worker, triaged):
    rng = gen.rng
    due = (triaged + timedelta(days=rng.randint(2, 14))).date()
    task = OutreachTask(
        neighbourhood=signal.neighbourhood,
        signal=signal,
        assigned_to=worker,
        method=rng.choice(OutreachTask.Method.values),
        due_date=due,
        plan=rng.choice(OUTREACH_PLANS),
        created_by=worker,
        created_at=triaged,
    )
    if due < gen.end:
        status = rng.choices(
            [OutreachTask.Status.DONE, OutreachTask.Status.NOT_REACHED, OutreachTask.Status.CANCELLED, OutreachTask.Status.PLANNED], [70, 15, 5, 10]
        )[0]
        if status != OutreachTask.Status.PLANNED:
            task.finish(status, rng.choice(OUTREACH_RESULTS[status]), now=datetime.combine(due, time(rng.randrange(9, 19)), tzinfo=gen.zone))
    return task
