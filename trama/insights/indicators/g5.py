"""G5 Objects of intervention: who takes part in the activities."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trama.initiatives.queries import has_participations, intervention_object_names, participants

from . import (
    NO_PARTICIPANTS,
    _areas,
    _has_any,
    _with_breakdown,
    indicator,
    no_data,
)


def _objects(ctx):
    """[(intervention object id, name)] of the city, with None for initiatives without one (one query)."""
    return ctx.once("objects", lambda: intervention_object_names(ctx.city) + [(None, _("senza oggetto di intervento"))])


def _participants(ctx, first_contact):
    """Distinct people per area in total and by intervention object, through the initiatives' neighbourhoods."""
    totals, by_object = participants(ctx.city, ctx.period.since, ctx.period.until, _areas(ctx), first_contact=first_contact)
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
    if not _has_any(ctx, has_participations):
        return no_data(ctx, NO_PARTICIPANTS)
    return _participants(ctx, first_contact=False)


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
    if not _has_any(ctx, has_participations):
        return no_data(ctx, NO_PARTICIPANTS)
    return _participants(ctx, first_contact=True)
