"""Collective's part of the synthetic city (`manage.py generate_city`, orchestrated by trama/synthetic.py).

Groups of people with similar needs, their meetings, the neighbourhood tables, the themes each group
answers and the suggestions to convene new groups. Each function takes the city's generator `gen`
(trama.synthetic.CityGenerator), on which the apps below have left workers, people per
neighbourhood and, once themes are made, the themes by phrase bank (`gen.themes`).
"""

from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Group, Meeting, Membership, Suggestion
from .services import refresh_suggestions

GROUP_PREFIX = "Gruppo sintetico "
# How many, per 1,000 residents a year, per group a year, per neighbourhood a year.
GROUPS_PER_1000_YEAR = 0.3
GROUP_MEETINGS_PER_YEAR = 8  # of an active group
TABLES_PER_NEIGHBOURHOOD_YEAR = 4  # neighbourhood tables (tavoli di quartiere)
# The activities of the synthetic city: (slug, name, description, themes it usually answers).
ACTIVITIES = [
    ("compiti", "Compiti insieme", "Pomeriggi di compiti con volontari, per ragazzi di medie e superiori.", ["scuola", "giovani"]),
    ("pranzo", "Pranzo condiviso", "Un pranzo al mese cucinato insieme e aperto al quartiere.", ["solitudine", "cibo"]),
    ("riparazioni", "Angolo delle riparazioni", "Si aggiusta insieme: biciclette, piccoli elettrodomestici, vestiti.", ["casa_bollette", "lavoro"]),
    ("cammino", "Gruppo di cammino", "Passeggiate di un'ora due volte alla settimana.", ["solitudine", "salute"]),
    ("digitale", "Caffè digitale", "Un caffè e una mano con telefono, SPID e pratiche online.", ["digitale"]),
    ("italiano", "Chiacchiere in italiano", "Conversazione in italiano per chi sta imparando la lingua.", ["lingua"]),
    ("passaggi", "Passaggi di quartiere", "Volontari con l'auto per visite e commissioni.", ["trasporti", "salute"]),
    ("orto", "Orto condiviso", "Un orto curato insieme, con la raccolta divisa tra chi partecipa.", ["cibo", "caregiver"]),
]

# Models whose dates the generator sets itself (their auto_now/auto_now_add set aside while it writes).
DATED = [Group, Meeting]


def delete_synthetic(accounts):
    """Remove what an earlier run made here: its groups, and the meetings of its synthetic accounts."""
    Group.objects.filter(name__startswith=GROUP_PREFIX).delete()
    Meeting.objects.filter(created_by__in=accounts).delete()


def make_collective(gen):
    """Groups of people with similar needs in one neighbourhood, their meetings, and neighbourhood tables."""
    rng, per_thousand = gen.rng, gen.residents / 1000
    groups, members, meetings = [], [], []
    for n in range(1, round(per_thousand * GROUPS_PER_1000_YEAR * gen.years) + 1):
        hood = rng.choices(gen.hoods, gen.weights)[0]
        theme = gen.theme()
        slug, activity, _description, _themes = rng.choice(ACTIVITIES)
        created = gen.moment()
        age = (gen.end - created.date()).days
        status = (
            Group.Status.FORMING if age < 60 else rng.choices([Group.Status.ACTIVE, Group.Status.INITIATIVE, Group.Status.CLOSED], [50, 30, 20])[0]
        )
        changed = gen.later(created, 20, 120) if status != Group.Status.FORMING else None
        worker = rng.choice(gen.workers_of[hood.pk])
        group = Group(
            city=gen.city,
            neighbourhood=hood,
            name=f"{GROUP_PREFIX}{n}: {activity.lower()}",
            purpose=gen.roughen(rng.choice(gen.phrases[theme]["need"])),
            facilitator=worker,
            status=status,
            status_changed_at=changed or created,
            created_by=worker,
            created_at=created,
            closing_note="Il gruppo ha deciso di fermarsi." if status == Group.Status.CLOSED else "",
        )
        group.synthetic_activity, group.synthetic_theme = slug, theme
        groups.append(group)
        people = gen.people_of[hood.pk]
        group.synthetic_people = rng.sample(people, min(len(people), rng.randint(5, 12)))
        members += [Membership(group=group, person=p, consent_recorded_by=worker, joined_at=created) for p in group.synthetic_people]
        last = changed if status in (Group.Status.INITIATIVE, Group.Status.CLOSED) and changed else None
        last = last.date() if last else gen.end
        for _i in range(max(1, round(GROUP_MEETINGS_PER_YEAR * max(0, (last - created.date()).days) / 365))):
            starts = gen.moment(after=created, before=last)
            meeting = Meeting(
                city=gen.city,
                neighbourhood=hood,
                group=group,
                kind=Meeting.Kind.GROUP,
                title=f"Incontro del gruppo {n}",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                agenda="Come va, cosa facciamo la prossima volta.",
                minutes=gen.roughen(rng.choice(gen.phrases[theme]["note"])),
                attendance_count=None,
                created_by=worker,
                created_at=starts,
            )
            meeting.present = rng.sample(group.synthetic_people, max(1, round(len(group.synthetic_people) * rng.uniform(0.4, 0.9))))
            meetings.append(meeting)
    for hood in gen.hoods:
        for _i in range(round(TABLES_PER_NEIGHBOURHOOD_YEAR * gen.years)):
            starts = gen.moment()
            worker = rng.choice(gen.workers_of[hood.pk])
            meeting = Meeting(
                city=gen.city,
                neighbourhood=hood,
                kind=Meeting.Kind.TABLE,
                title=f"Tavolo di quartiere {hood.name}",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                is_public=True,
                place=rng.choice(gen.places[hood.pk]) if hood.pk in gen.places else None,
                agenda="Le novità del quartiere e le proposte delle realtà.",
                minutes="Presenti associazioni, parrocchia, scuola e residenti.",
                attendance_count=rng.randint(8, 40),
                created_by=worker,
                created_at=starts,
            )
            meeting.present = []
            meetings.append(meeting)
    gen.write(Group, groups, _("gruppi"))
    gen.write(Membership, members)
    gen.write(Meeting, meetings, _("incontri di gruppi e tavoli"))
    gen.link(Meeting.attendees, [(m, p) for m in meetings for p in m.present])
    gen.groups = groups


def link_themes(gen):
    """Each group gets the theme of the phrase bank it was written from."""
    gen.link(Group.themes, [(g, gen.themes[g.synthetic_theme]) for g in gen.groups if g.synthetic_theme in gen.themes])


def make_suggestions(gen):
    """The suggestions to convene a group, as the refresh would have left them on the evening of the last day."""
    evening, before = datetime.combine(gen.end, time(20), tzinfo=gen.zone), timezone.now()
    created, _updated, _deleted = refresh_suggestions(gen.city, now=evening)
    Suggestion.objects.filter(city=gen.city, created_at__gte=before).update(created_at=evening, updated_at=evening)
    gen.counts[_("proposte di gruppo")] = created
    gen.log(f"{_('proposte di gruppo')}: {created}")
