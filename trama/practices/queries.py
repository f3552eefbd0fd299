"""Reading practice sheets and the bodies' decisions: searches, "who has done something like this?", public lists."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from trama.collective.models import Decision
from trama.market import meaning
from trama.market.answers import explain, scorer
from trama.market.models import Match, Need
from trama.territory.models import City
from trama.text import stems

from .models import Body, DecisionLink, Practice
from .rules import DECISIONS, PRACTICES

if TYPE_CHECKING:
    from collections.abc import Iterable

    from trama.access import Viewer
    from trama.territory.models import Neighbourhood
    from trama.themes.models import Theme


def practices_visible_to(user: Viewer) -> QuerySet[Practice]:
    return PRACTICES.visible_to(user)


def published(city: City | None) -> QuerySet[Practice]:
    return Practice.objects.filter(city=city, status=Practice.Status.PUBLISHED)


def search(
    practices: QuerySet[Practice], words: str = "", theme: Theme | None = None, neighbourhood: Neighbourhood | None = None
) -> QuerySet[Practice]:
    """Sheets holding every word (in any of their texts), of a theme, of a neighbourhood."""
    for word in words.split():
        practices = practices.filter(
            Q(title__icontains=word)
            | Q(what_we_did__icontains=word)
            | Q(with_whom__icontains=word)
            | Q(what_it_took__icontains=word)
            | Q(what_worked__icontains=word)
            | Q(what_we_would_change__icontains=word)
        )
    if theme is not None:
        practices = practices.filter(themes=theme)
    if neighbourhood is not None:
        practices = practices.filter(neighbourhoods=neighbourhood)
    return practices.distinct().prefetch_related("neighbourhoods", "themes")


def of_theme(practices: QuerySet[Practice], theme: Theme, limit: int = 10) -> list[Practice]:
    """Who has done something like this: the sheets tagged with the theme first, then those whose words meet
    the theme's name and key phrases."""
    tagged = list(practices.filter(themes=theme).distinct().order_by("-updated_at")[:limit])
    words = stems(" ".join([theme.name, theme.suggested_name, *[str(p) for p in (theme.key_phrases or [])]]))
    if len(tagged) < limit and words:
        near = Q()
        for word in set(words):
            if len(word) >= 4:
                near |= Q(title__icontains=word) | Q(what_we_did__icontains=word) | Q(what_worked__icontains=word)
        if near:
            tagged += list(practices.filter(near).exclude(pk__in=[p.pk for p in tagged]).distinct().order_by("-updated_at")[: limit - len(tagged)])
    return tagged


@dataclass
class Similar:
    practice: Practice
    score: float
    why: str


def similar_to_need(practices: QuerySet[Practice], need: Need, limit: int = 10) -> list[Similar]:
    """Who has done something like this need: the sheets whose words or meaning are close to it (the market's
    scoring of answers: shared rare words, meaning vectors, the place)."""
    score = scorer(need)
    out = []
    for practice in practices.filter(city_id=need.city_id).prefetch_related("neighbourhoods").distinct():
        text = f"{practice.title} {practice.what_we_did} {practice.what_worked}"
        result = score(stems(text), [n.pk for n in practice.neighbourhoods.all()], meaning.from_bytes(practice.embedding, practice.embedding_model))
        if result is None:
            continue
        total, parts = result
        _reasons, line = explain(need, Match.Kind.GROUP, text, parts, score.rarity)
        out.append(Similar(practice, total, line))
    return sorted(out, key=lambda s: -s.score)[:limit]


def decisions_visible_to(user: Viewer) -> QuerySet[DecisionLink]:
    return DECISIONS.visible_to(user).select_related("decision__meeting", "body", "practice", "initiative", "responsible_organisation")


def body_decisions(body: Body) -> QuerySet[Decision]:
    return Decision.objects.filter(meeting__in=body.meetings.values("meeting_id")).select_related("meeting").order_by("-meeting__starts_at", "pk")


def public_steering_decisions(city: City | None) -> QuerySet[Decision]:
    """The steering group's decisions, for its public page: text, date and the organisation and role that answer for them."""
    return (
        Decision.objects.filter(meeting__in=Body.objects.filter(city=city, kind=Body.Kind.STEERING).values("meetings__meeting_id"))
        .select_related("meeting")
        .order_by("-meeting__starts_at", "pk")
    )


def links_of(decisions: Iterable[Decision]) -> dict[int, DecisionLink]:
    links = DecisionLink.objects.filter(decision__in=[d.pk for d in decisions]).select_related("practice", "initiative", "responsible_organisation")
    return {link.decision_id: link for link in links.prefetch_related("concerns")}
