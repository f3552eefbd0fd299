"""The insights app's part of the registry of personal data: none, and why."""

from trama.privacy.registry import not_about_people

not_about_people(
    "insights.Report",
    actors=["requested_by"],
    texts=["error"],
    reason="Reports hold aggregates with small counts suppressed; the link names the coordinator.",
)
