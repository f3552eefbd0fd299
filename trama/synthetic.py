"""A synthetic city for load tests and benchmarks (`manage.py generate_city`).

Each app makes its own records, in its `synthetic.py` (trama/people, market, attention, themes,
collective, initiatives); this module holds what they share, `CityGenerator`: the city and its
neighbourhoods, one `random.Random(seed)`, a fixed reference date, the bulk writes, and the dates the
generator sets itself. It calls the apps' parts in one fixed order, which is part of the result:
every part draws from the same random source, so the same arguments give the same records only
while the order stays. Every record is recognisable as synthetic: accounts and organisations have
e-mails at SYNTHETIC_DOMAIN, people are called "Persona sintetica N", and everything else hangs
off them.
"""

import random
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from trama.attention import synthetic as attention
from trama.attention.models import Signal
from trama.collective import synthetic as collective
from trama.initiatives import synthetic as initiatives
from trama.market import synthetic as market
from trama.market.models import Offer
from trama.people import synthetic as people
from trama.people.models import Person
from trama.people.synthetic import PERSON_PREFIX, SYNTHETIC_DOMAIN, synthetic_users
from trama.territory.models import Place
from trama.themes import synthetic as themes
from trama.themes.synthetic_phrases import THEMES

__all__ = [
    "DEFAULT_REFERENCE_DATE",
    "PERSON_PREFIX",
    "SYNTHETIC_DOMAIN",
    "CityGenerator",
    "delete_synthetic",
    "generate_city",
    "real_data_exists",
    "synthetic_users",
]

DEFAULT_REFERENCE_DATE = date(2026, 11, 1)

_NO_ACCENTS = str.maketrans("àèéìòù", "aeeiou")
_SLANG = [(" perché ", " xké "), (" non ", " nn "), (" che ", " ke "), (" per ", " x "), ("ciao", "ciaoo")]


def real_data_exists():
    """True when the database holds people, signals or offers that the generator did not make."""
    synthetic_offers = Offer.objects.filter(
        Q(person__display_name__startswith=PERSON_PREFIX) | Q(organisation__email__endswith="@" + SYNTHETIC_DOMAIN)
    )
    synthetic_signals = Signal.objects.filter(sent_by__email__endswith="@" + SYNTHETIC_DOMAIN)
    return (
        Person.objects.exclude(display_name__startswith=PERSON_PREFIX).exists()
        or Signal.objects.exclude(pk__in=synthetic_signals.values("pk")).exists()
        or Offer.objects.exclude(pk__in=synthetic_offers.values("pk")).exists()
    )


def delete_synthetic():
    """Remove what an earlier run generated, and nothing else: each app its own records, the upper apps first."""
    accounts = synthetic_users()
    themes.delete_synthetic(accounts)
    initiatives.delete_synthetic()
    collective.delete_synthetic(accounts)
    attention.delete_synthetic(accounts)
    market.delete_synthetic(people.synthetic_people(), people.synthetic_organisations())
    people.delete_synthetic()


