"""The blocked search for similar situations proposes what the exact, all-pairs one proposes."""

import io
import random
from datetime import datetime, time

import pytest
from django.core.management import call_command
from django.utils import timezone

from trama import synthetic
from trama.collective import suggestions
from trama.collective.suggestions import Situation, suggestion_candidates
from trama.territory.demo import load_demo_territory

WORDS = [
    "spesa",
    "pesante",
    "compiti",
    "matematica",
    "solitudine",
    "sera",
    "medico",
    "visita",
    "bolletta",
    "affitto",
    "casa",
    "scale",
    "pensione",
    "nipoti",
    "autobus",
]


def proposals(candidates):
    """What a refresh writes of each candidate: who, from which situations in which order, where, about what."""
    return [(c.signature, [(s.source, s.id) for s in c.situations], c.neighbourhood_id, c.theme_id, c.key_phrases) for c in candidates]


def stars_both_ways(situations, adjacency, threshold):
    matrix = suggestions._tfidf([s.text for s in situations])[0]
    return [
        suggestions._stars(situations, method(situations, matrix, adjacency), adjacency, threshold)
        for method in (suggestions._ExactSimilarity, suggestions._BlockedSimilarity)
    ]


def random_world(seed):
    """Situations in 6 neighbourhoods on a ring (each touching the next), a few themes, people with several
    situations, some in two neighbourhoods, anonymous ones, texts from a small vocabulary."""
    rnd = random.Random(seed)
    adjacency = {nb: {nb, (nb + 1) % 6, (nb - 1) % 6} for nb in range(6)}
    people = [(f"person:{p}", rnd.randrange(6)) for p in range(40)]
    situations = []
    for i in range(rnd.randint(30, 120)):
        key, home = rnd.choice(people) if rnd.random() < 0.8 else (f"signal:{i}", rnd.randrange(6))
        nb = home if rnd.random() < 0.7 else (home + 1) % 6
        text = " ".join(rnd.sample(WORDS, rnd.randint(2, 4)))
        theme = rnd.choice([None, 1, 2, 3])
        situations.append(Situation("need", i, nb, None, text, key, theme))
    return situations, adjacency


@pytest.mark.parametrize("seed", range(40))
def test_blocked_stars_equal_exact_stars_in_random_worlds(seed):
    situations, adjacency = random_world(seed)
    exact, blocked = stars_both_ways(situations, adjacency, threshold=3)
    assert blocked == exact


def test_a_person_in_two_neighbourhoods_of_one_theme_counts_once():
    adjacency = {1: {1, 2}, 2: {1, 2}}
    gino = [Situation("need", i, nb, None, f"testo {i}", "person:gino", 7) for i, nb in ((0, 1), (1, 2))]
    others = [Situation("need", 2 + i, 1, None, f"altro {i}", f"person:{i}", 7) for i in range(3)]
    situations = gino + others
    blocked = suggestions._BlockedSimilarity(situations, None, adjacency)
    assert blocked.reach(2) == 4  # Gino and three others, not five
    exact, blocked_stars = stars_both_ways(situations, adjacency, threshold=4)
    assert blocked_stars == exact and len(exact) == 1


def test_the_cap_on_similar_texts_is_the_only_approximation(monkeypatch):
    """With the cap below what situations have, the blocked method may propose otherwise: the test above would fail."""
    situations, adjacency = random_world(3)
    for s in situations:
        s.theme_id = None  # only texts join situations
    exact, blocked = stars_both_ways(situations, adjacency, threshold=3)
    assert blocked == exact
    monkeypatch.setattr(suggestions, "SIMILAR_TEXTS_KEPT", 1)
    assert stars_both_ways(situations, adjacency, threshold=3)[1] != exact


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2])
def test_a_synthetic_city_gets_the_same_proposals_both_ways(seed):
    city = load_demo_territory()
    synthetic.generate_city(city, residents=20_000, years=3, seed=seed)
    evening = timezone.make_aware(datetime.combine(synthetic.DEFAULT_REFERENCE_DATE, time(20)))
    exact = suggestion_candidates(city, now=evening, exact=True)
    assert len(exact) >= 5
    assert proposals(suggestion_candidates(city, now=evening)) == proposals(exact)


@pytest.mark.django_db
def test_the_demo_city_gets_the_same_proposals_both_ways():
    call_command("load_demo", stdout=io.StringIO())
    city = load_demo_territory()
    for threshold in (2, 5):
        exact = suggestion_candidates(city, threshold=threshold, exact=True)
        assert exact
        assert proposals(suggestion_candidates(city, threshold=threshold)) == proposals(exact)
