"""Activities as answers to a need in the market (market.answers): initiatives open to participants
(public and running), with when and where they meet, read through this app's scope; accepting one
makes the person a participant."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from trama.market import meaning
from trama.market.answers import Answer, explain, register_provider, scorer
from trama.market.models import Match
from trama.text import stems

from .models import Initiative, Participation
from .queries import initiatives_visible_to
from .rules import PUBLIC_STAGES


def _open(need, for_user):
    initiatives = Initiative.objects.all() if for_user is None else initiatives_visible_to(for_user)
    return (
        initiatives.filter(city_id=need.city_id, is_public=True, stage__in=PUBLIC_STAGES)
        .exclude(pk__in=Participation.objects.filter(person_id=need.person_id, left_at__isnull=True).values("initiative_id"))
        .select_related("intervention_object", "place")
        .prefetch_related("neighbourhoods")
    )


def _answer(need, initiative, score):
    obj = initiative.intervention_object
    text = " ".join(x for x in (initiative.name, initiative.description, obj.name if obj else "") if x)
    neighbourhoods = [n.pk for n in initiative.neighbourhoods.all()]
    result = score(stems(text), neighbourhoods, meaning.from_bytes(initiative.embedding, initiative.embedding_model))
    if result is None:
        return None
    total, parts = result
    where = initiative.place.name if initiative.place_id else ""
    extra = [_("si fa %(when)s") % {"when": initiative.when} if initiative.when else "", _("a %(where)s") % {"where": where} if where else ""]
    reasons, line = explain(need, Match.Kind.ACTIVITY, text, parts, score.rarity, extra)
    detail = " · ".join(x for x in (initiative.when, where) if x)
    return Answer(
        Match.Kind.ACTIVITY, initiative.pk, initiative.name, total, parts, reasons, line, reverse("initiatives:detail", args=[initiative.pk]), detail
    )


def rank(need, for_user, limit):
    score = scorer(need)
    out = [a for a in (_answer(need, i, score) for i in _open(need, for_user).distinct()) if a is not None]
    return sorted(out, key=lambda a: -a.score)[:limit]


def get(need, target_id, for_user):
    initiative = _open(need, for_user).filter(pk=target_id).first()
    return None if initiative is None else _answer(need, initiative, scorer(need))


def enrol(match, by):
    from .services import join_from_match

    initiative = Initiative.objects.filter(pk=match.answer_id).first()
    if initiative is None:
        raise ValidationError(_("Questa attività non c'è più."))
    join_from_match(initiative, match.need.person, by=by)


def register():
    register_provider(Match.Kind.ACTIVITY, rank, get, enrol)
    meaning.register(Initiative)
