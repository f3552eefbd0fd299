"""The market's part of the synthetic city (`manage.py generate_city`, orchestrated by trama/synthetic.py).

Offers of people and organisations, needs, the matches between them and the contributions that
followed. Each function takes the city's generator `gen` (trama.synthetic.CityGenerator), on which
the people app's part has left organisations, coordinators, workers and people; the texts come from
its phrase banks (`gen.phrases`, one per situation).
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from trama.people.models import Organisation
from trama.text import stem_text

from .models import Contribution, Match, Need, Offer
from .services import sector_of, value_of

# How many, per 1,000 residents a year or per organisation a year.
PERSON_OFFERS_PER_1000_YEAR = 2.5
ORG_OFFERS_PER_ORG_YEAR = 1.5
NEEDS_PER_1000_YEAR = 10
ORG_CONTRIBUTIONS_PER_ORG_YEAR = 2

# Said of any situation: added to some needs so texts vary beyond their theme.
NEED_CLOSERS = [
    "Grazie in anticipo.",
    "Sono disponibile il pomeriggio.",
    "Vivo da sola.",
    "Abito vicino al parco.",
    "Non ho la macchina.",
    "Anche solo una volta al mese va bene.",
    "",
]
WHEN = [
    "il sabato mattina",
    "la sera",
    "nel fine settimana",
    "il martedì",
    "quando serve",
    "una volta al mese",
    "tutti i giorni",
    "il lunedì pomeriggio",
    "su appuntamento",
]
# Offer kind -> (contribution kind, quantity range)
CONTRIBUTION_OF_OFFER = {
    "time": (Contribution.Kind.HOURS, (1, 20)),
    "skill": (Contribution.Kind.HOURS, (1, 12)),
    "knowhow": (Contribution.Kind.HOURS, (1, 10)),
    "space": (Contribution.Kind.SPACE_HOURS, (2, 40)),
    "goods": (Contribution.Kind.GOODS, (1, 30)),
    "money": (Contribution.Kind.EUROS, (20, 500)),
}

# Models whose dates the generator sets itself (their auto_now/auto_now_add set aside while it writes).
DATED = [Offer, Need, Match, Contribution]


def delete_synthetic(people, organisations):
    """Remove what an earlier run made here: the records of these synthetic people and organisations."""
    Contribution.objects.filter(Q(person__in=people) | Q(organisation__in=organisations)).delete()
    Need.objects.filter(person__in=people).delete()
    Offer.objects.filter(Q(person__in=people) | Q(organisation__in=organisations)).delete()


def need_text(gen, theme):
    bank, rng = gen.phrases[theme], gen.rng
    parts = rng.sample(bank["need"], 2 if rng.random() < 0.3 else 1) + [rng.choice(NEED_CLOSERS)]
    return gen.roughen(" ".join(p for p in parts if p))


def make_market(gen):
    rng, per_thousand = gen.rng, gen.residents / 1000
    offers, hoods_of_offer = [], []
    org_hoods = {}
    for org_id, hood_id in (
        Organisation.neighbourhoods.through.objects.filter(organisation__in=gen.organisations)
        .values_list("organisation_id", "neighbourhood_id")
        .order_by("pk")
    ):
        org_hoods.setdefault(org_id, []).append(hood_id)
    hood_by_id = {h.pk: h for h in gen.hoods}

    def offer(giver_person=None, org=None):
        theme = gen.theme()
        kind, title, description = rng.choice(gen.phrases[theme]["offer"])
        description = gen.roughen(f"{description}, {rng.choice(WHEN)}.")
        created = gen.moment()
        status = rng.choices(Offer.Status.values, [75, 8, 0, 17])[0]
        item = Offer(
            city=gen.city,
            person=giver_person,
            organisation=org,
            kind=kind,
            title=title,
            description=description,
            search_tokens=stem_text(f"{title} {description}"),
            days=rng.choice([0, 0, rng.randrange(1, 128)]),
            slots=rng.choice([0, rng.randrange(1, 8)]),
            capacity=rng.choice([1, 1, 2, 3, 5, 10]),
            status=status,
            created_by=giver_person.created_by if giver_person else rng.choice(gen.coordinators),
            created_at=created,
            updated_at=created,
        )
        item.theme = theme
        offers.append(item)
        if org:
            hoods_of_offer.append([hood_by_id[h] for h in org_hoods[org.pk]])
        else:
            extra = gen.pick_hoods(1) if rng.random() < 0.3 else []
            hoods_of_offer.append(list(dict.fromkeys([giver_person.neighbourhood] + extra)))

    for _i in range(round(per_thousand * PERSON_OFFERS_PER_1000_YEAR * gen.years)):
        offer(giver_person=rng.choice(gen.people))
    for _i in range(round(len(gen.organisations) * ORG_OFFERS_PER_ORG_YEAR * gen.years)):
        offer(org=rng.choice(gen.organisations))

    needs = []
    for _i in range(round(per_thousand * NEEDS_PER_1000_YEAR * gen.years)):
        person = rng.choice(gen.people)
        theme = gen.theme()
        created = gen.moment(after=person.first_contact_at)
        text = need_text(gen, theme)
        need = Need(
            city=gen.city,
            person=person,
            text=text,
            search_tokens=stem_text(text),
            neighbourhood=person.neighbourhood,
            urgency=rng.choices(Need.Urgency.values, [30, 50, 20])[0],
            kind=rng.choice([""] + Offer.Kind.values),
            days=rng.choice([0, rng.randrange(1, 128)]),
            slots=rng.choice([0, rng.randrange(1, 8)]),
            created_by=person.account or person.created_by,
            created_at=created,
            updated_at=created,
        )
        need.theme = theme
        needs.append(need)

    # Matches: a need is answered by offers of its theme, when they existed and had room.
    offers_by_theme = {}
    for item in offers:
        offers_by_theme.setdefault(item.theme, []).append(item)
    matches = []
    for need in needs:
        age = (gen.end - need.created_at.date()).days
        same_theme = offers_by_theme.get(need.theme, [])
        candidates = [o for o in rng.sample(same_theme, min(6, len(same_theme))) if o.created_at <= need.created_at]
        tries = rng.choices([0, 1, 2], [30, 55, 15])[0]
        for item in candidates[:tries]:
            proposed = gen.later(need.created_at, 0, 10)
            if proposed is None:
                break
            if age > 45:
                status = rng.choices(["done", "declined", "cancelled", "in_progress"], [60, 20, 12, 8])[0]
            else:
                status = rng.choices(["proposed", "accepted", "in_progress", "done", "declined"], [40, 20, 20, 10, 10])[0]
            holds = status in Match.HOLDS_CAPACITY
            if holds and (item.taken >= item.capacity or item.status not in (Offer.Status.OPEN, Offer.Status.EXHAUSTED)):
                status, holds = "declined", False
            if holds:
                item.taken += 1
                if item.taken == item.capacity:
                    item.status = Offer.Status.EXHAUSTED
            yes, no, pending = Match.Answer.YES, Match.Answer.NO, Match.Answer.PENDING
            answers = {
                "proposed": rng.choice([(pending, pending), (yes, pending), (pending, yes)]),
                "declined": rng.choice([(no, pending), (yes, no), (no, yes)]),
                "cancelled": (yes, yes),
            }.get(status, (yes, yes))
            closed = gen.later(proposed, 3, 40) if status in ("done", "declined", "cancelled") else None
            if status in ("done", "declined", "cancelled") and closed is None:
                closed = datetime.combine(gen.end, time(12), tzinfo=gen.zone)
            matches.append(
                Match(
                    need=need,
                    offer=item,
                    status=status,
                    score=round(rng.uniform(0.2, 0.95), 3),
                    need_answer=answers[0],
                    offer_answer=answers[1],
                    follow_up_on=(proposed + timedelta(days=14)).date() if status in Match.ACTIVE else None,
                    outcome=rng.choice(gen.phrases[need.theme]["note"]) if status == "done" else "",
                    proposed_by=rng.choice(gen.workers_of[need.neighbourhood_id]),
                    proposed_at=proposed,
                    updated_at=closed or proposed,
                    closed_at=closed,
                )
            )
            need.status = (
                Need.Status.MET
                if status == "done"
                else (Need.Status.BROKERING if status in Match.ACTIVE and need.status != Need.Status.MET else need.status)
            )
        if need.status == Need.Status.OPEN and age > 120:
            need.status = rng.choices([Need.Status.OPEN, Need.Status.WITHDRAWN, Need.Status.MET], [40, 40, 20])[0]

    gen.write(Offer, offers, _("offerte"))
    gen.link(Offer.neighbourhoods, [(o, h) for o, hoods in zip(offers, hoods_of_offer) for h in hoods])
    gen.write(Need, needs, _("richieste"))
    gen.theme_of.update(((Need._meta.label_lower, n.pk), n.theme) for n in needs)
    gen.write(Match, matches, _("abbinamenti"))

    contributions = []
    for match in matches:
        if match.status != Match.Status.DONE:
            continue
        item = match.offer
        contributions.append(
            contribution(
                gen,
                item.kind,
                person=item.person,
                organisation=item.organisation,
                neighbourhood=match.need.neighbourhood,
                on=match.closed_at.date(),
                match=match,
                by=match.proposed_by,
            )
        )
    for _i in range(round(len(gen.organisations) * ORG_CONTRIBUTIONS_PER_ORG_YEAR * gen.years)):
        org = rng.choice(gen.organisations)
        contributions.append(
            contribution(
                gen,
                rng.choice(["space", "goods", "money", "time"]),
                organisation=org,
                neighbourhood=hood_by_id[rng.choice(org_hoods[org.pk])],
                on=gen.moment().date(),
                by=rng.choice(gen.coordinators),
                note="Contributo a un'iniziativa di quartiere",
            )
        )
    gen.write(Contribution, contributions, _("contributi"))


def contribution(gen, offer_kind, *, neighbourhood, on, by, person=None, organisation=None, match=None, note=""):
    rng = gen.rng
    kind, (low, high) = CONTRIBUTION_OF_OFFER[offer_kind]
    quantity = Decimal(rng.randint(low, high))
    area = Decimal(rng.choice([20, 30, 50, 80, 120])) if kind == Contribution.Kind.SPACE_HOURS else None
    declared = Decimal(rng.randint(5, 300)) if kind == Contribution.Kind.GOODS and rng.random() < 0.5 else None
    return Contribution(
        city=gen.city,
        kind=kind,
        quantity=quantity,
        area_sqm=area,
        declared_value=declared,
        value_eur=value_of(gen.city, kind, quantity, area, declared),
        person=person,
        organisation=organisation,
        sector=sector_of(person, organisation),
        neighbourhood=neighbourhood,
        on=on,
        match=match,
        note=note,
        recorded_by=by,
        created_at=datetime.combine(on, time(18), tzinfo=gen.zone),
    )
