"""Reads of the market reused by views, API and insights."""

from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.db import connection
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth, TruncQuarter, TruncYear
from django.utils.translation import gettext as _

from trama.access import COORDINATOR, role_of
from trama.privacy.suppression import suppress_counts
from trama.territory.models import Neighbourhood
from trama.territory.queries import adjacent_neighbourhoods

from .index import KIND_CODES, index_for
from .models import Contribution, Match, Need, Offer
from .rules import CONTRIBUTIONS, MATCHES, NEEDS, OFFERS
from .text import shared_words

# Weights of the ranking: what the text says counts most, then where, when and what kind.
WEIGHTS = {"text": 0.55, "place": 0.2, "time": 0.15, "kind": 0.1}


def offers_visible_to(user):
    """Offers `user` may see (rules.OFFERS): the public sees only open offers of organisations."""
    return OFFERS.visible_to(user)


def needs_visible_to(user):
    """Needs are never public: coordinators in their city, workers in their neighbourhoods, citizens their own."""
    return NEEDS.visible_to(user)


def matches_visible_to(user):
    return MATCHES.visible_to(user)


def contributions_visible_to(user):
    return CONTRIBUTIONS.visible_to(user)


def _full_text(queryset, text, fields, config="italian"):
    """PostgreSQL full-text search in Italian where available, a plain icontains elsewhere."""
    text = (text or "").strip()[:100]
    if not text:
        return queryset
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        vector = SearchVector(*fields, config=config)
        return queryset.annotate(_search=vector).filter(_search=SearchQuery(text, config=config, search_type="websearch"))
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__icontains": text})
    return queryset.filter(condition)


def search_offers(queryset, *, q="", neighbourhood=None, kind="", status=""):
    """Filter offers by words, neighbourhood, kind and status."""
    if neighbourhood:
        queryset = queryset.filter(neighbourhoods=neighbourhood)
    if kind:
        queryset = queryset.filter(kind=kind)
    if status:
        queryset = queryset.filter(status=status)
    return _full_text(queryset, q, ["title", "description"])


def search_needs(queryset, *, q="", neighbourhood=None, urgency="", status=""):
    if neighbourhood:
        queryset = queryset.filter(neighbourhood=neighbourhood)
    if urgency:
        queryset = queryset.filter(urgency=urgency)
    if status:
        queryset = queryset.filter(status=status)
    return _full_text(queryset, q, ["text"])


@dataclass
class Candidate:
    offer: Offer
    score: float
    parts: dict
    reasons: list = field(default_factory=list)


def ranked_offers(need, limit=10, adjacent=None, for_user=None):
    """Open offers that could answer `need`, best first, each with the reasons for its place.

    With `for_user`, only offers that account may see (rules.OFFERS): a worker is never shown,
    nor can propose, a person's offer outside their neighbourhoods.

    Score = 0.55 text similarity (TF-IDF over Italian stems) + 0.2 place (same
    neighbourhood 1, adjacent 0.5) + 0.15 days and times overlap + 0.1 kind.
    Offers with nothing in common in text, place or kind are left out.
    """
    index = index_for(need.city_id)
    n = len(index.ids)
    if n == 0:
        return []
    adjacent = adjacent_neighbourhoods(need.neighbourhood) if adjacent is None else adjacent
    text = index.text_scores(need.search_tokens)
    place = index.place_scores(need.neighbourhood_id, adjacent)
    when = index.time_scores(need.days, need.slots)
    kind = (index.kind == KIND_CODES[need.kind]).astype(np.float32) if need.kind else np.zeros(n, dtype=np.float32)
    total = WEIGHTS["text"] * text + WEIGHTS["place"] * place + WEIGHTS["time"] * when + WEIGHTS["kind"] * kind
    eligible = index.open_mask() & ((text > 0) | (place > 0) | (kind > 0))
    if for_user is not None:
        eligible &= _visible_mask(index, for_user, need.city_id)
    total = np.where(eligible, total, -1.0)
    k = min(limit * 3, n)  # a few spare, in case the database says some are no longer open
    top = np.argpartition(-total, k - 1)[:k] if k < n else np.arange(n)
    top = [int(i) for i in top[np.argsort(-total[top], kind="stable")] if total[i] >= 0]
    offers = Offer.objects.filter(pk__in=[int(index.ids[i]) for i in top]).select_related("organisation", "person")
    by_id = {o.pk: o for o in offers}
    need_stems = need.search_tokens.split()
    out = []
    for i in top:
        offer = by_id.get(int(index.ids[i]))
        if offer is None or offer.status != Offer.Status.OPEN or offer.remaining <= 0:
            continue
        parts = {"text": float(text[i]), "place": float(place[i]), "time": float(when[i]), "kind": float(kind[i])}
        out.append(Candidate(offer, float(total[i]), parts, explain(need, offer, parts, need_stems)))
        if len(out) == limit:
            break
    return out


def _visible_mask(index, user, city_id):
    """Which offers of the index `user` may see: all of them for a coordinator of the city."""
    if role_of(user) == COORDINATOR and user.city_id in (None, city_id):
        return np.ones(len(index.ids), dtype=bool)
    visible = OFFERS.visible_to(user).filter(city_id=city_id, status=Offer.Status.OPEN).values_list("pk", flat=True)
    return np.isin(index.ids, np.fromiter(visible, dtype=index.ids.dtype))


