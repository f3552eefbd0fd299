"""The initiatives app's part of the registry of personal data: participation and agreements' parties."""

from django.utils.translation import gettext_lazy as _

from trama.privacy.registry import (
    BASIS_PUBLIC_TASK,
    KEPT_WHILE_ACTIVE,
    SEEN_BY_STAFF,
    Erase,
    declare,
    not_about_people,
)

declare(
    "initiatives.Participation",
    subject=["person"],
    purpose=_("Le iniziative a cui la persona partecipa"),
    basis=BASIS_PUBLIC_TASK,
    retention=KEPT_WHILE_ACTIVE,
    # The row stays on the emptied record: the participants (G5) of closed periods count people by id.
    erase=Erase.keep("The person's record is emptied of names and contacts: the participation only counts."),
    seen_by=SEEN_BY_STAFF,
)
declare(
    "initiatives.AgreementParty",
    subject=[],
    by_name=["name"],  # citizens sign a patto by name, without a link to their record
    purpose=_("I patti di collaborazione firmati dalla persona a suo nome"),
    basis=BASIS_PUBLIC_TASK,
    retention=KEPT_WHILE_ACTIVE,
    texts=["commitments"],
    # What a citizen committed to, under their name, is about them: it goes with the name.
    erase=Erase.anonymise(blank=["name", "commitments"]),
    seen_by=_("Il coordinamento della città e le parti del patto"),
)
not_about_people(
    "initiatives.Initiative",
    actors=["lead_worker", "created_by"],
    texts=["description", "how_to_join"],
    reason="Public description of an activity; its participants are Participation rows.",
)
not_about_people("initiatives.StageTransition", actors=["by"], texts=["reason"], reason="An initiative's history.")
not_about_people("initiatives.Commitment", texts=["description"], reason="What a partner organisation commits to.")
not_about_people(
    "initiatives.AutonomyAssessment", actors=["assessed_by"], texts=["note"], reason="An assessment of an initiative's autonomy, not of a person."
)
not_about_people(
    "initiatives.Agreement", actors=["created_by"], texts=["subject"], reason="What an agreement is about; its parties are AgreementParty rows."
)
not_about_people(
    "initiatives.InterventionObject", texts=["description", "purpose", "wording_guidance"], reason="The catalogue of activities: no person in it."
)
