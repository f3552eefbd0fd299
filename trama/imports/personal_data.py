"""The imports app's part of the registry of personal data: none yet, and why."""

from trama.privacy.registry import not_about_people

not_about_people(
    "imports.Import",
    actors=["requested_by", "undone_by"],
    texts=["error"],
    reason=(
        "An import holds a list of organisations or places (its file, its preview rows and what it changed) and names "
        "the staff member who made or undid it. Importing people is not built: when it is, this must become a "
        "declaration with a retention, since the file would then hold people's details."
    ),
)
