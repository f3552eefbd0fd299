"""The imports app's part of the registry of personal data: none yet, and why."""

from trama.privacy.registry import not_about_people

not_about_people(
    "imports.Import",
    actors=["requested_by", "undone_by"],
    texts=["error"],
    reason=(
        "An import holds a list (its file, its preview rows and what it changed) and names the staff member who made or "
        "undid it. A list about people (people, their offers and needs, antennas) is kept only until it is imported or "
        "refused: its file is then dropped, and its preview rows name each row by its external id and neighbourhood, "
        "never by a person's name. The people it created are declared by the apps that own them (people, market, "
        "attention). What remains of them here is the log of changes (values a re-import replaced, to put them back "
        "on undo), which has no link to the person and is not part of her copy or erasure: a known gap."
    ),
)
