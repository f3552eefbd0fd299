"""The themes app's part of the registry of personal data: the copies of texts and their tags."""

import operator
from functools import reduce

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from trama.extensions import text_sources
from trama.privacy.registry import (
    BASIS_PUBLIC_TASK,
    KEPT_24_MONTHS,
    SEEN_BY_COORDINATORS,
    SEEN_BY_STAFF,
    Erase,
    Expiry,
    declare,
    not_about_people,
)


def _ended():
    """Items whose record is no longer followed (a need met or withdrawn, a signal closed, any encounter):
    an item copying a record still open keeps its text as long as the record, and expires with it.

    Built when retention runs, from the sources registered in `trama.extensions.text_sources` (their
    apps are made ready after privacy, which reads this module)."""
    followed = [
        Q(source=kind) & Q(Exists(source.model._default_manager.filter(pk=OuterRef("source_id"), status__in=source.open_statuses)))
        for kind, source in text_sources.items()
        if source.open_statuses
    ]
    return ~reduce(operator.or_, followed) if followed else Q()


declare(
    "themes.TextItem",
    subject=["person"],
    purpose=_("Copie dei testi (richieste, segnalazioni, note) usate per scoprire temi comuni"),
    basis=BASIS_PUBLIC_TASK,
    retention=KEPT_24_MONTHS,
    months=24,
    texts=["text"],
    hidden=["embedding"],  # numbers computed from the text, meaningless to read
    # The copy's words, its embedding and its person go; the empty row stays with its tags, because the
    # themes' indicators of closed periods count the items (G6): they must not move with an erasure.
    erase=Erase.anonymise(blank=["text", "embedding"], unlink=["person"]),
    seen_by=SEEN_BY_STAFF,
    # Not deleted: the tags of closed periods (G1 themes) count the items.
    expires=Expiry(
        clock="written_at",
        ended=_ended,
        erase=Erase.anonymise(blank=["text", "embedding"], unlink=["person"]),
        why=_(
            "Le copie dei testi servono a scoprire i temi del presente: dopo due anni restano, senza "
            "parole e senza persona, i temi a cui appartenevano."
        ),
    ),
)
declare(
    "themes.Tag",
    subject=["item__person"],
    purpose=_("I temi associati ai testi della persona"),
    basis=BASIS_PUBLIC_TASK,
    retention=KEPT_24_MONTHS,
    months=24,
    actors=["set_by"],
    erase=Erase.keep(
        "Once the item is anonymised (its words and person gone) its tags say only that an anonymous text "
        "belonged to a theme: the themes' indicators of closed periods count them."
    ),
    seen_by=SEEN_BY_COORDINATORS,
    expires=Expiry(
        clock="created_at",
        erase=Erase.anonymise(unlink=["set_by"]),
        why=_("Un tema su un testo reso anonimo non riguarda più nessuno; chi l'aveva confermato non serve più dopo due anni."),
    ),
)
not_about_people("themes.TraditionalCategory", texts=["description"], reason="The administration's user areas.")
not_about_people(
    "themes.DiscoveryRun", actors=["requested_by"], texts=["error"], reason="A run of theme discovery: who asked for it, and its technical error."
)
not_about_people(
    "themes.Theme",
    actors=["named_by"],
    texts=["description"],
    reason="A theme names a shared problem, never a person; the link names the coordinator.",
)
not_about_people("themes.ThemeEvent", actors=["by"], reason="The history of a theme; the link names the coordinator.")
