"""Initiatives' part of the synthetic city (`manage.py generate_city`, orchestrated by trama/synthetic.py).

The activity catalogue, initiatives (from groups and from partners) with their stages, partners,
commitments, milestones, participants, autonomy assessments and agreements, and the themes they
answer. Each function takes the city's generator `gen` (trama.synthetic.CityGenerator), on which
the apps below have left organisations, workers, people per neighbourhood, groups and themes.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _

from trama.collective.models import Group
from trama.collective.synthetic import ACTIVITIES
from trama.market.synthetic import WHEN
from trama.people.models import Organisation

from .models import (
    Agreement,
    AgreementParty,
    AutonomyAssessment,
    Commitment,
    Initiative,
    InterventionObject,
    Milestone,
    Participation,
    Partner,
    StageTransition,
)

INITIATIVE_PREFIX = "Iniziativa sintetica "
OBJECT_SLUG_PREFIX = "sintetico-"
INITIATIVES_PER_1000_YEAR = 0.15  # besides those groups turn into
MILESTONES = [
    "Primo incontro aperto",
    "Trovato uno spazio stabile",
    "Dieci partecipanti regolari",
    "Una persona del gruppo coordina",
    "Prima raccolta di fondi",
    "Calendario dell'anno",
]
PARTNER_ROLES = [
    (Partner.Role.PROMOTER, 3),
    (Partner.Role.CO_MANAGER, 3),
    (Partner.Role.HOST, 3),
    (Partner.Role.FUNDER, 1),
    (Partner.Role.VOLUNTEERS, 2),
]

# Models whose dates the generator sets itself (their auto_now/auto_now_add set aside while it writes).
DATED = [InterventionObject, Initiative, Commitment, AutonomyAssessment, Agreement]


def delete_synthetic():
    """Remove what an earlier run made here: its initiatives with their agreements, and its catalogue."""
    initiatives = Initiative.objects.filter(name__startswith=INITIATIVE_PREFIX)
    Agreement.objects.filter(initiative__in=initiatives).delete()
    initiatives.delete()
    InterventionObject.objects.filter(slug__startswith=OBJECT_SLUG_PREFIX).delete()


def make_initiatives(gen):
    """The activity catalogue, initiatives (from groups and from partners) with their stages, partners,
    commitments, milestones, participants, autonomy assessments and agreements."""
    rng, per_thousand = gen.rng, gen.residents / 1000
    objects = [
        InterventionObject(
            city=gen.city,
            slug=f"{OBJECT_SLUG_PREFIX}{slug}",
            name=f"{name} (sintetico)",
            description=description,
            purpose="Un'attività aperta a tutti, dove ci si conosce facendo qualcosa insieme.",
            created_at=datetime.combine(gen.start, time(9), tzinfo=gen.zone),
        )
        for slug, name, description, _themes in ACTIVITIES
    ]
    gen.write(InterventionObject, objects, _("oggetti di intervento"))
    gen.objects = objects
    object_of = {o.slug.removeprefix(OBJECT_SLUG_PREFIX): o for o in objects}
    org_by_hood = {}
    for org_id, hood_id in (
        Organisation.neighbourhoods.through.objects.filter(organisation__in=gen.organisations)
        .values_list("organisation_id", "neighbourhood_id")
        .order_by("pk")
    ):
        org_by_hood.setdefault(hood_id, []).append(org_id)
    organisation = {o.pk: o for o in gen.organisations}

    plans = [(g.neighbourhood, g.synthetic_activity, g, g.status_changed_at) for g in gen.groups if g.status == Group.Status.INITIATIVE]
    for _i in range(round(per_thousand * INITIATIVES_PER_1000_YEAR * gen.years)):
        plans.append((rng.choices(gen.hoods, gen.weights)[0], rng.choice(ACTIVITIES)[0], None, gen.moment()))
    initiatives, hoods, transitions, partners, commitments, milestones = [], [], [], [], [], []
    participations, assessments, agreements, parties = [], [], [], []
    path = [Initiative.Stage.IDEA, Initiative.Stage.INCUBATION, Initiative.Stage.ACCOMPANIED, Initiative.Stage.AUTONOMOUS]
    for n, (hood, slug, group, created) in enumerate(plans, start=1):
        worker = rng.choice(gen.workers_of[hood.pk])
        local_orgs = [organisation[pk] for pk in org_by_hood.get(hood.pk, [])] or gen.organisations
        promoter = rng.choice(local_orgs)
        initiative = Initiative(
            city=gen.city,
            name=f"{INITIATIVE_PREFIX}{n}: {object_of[slug].name.removesuffix(' (sintetico)').lower()}",
            description=object_of[slug].description,
            intervention_object=object_of[slug],
            origin=Initiative.Origin.GROUP if group else Initiative.Origin.PARTNER,
            origin_group=group,
            origin_organisation=None if group else promoter,
            when=rng.choice(WHEN),
            how_to_join="Basta presentarsi, oppure scrivere alla realtà che la promuove.",
            contact_email=promoter.email,
            lead_worker=worker,
            created_by=worker,
            created_at=created,
            updated_at=created,
            place=rng.choice(gen.places[hood.pk]) if hood.pk in gen.places and rng.random() < 0.6 else None,
        )
        # Walk the lifecycle as far as its age allows; some end along the way.
        moment, stage = created, Initiative.Stage.IDEA
        for target in path[1:]:
            step = gen.later(moment, 30, 200)
            if step is None or rng.random() < 0.25:
                break
            transitions.append(
                StageTransition(
                    initiative=initiative, from_stage=stage, to_stage=target, reason="Verifica con i partner e il gruppo.", by=worker, at=step
                )
            )
            moment, stage = step, target
        if stage != Initiative.Stage.AUTONOMOUS and rng.random() < 0.1:
            ended = gen.later(moment, 30, 200)
            if ended is not None:
                transitions.append(
                    StageTransition(
                        initiative=initiative,
                        from_stage=stage,
                        to_stage=Initiative.Stage.ENDED,
                        reason="Non ci sono più le condizioni per continuare.",
                        by=worker,
                        at=ended,
                    )
                )
                moment, stage = ended, Initiative.Stage.ENDED
        initiative.stage, initiative.stage_changed_at, initiative.updated_at = stage, moment, moment
        initiative.is_public = stage in (Initiative.Stage.ACCOMPANIED, Initiative.Stage.AUTONOMOUS)
        initiatives.append(initiative)
        hoods.append((initiative, hood))

        chosen = [promoter] + [o for o in rng.sample(local_orgs, min(len(local_orgs), rng.randint(0, 2))) if o != promoter]
        for i, org in enumerate(chosen):
            role = Partner.Role.PROMOTER if i == 0 else rng.choices([r for r, _w in PARTNER_ROLES[1:]], [w for _r, w in PARTNER_ROLES[1:]])[0]
            partner = Partner(initiative=initiative, organisation=org, role=role, since=created.date())
            partners.append(partner)
            if rng.random() < 0.7:
                kind = rng.choice(["hours", "space_hours", "goods", "money"])
                commitments.append(
                    Commitment(
                        initiative=initiative,
                        partner=partner,
                        description=f"Contributo di {org.name}",
                        kind=kind,
                        quantity=Decimal(rng.choice([10, 20, 40, 100, 300])),
                        created_at=created,
                        due_date=(created + timedelta(days=rng.randint(60, 365))).date(),
                    )
                )
        for title in rng.sample(MILESTONES, rng.randint(2, 3)):
            due = (created + timedelta(days=rng.randint(30, 400))).date()
            reached = gen.later(created, 20, 300)
            milestones.append(
                Milestone(initiative=initiative, title=title, due_date=due, reached_on=reached.date() if reached and rng.random() < 0.6 else None)
            )
        pool = list(group.synthetic_people) if group else []
        others = gen.people_of[hood.pk]
        pool += [p for p in rng.sample(others, min(len(others), rng.randint(3, 15))) if p not in pool]
        for person in pool:
            joined = max(created, person.first_contact_at)
            participations.append(
                Participation(initiative=initiative, person=person, joined_at=joined, first_contact=abs((person.first_contact_at - joined).days) < 2)
            )
        if stage in (Initiative.Stage.ACCOMPANIED, Initiative.Stage.AUTONOMOUS, Initiative.Stage.ENDED):
            level = 2 if stage == Initiative.Stage.AUTONOMOUS else 1
            on = moment.date()
            assessments.append(
                AutonomyAssessment(
                    initiative=initiative,
                    assessed_on=on,
                    own_leadership=min(3, level + rng.randint(0, 1)),
                    own_resources=min(3, level + rng.randint(-1, 1)),
                    own_decisions=min(3, level + rng.randint(0, 1)),
                    ties=min(3, level + rng.randint(0, 1)),
                    assessed_by=worker,
                    created_at=datetime.combine(on, time(17), tzinfo=gen.zone),
                )
            )
        if stage != Initiative.Stage.IDEA and rng.random() < 0.5:
            starts = (created + timedelta(days=rng.randint(20, 90))).date()
            starts = min(starts, gen.end)
            agreement = Agreement(
                city=gen.city,
                kind=rng.choice([Agreement.Kind.PACT, Agreement.Kind.PACT, Agreement.Kind.CO_DESIGN]),
                title=f"Patto per {initiative.name.lower()}",
                subject=initiative.description,
                initiative=initiative,
                starts_on=starts,
                ends_on=starts + timedelta(days=730),
                status=Agreement.Status.ACTIVE if stage != Initiative.Stage.ENDED else Agreement.Status.TERMINATED,
                created_by=worker,
                created_at=datetime.combine(starts, time(10), tzinfo=gen.zone),
            )
            agreements.append(agreement)
            parties.append(AgreementParty(agreement=agreement, name="Comune", commitments="Spazi, assicurazione, comunicazione."))
            parties += [AgreementParty(agreement=agreement, organisation=org, commitments="Volontari e materiali.") for org in chosen]

    gen.write(Initiative, initiatives, _("iniziative"))
    gen.initiatives = initiatives
    gen.link(Initiative.neighbourhoods, hoods)
    for rows, model in (
        (transitions, StageTransition),
        (partners, Partner),
        (commitments, Commitment),
        (milestones, Milestone),
        (participations, Participation),
        (assessments, AutonomyAssessment),
        (agreements, Agreement),
        (parties, AgreementParty),
    ):
        gen.write(model, rows)  # in this order: each row's parents have their ids by then
    gen.counts[_("partner, impegni, traguardi e partecipanti delle iniziative")] = (
        len(partners) + len(commitments) + len(milestones) + len(participations)
    )


def link_themes(gen):
    """Each activity gets the themes it usually answers; each initiative its group's theme, else its activity's."""
    themes = gen.themes
    answers = {slug: [themes[k] for k in answered if k in themes] for slug, _n, _d, answered in ACTIVITIES}
    gen.link(InterventionObject.themes, [(o, t) for o in gen.objects for t in answers[o.slug.removeprefix(OBJECT_SLUG_PREFIX)]])
    gen.link(
        Initiative.themes,
        [
            (i, t)
            for i in gen.initiatives
            for t in (
                [themes[i.origin_group.synthetic_theme]]
                if i.origin_group and i.origin_group.synthetic_theme in themes
                else answers[i.intervention_object.slug.removeprefix(OBJECT_SLUG_PREFIX)]
            )
        ],
    )