def explain(need, offer, parts, need_stems):
    """Why this offer: short Italian sentences a worker can read aloud."""
    reasons = []
    common = shared_words(need_stems, f"{offer.title} {offer.description}")
    if common:
        reasons.append(_("Parole in comune: %(words)s.") % {"words": ", ".join(common)})
    if parts["place"] >= 1:
        reasons.append(_("Serve lo stesso quartiere."))
    elif parts["place"] > 0:
        reasons.append(_("Serve un quartiere vicino."))
    if parts["time"] >= 1 and (need.days or need.slots):
        reasons.append(_("Disponibile nei giorni e negli orari richiesti."))
    elif 0 < parts["time"] < 1:
        reasons.append(_("Disponibile in parte dei giorni e degli orari richiesti."))
    if parts["kind"] > 0:
        reasons.append(_("È il tipo di aiuto cercato (%(kind)s).") % {"kind": offer.get_kind_display()})
    return reasons


# -- the ledger ----------------------------------------------------------------------------

PERIODS = {"month": TruncMonth, "quarter": TruncQuarter, "year": TruncYear}


def ledger_totals(*, city=None, by=("sector",), period=None, start=None, end=None, neighbourhoods=None):
    """Totals of the contributions ledger: euros, hours and count, grouped by any of
    'sector', 'neighbourhood', 'kind' and, with `period` ('month', 'quarter', 'year'), by period.

    Returns a list of dicts: the grouping keys plus value_eur (Decimal), hours (Decimal)
    and contributions (int), ordered by the keys. The evidence of new resources generated.
    Grouped by neighbourhood, a row carries `neighbourhood_id` and the name as `neighbourhood`:
    rows are grouped by id, so two neighbourhoods with the same name never merge.
    """
    qs = Contribution.objects.all()
    if city is not None:
        qs = qs.filter(city=city)
    if start is not None:
        qs = qs.filter(on__gte=start)
    if end is not None:
        qs = qs.filter(on__lte=end)
    if neighbourhoods is not None:
        qs = qs.filter(neighbourhood__in=neighbourhoods)
    columns = {"sector": ["sector"], "neighbourhood": ["neighbourhood__name", "neighbourhood_id"], "kind": ["kind"]}
    keys = [column for k in by for column in columns[k]]
    if period:
        qs = qs.annotate(period=PERIODS[period]("on"))
        keys.append("period")
    rows = (
        qs.values(*keys)
        .annotate(
            value_eur=Sum("value_eur"),
            hours=Sum("quantity", filter=Q(kind=Contribution.Kind.HOURS)),
            contributions=Count("pk"),
        )
        .order_by(*keys)
    )
    return [
        {**{("neighbourhood" if k == "neighbourhood__name" else k): row[k] for k in keys},
         "value_eur": row["value_eur"] or Decimal("0"), "hours": row["hours"] or Decimal("0"),
         "contributions": row["contributions"]}
        for row in rows
    ]


def time_bank_balance(person):
    """Hours `person` gave and hours they received (through matches answering their needs)."""
    given = Contribution.objects.filter(person=person, kind=Contribution.Kind.HOURS).aggregate(h=Sum("quantity"))["h"]
    received = Contribution.objects.filter(match__need__person=person, kind=Contribution.Kind.HOURS).aggregate(
        h=Sum("quantity"))["h"]
    given, received = given or Decimal("0"), received or Decimal("0")
    return {"given": given, "received": received, "balance": given - received}


def reciprocity(person):
    """Both sides of one person: what they give and what they receive."""
    return {
        "offers": list(person.offers.order_by("-created_at")[:20]),
        "needs": list(person.needs.select_related("neighbourhood").order_by("-created_at")[:20]),
        "balance": time_bank_balance(person),
    }


def public_counts(city):
    """Anonymised counts for the public, small counts hidden: open offers by kind (label -> Cell) and needs met
    by neighbourhood, one row per neighbourhood of the city in name order: `neighbourhood_id`, the name as
    `neighbourhood` and the `needs_met` Cell. Rows are grouped by id, so two neighbourhoods with the same name never merge.
    """
    offers = dict(
        Offer.objects.filter(city=city, status=Offer.Status.OPEN).values_list("kind").annotate(n=Count("pk")).order_by()
    )
    offers = {str(label): offers.get(kind, 0) for kind, label in Offer.Kind.choices}
    met = dict(
        Need.objects.filter(city=city, status=Need.Status.MET).values_list("neighbourhood_id").annotate(n=Count("pk")).order_by()
    )
    neighbourhoods = list(Neighbourhood.objects.filter(city=city).order_by("name", "pk").values_list("pk", "name"))
    cells = suppress_counts({pk: met.get(pk, 0) for pk, _ in neighbourhoods})
    return {
        "offers_by_kind": suppress_counts(offers),
        "needs_met_by_neighbourhood": [
            {"neighbourhood_id": pk, "neighbourhood": name, "needs_met": cells[pk]} for pk, name in neighbourhoods
        ],
    }


def accepted_not_started(before):
    """Matches accepted (or last changed while accepted) before `before` and not started since, with the worker
    who proposed them. The match keeps no date of acceptance: its last change stands for it."""
    return Match.objects.filter(status=Match.Status.ACCEPTED, updated_at__lt=before).select_related("proposed_by").order_by("pk")
