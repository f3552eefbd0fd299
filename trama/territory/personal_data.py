"""The territory app's part of the registry of personal data: none, and why."""

from trama.privacy.registry import not_about_people

not_about_people(
    "territory.Place",
    texts=["description", "opening_hours", "accessibility"],
    reason="Describes a public community asset (a library, a parish), never a person.",
)
