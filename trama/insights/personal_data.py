"""The insights app's part of the registry of personal data: the stories of change, and what holds none, and why."""

from django.utils.translation import gettext_lazy as _

from trama.privacy.registry import BASIS_CONSENT, Erase, declare, not_about_people

declare(
    "insights.Story",
    subject=["person"],
    purpose=_("Le storie di cambiamento raccolte con il consenso della persona, senza il suo nome, per la valutazione del programma"),
    basis=BASIS_CONSENT,
    retention=_("Finché la persona non ritira il consenso o chiede la cancellazione: allora la storia è cancellata"),
    # Consent withdrawn or erasure asked: the story goes, and with it its selection in every review.
    erase=Erase.delete(),
    actors=["author"],
    texts=["title", "what_changed", "for_whom", "why_it_matters"],
    seen_by=_("Il coordinamento della città, gli operatori del quartiere della storia e l'organizzazione del partner che l'ha raccolta"),
)

not_about_people(
    "insights.Report",
    actors=["requested_by"],
    texts=["error"],
    reason="Reports hold aggregates with small counts suppressed; the link names the coordinator.",
)
not_about_people(
    "insights.Target",
    actors=["set_by"],
    texts=["baseline_source"],
    reason="A target and baseline of an aggregate indicator, and where the baseline comes from; the link names the coordinator.",
)
not_about_people(
    "insights.Review",
    actors=["created_by"],
    texts=["comments"],
    reason="A neighbourhood table's comments on aggregate figures; the meeting's attendance and minutes are collective's.",
)
