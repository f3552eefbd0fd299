"""Activities as answers to a need in the market (market.answers): initiatives open to participants
(public and running), with when and where they meet, read through this app's scope; accepting one
makes the person a participant."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from trama.market import meaning
from trama.market.answers import Answer, explain, needs_for_answer, register_more, register_provider, register_source, scorer
from trama.market.models import Match
from trama.text import stems

from .models import GroupActivity, Initiative, InterventionObject, Participation
from .queries import initiatives_visible_to
from .rules import PUBLIC_STAGES, initiatives_by_place


def _open(need, for_user):
    initiatives = Initiative.objects.all() if for_user is None else initiatives_visible_to(for_user)
    return (
        initiatives.filter(city_id=need.city_id, is_public=True, stage__in=PUBLIC_STAGES)
        .exclude(pk__in=Participation.objects.filter(person_id=need.person_id, left_at__isnull=True).values("initiative_id"))
        .select_related("intervention_object", "place")
        .prefetch_related("neighbourhoods")
    )


def _object_words(obj):
    """What an intervention object says of itself, for the needs it answers: its name, what it is, what for."""
    return [obj.name, obj.description, obj.purpose] if obj is not None else []


def _answer(need, initiative, score):
    obj = initiative.intervention_object
    # The activity answers with its own words and those of the intervention object it runs.
    text = " ".join(x for x in (initiative.name, initiative.description, *_object_words(obj)) if x)
    neighbourhoods = [n.pk for n in initiative.neighbourhoods.all()]
    result = score(stems(text), neighbourhoods, meaning.from_bytes(initiative.embedding, initiative.embedding_model))
    if result is None:
        return None
    total, parts = result

    def later():  # written when the answer is shown (market.answers.Answer)
        where = initiative.place.name if initiative.place_id else ""
        extra = [_("si fa %(when)s") % {"when": initiative.when} if initiative.when else "", _("a %(where)s") % {"where": where} if where else ""]
        reasons, line = explain(need, Match.Kind.ACTIVITY, text, parts, score.rarity, extra)
        detail = " · ".join(x for x in (initiative.when, where) if x)
        return {"reasons": reasons, "explanation": line, "url": reverse("initiatives:detail", args=[initiative.pk]), "detail": detail}

    return Answer(Match.Kind.ACTIVITY, initiative.pk, initiative.name, total, parts, later=later)


def _text(initiative_fields, obj_fields):
    return " ".join(x for x in (*initiative_fields, *obj_fields) if x)


def _rows(city_id):
    """The city's activities open to participants, for the answers' index: their words and those of the
    intervention object they run, their neighbourhoods, their meaning."""
    initiatives = Initiative.objects.filter(city_id=city_id, is_public=True, stage__in=PUBLIC_STAGES).order_by("pk")
    rows = list(
        initiatives.values_list(
            "pk",
            "name",
            "description",
            "intervention_object__name",
            "intervention_object__description",
            "intervention_object__purpose",
            "embedding",
            "embedding_model",
        )
    )
    places = {}
    for pk, nb in Initiative.neighbourhoods.through.objects.filter(initiative__in=initiatives).values_list("initiative_id", "neighbourhood_id"):
        places.setdefault(pk, []).append(nb)
    for pk, name, description, obj_name, obj_description, obj_purpose, embedding, model in rows:
        yield pk, _text((name, description), (obj_name, obj_description, obj_purpose)), places.get(pk, []), embedding, model


def _fetch(need, pks, for_user):
    score = scorer(need)
    found = (_answer(need, i, score) for i in _open(need, for_user).filter(pk__in=pks).distinct())
    return [a for a in found if a is not None]


def get(need, target_id, for_user):
    initiative = _open(need, for_user).filter(pk=target_id).first()
    return None if initiative is None else _answer(need, initiative, scorer(need))


def enrol(match, by):
    from .services import join_from_match

    initiative = Initiative.objects.filter(pk=match.answer_id).first()
    if initiative is None:
        raise ValidationError(_("Questa attività non c'è più."))
    join_from_match(initiative, match.need.person, by=by)


# -- intervention objects run by groups ----------------------------------------------------------------
# An intervention object (a door: people join an activity, not a category) is open to participants where
# it runs. Run by an initiative, it answers through the activity (its words are the activity's, above).
# Run by a group (GroupActivity), it answers through the group, with the group's next meeting (date and
# place): a group the group's own words would not have ranked. The group's provider still enrols.


def _object_groups(need, for_user):
    from trama.collective.answers import groups_to_join

    groups = groups_to_join(need, for_user)
    return GroupActivity.objects.filter(group__in=groups, intervention_object__active=True).select_related(
        "group", "group__neighbourhood", "intervention_object"
    )


def _object_group_answer(need, run, score):
    from trama.collective.answers import next_meeting

    group, obj = run.group, run.intervention_object
    text = " ".join(x for x in (*_object_words(obj), group.name, group.purpose) if x)
    result = score(stems(text), [group.neighbourhood_id], meaning.from_bytes(group.embedding, group.embedding_model))
    if result is None:
        return None
    total, parts = result

    def later():  # written when the answer is shown (market.answers.Answer): its next meeting read then
        meeting = next_meeting(group)
        when = formats.date_format(timezone.localtime(meeting.starts_at), "l j F, H:i") if meeting else ""
        where = meeting.place.name if meeting and meeting.place_id else group.neighbourhood.name
        extra = [
            _("l'attività «%(activity)s» del gruppo") % {"activity": obj.name},
            _("prossimo incontro %(when)s") % {"when": when} if when else "",
            _("a %(where)s") % {"where": where},
        ]
        reasons, line = explain(need, Match.Kind.GROUP, text, parts, score.rarity, extra)
        detail = " · ".join(x for x in (obj.name, group.get_status_display(), when, where) if x)
        return {"reasons": reasons, "explanation": line, "url": reverse("collective:group", args=[group.pk]), "detail": detail}

    return Answer(Match.Kind.GROUP, group.pk, group.name, total, parts, later=later)


def _object_group_rows(city_id):
    """Intervention objects run by the city's groups one could join, for the answers' index: the object's
    words and the group's, the group's neighbourhood and meaning (one row a run, by its id)."""
    from trama.collective.models import Group

    runs = GroupActivity.objects.filter(
        group__city_id=city_id, group__status__in=[Group.Status.FORMING, Group.Status.ACTIVE], intervention_object__active=True
    ).order_by("pk")
    fields = ("intervention_object__name", "intervention_object__description", "intervention_object__purpose", "group__name", "group__purpose")
    for pk, *words, nb, embedding, model in runs.values_list("pk", *fields, "group__neighbourhood_id", "group__embedding", "group__embedding_model"):
        yield pk, _text(words, ()), [nb], embedding, model


def _fetch_object_groups(need, pks, for_user):
    score = scorer(need)
    found = (_object_group_answer(need, run, score) for run in _object_groups(need, for_user).filter(pk__in=pks))
    return [a for a in found if a is not None]


def get_object_group(need, target_id, for_user):
    run = _object_groups(need, for_user).filter(group_id=target_id).first()
    return None if run is None else _object_group_answer(need, run, scorer(need))


def needs_it_answers(initiative, for_user, limit=10):
    """The other direction: the open needs this activity could answer that `for_user` may broker, best
    first, as (need, score, parts); only while it is open to participants (public and running, as when
    it is proposed), never its participants' own needs. The caller audits the needs it shows."""
    if not (initiative.is_public and initiative.stage in PUBLIC_STAGES):
        return []
    text = " ".join(x for x in (initiative.name, initiative.description, *_object_words(initiative.intervention_object)) if x)
    participants = Participation.objects.filter(initiative=initiative, left_at__isnull=True).values_list("person_id", flat=True)
    return needs_for_answer(
        Match.Kind.ACTIVITY,
        initiative.pk,
        city_id=initiative.city_id,
        text=text,
        vector=meaning.from_bytes(initiative.embedding, initiative.embedding_model),
        neighbourhoods=initiative.neighbourhoods.all(),
        people=participants,
        for_user=for_user,
        limit=limit,
    )


def register():
    from trama.collective.models import Group
    from trama.collective.rules import groups_by_place

    through = Initiative.neighbourhoods.through
    rank = register_source("activity", Match.Kind.ACTIVITY, _rows, _fetch, (Initiative, InterventionObject, through), by_place=initiatives_by_place)
    register_provider(Match.Kind.ACTIVITY, rank, get, enrol)
    rank_object_groups = register_source(
        "object_group",
        Match.Kind.GROUP,
        _object_group_rows,
        _fetch_object_groups,
        (GroupActivity, Group, InterventionObject),
        by_place=groups_by_place,
    )
    register_more(Match.Kind.GROUP, rank_object_groups, get_object_group)
    meaning.register(Initiative)