@contextmanager
def _dates_as_given(models):
    """Let bulk_create keep the dates we set: a city spread over years is the point of the data.

    auto_now and auto_now_add are set aside on the models' fields while the block runs, and put back
    after it (bulk_create has no other way to take a creation date from the caller)."""
    fields = [f for model in models for f in model._meta.concrete_fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


class CityGenerator:
    """What the apps' parts of a synthetic city share: they build records in memory, then write them in batches.

    Each part is a function of the generator, and leaves on it what the parts of the apps above build on
    (people's `organisations`, `coordinators`, `workers_of`, `people_of`…, collective's `groups`,
    themes' `themes`); `theme_of` notes which phrase bank each text was written from."""

    BATCH = 5000

    def __init__(self, city, residents, years, seed, reference_date=None, log=None, phrases=THEMES):
        self.city = city
        self.residents = residents
        self.years = years
        self.rng = random.Random(seed)
        self.log = log or (lambda message: None)
        self.zone = ZoneInfo(settings.TIME_ZONE)
        self.end = reference_date or DEFAULT_REFERENCE_DATE
        self.start = self.end - timedelta(days=round(365 * years))
        self.hoods = list(city.neighbourhoods.order_by("pk"))
        self.weights = [h.population or 1 for h in self.hoods]
        self.places = {}
        for place in Place.objects.filter(neighbourhood__in=self.hoods).order_by("pk"):
            self.places.setdefault(place.neighbourhood_id, []).append(place)
        self.phrases = phrases  # phrase bank per situation: what people write (trama/themes/synthetic_phrases.py)
        self.theme_names = list(phrases)
        self.counts = {}
        self.theme_of = {}  # (model label, id) of a text -> the phrase bank it was written from
        self.themes = {}  # phrase bank -> the Theme discovery found for it

    # Helpers ---------------------------------------------------------------

    def moment(self, after=None, before=None):
        """A local working-hours datetime between two dates; later dates likelier, as the programme grows."""
        first = after.date() if isinstance(after, datetime) else (after or self.start)
        last = before or self.end
        span = max((last - first).days, 0)
        day = first + timedelta(days=int(span * self.rng.random() ** 0.7))
        clock = time(self.rng.randrange(8, 20), self.rng.randrange(60), self.rng.randrange(60))
        moment = datetime.combine(day, clock, tzinfo=self.zone)
        return max(moment, after) if isinstance(after, datetime) else moment

    def later(self, moment, min_days, max_days):
        """`moment` plus some days, never past the reference date (None if it would be)."""
        result = moment + timedelta(days=self.rng.uniform(min_days, max_days))
        return result if result.date() <= self.end else None

    def roughen(self, text):
        """Typos and shortcuts as people write them, in some texts."""
        rng = self.rng
        r = rng.random()
        if r < 0.12:
            text = text.translate(_NO_ACCENTS)
        elif r < 0.2:
            text = text.lower()
        if rng.random() < 0.25:
            words = text.split(" ")
            i = rng.randrange(len(words))
            word = words[i]
            if len(word) > 4:
                j = rng.randrange(1, len(word) - 2)
                words[i] = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
            text = " ".join(words)
        if rng.random() < 0.12:
            before, after = rng.choice(_SLANG)
            text = f" {text} ".replace(before, after, 1).strip()
        if rng.random() < 0.15:
            text = text.rstrip(".")
        return text

    def theme(self):
        """A phrase bank, at random."""
        return self.rng.choice(self.theme_names)

    def pick_hoods(self, k):
        """Up to k distinct neighbourhoods, the more populous likelier."""
        chosen = []
        while len(chosen) < min(k, len(self.hoods)):
            hood = self.rng.choices(self.hoods, self.weights)[0]
            if hood not in chosen:
                chosen.append(hood)
        return chosen

    def write(self, model, objects, label=None):
        for start in range(0, len(objects), self.BATCH):
            model.objects.bulk_create(objects[start : start + self.BATCH])
        if label:
            self.counts[label] = self.counts.get(label, 0) + len(objects)
            self.log(f"{label}: {len(objects)}")
        return objects

    def link(self, relation, pairs):
        """Bulk-insert the rows of a many-to-many through table: (source, target) pairs."""
        through = relation.through
        source, target = relation.field.m2m_field_name(), relation.field.m2m_reverse_field_name()
        rows = [through(**{f"{source}_id": a.pk, f"{target}_id": b.pk}) for a, b in pairs]
        self.write(through, rows)

    # The city --------------------------------------------------------------

    def run(self):
        """The apps' parts, lower apps first except where a part needs another's records; the order is the seed's."""
        with _dates_as_given(people.DATED + attention.DATED + market.DATED + collective.DATED + initiatives.DATED):
            people.make_organisations(self)
            people.make_accounts(self)
            attention.make_antennas(self)
            people.make_people(self)
            market.make_market(self)
            attention.make_attention(self)
            collective.make_collective(self)
            initiatives.make_initiatives(self)
        themes.make_text_items(self)
        with _dates_as_given(themes.DATED):
            themes.make_themes(self)
            collective.link_themes(self)
            initiatives.link_themes(self)
        collective.make_suggestions(self)
        return self.counts


@transaction.atomic
def generate_city(city, residents, years, seed, reference_date=None, log=None):
    """Replace any earlier synthetic records of the database with a new synthetic city; returns counts per kind."""
    delete_synthetic()
    return CityGenerator(city, residents, years, seed, reference_date=reference_date, log=log).run()
