"""Reminders of things due, computed daily by `tasks.send_reminders` from what the apps register here.

notifications sits below the apps that own what falls due (matches, meetings, agreements), so it does not
look them up: each registers, in its AppConfig.ready(), a source that reads its own records through its own
queries.py and decides, from its own rules.py, who is entitled to hear. Like `notify`'s callers, a source
passes no text: the kind fixes what is said.
"""

from dataclasses import dataclass

_sources = []


@dataclass(frozen=True)
class Reminder:
    """One reminder: `kind` for `recipients` (accounts), pointing at `url`. `key` names the object and the day
    it is about ("meeting_tomorrow:7:2026-05-05"), so that however often the task runs each is told once."""

    kind: str
    recipients: tuple
    url: str
    key: str


def register(source):
    """Add `source(today) -> iterable of Reminder` to the daily reminders (once, however often it is called)."""
    if source not in _sources:
        _sources.append(source)


def due(today):
    """Every registered source's reminders for `today` (a date in the city's time zone)."""
    for source in list(_sources):
        yield from source(today)
