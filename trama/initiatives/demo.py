"""Demo records of the initiatives app for `manage.py load_demo`: idempotent (the second run changes nothing)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from trama.people.models import Organisation, User
from trama.territory.models import Place

from . import services
from .models import Agreement, AutonomyAssessment, Initiative, InterventionObject, Partner

GUIDANCE = "Presenta l'attività, non le persone a cui si rivolge."

CATALOGUE = [
    # slug, name, description, purpose, wording guidance
    (
        "compiti-insieme",
        "Compiti insieme",
        "Ragazzi, volontari e genitori fanno i compiti insieme, due pomeriggi a settimana.",
        "Dare una mano con la scuola e far conoscere le famiglie tra loro.",
        GUIDANCE + " Si dice «compiti insieme», non «doposcuola per ragazzi in difficoltà».",
    ),
    (
        "pranzo-condiviso",
        "Pranzo condiviso",
        "Si cucina e si mangia insieme: ognuno porta qualcosa o dà una mano in cucina.",
        "Stare a tavola insieme, scambiare ricette e conoscersi.",
        GUIDANCE + " È un pranzo aperto a tutti, non una mensa.",
    ),
    (
        "angolo-riparazioni",
        "Angolo delle riparazioni",
        "Biciclette, piccoli elettrodomestici, vestiti: chi sa riparare insegna a chi porta.",
        "Allungare la vita alle cose e mettere in circolo quello che si sa fare.",
        GUIDANCE,
    ),
    (
        "gruppo-di-cammino",
        "Gruppo di cammino",
        "Una camminata di un'ora nel quartiere, a passo di chiacchiera, con partenza fissa.",
        "Muoversi, uscire di casa, scoprire il quartiere in compagnia.",
        GUIDANCE + " Si parla di camminare insieme, non dell'età o della salute di chi viene.",
    ),
    (
        "sportello-digitale",
        "Sportello digitale",
        "Volontari aiutano a usare smartphone, SPID, app e siti dei servizi.",
        "Fare da soli le pratiche online e restare in contatto con chi è lontano.",
        GUIDANCE,
    ),
    (
        "spesa-condivisa",
        "Spesa condivisa",
        "Si fa la spesa insieme, ci si accompagna e si porta a casa quello che pesa.",
        "Rendere più leggera la spesa e avere qualcuno con cui farla.",
        GUIDANCE + " Non si dice mai a chi serve: si invita a fare la spesa insieme.",
    ),
    (
        "orto-di-quartiere",
        "Orto di quartiere",
        "Un orto curato a turno da chi abita vicino, con raccolto diviso.",
        "Curare uno spazio comune e portare a casa verdura di stagione.",
        GUIDANCE,
    ),
    (
        "caffe-di-quartiere",
        "Caffè di quartiere",
        "Un caffè settimanale al punto di comunità: si chiacchiera, si scambiano notizie e favori.",
        "Avere un posto dove incontrarsi senza un motivo preciso.",
        GUIDANCE,
    ),
]

INITIATIVES = [
    # name, activity slug, stage, description, when, how to join, partners (organisation name, sector, role), commitments
    (
        "Compiti insieme al punto di comunità (demo)",
        "compiti-insieme",
        "accompanied",
        "Il lunedì e il giovedì pomeriggio si fanno i compiti insieme: ragazzi delle medie, volontari e chi vuole dare una mano.",
        "Lunedì e giovedì, 15:30–17:30",
        "Basta presentarsi la prima volta con i libri; per i volontari, scrivere.",
        [
            ("Emporio solidale (demo)", Organisation.Sector.THIRD_SECTOR, Partner.Role.CO_MANAGER),
            ("Scuola media del quartiere (demo)", Organisation.Sector.SCHOOL, Partner.Role.HOST),
        ],
        [(0, "Due volontari per pomeriggio", "hours", 80), (1, "L'aula al piano terra", "space_hours", 60)],
    ),
    (
        "Pranzo condiviso della domenica (demo)",
        "pranzo-condiviso",
        "incubation",
        "Una domenica al mese si cucina nella sala parrocchiale e si pranza insieme. Ognuno porta qualcosa o dà una mano.",
        "La prima domenica del mese, dalle 12",
        "Scrivi o passa in sala la mattina: c'è sempre un posto in più.",
        [
            ("Parrocchia del quartiere (demo)", Organisation.Sector.FAITH, Partner.Role.HOST),
            ("Bottega di quartiere (demo)", Organisation.Sector.BUSINESS, Partner.Role.FUNDER),
        ],
        [(0, "La sala con la cucina", "space_hours", 24), (1, "Pane e frutta per ogni pranzo", "goods", 12)],
    ),
    (
        "Angolo delle riparazioni (demo)",
        "angolo-riparazioni",
        "autonomous",
        "Il sabato mattina, nel retrobottega, chi sa riparare biciclette e piccoli oggetti insegna a chi li porta.",
        "Sabato, 9:30–12:30",
        "Porta quello che vuoi riparare.",
        [
            ("Associazione Il Ponte (demo)", Organisation.Sector.THIRD_SECTOR, Partner.Role.PROMOTER),
            ("Bottega di quartiere (demo)", Organisation.Sector.BUSINESS, Partner.Role.HOST),
        ],
        [(0, "Attrezzi e ricambi", "euros", 300), (1, "Il retrobottega il sabato", "space_hours", 100)],
    ),
]
PATH = ["incubation", "accompanied", "autonomous"]


@transaction.atomic
def load_demo(city):
    neighbourhoods = list(city.neighbourhoods.filter(is_pilot=True).order_by("name")) or list(city.neighbourhoods.order_by("name")[:3])
    if not neighbourhoods:
        return ""
    coordinator = User.objects.filter(username="coordinatrice").first()
    worker = User.objects.filter(username="operatore").first()
    scope = list(worker.neighbourhoods.order_by("name")) if worker else []
    homes = (scope + [n for n in neighbourhoods if n not in scope])[:3]
    objects = {}
    for slug, name, description, purpose, guidance in CATALOGUE:
        objects[slug], _created = InterventionObject.objects.get_or_create(
            city=city,
            slug=slug,
            defaults={"name": name, "description": description, "purpose": purpose, "wording_guidance": guidance},
        )

    today = timezone.localdate()
    for n, (name, slug, stage, description, when, how, partners, commitments) in enumerate(INITIATIVES):
        if Initiative.objects.filter(city=city, name=name).exists():
            continue
        home = homes[n % len(homes)]
        place = Place.objects.filter(neighbourhood=home, is_public=True).order_by("name").first()
        initiative = services.create_initiative(
            city=city,
            by=coordinator,
            origin=Initiative.Origin.PARTNER if n == 2 else Initiative.Origin.WORKER,
            neighbourhoods=[home],
            name=name,
            description=description,
            intervention_object=objects[slug],
            when=when,
            place=place,
            how_to_join=how,
            is_public=True,
            lead_worker=worker,
            participant_count=12 + 4 * n,
        )
        for step in PATH[: PATH.index(stage) + 1]:
            services.move_initiative(initiative, step, "Passaggio dimostrativo", by=coordinator)
        made = []
        for org_name, sector, role in partners:
            organisation, _created = Organisation.objects.get_or_create(city=city, name=org_name, defaults={"sector": sector})
            made.append(services.add_partner(initiative, organisation=organisation, role=role, by=coordinator))
        for index, text, kind, quantity in commitments:
            services.add_commitment(
                initiative, partner=made[index], description=text, kind=kind, quantity=quantity, due_date=today + timedelta(days=180), by=coordinator
            )
        services.add_milestone(initiative, title="Primo incontro aperto", due_date=today - timedelta(days=60), by=coordinator)
        if stage != "incubation":
            scores = [(1, 0, 1, 1), (2, 1, 2, 2)] + ([(3, 2, 3, 3)] if stage == "autonomous" else [])
            for k, items in enumerate(scores):
                services.assess_autonomy(
                    initiative,
                    by=coordinator,
                    assessed_on=today - timedelta(days=90 * (len(scores) - 1 - k)),
                    **dict(zip(AutonomyAssessment.ITEMS, items)),
                )

    title = "Patto di collaborazione per il pranzo condiviso (demo)"
    if not Agreement.objects.filter(city=city, title=title).exists():
        initiative = Initiative.objects.filter(city=city, name=INITIATIVES[1][0]).first()
        parish = Organisation.objects.filter(city=city, name="Parrocchia del quartiere (demo)").first()
        agreement = services.save_agreement(
            Agreement(
                city=city,
                kind=Agreement.Kind.PACT,
                title=title,
                initiative=initiative,
                starts_on=today - timedelta(days=30),
                ends_on=today + timedelta(days=335),
                subject="Cura condivisa della sala parrocchiale per il pranzo della prima domenica del mese.",
            ),
            by=coordinator,
            neighbourhoods=list(initiative.neighbourhoods.all()) if initiative else homes[:1],
            parties=[{"name": "Comune (demo)", "commitments": "Coordinamento, comunicazione, assicurazione dei volontari."}]
            + ([{"organisation": parish, "commitments": "La sala con la cucina, una domenica al mese."}] if parish else []),
        )
        services.set_agreement_status(agreement, Agreement.Status.ACTIVE, by=coordinator)
    return (
        f"Iniziative: {InterventionObject.objects.filter(city=city).count()} attività nel catalogo, "
        f"{Initiative.objects.filter(city=city).count()} iniziative, {Agreement.objects.filter(city=city).count()} accordi."
    )
