"""G5 Objects of intervention: who takes part in the activities."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trama.initiatives.models import InterventionObject, Participation

from . import (
    NO_PARTICIPANTS,
    _during_period,
    _has_any,
    _in_period,
    _per_area,
    _with_breakdown,
    indicator,
    no_data,
)


def _objects(ctx):
    """[(intervention object id, name)] of the city, with None for initiatives without one (one query)."""

    def read():
        objects = list(InterventionObject.objects.filter(city=ctx.city).order_by("name", "pk").values_list("pk", "name"))
        return objects + [(None, _("senza oggetto di intervento"))]

    return ctx.once("objects", read)


def _participants(ctx, participations):
    """Distinct people per area in total and by intervention object, through the initiatives' neighbourhoods."""
    path = "initiative__neighbourhoods"
    totals = _per_area(ctx, participations, path, counted="person")
    by_object = _per_area(ctx, participations, path, counted="person", by="initiative__intervention_object")
    return _with_breakdown(ctx, totals, by_object, _objects(ctx))


@indicator(
    "g5_participants",
    "G5",
    gettext_lazy("Partecipanti agli oggetti di intervento"),
    gettext_lazy(
        "Persone che nel periodo hanno partecipato ad almeno un'iniziativa, per oggetto di intervento (chi partecipa "
        "a più oggetti conta una volta nel totale e in ciascuno nel dettaglio); nei quartieri dell'iniziativa."
    ),
    "people",
    per_1000=True,
)
def g5_participants(ctx):
    if not _has_any(ctx, Participation, initiative__city=ctx.city):
        return no_data(ctx, NO_PARTICIPANTS)
    taking_part = Participation.objects.filter(_during_period(ctx, "joined_at", "left_at"), initiative__city=ctx.city)
    return _participants(ctx, taking_part)


@indicator(
    "g5_first_contact",
    "G5",
    gettext_lazy("Persone arrivate da un'attività"),
    gettext_lazy(
        "Persone il cui primo contatto con il programma è avvenuto nel periodo partecipando a un'iniziativa, per "
        "oggetto di intervento; nei quartieri dell'iniziativa."
    ),
    "people",
    per_1000=True,
)
def g5_first_contact(ctx):
    if not _has_any(ctx, Participation, initiative__city=ctx.city):
        return no_data(ctx, NO_PARTICIPANTS)
    first = Participation.objects.filter(initiative__city=ctx.city, first_contact=True, **_in_period(ctx, "joined_at"))
    return _participants(ctx, first)
