"""The people app's part of the synthetic city (`manage.py generate_city`, orchestrated by trama/synthetic.py).

Organisations, the staff's and citizens' accounts, the people known to the programme and their
consents. Each function takes the city's generator `gen` (trama.synthetic.CityGenerator: its one
random source, its dates and bulk writes) and leaves on it what the apps above build on:
`organisations`, `coordinators`, `workers_of`, `antennas_of`, `staff_scope`, `people`, `people_of`.
"""

import math
from datetime import timedelta

from django.utils.translation import gettext as _

from .models import Consent, Membership, Organisation, Person, Role, User

# Every record is recognisable as synthetic: accounts and organisations have e-mails at
# SYNTHETIC_DOMAIN, people are called "Persona sintetica N", and everything else hangs off them.
SYNTHETIC_DOMAIN = "sintetico.invalid"
PERSON_PREFIX = "Persona sintetica "

# How many, per resident or per 1,000 residents.
ENGAGED_SHARE = 0.025  # people known to the programme
ACCOUNT_SHARE = 0.15  # of those, with a citizen account
ORGANISATIONS_PER_1000 = 1.0
WORKERS_PER_1000 = 0.2
ANTENNAS_PER_1000 = 2.0
ORGANISATION_KINDS = [
    (Organisation.Sector.THIRD_SECTOR, "Associazione", 30),
    (Organisation.Sector.THIRD_SECTOR, "Cooperativa", 10),
    (Organisation.Sector.BUSINESS, "Negozio", 25),
    (Organisation.Sector.FAITH, "Parrocchia", 10),
    (Organisation.Sector.SCHOOL, "Scuola", 10),
    (Organisation.Sector.PUBLIC, "Ufficio comunale", 5),
    (Organisation.Sector.INFORMAL, "Gruppo di vicinato", 10),
]

# Models whose dates the generator sets itself (their auto_now/auto_now_add set aside while it writes).
DATED = [Organisation, Person, Consent]


def synthetic_users():
    return User.objects.filter(email__endswith="@" + SYNTHETIC_DOMAIN)


def synthetic_people():
    return Person.objects.filter(display_name__startswith=PERSON_PREFIX)


def synthetic_organisations():
    return Organisation.objects.filter(email__endswith="@" + SYNTHETIC_DOMAIN)


def delete_synthetic():
    """Remove what an earlier run made here (the apps above have removed theirs first)."""
    synthetic_people().delete()
    synthetic_organisations().delete()
    synthetic_users().delete()


