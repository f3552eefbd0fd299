"""Writes of insights: stories of change and participatory reviews."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trama.access import role_of, works_in
from trama.collective.models import Meeting
from trama.collective.services import save_meeting

from .models import Review, Story
from .periods import parse
from .rules import STORIES

if TYPE_CHECKING:
    from trama.access import User
    from trama.people.models import Organisation
    from trama.territory.models import Neighbourhood


@transaction.atomic
def record_story(*, by: User, organisation: Organisation | None = None, **fields: Any) -> Story:
    """Record a story with the person's consent (given now). Staff write in the neighbourhoods they work in;
    a partner writes for their organisation, in any neighbourhood of the city."""
    neighbourhood = fields["neighbourhood"]
    role = role_of(by)
    if role == "partner":
        if organisation is None or fields.get("person") is not None:
            raise PermissionDenied(_("Un partner racconta una storia per la sua organizzazione, senza collegare schede di persone."))
        if by.city_id and neighbourhood.city_id != by.city_id:
            raise PermissionDenied(_("Scegli un quartiere della tua città."))
    elif not works_in(by, neighbourhood):
        raise PermissionDenied(_("Puoi raccogliere storie solo nei quartieri che ti sono assegnati."))
    themes, initiatives = fields.pop("themes", []), fields.pop("initiatives", [])
    story = Story.objects.create(
        city_id=neighbourhood.city_id,
        author=by,
        organisation=organisation if role == "partner" else None,
        consent_at=timezone.now(),
        **fields,
    )
    story.themes.set(themes)
    story.initiatives.set(initiatives)
    return story


@transaction.atomic
def withdraw_consent(story: Story, *, by: User) -> None:
    """The person withdrew their consent: the story is erased, and with it its place in every review."""
    STORIES.require(by, story)
    story.delete()


@transaction.atomic
def hold_review(
    *,
    by: User,
    neighbourhood: Neighbourhood,
    title: str,
    starts_at: datetime,
    period: str,
    comments: str,
    stories: Iterable[Story] = (),
) -> Review:
    """Record a participatory review as a meeting of the neighbourhood's table (collective's Meeting) with the
    table's comments on the figures and the stories it selected (of that neighbourhood, visible to `by`)."""
    stories = list(stories)
    if any(story.neighbourhood_id != neighbourhood.pk or not STORIES.allows(by, story) for story in stories):
        raise ValidationError({"stories": _("Scegli solo storie del quartiere del tavolo.")})
    meeting = save_meeting(
        Meeting(
            city_id=neighbourhood.city_id,
            neighbourhood=neighbourhood,
            kind=Meeting.Kind.TABLE,
            title=title,
            starts_at=starts_at,
            agenda=_("Revisione partecipata: i numeri di %(period)s e le storie di cambiamento più significative.") % {"period": parse(period).label},
        ),
        by=by,
    )
    review = Review.objects.create(
        city_id=neighbourhood.city_id, neighbourhood=neighbourhood, meeting=meeting, period=period, comments=comments, created_by=by
    )
    review.stories.set(stories)
    return review


def prepare_open_figures(city_id: int | None = None) -> int:
    """Store ahead of the first look the figures the dashboard opens on: the current period (periods.default)
    for each set of areas an active account of the city compares (the coordinators' and each worker's
    scope), and its map's first indicator for each of their neighbourhoods. Only what is missing or out of
    date is computed (figures.prepare). Figures are keyed by their areas, so an account reads only those of
    its own scope. Returns how many sets of areas were looked at."""
    from django.conf import settings
    from django.utils.translation import override

    from trama.access import neighbourhood_scope
    from trama.people.models import User
    from trama.territory.models import City

    from . import figures, indicators, periods, queries

    period = periods.default()
    first_on_map = [next(iter(indicators.REGISTRY))]
    looked = 0
    cities = City.objects.filter(pk=city_id) if city_id else City.objects.all()
    for city in cities.order_by("pk"):
        accounts = User.objects.filter(city=city, is_active=True).order_by("pk")
        scopes = {neighbourhood_scope(user) for user in accounts if user.has_perm("insights.view_dashboard")}
        with override(settings.LANGUAGE_CODE):
            for scope in sorted(scopes, key=lambda s: (s is not None, sorted(s or ()))):
                figures.prepare(city, period, queries.areas_of_scope(city, scope))
                figures.prepare(city, period, queries.neighbourhood_areas_of_scope(city, scope), keys=first_on_map)
                looked += 1
    return looked
