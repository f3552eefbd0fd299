"""Groups as answers to a need in the market (market.answers): forming or active groups nearby that
the person could join, read through this app's scope; accepting one makes her a member."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from trama.market import meaning
from trama.market.answers import Answer, explain, needs_for_answer, register_provider, register_source, scorer
from trama.market.models import Match
from trama.text import stems

from .models import Group, Meeting, Membership
from .queries import groups_visible_to
from .rules import groups_by_place


def _groups(need, for_user):
    groups = Group.objects.all() if for_user is None else groups_visible_to(for_user)
    return (
        groups.filter(city_id=need.city_id, status__in=[Group.Status.FORMING, Group.Status.ACTIVE])
        .exclude(pk__in=Membership.objects.filter(person_id=need.person_id, left_at__isnull=True).values("group_id"))
        .select_related("neighbourhood")
    )


def _next_meeting(group):
    return Meeting.objects.filter(group=group, starts_at__gte=timezone.now()).select_related("place").order_by("starts_at").first()


def _next_meetings(groups):
    """{group id: its next meeting} for `groups`, in one read (the first of each, by start)."""
    out = {}
    for meeting in Meeting.objects.filter(group__in=groups, starts_at__gte=timezone.now()).select_related("place").order_by("starts_at", "pk"):
        out.setdefault(meeting.group_id, meeting)
    return out


_UNREAD = object()


def _answer(need, group, score, meeting=_UNREAD):
    text = f"{group.name} {group.purpose}"
    result = score(stems(text), [group.neighbourhood_id], meaning.from_bytes(group.embedding, group.embedding_model))
    if result is None:
        return None
    total, parts = result

    def later():  # written when the answer is shown (market.answers.Answer)
        nonlocal meeting
        if meeting is _UNREAD:
            meeting = _next_meeting(group)
        when = formats.date_format(timezone.localtime(meeting.starts_at), "l j F, H:i") if meeting else ""
        extra = [
            _("un gruppo %(status)s") % {"status": group.get_status_display()},
            _("prossimo incontro %(when)s") % {"when": when} if when else "",
        ]
        reasons, line = explain(need, Match.Kind.GROUP, text, parts, score.rarity, extra)
        where = meeting.place.name if meeting and meeting.place_id else group.neighbourhood.name
        detail = " · ".join(x for x in (group.get_status_display(), when, where) if x)
        return {"reasons": reasons, "explanation": line, "url": reverse("collective:group", args=[group.pk]), "detail": detail}

    return Answer(Match.Kind.GROUP, group.pk, group.name, total, parts, later=later)


def _rows(city_id):
    """The city's groups one could join, for the answers' index: words, neighbourhood, meaning."""
    groups = Group.objects.filter(city_id=city_id, status__in=[Group.Status.FORMING, Group.Status.ACTIVE]).order_by("pk")
    for pk, name, purpose, nb, embedding, model in groups.values_list("pk", "name", "purpose", "neighbourhood_id", "embedding", "embedding_model"):
        yield pk, f"{name} {purpose}", [nb], embedding, model


def _fetch(need, pks, for_user):
    score = scorer(need)
    groups = list(_groups(need, for_user).filter(pk__in=pks))
    meetings = _next_meetings(groups) if groups else {}
    found = (_answer(need, g, score, meetings.get(g.pk)) for g in groups)
    return [a for a in found if a is not None]


def get(need, target_id, for_user):
    group = _groups(need, for_user).filter(pk=target_id).first()
    return None if group is None else _answer(need, group, scorer(need))


def enrol(match, by):
    from .services import join_from_match

    group = Group.objects.filter(pk=match.answer_id).first()
    if group is None:
        raise ValidationError(_("Questo gruppo non c'è più."))
    join_from_match(group, match.need.person, by=by)


def needs_it_answers(group, for_user, limit=10):
    """The other direction: the open needs this group could answer that `for_user` may broker, best first,
    as (need, score, parts); only while it is forming or active (as when it is proposed), never its
    members' own needs. The caller audits the needs it shows."""
    if group.status not in (Group.Status.FORMING, Group.Status.ACTIVE):
        return []
    members = Membership.objects.filter(group=group, left_at__isnull=True).values_list("person_id", flat=True)
    return needs_for_answer(
        Match.Kind.GROUP,
        group.pk,
        city_id=group.city_id,
        text=f"{group.name} {group.purpose}",
        vector=meaning.from_bytes(group.embedding, group.embedding_model),
        neighbourhoods=[group.neighbourhood],
        people=members,
        for_user=for_user,
        limit=limit,
    )


# For initiatives' intervention objects, which reach a need through the groups that run them (read with
# this app's scope, as the groups' own answers are).
groups_to_join = _groups
next_meeting = _next_meeting


def register():
    rank = register_source("group", Match.Kind.GROUP, _rows, _fetch, (Group,), by_place=groups_by_place)
    register_provider(Match.Kind.GROUP, rank, get, enrol)
    meaning.register(Group)
