"""G3 Going towards: the people reached proactively, how soon, what was taken up."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trama.attention.queries import RECORDED_CHANNELS, has_signals
from trama.people.queries import PROACTIVE_CHANNELS, SELF_CHANNEL, has_people

from . import (
    Value,
    _has_any,
    _metrics,
    _people_sum,
    _share,
    _signals_per_channel,
    _sum_over,
    indicator,
    no_data,
)


def _people_indicator(keep):
    def compute(ctx):
        if not _has_any(ctx, has_people):
            return no_data(ctx, _("Nessuna persona ancora registrata."))
        return {key: Value(n) for key, n in _people_sum(ctx, keep).items()}

    return compute


indicator(
    "g3_reached",
    "G3",
    gettext_lazy("Persone raggiunte dalla rete"),
    gettext_lazy("Persone conosciute nel periodo grazie a una segnalazione di un'antenna o a un'uscita."),
    "people",
    per_1000=True,
)(_people_indicator(lambda channel, known: channel in PROACTIVE_CHANNELS))

indicator(
    "g3_self_referred",
    "G3",
    gettext_lazy("Persone arrivate da sé"),
    gettext_lazy("Persone conosciute nel periodo che si sono presentate da sé."),
    "people",
    per_1000=True,
)(_people_indicator(lambda channel, known: channel == SELF_CHANNEL))


@indicator(
    "g3_share_reached",
    "G3",
    gettext_lazy("Quota raggiunta andando verso"),
    gettext_lazy("Tra le persone conosciute nel periodo, quota raggiunta da antenne e uscite invece che presentatasi da sé."),
    "share",
)
def g3_share_reached(ctx):
    if not _has_any(ctx, has_people):
        return no_data(ctx, _("Nessuna persona ancora registrata."))
    return _share(
        ctx, _people_sum(ctx, lambda c, k: c in PROACTIVE_CHANNELS), _people_sum(ctx, lambda c, k: True), _("Nessuna persona conosciuta nel periodo.")
    )


@indicator(
    "g3_days_to_contact",
    "G3",
    gettext_lazy("Giorni dalla segnalazione al primo contatto"),
    gettext_lazy("Mediana dei giorni tra l'arrivo di una segnalazione del periodo e il primo contatto con la persona."),
    "days",
)
def g3_days_to_contact(ctx):
    if not _has_any(ctx, has_signals):
        return no_data(ctx, _("Nessuna segnalazione ancora."))
    out = {}
    for key, metrics in _metrics(ctx).items():
        wait = metrics["median_to_first_contact"]
        out[key] = (
            Value(wait.total_seconds() / 86400) if wait is not None else Value(None, _("Nessuna segnalazione del periodo ha portato a un contatto."))
        )
    return out


@indicator(
    "g3_taken_up",
    "G3",
    gettext_lazy("Segnalazioni prese in carico"),
    gettext_lazy("Quota delle segnalazioni del periodo prese in carico da un operatore (uscita, persona già conosciuta o contatto)."),
    "share",
)
def g3_taken_up(ctx):
    if not _has_any(ctx, has_signals):
        return no_data(ctx, _("Nessuna segnalazione ancora."))
    out = {}
    for key, metrics in _metrics(ctx).items():
        share = metrics["share_taken_up"]
        out[key] = Value(share) if share is not None else Value(None, _("Nessuna segnalazione nel periodo."))
    return out


@indicator(
    "g3_signals_on_paper",
    "G3",
    gettext_lazy("Segnalazioni su carta, al telefono o di persona"),
    gettext_lazy("Segnalazioni arrivate nel periodo con una cartolina, una telefonata o di persona, registrate da un operatore."),
    "count",
)
def g3_signals_on_paper(ctx):
    if not _has_any(ctx, has_signals):
        return no_data(ctx, _("Nessuna segnalazione ancora arrivata."))
    per = {}
    for (neighbourhood, channel), count in _signals_per_channel(ctx).items():
        if channel in RECORDED_CHANNELS:
            per[neighbourhood] = per.get(neighbourhood, 0) + count
    return {key: Value(n) for key, n in _sum_over(ctx.areas, per).items()}