def allocate(total, weights):
    """Split `total` in proportion to `weights` (largest remainder): the counts add up exactly."""
    whole = sum(weights) or 1
    shares = [total * w / whole for w in weights]
    counts = [math.floor(s) for s in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: (counts[i] - shares[i], i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def make_organisations(gen):
    rng, per_thousand = gen.rng, gen.residents / 1000
    kinds, kind_weights = ORGANISATION_KINDS, [k[2] for k in ORGANISATION_KINDS]
    gen.organisations = []
    for n in range(1, max(3, round(per_thousand * ORGANISATIONS_PER_1000)) + 1):
        sector, word, _weight = rng.choices(kinds, kind_weights)[0]
        gen.organisations.append(
            Organisation(
                city=gen.city,
                name=f"{word} sintetica {n}",
                sector=sector,
                email=f"org{n}@{SYNTHETIC_DOMAIN}",
                description=f"Organizzazione sintetica generata per le prove di carico ({word.lower()}).",
                created_at=gen.moment(),
            )
        )
    gen.write(Organisation, gen.organisations, _("organizzazioni"))
    gen.link(Organisation.neighbourhoods, [(org, hood) for org in gen.organisations for hood in gen.pick_hoods(rng.randrange(1, 4))])


def account(gen, role, n, first_name):
    return User(
        username=f"sintetico-{role}-{n}",
        email=f"{role}{n}@{SYNTHETIC_DOMAIN}",
        role=role,
        city=gen.city,
        first_name=first_name,
        last_name=f"sintetico {n}",
        is_active=True,
        # Unusable, as make_password(None) makes, but from the seed: the benchmark logs in with force_login.
        password="!" + "".join(gen.rng.choices("abcdefghijklmnopqrstuvwxyz0123456789", k=40)),
        date_joined=gen.moment(before=gen.start + timedelta(days=60)),
    )


def make_accounts(gen):
    per_thousand, n_hoods = gen.residents / 1000, len(gen.hoods)
    coordinators = [account(gen, Role.COORDINATOR, n, "Coordinatore") for n in range(1, max(1, round(per_thousand / 100)) + 1)]
    workers = [account(gen, Role.WORKER, n, "Operatore") for n in range(1, max(n_hoods, round(per_thousand * WORKERS_PER_1000)) + 1)]
    partners = [account(gen, Role.PARTNER, n, "Partner") for n in range(1, max(1, len(gen.organisations) // 2) + 1)]
    antennas = [account(gen, Role.ANTENNA, n, "Antenna") for n in range(1, max(n_hoods, round(per_thousand * ANTENNAS_PER_1000)) + 1)]
    gen.write(User, coordinators + workers + partners + antennas, _("account di operatori, partner e antenne"))
    gen.coordinators = coordinators

    # Every neighbourhood has at least one worker and one antenna; the rest follow the population.
    gen.workers_of, gen.antennas_of = {h.pk: [] for h in gen.hoods}, {h.pk: [] for h in gen.hoods}
    scope = []
    for staff, of in ((workers, gen.workers_of), (antennas, gen.antennas_of)):
        counts = [1 + c for c in allocate(len(staff) - n_hoods, gen.weights)]
        position = 0
        for hood, count in zip(gen.hoods, counts):
            for user in staff[position : position + count]:
                of[hood.pk].append(user)
                scope.append((user, hood))
            position += count
    gen.link(User.neighbourhoods, scope)
    # Each organisation's partner account is its referent: the one who keeps its profile.
    gen.write(
        Membership,
        [
            Membership(organisation_id=org.pk, account_id=partners[i % len(partners)].pk, role=Membership.Role.REFERENT)
            for i, org in enumerate(gen.organisations)
        ],
    )
    gen.staff_scope = scope  # (account, neighbourhood) of every worker and antenna


def make_people(gen):
    rng = gen.rng
    total = max(len(gen.hoods), round(gen.residents * ENGAGED_SHARE))
    channels = Person.Channel.values
    gen.people, gen.people_of = [], {h.pk: [] for h in gen.hoods}
    n = 0
    for hood, count in zip(gen.hoods, allocate(total, gen.weights)):
        for _i in range(count):
            n += 1
            person = Person(
                city=gen.city,
                neighbourhood=hood,
                display_name=f"{PERSON_PREFIX}{n}",
                first_contact_channel=rng.choices(channels, [30, 20, 15, 20, 15])[0],
                known_to_services=rng.choice([True, False, False, None]),
                first_contact_at=gen.moment(),
                created_by=rng.choice(gen.workers_of[hood.pk]),
            )
            gen.people.append(person)
            gen.people_of[hood.pk].append(person)
    citizens = [account(gen, Role.CITIZEN, n, "Cittadino") for n in range(1, round(total * ACCOUNT_SHARE) + 1)]
    gen.write(User, citizens, _("account di cittadini"))
    for person, user in zip(rng.sample(gen.people, len(citizens)), citizens):
        person.account = user
    gen.write(Person, gen.people, _("persone"))

    consents = []
    for person in gen.people:
        for purpose, share in (
            (Consent.Purpose.REGISTRATION, 1),
            (Consent.Purpose.CONTACT, 0.6),
            (Consent.Purpose.GROUPS, 0.3),
            (Consent.Purpose.IDENTIFYING, 0.1),
        ):
            if rng.random() < share:
                withdrawn = gen.later(person.first_contact_at, 30, 700) if rng.random() < 0.03 else None
                consents.append(
                    Consent(person=person, purpose=purpose, given_at=person.first_contact_at, recorded_by=person.created_by, withdrawn_at=withdrawn)
                )
    gen.write(Consent, consents, _("consensi"))
